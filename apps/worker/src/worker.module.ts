import { type DynamicModule, Module } from '@nestjs/common';
import { createLoggerModule } from '@mcp-router/common';
import { ConfigModule, type ConfigModuleOptions } from '@mcp-router/config';
import { QueueModule } from '@mcp-router/queue';
import { RegistryModule } from '@mcp-router/registry';
import { ContainersProcessor } from './processors/containers.processor';

/** The worker application: BullMQ processors over the shared libs. */
@Module({})
export class WorkerModule {
  /** Composes the worker from the libs. */
  static forRoot(options: ConfigModuleOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(options), createLoggerModule(), RegistryModule.forRoot({ role: 'client' }), QueueModule],
      providers: [ContainersProcessor],
    };
  }
}
