import 'reflect-metadata';
import { createWorkerApp } from './worker.factory';

createWorkerApp().catch((error: unknown) => {
  process.stderr.write(`Worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
