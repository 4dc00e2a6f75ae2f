import type { Writable } from 'node:stream';

/** Where the proxy reports what it does. stdout carries the MCP stream, so diagnostics never go there. */
export interface ProxyLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Writes one line per event to a stream (stderr by default): `<ISO time> stdio-proxy <level>: <message>`.
 * MCP clients such as Claude Desktop keep a server's stderr in their log files.
 */
export class StderrLogger implements ProxyLogger {
  /** @param stream where the lines go; defaults to `process.stderr`. */
  constructor(private readonly stream: Writable = process.stderr) {}

  /** Logs normal progress (session opened, re-established, closed). */
  info(message: string): void {
    this.write('info', message);
  }

  /** Logs a problem the proxy works around. */
  warn(message: string): void {
    this.write('warn', message);
  }

  /** Logs a failure a client will notice. */
  error(message: string): void {
    this.write('error', message);
  }

  private write(level: string, message: string): void {
    this.stream.write(`${new Date().toISOString()} stdio-proxy ${level}: ${message}\n`);
  }
}
