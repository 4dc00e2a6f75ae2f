import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AuditEventEntity } from '../entities/audit-event.entity';

/** An event to audit. `detail` must never hold tool arguments or secret values. */
export interface AuditRecord {
  actor: string;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown> | null;
}

/** Storage of {@link AuditEventEntity}. */
@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditEventEntity) private readonly repo: Repository<AuditEventEntity>) {}

  /** Appends one event. */
  async record(event: AuditRecord): Promise<void> {
    await this.repo.save(
      this.repo.create({
        actor: event.actor,
        action: event.action,
        target: event.target ?? null,
        detail: event.detail ?? null,
      }),
    );
  }

  /** Appends several events in one statement. */
  async recordMany(events: AuditRecord[]): Promise<void> {
    if (!events.length) return;
    await this.repo.insert(
      events.map((event) => ({
        actor: event.actor,
        action: event.action,
        target: event.target ?? null,
        detail: (event.detail ?? null) as never,
      })),
    );
  }

  /** The latest events, newest first, optionally of one action. */
  getRecent(limit: number, action?: string): Promise<AuditEventEntity[]> {
    return this.repo.find({ where: action ? { action } : {}, order: { id: 'DESC' }, take: limit });
  }
}
