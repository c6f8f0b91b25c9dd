import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  getFreePort,
  type RedisServer,
  spawnProcessGroup,
  startRedis,
  stopProcessGroup,
  waitUntil,
} from '@postbode/testkit';
import { Redis } from 'ioredis';

// Real Redis topologies for the Sentinel and Cluster tests: processes on free ports, files in a
// temporary folder, every process in its own group and stopped by `stop()`.

/** Starts `command` and resolves once it prints `ready` (or rejects with its output). */
async function spawnUntil(command: string, args: string[], ready: string): Promise<ChildProcess> {
  const child = spawnProcessGroup(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start:\n${log}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (log.includes(ready)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with code ${code}:\n${log}`));
    });
  }).catch(async (error) => {
    await stopProcessGroup(child, { signal: 'SIGKILL' });
    throw error;
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** A master, a replica and three Sentinels that watch the master as `name`. */
export interface SentinelSet {
  master: RedisServer;
  replica: RedisServer;
  name: string;
  sentinelPorts: number[];
  /** `redis+sentinel://...` for `POSTBODE_REDIS_URL`. */
  url: string;
  /** A client of the current master (through the Sentinels); the caller disconnects it. */
  client(): Redis;
  /** The address the Sentinels name as master now. */
  masterPort(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts a master, a replica of it, and three `redis-sentinel`s (quorum 2, down after 1 s). */
export async function startSentinelSet(name = 'postbode'): Promise<SentinelSet> {
  const dir = mkdtempSync(join(tmpdir(), 'postbode-sentinel-'));
  // A full sync makes the master write an RDB file in its folder: the temporary one.
  const master = await startRedis({ args: ['--dir', dir] });
  const replica = await startRedis({
    args: ['--dir', dir, '--replicaof', '127.0.0.1', String(master.port)],
  });
  const sentinels: ChildProcess[] = [];
  const sentinelPorts: number[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(sentinels.map((child) => stopProcessGroup(child)));
    await Promise.all([master.stop(), replica.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const probe = replica.client();
    await waitUntil(
      async () => (await probe.info('replication')).includes('master_link_status:up'),
      {
        timeoutMs: 15_000,
        description: 'replica in sync',
      },
    );
    probe.disconnect();
    for (let i = 0; i < 3; i += 1) {
      const port = await getFreePort();
      const file = join(dir, `sentinel-${i}.conf`);
      writeFileSync(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          'protected-mode no',
          `dir ${dir}`,
          `sentinel monitor ${name} 127.0.0.1 ${master.port} 2`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 5000`,
          `sentinel parallel-syncs ${name} 1`,
          '',
        ].join('\n'),
      );
      sentinels.push(await spawnUntil('redis-sentinel', [file, '--logfile', ''], 'monitor master'));
      sentinelPorts.push(port);
    }
    // Each Sentinel knows the other two and the replica before the test kills anything.
    for (const port of sentinelPorts) {
      const sentinel = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
      await waitUntil(
        async () => {
          const others = (await sentinel.call('SENTINEL', 'SENTINELS', name)) as unknown[];
          const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', name)) as unknown[];
          return others.length === 2 && replicas.length === 1;
        },
        { timeoutMs: 30_000, description: `sentinel ${port} sees its peers and the replica` },
      );
      sentinel.disconnect();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `redis+sentinel://${sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',')}/${name}`;
  return {
    master,
    replica,
    name,
    sentinelPorts,
    url,
    client: () =>
      new Redis({ sentinels: sentinelPorts.map((port) => ({ host: '127.0.0.1', port })), name }),
    async masterPort() {
      const sentinel = new Redis({ port: sentinelPorts[0] as number, host: '127.0.0.1' });
      try {
        const [, port] = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as [
          string,
          string,
        ];
        return Number(port);
      } finally {
        sentinel.disconnect();
      }
    },
    stop,
  };
}

/** A Redis Cluster of three masters (no replicas), created with `redis-cli --cluster create`. */
export interface RedisClusterSet {
  ports: number[];
  /** `redis+cluster://...` for `POSTBODE_REDIS_URL`. */
  url: string;
  stop(): Promise<void>;
}

/** Starts three `redis-server --cluster-enabled yes` and joins them into one cluster. */
export async function startRedisCluster(): Promise<RedisClusterSet> {
  const dir = mkdtempSync(join(tmpdir(), 'postbode-cluster-'));
  const nodes: RedisServer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i += 1) {
      nodes.push(
        await startRedis({
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            join(dir, `nodes-${i}.conf`),
            '--cluster-node-timeout',
            '2000',
            '--dir',
            dir,
          ],
        }),
      );
    }
    const create = spawnProcessGroup(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    create.stdout?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    create.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => create.once('exit', resolve));
    if (code !== 0) throw new Error(`redis-cli --cluster create failed (${code}):\n${log}`);
    for (const node of nodes) {
      const client = node.client();
      await waitUntil(
        async () => ((await client.call('CLUSTER', 'INFO')) as string).includes('cluster_state:ok'),
        { timeoutMs: 30_000, description: `cluster_state:ok on ${node.port}` },
      );
      client.disconnect();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const ports = nodes.map((node) => node.port);
  return {
    ports,
    url: `redis+cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`,
    stop,
  };
}
