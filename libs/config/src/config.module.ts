import { mkdirSync } from 'node:fs';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig, AppSecrets } from './config.types';
import { loadConfig } from './load-config';
import { resolveSecrets } from './secret-files';

/** Injection token of the validated {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');
/** Injection token of the resolved {@link AppSecrets}. */
export const APP_SECRETS = Symbol('APP_SECRETS');

/** Options of {@link ConfigModule.forRoot}; tests pass their own environment. */
export interface ConfigModuleOptions {
  /** The environment to read; defaults to the process environment. */
  env?: Record<string, string | undefined>;
}

/**
 * Reads and validates the configuration once, creates `DATA_DIR`, resolves the secrets, and provides both to the
 * whole application. The one place that reads `process.env`.
 * @throws {ConfigError} at boot, naming each bad setting.
 */
@Global()
@Module({})
export class ConfigModule {
  /** Builds the global module from `options.env` (default `process.env`). */
  static forRoot(options: ConfigModuleOptions = {}): DynamicModule {
    const { config, raw } = loadConfig(options.env ?? process.env);
    mkdirSync(config.dataDir, { recursive: true });
    const secrets = resolveSecrets(config.dataDir, raw);
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config satisfies AppConfig },
        { provide: APP_SECRETS, useValue: secrets satisfies AppSecrets },
      ],
      exports: [APP_CONFIG, APP_SECRETS],
    };
  }
}
