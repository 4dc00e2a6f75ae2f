import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '@mcp-router/config';
import { dataSourceOptions } from './data-source';
import { McpServerEntity } from './entities/mcp-server.entity';

/** PostgreSQL is optional for the product; CI sets this to test it too (`postgres://…/db`). */
const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

async function withPostgresDatabase(run: (url: string) => Promise<void>): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: POSTGRES_URL });
  await admin.initialize();
  const name = `mcpr_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(POSTGRES_URL!);
    url.pathname = `/${name}`;
    await run(url.toString());
  } finally {
    await admin.query(`DROP DATABASE ${name}`);
    await admin.destroy();
  }
}

async function expectMigrationsMatchEntities(env: Record<string, string>): Promise<void> {
  const source = new DataSource(dataSourceOptions(loadConfig(env).config, true));
  await source.initialize();
  try {
    expect(await source.showMigrations()).toBe(false);
    // The schema the entities describe needs no change after the migrations: they agree.
    const pending = await source.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    const repo = source.getRepository(McpServerEntity);
    await repo.save(
      repo.create({
        id: '00000000-0000-4000-8000-000000000000',
        name: 'x',
        displayName: 'X',
        runtime: 'npx',
        package: 'p',
        args: ['a'],
        transport: 'stdio',
        env: [],
        limits: { memoryMb: 1, cpus: 1, pids: 1 },
        builtAt: new Date('2026-01-02T03:04:05Z'),
      }),
    );
    const loaded = await repo.findOneByOrFail({ name: 'x' });
    expect(loaded).toMatchObject({ enabled: true, isolation: 'session', network: 'none', warmPool: 0, args: ['a'] });
    expect(loaded.builtAt?.toISOString()).toBe('2026-01-02T03:04:05.000Z');
  } finally {
    await source.destroy();
  }
}

describe('dataSourceOptions', () => {
  it('migrates a fresh SQLite file (WAL) to exactly the schema the entities describe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpr-db-'));
    try {
      await expectMigrationsMatchEntities({ DATA_DIR: dir });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  (POSTGRES_URL ? it : it.skip)('migrates PostgreSQL (DATABASE_URL) the same way', async () => {
    await withPostgresDatabase((url) => expectMigrationsMatchEntities({ DATABASE_URL: url }));
  });
});
