import type { ErrorShape } from './error-shape.js';

/**
 * The acknowledgement of `postbode:event` (contract 8): `{ ok: true, id }` once the gateway has
 * done what the action's route asks (a backend action: Redis holds the entry; a relay action:
 * handed to the recipient's sockets), `{ ok: false, error }` otherwise. `id` is the client's own
 * idempotency id, or the one the gateway assigned.
 */
export type ClientEventAck = { ok: true; id: string } | { ok: false; error: ErrorShape };

/** What a client emits with `postbode:event`: a client action, its payload, and an optional id. */
export interface ClientEventShape<Action extends string = string, Data = unknown> {
  /** The client action's name (`message.read`, `typing`, ...). */
  action: Action;
  /** Its payload, validated by the gateway against the action's schema. */
  data: Data;
  /**
   * An idempotency id (1–128 characters): the same id when the same event is sent again (the
   * SDK re-sends a queued event with its id after a reconnection). Assigned when absent.
   */
  id?: string;
}
