// One socket.io EVENT packet of the default namespace, encoded once for every socket it goes
// to: the text socket.io-parser would write (`2["action",data,meta]`) and the whole WebSocket
// frame engine.io would send (`42[...]` behind a FIN + text header), in one buffer.
//
// Why not socket.io-adapter's `_encode`: it walks every argument looking for binary data first
// (`hasBinary`), which cannot be there (everything delivered was parsed from JSON text or built
// of strings and numbers), and gives the frame as two buffers (header, payload), which ws
// writes as two chunks through a corked socket: one `writev` with its array of chunks per
// socket instead of one plain `write` of one buffer (measured with `pnpm bench --profile`).
// The bytes on the wire are the same; a test compares them with socket.io-parser's own.

/** socket.io packet type of an event (socket.io-parser `PacketType.EVENT`). */
const EVENT = '2';
/** engine.io packet type of a message (engine.io-parser `PACKET_TYPES.message`). */
const MESSAGE = '4';
/** First WebSocket header byte: FIN, opcode 1 (text). */
const FIN_TEXT = 0x81;

/** Options engine.io reads with a pre-encoded packet (`wsPreEncodedFrame`: ws's frame list). */
export interface EncodedPacketOptions {
  readonly preEncoded: true;
  readonly wsPreEncodedFrame: readonly [Buffer];
}

/** One event, encoded for both of socket.io's write paths. */
export interface EventFrame {
  /** The socket.io packet texts, as `Client.writeToEngine` takes them. */
  readonly packets: [string];
  /**
   * With the ready WebSocket frame, for engine.io's `_canSendPreEncodedFrame` path and for the
   * direct write (deliver.ts).
   */
  readonly options: EncodedPacketOptions;
}

/**
 * Encodes `args` (event name first) as an EVENT packet of the default namespace and as the
 * complete unmasked WebSocket text frame carrying it as an engine.io message.
 */
export function encodeEventFrame(args: readonly unknown[]): EventFrame {
  const packet = EVENT + JSON.stringify(args);
  const payloadBytes = Buffer.byteLength(packet) + 1;
  const headerBytes = payloadBytes < 126 ? 2 : payloadBytes < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + payloadBytes);
  frame[0] = FIN_TEXT;
  if (headerBytes === 2) {
    frame[1] = payloadBytes;
  } else if (headerBytes === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(payloadBytes, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(payloadBytes / 2 ** 32), 2);
    frame.writeUInt32BE(payloadBytes % 2 ** 32, 6);
  }
  frame[headerBytes] = MESSAGE.charCodeAt(0);
  frame.write(packet, headerBytes + 1, 'utf8');
  return { packets: [packet], options: { preEncoded: true, wsPreEncodedFrame: [frame] } };
}

/**
 * An event again from its complete WebSocket frame (what the history retains of each message,
 * history-columns.ts): the same bytes, ready to write, and the socket.io packet text decoded
 * from them for engine.io's own path (long-polling).
 */
export function eventOfFrame(frame: Buffer): EventFrame {
  const length = (frame[1] as number) & 0x7f;
  const headerBytes = length < 126 ? 2 : length === 126 ? 4 : 10;
  // After the header: engine.io's message type, then the socket.io packet.
  const packet = frame.toString('utf8', headerBytes + 1);
  return { packets: [packet], options: { preEncoded: true, wsPreEncodedFrame: [frame] } };
}
