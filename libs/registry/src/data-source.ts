import type { AppConfig } from '@mcp-router/config';
import type { DataSourceOptions } from 'typeorm';
import { AnalysisEntity } from './entities/analysis.entity';
import { ApiKeyEntity } from './entities/api-key.entity';
import { AuditEventEntity } from './entities/audit-event.entity';
import { McpServerEntity } from './entities/mcp-server.entity';
import { InitialSchema1763800000000 } from './migrations/1763800000000-initial-schema';

/** Every entity of the registry. */
export const REGISTRY_ENTITIES = [McpServerEntity, ApiKeyEntity, AnalysisEntity, AuditEventEntity];
/** Every migration, oldest first. */
export const REGISTRY_MIGRATIONS = [InitialSchema1763800000000];

/**
 * TypeORM options for the configured database: SQLite in `DATA_DIR` (WAL mode and a busy timeout, so that the api
 * and the worker never see `SQLITE_BUSY`), or PostgreSQL when `DATABASE_URL` is set. Never `synchronize`.
 * @param runMigrations whether opening the connection applies pending migrations (the api does; the worker waits).
 */
export function dataSourceOptions(config: AppConfig, runMigrations: boolean): DataSourceOptions {
  const common = {
    entities: REGISTRY_ENTITIES,
    migrations: REGISTRY_MIGRATIONS,
    migrationsRun: runMigrations,
    migrationsTransactionMode: 'all' as const,
    synchronize: false,
    logging: false,
  };
  if (config.database.type === 'postgres') {
    return { ...common, type: 'postgres', url: config.database.url };
  }
  return { ...common, type: 'sqlite', database: config.database.path, enableWAL: true, busyTimeout: 10_000 };
}
