import type { JsonSchema } from '../../../core/api/api.models';

/** How a tool argument is edited. */
export type ToolFieldKind = 'string' | 'text' | 'number' | 'integer' | 'boolean' | 'enum' | 'string-list' | 'json';

/** One choice of an enum field; `value` keeps its JSON type (a number stays a number). */
export interface EnumOption {
  label: string;
  value: unknown;
}

/** A form field generated from one property of a tool's input schema. */
export interface ToolField {
  /** The property name (the argument's key). */
  name: string;
  label: string;
  description: string;
  kind: ToolFieldKind;
  required: boolean;
  /** Choices of an `enum` field. */
  options: EnumOption[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** For `json` fields: the JSON type expected (`object`, `array`), or `any`. */
  jsonType: 'object' | 'array' | 'any';
  /** The schema's default, if any. */
  defaultValue?: unknown;
}

/**
 * The value a field holds in the form: text for string, text, number, integer and json fields, a boolean for
 * boolean fields, the chosen option's index as text (`''` for none) for enum fields, and a list for string lists.
 */
export type ToolFieldValue = string | boolean | string[];

/** Property names that usually hold long text: edited in a multi-line box. */
const LONG_TEXT_NAME = /(code|script|source|content|body|text|query|sql|prompt|markdown|html|template|message)$/i;

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null');
  return schema.type;
}

/** Unwraps `anyOf/oneOf: [X, {type: 'null'}]` (a nullable X) to X; anything else is returned as is. */
function unwrapNullable(schema: JsonSchema): JsonSchema {
  const variants = schema.anyOf ?? schema.oneOf;
  if (!variants) return schema;
  const nonNull = variants.filter((variant) => variant.type !== 'null');
  if (nonNull.length === 1 && nonNull[0]) {
    return { ...nonNull[0], description: schema.description ?? nonNull[0].description, default: schema.default };
  }
  const constants = variants.filter((variant) => 'const' in variant);
  if (constants.length === variants.length && constants.length > 0) {
    return { ...schema, enum: constants.map((variant) => variant.const) };
  }
  return schema;
}

function enumOptions(values: readonly unknown[]): EnumOption[] {
  return values.map((value) => ({ value, label: typeof value === 'string' ? value : JSON.stringify(value) }));
}

function humanize(name: string): string {
  const spaced = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim();
  return spaced ? spaced.charAt(0).toUpperCase() + spaced.slice(1) : name;
}

function fieldFor(name: string, rawSchema: JsonSchema, required: boolean): ToolField {
  const schema = unwrapNullable(rawSchema);
  const type = typeOf(schema);
  const field: ToolField = {
    name,
    label: schema.title ?? humanize(name),
    description: schema.description ?? '',
    kind: 'json',
    required,
    options: [],
    jsonType: 'any',
  };
  if (schema.default !== undefined) field.defaultValue = schema.default;
  if (schema.enum?.length) return { ...field, kind: 'enum', options: enumOptions(schema.enum) };
  if (schema.const !== undefined) return { ...field, kind: 'enum', options: enumOptions([schema.const]) };
  switch (type) {
    case 'string': {
      const long = LONG_TEXT_NAME.test(name) || (schema.maxLength ?? 0) > 200;
      const text: ToolField = { ...field, kind: long ? 'text' : 'string' };
      if (schema.minLength !== undefined) text.minLength = schema.minLength;
      if (schema.maxLength !== undefined) text.maxLength = schema.maxLength;
      if (schema.pattern !== undefined) text.pattern = schema.pattern;
      return text;
    }
    case 'number':
    case 'integer': {
      const numeric: ToolField = { ...field, kind: type };
      if (schema.minimum !== undefined) numeric.minimum = schema.minimum;
      if (schema.maximum !== undefined) numeric.maximum = schema.maximum;
      return numeric;
    }
    case 'boolean':
      return { ...field, kind: 'boolean' };
    case 'array': {
      const items = schema.items ? unwrapNullable(schema.items) : undefined;
      if (items && typeOf(items) === 'string' && !items.enum) return { ...field, kind: 'string-list' };
      return { ...field, jsonType: 'array' };
    }
    case 'object':
      return { ...field, jsonType: 'object' };
    default:
      return field;
  }
}

/**
 * The form fields of a tool's input schema, one per property of the root object, in the schema's order, required
 * ones marked: strings (long ones as text boxes), numbers, integers, booleans, enums, lists of strings, and
 * anything else (objects, other arrays, untyped) as a JSON text box.
 */
export function schemaToFields(schema: JsonSchema | undefined): ToolField[] {
  const properties = schema?.properties ?? {};
  const required = new Set(schema?.required ?? []);
  return Object.entries(properties).map(([name, property]) => fieldFor(name, property, required.has(name)));
}

