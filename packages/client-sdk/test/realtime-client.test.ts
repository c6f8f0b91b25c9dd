import type { Meta, PayloadOf, ServerActionName } from '@postbode/protocol';
import { serverActionNames, serverActions } from '@postbode/protocol';
import { waitUntil } from '@postbode/testkit';
import { describe, expect, it } from 'vitest';
import { recordingLogger, recordStatuses, useStack, waitForStatus } from './stack.js';

const stack = useStack();

describe('createRealtimeClient against a real gateway', () => {
  it('receives every action, typed, with its meta', async () => {
    const { user, client } = await stack.clientForNewUser();
    const received = new Map<ServerActionName, { data: unknown; meta: Meta }>();
    for (const action of serverActionNames) {
      client.on(action, (data, meta) => received.set(action, { data, meta }));
    }
    const seenByAny: ServerActionName[] = [];
    client.onAny((event) => seenByAny.push(event.action));
    await waitForStatus(client, 'connected');

    for (const action of serverActionNames) {
      await stack.publish({
        action,
        data: serverActions[action].example as PayloadOf<typeof action>,
        to: { users: [user] },
        id: `${user}-${action}`,
        ts: 1764250000123,
      });
    }
    await waitUntil(() => received.size === serverActionNames.length, {
      description: 'every action',
    });
    for (const action of serverActionNames) {
      expect(received.get(action)).toEqual({
        data: serverActions[action].example,
        meta: expect.objectContaining({
          id: `${user}-${action}`,
          ts: 1764250000123,
          site: 'default',
        }),
      });
    }
    expect([...seenByAny].sort()).toEqual([...serverActionNames]);
  });

  it('hands typed data to a handler: message.created body and presence status', async () => {
    const { user, client } = await stack.clientForNewUser();
    const bodies: string[] = [];
    const statuses: PayloadOf<'presence.changed'>['status'][] = [];
    client.on('message.created', (data) => bodies.push(data.body));
    client.on('presence.changed', (data) => statuses.push(data.status));
    await waitForStatus(client, 'connected');
    await stack.publish({
      action: 'message.created',
      data: { messageId: 'm-7', conversationId: 'c-1', senderId: '9', body: 'dag', sentAt: 1 },
      to: { users: [user] },
    });
    await stack.publish({
      action: 'presence.changed',
      data: { userId: '9', status: 'away' },
      to: { users: [user] },
    });
    await waitUntil(() => statuses.length === 1, { description: 'presence.changed' });
    expect(bodies).toEqual(['dag']);
    expect(statuses).toEqual(['away']);
  });

  it('handles a message delivered twice (same meta.id) once', async () => {
    const { user, client } = await stack.clientForNewUser();
    const ids: string[] = [];
    client.on('message.created', (data) => ids.push(data.messageId));
    await waitForStatus(client, 'connected');
    const envelope = {
      action: 'message.created' as const,
      data: { ...serverActions['message.created'].example, messageId: 'm-dup' },
      to: { users: [user] },
      id: `${user}-dup`,
    };
    await stack.publish(envelope);
    await stack.publish(envelope);
    // A third message with another id marks the end: delivery over one socket is in order.
    await stack.publish({
      ...envelope,
      id: `${user}-last`,
      data: { ...envelope.data, messageId: 'm-last' },
    });
    await waitUntil(() => ids.includes('m-last'), { description: 'the last message' });
    expect(ids).toEqual(['m-dup', 'm-last']);
  });

  it('once, off and unsubscribe stop a handler', async () => {
    const { user, client } = await stack.clientForNewUser();
    const calls: string[] = [];
    const offOn = client.on('message.read', (data) => calls.push(`on:${data.lastReadMessageId}`));
    client.once('message.read', (data) => calls.push(`once:${data.lastReadMessageId}`));
    const offHandler = (data: PayloadOf<'message.read'>) =>
      calls.push(`off:${data.lastReadMessageId}`);
    client.on('message.read', offHandler);
    client.on('conversation.unread', (data) => calls.push(`unread:${data.unread}`));
    await waitForStatus(client, 'connected');
    const read = (id: string) =>
      stack.publish({
        action: 'message.read',
        data: { ...serverActions['message.read'].example, lastReadMessageId: id },
        to: { users: [user] },
      });
    await read('m-1');
    await waitUntil(() => calls.length === 3, { description: 'first read receipt' });
    offOn();
    client.off('message.read', offHandler);
    await read('m-2');
    await stack.publish({
      action: 'conversation.unread',
      data: { conversationId: 'c-9', unread: 0, totalUnread: 0 },
      to: { users: [user] },
    });
    await waitUntil(() => calls.includes('unread:0'), { description: 'the marker message' });
    expect(calls).toEqual(['on:m-1', 'once:m-1', 'off:m-1', 'unread:0']);
  });

  it('keeps calling other handlers when one throws, and reports it through the logger', async () => {
    const logger = recordingLogger();
    const { user, client } = await stack.clientForNewUser({ logger });
    const bodies: string[] = [];
    client.on('message.created', () => {
      throw new Error('bug in the app');
    });
    client.on('message.created', (data) => bodies.push(data.body));
    await waitForStatus(client, 'connected');
    await stack.publish({
      action: 'message.created',
      data: serverActions['message.created'].example,
      to: { users: [user] },
    });
    await waitUntil(() => bodies.length === 1, { description: 'the second handler' });
    expect(logger.lines).toContainEqual({
      level: 'error',
      message: "postbode: a 'message.created' handler threw",
    });
    expect(client.status).toBe('connected');
  });

  it('goes disconnected on disconnect() and back to connected on connect()', async () => {
    const { client } = await stack.clientForNewUser({ autoConnect: false });
    const seen = recordStatuses(client);
    expect(client.status).toBe('disconnected');
    client.connect();
    await waitForStatus(client, 'connected');
    client.disconnect();
    expect(client.status).toBe('disconnected');
    client.connect();
    await waitForStatus(client, 'connected');
    expect(seen).toEqual([
      'disconnected',
      'connecting',
      'connected',
      'disconnected',
      'connecting',
      'connected',
    ]);
  });

  it('connects over long-polling when asked to', async () => {
    const { user, client } = await stack.clientForNewUser({ transports: ['polling'] });
    const bodies: string[] = [];
    client.on('message.created', (data) => bodies.push(data.body));
    await waitForStatus(client, 'connected');
    expect(client.socket.io.engine.transport.name).toBe('polling');
    await stack.publish({
      action: 'message.created',
      data: serverActions['message.created'].example,
      to: { users: [user] },
    });
    await waitUntil(() => bodies.length === 1, { description: 'a message over polling' });
    expect(bodies).toEqual(['hoi']);
  });
});
