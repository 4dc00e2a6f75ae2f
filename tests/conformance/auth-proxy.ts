import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running {@link startAuthProxy} proxy. */
export interface AuthProxy {
  /** Its base URL, `http://127.0.0.1:<port>`: append the target's path. */
  url: string;
  /** Stops it and drops every open connection. */
  close(): Promise<void>;
}

/**
 * A transparent HTTP pass-through on 127.0.0.1 that adds `Authorization: <authorization>` to every request, for
 * clients that cannot send headers of their own (the conformance suite's CLI has no header option). Method, path,
 * the other headers — Host and Origin included, so a DNS-rebinding check behind it still sees the client's — and
 * both bodies are streamed unchanged (SSE too); a client that hangs up aborts the upstream request.
 * @param target the origin to forward to, for example the router's `http://127.0.0.1:<port>`.
 */
export async function startAuthProxy(target: string, authorization: string): Promise<AuthProxy> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const forward = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, authorization },
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    forward.on('error', (error) => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`proxy: ${error.message}`);
    });
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}
