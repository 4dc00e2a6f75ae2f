import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@mcp-router/config';

/** Paths pino removes from every line: credentials in headers, and any field that names a secret. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'passcode',
  'token',
  'accessToken',
  'apiKey',
  'key',
  'env',
  'value',
  '*.passcode',
  '*.token',
  '*.apiKey',
  '*.env',
];

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The one logger: pino through nestjs-pino, JSON in production, pretty in development; every line written during a
 * request carries its `reqId` (taken from a well-formed `X-Request-Id` or generated); secrets redacted.
 */
export function createLoggerModule(): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => ({
      pinoHttp: {
        level: config.logLevel,
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        genReqId: (req: IncomingMessage) => {
          const header = req.headers['x-request-id'];
          return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
        },
        quietReqLogger: true,
        autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' || req.url === '/metrics' },
        serializers: {
          req: (req: { id: unknown; method: unknown; url: unknown }) => ({
            id: req.id,
            method: req.method,
            url: req.url,
          }),
        },
        transport: config.env === 'development' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
      },
    }),
  });
}
