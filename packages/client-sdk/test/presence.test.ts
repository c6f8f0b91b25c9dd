import { DEFAULT_SITE, presenceOnlineKey } from '@postbode/protocol';
import { waitUntil } from '@postbode/testkit';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createStore } from 'vuex';
import { defineRealtimeStore } from '../src/pinia.js';
import type { PresenceUpdate } from '../src/presence-watcher.js';
import { createVuexPlugin, type RealtimeModuleState } from '../src/vuex.js';
import { tokenFor, uniqueUser, useStack, waitForStatus } from './stack.js';

// Contract 7 in the SDK, against the built gateway and a real redis-server (grace 1 s).

const stack = useStack({ POSTBODE_PRESENCE_GRACE: '1' });

const show = (updates: PresenceUpdate[], users: Record<string, string>) =>
  updates.map((u) => {
    const name = Object.entries(users).find(([, id]) => id === u.userId)?.[0] ?? u.userId;
    return `${name}:${u.online ? 'online' : 'offline'}${u.lastSeenAt === undefined ? '' : '+lastSeenAt'}`;
  });

/**
 * Connects `user` and waits until Redis has them online: a node writes its users' first
 * sockets in batches, so a snapshot taken at once may still say offline (then a change follows).
 */
async function online(user: string) {
  const client = stack.client({ token: await tokenFor(user) });
  await waitForStatus(client, 'connected');
  const redis = stack.redis.client();
  try {
    await waitUntil(
      async () => (await redis.zscore(presenceOnlineKey(DEFAULT_SITE), user)) !== null,
      { description: `${user} online in Redis` },
    );
  } finally {
    redis.disconnect();
  }
  return client;
}

describe('client.watchPresence', () => {
  it('snapshot, then changes; sent again after a reconnect; stop() ends it', async () => {
    const users = { b: uniqueUser(), c: uniqueUser() };
    const { client } = await stack.clientForNewUser();
    await waitForStatus(client, 'connected');
    await online(users.b);
    const updates: PresenceUpdate[] = [];
    const watch = client.watchPresence([users.b, users.c, users.b], (u) => updates.push(u));
    expect(watch.userIds).toEqual([users.b, users.c]);
    await waitUntil(() => updates.length >= 2, { description: 'the snapshot' });
    expect(show(updates, users).sort()).toEqual(['b:online', 'c:offline']);

    // The transport drops: socket.io reconnects, the gateway forgot the watch, the SDK resends.
    client.socket.io.engine.close();
    await waitUntil(() => updates.length >= 4, { description: 'the snapshot after reconnecting' });
    const c = await online(users.c);
    await waitUntil(() => updates.length >= 5, { description: 'c online' });
    c.disconnect();
    await waitUntil(() => updates.length >= 6, { description: 'c offline after the grace' });
    expect(show(updates, users).slice(4)).toEqual(['c:online', 'c:offline+lastSeenAt']);

    watch.stop();
    watch.stop();
    const again = await online(users.c);
    // A second client watching c proves the change went out; the stopped watch heard nothing.
    const { client: other } = await stack.clientForNewUser();
    await waitForStatus(other, 'connected');
    const seen: PresenceUpdate[] = [];
    other.watchPresence([users.c], (u) => seen.push(u));
    await waitUntil(() => seen.length >= 1, { description: 'the other snapshot' });
    again.disconnect();
    await waitUntil(() => seen.length >= 2, { description: 'the other sees c go' });
    expect(show(seen, users)).toEqual(['c:online', 'c:offline+lastSeenAt']);
    expect(updates).toHaveLength(6);
  });

  it('two watches of one user: stopping one keeps the other', async () => {
    const b = uniqueUser();
    const { client } = await stack.clientForNewUser();
    await waitForStatus(client, 'connected');
    const first: PresenceUpdate[] = [];
    const second: PresenceUpdate[] = [];
    const one = client.watchPresence([b], (u) => first.push(u));
    client.watchPresence([b], (u) => second.push(u));
    await waitUntil(() => first.length >= 1 && second.length >= 1, { description: 'snapshots' });
    one.stop();
    await online(b);
    await waitUntil(() => second.some((u) => u.online), { description: 'b online' });
    expect(first.map((u) => u.online)).toEqual([false]);
  });
});

describe('adapters keep an online map', () => {
  it('Vuex: state.realtime.online and lastSeen', async () => {
    const b = uniqueUser();
    const { client } = await stack.clientForNewUser();
    const store = createStore<{ realtime: RealtimeModuleState }>({
      plugins: [createVuexPlugin(client)],
    });
    await waitForStatus(client, 'connected');
    client.watchPresence([b]);
    await waitUntil(() => store.state.realtime.online[b] === false, { description: 'snapshot' });
    const user = await online(b);
    await waitUntil(() => store.state.realtime.online[b] === true, { description: 'online' });
    user.disconnect();
    await waitUntil(() => store.state.realtime.online[b] === false, { description: 'offline' });
    expect(typeof store.state.realtime.lastSeen[b]).toBe('number');
  });

  it('Pinia: realtime.online, lastSeen and watchPresence, stopped with the store', async () => {
    setActivePinia(createPinia());
    const b = uniqueUser();
    const { client } = await stack.clientForNewUser();
    const realtime = defineRealtimeStore(client)();
    onTestFinished(() => realtime.$dispose());
    await waitForStatus(client, 'connected');
    realtime.watchPresence([b]);
    await waitUntil(() => realtime.online[b] === false, { description: 'snapshot' });
    const user = await online(b);
    await waitUntil(() => realtime.online[b] === true, { description: 'online' });
    user.disconnect();
    await waitUntil(() => realtime.online[b] === false, { description: 'offline' });
    expect(typeof realtime.lastSeen[b]).toBe('number');
  });
});
