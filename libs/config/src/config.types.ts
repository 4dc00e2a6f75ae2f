/** Container resource limits: memory in MiB, CPUs as a fraction of cores, the maximum number of processes. */
export interface ContainerLimits {
  memoryMb: number;
  cpus: number;
  pids: number;
}

/**
 * The admin passcode as the api knows it: a scrypt hash (never the passcode itself), and the passcode in clear
 * only when it was generated during this boot, so that it can be printed once.
 */
export interface PasscodeState {
  salt: Buffer;
  hash: Buffer;
  generated?: string;
}

/** The typed, validated configuration of MCP Router, read once at boot. */
export interface AppConfig {
  env: 'production' | 'development' | 'test';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  port: number;
  /** Absolute path of the data folder (SQLite file, generated secrets). */
  dataDir: string;
  database: { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };
  redisUrl: string;
  /** Prefix of every BullMQ key, so that several routers (or test runs) can share one Redis. */
  queuePrefix: string;
  /** The base URL clients use to reach the router (no trailing slash). */
  publicUrl: string;
  /** A stable id of this router process, written into the labels of the containers it starts. */
  instanceId: string;
  anthropic: { apiKey?: string; model: string; baseUrl?: string };
  github: { apiUrl: string; token?: string };
  docker: { host?: string; buildNetwork?: string };
  containerDefaults: ContainerLimits;
  /** Bound on a backend's answer to `initialize` during install, in milliseconds. */
  probeTimeoutMs: number;
  /** A container younger than this is never reaped (its owner may not have recorded itself yet), in milliseconds. */
  reapGraceMs: number;
  /** Idle time after which a client session and its containers are torn down, in milliseconds. */
  sessionIdleTimeoutMs: number;
  /**
   * The python_sandbox tool: whether it is offered, how many started containers wait ready, their limits, and the
   * absolute path of the folder its image is built from (`docker/sandbox`).
   */
  sandbox: { enabled: boolean; warmPool: number; limits: ContainerLimits; contextDir: string };
}

/** The secrets resolved at boot, from the environment or from files generated once into `DATA_DIR`. */
export interface AppSecrets {
  /** HMAC key for admin JWTs. */
  jwtSecret: string;
  /** 32-byte AES-256-GCM key for env values at rest. */
  secretsKey: Buffer;
  /** `ADMIN_PASSCODE` when set; otherwise the api generates one (see `resolvePasscode`). */
  adminPasscode?: string;
}
