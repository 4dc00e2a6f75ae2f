import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, type Repository } from 'typeorm';
import { ApiKeyEntity } from '../entities/api-key.entity';

/** Storage of {@link ApiKeyEntity}. */
@Injectable()
export class ApiKeyRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly repo: Repository<ApiKeyEntity>) {}

  /** Inserts a key record (its hash and display prefix). */
  create(values: { name: string; hash: string; prefix: string }): Promise<ApiKeyEntity> {
    return this.repo.save(this.repo.create({ ...values, id: randomUUID(), lastUsedAt: null, revokedAt: null }));
  }

  /** Every key, newest first, revoked ones included. */
  getAll(): Promise<ApiKeyEntity[]> {
    return this.repo.find({ order: { createdAt: 'DESC' } });
  }

  /** One key, or null. */
  getById(id: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** The unrevoked key with this hash, or null. */
  getActiveByHash(hash: string): Promise<ApiKeyEntity | null> {
    return this.repo.findOneBy({ hash, revokedAt: IsNull() });
  }

  /** Marks a key revoked (now), unless it already is. */
  async revoke(id: string): Promise<void> {
    await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Records the time of the key's latest use. */
  async touch(id: string, when: Date): Promise<void> {
    await this.repo.update({ id }, { lastUsedAt: when });
  }
}
