// The legacy HTTP API (the same for the Node and the PHP backend). Realtime updates never come
// from here: they arrive through the gateway and the Vuex plugin.

// The API's shapes are the Node backend's own types (type-only: nothing of the server is bundled).
import type { ConversationSummary, StoredMessage } from '../../server/chat-store.js';
import type { DemoUser } from '../../server/demo-data.js';

/** A demo user. */
export type User = DemoUser;
/** A message with its receipt status. */
export type Message = StoredMessage;
/** A conversation as listed for the logged-in user. */
export type Conversation = ConversationSummary;

let session = sessionStorage.getItem('postbode-demo-session') ?? '';

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${session}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export const api = {
  config: () => call<{ gatewayUrl: string; users: User[] }>('GET', '/api/config'),
  async login(userId: string): Promise<User> {
    const result = await call<{ session: string; user: User }>('POST', '/api/login', { userId });
    session = result.session;
    sessionStorage.setItem('postbode-demo-session', session);
    sessionStorage.setItem('postbode-demo-user', JSON.stringify(result.user));
    return result.user;
  },
  savedUser(): User | undefined {
    const saved = sessionStorage.getItem('postbode-demo-user');
    return session && saved ? (JSON.parse(saved) as User) : undefined;
  },
  token: async () => (await call<{ token: string }>('GET', '/api/token')).token,
  conversations: () => call<Conversation[]>('GET', '/api/conversations'),
  messages: (id: string) =>
    call<Message[]>('GET', `/api/conversations/${encodeURIComponent(id)}/messages`),
  send: (id: string, body: string) =>
    call<Message>('POST', `/api/conversations/${encodeURIComponent(id)}/messages`, { body }),
  delivered: (id: string, messageIds: string[]) =>
    call<void>('POST', `/api/conversations/${encodeURIComponent(id)}/delivered`, { messageIds }),
  read: (id: string, lastReadMessageId: string) =>
    call<void>('POST', `/api/conversations/${encodeURIComponent(id)}/read`, { lastReadMessageId }),
};
