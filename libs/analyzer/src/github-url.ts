import { GithubUrlError } from './analyzer.errors';

/** A GitHub repository, and optionally a ref and a sub-directory of it (a monorepo's server). */
export interface GithubRepoRef {
  owner: string;
  repo: string;
  /**
   * The path segments after `/tree/` (ref, then sub-directory), when the URL had them. A ref may itself contain
   * slashes (`feature/x`), so only GitHub can tell where the ref ends: see {@link splitRefAndPath}.
   */
  treePath?: string[];
}

const ACCEPTED_FORMS =
  'https://github.com/<owner>/<repo> (optionally ending in .git or /), ' +
  'https://github.com/<owner>/<repo>/tree/<ref>/<subdir>, or <owner>/<repo>';
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const SEGMENT = /^[^\s/\\?#]+$/;

/**
 * Parses what an admin pastes: `https://github.com/<owner>/<repo>` (with or without `.git` or a trailing slash,
 * `http`, `www.`), `https://github.com/<owner>/<repo>/tree/<ref>/<subdir>`, or `owner/repo`.
 * @throws {GithubUrlError} for anything else; its message names the accepted forms.
 */
export function parseGithubUrl(input: string): GithubRepoRef {
  const text = input.trim();
  const fail = (): never => {
    throw new GithubUrlError(`Not a GitHub repository URL: expected ${ACCEPTED_FORMS}`);
  };
  if (!text || text.length > 500) return fail();
  let segments: string[];
  if (/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(text)) {
    segments = text.split('/');
  } else {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return fail();
    }
    const host = url.hostname.toLowerCase();
    if (!['http:', 'https:'].includes(url.protocol) || (host !== 'github.com' && host !== 'www.github.com')) {
      return fail();
    }
    if (url.username || url.password || url.port) return fail();
    segments = url.pathname.split('/').filter((segment) => segment.length > 0);
    segments = segments.map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return fail();
      }
    });
  }
  const [owner, rawRepo, kind, ...rest] = segments;
  if (!owner || !rawRepo) return fail();
  const repo = rawRepo.replace(/\.git$/, '');
  if (!OWNER.test(owner) || !REPO.test(repo) || repo === '.' || repo === '..') return fail();
  if (kind === undefined) return { owner, repo };
  if (kind !== 'tree' || rest.length === 0 || rawRepo !== repo) return fail();
  if (rest.some((segment) => !SEGMENT.test(segment) || segment === '..' || segment === '.')) return fail();
  return { owner, repo, treePath: rest };
}

/**
 * The ways `treePath` splits into a ref and a sub-directory, shortest ref first (`a/b/c` → `a` + `b/c`,
 * `a/b` + `c`, `a/b/c` + ``), at most `max` of them.
 */
export function splitRefAndPath(treePath: string[], max = 3): { ref: string; subdir: string }[] {
  const splits: { ref: string; subdir: string }[] = [];
  for (let cut = 1; cut <= treePath.length && splits.length < max; cut += 1) {
    splits.push({ ref: treePath.slice(0, cut).join('/'), subdir: treePath.slice(cut).join('/') });
  }
  return splits;
}
