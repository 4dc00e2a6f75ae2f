import { Injectable, Logger } from '@nestjs/common';
import { DatabaseRepository } from '@mcp-router/registry';
import { RedisRepository } from '@mcp-router/queue';
import { DockerRepository } from '@mcp-router/runtime';

/** The outcome of one dependency check. */
export type CheckState = 'ok' | 'down' | 'unavailable';

/** `GET /api/health`'s answer. */
export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: { database: CheckState; redis: CheckState; docker: CheckState };
}

const CHECK_TIMEOUT_MS = 2000;

/** Checks the database, Redis and the Docker engine, each within a bound. */
@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(
    private readonly database: DatabaseRepository,
    private readonly redis: RedisRepository,
    private readonly docker: DockerRepository,
  ) {}

  /** Runs the three checks in parallel. `degraded` when any is not `ok`. */
  async check(): Promise<HealthReport> {
    const [database, redis, docker] = await Promise.all([
      this.probe('database', 'down', () => this.database.ping()),
      this.probe('redis', 'down', () => this.redis.ping()),
      this.probe('docker', 'unavailable', () => this.docker.ping()),
    ]);
    const checks = { database, redis, docker };
    return { status: Object.values(checks).every((state) => state === 'ok') ? 'ok' : 'degraded', checks };
  }

  private async probe(name: string, failure: CheckState, run: () => Promise<unknown>): Promise<CheckState> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`));
      }, CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([run(), timeout]);
      return 'ok';
    } catch (error) {
      this.logger.warn({ check: name, reason: (error as Error).message }, 'Health check failed');
      return failure;
    } finally {
      clearTimeout(timer);
    }
  }
}
