import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/** One field error of a 400 answer. */
export interface FieldError {
  field: string;
  message: string;
}

/** Turns a zod error into field errors: `field` is the dotted path (`env.0.key`), or `(body)` for the whole body. */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : '(body)',
    message: issue.message,
  }));
}

/**
 * Validates a request body (or param) against a zod schema and returns the parsed value.
 * @throws {BadRequestException} 400 `{statusCode, message: 'Validation failed', errors: FieldError[]}`.
 */
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  /** Parses `value` or throws the 400. */
  transform(value: unknown): z.infer<T> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    throw new BadRequestException({
      statusCode: 400,
      message: 'Validation failed',
      errors: toFieldErrors(result.error),
    });
  }
}
