/**
 * `@postbode/client-sdk/pinia`: a Pinia store with the connection state, and a helper that calls
 * a store's actions for server actions.
 * @packageDocumentation
 */
export {
  bindPiniaStore,
  type MethodsFor,
  type StoreActionMap,
} from './bind-pinia-store.js';
export {
  DEFAULT_REALTIME_STORE_OPTIONS,
  defineRealtimeStore,
  type RealtimeStoreOptions,
} from './define-realtime-store.js';
