import type { Provider } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mcp-router/config';
import { ContainerRunner, DockerRepository, ImageBuilder, type RuntimeLogger } from '@mcp-router/runtime';

/** The runtime's logger, through Nest's (pino). */
export function runtimeLogger(context: string): RuntimeLogger {
  const logger = new Logger(context);
  return {
    debug: (message: string) => {
      logger.debug(message);
    },
    warn: (message: string) => {
      logger.warn(message);
    },
  };
}

/** The worker's Docker side: the engine, image builds (on `BUILD_NETWORK`), and container starts. */
export const WORKER_RUNTIME_PROVIDERS: Provider[] = [
  {
    provide: DockerRepository,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => new DockerRepository({ dockerHost: config.docker.host }),
  },
  {
    provide: ImageBuilder,
    inject: [DockerRepository, APP_CONFIG],
    useFactory: (docker: DockerRepository, config: AppConfig) =>
      new ImageBuilder(docker, { network: config.docker.buildNetwork }),
  },
  {
    provide: ContainerRunner,
    inject: [DockerRepository, APP_CONFIG],
    useFactory: (docker: DockerRepository, config: AppConfig) =>
      new ContainerRunner(docker, {
        instanceId: config.instanceId,
        logger: runtimeLogger(ContainerRunner.name),
        stopTimeoutSeconds: 5,
      }),
  },
];
