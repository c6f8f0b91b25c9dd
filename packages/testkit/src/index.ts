/**
 * `@postbode/testkit`: resources tests own. Private, never published.
 * @packageDocumentation
 */
export { CHROMIUM_LAUNCH_OPTIONS } from './chromium.js';
export { collectOutput } from './collect-output.js';
export { getFreePort } from './free-port.js';
export {
  type GatewayProcess,
  type StartGatewayProcessOptions,
  startGatewayProcess,
} from './gateway-process.js';
export {
  killProcess,
  killProcessGroups,
  STOP_PROCESS_GROUP_DEFAULTS,
  type StopProcessGroupOptions,
  signalProcessGroup,
  spawnProcessGroup,
  stopProcessGroup,
} from './process-group.js';
export {
  isRunning,
  listProcesses,
  type ProcessInfo,
  processTree,
  readProcess,
} from './process-table.js';
export { type RedisServer, type StartRedisOptions, startRedis } from './redis-server.js';
export {
  type ConnectRefusal,
  type ConnectSocketOptions,
  connectSocket,
  recordEvents,
  waitForEvent,
} from './socket-client.js';
export {
  type ConnectWithSyncOptions,
  connectWithSync,
  type RecordedEvent,
  type SyncedSocket,
} from './synced-socket.js';
export { type SignTestTokenOptions, signTestToken, TEST_JWT_SECRET } from './tokens.js';
export { type WaitUntilOptions, waitUntil } from './wait-until.js';
