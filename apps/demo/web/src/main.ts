import { createRealtimeClient, type PresenceWatch } from '@postbode/client-sdk';
import { createApp } from 'vue';
import App from './App.vue';
import { api } from './api.js';
import { createChatStore } from './store/index.js';

// ?transport=polling forces long-polling (as behind a proxy that blocks WebSockets).
const polling = new URLSearchParams(location.search).get('transport') === 'polling';
const config = await api.config();
const client = createRealtimeClient({
  url: config.gatewayUrl,
  getToken: api.token,
  autoConnect: false,
  transports: polling ? ['polling'] : ['websocket', 'polling'],
  socketOptions: polling ? { upgrade: false } : {},
});
const store = createChatStore(client);
// The client resumes from its cursor after a reconnection; when the gateway could not replay
// what was missed (history lost or too old), the page reloads its state from the API.
client.onResync(() => store.dispatch('chat/refetch'));
// Presence: watch the peers of the conversation list; the plugin keeps realtime.online and
// realtime.lastSeen, which the list shows (a dot, or "last seen").
let presence: PresenceWatch | undefined;
store.watch(
  (state) => state.chat.conversations.map((c) => c.peer.id),
  (peers) => {
    presence?.stop();
    presence = peers.length === 0 ? undefined : client.watchPresence(peers);
  },
);
const app = createApp(App, { users: config.users, client });
app.use(store);
app.mount('#app');

const saved = api.savedUser();
if (saved !== undefined) {
  await store.dispatch('chat/login', saved.id);
  client.connect();
}
