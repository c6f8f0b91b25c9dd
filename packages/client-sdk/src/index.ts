/**
 * `@postbode/client-sdk`: a typed browser client for the Postbode gateway. Vue-free; the
 * adapters live in `@postbode/client-sdk/vuex`, `/pinia` and `/vue`.
 * @packageDocumentation
 */
// The protocol's types, so that an app needs this one package to type its handlers.
export type { ErrorCode, Meta, PayloadOf, ServerActionName } from '@postbode/protocol';
export { CONNECTION_STATUSES, type ConnectionStatus } from './connection-status.js';
export { createRealtimeClient } from './create-realtime-client.js';
export { type Logger, silentLogger } from './logger.js';
export type {
  ActionEvent,
  ActionHandler,
  AnyActionHandler,
  RealtimeClient,
  StatusHandler,
  Unsubscribe,
} from './realtime-client.js';
export {
  DEFAULT_REALTIME_CLIENT_OPTIONS,
  type RealtimeClientOptions,
  type StaticTokenOptions,
  type TokenProviderOptions,
  type Transport,
} from './realtime-client-options.js';
export { RealtimeError, type RealtimeErrorOptions } from './realtime-error.js';
