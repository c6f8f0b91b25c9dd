import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

/** Options of {@link connectSocket}. */
export interface ConnectSocketOptions extends Partial<ManagerOptions & SocketOptions> {
  /** The token for the handshake (`auth: { token }`); omitted when undefined. */
  token?: string;
  /**
   * How long to wait for `connect`, in ms.
   * @default 10000
   */
  timeoutMs?: number;
}

/** A `connect_error` as the client sees it: the server's message and `data`. */
export interface ConnectRefusal extends Error {
  data?: { code?: string; message?: string };
}

/**
 * Connects a real socket.io client and resolves once it is connected; rejects with the
 * `connect_error` (its `data.code` says why) when the server refuses it. Reconnection is off
 * unless asked for, so a refused client does not retry behind the test's back. The caller
 * disconnects it.
 *
 * @example
 * const socket = await connectSocket(gateway.url, { token });
 * const [data, meta] = await waitForEvent(socket, 'message.created');
 */
export function connectSocket(url: string, options: ConnectSocketOptions = {}): Promise<Socket> {
  const { token, timeoutMs = 10_000, ...rest } = options;
  const socket = io(url, {
    reconnection: false,
    forceNew: true,
    ...(token === undefined ? {} : { auth: { token } }),
    ...rest,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error(`socket did not connect to ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('connect_error');
      resolve(socket);
    });
    socket.once('connect_error', (error: ConnectRefusal) => {
      clearTimeout(timer);
      socket.disconnect();
      reject(error);
    });
  });
}

/**
 * Resolves with the arguments of the next `event` on `socket`; rejects after `timeoutMs`
 * (a bound on a broken test, not a performance assertion).
 */
export function waitForEvent<Args extends unknown[] = unknown[]>(
  socket: Socket,
  event: string,
  timeoutMs = 10_000,
): Promise<Args> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no "${event}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args as Args);
    };
    socket.once(event, listener);
  });
}

/** Records every event a socket receives (name and arguments), in order, from now on. */
export function recordEvents(socket: Socket): Array<{ event: string; args: unknown[] }> {
  const received: Array<{ event: string; args: unknown[] }> = [];
  socket.onAny((event: string, ...args: unknown[]) => {
    received.push({ event, args });
  });
  return received;
}
