import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareOffsets, type SyncEvent } from '@postbode/protocol/core';
import {
  collectOutput,
  type GatewayProcess,
  getFreePort,
  type RedisServer,
  signTestToken,
  spawnProcessGroup,
  startGatewayProcess,
  startRedis,
  stopProcessGroup,
  waitForEvent,
  waitUntil,
} from '@postbode/testkit';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToStream, messageTo, readMetric } from './support.js';

// The shipped nginx configuration (deploy/nginx/postbode.conf, issue 14) in front of two real
// gateway processes: only the node addresses and the listen port are replaced. Clients come
// from distinct loopback addresses (127.0.0.x), so `hash $remote_addr` spreads them as it
// spreads real clients.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const nginxBinary = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
const ADDRESSES = Array.from({ length: 16 }, (_, i) => `127.0.0.${20 + i}`);
const users = ADDRESSES.map((_, i) => `u${i}`);
/** The draining node's drain: long enough to probe nginx while it lasts. */
const DRAIN_SECONDS = 6;

let scratch: string;
let redis: RedisServer;
let a: GatewayProcess;
let b: GatewayProcess;
let nginx: ChildProcess;
let nginxUrl: string;
let nginxOutput: () => string = () => '';
const sockets: Socket[] = [];

/** The shipped configuration with the two nodes and the port replaced, each exactly once. */
async function templated(port: number, nodes: [number, number]): Promise<string> {
  let text = await readFile(join(repoRoot, 'deploy', 'nginx', 'postbode.conf'), 'utf8');
  const replace = (from: string, to: string) => {
    expect(text.split(from)).toHaveLength(2);
    text = text.replace(from, to);
  };
  replace('server 10.0.0.11:3000 ', `server 127.0.0.1:${nodes[0]} `);
  replace('server 10.0.0.12:3000 ', `server 127.0.0.1:${nodes[1]} `);
  replace('listen 80;', `listen 127.0.0.1:${port};`);
  return text;
}

async function startNginx(): Promise<void> {
  const port = await getFreePort();
  nginxUrl = `http://127.0.0.1:${port}`;
  for (const dir of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    await mkdir(join(scratch, dir), { mode: 0o777 });
  }
  await writeFile(join(scratch, 'postbode.conf'), await templated(port, [a.port, b.port]));
  // The test's own main context: foreground, its own pid, logs and temp paths.
  await writeFile(
    join(scratch, 'nginx.conf'),
    `daemon off;
master_process on;
worker_processes 1;
pid ${join(scratch, 'nginx.pid')};
error_log ${join(scratch, 'error.log')} notice;
events { worker_connections 1024; }
http {
  log_format upstreams '$remote_addr "$request" $status upstream=$upstream_addr upstream_status=$upstream_status';
  access_log ${join(scratch, 'access.log')} upstreams;
  client_body_temp_path ${join(scratch, 'client_body')};
  proxy_temp_path ${join(scratch, 'proxy')};
  fastcgi_temp_path ${join(scratch, 'fastcgi')};
  uwsgi_temp_path ${join(scratch, 'uwsgi')};
  scgi_temp_path ${join(scratch, 'scgi')};
  include ${join(scratch, 'postbode.conf')};
}
`,
  );
  nginx = spawnProcessGroup(
    nginxBinary,
    ['-p', scratch, '-c', join(scratch, 'nginx.conf'), '-e', join(scratch, 'error.log')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  nginxOutput = collectOutput(nginx);
  await waitUntil(
    async () => {
      if (nginx.exitCode !== null) throw new Error(`nginx exited: ${nginxOutput()}`);
      const response = await fetch(`${nginxUrl}/healthz`).catch(() => undefined);
      return response?.status === 404;
    },
    { description: 'nginx answers' },
  );
}

/** One HTTP request from a given local address (what `hash $remote_addr` sees). */
function send(
  url: string,
  from: string,
  method = 'GET',
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, localAddress: from }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.setHeader('content-type', 'text/plain;charset=UTF-8');
    req.end(body);
  });
}

/**
 * Opens an engine.io session through nginx from `from`, then asks each node directly to close
 * it: the node that answers 200 holds it (another answers 400, session unknown).
 */
async function nodeOfNewSession(from: string): Promise<'a' | 'b'> {
  const handshake = await send(`${nginxUrl}/socket.io/?EIO=4&transport=polling`, from);
  expect(handshake.status).toBe(200);
  const { sid } = JSON.parse(handshake.text.slice(1)) as { sid: string };
  const holders: Array<'a' | 'b'> = [];
  for (const [name, node] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (node.exitCode !== null) continue;
    const close = await send(
      `${node.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`,
      from,
      'POST',
      '1',
    );
    if (close.status === 200) holders.push(name);
  }
  expect(holders).toHaveLength(1);
  return holders[0] as 'a' | 'b';
}

