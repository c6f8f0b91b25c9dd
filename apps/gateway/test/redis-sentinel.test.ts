import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type GatewayProcess, startGatewayProcess, waitUntil } from '@postbode/testkit';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SentinelSet, startSentinelSet } from './redis-topologies.js';
import { bodies, connectWithSync, messageTo, type SyncedSocket } from './support.js';

// Issue 14, highly available Redis: a master, a replica and three real Sentinels; the master is
// killed (SIGKILL) under a gateway process with connected clients.

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const PUBLISH_KEY = 'sentinel-test-publish-key';
const CLIENTS = 10;
const users = Array.from({ length: CLIENTS }, (_, i) => `u${i}`);
let set: SentinelSet;
let gateway: GatewayProcess;
const open: Socket[] = [];

beforeAll(async () => {
  set = await startSentinelSet();
  gateway = await startGatewayProcess({
    entry,
    env: {
      POSTBODE_REDIS_URL: set.url,
      POSTBODE_PUBLISH_KEY: PUBLISH_KEY,
      POSTBODE_REDIS_COMMAND_TIMEOUT_MS: '1000',
    },
  });
}, 60_000);
afterAll(async () => {
  for (const socket of open.splice(0)) socket.disconnect();
  await gateway?.stop();
  await set?.stop();
});

