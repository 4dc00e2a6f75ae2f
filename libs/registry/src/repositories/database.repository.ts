import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';

/** Database-wide operations: liveness, and waiting for the schema that another process migrates. */
@Injectable()
export class DatabaseRepository {
  private readonly logger = new Logger(DatabaseRepository.name);

  constructor(private readonly dataSource: DataSource) {}

  /** Resolves when the database answers a trivial query; rejects otherwise. */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  /**
   * Waits until no migration is pending (the api applies them at its boot).
   * @param timeoutMs how long to wait, in milliseconds.
   * @throws {Error} when migrations are still pending after `timeoutMs`.
   */
  async waitForSchema(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let warned = false;
    while (await this.dataSource.showMigrations()) {
      if (Date.now() > deadline) {
        throw new Error(`The database schema is not migrated after ${timeoutMs} ms: is the api running?`);
      }
      if (!warned) this.logger.log('Waiting for the api to migrate the database schema');
      warned = true;
      await sleep(250);
    }
  }
}
