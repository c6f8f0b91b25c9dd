/**
 * `@postbode/testkit`: resources tests own. Private, never published.
 * @packageDocumentation
 */
export { getFreePort } from './free-port.js';
export {
  type GatewayProcess,
  type StartGatewayProcessOptions,
  startGatewayProcess,
} from './gateway-process.js';
export { type RedisServer, type StartRedisOptions, startRedis } from './redis-server.js';
export {
  type ConnectRefusal,
  type ConnectSocketOptions,
  connectSocket,
  recordEvents,
  waitForEvent,
} from './socket-client.js';
export { type SignTestTokenOptions, signTestToken, TEST_JWT_SECRET } from './tokens.js';
export { type WaitUntilOptions, waitUntil } from './wait-until.js';
