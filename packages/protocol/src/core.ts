/**
 * `@postbode/protocol/core`: the protocol's facts that need no schema library, for browsers
 * and other places where every kilobyte counts. Error codes, reserved event names, the error
 * event's shape, defaults and the error class; no TypeBox, no platform APIs, no side effects.
 * The main entry `@postbode/protocol` re-exports all of it next to the schemas.
 *
 * @example
 * import { ERROR_EVENT, type ErrorEvent, PostbodeError } from '@postbode/protocol/core';
 * socket.on(ERROR_EVENT, (event: ErrorEvent) => {
 *   lastError = new PostbodeError(event.code, event.message ?? event.code);
 * });
 * @packageDocumentation
 */
export {
  BACKEND_EVENT_FIELDS,
  type BackendEvent,
  type BackendEventField,
  backendEventFields,
  DEFAULT_EVENTS_STREAM,
  PRESENCE_EVENT_ACTIONS,
} from './core/backend-events.js';
export type { ClientEventAck, ClientEventShape } from './core/client-event-ack.js';
export {
  DEFAULT_CHANNEL,
  DEFAULT_MAX_ENVELOPE_BYTES,
  DEFAULT_SITE,
  DEFAULT_STREAM,
} from './core/defaults.js';
export { ERROR_CODES, type ErrorCode, isErrorCode } from './core/error-codes.js';
export type { ErrorEvent, ErrorShape } from './core/error-shape.js';
export {
  compareOffsets,
  isOffset,
  MAX_EPOCH_LENGTH,
  STREAM_ID_PATTERN,
} from './core/offsets.js';
export { PostbodeError, type PostbodeErrorOptions } from './core/postbode-error.js';
export {
  PRESENCE_CHANGES_CHANNEL,
  PRESENCE_KEY_PREFIX,
  PRESENCE_REASONS,
  PRESENCE_WATCH_LIMIT,
  type PresenceChange,
  type PresenceEventData,
  type PresenceReason,
  presenceLastSeenKey,
  presenceNodeKey,
  presenceOnlineKey,
  type UnwatchAck,
  type WatchAck,
  type WatchRequest,
} from './core/presence.js';
export {
  CLIENT_EVENT,
  ERROR_EVENT,
  isReservedEventName,
  RESERVED_EVENTS,
  type ReservedEventName,
  SYNC_EVENT,
  UNWATCH_EVENT,
  WATCH_EVENT,
} from './core/reserved-events.js';
export {
  type Cursor,
  type HandshakeAuth,
  isSyncReason,
  SYNC_REASONS,
  type SyncEvent,
  type SyncReason,
} from './core/sync.js';
