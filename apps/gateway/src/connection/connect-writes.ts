import type { PostbodeSocket } from './socket-types.js';

// Every connection gets two frames at once: socket.io's CONNECT answer and `postbode:sync`
// (contract 6), with any replayed messages between them. Written one after the other they are
// two TCP writes (two `writev` system calls, two segments for the client to read); measured in
// the connection storm (`pnpm bench --profile --scenario=storm`) that second write was the
// largest thing Postbode did per connection that a bare socket.io server does not.
//
// So the last middleware corks the WebSocket's TCP socket. socket.io then writes CONNECT
// (`Namespace._doConnect`, in a `process.nextTick` it queues when the last middleware calls
// `next()`), runs the 'connection' handlers (replay and sync go through deliver.ts `writeTo`,
// which writes after CONNECT without waiting for engine.io's write callback), and the tick
// queued here after socket.io's uncorks: everything goes out in one write, in order. Nothing
// waits longer than that one tick. Long-polling connections are left alone (their packets go
// out with the next poll anyway).

/** What is read of the engine.io connection: its transport's ws socket and TCP socket. */
interface CorkableConnection {
  readonly transport: {
    readonly name: string;
    readonly socket?: { readonly _socket?: { cork(): void; uncork(): void } };
  };
}

/** socket.io middleware, registered last: see above. */
export function writeConnectTogether(socket: PostbodeSocket, next: (err?: Error) => void): void {
  const { transport } = socket.conn as unknown as CorkableConnection;
  const tcp = transport.name === 'websocket' ? transport.socket?._socket : undefined;
  if (tcp === undefined) {
    next();
    return;
  }
  tcp.cork();
  next();
  process.nextTick(() => tcp.uncork());
}
