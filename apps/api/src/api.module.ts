import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { createLoggerModule } from '@mcp-router/common';
import { APP_CONFIG, type AppConfig, ConfigModule, type ConfigModuleOptions } from '@mcp-router/config';
import { QueueModule } from '@mcp-router/queue';
import { RegistryModule } from '@mcp-router/registry';
import { DockerRepository } from '@mcp-router/runtime';
import { SandboxService } from '@mcp-router/sandbox';
import {
  BackendConnector,
  BuiltinTools,
  CatalogSource,
  GATEWAY_OPTIONS,
  GatewayMetrics,
  GatewayService,
  MCP_HTTP_OPTIONS,
  McpAuthenticator,
  McpHttpHandler,
  ToolCallRecorder,
} from '@mcp-router/gateway';
import { AnalysesController } from './analyses/analyses.controller';
import { AnalysisService } from './analyses/analysis.service';
import { AuthModule } from './auth/auth.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { ConnectController } from './connect/connect.controller';
import { ConnectService } from './connect/connect.service';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { JobsController } from './jobs/jobs.controller';
import { ApiKeyService } from './keys/api-key.service';
import { KeysController } from './keys/keys.controller';
import { ServerService } from './servers/server.service';
import { ServersController } from './servers/servers.controller';
import { ApiMcpAuthenticator } from './mcp/api-mcp.authenticator';
import { AuditToolCallRecorder } from './mcp/audit-tool-call.recorder';
import { CatalogSyncService } from './mcp/catalog-sync.service';
import { ContainerBackendConnector } from './mcp/container-backend.connector';
import { McpController } from './mcp/mcp.controller';
import { MetricsController } from './mcp/metrics.controller';
import { RegistryCatalogSource } from './mcp/registry-catalog.source';

/** Options of {@link ApiModule.forRoot}. */
export interface ApiModuleOptions extends ConfigModuleOptions {
  /** Folder of the built admin app; served at `/` when it exists. */
  adminDir?: string;
}

/** Where `npm run build` puts the admin app, relative to the built api (`dist/apps/api`). */
export const DEFAULT_ADMIN_DIR = join(__dirname, '..', 'admin', 'browser');

/** The api application: REST API under `/api`, the admin app at `/`. */
@Module({})
export class ApiModule {
  /** Composes the api from the libs. */
  static forRoot(options: ApiModuleOptions = {}): DynamicModule {
    const adminDir = options.adminDir ?? DEFAULT_ADMIN_DIR;
    const staticModules = existsSync(join(adminDir, 'index.html'))
      ? [
          ServeStaticModule.forRoot({
            rootPath: adminDir,
            exclude: ['/api/{*path}', '/mcp', '/mcp/{*path}', '/sse', '/messages', '/metrics'],
          }),
        ]
      : [];
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(options),
        createLoggerModule(),
        RegistryModule.forRoot({ role: 'owner' }),
        QueueModule,
        AuthModule,
        ...staticModules,
      ],
      controllers: [
        HealthController,
        ServersController,
        KeysController,
        JobsController,
        AnalysesController,
        McpController,
        MetricsController,
        ConnectController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        {
          provide: DockerRepository,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => new DockerRepository({ dockerHost: config.docker.host }),
        },
        HealthService,
        ServerService,
        ApiKeyService,
        AnalysisService,
        ConnectService,
        { provide: GatewayMetrics, useValue: new GatewayMetrics() },
        {
          provide: GATEWAY_OPTIONS,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({ sessionIdleTimeoutMs: config.sessionIdleTimeoutMs }),
        },
        {
          provide: MCP_HTTP_OPTIONS,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({ publicUrl: config.publicUrl, messagesPath: '/messages' }),
        },
        { provide: CatalogSource, useClass: RegistryCatalogSource },
        { provide: ToolCallRecorder, useClass: AuditToolCallRecorder },
        { provide: McpAuthenticator, useClass: ApiMcpAuthenticator },
        ContainerBackendConnector,
        { provide: BackendConnector, useExisting: ContainerBackendConnector },
        SandboxService,
        { provide: BuiltinTools, useExisting: SandboxService },
        GatewayService,
        McpHttpHandler,
        CatalogSyncService,
      ],
    };
  }
}
