import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { AnalysisEntity } from '../entities/analysis.entity';

/** Storage of {@link AnalysisEntity}. */
@Injectable()
export class AnalysisRepository {
  constructor(@InjectRepository(AnalysisEntity) private readonly repo: Repository<AnalysisEntity>) {}

  /** Inserts a queued analysis of `url`. */
  create(url: string): Promise<AnalysisEntity> {
    return this.repo.save(
      this.repo.create({
        id: randomUUID(),
        url,
        state: 'queued',
        progress: { step: 'queued', percent: 0 },
        plan: null,
        error: null,
      }),
    );
  }

  /** One analysis, or null. */
  getById(id: string): Promise<AnalysisEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** Applies a partial change (state, progress, plan, error). */
  async patch(
    id: string,
    values: Partial<Pick<AnalysisEntity, 'state' | 'progress' | 'plan' | 'error'>>,
  ): Promise<void> {
    await this.repo.update({ id }, values as Parameters<Repository<AnalysisEntity>['update']>[1]);
  }
}
