import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  describeDeliveryError,
  isAnswer,
  isSessionNotFound,
  negotiatedProtocolVersion,
  undeliveredAnswer,
} from './json-rpc-messages';

const url = new URL('http://router.local:8080/mcp');

describe(isAnswer.name, () => {
  it('tells answers from requests and notifications', () => {
    expect(isAnswer({ jsonrpc: '2.0', id: 1, result: {} })).toBe(true);
    expect(isAnswer({ jsonrpc: '2.0', id: 1, error: { code: -1, message: 'no' } })).toBe(true);
    expect(isAnswer({ jsonrpc: '2.0', id: 1, method: 'tools/list' })).toBe(false);
    expect(isAnswer({ jsonrpc: '2.0', method: 'notifications/initialized' })).toBe(false);
  });
});

describe(undeliveredAnswer.name, () => {
  it('answers the request id with a connection-closed error that says why', () => {
    expect(undeliveredAnswer('a-1', 'cannot reach the router')).toEqual({
      jsonrpc: '2.0',
      id: 'a-1',
      error: { code: -32000, message: 'MCP Router: cannot reach the router' },
    });
  });
});

describe(isSessionNotFound.name, () => {
  it('is true for HTTP 404 from the router only', () => {
    expect(isSessionNotFound(new StreamableHTTPError(404, 'Session not found'))).toBe(true);
    expect(isSessionNotFound(new StreamableHTTPError(400, 'Bad Request'))).toBe(false);
    expect(isSessionNotFound(new Error('404'))).toBe(false);
  });
});

describe(negotiatedProtocolVersion.name, () => {
  it('reads the version an initialize result agreed on', () => {
    const result = { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 'r', version: '1' } };
    expect(negotiatedProtocolVersion({ jsonrpc: '2.0', id: 0, result })).toBe('2025-06-18');
    expect(negotiatedProtocolVersion({ jsonrpc: '2.0', id: 0, result: {} })).toBeUndefined();
    expect(negotiatedProtocolVersion({ jsonrpc: '2.0', id: 0, error: { code: -1, message: 'x' } })).toBeUndefined();
  });
});

describe(describeDeliveryError.name, () => {
  it('points at the API key on 401, at the router on a network failure', () => {
    expect(describeDeliveryError(new StreamableHTTPError(401, 'Unauthorized'), url)).toMatch(/MCP_ROUTER_TOKEN/);
    const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:8080') });
    expect(describeDeliveryError(refused, url)).toBe(
      'cannot reach http://router.local:8080: connect ECONNREFUSED 127.0.0.1:8080',
    );
    expect(describeDeliveryError(new StreamableHTTPError(502, 'Bad Gateway'), url)).toMatch(/HTTP 502/);
  });
});
