import { Body, Controller, HttpCode, Ip, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { z } from 'zod';
import { openApiSchema } from '../common/openapi';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { AuthService, type LoginResult } from './auth.service';
import { Public } from './public.decorator';

const loginSchema = z.object({ passcode: z.string().min(1, 'is required').max(1000) });

/** `POST /api/auth/login`. */
@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Exchanges the admin passcode for a JWT; 401 when wrong; 429 after 10 attempts a minute. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with the admin passcode' })
  @ApiBody({ schema: openApiSchema(loginSchema) })
  login(
    @Body(new ZodValidationPipe(loginSchema)) body: z.infer<typeof loginSchema>,
    @Ip() ip: string,
  ): Promise<LoginResult> {
    return this.auth.login(body.passcode, ip);
  }
}
