import type { JsonRpcMessage } from './mcp-http.client';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * A line for the admin from a server notification: `notifications/progress` as "message (3/10)" or a percentage,
 * `notifications/message` (logging) as its data. Null for other notifications.
 */
export function describeProgress(message: JsonRpcMessage): string | null {
  const params = isRecord(message.params) ? message.params : {};
  if (message.method === 'notifications/progress') {
    const progress = typeof params['progress'] === 'number' ? params['progress'] : null;
    const total = typeof params['total'] === 'number' ? params['total'] : null;
    const text = typeof params['message'] === 'string' ? params['message'] : '';
    const amount = progress === null ? '' : total ? `${Math.round((progress / total) * 100)}%` : `step ${progress}`;
    return [text, amount].filter(Boolean).join(' · ') || null;
  }
  if (message.method === 'notifications/message') {
    const data = params['data'];
    return typeof data === 'string' ? data : data === undefined ? null : JSON.stringify(data);
  }
  return null;
}
