import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppSecrets, PasscodeState } from './config.types';
import { ConfigError, type RawSecrets } from './load-config';

const JWT_SECRET_FILE = 'jwt-secret';
const SECRETS_KEY_FILE = 'secrets-key';
const PASSCODE_FILE = 'admin-passcode.json';
const SCRYPT_KEYLEN = 32;

/**
 * Writes `content` to `dir/name` with mode 0600 unless the file exists; returns what the file holds afterwards.
 * Safe when the api and the worker boot at once: the file appears atomically (write aside, then hard-link),
 * and the loser of the race reads the winner's value.
 */
export function readOrCreateSecretFile(dir: string, name: string, create: () => string): string {
  const target = join(dir, name);
  try {
    return readFileSync(target, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dir, { recursive: true });
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, `${create()}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  try {
    linkSync(temp, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  return readFileSync(target, 'utf8').trim();
}

/**
 * Resolves the JWT secret and the secrets key: from the environment when set, else from files generated once
 * into `dataDir` (mode 0600) and reused on every later boot.
 * @throws {ConfigError} when a stored key file is corrupt.
 */
export function resolveSecrets(dataDir: string, raw: RawSecrets): AppSecrets {
  const jwtSecret =
    raw.jwtSecret ?? readOrCreateSecretFile(dataDir, JWT_SECRET_FILE, () => randomBytes(48).toString('base64url'));
  const keyText =
    raw.secretsKey ?? readOrCreateSecretFile(dataDir, SECRETS_KEY_FILE, () => randomBytes(32).toString('base64url'));
  const secretsKey = decodeKey(keyText);
  if (!secretsKey) {
    throw new ConfigError([
      raw.secretsKey
        ? 'SECRETS_KEY: must be 32 bytes, as 64 hex digits or base64'
        : `SECRETS_KEY: the file ${join(dataDir, SECRETS_KEY_FILE)} does not hold a 32-byte key`,
    ]);
  }
  return { jwtSecret, secretsKey, adminPasscode: raw.adminPasscode };
}

function decodeKey(text: string): Buffer | undefined {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64url');
  return key.length === 32 ? key : undefined;
}

/** Derives the scrypt hash of a passcode with the given salt (32 bytes). */
export function hashPasscode(passcode: string, salt: Buffer): Buffer {
  return scryptSync(passcode, salt, SCRYPT_KEYLEN);
}

/** True when `candidate` is the admin passcode; the comparison takes the same time whatever the input. */
export function verifyPasscode(state: PasscodeState, candidate: string): boolean {
  return timingSafeEqual(hashPasscode(candidate, state.salt), state.hash);
}

/**
 * The admin passcode: from `ADMIN_PASSCODE` when set (hashed in memory, nothing stored); otherwise the hash kept
 * in `dataDir`, or — on the first boot — a new strong passcode whose hash alone is stored. `generated` carries the
 * new passcode so that the caller prints it exactly once.
 */
export function resolvePasscode(dataDir: string, adminPasscode: string | undefined): PasscodeState {
  if (adminPasscode) {
    const salt = randomBytes(32);
    return { salt, hash: hashPasscode(adminPasscode, salt) };
  }
  let generated: string | undefined;
  const stored = readOrCreateSecretFile(dataDir, PASSCODE_FILE, () => {
    generated = randomBytes(18).toString('base64url');
    const salt = randomBytes(32);
    return JSON.stringify({
      scheme: 'scrypt',
      salt: salt.toString('hex'),
      hash: hashPasscode(generated, salt).toString('hex'),
    });
  });
  const parsed = JSON.parse(stored) as { salt?: unknown; hash?: unknown };
  if (typeof parsed.salt !== 'string' || typeof parsed.hash !== 'string') {
    throw new ConfigError([
      `ADMIN_PASSCODE: ${join(dataDir, PASSCODE_FILE)} is corrupt; delete it to generate a new passcode`,
    ]);
  }
  const state: PasscodeState = { salt: Buffer.from(parsed.salt, 'hex'), hash: Buffer.from(parsed.hash, 'hex') };
  // Another process may have won the race to create the file; then our passcode was never stored.
  if (generated && verifyPasscode(state, generated)) state.generated = generated;
  return state;
}
