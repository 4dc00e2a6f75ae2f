/** The sandbox tool's name on the router's aggregated endpoint. */
export const SANDBOX_TOOL = 'python_sandbox';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The name of the argument that takes the Python code, read from the tool's input schema: `code` when it exists,
 * else the first required string property, else the first string property, else `code`.
 */
export function codeArgumentName(inputSchema: unknown): string {
  const properties = isRecord(inputSchema) && isRecord(inputSchema['properties']) ? inputSchema['properties'] : {};
  if ('code' in properties) return 'code';
  const required = isRecord(inputSchema) && Array.isArray(inputSchema['required']) ? inputSchema['required'] : [];
  const strings = Object.entries(properties)
    .filter(([, schema]) => isRecord(schema) && schema['type'] === 'string')
    .map(([name]) => name);
  return strings.find((name) => required.includes(name)) ?? strings[0] ?? 'code';
}
