import * as z from 'zod/mini';

import { SseParser } from './sse.parser';

/** The MCP protocol version this client asks for (the server may answer with an older one it supports). */
export const MCP_PROTOCOL_VERSION = '2025-11-25';

const jsonRpcId = z.union([z.string(), z.number()]);

const jsonRpcMessage = z.looseObject({
  jsonrpc: z.literal('2.0'),
  id: z.optional(z.nullable(jsonRpcId)),
  method: z.optional(z.string()),
  params: z.optional(z.unknown()),
  result: z.optional(z.unknown()),
  error: z.optional(z.looseObject({ code: z.number(), message: z.string(), data: z.optional(z.unknown()) })),
});

/** A JSON-RPC message as received (request, notification or response). */
export type JsonRpcMessage = z.infer<typeof jsonRpcMessage>;

const initializeResult = z.looseObject({
  protocolVersion: z.string(),
  capabilities: z.optional(z.unknown()),
  serverInfo: z.optional(z.looseObject({ name: z.string(), version: z.optional(z.string()) })),
  instructions: z.optional(z.string()),
});

/** What the server said about itself in `initialize`. */
export type InitializeResult = z.infer<typeof initializeResult>;

const toolsListResult = z.looseObject({
  tools: z.array(
    z.looseObject({
      name: z.string(),
      description: z.optional(z.string()),
      inputSchema: z.optional(z.unknown()),
    }),
  ),
  nextCursor: z.optional(z.string()),
});

/** A tool as `tools/list` describes it. */
export type ListedTool = z.infer<typeof toolsListResult>['tools'][number];

/** Why an MCP call failed: `http` (status), `rpc` (a JSON-RPC error), `protocol` (an unreadable answer). */
export type McpErrorCode = 'http' | 'unauthorized' | 'rpc' | 'protocol' | 'network';

/** A failed MCP exchange; `message` is written for the admin. */
export class McpError extends Error {
  override readonly name = 'McpError';

  /**
   * @param code - what kind of failure.
   * @param status - the HTTP status, when there was an answer.
   * @param rpcCode - the JSON-RPC error code, for `rpc` failures.
   */
  constructor(
    readonly code: McpErrorCode,
    message: string,
    readonly status?: number,
    readonly rpcCode?: number,
  ) {
    super(message);
  }
}

/** How to reach an MCP endpoint. */
export interface McpHttpClientOptions {
  /** The endpoint URL, e.g. `/mcp` or `/mcp/github`. */
  endpoint: string;
  /** The bearer token to send (the admin JWT), read for every request. */
  token: () => string | null;
  /** Called on a 401, before the call rejects. */
  onUnauthorized?: () => void;
  /** The fetch to use (tests pass their own); the global one by default. */
  fetch?: typeof fetch;
}

/** Options of one request. */
export interface McpRequestOptions {
  signal?: AbortSignal;
  /** Receives the server's notifications (progress, logging) while the request runs. */
  onNotification?: (message: JsonRpcMessage) => void;
}

function describeStatus(status: number, body: string, endpoint: string): string {
  let detail = '';
  try {
    const parsed: unknown = JSON.parse(body);
    const message = jsonRpcMessage.safeParse(parsed);
    if (message.success && message.data.error) detail = message.data.error.message;
    else if (typeof parsed === 'object' && parsed !== null && 'message' in parsed) {
      detail = String(parsed.message);
    }
  } catch {
    detail = body.length < 200 && !body.trimStart().startsWith('<') ? body.trim() : '';
  }
  const suffix = detail ? ` (${detail})` : '';
  if (status === 404) return `The MCP endpoint ${endpoint} does not exist or has no such session${suffix}.`;
  if (status === 429) return `Too many requests: wait a moment and try again${suffix}.`;
  if (status >= 500) return `The router failed to handle the MCP request (${status})${suffix}.`;
  return `The MCP endpoint answered ${status}${suffix}.`;
}

/**
 * A minimal MCP client over streamable HTTP, on `fetch`: `initialize` then `notifications/initialized`, requests
 * with the `Mcp-Session-Id` the server assigned, answers read as JSON or as an SSE stream (notifications handed to
 * the caller, server-to-client requests refused politely), and `DELETE` to end the session. Small on purpose: the
 * admin only lists and calls tools.
 */
