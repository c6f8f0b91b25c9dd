import { DEFAULT_EVENTS_STREAM } from '@postbode/protocol/core';
import { signTestToken, waitUntil } from '@postbode/testkit';
import { describe, expect, it } from 'vitest';
import { RealtimeError } from '../src/realtime-error.js';
import { tokenFor, uniqueUser, useStack, waitForStatus } from './stack.js';
import { startTcpProxy } from './tcp-proxy.js';

// client.send() (contract 8) against the built gateway and a real redis-server: acknowledged
// once Redis has the entry, queued while the network is gone and sent once with its id after
// the reconnection, refusals as RealtimeErrors with the gateway's codes, typing.changed typed.

const stack = useStack();
const quickReconnect = { reconnectionDelay: 50, reconnectionDelayMax: 200 };

async function entriesWithId(id: string): Promise<Record<string, string>[]> {
  const redis = stack.redis.client();
  try {
    const entries = await redis.xrange(DEFAULT_EVENTS_STREAM, '-', '+');
    return entries
      .map(([, fields]) => {
        const record: Record<string, string> = {};
        for (let i = 0; i < fields.length; i += 2)
          record[fields[i] as string] = fields[i + 1] as string;
        return record;
      })
      .filter((record) => record.id === id);
  } finally {
    redis.disconnect();
  }
}

describe('client.send (contract 8)', () => {
  it('resolves with the id once the gateway has the receipt in Redis, with the token’s user', async () => {
    const user = uniqueUser();
    const client = stack.client({ token: await tokenFor(user) });
    await waitForStatus(client, 'connected');
    const result = await client.send(
      'message.read',
      { conversationId: 'c-1', lastReadMessageId: 'm-1' },
      { id: `read-${user}` },
    );
    expect(result).toEqual({ id: `read-${user}` });
    const entries = await entriesWithId(`read-${user}`);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'message.read', user, site: 'default' });
  });

  it('across a network drop: waits in the queue and is sent once, with the same id, after the reconnection', async () => {
    const proxy = await startTcpProxy(stack.gateway.url);
    const user = uniqueUser();
    const client = stack.client({
      url: proxy.url,
      token: await tokenFor(user),
      socketOptions: quickReconnect,
    });
    await waitForStatus(client, 'connected');
    await proxy.cut();
    await waitForStatus(client, 'reconnecting');
    const sent = client.send('message.delivered', {
      conversationId: 'c-1',
      messageIds: ['m-1', 'm-2'],
    });
    await proxy.accept();
    const { id } = await sent;
    const entries = await entriesWithId(id);
    expect(`sent ${entries.length} time(s)`).toBe('sent 1 time(s)');
    expect(entries[0]).toMatchObject({ action: 'message.delivered', user });
    expect(JSON.parse(entries[0]?.data ?? '')).toEqual({
      conversationId: 'c-1',
      messageIds: ['m-1', 'm-2'],
    });
  });

  it('rejects with a RealtimeError with the gateway’s code; the client keeps working', async () => {
    const client = stack.client({ token: await tokenFor(uniqueUser()) });
    await waitForStatus(client, 'connected');
    const bad = client.send('message.read', { conversationId: 'c-1' } as never);
    await expect(bad).rejects.toBeInstanceOf(RealtimeError);
    await expect(bad).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    const reads = Array.from({ length: 14 }, () =>
      client.send('message.read', { conversationId: 'c', lastReadMessageId: 'm' }).then(
        () => 'ok',
        (error: RealtimeError) => error.code,
      ),
    );
    const codes = await Promise.all(reads);
    expect(codes).toContain('RATE_LIMITED');
    expect(client.status).toBe('connected');
  });

  it('bounds the queue while disconnected: one more is UNAVAILABLE', async () => {
    const client = stack.client({
      token: await tokenFor(uniqueUser()),
      autoConnect: false,
      maxQueuedEvents: 2,
    });
    const data = { conversationId: 'c', to: 'nobody' };
    const first = client.send('typing', data);
    const second = client.send('typing', data);
    await expect(client.send('typing', data)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    client.connect();
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
  });

  it('typing reaches the other user as typing.changed, typed, with the sender from the token', async () => {
    const bram = uniqueUser();
    const anna = uniqueUser();
    const annaClient = stack.client({ token: await tokenFor(anna) });
    const got: Array<{ conversationId: string; userId: string; typing: boolean }> = [];
    annaClient.on('typing.changed', (data) => got.push(data));
    const bramClient = stack.client({ token: await signTestToken({ sub: bram }) });
    await waitForStatus(annaClient, 'connected');
    await waitForStatus(bramClient, 'connected');
    await bramClient.send('typing', { conversationId: 'c-9', to: anna });
    await waitUntil(() => got.length === 1, { description: 'typing.changed' });
    expect(got[0]).toEqual({ conversationId: 'c-9', userId: bram, typing: true });
  });
});
