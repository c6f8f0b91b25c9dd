/** The event the gateway emits to a socket about that socket (e.g. its token expired). */
export const ERROR_EVENT = 'postbode:error';

/**
 * The event that tells a socket, after each (re)connection, from where in the durable history
 * it is live and whether it missed nothing (DESIGN contract 6).
 */
export const SYNC_EVENT = 'postbode:sync';

/** The event a client emits, with an acknowledgement, to watch users' presence (contract 7). */
export const WATCH_EVENT = 'postbode:watch';

/** The event a client emits to stop watching users' presence (contract 7). */
export const UNWATCH_EVENT = 'postbode:unwatch';

/** The event a client emits, with an acknowledgement, to send a client action (contract 8). */
export const CLIENT_EVENT = 'postbode:event';

/**
 * The socket.io event names the protocol keeps for itself (in both directions), with what each
 * carries. They can
 * never be action names (those are `noun.verb`, without a colon), so a client tells them apart
 * from delivered actions by this table.
 */
// Pure and frozen, with literal keys: a bundle that does not use the descriptions drops them
// (esbuild keeps an object literal with computed keys, pure or not; a test holds the keys equal
// to the constants above).
export const RESERVED_EVENTS = /* @__PURE__ */ Object.freeze({
  'postbode:error':
    'An error about this socket, { code, message? }; TOKEN_EXPIRED is followed by a disconnect.',
  'postbode:sync':
    'Where this socket is live from after a (re)connection, { epoch, offset, recovered, replayed, reason? }.',
  'postbode:watch':
    'Client → gateway, acknowledged: watch the presence of { users } of the same site; the ack holds the snapshot.',
  'postbode:unwatch': 'Client → gateway: stop watching the presence of { users }.',
  'postbode:event':
    'Client → gateway, acknowledged: a client action { action, data, id? }, to the backend event stream or relayed.',
} as const satisfies Record<`postbode:${string}`, string>);

/** A reserved event name: one key of {@link RESERVED_EVENTS}. */
export type ReservedEventName = keyof typeof RESERVED_EVENTS;

// The names alone, for isReservedEventName: a browser bundle that only tells reserved events
// from actions then carries no descriptions (a test holds it equal to RESERVED_EVENTS' keys).
const RESERVED_EVENT_NAMES: readonly string[] = [
  ERROR_EVENT,
  SYNC_EVENT,
  WATCH_EVENT,
  UNWATCH_EVENT,
  CLIENT_EVENT,
];

/** True when `name` is one of the {@link RESERVED_EVENTS}, i.e. not a delivered action. */
export function isReservedEventName(name: unknown): name is ReservedEventName {
  return typeof name === 'string' && RESERVED_EVENT_NAMES.includes(name);
}
