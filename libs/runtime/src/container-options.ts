import { randomBytes } from 'node:crypto';
import type { ContainerCreateOptions } from 'dockerode';
import { RUNTIME_HOME, RUNTIME_USER } from './build-plan';
import { InvalidServerSpecError } from './runtime.errors';
import { ENV_KEY_PATTERN, resolveLimits, type ServerSpec } from './server-spec';

/** The labels on everything the router creates; the reaper finds containers by them. */
export const RUNTIME_LABELS = {
  managed: 'mcp-router.managed',
  server: 'mcp-router.server',
  session: 'mcp-router.session',
  instance: 'mcp-router.instance',
  /** The deployment (api and worker processes sharing one database and Redis) a container belongs to. */
  deployment: 'mcp-router.deployment',
} as const;

/** Who a container is for, and what it runs. */
export interface ContainerPlacement {
  /** The client session that owns the container (or a fixed id such as `probe-…` or `shared`). */
  sessionId: string;
  /** The id of the router process that starts it. */
  instanceId: string;
  /** The image to run (see `imageTagFor`). */
  imageTag: string;
  /** Extra labels; they cannot replace the four `mcp-router.*` labels. */
  labels?: Record<string, string>;
  /** The container name; default `mcp-router-<server name>-<8 random hex digits>`. */
  name?: string;
}

/** Size of the `/tmp` and home tmpfs mounts of each container, in MiB (it counts against the memory limit when used). */
export const TMPFS_SIZE_MB = 64;

/**
 * The engine's create options for a container of `spec`: the hardening of the design (no network unless `egress`,
 * every capability dropped, no-new-privileges, read-only root with tmpfs `/tmp` and home, uid 1000, memory without
 * swap, CPU and pid limits, an init process), the four `mcp-router.*` labels, stdin kept open without a TTY for
 * stdio, the server's arguments as the command and its env as the environment. The env values are in the returned
 * object only: never log it.
 * @throws {InvalidServerSpecError} when an env key is not a plain variable name (a `=` in a key could set another one).
 */
export function containerOptionsFor(spec: ServerSpec, placement: ContainerPlacement): ContainerCreateOptions {
  const limits = resolveLimits(spec.limits);
  const badKeys = Object.keys(spec.env).filter((key) => !ENV_KEY_PATTERN.test(key));
  if (badKeys.length > 0) {
    throw new InvalidServerSpecError(badKeys.map((key) => `env.${key}: must be an environment variable name`));
  }
  const env = { HOME: RUNTIME_HOME, ...spec.env };
  const memoryBytes = Math.round(limits.memoryMb * 1024 * 1024);
  const options: ContainerCreateOptions = {
    name: placement.name ?? `mcp-router-${spec.name}-${randomBytes(4).toString('hex')}`,
    Image: placement.imageTag,
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    Labels: {
      ...placement.labels,
      [RUNTIME_LABELS.managed]: 'true',
      [RUNTIME_LABELS.server]: spec.id,
      [RUNTIME_LABELS.session]: placement.sessionId,
      [RUNTIME_LABELS.instance]: placement.instanceId,
    },
    User: RUNTIME_USER,
    WorkingDir: RUNTIME_HOME,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: false,
    Tty: false,
    StopSignal: 'SIGTERM',
    HostConfig: {
      NetworkMode: spec.network === 'egress' ? 'bridge' : 'none',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      ReadonlyRootfs: true,
      Tmpfs: {
        '/tmp': `rw,nosuid,nodev,size=${TMPFS_SIZE_MB}m,mode=1777`,
        [RUNTIME_HOME]: `rw,nosuid,nodev,size=${TMPFS_SIZE_MB}m,uid=1000,gid=1000,mode=0700`,
      },
      Memory: memoryBytes,
      MemorySwap: memoryBytes,
      NanoCpus: Math.round(limits.cpus * 1e9),
      PidsLimit: limits.pids,
      Init: true,
      Privileged: false,
      IpcMode: 'private',
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
    },
  };
  if (spec.args.length > 0 || spec.runtime !== 'docker') options.Cmd = [...spec.args];
  return options;
}
