import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { ConfigModuleOptions } from '@mcp-router/config';
import { WorkerModule } from './worker.module';

/**
 * Creates the worker (an application context, no HTTP), with shutdown hooks so that SIGTERM closes the BullMQ
 * workers gracefully: running jobs finish, no new ones start.
 */
export async function createWorkerApp(options: ConfigModuleOptions = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(options), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  return app;
}
