import type { AddressInfo, Server } from 'node:net';

/** Where a listening server can be reached. */
export interface ListenAddress {
  port: number;
  /** `http://<host>:<port>`, with a loopback host when listening on every interface. */
  url: string;
}

/** Listens on `port` (0: any free one) and `host` (unset: every interface). */
export async function listen(
  httpServer: Server,
  port: number,
  host: string | undefined,
): Promise<ListenAddress> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    const onListening = (): void => {
      httpServer.off('error', reject);
      resolve();
    };
    if (host === undefined) httpServer.listen(port, onListening);
    else httpServer.listen(port, host, onListening);
  });
  const bound = (httpServer.address() as AddressInfo).port;
  const display = host === undefined || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    port: bound,
    url: `http://${display.includes(':') ? `[${display}]` : display}:${bound}`,
  };
}
