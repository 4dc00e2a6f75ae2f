import type { DockerOptions } from 'dockerode';

/** The engine's local socket, used when no address is configured. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/**
 * dockerode connection options for a `DOCKER_HOST`-style address: `unix:///path/to.sock`, `tcp://host:port` (plain
 * HTTP, port 2375 by default), `http://host:port` or `https://host:port` (TLS without client certificates). Unset:
 * the local socket. Every field is set explicitly, so that dockerode's own reading of the process environment never
 * mixes in.
 * @throws {Error} when the address has another scheme or no host.
 */
export function dockerConnectionOptions(dockerHost: string | undefined): DockerOptions {
  if (dockerHost === undefined || dockerHost === '') return unixSocket(DEFAULT_DOCKER_SOCKET);
  if (dockerHost.startsWith('unix://')) return unixSocket(dockerHost.slice('unix://'.length) || DEFAULT_DOCKER_SOCKET);
  const url = URL.canParse(dockerHost) ? new URL(dockerHost) : null;
  if (!url || !['tcp:', 'http:', 'https:'].includes(url.protocol) || url.hostname === '') {
    throw new Error(`DOCKER_HOST must be unix:///path or tcp://host:port, not ${JSON.stringify(dockerHost)}`);
  }
  const https = url.protocol === 'https:';
  return {
    socketPath: undefined,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (https ? 2376 : 2375) : Number(url.port),
    protocol: https ? 'https' : 'http',
  };
}

function unixSocket(socketPath: string): DockerOptions {
  return { socketPath, host: undefined, port: undefined, protocol: undefined };
}
