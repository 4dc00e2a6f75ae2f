import { loginHeader, makeTestEnv, type RunningApi, startApi, type TestEnv } from '../../../../tests/support/test-env';
import { ConnectController } from './connect.controller';

describe(ConnectController.name, () => {
  let testEnv: TestEnv;
  let sut: RunningApi;

  beforeAll(async () => {
    testEnv = makeTestEnv({ PUBLIC_URL: 'https://mcp.example.com/' });
    sut = await startApi(testEnv.env);
  });

  afterAll(async () => {
    await sut.close();
    await testEnv.cleanup();
  });

  it('answers the endpoints and client configs for the configured PUBLIC_URL', async () => {
    const response = await sut.http
      .get('/api/connect')
      .set('Authorization', await loginHeader(sut.http))
      .expect(200);

    expect(response.body).toMatchObject({
      url: 'https://mcp.example.com',
      mcpUrl: 'https://mcp.example.com/mcp',
      sseUrl: 'https://mcp.example.com/sse',
    });
    expect(response.body.configs).toEqual([
      expect.objectContaining({ client: 'claude-desktop', language: 'json' }),
      expect.objectContaining({ client: 'claude-code', language: 'bash' }),
      expect.objectContaining({ client: 'cursor', language: 'json' }),
      expect.objectContaining({ client: 'vscode', language: 'json' }),
      expect.objectContaining({ client: 'raw', language: 'text' }),
    ]);
    const desktop = JSON.parse(response.body.configs[0].content);
    expect(desktop.mcpServers['mcp-router'].args).toContain('MCP_ROUTER_URL=https://mcp.example.com/mcp');
    expect(response.body.configs[1].content).toContain('Bearer <YOUR_API_KEY>');
  });

  it('needs the admin token', async () => {
    await sut.http.get('/api/connect').expect(401);
    await sut.http.get('/api/connect').set('Authorization', 'Bearer not-a-jwt').expect(401);
  });
});
