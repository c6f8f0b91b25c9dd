import type { ServerActionName } from '@postbode/protocol';
import { assertNever } from '../../src/assert-never.js';
import type { ActionModel } from '../../src/build-model.js';
import type { PhpValue } from '../../src/php-type.js';

/** Where a value sits in a payload: a property, then list indexes and keys. */
type Location = readonly [string, ...(string | number)[]];

/** One call of a Publisher method, and what should come of it. */
export interface PublishCase {
  /** For the test title. */
  name: string;
  action: ServerActionName;
  method: string;
  to: { users?: string[]; roles?: string[]; all?: true };
  /** Keyed by PHP parameter name (named arguments). */
  args: Record<string, unknown>;
  /** Parameters whose milliseconds the PHP script turns into a \DateTimeImmutable. */
  dates?: string[];
  expect: 'ok' | 'invalid';
  /** `ok`: the payload as it must arrive (ids as strings, times in ms). */
  data?: Record<string, unknown>;
  /** `invalid`: the parameter path PHP must name, e.g. `$attachments[0]['url']`. */
  parameter?: string;
  /** `invalid`: the JSON Schema keyword PHP must name. */
  rule?: string;
  /** `invalid`: the JSON pointer the protocol reports, e.g. `/data/attachments/0/url`. */
  pointer?: string;
}

/** A time in ms that is also representable as a \DateTimeImmutable with milliseconds. */
export const SAMPLE_TIME = 1_764_250_000_123;

/** A character outside the BMP: one code point, two UTF-16 units, four UTF-8 bytes. */
const WIDE = '😀';

/** A valid value of a schema, with every optional field present. */
export function validValue(value: PhpValue, seed = 'x'): unknown {
  switch (value.kind) {
    case 'id':
      return `${seed}-1`.padEnd(value.minLength ?? 1, 'x');
    case 'string':
      return `${seed} é`.padEnd(value.minLength ?? 1, 'x').slice(0, value.maxLength ?? 1000);
    case 'enum':
      return value.values.at(-1);
    case 'timestamp':
      return SAMPLE_TIME;
    case 'integer':
    case 'number': {
      let n = value.minimum ?? 3;
      if (value.exclusiveMinimum !== undefined) n = Math.floor(value.exclusiveMinimum) + 1;
      return n;
    }
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(value.minItems ?? 1, 1) }, (_, i) =>
        validValue(value.items, `${seed}${i}`),
      );
    case 'object':
      return Object.fromEntries(
        value.fields.map((field) => [field.property, validValue(field.value, field.property)]),
      );
    default:
      return assertNever(value);
  }
}

interface Variant {
  name: string;
  value: unknown;
  /** The rule it breaks; none for a boundary value that is valid. */
  rule?: string;
  /** The key the error is about, below the value (a missing or unknown key). */
  key?: string;
}

/** Values at and just past each boundary of a schema, and values of the wrong shape. */
function variants(value: PhpValue, nested: boolean): Variant[] {
  const out: Variant[] = [];
  switch (value.kind) {
    case 'id':
    case 'string':
      if (value.minLength !== undefined) {
        out.push({ name: 'empty', value: '', rule: 'minLength' });
        out.push({ name: 'at minLength', value: 'y'.repeat(value.minLength) });
      }
      if (value.maxLength !== undefined) {
        // Wide characters: the limit counts code points, not bytes or UTF-16 units.
        out.push({ name: 'at maxLength (wide)', value: WIDE.repeat(value.maxLength) });
        out.push({
          name: 'past maxLength',
          value: WIDE.repeat(value.maxLength + 1),
          rule: 'maxLength',
        });
      }
      if (nested)
        out.push({ name: 'not a string', value: value.kind === 'id' ? true : 5, rule: 'type' });
      return out;
    case 'enum':
      for (const allowed of value.values) out.push({ name: `"${allowed}"`, value: allowed });
      out.push({ name: 'not in the enum', value: 'nope', rule: 'enum' });
      return out;
    case 'timestamp':
    case 'integer':
    case 'number':
      if (value.minimum !== undefined) {
        out.push({ name: 'at minimum', value: value.minimum });
        out.push({ name: 'below minimum', value: value.minimum - 1, rule: 'minimum' });
      }
      if (value.maximum !== undefined) {
        out.push({ name: 'at maximum', value: value.maximum });
        out.push({ name: 'above maximum', value: value.maximum + 1, rule: 'maximum' });
      }
      if (nested) out.push({ name: 'a string', value: '5', rule: 'type' });
      return out;
    case 'boolean':
      if (nested) out.push({ name: 'a string', value: 'true', rule: 'type' });
      return out;
    case 'array': {
      const item = validValue(value.items, 'i');
      if (value.minItems !== undefined) {
        out.push({
          name: 'below minItems',
          value: Array(value.minItems - 1).fill(item),
          rule: 'minItems',
        });
      }
      if (value.maxItems !== undefined) {
        out.push({ name: 'at maxItems', value: Array(value.maxItems).fill(item) });
        out.push({
          name: 'past maxItems',
          value: Array(value.maxItems + 1).fill(item),
          rule: 'maxItems',
        });
      }
      out.push({ name: 'not a list', value: { first: item }, rule: 'type' });
      return out;
    }
    case 'object': {
      const valid = validValue(value) as Record<string, unknown>;
      for (const field of value.fields.filter((f) => f.required)) {
        const { [field.property]: _, ...rest } = valid;
        out.push({
          name: `without ${field.property}`,
          value: rest,
          rule: 'required',
          key: field.property,
        });
      }
      out.push({
        name: 'with an unknown key',
        value: { ...valid, unknownKey: 1 },
        rule: 'additionalProperties',
        key: 'unknownKey',
      });
      out.push({ name: 'a list', value: [1], rule: 'type' });
      return out;
    }
    default:
      return assertNever(value);
  }
}

