import type { McpServerEntity } from './entities/mcp-server.entity';
import type { SecretCipher } from './secret-cipher';

/**
 * The environment a server's container gets: every env entry that has a value, decrypted. Call it only where the
 * values go straight into a container config.
 * @throws {SecretDecryptionError} naming the variable and the server (never the value) when a value cannot be decrypted.
 */
export function decryptEnv(
  server: Pick<McpServerEntity, 'name' | 'env'>,
  cipher: SecretCipher,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of server.env) {
    if (entry.value !== undefined) {
      env[entry.key] = cipher.decrypt(entry.value, `env var ${entry.key} of server ${server.name}`);
    }
  }
  return env;
}
