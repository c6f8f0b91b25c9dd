import type { ServerActionName } from '@postbode/protocol';
import {
  getCurrentScope,
  type InjectionKey,
  inject,
  onScopeDispose,
  provide,
  type Ref,
  shallowRef,
} from 'vue';
import type { ConnectionStatus } from './connection-status.js';
import type { ActionHandler, RealtimeClient, Unsubscribe } from './realtime-client.js';

/** The key under which {@link provideRealtime} and {@link realtimeVuePlugin} provide the client. */
export const REALTIME_CLIENT_KEY: InjectionKey<RealtimeClient> = Symbol('postbode.realtime');

/** What {@link useRealtime} returns. */
export interface UseRealtime {
  /** The client itself. */
  client: RealtimeClient;
  /** The connection status, kept up to date. */
  status: Readonly<Ref<ConnectionStatus>>;
  /**
   * Like `client.on`, but the handler is removed when the component unmounts (or the effect
   * scope it was called in is disposed). Returns a function to remove it earlier.
   */
  on<A extends ServerActionName>(action: A, handler: ActionHandler<A>): Unsubscribe;
}

/**
 * A Vue 3 plugin that provides `client` to every component of the app, for {@link useRealtime}.
 *
 * @example
 * createApp(App).use(realtimeVuePlugin(client)).mount('#app');
 */
export function realtimeVuePlugin(client: RealtimeClient): {
  install(app: {
    provide(key: InjectionKey<RealtimeClient>, value: RealtimeClient): unknown;
  }): void;
} {
  return {
    install(app) {
      app.provide(REALTIME_CLIENT_KEY, client);
    },
  };
}

/** Provides `client` to the calling component's descendants (inside `setup()`; Vue 2.7 too). */
export function provideRealtime(client: RealtimeClient): void {
  provide(REALTIME_CLIENT_KEY, client);
}

/**
 * The client in a component: the connection status as a ref, and `on` that unsubscribes when
 * the component unmounts. Uses `client` when given, else the one provided by
 * {@link realtimeVuePlugin} or {@link provideRealtime}.
 *
 * @example
 * const { status, on } = useRealtime();
 * const messages = ref<PayloadOf<'message.created'>[]>([]);
 * on('message.created', (data) => messages.value.push(data));
 */
export function useRealtime(client?: RealtimeClient): UseRealtime {
  const resolved = client ?? inject(REALTIME_CLIENT_KEY, undefined);
  if (resolved === undefined) {
    throw new Error(
      'useRealtime() found no client: pass one, or install realtimeVuePlugin(client) / call provideRealtime(client)',
    );
  }
  const scoped = getCurrentScope() !== undefined;
  const status = shallowRef<ConnectionStatus>(resolved.status);
  const offStatus = resolved.onStatus((next) => {
    status.value = next;
  });
  if (scoped) onScopeDispose(offStatus);
  return {
    client: resolved,
    status,
    on(action, handler) {
      const off = resolved.on(action, handler);
      if (getCurrentScope() !== undefined) onScopeDispose(off);
      return off;
    },
  };
}
