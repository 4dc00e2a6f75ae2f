import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  CallToolResultSchema,
  type ClientCapabilities,
  CompleteRequestSchema,
  CompleteResultSchema,
  CreateMessageRequestSchema,
  CreateMessageResultSchema,
  ElicitRequestSchema,
  ElicitResultSchema,
  EmptyResultSchema,
  ErrorCode,
  GetPromptRequestSchema,
  GetPromptResultSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListRootsRequestSchema,
  ListRootsResultSchema,
  ListToolsRequestSchema,
  type LoggingLevel,
  LoggingMessageNotificationSchema,
  McpError,
  ReadResourceRequestSchema,
  ReadResourceResultSchema,
  type RequestId,
  ResourceUpdatedNotificationSchema,
  RootsListChangedNotificationSchema,
  type ServerNotification,
  type ServerRequest,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  type Tool,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '@nestjs/common';
import type { CatalogIndex, CatalogServer } from './catalog-index';
import { DISCOVERY_TOOLS, discoveryCall } from './discovery-tools';
import type {
  BackendChannel,
  BackendConnector,
  BuiltinTools,
  GatewayPrincipal,
  GatewayView,
  ToolCallRecord,
  ToolCallRecorder,
} from './gateway.types';
import type { GatewayMetrics } from './gateway.metrics';

/** Name and version the router announces, to clients and to backends. */
export const ROUTER_INFO = { name: 'mcp-router', version: '0.1.0' };

/** How long a relayed request may run; progress notifications push the deadline back. */
const BACKEND_REQUEST_TIMEOUT_MS = 10 * 60_000;
/** How long a backend gets to answer `initialize`. */
const BACKEND_CONNECT_TIMEOUT_MS = 60_000;
/** List page size: large enough that most clients list everything in one page. */
const PAGE_SIZE = 1000;
/** How long a remote backend gets to acknowledge the end of its HTTP session (`DELETE`). */
const BACKEND_SESSION_END_TIMEOUT_MS = 5000;

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** A backend: an SDK client connected to one server's process, serving one session (or all, when shared). */
export class LiveBackend {
  /** The last transport error (for example the container's exit reason). */
  lastError: string | undefined;
  closed = false;
  /** Front requests being served by this backend, newest last: server→client requests relate to the newest. */
  readonly inflight: { session: GatewaySession; requestId: RequestId }[] = [];

  constructor(
    readonly server: CatalogServer,
    readonly client: Client,
    readonly channel: BackendChannel,
  ) {}

  /** Why the backend failed, in words: the container's exit reason when known, else the transport error. */
  failureReason(fallback: string): string {
    return this.channel.exitReason?.() ?? this.lastError ?? fallback;
  }

