import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a stored value cannot be decrypted: the key is not the one it was encrypted with, or it was altered. */
export class SecretDecryptionError extends Error {
  readonly code = 'SECRET_DECRYPTION_FAILED';

  /** @param what names the value (never its content), for example `env var GITHUB_TOKEN of server github`. */
  constructor(what: string) {
    super(
      `Cannot decrypt ${what}: SECRETS_KEY is not the key it was encrypted with (or the stored value was altered). ` +
        'Restore the original SECRETS_KEY (or DATA_DIR/secrets-key), or enter the value again.',
    );
    this.name = 'SecretDecryptionError';
  }
}

/**
 * AES-256-GCM encryption of values at rest. Each value gets a random 96-bit nonce; the output is
 * `v1.<base64url(nonce | tag | ciphertext)>`. A wrong key fails the authentication tag: never garbage.
 */
export class SecretCipher {
  /** @param key 32 bytes. */
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretCipher needs a 32-byte key');
  }

  /** Encrypts one value. */
  encrypt(plaintext: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /**
   * Decrypts one value.
   * @param what names the value in the error message.
   * @throws {SecretDecryptionError} on a wrong key or an altered value.
   */
  decrypt(stored: string, what: string): string {
    const [version, payload] = stored.split('.', 2);
    const raw = payload === undefined ? Buffer.alloc(0) : Buffer.from(payload, 'base64url');
    if (version !== VERSION || raw.length < NONCE_BYTES + TAG_BYTES) throw new SecretDecryptionError(what);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, NONCE_BYTES));
      decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError(what);
    }
  }
}
