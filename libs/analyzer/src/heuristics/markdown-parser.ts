/** A fenced code block of a Markdown document. */
export interface CodeBlock {
  /** The info string's first word, lower-cased (`json`, `bash`, `` for none). */
  lang: string;
  /** The block's lines, without the fences and without the fence's indentation. */
  lines: string[];
  /** 1-based line number of the block's first content line. */
  startLine: number;
  /** Headings (and `<summary>` labels) enclosing the block, outermost first. */
  headings: string[];
  /** The closest prose line before the block (within a few lines), often "On Windows, use:" or "Using Docker". */
  label: string;
}

/** A line of prose (outside code blocks). */
export interface ProseLine {
  /** 1-based line number. */
  line: number;
  text: string;
  headings: string[];
}

/** A Markdown table: its header cells and rows of cells, each with its line number. */
export interface MarkdownTable {
  header: string[];
  rows: { cells: string[]; line: number }[];
  headings: string[];
}

/** A Markdown document split into what the heuristics look at. */
export interface MarkdownDoc {
  file: string;
  codeBlocks: CodeBlock[];
  prose: ProseLine[];
  tables: MarkdownTable[];
  /** The document's title: its first level-1 heading (Markdown or `<h1>`), without markup. */
  title?: string;
  /** 1-based line of the title. */
  titleLine?: number;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$/;
const SUMMARY = /<summary>(.*?)<\/summary>/i;

/** Strips Markdown and HTML markup from a heading or label: links keep their text, emphasis and code marks go. */
export function plainText(text: string): string {
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits a Markdown table row into trimmed cells (`| a | b |` → `['a', 'b']`). */
export function tableCells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim());
}

/**
 * Rewrites the parts of a reStructuredText README the heuristics read into Markdown, line for line (line numbers stay
 * true): `.. code-block:: lang` and `::` literal blocks become fenced blocks, underlined titles become headings.
 */
