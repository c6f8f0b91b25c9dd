import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

/** The gateway's `postbode:sync` event name (contract 6; the testkit imports no workspace package). */
const SYNC_EVENT = 'postbode:sync';

/** One recorded event: its name and arguments. */
export interface RecordedEvent {
  event: string;
  args: unknown[];
}

/** Options of {@link connectWithSync}. */
export interface ConnectWithSyncOptions extends Partial<ManagerOptions & SocketOptions> {
  /** The token for the handshake. */
  token: string;
  /** Where to resume from (`auth.cursor`); omitted on a first connection. */
  cursor?: unknown;
  /**
   * How long to wait for the sync, in ms.
   * @default 15000
   */
  timeoutMs?: number;
}

/** A socket connected up to its `postbode:sync`, with every event since its first packet. */
export interface SyncedSocket<Sync = Record<string, unknown>> {
  socket: Socket;
  /** Every event from the first packet on, in order (replayed ones, the sync, live ones). */
  events: RecordedEvent[];
  /** The `postbode:sync` it got on connect. */
  sync: Sync;
  /** The events before that sync: what was replayed. */
  replayed: RecordedEvent[];
}

/**
 * Connects as a browser does, `io(url, { auth: { token, cursor } })`, records every event from
 * the first packet on (replayed messages arrive right after `connect`, before a listener added
 * then could see them: the socket is created with `autoConnect: false`, recorded, then
 * connected), and resolves at its first `postbode:sync`. Rejects with the `connect_error`.
 * Reconnection is off unless asked for. The caller disconnects it.
 *
 * @example
 * const { socket, sync, replayed } = await connectWithSync(url, { token, cursor });
 */
export function connectWithSync<Sync = Record<string, unknown>>(
  url: string,
  options: ConnectWithSyncOptions,
): Promise<SyncedSocket<Sync>> {
  const { token, cursor, timeoutMs = 15_000, ...rest } = options;
  const socket = io(url, {
    autoConnect: false,
    reconnection: false,
    forceNew: true,
    auth: cursor === undefined ? { token } : { token, cursor },
    ...rest,
  });
  const events: RecordedEvent[] = [];
  socket.onAny((event: string, ...args: unknown[]) => {
    events.push({ event, args });
  });
  const synced = new Promise<SyncedSocket<Sync>>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error(`no ${SYNC_EVENT} from ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.disconnect();
      reject(error);
    });
    socket.once(SYNC_EVENT, (sync: Sync) => {
      clearTimeout(timer);
      const at = events.findIndex((e) => e.event === SYNC_EVENT);
      resolve({ socket, events, sync, replayed: events.slice(0, at) });
    });
  });
  socket.connect();
  return synced;
}
