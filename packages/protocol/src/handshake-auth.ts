import Type from 'typebox';
import type { HandshakeAuth as HandshakeAuthShape } from './core/sync.js';
import { Cursor } from './cursor.js';

/**
 * What a browser sends in the socket.io handshake, `io(url, { auth: { token, cursor } })`
 * (DESIGN contracts 2 and 6). Its static type is the core's `HandshakeAuth`.
 */
export const HandshakeAuth = Type.Object(
  {
    token: Type.String({ minLength: 1, description: 'The JWT the backend signed.' }),
    cursor: Type.Optional(Cursor),
  },
  { description: 'The socket.io handshake auth of a browser.' },
);

/** What a client sends in the socket.io handshake. */
export type HandshakeAuth = HandshakeAuthShape;
