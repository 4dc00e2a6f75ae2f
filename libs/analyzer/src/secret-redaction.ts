const REDACTED = '[redacted]';

/**
 * Replaces every occurrence of each secret (tokens, API keys shorter than 4 characters are ignored) in `text` by
 * `[redacted]`. Used on every message, warning and plan the analyzer produces from outside answers.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** {@link redactSecrets} applied to every string inside a JSON-like value; other values are returned as they are. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return redactSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        redactSecrets(key, secrets),
        redactDeep(item, secrets),
      ]),
    ) as T;
  }
  return value;
}
