/** Stable codes of the analyzer's errors. */
export type AnalyzerErrorCode =
  | 'INVALID_GITHUB_URL'
  | 'REPOSITORY_NOT_FOUND'
  | 'GITHUB_RATE_LIMITED'
  | 'GITHUB_UNAVAILABLE'
  | 'GITHUB_UNAUTHORIZED'
  | 'ANTHROPIC_FAILED'
  | 'INVALID_PLAN';

/** Base class of the analyzer's errors: a stable `code`, and whether retrying the analysis could help. */
export abstract class AnalyzerError extends Error {
  /** The stable code of this error. */
  abstract readonly code: AnalyzerErrorCode;
  /** True when the same analysis would fail again (a bad URL, a missing repository). */
  abstract readonly permanent: boolean;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The URL is not one of the accepted GitHub repository forms; the message names them. */
export class GithubUrlError extends AnalyzerError {
  readonly code = 'INVALID_GITHUB_URL';
  readonly permanent = true;
}

/** GitHub answered 404 for the repository (or the ref / sub-directory in the URL). */
export class RepositoryNotFoundError extends AnalyzerError {
  readonly code = 'REPOSITORY_NOT_FOUND';
  readonly permanent = true;
}

/** GitHub's rate limit is exhausted and resets later than the analyzer is willing to wait. */
export class GithubRateLimitError extends AnalyzerError {
  readonly code = 'GITHUB_RATE_LIMITED';
  readonly permanent = false;
}

/** GitHub refused the configured token (401). */
export class GithubUnauthorizedError extends AnalyzerError {
  readonly code = 'GITHUB_UNAUTHORIZED';
  readonly permanent = true;
}

/** GitHub failed (5xx after retries, network error, unexpected answer). */
export class GithubUnavailableError extends AnalyzerError {
  readonly code = 'GITHUB_UNAVAILABLE';
  readonly permanent = false;
}

/** The Anthropic API failed or answered something unusable. */
export class AnthropicError extends AnalyzerError {
  readonly code = 'ANTHROPIC_FAILED';
  readonly permanent = false;
}

/** No valid plan could be made from what the repository holds. */
export class InvalidPlanError extends AnalyzerError {
  readonly code = 'INVALID_PLAN';
  readonly permanent = true;
}

/** True for an error that retrying the same analysis cannot fix (bad URL, unknown repository, no plan possible). */
export function isPermanentAnalysisError(error: unknown): boolean {
  return error instanceof AnalyzerError && error.permanent;
}
