import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { APP_CONFIG, type AppConfig } from '@mcp-router/config';

/** Events the api and the worker tell each other about, over Redis pub/sub. */
const routerEventSchema = z.discriminatedUnion('type', [
  /** A server was added, changed, enabled, disabled, installed or removed: reload the catalog. */
  z.object({ type: z.literal('servers-changed'), serverId: z.string().max(64).optional() }),
  /** An API key was revoked: forget any cached verification of it at once. */
  z.object({ type: z.literal('key-revoked'), keyId: z.string().max(64) }),
]);

/** An event on the router's channel. */
export type RouterEvent = z.infer<typeof routerEventSchema>;

/**
 * Publishes and receives {@link RouterEvent}s on `<QUEUE_PREFIX>:events`, so that every api replica hears about a
 * change made by another process (an install finished by the worker, an edit on another replica).
 */
@Injectable()
export class EventsRepository implements OnApplicationShutdown {
  private readonly logger = new Logger(EventsRepository.name);
  private readonly channel: string;
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.channel = `${config.queuePrefix}:events`;
  }

  /** Publishes an event to every process. */
  async publish(event: RouterEvent): Promise<void> {
    this.publisher ??= new Redis(this.config.redisUrl, { maxRetriesPerRequest: 2 });
    await this.publisher.publish(this.channel, JSON.stringify(event));
  }

  /** Calls `handler` for every well-formed event; malformed messages are logged and skipped. */
  async subscribe(handler: (event: RouterEvent) => void): Promise<void> {
    this.subscriber ??= new Redis(this.config.redisUrl);
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      let parsed: z.ZodSafeParseResult<RouterEvent>;
      try {
        parsed = routerEventSchema.safeParse(JSON.parse(message));
      } catch {
        parsed = routerEventSchema.safeParse(undefined);
      }
      if (parsed.success) handler(parsed.data);
      else this.logger.warn({ channel }, 'Ignored a malformed event');
    });
    await this.subscriber.subscribe(this.channel);
  }

  /** Closes both connections. */
  async onApplicationShutdown(): Promise<void> {
    for (const client of [this.publisher, this.subscriber]) {
      if (client && client.status !== 'end') client.disconnect();
    }
    await Promise.resolve();
  }
}
