import type { PostbodeNamespace, PostbodeSocket } from '../connection/socket-types.js';
import type { EncodedPacketOptions } from './event-frame.js';
import type { BufferedConnection } from './socket-buffer.js';

// The delivery loop (deliver.ts) writes one message to a room's sockets. Read through
// socket.io's own structures, each socket costs a walk of cold objects: the room's set of ids,
// the socket by id, then `socket.conn.transport.socket._sender`. At the throughput limit, with
// one message to one random socket among thousands, those reads on cold caches were the
// largest part of the loop (`pnpm bench --profile`). Here each room that is delivered to has a
// list of writers, one per socket, holding what the loop reads (the engine.io connection and,
// while its transport is a WebSocket without per-message deflate, ws's socket and sender).
// The lists follow socket.io-adapter's room events: a room's list is dropped when a socket
// joins or leaves it and built again, from socket.io's room, by the next delivery to it; a
// writer reads its ws and sender again when the connection's transport changes (an upgrade).
// socket.io's rooms stay the only record of membership; these lists are a view of them.

/** What is read of ws's sender (ws 8). */
interface WsSender {
  sendFrame?: (frame: EncodedPacketOptions['wsPreEncodedFrame'], callback: () => void) => void;
}

/** ws's TCP socket, as write-turn.ts corks it. */
export interface CorkableSocket {
  cork(): void;
  uncork(): void;
}

/** What is read of a ws WebSocket (ws 8): what the buffer limit reads, and the direct path's. */
export interface WsSocket extends NonNullable<BufferedConnection['transport']['socket']> {
  readonly readyState: number;
  readonly _sender?: WsSender;
  readonly _socket?: CorkableSocket;
}

/** What is read of an engine.io socket and its transport (engine.io 6). */
export interface EngineConnection extends BufferedConnection {
  readonly upgrading: boolean;
  readonly transport: BufferedConnection['transport'] & {
    readonly perMessageDeflate?: unknown;
    readonly socket?: WsSocket;
  };
}

/** One socket as the delivery loop writes to it; one per socket, shared by its rooms. */
export interface Writer {
  readonly socket: PostbodeSocket;
  readonly conn: EngineConnection;
  /** The transport `ws` and `sender` were read from: another one means read them again. */
  transport: EngineConnection['transport'] | undefined;
  /** The WebSocket, while the transport is one the direct path may write to. */
  ws: WsSocket | undefined;
  /** ws's sender of `ws`, under the same condition. */
  sender: Required<WsSender> | undefined;
  /** The TCP socket write-turn.ts corked for this turn of the event loop, if any. */
  held: CorkableSocket | undefined;
}

/** Reads `ws` and `sender` of the connection's current transport. */
export function refreshWriter(writer: Writer): void {
  const { transport } = writer.conn;
  writer.transport = transport;
  const ws = transport.socket;
  const sender = ws?._sender;
  const direct =
    transport.name === 'websocket' &&
    !transport.perMessageDeflate &&
    sender?.sendFrame !== undefined;
  writer.ws = direct ? ws : undefined;
  writer.sender = direct ? (sender as Required<WsSender>) : undefined;
}

/** The writers of a namespace's sockets and rooms. */
export interface RoomWriters {
  /** The socket's writer (made at its first write). */
  writerOf(socket: PostbodeSocket): Writer;
  /** The writers of a room's sockets in socket.io's order; undefined when the room is empty. */
  writersOf(room: string): readonly Writer[] | undefined;
}

/** Creates the writer lists of `namespace`, kept in step with its adapter's rooms. */
export function createRoomWriters(namespace: PostbodeNamespace): RoomWriters {
  const { adapter, sockets } = namespace;
  const roomMembers = adapter.rooms;
  const writers = new WeakMap<PostbodeSocket, Writer>();
  const lists = new Map<string, Writer[]>();

  const writerOf = (socket: PostbodeSocket): Writer => {
    let writer = writers.get(socket);
    if (writer === undefined) {
      writer = {
        socket,
        conn: socket.conn as unknown as EngineConnection,
        transport: undefined,
        ws: undefined,
        sender: undefined,
        held: undefined,
      };
      writers.set(socket, writer);
    }
    return writer;
  };

  // socket.io leaves a closing socket's rooms before it forgets the socket, and a socket joins
  // rooms only once it is in `namespace.sockets`: a list built between two events is whole.
  const forget = (room: string): void => {
    lists.delete(room);
  };
  adapter.on('join-room', forget);
  adapter.on('leave-room', forget);
  adapter.on('delete-room', forget);

  const writersOf = (room: string): readonly Writer[] | undefined => {
    let list = lists.get(room);
    if (list !== undefined) return list;
    const ids = roomMembers.get(room);
    if (ids === undefined) return undefined;
    list = [];
    for (const id of ids) {
      const socket = sockets.get(id);
      if (socket !== undefined) list.push(writerOf(socket));
    }
    lists.set(room, list);
    return list;
  };

  return { writerOf, writersOf };
}
