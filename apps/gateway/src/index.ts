/**
 * `@postbode/gateway`: the real-time gateway as a library. Operators run the
 * `postbode-gateway` binary (`pnpm start`); this API is for embedding it in a Node process.
 * @packageDocumentation
 */
export {
  CONFIG_VARIABLES,
  type ConfigVariable,
  type ConfigVariableName,
} from './config/config-variables.js';
export type { GatewayConfig, JwtConfig, JwtKeySource } from './config/gateway-config.js';
export { JWT_ALGORITHMS } from './config/jwt-algorithms.js';
export { LOG_LEVELS, type LogLevel } from './config/log-levels.js';
export { parseConfig } from './config/parse-config.js';
export { readConfigFromEnv } from './config/read-config-from-env.js';
export {
  type CloseOptions,
  GATEWAY_DEFAULTS,
  type Gateway,
  type GatewayOptions,
  startGateway,
} from './gateway.js';
export type { Logger } from './observability/logger.js';
