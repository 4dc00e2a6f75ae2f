import { JwtService } from '@nestjs/jwt';
import {
  makeTestEnv,
  type RunningApi,
  startApi,
  TEST_PASSCODE,
  type TestEnv,
} from '../../../../tests/support/test-env';

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

describe('AuthController', () => {
  let testEnv: TestEnv;
  let sut: RunningApi;

  beforeAll(async () => {
    testEnv = makeTestEnv();
    sut = await startApi(testEnv.env);
  });

  afterAll(async () => {
    await sut.close();
    await testEnv.cleanup();
  });

  it('exchanges the right passcode for a 12-hour JWT that opens the API', async () => {
    const login = await sut.http.post('/api/auth/login').send({ passcode: TEST_PASSCODE }).expect(200);
    expect(login.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 43200 });
    expect(login.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    await sut.http.get('/api/servers').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
  });

  it('refuses a wrong passcode with 401 and a missing one with 400', async () => {
    await sut.http.post('/api/auth/login').send({ passcode: 'not-the-passcode' }).expect(401);
    const missing = await sut.http.post('/api/auth/login').send({}).expect(400);
    expect(missing.body.errors).toEqual([{ field: 'passcode', message: expect.any(String) }]);
  });

  it('answers 401 with WWW-Authenticate on every /api route but login and health, with no token or a forged one', async () => {
    const doc = (await sut.http.get('/api/docs-json').expect(200)).body as OpenApiDocument;
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method, path: path.replace(/\{[^}]+\}/g, 'some-id') })),
    );
    const guarded = routes.filter((route) => !['/api/auth/login', '/api/health'].includes(route.path));
    expect(guarded.length).toBeGreaterThanOrEqual(8);
    expect(routes.every((route) => ['get', 'post'].includes(route.method))).toBe(true);

    const forgedSecret = new JwtService({ secret: 'not-the-server-secret-but-long-enough-123' }).sign(
      { sub: 'admin' },
      { issuer: 'mcp-router', audience: 'mcp-router-admin', expiresIn: 3600 },
    );
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      '{"sub":"admin","iss":"mcp-router","aud":"mcp-router-admin"}',
    ).toString('base64url')}.`;
    for (const route of guarded) {
      for (const header of [undefined, `Bearer ${forgedSecret}`, `Bearer ${unsigned}`, 'Bearer garbage']) {
        const call = route.method === 'get' ? sut.http.get(route.path) : sut.http.post(route.path).send({});
        const response = await (header ? call.set('Authorization', header) : call);
        expect({ route, header, status: response.status }).toEqual({ route, header, status: 401 });
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    }
  });

  it('serves health without a token', async () => {
    const response = await sut.http.get('/api/health').expect(200);
    expect(response.body.checks).toMatchObject({ database: 'ok', redis: 'ok' });
  });

  it('throttles login: the 11th attempt within a minute is answered 429', async () => {
    const isolated = makeTestEnv();
    const api = await startApi(isolated.env);
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 11; attempt++) {
        statuses.push((await api.http.post('/api/auth/login').send({ passcode: `wrong-${attempt}` })).status);
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses[10]).toBe(429);
      await api.http.post('/api/auth/login').send({ passcode: TEST_PASSCODE }).expect(429);
    } finally {
      await api.close();
      await isolated.cleanup();
    }
  });
});
