import type { AnalysisPlan, Evidence, PlanEnvVar } from '../analysis-plan.schema';
import { planSchema, SERVER_NAME_PATTERN } from '../analysis-plan.schema';
import { InvalidPlanError } from '../analyzer.errors';
import { findUnsafeLaunch, looksLikeInjectedCommand } from '../plan-safety';
import { dirOf, type RepoFile, repoFileKind, type RepoSnapshot } from '../repo-files';
import { envHintsFromCode, envHintsFromReadme } from './env-hints';
import { flagMatchesEnv, isPlaceholderValue, isSecretFlag, isSecretName } from './env-rules';
import {
  imageIdentity,
  type LaunchSpec,
  parseLaunchArgv,
  pypiName,
  remoteSpec,
  stripNpmVersion,
} from './launch-command';
import { type EnvHint, type ManifestFacts, readManifests } from './manifest-parser';
import { type MarkdownDoc, parseMarkdown, plainText } from './markdown-parser';
import { type LaunchCandidate, type Recommendation, scanReadme } from './readme-scan';

/** Weights of the launch ranking. A README's own recommendation beats the order it lists things in. */
const SCORE = {
  /** The package / image is the one the repository's manifests publish (or `ghcr.io/<owner>/<repo>`). */
  identity: 10,
  /** The README recommends this runtime in prose. */
  recommended: 6,
  /** npx / uvx fetch a published package: nothing to build, no host state. */
  packageRuntime: 2,
  /** The README builds this image itself (`docker build -t`), so no registry serves it. */
  locallyBuilt: -6,
  /** The README pulls this image from a registry. */
  pulled: 1,
  /** A hosted server: the router prefers what it can run itself. */
  remote: -15,
  /** Only the manifests (not the README) describe this launch. */
  manifestOnly: -8,
  /** Only the root README of a monorepo mentions it. */
  secondaryOnly: -2,
  /** Per README mention, capped: the canonical configuration is repeated for each client. */
  perMention: 0.5,
  maxMentions: 3,
  /** Earliest first, spread over the document. */
  order: 3,
} as const;

interface Group {
  key: string;
  variants: LaunchCandidate[];
  identity: boolean;
  score: number;
  firstOrdinal: number;
}

/**
 * The heuristic planner: a pure function from the files read from a repository to an install-and-run plan. It
 * collects every launch the READMEs document (client configurations, `npx` / `uvx` / `docker run` / `claude mcp add`
 * commands, install badges), ranks them (published identity, the README's own recommendation, runtime, mentions,
 * order; sections about Windows, development, enterprise or other transports count against a variant), then derives
 * the environment variables and which of them are required from the chosen configuration, the README's tables and
 * lists, `.env.example`, `server.json`, `smithery.yaml`, code and an OpenAPI spec. Every field carries its evidence.
 * @throws {InvalidPlanError} when nothing in the files says how to run the server.
 */
