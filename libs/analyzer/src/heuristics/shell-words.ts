/** A token of a shell command line: a word (quotes removed) or a control operator (`|`, `&&`, `;`, `>`, ...). */
export type ShellToken = { kind: 'word'; value: string; quoted: boolean } | { kind: 'op'; value: string };

const OPERATORS = ['&&', '||', '>>', '|', ';', '&', '>', '<', '(', ')'];

/**
 * Splits one shell command line into words and operators, POSIX-style: single quotes are literal, double quotes
 * honour `\`, a `#` at a word start begins a comment. Never evaluates anything: `$(...)` and `` ` `` stay in words.
 */
export function tokenizeShell(line: string): ShellToken[] {
  const tokens: ShellToken[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  const flush = (): void => {
    if (inWord) tokens.push({ kind: 'word', value: word, quoted });
    word = '';
    inWord = false;
    quoted = false;
  };
  let i = 0;
  while (i < line.length) {
    const char = line[i] ?? '';
    if (char === "'") {
      const end = line.indexOf("'", i + 1);
      const stop = end < 0 ? line.length : end;
      word += line.slice(i + 1, stop);
      inWord = true;
      quoted = true;
      i = stop + 1;
      continue;
    }
    if (char === '"') {
      i += 1;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] ?? '')) i += 1;
        word += line[i] ?? '';
        i += 1;
      }
      inWord = true;
      quoted = true;
      i += 1;
      continue;
    }
    if (char === '\\' && i + 1 < line.length) {
      word += line[i + 1] ?? '';
      inWord = true;
      i += 2;
      continue;
    }
    if (/\s/.test(char)) {
      flush();
      i += 1;
      continue;
    }
    if (char === '#' && !inWord) break;
    const op = OPERATORS.find((candidate) => line.startsWith(candidate, i));
    if (op && !(op === '<' && /^<[\w.:/ -]*>/.test(line.slice(i)))) {
      flush();
      tokens.push({ kind: 'op', value: op });
      i += op.length;
      continue;
    }
    if (op === '<') {
      // `<placeholder>` in documentation is a value, not a redirection.
      const end = line.indexOf('>', i);
      word += line.slice(i, end + 1);
      inWord = true;
      i = end + 1;
      continue;
    }
    word += char;
    inWord = true;
    i += 1;
  }
  flush();
  return tokens;
}

/** Joins shell lines continued with a trailing `\` (or PowerShell's `` ` ``) into logical lines, each with its first line number. */
export function logicalShellLines(lines: string[], firstLine: number): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let current = '';
  let start = firstLine;
  lines.forEach((raw, offset) => {
    const continued = /\s[\\`]\s*$/.test(raw) || /^\\$/.test(raw.trim());
    const text = continued ? raw.replace(/[\\`]\s*$/, '') : raw;
    if (!current) start = firstLine + offset;
    current = current ? `${current} ${text.trim()}` : text;
    if (!continued) {
      out.push({ text: current, line: start });
      current = '';
    }
  });
  if (current) out.push({ text: current, line: start });
  return out;
}

/** The simple commands of a token list: the words between control operators; `|`-fed and redirected parts are dropped. */
export function simpleCommands(tokens: ShellToken[]): string[][] {
  const commands: string[][] = [];
  let current: string[] = [];
  let skipNext = false;
  let pipedInto = false;
  for (const token of tokens) {
    if (token.kind === 'word') {
      if (skipNext) {
        skipNext = false;
        continue;
      }
      current.push(token.value);
      continue;
    }
    if (token.value === '>' || token.value === '>>' || token.value === '<') {
      skipNext = true;
      continue;
    }
    if (current.length > 0 && !pipedInto) commands.push(current);
    pipedInto = token.value === '|';
    current = [];
  }
  if (current.length > 0 && !pipedInto) commands.push(current);
  return commands;
}
