export * from './detached';
export * from './logger.module';
