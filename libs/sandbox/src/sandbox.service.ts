import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { runDetached } from '@mcp-router/common';
import { APP_CONFIG, type AppConfig } from '@mcp-router/config';
import { BuiltinTools } from '@mcp-router/gateway';
import { ContainerOwnershipRepository } from '@mcp-router/queue';
import { DockerRepository, ImageNotFoundError, RUNTIME_LABELS, type RuntimeLogger } from '@mcp-router/runtime';
import { kernelFailureToToolResult, toToolResult } from './kernel-protocol';
import { buildSandboxContainerOptions } from './sandbox-container-options';
import { SandboxImageService } from './sandbox-image.service';
import { KERNEL_READY_TIMEOUT_MS, SandboxKernel } from './sandbox-kernel';
import {
  PYTHON_SANDBOX_RESET_TOOL,
  PYTHON_SANDBOX_TOOL,
  describeKernelFailure,
  parsePythonSandboxArgs,
  sandboxErrorResult,
  sandboxTools,
  withRestartNote,
} from './sandbox-tools';
import { KernelCallCancelledError, KernelFailedError } from './sandbox.errors';

/** How often the ownership of held containers is refreshed in Redis, in milliseconds (the records live 90 s). */
export const SANDBOX_HEARTBEAT_MS = 30_000;

/** The `mcp-router.session` label (and ownership record) of containers waiting in the warm pool. */
export const SANDBOX_POOL_SESSION = 'pool';

/** One started, ready kernel and the container it runs in. */
interface HeldKernel {
  containerId: string;
  kernel: SandboxKernel;
}

/** A client session's sandbox: its kernel (being started, or running), and why the previous one was replaced. */
interface SessionSandbox {
  kernel?: Promise<HeldKernel>;
  /** What `kernel` resolved to, once it did. */
  held?: HeldKernel;
  /** Set when a kernel failed: the next call says that it runs in a fresh one. */
  restartCause?: string;
  closed: boolean;
}

/**
 * The built-in `python_sandbox` and `python_sandbox_reset` tools. Each MCP session gets its own sandbox container
 * (`mcp-router/sandbox-python`, hardened, no network) at its first call — taken from an in-process warm pool of
 * `config.sandbox.warmPool` ready containers when there is one — and keeps it, with its Python state, until the
 * session closes. A kernel that runs out of memory, hangs past its call's deadline or exits is replaced at the next
 * call, which says so. The image is built on first use when it is missing. Every container this process holds
 * (sessions' and pool's) is owned in Redis, refreshed every 30 s, so the worker's reaper leaves it alone; all are
 * removed on shutdown.
 */
