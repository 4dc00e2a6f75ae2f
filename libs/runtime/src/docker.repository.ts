import Docker from 'dockerode';

/** Connection settings of {@link DockerRepository}. */
export interface DockerRepositoryOptions {
  /** `unix:///path/to/docker.sock` or `tcp://host:port`; default the local socket. */
  dockerHost?: string;
}

/** The only code that talks to the Docker engine (dockerode). */
export class DockerRepository {
  private readonly docker: Docker;

  constructor(options: DockerRepositoryOptions = {}) {
    this.docker = new Docker(toDockerodeOptions(options.dockerHost));
  }

  /** Resolves when the engine answers; rejects when it is unreachable. */
  async ping(): Promise<void> {
    await this.docker.ping();
  }
}

function toDockerodeOptions(dockerHost: string | undefined): Docker.DockerOptions {
  if (!dockerHost) return { socketPath: '/var/run/docker.sock' };
  const url = new URL(dockerHost);
  if (url.protocol === 'unix:') return { socketPath: url.pathname };
  return { host: url.hostname, port: Number(url.port || 2375), protocol: url.protocol === 'https:' ? 'https' : 'http' };
}
