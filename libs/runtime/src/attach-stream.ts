import type { Duplex } from 'node:stream';
import { DockerStreamDemuxer } from './docker-stream-demuxer';
import type { LineSplitter } from './line-splitter';
import type { RuntimeLogger } from './runtime-logger';

/** Where {@link followAttachStream} sends what a container writes, and whom it tells when the stream is gone. */
export interface AttachStreamSinks {
  stdout: LineSplitter;
  stderr: LineSplitter;
  /** Called on `end`, `close` and `error` (it may be called more than once: make it idempotent). */
  onGone: () => void;
  logger: RuntimeLogger;
  /** Names the container in log lines (for example `container 0123456789ab`). */
  label: string;
}

/**
 * Follows a container's attach stream (multiplexed: the container has no TTY): stdout and stderr payloads go to
 * their line splitters, and the end of the stream, however it comes, to `onGone`. Listens from the first byte, so
 * nothing written before the caller is ready is lost.
 */
export function followAttachStream(stream: Duplex, sinks: AttachStreamSinks): void {
  const demuxer = new DockerStreamDemuxer(
    (kind, payload) => {
      (kind === 'stdout' ? sinks.stdout : sinks.stderr).push(payload);
    },
    (type) => {
      sinks.logger.warn(`${sinks.label}: attach stream is not multiplexed (type ${type})`);
    },
  );
  stream.on('data', (chunk: Buffer | string) => {
    demuxer.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  });
  stream.once('end', sinks.onGone);
  stream.once('close', sinks.onGone);
  stream.on('error', (error: Error) => {
    sinks.logger.debug(`${sinks.label}: attach stream error: ${error.message}`);
    sinks.onGone();
  });
}
