import { resolve, join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { createAndInstall } from '../tests/support/mcp-servers';
import { loginHeader, makeTestEnv, startApi, startWorker } from '../tests/support/test-env';
// eslint-disable-next-line
const { startFakeGithub } = require('/work/shared/tools/fake-github/server.cjs');
async function main(): Promise<void> {
  const gh = await startFakeGithub({ root: '/work/shared/fixtures/github', port: 0, latencyMs: 100 });
  const t = makeTestEnv({ BUILD_NETWORK: 'host', GITHUB_API_URL: gh.url, LOG_LEVEL: 'warn' });
  const api = await startApi(t.env, { adminDir: resolve(__dirname, '..', 'dist/apps/admin/browser') });
  const worker = await startWorker(t.env);
  const auth = await loginHeader(api.http);
  const s = await createAndInstall(api.http, auth, { name: 'everything', displayName: 'Everything', runtime: 'npx', package: '@modelcontextprotocol/server-everything', args: ['stdio'] });
  writeFileSync('/tmp/e2edev/info.json', JSON.stringify({ url: api.url, everything: s.id, prefix: t.env.QUEUE_PREFIX }));
  process.stdout.write(`READY ${api.url}\n`);
  process.on('SIGTERM', () => { void (async () => { await api.close(); await worker.close(); await gh.close(); await t.cleanup(); process.exit(0); })(); });
}
void main();
