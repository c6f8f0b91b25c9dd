import type { GatewayConfig } from './gateway-config.js';
import { parseConfig } from './parse-config.js';

/**
 * Reads and validates the configuration from `process.env`: the one place the gateway reads it.
 * `overrides` are settings given on the command line (`--workers`), which win.
 */
export function readConfigFromEnv(overrides: Record<string, string> = {}): GatewayConfig {
  return parseConfig({ ...process.env, ...overrides });
}
