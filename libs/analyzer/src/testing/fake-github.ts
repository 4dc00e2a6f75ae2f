import { resolve } from 'node:path';

/** Where the shared fake GitHub server lives, beside the project checkout. */
export const FAKE_GITHUB_PATH = resolve(__dirname, '../../../../../shared/tools/fake-github/server.cjs');

/** Fault injection and layout of the fake GitHub (see the header of `server.cjs`). */
export interface FakeGithubOptions {
  root: string;
  port?: number;
  failFirst?: number;
  rateLimitAfter?: number;
  requireToken?: string;
  latencyMs?: number;
}

/** A running fake GitHub. */
export interface FakeGithub {
  url: string;
  port: number;
  stats(): { requests: number; byPath: Record<string, number> };
  close(): Promise<void>;
}

type StartFakeGithub = (options: FakeGithubOptions) => Promise<FakeGithub>;

function isStarter(module: unknown): module is { startFakeGithub: StartFakeGithub } {
  return (
    typeof module === 'object' &&
    module !== null &&
    typeof (module as { startFakeGithub?: unknown }).startFakeGithub === 'function'
  );
}

/** Starts the shared fake GitHub REST API on a free port. */
export async function startFakeGithub(options: FakeGithubOptions): Promise<FakeGithub> {
  const module: unknown = await import(FAKE_GITHUB_PATH);
  if (!isStarter(module)) throw new Error(`${FAKE_GITHUB_PATH} does not export startFakeGithub`);
  return module.startFakeGithub({ port: 0, ...options });
}
