import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ErrorCode,
  type JSONRPCErrorResponse,
  type JSONRPCMessage,
  type JSONRPCResultResponse,
  type RequestId,
  isJSONRPCErrorResponse,
  isJSONRPCResultResponse,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/** An answer to a request: a result or an error. */
export type JsonRpcAnswer = JSONRPCResultResponse | JSONRPCErrorResponse;

/** Whether `message` answers a request (a result or an error), rather than being a request or a notification. */
export function isAnswer(message: JSONRPCMessage): message is JsonRpcAnswer {
  return isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message);
}

/**
 * The answer the proxy gives a client request it could not deliver, so that the client does not wait forever.
 * Its code is `-32000` (connection closed).
 */
export function undeliveredAnswer(id: RequestId, reason: string): JSONRPCErrorResponse {
  return { jsonrpc: '2.0', id, error: { code: ErrorCode.ConnectionClosed, message: `MCP Router: ${reason}` } };
}

/** Whether the router answered HTTP 404 to a message sent in a session: the session is gone (expired or restarted). */
export function isSessionNotFound(error: unknown): boolean {
  return error instanceof StreamableHTTPError && error.code === 404;
}

const initializeResultSchema = z.object({ protocolVersion: z.string().min(1) });

/** The protocol version an `initialize` result agreed on, or `undefined` when the result carries none. */
export function negotiatedProtocolVersion(answer: JsonRpcAnswer): string | undefined {
  if (!isJSONRPCResultResponse(answer)) return undefined;
  const parsed = initializeResultSchema.safeParse(answer.result);
  return parsed.success ? parsed.data.protocolVersion : undefined;
}

/**
 * A one-line reason for a failed delivery, for the client and the log: names the HTTP status, the unreachable
 * router, or a refused API key. Never includes request contents.
 */
export function describeDeliveryError(error: unknown, url: URL): string {
  if (error instanceof StreamableHTTPError) {
    if (error.code === 401) return `the router refused the API key (HTTP 401); check MCP_ROUTER_TOKEN`;
    if (error.code === 403) return `the router denied access (HTTP 403)`;
    if (error.code === 404) return `the session is gone and could not be re-established (HTTP 404)`;
    return `the router answered HTTP ${error.code ?? 'error'}: ${error.message}`;
  }
  if (error instanceof TypeError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `cannot reach ${url.origin}${cause}`;
  }
  return error instanceof Error ? error.message : String(error);
}