export function planFromFiles(snapshot: RepoSnapshot): AnalysisPlan {
  const { subdir } = snapshot;
  const ownFiles = snapshot.files.filter((file) => dirOf(file.path) === subdir);
  const rootFiles = subdir ? snapshot.files.filter((file) => dirOf(file.path) === '') : [];
  const readmeOf = (files: RepoFile[]): RepoFile | undefined =>
    files.find((file) => repoFileKind(file.path) === 'readme');
  const primaryReadme = readmeOf(ownFiles) ?? readmeOf(rootFiles);
  const secondaryReadme =
    subdir && primaryReadme && dirOf(primaryReadme.path) === subdir ? readmeOf(rootFiles) : undefined;
  const ownManifests = ownFiles.filter((file) => repoFileKind(file.path) !== 'readme');
  const facts = readManifests(
    ownManifests.length > 0 ? ownManifests : rootFiles.filter((file) => repoFileKind(file.path) !== 'readme'),
  );

  const primaryDoc = primaryReadme ? parseMarkdown(primaryReadme.path, primaryReadme.content) : undefined;
  const secondaryDoc = secondaryReadme ? parseMarkdown(secondaryReadme.path, secondaryReadme.content) : undefined;
  const primaryScan = primaryDoc ? scanReadme(primaryDoc, true) : undefined;
  const secondaryScan = secondaryDoc ? scanReadme(secondaryDoc, false) : undefined;
  const identityOf = (launch: LaunchSpec): boolean => hasIdentity(launch, facts, snapshot);
  const candidates = [
    ...(primaryScan?.candidates ?? []),
    // A monorepo's root README lists every server of the repository: only what names this one counts.
    ...(secondaryScan?.candidates ?? []).filter((candidate) => identityOf(candidate.launch)),
  ];
  const builtImages = new Set([
    ...(primaryScan?.builtImages ?? []),
    ...(secondaryScan?.builtImages ?? []),
    ...facts.locallyBuiltImages.map(imageIdentity),
  ]);
  const pulledImages = new Set([...(primaryScan?.pulledImages ?? []), ...(secondaryScan?.pulledImages ?? [])]);
  const recommendations = primaryScan?.recommendations ?? [];
  const manifestCandidates = manifestLaunches(facts, snapshot);

  const groups = rankGroups([...candidates, ...manifestCandidates], {
    identityOf,
    builtImages,
    pulledImages,
    recommendations,
    readmeCount: candidates.length,
  });
  const best = groups[0];
  if (!best) {
    throw new InvalidPlanError(
      `Found no way to run ${snapshot.owner}/${snapshot.repo}${subdir ? `/${subdir}` : ''}: no npx, uvx, docker or remote configuration in its README or manifests`,
    );
  }
  const chosen = pickVariant(best.variants);
  const warnings: string[] = [];
  const evidence: Record<string, Evidence> = {};
  const launch = chosen.launch;
  const where: Evidence = evidenceAt(chosen);

  const displayName = displayNameOf(snapshot, facts, primaryDoc);
  const description = descriptionOf(snapshot, facts, primaryDoc);
  if (displayName.evidence) evidence.displayName = displayName.evidence;
  if (description.evidence) evidence.description = description.evidence;
  const plan: AnalysisPlan = {
    name: serverName(snapshot),
    displayName: displayName.text,
    description: description.text,
    runtime: launch.runtime,
    args: placeholderArgs(launch.args),
    transport: launch.transport,
    env: [],
    confidence: 0,
    warnings,
    evidence,
  };
  evidence.runtime = where;
  if (launch.package) {
    plan.package = launch.package;
    evidence.package = where;
  }
  if (launch.image) {
    plan.image = launch.image;
    evidence.image = where;
  }
  if (launch.url) {
    plan.url = launch.url;
    evidence.url = where;
  }
  if (launch.port !== undefined && launch.transport !== 'stdio') {
    plan.port = launch.port;
    evidence.port = where;
  }
  evidence.args = where;
  evidence.transport = where;
  const recommendation = recommendations.find((item) => item.runtime === launch.runtime);
  if (recommendation) {
    evidence.recommendation = recommendation.text
      ? { file: recommendation.file, line: recommendation.line, text: recommendation.text }
      : { file: recommendation.file, line: recommendation.line };
  }

  plan.env = planEnv({ chosen, group: best, facts, primaryDoc, files: snapshot.files, evidence });
  // A server that needs credentials talks to an online service: without egress it could not reach it.
  const credential = plan.env.find((entry) => entry.secret && entry.required);
  plan.network = credential || launch.runtime === 'remote' ? 'egress' : 'none';
  const credentialEvidence = credential ? evidence[`env.${credential.key}`] : undefined;
  if (credentialEvidence) evidence.network = credentialEvidence;
  warnings.push(...launchWarnings(chosen, best, groups, builtImages));
  plan.confidence = confidenceOf(best, groups, chosen);

  const problems = findUnsafeLaunch(plan);
  if (problems.length > 0) throw new InvalidPlanError(`The documented launch is unsafe: ${problems.join('; ')}`);
  return planSchema.parse(plan);
}

