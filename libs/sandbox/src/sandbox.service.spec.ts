import { loadConfig } from '@mcp-router/config';
import type { ContainerOwnershipRepository } from '@mcp-router/queue';
import type { DockerRepository } from '@mcp-router/runtime';
import { SandboxService } from './sandbox.service';

/** Any engine or Redis call fails the test: none is expected here. */
const untouchable = new Proxy(
  {},
  {
    get: (_target, property) => () => {
      throw new Error(`unexpected call to ${String(property)}`);
    },
  },
);

function setup(env: Record<string, string> = {}) {
  const config = loadConfig(env).config;
  return new SandboxService(untouchable as DockerRepository, untouchable as ContainerOwnershipRepository, config);
}

describe(SandboxService.name, () => {
  it('offers both tools, with the configured memory limit in the description', () => {
    const sut = setup({ SANDBOX_MEMORY_MB: '768' });

    expect(sut.list().map((tool) => tool.name)).toEqual(['python_sandbox', 'python_sandbox_reset']);
    expect(sut.list()[0]?.description).toContain('768 MiB of memory');
  });

  it('offers nothing and runs nothing when the sandbox is disabled', async () => {
    const sut = setup({ SANDBOX_ENABLED: 'false' });

    const result = await sut.call('python_sandbox', { code: '1 + 1' }, 'session-1', new AbortController().signal);

    expect(sut.list()).toEqual([]);
    expect(result).toEqual({
      content: [{ type: 'text', text: 'error:\nThe Python sandbox is disabled on this router.' }],
      isError: true,
    });
  });

  it('refuses bad arguments without starting a container', async () => {
    const sut = setup();

    const result = await sut.call(
      'python_sandbox',
      { code: 'x', timeout_s: 600 },
      'session-1',
      new AbortController().signal,
    );

    expect(result).toEqual({
      content: [{ type: 'text', text: 'error:\nInvalid arguments: timeout_s: must be at most 300 seconds' }],
      isError: true,
    });
  });

  it('closes a session it never saw without touching anything', async () => {
    const sut = setup();

    await expect(sut.closeSession('unknown')).resolves.toBeUndefined();
  });
});
