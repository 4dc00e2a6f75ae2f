import { type DynamicModule, Global, Module, type OnApplicationBootstrap, Inject } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, APP_SECRETS, type AppConfig, type AppSecrets } from '@mcp-router/config';
import { dataSourceOptions, REGISTRY_ENTITIES } from './data-source';
import { AnalysisRepository } from './repositories/analysis.repository';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { AuditRepository } from './repositories/audit.repository';
import { DatabaseRepository } from './repositories/database.repository';
import { ServerRepository } from './repositories/server.repository';
import { SecretCipher } from './secret-cipher';

/** Options of {@link RegistryModule.forRoot}. */
export interface RegistryModuleOptions {
  /**
   * `owner` applies pending migrations when it connects (the api); `client` waits for them (the worker), so that
   * two processes never race to create the schema.
   */
  role: 'owner' | 'client';
}

const REGISTRY_ROLE = Symbol('REGISTRY_ROLE');
const SCHEMA_WAIT_MS = 120_000;

/** The registry: TypeORM on SQLite (or PostgreSQL), its repositories and the secret cipher. */
@Global()
@Module({})
export class RegistryModule implements OnApplicationBootstrap {
  constructor(
    @Inject(REGISTRY_ROLE) private readonly role: RegistryModuleOptions['role'],
    private readonly database: DatabaseRepository,
  ) {}

  /** Builds the module for the given role. */
  static forRoot(options: RegistryModuleOptions): DynamicModule {
    const repositories = [ServerRepository, ApiKeyRepository, AnalysisRepository, AuditRepository, DatabaseRepository];
    return {
      module: RegistryModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => dataSourceOptions(config, options.role === 'owner'),
        }),
        TypeOrmModule.forFeature(REGISTRY_ENTITIES),
      ],
      providers: [
        ...repositories,
        { provide: REGISTRY_ROLE, useValue: options.role },
        {
          provide: SecretCipher,
          inject: [APP_SECRETS],
          useFactory: (secrets: AppSecrets) => new SecretCipher(secrets.secretsKey),
        },
      ],
      exports: [...repositories, SecretCipher],
    };
  }

  /** A `client` waits here until the owner has migrated the schema. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.role === 'client') await this.database.waitForSchema(SCHEMA_WAIT_MS);
  }
}