function evidenceAt(candidate: LaunchCandidate): Evidence {
  return candidate.text
    ? { file: candidate.file, line: candidate.line, text: candidate.text }
    : { file: candidate.file, line: candidate.line };
}

/** True when the launch is the package / image / URL the repository's own manifests publish. */
function hasIdentity(launch: LaunchSpec, facts: ManifestFacts, snapshot: RepoSnapshot): boolean {
  switch (launch.runtime) {
    case 'npx':
      return (
        launch.package !== undefined && facts.npm.some((item) => item.name === stripNpmVersion(launch.package ?? ''))
      );
    case 'uvx':
      return (
        launch.package !== undefined &&
        facts.pypi.some((item) => pypiName(item.name) === pypiName(launch.package ?? ''))
      );
    case 'docker': {
      const identity = imageIdentity(launch.image ?? '');
      if (facts.images.some((item) => imageIdentity(item.name) === identity)) return true;
      const segments = identity.split('/');
      const owner = snapshot.owner.toLowerCase();
      const repo = snapshot.repo.toLowerCase();
      if (segments.at(-2) === owner && segments.at(-1) === repo) return true;
      const leaf = snapshot.subdir.split('/').at(-1)?.toLowerCase();
      return (
        Boolean(leaf) && segments.at(-1) === leaf && segments.slice(0, -1).some((segment) => segment.startsWith(owner))
      );
    }
    case 'remote':
      return facts.remotes.some((remote) => remote.url === launch.url);
  }
}

/** Launches the manifests describe, for a repository whose README documents none (or only a hosted server). */
function manifestLaunches(facts: ManifestFacts, snapshot: RepoSnapshot): LaunchCandidate[] {
  const out: LaunchCandidate[] = [];
  const add = (launch: LaunchSpec | { rejected: string }, file: string, line: number, text: string): void => {
    if ('rejected' in launch || findUnsafeLaunch(launch).length > 0) return;
    out.push({ launch, file, line, text, kind: 'config', context: 'manifest', primary: false });
  };
  for (const pkg of facts.serverJsonPackages) {
    const env = facts.env
      .filter((hint) => hint.source === 'server.json' && hint.file === pkg.file)
      .map((hint) => ({ key: hint.key }));
    const runtime =
      pkg.registryType === 'npm'
        ? 'npx'
        : pkg.registryType === 'pypi'
          ? 'uvx'
          : pkg.registryType === 'oci'
            ? 'docker'
            : undefined;
    if (!runtime) continue;
    const argv =
      runtime === 'docker'
        ? ['docker', 'run', '-i', '--rm', pkg.identifier, ...pkg.args]
        : [runtime, pkg.identifier, ...pkg.args];
    const launch = parseLaunchArgv(argv, env);
    if (!('rejected' in launch)) launch.transport = pkg.transport;
    add(launch, pkg.file, pkg.line, `server.json package ${pkg.identifier}`);
  }
  for (const remote of facts.remotes)
    add(remoteSpec(remote.url, remote.transport), remote.file, remote.line, remote.url);
  for (const name of facts.npm) {
    if (facts.executables.length > 0)
      add(parseLaunchArgv(['npx', name.name]), name.file, name.line, `package.json name ${name.name}`);
  }
  for (const name of facts.pypi) {
    if (facts.executables.length > 0)
      add(parseLaunchArgv(['uvx', name.name]), name.file, name.line, `Python package ${name.name}`);
  }
  if (facts.smitheryCommand) {
    const { argv, file, line } = facts.smitheryCommand;
    add(parseLaunchArgv(argv), file, line, 'smithery.yaml commandFunction');
  }
  const dockerfile = facts.dockerfiles[0];
  if (dockerfile) {
    const image = `${snapshot.owner}/${snapshot.repo}`.toLowerCase();
    const launch = parseLaunchArgv(['docker', 'run', '-i', '--rm', image]);
    if (!('rejected' in launch)) launch.traits.push('local-build');
    add(launch, dockerfile.file, 1, 'Dockerfile');
  }
  return out;
}

interface RankInputs {
  identityOf: (launch: LaunchSpec) => boolean;
  builtImages: Set<string>;
  pulledImages: Set<string>;
  recommendations: Recommendation[];
  readmeCount: number;
}

