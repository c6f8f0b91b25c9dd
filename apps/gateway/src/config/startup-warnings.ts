import type { GatewayConfig } from './gateway-config.js';

/**
 * What a valid configuration may still get wrong, said once at start-up: settings that work
 * but that an operator should know about.
 */
export function startupWarnings(config: GatewayConfig): string[] {
  const warnings: string[] = [];
  // RFC 7518 §3.2: an HS256 key must have at least 256 bits. Accepted (legacy backends may have
  // shorter secrets), but said; the generated TokenIssuer refuses such secrets.
  if (config.jwt.key.kind === 'secret' && Buffer.byteLength(config.jwt.key.secret) < 32) {
    warnings.push(
      'POSTBODE_JWT_SECRET is shorter than 32 bytes: HS256 asks for at least 32 (RFC 7518 section 3.2); use a longer secret',
    );
  }
  if (config.redisUrl === undefined) {
    warnings.push(
      config.publishKey === undefined
        ? 'POSTBODE_REDIS_URL is not set: embedded in-memory bus (one process); POSTBODE_PUBLISH_KEY is not set either, so nothing can publish'
        : 'POSTBODE_REDIS_URL is not set: embedded in-memory bus (one process, publish only through POST /publish); for development only',
    );
  }
  return warnings;
}
