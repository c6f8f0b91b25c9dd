import { Id, KIND_KEYWORD, serverActions, Timestamp } from '@postbode/protocol';
import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import {
  type JsonSchema,
  mapSchema,
  phpTypes,
  phpWireType,
  type SchemaKind,
  schemaKind,
} from '../src/php-type.js';
import { UnsupportedSchemaError } from '../src/unsupported-schema-error.js';

const json = (schema: unknown): JsonSchema => JSON.parse(JSON.stringify(schema)) as JsonSchema;

describe('schemaKind', () => {
  const cases: Array<[SchemaKind, unknown]> = [
    ['id', Id('x')],
    ['timestamp', Timestamp('x')],
    ['string', Type.String()],
    ['enum', Type.Enum(['a', 'b'])],
    ['enum', Type.Union([Type.Literal('a'), Type.Literal('b')])],
    ['enum', Type.Literal('a')],
    ['integer', Type.Integer()],
    ['number', Type.Number()],
    ['boolean', Type.Boolean()],
    ['array', Type.Array(Type.String())],
    ['object', Type.Object({}, { additionalProperties: false })],
  ];
  it.each(cases)('classifies a %s schema', (kind, schema) => {
    expect(schemaKind(json(schema))).toBe(kind);
  });

  it('refuses schemas PHP cannot check exactly, naming the path', () => {
    expect(() => schemaKind(json(Type.Null()), '/x')).toThrow(UnsupportedSchemaError);
    expect(() => schemaKind(json(Type.Union([Type.String(), Type.Integer()])), '/x')).toThrow(
      /\/x: schema of type undefined has no PHP mapping/,
    );
    expect(() => schemaKind({ type: 'integer', [KIND_KEYWORD]: 'id' })).toThrow(/x-postbode-kind/);
  });
});

describe('mapSchema', () => {
  it('keeps every rule of strings, ids, numbers and arrays', () => {
    expect(mapSchema(json(Id('x')))).toEqual({ kind: 'id', minLength: 1, maxLength: 128 });
    expect(mapSchema(json(Type.String({ maxLength: 5, pattern: '^a' })))).toEqual({
      kind: 'string',
      maxLength: 5,
      pattern: '^a',
    });
    expect(mapSchema(json(Type.Integer({ minimum: 0, exclusiveMaximum: 9 })))).toEqual({
      kind: 'integer',
      minimum: 0,
      exclusiveMaximum: 9,
    });
    expect(mapSchema(json(Type.Array(Id('x'), { minItems: 1, maxItems: 3 })))).toEqual({
      kind: 'array',
      items: { kind: 'id', minLength: 1, maxLength: 128 },
      minItems: 1,
      maxItems: 3,
    });
  });

  it('maps closed objects with required fields first', () => {
    const schema = Type.Object(
      { a: Type.Optional(Type.Boolean()), b: Type.Number({ description: 'B.' }) },
      { additionalProperties: false },
    );
    expect(mapSchema(json(schema))).toEqual({
      kind: 'object',
      fields: [
        { property: 'b', description: 'B.', required: true, value: { kind: 'number' } },
        { property: 'a', required: false, value: { kind: 'boolean' } },
      ],
    });
  });

  it('refuses open objects and keywords it would not check', () => {
    expect(() => mapSchema(json(Type.Object({ a: Type.String() })))).toThrow(
      /additionalProperties: false/,
    );
    expect(() => mapSchema(json(Type.String({ format: 'email' })), '/e')).toThrow(
      /\/e: keyword 'format' on a string schema is not checked/,
    );
    expect(() => mapSchema(json(Type.Array(Type.String(), { uniqueItems: true })))).toThrow(
      /uniqueItems/,
    );
    expect(() => mapSchema({ enum: [1, 2] })).toThrow(/enums must list one or more strings/);
  });

  it('maps every payload of the protocol', () => {
    for (const action of Object.values(serverActions)) {
      expect(mapSchema(json(action.payload)).kind).toBe('object');
    }
  });
});

describe('phpTypes and phpWireType', () => {
  it('gives native and PHPDoc types for each kind', () => {
    const attachments = mapSchema(
      json(serverActions['message.created'].payload.properties.attachments),
    );
    expect(phpTypes(attachments)).toEqual({
      native: 'array',
      doc: 'list<array{url: string, mimeType: string, name?: string}>',
    });
    expect(phpTypes({ kind: 'id' })).toEqual({ native: 'int|string', doc: 'int|string' });
    expect(phpTypes({ kind: 'timestamp' }).native).toBe('int|\\DateTimeInterface');
    expect(phpTypes({ kind: 'enum', values: ['a', "b'c"] }).doc).toBe("'a'|'b\\'c'");
    expect(phpTypes({ kind: 'number' }).native).toBe('int|float');
    expect(phpTypes({ kind: 'boolean' }).native).toBe('bool');
    expect(
      phpTypes({
        kind: 'object',
        fields: [{ property: 'mime-type', required: true, value: { kind: 'string' } }],
      }).doc,
    ).toBe("array{'mime-type': string}");
  });

  it('gives the type values are sent as', () => {
    expect(phpWireType({ kind: 'id' })).toBe('string');
    expect(phpWireType({ kind: 'timestamp' })).toBe('int');
    expect(phpWireType({ kind: 'enum', values: ['a'] })).toBe('string');
    expect(phpWireType({ kind: 'array', items: { kind: 'id' } })).toBe('array');
  });
});
