/**
 * @jest-environment node
 */
import { jest } from '@jest/globals';

import { findTool, McpError, McpHttpClient, withMcpSession } from './mcp-http.client';

interface Sent {
  method: string;
  headers: Record<string, string>;
  body: { id?: number; method?: string; params?: unknown } | null;
}

type Answer = (body: Sent['body']) => Response;

function json(value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), { headers: { 'Content-Type': 'application/json', ...headers } });
}

function sse(...messages: unknown[]): Response {
  const text = messages.map((message) => `event: message\ndata: ${JSON.stringify(message)}\n\n`).join('');
  return new Response(text, { headers: { 'Content-Type': 'text/event-stream' } });
}

/** A fake endpoint: answers by JSON-RPC method, records every request. */
function fakeFetch(answers: Record<string, Answer>): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetchFn = (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Sent['body']) : null;
    sent.push({ method: init?.method ?? 'GET', headers: (init?.headers ?? {}) as Record<string, string>, body });
    if (init?.method === 'DELETE') return Promise.resolve(new Response(null, { status: 200 }));
    const answer = answers[body?.method ?? ''];
    return Promise.resolve(answer ? answer(body) : new Response(null, { status: 202 }));
  };
  return { fetch: fetchFn, sent };
}

const initialize: Answer = (body) =>
  json(
    {
      jsonrpc: '2.0',
      id: body?.id,
      result: { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 'x' } },
    },
    { 'Mcp-Session-Id': 'session-1' },
  );

describe(McpHttpClient.name, () => {
  it('initialises, calls a tool with the session headers, reads an SSE answer and ends the session', async () => {
    const notifications: unknown[] = [];
    const { fetch, sent } = fakeFetch({
      initialize,
      'tools/call': (body) =>
        sse(
          { jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1, total: 2 } },
          { jsonrpc: '2.0', id: body?.id, result: { content: [{ type: 'text', text: 'ok' }] } },
        ),
    });

    const result = await withMcpSession({ endpoint: '/mcp/demo', token: () => 'jwt', fetch }, (sut) =>
      sut.callTool('echo', { text: 'hi' }, { onNotification: (message) => notifications.push(message.method) }),
    );

    expect(result).toEqual({ content: [{ type: 'text', text: 'ok' }] });
    expect(notifications).toEqual(['notifications/progress']);
    expect(sent.map((request) => request.body?.method ?? request.method)).toEqual([
      'initialize',
      'notifications/initialized',
      'tools/call',
      'DELETE',
    ]);
    const call = sent[2]!;
    expect(call.headers).toMatchObject({
      Authorization: 'Bearer jwt',
      'Mcp-Session-Id': 'session-1',
      'MCP-Protocol-Version': '2025-06-18',
      Accept: 'application/json, text/event-stream',
    });
    expect(call.body?.params).toMatchObject({ name: 'echo', arguments: { text: 'hi' } });
    expect(sent[3]!.headers['Mcp-Session-Id']).toBe('session-1');
  });

  it('turns a JSON-RPC error into an McpError with the server message', async () => {
    const { fetch } = fakeFetch({
      initialize,
      'tools/call': (body) =>
        json({ jsonrpc: '2.0', id: body?.id, error: { code: -32602, message: 'Unknown tool: x' } }),
    });
    const sut = new McpHttpClient({ endpoint: '/mcp', token: () => 'jwt', fetch });
    await sut.connect();

    await expect(sut.callTool('x', {})).rejects.toMatchObject({
      code: 'rpc',
      rpcCode: -32602,
      message: 'Unknown tool: x',
    });
  });

  it('reports a 401 to its owner and says the session ended', async () => {
    const onUnauthorized = jest.fn();
    const fetch = (() => Promise.resolve(new Response('{}', { status: 401 }))) as typeof globalThis.fetch;
    const sut = new McpHttpClient({ endpoint: '/mcp', token: () => null, fetch, onUnauthorized });

    await expect(sut.connect()).rejects.toBeInstanceOf(McpError);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('lists tools across pages', async () => {
    const { fetch } = fakeFetch({
      initialize,
      'tools/list': (body) => {
        const cursor = (body?.params as { cursor?: string } | undefined)?.cursor;
        return json({
          jsonrpc: '2.0',
          id: body?.id,
          result: cursor ? { tools: [{ name: 'b' }] } : { tools: [{ name: 'a' }], nextCursor: 'p2' },
        });
      },
    });
    const tools = await withMcpSession({ endpoint: '/mcp', token: () => 'jwt', fetch }, (sut) => sut.listTools());
    expect(tools.map((tool) => tool.name)).toEqual(['a', 'b']);
  });
});

describe(findTool.name, () => {
  const tools = [{ name: 'github__search' }, { name: 'python_sandbox' }, { name: 'gitlab__search' }];

  it('finds exact, namespaced and unambiguous suffixed names', () => {
    expect(findTool(tools, 'python_sandbox')?.name).toBe('python_sandbox');
    expect(findTool(tools, 'search', 'github')?.name).toBe('github__search');
    expect(findTool(tools, 'search')).toBeUndefined();
    expect(findTool([{ name: 'x__only' }], 'only')?.name).toBe('x__only');
  });
});
