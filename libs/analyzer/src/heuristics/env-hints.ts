import { ENV_NAME, type EnvHint } from './manifest-parser';
import { type MarkdownDoc, plainText } from './markdown-parser';

const KEY_IN_TEXT =
  /`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`|\*\*([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\*\*|^\s*([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\s*[:|]/g;
const PLACEHOLDER_KEY = /YOUR|HERE|REPLACE|INSERT|EXAMPLE|TODO/;
/** In a table column headed "Variable" (or "Env", "Name"), a one-word name such as `PORT` is a variable too. */
const SHORT_KEY_CELL = /^`?([A-Z][A-Z0-9]{1,40})`?$/;
const KEY_COLUMN = /variable|\benv|name|key/i;
const ENV_CONTEXT = /\benv\b|environment|variable|\bexport\b|\.env\b/i;

/** The env-variable names a line of prose mentions (in backticks, bold, or leading a `KEY:` item). */
export function envKeysIn(text: string): string[] {
  const keys: string[] = [];
  for (const match of text.matchAll(KEY_IN_TEXT)) {
    const key = match[1] ?? match[2] ?? match[3];
    if (key && ENV_NAME.test(key) && !PLACEHOLDER_KEY.test(key) && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** What a piece of documentation says about whether a variable is required: true, false, or undefined. */
export function requirednessOf(text: string): boolean | undefined {
  const plain = plainText(text).toLowerCase();
  if (
    /\b(optional|optionally)\b|\(default[:\s]|\bdefaults?\s+(to|is)\b|\bdefault:|\bif not (set|provided|specified)\b/.test(
      plain,
    )
  ) {
    return false;
  }
  if (/\bnot required\b/.test(plain)) return false;
  if (/\brequired\b|\bmandatory\b|\bmust be set\b/.test(plain)) return true;
  return undefined;
}

function cellRequiredness(header: string, cell: string): boolean | undefined {
  const value = plainText(cell).toLowerCase();
  if (/required|mandatory/i.test(header)) {
    if (/^(yes|y|true|required|✓|✔|✅|x)\b/.test(value)) return true;
    if (/^(no|n|false|optional|-|✗|❌)?$/.test(value) || /^(no|optional)\b/.test(value)) return false;
    return undefined;
  }
  if (/default/i.test(header)) {
    if (!value || /^(-|—|n\/a|required|\(required\)|none required|no default)$/.test(value)) return undefined;
    return false;
  }
  if (/optional/i.test(header)) {
    if (/^(yes|y|true|✓|✔|✅)/.test(value)) return false;
    if (/^(no|n|false)/.test(value)) return true;
  }
  return undefined;
}

/**
 * The env variables a README documents: table rows (a `Required` or `Default` column, or words in a description
 * cell, decide whether each is required), list items (`- \`KEY\`: ... (default: x)`, under a heading that may say
 * "Optional" or "Required"), and prose lines that talk about environment variables. Code blocks are not read here.
 */
export function envHintsFromReadme(doc: MarkdownDoc): EnvHint[] {
  const hints: EnvHint[] = [];
  const tableLines = new Set<number>();
  for (const table of doc.tables) {
    for (const row of table.rows) {
      tableLines.add(row.line);
      const keys = row.cells.flatMap((cell, column) => {
        const short = SHORT_KEY_CELL.exec(cell.trim())?.[1];
        if (short && KEY_COLUMN.test(table.header[column] ?? '')) return [short];
        return envKeysIn(cell.replace(/<br\s*\/?>/gi, ' '));
      });
      if (keys.length === 0) continue;
      let required: boolean | undefined;
      table.header.forEach((header, column) => {
        const verdict = cellRequiredness(header, row.cells[column] ?? '');
        if (verdict !== undefined && required === undefined) required = verdict;
      });
      const description = pickDescription(table.header, row.cells);
      required ??= requirednessOf(description);
      for (const key of keys) {
        const hint: EnvHint = { key, file: doc.file, line: row.line, source: 'readme-table' };
        if (description) hint.description = description;
        if (required !== undefined) hint.required = required;
        hints.push(hint);
      }
    }
  }
  for (const prose of doc.prose) {
    if (tableLines.has(prose.line)) continue;
    const keys = envKeysIn(prose.text);
    if (keys.length === 0) continue;
    const headings = prose.headings.join(' ');
    const listItem = /^\s*([-*+]|\d+\.)\s+/.test(prose.text);
    const leadsWithKey =
      listItem &&
      keys[0] !== undefined &&
      plainText(prose.text)
        .replace(/^[-*+\d.\s]+/, '')
        .startsWith(keys[0]);
    if (leadsWithKey) {
      const text = plainText(prose.text).replace(/^[-*+\d.\s]+/, '');
      const description = text.slice((keys[0] ?? '').length).replace(/^[\s:—–-]+/, '');
      let required = requirednessOf(text.slice(0, 200));
      const heading = prose.headings.at(-1) ?? '';
      required ??= /optional/i.test(heading) ? false : /required/i.test(heading) ? true : undefined;
      const hint: EnvHint = { key: keys[0] ?? '', file: doc.file, line: prose.line, source: 'readme-list' };
      if (description) hint.description = description.slice(0, 300);
      if (required !== undefined) hint.required = required;
      hints.push(hint);
      continue;
    }
    if (!ENV_CONTEXT.test(prose.text) && !/environment|variables|configuration|\benv\b/i.test(headings)) continue;
    for (const key of keys) hints.push({ key, file: doc.file, line: prose.line, source: 'readme-prose' });
  }
  for (const block of doc.codeBlocks) {
    block.lines.forEach((text, offset) => {
      const assignment = /^\s*(?:export\s+|set\s+|\$env:)?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\s*=/.exec(text);
      if (assignment?.[1] && !PLACEHOLDER_KEY.test(assignment[1])) {
        const comment = /#\s*(.+)$/.exec(text)?.[1];
        const hint: EnvHint = {
          key: assignment[1],
          file: doc.file,
          line: block.startLine + offset,
          source: 'readme-prose',
        };
        if (comment) hint.description = comment.trim();
        hints.push(hint);
      }
    });
  }
  return hints;
}

function pickDescription(header: string[], cells: string[]): string {
  const index = header.findIndex((cell) => /description|purpose|meaning|what/i.test(cell));
  const cell = index >= 0 ? cells[index] : cells[1];
  return plainText((cell ?? '').replace(/<br\s*\/?>/gi, ' '))
    .replace(/\benv\b\s+[A-Z][A-Z0-9_]+/g, '')
    .trim()
    .slice(0, 300);
}

const CODE_ENV_PATTERNS = [
  /process\.env\.([A-Z_][A-Z0-9_]*)/g,
  /process\.env\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\]/g,
  /os\.environ\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\]/g,
  /os\.environ\.get\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]/g,
  /os\.getenv\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]/g,
  /os\.Getenv\(\s*"([A-Za-z_][A-Za-z0-9_]*)"/g,
  /Deno\.env\.get\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]/g,
];

/** Env variables read by code (`process.env.X`, `os.environ[...]`, `os.getenv(...)`, `os.Getenv(...)`) in `content`. */
export function envHintsFromCode(file: string, content: string): EnvHint[] {
  const hints: EnvHint[] = [];
  const lines = content.split(/\r?\n/);
  lines.forEach((text, index) => {
    for (const pattern of CODE_ENV_PATTERNS) {
      for (const match of text.matchAll(pattern)) {
        const key = match[1];
        if (key && !hints.some((hint) => hint.key === key)) {
          hints.push({ key, file, line: index + 1, source: 'code' });
        }
      }
    }
  });
  return hints;
}
