import { Duplex } from 'node:stream';
import type { ContainerExit } from '@mcp-router/runtime';
import type { KernelResponse } from './kernel-protocol';
import { type KernelContainerControl, SandboxKernel } from './sandbox-kernel';
import { KernelCallCancelledError, KernelFailedError, KernelStartError } from './sandbox.errors';

const CONTAINER_ID = 'c0ffee0123456789abcdef';

/** The container's side of a Docker attach stream: requests written to it, multiplexed output pushed from it. */
class FakeAttach extends Duplex {
  readonly requests: { id: string; code?: string; timeout_s?: number; op?: string }[] = [];

  override _read(): void {
    // Output is pushed by the test.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) this.requests.push(JSON.parse(line));
    done();
  }

  /** Writes `text` on the container's stdout (1) or stderr (2) as one frame. */
  emitFrame(text: string, stream: 1 | 2 = 1): void {
    const payload = Buffer.from(text, 'utf8');
    const header = Buffer.alloc(8);
    header.writeUInt8(stream, 0);
    header.writeUInt32BE(payload.length, 4);
    this.push(Buffer.concat([header, payload]));
  }

  emitJson(message: object): void {
    this.emitFrame(`${JSON.stringify(message)}\n`);
  }

  lastRequestId(): string {
    return this.requests.at(-1)!.id;
  }
}

function answer(id: string, overrides: Partial<KernelResponse> = {}): KernelResponse {
  return {
    id,
    ok: true,
    stdout: '',
    stderr: '',
    result: '2',
    error: null,
    images: [],
    truncated: false,
    duration_ms: 1,
    ...overrides,
  };
}

function fakeDocker(exit: ContainerExit = { exitCode: 0, oomKilled: false }): jest.Mocked<KernelContainerControl> {
  return {
    killContainer: jest.fn<Promise<void>, [string, string?]>(() => Promise.resolve()),
    waitForExit: jest.fn<Promise<ContainerExit>, [string, number?]>(() => Promise.resolve(exit)),
  };
}

function setup(options: { exit?: ContainerExit; maxResponseBytes?: number } = {}) {
  const stream = new FakeAttach();
  const docker = fakeDocker(options.exit);
  const sut = new SandboxKernel({
    containerId: CONTAINER_ID,
    stream,
    docker,
    memoryMb: 512,
    maxResponseBytes: options.maxResponseBytes,
  });
  return { sut, stream, docker };
}

