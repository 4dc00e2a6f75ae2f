import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One audited event: an admin change, a key use, a tool call. Never holds arguments or secret values. */
@Entity('audit_events')
export class AuditEventEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Who: `admin`, `key:<id>`, or `system`. */
  @Column({ type: 'varchar', length: 64 })
  actor!: string;

  /** What, as `<noun>.<verb>`: `server.create`, `tool.call`, … */
  @Index()
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  /** The object acted on: a server id, a key id, `<server>/<tool>`. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  target!: string | null;

  /** Non-secret details (duration, outcome, names). */
  @Column({ type: 'simple-json', nullable: true })
  detail!: Record<string, unknown> | null;

  @Index()
  @CreateDateColumn()
  createdAt!: Date;
}