/** POST /publish: true when the gateway answered 202 (Redis has the entry). */
async function publish(body: string): Promise<boolean> {
  const response = await fetch(`${gateway.url}/publish`, {
    method: 'POST',
    headers: { authorization: `Bearer ${PUBLISH_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(messageTo({ users }, body)),
    signal: AbortSignal.timeout(10_000),
  }).catch(() => undefined);
  return response?.status === 202;
}

const readyz = async (): Promise<number> =>
  (await fetch(`${gateway.url}/readyz`).catch(() => undefined))?.status ?? 0;

describe('Redis Sentinel', () => {
  it('SIGKILL of the master: the gateway follows the promoted replica, /readyz recovers, delivery resumes; lost: 0 of every acknowledged message', async () => {
    const clients: SyncedSocket[] = [];
    for (const [i, user] of users.entries()) {
      const synced = await connectWithSync(gateway.url, { sub: user }, undefined, {
        transports: i % 2 === 0 ? ['websocket'] : ['polling'],
      });
      open.push(synced.socket);
      clients.push(synced);
    }
    const acknowledged: string[] = [];
    const refused: string[] = [];
    for (let i = 0; i < 50; i += 1) {
      const body = `before-${i}`;
      ((await publish(body)) ? acknowledged : refused).push(body);
    }
    expect(refused).toEqual([]);
    await waitUntil(() => clients.every((c) => bodies(c.events).length === 50), {
      timeoutMs: 20_000,
      description: '50 messages on every client before the failover',
    });
    // What Redis acknowledged is on the replica too before the master dies.
    const master = set.master.client();
    expect(await master.call('WAIT', '1', '5000')).toBe(1);
    master.disconnect();
    const oldPort = set.master.port;
    await set.master.kill();

    // Publish all through the failover, until the gateway is ready again and 50 more got in.
    let during = 0;
    let after = 0;
    let sawNotReady = false;
    let lastStatus = 0;
    await waitUntil(
      async () => {
        const body = `during-${during++}`;
        ((await publish(body)) ? acknowledged : refused).push(body);
        const status = await readyz();
        lastStatus = status;
        if (status !== 200) sawNotReady = true;
        if (status === 200 && (await set.masterPort()) !== oldPort) {
          for (let i = 0; i < 50; i += 1) {
            const late = `after-${after++}`;
            ((await publish(late)) ? acknowledged : refused).push(late);
          }
          return true;
        }
        return false;
      },
      { timeoutMs: 60_000, intervalMs: 100, description: 'the promoted replica serves' },
    ).catch(async (error: unknown) => {
      const named = await set.masterPort().catch(() => 'unknown');
      process.stdout.write(
        `failover not seen: /readyz ${lastStatus}, Sentinels name port ${named} (old ${oldPort}, replica ${set.replica.port})\ngateway log:\n${gateway.output}\n`,
      );
      throw error;
    });
    expect(await set.masterPort()).toBe(set.replica.port);
    expect(await readyz()).toBe(200);

    // Every client has every acknowledged message, or was told it lost some (recovered: false).
    await waitUntil(
      () =>
        clients.every((c) => {
          const got = new Set(bodies(c.events));
          // A sync after the first one: the node found history lost under the socket.
          const told = c.events
            .filter((e) => e.event === 'postbode:sync')
            .slice(1)
            .some((e) => (e.args[0] as { recovered?: boolean }).recovered === false);
          return told || acknowledged.every((body) => got.has(body));
        }),
      { timeoutMs: 30_000, description: 'every acknowledged message on every client' },
    );
    const lost = clients.map((c) => {
      const got = new Set(bodies(c.events));
      return acknowledged.filter((body) => !got.has(body)).length;
    });
    const told = clients.filter(
      (c) => c.events.filter((e) => e.event === 'postbode:sync').length > 1,
    ).length;
    process.stdout.write(
      `sentinel failover: acknowledged ${acknowledged.length} (${after} after), refused while failing over ${refused.length}, sockets re-synced ${told} of ${CLIENTS}, not ready seen ${sawNotReady}\n`,
    );
    if (Math.max(...lost) > 0) process.stdout.write(`gateway log:\n${gateway.output}\n`);
    expect(`lost: ${Math.max(...lost)} of ${acknowledged.length}`).toBe(
      `lost: 0 of ${acknowledged.length}`,
    );
    expect(told).toBe(0);

    // A client that reconnects with its cursor resumes on the promoted replica's stream.
    const first = clients[0] as SyncedSocket;
    const last = first.events.filter((e) => e.event === 'message.created').at(-1);
    const cursor = {
      epoch: first.sync.epoch,
      offset: (last?.args[1] as { offset: string } | undefined)?.offset ?? '',
    };
    first.socket.disconnect();
    const missed = Array.from({ length: 20 }, (_, i) => `missed-${i}`);
    for (const body of missed) expect(await publish(body)).toBe(true);
    const again = await connectWithSync(gateway.url, { sub: users[0] }, cursor);
    open.push(again.socket);
    expect(again.sync).toMatchObject({ recovered: true, replayed: 20 });
    const lostOnResume = missed.filter((body) => !bodies(again.replayed).includes(body));
    expect(`lost: ${lostOnResume.length} of 20`).toBe('lost: 0 of 20');

    // In flight: a publish the gateway answered 503 (it timed out waiting for Redis) may still
    // have been appended when the queued command reached the promoted replica. Such entries are
    // delivered like any other; none is duplicated.
    const direct = set.client();
    const length = Number(await direct.xlen('postbode:stream'));
    const appendedAnyway = length - acknowledged.length - 20;
    const seen = bodies(clients[1]?.events ?? []);
    const refusedDelivered = refused.filter((body) => seen.includes(body)).length;
    process.stdout.write(
      `in flight: ${refused.length} refused, ${appendedAnyway} of them appended anyway, ${refusedDelivered} delivered\n`,
    );
    expect(appendedAnyway).toBeGreaterThanOrEqual(0);
    expect(appendedAnyway).toBeLessThanOrEqual(refused.length);
    expect(refusedDelivered).toBe(appendedAnyway);
    expect(new Set(seen).size).toBe(seen.length);
    direct.disconnect();
  }, 120_000);

  it('PHP publishes through the Sentinels to the promoted master (phpredis and Predis), and the gateway delivers both', async () => {
    const synced = await connectWithSync(gateway.url, { sub: 'php-user' });
    open.push(synced.socket);
    const { stdout } = await promisify(execFile)('php', [
      fileURLToPath(new URL('./php/publish-through-sentinel.php', import.meta.url)),
      String(set.sentinelPorts[0]),
      set.name,
      'php-user',
      'php',
    ]);
    expect(JSON.parse(stdout)).toEqual({ master: await set.masterPort() });
    await waitUntil(() => bodies(synced.events).length === 2, { description: 'two from PHP' });
    const expected = ['php-phpredis', 'php-predis'];
    const lost = expected.filter((body) => !bodies(synced.events).includes(body));
    expect(`lost: ${lost.length} of 2`).toBe('lost: 0 of 2');
  });
});
