import { createHash } from 'node:crypto';

/** The longest name Claude Desktop accepts for a tool. */
export const MAX_TOOL_NAME = 64;
const SEPARATOR = '__';
const HASH_LENGTH = 8;
const VALID = /^[A-Za-z0-9_-]+$/;

/**
 * The public name of a server's tool (or prompt): `<server>__<tool>`, at most 64 characters of `[A-Za-z0-9_-]`.
 * A name that had to be changed — too long, or holding other characters — is cut and ends in `_` plus 8 hex digits
 * of a hash of the original pair, so the mapping is stable and two originals never meet in one name.
 */
export function namespacedName(server: string, tool: string): string {
  const plain = `${server}${SEPARATOR}${tool}`;
  if (plain.length <= MAX_TOOL_NAME && VALID.test(plain)) return plain;
  const hash = createHash('sha256').update(`${server}\0${tool}`).digest('hex').slice(0, HASH_LENGTH);
  const sanitized = plain.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${sanitized.slice(0, MAX_TOOL_NAME - HASH_LENGTH - 1)}_${hash}`;
}
