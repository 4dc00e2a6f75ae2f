import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { QueryFailedError, type Repository } from 'typeorm';
import { McpServerEntity } from '../entities/mcp-server.entity';

/** Thrown when a server name is already taken. */
export class DuplicateServerNameError extends Error {
  readonly code = 'DUPLICATE_SERVER_NAME';

  /** @param serverName the name that is taken. */
  constructor(readonly serverName: string) {
    super(`A server named "${serverName}" already exists`);
    this.name = 'DuplicateServerNameError';
  }
}

/** Storage of {@link McpServerEntity}: the only code that queries the servers table. */
@Injectable()
export class ServerRepository {
  constructor(@InjectRepository(McpServerEntity) private readonly repo: Repository<McpServerEntity>) {}

  /** Every server, by name. */
  getAll(): Promise<McpServerEntity[]> {
    return this.repo.find({ order: { name: 'ASC' } });
  }

  /** One server, or null. */
  getById(id: string): Promise<McpServerEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** One server by its name, or null. */
  getByName(name: string): Promise<McpServerEntity | null> {
    return this.repo.findOneBy({ name });
  }

  /**
   * Inserts a server with a new id.
   * @throws {DuplicateServerNameError} when the name is taken.
   */
  async create(values: Omit<McpServerEntity, 'id' | 'createdAt' | 'updatedAt'>): Promise<McpServerEntity> {
    const entity = this.repo.create({ ...values, id: randomUUID() });
    return this.saveUnique(entity);
  }

  /**
   * Saves changes to an existing server.
   * @throws {DuplicateServerNameError} when a rename hits a taken name.
   */
  update(entity: McpServerEntity): Promise<McpServerEntity> {
    return this.saveUnique(entity);
  }

  /** Applies a partial change to columns without loading the entity (install state, catalog). */
  async patch(id: string, values: Partial<Omit<McpServerEntity, 'id' | 'createdAt'>>): Promise<void> {
    await this.repo.update({ id }, values as Parameters<Repository<McpServerEntity>['update']>[1]);
  }

  /** Deletes a server; true when it existed. */
  async delete(id: string): Promise<boolean> {
    const result = await this.repo.delete({ id });
    return (result.affected ?? 0) > 0;
  }

  private async saveUnique(entity: McpServerEntity): Promise<McpServerEntity> {
    try {
      return await this.repo.save(entity);
    } catch (error) {
      if (error instanceof QueryFailedError && /unique|duplicate/i.test(error.message)) {
        throw new DuplicateServerNameError(entity.name);
      }
      throw error;
    }
  }
}
