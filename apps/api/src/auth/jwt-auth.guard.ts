import { type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Response } from 'express';
import { IS_PUBLIC } from './public.decorator';

/** The global guard: every route needs an admin JWT unless it is marked {@link Public}. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  /** Lets public routes through; otherwise runs the JWT strategy. */
  override canActivate(
    context: ExecutionContext,
  ): ReturnType<ReturnType<typeof AuthGuard>['prototype']['canActivate']> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    return super.canActivate(context);
  }

  /** Answers 401 with `WWW-Authenticate: Bearer` when the token is missing, forged or expired. */
  override handleRequest<T>(error: unknown, user: T | false, _info: unknown, context: ExecutionContext): T {
    if (error || !user) {
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="mcp-router"');
      throw new UnauthorizedException('A valid admin token is required (Authorization: Bearer <token>)');
    }
    return user;
  }
}
