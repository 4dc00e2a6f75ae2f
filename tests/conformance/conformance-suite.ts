import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** The official suite's CLI (`@modelcontextprotocol/conformance`), run with this Node. */
const CONFORMANCE_CLI = join(
  __dirname,
  '..',
  '..',
  'node_modules',
  '@modelcontextprotocol',
  'conformance',
  'dist',
  'index.js',
);
/** A result folder is `server-<scenario>-<ISO time with : and . as ->`. */
const RESULT_DIR = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

const checkSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  status: z.enum(['SUCCESS', 'FAILURE', 'WARNING', 'SKIPPED', 'INFO']),
  errorMessage: z.string().optional(),
});

/** One check of the suite, with the scenario that made it. */
export interface ConformanceCheck extends z.infer<typeof checkSchema> {
  scenario: string;
  /** `<scenario> › <check id>`: stable across runs, the same for any server under test. */
  key: string;
}

/** The outcome of one run of the suite against one URL. */
export interface ConformanceRun {
  url: string;
  /** Every check of every scenario, in the order the suite reported them. */
  checks: ConformanceCheck[];
  /** Keys of the checks that passed (`SUCCESS`). */
  passed: string[];
  /** Keys of the checks that failed (`FAILURE`), each with its error message. */
  failed: { key: string; errorMessage?: string }[];
  /** The CLI's exit code (non-zero when any check failed). */
  exitCode: number | null;
  /** The CLI's stdout and stderr, for diagnosis. */
  output: string;
}

/**
 * Runs the official MCP conformance suite's server scenarios against `url` (a child process, argv only) and reads
 * the per-scenario `checks.json` files it writes.
 * @param options.suite `active` (the suite's default) or `all` (adds the pending scenarios); default `all`.
 * @param options.timeoutMs the run is killed after this long; default 150 000 ms.
 * @throws when the CLI cannot be run, is killed by the timeout, or writes no result at all.
 */
export async function runConformanceSuite(
  url: string,
  options: { suite?: 'active' | 'all'; timeoutMs?: number } = {},
): Promise<ConformanceRun> {
  const outputDir = mkdtempSync(join(tmpdir(), 'mcpr-conformance-'));
  try {
    const args = [CONFORMANCE_CLI, 'server', '--url', url, '--suite', options.suite ?? 'all', '-o', outputDir];
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 150_000);
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (signal) reject(new Error(`the conformance suite was killed (${signal}):\n${output}`));
        else resolve(code);
      });
    }).finally(() => {
      clearTimeout(timer);
    });

    const checks: ConformanceCheck[] = [];
    for (const dir of readdirSync(outputDir).sort()) {
      const scenario = RESULT_DIR.exec(dir)?.[1];
      if (!scenario) continue;
      const raw = JSON.parse(readFileSync(join(outputDir, dir, 'checks.json'), 'utf8')) as unknown;
      for (const check of z.array(checkSchema.loose()).parse(raw)) {
        checks.push({ ...check, scenario, key: `${scenario} › ${check.id}` });
      }
    }
    if (checks.length === 0)
      throw new Error(`the conformance suite reported no check (exit ${String(exitCode)}):\n${output}`);
    return {
      url,
      checks,
      passed: checks.filter((check) => check.status === 'SUCCESS').map((check) => check.key),
      failed: checks
        .filter((check) => check.status === 'FAILURE')
        .map((check) => ({ key: check.key, errorMessage: check.errorMessage })),
      exitCode,
      output,
    };
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}
