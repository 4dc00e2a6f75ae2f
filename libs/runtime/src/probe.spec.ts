import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { probeServer } from './probe';
import { RingBuffer } from './ring-buffer';
import { ProbeFailedError, ProbeTimeoutError } from './runtime.errors';

function stderrOf(...lines: string[]): RingBuffer<string> {
  const buffer = new RingBuffer<string>(500);
  for (const line of lines) buffer.push(line);
  return buffer;
}

describe('probeServer', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('returns the tools, resources, templates and prompts a server offers, with its name and the probe time', async () => {
    const server = new McpServer({ name: 'demo', version: '2.0.0' });
    server.registerTool('echo', { description: 'Echoes', inputSchema: { message: z.string() } }, ({ message }) => ({
      content: [{ type: 'text', text: message }],
    }));
    server.registerResource('readme', 'file:///readme', { mimeType: 'text/plain' }, () => ({ contents: [] }));
    server.registerResource('note', new ResourceTemplate('note://{id}', { list: undefined }), {}, () => ({
      contents: [],
    }));
    server.registerPrompt('greet', { description: 'Greets' }, () => ({ messages: [] }));
    const [client, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);

    const catalog = await probeServer(client, { now: () => new Date('2026-01-02T03:04:05Z') });

    expect(catalog.tools.map((tool) => tool.name)).toEqual(['echo']);
    expect(catalog.tools[0]?.inputSchema).toMatchObject({
      type: 'object',
      properties: { message: { type: 'string' } },
    });
    expect(catalog.resources).toEqual([expect.objectContaining({ uri: 'file:///readme', name: 'readme' })]);
    expect(catalog.resourceTemplates).toEqual([expect.objectContaining({ uriTemplate: 'note://{id}', name: 'note' })]);
    expect(catalog.prompts).toEqual([expect.objectContaining({ name: 'greet', description: 'Greets' })]);
    expect(catalog.serverInfo).toMatchObject({ name: 'demo', version: '2.0.0' });
    expect(catalog.probedAt).toBe('2026-01-02T03:04:05.000Z');
  });

  it('follows pagination cursors and asks only for what the server announces', async () => {
    // A hand-written tools/list handler (on the low-level server) to hand out cursors.
    const server = new McpServer({ name: 'paged', version: '1.0.0' }, { capabilities: { tools: {} } });
    const asked: (string | undefined)[] = [];
    server.server.setRequestHandler(ListToolsRequestSchema, (request) => {
      const cursor = request.params?.cursor;
      asked.push(cursor);
      const page = Number(cursor ?? '0');
      return {
        tools: [{ name: `tool-${page}`, inputSchema: { type: 'object' as const } }],
        nextCursor: page < 2 ? String(page + 1) : undefined,
      };
    });
    const [client, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);

    const catalog = await probeServer(client);

    expect(catalog.tools.map((tool) => tool.name)).toEqual(['tool-0', 'tool-1', 'tool-2']);
    expect(asked).toEqual([undefined, '1', '2']);
    expect(catalog).toMatchObject({ resources: [], resourceTemplates: [], prompts: [] });
  });

  it('gives up when initialize is not answered within the bound, quoting the end of stderr', async () => {
    jest.useFakeTimers();
    const [client, silent] = InMemoryTransport.createLinkedPair();
    await silent.start();
    const stderr = stderrOf('Starting server...', 'waiting for DATABASE_URL');

    const probe = probeServer(client, { timeoutMs: 1000, stderr });
    const outcome = expect(probe).rejects.toThrow(ProbeTimeoutError);
    await jest.advanceTimersByTimeAsync(1000);

    await outcome;
    await expect(probe).rejects.toThrow(
      /did not answer initialize within 1000 ms\nlast stderr lines:\n {2}Starting server\.\.\.\n {2}waiting for DATABASE_URL$/,
    );
  });

  it('reports a server that goes away during initialize as a failure, with its stderr', async () => {
    const [client, serverSide] = InMemoryTransport.createLinkedPair();
    serverSide.onmessage = () => {
      void serverSide.close();
    };
    await serverSide.start();

    const probe = probeServer(client, { stderr: stderrOf('Error: missing API_KEY') });

    await expect(probe).rejects.toThrow(ProbeFailedError);
    await expect(probe).rejects.toThrow(/initialize failed: .*Connection closed[\s\S]*Error: missing API_KEY/);
  });
});
