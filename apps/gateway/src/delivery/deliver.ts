import type { PostbodeServer, PostbodeSocket } from '../connection/socket-types.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { EncodedPacketOptions, EventFrame } from './event-frame.js';
import { createRoomWriters, refreshWriter, type Writer } from './room-writers.js';
import type { SocketBuffer } from './socket-buffer.js';
import { createWriteTurn } from './write-turn.js';

// socket.io would send every message through engine.io's per-packet path (a packet object, a
// write buffer, four events and callbacks) before engine.io writes a ready WebSocket frame with
// ws's `sendFrame`. Postbode encodes each message once (event-frame.ts) and, for every socket
// where engine.io would only pass that frame on to ws (WebSocket transport, engine.io's own
// buffer empty, no upgrade under way, no per-message deflate), writes the frame directly: the
// same bytes in the same order, without engine.io's per-packet objects (measured with
// `pnpm bench` at the throughput limit: a fifth of the GC time, and less CPU per delivered
// message). Engine.io's `transport.writable` is not waited for: it is false from a write until
// that write's callback, but what it protects is engine.io's buffer, which is empty here, and
// ws writes frames in the order they are given, so a frame written now follows every frame
// engine.io handed to ws before (this is what lets `postbode:sync` share one TCP write with
// socket.io's CONNECT answer: connect-writes.ts). Every other socket (long-polling, packets
// waiting in engine.io, an upgrade) takes socket.io's own path. The sockets of a room, and what
// is read of each, come from room-writers.ts (one list per room, kept in step with socket.io's
// rooms) rather than from socket.io's room, socket and transport objects on every message,
// and in a busy turn of the event loop a socket's direct writes leave together (write-turn.ts).
// Relies on engine.io 6 and ws 8 internals: their exact versions are dependencies of this
// package, a test checks that socket.io resolves those, and another fails when a plain
// WebSocket client stops taking the direct path (`postbode_socket_writes_total{path="direct"}`).

/** What is read of socket.io's per-connection client. */
interface EngineClient {
  writeToEngine(encodedPackets: string[], options: EncodedPacketOptions): void;
}

/** ws `WebSocket.OPEN` */
const WS_OPEN = 1;
const ignore = (): void => undefined;

/** Writes one encoded event to every socket in `rooms` once; returns how many it reached. */
export type Deliver = (rooms: string[], event: EventFrame) => number;

/** Both ways of writing messages to sockets. */
export interface Delivery {
  /** To every socket of some rooms (the dispatcher). */
  readonly deliver: Deliver;
  /**
   * One encoded event (event-frame.ts) to one socket, after everything written to it before:
   * replays and `postbode:sync` at connect (resume.ts). What `socket.emit` would send, through
   * the same paths as {@link Delivery.deliver}.
   */
  readonly writeTo: (socket: PostbodeSocket, frame: EventFrame) => void;
}

/** Options of {@link createDeliver}. */
export interface DeliverOptions {
  metrics: GatewayMetrics;
  logger: Logger;
  /**
   * The per-socket outgoing limit (`POSTBODE_MAX_SOCKET_BUFFER_BYTES`): bytes that may wait to
   * be sent to one socket, whatever path wrote them; past it the socket's connection is cut
   * (it reconnects and recovers from its cursor).
   */
  buffer: SocketBuffer;
}

/** Creates the delivery functions of the default namespace of `io`. */
export function createDeliver(io: PostbodeServer, options: DeliverOptions): Delivery {
  const { metrics, buffer } = options;
  const maxSocketBufferBytes = buffer.maxBytes;
  const { writerOf, writersOf } = createRoomWriters(io.of('/'));

  /** Sockets over their buffer limit during one delivery: cut once the loop is done. */
  const slow: Writer[] = [];

  const turn = createWriteTurn();

  /**
   * A socket that looks over its buffer limit: part of what it has waiting may only be corked
   * by this turn, and the limit is on what the client has not read, so it is uncorked first and
   * then judged. (On the direct path the engine's buffer is empty: `queued` is ws's.)
   */
  const judge = (writer: Writer): void => {
    turn.release(writer);
    if (buffer.queued(writer.conn) > maxSocketBufferBytes) slow.push(writer);
  };

  /**
   * Writes one socket's copy; true when it took the direct path. `batched`: a delivery late in
   * a busy turn of the event loop, whose direct writes leave together at its end (write-turn.ts).
   */
  const write = (writer: Writer, event: EventFrame, batched: boolean): boolean => {
    const { conn } = writer;
    if (conn.transport !== writer.transport) refreshWriter(writer);
    const { ws, sender } = writer;
    if (
      sender !== undefined &&
      conn.readyState === 'open' &&
      !conn.upgrading &&
      conn.writeBuffer.length === 0 &&
      ws?.readyState === WS_OPEN
    ) {
      if (batched) turn.hold(writer, ws);
      sender.sendFrame(event.options.wsPreEncodedFrame, ignore);
      if (ws.bufferedAmount > maxSocketBufferBytes) judge(writer);
      return true;
    }
    // Cut, and about to be closed: nothing more is queued for it. (Checked only here: a cut
    // WebSocket never takes the direct path, `terminate()` leaves it CLOSING at once.)
    if (buffer.isCut(conn)) return false;
    (writer.socket.client as unknown as EngineClient).writeToEngine(event.packets, event.options);
    if (buffer.queued(conn) > maxSocketBufferBytes) judge(writer);
    return false;
  };

  const deliver: Deliver = (rooms, event) => {
    const batched = turn.next();
    let reached = 0;
    let direct = 0;
    // A socket in several of the rooms gets the message once.
    const seen = rooms.length > 1 ? new Set<Writer>() : undefined;
    for (const room of rooms) {
      const list = writersOf(room);
      if (list === undefined) continue;
      for (const writer of list) {
        if (seen !== undefined) {
          if (seen.has(writer)) continue;
          seen.add(writer);
        }
        if (write(writer, event, batched)) direct += 1;
        reached += 1;
      }
    }
    if (slow.length > 0)
      for (const writer of slow.splice(0)) buffer.cut(writer.conn, writer.socket);
    if (direct > 0) metrics.socketWrites.add('direct', direct);
    if (reached > direct) metrics.socketWrites.add('engine', reached - direct);
    return reached;
  };

  // Not held to the buffer limit: a replay queues up to POSTBODE_RECOVERY_MAX messages at
  // once by design; the next delivery finds out whether the client reads them.
  const writeTo = (socket: PostbodeSocket, frame: EventFrame): void => {
    const direct = write(writerOf(socket), frame, false);
    slow.length = 0;
    metrics.socketWrites.add(direct ? 'direct' : 'engine', 1);
  };
  return { deliver, writeTo };
}
