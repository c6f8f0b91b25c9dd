import type { TLocalizedValidationError } from 'typebox/error';

/** The first problem a schema check found: where (a JSON pointer) and what was expected. */
export interface SchemaProblem {
  /** JSON pointer of the failing value, `''` for the root. */
  path: string;
  /** What was wrong and what was expected, e.g. `must be string or integer`. */
  message: string;
}

const quote = (value: unknown): string => JSON.stringify(value);

/**
 * Turns TypeBox's error list into one readable problem: the first failing path, with union
 * branches merged ("must be string or integer") and property errors pointing at the property.
 */
export function formatSchemaError(
  errors: readonly TLocalizedValidationError[],
  prefix = '',
): SchemaProblem {
  // `schema is false` errors repeat an `additionalProperties` error that says more.
  const first = errors.find((error) => error.keyword !== 'boolean') ?? errors[0];
  if (first === undefined) return { path: prefix || '/', message: 'is not valid' };
  const at = (suffix = ''): string => prefix + first.instancePath + suffix || '/';
  const params = first.params as Record<string, unknown>;
  switch (first.keyword) {
    case 'required': {
      const names = (params.requiredProperties as string[] | undefined) ?? [];
      const name = names[0] ?? '?';
      return { path: at(`/${name}`), message: `is required but missing` };
    }
    case 'additionalProperties': {
      const names = (params.additionalProperties as string[] | undefined) ?? [];
      return {
        path: at(`/${names[0] ?? '?'}`),
        message: 'is not an allowed property (unknown properties are rejected)',
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[] | undefined) ?? [];
      return { path: at(), message: `must be one of ${allowed.map(quote).join(', ')}` };
    }
    case 'type':
    case 'const': {
      // A failed union reports each branch at the same path, then `anyOf`: merge them.
      const branches = errors.filter(
        (error) =>
          error.instancePath === first.instancePath &&
          (error.keyword === 'type' || error.keyword === 'const'),
      );
      const union = errors.some(
        (error) => error.keyword === 'anyOf' && error.instancePath === first.instancePath,
      );
      if (union && branches.length > 1) {
        const expected = branches.map((error) => {
          const p = error.params as Record<string, unknown>;
          return error.keyword === 'const' ? quote(p.allowedValue) : String(p.type);
        });
        return { path: at(), message: `must be ${[...new Set(expected)].join(' or ')}` };
      }
      return { path: at(), message: first.message };
    }
    default:
      return { path: at(), message: first.message };
  }
}
