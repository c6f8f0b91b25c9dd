import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { echoText } from './echo-text.js';
import { formatSchemaError, type SchemaProblem } from './format-schema-error.js';

/** What is used of a compiled validator. */
interface Checker {
  Check(value: unknown): boolean;
  Errors(value: unknown): ReturnType<ReturnType<typeof Compile>['Errors']>;
}

// Sub-schemas compiled on first need, kept with their schema object.
const checkers = new WeakMap<object, Checker>();
const checkerOf = (schema: TSchema): Checker => {
  let checker = checkers.get(schema);
  if (checker === undefined) {
    checker = Compile(schema) as unknown as Checker;
    checkers.set(schema, checker);
  }
  return checker;
};

/** A JSON pointer segment (RFC 6901), cut to the echo length. */
const segment = (key: string): string => echoText(key.replace(/~/g, '~0').replace(/\//g, '~1'));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** True for an integer JSON cannot carry exactly (2^53 and beyond): rounded already. */
const isUnsafeInteger = (value: unknown): boolean =>
  typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value);

/** True when the schema takes integers (alone or as a branch of a union). */
const acceptsInteger = (shape: Record<string, unknown>): boolean =>
  shape.type === 'integer' ||
  (Array.isArray(shape.anyOf) &&
    shape.anyOf.some((branch) => (branch as { type?: unknown }).type === 'integer'));

/**
 * The first problem of `value` against `schema`, for a value that failed its check. TypeBox's
 * `Errors` computes every error (200,000 invalid ids: hundreds of ms and tens of MiB, issue 16);
 * this descends with compiled checks into the first failing property or item instead, so the
 * error list is only computed where it is small: at a leaf, or at an object or array whose
 * every part is valid. Array lengths over `maxItems` are reported before any item is looked at.
 */
export function firstSchemaProblem(schema: TSchema, value: unknown, prefix = ''): SchemaProblem {
  const shape = schema as Record<string, unknown>;
  const properties = shape.properties as Record<string, TSchema> | undefined;
  if (shape.type === 'object' && properties !== undefined && isRecord(value)) {
    // A missing property first, as TypeBox orders its errors.
    const required = Array.isArray(shape.required) ? (shape.required as string[]) : [];
    for (const key of required) {
      if (!Object.hasOwn(value, key)) {
        return { path: `${prefix}/${segment(key)}`, message: 'is required but missing' };
      }
    }
    for (const key of Object.keys(properties)) {
      if (!Object.hasOwn(value, key)) continue;
      const property = properties[key] as TSchema;
      const inner = value[key];
      if (!checkerOf(property).Check(inner)) {
        return firstSchemaProblem(property, inner, `${prefix}/${segment(key)}`);
      }
    }
    if (shape.additionalProperties === false) {
      for (const key in value) {
        if (Object.hasOwn(value, key) && !Object.hasOwn(properties, key)) {
          return {
            path: `${prefix}/${segment(key)}`,
            message: 'is not an allowed property (unknown properties are rejected)',
          };
        }
      }
    }
  } else if (shape.type === 'array' && Array.isArray(value) && isRecord(shape.items)) {
    const maxItems = shape.maxItems;
    if (typeof maxItems === 'number' && value.length > maxItems) {
      return { path: prefix || '/', message: `must have at most ${maxItems} items` };
    }
    const items = shape.items as TSchema;
    const check = checkerOf(items);
    for (let i = 0; i < value.length; i++) {
      if (!check.Check(value[i])) return firstSchemaProblem(items, value[i], `${prefix}/${i}`);
    }
  } else if (isUnsafeInteger(value) && acceptsInteger(shape)) {
    return {
      path: prefix || '/',
      message:
        'is an integer beyond ±(2^53 - 1), which JSON cannot carry exactly: send large ids as strings',
    };
  }
  return formatSchemaError(checkerOf(schema).Errors(value), prefix);
}
