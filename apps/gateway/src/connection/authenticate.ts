import { type NormalizedClaims, PostbodeError } from '@postbode/protocol';
import type { ExtendedError } from 'socket.io';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { PostbodeSocket } from './socket-types.js';
import type { TokenVerifier } from './token-verifier.js';

/**
 * The socket.io middleware that authenticates each handshake with `handshake.auth.token`.
 * A refusal reaches the client as `connect_error` with `err.data = { code, message }`
 * (`UNAUTHORIZED` or `TOKEN_EXPIRED`).
 */
export function authenticate(verifier: TokenVerifier, metrics: GatewayMetrics, logger: Logger) {
  const accept = (
    socket: PostbodeSocket,
    auth: { cursor?: unknown } | undefined,
    claims: NormalizedClaims,
    next: (err?: ExtendedError) => void,
  ): void => {
    socket.data.claims = claims;
    // The token is not read again once verified (expiry runs on the claims): do not keep a
    // copy of it on every socket for the connection's lifetime. The cursor is read by the
    // resume step next.
    const cursor = auth?.cursor;
    socket.handshake.auth = cursor === undefined ? {} : { cursor };
    next();
  };
  const refuse = (
    socket: PostbodeSocket,
    error: unknown,
    next: (err?: ExtendedError) => void,
  ): void => {
    const refusal = PostbodeError.from(error, 'UNAUTHORIZED');
    const code = refusal.code === 'TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'UNAUTHORIZED';
    metrics.authRefusals.inc({ code });
    logger.info(
      { code, address: socket.handshake.address },
      `connection refused: ${refusal.message}`,
    );
    const err: ExtendedError = new Error(refusal.message);
    err.data = { code, message: refusal.message };
    next(err);
  };

  return (socket: PostbodeSocket, next: (err?: ExtendedError) => void): void => {
    const auth = socket.handshake.auth as { token?: unknown; cursor?: unknown } | undefined;
    // A valid HS token is answered on the spot: the rest of the chain runs in this tick.
    const claims = verifier.verifyNow(auth?.token);
    if (claims !== undefined) {
      accept(socket, auth, claims, next);
      return;
    }
    verifier.verify(auth?.token).then(
      (verified) => accept(socket, auth, verified, next),
      (error: unknown) => refuse(socket, error, next),
    );
  };
}
