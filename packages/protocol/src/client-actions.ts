import type Type from 'typebox';
import { MessageDeliveredReceipt } from './client-actions/message-delivered.js';
import { MessageReadReceipt } from './client-actions/message-read.js';
import { Typing } from './client-actions/typing.js';
import type { ClientActionDefinition } from './define-client-action.js';

/**
 * The registry of client actions (events browsers send with `postbode:event`, contract 8),
 * keyed by name. To add one: define it in `src/client-actions/`, add it here, run
 * `pnpm generate` (the JSON Schema and the PHP `EventHandler` follow), commit what changed.
 */
export const clientActions = {
  [MessageDeliveredReceipt.name]: MessageDeliveredReceipt,
  [MessageReadReceipt.name]: MessageReadReceipt,
  [Typing.name]: Typing,
} as const satisfies Record<string, ClientActionDefinition>;

/** The registry's type. */
export type ClientActions = typeof clientActions;

/** The name of a client action, e.g. `'message.read'`. */
export type ClientActionName = keyof ClientActions;

/** The payload (`data`) type of a client action. */
export type ClientPayloadOf<A extends ClientActionName> = Type.Static<ClientActions[A]['payload']>;

/** The names of the client actions routed to the backend event stream. */
export type BackendClientActionName = {
  [A in ClientActionName]: ClientActions[A]['route'] extends 'backend' ? A : never;
}[ClientActionName];

/** Every client action's name, sorted. */
export const clientActionNames: readonly ClientActionName[] = Object.freeze(
  (Object.keys(clientActions) as ClientActionName[]).sort(),
);

/** True when `name` is a client action. */
export function isClientActionName(name: unknown): name is ClientActionName {
  return typeof name === 'string' && Object.hasOwn(clientActions, name);
}
