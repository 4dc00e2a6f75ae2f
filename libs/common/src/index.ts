export * from './detached';
export * from './logger.module';
export * from './remote-transport';
