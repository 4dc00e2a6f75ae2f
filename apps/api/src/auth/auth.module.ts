import { Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, APP_SECRETS, type AppConfig, type AppSecrets, resolvePasscode } from '@mcp-router/config';
import { AuthController } from './auth.controller';
import { JWT_AUDIENCE, JWT_ISSUER, JWT_TTL_SECONDS, PASSCODE_STATE } from './auth.constants';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';

/** Admin authentication: passcode login, JWTs, the global guard, login throttling. */
@Module({
  imports: [
    PassportModule,
    ThrottlerModule.forRoot([{ name: 'login', ttl: 60_000, limit: 10 }]),
    JwtModule.registerAsync({
      inject: [APP_SECRETS],
      useFactory: (secrets: AppSecrets) => ({
        secret: secrets.jwtSecret,
        signOptions: { algorithm: 'HS256', expiresIn: JWT_TTL_SECONDS, issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
        verifyOptions: { algorithms: ['HS256'], issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    JwtStrategy,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    {
      provide: PASSCODE_STATE,
      inject: [APP_CONFIG, APP_SECRETS],
      useFactory: (config: AppConfig, secrets: AppSecrets) => {
        const state = resolvePasscode(config.dataDir, secrets.adminPasscode);
        // Printed exactly once, on the boot that generated it; only its hash is kept.
        if (state.generated) new Logger('Bootstrap').log(`Admin passcode: ${state.generated}`);
        return { salt: state.salt, hash: state.hash };
      },
    },
  ],
  exports: [AuthService],
})
export class AuthModule {}
