import { Logger } from '@nestjs/common';
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { z } from 'zod';
import {
  GithubRateLimitError,
  GithubUnauthorizedError,
  GithubUnavailableError,
  RepositoryNotFoundError,
} from './analyzer.errors';
import type { RepoFile, TreeEntry } from './repo-files';
import { redactSecrets } from './secret-redaction';

/** Settings of {@link GithubRepository}. */
export interface GithubRepositoryOptions {
  /** Base URL of the GitHub REST API (`https://api.github.com`, or a fake in tests). */
  apiUrl: string;
  /** Token sent as `Authorization: token …` when set; never logged nor put in an error. */
  token?: string;
  /** Longest wait for a rate-limit reset before failing, in milliseconds. Default 60 000. */
  rateLimitWaitMaxMs?: number;
  /** Retries of a request that failed with a 5xx or a network error. Default 3. */
  retries?: number;
  /** Base of the retry backoff (waits of 1, 4, 9 × base), in milliseconds. Default 1000. */
  retryBaseDelayMs?: number;
  /** Bound on one call, retries and rate-limit waits included, in milliseconds. Default 60 000 + the wait bound. */
  timeoutMs?: number;
}

/** A repository's metadata. */
export interface GithubRepoInfo {
  defaultBranch: string;
  description: string | null;
}

/** A repository's file tree at a ref. */
export interface GithubTree {
  entries: TreeEntry[];
  /** True when GitHub cut the listing short (very large repositories). */
  truncated: boolean;
}

const ThrottledOctokit = Octokit.plugin(retry, throttling);
type ThrottledOctokit = InstanceType<typeof ThrottledOctokit>;

const repoSchema = z.object({ default_branch: z.string(), description: z.string().nullable().optional() });
const treeSchema = z.object({
  truncated: z.boolean().optional(),
  tree: z.array(z.object({ path: z.string(), type: z.string(), size: z.number().optional() })),
});
const listingSchema = z.array(z.object({ path: z.string(), type: z.string(), size: z.number().optional() }));
const encodedFileSchema = z.object({ content: z.string(), encoding: z.literal('base64') });
const requestErrorSchema = z.object({
  status: z.number(),
  message: z.string().optional(),
  response: z.object({ headers: z.record(z.string(), z.unknown()).optional() }).optional(),
});

const RAW = { accept: 'application/vnd.github.raw+json' };

/**
 * The analyzer's only door to GitHub: Octokit with retries (5xx and network errors, with backoff) and throttling (a
 * rate limit is waited out when it resets within `rateLimitWaitMaxMs`, otherwise the call fails with a
 * {@link GithubRateLimitError}). It uses three endpoints: `GET /repos/{owner}/{repo}`,
 * `GET /repos/{owner}/{repo}/git/trees/{ref}?recursive=1` and `GET /repos/{owner}/{repo}/contents/{path}?ref=`
 * (plus `/readme`). Errors never carry the token.
 */
export class GithubRepository {
  private readonly logger = new Logger(GithubRepository.name);
  private readonly octokit: ThrottledOctokit;
  private readonly secrets: string[];
  private readonly rateLimitWaitMaxMs: number;
  private readonly timeoutMs: number;

  constructor(options: GithubRepositoryOptions) {
    this.secrets = options.token ? [options.token] : [];
    this.rateLimitWaitMaxMs = options.rateLimitWaitMaxMs ?? 60_000;
    this.timeoutMs = options.timeoutMs ?? 60_000 + this.rateLimitWaitMaxMs;
    const log = (level: 'verbose' | 'debug' | 'warn') => (message: string) => {
      this.logger[level](redactSecrets(message, this.secrets));
    };
    const onLimit =
      (kind: string) =>
      (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        const waitMs = retryAfter * 1000;
        if (waitMs <= this.rateLimitWaitMaxMs && retryCount < 3) {
          this.logger.warn(`GitHub ${kind} rate limit on ${request.method} ${request.url}: waiting ${retryAfter} s`);
          return true;
        }
        this.logger.warn(
          `GitHub ${kind} rate limit on ${request.method} ${request.url}: resets in ${retryAfter} s, not waiting`,
        );
        return false;
      };
    this.octokit = new ThrottledOctokit({
      baseUrl: options.apiUrl.replace(/\/+$/, ''),
      ...(options.token ? { auth: options.token } : {}),
      userAgent: 'mcp-router-analyzer',
      // Octokit logs every request (info) and every failed one (error); this class reports what matters itself.
      log: { debug: log('verbose'), info: log('debug'), warn: log('warn'), error: log('debug') },
      retry: {
        retries: options.retries ?? 3,
        retryAfterBaseValue: options.retryBaseDelayMs ?? 1000,
      },
      throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    });
  }

  /**
   * The repository's default branch and description.
   * @throws {RepositoryNotFoundError} for a 404; {@link GithubRateLimitError}, {@link GithubUnauthorizedError} or
   *   {@link GithubUnavailableError} otherwise.
   */
  async getRepository(owner: string, repo: string): Promise<GithubRepoInfo> {
    const response = await this.call(`${owner}/${repo}`, () =>
      this.octokit.request('GET /repos/{owner}/{repo}', { owner, repo, request: this.requestOptions() }),
    );
    const data = repoSchema.parse(response.data);
    return { defaultBranch: data.default_branch, description: data.description ?? null };
  }

