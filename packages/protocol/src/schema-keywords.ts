/**
 * Annotations on field schemas that code generators read (`x-postbode-kind`): an `id` is a
 * string on the wire that publishers may pass as an integer; a `timestamp` is integer
 * milliseconds since the Unix epoch.
 */
export const KIND_KEYWORD = 'x-postbode-kind';

/**
 * Annotation on an enum schema (`x-postbode-open-enum: true`): whoever reads it must accept
 * values it does not know (an unknown error code is a failure with that code; an unknown sync
 * reason is a sync that did not recover). Adding a value to an open enum breaks no old browser;
 * adding one to any other enum does (`docs/protocol-versions.md`).
 */
export const OPEN_ENUM_KEYWORD = 'x-postbode-open-enum';

/** Annotation on a client action's definition: its route, `backend` or `relay` (contract 8). */
export const ROUTE_KEYWORD = 'x-postbode-route';

/** Annotation on a client action's definition: the gateway's per-socket limits (contract 8). */
export const LIMITS_KEYWORD = 'x-postbode-limits';

/** Annotation on a relayed client action's definition: the server action its recipient gets. */
export const RELAY_KEYWORD = 'x-postbode-relay-as';

/**
 * The key of a client action's payload in the JSON Schema's `$defs` (`client:message.read`):
 * client and server actions may share a name (`message.read` is both), their schemas differ.
 */
export function clientActionDefinitionName(action: string): string {
  return `client:${action}`;
}
