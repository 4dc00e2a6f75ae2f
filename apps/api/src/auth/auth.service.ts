import { Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { type PasscodeState, verifyPasscode } from '@mcp-router/config';
import { AuditRepository } from '@mcp-router/registry';
import { JWT_TTL_SECONDS, PASSCODE_STATE } from './auth.constants';

/** The answer to a successful login. */
export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn: number;
}

/** Admin login: the passcode against its hash, in constant time; a JWT on success. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    @Inject(PASSCODE_STATE) private readonly passcode: PasscodeState,
    private readonly jwt: JwtService,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Exchanges the admin passcode for a JWT.
   * @throws {UnauthorizedException} 401 on a wrong passcode.
   */
  async login(passcode: string, clientIp: string): Promise<LoginResult> {
    if (!verifyPasscode(this.passcode, passcode)) {
      this.logger.warn({ clientIp }, 'Failed admin login');
      await this.audit.record({ actor: 'anonymous', action: 'auth.login-failed', detail: { clientIp } });
      throw new UnauthorizedException('Wrong passcode');
    }
    await this.audit.record({ actor: 'admin', action: 'auth.login', detail: { clientIp } });
    const accessToken = await this.jwt.signAsync({ sub: 'admin' });
    return { accessToken, tokenType: 'Bearer', expiresIn: JWT_TTL_SECONDS };
  }

  /** True when `token` is a valid admin JWT (signature, issuer, audience, expiry). */
  async isAdminToken(token: string): Promise<boolean> {
    try {
      await this.jwt.verifyAsync(token);
      return true;
    } catch (error) {
      this.logger.debug({ reason: (error as Error).name }, 'Rejected a bearer token that is not an admin JWT');
      return false;
    }
  }
}
