import { Injectable } from '@nestjs/common';
import { RedisRepository } from './redis.repository';

/** How many lines of a server's log are kept. */
export const SERVER_LOG_LINES = 500;

/**
 * A server's recent log lines (image builds, probes, container stderr) in Redis, capped at
 * {@link SERVER_LOG_LINES}, shared by the worker that writes them and the api that serves them.
 */
@Injectable()
export class LogRepository {
  constructor(private readonly redis: RedisRepository) {}

  /** Appends lines (each cut to 2,000 characters). */
  async append(serverId: string, lines: string[]): Promise<void> {
    if (!lines.length) return;
    const key = this.redis.key('logs', serverId);
    await this.redis.client
      .multi()
      .rpush(key, ...lines.map((line) => line.slice(0, 2000)))
      .ltrim(key, -SERVER_LOG_LINES, -1)
      .expire(key, 7 * 24 * 3600)
      .exec();
  }

  /** The kept lines, oldest first. */
  read(serverId: string): Promise<string[]> {
    return this.redis.client.lrange(this.redis.key('logs', serverId), 0, -1);
  }

  /** Forgets a server's log (server deleted). */
  async clear(serverId: string): Promise<void> {
    await this.redis.client.del(this.redis.key('logs', serverId));
  }
}
