import type { RealtimeClient } from '@postbode/client-sdk';
import { createVuexPlugin, type RealtimeModuleState } from '@postbode/client-sdk/vuex';
import { createStore } from 'vuex';
import { type ChatState, chat } from './chat.js';

/** The root state: the chat module and the plugin's connection module. */
export interface RootState {
  chat: ChatState;
  realtime: RealtimeModuleState;
}

/** The store, with the Postbode plugin mapping server actions to the chat module. */
export function createChatStore(client: RealtimeClient) {
  return createStore<RootState>({
    modules: { chat },
    plugins: [
      createVuexPlugin(client, {
        mutations: {
          'message.created': 'chat/messageCreated',
          'message.delivered': 'chat/messagesDelivered',
          'message.read': 'chat/messagesRead',
          'conversation.unread': 'chat/unreadChanged',
        },
        actions: { 'message.created': 'chat/received', 'typing.changed': 'chat/typingChanged' },
      }),
    ],
  });
}
