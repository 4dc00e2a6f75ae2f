import { buildArguments, initialValue, schemaToFields, validateField } from './json-schema-form';

describe(schemaToFields.name, () => {
  it('maps each property to a field kind, keeping the schema order and required marks', () => {
    const fields = schemaToFields({
      type: 'object',
      properties: {
        path: { type: 'string' },
        code: { type: 'string' },
        count: { type: 'integer', minimum: 1 },
        ratio: { type: ['number', 'null'] },
        force: { type: 'boolean' },
        mode: { type: 'string', enum: ['a', 'b'] },
        level: { anyOf: [{ const: 1 }, { const: 2 }] },
        note: { anyOf: [{ type: 'string' }, { type: 'null' }], description: 'Optional note' },
        tags: { type: 'array', items: { type: 'string' } },
        points: { type: 'array', items: { type: 'number' } },
        options: { type: 'object' },
        anything: {},
      },
      required: ['path', 'count'],
    });
    expect(fields.map((field) => [field.name, field.kind, field.required])).toEqual([
      ['path', 'string', true],
      ['code', 'text', false],
      ['count', 'integer', true],
      ['ratio', 'number', false],
      ['force', 'boolean', false],
      ['mode', 'enum', false],
      ['level', 'enum', false],
      ['note', 'string', false],
      ['tags', 'string-list', false],
      ['points', 'json', false],
      ['options', 'json', false],
      ['anything', 'json', false],
    ]);
    expect(fields[2]?.minimum).toBe(1);
    expect(fields[7]?.description).toBe('Optional note');
    expect(fields[9]?.jsonType).toBe('array');
  });

  it('has no fields for a schema without properties', () => {
    expect(schemaToFields({ type: 'object' })).toEqual([]);
    expect(schemaToFields(undefined)).toEqual([]);
  });
});

describe(initialValue.name, () => {
  it('starts from the schema default when it fits', () => {
    const [mode, flag, list, json] = schemaToFields({
      properties: {
        mode: { enum: ['x', 'y'], default: 'y' },
        flag: { type: 'boolean', default: true },
        list: { type: 'array', items: { type: 'string' }, default: ['a'] },
        json: { type: 'object', default: { a: 1 } },
      },
    });
    expect(initialValue(mode!)).toBe('1');
    expect(initialValue(flag!)).toBe(true);
    expect(initialValue(list!)).toEqual(['a']);
    expect(initialValue(json!)).toBe('{\n  "a": 1\n}');
  });
});

describe(validateField.name, () => {
  const [name, count, ratio, data] = schemaToFields({
    properties: {
      name: { type: 'string', minLength: 2, maxLength: 4, pattern: '^[a-z]+$' },
      count: { type: 'integer', minimum: 1, maximum: 10 },
      ratio: { type: 'number' },
      data: { type: 'array' },
    },
    required: ['name'],
  });

  it('enforces the schema, with messages people understand', () => {
    expect(validateField(name!, '')).toBe('Required.');
    expect(validateField(name!, 'a')).toBe('At least 2 characters.');
    expect(validateField(name!, 'abcde')).toBe('At most 4 characters.');
    expect(validateField(name!, 'AB')).toBe('Must match the pattern ^[a-z]+$.');
    expect(validateField(count!, '')).toBeNull();
    expect(validateField(count!, '1.5')).toBe('Enter a whole number.');
    expect(validateField(count!, '11')).toBe('At most 10.');
    expect(validateField(ratio!, '1e3')).toBeNull();
    expect(validateField(ratio!, '12abc')).toBe('Enter a number.');
    expect(validateField(data!, '{"a": 1}')).toBe('Enter a JSON array, like ["a", "b"].');
    expect(validateField(data!, '[1,')).toMatch(/^Not valid JSON: /);
  });
});

describe(buildArguments.name, () => {
  it('builds typed arguments and leaves empty optional fields out', () => {
    const fields = schemaToFields({
      properties: {
        q: { type: 'string' },
        n: { type: 'integer' },
        skip: { type: 'string' },
        on: { type: 'boolean' },
        off: { type: 'boolean' },
        size: { enum: [10, 20] },
        tags: { type: 'array', items: { type: 'string' } },
        extra: { type: 'object' },
      },
      required: ['q'],
    });
    const result = buildArguments(fields, {
      q: 'cats',
      n: ' 7 ',
      skip: '',
      on: true,
      off: false,
      size: '1',
      tags: ['a', ' ', 'b'],
      extra: '{"x": [1]}',
    });
    expect(result).toEqual({
      ok: true,
      args: { q: 'cats', n: 7, on: true, size: 20, tags: ['a', 'b'], extra: { x: [1] } },
    });
  });

  it('reports every invalid field by name', () => {
    const fields = schemaToFields({ properties: { q: { type: 'string' }, n: { type: 'number' } }, required: ['q'] });
    expect(buildArguments(fields, { q: '', n: 'x' })).toEqual({
      ok: false,
      errors: { q: 'Required.', n: 'Enter a number.' },
    });
  });
});
