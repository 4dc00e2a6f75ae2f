import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import {
  type KernelReady,
  type KernelResponse,
  isKernelReady,
  kernelCallDeadlineMs,
  parseKernelLine,
  serializeKernelRequest,
  toToolResult,
} from './kernel-protocol';
import { SANDBOX_IMAGE, buildSandboxContainerOptions } from './sandbox-container-options';

// Runs the real sandbox image with the hardened options and drives its kernel over `docker attach`.
// The image is (re)built first from docker/sandbox: with the layer cache that takes a few seconds, from scratch a
// few minutes (Debian packages, fetched with the host network as everywhere on these machines).

const docker = new Docker();
const BUILD_CONTEXT = resolve(__dirname, '../../../docker/sandbox');
const BUILD_TIMEOUT_MS = 20 * 60_000;
const READY_TIMEOUT_MS = 60_000;
const TEST_LABEL = { 'mcp-router.test': 'kernel.int-spec' };
const containerIds = new Set<string>();

interface BuildEvent {
  error?: string;
  errorDetail?: { message?: string };
  stream?: string;
}

async function buildSandboxImage(): Promise<void> {
  const stream = await docker.buildImage(
    { context: BUILD_CONTEXT, src: readdirSync(BUILD_CONTEXT) },
    { t: SANDBOX_IMAGE, networkmode: 'host', rm: true, forcerm: true },
  );
  const events = await new Promise<BuildEvent[]>((done, fail) => {
    docker.modem.followProgress(stream, (error: Error | null, output: BuildEvent[]) => {
      if (error) fail(error);
      else done(output);
    });
  });
  const failure = events.find((event) => event.error !== undefined || event.errorDetail !== undefined);
  if (failure) {
    const log = events
      .map((event) => event.stream ?? '')
      .join('')
      .slice(-2_000);
    throw new Error(`building ${SANDBOX_IMAGE} failed: ${failure.error ?? failure.errorDetail?.message}\n${log}`);
  }
}

