import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type JSONRPCMessage, type JSONRPCRequest, isJSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ProxyLogger } from './stderr-logger';
import { StdioProxy, type UpstreamTransport } from './stdio-proxy';

const INITIALIZE: JSONRPCRequest = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: { roots: {} }, clientInfo: { name: 'desk', version: '9' } },
};
const INITIALIZED: JSONRPCMessage = { jsonrpc: '2.0', method: 'notifications/initialized' };

/** The client side: what the proxy writes to stdout, and a way to type lines on stdin. */
class FakeStdio implements Transport {
  readonly written: JSONRPCMessage[] = [];
  closed = false;
  onmessage?: Transport['onmessage'];

  start(): Promise<void> {
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    this.written.push(message);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  type(...messages: JSONRPCMessage[]): void {
    for (const message of messages) this.onmessage?.(message);
  }
}

/** A router speaking just enough MCP: sessions, 404 for unknown ones, answers to requests. */
class FakeRouter {
  readonly sessions = new Set<string>();
  readonly deleted: string[] = [];
  readonly received: { session: string | undefined; message: JSONRPCMessage }[] = [];
  readonly transports: FakeUpstream[] = [];
  private sessionCount = 0;
  /** When set, `initialize` answers wait for {@link FakeRouter.release}. */
  holdInitialize = false;
  private held: (() => void)[] = [];
  /** Requests left unanswered (for drain tests). */
  readonly unanswered = new Set<string>();

  connect = (): UpstreamTransport => {
    const transport = new FakeUpstream(this);
    this.transports.push(transport);
    return transport;
  };

  handle(transport: FakeUpstream, message: JSONRPCMessage): void {
    this.received.push({ session: transport.sessionId, message });
    if (isJSONRPCRequest(message) && message.method === 'initialize') {
      const session = `s${++this.sessionCount}`;
      this.sessions.add(session);
      transport.sessionId = session;
      const answer = (): void => {
        transport.onmessage?.({
          jsonrpc: '2.0',
          id: message.id,
          result: { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 'router', version: '1' } },
        });
      };
      if (this.holdInitialize) this.held.push(answer);
      else queueMicrotask(answer);
      return;
    }
    if (transport.sessionId === undefined || !this.sessions.has(transport.sessionId)) {
      throw new StreamableHTTPError(404, 'Error POSTing to endpoint: {"error":"Session not found"}');
    }
    if (isJSONRPCRequest(message) && !this.unanswered.has(message.method)) {
      queueMicrotask(() => {
        transport.onmessage?.({ jsonrpc: '2.0', id: message.id, result: { method: message.method } });
      });
    }
  }

  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  /** Forgets every session, as a restarted router would. */
  dropSessions(): void {
    this.sessions.clear();
  }

  methodsSent(): string[] {
    return this.received.map(({ message }) => ('method' in message ? message.method : 'answer'));
  }
}

class FakeUpstream implements UpstreamTransport {
  sessionId: string | undefined;
  protocolVersion?: string;
  closed = false;
  onmessage?: Transport['onmessage'];
  onerror?: Transport['onerror'];
  onclose?: Transport['onclose'];

  constructor(private readonly router: FakeRouter) {}

