import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_SECRETS, type AppSecrets } from '@mcp-router/config';
import { JWT_AUDIENCE, JWT_ISSUER } from './auth.constants';

/** The principal of an authenticated admin request. */
export interface AdminPrincipal {
  kind: 'admin';
  subject: string;
}

/** passport-jwt strategy: a bearer HS256 token with our issuer and audience, not expired. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(APP_SECRETS) secrets: AppSecrets) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: secrets.jwtSecret,
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  /** Maps verified claims to the request's principal. */
  validate(payload: { sub?: unknown }): AdminPrincipal {
    return { kind: 'admin', subject: typeof payload.sub === 'string' ? payload.sub : 'admin' };
  }
}
