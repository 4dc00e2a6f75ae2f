export * from './docker.repository';
