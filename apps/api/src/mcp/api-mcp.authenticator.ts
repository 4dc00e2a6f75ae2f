import { Injectable } from '@nestjs/common';
import { type GatewayPrincipal, McpAuthenticator } from '@mcp-router/gateway';
import { AuthService } from '../auth/auth.service';
import { API_KEY_PREFIX, ApiKeyService } from '../keys/api-key.service';

/** MCP endpoint credentials: an active API key, or an admin JWT (the admin's "try a tool"). */
@Injectable()
export class ApiMcpAuthenticator extends McpAuthenticator {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly auth: AuthService,
  ) {
    super();
  }

  /** The principal of a `Bearer` credential, or null. */
  async authenticate(authorization: string | undefined): Promise<GatewayPrincipal | null> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const token = match?.[1];
    if (!token) return null;
    if (token.startsWith(API_KEY_PREFIX)) {
      const keyId = await this.keys.verify(token);
      return keyId ? { kind: 'key', id: keyId } : null;
    }
    return (await this.auth.isAdminToken(token)) ? { kind: 'admin', id: 'admin' } : null;
  }
}
