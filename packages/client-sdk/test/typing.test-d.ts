import { createPinia, defineStore } from 'pinia';
import { describe, expectTypeOf, it } from 'vitest';
import { createStore } from 'vuex';
import {
  type ActionEvent,
  type ConnectionStatus,
  type Cursor,
  createRealtimeClient,
  type LastResync,
  type Meta,
  type PayloadOf,
  type RealtimeClient,
  type RealtimeError,
  type SyncReason,
} from '../src/index.js';
import { bindPiniaStore, defineRealtimeStore } from '../src/pinia.js';
import { useRealtime } from '../src/vue.js';
import { createVuexPlugin, type RealtimePayload } from '../src/vuex.js';

declare const client: RealtimeClient;

describe('client.on', () => {
  it('types data and meta from the protocol registry', () => {
    client.on('message.created', (data, meta) => {
      expectTypeOf(data).toEqualTypeOf<PayloadOf<'message.created'>>();
      expectTypeOf(data.body).toEqualTypeOf<string>();
      expectTypeOf(meta).toEqualTypeOf<Meta>();
      return data.body;
    });
    client.on('presence.changed', (data) => {
      expectTypeOf(data.status).toEqualTypeOf<'online' | 'away' | 'offline'>();
    });
    expectTypeOf(client.on('message.read', () => {})).toEqualTypeOf<() => void>();
  });

  it('rejects a misspelled action', () => {
    // @ts-expect-error: 'message.craeted' is not an action
    client.on('message.craeted', () => {});
    // @ts-expect-error: not an action
    client.once('message.craeted', () => {});
    // @ts-expect-error: not an action
    client.off('message.craeted');
  });

  it('rejects a misspelled field', () => {
    client.on('message.created', (data) => {
      // @ts-expect-error: 'bdy' is not a field of message.created
      data.bdy;
    });
  });

  it('rejects a handler written for another action', () => {
    const onRead = (data: PayloadOf<'message.read'>) => data.readerId;
    // @ts-expect-error: a message.read handler does not take message.created
    client.on('message.created', onRead);
  });
});

describe('client.onAny', () => {
  it('narrows data by action', () => {
    client.onAny((event) => {
      expectTypeOf(event).toEqualTypeOf<ActionEvent>();
      if (event.action === 'message.created') expectTypeOf(event.data.body).toEqualTypeOf<string>();
      if (event.action === 'conversation.unread') {
        expectTypeOf(event.data.totalUnread).toEqualTypeOf<number>();
        // @ts-expect-error: a conversation.unread payload has no body
        event.data.body;
      }
    });
  });
});

describe('status', () => {
  it('is one of five', () => {
    expectTypeOf(client.status).toEqualTypeOf<ConnectionStatus>();
    expectTypeOf<ConnectionStatus>().toEqualTypeOf<
      'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'unauthorized'
    >();
    client.onStatus((status, error) => {
      expectTypeOf(status).toEqualTypeOf<ConnectionStatus>();
      expectTypeOf(error).toEqualTypeOf<RealtimeError | undefined>();
    });
  });
});

describe('cursor and resync', () => {
  it('types the cursor, the initial cursor and the reason of a resync', () => {
    expectTypeOf(client.cursor).toEqualTypeOf<Cursor | undefined>();
    expectTypeOf<Cursor>().toEqualTypeOf<{ epoch: string; offset: string }>();
    expectTypeOf<SyncReason>().toEqualTypeOf<
      'no_cursor' | 'epoch' | 'trimmed' | 'too_many' | 'unavailable'
    >();
    expectTypeOf(
      client.onResync((reason) => expectTypeOf(reason).toEqualTypeOf<SyncReason>()),
    ).toEqualTypeOf<() => void>();
    createRealtimeClient({
      url: 'https://x',
      token: 't',
      cursor: { epoch: 'e', offset: '1-0' },
      onResync: (reason) => expectTypeOf(reason).toEqualTypeOf<SyncReason>(),
    });
    // A page rendered without a cursor embeds null.
    createRealtimeClient({ url: 'https://x', token: 't', cursor: null });
    // @ts-expect-error: a cursor has an epoch and an offset
    createRealtimeClient({ url: 'https://x', token: 't', cursor: { offset: '1-0' } });
  });
});

