import { KIND_KEYWORD } from '@postbode/protocol';
import { assertNever } from './assert-never.js';
import { phpDocShapeKey, phpString } from './php-names.js';
import { UnsupportedSchemaError } from './unsupported-schema-error.js';

/** A JSON Schema object as the protocol emits it (plain JSON, no TypeBox symbols). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * The kinds of payload schema the PHP publisher supports. A schema of any other shape (a
 * union of types, `null`, a `format`, an open object) stops generation with the path and the
 * reason, so the PHP never silently accepts less than the protocol checks.
 */
export type SchemaKind =
  | 'id'
  | 'timestamp'
  | 'string'
  | 'enum'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'array'
  | 'object';

/** Bounds of a number (`minimum` and friends, as in JSON Schema). */
export interface NumberBounds {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/** Bounds of a string, in Unicode code points (as JSON Schema and TypeBox count them). */
export interface StringBounds {
  minLength?: number;
  maxLength?: number;
  /** An ECMAScript regular expression, unanchored as in JSON Schema. */
  pattern?: string;
}

/** What a payload value is, with every rule the protocol checks on it. */
export type PhpValue =
  | ({ kind: 'id' } & StringBounds)
  | ({ kind: 'timestamp' } & NumberBounds)
  | ({ kind: 'string' } & StringBounds)
  | { kind: 'enum'; values: readonly string[] }
  | ({ kind: 'integer' } & NumberBounds)
  | ({ kind: 'number' } & NumberBounds)
  | { kind: 'boolean' }
  | { kind: 'array'; items: PhpValue; minItems?: number; maxItems?: number }
  | { kind: 'object'; fields: readonly PhpField[] };

/** A property of an object payload. */
export interface PhpField {
  /** The property name on the wire, as in the schema. */
  property: string;
  /** The schema's description, if any. */
  description?: string;
  required: boolean;
  value: PhpValue;
}

/** The PHP types of a value: the native declaration and the more precise PHPDoc type. */
export interface PhpTypes {
  /** For the signature, e.g. `int|string`, `array`. */
  native: string;
  /** For PHPDoc, e.g. `list<array{url: string, name?: string}>`, `'online'|'away'`. */
  doc: string;
}

/** Keywords that only annotate and never change what is valid. */
const ANNOTATIONS = new Set([
  'description',
  'title',
  'examples',
  'default',
  '$comment',
  'deprecated',
  KIND_KEYWORD,
]);

const KEYWORDS: Record<SchemaKind, ReadonlySet<string>> = {
  id: new Set(['type', 'minLength', 'maxLength', 'pattern']),
  string: new Set(['type', 'minLength', 'maxLength', 'pattern']),
  timestamp: new Set(['type', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']),
  integer: new Set(['type', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']),
  number: new Set(['type', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']),
  enum: new Set(['type', 'enum', 'anyOf', 'const']),
  boolean: new Set(['type']),
  array: new Set(['type', 'items', 'minItems', 'maxItems']),
  object: new Set(['type', 'properties', 'required', 'additionalProperties']),
};

const isRecord = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The string values of an enum-like schema (`enum`, `const`, `anyOf` of string consts). */
function enumValues(schema: JsonSchema): readonly unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.anyOf) && schema.anyOf.every((branch) => isRecord(branch))) {
    const branches = schema.anyOf as JsonSchema[];
    if (branches.every((branch) => 'const' in branch)) return branches.map((b) => b.const);
  }
  return undefined;
}

/** Classifies a schema into a {@link SchemaKind}; throws when the PHP publisher cannot map it. */
export function schemaKind(schema: JsonSchema, path = ''): SchemaKind {
  const kind = schema[KIND_KEYWORD];
  if (kind !== undefined) {
    if (kind === 'id' && schema.type === 'string') return 'id';
    if (kind === 'timestamp' && schema.type === 'integer') return 'timestamp';
    throw new UnsupportedSchemaError(
      path,
      `${KIND_KEYWORD} ${JSON.stringify(kind)} on a schema of type ${JSON.stringify(schema.type)}`,
    );
  }
  if (enumValues(schema) !== undefined) return 'enum';
  switch (schema.type) {
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
    case 'array':
    case 'object':
      return schema.type;
    default:
      throw new UnsupportedSchemaError(
        path,
        `schema of type ${JSON.stringify(schema.type)} has no PHP mapping (supported: string, integer, number, boolean, array, object, enum)`,
      );
  }
}

function checkKeywords(schema: JsonSchema, kind: SchemaKind, path: string): void {
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !KEYWORDS[kind].has(keyword)) {
      throw new UnsupportedSchemaError(
        path,
        `keyword '${keyword}' on a ${kind} schema is not checked by the PHP publisher; add it to php-type.ts and Check.php`,
      );
    }
  }
}

function numberKeyword(schema: JsonSchema, keyword: string, path: string): number | undefined {
  const value = schema[keyword];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new UnsupportedSchemaError(path, `'${keyword}' must be a finite number`);
  }
  return value;
}

function stringBounds(schema: JsonSchema, path: string): StringBounds {
  const bounds: StringBounds = {};
  const minLength = numberKeyword(schema, 'minLength', path);
  const maxLength = numberKeyword(schema, 'maxLength', path);
  if (minLength !== undefined && minLength > 0) bounds.minLength = minLength;
  if (maxLength !== undefined) bounds.maxLength = maxLength;
  if (schema.pattern !== undefined) {
    if (typeof schema.pattern !== 'string') {
      throw new UnsupportedSchemaError(path, "'pattern' must be a string");
    }
    bounds.pattern = schema.pattern;
  }
  return bounds;
}

function numberBounds(schema: JsonSchema, path: string): NumberBounds {
  const bounds: NumberBounds = {};
  for (const keyword of [
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
  ] as const satisfies readonly (keyof NumberBounds)[]) {
    const value = numberKeyword(schema, keyword, path);
    if (value !== undefined) bounds[keyword] = value;
  }
  return bounds;
}

/** Maps the properties of a closed object schema to fields, required first (schema order). */
export function mapObjectFields(schema: JsonSchema, path = ''): PhpField[] {
  if (schema.additionalProperties !== false) {
    throw new UnsupportedSchemaError(
      path,
      'object schemas must set additionalProperties: false (unknown keys are rejected)',
    );
  }
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const fields = Object.entries(properties).map(([property, child]): PhpField => {
    if (!isRecord(child)) throw new UnsupportedSchemaError(`${path}/${property}`, 'not a schema');
    const description = typeof child.description === 'string' ? child.description : undefined;
    return {
      property,
      ...(description === undefined ? {} : { description }),
      required: required.has(property),
      value: mapSchema(child, `${path}/properties/${property}`),
    };
  });
  for (const name of required) {
    if (!Object.hasOwn(properties, name)) {
      throw new UnsupportedSchemaError(path, `required property '${name}' has no schema`);
    }
  }
  return [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
}

/** Maps a payload (or field) schema to a {@link PhpValue}; throws on what PHP cannot check. */
export function mapSchema(schema: JsonSchema, path = ''): PhpValue {
  const kind = schemaKind(schema, path);
  checkKeywords(schema, kind, path);
  switch (kind) {
    case 'id':
    case 'string':
      return { kind, ...stringBounds(schema, path) };
    case 'timestamp':
    case 'integer':
    case 'number':
      return { kind, ...numberBounds(schema, path) };
    case 'boolean':
      return { kind };
    case 'enum': {
      const values = enumValues(schema) ?? [];
      if (values.length === 0 || !values.every((value) => typeof value === 'string')) {
        throw new UnsupportedSchemaError(path, 'enums must list one or more strings');
      }
      return { kind, values: values as string[] };
    }
    case 'array': {
      if (!isRecord(schema.items)) {
        throw new UnsupportedSchemaError(path, "arrays must have one 'items' schema");
      }
      const minItems = numberKeyword(schema, 'minItems', path);
      const maxItems = numberKeyword(schema, 'maxItems', path);
      return {
        kind,
        items: mapSchema(schema.items, `${path}/items`),
        ...(minItems === undefined || minItems === 0 ? {} : { minItems }),
        ...(maxItems === undefined ? {} : { maxItems }),
      };
    }
    case 'object':
      return { kind, fields: mapObjectFields(schema, path) };
    default:
      return assertNever(kind);
  }
}

/** The PHPDoc array shape of an object's fields: `array{url: string, name?: string}`. */
function shapeDoc(fields: readonly PhpField[]): string {
  const entries = fields.map(
    (field) =>
      `${phpDocShapeKey(field.property)}${field.required ? '' : '?'}: ${phpTypes(field.value).doc}`,
  );
  return `array{${entries.join(', ')}}`;
}

/**
 * The PHP types that accept a value: ids are `int|string` (sent as strings), timestamps are
 * `int|\DateTimeInterface` (sent as integer milliseconds), enums are strings documented as a
 * union of literals, arrays are `list<...>`, objects are array shapes.
 */
export function phpTypes(value: PhpValue): PhpTypes {
  switch (value.kind) {
    case 'id':
      return { native: 'int|string', doc: 'int|string' };
    case 'timestamp':
      return { native: 'int|\\DateTimeInterface', doc: 'int|\\DateTimeInterface' };
    case 'string':
      return { native: 'string', doc: 'string' };
    case 'enum':
      return { native: 'string', doc: value.values.map(phpString).join('|') };
    case 'integer':
      return { native: 'int', doc: 'int' };
    case 'number':
      return { native: 'int|float', doc: 'int|float' };
    case 'boolean':
      return { native: 'bool', doc: 'bool' };
    case 'array':
      return { native: 'array', doc: `list<${phpTypes(value.items).doc}>` };
    case 'object':
      return { native: 'array', doc: shapeDoc(value.fields) };
    default:
      return assertNever(value);
  }
}

/**
 * The PHP type of a value as it is sent (after the checks normalise it): ids become strings,
 * timestamps integer milliseconds. The return type of the checks.
 */
export function phpWireType(value: PhpValue): string {
  switch (value.kind) {
    case 'id':
    case 'string':
    case 'enum':
      return 'string';
    case 'timestamp':
    case 'integer':
      return 'int';
    case 'number':
      return 'int|float';
    case 'boolean':
      return 'bool';
    case 'array':
    case 'object':
      return 'array';
    default:
      return assertNever(value);
  }
}
