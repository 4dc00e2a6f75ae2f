import type { Runtime } from '@mcp-router/registry';
import { findUnsafeLaunch, looksLikeInjectedCommand } from '../plan-safety';
import { findClientConfigEntries, parseLenientJson, parseTomlBlock } from './client-config';
import { parseInstallLink, urlsIn } from './install-link';
import { imageIdentity, type LaunchSpec, parseLaunchArgv } from './launch-command';
import type { CodeBlock, MarkdownDoc } from './markdown-parser';
import { plainText } from './markdown-parser';
import { logicalShellLines, simpleCommands, tokenizeShell } from './shell-words';
import { parse as parseYaml } from 'yaml';

/** How a README wrote a launch: a client configuration, a shell command, inline code in prose, an install badge. */
export type CandidateKind = 'config' | 'shell' | 'inline' | 'link';

/** A way to start the server that a README documents. */
export interface LaunchCandidate {
  launch: LaunchSpec;
  file: string;
  /** 1-based line of the launch (its package / image / URL when it could be found). */
  line: number;
  /** The README line, trimmed, as evidence. */
  text: string;
  kind: CandidateKind;
  /** Enclosing headings and the prose label before the block, lower-cased: where the README put it. */
  context: string;
  /** True when it came from the primary README (the sub-directory's in a monorepo). */
  primary: boolean;
}

/** A runtime the README recommends in prose ("Using uv (recommended)", "We recommend Docker"). */
export interface Recommendation {
  runtime: Runtime;
  file: string;
  line: number;
  text: string;
}

/** What a README says about starting the server. */
export interface ReadmeScan {
  candidates: LaunchCandidate[];
  /** Image identities the README builds itself (`docker build -t x`): no registry serves them. */
  builtImages: Set<string>;
  /** Image identities the README pulls (`docker pull x`): a registry serves them. */
  pulledImages: Set<string>;
  recommendations: Recommendation[];
}

const LAUNCHER_START =
  /^(?:[A-Z_][A-Z0-9_]*=\S+\s+)*(?:env\s+|cmd\s+\/c\s+)?(npx|bunx|uvx|pipx run|uv tool run|docker run|podman run|claude mcp add|\w+ mcp add)\b/;

