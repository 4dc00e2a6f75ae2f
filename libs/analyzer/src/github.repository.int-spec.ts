import { GithubRateLimitError, GithubUnauthorizedError, RepositoryNotFoundError } from './analyzer.errors';
import { GithubRepository, type GithubRepositoryOptions } from './github.repository';
import { type FakeGithub, type FakeGithubOptions, startFakeGithub } from './testing/fake-github';
import { FIXTURES_ROOT } from './testing/fixture-repos';

describe(GithubRepository.name, () => {
  let github: FakeGithub | undefined;

  const start = async (options: Partial<FakeGithubOptions> = {}): Promise<FakeGithub> => {
    github = await startFakeGithub({ root: FIXTURES_ROOT, ...options });
    return github;
  };
  const sutFor = (fake: FakeGithub, options: Partial<GithubRepositoryOptions> = {}): GithubRepository =>
    new GithubRepository({ apiUrl: fake.url, retryBaseDelayMs: 20, ...options });

  afterEach(async () => {
    await github?.close();
    github = undefined;
  });

  it('reads a repository, its tree, a file and a folder README through the three endpoints', async () => {
    const sut = sutFor(await start());

    const info = await sut.getRepository('modelcontextprotocol', 'servers');
    const tree = await sut.getTree('modelcontextprotocol', 'servers', info.defaultBranch);
    const manifest = await sut.getFile('modelcontextprotocol', 'servers', 'src/time/pyproject.toml', 'main', 64 * 1024);
    const readme = await sut.getReadme('modelcontextprotocol', 'servers', 'src/time', 'main', 256 * 1024);
    const missing = await sut.getFile('modelcontextprotocol', 'servers', 'src/time/package.json', 'main', 1024);

    expect(info).toEqual({ defaultBranch: 'main', description: null });
    expect(tree.entries).toContainEqual(expect.objectContaining({ path: 'src/memory/README.md', type: 'blob' }));
    expect(manifest?.content).toMatch(/name = "mcp-server-time"/);
    expect(readme).toMatchObject({ path: 'src/time/README.md', content: expect.stringMatching(/^# Time MCP Server/) });
    expect(missing).toBeUndefined();
  });

  it('caps what it reads of a file', async () => {
    const sut = sutFor(await start());

    const file = await sut.getFile('awslabs', 'mcp', 'README.md', 'main', 1000);

    expect(file).toMatchObject({ truncated: true });
    expect(Buffer.byteLength(file?.content ?? '')).toBeLessThanOrEqual(1000);
  });

  it('says "repository not found" for an unknown repository', async () => {
    const sut = sutFor(await start());

    await expect(sut.getRepository('nobody', 'nothing')).rejects.toThrow(RepositoryNotFoundError);
    await expect(sut.getRepository('nobody', 'nothing')).rejects.toThrow(/repository not found: nobody\/nothing/);
  });

  it('retries with backoff through 5xx answers', async () => {
    const fake = await start({ failFirst: 2 });
    const sut = sutFor(fake);

    const info = await sut.getRepository('redis', 'mcp-redis');

    expect(info.defaultBranch).toBe('main');
    expect(fake.stats().requests).toBe(3);
  });

  it('waits through a rate-limit window that resets within the bound', async () => {
    const fake = await start({ rateLimitAfter: 1 });
    const sut = sutFor(fake, { rateLimitWaitMaxMs: 10_000 });
    await sut.getRepository('redis', 'mcp-redis');
    const started = Date.now();

    const tree = await sut.getTree('redis', 'mcp-redis', 'main');

    expect(tree.entries.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('fails with a clear error when the rate limit resets later than it may wait', async () => {
    const sut = sutFor(await start({ rateLimitAfter: 1 }), { rateLimitWaitMaxMs: 500 });
    await sut.getRepository('redis', 'mcp-redis');

    const failure = sut.getTree('redis', 'mcp-redis', 'main');

    await expect(failure).rejects.toThrow(GithubRateLimitError);
    await expect(sut.getTree('redis', 'mcp-redis', 'main')).rejects.toThrow(
      /rate limit exceeded.*later than the 0.5 s the analyzer waits/,
    );
  });

  it('sends the token when configured, and never puts it in an error', async () => {
    const token = 'ghp_fakeTokenForTests0123456789';
    const fake = await start({ requireToken: token });

    await expect(sutFor(fake, { token }).getRepository('redis', 'mcp-redis')).resolves.toMatchObject({
      defaultBranch: 'main',
    });
    const failure = await sutFor(fake, { token: `${token}-wrong` })
      .getRepository('redis', 'mcp-redis')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GithubUnauthorizedError);
    expect((failure as Error).message).not.toContain(token);
    expect(JSON.stringify(failure)).not.toContain(token);
  });
});