export class McpHttpClient {
  private readonly fetchFn: typeof fetch;
  private sessionId: string | null = null;
  private protocolVersion: string | null = null;
  private nextId = 1;

  constructor(private readonly options: McpHttpClientOptions) {
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /**
   * Opens the session.
   * @throws {McpError} when the endpoint refuses or answers something unreadable.
   */
  async connect(signal?: AbortSignal): Promise<InitializeResult> {
    const raw = await this.request(
      'initialize',
      {
        protocolVersion: MCP_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'mcp-router-admin', version: '1.0.0' },
      },
      { signal },
    );
    const result = initializeResult.safeParse(raw);
    if (!result.success) throw new McpError('protocol', 'The MCP endpoint sent an unreadable initialize answer.');
    this.protocolVersion = result.data.protocolVersion;
    await this.notify('notifications/initialized', undefined, signal);
    return result.data;
  }

  /** Every tool of the endpoint, following `nextCursor` (at most 50 pages). */
  async listTools(signal?: AbortSignal): Promise<ListedTool[]> {
    const tools: ListedTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const raw = await this.request('tools/list', cursor ? { cursor } : {}, { signal });
      const result = toolsListResult.safeParse(raw);
      if (!result.success) throw new McpError('protocol', 'The MCP endpoint sent an unreadable tool list.');
      tools.push(...result.data.tools);
      cursor = result.data.nextCursor;
      if (!cursor) break;
    }
    return tools;
  }

  /**
   * Calls a tool; resolves to its raw result (a `CallToolResult`). If `signal` aborts, the server is told the
   * request was cancelled and the promise rejects with the abort reason.
   */
  async callTool(name: string, args: Record<string, unknown>, options: McpRequestOptions = {}): Promise<unknown> {
    const progressToken = `admin-${this.nextId}-${Date.now()}`;
    return this.request('tools/call', { name, arguments: args, _meta: { progressToken } }, options);
  }

  /** Ends the session (`DELETE`); best effort, since the router also drops idle sessions. */
  async close(): Promise<void> {
    if (!this.sessionId) return;
    try {
      await this.fetchFn(this.options.endpoint, { method: 'DELETE', headers: this.headers() });
    } catch {
      // The session expires on its own on the router; nothing the admin can act on.
      return;
    } finally {
      this.sessionId = null;
    }
  }

  /**
   * Sends a request and resolves to its `result`.
   * @throws {McpError} `rpc` with the server's message for a JSON-RPC error, `http`/`unauthorized`/`protocol`
   * otherwise; rejects with the abort reason when `signal` aborts.
   */
  async request(method: string, params: unknown, options: McpRequestOptions = {}): Promise<unknown> {
    const id = this.nextId++;
    const message = { jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) };
    const response = await this.post(message, options.signal);
    const onAbort = (): void => {
      // Best effort: the session is deleted right after, which stops the call on the router anyway.
      void this.notify('notifications/cancelled', { requestId: id, reason: 'Cancelled by the admin' }).catch(
        () => undefined,
      );
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const answer = await this.readAnswer(response, id, options);
      if (answer.error) {
        throw new McpError('rpc', answer.error.message || `Error ${answer.error.code}`, undefined, answer.error.code);
      }
      return answer.result;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Sends a notification. */
  async notify(method: string, params?: unknown, signal?: AbortSignal): Promise<void> {
    const response = await this.post({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) }, signal);
    await response.body?.cancel();
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = {
      Accept: 'application/json, text/event-stream',
      'Content-Type': 'application/json',
    };
    const token = this.options.token();
    if (token) headers['Authorization'] = `Bearer ${token}`;
    if (this.sessionId) headers['Mcp-Session-Id'] = this.sessionId;
    if (this.protocolVersion) headers['MCP-Protocol-Version'] = this.protocolVersion;
    return headers;
  }

  private async post(message: object, signal?: AbortSignal): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetchFn(this.options.endpoint, {
        method: 'POST',
        headers: this.headers(),
        body: JSON.stringify(message),
        signal,
      });
    } catch (error: unknown) {
      if (signal?.aborted) throw signal.reason;
      const reason = error instanceof Error ? error.message : String(error);
      throw new McpError('network', `Cannot reach the MCP endpoint ${this.options.endpoint} (${reason}).`);
    }
    const session = response.headers.get('Mcp-Session-Id');
    if (session) this.sessionId = session;
    if (response.status === 401) {
      await response.body?.cancel();
      this.options.onUnauthorized?.();
      throw new McpError('unauthorized', 'Your session has ended. Please log in again.', 401);
    }
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw new McpError('http', describeStatus(response.status, body, this.options.endpoint), response.status);
    }
    return response;
  }

  private async readAnswer(response: Response, id: number, options: McpRequestOptions): Promise<JsonRpcMessage> {
    const type = response.headers.get('Content-Type') ?? '';
    if (type.includes('text/event-stream')) return this.readStream(response, id, options);
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new McpError(
        'protocol',
        `The MCP endpoint answered with something that is not JSON (${type || 'no type'}).`,
      );
    }
    const answer = this.handleMessages(parsed, id, options);
    if (!answer) throw new McpError('protocol', 'The MCP endpoint did not answer the request.');
    return answer;
  }

  private async readStream(response: Response, id: number, options: McpRequestOptions): Promise<JsonRpcMessage> {
    if (!response.body) throw new McpError('protocol', 'The MCP endpoint sent an empty stream.');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        const events = done ? parser.flush() : parser.feed(value);
        for (const event of events) {
          if (event.event !== 'message' || !event.data.trim()) continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(event.data);
          } catch {
            throw new McpError('protocol', 'The MCP endpoint streamed a message that is not JSON.');
          }
          const answer = this.handleMessages(parsed, id, options);
          if (answer) return answer;
        }
        if (done) throw new McpError('protocol', 'The MCP stream ended before the answer arrived.');
      }
    } finally {
      // Stop reading once the answer is in; a stream that is already closed has nothing left to cancel.
      reader.cancel().catch(() => undefined);
    }
  }

  /** Dispatches one message or a batch; returns the response to `id` if among them. */
  private handleMessages(parsed: unknown, id: number, options: McpRequestOptions): JsonRpcMessage | null {
    const list = Array.isArray(parsed) ? parsed : [parsed];
    let answer: JsonRpcMessage | null = null;
    for (const item of list) {
      const result = jsonRpcMessage.safeParse(item);
      if (!result.success) throw new McpError('protocol', 'The MCP endpoint sent a message that is not JSON-RPC.');
      const message = result.data;
      if (message.method && message.id !== undefined && message.id !== null) {
        // A server-to-client request (sampling, elicitation, roots): the admin cannot answer those. Refusing is
        // best effort: if the refusal is lost, the server times its request out.
        void this.post(
          { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Not supported by the admin console' } },
          options.signal,
        )
          .then((response) => response.body?.cancel())
          .catch(() => undefined);
      } else if (message.method) {
        options.onNotification?.(message);
      } else if (message.id === id) {
        answer = message;
      }
    }
    return answer;
  }
}

/**
 * Opens a session on `endpoint`, runs `work` with the client, and always ends the session afterwards.
 * @throws whatever `connect` or `work` throws.
 */
export async function withMcpSession<T>(
  options: McpHttpClientOptions,
  work: (client: McpHttpClient) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const client = new McpHttpClient(options);
  try {
    await client.connect(signal);
    return await work(client);
  } finally {
    await client.close();
  }
}

/**
 * Finds a tool among those an endpoint lists: its exact name, else `<server>__<name>` (the gateway's namespaced
 * form), else the only tool whose name ends in `__<name>`.
 */
export function findTool(tools: readonly ListedTool[], name: string, server?: string): ListedTool | undefined {
  const exact = tools.find((tool) => tool.name === name);
  if (exact) return exact;
  if (server) {
    const namespaced = tools.find((tool) => tool.name === `${server}__${name}`);
    if (namespaced) return namespaced;
  }
  const suffixed = tools.filter((tool) => tool.name.endsWith(`__${name}`));
  return suffixed.length === 1 ? suffixed[0] : undefined;
}
