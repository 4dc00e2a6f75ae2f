/** What a one-click install link (VS Code, Cursor, Kiro, LM Studio, Goose badges) carries. */
export type InstallLinkPayload = { kind: 'json'; text: string } | { kind: 'argv'; argv: string[] };

const URL_IN_TEXT = /(?:https?:\/\/|vscode(?:-insiders)?:)[^\s)"'<>\]]+/g;

/** The URLs of a line of Markdown or HTML. */
export function urlsIn(text: string): string[] {
  return text.match(URL_IN_TEXT) ?? [];
}

/**
 * Reads the client configuration a one-click install link carries: a `config=` parameter holding JSON (URL-encoded,
 * possibly twice) or base64 JSON, a `vscode:mcp/install?{...}` payload, or Goose's `cmd=` and `arg=` parameters.
 * Returns undefined for any other link.
 */
export function parseInstallLink(url: string): InstallLinkPayload | undefined {
  const goose = /[?&]cmd=([^&]+)/.exec(url);
  if (goose && /extension/i.test(url)) {
    const params = new URLSearchParams(url.slice(url.indexOf('?') + 1));
    const cmd = params.get('cmd');
    if (cmd) return { kind: 'argv', argv: [cmd, ...params.getAll('arg')] };
  }
  const decoded = decodeFully(url);
  const config = /(?:[?&]config=|mcp\/install\?)/.exec(decoded);
  if (!config) return undefined;
  const after = decoded.slice(config.index + config[0].length);
  if (after.startsWith('{')) {
    const json = balancedObject(after);
    return json ? { kind: 'json', text: json } : undefined;
  }
  const base64 = /^[A-Za-z0-9+/_-]+=*/.exec(after)?.[0];
  if (base64 && base64.length >= 8) {
    const text = Buffer.from(base64.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    if (text.trimStart().startsWith('{')) return { kind: 'json', text };
  }
  return undefined;
}

function decodeFully(text: string): string {
  let current = text;
  for (let round = 0; round < 4; round += 1) {
    const next = safeDecode(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The first balanced `{...}` at the start of `text` (string-aware), or undefined. */
function balancedObject(text: string): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      depth -= 1;
      if (depth === 0) return text.slice(0, i + 1);
    }
  }
  return undefined;
}
