import { Inject, Injectable, Logger } from '@nestjs/common';
import { type AnalysisPlan, type AnalysisStep, planSchema } from './analysis-plan.schema';
import { ANALYZER_OPTIONS, type AnalyzerOptions } from './analyzer.options';
import { InvalidPlanError, RepositoryNotFoundError } from './analyzer.errors';
import { AnthropicRepository } from './anthropic.repository';
import { buildPlanRequest, mergePlans, readPlanAnswer } from './claude-planner';
import { type GithubRepoRef, parseGithubUrl, splitRefAndPath } from './github-url';
import { GithubRepository, type GithubTree } from './github.repository';
import { planFromFiles } from './heuristics/heuristic-planner';
import {
  dirOf,
  fileSizeCap,
  type RepoFile,
  repoFileKind,
  type RepoSnapshot,
  selectRepoFiles,
  type TreeEntry,
} from './repo-files';
import { redactDeep, redactSecrets } from './secret-redaction';

/** Receives each step of an analysis and its percentage (0–100); awaited before the analysis goes on. */
export type AnalysisProgressCallback = (step: AnalysisStep, percent: number) => void | Promise<void>;

/** Files fetched from GitHub at once. */
const FILE_CONCURRENCY = 4;

/**
 * Turns a GitHub URL into an install-and-run plan: reads the repository through {@link GithubRepository}, runs the
 * heuristic planner, then (when an Anthropic key is configured) has Claude review it through
 * {@link AnthropicRepository}. Claude failing never fails the analysis: the heuristic plan is returned with a warning.
 */
@Injectable()
export class AnalyzerService {
  private readonly logger = new Logger(AnalyzerService.name);
  private readonly secrets: string[];

  constructor(
    private readonly github: GithubRepository,
    private readonly anthropic: AnthropicRepository,
    @Inject(ANALYZER_OPTIONS) options: AnalyzerOptions,
  ) {
    this.secrets = [options.githubToken, options.anthropicApiKey].filter((secret): secret is string => Boolean(secret));
  }

  /**
   * Analyzes a repository. `onProgress` hears `fetching`, `reading files`, `heuristics`, `claude` (when configured)
   * and `done`, with a percentage.
   * @throws {GithubUrlError} for a URL that is not a GitHub repository (its message names the accepted forms).
   * @throws {RepositoryNotFoundError} for an unknown repository, ref or sub-directory ("repository not found").
   * @throws {GithubRateLimitError} / {@link GithubUnavailableError} when GitHub fails (worth retrying later).
   * @throws {InvalidPlanError} when neither the heuristics nor Claude find a way to run the server.
   */
  async analyze(url: string, onProgress: AnalysisProgressCallback = () => undefined): Promise<AnalysisPlan> {
    try {
      return await this.run(url, onProgress);
    } catch (error) {
      if (error instanceof Error) error.message = redactSecrets(error.message, this.secrets);
      throw error;
    }
  }

  private async run(url: string, onProgress: AnalysisProgressCallback): Promise<AnalysisPlan> {
    const ref = parseGithubUrl(url);
    await onProgress('fetching', 5);
    const snapshot = await this.readRepository(ref, onProgress);
    const notes = snapshot.files
      .filter((file) => file.truncated)
      .map((file) => `${file.path} was cut to its first ${Math.round(fileSizeCap(file.path) / 1024)} KB.`);

    await onProgress('heuristics', 50);
    let plan: AnalysisPlan | undefined;
    let failure: Error | undefined;
    try {
      plan = planFromFiles(snapshot);
    } catch (error) {
      if (!(error instanceof InvalidPlanError)) throw error;
      failure = error;
    }

    if (this.anthropic.enabled) {
      await onProgress('claude', 60);
      const reviewed = await this.review(snapshot, plan);
      if (reviewed.plan) plan = reviewed.plan;
      if (reviewed.warning) {
        notes.push(reviewed.warning);
        if (!plan) failure = new InvalidPlanError(`${failure?.message ?? 'No plan'}; ${reviewed.warning}`);
      }
    }
    if (!plan) throw failure ?? new InvalidPlanError(`No plan could be made for ${url}`);
    const final = planSchema.parse(
      redactDeep({ ...plan, warnings: [...plan.warnings, ...notes].slice(0, 100) }, this.secrets),
    );
    this.logger.log(
      `Analyzed ${ref.owner}/${ref.repo}: ${final.runtime} ${final.package ?? final.image ?? final.url ?? ''} (confidence ${final.confidence})`,
    );
    await onProgress('done', 100);
    return final;
  }