function groupKey(launch: LaunchSpec): string {
  switch (launch.runtime) {
    case 'npx':
      return `npx:${stripNpmVersion(launch.package ?? '')}`;
    case 'uvx':
      return `uvx:${pypiName(launch.package ?? '')}`;
    case 'docker':
      return `docker:${imageIdentity(launch.image ?? '')}`;
    case 'remote':
      return `remote:${launch.url ?? ''}`;
  }
}

/** Groups launches by what they run (runtime and package / image / URL) and ranks the groups, best first. */
function rankGroups(candidates: LaunchCandidate[], inputs: RankInputs): Group[] {
  const groups = new Map<string, Group>();
  candidates.forEach((candidate, ordinal) => {
    const key = groupKey(candidate.launch);
    const group = groups.get(key);
    if (group) group.variants.push(candidate);
    else groups.set(key, { key, variants: [candidate], identity: false, score: 0, firstOrdinal: ordinal });
  });
  const recommended = new Set(inputs.recommendations.map((item) => item.runtime));
  const total = Math.max(1, inputs.readmeCount);
  for (const group of groups.values()) {
    const launch = group.variants[0]?.launch;
    if (!launch) continue;
    const fromReadme = group.variants.filter((variant) => variant.context !== 'manifest');
    group.identity = inputs.identityOf(launch);
    let score = 0;
    if (group.identity) score += SCORE.identity;
    if (recommended.has(launch.runtime)) score += SCORE.recommended;
    if (launch.runtime === 'npx' || launch.runtime === 'uvx') score += SCORE.packageRuntime;
    if (launch.runtime === 'remote') score += SCORE.remote;
    if (launch.runtime === 'docker') {
      const identity = imageIdentity(launch.image ?? '');
      if (inputs.pulledImages.has(identity)) score += SCORE.pulled;
      else if (inputs.builtImages.has(identity) || launch.traits.includes('local-build')) score += SCORE.locallyBuilt;
    }
    if (fromReadme.length === 0) score += SCORE.manifestOnly;
    else if (!fromReadme.some((variant) => variant.primary)) score += SCORE.secondaryOnly;
    score += Math.min(SCORE.maxMentions, fromReadme.length * SCORE.perMention);
    if (fromReadme.length > 0) score += SCORE.order * (1 - Math.min(group.firstOrdinal, total) / total);
    score -= Math.min(...group.variants.map(variantPenalty));
    group.score = score;
  }
  return [...groups.values()].sort((a, b) => b.score - a.score || a.firstOrdinal - b.firstOrdinal);
}

/**
 * How much a variant's surroundings argue against it as the default: Windows wrappers, enterprise or self-hosted
 * setups, development and debugging sections, advanced or alternative options, other transports, detached or
 * volume-mounting containers, `--help`.
 */
function variantPenalty(candidate: LaunchCandidate): number {
  const context = candidate.context;
  const traits = candidate.launch.traits;
  let penalty = 0;
  if (traits.includes('windows') || /\bwindows\b|powershell|\bwsl\b/.test(context)) penalty += 3;
  if (/enterprise|self[- ]hosted|\bghes\b|on[- ]prem/.test(context)) penalty += 3;
  if (/develop|from source|contribut|debug|\btest(s|ing)?\b|\bbuild(ing)?\b|local changes/.test(context)) penalty += 3;
  if (/advanced|custom|alternative|legacy|deprecated|optional|experimental/.test(context)) penalty += 2;
  if (/\bsse\b|streamable|\bhttp\b|server-sent|standalone|long-lived/.test(context)) penalty += 2;
  if (traits.includes('detached')) penalty += 3;
  if (traits.includes('entrypoint')) penalty += 2;
  if (traits.includes('volume')) penalty += 1;
  if (traits.includes('env-file')) penalty += 1;
  if (traits.includes('local-build')) penalty += 4;
  if (candidate.launch.args.some((arg) => /^(--help|-h|--version|-v)$/.test(arg))) penalty += 5;
  if (candidate.kind === 'inline' || candidate.kind === 'link') penalty += 0.5;
  if (candidate.context === 'manifest') penalty += 4;
  return penalty;
}

