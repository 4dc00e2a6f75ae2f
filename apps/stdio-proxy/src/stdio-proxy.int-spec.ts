import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { StdioProxy } from './stdio-proxy';

const ROOT = join(__dirname, '..', '..', '..');
const BUNDLE = join(ROOT, 'dist', 'apps', 'stdio-proxy', 'main.js');
const TOKEN = 'mcpr_test-token';
const CLIENT_INFO = { name: 'claude-desktop-lookalike', version: '1.2.3' };

/** A stateful streamable HTTP MCP server (the SDK's own), behind a bearer check, that can forget its sessions. */
class TestRouter {
  readonly initializedBy: unknown[] = [];
  readonly deleted: string[] = [];
  private readonly sessions = new Map<string, StreamableHTTPServerTransport>();
  private server?: Server;

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  }

  /** Forgets every session without telling anyone, as a restarted router would. */
  async forgetSessions(): Promise<void> {
    const transports = [...this.sessions.values()];
    this.sessions.clear();
    for (const transport of transports) {
      transport.onclose = undefined;
      await transport.close();
    }
  }

  async close(): Promise<void> {
    await this.forgetSessions();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
      return;
    }
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const transport = this.sessions.get(sessionId);
      if (!transport) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
        return;
      }
      await transport.handleRequest(req, res, body);
      return;
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => {
        this.sessions.set(id, transport);
      },
      onsessionclosed: (id) => {
        this.deleted.push(id);
        this.sessions.delete(id);
      },
    });
    await this.createServer().connect(transport);
    await transport.handleRequest(req, res, body);
  }

  private createServer(): McpServer {
    const server = new McpServer({ name: 'test-router', version: '1.0.0' }, { capabilities: { logging: {} } });
    server.server.oninitialized = () => {
      this.initializedBy.push(server.server.getClientVersion());
    };
    server.registerTool('echo', { inputSchema: { message: z.string() } }, ({ message }) => ({
      content: [{ type: 'text', text: `Echo: ${message}` }],
    }));
    server.registerTool('announce', { inputSchema: { text: z.string() } }, async ({ text }, extra) => {
      await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: text } });
      return { content: [{ type: 'text', text: 'announced' }] };
    });
    return server;
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** The proxy as a client runs it: a child process, JSON-RPC lines on its stdin and stdout. */
class ProxyProcess {
  readonly stdout: JSONRPCMessage[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiters = new Set<() => void>();

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [BUNDLE], { env: { PATH: process.env.PATH ?? '', ...env } });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.stdout.push(JSON.parse(line) as JSONRPCMessage);
      for (const waiter of this.waiters) waiter();
    });
    createInterface({ input: this.child.stderr }).on('line', (line) => this.stderr.push(line));
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
  }

  write(...messages: JSONRPCMessage[]): void {
    for (const message of messages) this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  closeStdin(): void {
    this.child.stdin.end();
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** The first stdout message that matches, waiting up to 10 s for it. */
  async next(match: (message: JSONRPCMessage) => boolean): Promise<JSONRPCMessage> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = this.stdout.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such message; stderr:\n${this.stderr.join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  answer(id: number): Promise<JSONRPCMessage> {
    return this.next((message) => 'id' in message && message.id === id && !('method' in message));
  }
}

const initialize = (id: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: CLIENT_INFO },
});
const callTool = (id: number, name: string, args: Record<string, string>): JSONRPCMessage => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});

describe(StdioProxy.name, () => {
  let router: TestRouter;
  let url: string;
  let sut: ProxyProcess | undefined;

  beforeAll(async () => {
    // The test runs the real bundle, as `node dist/apps/stdio-proxy/main.js` and the image do.
    await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'node_modules/@nestjs/cli/bin/nest.js'), 'build', 'stdio-proxy'],
      {
        cwd: ROOT,
      },
    );
  }, 120_000);

  beforeEach(async () => {
    router = new TestRouter();
    url = await router.listen();
  });

  afterEach(async () => {
    sut?.kill();
    sut = undefined;
    await router.close();
  });

  it('proxies a session: initialize, tools, a server notification, a lost session, and a clean exit', async () => {
    sut = new ProxyProcess({ MCP_ROUTER_URL: url, MCP_ROUTER_TOKEN: TOKEN });

    sut.write(initialize(0), { jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(await sut.answer(0)).toMatchObject({ result: { serverInfo: { name: 'test-router' } } });

    sut.write(callTool(1, 'echo', { message: 'hello' }));
    expect(await sut.answer(1)).toMatchObject({ result: { content: [{ type: 'text', text: 'Echo: hello' }] } });

    sut.write(callTool(2, 'announce', { text: 'from the server' }));
    expect(await sut.next((message) => 'method' in message && message.method === 'notifications/message')).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/message',
      params: { level: 'info', data: 'from the server' },
    });
    expect(await sut.answer(2)).toMatchObject({ result: { content: [{ text: 'announced' }] } });

    await router.forgetSessions();
    sut.write(callTool(3, 'echo', { message: 'again' }));
    expect(await sut.answer(3)).toMatchObject({ result: { content: [{ text: 'Echo: again' }] } });
    expect(router.initializedBy).toEqual([CLIENT_INFO, CLIENT_INFO]);

    sut.closeStdin();
    expect(await sut.exited).toBe(0);
    expect(router.deleted).toHaveLength(1);
    // Only the client's own answers and the server's notification reached stdout.
    expect(sut.stdout.map((message) => ('id' in message ? message.id : 'note'))).toEqual([0, 1, 'note', 2, 3]);
    expect(sut.stderr.join('\n')).toMatch(/re-established/);
  });

  it('answers what it was sent before stdin closed, then exits 0', async () => {
    sut = new ProxyProcess({ MCP_ROUTER_URL: url, MCP_ROUTER_TOKEN: TOKEN });

    sut.write(
      initialize(0),
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      callTool(2, 'echo', { message: 'piped' }),
    );
    sut.closeStdin();

    expect(await sut.exited).toBe(0);
    expect(sut.stdout).toEqual([
      expect.objectContaining({ id: 0 }),
      expect.objectContaining({
        id: 1,
        result: { tools: expect.arrayContaining([expect.objectContaining({ name: 'echo' })]) },
      }),
      expect.objectContaining({
        id: 2,
        result: expect.objectContaining({ content: [{ type: 'text', text: 'Echo: piped' }] }),
      }),
    ]);
    expect(router.deleted).toHaveLength(1);
  });

  it('answers with an error naming the API key when the router refuses it', async () => {
    sut = new ProxyProcess({ MCP_ROUTER_URL: url, MCP_ROUTER_TOKEN: 'wrong' });

    sut.write(initialize(0));

    expect(await sut.answer(0)).toEqual({
      jsonrpc: '2.0',
      id: 0,
      error: { code: -32000, message: expect.stringContaining('MCP_ROUTER_TOKEN') },
    });
    sut.closeStdin();
    expect(await sut.exited).toBe(0);
  });
});
