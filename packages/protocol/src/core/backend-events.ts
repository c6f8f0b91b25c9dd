/**
 * The backend event stream (contracts 7 and 8): one Redis stream the gateway appends to and PHP
 * workers consume with a consumer group. Presence transitions (contract 7) and client actions
 * routed to the backend (contract 8) are entries of the same shape, told apart by `action`.
 */

/** The Redis stream backend events are appended to unless configured otherwise. */
export const DEFAULT_EVENTS_STREAM = 'postbode:events';

/**
 * The fields of every entry, in the order the gateway writes them (`XADD <stream> * action ...
 * data ...`). All values are strings, as Redis stores them:
 * - `action`: what happened, `noun.verb` (`presence.online`, `presence.offline`, or a client
 *   action such as `message.read`);
 * - `site`, `user`: whose event it is, always from the verified token, never from the client;
 * - `id`: the idempotency id (a client's own id for client actions, or one the gateway assigned);
 *   a consumer that has seen an `id` may skip the entry;
 * - `ts`: when the gateway accepted it, in milliseconds since the Unix epoch (decimal);
 * - `node`: the gateway node that wrote it (`POSTBODE_NODE_ID`);
 * - `data`: a JSON object: the validated payload of a client action, or the presence details.
 */
export const BACKEND_EVENT_FIELDS = ['action', 'site', 'user', 'id', 'ts', 'node', 'data'] as const;

/** The name of one field of a backend event entry. */
export type BackendEventField = (typeof BACKEND_EVENT_FIELDS)[number];

/** One backend event before it is written, or after it is read and decoded. */
export interface BackendEvent {
  action: string;
  site: string;
  user: string;
  id: string;
  /** Milliseconds since the Unix epoch. */
  ts: number;
  node: string;
  data: Record<string, unknown>;
}

/** The `action` of a presence transition on the backend event stream (contract 7). */
export const PRESENCE_EVENT_ACTIONS = {
  online: 'presence.online',
  offline: 'presence.offline',
} as const;

/**
 * The entry's field/value list, as `XADD <stream> * ...fields` takes it.
 *
 * @example
 * await redis.xadd(stream, '*', ...backendEventFields(event));
 */
export function backendEventFields(event: BackendEvent): string[] {
  return [
    'action',
    event.action,
    'site',
    event.site,
    'user',
    event.user,
    'id',
    event.id,
    'ts',
    String(event.ts),
    'node',
    event.node,
    'data',
    JSON.stringify(event.data),
  ];
}
