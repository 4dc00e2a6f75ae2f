import { randomBytes } from 'node:crypto';
import { SecretCipher, SecretDecryptionError } from './secret-cipher';

describe(SecretCipher.name, () => {
  const sut = new SecretCipher(randomBytes(32));

  it('round-trips a value, with a fresh nonce each time', () => {
    const a = sut.encrypt('hunter2');
    const b = sut.encrypt('hunter2');
    expect(a).not.toEqual(b);
    expect(a).toMatch(/^v1\./);
    expect(a).not.toContain('hunter2');
    expect(sut.decrypt(a, 'x')).toBe('hunter2');
    expect(sut.decrypt(sut.encrypt(''), 'x')).toBe('');
  });

  it('fails loudly, never with garbage, on a wrong key or an altered value', () => {
    const stored = sut.encrypt('hunter2');
    expect(() => new SecretCipher(randomBytes(32)).decrypt(stored, 'env var X of server y')).toThrow(
      SecretDecryptionError,
    );
    expect(() => new SecretCipher(randomBytes(32)).decrypt(stored, 'env var X of server y')).toThrow(
      /Cannot decrypt env var X of server y: SECRETS_KEY is not the key/,
    );
    const altered = stored.slice(0, -2) + (stored.endsWith('A') ? 'BB' : 'AA');
    expect(() => sut.decrypt(altered, 'x')).toThrow(SecretDecryptionError);
    expect(() => sut.decrypt('plaintext', 'x')).toThrow(SecretDecryptionError);
  });

  it('needs a 32-byte key', () => {
    expect(() => new SecretCipher(randomBytes(16))).toThrow(/32-byte/);
  });
});