/** Every location in a value, with its schema: the value itself, list item 0, object keys. */
function* locations(value: PhpValue, at: Location): Generator<{ at: Location; value: PhpValue }> {
  yield { at, value };
  if (value.kind === 'array') yield* locations(value.items, [...at, 0]);
  if (value.kind === 'object') {
    for (const field of value.fields) yield* locations(field.value, [...at, field.property]);
  }
}

function setAt(
  root: Record<string, unknown>,
  at: Location,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(root);
  let target: Record<string | number, unknown> = copy;
  for (const segment of at.slice(0, -1))
    target = target[segment] as Record<string | number, unknown>;
  target[at[at.length - 1] as string | number] = value;
  return copy;
}

const phpPath = (variable: string, at: Location): string =>
  `$${variable}${at
    .slice(1)
    .map((s) => (typeof s === 'number' ? `[${s}]` : `['${s}']`))
    .join('')}`;

const pointer = (at: Location): string => `/data/${at.join('/')}`;

/** Payload properties → PHP named arguments (the model's parameter names). */
function toArgs(action: ActionModel, data: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const param of action.params) {
    if (Object.hasOwn(data, param.field.property))
      args[param.variable] = data[param.field.property];
  }
  return args;
}

/**
 * The cases of one action, derived from its schema: the registry's example; every field set,
 * with string ids and int times; with int ids and \DateTimeInterface times; each boundary
 * value (valid); and each rule broken once, at the top level and inside nested values.
 */
export function casesFor(action: ActionModel, example: Record<string, unknown>): PublishCase[] {
  const name = action.name as ServerActionName;
  const base = { action: name, method: action.method, to: { users: ['42'] } };
  const full = Object.fromEntries(
    action.params.map((p) => [p.field.property, validValue(p.field.value, p.field.property)]),
  );
  const cases: PublishCase[] = [
    { ...base, name: 'the example', args: toArgs(action, example), expect: 'ok', data: example },
    { ...base, name: 'every field', args: toArgs(action, full), expect: 'ok', data: full },
  ];

  // Ints for ids (sent as strings) and \DateTimeImmutable for times (sent as ms).
  const ints = { ...full };
  const wire = { ...full };
  const dates: string[] = [];
  for (const param of action.params) {
    const { kind } = param.field.value;
    if (kind === 'id') {
      ints[param.field.property] = 7;
      wire[param.field.property] = '7';
    }
    if (kind === 'timestamp') dates.push(param.variable);
  }
  cases.push({
    ...base,
    name: 'int ids and \\DateTimeImmutable times',
    to: { users: ['42'], roles: ['admin'] },
    args: toArgs(action, ints),
    dates,
    expect: 'ok',
    data: wire,
  });

  for (const param of action.params) {
    for (const spot of locations(param.field.value, [param.field.property])) {
      for (const variant of variants(spot.value, spot.at.length > 1)) {
        const data = setAt(full, spot.at, variant.value);
        const label = `${phpPath(param.variable, spot.at)} ${variant.name}`;
        const where: Location = variant.key === undefined ? spot.at : [...spot.at, variant.key];
        cases.push(
          variant.rule === undefined
            ? { ...base, name: label, args: toArgs(action, data), expect: 'ok', data }
            : {
                ...base,
                name: label,
                args: toArgs(action, data),
                expect: 'invalid',
                data,
                parameter: phpPath(param.variable, where),
                rule: variant.rule,
                pointer: pointer(where),
              },
        );
      }
    }
  }
  return cases;
}
