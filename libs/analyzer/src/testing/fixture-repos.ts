import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { AnalysisPlan } from '../analysis-plan.schema';
import { parseGithubUrl } from '../github-url';
import { fileSizeCap, type RepoSnapshot, selectRepoFiles, type TreeEntry } from '../repo-files';

/** The fixture repositories (real READMEs and manifests of public MCP servers), beside the project checkout. */
export const FIXTURES_ROOT = resolve(__dirname, '../../../../../shared/fixtures/github');

const expectedCaseSchema = z.object({
  url: z.string(),
  runtime: z.string(),
  package: z.string(),
  args: z.array(z.string()),
  transport: z.string(),
  env_required: z.array(z.string()),
  env_optional: z.array(z.string()),
  evidence: z.string(),
});
/** A case of the fixtures' answer key (`expected.json`). */
export type ExpectedCase = z.infer<typeof expectedCaseSchema>;

/** The answer key: the plan a careful human would write for each fixture repository. */
export function expectedCases(): ExpectedCase[] {
  return z.array(expectedCaseSchema).parse(JSON.parse(readFileSync(join(FIXTURES_ROOT, 'expected.json'), 'utf8')));
}

function walk(dir: string, prefix = ''): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      entries.push({ path, type: 'tree' });
      entries.push(...walk(join(dir, entry.name), path));
    } else {
      entries.push({ path, type: 'blob' });
    }
  }
  return entries;
}

/** Reads a fixture repository the way `GithubRepository` reads a real one: the same file selection and size caps. */
export function loadFixtureSnapshot(url: string): RepoSnapshot {
  const ref = parseGithubUrl(url);
  const dir = join(FIXTURES_ROOT, ref.owner, ref.repo);
  const subdir = ref.treePath?.slice(1).join('/') ?? '';
  const files = selectRepoFiles(walk(dir), subdir).map((path) => {
    const bytes = readFileSync(join(dir, path));
    const cap = fileSizeCap(path);
    return { path, content: bytes.subarray(0, cap).toString('utf8'), truncated: bytes.length > cap };
  });
  return { owner: ref.owner, repo: ref.repo, ref: ref.treePath?.[0] ?? 'main', subdir, files };
}

/** How a plan compares with the answer key, by the fixtures' scoring rule; `mismatches` says what differs. */
export interface FixtureScore {
  matches: boolean;
  mismatches: string[];
}

/**
 * The fixtures' scoring rule: runtime, package (or image) and the set of required env keys match exactly; args
 * match when they have the same length and each pair is equal, or the expected one is a `<placeholder>` and the
 * produced one is a value (not a flag), or the expected `--flag=<placeholder>` and the produced one starts with
 * `--flag=`.
 */
export function scoreAgainstExpected(plan: AnalysisPlan, expected: ExpectedCase): FixtureScore {
  const mismatches: string[] = [];
  if (plan.runtime !== expected.runtime) mismatches.push(`runtime ${plan.runtime} ≠ ${expected.runtime}`);
  const pkg = plan.package ?? plan.image ?? plan.url ?? '';
  if (pkg !== expected.package) mismatches.push(`package ${pkg} ≠ ${expected.package}`);
  const argsMatch =
    plan.args.length === expected.args.length &&
    expected.args.every((want, index) => {
      const got = plan.args[index] ?? '';
      if (got === want) return true;
      if (/^<[^>]+>$/.test(want)) return !got.startsWith('-');
      const flag = /^(--?[^=]+=)<[^>]+>$/.exec(want);
      return flag !== null && got.startsWith(flag[1] ?? '');
    });
  if (!argsMatch) mismatches.push(`args ${JSON.stringify(plan.args)} ≠ ${JSON.stringify(expected.args)}`);
  const required = plan.env
    .filter((entry) => entry.required)
    .map((entry) => entry.key)
    .sort();
  const want = [...expected.env_required].sort();
  if (JSON.stringify(required) !== JSON.stringify(want)) {
    mismatches.push(`required env ${JSON.stringify(required)} ≠ ${JSON.stringify(want)}`);
  }
  return { matches: mismatches.length === 0, mismatches };
}
