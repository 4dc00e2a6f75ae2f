import {
  type KernelResponse,
  KERNEL_DEFAULT_TIMEOUT_S,
  isKernelReady,
  kernelCallDeadlineMs,
  kernelFailureToToolResult,
  parseKernelLine,
  serializeKernelRequest,
  toToolResult,
} from './kernel-protocol';
import { KernelProtocolError } from './sandbox.errors';

const PNG_BASE64 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString('base64');

function response(overrides: Partial<KernelResponse> = {}): KernelResponse {
  return {
    id: 'r1',
    ok: true,
    stdout: '',
    stderr: '',
    result: null,
    error: null,
    images: [],
    truncated: false,
    duration_ms: 3,
    ...overrides,
  };
}

describe(toToolResult.name, () => {
  it('shows the value of the final expression, labelled, and nothing else', () => {
    const sut = toToolResult(response({ result: '6' }));

    expect(sut).toEqual({ content: [{ type: 'text', text: 'result:\n6' }], isError: false });
  });

  it('labels stdout and stderr and puts them before the value', () => {
    const sut = toToolResult(response({ stdout: 'hello\n', stderr: 'careful\n', result: "'done'" }));

    expect(sut.content).toEqual([
      { type: 'text', text: 'stdout:\nhello\n' },
      { type: 'text', text: 'stderr:\ncareful\n' },
      { type: 'text', text: "result:\n'done'" },
    ]);
  });

  it('adds one PNG image per figure', () => {
    const sut = toToolResult(response({ images: [PNG_BASE64, PNG_BASE64] }));

    expect(sut.content).toEqual([
      { type: 'image', mimeType: 'image/png', data: PNG_BASE64 },
      { type: 'image', mimeType: 'image/png', data: PNG_BASE64 },
    ]);
    expect(sut.isError).toBe(false);
  });

  it('marks an exception as an error and shows its traceback with what was printed before it', () => {
    const traceback =
      'Traceback (most recent call last):\n  File "<cell-1>", line 1, in <module>\n    1/0\nZeroDivisionError: division by zero\n';
    const sut = toToolResult(
      response({
        ok: false,
        stdout: 'before\n',
        error: { type: 'ZeroDivisionError', message: 'division by zero', traceback },
      }),
    );

    expect(sut.isError).toBe(true);
    expect(sut.content).toEqual([
      { type: 'text', text: 'stdout:\nbefore\n' },
      { type: 'text', text: `error:\n${traceback.trimEnd()}` },
    ]);
  });

  it('marks a timeout as an error that says so', () => {
    const sut = toToolResult(
      response({
        ok: false,
        error: { type: 'Timeout', message: 'timed out after 2 s', traceback: 'Timeout: timed out after 2 s\n' },
      }),
    );

    expect(sut).toEqual({ content: [{ type: 'text', text: 'error:\nTimeout: timed out after 2 s' }], isError: true });
  });

  it('keeps a hint that is only in the message', () => {
    const sut = toToolResult(
      response({
        ok: false,
        error: { type: 'MemoryError', message: '(out of memory: reset the session)', traceback: 'MemoryError\n' },
      }),
    );

    expect(sut.content).toEqual([{ type: 'text', text: 'error:\nMemoryError\n(out of memory: reset the session)' }]);
  });

  it('says when a call produced nothing', () => {
    expect(toToolResult(response()).content).toEqual([{ type: 'text', text: '(no output)' }]);
  });
});

describe(parseKernelLine.name, () => {
  it('reads the ready line, keeping fields it does not know', () => {
    const sut = parseKernelLine('{"ready":true,"python":"3.13.5","startup_ms":640,"pid":1}\n');

    expect(isKernelReady(sut)).toBe(true);
    expect(sut).toMatchObject({ ready: true, python: '3.13.5', pid: 1 });
  });

  it('reads a response', () => {
    const line = JSON.stringify(response({ result: '2', images: [PNG_BASE64] }));

    const sut = parseKernelLine(line);

    expect(isKernelReady(sut)).toBe(false);
    expect(sut).toEqual(response({ result: '2', images: [PNG_BASE64] }));
  });

  it('rejects a line that is not JSON', () => {
    expect(() => parseKernelLine('hello from a stray print')).toThrow(KernelProtocolError);
  });

  it('rejects a response with a missing field or an image that is not base64', () => {
    const { stdout: _stdout, ...withoutStdout } = response();

    expect(() => parseKernelLine(JSON.stringify(withoutStdout))).toThrow(/stdout/);
    expect(() => parseKernelLine(JSON.stringify(response({ images: ['not base64!'] })))).toThrow(KernelProtocolError);
  });
});

describe(serializeKernelRequest.name, () => {
  it('writes one JSON line per request', () => {
    const sut = serializeKernelRequest({ id: 'r1', code: 'print(1)\nprint(2)', timeout_s: 2 });

    expect(sut).toBe('{"id":"r1","code":"print(1)\\nprint(2)","timeout_s":2}\n');
    expect(sut.indexOf('\n')).toBe(sut.length - 1);
    expect(serializeKernelRequest({ id: 'r2', op: 'reset' })).toBe('{"id":"r2","op":"reset"}\n');
  });

  it('rejects a timeout beyond 300 s, an empty id and unknown fields', () => {
    expect(() => serializeKernelRequest({ id: 'r1', code: '1', timeout_s: 301 })).toThrow(KernelProtocolError);
    expect(() => serializeKernelRequest({ id: '', code: '1' })).toThrow(KernelProtocolError);
    const withExtra = { id: 'r1', code: '1', shell: true } as unknown as Parameters<typeof serializeKernelRequest>[0];
    expect(() => serializeKernelRequest(withExtra)).toThrow(KernelProtocolError);
  });
});

describe(kernelCallDeadlineMs.name, () => {
  it('waits for the timeout plus a grace period', () => {
    expect(kernelCallDeadlineMs(2)).toBe(7_000);
    expect(kernelCallDeadlineMs()).toBe(KERNEL_DEFAULT_TIMEOUT_S * 1000 + 5_000);
    expect(kernelCallDeadlineMs(1_000, 0)).toBe(300_000);
  });
});

describe(kernelFailureToToolResult.name, () => {
  it('says the kernel ran out of memory and that the session starts over', () => {
    const sut = kernelFailureToToolResult({ kind: 'oom', memoryMb: 1024 });

    expect(sut.isError).toBe(true);
    expect(sut.content).toEqual([
      { type: 'text', text: expect.stringContaining('ran out of memory (limit 1024 MiB)') },
    ]);
    expect(sut.content).toEqual([{ type: 'text', text: expect.stringContaining('variables and files are gone') }]);
  });

  it('names a hang and an unexpected exit', () => {
    expect(kernelFailureToToolResult({ kind: 'unresponsive', waitedMs: 35_000 }).content).toEqual([
      { type: 'text', text: expect.stringContaining('did not answer within 35 s') },
    ]);
    expect(kernelFailureToToolResult({ kind: 'exited', exitCode: 139 }).content).toEqual([
      { type: 'text', text: expect.stringContaining('exited unexpectedly (exit code 139)') },
    ]);
  });
});
