import { connect, createServer, type Server, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

/** A TCP proxy in front of the gateway whose network the test controls. */
export interface TcpProxy {
  /** The port it listens on, the same after every `accept()`. */
  readonly port: number;
  /** `http://127.0.0.1:<port>`: give it to the client instead of the gateway's URL. */
  readonly url: string;
  /** How many connections it accepted so far. */
  readonly accepted: number;
  /**
   * A network drop: destroys every connection, both sides, and refuses new ones (the port is
   * closed: connection refused) until {@link TcpProxy.accept}.
   */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  accept(): Promise<void>;
  /** Cuts and stops for good. */
  close(): Promise<void>;
}

/**
 * Starts a TCP proxy on a free port of 127.0.0.1 that forwards every connection to `target`
 * (byte for byte: WebSocket and long-polling alike), closed when the current test ends.
 *
 * @example
 * const proxy = await startTcpProxy(stack.gateway.url);
 * const client = stack.client({ url: proxy.url, token });
 * await proxy.cut(); // the browser's network is gone
 * await proxy.accept(); // and back
 */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const open = new Set<Socket>();
  let accepted = 0;
  let server: Server | undefined;

  const forward = (downstream: Socket): void => {
    accepted += 1;
    const upstream = connect(Number(targetPort), hostname);
    for (const socket of [downstream, upstream]) {
      open.add(socket);
      socket.on('close', () => {
        open.delete(socket);
        downstream.destroy();
        upstream.destroy();
      });
      // A reset from either side ends the pair; 'close' follows.
      socket.on('error', () => undefined);
    }
    downstream.pipe(upstream);
    upstream.pipe(downstream);
  };

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const next = createServer(forward);
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        server = next;
        resolve((next.address() as { port: number }).port);
      });
    });

  const cut = async (): Promise<void> => {
    const closing = server;
    server = undefined;
    for (const socket of open) socket.destroy();
    if (closing !== undefined) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };

  const port = await listen(0);
  const proxy: TcpProxy = {
    port,
    url: `http://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    cut,
    async accept() {
      if (server === undefined) await listen(port);
    },
    close: cut,
  };
  onTestFinished(() => proxy.close());
  return proxy;
}