export function rstToMarkdown(content: string): string {
  const lines = content.split(/\r?\n/);
  const out = [...lines];
  const levels: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const directive = /^\s*\.\.\s+(?:code-block|code|sourcecode)::\s*(\S*)/.exec(line);
    const literal = !directive && /::\s*$/.test(line) && !/^\s*\.\./.test(line);
    if (directive || literal) {
      let j = i + 1;
      while (j < lines.length && /^\s*:\w[\w-]*:/.test(lines[j] ?? '')) j += 1;
      // The fence opens on the directive, or on the blank line after a `::` paragraph.
      const open = directive ? i : j;
      if (literal) out[i] = line.replace(/::\s*$/, ':');
      if (open < lines.length && (directive || (lines[open] ?? '').trim() === '')) {
        out[open] = `\`\`\`${directive?.[1] ?? ''}`;
        let k = open + 1;
        while (k < lines.length && (lines[k] ?? '').trim() === '') k += 1;
        let last = k;
        while (k < lines.length && ((lines[k] ?? '').trim() === '' || /^\s+/.test(lines[k] ?? ''))) {
          if ((lines[k] ?? '').trim()) last = k;
          k += 1;
        }
        const body = lines.slice(open + 1, last + 1);
        const indent = Math.min(
          ...body.filter((text) => text.trim()).map((text) => /^\s*/.exec(text)?.[0].length ?? 0),
        );
        body.forEach((text, offset) => {
          out[open + 1 + offset] = text.slice(Number.isFinite(indent) ? indent : 0);
        });
        if (last + 1 < lines.length) out[last + 1] = '```';
        else out.push('```');
        i = last + 2;
        continue;
      }
    }
    const underline = /^([=\-~^"'`#*+])\1{2,}\s*$/.exec(lines[i + 1] ?? '');
    if (line.trim() && !/^\s/.test(line) && underline && (lines[i + 1] ?? '').trim().length >= line.trim().length) {
      const mark = underline[1] ?? '=';
      if (!levels.includes(mark)) levels.push(mark);
      out[i] = `${'#'.repeat(Math.min(6, levels.indexOf(mark) + 1))} ${line.trim()}`;
      out[i + 1] = '';
      i += 2;
      continue;
    }
    i += 1;
  }
  return out.join('\n');
}

/**
 * Parses a Markdown document: fenced code blocks (also indented ones inside list items), prose lines, tables, and
 * the heading path of each, where `<details><summary>` labels count as headings until `</details>`.
 */
export function parseMarkdown(file: string, content: string): MarkdownDoc {
  const lines = (/\.rst$/i.test(file) ? rstToMarkdown(content) : content).split(/\r?\n/);
  const doc: MarkdownDoc = { file, codeBlocks: [], prose: [], tables: [] };
  const stack: { level: number; text: string }[] = [];
  let summaryDepth = 0;
  const headings = (): string[] => stack.map((entry) => entry.text);
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    const fence = FENCE.exec(line);
    if (fence) {
      const indent = fence[1]?.length ?? 0;
      const marker = fence[2] ?? '```';
      const block: string[] = [];
      let end = index + 1;
      while (end < lines.length) {
        const candidate = lines[end] ?? '';
        if (candidate.trim().startsWith(marker) && candidate.trim().replace(/[`~]/g, '') === '') break;
        block.push(stripIndent(candidate, indent));
        end += 1;
      }
      doc.codeBlocks.push({
        lang: (fence[3] ?? '').toLowerCase().replace(/^\./, ''),
        lines: block,
        startLine: index + 2,
        headings: headings(),
        label: labelBefore(doc.prose, index + 1),
      });
      index = end + 1;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1]?.length ?? 1;
      const text = plainText(heading[2] ?? '');
      while (stack.length > 0 && (stack.at(-1)?.level ?? 0) >= level) stack.pop();
      stack.push({ level, text });
      summaryDepth = 0;
      // The title: the first level-1 heading, or a heading of any level that opens the document.
      if (doc.title === undefined && text && (level === 1 || !doc.prose.some((entry) => entry.text.trim() !== ''))) {
        doc.title = text;
        doc.titleLine = index + 1;
      }
    } else {
      const summary = SUMMARY.exec(line);
      if (summary) {
        while (stack.length > 0 && (stack.at(-1)?.level ?? 0) >= 7) stack.pop();
        stack.push({ level: 7, text: plainText(summary[1] ?? '') });
        summaryDepth += 1;
      } else if (/<\/details>/i.test(line) && summaryDepth > 0) {
        while (stack.length > 0 && (stack.at(-1)?.level ?? 0) >= 7) stack.pop();
        summaryDepth -= 1;
      }
      const h1 = /<h1[^>]*>(.*?)<\/h1>/i.exec(line);
      const h1Text = h1 ? plainText(h1[1] ?? '') : '';
      if (h1Text && doc.title === undefined) {
        doc.title = h1Text;
        doc.titleLine = index + 1;
      }
    }
    if (isTableStart(lines, index)) {
      const table: MarkdownTable = { header: tableCells(line), rows: [], headings: headings() };
      let row = index + 2;
      while (row < lines.length && /^\s*\|/.test(lines[row] ?? '')) {
        table.rows.push({ cells: tableCells(lines[row] ?? ''), line: row + 1 });
        doc.prose.push({ line: row + 1, text: lines[row] ?? '', headings: headings() });
        row += 1;
      }
      doc.tables.push(table);
      doc.prose.push({ line: index + 1, text: line, headings: headings() });
      index = row;
      continue;
    }
    doc.prose.push({ line: index + 1, text: line, headings: headings() });
    index += 1;
  }
  return doc;
}

function stripIndent(line: string, indent: number): string {
  let cut = 0;
  while (cut < indent && (line[cut] === ' ' || line[cut] === '\t')) cut += 1;
  return line.slice(cut);
}

function isTableStart(lines: string[], index: number): boolean {
  const header = lines[index] ?? '';
  const separator = lines[index + 1] ?? '';
  return /^\s*\|.*\|/.test(header) && /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(separator);
}

function labelBefore(prose: ProseLine[], fenceLine: number): string {
  for (let i = prose.length - 1; i >= 0; i -= 1) {
    const entry = prose[i];
    if (!entry || fenceLine - entry.line > 4) break;
    const text = plainText(entry.text);
    if (text) return text;
  }
  return '';
}
