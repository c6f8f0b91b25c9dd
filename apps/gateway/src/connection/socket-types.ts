import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '@postbode/protocol';
import type { Namespace, Server, Socket } from 'socket.io';

/** Events between servers of a cluster (socket.io's `InterServerEvents`): none, nodes share only the bus. */
export type InterServerEvents = Record<never, never>;

/** The gateway's socket.io server, typed by the protocol's event maps. */
export type PostbodeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/** One authenticated socket of the gateway (its claims are on `socket.data`). */
export type PostbodeSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/** The gateway's default namespace (`io.of('/')`), where every socket is. */
export type PostbodeNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
