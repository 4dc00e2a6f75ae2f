import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Where an analysis stands. */
export type AnalysisState = 'queued' | 'running' | 'done' | 'failed';

/** The progress of an analysis: the step it is at and a percentage (0–100). */
export interface AnalysisProgress {
  step: string;
  percent: number;
}

/** An analysis of a repository URL into an install-and-run plan. */
@Entity('analyses')
export class AnalysisEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 500 })
  url!: string;

  @Column({ type: 'varchar', length: 10 })
  state!: AnalysisState;

  @Column({ type: 'simple-json' })
  progress!: AnalysisProgress;

  /** The plan, as the analyzer produced it (JSON), once done. */
  @Column({ type: 'simple-json', nullable: true })
  plan!: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
