import { io, type Socket } from 'socket.io-client';

/** One event a client received: the action, its data and its meta. */
export interface Received {
  event: string;
  data: unknown;
  meta: { id: string; ts: number; site: string };
}

/** A connected socket.io client that records every event it receives. */
export interface RecordingClient {
  readonly socket: Socket;
  readonly received: Received[];
  close(): void;
}

/** Connects like a browser does (`io(url, { auth: { token } })`), resolving once connected. */
export async function connectClient(url: string, token: string): Promise<RecordingClient> {
  const socket = io(url, { auth: { token }, forceNew: true, reconnection: false });
  const received: Received[] = [];
  socket.onAny((event: string, data: unknown, meta: Received['meta']) => {
    received.push({ event, data, meta });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
  return { socket, received, close: () => socket.close() };
}
