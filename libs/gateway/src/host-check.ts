/**
 * DNS-rebinding protection for the MCP endpoints: the Host header must name `publicUrl`'s host, `localhost`,
 * `127.0.0.1` or `[::1]` (any port); an Origin header, when present, must be an http(s) origin on one of those hosts.
 * Returns the reason for a refusal, or null when the request may pass.
 */
export function checkHostAndOrigin(headers: { host?: string; origin?: string }, publicUrl: string): string | null {
  const allowed = new Set(['localhost', '127.0.0.1', '[::1]', new URL(publicUrl).hostname.toLowerCase()]);
  const host = hostnameOf(headers.host);
  if (!host || !allowed.has(host)) return `Host ${headers.host ?? '(none)'} is not allowed`;
  if (headers.origin !== undefined && headers.origin !== 'null') {
    let origin: URL;
    try {
      origin = new URL(headers.origin);
    } catch {
      return `Origin ${headers.origin} is not a URL`;
    }
    if (!['http:', 'https:'].includes(origin.protocol) || !allowed.has(origin.hostname.toLowerCase())) {
      return `Origin ${headers.origin} is not allowed`;
    }
  } else if (headers.origin === 'null') {
    return 'Origin null is not allowed';
  }
  return null;
}

function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  try {
    return new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
