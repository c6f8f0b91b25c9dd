import { type BackendEvent, backendEventFields } from '@postbode/protocol';
import type { RedisConnection } from '../redis/create-redis.js';

/**
 * Appends one backend event (contracts 7 and 8) to the event stream and resolves with its
 * entry id once Redis has it. The stream is never trimmed here: entries stay until a consumer
 * group has read them and the operator trims (see the README's "Backend events").
 *
 * @example
 * await appendBackendEvent(redis, config.eventsStream, {
 *   action: 'presence.online', site: 'nl', user: '42', id, ts: Date.now(),
 *   node: config.nodeId, data: { reason: 'connected' },
 * });
 */
export async function appendBackendEvent(
  redis: RedisConnection,
  stream: string,
  event: BackendEvent,
): Promise<string> {
  const id = await redis.xadd(stream, '*', ...backendEventFields(event));
  // `XADD` without NOMKSTREAM or MAXLEN always answers an id.
  return id as string;
}