  start(): Promise<void> {
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    try {
      this.router.handle(this, message);
      return Promise.resolve();
    } catch (error: unknown) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  terminateSession(): Promise<void> {
    if (this.sessionId) this.router.deleted.push(this.sessionId);
    this.sessionId = undefined;
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

function makeLogger(): ProxyLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe(StdioProxy.name, () => {
  function setup(overrides: Partial<FakeRouter> = {}) {
    const router = Object.assign(new FakeRouter(), overrides);
    const stdio = new FakeStdio();
    const logger = makeLogger();
    const sut = new StdioProxy({
      downstream: stdio,
      createUpstream: router.connect,
      url: new URL('http://router.local/mcp'),
      logger,
    });
    return { router, stdio, logger, sut };
  }

  it('sends nothing before the client initialize is answered, then passes everything through in order', async () => {
    const { router, stdio, sut } = setup({ holdInitialize: true });
    await sut.start();

    stdio.type(INITIALIZE, INITIALIZED, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    await settle();
    expect(router.methodsSent()).toEqual(['initialize']);

    router.release();
    await settle();
    expect(router.methodsSent()).toEqual(['initialize', 'notifications/initialized', 'tools/list']);
    expect(router.received.slice(1).every(({ session }) => session === 's1')).toBe(true);
    expect(router.transports[0]?.protocolVersion).toBe('2025-06-18');
    expect(stdio.written).toEqual([
      expect.objectContaining({ id: 0, result: expect.objectContaining({ protocolVersion: '2025-06-18' }) }),
      { jsonrpc: '2.0', id: 1, result: { method: 'tools/list' } },
    ]);
  });

  it('re-establishes a lost session with the client initialize params, then resends the failed request', async () => {
    const { router, stdio, sut, logger } = setup();
    await sut.start();
    stdio.type(INITIALIZE, INITIALIZED);
    await settle();

    router.dropSessions();
    stdio.type({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo' } });
    await settle();

    expect(router.methodsSent()).toEqual([
      'initialize',
      'notifications/initialized',
      'tools/call',
      'initialize',
      'notifications/initialized',
      'tools/call',
    ]);
    const reinitialize = router.received[3]?.message as JSONRPCRequest;
    expect(reinitialize.params).toEqual(INITIALIZE.params);
    expect(router.received[5]?.session).toBe('s2');
    expect(router.transports).toHaveLength(2);
    expect(router.transports[0]?.closed).toBe(true);
    expect(router.transports[1]?.protocolVersion).toBe('2025-06-18');
    // The client sees its own answers only, not the proxy's initialize.
    expect(stdio.written.map((message) => ('id' in message ? message.id : undefined))).toEqual([0, 7]);
    expect(logger.lines).toContainEqual(expect.stringMatching(/re-established \(s2\)/));
  });

  it('re-establishes once for concurrent failures, and once only per message', async () => {
    const { router, stdio, sut } = setup();
    await sut.start();
    stdio.type(INITIALIZE, INITIALIZED);
    await settle();

    router.dropSessions();
    stdio.type({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { jsonrpc: '2.0', id: 2, method: 'prompts/list' });
    await settle();
    expect(router.methodsSent().filter((method) => method === 'initialize')).toHaveLength(2);
    expect(stdio.written.filter((message) => 'result' in message)).toHaveLength(3);

    // A router that loses its sessions on every tools/list: the retry fails and the client gets an error, no loop.
    const handle = router.handle.bind(router);
    router.handle = (transport, message) => {
      if (isJSONRPCRequest(message) && message.method === 'tools/list') {
        router.dropSessions();
        throw new StreamableHTTPError(404, 'Session not found');
      }
      handle(transport, message);
    };
    stdio.type({ jsonrpc: '2.0', id: 3, method: 'tools/list' });
    await settle();
    expect(stdio.written.at(-1)).toEqual({
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32000, message: expect.stringContaining('HTTP 404') },
    });
    expect(router.methodsSent().filter((method) => method === 'initialize')).toHaveLength(3);
  });

  it('answers a request it cannot deliver with an error instead of dropping it', async () => {
    const { stdio, sut } = setup();
    await sut.start();

    stdio.type({ jsonrpc: '2.0', id: 'early', method: 'tools/list' });
    await settle();

    expect(stdio.written).toEqual([
      { jsonrpc: '2.0', id: 'early', error: { code: -32000, message: expect.stringContaining('HTTP 404') } },
    ]);
  });

  it('on shutdown waits for answers in flight, then deletes the session and closes both sides', async () => {
    const { router, stdio, sut } = setup();
    await sut.start();
    stdio.type(INITIALIZE, INITIALIZED, { jsonrpc: '2.0', id: 1, method: 'tools/list' });

    await sut.shutdown(1000);

    expect(stdio.written.map((message) => ('id' in message ? message.id : undefined))).toEqual([0, 1]);
    expect(router.deleted).toEqual(['s1']);
    expect(router.transports[0]?.closed).toBe(true);
    expect(stdio.closed).toBe(true);
  });

  it('stops waiting for unanswered requests after the drain timeout', async () => {
    jest.useFakeTimers();
    try {
      const { router, stdio, sut, logger } = setup();
      router.unanswered.add('tools/call');
      await sut.start();
      stdio.type(INITIALIZE, INITIALIZED, { jsonrpc: '2.0', id: 1, method: 'tools/call' });
      await jest.advanceTimersByTimeAsync(0);

      const closed = sut.shutdown(5000);
      await jest.advanceTimersByTimeAsync(4999);
      expect(router.deleted).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      await closed;

      expect(sut.pendingRequests).toBe(1);
      expect(router.deleted).toEqual(['s1']);
      expect(logger.lines).toContainEqual('warn closing with 1 request(s) unanswered');
    } finally {
      jest.useRealTimers();
    }
  });
});
