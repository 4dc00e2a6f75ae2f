import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { createLoggerModule } from '@mcp-router/common';
import { ConfigModule, type ConfigModuleOptions } from '@mcp-router/config';
import { JobName, type JobProcessor, QueueModule } from '@mcp-router/queue';
import { RegistryModule } from '@mcp-router/registry';
import { ContainersProcessor } from './processors/containers.processor';

const PROCESSORS = [ContainersProcessor];

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
      ],
      providers: PROCESSORS,
    };
  }

  /** Refuses to boot when a declared job has no handler in any processor. */
  onModuleInit(): void {
    const handled = new Set(PROCESSORS.flatMap((type) => this.moduleRef.get<JobProcessor>(type).handledJobs()));
    const missing = Object.values(JobName).filter((name) => !handled.has(name));
    if (missing.length) throw new Error(`No worker handler for job(s): ${missing.join(', ')}`);
  }
}
