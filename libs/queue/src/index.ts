export * from './job.repository';
export * from './queue.constants';
export * from './queue.module';
export * from './redis.repository';
export * from './job-processor';
export * from './events.repository';
export * from './log.repository';
export * from './container-ownership.repository';
