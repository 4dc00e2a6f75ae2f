import { Duplex } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { LATEST_PROTOCOL_VERSION, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { DockerStdioTransport } from './docker-stdio.transport';
import { type ContainerExit, ContainerExitedError } from './runtime.errors';
import type { RuntimeLogger } from './runtime-logger';

function frame(type: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** A stand-in for the hijacked attach connection: what the transport writes is the container's stdin. */
function fakeContainer(exit: ContainerExit = { exitCode: 0, oomKilled: false }) {
  const stdin: string[] = [];
  const stream = new Duplex({
    read() {
      return undefined;
    },
    write(chunk: Buffer, _encoding, callback) {
      stdin.push(chunk.toString());
      callback();
    },
  });
  const warnings: string[] = [];
  const logger: RuntimeLogger = { warn: (message) => warnings.push(message), debug: () => undefined };
  const exits = { waitForExit: jest.fn((_id: string, _timeoutMs: number) => Promise.resolve(exit)) };
  const sut = new DockerStdioTransport({ containerId: 'c0ffee0123456789abcdef', stream, exits, logger });
  return {
    sut,
    stream,
    stdin,
    warnings,
    exits,
    stdout: (text: string) => stream.push(frame(1, text)),
    stderr: (text: string) => stream.push(frame(2, text)),
    die: () => stream.push(null),
  };
}

/** Answers like a minimal MCP server on the fake container's stdout. */
function serve(
  container: ReturnType<typeof fakeContainer>,
  onRequest: (message: { id: number; method: string }) => unknown,
) {
  const original = container.stream._write.bind(container.stream);
  container.stream._write = (chunk: Buffer, encoding, callback) => {
    original(chunk, encoding, callback);
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      const message = JSON.parse(line) as { id?: number; method: string };
      if (message.id === undefined) continue;
      const result = onRequest({ id: message.id, method: message.method });
      if (result !== undefined) container.stdout(`${JSON.stringify({ jsonrpc: '2.0', id: message.id, result })}\n`);
    }
  };
}

const initializeResult = {
  protocolVersion: LATEST_PROTOCOL_VERSION,
  capabilities: { tools: {} },
  serverInfo: { name: 'fake', version: '1.0.0' },
};

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe(DockerStdioTransport.name, () => {
  it('delivers JSON-RPC messages split over frames and chunks, and skips lines that are not JSON-RPC', async () => {
    const container = fakeContainer();
    const received: JSONRPCMessage[] = [];
    container.sut.onmessage = (message) => received.push(message);
    await container.sut.start();
    container.stdout('{"jsonrpc":"2.0","method":"notifications/message",');
    container.stdout('"params":{"level":"info","data":"hi"}}\nStarting server...\n{"not":"jsonrpc"}\n');
    container.stdout('{"jsonrpc":"2.0","id":7,"result":{}}\n');
    await flush();
    expect(received).toEqual([
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'hi' } },
      { jsonrpc: '2.0', id: 7, result: {} },
    ]);
    expect(container.warnings).toEqual([
      expect.stringContaining('non-JSON stdout line: Starting server...'),
      expect.stringContaining('not JSON-RPC: {"not":"jsonrpc"}'),
    ]);
  });

  it('keeps stderr lines in its ring buffer, from before start on', async () => {
    const container = fakeContainer();
    container.stderr('Starting default (STDIO) server...\npartial ');
    container.stderr('line\n');
    await flush();
    expect(container.sut.stderr.toArray()).toEqual(['Starting default (STDIO) server...', 'partial line']);
  });

  it('holds messages that arrive before start and delivers them on start', async () => {
    const container = fakeContainer();
    const received: JSONRPCMessage[] = [];
    container.sut.onmessage = (message) => received.push(message);
    container.stdout('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    await flush();
    expect(received).toEqual([]);
    await container.sut.start();
    expect(received).toEqual([{ jsonrpc: '2.0', method: 'notifications/initialized' }]);
  });

  it('writes each message as one line of JSON on stdin', async () => {
    const container = fakeContainer();
    await container.sut.start();
    await container.sut.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(container.stdin).toEqual(['{"jsonrpc":"2.0","id":1,"method":"ping"}\n']);
  });

  it('carries a whole MCP session for the SDK client', async () => {
    const container = fakeContainer();
    serve(container, (request) =>
      request.method === 'initialize'
        ? initializeResult
        : { content: [{ type: 'text', text: `Echo: hello (${request.method})` }] },
    );
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(container.sut);
    const result = await client.callTool({ name: 'echo', arguments: { message: 'hello' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: hello (tools/call)' }]);
    await client.close();
  });

  it('fails a pending call with the reason the container ended, then reports the error and closes once', async () => {
    const container = fakeContainer({ exitCode: 137, oomKilled: true });
    serve(container, (request) => (request.method === 'initialize' ? initializeResult : undefined));
    const client = new Client({ name: 'test', version: '1.0.0' });
    const errors: Error[] = [];
    const onclose = jest.fn();
    await client.connect(container.sut);
    client.onerror = (error) => errors.push(error);
    client.onclose = onclose;
    const call = client.callTool({ name: 'slow', arguments: {} });
    await flush();
    container.die();
    await expect(call).rejects.toThrow(/ran out of memory \(OOMKilled, exit code 137\)/);
    expect(errors).toEqual([expect.any(ContainerExitedError)]);
    expect(errors[0]).toMatchObject({ code: 'CONTAINER_EXITED', exitCode: 137, oomKilled: true });
    expect(container.exits.waitForExit).toHaveBeenCalledWith('c0ffee0123456789abcdef', 5000);
    expect(onclose).toHaveBeenCalledTimes(1);
    await expect(container.sut.send({ jsonrpc: '2.0', id: 9, method: 'ping' })).rejects.toThrow(ContainerExitedError);
  });

  it('answers only the calls still pending when the container ends, not cancelled or answered ones', async () => {
    const container = fakeContainer({ exitCode: 1, oomKilled: false });
    const received: JSONRPCMessage[] = [];
    container.sut.onmessage = (message) => received.push(message);
    await container.sut.start();
    for (const id of [1, 2, 3])
      await container.sut.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'x' } });
    await container.sut.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2 } });
    container.stdout('{"jsonrpc":"2.0","id":3,"result":{"content":[]}}\n');
    container.die();
    await flush();
    await flush();
    expect(received.map((message) => ('id' in message ? message.id : null))).toEqual([3, 1]);
    expect(received[1]).toMatchObject({
      error: { code: -32000, message: expect.stringMatching(/exited with code 1$/) },
    });
  });

  it('names a kill by its signal and a plain exit by its code', () => {
    expect(new ContainerExitedError('abc', { exitCode: 137, oomKilled: false }).message).toMatch(/killed by SIGKILL/);
    expect(new ContainerExitedError('abc', { exitCode: 1, oomKilled: false }).message).toMatch(/exited with code 1$/);
  });

  it('fires onclose once when closed by its user, and does not ask how the container ended', async () => {
    const container = fakeContainer();
    const onclose = jest.fn();
    container.sut.onclose = onclose;
    await container.sut.start();
    await container.sut.close();
    await container.sut.close();
    container.die();
    await flush();
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(container.exits.waitForExit).not.toHaveBeenCalled();
    await expect(container.sut.send({ jsonrpc: '2.0', id: 1, method: 'ping' })).rejects.toThrow('Not connected');
  });

  it('refuses to start when the container already ended', async () => {
    const container = fakeContainer({ exitCode: 1, oomKilled: false });
    container.die();
    await flush();
    await flush();
    await expect(container.sut.start()).rejects.toThrow(/exited with code 1/);
  });
});