/** A client as the SDK keeps one: reconnects, resumes from its cursor, counts bodies. */
interface ResumingClient {
  socket: Socket;
  address: string;
  bodies: Set<string>;
  syncs: SyncEvent[];
  disconnects: string[];
}

async function resumingClient(
  index: number,
  transports: Array<'polling' | 'websocket'>,
): Promise<ResumingClient> {
  const address = ADDRESSES[index] as string;
  const token = await signTestToken({ sub: users[index] });
  let cursor: { epoch: string; offset: string } | undefined;
  const client: ResumingClient = {
    socket: io(nginxUrl, {
      forceNew: true,
      reconnection: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 2_000,
      transports,
      upgrade: transports.includes('websocket'),
      agent: new Agent({ localAddress: address }) as unknown as string,
      auth: (callback) => callback(cursor === undefined ? { token } : { token, cursor }),
    }),
    address,
    bodies: new Set(),
    syncs: [],
    disconnects: [],
  };
  sockets.push(client.socket);
  client.socket.on('message.created', (data: { body: string }, meta: { offset?: string }) => {
    client.bodies.add(data.body);
    if (cursor !== undefined && meta.offset !== undefined) {
      if (compareOffsets(meta.offset, cursor.offset) > 0)
        cursor = { ...cursor, offset: meta.offset };
    }
  });
  client.socket.on('postbode:sync', (sync: SyncEvent) => {
    cursor = { epoch: sync.epoch, offset: sync.offset };
    client.syncs.push(sync);
  });
  client.socket.on('disconnect', (reason) => client.disconnects.push(reason));
  await waitUntil(() => client.syncs.length === 1, { description: `client ${index} synced` });
  return client;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'postbode-nginx-'));
  redis = await startRedis();
  const env = {
    POSTBODE_REDIS_URL: redis.url,
    POSTBODE_TRUSTED_PROXY_HEADER: 'X-Forwarded-For',
    POSTBODE_LOG_LEVEL: 'info',
  };
  a = await startGatewayProcess({
    entry,
    env: { ...env, POSTBODE_SHUTDOWN_DRAIN_SECONDS: String(DRAIN_SECONDS) },
  });
  b = await startGatewayProcess({ entry, env });
  await startNginx();
}, 60_000);