/** Lets the stream deliver what was pushed and the promises waiting on it settle. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe(SandboxKernel.name, () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('waits for the ready line, even when it arrives in pieces, and keeps the kernel log', async () => {
    const { sut, stream } = setup();
    const ready = sut.waitReady(1000);

    stream.emitFrame('[kernel] preload of seaborn skipped\n', 2);
    stream.emitFrame('{"ready": true, "pyth');
    stream.emitFrame('on": "3.13.5", "startup_ms": 900}\n');

    await expect(ready).resolves.toMatchObject({ ready: true, python: '3.13.5' });
    expect(sut.stderr.toArray()).toEqual(['[kernel] preload of seaborn skipped']);
    expect(sut.alive).toBe(true);
  });

  it('answers each call with the response that carries its id, one call at a time', async () => {
    const { sut, stream } = setup();

    const first = sut.execute('1 + 1', 5);
    const second = sut.execute('x = 3', 5);
    await flush();
    expect(stream.requests).toEqual([{ id: expect.any(String), code: '1 + 1', timeout_s: 5 }]);
    const firstId = stream.lastRequestId();
    stream.emitJson(answer('stale-id', { result: 'wrong' }));
    stream.emitJson(answer(firstId));
    await expect(first).resolves.toMatchObject({ id: firstId, result: '2' });
    await flush();
    stream.emitJson(answer(stream.lastRequestId(), { result: null }));

    await expect(second).resolves.toMatchObject({ result: null });
    expect(stream.requests.map((request) => request.code)).toEqual(['1 + 1', 'x = 3']);
  });

  it('declares a kernel that misses the deadline unresponsive, kills it, and fails later calls at once', async () => {
    jest.useFakeTimers();
    const { sut, docker } = setup();

    const call = sut.execute('import time; time.sleep(60)', 1);
    const failure = expect(call).rejects.toMatchObject({ failure: { kind: 'unresponsive', waitedMs: 6000 } });
    await jest.advanceTimersByTimeAsync(5999);
    expect(docker.killContainer).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);

    await failure;
    expect(docker.killContainer).toHaveBeenCalledWith(CONTAINER_ID);
    expect(sut.alive).toBe(false);
    await expect(sut.execute('1')).rejects.toBeInstanceOf(KernelFailedError);
  });

  it('fails the pending call with an OOM failure when the container is OOM-killed', async () => {
    const { sut, stream, docker } = setup({ exit: { exitCode: 137, oomKilled: true } });

    const call = sut.execute('x = bytearray(10**10)', 30);
    await flush();
    stream.push(null);

    await expect(call).rejects.toMatchObject({ code: 'KERNEL_FAILED', failure: { kind: 'oom', memoryMb: 512 } });
    expect(docker.waitForExit).toHaveBeenCalledWith(CONTAINER_ID, 5000);
    await expect(sut.whenGone()).resolves.toEqual({ kind: 'oom', memoryMb: 512 });
  });

  it('reports an exit with its code', async () => {
    const { sut, stream } = setup({ exit: { exitCode: 1, oomKilled: false } });

    const call = sut.execute('import os; os._exit(1)');
    await flush();
    stream.destroy();

    await expect(call).rejects.toMatchObject({ failure: { kind: 'exited', exitCode: 1 } });
  });

  it('interrupts the kernel with SIGINT when the call is aborted, and returns its answer', async () => {
    const { sut, stream, docker } = setup();
    const controller = new AbortController();

    const call = sut.execute('while True: pass', 30, controller.signal);
    await flush();
    controller.abort();
    stream.emitJson(
      answer(stream.lastRequestId(), {
        ok: false,
        result: null,
        error: { type: 'KeyboardInterrupt', message: 'interrupted', traceback: '' },
      }),
    );

    await expect(call).resolves.toMatchObject({ ok: false, error: { type: 'KeyboardInterrupt' } });
    expect(docker.killContainer).toHaveBeenCalledWith(CONTAINER_ID, 'SIGINT');
    expect(sut.alive).toBe(true);
  });

  it('does not send a call whose signal aborted while it waited', async () => {
    const { sut, stream } = setup();
    const controller = new AbortController();

    const first = sut.execute('1', 5);
    const second = sut.execute('2', 5, controller.signal);
    controller.abort();
    await flush();
    stream.emitJson(answer(stream.lastRequestId()));

    await first;
    await expect(second).rejects.toBeInstanceOf(KernelCallCancelledError);
    expect(stream.requests).toHaveLength(1);
  });

  it('answers an oversized response with an error and stays usable', async () => {
    const { sut, stream } = setup({ maxResponseBytes: 1024 });

    const call = sut.execute("print('x' * 5000)");
    await flush();
    stream.emitJson(answer(stream.lastRequestId(), { stdout: 'x'.repeat(5000) }));

    await expect(call).resolves.toMatchObject({ ok: false, error: { type: 'OutputTooLarge' } });
    expect(sut.alive).toBe(true);
  });

  it('fails to start with the kernel log when the container ends before the ready line', async () => {
    const { sut, stream } = setup({ exit: { exitCode: 1, oomKilled: false } });
    const ready = sut.waitReady(1000);

    stream.emitFrame('ModuleNotFoundError: No module named pandas\n', 2);
    stream.push(null);

    const error: unknown = await ready.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KernelStartError);
    expect((error as Error).message).toMatch(/ended before it was ready \(exit code 1\).*\nModuleNotFoundError/s);
  });

  it('fails to start and kills the container when the ready line does not come in time', async () => {
    jest.useFakeTimers();
    const { sut, docker } = setup();

    const ready = expect(sut.waitReady(20_000)).rejects.toThrow('did not start within 20 s');
    await jest.advanceTimersByTimeAsync(20_000);

    await ready;
    expect(docker.killContainer).toHaveBeenCalledWith(CONTAINER_ID);
    expect(sut.alive).toBe(false);
  });

  it('fails pending calls once closed', async () => {
    const { sut } = setup();

    const call = sut.execute('1');
    await flush();
    sut.close();

    await expect(call).rejects.toMatchObject({ failure: { kind: 'exited', exitCode: null } });
  });
});
