/**
 * `@postbode/client-sdk`: a typed browser client for the Postbode gateway. Vue-free; the
 * adapters live in `@postbode/client-sdk/vuex`, `/pinia` and `/vue`. What an app needs: the
 * factory, the client's type and its handler types, the status, the error class, the options,
 * and the cursor and resync types of the delivery guarantees.
 * @packageDocumentation
 */
// The protocol's types, so that an app needs this one package to type its handlers.
export type {
  ClientActionName,
  ClientPayloadOf,
  Meta,
  PayloadOf,
  ServerActionName,
} from '@postbode/protocol';
export type { Cursor, ErrorCode, SyncReason } from '@postbode/protocol/core';
export type { SendOptions, SendResult } from './client-event-sender.js';
export { CONNECTION_STATUSES, type ConnectionStatus } from './connection-status.js';
export { createRealtimeClient } from './create-realtime-client.js';
export { type Logger, silentLogger } from './logger.js';
export type { PresenceHandler, PresenceUpdate, PresenceWatch } from './presence-watcher.js';
export type {
  ActionEvent,
  ActionHandler,
  AnyActionHandler,
  LastResync,
  RealtimeClient,
  ResyncHandler,
  StatusHandler,
  Unsubscribe,
} from './realtime-client.js';
export {
  DEFAULT_REALTIME_CLIENT_OPTIONS,
  type RealtimeClientOptions,
} from './realtime-client-options.js';
export { RealtimeError } from './realtime-error.js';
