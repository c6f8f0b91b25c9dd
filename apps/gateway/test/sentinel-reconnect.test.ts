import { waitUntil } from '@postbode/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconnectDelay } from '../src/ingest/reconnect-delay.js';
import { createRedis, type RedisConnection } from '../src/redis/create-redis.js';
import { type HoldingProxy, startHoldingProxy } from './holding-proxy.js';
import { type SentinelSet, startSentinelSet } from './redis-topologies.js';

// The race behind a gateway that stayed not ready after a Sentinel failover (CI, once in many
// runs): a connection reconnecting after its master died asks the Sentinels for the master;
// if the failover detector of its previous connection sees `+switch-master` while that question
// is open, ioredis closes the connector under the attempt, the attempt fails with "Connection is
// closed." and ioredis ends the connection for good (status `end`, no more retries). The
// proxies in front of the Sentinels hold every reply so that the order is not left to chance.

const CONNECTIONS = 4;
let set: SentinelSet;
let proxies: HoldingProxy[];
/** `POSTBODE_REDIS_URL` naming the Sentinels through the proxies. */
let url: string;
const connections: RedisConnection[] = [];

beforeAll(async () => {
  set = await startSentinelSet('postbode-reconnect');
  proxies = await Promise.all(set.sentinelPorts.map((port) => startHoldingProxy(port)));
  url = `redis+sentinel://${proxies.map((proxy) => `127.0.0.1:${proxy.port}`).join(',')}/${set.name}`;
}, 60_000);
afterAll(async () => {
  for (const connection of connections.splice(0)) connection.disconnect();
  await Promise.all(proxies?.map((proxy) => proxy.close()) ?? []);
  await set?.stop();
});

describe('Sentinel reconnection', () => {
  it('a connect attempt cut short by the failover detector is tried again: connections on the promoted replica, N of N', async () => {
    const endedFromConnecting: number[] = [];
    for (let i = 0; i < CONNECTIONS; i += 1) {
      const connection = createRedis(url, {
        connectionName: `reconnect-${i}`,
        retryStrategy: reconnectDelay,
        maxRetriesPerRequest: null,
      });
      let last = '';
      for (const status of ['connecting', 'connect', 'ready', 'close', 'reconnecting']) {
        connection.on(status, () => {
          last = status;
        });
      }
      connection.on('end', () => {
        if (last === 'connecting') endedFromConnecting.push(i);
        last = 'end';
      });
      connection.on('error', () => undefined);
      connections.push(connection);
    }
    for (const connection of connections) expect(await connection.ping()).toBe('PONG');
    // Every connection's failover detector listens through the proxies (and to the Sentinels
    // it learnt of directly).
    await waitUntil(() => proxies.every((proxy) => proxy.subscribers === CONNECTIONS), {
      description: 'every failover detector subscribed through every proxy',
    });

    for (const proxy of proxies) proxy.hold();
    await set.master.kill();
    // Each connection now asks a Sentinel for the master, and waits for the held reply.
    await waitUntil(() => connections.every((connection) => connection.status === 'connecting'), {
      description: 'every connection asking the Sentinels for the master',
    });
    await waitUntil(async () => (await set.masterPort()) === set.replica.port, {
      timeoutMs: 60_000,
      intervalMs: 100,
      description: 'the Sentinels to promote the replica',
    });
    // `+switch-master` reaches every detector, which closes its connector (and its own Sentinel
    // connections: that is how the proxies see it) while the question is still open.
    for (const proxy of proxies) proxy.release('subscribers');
    await waitUntil(() => proxies.every((proxy) => proxy.subscribers === 0), {
      description: 'every failover detector to close its connector',
    });
    for (const proxy of proxies) proxy.release('others');

    // The attempts fail under ioredis ("Connection is closed."), and ioredis ends them.
    await waitUntil(() => endedFromConnecting.length === CONNECTIONS, {
      description: 'ioredis to end every interrupted connect attempt',
    });
    // The gateway's connections come back, on the promoted replica.
    const onReplica = async (connection: RedisConnection): Promise<boolean> => {
      if (connection.status !== 'ready') return false;
      const [, port] = (await connection.call('CONFIG', 'GET', 'port')) as [string, string];
      return Number(port) === set.replica.port;
    };
    let back = 0;
    await waitUntil(
      async () => {
        back = (await Promise.all(connections.map(onReplica))).filter(Boolean).length;
        return back === CONNECTIONS;
      },
      { timeoutMs: 20_000, description: 'every connection on the promoted replica' },
    ).catch(() => undefined);
    expect(`on the promoted replica: ${back} of ${CONNECTIONS}`).toBe(
      `on the promoted replica: ${CONNECTIONS} of ${CONNECTIONS}`,
    );
  }, 120_000);

  it('a connection the gateway closes while it asks the Sentinels stays closed', async () => {
    for (const proxy of proxies) proxy.hold();
    let retries = 0;
    const connection = createRedis(url, {
      connectionName: 'closed-while-connecting',
      retryStrategy: (times) => {
        retries += 1;
        return reconnectDelay(times);
      },
    });
    connection.on('error', () => undefined);
    connections.push(connection);
    await waitUntil(() => connection.status === 'connecting', { description: 'connecting' });
    const ended = new Promise<string>((resolve) =>
      connection.once('end', () => resolve(`${connection.status}, retries ${retries}`)),
    );
    connection.disconnect();
    for (const proxy of proxies) proxy.release('others');
    // The attempt fails as in the race above; no new attempt is planned for it.
    expect(await ended).toBe('end, retries 0');
  });
});
