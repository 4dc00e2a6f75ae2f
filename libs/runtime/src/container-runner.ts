import { imageTagFor } from './build-plan';
import { containerOptionsFor } from './container-options';
import type { DockerRepository } from './docker.repository';
import { DockerStdioTransport } from './docker-stdio.transport';
import { RingBuffer } from './ring-buffer';
import { UnsupportedTransportError } from './runtime.errors';
import { type RuntimeLogger, SILENT_LOGGER } from './runtime-logger';
import type { ServerSpec } from './server-spec';

/** Settings of a {@link ContainerRunner}. */
export interface ContainerRunnerOptions {
  /** The id of this router process, written into the `mcp-router.instance` label. */
  instanceId: string;
  logger?: RuntimeLogger;
  /** Seconds between SIGTERM and SIGKILL when stopping; default 10. */
  stopTimeoutSeconds?: number;
  /** stderr lines kept per container; default 500. */
  stderrLines?: number;
}

/** Where and how to start one container. */
export interface StartContainerOptions {
  /** The client session that owns it (label `mcp-router.session`). */
  sessionId: string;
  /** The image to run; default `imageTagFor(spec)`. */
  imageTag?: string;
  /** Extra labels. */
  labels?: Record<string, string>;
}

/** A started container and the MCP transport over its stdio. */
export interface RunningContainer {
  containerId: string;
  /** Not started yet: hand it to an MCP `Client.connect`. */
  transport: DockerStdioTransport;
  /** Its last stderr lines. */
  logs: RingBuffer<string>;
  /** Closes the transport, then stops and removes the container (idempotent). */
  stop(): Promise<void>;
}

/**
 * Starts and stops server containers: create (hardened, labelled), attach before start so that no early output is
 * lost, start; and an idempotent stop-and-remove. The env values of the spec go into the container's configuration
 * and nowhere else.
 */
export class ContainerRunner {
  private readonly logger: RuntimeLogger;
  private readonly stopTimeoutSeconds: number;

  constructor(
    private readonly docker: DockerRepository,
    private readonly options: ContainerRunnerOptions,
  ) {
    this.logger = options.logger ?? SILENT_LOGGER;
    this.stopTimeoutSeconds = options.stopTimeoutSeconds ?? 10;
  }

  /**
   * Starts a container of a stdio server for a session.
   * @throws {UnsupportedTransportError} for a server that does not speak stdio; {@link InvalidServerSpecError},
   *   {@link ImageNotFoundError} or {@link ContainerStartError} when it cannot start (nothing is left behind).
   */
  async start(spec: ServerSpec, options: StartContainerOptions): Promise<RunningContainer> {
    if (spec.transport !== 'stdio') {
      throw new UnsupportedTransportError(
        `server ${spec.name} speaks ${spec.transport}: only stdio servers run in attached containers`,
      );
    }
    const create = containerOptionsFor(spec, {
      sessionId: options.sessionId,
      instanceId: this.options.instanceId,
      imageTag: options.imageTag ?? imageTagFor(spec),
      labels: options.labels,
    });
    const containerId = await this.docker.createContainer(create);
    try {
      const stream = await this.docker.attachContainer(containerId);
      const logs = new RingBuffer<string>(this.options.stderrLines ?? 500);
      const transport = new DockerStdioTransport({
        containerId,
        stream,
        exits: this.docker,
        stderr: logs,
        logger: this.logger,
      });
      try {
        await this.docker.startContainer(containerId);
      } catch (error) {
        await transport.close();
        throw error;
      }
      this.logger.debug(`started container ${containerId.slice(0, 12)} for server ${spec.name}`);
      return {
        containerId,
        transport,
        logs,
        stop: async () => {
          await transport.close();
          await this.stopAndRemove(containerId);
        },
      };
    } catch (error) {
      await this.stopAndRemove(containerId).catch((cleanup: unknown) => {
        this.logger.warn(`cannot remove container ${containerId.slice(0, 12)}: ${String(cleanup)}`);
      });
      throw error;
    }
  }

  /** Stops a container gracefully (SIGTERM, then SIGKILL after the stop timeout) and removes it; idempotent. */
  async stopAndRemove(containerId: string): Promise<void> {
    await this.docker.stopAndRemoveContainer(containerId, this.stopTimeoutSeconds);
  }
}
