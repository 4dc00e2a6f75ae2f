import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
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

/**
 * Run in the page (the tests' TypeScript has no DOM types): records in `window.progressSeen` every value the analysis
 * progress bar takes.
 */
const RECORD_ANALYSIS_PROGRESS = `(() => {
  const seen = [];
  window.progressSeen = seen;
  new MutationObserver(() => {
    const value = document.querySelector('[aria-label="Analysis progress"]')?.getAttribute('aria-valuenow');
    if (value && seen.at(-1) !== value) seen.push(value);
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
})()`;

interface FakeGithub {
  url: string;
  close(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the fake GitHub is a CommonJS tool of the workplace.
const { startFakeGithub } = require(resolve(ROOT, '..', 'shared', 'tools', 'fake-github', 'server.cjs')) as {
  startFakeGithub(options: { root: string; port: number; latencyMs?: number }): Promise<FakeGithub>;
};

/** The newest modification time (ms) of the files under `dir`. */
function newestMtime(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((newest, entry) => Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs), 0);
}

/**
 * Builds the admin when `dist` has none, or one older than its sources (CI builds it before the tests:
 * `npm run build:admin`).
 */
function ensureAdminBuilt(): void {
  const index = join(ADMIN_DIR, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(ROOT, 'apps', 'admin', 'src'))) return;
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
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `No browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), as .ci/run does`,
      );
    }
    ensureAdminBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    // A little latency per GitHub request, so that the analysis takes long enough for its progress to be seen.
    github = await startFakeGithub({ root: FIXTURES, port: 0, latencyMs: 250 });
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

  /** What went wrong in the page: console errors, uncaught exceptions, failed API answers. */
  const pageProblems: string[] = [];

  /**
   * A browser test: on failure, saves a screenshot of the page as `FAILED-<name>.png` and adds what went wrong in the
   * page to the error.
   */
  function browserTest(name: string, body: (page: Page) => Promise<void>, timeoutMs: number): void {
    it(
      name,
      async () => {
        const page = await openBrowser();
        try {
          await body(page);
        } catch (error) {
          const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
          await page.screenshot({ path: join(SCREENSHOTS, `FAILED-${slug}.png`), fullPage: true }).catch(() => null);
          if (error instanceof Error && pageProblems.length) {
            error.message += `\n\nIn the page:\n${pageProblems.join('\n')}`;
          }
          throw error;
        }
      },
      timeoutMs,
    );
  }

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
    pageProblems.length = 0;
    page.on('console', (message) => {
      if (message.type() === 'error') pageProblems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => pageProblems.push(`uncaught: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) {
        pageProblems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
      }
    });
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    // Let animations (progress bars, ripples) settle; from the top, so that the sticky top bar is where it belongs.
    await page.waitForTimeout(300);
    await page.evaluate('window.scrollTo(0, 0)');
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

  browserTest(
    'adds a server from its GitHub URL: analysis progress, a secret filled in, saved, listed, never shown',
    async (page) => {
      const secret = `fc-${randomBytes(16).toString('hex')}`;
      await logIn(page, '01-login');
      await page.getByRole('cell', { name: 'everything', exact: false }).first().waitFor();
      await screenshot(page, '02-servers');

      await page.getByRole('link', { name: 'Add server' }).first().click();
      await page.waitForURL(/\/servers\/new/);
      await page.getByLabel('GitHub URL').waitFor();
      await screenshot(page, '03-add-server');

      // Record every value the analysis progress bar shows.
      await page.evaluate(RECORD_ANALYSIS_PROGRESS);
      await page.getByLabel('GitHub URL').fill(FIRECRAWL_URL);
      await page.getByRole('button', { name: 'Analyse' }).click();
      await page
        .locator('app-analysis-progress')
        .getByText(/^Analys(ing|ed) https/)
        .waitFor();
      await screenshot(page, '04-analysing');
      await page.locator('[aria-label="Analysis progress"][aria-valuenow="100"]').waitFor({ timeout: 60_000 });
      const seen = await page.evaluate<string[]>('window.progressSeen');
      expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => a - b));
      expect(seen.at(-1)).toBe('100');

      await page.getByRole('heading', { name: 'Review the proposed plan' }).waitFor();
      const secretField = page.getByLabel('Value of FIRECRAWL_API_KEY');
      await secretField.waitFor();
      expect(await secretField.getAttribute('type')).toBe('password');
      await screenshot(page, '05-review-plan');
      await secretField.fill(secret);
      await page.getByRole('button', { name: 'Save server' }).click();
      await page
        .locator('app-alert')
        .filter({ hasText: 'Saved Firecrawl MCP Server as firecrawl-mcp-server' })
        .waitFor();
      await screenshot(page, '06-saved');

      await page.getByRole('link', { name: 'Servers', exact: true }).click();
      await page.waitForURL(/\/servers$/);
      const row = page.getByRole('row').filter({ hasText: 'firecrawl' });
      await row.waitFor();
      await screenshot(page, '07-servers-with-firecrawl');

      await row.getByRole('link').first().click();
      await page.waitForURL(/\/servers\/[0-9a-f-]{36}$/);
      await page
        .getByRole('heading', { level: 1 })
        .filter({ hasText: /firecrawl/i })
        .waitFor();
      await screenshot(page, '08-firecrawl-detail');
      expect(await page.content()).not.toContain(secret);
      await page.getByRole('tab', { name: 'Settings' }).click();
      await page.getByText('Secret stored, hidden.').waitFor();
      await screenshot(page, '09-firecrawl-settings');
      expect(await page.content()).not.toContain(secret);
      await page.getByRole('tab', { name: 'Log' }).click();
      await screenshot(page, '10-firecrawl-log');
    },
    180_000,
  );

  browserTest(
    "reinstalls a server following its job, then tries one of its tools and shows the server's answer",
    async (page) => {
      await logIn(page);
      await page.goto(`${api.url}/servers/${everything.id}`);
      await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Everything' }).waitFor();
      await screenshot(page, '11-everything-detail');

      // Reinstall (the image is reused: the probe runs again) and follow the job to its end.
      await page.getByRole('button', { name: 'Reinstall' }).click();
      await page.locator('app-install-panel').getByRole('button', { name: 'Reinstall' }).click();
      await page.getByText('Installed: its tools are ready.').waitFor({ timeout: 240_000 });
      await page
        .locator('pre.log')
        .filter({ hasText: /probe ok: \d+ tools/ })
        .waitFor();
      await screenshot(page, '12-everything-reinstalled');

      const echo = page.locator('mat-expansion-panel').filter({ has: page.getByText('echo', { exact: true }) });
      await echo.locator('mat-expansion-panel-header').click();
      await echo.getByRole('button', { name: 'Try it' }).click();
      await echo.getByLabel('message').fill('hello from the browser');
      await echo.getByRole('button', { name: 'Run' }).click();
      await echo.getByText('Echo: hello from the browser').waitFor({ timeout: 120_000 });
      await screenshot(page, '13-everything-try-echo');
    },
    180_000,
  );

  browserTest(
    'creates an API key shown once, offers client configurations, and logs out',
    async (page) => {
      await logIn(page);
      // Where GET /api/connect is missing (an older router), the page says so and API keys still work.
      await page.route('**/api/connect', (route) =>
        route.fulfill({
          status: 404,
          contentType: 'application/json',
          body: JSON.stringify({ statusCode: 404, message: 'Cannot GET /api/connect' }),
        }),
      );
      await page.getByRole('link', { name: 'Connect' }).click();
      await page.waitForURL(/\/connect$/);
      await page.getByText(`Its MCP endpoint is ${api.url}/mcp.`, { exact: false }).waitFor();
      await page.getByRole('heading', { name: 'API keys' }).waitFor();
      await screenshot(page, '14-connect-unavailable');
      await page.unroute('**/api/connect');
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByText('http://localhost:8080/mcp', { exact: true }).waitFor();
      await screenshot(page, '15-connect');

      await page.getByLabel('Name of the new key').fill('Claude Desktop on my laptop');
      await page.getByRole('button', { name: 'Create key' }).click();
      const shown = page.locator('.new-key code');
      await shown.waitFor();
      const key = (await shown.textContent())?.trim() ?? '';
      expect(key).toMatch(/^mcpr_[A-Za-z0-9_-]{40,}$/);
      await screenshot(page, '16-connect-new-key');
      await page.getByRole('button', { name: 'I have saved it' }).click();
      await page.locator('.new-key').waitFor({ state: 'detached' });
      await page.getByRole('cell', { name: 'Claude Desktop on my laptop' }).waitFor();
      expect(await page.content()).not.toContain(key);
      await page.reload();
      await page.getByRole('cell', { name: 'Claude Desktop on my laptop' }).waitFor();
      expect(await page.content()).not.toContain(key);

      await page.getByRole('link', { name: 'Sandbox' }).click();
      await page.getByRole('heading', { name: 'Python sandbox' }).waitFor();
      await screenshot(page, '17-sandbox');

      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(/\/login/);
      await page.getByLabel('Admin passcode').waitFor();
      await screenshot(page, '18-logged-out');
      await page.goto(`${api.url}/servers`);
      await page.waitForURL(/\/login/);
    },
    120_000,
  );
});
