import type { Meta } from '@postbode/protocol';

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
//
// A message from a publisher is encoded by `encodeMessageFrame`: the frame is assembled from
// the action's cached prefix, the bytes of `data` as published (ingest/data-bytes.ts) and the
// metadata, without the packet text; that text is read back from the frame only for a socket
// on engine.io's own path (long-polling), which few are.

/** socket.io packet type of an event (socket.io-parser `PacketType.EVENT`). */
const EVENT = '2';
/** engine.io packet type of a message (engine.io-parser `PACKET_TYPES.message`). */
const MESSAGE = '4';
const MESSAGE_CODE = MESSAGE.charCodeAt(0);
/** First WebSocket header byte: FIN, opcode 1 (text). */
const FIN_TEXT = 0x81;

/** Options engine.io reads with a pre-encoded packet (`wsPreEncodedFrame`: ws's frame list). */
export interface EncodedPacketOptions {
  readonly preEncoded: true;
  readonly wsPreEncodedFrame: readonly [Buffer];
}

/** One event, encoded for both of socket.io's write paths. */
export interface EventFrame {
  /**
   * The socket.io packet texts, as `Client.writeToEngine` takes them (engine.io's own path:
   * long-polling, a socket with packets waiting). Decoded from the frame when first asked for:
   * the direct path (deliver.ts) never needs them.
   */
  readonly packets: [string];
  /**
   * With the ready WebSocket frame, for engine.io's `_canSendPreEncodedFrame` path and for the
   * direct write (deliver.ts).
   */
  readonly options: EncodedPacketOptions;
}

/** An {@link EventFrame} around a complete frame; its packet text is read from it on demand. */
class Frame implements EventFrame {
  readonly options: EncodedPacketOptions;
  private packetList: [string] | undefined;

  constructor(frame: Buffer, packet?: string) {
    this.options = { preEncoded: true, wsPreEncodedFrame: [frame] };
    this.packetList = packet === undefined ? undefined : [packet];
  }

  get packets(): [string] {
    this.packetList ??= [packetOfFrame(this.options.wsPreEncodedFrame[0])];
    return this.packetList;
  }
}

/** The length of the WebSocket header before a payload of `payloadBytes`. */
function headerLength(payloadBytes: number): number {
  return payloadBytes < 126 ? 2 : payloadBytes < 65_536 ? 4 : 10;
}

/** Writes the header of an unmasked final text frame; returns where the payload starts. */
function writeHeader(frame: Buffer, payloadBytes: number): number {
  const headerBytes = headerLength(payloadBytes);
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
  return headerBytes;
}

/** The socket.io packet a frame carries: after the header and engine.io's message type. */
function packetOfFrame(frame: Buffer): string {
  const length = (frame[1] as number) & 0x7f;
  const headerBytes = length < 126 ? 2 : length === 126 ? 4 : 10;
  return frame.toString('utf8', headerBytes + 1);
}

/**
 * Encodes `args` (event name first) as an EVENT packet of the default namespace and as the
 * complete unmasked WebSocket text frame carrying it as an engine.io message.
 */
export function encodeEventFrame(args: readonly unknown[]): EventFrame {
  const packet = EVENT + JSON.stringify(args);
  const payloadBytes = Buffer.byteLength(packet) + 1;
  const frame = Buffer.allocUnsafe(headerLength(payloadBytes) + payloadBytes);
  const at = writeHeader(frame, payloadBytes);
  frame[at] = MESSAGE_CODE;
  frame.write(packet, at + 1, 'utf8');
  return new Frame(frame, packet);
}

/** `42["<action>",` per action: what every frame of that action starts with. */
const actionPrefixes = new Map<string, Buffer>();
/** More distinct actions than this are not kept (only validated server actions come here). */
const MAX_ACTION_PREFIXES = 1_024;

function actionPrefix(action: string): Buffer {
  let prefix = actionPrefixes.get(action);
  if (prefix === undefined) {
    prefix = Buffer.from(`${MESSAGE}${EVENT}[${JSON.stringify(action)},`);
    if (actionPrefixes.size < MAX_ACTION_PREFIXES) actionPrefixes.set(action, prefix);
  }
  return prefix;
}

/** `,<meta>]`: the text `JSON.stringify` writes for `meta`, with the array's end. */
function metaSuffix(meta: Meta): string {
  const offset = meta.offset === undefined ? '' : `,"offset":${JSON.stringify(meta.offset)}`;
  return `,{"id":${JSON.stringify(meta.id)},"ts":${meta.ts},"site":${JSON.stringify(meta.site)}${offset}}]`;
}

/**
 * A message's event, `[action, data, meta]`, as {@link encodeEventFrame} would encode it, but
 * with `data` written as `dataJson` when given: the bytes the publisher wrote for it
 * (ingest/data-bytes.ts), copied, not re-encoded. Without them it is exactly that.
 */
export function encodeMessageFrame(
  action: string,
  data: unknown,
  meta: Meta,
  dataJson: Buffer | undefined,
): EventFrame {
  if (dataJson === undefined) return encodeEventFrame([action, data, meta]);
  const prefix = actionPrefix(action);
  const suffix = metaSuffix(meta);
  const dataBytes = dataJson.length;
  const payloadBytes = prefix.length + dataBytes + Buffer.byteLength(suffix);
  const frame = Buffer.allocUnsafe(headerLength(payloadBytes) + payloadBytes);
  let at = writeHeader(frame, payloadBytes);
  frame.set(prefix, at);
  at += prefix.length;
  frame.set(dataJson, at);
  frame.write(suffix, at + dataBytes, 'utf8');
  return new Frame(frame);
}

/**
 * An event again from its complete WebSocket frame (what the history retains of each message,
 * history-columns.ts): the same bytes, ready to write, and the socket.io packet text decoded
 * from them for engine.io's own path (long-polling) when it is needed.
 */
export function eventOfFrame(frame: Buffer): EventFrame {
  return new Frame(frame);
}
