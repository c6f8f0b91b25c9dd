import { BACKEND_EVENT_FIELDS, type BackendEvent } from '@postbode/protocol';
import { type RedisServer, startRedis } from '@postbode/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendBackendEvent } from '../src/backend-events/append-backend-event.js';

let redis: RedisServer;
let client: Redis;

beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
});

afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

describe('appendBackendEvent (the backend event stream, contracts 7 and 8)', () => {
  it('writes one entry with exactly the documented fields, in order, as strings', async () => {
    const event: BackendEvent = {
      action: 'presence.online',
      site: 'nl',
      user: '42',
      id: 'evt-1',
      ts: 1_764_000_000_123,
      node: 'gateway-1',
      data: { reason: 'connected' },
    };
    const id = await appendBackendEvent(client, 'events:test', event);
    const entries = await client.xrange('events:test', '-', '+');
    expect(entries).toEqual([
      [
        id,
        [
          'action',
          'presence.online',
          'site',
          'nl',
          'user',
          '42',
          'id',
          'evt-1',
          'ts',
          '1764000000123',
          'node',
          'gateway-1',
          'data',
          '{"reason":"connected"}',
        ],
      ],
    ]);
    const fields = (entries[0]?.[1] ?? []).filter((_, index) => index % 2 === 0);
    expect(fields).toEqual([...BACKEND_EVENT_FIELDS]);
  });
});
