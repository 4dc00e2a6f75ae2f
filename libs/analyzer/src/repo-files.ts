/** A text file read from a repository. */
export interface RepoFile {
  /** Repo-relative path, `/`-separated. */
  path: string;
  content: string;
  /** True when the file was longer than its cap and `content` holds only its beginning. */
  truncated?: boolean;
}

/** What the heuristics get: the repository's identity and the files read from its root and sub-directory. */
export interface RepoSnapshot {
  owner: string;
  repo: string;
  /** The ref the files were read at. */
  ref: string;
  /** The monorepo sub-directory the server lives in, `''` for the repo root. */
  subdir: string;
  /** The repository's description on GitHub, if any. */
  description?: string | null;
  files: RepoFile[];
}

/** An entry of a repository tree: a path, its git type (`blob` for a file, `tree` for a folder), a size in bytes. */
export interface TreeEntry {
  path: string;
  type: string;
  size?: number;
}

/** The kinds of file the analyzer reads. */
export type RepoFileKind =
  | 'readme'
  | 'package.json'
  | 'pyproject'
  | 'setup.py'
  | 'setup.cfg'
  | 'dockerfile'
  | 'smithery'
  | 'server.json'
  | 'env-example'
  | 'compose'
  | 'openapi';

const KINDS: [RegExp, RepoFileKind][] = [
  [/^readme(\.(md|markdown|mdx|rst|txt))?$/i, 'readme'],
  [/^package\.json$/, 'package.json'],
  [/^pyproject\.toml$/, 'pyproject'],
  [/^setup\.py$/, 'setup.py'],
  [/^setup\.cfg$/, 'setup.cfg'],
  [/^dockerfile$/i, 'dockerfile'],
  [/^smithery\.ya?ml$/, 'smithery'],
  [/^server\.json$/, 'server.json'],
  [/^\.?env\.(example|sample|template)$/i, 'env-example'],
  [/^(docker-)?compose\.ya?ml$/, 'compose'],
  [/^(openapi|swagger)\.(json|ya?ml)$/i, 'openapi'],
];

/** Size cap of each file read, in bytes: READMEs get more room (monorepo READMEs run to 200 KB). */
export const FILE_SIZE_CAP = { readme: 256 * 1024, other: 64 * 1024 } as const;

/** The kind of a file by its name, or undefined for a file the analyzer does not read. */
export function repoFileKind(path: string): RepoFileKind | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return KINDS.find(([pattern]) => pattern.test(name))?.[1];
}

/** The folder of a repo-relative path (`''` for the root). */
export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/**
 * Which files of `tree` to read: the README (any case or extension), the manifests (package.json, pyproject.toml,
 * setup.py, setup.cfg, Dockerfile, smithery.yaml, server.json), `.env.example` / `.env.sample`, compose files and an
 * OpenAPI spec, in the repository root and in `subdir`. The sub-directory's files come first.
 */
export function selectRepoFiles(tree: TreeEntry[], subdir: string): string[] {
  const dirs = subdir ? [subdir, ''] : [''];
  const picked: string[] = [];
  for (const dir of dirs) {
    const inDir = tree
      .filter((entry) => entry.type === 'blob' && dirOf(entry.path) === dir && repoFileKind(entry.path) !== undefined)
      .map((entry) => entry.path)
      .sort(byKindThenName);
    picked.push(...inDir);
  }
  return picked;
}

function byKindThenName(a: string, b: string): number {
  const rank = (path: string): number => KINDS.findIndex(([, kind]) => kind === repoFileKind(path));
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** The size cap of a file, in bytes (see {@link FILE_SIZE_CAP}). */
export function fileSizeCap(path: string): number {
  return repoFileKind(path) === 'readme' ? FILE_SIZE_CAP.readme : FILE_SIZE_CAP.other;
}
