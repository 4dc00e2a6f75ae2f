import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Redis } from 'ioredis';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApiApp } from '../../apps/api/src/api.factory';
import { createWorkerApp } from '../../apps/worker/src/worker.factory';

/** The admin passcode every test environment uses unless it overrides it. */
export const TEST_PASSCODE = 'correct-horse-battery-staple';
/** Redis the tests use: `REDIS_URL` or the local one. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh environment: its own DATA_DIR (a temp folder) and its own queue prefix in the shared Redis. */
export interface TestEnv {
  dataDir: string;
  env: Record<string, string>;
  /** Deletes the temp folder and every Redis key under the prefix. */
  cleanup(): Promise<void>;
}

/** Makes a {@link TestEnv}; `overrides` are merged into its environment. */
export function makeTestEnv(overrides: Record<string, string> = {}): TestEnv {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpr-test-'));
  const prefix = `t${randomBytes(6).toString('hex')}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    ADMIN_PASSCODE: TEST_PASSCODE,
    PUBLIC_URL: 'http://localhost:8080',
    ...overrides,
  };
  return {
    dataDir,
    env,
    async cleanup() {
      await deleteRedisKeys(`${prefix}:*`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Deletes every key matching `pattern` in the test Redis. */
export async function deleteRedisKeys(pattern: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A running api on an ephemeral port with a supertest agent. */
export interface RunningApi {
  app: INestApplication;
  http: TestAgent;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the api on 127.0.0.1 with the given environment.
 * @param options.adminDir a built admin app (`dist/apps/admin/browser`) to serve at `/`; none by default.
 */
export async function startApi(env: Record<string, string>, options: { adminDir?: string } = {}): Promise<RunningApi> {
  const app = await createApiApp({ env, ...options });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const http = request(app.getHttpServer());
  return { app, http, url: url.replace('[::1]', '127.0.0.1'), close: () => app.close() };
}

/** Starts the worker with the given environment. */
export function startWorker(env: Record<string, string>): Promise<INestApplicationContext> {
  return createWorkerApp({ env });
}

/** Logs in and returns the `Authorization` header value. */
export async function loginHeader(http: TestAgent, passcode = TEST_PASSCODE): Promise<string> {
  const response = await http.post('/api/auth/login').send({ passcode }).expect(200);
  return `Bearer ${(response.body as { accessToken: string }).accessToken}`;
}

/** Everything stored under a Redis prefix, as one string (to search it for values that must not be there). */
export async function dumpRedis(prefix: string): Promise<string> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const parts: string[] = [];
    for (const key of await redis.keys(`${prefix}:*`)) {
      const type = await redis.type(key);
      if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'string') parts.push((await redis.get(key)) ?? '');
      else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      parts.push(key);
    }
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
}
