import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mcp-router/config';
import { JobRepository } from './job.repository';
import { DEFAULT_JOB_OPTIONS, QueueName } from './queue.constants';
import { ContainerOwnershipRepository } from './container-ownership.repository';
import { EventsRepository } from './events.repository';
import { LogRepository } from './log.repository';
import { RedisRepository } from './redis.repository';

/**
 * BullMQ on `REDIS_URL` with the three queues registered, every key under `QUEUE_PREFIX`, and the central retry
 * policy. The api imports it to enqueue; the worker imports it and adds processors.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: { url: config.redisUrl, maxRetriesPerRequest: null },
        prefix: config.queuePrefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
  ],
  providers: [JobRepository, RedisRepository, EventsRepository, LogRepository, ContainerOwnershipRepository],
  exports: [JobRepository, RedisRepository, EventsRepository, LogRepository, ContainerOwnershipRepository, BullModule],
})
export class QueueModule {}
