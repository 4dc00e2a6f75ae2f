import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { BoundedEventStore } from './bounded-event-store';
import { checkHostAndOrigin } from './host-check';
import { GatewayService } from './gateway.service';
import type { GatewayPrincipal, GatewayView } from './gateway.types';

/** Turns an `Authorization` header into a principal: an active API key, or a valid admin JWT. */
export abstract class McpAuthenticator {
  /** The principal, or null when the header holds no valid credential. */
  abstract authenticate(authorization: string | undefined): Promise<GatewayPrincipal | null>;
}

/** Settings of the HTTP handler. */
export interface McpHttpOptions {
  /** The router's public URL: its host is allowed by the DNS-rebinding check. */
  publicUrl: string;
  /** Path of the legacy SSE transport's message endpoint. */
  messagesPath: string;
}

/** Injection token of {@link McpHttpOptions}. */
export const MCP_HTTP_OPTIONS = Symbol('MCP_HTTP_OPTIONS');

/** A request as Express hands it over, with its parsed JSON body. */
export type McpRequest = IncomingMessage & { body?: unknown; query?: Record<string, unknown> };

/**
 * The MCP endpoints over HTTP: streamable HTTP (`/mcp`, `/mcp/:server`; POST, GET, DELETE; stateful sessions with
 * `Mcp-Session-Id`) and the legacy HTTP+SSE transport (`/sse` + `/messages`). Every request is checked for
 * DNS rebinding (Host and Origin) and authenticated anew — a revoked key stops working at once — and a session
 * answers only the principal that opened it.
 */
@Injectable()
export class McpHttpHandler {
  private readonly logger = new Logger(McpHttpHandler.name);

  constructor(
    @Inject(MCP_HTTP_OPTIONS) private readonly options: McpHttpOptions,
    private readonly gateway: GatewayService,
    private readonly authenticator: McpAuthenticator,
  ) {}

  /** Handles a streamable-HTTP request for `view`. */
  async handleStreamable(req: McpRequest, res: ServerResponse, view: GatewayView): Promise<void> {
    const principal = await this.admit(req, res);
    if (!principal) return;
    const sessionId = header(req, 'mcp-session-id');
    if (sessionId) {
      const entry = this.gateway.get(sessionId);
      if (
        !entry ||
        !samePrincipal(entry.session.principal, principal) ||
        !(entry.transport instanceof StreamableHTTPServerTransport)
      ) {
        jsonRpcError(res, 404, -32001, 'Session not found');
        return;
      }
      this.gateway.touch(sessionId);
      await entry.transport.handleRequest(req, res, req.body);
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
      jsonRpcError(
        res,
        400,
        -32000,
        'Bad Request: no valid session id (Mcp-Session-Id); start with an initialize request',
      );
      return;
    }
    if (view.kind === 'single' && !this.gateway.hasServer(view.server)) {
      jsonRpcError(res, 404, -32002, `No enabled, installed server named "${view.server}"`);
      return;
    }
    const id = randomUUID();
    const session = this.gateway.createSession(id, view, principal);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      eventStore: new BoundedEventStore(),
      onsessioninitialized: () => {
        this.gateway.register(session, transport);
      },
      onsessionclosed: async (closedId) => {
        await this.gateway.closeSession(closedId);
      },
    });
    transport.onclose = () => {
      void this.gateway.closeSession(id);
    };
    await session.server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  }

  /** Opens a legacy SSE stream (`GET /sse`) for `view`. */
  async handleSseOpen(req: McpRequest, res: ServerResponse, view: GatewayView): Promise<void> {
    const principal = await this.admit(req, res);
    if (!principal) return;
    if (view.kind === 'single' && !this.gateway.hasServer(view.server)) {
      jsonRpcError(res, 404, -32002, `No enabled, installed server named "${view.server}"`);
      return;
    }
    const transport = new SSEServerTransport(this.options.messagesPath, res);
    const session = this.gateway.createSession(transport.sessionId, view, principal);
    transport.onclose = () => {
      void this.gateway.closeSession(transport.sessionId);
    };
    this.gateway.register(session, transport);
    await session.server.connect(transport);
    this.logger.debug({ sessionId: transport.sessionId }, 'SSE session opened');
  }

  /** Takes a client message for a legacy SSE session (`POST /messages?sessionId=…`). */
  async handleSseMessage(req: McpRequest, res: ServerResponse): Promise<void> {
    const principal = await this.admit(req, res);
    if (!principal) return;
    const sessionId = typeof req.query?.sessionId === 'string' ? req.query.sessionId : undefined;
    if (!sessionId) {
      jsonRpcError(res, 400, -32000, 'Bad Request: sessionId query parameter is required');
      return;
    }
    const entry = this.gateway.get(sessionId);
    if (
      !entry ||
      !samePrincipal(entry.session.principal, principal) ||
      !(entry.transport instanceof SSEServerTransport)
    ) {
      jsonRpcError(res, 404, -32001, 'Session not found');
      return;
    }
    this.gateway.touch(sessionId);
    await entry.transport.handlePostMessage(req, res, req.body);
  }

  /** DNS-rebinding check (403) and authentication (401 with `WWW-Authenticate: Bearer`). */
  private async admit(req: McpRequest, res: ServerResponse): Promise<GatewayPrincipal | null> {
    const refusal = checkHostAndOrigin(
      { host: header(req, 'host'), origin: header(req, 'origin') },
      this.options.publicUrl,
    );
    if (refusal) {
      jsonRpcError(res, 403, -32000, `Forbidden: ${refusal}`);
      return null;
    }
    const principal = await this.authenticator.authenticate(header(req, 'authorization'));
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="mcp-router", error="invalid_token"');
      jsonRpcError(res, 401, -32001, 'Unauthorized: send Authorization: Bearer <API key or admin token>');
      return null;
    }
    return principal;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function samePrincipal(a: GatewayPrincipal, b: GatewayPrincipal): boolean {
  return a.kind === b.kind && a.id === b.id;
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
