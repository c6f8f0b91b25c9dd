import type {
  ClientActionName,
  ClientPayloadOf,
  Meta,
  PayloadOf,
  ServerActionName,
} from '@postbode/protocol';
import type { ErrorShape } from '@postbode/protocol/core';
import type { ConnectionStatus } from './connection-status.js';
import { errorShapeOf } from './error-shape-of.js';
import type { PresenceUpdate } from './presence-watcher.js';
import type { LastResync, RealtimeClient, Unsubscribe } from './realtime-client.js';

/**
 * What a mapped Vuex mutation or action receives: the action's `data` and the message's `meta`.
 *
 * @example
 * mutations: {
 *   addMessage(state, { data }: RealtimePayload<'message.created'>) { state.list.push(data); },
 * }
 */
export interface RealtimePayload<A extends ServerActionName> {
  /** The action's payload, as published. */
  data: PayloadOf<A>;
  /** The message's id, publish time and site. */
  meta: Meta;
}

/** The payload of the module's `send` action: a client action, typed from the protocol. */
export type SendPayload = {
  [A in ClientActionName]: { action: A; data: ClientPayloadOf<A>; id?: string };
}[ClientActionName];

/** Maps server actions to Vuex mutation (or action) types, e.g. `'chat/addMessage'`. */
export type RealtimeActionMap = { [A in ServerActionName]?: string };

/** The state of the connection module the plugin registers. */
export interface RealtimeModuleState {
  /** Where the connection stands. */
  status: ConnectionStatus;
  /** When the last message arrived (receive time, ms since the epoch), or null. */
  lastMessageAt: number | null;
  /** The last connection error (refused or expired token), or null. */
  lastError: ErrorShape | null;
  /**
   * The last time messages may have been missed (`client.onResync`), with the reason, or null.
   * Set by the module's `resync` mutation, which an app can react to with `store.subscribe`.
   */
  lastResync: LastResync | null;
  /**
   * Presence of the users watched with `client.watchPresence()`: user id → online. Filled from
   * each watch's snapshot and kept up to date by `presence.changed`.
   */
  online: Record<string, boolean>;
  /** When watched users went offline (ms), for those the gateway said so of since the page loaded. */
  lastSeen: Record<string, number>;
}

/** Options of {@link createVuexPlugin}. */
export interface VuexPluginOptions {
  /**
   * Name of the namespaced module that holds the connection state.
   * @default 'realtime'
   */
  namespace?: string;
  /**
   * For each action, the mutation to commit with a {@link RealtimePayload}.
   * @default {}
   */
  mutations?: RealtimeActionMap;
  /**
   * For each action, the Vuex action to dispatch with a {@link RealtimePayload}.
   * @default {}
   */
  actions?: RealtimeActionMap;
}

/** The defaults of {@link VuexPluginOptions}. */
export const DEFAULT_VUEX_PLUGIN_OPTIONS = Object.freeze({
  namespace: 'realtime',
  mutations: {} as RealtimeActionMap,
  actions: {} as RealtimeActionMap,
});

/**
 * The part of a Vuex store the plugin uses, the same in Vuex 3 and Vuex 4 (so the SDK needs
 * neither at run time nor for its types).
 */
export interface VuexStoreLike {
  registerModule(path: string, module: object, options?: object): void;
  commit(type: string, payload?: unknown, options?: object): void;
  dispatch(type: string, payload?: unknown, options?: object): Promise<unknown>;
}

/** A Vuex plugin: a function of the store, as `plugins: [...]` takes it. */
export type RealtimeVuexPlugin = ((store: VuexStoreLike) => void) & {
  /** Stops the plugin's subscriptions to the client (the module stays registered). */
  readonly unsubscribe: Unsubscribe;
};

// Mutation names inside the connection module.
const SET_STATUS = 'setStatus';
const MESSAGE_RECEIVED = 'messageReceived';
const RESYNC = 'resync';
const SEND = 'send';
const PRESENCE = 'presence';

