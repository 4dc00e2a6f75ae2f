import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@mcp-router/config';

/**
 * A plain Redis connection on `REDIS_URL`, for what is not a queue: liveness, and the keys later work keeps
 * (always under `QUEUE_PREFIX`). Connects lazily; closed on shutdown.
 */
@Injectable()
export class RedisRepository implements OnApplicationShutdown {
  /** The ioredis client; every key it writes must start with {@link RedisRepository.key}. */
  readonly client: Redis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.client = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  }

  /** The namespaced form of a key: `<QUEUE_PREFIX>:<parts joined by ':'>`. */
  key(...parts: string[]): string {
    return [this.config.queuePrefix, ...parts].join(':');
  }

  /** Resolves when Redis answers PING. */
  async ping(): Promise<void> {
    await this.client.ping();
  }

  /** Closes the connection. */
  async onApplicationShutdown(): Promise<void> {
    if (this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
