import { ApiKeyService } from './api-key.service';
import { makeTestEnv, loginHeader, type RunningApi, startApi, type TestEnv } from '../../../../tests/support/test-env';

describe('KeysController', () => {
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

  it('creates a key shown once, lists it without the key, and a revoked key stops verifying at once', async () => {
    const created = await sut.http.post('/api/keys').set('Authorization', auth).send({ name: 'laptop' }).expect(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^mcpr_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({ name: 'laptop', prefix: key.slice(0, 12), revokedAt: null });

    const keys = sut.app.get(ApiKeyService);
    expect(await keys.verify(key)).toBe(created.body.id);
    expect(await keys.verify(`${key.slice(0, -1)}x`)).toBeNull();

    const list = await sut.http.get('/api/keys').set('Authorization', auth).expect(200);
    expect(list.text).not.toContain(key);
    expect(list.body).toEqual([
      expect.objectContaining({ id: created.body.id, name: 'laptop', lastUsedAt: expect.any(String) }),
    ]);
    expect(list.body[0]).not.toHaveProperty('hash');

    const revoked = await sut.http.post(`/api/keys/${created.body.id}/revoke`).set('Authorization', auth).expect(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect(await keys.verify(key)).toBeNull();
    await sut.http.post(`/api/keys/${created.body.id}/revoke`).set('Authorization', auth).expect(200);
  });

  it('stops a key at once on every api replica when one of them revokes it', async () => {
    const other = await startApi(testEnv.env);
    try {
      const created = await sut.http.post('/api/keys').set('Authorization', auth).send({ name: 'shared' }).expect(201);
      const key = created.body.key as string;
      const there = other.app.get(ApiKeyService);
      expect(await there.verify(key)).toBe(created.body.id);
      await sut.http.post(`/api/keys/${created.body.id}/revoke`).set('Authorization', auth).expect(200);
      let result: string | null = created.body.id as string;
      for (let i = 0; i < 50 && result; i++) {
        result = await there.verify(key);
        if (result) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(result).toBeNull();
    } finally {
      await other.close();
    }
  });

  it('validates the name and answers 404 for an unknown key', async () => {
    const bad = await sut.http.post('/api/keys').set('Authorization', auth).send({ name: '  ' }).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'name', message: expect.any(String) }]);
    await sut.http.post('/api/keys/unknown-id/revoke').set('Authorization', auth).expect(404);
  });
});