  /**
   * Ends the backend's session on its side: a streamable-HTTP backend (a remote server) gets the `DELETE` the MCP
   * specification asks of a client done with a session, so it can free what it holds for it; waits at most 5 s.
   * Nothing to do for other transports (a container's session ends with its process). Never throws.
   */
  async endSession(): Promise<void> {
    const transport = this.channel.transport;
    if (!(transport instanceof StreamableHTTPClientTransport) || transport.sessionId === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      transport.terminateSession().catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, BACKEND_SESSION_END_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
  }
}

/** What a session needs from the gateway around it. */
export interface SessionContext {
  /** The index of the session's view (for discovery: of every server). */
  index(view: GatewayView): CatalogIndex;
  connector: BackendConnector;
  recorder: ToolCallRecorder;
  metrics: GatewayMetrics;
  builtins?: BuiltinTools;
  logger: Logger;
  /** The shared backend of an `isolation: shared` server, opened on first use. */
  sharedBackend(server: CatalogServer, open: () => Promise<LiveBackend>): Promise<LiveBackend>;
}

/** True when an error from a backend request means the backend itself failed (not a JSON-RPC error it answered). */
const BACKEND_FAILURE_CODES: number[] = [ErrorCode.ConnectionClosed, ErrorCode.RequestTimeout];

function isBackendFailure(error: unknown): boolean {
  return !(error instanceof McpError) || BACKEND_FAILURE_CODES.includes(error.code);
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function paginate<T>(items: T[], cursor: string | undefined): { page: T[]; nextCursor?: string } {
  let offset = 0;
  if (cursor !== undefined) {
    offset = Number.parseInt(Buffer.from(cursor, 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(offset) || offset < 0 || offset > items.length) {
      throw new McpError(ErrorCode.InvalidParams, 'Invalid cursor');
    }
  }
  const page = items.slice(offset, offset + PAGE_SIZE);
  const next = offset + PAGE_SIZE;
  return next < items.length ? { page, nextCursor: Buffer.from(String(next)).toString('base64url') } : { page };
}

/**
 * One client session of the gateway: an SDK `Server` speaking to the client, and the backends it opened — one per
 * server, at the session's first call to that server. Lists come from the catalog index (never a container);
 * calls, reads and prompts are relayed to the right backend; server→client requests and notifications are relayed
 * back; a failing backend answers with `isError: true` and is dropped, so the next call gets a fresh one.
 */
export class GatewaySession {
  readonly server: Server;
  private readonly backends = new Map<string, Promise<LiveBackend>>();
  private logLevel: LoggingLevel | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    readonly id: string,
    readonly view: GatewayView,
    readonly principal: GatewayPrincipal,
    private readonly ctx: SessionContext,
  ) {
    this.server = new Server(ROUTER_INFO, {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        completions: {},
        logging: {},
      },
      instructions:
        view.kind === 'discovery'
          ? 'Use search_tools to find a tool, describe_tool for its input schema, then call_tool to run it.'
          : undefined,
    });
    this.installHandlers();
  }

  /** Number of backends this session holds open (shared ones excluded). */
  get backendCount(): number {
    return this.backends.size;
  }

  /** The servers this session has a backend for, by id. */
  backendServerIds(): string[] {
    return [...this.backends.keys()];
  }

  /** Closes the backend of one server (server disabled, changed or deleted). */
  async closeBackend(serverId: string): Promise<void> {
    const pending = this.backends.get(serverId);
    if (!pending) return;
    this.backends.delete(serverId);
    const live = await pending.catch(() => undefined);
    if (live) await this.release(live);
  }

  /** Closes every backend and the client connection. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.backends.keys()].map((serverId) => this.closeBackend(serverId)));
      await this.ctx.builtins?.closeSession(this.id);
      await this.server.close();
    })();
    return this.closing;
  }

  /** Tells the client its tool, prompt and resource lists changed. Never throws. */
  async notifyListsChanged(): Promise<void> {
    try {
      await this.server.sendToolListChanged();
      await this.server.sendPromptListChanged();
      await this.server.sendResourceListChanged();
    } catch (error) {
      this.ctx.logger.debug({ sessionId: this.id, reason: (error as Error).message }, 'Could not notify list change');
    }
  }

  private index(): CatalogIndex {
    return this.ctx.index(this.view.kind === 'discovery' ? { kind: 'aggregate' } : this.view);
  }

  private builtinTools(): Tool[] {
    return this.view.kind === 'single' ? [] : (this.ctx.builtins?.list() ?? []);
  }

  private installHandlers(): void {
    const server = this.server;
    server.setRequestHandler(ListToolsRequestSchema, (request) => {
      const tools = this.view.kind === 'discovery' ? DISCOVERY_TOOLS : this.index().tools;
      const { page, nextCursor } = paginate([...tools, ...this.builtinTools()], request.params?.cursor);
      return { tools: page, nextCursor };
    });
    server.setRequestHandler(CallToolRequestSchema, (request, extra) => this.callTool(request.params, extra));
    server.setRequestHandler(ListResourcesRequestSchema, (request) => {
      const { page, nextCursor } = paginate(
        this.view.kind === 'discovery' ? [] : this.index().resources,
        request.params?.cursor,
      );
      return { resources: page, nextCursor };
    });
    server.setRequestHandler(ListResourceTemplatesRequestSchema, (request) => {
      const templates = this.view.kind === 'discovery' ? [] : this.index().resourceTemplates;
      const { page, nextCursor } = paginate(templates, request.params?.cursor);
      return { resourceTemplates: page, nextCursor };
    });
    server.setRequestHandler(ReadResourceRequestSchema, (request, extra) =>
      this.forward(this.resourceServer(request.params.uri), request, ReadResourceResultSchema, extra),
    );
    server.setRequestHandler(SubscribeRequestSchema, (request, extra) =>
      this.forward(this.resourceServer(request.params.uri), request, EmptyResultSchema, extra),
    );
    server.setRequestHandler(UnsubscribeRequestSchema, (request, extra) =>
      this.forward(this.resourceServer(request.params.uri), request, EmptyResultSchema, extra),
    );
    server.setRequestHandler(ListPromptsRequestSchema, (request) => {
      const { page, nextCursor } = paginate(
        this.view.kind === 'discovery' ? [] : this.index().prompts,
        request.params?.cursor,
      );
      return { prompts: page, nextCursor };
    });
    server.setRequestHandler(GetPromptRequestSchema, (request, extra) => {
      const route = this.view.kind === 'discovery' ? undefined : this.index().routePrompt(request.params.name);
      if (!route) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}`);
      return this.forward(
        route.server,
        { ...request, params: { ...request.params, name: route.name } },
        GetPromptResultSchema,
        extra,
      );
    });
    server.setRequestHandler(CompleteRequestSchema, (request, extra) => {
      const ref = request.params.ref;
      const index = this.index();
      if (ref.type === 'ref/prompt') {
        const route = index.routePrompt(ref.name);
        if (!route) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${ref.name}`);
        const params = { ...request.params, ref: { ...ref, name: route.name } };
        return this.forward(route.server, { ...request, params }, CompleteResultSchema, extra);
      }
      const owner = index.routeTemplate(ref.uri) ?? index.routeResource(ref.uri);
      if (!owner) throw new McpError(ErrorCode.InvalidParams, `Unknown resource template: ${ref.uri}`);
      return this.forward(owner, request, CompleteResultSchema, extra);
    });
    server.setRequestHandler(SetLevelRequestSchema, async (request) => {
      this.logLevel = request.params.level;
      for (const live of await this.liveBackends()) {
        if (live.client.getServerCapabilities()?.logging) {
          await live.client.setLoggingLevel(request.params.level).catch(() => undefined);
        }
      }
      return {};
    });
    server.setNotificationHandler(RootsListChangedNotificationSchema, async () => {
      for (const live of await this.liveBackends()) await live.client.sendRootsListChanged().catch(() => undefined);
    });
  }

  private async liveBackends(): Promise<LiveBackend[]> {
    const settled = await Promise.all([...this.backends.values()].map((pending) => pending.catch(() => undefined)));
    return settled.filter((live): live is LiveBackend => live !== undefined && !live.closed);
  }

  private resourceServer(uri: string): CatalogServer {
    const owner = this.view.kind === 'discovery' ? undefined : this.index().routeResource(uri);
    if (!owner) throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${uri}`);
    return owner;
  }

  private async callTool(
    params: { name: string; arguments?: Record<string, unknown> },
    extra: Extra,
  ): Promise<CallToolResult> {
    const args = params.arguments ?? {};
    const builtin = this.builtinTools().find((tool) => tool.name === params.name);
    if (builtin && this.ctx.builtins) return this.ctx.builtins.call(builtin.name, args, this.id, extra.signal);
    if (this.view.kind === 'discovery') {
      return discoveryCall(params.name, args, this.index(), (server, tool, toolArgs) =>
        this.callBackendTool(server, tool, toolArgs, extra),
      );
    }
    const route = this.index().routeTool(params.name);
    if (!route) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${params.name}`);
    return this.callBackendTool(route.server, route.name, args, extra);
  }

  private async callBackendTool(
    server: CatalogServer,
    tool: string,
    args: Record<string, unknown>,
    extra: Extra,
  ): Promise<CallToolResult> {
    const started = performance.now();
    const record = (outcome: ToolCallRecord['outcome']): void => {
      const durationMs = performance.now() - started;
      this.ctx.metrics.toolCalls.inc({ server: server.name, outcome });
      if (outcome !== 'ok') this.ctx.metrics.toolErrors.inc({ server: server.name });
      this.ctx.metrics.toolLatency.observe({ server: server.name }, durationMs / 1000);
      this.ctx.recorder.record({ principal: this.principal, server: server.name, tool, durationMs, outcome });
    };
    try {
      const result = await this.forward(
        server,
        { method: 'tools/call', params: { name: tool, arguments: args } },
        CallToolResultSchema,
        extra,
      );
      record(result.isError ? 'tool-error' : 'ok');
      return result;
    } catch (error) {
      if (error instanceof BackendFailure) {
        record('backend-error');
        return errorResult(error.message);
      }
      record('protocol-error');
      throw error;
    }
  }

  /**
   * Relays one request to a server's backend (opening it if needed) and returns its result. Progress is relayed to
   * the client under the client's own token, and the client's cancellation to the backend.
   * @throws {BackendFailure} when the backend cannot be started or dies; the backend is dropped so that the next
   *   call starts a fresh one. JSON-RPC errors the backend answers are rethrown as they are.
   */
  private async forward<
    T extends
      | typeof CallToolResultSchema
      | typeof ReadResourceResultSchema
      | typeof EmptyResultSchema
      | typeof GetPromptResultSchema
      | typeof CompleteResultSchema,
  >(
    server: CatalogServer,
    request: { method: string; params?: Record<string, unknown> },
    schema: T,
    extra: Extra,
  ): Promise<ReturnType<T['parse']>> {
    let live: LiveBackend;
    try {
      live = await this.backend(server);
    } catch (error) {
      throw new BackendFailure(`Server "${server.name}" could not be started: ${(error as Error).message}`);
    }
    const progressToken =
      (request.params?._meta as { progressToken?: string | number } | undefined)?.progressToken ??
      extra._meta?.progressToken;
    const params = { ...request.params };
    delete params._meta;
    const entry = { session: this, requestId: extra.requestId };
    live.inflight.push(entry);
    this.ctx.connector.touch(server, live.channel);
    try {
      return (await live.client.request({ method: request.method, params }, schema, {
        signal: extra.signal,
        timeout: BACKEND_REQUEST_TIMEOUT_MS,
        resetTimeoutOnProgress: true,
        onprogress:
          progressToken === undefined
            ? undefined
            : (progress) => {
                void extra
                  .sendNotification({ method: 'notifications/progress', params: { ...progress, progressToken } })
                  .catch(() => undefined);
              },
      })) as ReturnType<T['parse']>;
    } catch (error) {
      if (extra.signal.aborted || !isBackendFailure(error)) throw error;
      const reason = live.failureReason((error as Error).message);
      await this.dropBackend(server, live);
      throw new BackendFailure(`Server "${server.name}" failed: ${reason}`);
    } finally {
      live.inflight.splice(live.inflight.indexOf(entry), 1);
    }
  }

  private backend(server: CatalogServer): Promise<LiveBackend> {
    if (server.isolation === 'shared') return this.ctx.sharedBackend(server, () => openBackend(server, this, this.ctx));
    let pending = this.backends.get(server.id);
    if (!pending) {
      pending = openBackend(server, this, this.ctx);
      this.backends.set(server.id, pending);
      pending.catch(() => {
        if (this.backends.get(server.id) === pending) this.backends.delete(server.id);
      });
    }
    return pending;
  }

  private async dropBackend(server: CatalogServer, live: LiveBackend): Promise<void> {
    if (server.isolation !== 'shared') {
      const current = this.backends.get(server.id);
      if (current && (await current.catch(() => undefined)) === live) this.backends.delete(server.id);
    }
    await this.release(live);
  }

  private async release(live: LiveBackend): Promise<void> {
    if (!live.closed) {
      live.closed = true;
      this.ctx.metrics.liveBackends.dec({ server: live.server.name });
    }
    await live.endSession();
    await live.client.close().catch(() => undefined);
    await live.channel.release().catch((error: unknown) => {
      this.ctx.logger.warn(
        { server: live.server.name, reason: (error as Error).message },
        'Could not release a backend',
      );
    });
  }

  /** The log level the client asked for, to apply to backends opened later. */
  get requestedLogLevel(): LoggingLevel | undefined {
    return this.logLevel;
  }

  /** The client's capabilities, to mirror towards backends. */
  clientCapabilities(): ClientCapabilities {
    return this.server.getClientCapabilities() ?? {};
  }
}

