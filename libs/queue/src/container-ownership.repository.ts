import { Injectable } from '@nestjs/common';
import { RedisRepository } from './redis.repository';

/** How long an ownership record lives without a heartbeat, in seconds. */
export const OWNERSHIP_TTL_SECONDS = 90;

/**
 * Who holds which backend container, in Redis, so that every process agrees: a container is owned while its holder
 * keeps refreshing `owner:<containerId>` (the api, every 30 s), or while it waits in its server's warm pool
 * (`pool:<serverId>`). The reaper removes managed containers that are neither. Claims from a pool are atomic
 * (`SPOP`), so two api replicas never get the same container.
 */
@Injectable()
export class ContainerOwnershipRepository {
  constructor(private readonly redis: RedisRepository) {}

  /** Records (or refreshes) that `sessionId` holds these containers. */
  async own(containers: { containerId: string; sessionId: string }[]): Promise<void> {
    if (!containers.length) return;
    const batch = this.redis.client.multi();
    for (const { containerId, sessionId } of containers) {
      batch.set(this.redis.key('owner', containerId), sessionId, 'EX', OWNERSHIP_TTL_SECONDS);
    }
    await batch.exec();
  }

  /** Forgets a container's owner. */
  async disown(containerId: string): Promise<void> {
    await this.redis.client.del(this.redis.key('owner', containerId));
  }

  /** Whether some live holder owns the container. */
  async isOwned(containerId: string): Promise<boolean> {
    return (await this.redis.client.exists(this.redis.key('owner', containerId))) === 1;
  }

  /** Puts a started container in a server's warm pool. */
  async addToPool(serverId: string, containerId: string): Promise<void> {
    await this.redis.client.sadd(this.redis.key('pool', serverId), containerId);
  }

  /** Takes one container out of a server's warm pool, atomically; undefined when the pool is empty. */
  async claimFromPool(serverId: string): Promise<string | undefined> {
    return (await this.redis.client.spop(this.redis.key('pool', serverId))) ?? undefined;
  }

  /** The containers waiting in a server's pool. */
  pool(serverId: string): Promise<string[]> {
    return this.redis.client.smembers(this.redis.key('pool', serverId));
  }

  /** Removes a container from a pool (it died or was reaped). */
  async removeFromPool(serverId: string, containerId: string): Promise<void> {
    await this.redis.client.srem(this.redis.key('pool', serverId), containerId);
  }

  /**
   * Takes a short lock (at most `ttlMs`) on a server's pool, so that one refill runs at a time; false when another
   * holds it. Release it with {@link ContainerOwnershipRepository.unlockPool}.
   */
  async lockPool(serverId: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.client.set(this.redis.key('pool-lock', serverId), '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Releases the pool lock. */
  async unlockPool(serverId: string): Promise<void> {
    await this.redis.client.del(this.redis.key('pool-lock', serverId));
  }

  /** Remembers a deleted server until its images are gone (the reaper retries what a teardown could not remove). */
  async markDeleted(serverId: string): Promise<void> {
    await this.redis.client.sadd(this.redis.key('deleted-servers'), serverId);
  }

  /** Deleted servers whose images may remain. */
  deletedServers(): Promise<string[]> {
    return this.redis.client.smembers(this.redis.key('deleted-servers'));
  }

  /** Forgets a deleted server once its images are gone. */
  async clearDeleted(serverId: string): Promise<void> {
    await this.redis.client.srem(this.redis.key('deleted-servers'), serverId);
  }

  /** Whether the container waits in that server's pool. */
  async isPooled(serverId: string, containerId: string): Promise<boolean> {
    return (await this.redis.client.sismember(this.redis.key('pool', serverId), containerId)) === 1;
  }
}
