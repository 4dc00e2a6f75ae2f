export * from './config.module';
export * from './config.schema';
export * from './config.types';
export * from './load-config';
export * from './secret-files';
