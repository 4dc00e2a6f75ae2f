import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { CatalogServer } from './catalog-index';

/** Which tools a session sees: every server namespaced, one server alone, or the discovery tools. */
export type GatewayView = { kind: 'aggregate' } | { kind: 'discovery' } | { kind: 'single'; server: string };

/** Who opened a session: an API key (by id) or the admin (JWT). */
export interface GatewayPrincipal {
  kind: 'key' | 'admin';
  id: string;
}

/** A transport to one server's process for one session, and how to let it go. */
export interface BackendChannel {
  transport: Transport;
  /** Tears down what was started for this channel (the container); idempotent. */
  release(): Promise<void>;
  /** A short description of why the backend died, when known (exit code, OOMKilled), after the transport closed. */
  exitReason?(): string | undefined;
}

/**
 * Opens channels to servers: containers over the Docker attach stream, or remote URLs. Implemented by the api with
 * the runtime; the gateway never touches Docker.
 */
export abstract class BackendConnector {
  /**
   * Starts (or claims from the warm pool) what serves `server` for `sessionId` and returns a channel to it.
   * @throws {Error} with a message a user can act on when the server cannot be started.
   */
  abstract open(server: CatalogServer, sessionId: string): Promise<BackendChannel>;

  /** Marks activity on a channel (pushes back the container's idle teardown). */
  abstract touch(server: CatalogServer, channel: BackendChannel): void;
}

/** Supplies the servers the gateway fronts: enabled, installed, with their catalogs. */
export abstract class CatalogSource {
  /** Every enabled server with a catalog, by name. */
  abstract load(): Promise<CatalogServer[]>;
}

/** The outcome of a tool call, for the audit trail and the metrics (never its arguments). */
export interface ToolCallRecord {
  principal: GatewayPrincipal;
  server: string;
  tool: string;
  durationMs: number;
  outcome: 'ok' | 'tool-error' | 'backend-error' | 'protocol-error';
}

/** Records tool calls (audit events). */
export abstract class ToolCallRecorder {
  /** Records one call; must not throw nor block the call. */
  abstract record(call: ToolCallRecord): void;
}

/** A tool the gateway serves itself (the python sandbox), listed in every aggregate and discovery view. */
export abstract class BuiltinTools {
  /** The tools, with their schemas. */
  abstract list(): Tool[];
  /** Runs one; `sessionId` scopes its state. */
  abstract call(
    name: string,
    args: Record<string, unknown>,
    sessionId: string,
    signal: AbortSignal,
  ): Promise<CallToolResult>;
  /** Frees what a session held. */
  abstract closeSession(sessionId: string): Promise<void>;
}
