import type { PostbodeSocket } from '../connection/socket-types.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';

/** What is read of one engine.io packet in the write buffer. */
interface QueuedPacket {
  readonly data?: unknown;
}

/** What is read of an engine.io socket and its transport (engine.io 6, ws 8). */
export interface BufferedConnection {
  readonly readyState: string;
  /** Replaced by a new array at every flush (engine.io 6 `Socket.flush`). */
  readonly writeBuffer: QueuedPacket[];
  readonly transport: {
    readonly name: string;
    readonly socket?: {
      /** Bytes queued for the client: the TCP socket's buffer plus ws's own. */
      readonly bufferedAmount: number;
      terminate(): void;
    };
  };
  close(discard: boolean): void;
}

/** Options of {@link createSocketBuffer}. */
export interface SocketBufferOptions {
  /** `POSTBODE_MAX_SOCKET_BUFFER_BYTES`. */
  maxBytes: number;
  metrics: GatewayMetrics;
  logger: Logger;
}

/**
 * The per-socket outgoing buffer limit. Whatever wrote to a socket (a delivery on the direct
 * path or socket.io's, a replay at resume, `postbode:sync`, `postbode:error`), the bytes still
 * waiting for it are engine.io's write buffer (long-polling between polls, a busy or upgrading
 * transport) plus the WebSocket's own; past the limit the connection is cut.
 */
export interface SocketBuffer {
  readonly maxBytes: number;
  /** Bytes waiting to be sent on the connection. */
  queued(conn: BufferedConnection): number;
  /** True once the connection was cut (nothing more is queued for it). */
  isCut(conn: BufferedConnection): boolean;
  /** Cuts the socket's connection when over the limit (call after writing); true when cut. */
  check(socket: PostbodeSocket): boolean;
  /** Cuts the connection: counted, logged, terminated. */
  cut(conn: BufferedConnection, socket?: PostbodeSocket): void;
}

const packetBytes = (packet: QueuedPacket): number => {
  const { data } = packet;
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 16;
};

/** Creates the limit. */
export function createSocketBuffer(options: SocketBufferOptions): SocketBuffer {
  const { maxBytes, metrics, logger } = options;
  // Counted incrementally per write buffer (a new array after each flush): each packet once.
  const counted = new WeakMap<QueuedPacket[], { packets: number; bytes: number }>();
  const cutAlready = new WeakSet<BufferedConnection>();

  const queued = (conn: BufferedConnection): number => {
    const buffer = conn.writeBuffer;
    let engine = 0;
    if (buffer.length > 0) {
      const sum = counted.get(buffer) ?? { packets: 0, bytes: 0 };
      for (let i = sum.packets; i < buffer.length; i++) sum.bytes += packetBytes(buffer[i] ?? {});
      sum.packets = buffer.length;
      counted.set(buffer, sum);
      engine = sum.bytes;
    }
    return engine + (conn.transport.socket?.bufferedAmount ?? 0);
  };

  const cut = (conn: BufferedConnection, socket?: PostbodeSocket): void => {
    if (conn.readyState !== 'open' || cutAlready.has(conn)) return;
    const bytes = queued(conn);
    cutAlready.add(conn);
    metrics.slowSocketsCut.inc();
    const claims = socket?.data.claims;
    logger.warn(
      {
        reason: 'buffer_limit',
        transport: conn.transport.name,
        queued: bytes,
        limit: maxBytes,
        ...(claims === undefined ? {} : { sub: claims.sub, site: claims.site }),
      },
      'socket cut: more than POSTBODE_MAX_SOCKET_BUFFER_BYTES waiting to be sent (a client that stopped reading); it reconnects and recovers from its cursor',
    );
    // Terminated, not closed: a close handshake would wait behind the very bytes that are stuck.
    if (conn.transport.socket !== undefined) conn.transport.socket.terminate();
    else conn.close(true);
  };

  return {
    maxBytes,
    queued,
    isCut: (conn) => cutAlready.has(conn),
    check(socket) {
      const conn = socket.conn as unknown as BufferedConnection;
      if (cutAlready.has(conn) || queued(conn) <= maxBytes) return false;
      cut(conn, socket);
      return true;
    },
    cut,
  };
}
