import { SYNC_EVENT, type SyncEvent } from '@postbode/protocol/core';
import { waitUntil } from '@postbode/testkit';
import { describe, expect, it } from 'vitest';
import type { RealtimeClient } from '../src/realtime-client.js';
import {
  chatMessage,
  recordResyncs,
  tokenFor,
  uniqueUser,
  useStack,
  waitForStatus,
} from './stack.js';
import { startTcpProxy } from './tcp-proxy.js';

// Contract 6 as an app sees it through the SDK: the real gateway process on a real
// redis-server, durable messages appended to the stream as the PHP publisher does.
const stack = useStack();

/** The bodies of the `message.created` events the app's handlers receive, in order. */
function receivedBodies(client: RealtimeClient): string[] {
  const bodies: string[] = [];
  client.on('message.created', (data) => bodies.push(data.body));
  return bodies;
}

/** Every `postbode:sync` the client's socket gets, from now on. */
function recordSyncs(client: RealtimeClient): SyncEvent[] {
  const syncs: SyncEvent[] = [];
  client.socket.on(SYNC_EVENT, (event: SyncEvent) => syncs.push(event));
  return syncs;
}

const bodiesOf = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

/** Fast reconnections: the tests wait for them. */
const quickReconnect = { reconnectionDelay: 50, reconnectionDelayMax: 200 };