/** The variant of the winning launch to use: the least penalized, then the earliest. */
function pickVariant(variants: LaunchCandidate[]): LaunchCandidate {
  let best = variants[0];
  let bestPenalty = Number.POSITIVE_INFINITY;
  for (const variant of variants) {
    const penalty = variantPenalty(variant);
    if (penalty < bestPenalty) {
      best = variant;
      bestPenalty = penalty;
    }
  }
  if (!best) throw new InvalidPlanError('A launch group without variants');
  return best;
}

/** Argument values that are README stand-ins become `<name>` placeholders (`--api-key=YOUR-KEY` → `--api-key=<api-key>`). */
function placeholderArgs(args: string[]): string[] {
  return args.map((arg, index) => {
    const inline = /^(--?[A-Za-z0-9][\w-]*)=(.*)$/.exec(arg);
    if (inline && isPlaceholderValue(inline[2])) return `${inline[1] ?? ''}=<${(inline[1] ?? '').replace(/^-+/, '')}>`;
    const previous = args[index - 1];
    if (!arg.startsWith('-') && isPlaceholderValue(arg) && !/^<[^>]+>$/.test(arg) && previous?.startsWith('--')) {
      return `<${previous.replace(/^-+/, '')}>`;
    }
    return arg;
  });
}

interface EnvInputs {
  chosen: LaunchCandidate;
  group: Group;
  facts: ManifestFacts;
  primaryDoc: MarkdownDoc | undefined;
  files: RepoFile[];
  evidence: Record<string, Evidence>;
}

const DESCRIPTION_RANK: Record<EnvHint['source'], number> = {
  'readme-table': 0,
  'readme-list': 1,
  'server.json': 2,
  smithery: 3,
  openapi: 4,
  'env-example': 5,
  'readme-prose': 6,
  compose: 7,
  code: 8,
  launch: 9,
};

/**
 * The plan's env: the chosen configuration's variables first (required when their value is a stand-in or their name
 * says credential, unless the README's tables and lists say optional, or an argument of the launch already carries
 * them), then every other variable the files mention, optional (an OpenAPI API-key scheme, or `server.json` marking
 * one required for the chosen package, makes it required).
 */
