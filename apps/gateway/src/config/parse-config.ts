import type { GatewayConfig } from './gateway-config.js';
import { resolveJwtConfig } from './jwt-key.js';
import type { LogLevel } from './log-levels.js';
import { invalidSetting, readRawSettings, splitList } from './raw-settings.js';

/**
 * Reads the gateway's configuration from environment variables. Pure: give it `process.env`
 * (that is {@link readConfigFromEnv}) or any record. Empty values count as unset; defaults
 * come from {@link CONFIG_VARIABLES}.
 * @throws PostbodeError `INVALID_CONFIG` with a message that names the variable.
 *
 * @example
 * const config = parseConfig({ POSTBODE_JWT_SECRET: 'change-me-to-32-or-more-random-bytes' });
 */
export function parseConfig(env: Record<string, string | undefined>): GatewayConfig {
  const settings = readRawSettings(env);

  const port = Number(settings.withDefault('POSTBODE_PORT'));
  if (port > 65535) throw invalidSetting('POSTBODE_PORT', settings.get('POSTBODE_PORT'));
  const maxEnvelopeBytes = Number(settings.withDefault('POSTBODE_MAX_ENVELOPE_BYTES'));
  if (maxEnvelopeBytes < 1024) {
    throw invalidSetting(
      'POSTBODE_MAX_ENVELOPE_BYTES',
      settings.get('POSTBODE_MAX_ENVELOPE_BYTES'),
    );
  }
  const redisUrl = settings.get('POSTBODE_REDIS_URL');
  if (redisUrl !== undefined && !URL.canParse(redisUrl)) {
    throw invalidSetting('POSTBODE_REDIS_URL', redisUrl);
  }
  const jwt = resolveJwtConfig(settings);
  const host = settings.get('POSTBODE_HOST');
  const cors = settings.get('POSTBODE_CORS_ORIGINS');
  const publishKey = settings.get('POSTBODE_PUBLISH_KEY');
  return {
    port,
    ...(host === undefined ? {} : { host }),
    ...(redisUrl === undefined ? {} : { redisUrl }),
    channel: settings.withDefault('POSTBODE_CHANNEL'),
    jwt,
    ...(cors === undefined ? {} : { corsOrigins: cors.trim() === '*' ? '*' : splitList(cors) }),
    ...(publishKey === undefined ? {} : { publishKey }),
    maxEnvelopeBytes,
    logLevel: settings.withDefault('POSTBODE_LOG_LEVEL') as LogLevel,
  };
}