  /**
   * The whole file tree at `ref` (`?recursive=1`).
   * @throws {RepositoryNotFoundError} when the repository or the ref does not exist.
   */
  async getTree(owner: string, repo: string, ref: string): Promise<GithubTree> {
    const response = await this.call(`${owner}/${repo}@${ref}`, () =>
      this.octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
        owner,
        repo,
        tree_sha: ref,
        recursive: '1',
        request: this.requestOptions(),
      }),
    );
    const data = treeSchema.parse(response.data);
    return { entries: data.tree, truncated: data.truncated ?? false };
  }

  /** The entries of one folder (`''` for the root), for trees GitHub truncated. */
  async listDirectory(owner: string, repo: string, dir: string, ref: string): Promise<TreeEntry[]> {
    const response = await this.call(`${owner}/${repo}/${dir}@${ref}`, () =>
      this.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
        owner,
        repo,
        path: dir,
        ref,
        request: this.requestOptions(),
      }),
    );
    return listingSchema
      .parse(response.data)
      .map((entry) => ({ path: entry.path, type: entry.type === 'dir' ? 'tree' : 'blob', size: entry.size }));
  }

  /**
   * A text file, its content cut to `maxBytes` (`truncated` says so); undefined when it does not exist.
   * @throws {GithubRateLimitError} / {@link GithubUnavailableError} when GitHub fails.
   */
  async getFile(
    owner: string,
    repo: string,
    path: string,
    ref: string,
    maxBytes: number,
  ): Promise<RepoFile | undefined> {
    return this.optional(async () => {
      const response = await this.call(`${owner}/${repo}/${path}@${ref}`, () =>
        this.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
          owner,
          repo,
          path,
          ref,
          headers: RAW,
          request: this.requestOptions(),
        }),
      );
      return toRepoFile(path, response.data, maxBytes);
    });
  }

  /** The README of a folder (`''` for the repository's), found by GitHub whatever its case or extension. */
  async getReadme(
    owner: string,
    repo: string,
    dir: string,
    ref: string,
    maxBytes: number,
  ): Promise<RepoFile | undefined> {
    return this.optional(async () => {
      const response = await this.call(`${owner}/${repo}/${dir} README@${ref}`, () =>
        dir
          ? this.octokit.request('GET /repos/{owner}/{repo}/readme/{dir}', {
              owner,
              repo,
              dir,
              ref,
              request: this.requestOptions(),
            })
          : this.octokit.request('GET /repos/{owner}/{repo}/readme', {
              owner,
              repo,
              ref,
              request: this.requestOptions(),
            }),
      );
      const entry = z.object({ path: z.string() }).and(encodedFileSchema).parse(response.data);
      return toRepoFile(entry.path, entry, maxBytes);
    });
  }

  private requestOptions(): { signal: AbortSignal } {
    return { signal: AbortSignal.timeout(this.timeoutMs) };
  }

  private async optional<T>(read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof RepositoryNotFoundError) return undefined;
      throw error;
    }
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.toError(what, error);
    }
  }

  private toError(what: string, error: unknown): Error {
    const parsed = requestErrorSchema.safeParse(error);
    if (!parsed.success) {
      const reason = error instanceof Error ? error.message : String(error);
      return new GithubUnavailableError(redactSecrets(`GitHub request for ${what} failed: ${reason}`, this.secrets));
    }
    const { status } = parsed.data;
    const headers = parsed.data.response?.headers ?? {};
    const remaining = headers['x-ratelimit-remaining'];
    const rateLimited =
      status === 429 || (status === 403 && (remaining === '0' || /rate limit/i.test(parsed.data.message ?? '')));
    if (status === 404) return new RepositoryNotFoundError(`repository not found: ${what}`);
    if (rateLimited) {
      const reset = Number(headers['x-ratelimit-reset']);
      const when = Number.isFinite(reset) && reset > 0 ? ` it resets at ${new Date(reset * 1000).toISOString()},` : '';
      return new GithubRateLimitError(
        `GitHub API rate limit exceeded for ${what}:${when} later than the ${Number((this.rateLimitWaitMaxMs / 1000).toFixed(1))} s the analyzer waits. Configure GITHUB_TOKEN for a higher limit, or retry later.`,
      );
    }
    if (status === 401)
      return new GithubUnauthorizedError('GitHub rejected the configured GITHUB_TOKEN (401 Bad credentials)');
    const reason = redactSecrets(parsed.data.message ?? '', this.secrets).slice(0, 200);
    return new GithubUnavailableError(`GitHub answered ${status} for ${what}${reason ? `: ${reason}` : ''}`);
  }
}

const rawDataSchema = z.union([z.string(), z.instanceof(ArrayBuffer), encodedFileSchema.loose()]);

function toRepoFile(path: string, data: unknown, maxBytes: number): RepoFile {
  const parsed = rawDataSchema.parse(data);
  const bytes =
    typeof parsed === 'string'
      ? Buffer.from(parsed, 'utf8')
      : parsed instanceof ArrayBuffer
        ? Buffer.from(parsed)
        : Buffer.from(parsed.content, 'base64');
  const file: RepoFile = { path, content: bytes.subarray(0, maxBytes).toString('utf8') };
  if (bytes.length > maxBytes) file.truncated = true;
  return file;
}
