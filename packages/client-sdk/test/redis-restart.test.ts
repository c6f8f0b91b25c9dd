import { waitUntil } from '@postbode/testkit';
import { describe, expect, it } from 'vitest';
import { chatMessage, recordResyncs, useStack, waitForStatus } from './stack.js';

// This file owns its redis-server: restarting it would disturb other files' clients.
const stack = useStack();

describe('history lost under a connected client', () => {
  it('Redis restarted without its data: onResync("epoch") from the later sync; messages flow on', async () => {
    const { user, client } = await stack.clientForNewUser();
    const bodies: string[] = [];
    client.on('message.created', (data) => bodies.push(data.body));
    const resyncs = recordResyncs(client);
    const drops: string[] = [];
    client.socket.on('disconnect', (reason) => drops.push(reason));
    await waitForStatus(client, 'connected');
    await stack.append(chatMessage(user, 'before'));
    await waitUntil(() => bodies.length === 1, { description: 'the message before' });
    const before = client.cursor;

    await stack.redis.restart();
    await waitUntil(() => resyncs.length > 0, {
      timeoutMs: 20_000,
      description: 'onResync after the restart',
    });
    expect(resyncs).toEqual(['epoch']);
    // Told on the same, live socket: no reconnection.
    expect(client.status).toBe('connected');
    expect(drops).toEqual([]);
    // The stack's own Redis client may still be reconnecting: retried until it answers.
    const epoch = await waitUntil(() => stack.epoch(), { description: 'the new epoch' });
    expect(epoch).not.toBe(before?.epoch);
    expect(client.cursor?.epoch).toBe(epoch);

    await stack.append(chatMessage(user, 'after'));
    await waitUntil(() => bodies.includes('after'), {
      description: 'a message on the new history',
    });
    expect(bodies).toEqual(['before', 'after']);
    expect(resyncs).toEqual(['epoch']);
  });
});
