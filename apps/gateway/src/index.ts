/**
 * `@postbode/gateway`: the real-time gateway as a library. Operators run the
 * `postbode-gateway` binary (`pnpm start`); this API is for embedding and tests.
 * @packageDocumentation
 */
export type { SocketData } from './auth/authenticate.js';
export {
  createTokenVerifier,
  MAX_TOKEN_LENGTH,
  type TokenVerifier,
} from './auth/token-verifier.js';
export type { Bus, BusMessageHandler, EnvelopeSource } from './bus/bus.js';
export { createMemoryBus } from './bus/memory-bus.js';
export { createRedisBus, type RedisBusOptions, reconnectDelay } from './bus/redis-bus.js';
export {
  type GatewayConfig,
  JWT_ALGORITHMS,
  type JwtConfig,
  type JwtKeySource,
  LOG_LEVELS,
  type LogLevel,
  parseConfig,
  readConfigFromEnv,
} from './config.js';
export { CONFIG_VARIABLES, type ConfigVariableName, formatHelp } from './config-variables.js';
export { GATEWAY_DEFAULTS, type Gateway, type GatewayOptions, startGateway } from './gateway.js';
export { MAX_PUBLISH_BODY_BYTES } from './http/publish-endpoint.js';
export { createLogger, type Logger } from './logger.js';
export { createMetrics, type GatewayMetrics } from './metrics.js';
export { roleRoom, siteRoom, userRoom } from './rooms.js';
export { createRouter, type RouteResult, type Router, roomsOf } from './router.js';
