import { DEFAULT_DRAIN_TIMEOUT_MS, ProxyConfigError, loadProxyConfig, routerHeaders } from './proxy-config';

describe(loadProxyConfig.name, () => {
  it('reads the endpoint and the API key', () => {
    const sut = loadProxyConfig({ MCP_ROUTER_URL: 'https://router.example.com/mcp', MCP_ROUTER_TOKEN: ' mcpr_key ' });

    expect(sut).toEqual({
      url: new URL('https://router.example.com/mcp'),
      token: 'mcpr_key',
      drainTimeoutMs: DEFAULT_DRAIN_TIMEOUT_MS,
    });
  });

  it('takes a bare origin to mean its /mcp endpoint, and keeps any other path', () => {
    expect(loadProxyConfig({ MCP_ROUTER_URL: 'http://localhost:8080' }).url.href).toBe('http://localhost:8080/mcp');
    expect(loadProxyConfig({ MCP_ROUTER_URL: 'http://localhost:8080/mcp/memory' }).url.href).toBe(
      'http://localhost:8080/mcp/memory',
    );
  });

  it('treats an empty token as unset, and reads the drain timeout in seconds', () => {
    const sut = loadProxyConfig({
      MCP_ROUTER_URL: 'http://127.0.0.1:8080/mcp',
      MCP_ROUTER_TOKEN: '',
      MCP_ROUTER_DRAIN_TIMEOUT: '5',
    });

    expect(sut.token).toBeUndefined();
    expect(sut.drainTimeoutMs).toBe(5000);
  });

  it('names every bad variable and never echoes the token', () => {
    const attempt = (): unknown =>
      loadProxyConfig({ MCP_ROUTER_URL: 'ftp://x', MCP_ROUTER_TOKEN: 'secret-token', MCP_ROUTER_DRAIN_TIMEOUT: '-1' });

    expect(attempt).toThrow(ProxyConfigError);
    expect(attempt).toThrow(/MCP_ROUTER_URL: must be an http\(s\) URL/);
    expect(attempt).toThrow(/MCP_ROUTER_DRAIN_TIMEOUT: must be a whole number of seconds/);
    expect(attempt).not.toThrow(/secret-token/);
  });

  it('requires the endpoint', () => {
    expect(() => loadProxyConfig({})).toThrow(/MCP_ROUTER_URL: is required/);
  });
});

describe(routerHeaders.name, () => {
  it('sends the API key as a bearer token, and nothing without one', () => {
    expect(routerHeaders({ token: 'mcpr_abc' })).toEqual({ Authorization: 'Bearer mcpr_abc' });
    expect(routerHeaders({})).toEqual({});
  });
});