describe('createRealtimeClient options', () => {
  it('needs a token or getToken', () => {
    createRealtimeClient({ url: 'https://x', token: 't' });
    createRealtimeClient({ url: 'https://x', getToken: async () => 't' });
    createRealtimeClient({ url: 'https://x', token: 't', getToken: async () => 't' });
    // @ts-expect-error: neither token nor getToken
    createRealtimeClient({ url: 'https://x' });
    // @ts-expect-error: getToken returns a promise
    createRealtimeClient({ url: 'https://x', getToken: () => 't' });
    // @ts-expect-error: not a transport
    createRealtimeClient({ url: 'https://x', token: 't', transports: ['carrier-pigeon'] });
  });
});

describe('createVuexPlugin', () => {
  it('takes action names as keys of its maps', () => {
    createVuexPlugin(client, {
      mutations: { 'message.created': 'chat/addMessage' },
      actions: { 'message.read': 'chat/markRead' },
    });
    createVuexPlugin(client, {
      // @ts-expect-error: 'message.craeted' is not an action
      mutations: { 'message.craeted': 'chat/addMessage' },
    });
    createVuexPlugin(client, {
      // @ts-expect-error: not an action
      actions: { 'message.raed': 'chat/markRead' },
    });
  });

  it('is a Vuex 4 plugin and types the payload a mutation receives', () => {
    const store = createStore({ plugins: [createVuexPlugin(client)] });
    expectTypeOf(store).not.toBeAny();
    expectTypeOf<RealtimePayload<'message.created'>>().toEqualTypeOf<{
      data: PayloadOf<'message.created'>;
      meta: Meta;
    }>();
  });
});

describe('Pinia', () => {
  const useChat = defineStore('chat', {
    state: () => ({ bodies: [] as string[] }),
    actions: {
      addMessage(message: PayloadOf<'message.created'>, meta: Meta) {
        this.bodies.push(message.body + meta.id);
      },
      setUnread(counters: PayloadOf<'conversation.unread'>) {
        return counters.totalUnread;
      },
    },
  });

  it('binds actions to store methods that take their payload', () => {
    const chat = useChat(createPinia());
    bindPiniaStore(client, chat, {
      'message.created': 'addMessage',
      'conversation.unread': 'setUnread',
    });
    // @ts-expect-error: setUnread does not take a message.created payload
    bindPiniaStore(client, chat, { 'message.created': 'setUnread' });
    // @ts-expect-error: no such method
    bindPiniaStore(client, chat, { 'message.created': 'addMesage' });
    // @ts-expect-error: not an action
    bindPiniaStore(client, chat, { 'message.craeted': 'addMessage' });
  });

  it('the realtime store has a typed status', () => {
    const realtime = defineRealtimeStore(client)(createPinia());
    expectTypeOf(realtime.status).toEqualTypeOf<ConnectionStatus>();
    expectTypeOf(realtime.lastMessageAt).toEqualTypeOf<number | null>();
    expectTypeOf(realtime.connect).toEqualTypeOf<() => void>();
    expectTypeOf(realtime.lastResync).toEqualTypeOf<LastResync | null>();
    expectTypeOf(realtime.onResync).toEqualTypeOf<
      (handler: (reason: SyncReason) => void) => () => void
    >();
  });
});

describe('useRealtime', () => {
  it('gives the status as a ref and a typed on', () => {
    const { status, on } = useRealtime(client);
    expectTypeOf(status.value).toEqualTypeOf<ConnectionStatus>();
    on('message.created', (data) => expectTypeOf(data.body).toEqualTypeOf<string>());
    // @ts-expect-error: not an action
    on('message.craeted', () => {});
  });
});

describe('client.send and typing.changed (contract 8)', () => {
  it('types the payload of each client action and the ack', () => {
    expectTypeOf(
      client.send('message.read', { conversationId: 'c', lastReadMessageId: 'm' }),
    ).toEqualTypeOf<Promise<{ id: string }>>();
    client.send('typing', { conversationId: 'c', to: '42', typing: false }, { id: 'x' });
    // @ts-expect-error: not a client action
    client.send('message.created', {});
    // @ts-expect-error: a field missing
    client.send('message.read', { conversationId: 'c' });
    // @ts-expect-error: a field the action does not have
    client.send('message.delivered', { conversationId: 'c', messageIds: ['m'], userId: '1' });
    client.on('typing.changed', (data) => {
      expectTypeOf(data).toEqualTypeOf<{
        conversationId: string;
        userId: string;
        typing: boolean;
      }>();
    });
  });
});
