import {
  DEFAULT_SANDBOX_LIMITS,
  SANDBOX_IMAGE,
  type SandboxContainerSpec,
  buildSandboxContainerOptions,
} from './sandbox-container-options';
import { InvalidSandboxOptionsError } from './sandbox.errors';

function spec(overrides: Partial<SandboxContainerSpec> = {}): SandboxContainerSpec {
  return { sessionId: 'session-1', instanceId: 'instance-1', ...overrides };
}

describe(buildSandboxContainerOptions.name, () => {
  it('cuts the container off the network and drops every privilege', () => {
    const sut = buildSandboxContainerOptions(spec());

    expect(sut.NetworkDisabled).toBe(true);
    expect(sut.HostConfig).toMatchObject({
      NetworkMode: 'none',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges:true'],
      ReadonlyRootfs: true,
      Privileged: false,
    });
    expect(sut.User).toBe('10001:10001');
  });

  it('mounts /tmp and /workspace as size-limited tmpfs, the workspace owned by the sandbox user', () => {
    const sut = buildSandboxContainerOptions(spec());

    expect(sut.WorkingDir).toBe('/workspace');
    expect(sut.HostConfig?.Tmpfs).toEqual({
      '/tmp': 'rw,nosuid,nodev,noexec,size=64m,mode=1777',
      '/workspace': 'rw,nosuid,nodev,noexec,size=256m,uid=10001,gid=10001,mode=0700',
    });
  });

  it('applies 1 GiB without swap, 1 CPU and 128 processes by default', () => {
    const sut = buildSandboxContainerOptions(spec());

    expect(sut.Image).toBe(SANDBOX_IMAGE);
    expect(sut.HostConfig).toMatchObject({
      Memory: 1024 ** 3,
      MemorySwap: 1024 ** 3,
      NanoCpus: 1_000_000_000,
      PidsLimit: 128,
    });
    expect(DEFAULT_SANDBOX_LIMITS.memoryMb).toBe(1024);
  });

  it('takes other limits and image', () => {
    const sut = buildSandboxContainerOptions(
      spec({ image: 'sandbox:test', limits: { memoryMb: 512, cpus: 0.5, pids: 64, workspaceMb: 32 } }),
    );

    expect(sut.Image).toBe('sandbox:test');
    expect(sut.HostConfig).toMatchObject({
      Memory: 512 * 1024 ** 2,
      MemorySwap: 512 * 1024 ** 2,
      NanoCpus: 500_000_000,
      PidsLimit: 64,
    });
    expect(sut.HostConfig?.Tmpfs?.['/workspace']).toContain('size=32m');
    expect(sut.HostConfig?.Tmpfs?.['/tmp']).toContain('size=64m');
  });

  it('keeps stdin open without a TTY so the kernel can be driven over an attach stream', () => {
    const sut = buildSandboxContainerOptions(spec());

    expect(sut).toMatchObject({ OpenStdin: true, StdinOnce: false, Tty: false, AttachStdin: false });
    expect(sut.HostConfig?.Init).toBe(false);
  });

  it('labels the container as the managed python_sandbox of its session and router instance', () => {
    const sut = buildSandboxContainerOptions(
      spec({ labels: { team: 'data', 'mcp-router.session': 'forged', 'mcp-router.managed': 'false' } }),
    );

    expect(sut.Labels).toEqual({
      team: 'data',
      'mcp-router.managed': 'true',
      'mcp-router.server': 'python_sandbox',
      'mcp-router.session': 'session-1',
      'mcp-router.instance': 'instance-1',
    });
  });

  it('sets a name only when asked', () => {
    expect(buildSandboxContainerOptions(spec()).name).toBeUndefined();
    expect(buildSandboxContainerOptions(spec({ name: 'mcp-router-sandbox-1' })).name).toBe('mcp-router-sandbox-1');
  });

  it('refuses limits that are not positive and empty ids, naming each', () => {
    const build = (): unknown =>
      buildSandboxContainerOptions(spec({ sessionId: '', limits: { memoryMb: 0, cpus: Number.NaN, pids: 4 } }));

    expect(build).toThrow(InvalidSandboxOptionsError);
    expect(build).toThrow(/sessionId.*limits\.memoryMb.*limits\.cpus.*limits\.pids/);
  });
});
