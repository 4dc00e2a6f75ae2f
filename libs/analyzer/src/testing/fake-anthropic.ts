import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake Anthropic API received. */
export interface FakeAnthropicRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** How the fake answers one request: a tool call with this input, or an HTTP error with this body. */
export type FakeAnthropicReply = { toolInput: unknown; toolName?: string } | { status: number; body: unknown };

/** A running fake of the Anthropic Messages API. */
export interface FakeAnthropic {
  /** The base URL to give the SDK (`baseURL`). */
  url: string;
  requests: FakeAnthropicRequest[];
  close(): Promise<void>;
}

/**
 * A local HTTP server that speaks the Anthropic Messages API (`POST /v1/messages`) to the real SDK: each request is
 * recorded and answered by `reply` with a `tool_use` message or an error.
 */
export async function startFakeAnthropic(
  reply: (request: FakeAnthropicRequest) => FakeAnthropicReply,
): Promise<FakeAnthropic> {
  const requests: FakeAnthropicRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const request: FakeAnthropicRequest = {
        path: req.url ?? '',
        headers: req.headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
      requests.push(request);
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${requests.length}` });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || !request.path.startsWith('/v1/messages')) {
        send(404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } });
        return;
      }
      const answer = reply(request);
      if ('status' in answer) {
        send(answer.status, answer.body);
        return;
      }
      send(200, {
        id: `msg_${requests.length}`,
        type: 'message',
        role: 'assistant',
        model: typeof request.body.model === 'string' ? request.body.model : 'claude-test',
        content: [
          {
            type: 'tool_use',
            id: `toolu_${requests.length}`,
            name: answer.toolName ?? 'submit_plan',
            input: answer.toolInput,
          },
        ],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: { input_tokens: 100, output_tokens: 50 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}
