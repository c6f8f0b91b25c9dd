import { PostbodeError } from '@postbode/protocol';
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
  return (socket: PostbodeSocket, next: (err?: ExtendedError) => void): void => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    verifier.verify(auth?.token).then(
      (claims) => {
        socket.data.claims = claims;
        // The token is not read again once verified (expiry runs on the claims): do not keep
        // a copy of it on every socket for the connection's lifetime. The cursor is read by
        // the resume step next.
        const cursor = (auth as { cursor?: unknown } | undefined)?.cursor;
        socket.handshake.auth = cursor === undefined ? {} : { cursor };
        next();
      },
      (error: unknown) => {
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
      },
    );
  };
}