function planEnv(inputs: EnvInputs): PlanEnvVar[] {
  const { chosen, group, facts, primaryDoc, files, evidence } = inputs;
  const hints: EnvHint[] = [];
  if (primaryDoc) {
    hints.push(...envHintsFromReadme(primaryDoc));
    for (const block of primaryDoc.codeBlocks) {
      for (const hint of envHintsFromCode(primaryDoc.file, block.lines.join('\n'))) {
        hints.push({ ...hint, line: block.startLine + hint.line - 1 });
      }
    }
  }
  hints.push(...facts.env);
  for (const file of files) {
    const kind = repoFileKind(file.path);
    if (kind !== 'readme' && kind !== 'env-example') hints.push(...envHintsFromCode(file.path, file.content));
  }
  const docVerdict = (key: string): boolean | undefined => {
    const documented = hints.filter(
      (hint) => hint.key === key && (hint.source === 'readme-table' || hint.source === 'readme-list'),
    );
    if (documented.some((hint) => hint.required === false)) return false;
    if (documented.some((hint) => hint.required === true)) return true;
    return undefined;
  };
  const serverJsonRequires = (key: string): boolean =>
    group.identity && hints.some((hint) => hint.key === key && hint.source === 'server.json' && hint.required === true);
  const carriedByArgument = (key: string): string | undefined =>
    chosen.launch.args.find((arg) => arg.startsWith('-') && flagMatchesEnv(arg, key));
  // The best description a file gives; none that carries a command a README may have planted.
  const describe = (key: string): string => {
    const best = hints
      .filter((hint) => hint.key === key && hint.description && !looksLikeInjectedCommand(hint.description))
      .sort((a, b) => DESCRIPTION_RANK[a.source] - DESCRIPTION_RANK[b.source])[0];
    return (best?.description ?? '').slice(0, 500);
  };
  const secretOf = (key: string, value?: string): boolean =>
    isSecretName(key) ||
    hints.some((hint) => hint.key === key && hint.secret === true) ||
    (value !== undefined && /:\/\/[^/\s:@]+:[^@\s]+@/.test(value));

  const env = new Map<string, PlanEnvVar>();
  for (const entry of chosen.launch.env) {
    let required = isPlaceholderValue(entry.value) || isSecretName(entry.key);
    const verdict = docVerdict(entry.key);
    if (verdict !== undefined) required = verdict;
    else if (serverJsonRequires(entry.key)) required = true;
    if (carriedByArgument(entry.key)) required = false;
    env.set(entry.key, {
      key: entry.key,
      description: describe(entry.key),
      required,
      secret: secretOf(entry.key, entry.value),
    });
    evidence[`env.${entry.key}`] = evidenceAt(chosen);
  }
  const others: EnvHint[] = [
    ...group.variants.flatMap((variant) =>
      variant.launch.env.map((entry) => ({
        key: entry.key,
        file: variant.file,
        line: variant.line,
        source: 'launch' as const,
      })),
    ),
    ...hints,
  ];
  for (const hint of others) {
    if (env.has(hint.key) || !/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(hint.key) || env.size >= 200) continue;
    const required =
      !carriedByArgument(hint.key) &&
      ((hint.source === 'openapi' && hint.required === true) ||
        (serverJsonRequires(hint.key) && docVerdict(hint.key) !== false));
    env.set(hint.key, { key: hint.key, description: describe(hint.key), required, secret: secretOf(hint.key) });
    evidence[`env.${hint.key}`] = { file: hint.file, line: hint.line };
  }
  return [...env.values()];
}

function launchWarnings(chosen: LaunchCandidate, best: Group, groups: Group[], builtImages: Set<string>): string[] {
  const warnings: string[] = [];
  const launch = chosen.launch;
  if (chosen.context === 'manifest') {
    warnings.push(
      `The README documents no runnable configuration; this plan comes from ${chosen.file} and needs checking.`,
    );
  }
  if (launch.traits.includes('local-build')) {
    warnings.push(
      `No published image was found: ${launch.image ?? ''} is a guess at a name for an image built from ${chosen.file}.`,
    );
  } else if (launch.runtime === 'docker' && builtImages.has(imageIdentity(launch.image ?? ''))) {
    warnings.push(`The README builds ${launch.image ?? ''} locally (docker build); make sure a registry serves it.`);
  }
  if (launch.runtime === 'remote')
    warnings.push('Only a hosted (remote) server is documented; it runs outside the router.');
  if (launch.executable) {
    warnings.push(
      `uvx must run the executable ${launch.executable} from the package ${launch.package ?? ''} (uvx --from).`,
    );
  }
  if (launch.traits.includes('volume')) {
    warnings.push('The README mounts host folders into the container (-v); containers here get no host mounts.');
  }
  const secretFlags = launch.args.filter((arg) => arg.startsWith('-') && isSecretFlag(arg));
  if (secretFlags.length > 0) {
    warnings.push(
      `A credential is passed on the command line (${secretFlags.map((arg) => arg.split('=')[0] ?? arg).join(', ')}): arguments are not stored encrypted; prefer the env variable if the server reads one.`,
    );
  }
  if (
    launch.args.some(
      (arg) => isPlaceholderValue(arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg) && !arg.startsWith('--'),
    )
  ) {
    warnings.push('Some arguments are placeholders from the README: replace them before installing.');
  }
  const alternatives = groups
    .filter((group) => group !== best && group.variants.some((variant) => variant.context !== 'manifest'))
    .slice(0, 3)
    .map((group) => {
      const variant = group.variants[0];
      const what = variant?.launch.package ?? variant?.launch.image ?? variant?.launch.url ?? '';
      return `${variant?.launch.runtime ?? ''} ${what} (${variant?.file ?? ''}:${variant?.line ?? 0})`;
    });
  if (alternatives.length > 0) warnings.push(`Other documented ways to run it: ${alternatives.join('; ')}.`);
  return warnings;
}

