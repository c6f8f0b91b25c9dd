import type { PayloadOf } from '@postbode/protocol';
import { waitUntil } from '@postbode/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createStore, type Module } from 'vuex';
import {
  createVuexPlugin,
  type RealtimeModuleState,
  type RealtimePayload,
  type SendPayload,
} from '../src/vuex.js';
import { tokenFor, uniqueUser, useStack, waitForStatus } from './stack.js';

const stack = useStack();

interface ChatState {
  messages: PayloadOf<'message.created'>[];
  readUpTo: Record<string, string>;
  metaIds: string[];
}

/** The app's own module, as a Vue developer writes it. */
function chatModule(): Module<ChatState, unknown> {
  return {
    namespaced: true,
    state: () => ({ messages: [], readUpTo: {}, metaIds: [] }),
    mutations: {
      addMessage(state, { data, meta }: RealtimePayload<'message.created'>) {
        state.messages.push(data);
        state.metaIds.push(meta.id);
      },
      setReadUpTo(
        state,
        { conversationId, messageId }: { conversationId: string; messageId: string },
      ) {
        state.readUpTo[conversationId] = messageId;
      },
    },
    actions: {
      markRead({ commit }, { data }: RealtimePayload<'message.read'>) {
        commit('setReadUpTo', {
          conversationId: data.conversationId,
          messageId: data.lastReadMessageId,
        });
      },
    },
  };
}

describe('createVuexPlugin with Vuex 4 (Vue 3)', () => {
  it('commits mapped mutations, dispatches mapped actions and keeps the connection state', async () => {
    const { user, client } = await stack.clientForNewUser();
    const plugin = createVuexPlugin(client, {
      mutations: { 'message.created': 'chat/addMessage' },
      actions: { 'message.read': 'chat/markRead' },
    });
    onTestFinished(plugin.unsubscribe);
    const store = createStore<{ chat: ChatState; realtime: RealtimeModuleState }>({
      strict: true,
      modules: { chat: chatModule() },
      plugins: [plugin],
    });
    await waitForStatus(client, 'connected');
    await waitUntil(() => store.state.realtime.status === 'connected', {
      description: 'store status connected',
    });
    expect(store.state.realtime.lastMessageAt).toBeNull();

    await stack.publish({
      action: 'message.created',
      data: { messageId: 'm-1', conversationId: 'c-9', senderId: '7', body: 'hoi', sentAt: 1 },
      to: { users: [user] },
      id: 'vuex4-1',
    });
    await stack.publish({
      action: 'message.read',
      data: { conversationId: 'c-9', readerId: '7', lastReadMessageId: 'm-1', readAt: 2 },
      to: { users: [user] },
    });
    await waitUntil(() => store.state.chat.readUpTo['c-9'] === 'm-1', {
      description: 'the read receipt in the store',
    });
    expect(store.state.chat.messages).toEqual([
      { messageId: 'm-1', conversationId: 'c-9', senderId: '7', body: 'hoi', sentAt: 1 },
    ]);
    expect(store.state.chat.metaIds).toEqual(['vuex4-1']);
    expect(store.state.realtime.lastMessageAt).toEqual(expect.any(Number));

    client.disconnect();
    expect(store.state.realtime.status).toBe('disconnected');
  });

  it('commits realtime/resync with the reason when messages may have been missed', async () => {
    const client = stack.client({
      token: await tokenFor(uniqueUser()),
      // A cursor of a history that no longer exists: the gateway answers `epoch`.
      cursor: { epoch: 'an-epoch-long-gone', offset: '1-0' },
      autoConnect: false,
    });
    const plugin = createVuexPlugin(client);
    onTestFinished(plugin.unsubscribe);
    const store = createStore<{ realtime: RealtimeModuleState }>({
      strict: true,
      plugins: [plugin],
    });
    // How an app refetches: it subscribes to the mutation.
    const resyncs: unknown[] = [];
    store.subscribe(({ type, payload }) => {
      if (type === 'realtime/resync') resyncs.push(payload);
    });
    expect(store.state.realtime.lastResync).toBeNull();

    client.connect();
    await waitForStatus(client, 'connected');
    const resync = { reason: 'epoch', at: expect.any(Number) };
    expect(resyncs).toEqual([resync]);
    expect(store.state.realtime.lastResync).toEqual(resync);
    expect(store.state.realtime.status).toBe('connected');
  });

  it('uses the given namespace and records the last error', async () => {
    const client = stack.client({ token: 'not-a-jwt' });
    const plugin = createVuexPlugin(client, { namespace: 'live' });
    onTestFinished(plugin.unsubscribe);
    const store = createStore<{ live: RealtimeModuleState }>({ plugins: [plugin] });
    await waitForStatus(client, 'unauthorized');
    expect(store.state.live.status).toBe('unauthorized');
    expect(store.state.live.lastError).toEqual({
      code: 'UNAUTHORIZED',
      message: expect.any(String),
    });
  });
});

describe('Vuex send (contract 8)', () => {
  it("dispatch('realtime/send') sends a client action and resolves with its id", async () => {
    const client = stack.client({ token: await tokenFor(uniqueUser()) });
    const plugin = createVuexPlugin(client);
    onTestFinished(plugin.unsubscribe);
    const store = createStore<{ realtime: RealtimeModuleState }>({
      strict: true,
      plugins: [plugin],
    });
    await waitForStatus(client, 'connected');
    const payload: SendPayload = {
      action: 'message.delivered',
      data: { conversationId: 'c-1', messageIds: ['m-1'] },
      id: `vuex-send-${uniqueUser()}`,
    };
    const result = (await store.dispatch('realtime/send', payload)) as { id: string };
    expect(result.id).toBe(payload.id);
    await expect(
      store.dispatch('realtime/send', { action: 'message.read', data: {} }),
    ).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
  });
});
