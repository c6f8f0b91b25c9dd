import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import type { PostbodeServer } from '../connection/socket-types.js';

/**
 * While `isDraining()`, answers every socket.io handshake (a request without a `sid`, polling
 * or WebSocket) `503 Service Unavailable` with `Retry-After`, before engine.io looks at it.
 * Requests of sessions this node already holds pass: a draining node keeps serving its
 * sockets. A load balancer that retries on 503 (nginx `proxy_next_upstream http_503`) sends
 * the client to another node and marks this one failed; the origin policy's 403 for a node
 * shutting down would not be retried.
 */
export function refuseHandshakesWhileDraining(
  io: PostbodeServer,
  isDraining: () => boolean,
  retryAfterSeconds = 5,
): void {
  io.engine.use((req: IncomingMessage, res: unknown, next: (error?: unknown) => void) => {
    if (!isDraining() || hasSessionId(req)) {
      next();
      return;
    }
    const body = '{"status":"draining"}';
    if (res instanceof ServerResponse) {
      res.writeHead(503, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'retry-after': String(retryAfterSeconds),
        connection: 'close',
      });
      res.end(body);
      return;
    }
    // A WebSocket upgrade: engine.io's stand-in response writes nothing; answer on the socket.
    const socket = (res as { socket?: NetSocket }).socket;
    socket?.end(
      `HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nRetry-After: ${retryAfterSeconds}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

function hasSessionId(req: IncomingMessage): boolean {
  const query = (req as { _query?: Record<string, string | undefined> })._query;
  if (query !== undefined) return query.sid !== undefined;
  return new URL(req.url ?? '/', 'http://x').searchParams.has('sid');
}