afterAll(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  if (nginx !== undefined) await stopProcessGroup(nginx);
  await a?.stop();
  await b?.stop();
  await redis?.stop();
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

describe('nginx (deploy/nginx/postbode.conf) in front of two gateway nodes', () => {
  let placement: Map<string, 'a' | 'b'>;
  let clients: ResumingClient[];

  it('keeps each client address on one node (consistent hash) and spreads addresses over both', async () => {
    placement = new Map();
    for (const address of ADDRESSES) {
      const first = await nodeOfNewSession(address);
      expect(await nodeOfNewSession(address)).toBe(first);
      placement.set(address, first);
    }
    const onA = [...placement.values()].filter((n) => n === 'a').length;
    expect(onA).toBeGreaterThan(0);
    expect(onA).toBeLessThan(ADDRESSES.length);
  });

  it('websocket clients and polling-only clients each get their messages through nginx (lost: 0 of 320)', async () => {
    clients = [];
    for (let i = 0; i < ADDRESSES.length; i += 1) {
      clients.push(await resumingClient(i, i % 2 === 0 ? ['websocket'] : ['polling']));
    }
    await waitUntil(
      async () =>
        (await readMetric(a.url, 'postbode_sockets_connected')) +
          (await readMetric(b.url, 'postbode_sockets_connected')) ===
        ADDRESSES.length,
      { description: '16 sockets over both nodes' },
    );
    // Each client is on the node its address hashes to.
    const expectedOnA = [...placement.values()].filter((n) => n === 'a').length;
    expect(await readMetric(a.url, 'postbode_sockets_connected')).toBe(expectedOnA);
    const sent = Array.from({ length: 20 }, (_, i) => `first-${i}`);
    const admin = redis.client();
    try {
      await appendToStream(
        admin,
        sent.map((body) => messageTo({ users }, body)),
      );
    } finally {
      admin.disconnect();
    }
    await waitUntil(() => clients.every((c) => sent.every((body) => c.bodies.has(body))), {
      description: '20 messages at each of 16 clients',
    });
    const lost = clients.reduce((n, c) => n + sent.filter((body) => !c.bodies.has(body)).length, 0);
    expect(`lost: ${lost} of ${sent.length * clients.length}`).toBe('lost: 0 of 320');
    // Long-polling stayed on its node: no client lost its session.
    expect(clients.flatMap((c) => c.disconnects)).toEqual([]);
  });

  it("SIGTERM drains node a: nginx sends new connections to b during the drain, a's clients resume on b with their cursor, lost: 0 (messages published during the drain included)", async () => {
    const admin = redis.client();
    let published = 0;
    let publishing = true;
    const publisher = (async () => {
      while (publishing) {
        await appendToStream(admin, [messageTo({ users }, `drain-${published}`)]);
        published += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      await waitUntil(() => published >= 20, { description: '20 published before the drain' });
      const onA = clients.filter((c) => placement.get(c.address) === 'a');
      const onB = clients.filter((c) => placement.get(c.address) === 'b');
      expect(onA.length).toBeGreaterThan(0);
      a.signal('SIGTERM');
      await waitUntil(async () => (await fetch(`${a.url}/readyz`)).status === 503, {
        description: 'a not ready',
      });
      const publishedAtDrain = published;
      // During the drain, every new session from an address that hashes to a lands on b.
      const aAddresses = ADDRESSES.filter((address) => placement.get(address) === 'a');
      for (const address of aAddresses) expect(await nodeOfNewSession(address)).toBe('b');
      // A WebSocket-only client from such an address connects through nginx, to b.
      const probe = io(nginxUrl, {
        forceNew: true,
        reconnection: false,
        transports: ['websocket'],
        agent: new Agent({ localAddress: aAddresses[0] as string }) as unknown as string,
        auth: { token: await signTestToken({ sub: 'probe' }) },
        query: { probe: 'ws-during-drain' },
      });
      sockets.push(probe);
      await waitForEvent(probe, 'postbode:sync');
      probe.disconnect();
      const accessLog = join(scratch, 'access.log');
      const wsLine = await waitUntil(
        async () =>
          (await readFile(accessLog, 'utf8'))
            .split('\n')
            .find((line) => line.includes('probe=ws-during-drain')),
        { description: 'the WebSocket probe in the access log' },
      );
      expect(wsLine).toMatch(
        new RegExp(
          `upstream=(127\\.0\\.0\\.1:${a.port}, )?127\\.0\\.0\\.1:${b.port} upstream_status=(503, )?101$`,
        ),
      );
      // a is still up and draining (not gone: nginx failed over on its 503).
      expect(a.exitCode).toBeNull();
      expect((await send(`${a.url}/socket.io/?EIO=4&transport=polling`, '127.0.0.1')).status).toBe(
        503,
      );
      const access = await readFile(join(scratch, 'access.log'), 'utf8');
      expect(access).toMatch(
        new RegExp(
          `upstream=127\\.0\\.0\\.1:${a.port}, 127\\.0\\.0\\.1:${b.port} upstream_status=503, 200`,
        ),
      );

      await waitUntil(() => a.exitCode !== null, {
        timeoutMs: 60_000,
        description: 'a exits after its drain',
      });
      expect(a.exitCode).toBe(0);
      // Every client of a lost its transport (closed by a after the drain, never `io server
      // disconnect`; a long-poll may go first, once nginx has marked a failed and its next poll
      // reaches b: 400, session unknown) and is back, on b, recovered from its cursor.
      await waitUntil(() => onA.every((c) => c.socket.connected && c.syncs.length >= 2), {
        timeoutMs: 60_000,
        description: "a's clients reconnected",
      });
      for (const c of onA) {
        expect(c.disconnects.length).toBeGreaterThanOrEqual(1);
        expect(c.disconnects.every((r) => /^transport (close|error)$/.test(r))).toBe(true);
        expect(c.syncs.slice(1).every((s) => s.recovered)).toBe(true);
      }
      await waitUntil(
        async () => (await readMetric(b.url, 'postbode_sockets_connected')) === ADDRESSES.length,
        { description: 'all 16 sockets on b' },
      );
      // b's own clients were not disturbed.
      expect(onB.flatMap((c) => c.disconnects)).toEqual([]);
      await waitUntil(() => published >= publishedAtDrain + 20, { description: '20 more' });
    } finally {
      publishing = false;
      await publisher;
      admin.disconnect();
    }
    const sent = Array.from({ length: published }, (_, i) => `drain-${i}`);
    await waitUntil(() => clients.every((c) => sent.every((body) => c.bodies.has(body))), {
      timeoutMs: 30_000,
      description: 'every message at every client',
    });
    const lost = clients.reduce((n, c) => n + sent.filter((body) => !c.bodies.has(body)).length, 0);
    const total = sent.length * clients.length;
    expect(`lost: ${lost} of ${total}`).toBe(`lost: 0 of ${total}`);
  }, 120_000);
});
