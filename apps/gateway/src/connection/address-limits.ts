import type { IncomingMessage } from 'node:http';
import { echoText } from '@postbode/protocol';
import type { ConnectionLimitsConfig } from '../config/gateway-config.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { AllowRequest } from './origin-policy.js';

/** What is read of an engine.io connection. */
interface EngineSocket {
  request: IncomingMessage | null;
  once(event: 'close', listener: () => void): void;
}

/** Options of {@link createAddressLimits}. */
export interface AddressLimitsOptions {
  limits: Pick<
    ConnectionLimitsConfig,
    'maxConnectionsPerAddress' | 'handshakesPerMinute' | 'trustedProxyHeader'
  >;
  metrics: GatewayMetrics;
  logger: Logger;
}

/** Connections and handshakes per remote address. */
export interface AddressLimits {
  /** The handshake check (after the origin policy). */
  allowRequest: AllowRequest;
  /** Counts an opened engine.io connection until it closes; call before its request is dropped. */
  track(connection: EngineSocket): void;
  /** Stops the bucket sweep. */
  close(): void;
}

/**
 * The client's address: the TCP peer, or, when `POSTBODE_TRUSTED_PROXY_HEADER` is set, the last
 * entry of that header (the one the load balancer appended; earlier entries are the client's
 * own to write).
 */
export function remoteAddress(req: IncomingMessage, header: string | undefined): string {
  if (header !== undefined) {
    const value = req.headers[header];
    const text = Array.isArray(value) ? value.at(-1) : value;
    const last = text?.split(',').at(-1)?.trim();
    if (last !== undefined && last !== '') return echoText(last, 64);
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * Limits per remote address, on this node: connections open at once
 * (`POSTBODE_MAX_CONNECTIONS_PER_ADDRESS`) and new handshakes per minute
 * (`POSTBODE_HANDSHAKES_PER_MINUTE`, a token bucket of that size refilled evenly). A refused
 * handshake is answered by engine.io like any refused request (HTTP 403 `Forbidden`; the
 * client sees `connect_error`), counted by reason and logged once per address per minute.
 */
export function createAddressLimits(options: AddressLimitsOptions): AddressLimits {
  const { metrics, logger } = options;
  const { maxConnectionsPerAddress, handshakesPerMinute, trustedProxyHeader } = options.limits;
  const open = new Map<string, number>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  const addresses = new WeakMap<IncomingMessage, string>();
  const logged = new Set<string>();
  const perMs = handshakesPerMinute / 60_000;

  const takeToken = (address: string, now: number): boolean => {
    const bucket = buckets.get(address) ?? { tokens: handshakesPerMinute, at: now };
    bucket.tokens = Math.min(handshakesPerMinute, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    buckets.set(address, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };
  // Full buckets are forgotten once a minute: the map holds only addresses seen lately.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [address, bucket] of buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= handshakesPerMinute) buckets.delete(address);
    }
    logged.clear();
  }, 60_000);
  sweep.unref();

  const refuse = (
    address: string,
    reason: 'address_limit' | 'handshake_rate',
    callback: Parameters<AllowRequest>[1],
  ): void => {
    metrics.connectionRefusals.inc({ reason });
    if (!logged.has(address)) {
      logged.add(address);
      logger.info(
        { address, reason },
        reason === 'address_limit'
          ? 'connection refused: too many connections from this address (POSTBODE_MAX_CONNECTIONS_PER_ADDRESS); further refusals from it this minute are only counted'
          : 'connection refused: too many handshakes from this address (POSTBODE_HANDSHAKES_PER_MINUTE); further refusals from it this minute are only counted',
      );
    }
    callback(
      reason === 'address_limit' ? 'too many connections from this address' : 'too many handshakes',
      false,
    );
  };

  return {
    allowRequest(req, callback) {
      const address = remoteAddress(req, trustedProxyHeader);
      if (maxConnectionsPerAddress > 0 && (open.get(address) ?? 0) >= maxConnectionsPerAddress) {
        refuse(address, 'address_limit', callback);
        return;
      }
      if (handshakesPerMinute > 0 && !takeToken(address, Date.now())) {
        refuse(address, 'handshake_rate', callback);
        return;
      }
      addresses.set(req, address);
      callback(null, true);
    },
    track(connection) {
      const address = connection.request === null ? undefined : addresses.get(connection.request);
      if (address === undefined || maxConnectionsPerAddress === 0) return;
      open.set(address, (open.get(address) ?? 0) + 1);
      connection.once('close', () => {
        const count = (open.get(address) ?? 1) - 1;
        if (count <= 0) open.delete(address);
        else open.set(address, count);
      });
    },
    close() {
      clearInterval(sweep);
    },
  };
}
