/**
 * `@postbode/client-sdk/vue`: the `useRealtime()` composable (Vue 3, and Vue 2.7).
 * @packageDocumentation
 */
export {
  provideRealtime,
  REALTIME_CLIENT_KEY,
  realtimeVuePlugin,
  type UseRealtime,
  useRealtime,
} from './use-realtime.js';
