import { connect, createServer, type Socket } from 'node:net';

/** A TCP proxy in front of one port whose replies the test can hold and let go. */
export interface HoldingProxy {
  readonly port: number;
  /** Connections open now whose client sent `SUBSCRIBE` (ioredis's failover detectors). */
  readonly subscribers: number;
  /** From now on, what the server sends is kept, in order, instead of forwarded. */
  hold(): void;
  /** Forwards what was kept on the connections `which` picks, and no longer holds those. */
  release(which: 'subscribers' | 'others'): void;
  close(): Promise<void>;
}

interface Pair {
  downstream: Socket;
  subscriber: boolean;
  held: Buffer[] | undefined;
}

/**
 * Starts a proxy on a free port of 127.0.0.1 to `127.0.0.1:<port>`. It tells connections that
 * subscribed apart from the others, so a test can let a Sentinel's `+switch-master` reach
 * ioredis's failover detectors before (or after) the replies its connect attempts wait for.
 */
export async function startHoldingProxy(port: number): Promise<HoldingProxy> {
  const pairs = new Set<Pair>();
  let holding = false;
  const server = createServer((downstream) => {
    const upstream = connect(port, '127.0.0.1');
    const pair: Pair = { downstream, subscriber: false, held: holding ? [] : undefined };
    pairs.add(pair);
    downstream.on('data', (chunk: Buffer) => {
      if (/subscribe/i.test(chunk.toString('latin1'))) pair.subscriber = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (pair.held === undefined) downstream.write(chunk);
      else pair.held.push(chunk);
    });
    for (const socket of [downstream, upstream]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        pairs.delete(pair);
        downstream.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    get subscribers() {
      return [...pairs].filter((pair) => pair.subscriber).length;
    },
    hold() {
      holding = true;
      for (const pair of pairs) pair.held ??= [];
    },
    release(which) {
      if (which === 'others') holding = false;
      for (const pair of pairs) {
        if (pair.subscriber !== (which === 'subscribers') || pair.held === undefined) continue;
        for (const chunk of pair.held) pair.downstream.write(chunk);
        pair.held = undefined;
      }
    },
    async close() {
      for (const pair of pairs) pair.downstream.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
