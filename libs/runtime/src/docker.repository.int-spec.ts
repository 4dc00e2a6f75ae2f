import { randomUUID } from 'node:crypto';
import { DockerRepository } from './docker.repository';
import { DockerUnavailableError, ImageBuildError, ImageNotFoundError } from './runtime.errors';

describe(DockerRepository.name, () => {
  const sut = new DockerRepository();
  const label = { 'mcp-router.managed': 'true', 'mcp-router.instance': `int-repo-${randomUUID()}` };
  let created: string[] = [];

  async function create(cmd: string[]): Promise<string> {
    const id = await sut.createContainer({
      Image: 'debian:trixie-slim',
      Cmd: cmd,
      Labels: label,
      HostConfig: { NetworkMode: 'none' },
    });
    created.push(id);
    return id;
  }

  afterEach(async () => {
    await Promise.all(created.map((id) => sut.removeContainer(id)));
    created = [];
  });

  afterAll(async () => {
    expect(await sut.listContainers(label)).toEqual([]);
  });

  it('answers ping, and names the address of an engine that does not answer', async () => {
    await expect(sut.ping()).resolves.toBeUndefined();
    const nowhere = new DockerRepository({ dockerHost: 'tcp://127.0.0.1:9' });
    await expect(nowhere.ping()).rejects.toThrow(DockerUnavailableError);
    await expect(nowhere.ping()).rejects.toThrow(/Docker engine at tcp:\/\/127\.0\.0\.1:9 does not answer/);
  });

  it('lists containers by label and forgets them once removed', async () => {
    const id = await create(['true']);
    expect(await sut.listContainers(label)).toEqual([expect.objectContaining({ id, state: 'created', labels: label })]);
    await sut.removeContainer(id);
    expect(await sut.listContainers(label)).toEqual([]);
  });

  it('reports the exit code of a container, and no code for one still running after the wait', async () => {
    const exiting = await create(['sh', '-c', 'exit 3']);
    await sut.startContainer(exiting);
    expect(await sut.waitForExit(exiting, 10_000)).toEqual({ exitCode: 3, oomKilled: false });

    const sleeping = await create(['sleep', '60']);
    await sut.startContainer(sleeping);
    expect(await sut.waitForExit(sleeping, 300)).toEqual({ exitCode: null, oomKilled: false });
  });

  it('stops, kills and removes idempotently, also what does not exist', async () => {
    const id = await create(['sleep', '60']);
    await sut.startContainer(id);
    await sut.stopAndRemoveContainer(id, 1);
    await expect(sut.stopAndRemoveContainer(id, 1)).resolves.toBeUndefined();
    await expect(sut.killContainer(id)).resolves.toBeUndefined();
    await expect(sut.removeImage(`mcp-router-test/absent:${randomUUID()}`)).resolves.toBeUndefined();
    expect(await sut.inspectContainer(id)).toBeNull();
    expect(await sut.imageExists(`mcp-router-test/absent:${randomUUID()}`)).toBe(false);
  });

  it('refuses to create a container from an absent image with a typed error', async () => {
    await expect(sut.createContainer({ Image: `mcp-router-test/absent:${randomUUID()}` })).rejects.toThrow(
      ImageNotFoundError,
    );
  });

  it("fails a build with the engine's error and the build's own explanation, streaming its output", async () => {
    const lines: string[] = [];
    const build = sut.buildImage(
      {
        dockerfile:
          'FROM debian:trixie-slim\nCOPY note.txt /note.txt\nRUN cat /note.txt && echo "mcp-router: it broke" >&2 && exit 3\n',
        files: { 'note.txt': 'hello from the context' },
      },
      { tag: `mcp-router-test/broken:${randomUUID().slice(0, 8)}`, onProgress: (line) => lines.push(line) },
    );
    await expect(build).rejects.toThrow(ImageBuildError);
    await expect(build).rejects.toThrow(/returned a non-zero code: 3\nmcp-router: it broke$/);
    expect(lines).toContain('hello from the context');
  }, 120_000);
});