function confidenceOf(best: Group, groups: Group[], chosen: LaunchCandidate): number {
  let confidence = 0.45;
  if (best.identity) confidence += 0.25;
  if (chosen.context !== 'manifest') confidence += 0.15;
  const runnerUp = groups[1];
  if (!runnerUp || best.score - runnerUp.score >= 5) confidence += 0.1;
  if (chosen.context === 'manifest') confidence = Math.min(confidence, 0.55);
  if (chosen.launch.traits.includes('local-build')) confidence = 0.2;
  if (chosen.launch.runtime === 'remote') confidence = Math.min(confidence, 0.6);
  return Math.round(Math.min(0.95, confidence) * 100) / 100;
}

/** The server's slug: the monorepo sub-directory's name, else the repository's. */
function serverName(snapshot: RepoSnapshot): string {
  const source = snapshot.subdir ? (snapshot.subdir.split('/').at(-1) ?? snapshot.repo) : snapshot.repo;
  const slug = source
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return SERVER_NAME_PATTERN.test(slug) ? slug : 'mcp-server';
}

/** A text of the plan and, when a file says it, where. */
interface Sourced {
  text: string;
  evidence?: Evidence;
}

function displayNameOf(snapshot: RepoSnapshot, facts: ManifestFacts, doc: MarkdownDoc | undefined): Sourced {
  const fallback = snapshot.subdir.split('/').at(-1) || snapshot.repo;
  const title = facts.titles[0];
  const source: Sourced | undefined = title
    ? { text: title.text, evidence: { file: title.file, line: title.line } }
    : doc?.title
      ? { text: doc.title, evidence: { file: doc.file, line: doc.titleLine ?? 1 } }
      : undefined;
  const clean = plainText(source?.text ?? fallback)
    .replace(/[^\p{L}\p{N}\s().,:'&+/-]/gu, '')
    .trim()
    .slice(0, 200);
  return clean && source?.evidence
    ? { text: clean, evidence: source.evidence }
    : { text: clean || fallback.slice(0, 200) };
}

function descriptionOf(snapshot: RepoSnapshot, facts: ManifestFacts, doc: MarkdownDoc | undefined): Sourced {
  const manifest = facts.descriptions[0];
  const fromManifest: Sourced | undefined = manifest
    ? { text: manifest.text, evidence: { file: manifest.file, line: manifest.line } }
    : undefined;
  const paragraph = doc ? firstParagraph(doc) : undefined;
  const fromReadme: Sourced | undefined =
    paragraph && doc ? { text: paragraph.text, evidence: { file: doc.file, line: paragraph.line } } : undefined;
  // The repository's description on GitHub is metadata, not a file: it has no evidence.
  const fromRepo: Sourced | undefined = snapshot.description ? { text: snapshot.description } : undefined;
  const ordered = snapshot.subdir ? [fromManifest, fromReadme, fromRepo] : [fromRepo, fromManifest, fromReadme];
  const best = ordered.find((item) => item !== undefined && item.text.trim().length > 0);
  if (!best) return { text: '' };
  const text = best.text.trim().slice(0, 1000);
  return best.evidence ? { text, evidence: best.evidence } : { text };
}

function firstParagraph(doc: MarkdownDoc): { text: string; line: number } | undefined {
  for (const prose of doc.prose) {
    const raw = prose.text.trim();
    if (
      !raw ||
      raw.startsWith('#') ||
      raw.startsWith('|') ||
      raw.startsWith('>') ||
      raw.startsWith('[!') ||
      raw.startsWith('<!--')
    ) {
      continue;
    }
    const text = plainText(raw);
    // A description is prose: no code, no commands (a README may try to plant one).
    if (text.length >= 40 && /[a-z]/.test(text) && !raw.includes('`') && !looksLikeInjectedCommand(text))
      return { text: text.slice(0, 500), line: prose.line };
  }
  return undefined;
}
