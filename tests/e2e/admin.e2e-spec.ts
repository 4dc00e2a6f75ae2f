import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { createAndInstall, type ServerBody } from '../support/mcp-servers';
import {
  loginHeader,
  makeTestEnv,
  type RunningApi,
  startApi,
  startWorker,
  TEST_PASSCODE,
  type TestEnv,
} from '../support/test-env';

/**
 * The admin app in a real browser (Debian's chromium, driven by playwright-core) against the real api, worker, Redis
 * and Docker engine, with the fake GitHub serving the fixture repositories. Every page visited is saved under
 * `tests/e2e/screenshots/`.
 */

const ROOT = resolve(__dirname, '..', '..');
const ADMIN_DIR = join(ROOT, 'dist', 'apps', 'admin', 'browser');
const SCREENSHOTS = join(__dirname, 'screenshots');
const FIXTURES = resolve(ROOT, '..', 'shared', 'fixtures', 'github');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const FIRECRAWL_URL = 'https://github.com/mendableai/firecrawl-mcp-server';

interface FakeGithub {
  url: string;
  close(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the fake GitHub is a CommonJS tool of the workplace.
const { startFakeGithub } = require(resolve(ROOT, '..', 'shared', 'tools', 'fake-github', 'server.cjs')) as {
  startFakeGithub(options: { root: string; port: number; latencyMs?: number }): Promise<FakeGithub>;
};

/** Builds the admin once when `dist` has none (CI builds it before the tests: `npm run build:admin`). */
function ensureAdminBuilt(): void {
  if (existsSync(join(ADMIN_DIR, 'index.html'))) return;
  execFileSync('npx', ['ng', 'build', 'admin'], { cwd: ROOT, stdio: 'inherit', timeout: 600_000 });
}

describe('Admin app (real browser, real api and worker)', () => {
  let testEnv: TestEnv;
  let github: FakeGithub;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let everything: ServerBody;
  const profiles: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureAdminBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    // A little latency per GitHub request, so that the analysis takes long enough for its progress to be seen.
    github = await startFakeGithub({ root: FIXTURES, port: 0, latencyMs: 100 });
    testEnv = makeTestEnv({ BUILD_NETWORK: 'host', GITHUB_API_URL: github.url });
    api = await startApi(testEnv.env, { adminDir: ADMIN_DIR });
    worker = await startWorker(testEnv.env);
    const auth = await loginHeader(api.http);
    everything = await createAndInstall(api.http, auth, {
      name: 'everything',
      displayName: 'Everything',
      description: 'The MCP reference server that exercises every feature.',
      runtime: 'npx',
      package: '@modelcontextprotocol/server-everything',
      args: ['stdio'],
    });
  }, 900_000);

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    for (const profile of profiles.splice(0)) rmSync(profile, { recursive: true, force: true });
  });

  afterAll(async () => {
    await api.close();
    await worker.close();
    await github.close();
    await testEnv.cleanup();
  }, 120_000);

  /** A fresh browser profile, logged out. */
  async function openBrowser(): Promise<Page> {
    const profile = mkdtempSync(join(tmpdir(), 'mcpr-chromium-'));
    profiles.push(profile);
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    contexts.push(context);
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    // Let animations (progress bars, ripples) settle.
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  async function logIn(page: Page, shot?: string): Promise<void> {
    await page.goto(`${api.url}/`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('Admin passcode').waitFor();
    if (shot) await screenshot(page, shot);
    await page.getByLabel('Admin passcode').fill(TEST_PASSCODE);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/servers$/);
    await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor();
  }

  it('adds a server from its GitHub URL: analysis progress, a secret filled in, saved, listed, never shown', async () => {
    const secret = `fc-${randomBytes(16).toString('hex')}`;
    const page = await openBrowser();
    await logIn(page, '01-login');
    await page.getByRole('cell', { name: 'everything', exact: false }).first().waitFor();
    await screenshot(page, '02-servers');

    await page.getByRole('link', { name: 'Add server' }).first().click();
    await page.waitForURL(/\/servers\/new/);
    await page.getByLabel('GitHub URL').waitFor();
    await screenshot(page, '03-add-server');

    // Record every value the analysis progress bar shows.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      const record = (): void => {
        const bar = document.querySelector('[aria-label="Analysis progress"]');
        const value = bar?.getAttribute('aria-valuenow');
        if (value && seen.at(-1) !== value) seen.push(value);
      };
      new MutationObserver(record).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['aria-valuenow'],
      });
    });
    await page.getByLabel('GitHub URL').fill(FIRECRAWL_URL);
    await page.getByRole('button', { name: 'Analyse' }).click();
    await page.locator('app-analysis-progress').waitFor();
    await screenshot(page, '04-analysing');
    await page.locator('[aria-label="Analysis progress"][aria-valuenow="100"]').waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe('100');

    await page.getByRole('heading', { name: 'Review the proposed plan' }).waitFor();
    const secretField = page.getByLabel('Value of FIRECRAWL_API_KEY');
    await secretField.waitFor();
    expect(await secretField.getAttribute('type')).toBe('password');
    await screenshot(page, '05-review-plan');
    await secretField.fill(secret);
    await page.getByRole('button', { name: 'Save server' }).click();
    await page.getByText('Saved', { exact: false }).first().waitFor();
    await screenshot(page, '06-saved');

    await page.getByRole('link', { name: 'Servers', exact: true }).click();
    await page.waitForURL(/\/servers$/);
    const row = page.getByRole('row').filter({ hasText: 'firecrawl' });
    await row.waitFor();
    await screenshot(page, '07-servers-with-firecrawl');

    await row.getByRole('link').first().click();
    await page.waitForURL(/\/servers\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: /firecrawl/i }).waitFor();
    await screenshot(page, '08-firecrawl-detail');
    expect(await page.content()).not.toContain(secret);
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByText('Secret stored, hidden.').waitFor();
    await screenshot(page, '09-firecrawl-settings');
    expect(await page.content()).not.toContain(secret);
    await page.getByRole('tab', { name: 'Log' }).click();
    await screenshot(page, '10-firecrawl-log');
  }, 180_000);

  it("tries a tool of an installed server through the router and shows the server's answer", async () => {
    const page = await openBrowser();
    await logIn(page);
    await page.goto(`${api.url}/servers/${everything.id}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Everything' }).waitFor();
    await screenshot(page, '11-everything-detail');

    const echo = page.locator('mat-expansion-panel').filter({ has: page.getByText('echo', { exact: true }) });
    await echo.locator('mat-expansion-panel-header').click();
    await echo.getByRole('button', { name: 'Try it' }).click();
    await echo.getByLabel('message').fill('hello from the browser');
    await echo.getByRole('button', { name: 'Run' }).click();
    await echo.getByText('Echo: hello from the browser').waitFor({ timeout: 120_000 });
    await screenshot(page, '12-everything-try-echo');
  }, 180_000);

  it('creates an API key shown once, offers client configurations, and logs out', async () => {
    const page = await openBrowser();
    await logIn(page);
    await page.getByRole('link', { name: 'Connect' }).click();
    await page.waitForURL(/\/connect$/);
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await screenshot(page, '13-connect');

    await page.getByLabel('Name of the new key').fill('Claude Desktop on my laptop');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.locator('.new-key code');
    await shown.waitFor();
    const key = (await shown.textContent())?.trim() ?? '';
    expect(key).toMatch(/^mcpr_[A-Za-z0-9_-]{40,}$/);
    await screenshot(page, '14-connect-new-key');
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await page.getByRole('cell', { name: 'Claude Desktop on my laptop' }).waitFor();
    expect(await page.content()).not.toContain(key);
    await page.reload();
    await page.getByRole('cell', { name: 'Claude Desktop on my laptop' }).waitFor();
    expect(await page.content()).not.toContain(key);

    await page.getByRole('link', { name: 'Sandbox' }).click();
    await page.getByRole('heading', { name: 'Python sandbox' }).waitFor();
    await screenshot(page, '15-sandbox');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    await page.getByLabel('Admin passcode').waitFor();
    await screenshot(page, '16-logged-out');
    await page.goto(`${api.url}/servers`);
    await page.waitForURL(/\/login/);
  }, 120_000);
});
