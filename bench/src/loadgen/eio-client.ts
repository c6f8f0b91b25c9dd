import WebSocket from 'ws';

/** How a bench client joins its rooms on a target. */
export type JoinMode =
  /** socket.io 4: `auth: { token }` in the CONNECT packet; the server joins the rooms. */
  | 'token'
  /** laravel-echo-server (socket.io 2): emit `subscribe` for each public channel. */
  | 'subscribe';

/** Options of {@link openClient}. */
export interface ClientOptions {
  /** `ws://host:port` of the target. */
  origin: string;
  /** Engine.IO protocol: 4 for socket.io 4, 3 for socket.io 2. */
  eio: 3 | 4;
  join: JoinMode;
  /** The user's JWT (join `token`). */
  token?: string;
  /** Postbode's resume cursor, sent beside the token (`auth.cursor`, contract 6). */
  cursor?: { epoch: string; offset: string };
  /** Channels to subscribe to (join `subscribe`). */
  channels?: string[];
  /** Source address on loopback (127.0.0.2, ...), to spread clients over port ranges. */
  localAddress?: string;
  timeoutMs: number;
  /** Called with every socket.io EVENT frame (`42[...]`), raw, except `postbode:sync`. */
  onEvent(frame: Buffer): void;
  /** Called with Postbode's `postbode:sync` frames (every connection gets one); default: ignored. */
  onSync?(frame: Buffer): void;
}

/** A connected bench client. */
export interface BenchClient {
  readonly ws: WebSocket;
  readonly eio: 3 | 4;
}

// Engine.IO / socket.io packet types, as the first bytes of a text frame.
const OPEN = 0x30; // '0'
const PING = 0x32; // '2'
const PONG = 0x33; // '3'
const MESSAGE = 0x34; // '4'
const SIO_CONNECT = 0x30; // '40'
const SIO_EVENT = 0x32; // '42'
const SIO_CONNECT_ERROR = 0x34; // '44'
// Postbode's sync event (the protocol's SYNC_EVENT), as a frame starts: not a delivered message.
const SYNC_FRAME = Buffer.from('42["postbode:sync"');

/** True when an EVENT frame is Postbode's `postbode:sync`. */
export function isSyncFrame(frame: Buffer): boolean {
  return (
    frame.length > SYNC_FRAME.length &&
    frame.compare(SYNC_FRAME, 0, SYNC_FRAME.length, 0, SYNC_FRAME.length) === 0
  );
}

/**
 * Opens one socket.io connection over a bare `ws` WebSocket, speaking Engine.IO itself (no
 * socket.io-client: a load generator must cost less than the server it loads). Resolves once
 * the client is ready to receive: after the server's CONNECT answer (EIO 4), or after the
 * subscriptions and a ping round trip that follows them in order (EIO 3).
 */
export function openClient(options: ClientOptions): Promise<BenchClient> {
  const { eio, join, onEvent } = options;
  const url = `${options.origin}/socket.io/?EIO=${eio}&transport=websocket`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      handshakeTimeout: options.timeoutMs,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    });
    let ready = false;
    const timer = setTimeout(
      () => fail(new Error('timed out waiting for the handshake')),
      options.timeoutMs,
    );
    const fail = (error: Error): void => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    };
    const succeed = (): void => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      resolve({ ws, eio });
    };
    ws.on('error', fail);
    ws.on('close', () => fail(new Error('closed during the handshake')));
    ws.on('message', (data: Buffer) => {
      const type = data[0];
      if (type === MESSAGE) {
        const kind = data[1];
        if (kind === SIO_EVENT) {
          if (isSyncFrame(data)) options.onSync?.(data);
          else onEvent(data);
        } else if (kind === SIO_CONNECT) {
          if (eio === 4) succeed();
          else {
            for (const channel of options.channels ?? []) {
              ws.send(`42${JSON.stringify(['subscribe', { channel, auth: { headers: {} } }])}`);
            }
            // Packets are handled in order: the pong comes after the joins are done.
            ws.send('2');
          }
        } else if (kind === SIO_CONNECT_ERROR) fail(new Error(`refused: ${data.toString()}`));
        return;
      }
      if (type === PING) ws.send('3');
      else if (type === PONG) {
        if (eio === 3) succeed();
      } else if (type === OPEN && eio === 4) {
        const auth =
          options.cursor === undefined
            ? { token: options.token }
            : { token: options.token, cursor: options.cursor };
        ws.send(join === 'token' ? `40${JSON.stringify(auth)}` : '40');
      }
    });
  });
}
