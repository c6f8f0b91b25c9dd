/**
 * `@postbode/client-sdk/vuex`: a Vuex plugin (Vuex 3 and 4) that keeps the connection state in
 * a namespaced module (with a `resync` mutation when messages may have been missed) and turns
 * server actions into commits and dispatches.
 * @packageDocumentation
 */
export {
  createVuexPlugin,
  DEFAULT_VUEX_PLUGIN_OPTIONS,
  type RealtimeActionMap,
  type RealtimeModuleState,
  type RealtimePayload,
  type RealtimeVuexPlugin,
  type SendPayload,
  type VuexPluginOptions,
  type VuexStoreLike,
} from './create-vuex-plugin.js';
