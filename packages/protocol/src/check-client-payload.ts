import type { ClientActionName } from './client-actions.js';
import { formatSchemaError, type SchemaProblem } from './format-schema-error.js';
import { getClientPayloadValidator } from './validators.js';

/**
 * Checks `data` against the payload schema of the client action `action`. Returns `undefined`
 * when it is valid, otherwise the first problem (paths start at `/data`). The gateway's edge for
 * `postbode:event` (contract 8).
 */
export function checkClientPayload(
  action: ClientActionName,
  data: unknown,
): SchemaProblem | undefined {
  const validator = getClientPayloadValidator(action);
  return validator.Check(data) ? undefined : formatSchemaError(validator.Errors(data), '/data');
}
