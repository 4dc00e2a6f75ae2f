export * from './kernel-protocol';
export * from './sandbox-container-options';
export * from './sandbox-image.service';
export * from './sandbox-kernel';
export * from './sandbox-tools';
export * from './sandbox.errors';
export * from './sandbox.service';
