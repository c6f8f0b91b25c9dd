import type { GatewayConfig } from './gateway-config.js';

/**
 * What a valid configuration may still get wrong, said once at start-up: settings that work
 * but that an operator should know about.
 */
export function startupWarnings(config: GatewayConfig): string[] {
  const warnings: string[] = [];
  if (config.redisUrl === undefined) {
    warnings.push(
      config.publishKey === undefined
        ? 'POSTBODE_REDIS_URL is not set: embedded in-memory bus (one process); POSTBODE_PUBLISH_KEY is not set either, so nothing can publish'
        : 'POSTBODE_REDIS_URL is not set: embedded in-memory bus (one process, publish only through POST /publish); for development only',
    );
  }
  return warnings;
}
