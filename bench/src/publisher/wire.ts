import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';

/** How a target takes messages from Redis. */
export type WireKind =
  /** Postbode's envelope (or the same JSON for the hand-written relay) on one channel. */
  | 'envelope'
  /** Postbode's envelope appended to its durable stream (`XADD <stream> * envelope <json>`). */
  | 'stream'
  /** `@socket.io/redis-emitter` (msgpack, the adapter's channel). */
  | 'emitter'
  /** Laravel's broadcast JSON `{event, data, socket}` on a channel per user. */
  | 'laravel'
  /** The legacy system: an inbox list per user that the polling endpoint drains. */
  | 'inbox';

/** A target's wire: the kind and, for `envelope`, its channel, for `stream`, its key. */
export interface Wire {
  kind: WireKind;
  channel?: string;
  stream?: string;
}

/** The payload every target delivers: a `message.created` whose body carries the publish time. */
export interface Payload {
  messageId: string;
  conversationId: string;
  senderId: string;
  body: string;
  sentAt: number;
}

/** Publishes one message to one user, or to everyone, in a target's own format. */
export interface WirePublisher {
  toUser(user: number, payload: Payload, publishedAt: number): void;
  toAll(payload: Payload, publishedAt: number): void;
}

const ACTION = 'message.created';

/** The envelope JSON (contract 1) Postbode and the relay take, with `ts` = publish time. */
const envelopeJson = (to: string, payload: Payload, publishedAt: number): string =>
  `{"action":"${ACTION}","data":${JSON.stringify(payload)},"to":${to},"ts":${Math.floor(publishedAt)}}`;

/** The publisher for a wire, on an ioredis client (auto-pipelined by the caller's options). */
export function createWirePublisher(redis: Redis, wire: Wire): WirePublisher {
  switch (wire.kind) {
    case 'envelope': {
      const channel = wire.channel ?? 'postbode';
      const send = (to: string, payload: Payload, publishedAt: number): void => {
        void redis.publish(channel, envelopeJson(to, payload, publishedAt));
      };
      return {
        toUser: (user, payload, at) => send(`{"users":["${user}"]}`, payload, at),
        toAll: (payload, at) => send('{"all":true}', payload, at),
      };
    }
    case 'stream': {
      // Durable ingest as the README's contract 6 has the backend append: one XADD per message,
      // the id chosen by Redis; auto-pipelined like the PUBLISH above.
      const stream = wire.stream ?? 'postbode:stream';
      const send = (to: string, payload: Payload, publishedAt: number): void => {
        void redis.xadd(stream, '*', 'envelope', envelopeJson(to, payload, publishedAt));
      };
      return {
        toUser: (user, payload, at) => send(`{"users":["${user}"]}`, payload, at),
        toAll: (payload, at) => send('{"all":true}', payload, at),
      };
    }
    case 'emitter': {
      const emitter = new Emitter(redis);
      return {
        toUser: (user, payload) => {
          emitter.to(`u:${user}`).emit(ACTION, payload);
        },
        toAll: (payload) => {
          emitter.emit(ACTION, payload);
        },
      };
    }
    case 'laravel': {
      const send = (channel: string, payload: Payload): void => {
        void redis.publish(
          channel,
          `{"event":"${ACTION}","data":${JSON.stringify(payload)},"socket":null}`,
        );
      };
      return {
        toUser: (user, payload) => send(`user.${user}`, payload),
        toAll: (payload) => send('site', payload),
      };
    }
    case 'inbox':
      return {
        toUser: (user, payload) => {
          void redis.rpush(`inbox:${user}`, JSON.stringify(payload));
        },
        toAll: () => {
          throw new Error('the legacy inbox has no broadcast');
        },
      };
    default: {
      const exhaustive: never = wire.kind;
      throw new Error(`unknown wire ${String(exhaustive)}`);
    }
  }
}
