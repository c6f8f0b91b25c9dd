import { type NormalizedClaims, PostbodeError } from '@postbode/protocol';
import type { ExtendedError, Socket } from 'socket.io';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics.js';
import type { TokenVerifier } from './token-verifier.js';

/** What the gateway keeps on `socket.data`. */
export interface SocketData {
  claims: NormalizedClaims;
}

/**
 * The socket.io middleware that authenticates each handshake with `handshake.auth.token`.
 * A refusal reaches the client as `connect_error` with `err.data = { code, message }`
 * (`UNAUTHORIZED` or `TOKEN_EXPIRED`).
 */
export function authenticate(verifier: TokenVerifier, metrics: GatewayMetrics, logger: Logger) {
  return (socket: Socket, next: (err?: ExtendedError) => void): void => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    verifier.verify(auth?.token).then(
      (claims) => {
        (socket.data as SocketData).claims = claims;
        // The token is not read again once verified (expiry runs on the claims): do not keep
        // a copy of it on every socket for the connection's lifetime.
        (socket.handshake as { auth: Record<string, unknown> }).auth = {};
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
