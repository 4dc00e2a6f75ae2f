import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { createLoggerModule } from '@mcp-router/common';
import { AnalyzerModule } from '@mcp-router/analyzer';
import { SandboxImageService } from '@mcp-router/sandbox';
import { APP_CONFIG, type AppConfig, ConfigModule, type ConfigModuleOptions } from '@mcp-router/config';
import { JobName, type JobProcessor, QueueModule } from '@mcp-router/queue';
import { RegistryModule } from '@mcp-router/registry';
import { AnalysisProcessor } from './processors/analysis.processor';
import { ContainersProcessor } from './processors/containers.processor';
import { ImagesProcessor } from './processors/images.processor';
import { ContainerLifecycleService } from './runtime/container-lifecycle.service';
import { InstallService } from './runtime/install.service';
import { WORKER_RUNTIME_PROVIDERS } from './runtime/worker-runtime.providers';

const PROCESSORS = [AnalysisProcessor, ContainersProcessor, ImagesProcessor];

/** The worker application: BullMQ processors over the shared libs. */
@Module({})
export class WorkerModule implements OnModuleInit {
  constructor(private readonly moduleRef: ModuleRef) {}

  /** Composes the worker from the libs. */
  static forRoot(options: ConfigModuleOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(options),
        createLoggerModule(),
        RegistryModule.forRoot({ role: 'client' }),
        QueueModule,
        AnalyzerModule.registerAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            githubApiUrl: config.github.apiUrl,
            githubToken: config.github.token,
            anthropicApiKey: config.anthropic.apiKey,
            anthropicModel: config.anthropic.model,
            anthropicBaseUrl: config.anthropic.baseUrl,
          }),
        }),
      ],
      providers: [
        ...WORKER_RUNTIME_PROVIDERS,
        SandboxImageService,
        ContainerLifecycleService,
        InstallService,
        ...PROCESSORS,
      ],
    };
  }

  /** Refuses to boot when a declared job has no handler in any processor. */
  onModuleInit(): void {
    const handled = new Set(PROCESSORS.flatMap((type) => this.moduleRef.get<JobProcessor>(type).handledJobs()));
    const missing = Object.values(JobName).filter((name) => !handled.has(name));
    if (missing.length) throw new Error(`No worker handler for job(s): ${missing.join(', ')}`);
  }
}