@Injectable()
export class SandboxService
  extends BuiltinTools
  implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(SandboxService.name);
  private readonly kernelLogger: RuntimeLogger;
  /**
   * Built here rather than injected: the api builds the image on first use only; building it at boot is the
   * worker's job (it registers {@link SandboxImageService} as a provider).
   */
  private readonly image: SandboxImageService;
  private readonly tools: Tool[];
  private readonly sessions = new Map<string, SessionSandbox>();
  private readonly pool: HeldKernel[] = [];
  private poolStarting = 0;
  /** Every container this process created and has not removed, with its owner (session id or pool). */
  private readonly containers = new Map<string, string>();
  private heartbeat: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    private readonly docker: DockerRepository,
    private readonly ownership: ContainerOwnershipRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
    this.image = new SandboxImageService(docker, config);
    this.tools = config.sandbox.enabled ? sandboxTools(config.sandbox.limits) : [];
    this.kernelLogger = {
      warn: (message) => {
        this.logger.warn(message);
      },
      debug: (message) => {
        this.logger.debug(message);
      },
    };
  }

  /** Starts the ownership heartbeat. */
  onModuleInit(): void {
    this.heartbeat = setInterval(() => {
      runDetached(this.logger, 'Refreshing sandbox container ownership', this.refreshOwnership());
    }, SANDBOX_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Fills the warm pool in the background. */
  onApplicationBootstrap(): void {
    this.refillPool();
  }

  /** Stops the heartbeat and the pool, cancels an image build, and removes every container this process holds. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.heartbeat);
    this.image.onApplicationShutdown();
    for (const state of this.sessions.values()) state.closed = true;
    this.sessions.clear();
    for (const held of this.pool.splice(0)) held.kernel.close();
    const ids = [...this.containers.keys()];
    this.containers.clear();
    await Promise.all(ids.map((containerId) => this.removeContainer(containerId)));
  }

  /** The sandbox tools; none when `config.sandbox.enabled` is false. */
  list(): Tool[] {
    return this.tools;
  }

  /** Ready containers waiting in the warm pool. */
  get pooledCount(): number {
    return this.pool.length;
  }

  /** Runs `python_sandbox` or `python_sandbox_reset` for `sessionId`; failures come back as `isError` results. */
  async call(
    name: string,
    args: Record<string, unknown>,
    sessionId: string,
    signal: AbortSignal,
  ): Promise<CallToolResult> {
    if (!this.config.sandbox.enabled) return sandboxErrorResult('The Python sandbox is disabled on this router.');
    switch (name) {
      case PYTHON_SANDBOX_TOOL:
        return this.runCode(args, sessionId, signal);
      case PYTHON_SANDBOX_RESET_TOOL:
        return this.reset(sessionId);
      default:
        return sandboxErrorResult(`Unknown sandbox tool: ${name}`);
    }
  }

  /** Removes the session's container, if it has one. Idempotent. */
  async closeSession(sessionId: string): Promise<void> {
    const state = this.sessions.get(sessionId);
    if (!state) return;
    this.sessions.delete(sessionId);
    state.closed = true;
    const held = await state.kernel?.catch(() => undefined);
    if (held) await this.release(held);
  }

  private async runCode(
    args: Record<string, unknown>,
    sessionId: string,
    signal: AbortSignal,
  ): Promise<CallToolResult> {
    const parsed = parsePythonSandboxArgs(args);
    if (!parsed.ok) return sandboxErrorResult(`Invalid arguments: ${parsed.message}`);
    const state = this.session(sessionId);
    let held: HeldKernel;
    try {
      held = await this.kernelFor(state, sessionId);
    } catch (error) {
      return this.startFailure(error);
    }
    const cause = state.restartCause;
    state.restartCause = undefined;
    try {
      return withRestartNote(toToolResult(await held.kernel.execute(parsed.code, parsed.timeoutS, signal)), cause);
    } catch (error) {
      if (error instanceof KernelFailedError) {
        this.logger.warn(
          { sessionId, containerId: held.containerId.slice(0, 12), failure: error.failure },
          'Sandbox kernel failed',
        );
        this.drop(state, held, describeKernelFailure(error.failure));
        return withRestartNote(kernelFailureToToolResult(error.failure), cause);
      }
      if (error instanceof KernelCallCancelledError) return sandboxErrorResult('The call was cancelled.');
      throw error;
    }
  }

  private async reset(sessionId: string): Promise<CallToolResult> {
    const state = this.session(sessionId);
    const previous = state.kernel;
    state.kernel = undefined;
    state.held = undefined;
    state.restartCause = undefined;
    const held = await previous?.catch(() => undefined);
    if (held) runDetached(this.logger, 'Removing a reset sandbox container', this.release(held));
    try {
      await this.kernelFor(state, sessionId);
    } catch (error) {
      return this.startFailure(error);
    }
    return {
      content: [
        {
          type: 'text',
          text: 'The Python sandbox was reset: this session now has a fresh kernel, with no variables, imports, files or figures from before.',
        },
      ],
    };
  }

  private session(sessionId: string): SessionSandbox {
    let state = this.sessions.get(sessionId);
    if (!state) {
      state = { closed: false };
      this.sessions.set(sessionId, state);
    }
    return state;
  }

  /** The session's live kernel; a new one (from the pool when possible) when it has none or its kernel died. */
  private async kernelFor(state: SessionSandbox, sessionId: string): Promise<HeldKernel> {
    for (;;) {
      const current = state.kernel;
      if (!current) {
        const acquiring = this.acquire(sessionId).then(async (held) => {
          if (state.closed) {
            await this.release(held);
            throw new Error('the session was closed');
          }
          if (state.kernel === acquiring) state.held = held;
          return held;
        });
        state.kernel = acquiring;
        acquiring.catch(() => {
          if (state.kernel === acquiring) state.kernel = undefined;
        });
        return acquiring;
      }
      const held = await current.catch(() => undefined);
      if (state.kernel !== current || !held) continue;
      if (held.kernel.alive) return held;
      // It died between calls (killed, removed, OOM while a thread ran): replace it and say so.
      const failure = await held.kernel.whenGone();
      if (state.kernel === current) this.drop(state, held, describeKernelFailure(failure));
    }
  }

  /** Forgets a session's failed kernel (removing its container in the background) and notes why for the next call. */
  private drop(state: SessionSandbox, held: HeldKernel, cause: string): void {
    if (state.held === held) {
      state.held = undefined;
      state.kernel = undefined;
      state.restartCause = cause;
    }
    runDetached(this.logger, 'Removing a failed sandbox container', this.release(held));
  }

  /** A ready kernel for `sessionId`: claimed from the warm pool (which is then refilled), or started now. */
  private async acquire(sessionId: string): Promise<HeldKernel> {
    for (;;) {
      const pooled = this.pool.shift();
      if (!pooled) break;
      if (!pooled.kernel.alive) {
        runDetached(this.logger, 'Removing a dead pooled sandbox container', this.release(pooled));
        continue;
      }
      this.containers.set(pooled.containerId, sessionId);
      this.refillPool();
      await this.ownership.own([{ containerId: pooled.containerId, sessionId }]);
      return pooled;
    }
    this.refillPool();
    return this.startKernel(sessionId);
  }

  /** Tops the warm pool up to `config.sandbox.warmPool` ready kernels, in the background. */
  private refillPool(): void {
    if (this.stopping || !this.config.sandbox.enabled) return;
    while (this.pool.length + this.poolStarting < this.config.sandbox.warmPool) {
      this.poolStarting++;
      const starting = this.startKernel(SANDBOX_POOL_SESSION)
        .then(async (held) => {
          if (this.stopping) await this.release(held);
          else this.pool.push(held);
        })
        .finally(() => {
          this.poolStarting--;
        });
      runDetached(this.logger, 'Starting a warm sandbox container', starting);
    }
  }

  /**
   * Creates, attaches to and starts a sandbox container for `owner` and waits for its kernel to be ready; builds the
   * image first when it is missing. Removes the container again when any step fails.
   * @throws {SandboxImageError} when the image is missing and cannot be built; the engine's or the kernel's error
   *   when the container cannot be started.
   */
  private async startKernel(owner: string): Promise<HeldKernel> {
    await this.image.ensureImage();
    const options = buildSandboxContainerOptions({
      sessionId: owner,
      instanceId: this.config.instanceId,
      limits: this.config.sandbox.limits,
      labels: { [RUNTIME_LABELS.deployment]: this.config.queuePrefix },
    });
    let containerId: string;
    try {
      containerId = await this.docker.createContainer(options);
    } catch (error) {
      if (!(error instanceof ImageNotFoundError)) throw error;
      // Removed since it was last seen: build it again.
      this.image.forget();
      await this.image.ensureImage();
      containerId = await this.docker.createContainer(options);
    }
    this.containers.set(containerId, owner);
    let kernel: SandboxKernel | undefined;
    try {
      this.assertRunning();
      const [stream] = await Promise.all([
        this.docker.attachContainer(containerId),
        this.ownership.own([{ containerId, sessionId: owner }]),
      ]);
      kernel = new SandboxKernel({
        containerId,
        stream,
        docker: this.docker,
        memoryMb: this.config.sandbox.limits.memoryMb,
        logger: this.kernelLogger,
      });
      await this.docker.startContainer(containerId);
      await kernel.waitReady(KERNEL_READY_TIMEOUT_MS);
      this.assertRunning();
      return { containerId, kernel };
    } catch (error) {
      kernel?.close();
      this.containers.delete(containerId);
      await this.removeContainer(containerId);
      throw error;
    }
  }

  /** Throws when shutdown began while a container was being started (the caller then removes it). */
  private assertRunning(): void {
    if (this.stopping) throw new Error('the router is shutting down');
  }

  /** Closes a kernel and removes its container; never throws (failures are logged, the reaper is the backstop). */
  private async release(held: HeldKernel): Promise<void> {
    held.kernel.close();
    this.containers.delete(held.containerId);
    await this.removeContainer(held.containerId);
  }

  private async removeContainer(containerId: string): Promise<void> {
    try {
      await this.docker.removeContainer(containerId);
    } catch (error) {
      this.logger.warn(
        { containerId: containerId.slice(0, 12), reason: (error as Error).message },
        'Cannot remove a sandbox container',
      );
    }
    try {
      await this.ownership.disown(containerId);
    } catch (error) {
      // At shutdown Redis may already be closed; the record expires by itself.
      this.logger.debug(
        { containerId: containerId.slice(0, 12), reason: (error as Error).message },
        'Cannot disown a sandbox container',
      );
    }
  }

  private async refreshOwnership(): Promise<void> {
    await this.ownership.own([...this.containers].map(([containerId, sessionId]) => ({ containerId, sessionId })));
  }

  private startFailure(error: unknown): CallToolResult {
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn({ reason: message }, 'Cannot start a sandbox kernel');
    return sandboxErrorResult(`The Python sandbox could not be started: ${message}`);
  }
}
