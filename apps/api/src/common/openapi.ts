import { z } from 'zod';

/** The OpenAPI (JSON Schema) form of a zod schema, for `@ApiBody({ schema })`. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return json;
}
