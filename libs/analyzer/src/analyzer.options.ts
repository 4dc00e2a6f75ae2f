/** Injection token of the {@link AnalyzerOptions}. */
export const ANALYZER_OPTIONS = Symbol('ANALYZER_OPTIONS');

/** Settings of the analyzer, fed from the validated configuration (never read from `process.env` here). */
export interface AnalyzerOptions {
  /** Base URL of the GitHub REST API (`GITHUB_API_URL`). */
  githubApiUrl: string;
  /** `GITHUB_TOKEN`, when set: a higher rate limit and private repositories. */
  githubToken?: string;
  /** `ANTHROPIC_API_KEY`, when set: Claude reviews the heuristic plan. */
  anthropicApiKey?: string;
  /** `ANTHROPIC_MODEL`. */
  anthropicModel: string;
  /** `ANTHROPIC_BASE_URL`, when set. */
  anthropicBaseUrl?: string;
  /** Longest wait for a GitHub rate-limit reset before failing, in milliseconds. Default 60 000. */
  rateLimitWaitMaxMs?: number;
}
