import { fileURLToPath } from 'node:url';
import { createRealtimeClient, type PayloadOf } from '@postbode/client-sdk';
import {
  createVuexPlugin,
  type RealtimeModuleState,
  type RealtimePayload,
} from '@postbode/client-sdk/vuex';
import {
  type GatewayProcess,
  type RedisServer,
  signTestToken,
  startGatewayProcess,
  startRedis,
  waitUntil,
} from '@postbode/testkit';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
// Vue 2.7's types are CommonJS declarations: from ESM, its default export is `.default`.
import * as vue2 from 'vue';
import Vuex, { type Module } from 'vuex';

const Vue = vue2.default;
// Vuex 3 needs Vue 2 installed into it, as an app's main.js does.
Vue.use(Vuex);

let redis: RedisServer;
let gateway: GatewayProcess;

beforeAll(async () => {
  redis = await startRedis();
  gateway = await startGatewayProcess({
    entry: fileURLToPath(import.meta.resolve('@postbode/gateway/main')),
    env: { POSTBODE_REDIS_URL: redis.url },
  });
});

afterAll(async () => {
  await gateway?.stop();
  await redis?.stop();
});

interface ChatState {
  messages: PayloadOf<'message.created'>[];
  readUpTo: Record<string, string>;
}

function chatModule(): Module<ChatState, unknown> {
  return {
    namespaced: true,
    state: () => ({ messages: [], readUpTo: {} }),
    mutations: {
      addMessage(state, { data }: RealtimePayload<'message.created'>) {
        state.messages.push(data);
      },
      setReadUpTo(
        state,
        { conversationId, messageId }: { conversationId: string; messageId: string },
      ) {
        // Vue 2 reactivity needs Vue.set for a new key.
        Vue.set(state.readUpTo, conversationId, messageId);
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

async function publish(envelope: object): Promise<void> {
  await redis.publish('postbode', JSON.stringify(envelope));
}

describe('createVuexPlugin with Vuex 3 (Vue 2.7)', () => {
  it('commits mapped mutations, dispatches mapped actions and keeps the connection state', async () => {
    expect(Vue.version).toMatch(/^2\.7\./);
    expect((Vuex as unknown as { version: string }).version).toMatch(/^3\./);
    const user = `vue2-${process.pid}`;
    const client = createRealtimeClient({
      url: gateway.url,
      token: await signTestToken({ sub: user }),
    });
    onTestFinished(() => client.disconnect());
    const plugin = createVuexPlugin(client, {
      mutations: { 'message.created': 'chat/addMessage' },
      actions: { 'message.read': 'chat/markRead' },
    });
    onTestFinished(plugin.unsubscribe);
    const store = new Vuex.Store<{ chat: ChatState; realtime: RealtimeModuleState }>({
      strict: true,
      modules: { chat: chatModule() },
      plugins: [plugin],
    });
    // A Vue 2 watcher sees the module's state change: it is reactive, not just assigned.
    const statuses: string[] = [];
    store.watch(
      (state) => state.realtime.status,
      (status) => statuses.push(status),
    );

    await waitUntil(() => store.state.realtime.status === 'connected', {
      description: 'store status connected',
    });
    await publish({
      action: 'message.created',
      data: { messageId: 'm-1', conversationId: 'c-9', senderId: '7', body: 'hoi', sentAt: 1 },
      to: { users: [user] },
    });
    await publish({
      action: 'message.read',
      data: { conversationId: 'c-9', readerId: '7', lastReadMessageId: 'm-1', readAt: 2 },
      to: { users: [user] },
    });
    await waitUntil(() => store.state.chat.readUpTo['c-9'] === 'm-1', {
      description: 'the read receipt in the store',
    });
    expect(store.state.chat.messages.map((message) => message.body)).toEqual(['hoi']);
    expect(store.state.realtime.lastMessageAt).toEqual(expect.any(Number));
    await waitUntil(() => statuses.includes('connected'), { description: 'the watcher' });

    client.disconnect();
    expect(store.state.realtime.status).toBe('disconnected');
  });

  it('commits realtime/resync with the reason; a Vue 2 watcher sees lastResync', async () => {
    const client = createRealtimeClient({
      url: gateway.url,
      token: await signTestToken({ sub: `vue2-resync-${process.pid}` }),
      // A cursor of a history that no longer exists: the gateway answers `epoch`.
      cursor: { epoch: 'an-epoch-long-gone', offset: '1-0' },
      autoConnect: false,
    });
    onTestFinished(() => client.disconnect());
    const plugin = createVuexPlugin(client);
    onTestFinished(plugin.unsubscribe);
    const store = new Vuex.Store<{ realtime: RealtimeModuleState }>({
      strict: true,
      plugins: [plugin],
    });
    const committed: unknown[] = [];
    store.subscribe(({ type, payload }) => {
      if (type === 'realtime/resync') committed.push(payload);
    });
    const watched: unknown[] = [];
    store.watch(
      (state) => state.realtime.lastResync?.reason,
      (reason) => watched.push(reason),
    );

    client.connect();
    await waitUntil(() => watched.length === 1, { description: 'the watcher of lastResync' });
    expect(committed).toEqual([{ reason: 'epoch', at: expect.any(Number) }]);
    expect(store.state.realtime.lastResync).toEqual({ reason: 'epoch', at: expect.any(Number) });
    expect(watched).toEqual(['epoch']);
  });
});
