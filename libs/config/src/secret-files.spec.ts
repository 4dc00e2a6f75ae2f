import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './load-config';
import { readOrCreateSecretFile, resolvePasscode, resolveSecrets, verifyPasscode } from './secret-files';

describe('secret files', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcpr-secrets-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates the JWT secret and the secrets key once, mode 0600, and reuses them', () => {
    const first = resolveSecrets(dir, {});
    const second = resolveSecrets(dir, {});
    expect(first.secretsKey).toHaveLength(32);
    expect(second).toEqual(first);
    for (const file of ['jwt-secret', 'secrets-key']) {
      expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    }
  });

  it('prefers the environment, accepting hex or base64 keys', () => {
    const hex = 'ab'.repeat(32);
    expect(resolveSecrets(dir, { secretsKey: hex, jwtSecret: 'j'.repeat(40) })).toEqual({
      jwtSecret: 'j'.repeat(40),
      secretsKey: Buffer.from(hex, 'hex'),
      adminPasscode: undefined,
    });
  });

  it('refuses a corrupt key file with a message naming SECRETS_KEY', () => {
    readOrCreateSecretFile(dir, 'secrets-key', () => 'not-a-key');
    expect(() => resolveSecrets(dir, {})).toThrow(ConfigError);
    expect(() => resolveSecrets(dir, {})).toThrow(/SECRETS_KEY/);
  });

  it('generates a strong passcode once, keeps only its hash, and verifies it in later boots', () => {
    const first = resolvePasscode(dir, undefined);
    expect(first.generated).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const stored = readFileSync(join(dir, 'admin-passcode.json'), 'utf8');
    expect(stored).not.toContain(first.generated);
    const second = resolvePasscode(dir, undefined);
    expect(second.generated).toBeUndefined();
    expect(verifyPasscode(second, first.generated!)).toBe(true);
    expect(verifyPasscode(second, 'wrong')).toBe(false);
  });

  it('uses ADMIN_PASSCODE when set, storing nothing', () => {
    const state = resolvePasscode(dir, 'a-long-enough-passcode');
    expect(verifyPasscode(state, 'a-long-enough-passcode')).toBe(true);
    expect(verifyPasscode(state, 'a-long-enough-passcodE')).toBe(false);
    expect(() => statSync(join(dir, 'admin-passcode.json'))).toThrow();
  });
});
