import type { GatewayConfig } from './gateway-config.js';
import { parseConfig } from './parse-config.js';

/** Reads and validates the configuration from `process.env`: the one place the gateway reads it. */
export function readConfigFromEnv(): GatewayConfig {
  return parseConfig(process.env);
}
