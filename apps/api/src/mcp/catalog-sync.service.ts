import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { runDetached } from '@mcp-router/common';
import { GatewayService } from '@mcp-router/gateway';
import { EventsRepository } from '@mcp-router/queue';

/**
 * Keeps the gateway's catalog in step with the registry across processes: a change made here refreshes at once
 * and is published; a change published by another process (an install finished by the worker, an edit on another
 * api replica) refreshes here too. Refreshes run one at a time; a burst of events collapses into one more refresh.
 */
@Injectable()
export class CatalogSyncService implements OnModuleInit {
  private readonly logger = new Logger(CatalogSyncService.name);
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly gateway: GatewayService,
    private readonly events: EventsRepository,
  ) {}

  /** Subscribes to the other processes' changes. */
  async onModuleInit(): Promise<void> {
    await this.events.subscribe((event) => {
      if (event.type === 'servers-changed') runDetached(this.logger, 'Refreshing the catalog', this.refresh());
    });
  }

  /** A server changed in this process: refresh now, and tell the others. */
  async changed(serverId: string): Promise<void> {
    await this.refresh();
    await this.events.publish({ type: 'servers-changed', serverId });
  }

  private takeAgain(): boolean {
    const again = this.again;
    this.again = false;
    return again;
  }

  /** Refreshes the gateway's catalog, coalescing concurrent requests. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        let pending = true;
        while (pending) {
          this.again = false;
          await this.gateway.refresh();
          pending = this.takeAgain();
        }
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