async function removeContainers(): Promise<void> {
  const ids = [...containerIds];
  containerIds.clear();
  await Promise.all(
    ids.map(async (id) => {
      try {
        await docker.getContainer(id).remove({ force: true });
      } catch (error) {
        // Already gone is fine; anything else must fail the run.
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
    }),
  );
}

/** One kernel in its own container, driven over an attach stream the way the gateway does it. */
class KernelSession {
  readonly ready: Promise<KernelReady>;
  private readonly pending = new Map<string, (response: KernelResponse) => void>();
  private readonly lines: Interface;
  private log = '';
  private sequence = 0;

  private constructor(
    private readonly attach: NodeJS.ReadWriteStream,
    stdout: PassThrough,
    stderr: PassThrough,
  ) {
    stderr.on('data', (chunk: Buffer) => (this.log += chunk.toString('utf8')));
    this.lines = createInterface({ input: stdout, crlfDelay: Infinity });
    this.ready = new Promise<KernelReady>((done) => {
      this.lines.on('line', (line) => {
        const message = parseKernelLine(line);
        if (isKernelReady(message)) done(message);
        else if (message.id !== null) this.pending.get(message.id)?.(message);
      });
    });
  }

  /** Creates, attaches and starts a hardened sandbox container, and waits for its kernel's ready line. */
  static async start(): Promise<KernelSession> {
    const options = buildSandboxContainerOptions({
      sessionId: `int-${randomUUID()}`,
      instanceId: 'kernel-int-spec',
      labels: TEST_LABEL,
    });
    const container = await docker.createContainer(options);
    containerIds.add(container.id);
    const attach = await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    docker.modem.demuxStream(attach, stdout, stderr);
    const session = new KernelSession(attach, stdout, stderr);
    await container.start();
    await session.within(session.ready, READY_TIMEOUT_MS, 'the ready line');
    return session;
  }

  /** Runs code; resolves with the response and the round trip in milliseconds. */
  async run(code: string, timeoutS?: number): Promise<{ response: KernelResponse; elapsedMs: number }> {
    const id = `call-${++this.sequence}`;
    const answer = new Promise<KernelResponse>((done) => this.pending.set(id, done));
    const started = performance.now();
    this.attach.write(
      serializeKernelRequest(timeoutS === undefined ? { id, code } : { id, code, timeout_s: timeoutS }),
    );
    const response = await this.within(answer, kernelCallDeadlineMs(timeoutS), `the answer to ${id}`);
    this.pending.delete(id);
    return { response, elapsedMs: performance.now() - started };
  }

  /** Runs code that must succeed; resolves with its result. */
  async value(code: string): Promise<string | null> {
    const { response } = await this.run(code);
    expect(response.error).toBeNull();
    return response.result;
  }

  /** Resets the session. */
  async reset(): Promise<KernelResponse> {
    const id = `reset-${++this.sequence}`;
    const answer = new Promise<KernelResponse>((done) => this.pending.set(id, done));
    this.attach.write(serializeKernelRequest({ id, op: 'reset' }));
    return this.within(answer, 10_000, `the answer to ${id}`);
  }

  private async within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, fail) => {
      timer = setTimeout(() => {
        fail(new Error(`no ${what} within ${ms} ms; kernel log:\n${this.log}`));
      }, ms);
    });
    try {
      return await Promise.race([promise, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.lines.close();
    this.attach.end();
  }
}

describe('python_sandbox kernel in its container', () => {
  let sut: KernelSession | undefined;

  const kernel = async (): Promise<KernelSession> => {
    sut = await KernelSession.start();
    return sut;
  };

  beforeAll(buildSandboxImage, BUILD_TIMEOUT_MS);

  afterEach(async () => {
    sut?.close();
    sut = undefined;
    await removeContainers();
  });

  afterAll(removeContainers);

  it('keeps one namespace across calls and returns the final expression', async () => {
    const session = await kernel();

    const first = await session.run("import pandas as pd\ndf = pd.DataFrame({'a': [1, 2, 3]})\ndf.a.sum()");
    const second = await session.run('df.a.mean(), len(df)');

    expect(first.response).toMatchObject({ ok: true, result: '6', error: null });
    expect(second.response).toMatchObject({ ok: true, result: '(2.0, 3)' });
    expect(toToolResult(first.response)).toEqual({ content: [{ type: 'text', text: 'result:\n6' }], isError: false });
  });

  it('returns a seaborn plot as a PNG image', async () => {
    const session = await kernel();

    const { response } = await session.run(
      "import seaborn as sns\nimport pandas as pd\nsns.histplot(pd.DataFrame({'x': [1, 2, 2, 3, 3, 3]}), x='x');",
    );

    expect(response.ok).toBe(true);
    expect(response.images).toHaveLength(1);
    const png = Buffer.from(response.images[0]!, 'base64');
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(png.length).toBeGreaterThan(1024);
    expect(toToolResult(response).content).toEqual([
      { type: 'image', mimeType: 'image/png', data: response.images[0] },
    ]);
  });

  it('interrupts an endless loop at its timeout and stays usable', async () => {
    const session = await kernel();
    await session.value('counter = 41');

    const { response, elapsedMs } = await session.run('while True: pass', 2);

    expect(response.ok).toBe(false);
    expect(response.error).toMatchObject({ type: 'Timeout', message: 'timed out after 2 s' });
    expect(response.error?.traceback).toContain('while True: pass');
    expect(elapsedMs).toBeLessThan(3_000);
    expect(toToolResult(response).isError).toBe(true);
    expect(await session.value('counter + 1')).toBe('42');
  });

  it('has no network', async () => {
    const session = await kernel();

    const { response } = await session.run(
      "import urllib.request\nurllib.request.urlopen('http://example.com', timeout=5)",
    );

    expect(response.ok).toBe(false);
    expect(response.error?.type).toBe('URLError');
    expect(await session.value('import socket\nsorted({name for _, name in socket.if_nameindex()})')).toBe("['lo']");
  });

  it('survives a fork bomb with a clear error and kills what it left behind', async () => {
    const session = await kernel();

    const { response } = await session.run('import os\nwhile True:\n    os.fork()', 60);

    expect(response.ok).toBe(false);
    expect(response.error?.type).toBe('BlockingIOError');
    expect(response.error?.message).toContain('Resource temporarily unavailable');
    expect(await session.value("import os\nlen([pid for pid in os.listdir('/proc') if pid.isdigit()])")).toBe('1');
  });

  it('cuts a 10 MB print to 100 KB and says so', async () => {
    const session = await kernel();

    const { response } = await session.run("print('x' * 10_000_000)");

    expect(response.ok).toBe(true);
    expect(response.truncated).toBe(true);
    expect(response.stdout.length).toBeLessThan(110 * 1024);
    expect(response.stdout).toMatch(/^x{102400}\n\[output truncated: 10000001 bytes written/);
  });

  it('reports an exception with a traceback of the user code only', async () => {
    const session = await kernel();

    const { response } = await session.run("print('before')\ndef ratio(a, b):\n    return a / b\nratio(1, 0)");

    expect(response).toMatchObject({ ok: false, stdout: 'before\n', result: null });
    expect(response.error?.type).toBe('ZeroDivisionError');
    expect(response.error?.traceback).toMatch(/^Traceback \(most recent call last\):\n {2}File "<cell-1>", line 4/);
    expect(response.error?.traceback).toContain('in ratio');
    expect(response.error?.traceback).not.toContain('kernel.py');
    expect(toToolResult(response).isError).toBe(true);
  });

  it('outlives sys.exit, stdin reads and a memory bomb', async () => {
    const session = await kernel();
    await session.value('kept = "still here"');

    const exit = await session.run('import sys\nsys.exit()');
    const read = await session.run('input()');
    const bomb = await session.run('blocks = []\nwhile True:\n    blocks.append(bytearray(10**7))', 60);

    expect(exit.response.ok).toBe(true);
    expect(read.response.error?.type).toBe('EOFError');
    expect(bomb.response.error?.type).toBe('MemoryError');
    expect(await session.value('del blocks\nkept')).toBe("'still here'");
  });

  it('runs unprivileged on a read-only root with a writable workspace', async () => {
    const session = await kernel();

    const result = await session.value(
      "import os\nwith open('report.txt', 'w') as f:\n    f.write('ok')\n(os.getuid(), os.getcwd(), os.access('/usr', os.W_OK), os.listdir('.'))",
    );

    expect(result).toBe("(10001, '/workspace', False, ['report.txt'])");
  });

  it('forgets everything on reset', async () => {
    const session = await kernel();
    await session.value('x = 1');

    const reset = await session.reset();
    const { response } = await session.run('x');

    expect(reset.ok).toBe(true);
    expect(response.error?.type).toBe('NameError');
  });

  it('answers a trivial call within 30 ms (median of 50) once warm', async () => {
    const session = await kernel();
    const times: number[] = [];

    for (let i = 0; i < 50; i++) {
      const { response, elapsedMs } = await session.run('1 + 1');
      expect(response.result).toBe('2');
      times.push(elapsedMs);
    }

    times.sort((a, b) => a - b);
    expect(times[25]).toBeLessThan(30);
  });
});
