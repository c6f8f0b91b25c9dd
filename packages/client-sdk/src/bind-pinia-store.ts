import type { Meta, PayloadOf, ServerActionName } from '@postbode/protocol';
import type { RealtimeClient, Unsubscribe } from './realtime-client.js';

/** The names of the methods of `Store` that can take the payload of action `A` (and its meta). */
export type MethodsFor<Store, A extends ServerActionName> = {
  [K in keyof Store]: Store[K] extends (data: PayloadOf<A>, meta: Meta) => unknown ? K : never;
}[keyof Store];

/**
 * For each action, the name of a store method that handles it; the method must accept the
 * action's payload (and may take the meta as its second argument).
 */
export type StoreActionMap<Store> = { [A in ServerActionName]?: MethodsFor<Store, A> };

/**
 * Calls a Pinia store's actions (any object's methods, in fact) for server actions: for each
 * mapped action, `store[method](data, meta)`. A method that throws or rejects is reported
 * through the client's logger. Returns a function that unbinds them all.
 *
 * @example
 * const chat = useChatStore();
 * const unbind = bindPiniaStore(client, chat, {
 *   'message.created': 'addMessage', // addMessage(message: PayloadOf<'message.created'>)
 *   'message.read': 'markRead',
 * });
 */
export function bindPiniaStore<Store extends object>(
  client: RealtimeClient,
  store: Store,
  map: StoreActionMap<Store>,
): Unsubscribe {
  const offs = (Object.entries(map) as [ServerActionName, PropertyKey | undefined][])
    .filter((entry): entry is [ServerActionName, PropertyKey] => entry[1] !== undefined)
    .map(([action, method]) =>
      client.on(action, (data, meta) => {
        const fn = (store as Record<PropertyKey, unknown>)[method];
        if (typeof fn !== 'function') {
          client.logger.error(`postbode: store has no method '${String(method)}'`, { action });
          return;
        }
        const result: unknown = fn.call(store, data, meta);
        if (result instanceof Promise) {
          result.catch((error: unknown) =>
            client.logger.error(`postbode: store action '${String(method)}' failed`, {
              action,
              error,
            }),
          );
        }
      }),
    );
  return () => {
    for (const off of offs) off();
  };
}
