/** What to do with a line longer than the limit. */
export type LineOverflow = 'truncate' | 'drop';

/** Options of a {@link LineSplitter}. */
export interface LineSplitterOptions {
  /** The longest line kept, in bytes (default 10 MiB, the SDK's stdio buffer bound). */
  maxLineBytes?: number;
  /** `drop` skips the whole line (default), `truncate` keeps its first `maxLineBytes` bytes. */
  overflow?: LineOverflow;
  /** Called once per line that was too long, with its length so far in bytes. */
  onOverflow?: (bytes: number) => void;
}

/**
 * Turns a byte stream into UTF-8 lines (without `\n` or a trailing `\r`), whatever the chunk boundaries: a line
 * split over several chunks, or a multi-byte character split in two, comes out whole. Memory is bounded by
 * `maxLineBytes`.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private pendingBytes = 0;
  /** Inside an over-long line: its bytes are discarded up to the next newline. */
  private skipping = false;
  private readonly maxLineBytes: number;
  private readonly overflow: LineOverflow;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly options: LineSplitterOptions = {},
  ) {
    this.maxLineBytes = options.maxLineBytes ?? 10 * 1024 * 1024;
    this.overflow = options.overflow ?? 'drop';
  }

  /** Feeds a chunk; calls `onLine` for each line it completes. */
  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      this.append(chunk.subarray(start, end));
      if (newline === -1) return;
      this.endLine();
      start = newline + 1;
    }
  }

  /** Emits what is left as a last line (when it is not empty), e.g. when the stream ends without a newline. */
  flush(): void {
    if (this.pendingBytes > 0 || this.skipping) this.endLine();
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.skipping) {
      this.pendingBytes += bytes.length;
      return;
    }
    const room = this.maxLineBytes - this.pendingBytes;
    if (bytes.length <= room) {
      this.parts.push(bytes);
      this.pendingBytes += bytes.length;
      return;
    }
    if (room > 0) this.parts.push(bytes.subarray(0, room));
    this.pendingBytes += bytes.length;
    this.skipping = true;
  }

  private endLine(): void {
    const line = Buffer.concat(this.parts).toString('utf8').replace(/\r$/, '');
    const overflowed = this.skipping;
    const bytes = this.pendingBytes;
    this.parts = [];
    this.pendingBytes = 0;
    this.skipping = false;
    if (overflowed) {
      this.options.onOverflow?.(bytes);
      if (this.overflow === 'drop') return;
    }
    if (line.length > 0 || !overflowed) this.onLine(line);
  }
}
