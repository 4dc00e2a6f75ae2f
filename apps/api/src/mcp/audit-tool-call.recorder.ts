import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { runDetached } from '@mcp-router/common';
import { type ToolCallRecord, ToolCallRecorder } from '@mcp-router/gateway';
import { type AuditRecord, AuditRepository } from '@mcp-router/registry';

/** Buffered tool calls are written at least this often, in milliseconds. */
const FLUSH_EVERY_MS = 1000;
/** A buffer this long is written at once. */
const FLUSH_AT = 200;

/**
 * Records every tool call as an AuditEvent: who, which server and tool, how long, the outcome — never arguments.
 * Calls never wait for the audit trail: records are buffered and written together, at least once a second and on
 * shutdown.
 */
@Injectable()
export class AuditToolCallRecorder extends ToolCallRecorder implements OnApplicationShutdown {
  private readonly logger = new Logger(AuditToolCallRecorder.name);
  private buffer: AuditRecord[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly audit: AuditRepository) {
    super();
  }

  /** Buffers the event. */
  record(call: ToolCallRecord): void {
    this.buffer.push({
      actor: call.principal.kind === 'key' ? `key:${call.principal.id}` : 'admin',
      action: 'tool.call',
      target: `${call.server}/${call.tool}`,
      detail: {
        server: call.server,
        tool: call.tool,
        durationMs: Math.round(call.durationMs * 10) / 10,
        outcome: call.outcome,
      },
    });
    if (this.buffer.length >= FLUSH_AT) runDetached(this.logger, 'Writing audit events', this.flush());
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        runDetached(this.logger, 'Writing audit events', this.flush());
      }, FLUSH_EVERY_MS);
      this.timer.unref();
    }
  }

  /** Writes what is buffered. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    await this.audit.recordMany(batch);
  }

  /** Writes the rest before the process ends. */
  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