/** The value a field starts with: the schema's default when it fits, else empty. */
export function initialValue(field: ToolField): ToolFieldValue {
  const fallback = field.defaultValue;
  switch (field.kind) {
    case 'boolean':
      return fallback === true;
    case 'enum': {
      const index = field.options.findIndex((option) => option.value === fallback);
      if (index >= 0) return String(index);
      return field.required && field.options.length === 1 ? '0' : '';
    }
    case 'string-list':
      if (Array.isArray(fallback)) return fallback.map(String);
      return field.required ? [''] : [];
    case 'json':
      if (fallback !== undefined) return JSON.stringify(fallback, null, 2);
      return field.required && field.jsonType === 'object'
        ? '{}'
        : field.required && field.jsonType === 'array'
          ? '[]'
          : '';
    default:
      if (typeof fallback === 'string') return fallback;
      if (typeof fallback === 'number' || typeof fallback === 'boolean') return String(fallback);
      return fallback === undefined || fallback === null ? '' : JSON.stringify(fallback);
  }
}

function isEmpty(field: ToolField, value: ToolFieldValue): boolean {
  if (field.kind === 'boolean') return false;
  if (Array.isArray(value)) return value.every((item) => item.trim() === '');
  return typeof value === 'string' ? value.trim() === '' : true;
}

/** The argument a valid field value stands for, or `undefined` to leave it out. */
function argumentOf(field: ToolField, value: ToolFieldValue): unknown {
  switch (field.kind) {
    case 'boolean':
      return value === true ? true : field.required || field.defaultValue !== undefined ? false : undefined;
    case 'enum':
      return field.options[Number(value)]?.value;
    case 'number':
    case 'integer':
      return Number(String(value).trim());
    case 'string-list':
      return (Array.isArray(value) ? value : []).filter((item) => item.trim() !== '');
    case 'json':
      return JSON.parse(String(value)) as unknown;
    default:
      return String(value);
  }
}

/**
 * Checks a field's value against its schema: required, number and integer syntax, minimum/maximum,
 * minLength/maxLength/pattern, JSON syntax and type. Returns the message to show, or null when valid.
 */
export function validateField(field: ToolField, value: ToolFieldValue): string | null {
  if (isEmpty(field, value)) {
    if (!field.required) return null;
    return field.kind === 'string-list'
      ? 'Add at least one item.'
      : field.kind === 'enum'
        ? 'Choose one.'
        : 'Required.';
  }
  const text = typeof value === 'string' ? value : '';
  switch (field.kind) {
    case 'number':
    case 'integer': {
      const trimmed = text.trim();
      const number = Number(trimmed);
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed) || !Number.isFinite(number)) {
        return field.kind === 'integer' ? 'Enter a whole number.' : 'Enter a number.';
      }
      if (field.kind === 'integer' && !Number.isInteger(number)) return 'Enter a whole number.';
      if (field.minimum !== undefined && number < field.minimum) return `At least ${field.minimum}.`;
      if (field.maximum !== undefined && number > field.maximum) return `At most ${field.maximum}.`;
      return null;
    }
    case 'string':
    case 'text': {
      if (field.minLength !== undefined && text.length < field.minLength) {
        return `At least ${field.minLength} characters.`;
      }
      if (field.maxLength !== undefined && text.length > field.maxLength)
        return `At most ${field.maxLength} characters.`;
      if (field.pattern !== undefined && !matches(field.pattern, text))
        return `Must match the pattern ${field.pattern}.`;
      return null;
    }
    case 'json': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error: unknown) {
        return `Not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (field.jsonType === 'object' && (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))) {
        return 'Enter a JSON object, like {"key": "value"}.';
      }
      if (field.jsonType === 'array' && !Array.isArray(parsed)) return 'Enter a JSON array, like ["a", "b"].';
      return null;
    }
    case 'enum':
      return field.options[Number(text)] === undefined ? 'Choose one.' : null;
    default:
      return null;
  }
}

function matches(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    // A pattern JavaScript cannot compile: the tool itself will judge the value.
    return true;
  }
}

/** The arguments of a tool call, or the errors (by field name) that prevent it. */
export type ArgumentsResult =
  { ok: true; args: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

/**
 * Validates every field and builds the call's arguments: empty optional fields are left out, numbers are numbers,
 * enums keep their JSON type, JSON boxes are parsed, blank list items are dropped.
 */
export function buildArguments(fields: readonly ToolField[], values: Record<string, ToolFieldValue>): ArgumentsResult {
  const errors: Record<string, string> = {};
  const args: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name] ?? initialValue(field);
    const error = validateField(field, value);
    if (error) {
      errors[field.name] = error;
      continue;
    }
    if (isEmpty(field, value)) continue;
    const argument = argumentOf(field, value);
    if (argument !== undefined) args[field.name] = argument;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, args };
}
