import { assertNever } from './assert-never.js';
import { call, type PhpExpr, prefixed, raw } from './php-expr.js';
import { phpLiteral, phpRegex, phpString } from './php-names.js';
import { type NumberBounds, type PhpValue, phpWireType, type StringBounds } from './php-type.js';

/** Named `Check::string()` arguments for string bounds, e.g. `minLength: 1, maxLength: 128`. */
export function stringBoundArgs(bounds: StringBounds): PhpExpr[] {
  const args: PhpExpr[] = [];
  if (bounds.minLength !== undefined) args.push(raw(`minLength: ${bounds.minLength}`));
  if (bounds.maxLength !== undefined) args.push(raw(`maxLength: ${bounds.maxLength}`));
  if (bounds.pattern !== undefined) args.push(raw(`pattern: ${phpRegex(bounds.pattern)}`));
  return args;
}

/** Named `Check::integer()` arguments for number bounds, e.g. `minimum: 0`. */
export function numberBoundArgs(bounds: NumberBounds): PhpExpr[] {
  const args: PhpExpr[] = [];
  for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
    const bound = bounds[key];
    if (bound !== undefined) args.push(raw(`${key}: ${phpLiteral(bound)}`));
  }
  return args;
}

/** Where a check finds a value, its path for messages, and the checkers of nested objects. */
export interface CheckTarget {
  /** A PHP expression of the path string, e.g. `'$body'` or `$path . "['url']"`. */
  path: string;
  /** A PHP expression of the value, e.g. `$body` or `$value['url']`. */
  value: string;
  /** The checker method of each nested object value (see the model's shapes). */
  checkers: ReadonlyMap<PhpValue, string>;
}

/**
 * The PHP expression that checks a value against every rule of its schema and evaluates to
 * the value as it is sent: `Check::string('$body', $body, maxLength: 10000)`.
 */
export function checkCall(value: PhpValue, target: CheckTarget): PhpExpr {
  const head = [raw(target.path), raw(target.value)];
  switch (value.kind) {
    case 'id':
      return call('Check::id', [...head, ...stringBoundArgs(value)]);
    case 'string':
      return call('Check::string', [...head, ...stringBoundArgs(value)]);
    case 'enum':
      return call('Check::oneOf', [...head, raw(`[${value.values.map(phpString).join(', ')}]`)]);
    case 'timestamp':
      return call('Check::timestamp', [...head, ...numberBoundArgs(value)]);
    case 'integer':
      return call('Check::integer', [...head, ...numberBoundArgs(value)]);
    case 'number':
      return call('Check::number', [...head, ...numberBoundArgs(value)]);
    case 'boolean':
      return call('Check::boolean', head);
    case 'array': {
      const args = [...head];
      if (value.minItems !== undefined) args.push(raw(`minItems: ${value.minItems}`));
      if (value.maxItems !== undefined) args.push(raw(`maxItems: ${value.maxItems}`));
      const checker = value.items.kind === 'object' ? target.checkers.get(value.items) : undefined;
      const item =
        checker !== undefined
          ? raw(`self::${checker}(...)`)
          : prefixed(
              `static fn (mixed $item, string $path): ${phpWireType(value.items)} => `,
              checkCall(value.items, { ...target, path: '$path', value: '$item' }),
            );
      args.push(prefixed('item: ', item));
      return call('Check::list', args);
    }
    case 'object': {
      const checker = target.checkers.get(value);
      if (checker === undefined) throw new TypeError('a nested object has no checker method');
      return call(`self::${checker}`, [raw(target.value), raw(target.path)]);
    }
    default:
      return assertNever(value);
  }
}

/** The PHP expression of the path of `key` below the path expression `path`. */
export function keyPath(path: string, key: string): string {
  return /^[A-Za-z0-9_]+$/.test(key)
    ? `${path} . "['${key}']"`
    : `Check::key(${path}, ${phpString(key)})`;
}