/** A backend could not be started or died; its message names the server and the cause. */
export class BackendFailure extends Error {
  readonly code = 'BACKEND_FAILURE';
}

/**
 * Opens a backend for `server`: a channel from the connector, an SDK client that mirrors the front client's
 * capabilities (sampling, elicitation, roots) and relays the backend's requests and notifications to the session
 * whose call is in flight.
 */
export async function openBackend(
  server: CatalogServer,
  owner: GatewaySession,
  ctx: SessionContext,
): Promise<LiveBackend> {
  const channel = await ctx.connector.open(server, owner.id);
  const caps = owner.clientCapabilities();
  const capabilities: ClientCapabilities = {};
  if (caps.sampling) capabilities.sampling = caps.sampling;
  if (caps.elicitation) capabilities.elicitation = caps.elicitation;
  if (caps.roots) capabilities.roots = caps.roots;
  const client = new Client(ROUTER_INFO, { capabilities });
  const live = new LiveBackend(server, client, channel);
  // Server→client requests go to the session whose call is in flight (the owner when none is).
  const front = (): { session: GatewaySession; relatedRequestId?: RequestId } => {
    const latest = live.inflight.at(-1);
    return latest ? { session: latest.session, relatedRequestId: latest.requestId } : { session: owner };
  };
  if (capabilities.sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, (request, extra) => {
      const target = front();
      return target.session.server.request(request, CreateMessageResultSchema, {
        relatedRequestId: target.relatedRequestId,
        signal: extra.signal,
        timeout: BACKEND_REQUEST_TIMEOUT_MS,
      });
    });
  }
  if (capabilities.elicitation) {
    client.setRequestHandler(ElicitRequestSchema, (request, extra) => {
      const target = front();
      return target.session.server.request(request, ElicitResultSchema, {
        relatedRequestId: target.relatedRequestId,
        signal: extra.signal,
        timeout: BACKEND_REQUEST_TIMEOUT_MS,
      });
    });
  }
  if (capabilities.roots) {
    client.setRequestHandler(ListRootsRequestSchema, (request, extra) => {
      const target = front();
      return target.session.server.request(request, ListRootsResultSchema, {
        relatedRequestId: target.relatedRequestId,
        signal: extra.signal,
      });
    });
  }
  client.setNotificationHandler(LoggingMessageNotificationSchema, async (notification) => {
    const target = front();
    await target.session.server
      .notification(
        { ...notification, params: { ...notification.params, logger: notification.params.logger ?? server.name } },
        { relatedRequestId: target.relatedRequestId },
      )
      .catch(() => undefined);
  });
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, async (notification) => {
    await front()
      .session.server.notification(notification)
      .catch(() => undefined);
  });
  client.onerror = (error) => {
    live.lastError = error.message;
  };
  client.onclose = () => {
    live.lastError ??= 'the connection closed';
  };
  try {
    await client.connect(channel.transport, { timeout: BACKEND_CONNECT_TIMEOUT_MS });
  } catch (error) {
    await channel.release().catch(() => undefined);
    throw new Error(live.failureReason((error as Error).message), { cause: error });
  }
  ctx.metrics.liveBackends.inc({ server: server.name });
  const level = owner.requestedLogLevel;
  if (level && client.getServerCapabilities()?.logging) await client.setLoggingLevel(level).catch(() => undefined);
  return live;
}
