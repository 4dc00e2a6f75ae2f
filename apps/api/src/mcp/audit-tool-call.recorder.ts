import { Injectable, Logger } from '@nestjs/common';
import { runDetached } from '@mcp-router/common';
import { type ToolCallRecord, ToolCallRecorder } from '@mcp-router/gateway';
import { AuditRepository } from '@mcp-router/registry';

/** Records every tool call as an AuditEvent: who, which server and tool, how long, the outcome — never arguments. */
@Injectable()
export class AuditToolCallRecorder extends ToolCallRecorder {
  private readonly logger = new Logger(AuditToolCallRecorder.name);

  constructor(private readonly audit: AuditRepository) {
    super();
  }

  /** Writes the event in the background: the call never waits for the audit trail. */
  record(call: ToolCallRecord): void {
    runDetached(
      this.logger,
      'Recording a tool call',
      this.audit.record({
        actor: call.principal.kind === 'key' ? `key:${call.principal.id}` : 'admin',
        action: 'tool.call',
        target: `${call.server}/${call.tool}`,
        detail: {
          server: call.server,
          tool: call.tool,
          durationMs: Math.round(call.durationMs * 10) / 10,
          outcome: call.outcome,
        },
      }),
    );
  }
}
