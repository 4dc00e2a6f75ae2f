import { randomUUID } from 'node:crypto';
import { DockerRepository } from './docker.repository';
import { ImageBuilder } from './image-builder';
import { ImageBuildError, ImagePullError } from './runtime.errors';
import type { ServerSpec } from './server-spec';

/** The version of server-everything the repository pins for its tests (and that the npm registry serves). */
const EVERYTHING = '@modelcontextprotocol/server-everything@2026.8.31';

function spec(overrides: Partial<ServerSpec>): ServerSpec {
  return {
    id: `int-${randomUUID()}`,
    name: 'everything',
    runtime: 'npx',
    package: EVERYTHING,
    args: [],
    transport: 'stdio',
    network: 'none',
    env: {},
    ...overrides,
  };
}

describe(ImageBuilder.name, () => {
  const docker = new DockerRepository();
  const sut = new ImageBuilder(docker, { network: 'host' });

  it('builds the npx image of server-everything once, then reuses it for the same plan', async () => {
    const lines: string[] = [];
    const first = await sut.ensureImage(spec({}), { onProgress: (line) => lines.push(line) });
    expect(first?.imageTag).toMatch(/^mcp-router\/srv-everything:[0-9a-f]{12}$/);
    if (first?.action === 'built') {
      expect(lines).toContainEqual(
        expect.stringMatching(/^mcp-router: @modelcontextprotocol\/server-everything@2026\.8\.31 runs/),
      );
    }
    const image = await docker.inspectImage(first!.imageTag);
    expect(image?.Config.User).toBe('1000:1000');
    expect(image?.Config.Labels).toMatchObject({ 'mcp-router.managed': 'true' });

    const started = Date.now();
    const second = await sut.ensureImage(spec({ args: ['stdio'], env: { X: '1' } }));
    expect(second).toEqual({ imageTag: first!.imageTag, action: 'reused' });
    expect(Date.now() - started).toBeLessThan(2000);
  }, 600_000);

  it('fails a uvx build within seconds, naming the Python index it cannot reach', async () => {
    const started = Date.now();
    const build = sut.ensureImage(spec({ name: 'time', runtime: 'uvx', package: 'mcp-server-time==2025.9.25' }));
    await expect(build).rejects.toThrow(ImageBuildError);
    await expect(build).rejects.toThrow(/the Python package index https:\/\/pypi\.org\/simple is unreachable/);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 300_000);

  it('names the index of a mirror that cannot be reached, without its credentials', async () => {
    const mirror = new ImageBuilder(docker, { network: 'host', pythonIndexUrl: 'http://user:pw@127.0.0.1:9/simple' });
    const build = mirror.ensureImage(spec({ name: 'time', runtime: 'uvx', package: 'mcp-server-time' }));
    await expect(build).rejects.toThrow(/the Python package index http:\/\/127\.0\.0\.1\/simple is unreachable/);
    await expect(build).rejects.not.toThrow(/pw@/);
  }, 300_000);

  it('says clearly when a docker server image is absent and cannot be pulled', async () => {
    const build = sut.ensureImage(spec({ runtime: 'docker', image: 'mcp-router-test/absent:1', package: undefined }));
    await expect(build).rejects.toThrow(ImagePullError);
    await expect(build).rejects.toThrow(/^cannot pull image mcp-router-test\/absent:1: .+/);
  }, 120_000);

  it('does nothing for a remote server', async () => {
    await expect(sut.ensureImage(spec({ runtime: 'remote', url: 'https://mcp.example.com/mcp' }))).resolves.toBeNull();
  });
});
