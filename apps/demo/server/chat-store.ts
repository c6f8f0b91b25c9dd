import { conversationId, DEMO_USERS, type DemoUser } from './demo-data.js';

/** A message as the legacy API returns it. */
export interface StoredMessage {
  messageId: string;
  conversationId: string;
  senderId: string;
  body: string;
  sentAt: number;
  status: 'sent' | 'delivered' | 'read';
}

/** A conversation as the legacy API lists it for one user. */
export interface ConversationSummary {
  id: string;
  /**
   * `lastSeenAt`: when the peer last went offline (ms), from the gateway's presence keys; the
   * PHP backend reads it with `Postbode\Presence::lastSeen()`, the Node backend leaves it out
   * (the page has it live from the gateway).
   */
  peer: { id: string; name: string; lastSeenAt?: number | null };
  unread: number;
  lastMessage: StoredMessage | null;
}

/**
 * The legacy application's data, in memory: conversations of every pair of users of a site,
 * their messages, receipts and unread counters. (The PHP backend keeps the same in Redis.)
 */
export class ChatStore {
  private readonly messages = new Map<string, StoredMessage[]>();
  private readonly unread = new Map<string, number>();
  private sequence = 0;

  user(id: string): DemoUser | undefined {
    return DEMO_USERS.find((user) => user.id === id);
  }

  /** The other user of a conversation of `user`, or undefined when it is not theirs. */
  peerOf(user: DemoUser, id: string): DemoUser | undefined {
    return DEMO_USERS.find(
      (other) =>
        other.id !== user.id &&
        other.site === user.site &&
        conversationId(user.id, other.id) === id,
    );
  }

  conversations(user: DemoUser): ConversationSummary[] {
    return DEMO_USERS.filter((other) => other.site === user.site && other.id !== user.id).map(
      (peer) => {
        const id = conversationId(user.id, peer.id);
        const list = this.messages.get(id) ?? [];
        return {
          id,
          peer: { id: peer.id, name: peer.name },
          unread: this.unreadOf(user.id, id),
          lastMessage: list.at(-1) ?? null,
        };
      },
    );
  }

  history(id: string): StoredMessage[] {
    return this.messages.get(id) ?? [];
  }

  unreadOf(userId: string, id: string): number {
    return this.unread.get(`${userId}:${id}`) ?? 0;
  }

  totalUnread(user: DemoUser): number {
    return this.conversations(user).reduce((sum, conversation) => sum + conversation.unread, 0);
  }

  send(sender: DemoUser, peer: DemoUser, id: string, body: string): StoredMessage {
    const message: StoredMessage = {
      messageId: `m-${Date.now().toString(36)}-${(++this.sequence).toString(36)}`,
      conversationId: id,
      senderId: sender.id,
      body,
      sentAt: Date.now(),
      status: 'sent',
    };
    const list = this.messages.get(id) ?? [];
    list.push(message);
    this.messages.set(id, list);
    this.unread.set(`${peer.id}:${id}`, this.unreadOf(peer.id, id) + 1);
    return message;
  }

  /** Marks the peer's messages among `messageIds` delivered; returns those that changed. */
  delivered(reader: DemoUser, id: string, messageIds: string[]): StoredMessage[] {
    const wanted = new Set(messageIds);
    const changed = this.history(id).filter(
      (m) => wanted.has(m.messageId) && m.senderId !== reader.id && m.status === 'sent',
    );
    for (const message of changed) message.status = 'delivered';
    return changed;
  }

  /** Marks the peer's messages up to `lastReadMessageId` read and clears the reader's counter. */
  read(reader: DemoUser, id: string, lastReadMessageId: string): StoredMessage | undefined {
    const list = this.history(id);
    const last = list.findIndex((m) => m.messageId === lastReadMessageId);
    if (last === -1) return undefined;
    for (const message of list.slice(0, last + 1)) {
      if (message.senderId !== reader.id) message.status = 'read';
    }
    this.unread.set(`${reader.id}:${id}`, 0);
    return list[last];
  }
}
