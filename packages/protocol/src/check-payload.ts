import { formatSchemaError, type SchemaProblem } from './format-schema-error.js';
import type { PayloadOf, ServerActionName } from './server-actions.js';
import { getPayloadValidator } from './validators.js';

/**
 * Checks `data` against the payload schema of `action`. Returns `undefined` when it is valid,
 * otherwise the first problem (paths start at `/data`). Used by clients that validate what
 * they receive (`validate: true` in the client SDK).
 */
export function checkPayload<A extends ServerActionName>(
  action: A,
  data: unknown,
): SchemaProblem | undefined {
  const validator = getPayloadValidator(action);
  return validator.Check(data) ? undefined : formatSchemaError(validator.Errors(data), '/data');
}

/** True when `data` is a valid payload of `action`. */
export function isPayloadOf<A extends ServerActionName>(
  action: A,
  data: unknown,
): data is PayloadOf<A> {
  return getPayloadValidator(action).Check(data);
}
