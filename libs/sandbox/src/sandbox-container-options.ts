import type { ContainerCreateOptions } from 'dockerode';
import { RUNTIME_LABELS } from '@mcp-router/runtime';
import { InvalidSandboxOptionsError } from './sandbox.errors';

/** The sandbox image, built from `docker/sandbox/Dockerfile`. */
export const SANDBOX_IMAGE = 'mcp-router/sandbox-python';

/** The server id of the built-in sandbox in the `mcp-router.server` label. */
export const SANDBOX_SERVER_ID = 'python_sandbox';

/** The image's unprivileged user (`sandbox`), as `uid:gid`. */
export const SANDBOX_USER = '10001:10001';

/** The session's working directory and home: a tmpfs owned by {@link SANDBOX_USER}. */
export const SANDBOX_WORKDIR = '/workspace';

/**
 * Resources of one sandbox container: memory in MiB (no swap), CPUs as a fraction of cores, the maximum number of
 * processes, and the sizes of the `/tmp` and `/workspace` tmpfs mounts in MiB (their content counts as memory).
 */
export interface SandboxLimits {
  memoryMb: number;
  cpus: number;
  pids: number;
  tmpMb: number;
  workspaceMb: number;
}

/** 1 GiB, 1 CPU, 128 processes, 64 MiB `/tmp`, 256 MiB `/workspace`. */
export const DEFAULT_SANDBOX_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  memoryMb: 1024,
  cpus: 1,
  pids: 128,
  tmpMb: 64,
  workspaceMb: 256,
});

/** Who a sandbox container is for, and how it may differ from the defaults. */
export interface SandboxContainerSpec {
  /** The client session that owns the container (`mcp-router.session`). */
  sessionId: string;
  /** The id of the router process that starts it (`mcp-router.instance`). */
  instanceId: string;
  /** The image; default {@link SANDBOX_IMAGE}. */
  image?: string;
  /** The container name; default none (the engine picks one). */
  name?: string;
  /** Overrides of {@link DEFAULT_SANDBOX_LIMITS}. */
  limits?: Partial<SandboxLimits>;
  /** Extra labels; they cannot replace the four `mcp-router.*` labels. */
  labels?: Readonly<Record<string, string>>;
}

/**
 * The engine's create options for a python_sandbox container: no network at all, every capability dropped,
 * no-new-privileges, a read-only root with tmpfs `/tmp` and `/workspace` (nosuid, nodev, noexec), the image's
 * unprivileged user, memory without swap, CPU and pid limits, core dumps off, and the four `mcp-router.*` labels
 * (managed, server `python_sandbox`, session, instance).
 *
 * The kernel talks over stdio, so stdin is kept open (`OpenStdin: true`, `StdinOnce: false`, no TTY): the host
 * attaches to stdin/stdout/stderr before starting the container. There is no init process: the kernel is PID 1,
 * which lets it kill every process a call leaves behind in one sweep, and it reaps and handles SIGTERM itself.
 * @throws {InvalidSandboxOptionsError} when an id is empty or a limit is not a positive finite number (pids: an
 *   integer of at least 16, so that the kernel can still start a subprocess).
 */
export function buildSandboxContainerOptions(spec: SandboxContainerSpec): ContainerCreateOptions {
  const limits: SandboxLimits = { ...DEFAULT_SANDBOX_LIMITS, ...spec.limits };
  const problems = validate(spec, limits);
  if (problems.length > 0) throw new InvalidSandboxOptionsError(problems);
  const memoryBytes = Math.round(limits.memoryMb * 1024 * 1024);
  const [uid, gid] = SANDBOX_USER.split(':');
  const options: ContainerCreateOptions = {
    Image: spec.image ?? SANDBOX_IMAGE,
    Hostname: 'sandbox',
    User: SANDBOX_USER,
    WorkingDir: SANDBOX_WORKDIR,
    Labels: {
      ...spec.labels,
      [RUNTIME_LABELS.managed]: 'true',
      [RUNTIME_LABELS.server]: SANDBOX_SERVER_ID,
      [RUNTIME_LABELS.session]: spec.sessionId,
      [RUNTIME_LABELS.instance]: spec.instanceId,
    },
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: false,
    Tty: false,
    NetworkDisabled: true,
    StopSignal: 'SIGTERM',
    StopTimeout: 2,
    HostConfig: {
      NetworkMode: 'none',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      ReadonlyRootfs: true,
      Tmpfs: {
        '/tmp': `rw,nosuid,nodev,noexec,size=${limits.tmpMb}m,mode=1777`,
        [SANDBOX_WORKDIR]: `rw,nosuid,nodev,noexec,size=${limits.workspaceMb}m,uid=${uid},gid=${gid},mode=0700`,
      },
      Memory: memoryBytes,
      MemorySwap: memoryBytes,
      NanoCpus: Math.round(limits.cpus * 1e9),
      PidsLimit: limits.pids,
      Ulimits: [{ Name: 'core', Soft: 0, Hard: 0 }],
      Init: false,
      Privileged: false,
      IpcMode: 'private',
      RestartPolicy: { Name: 'no' },
      AutoRemove: false,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
    },
  };
  if (spec.name !== undefined) options.name = spec.name;
  return options;
}

function validate(spec: SandboxContainerSpec, limits: SandboxLimits): string[] {
  const problems: string[] = [];
  if (!spec.sessionId) problems.push('sessionId: must not be empty');
  if (!spec.instanceId) problems.push('instanceId: must not be empty');
  for (const key of ['memoryMb', 'cpus', 'tmpMb', 'workspaceMb'] as const) {
    const value = limits[key];
    if (!Number.isFinite(value) || value <= 0) problems.push(`limits.${key}: must be a positive number`);
  }
  if (!Number.isInteger(limits.pids) || limits.pids < 16)
    problems.push('limits.pids: must be an integer of at least 16');
  return problems;
}