describe('delivery guarantees (contract 6) through the SDK', () => {
  it('comes back by itself after a network drop and receives what it missed: lost 0 of 20, none twice, no onResync', async () => {
    const proxy = await startTcpProxy(stack.gateway.url);
    const user = uniqueUser();
    const client = stack.client({
      url: proxy.url,
      token: await tokenFor(user),
      socketOptions: quickReconnect,
    });
    const bodies = receivedBodies(client);
    const resyncs = recordResyncs(client);
    const syncs = recordSyncs(client);
    await waitForStatus(client, 'connected');
    const before = bodiesOf('before', 3);
    await stack.append(...before.map((body) => chatMessage(user, body)));
    await waitUntil(() => bodies.length === before.length, { description: 'the first messages' });

    await proxy.cut();
    await waitForStatus(client, 'reconnecting');
    const missed = bodiesOf('missed', 20);
    await stack.append(...missed.map((body) => chatMessage(user, body)));
    await proxy.accept();

    await waitForStatus(client, 'connected');
    await stack.append(chatMessage(user, 'after'));
    await waitUntil(() => bodies.includes('after'), { description: 'the live message after' });
    const lost = missed.filter((body) => !bodies.includes(body)).length;
    expect(`lost: ${lost} of ${missed.length}`).toBe('lost: 0 of 20');
    expect(bodies).toEqual([...before, ...missed, 'after']);
    expect(resyncs).toEqual([]);
    // Replayed on the new connection from the cursor the SDK sent, then live.
    expect(syncs.at(-1)).toMatchObject({ recovered: true, replayed: 20 });
    expect(proxy.accepted).toBeGreaterThanOrEqual(2);
  });

  it('resumes from the cursor the page was rendered with: what was published before connecting arrives', async () => {
    const user = uniqueUser();
    const [rendered = ''] = await stack.append(chatMessage(user, 'in-the-page'));
    // What the PHP page embeds: json_encode($publisher->cursor()).
    const embedded = JSON.stringify({ epoch: await stack.epoch(), offset: rendered });
    const published = bodiesOf('since-render', 3);
    const ids = await stack.append(...published.map((body) => chatMessage(user, body)));

    const client = stack.client({ token: await tokenFor(user), cursor: JSON.parse(embedded) });
    const bodies = receivedBodies(client);
    const resyncs = recordResyncs(client);
    await waitForStatus(client, 'connected');
    // Replayed before the sync, so there by the time the client is connected.
    expect(bodies).toEqual(published);
    expect(resyncs).toEqual([]);
    expect(client.cursor).toEqual({ epoch: await stack.epoch(), offset: ids.at(-1) });
  });

  it('a cursor of another epoch: onResync("epoch"), nothing replayed; the next reconnection recovers', async () => {
    const user = uniqueUser();
    await stack.append(chatMessage(user, 'old'));
    const fromOption: string[] = [];
    const client = stack.client({
      token: await tokenFor(user),
      cursor: { epoch: 'an-epoch-long-gone', offset: '1-0' },
      onResync: (reason) => fromOption.push(reason),
      socketOptions: quickReconnect,
    });
    const bodies = receivedBodies(client);
    const resyncs = recordResyncs(client);
    const syncs = recordSyncs(client);
    await waitForStatus(client, 'connected');
    expect(fromOption).toEqual(['epoch']);
    expect(resyncs).toEqual(['epoch']);
    expect(bodies).toEqual([]);
    expect(client.cursor?.epoch).toBe(await stack.epoch());

    // A drop: the cursor the sync gave is good, so the next connection recovers.
    client.socket.io.engine.close();
    await waitUntil(() => syncs.length === 2, { description: 'the second sync' });
    expect(syncs[1]).toMatchObject({ recovered: true });
    expect(resyncs).toEqual(['epoch']);
  });

  it('a first connection without a cursor: connected only once the sync arrived, no onResync', async () => {
    const { client } = await stack.clientForNewUser({ autoConnect: false });
    const resyncs = recordResyncs(client);
    const order: string[] = [];
    client.onStatus((status) => order.push(status));
    client.socket.on('connect', () => order.push(`socket.io connect (${client.status})`));
    // onAny listeners run before the client's own listener of the event.
    client.socket.onAny((event: string) => {
      if (event === SYNC_EVENT) order.push(`${event} (${client.status})`);
    });
    expect(client.cursor).toBeUndefined();

    client.connect();
    await waitForStatus(client, 'connected');
    expect(order).toEqual([
      'connecting',
      'socket.io connect (connecting)',
      'postbode:sync (connecting)',
      'connected',
    ]);
    expect(resyncs).toEqual([]);
    expect(client.cursor).toEqual({
      epoch: await stack.epoch(),
      offset: expect.stringMatching(/^\d+-\d+$/),
    });
  });

  it('drops a message whose offset it has already: a replay that overlaps is not handled twice', async () => {
    const user = uniqueUser();
    // Without de-duplication by id, only the offsets tell the replayed messages apart.
    const client = stack.client({
      token: await tokenFor(user),
      dedupeWindow: 0,
      socketOptions: quickReconnect,
    });
    const bodies = receivedBodies(client);
    const resyncs = recordResyncs(client);
    const syncs = recordSyncs(client);
    await waitForStatus(client, 'connected');
    const seen = bodiesOf('seen', 5);
    const ids = await stack.append(...seen.map((body) => chatMessage(user, body)));
    await waitUntil(() => bodies.length === seen.length, { description: 'the first messages' });
    expect(client.cursor?.offset).toBe(ids.at(-1));

    // The next handshake carries an older cursor, so the gateway replays seen-2 to seen-4,
    // which arrived already.
    const older = { epoch: client.cursor?.epoch, offset: ids[1] };
    const sdkAuth = client.socket.auth as (send: (data: object) => void) => void;
    client.socket.auth = (send) => sdkAuth((data) => send({ ...data, cursor: older }));
    const arrived: string[] = [];
    client.socket.onAny((event: string, data: { body?: string }) => {
      if (event === 'message.created' && data.body !== undefined) arrived.push(data.body);
    });
    client.socket.io.engine.close();
    await waitUntil(() => syncs.length === 2, { description: 'the sync after the replay' });
    expect(syncs[1]).toMatchObject({ recovered: true, replayed: 3 });
    expect(arrived).toEqual(['seen-2', 'seen-3', 'seen-4']);

    await stack.append(chatMessage(user, 'new'));
    await waitUntil(() => bodies.includes('new'), { description: 'a live message after' });
    expect(bodies).toEqual([...seen, 'new']);
    expect(resyncs).toEqual([]);
  });
});
