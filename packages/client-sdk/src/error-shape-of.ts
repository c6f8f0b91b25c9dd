import type { ErrorShape } from '@postbode/protocol/core';

/** An error as the plain `{ code, message }` a store keeps (no cause, no stack), or null. */
export function errorShapeOf(error: ErrorShape | undefined): ErrorShape | null {
  return error === undefined ? null : { code: error.code, message: error.message };
}
