import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { McpServer, ResourceTemplate, type ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  type EventId,
  type EventStore,
  type StreamId,
  StreamableHTTPServerTransport,
} from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  type CallToolResult,
  CreateMessageResultSchema,
  ElicitResultSchema,
  type ElicitRequestFormParams,
  isInitializeRequest,
  type JSONRPCMessage,
  ListToolsRequestSchema,
  SubscribeRequestSchema,
  type Tool,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/** A running conformance fixture server. */
export interface ConformanceFixture {
  /** Its streamable-HTTP endpoint, `http://127.0.0.1:<port>/mcp`. */
  url: string;
  /** Number of sessions open now. */
  sessionCount(): number;
  /** Closes every session and the HTTP server. */
  close(): Promise<void>;
}

/** A 1×1 red PNG. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
/** A WAV file with one silent 16-bit sample. */
const WAV_BASE64 = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQIAAAAAAA==';
/** The input schema the `json-schema-2020-12` scenario expects to find unchanged in `tools/list`. */
const JSON_SCHEMA_2020_12: Tool['inputSchema'] = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } },
  },
  properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
  additionalProperties: false,
};
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Completion candidates for prompt arguments and template variables. */
const WORDS = ['paris', 'park', 'party', 'test', 'testing', 'tested'];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });

/** Keeps every event of every stream in memory, so a client can resume a stream with `Last-Event-ID`. */
class MemoryEventStore implements EventStore {
  private readonly events = new Map<EventId, { streamId: StreamId; message: JSONRPCMessage }>();
  private sequence = 0;

  storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const eventId = `${streamId}_${String(++this.sequence).padStart(8, '0')}`;
    this.events.set(eventId, { streamId, message });
    return Promise.resolve(eventId);
  }

  getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    return Promise.resolve(this.events.get(eventId)?.streamId);
  }

  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const streamId = this.events.get(lastEventId)?.streamId ?? '';
    for (const [eventId, event] of this.events) {
      // Priming events carry no message (`{}`): nothing to replay.
      if (event.streamId === streamId && eventId > lastEventId && 'jsonrpc' in event.message) {
        await send(eventId, event.message);
      }
    }
    return streamId;
  }
}

/**
 * Builds the MCP server of one session: every tool, resource, template, prompt and completion the official
 * conformance suite (`@modelcontextprotocol/conformance server`) checks, under the names it expects, plus `echo`.
 */
