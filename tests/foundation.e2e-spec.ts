import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { AuditRepository, SecretCipher, ServerRepository, decryptEnv } from '@mcp-router/registry';
import { ApiKeyService } from '../apps/api/src/keys/api-key.service';
import { loginHeader, makeTestEnv, type RunningApi, startApi, startWorker, type TestEnv } from './support/test-env';

const SECRET = 'sk-live-do-not-leak-0123456789';

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('api + worker', () => {
  let testEnv: TestEnv;
  let api: RunningApi | undefined;
  let worker: INestApplicationContext | undefined;

  beforeEach(() => {
    testEnv = makeTestEnv({ SECRETS_KEY: randomBytes(32).toString('hex') });
  });

  afterEach(async () => {
    await worker?.close();
    await api?.close();
    worker = undefined;
    api = undefined;
    await testEnv.cleanup();
  });

  it('deletes a server: the api enqueues teardown-server on Redis and the worker runs it', async () => {
    api = await startApi(testEnv.env);
    worker = await startWorker(testEnv.env);
    const auth = await loginHeader(api.http);
    const created = await api.http
      .post('/api/servers')
      .set('Authorization', auth)
      .send({ name: 'doomed', runtime: 'npx', package: '@modelcontextprotocol/server-memory' })
      .expect(201);
    const deleted = await api.http
      .post(`/api/servers/${created.body.id}/delete`)
      .set('Authorization', auth)
      .expect(200);

    const job = await waitFor(async () => {
      const response = await api!.http.get(`/api/jobs/${deleted.body.jobId}`).set('Authorization', auth).expect(200);
      return response.body.state === 'completed' ? response.body : undefined;
    });
    expect(job).toMatchObject({ name: 'teardown-server', result: { serverId: created.body.id } });
    const events = await worker.get(AuditRepository).getRecent(10, 'server.teardown');
    expect(events).toEqual([
      expect.objectContaining({
        actor: 'system',
        target: created.body.id,
        detail: { name: 'doomed', containers: 0, images: 0 },
      }),
    ]);
    await api.http.get('/api/jobs/containers.teardown-server.nope').set('Authorization', auth).expect(404);
  });

  it('a restart on the same DATA_DIR keeps servers and keys and decrypts secrets; another SECRETS_KEY refuses', async () => {
    const { SECRETS_KEY: _key, ...withoutKey } = testEnv.env;
    api = await startApi(withoutKey);
    const auth = await loginHeader(api.http);
    const server = await api.http
      .post('/api/servers')
      .set('Authorization', auth)
      .send({
        name: 'kept',
        runtime: 'npx',
        package: '@modelcontextprotocol/server-memory',
        env: [{ key: 'API_TOKEN', secret: true, required: true, value: SECRET }],
      })
      .expect(201);
    const key = await api.http.post('/api/keys').set('Authorization', auth).send({ name: 'ci' }).expect(201);
    await api.close();

    // Same DATA_DIR, generated key file reused: everything is back, the secret decrypts, the old JWT still works.
    api = await startApi(withoutKey);
    await api.http.get(`/api/servers/${server.body.id}`).set('Authorization', auth).expect(200);
    expect(await api.app.get(ApiKeyService).verify(key.body.key)).toBe(key.body.id);
    const stored = await api.app.get(ServerRepository).getById(server.body.id);
    expect(decryptEnv(stored!, api.app.get(SecretCipher))).toEqual({ API_TOKEN: SECRET });
    await api.close();

    // Another key: boot works, but decrypting says clearly what is wrong, and never yields garbage.
    api = await startApi({ ...withoutKey, SECRETS_KEY: randomBytes(32).toString('hex') });
    const again = await api.app.get(ServerRepository).getById(server.body.id);
    expect(() => decryptEnv(again!, api!.app.get(SecretCipher))).toThrow(
      /Cannot decrypt env var API_TOKEN of server kept: SECRETS_KEY is not the key it was encrypted with/,
    );
  });
});
