/** Which output stream a piece of a multiplexed attach stream belongs to. */
export type OutputStream = 'stdout' | 'stderr';

const HEADER_BYTES = 8;

/**
 * Splits the multiplexed stream of a container attached without a TTY into stdout and stderr. Each frame is an
 * 8-byte header (stream type: 0 stdin, 1 stdout, 2 stderr; 3 bytes of padding; payload length, big-endian uint32)
 * and its payload. Headers and payloads may be split across chunks in any way; payload bytes are passed on as they
 * arrive, so a large frame is never buffered whole. A header with an unknown stream type means the stream is not
 * multiplexed after all (a TTY): from there on everything is passed through as stdout, and `onCorrupt` is told once.
 */
export class DockerStreamDemuxer {
  private header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  private current: OutputStream = 'stdout';
  private remaining = 0;
  private raw = false;

  constructor(
    private readonly onData: (stream: OutputStream, payload: Buffer) => void,
    private readonly onCorrupt?: (streamType: number) => void,
  ) {}

  /** Feeds the next chunk of the attach stream. */
  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.raw) {
        this.onData('stdout', chunk.subarray(offset));
        return;
      }
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - offset);
        this.onData(this.current, chunk.subarray(offset, offset + take));
        this.remaining -= take;
        offset += take;
        continue;
      }
      const take = Math.min(HEADER_BYTES - this.headerFill, chunk.length - offset);
      chunk.copy(this.header, this.headerFill, offset, offset + take);
      this.headerFill += take;
      offset += take;
      if (this.headerFill < HEADER_BYTES) return;
      this.headerFill = 0;
      const type = this.header.readUInt8(0);
      if (type > 2) {
        this.raw = true;
        this.onCorrupt?.(type);
        this.onData('stdout', Buffer.from(this.header));
        continue;
      }
      // Type 0 (stdin) is written on stdout by the engine.
      this.current = type === 2 ? 'stderr' : 'stdout';
      this.remaining = this.header.readUInt32BE(4);
    }
  }
}
