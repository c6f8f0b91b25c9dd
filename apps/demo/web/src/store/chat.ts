import type { RealtimePayload, SendPayload } from '@postbode/client-sdk/vuex';
import type { Module } from 'vuex';
import { api, type Conversation, type Message, type User } from '../api.js';

/** The chat's state: who is logged in, the conversations and the open one's messages. */
export interface ChatState {
  me: User | null;
  conversations: Conversation[];
  openId: string | null;
  messages: Message[];
  /** Who is typing in which conversation (`typing.changed`, relayed by the gateway, contract 8). */
  typing: Record<string, string | undefined>;
}

/** How long "… is typing" shows after the last `typing.changed`, unless refreshed (ms). */
export const TYPING_SHOWN_MS = 4000;
const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();

const rank = { sent: 0, delivered: 1, read: 2 } as const;

/**
 * The chat module. Realtime changes arrive only as the mutations and actions below, mapped
 * to server actions by the Postbode Vuex plugin (see store/index.ts).
 */
export const chat: Module<ChatState, unknown> = {
  namespaced: true,
  state: (): ChatState => ({
    me: null,
    conversations: [],
    openId: null,
    messages: [],
    typing: {},
  }),
  mutations: {
    loggedIn(state, me: User) {
      state.me = me;
    },
    conversationsLoaded(state, conversations: Conversation[]) {
      state.conversations = conversations;
    },
    opened(state, { id, messages }: { id: string; messages: Message[] }) {
      state.openId = id;
      state.messages = messages;
    },
    closed(state) {
      state.openId = null;
      state.messages = [];
    },
    /** `message.created` (also the echo of our own messages, to every tab of ours). */
    messageCreated(state, { data }: RealtimePayload<'message.created'>) {
      const conversation = state.conversations.find((c) => c.id === data.conversationId);
      const message: Message = { ...data, status: 'sent' };
      if (conversation) conversation.lastMessage = message;
      if (
        state.openId === data.conversationId &&
        !state.messages.some((m) => m.messageId === data.messageId)
      ) {
        state.messages.push(message);
      }
    },
    /** `message.delivered`: two grey checks. */
    messagesDelivered(state, { data }: RealtimePayload<'message.delivered'>) {
      if (state.openId !== data.conversationId) return;
      const ids = new Set(data.messageIds);
      for (const message of state.messages) {
        if (ids.has(message.messageId) && rank[message.status] < rank.delivered)
          message.status = 'delivered';
      }
    },
    /** `message.read`: two blue checks on our messages up to the last one read. */
    messagesRead(state, { data }: RealtimePayload<'message.read'>) {
      if (state.openId !== data.conversationId || data.readerId === state.me?.id) return;
      const last = state.messages.findIndex((m) => m.messageId === data.lastReadMessageId);
      for (const message of state.messages.slice(0, last + 1)) {
        if (message.senderId === state.me?.id) message.status = 'read';
      }
    },
    typingSet(state, { conversationId, userId }: { conversationId: string; userId?: string }) {
      state.typing = { ...state.typing, [conversationId]: userId };
    },
    /** `conversation.unread`: the badge of one conversation. */
    unreadChanged(state, { data }: RealtimePayload<'conversation.unread'>) {
      const conversation = state.conversations.find((c) => c.id === data.conversationId);
      if (conversation) conversation.unread = data.unread;
    },
  },
  actions: {
    async login({ commit, dispatch }, userId: string) {
      commit('loggedIn', await api.login(userId));
      await dispatch('loadConversations');
    },
    async loadConversations({ commit }) {
      commit('conversationsLoaded', await api.conversations());
    },
    /**
     * Reloads what the page shows from the API: what the gateway could not replay after a
     * reconnection (`onResync`) is there.
     */
    async refetch({ state, dispatch }) {
      await dispatch('loadConversations');
      if (state.openId !== null) await dispatch('open', state.openId);
    },
    async open({ commit, dispatch }, id: string) {
      commit('opened', { id, messages: await api.messages(id) });
      await dispatch('markRead');
    },
    async send({ state }, body: string) {
      if (state.openId !== null) await api.send(state.openId, body);
    },
    /** Reads everything the peer sent in the open conversation (sends a read receipt). */
    async markRead({ state, dispatch }) {
      const fromPeer = state.messages.filter((m) => m.senderId !== state.me?.id);
      const last = fromPeer.at(-1);
      if (state.openId !== null && last !== undefined && last.status !== 'read') {
        const conversationId = state.openId;
        const data = { conversationId, lastReadMessageId: last.messageId };
        await dispatch('receipt', {
          event: { action: 'message.read', data },
          http: () => api.read(conversationId, last.messageId),
        });
      }
    },
    /**
     * A receipt over the socket (contract 8): the gateway appends it to the backend event
     * stream and a worker of the backend records it and publishes the update. A gateway that
     * cannot reach Redis (or runs the embedded bus) answers UNAVAILABLE: then the legacy HTTP
     * request.
     */
    async receipt(
      { dispatch },
      { event, http }: { event: SendPayload; http: () => Promise<unknown> },
    ) {
      try {
        await dispatch('realtime/send', event, { root: true });
      } catch (error) {
        if ((error as { code?: string }).code !== 'UNAVAILABLE') throw error;
        await http();
      }
    },
    /** `typing.changed`: show "… is typing" for a few seconds, or hide it on a stop. */
    typingChanged({ commit }, { data }: RealtimePayload<'typing.changed'>) {
      clearTimeout(typingTimers.get(data.conversationId));
      if (!data.typing) {
        commit('typingSet', { conversationId: data.conversationId });
        return;
      }
      commit('typingSet', { conversationId: data.conversationId, userId: data.userId });
      typingTimers.set(
        data.conversationId,
        setTimeout(
          () => commit('typingSet', { conversationId: data.conversationId }),
          TYPING_SHOWN_MS,
        ),
      );
    },
    /**
     * `message.created` as a Vuex action: after the mutation, acknowledge delivery of a
     * peer's message, and read it when its conversation is open and the page is visible.
     */
    async received({ state, dispatch, commit }, { data }: RealtimePayload<'message.created'>) {
      if (data.senderId === state.me?.id) return;
      // A message ends its sender's typing.
      commit('typingSet', { conversationId: data.conversationId });
      await dispatch('receipt', {
        event: {
          action: 'message.delivered',
          data: { conversationId: data.conversationId, messageIds: [data.messageId] },
        },
        http: () => api.delivered(data.conversationId, [data.messageId]),
      });
      if (state.openId === data.conversationId) await dispatch('markRead');
    },
  },
};
