import type { McpServerEntity } from '@mcp-router/registry';
import type { ServerSpec } from '@mcp-router/runtime';

/** The runtime's view of a stored server. `env` holds decrypted values: build it only right before a spawn. */
export function specFromServer(server: McpServerEntity, env: Record<string, string> = {}): ServerSpec {
  const spec: ServerSpec = {
    id: server.id,
    name: server.name,
    runtime: server.runtime,
    args: server.args,
    transport: server.transport,
    network: server.network,
    limits: server.limits,
    env,
  };
  if (server.package) spec.package = server.package;
  if (server.image) spec.image = server.image;
  if (server.url) spec.url = server.url;
  if (server.port) spec.port = server.port;
  return spec;
}
