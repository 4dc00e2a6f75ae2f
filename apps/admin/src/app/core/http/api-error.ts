import { HttpErrorResponse } from '@angular/common/http';

import type { FieldError } from '../api/api.models';

/** What the admin needs to know about a failed request: a sentence for people, and the field errors of a 400. */
export interface ApiError {
  /** HTTP status; 0 when the server could not be reached. */
  status: number;
  /** A sentence a user understands. */
  message: string;
  /** Field errors of a 400 answer (`[]` otherwise). */
  fieldErrors: FieldError[];
}

/** Messages for a request's specific statuses, overriding the generic ones (`{409: 'That name is taken.'}`). */
export type StatusMessages = Partial<Record<number, string>>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `message` (string or Nest's string array) from an error body; `''` when there is none. */
function bodyMessage(body: unknown): string {
  if (typeof body === 'string') return body.trim().startsWith('<') ? '' : body.trim();
  if (!isRecord(body)) return '';
  const message = body['message'];
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.filter((part) => typeof part === 'string').join('; ');
  return '';
}

/** Reads the `errors: [{field, message}]` list of a 400 body, ignoring malformed entries. */
export function readFieldErrors(body: unknown): FieldError[] {
  if (!isRecord(body) || !Array.isArray(body['errors'])) return [];
  const errors: FieldError[] = [];
  for (const entry of body['errors']) {
    if (isRecord(entry) && typeof entry['field'] === 'string' && typeof entry['message'] === 'string') {
      errors.push({ field: entry['field'], message: entry['message'] });
    }
  }
  return errors;
}

function genericMessage(status: number, body: unknown): string {
  const fromServer = bodyMessage(body);
  if (status === 0) return 'Cannot reach the MCP Router server. Check your connection and that the server is running.';
  if (status === 400)
    return fromServer && fromServer !== 'Validation failed' ? fromServer : 'Some values are not valid.';
  if (status === 401) return 'Your session has ended. Please log in again.';
  if (status === 403) return 'You are not allowed to do that.';
  if (status === 404) return fromServer || 'Not found: it may have been deleted.';
  if (status === 409) return fromServer || 'That conflicts with something that already exists.';
  if (status === 429) return 'Too many attempts. Wait a minute and try again.';
  if (status >= 500) {
    const correlation = isRecord(body) && typeof body['correlationId'] === 'string' ? body['correlationId'] : '';
    const reference = correlation ? ` (reference ${correlation})` : '';
    return `The server ran into a problem (${status})${reference}. Try again; if it keeps failing, check the router's logs.`;
  }
  return fromServer || `The request failed (${status}).`;
}

/**
 * Turns anything a request can throw into an {@link ApiError}: an `HttpErrorResponse` gives its status, the
 * server's message and field errors; any other error becomes status 0 with its message.
 * @param statusMessages - per-status sentences that replace the generic ones.
 */
export function toApiError(error: unknown, statusMessages: StatusMessages = {}): ApiError {
  if (error instanceof HttpErrorResponse) {
    const override = statusMessages[error.status];
    return {
      status: error.status,
      message: override ?? genericMessage(error.status, error.error),
      fieldErrors: error.status === 400 ? readFieldErrors(error.error) : [],
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 0, message: message || 'Something went wrong.', fieldErrors: [] };
}

/** {@link toApiError}'s message alone, prefixed with what was being done (`Could not delete "x": ...`). */
export function describeError(error: unknown, doing?: string, statusMessages: StatusMessages = {}): string {
  const { message } = toApiError(error, statusMessages);
  return doing ? `${doing}: ${message}` : message;
}
