/** Name parts that mark a variable as a credential. */
const SECRET_PARTS = new Set([
  'KEY',
  'APIKEY',
  'TOKEN',
  'SECRET',
  'PASSWORD',
  'PASSWD',
  'PWD',
  'PASS',
  'PASSPHRASE',
  'PAT',
  'CREDENTIAL',
  'CREDENTIALS',
  'PRIVATE',
  'COOKIE',
  'AUTH',
  'BEARER',
  'DSN',
]);
/** Endings that make a credential-looking name a setting instead (a path to a key file, a mode, a switch). */
const NOT_SECRET_SUFFIX =
  /_(FILE|PATH|DIR|DIRECTORY|MODE|TYPE|FLOW|ENABLED|HEADER|NAME|ID|URL|URI|HOST|PORT|REQS|LEVEL|TIMEOUT)$/;
const CONNECTION_STRING =
  /(^|_)(DATABASE|DB|POSTGRES|POSTGRESQL|PG|MYSQL|MONGO|MONGODB|REDIS|AMQP|RABBITMQ)_?(URI|URL|DSN)$|CONNECTION_STRING$/;

/**
 * True when a variable's name says it holds a credential: `API_KEY`, `*_TOKEN`, `*_SECRET`, `*_PASSWORD`, `*_PAT`,
 * or a database connection string (`DATABASE_URL`, which embeds a password); not `*_KEY_FILE`, `ENABLE_*`, `*_MODE`.
 */
export function isSecretName(key: string): boolean {
  const upper = key.toUpperCase();
  if (CONNECTION_STRING.test(upper)) return true;
  if (/^(ENABLE|DISABLE|USE|ALLOW|SKIP)_/.test(upper) || NOT_SECRET_SUFFIX.test(upper)) return false;
  return upper.split('_').some((part) => SECRET_PARTS.has(part) || /^(API)?KEY$|TOKEN$|SECRET$/.test(part));
}

/**
 * True when a value in a README's configuration is something the user must replace: empty, `<...>`, `${input:...}`,
 * `$VAR`, `YOUR_API_KEY`, `ntn_****`, `...`, `/path/to/...`, or a URL with `username:password` stand-ins.
 */
export function isPlaceholderValue(value: string | undefined): boolean {
  if (value === undefined) return true;
  const text = value.trim();
  if (text === '') return true;
  if (/<[^>]*>|\$\{[^}]*\}|^\$[A-Za-z_]\w*$|\{\{[^}]*\}\}|%[A-Z_]+%/.test(text)) return true;
  if (/\*{3,}|x{4,}|X{4,}|\.\.\.|…/.test(text)) return true;
  if (/your|\bmy[-_ ]|\bhere\b|replace|insert|placeholder|changeme|change[-_]me|\btodo\b|fill[-_ ]?in/i.test(text))
    return true;
  if (/\/path\/to\b|^~?\/?path\/to\b/i.test(text)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]*\b(user(name)?|pass(word)?|secret)\b[^@\s]*@/i.test(text)) return true;
  if (/\b(username|password|dbname|hostname|yourdomain)\b/i.test(text)) return true;
  return false;
}

/**
 * The env variable a command-line flag stands for, by name: `--figma-api-key` ↔ `FIGMA_API_KEY`, `--api-key` ↔
 * `ELEVENLABS_API_KEY` (a suffix of two parts or more). Used for the rule "a secret passed as an argument is not a
 * required env var".
 */
export function flagMatchesEnv(flag: string, key: string): boolean {
  const flagParts = flag.replace(/^-+/, '').split('=')[0]?.toLowerCase().split(/[-_]/).filter(Boolean);
  const keyParts = key.toLowerCase().split('_').filter(Boolean);
  if (!flagParts || flagParts.length === 0) return false;
  if (flagParts.join('_') === keyParts.join('_')) return true;
  if (flagParts.length < 2 || flagParts.length > keyParts.length) return false;
  return keyParts.slice(-flagParts.length).join('_') === flagParts.join('_');
}

/** True when a flag's name says it carries a credential (`--api-key`, `--token`, `--password`). */
export function isSecretFlag(flag: string): boolean {
  const name = flag.replace(/^-+/, '').split('=')[0] ?? '';
  return isSecretName(name.replace(/-/g, '_'));
}