/** Scans a README for launches, locally built and pulled images, and recommended runtimes. */
export function scanReadme(doc: MarkdownDoc, primary: boolean): ReadmeScan {
  const scan: ReadmeScan = { candidates: [], builtImages: new Set(), pulledImages: new Set(), recommendations: [] };
  const lines = new Map<number, string>();
  for (const prose of doc.prose) lines.set(prose.line, prose.text);
  for (const block of doc.codeBlocks) {
    block.lines.forEach((text, offset) => lines.set(block.startLine + offset, text));
  }
  // A README line is quoted as evidence, unless it also carries a download-and-run command.
  const textAt = (line: number): string => {
    const text = (lines.get(line) ?? '').trim().slice(0, 300);
    return looksLikeInjectedCommand(text) ? '' : text;
  };
  const push = (launch: LaunchSpec, line: number, kind: CandidateKind, context: string): void => {
    if (findUnsafeLaunch(launch).length > 0) return;
    scan.candidates.push({ launch, file: doc.file, line, text: textAt(line), kind, context, primary });
  };

  for (const block of doc.codeBlocks) {
    const context = contextOf(block.headings, block.label);
    const body = block.lines.join('\n');
    const structured = structuredBlock(block, body);
    if (structured !== undefined) {
      for (const entry of findClientConfigEntries(structured)) {
        if ('rejected' in entry.launch) continue;
        push(entry.launch, lineInBlock(block, entry.anchor), 'config', context);
      }
      continue;
    }
    if (isJsonish(body)) continue;
    for (const logical of logicalShellLines(block.lines, block.startLine)) {
      const text = logical.text.replace(/^\s*(\$|>|PS>|PS [^>]*>)\s+/, '');
      for (const argv of simpleCommands(tokenizeShell(text))) {
        noteImages(argv, scan);
        const inlineJson = argv.find((word) => word.trimStart().startsWith('{'));
        if (inlineJson && /^(code|claude|cursor|code-insiders)$/.test(argv[0] ?? '')) {
          const parsed = parseLenientJson(inlineJson);
          for (const entry of parsed === undefined ? [] : findClientConfigEntries(parsed)) {
            if (!('rejected' in entry.launch)) push(entry.launch, logical.line, 'config', context);
          }
          continue;
        }
        const launch = parseLaunchArgv(argv);
        if (!('rejected' in launch)) push(launch, logical.line, 'shell', context);
      }
    }
  }

  for (const prose of doc.prose) {
    const context = contextOf(prose.headings, '');
    for (const match of prose.text.matchAll(/`([^`]+)`/g)) {
      const code = (match[1] ?? '').trim();
      const argv = tokenizeShell(code).flatMap((token) => (token.kind === 'word' ? [token.value] : []));
      noteImages(argv, scan);
      if (!LAUNCHER_START.test(code)) continue;
      const launch = parseLaunchArgv(argv);
      if (!('rejected' in launch)) push(launch, prose.line, 'inline', context);
    }
    for (const url of urlsIn(prose.text)) {
      const payload = parseInstallLink(url);
      if (!payload) continue;
      if (payload.kind === 'argv') {
        const launch = parseLaunchArgv(payload.argv);
        if (!('rejected' in launch)) push(launch, prose.line, 'link', context);
        continue;
      }
      const parsed = parseLenientJson(payload.text);
      for (const entry of parsed === undefined ? [] : findClientConfigEntries(parsed)) {
        if (!('rejected' in entry.launch)) push(entry.launch, prose.line, 'link', context);
      }
    }
    const recommended = recommendedRuntime(prose.text);
    const quoted = looksLikeInjectedCommand(prose.text) ? '' : prose.text.trim().slice(0, 300);
    if (recommended) {
      scan.recommendations.push({
        runtime: recommended,
        file: doc.file,
        line: prose.line,
        text: quoted,
      });
    }
  }
  scan.candidates.sort((a, b) => a.line - b.line);
  return scan;
}

function contextOf(headings: string[], label: string): string {
  return [...headings, label].join(' / ').toLowerCase();
}

function isJsonish(body: string): boolean {
  return /^\s*[[{]/.test(body) || /^\s*"[^"]+"\s*:/.test(body);
}

function structuredBlock(block: CodeBlock, body: string): ReturnType<typeof parseLenientJson> {
  if (isJsonish(body)) return parseLenientJson(body);
  if (block.lang === 'toml' || /^\s*\[[\w.-]+\]\s*$/m.test(body)) return parseTomlBlock(body);
  if (block.lang === 'yaml' || block.lang === 'yml') {
    try {
      return parseYaml(body) as ReturnType<typeof parseLenientJson>;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function lineInBlock(block: CodeBlock, anchor: string): number {
  if (anchor) {
    const offset = block.lines.findIndex((line) => line.includes(anchor));
    if (offset >= 0) return block.startLine + offset;
  }
  return block.startLine;
}

function noteImages(argv: string[], scan: ReadmeScan): void {
  const docker = argv[0] === 'docker' || argv[0] === 'podman';
  if (!docker) return;
  if (argv[1] === 'build' || (argv[1] === 'image' && argv[2] === 'build') || argv[1] === 'buildx') {
    argv.forEach((word, index) => {
      if (word === '-t' || word === '--tag') scan.builtImages.add(imageIdentity(argv[index + 1] ?? ''));
      else if (word.startsWith('--tag=') || word.startsWith('-t='))
        scan.builtImages.add(imageIdentity(word.split('=')[1] ?? ''));
    });
  }
  if (argv[1] === 'pull' && argv[2]) scan.pulledImages.add(imageIdentity(argv[2]));
}

const RUNTIME_WORDS: [RegExp, Runtime][] = [
  [/^(docker|container|containers|containerized|oci|podman)$/i, 'docker'],
  [/^(npx|npm|node|nodejs|node\.js|bunx|pnpm)$/i, 'npx'],
  [/^(uvx|uv|pypi|pip|pipx|python)$/i, 'uvx'],
];

function runtimeOfWord(word: string): Runtime | undefined {
  const clean = word.replace(/[`*_'"“”,.:;!?()]/g, '');
  return RUNTIME_WORDS.find(([pattern]) => pattern.test(clean))?.[1];
}

/**
 * The runtime a line of prose recommends: "Using uv (recommended)", "From PyPI (recommended)", "We recommend
 * Docker", "`uvx` is recommended", "the recommended way is npx". Undefined for none, and for "not recommended".
 */
export function recommendedRuntime(line: string): Runtime | undefined {
  const text = plainText(line);
  if (
    !/recommend|preferred/i.test(text) ||
    /\bnot\s+(\w+\s+)?recommended|\bdon'?t recommend|\bdo not recommend/i.test(text)
  ) {
    return undefined;
  }
  const parenthesized = /([^.:;()]{0,60})\((?:highly |strongly )?(?:recommended|preferred)\)/i.exec(text);
  if (parenthesized) {
    const words = (parenthesized[1] ?? '').split(/\s+/).reverse();
    for (const word of words) {
      const runtime = runtimeOfWord(word);
      if (runtime) return runtime;
    }
  }
  const verb =
    /\brecommend(?:s|ed)?\s+(?:(?:that\s+you\s+)?(?:to\s+)?(?:use|using|installing|running|install|run)\s+)?(?:the\s+|a\s+)?(?:official\s+)?([\w.`-]+)/i.exec(
      text,
    );
  const fromVerb = verb ? runtimeOfWord(verb[1] ?? '') : undefined;
  if (fromVerb) return fromVerb;
  const passive = /([\w.`-]+)\s+(?:is|are)\s+(?:the\s+)?(?:recommended|preferred)/i.exec(text);
  const fromPassive = passive ? runtimeOfWord(passive[1] ?? '') : undefined;
  if (fromPassive) return fromPassive;
  const way =
    /(?:recommended|preferred)\s+(?:way|method|approach|option|installation)\b[^.]{0,40}?\b(docker|npx|npm|uvx|uv|pypi|pip)\b/i.exec(
      text,
    );
  return way ? runtimeOfWord(way[1] ?? '') : undefined;
}