/**
 * Makes a Vuex plugin that registers a namespaced module with the connection state
 * (`status`, `lastMessageAt`, `lastError`, `lastResync`, and the `online` and `lastSeen` maps
 * of the users watched with `client.watchPresence()`) and, for each mapped action, commits
 * the mapped mutation or dispatches the mapped Vuex action with `{ data, meta }`. When messages
 * may have been missed, it commits `<namespace>/resync` with `{ reason, at }`: subscribe to it
 * to refetch. Works with Vuex 4 (Vue 3) and Vuex 3 (Vue 2.7).
 *
 * @example
 * const store = createStore({
 *   modules: { chat },
 *   plugins: [
 *     createVuexPlugin(client, {
 *       mutations: { 'message.created': 'chat/addMessage' },
 *       actions: { 'message.read': 'chat/markRead' },
 *     }),
 *   ],
 * });
 * store.state.realtime.status; // 'connected'
 * client.watchPresence(['7', '42']);
 * store.state.realtime.online['7']; // true, once the snapshot is in
 * store.subscribe(({ type }) => {
 *   if (type === 'realtime/resync') store.dispatch('chat/refetch');
 * });
 */
export function createVuexPlugin(
  client: RealtimeClient,
  options: VuexPluginOptions = {},
): RealtimeVuexPlugin {
  const settings = {
    namespace: options.namespace ?? DEFAULT_VUEX_PLUGIN_OPTIONS.namespace,
    mutations: options.mutations ?? DEFAULT_VUEX_PLUGIN_OPTIONS.mutations,
    actions: options.actions ?? DEFAULT_VUEX_PLUGIN_OPTIONS.actions,
  };
  const subscriptions: Unsubscribe[] = [];
  const unsubscribe: Unsubscribe = () => {
    for (const off of subscriptions.splice(0)) off();
  };

  const plugin = (store: VuexStoreLike): void => {
    const ns = settings.namespace;
    store.registerModule(ns, {
      namespaced: true,
      state: (): RealtimeModuleState => ({
        status: client.status,
        lastMessageAt: null,
        lastError: errorShapeOf(client.lastError),
        lastResync: null,
        online: {},
        lastSeen: {},
      }),
      actions: {
        /**
         * `dispatch('realtime/send', { action, data, id? })`: `client.send()` (contract 8);
         * resolves with `{ id }` once the gateway acknowledged it, rejects with a RealtimeError.
         */
        [SEND](_context: unknown, event: SendPayload) {
          return client.send(event.action, event.data as never, { id: event.id });
        },
      },
      mutations: {
        [SET_STATUS](
          state: RealtimeModuleState,
          payload: Pick<RealtimeModuleState, 'status'> & {
            error: RealtimeModuleState['lastError'];
          },
        ) {
          state.status = payload.status;
          if (payload.error !== null) state.lastError = payload.error;
        },
        [MESSAGE_RECEIVED](state: RealtimeModuleState, at: number) {
          state.lastMessageAt = at;
        },
        [RESYNC](state: RealtimeModuleState, resync: LastResync) {
          state.lastResync = resync;
        },
        // New objects rather than new keys: reactive in Vue 2.7 (Vuex 3) as in Vue 3.
        [PRESENCE](state: RealtimeModuleState, update: PresenceUpdate) {
          state.online = { ...state.online, [update.userId]: update.online };
          if (update.lastSeenAt !== undefined) {
            state.lastSeen = { ...state.lastSeen, [update.userId]: update.lastSeenAt };
          }
        },
      },
    });
    subscriptions.push(
      client.onStatus((status, error) =>
        store.commit(`${ns}/${SET_STATUS}`, { status, error: errorShapeOf(error) }),
      ),
      client.onAny(() => store.commit(`${ns}/${MESSAGE_RECEIVED}`, Date.now())),
      client.onResync((reason) => store.commit(`${ns}/${RESYNC}`, { reason, at: Date.now() })),
      client.onPresence((update) => store.commit(`${ns}/${PRESENCE}`, update)),
    );
    for (const [action, type] of entries(settings.mutations)) {
      subscriptions.push(client.on(action, (data, meta) => store.commit(type, { data, meta })));
    }
    for (const [action, type] of entries(settings.actions)) {
      subscriptions.push(
        client.on(action, (data, meta) => {
          // A rejected Vuex action is the app's bug, not the connection's: report, carry on.
          store.dispatch(type, { data, meta }).catch((error: unknown) => {
            client.logger.error(`postbode: Vuex action '${type}' failed`, { action, error });
          });
        }),
      );
    }
  };
  return Object.assign(plugin, { unsubscribe });
}

function entries(map: RealtimeActionMap): [ServerActionName, string][] {
  return (Object.entries(map) as [ServerActionName, string | undefined][]).filter(
    (entry): entry is [ServerActionName, string] => typeof entry[1] === 'string',
  );
}
