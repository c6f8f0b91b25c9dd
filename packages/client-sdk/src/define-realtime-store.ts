import type { ClientActionName, ClientPayloadOf } from '@postbode/protocol';
import type { ErrorShape } from '@postbode/protocol/core';
import { defineStore } from 'pinia';
import { onScopeDispose, ref } from 'vue';
import type { SendOptions, SendResult } from './client-event-sender.js';
import type { ConnectionStatus } from './connection-status.js';
import { errorShapeOf } from './error-shape-of.js';
import type { PresenceWatch } from './presence-watcher.js';
import type { LastResync, RealtimeClient, ResyncHandler, Unsubscribe } from './realtime-client.js';

/** Options of {@link defineRealtimeStore}. */
export interface RealtimeStoreOptions {
  /**
   * The Pinia store id.
   * @default 'realtime'
   */
  id?: string;
}

/** The defaults of {@link RealtimeStoreOptions}. */
export const DEFAULT_REALTIME_STORE_OPTIONS = Object.freeze({ id: 'realtime' });

/**
 * Defines a Pinia store (a setup store) with the connection state of `client`: `status`,
 * `lastMessageAt` (receive time of the last message, ms, or null), `lastError` (`{ code,
 * message }` or null), `lastResync` (`{ reason, at }` of the last time messages may have been
 * missed, or null), `connect()` / `disconnect()`, and `onResync(handler)` (like
 * `client.onResync`, and removed with the store), and presence: `watchPresence(userIds)` (like
 * `client.watchPresence`, stopped with the store) with the `online` (user id → boolean) and
 * `lastSeen` (user id → ms) maps of every watched user. It follows the client from the moment the
 * store is first used until `store.$dispose()`.
 *
 * @example
 * export const useRealtimeStore = defineRealtimeStore(client);
 * // in a component
 * const realtime = useRealtimeStore();
 * realtime.status; // 'connected'
 * realtime.onResync(() => useChatStore().refetch());
 * realtime.watchPresence(['7', '42']);
 * realtime.online['7']; // true, once the snapshot is in
 */
export function defineRealtimeStore(client: RealtimeClient, options: RealtimeStoreOptions = {}) {
  const id = options.id ?? DEFAULT_REALTIME_STORE_OPTIONS.id;
  return defineStore(id, () => {
    const status = ref<ConnectionStatus>(client.status);
    const lastMessageAt = ref<number | null>(null);
    const lastError = ref<ErrorShape | null>(errorShapeOf(client.lastError));
    const lastResync = ref<LastResync | null>(null);
    const online = ref<Record<string, boolean>>({});
    const lastSeen = ref<Record<string, number>>({});
    const subscriptions: Unsubscribe[] = [
      client.onStatus((next, error) => {
        status.value = next;
        if (error !== undefined) lastError.value = errorShapeOf(error);
      }),
      client.onAny(() => {
        lastMessageAt.value = Date.now();
      }),
      // Before any handler added with the store's onResync: those see `lastResync` set.
      client.onResync((reason) => {
        lastResync.value = { reason, at: Date.now() };
      }),
      client.onPresence((update) => {
        online.value = { ...online.value, [update.userId]: update.online };
        if (update.lastSeenAt !== undefined) {
          lastSeen.value = { ...lastSeen.value, [update.userId]: update.lastSeenAt };
        }
      }),
    ];
    // A setup store runs in its own effect scope: disposing the store ends the subscriptions.
    onScopeDispose(() => {
      for (const off of subscriptions.splice(0)) off();
    });
    const connect = (): void => client.connect();
    const disconnect = (): void => client.disconnect();
    const onResync = (handler: ResyncHandler): Unsubscribe => {
      const off = client.onResync(handler);
      subscriptions.push(off);
      return off;
    };
    /** `client.send()` (contract 8), as a store action. */
    const send = <A extends ClientActionName>(
      action: A,
      data: ClientPayloadOf<A>,
      sendOptions?: SendOptions,
    ): Promise<SendResult> => client.send(action, data, sendOptions);
    const watchPresence = (userIds: readonly string[]): PresenceWatch => {
      const watch = client.watchPresence(userIds);
      subscriptions.push(watch.stop);
      return watch;
    };
    return {
      status,
      lastMessageAt,
      lastError,
      lastResync,
      online,
      lastSeen,
      connect,
      disconnect,
      onResync,
      watchPresence,
      send,
    };
  });
}