function createFixtureServer(): McpServer {
  const mcp = new McpServer(
    { name: 'conformance-fixture', version: '1.0.0' },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        completions: {},
        logging: {},
      },
    },
  );
  // tools/list is answered from this listing: the SDK would rewrite a raw JSON Schema 2020-12 into draft-07.
  const listing: Tool[] = [];
  const tool = <Shape extends z.ZodRawShape>(
    name: string,
    description: string,
    inputSchema: Shape,
    callback: ToolCallback<Shape>,
    listedSchema?: Tool['inputSchema'],
  ): void => {
    mcp.registerTool(name, { description, inputSchema }, callback);
    listing.push({
      name,
      description,
      inputSchema: listedSchema ?? (z.toJSONSchema(z.object(inputSchema), { io: 'input' }) as Tool['inputSchema']),
    });
  };
  const elicit = async (
    params: ElicitRequestFormParams,
    sendRequest: Parameters<ToolCallback<z.ZodRawShape>>[1]['sendRequest'],
  ): Promise<CallToolResult> => {
    if (!mcp.server.getClientCapabilities()?.elicitation) {
      return { ...text('The client does not support elicitation'), isError: true };
    }
    const result = await sendRequest({ method: 'elicitation/create', params }, ElicitResultSchema);
    return text(`Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
  };

  tool('echo', 'Echoes the message back', { message: z.string().describe('Text to echo') }, ({ message }) =>
    text(`Echo: ${message}`),
  );
  tool('test_simple_text', 'Returns simple text content', {}, () =>
    text('This is a simple text response for testing.'),
  );
  tool('test_image_content', 'Returns image content', {}, () => ({
    content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }],
  }));
  tool('test_audio_content', 'Returns audio content', {}, () => ({
    content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }],
  }));
  tool('test_embedded_resource', 'Returns an embedded resource', {}, () => ({
    content: [
      {
        type: 'resource',
        resource: {
          uri: 'test://embedded-resource',
          mimeType: 'text/plain',
          text: 'This is an embedded resource content.',
        },
      },
    ],
  }));
  tool('test_multiple_content_types', 'Returns text, image and resource content', {}, () => ({
    content: [
      { type: 'text', text: 'Multiple content types test:' },
      { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
      {
        type: 'resource',
        resource: {
          uri: 'test://mixed-content-resource',
          mimeType: 'application/json',
          text: JSON.stringify({ test: 'data', value: 123 }),
        },
      },
    ],
  }));
  tool('test_tool_with_logging', 'Sends three log messages while it runs', {}, async (_args, extra) => {
    const messages = ['Tool execution started', 'Tool processing data', 'Tool execution completed'];
    for (const [index, data] of messages.entries()) {
      if (index > 0) await sleep(50);
      await extra.sendNotification({
        method: 'notifications/message',
        params: { level: 'info', logger: 'conformance-fixture', data },
      });
    }
    return text('Tool with logging executed successfully');
  });
  tool('test_tool_with_progress', 'Reports progress 0, 50, 100 of 100', {}, async (_args, extra) => {
    const progressToken = extra._meta?.progressToken;
    for (const progress of [0, 50, 100]) {
      if (progress > 0) await sleep(50);
      if (progressToken !== undefined) {
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken, progress, total: 100, message: `Completed ${progress} of 100` },
        });
      }
    }
    return text(`Progress reported under token ${String(progressToken)}`);
  });
  tool('test_error_handling', 'Always fails', {}, () => {
    throw new Error('This tool intentionally returns an error for testing');
  });
  tool(
    'test_sampling',
    'Asks the client for an LLM completion',
    { prompt: z.string().describe('The prompt to send to the LLM') },
    async ({ prompt }, extra) => {
      if (!mcp.server.getClientCapabilities()?.sampling) {
        return { ...text('The client does not support sampling'), isError: true };
      }
      const result = await extra.sendRequest(
        {
          method: 'sampling/createMessage',
          params: { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 },
        },
        CreateMessageResultSchema,
      );
      return text(`LLM response: ${result.content.type === 'text' ? result.content.text : result.content.type}`);
    },
  );
  tool(
    'test_elicitation',
    'Asks the user for a username and an email address',
    { message: z.string().describe('The message to show the user') },
    ({ message }, extra) =>
      elicit(
        {
          message,
          requestedSchema: {
            type: 'object',
            properties: {
              username: { type: 'string', description: "User's response" },
              email: { type: 'string', description: "User's email address" },
            },
            required: ['username', 'email'],
          },
        },
        extra.sendRequest,
      ),
  );
  tool(
    'test_elicitation_sep1034_defaults',
    'Elicits primitives that have default values (SEP-1034)',
    {},
    (_args, extra) =>
      elicit(
        {
          message: 'Please review and update the form fields with defaults',
          requestedSchema: {
            type: 'object',
            properties: {
              name: { type: 'string', description: 'User name', default: 'John Doe' },
              age: { type: 'integer', description: 'User age', default: 30 },
              score: { type: 'number', description: 'User score', default: 95.5 },
              status: {
                type: 'string',
                description: 'User status',
                enum: ['active', 'inactive', 'pending'],
                default: 'active',
              },
              verified: { type: 'boolean', description: 'Verification status', default: true },
            },
          },
        },
        extra.sendRequest,
      ),
  );
  tool('test_elicitation_sep1330_enums', 'Elicits the five enum variants (SEP-1330)', {}, (_args, extra) =>
    elicit(
      {
        message: 'Please select options from the enum fields',
        requestedSchema: {
          type: 'object',
          properties: {
            untitledSingle: { type: 'string', description: 'Select one', enum: ['option1', 'option2', 'option3'] },
            titledSingle: {
              type: 'string',
              description: 'Select one, with titles',
              oneOf: [
                { const: 'value1', title: 'First Option' },
                { const: 'value2', title: 'Second Option' },
                { const: 'value3', title: 'Third Option' },
              ],
            },
            legacyEnum: {
              type: 'string',
              description: 'Select one (legacy titles)',
              enum: ['opt1', 'opt2', 'opt3'],
              enumNames: ['Option One', 'Option Two', 'Option Three'],
            },
            untitledMulti: {
              type: 'array',
              description: 'Select several',
              minItems: 1,
              maxItems: 3,
              items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
            },
            titledMulti: {
              type: 'array',
              description: 'Select several, with titles',
              minItems: 1,
              maxItems: 3,
              items: {
                anyOf: [
                  { const: 'value1', title: 'First Choice' },
                  { const: 'value2', title: 'Second Choice' },
                  { const: 'value3', title: 'Third Choice' },
                ],
              },
            },
          },
        },
      },
      extra.sendRequest,
    ),
  );
  tool(
    'json_schema_2020_12_tool',
    'Tool with JSON Schema 2020-12 features',
    {
      name: z.string().optional(),
      address: z.object({ street: z.string().optional(), city: z.string().optional() }).optional(),
    },
    (args) => text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`),
    JSON_SCHEMA_2020_12,
  );
  tool(
    'test_reconnection',
    'Closes its SSE stream mid-call; the result arrives after the client reconnects (SEP-1699)',
    {},
    async (_args, extra) => {
      // The SDK offers closeSSEStream only to clients that can resume (protocol 2025-11-25 and later).
      extra.closeSSEStream?.();
      await sleep(100);
      return text('Reconnection test completed successfully.');
    },
  );
  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listing }));

  mcp.registerResource(
    'static-text',
    'test://static-text',
    { title: 'Static text', description: 'A static text resource', mimeType: 'text/plain' },
    (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }],
    }),
  );
  mcp.registerResource(
    'static-binary',
    'test://static-binary',
    { title: 'Static binary', description: 'A static binary resource (a PNG image)', mimeType: 'image/png' },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: PNG_BASE64 }] }),
  );
  mcp.registerResource(
    'watched-resource',
    'test://watched-resource',
    { title: 'Watched resource', description: 'A resource clients subscribe to', mimeType: 'text/plain' },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content' }] }),
  );
  mcp.registerResource(
    'template',
    new ResourceTemplate('test://template/{id}/data', {
      list: undefined,
      complete: { id: (value) => ['1', '2', '3', '123'].filter((id) => id.startsWith(value)) },
    }),
    { title: 'Template', description: 'Substitutes {id}', mimeType: 'application/json' },
    (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${String(id)}` }),
        },
      ],
    }),
  );
  const subscriptions = new Set<string>();
  mcp.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    subscriptions.add(request.params.uri);
    return {};
  });
  mcp.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscriptions.delete(request.params.uri);
    return {};
  });

  mcp.registerPrompt('test_simple_prompt', { description: 'A prompt without arguments' }, () => ({
    messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }],
  }));
  const word = (description: string) =>
    completable(z.string().describe(description), (value) => WORDS.filter((candidate) => candidate.startsWith(value)));
  mcp.registerPrompt(
    'test_prompt_with_arguments',
    {
      description: 'A prompt with two required arguments',
      argsSchema: { arg1: word('First test argument'), arg2: word('Second test argument') },
    },
    ({ arg1, arg2 }) => ({
      messages: [
        { role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } },
      ],
    }),
  );
  mcp.registerPrompt(
    'test_prompt_with_embedded_resource',
    {
      description: 'A prompt that embeds a resource',
      argsSchema: { resourceUri: z.string().describe('URI of the resource to embed') },
    },
    ({ resourceUri }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
          },
        },
        { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
      ],
    }),
  );
  mcp.registerPrompt('test_prompt_with_image', { description: 'A prompt with an image' }, () => ({
    messages: [
      { role: 'user', content: { type: 'image', data: PNG_BASE64, mimeType: 'image/png' } },
      { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
    ],
  }));
  return mcp;
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/** True when a Host or Origin header names this machine (`localhost`, `127.0.0.1`, `[::1]`, any port). */
function isLocal(value: string, withScheme: boolean): boolean {
  try {
    return LOCAL_HOSTS.has(new URL(withScheme ? value : `http://${value}`).hostname);
  } catch {
    return false;
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

/**
 * Starts the fixture on 127.0.0.1 (an ephemeral port unless `port` is given): a stateful streamable-HTTP MCP server
 * at `/mcp` — one `McpServer` per session, sessions resumable (an in-memory event store), DELETE ends a session —
 * that refuses requests whose Host or Origin is not this machine (403), as the DNS-rebinding scenario requires.
 */
export async function startConformanceFixture(port = 0): Promise<ConformanceFixture> {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; mcp: McpServer }>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp') {
      jsonRpcError(res, 404, -32601, 'Not found: the MCP endpoint is /mcp');
      return;
    }
    const { host, origin } = req.headers;
    if (!host || !isLocal(host, false) || (origin !== undefined && !isLocal(origin, true))) {
      jsonRpcError(res, 403, -32000, 'Forbidden: Host and Origin must be localhost');
      return;
    }
    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = await readJson(req);
      } catch {
        jsonRpcError(res, 400, -32700, 'Parse error');
        return;
      }
    }
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) {
        jsonRpcError(res, 404, -32001, 'Session not found');
        return;
      }
      await session.transport.handleRequest(req, res, body);
      return;
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      jsonRpcError(res, 400, -32000, 'Bad Request: no session id; start with an initialize request');
      return;
    }
    const mcp = createFixtureServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: new MemoryEventStore(),
      retryInterval: 1000,
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, mcp });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      jsonRpcError(res, 500, -32603, `Internal error: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/mcp`,
    sessionCount: () => sessions.size,
    async close() {
      await Promise.all([...sessions.values()].map(({ mcp }) => mcp.close().catch(() => undefined)));
      sessions.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}
