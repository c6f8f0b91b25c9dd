import type { ErrorShape } from '@postbode/protocol/core';
import { defineStore } from 'pinia';
import { onScopeDispose, ref } from 'vue';
import type { ConnectionStatus } from './connection-status.js';
import { errorShapeOf } from './error-shape-of.js';
import type { RealtimeClient } from './realtime-client.js';

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
 * message }` or null), and `connect()` / `disconnect()`. It follows the client from the moment
 * the store is first used until `store.$dispose()`.
 *
 * @example
 * export const useRealtimeStore = defineRealtimeStore(client);
 * // in a component
 * const realtime = useRealtimeStore();
 * realtime.status; // 'connected'
 */
export function defineRealtimeStore(client: RealtimeClient, options: RealtimeStoreOptions = {}) {
  const id = options.id ?? DEFAULT_REALTIME_STORE_OPTIONS.id;
  return defineStore(id, () => {
    const status = ref<ConnectionStatus>(client.status);
    const lastMessageAt = ref<number | null>(null);
    const lastError = ref<ErrorShape | null>(errorShapeOf(client.lastError));
    const offStatus = client.onStatus((next, error) => {
      status.value = next;
      if (error !== undefined) lastError.value = errorShapeOf(error);
    });
    const offAny = client.onAny(() => {
      lastMessageAt.value = Date.now();
    });
    // A setup store runs in its own effect scope: disposing the store ends the subscriptions.
    onScopeDispose(() => {
      offStatus();
      offAny();
    });
    const connect = (): void => client.connect();
    const disconnect = (): void => client.disconnect();
    return { status, lastMessageAt, lastError, connect, disconnect };
  });
}
