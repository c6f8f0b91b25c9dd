import cluster, { type Worker } from 'node:cluster';
import type { Socket } from 'node:net';

/** Engine.IO session ids as @socket.io/sticky reads them from a request's first bytes. */
const SID = /sid=([\w-]{20})/;
/** Longest wait for the primary to learn a session that a request names, in ms. */
const UNKNOWN_SID_WAIT_MS = 2_000;

/**
 * In front of @socket.io/sticky in the primary. A worker tells the primary about a new session
 * over IPC while its handshake answer travels to the client; under load the client's next
 * long-polling request can reach the primary first, and sticky would send it to any worker,
 * which answers "Session ID unknown" and the client starts over. The gate reads the first bytes
 * of each connection and, when they name a session the primary has not heard of, waits (up to
 * 2 s) for the worker's message before handing the connection on.
 */
export function createSessionGate(
  pass: (socket: Socket, firstChunk: Buffer, hasBody: boolean) => void,
): (socket: Socket) => void {
  // `pass` gets each connection paused with its first chunk already read (and, without a body,
  // no longer reading).
  const known = new Set<string>();
  const waiting = new Map<string, Array<() => void>>();
  cluster.on('message', (_worker: Worker, message: unknown) => {
    const { type, data } = (message ?? {}) as { type?: string; data?: unknown };
    if (typeof data !== 'string') return;
    if (type === 'sticky:connection') {
      known.add(data);
      for (const release of waiting.get(data) ?? []) release();
      waiting.delete(data);
    } else if (type === 'sticky:disconnection') known.delete(data);
  });

  return (socket) => {
    // A client that goes away while the primary still relays a worker's answer (sticky writes
    // to it without a listener of its own) must not take the primary down: the socket closes.
    socket.on('error', () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      const end = chunk.indexOf('\r\n\r\n');
      const header = chunk.subarray(0, end < 0 ? chunk.length : end).toString('latin1');
      const sid = SID.exec(header)?.[1];
      // Sticky hands a request without a body to the worker as a file descriptor. Until the
      // worker acknowledges it, the primary's copy stays open and, if still reading, takes bytes
      // meant for the worker (a websocket's first frame, under load) and drops them: stop
      // reading now. A request with a body stays in the primary (sticky relays it) and reads on.
      const body = /content-length:|transfer-encoding:/i.test(header);
      if (!body) stopReading(socket);
      const hand = (): void => {
        if (!socket.destroyed) pass(socket, chunk, body);
      };
      if (sid === undefined || known.has(sid)) {
        hand();
        return;
      }
      let done = false;
      const release = (): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        hand();
      };
      const timer = setTimeout(() => {
        const list = waiting.get(sid)?.filter((entry) => entry !== release) ?? [];
        if (list.length === 0) waiting.delete(sid);
        else waiting.set(sid, list);
        release();
      }, UNKNOWN_SID_WAIT_MS);
      waiting.set(sid, [...(waiting.get(sid) ?? []), release]);
    });
  };
}

/** Stops the socket's reads from the kernel (node:net has no public call that does only this). */
function stopReading(socket: Socket): void {
  const handle = (socket as Socket & { _handle?: { readStop?(): number; reading?: boolean } })
    ._handle;
  if (handle?.readStop !== undefined) {
    handle.readStop();
    // Keeps node:net from starting the reads again when the stream is resumed.
    handle.reading = true;
  }
}
