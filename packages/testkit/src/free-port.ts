import { createServer } from 'node:net';

/**
 * A TCP port that is free right now on `host`, found by letting the OS pick one (port 0).
 * Another process may still take it before you do; tests that must not race keep the
 * server they start on port 0 instead.
 */
export function getFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port the OS assigned'));
      });
    });
  });
}
