import type { CatalogServer } from './catalog-index';

/** One hit of {@link searchTools}. */
export interface ToolHit {
  server: string;
  tool: string;
  description: string;
  score: number;
}

const STOP_WORDS = new Set(['a', 'an', 'the', 'to', 'of', 'and', 'or', 'in', 'on', 'for', 'with', 'by', 'is', 'it']);

/** Lowercase words of a text, split on non-alphanumerics and on camelCase / snake_case joints. */
export function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0 && !STOP_WORDS.has(word));
}

/**
 * Ranked text search over every catalogued tool's name and description. A query word scores most when it is a whole
 * word of the tool's name, less as a prefix of one, less again in the server's name or the description; a tool must
 * match at least one query word. Ties go to the shorter name. Pure.
 * @param limit the most hits to return (default 10).
 */
export function searchTools(servers: CatalogServer[], query: string, limit = 10): ToolHit[] {
  const words = tokenize(query);
  if (!words.length) return [];
  const hits: ToolHit[] = [];
  for (const server of servers) {
    const serverWords = new Set(tokenize(`${server.name} ${server.displayName}`));
    for (const tool of server.tools) {
      const nameWords = tokenize(tool.name);
      const descriptionWords = tokenize(`${tool.title ?? ''} ${tool.description ?? ''}`);
      const descriptionSet = new Set(descriptionWords);
      let score = 0;
      let matched = 0;
      for (const word of words) {
        let best = 0;
        if (nameWords.includes(word)) best = 10;
        else if (nameWords.some((part) => part.startsWith(word) || (word.length > 3 && word.startsWith(part))))
          best = 6;
        if (descriptionSet.has(word))
          best = Math.max(best, 3 + Math.min(2, descriptionWords.filter((w) => w === word).length - 1));
        else if (descriptionWords.some((part) => part.length > 3 && part.startsWith(word))) best = Math.max(best, 2);
        if (serverWords.has(word)) best = Math.max(best, 4);
        if (best > 0) matched++;
        score += best;
      }
      if (matched === 0) continue;
      // Covering every query word matters more than one strong match.
      score *= matched / words.length;
      if (tool.name.toLowerCase() === query.trim().toLowerCase()) score += 20;
      hits.push({
        server: server.name,
        tool: tool.name,
        description: tool.description ?? '',
        score: Math.round(score * 100) / 100,
      });
    }
  }
  return hits
    .sort((a, b) => b.score - a.score || a.tool.length - b.tool.length || a.tool.localeCompare(b.tool))
    .slice(0, Math.max(1, limit));
}