  /** Claude's review of the plan: the merged plan, or a warning saying why the heuristic plan stands. */
  private async review(
    snapshot: RepoSnapshot,
    heuristic: AnalysisPlan | undefined,
  ): Promise<{ plan?: AnalysisPlan; warning?: string }> {
    const fallback = heuristic ? 'the plan is the heuristic one' : 'no plan';
    try {
      const request = buildPlanRequest({
        model: this.anthropic.model,
        snapshot,
        ...(heuristic ? { heuristicPlan: heuristic } : {}),
      });
      const answer = await this.anthropic.createMessage(request);
      const read = readPlanAnswer(answer);
      if ('problems' in read) {
        const warning = `Claude's answer was unusable (${read.problems.join('; ')}); ${fallback}.`;
        this.logger.warn(warning);
        return { warning };
      }
      return { plan: mergePlans(heuristic, read.plan, snapshot.files) };
    } catch (error) {
      const reason = redactSecrets(error instanceof Error ? error.message : String(error), this.secrets);
      const warning = `Claude could not review the plan (${reason}); ${fallback}.`;
      this.logger.warn(warning);
      return { warning };
    }
  }

  /** Reads the files the heuristics need from the repository root and the sub-directory. */
  private async readRepository(ref: GithubRepoRef, onProgress: AnalysisProgressCallback): Promise<RepoSnapshot> {
    const { owner, repo } = ref;
    const info = await this.github.getRepository(owner, repo);
    const { gitRef, subdir, tree } = await this.resolveTree(ref, info.defaultBranch);
    await onProgress('reading files', 20);
    let entries: TreeEntry[] = tree.entries;
    if (tree.truncated) {
      const dirs = subdir ? ['', subdir] : [''];
      entries = (await Promise.all(dirs.map((dir) => this.github.listDirectory(owner, repo, dir, gitRef)))).flat();
    }
    const paths = selectRepoFiles(entries, subdir);
    const sizes = new Map(entries.map((entry) => [entry.path, entry.size]));
    const files: RepoFile[] = [];
    let done = 0;
    await forEachLimited(paths, FILE_CONCURRENCY, async (path) => {
      const size = sizes.get(path);
      const isReadme = repoFileKind(path) === 'readme';
      // A manifest larger than its cap is not worth parsing half of; a README is, its setup comes first.
      if (!isReadme && size !== undefined && size > fileSizeCap(path)) {
        this.logger.debug(`Skipping ${owner}/${repo}/${path}: ${size} bytes`);
      } else {
        const file = await this.github.getFile(owner, repo, path, gitRef, fileSizeCap(path));
        if (file) files.push(file);
      }
      done += 1;
      await onProgress('reading files', 20 + Math.round((25 * done) / Math.max(1, paths.length)));
    });
    for (const dir of subdir ? [subdir, ''] : ['']) {
      if (!files.some((file) => dirOf(file.path) === dir && repoFileKind(file.path) === 'readme')) {
        const readme = await this.github.getReadme(owner, repo, dir, gitRef, fileSizeCap('README.md'));
        if (readme) files.push(readme);
      }
    }
    files.sort((a, b) => paths.indexOf(a.path) - paths.indexOf(b.path));
    return { owner, repo, ref: gitRef, subdir, description: info.description, files };
  }

  /**
   * Finds the ref and sub-directory of a `/tree/<ref>/<subdir>` URL, and the tree. A ref may contain `/`; git allows
   * no ref to be a prefix folder of another (`feature` and `feature/x` cannot both exist), so the first split whose ref
   * GitHub knows is the only one, and a folder missing there is missing.
   */
  private async resolveTree(
    ref: GithubRepoRef,
    defaultBranch: string,
  ): Promise<{ gitRef: string; subdir: string; tree: GithubTree }> {
    const { owner, repo, treePath } = ref;
    if (!treePath)
      return { gitRef: defaultBranch, subdir: '', tree: await this.github.getTree(owner, repo, defaultBranch) };
    for (const split of splitRefAndPath(treePath)) {
      let tree: GithubTree;
      try {
        tree = await this.github.getTree(owner, repo, split.ref);
      } catch (error) {
        if (error instanceof RepositoryNotFoundError) continue;
        throw error;
      }
      const exists =
        !split.subdir ||
        tree.truncated ||
        tree.entries.some((entry) => entry.path === split.subdir && entry.type === 'tree');
      if (!exists)
        throw new RepositoryNotFoundError(
          `repository not found: ${owner}/${repo} has no folder ${split.subdir} at ${split.ref}`,
        );
      return { gitRef: split.ref, subdir: split.subdir, tree };
    }
    throw new RepositoryNotFoundError(`repository not found: ${owner}/${repo} has no ref ${treePath.join('/')}`);
  }
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
