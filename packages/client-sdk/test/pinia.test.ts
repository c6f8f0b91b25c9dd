import type { Meta, PayloadOf } from '@postbode/protocol';
import { waitUntil } from '@postbode/testkit';
import { createPinia, defineStore, setActivePinia } from 'pinia';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bindPiniaStore, defineRealtimeStore } from '../src/pinia.js';
import type { LastResync } from '../src/realtime-client.js';
import { tokenFor, uniqueUser, useStack, waitForStatus } from './stack.js';

const stack = useStack();

/** The app's own store, as a Vue developer writes it. */
const useChatStore = defineStore('chat', {
  state: () => ({
    messages: [] as PayloadOf<'message.created'>[],
    unread: 0,
    lastMetaId: '',
  }),
  actions: {
    addMessage(message: PayloadOf<'message.created'>, meta: Meta) {
      this.messages.push(message);
      this.lastMetaId = meta.id;
    },
    async setUnread(counters: PayloadOf<'conversation.unread'>) {
      this.unread = counters.totalUnread;
    },
  },
});

describe('Pinia', () => {
  it('the realtime store follows the connection; bound store actions change the store', async () => {
    setActivePinia(createPinia());
    const { user, client } = await stack.clientForNewUser();
    const realtime = defineRealtimeStore(client)();
    onTestFinished(() => realtime.$dispose());
    const chat = useChatStore();
    const unbind = bindPiniaStore(client, chat, {
      'message.created': 'addMessage',
      'conversation.unread': 'setUnread',
    });
    onTestFinished(unbind);

    await waitForStatus(client, 'connected');
    expect(realtime.status).toBe('connected');
    await stack.publish({
      action: 'message.created',
      data: { messageId: 'm-1', conversationId: 'c-9', senderId: '7', body: 'hoi', sentAt: 1 },
      to: { users: [user] },
      id: 'pinia-1',
    });
    await stack.publish({
      action: 'conversation.unread',
      data: { conversationId: 'c-9', unread: 1, totalUnread: 3 },
      to: { users: [user] },
    });
    await waitUntil(() => chat.unread === 3, { description: 'unread counter in the store' });
    expect(chat.messages.map((message) => message.body)).toEqual(['hoi']);
    expect(chat.lastMetaId).toBe('pinia-1');
    expect(realtime.lastMessageAt).toEqual(expect.any(Number));

    realtime.disconnect();
    expect(realtime.status).toBe('disconnected');
    realtime.connect();
    await waitUntil(() => realtime.status === 'connected', { description: 'reconnected' });

    unbind();
    let marker = false;
    client.once('system.announcement', () => {
      marker = true;
    });
    await stack.publish({
      action: 'message.created',
      data: { messageId: 'm-2', conversationId: 'c-9', senderId: '7', body: 'later', sentAt: 2 },
      to: { users: [user] },
    });
    await stack.publish({
      action: 'system.announcement',
      data: { text: 'marker', level: 'info' },
      to: { users: [user] },
    });
    await waitUntil(() => marker, { description: 'the marker message' });
    // Unbound: the second message reaches the client but not the chat store.
    expect(chat.messages.map((message) => message.body)).toEqual(['hoi']);
  });

  it('keeps the last resync in the realtime store and calls its onResync hooks', async () => {
    setActivePinia(createPinia());
    const client = stack.client({
      token: await tokenFor(uniqueUser()),
      // A cursor of a history that no longer exists: the gateway answers `epoch`.
      cursor: { epoch: 'an-epoch-long-gone', offset: '1-0' },
      autoConnect: false,
    });
    const realtime = defineRealtimeStore(client, { id: 'resyncing' })();
    onTestFinished(() => realtime.$dispose());
    // How an app refetches; the store's state is up to date when the hook runs.
    const hooked: (LastResync | null)[] = [];
    realtime.onResync(() => hooked.push(realtime.lastResync));
    expect(realtime.lastResync).toBeNull();

    client.connect();
    await waitForStatus(client, 'connected');
    const resync = { reason: 'epoch', at: expect.any(Number) };
    expect(realtime.lastResync).toEqual(resync);
    expect(hooked).toEqual([resync]);
  });

  it('records the last error in the realtime store', async () => {
    setActivePinia(createPinia());
    const client = stack.client({ token: 'not-a-jwt' });
    const realtime = defineRealtimeStore(client, { id: 'live' })();
    onTestFinished(() => realtime.$dispose());
    await waitForStatus(client, 'unauthorized');
    expect(realtime.status).toBe('unauthorized');
    expect(realtime.lastError?.code).toBe('UNAUTHORIZED');
    expect(realtime.$id).toBe('live');
  });
});

describe('Pinia send (contract 8)', () => {
  it('the realtime store offers client.send as an action', async () => {
    setActivePinia(createPinia());
    const { client } = await stack.clientForNewUser();
    const realtime = defineRealtimeStore(client)();
    onTestFinished(() => realtime.$dispose());
    await waitForStatus(client, 'connected');
    const result = await realtime.send(
      'message.read',
      { conversationId: 'c-1', lastReadMessageId: 'm-1' },
      { id: `pinia-send-${uniqueUser()}` },
    );
    expect(result.id).toMatch(/^pinia-send-/);
  });
});
