import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions } from 'typeorm';

/**
 * The first schema: servers, API keys, analyses, audit events. Written with TypeORM's portable Table API so that
 * it runs on SQLite and on PostgreSQL alike.
 */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  /** Creates the four tables and their indices. */
  async up(queryRunner: QueryRunner): Promise<void> {
    const driver = queryRunner.connection.driver;
    const naming = queryRunner.connection.namingStrategy;
    const unique = (table: string, column: string) => ({
      name: naming.uniqueConstraintName(table, [column]),
      columnNames: [column],
    });
    const dateType = driver.normalizeType({ type: Date });
    const boolType = driver.normalizeType({ type: Boolean });
    const intType = driver.normalizeType({ type: 'int' });
    // SQLite keeps booleans as 0/1; PostgreSQL has a real boolean.
    const trueDefault = driver.options.type === 'postgres' ? true : 1;
    const created: TableColumnOptions = {
      name: 'createdAt',
      type: String(driver.mappedDataTypes.createDate),
      default: driver.mappedDataTypes.createDateDefault,
    };
    const updated: TableColumnOptions = {
      name: 'updatedAt',
      type: String(driver.mappedDataTypes.updateDate),
      default: driver.mappedDataTypes.updateDateDefault,
    };
    const id: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
    const str = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      ...extra,
    });
    const text = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
      name,
      type: 'text',
      ...extra,
    });

    await queryRunner.createTable(
      new Table({
        name: 'mcp_servers',
        columns: [
          id,
          str('name', 32),
          str('displayName', 200),
          text('description', { default: "''" }),
          str('sourceUrl', 500, { isNullable: true }),
          str('runtime', 16),
          str('package', 300, { isNullable: true }),
          str('image', 300, { isNullable: true }),
          str('url', 2000, { isNullable: true }),
          { name: 'port', type: intType, isNullable: true },
          text('args'),
          str('transport', 20),
          text('env'),
          str('isolation', 10, { default: "'session'" }),
          str('network', 10, { default: "'none'" }),
          text('limits'),
          { name: 'warmPool', type: intType, default: 0 },
          { name: 'enabled', type: boolType, default: trueDefault },
          str('installStatus', 10, { default: "'none'" }),
          str('imageTag', 300, { isNullable: true }),
          { name: 'builtAt', type: dateType, isNullable: true },
          text('installError', { isNullable: true }),
          text('catalog', { isNullable: true }),
          created,
          updated,
        ],
        uniques: [unique('mcp_servers', 'name')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          id,
          str('name', 100),
          str('hash', 64),
          str('prefix', 16),
          created,
          { name: 'lastUsedAt', type: dateType, isNullable: true },
          { name: 'revokedAt', type: dateType, isNullable: true },
        ],
        uniques: [unique('api_keys', 'hash')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'analyses',
        columns: [
          id,
          str('url', 500),
          str('state', 10),
          text('progress'),
          text('plan', { isNullable: true }),
          text('error', { isNullable: true }),
          created,
          updated,
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          str('actor', 64),
          str('action', 64),
          str('target', 200, { isNullable: true }),
          text('detail', { isNullable: true }),
          created,
        ],
        indices: [{ columnNames: ['action'] }, { columnNames: ['createdAt'] }],
      }),
    );
  }

  /** Drops the four tables. */
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_events', 'analyses', 'api_keys', 'mcp_servers']) {
      await queryRunner.dropTable(table);
    }
  }
}
