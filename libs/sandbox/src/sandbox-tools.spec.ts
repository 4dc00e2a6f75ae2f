import {
  PYTHON_SANDBOX_RESET_TOOL,
  PYTHON_SANDBOX_TOOL,
  describeKernelFailure,
  parsePythonSandboxArgs,
  sandboxTools,
  withRestartNote,
} from './sandbox-tools';

describe(sandboxTools.name, () => {
  it('offers python_sandbox with a code argument and a bounded timeout, and python_sandbox_reset', () => {
    const [run, reset] = sandboxTools({ memoryMb: 1024, cpus: 1 });

    expect(run?.name).toBe(PYTHON_SANDBOX_TOOL);
    expect(run?.inputSchema).toMatchObject({
      required: ['code'],
      properties: { code: { type: 'string' }, timeout_s: { type: 'number', minimum: 1, maximum: 300, default: 30 } },
    });
    expect(reset?.name).toBe(PYTHON_SANDBOX_RESET_TOOL);
  });

  it('tells a model the libraries, that state persists, that plots come back as images, and that there is no network', () => {
    const description = sandboxTools({ memoryMb: 768, cpus: 0.5 })[0]?.description ?? '';

    for (const library of ['pandas', 'numpy', 'scipy', 'matplotlib', 'seaborn', 'scikit-learn']) {
      expect(description).toContain(library);
    }
    expect(description).toMatch(/State persists within this MCP session/);
    expect(description).toMatch(/PNG image/);
    expect(description).toMatch(/no network access/);
    expect(description).toContain('0.5 CPUs, 768 MiB');
  });
});

describe(parsePythonSandboxArgs.name, () => {
  it('defaults the timeout to 30 s', () => {
    expect(parsePythonSandboxArgs({ code: '1 + 1' })).toEqual({ ok: true, code: '1 + 1', timeoutS: 30 });
  });

  it.each([
    [{}, 'code: must be a string of Python code'],
    [{ code: 'x', timeout_s: 0.5 }, 'timeout_s: must be at least 1 second'],
    [{ code: 'x', timeout_s: 301 }, 'timeout_s: must be at most 300 seconds'],
    [{ code: 'x', timeout_s: '10' }, 'timeout_s: must be a number of seconds'],
  ])('refuses %j and says why', (args, message) => {
    expect(parsePythonSandboxArgs(args)).toEqual({ ok: false, message });
  });
});

describe(withRestartNote.name, () => {
  it('puts a note that the previous kernel was restarted, and why, before the result', () => {
    const sut = withRestartNote(
      { content: [{ type: 'text', text: 'result:\n2' }], isError: false },
      describeKernelFailure({ kind: 'oom', memoryMb: 1024 }),
    );

    expect(sut.content).toEqual([
      {
        type: 'text',
        text: expect.stringMatching(
          /^note:\nThe previous kernel was restarted: it ran out of memory \(limit 1024 MiB\) and was killed\. .*gone\.$/,
        ),
      },
      { type: 'text', text: 'result:\n2' },
    ]);
    expect(sut.isError).toBe(false);
  });

  it('leaves a result alone when nothing was restarted', () => {
    const result = { content: [{ type: 'text' as const, text: 'result:\n2' }] };

    expect(withRestartNote(result, undefined)).toBe(result);
  });
});

describe(describeKernelFailure.name, () => {
  it.each([
    [{ kind: 'unresponsive', waitedMs: 35_000 } as const, 'it did not answer within 35 s and was killed'],
    [{ kind: 'exited', exitCode: 139 } as const, 'it exited unexpectedly (exit code 139)'],
    [{ kind: 'exited', exitCode: null } as const, 'its container was gone'],
  ])('describes %j', (failure, text) => {
    expect(describeKernelFailure(failure)).toBe(text);
  });
});
