import { io, type Socket } from 'socket.io-client';

/** Options of {@link openSiocClient}. */
export interface SiocClientOptions {
  /** `ws://host:port` of the target. */
  origin: string;
  /** The user's JWT, sent as `auth: { token }`. */
  token: string;
  /** Source address on loopback (127.0.0.2, ...), to spread clients over port ranges. */
  localAddress?: string;
  timeoutMs: number;
  /** Called with every event's payload, except Postbode's `postbode:sync`. */
  onEvent(event: string, payload: unknown): void;
}

/**
 * The second load generator's client: the official `socket.io-client` (4.8), as a developer
 * writes a load test with it (socket.io's own "Load testing" guide): WebSocket transport,
 * `auth: { token }`, permessage-deflate offered as browsers do, no reconnection. It shares no
 * framing code with the bare-`ws` generator ({@link openClient}), so a figure both agree on
 * is not an artefact of either.
 */
export function openSiocClient(options: SiocClientOptions): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(options.origin, {
      transports: ['websocket'],
      auth: { token: options.token },
      reconnection: false,
      forceNew: true,
      timeout: options.timeoutMs,
      perMessageDeflate: { threshold: 1024 },
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    });
    socket.onAny((event: string, payload: unknown) => {
      if (event !== 'postbode:sync') options.onEvent(event, payload);
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** The publish time the publisher put in a payload's body (`t<ms>`); NaN when there is none. */
export function publishTimeOfPayload(payload: unknown): number {
  const body = (payload as { body?: unknown } | null)?.body;
  return typeof body === 'string' && body.startsWith('t') ? Number(body.slice(1)) : Number.NaN;
}
