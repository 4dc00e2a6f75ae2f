import { checkHostAndOrigin } from './host-check';

describe(checkHostAndOrigin.name, () => {
  const publicUrl = 'https://mcp.example.com';

  it.each([
    [{ host: 'localhost:8080' }],
    [{ host: '127.0.0.1:3000' }],
    [{ host: '[::1]:8080' }],
    [{ host: 'mcp.example.com' }],
    [{ host: 'MCP.example.com:443', origin: 'https://mcp.example.com' }],
    [{ host: 'localhost:8080', origin: 'http://localhost:4200' }],
  ])('lets %j pass', (headers) => {
    expect(checkHostAndOrigin(headers, publicUrl)).toBeNull();
  });

  it.each([
    [{}, /Host \(none\)/],
    [{ host: 'evil.example.com' }, /Host evil.example.com/],
    [{ host: 'localhost.evil.com:8080' }, /Host/],
    [{ host: 'localhost:8080', origin: 'https://evil.example.com' }, /Origin https:\/\/evil/],
    [{ host: 'localhost:8080', origin: 'null' }, /Origin null/],
    [{ host: 'localhost:8080', origin: 'file:///x' }, /Origin/],
  ])('refuses %j', (headers, reason) => {
    expect(checkHostAndOrigin(headers, publicUrl)).toMatch(reason);
  });
});
