import { fileURLToPath } from 'node:url';
import { buildJsonSchema, DEFAULT_STREAM } from '@postbode/protocol';
import { compareSchemas, type SchemaDocument } from '@postbode/protocol/compat';
import {
  type GatewayProcess,
  type RedisServer,
  signTestToken,
  startGatewayProcess,
  startRedis,
  waitUntil,
} from '@postbode/testkit';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type ProtocolVariant, writeProtocolVariant } from '../../../scripts/protocol-variant.mjs';
import { createRealtimeClient } from '../src/create-realtime-client.js';
import type { Logger } from '../src/logger.js';

// Mixed versions (issue 15), the browser's side: a bundle built with this SDK and this
// protocol, connected to a gateway that already runs a newer protocol, one with an action and
// a payload field this SDK has never heard of. What does it do with them? (The gateway is the
// built one, run with the newer actions by scripts/protocol-variant.mjs; the messages are
// appended to its stream as a newer backend would.)

const gatewayEntry = fileURLToPath(import.meta.resolve('@postbode/gateway/main'));

/** The newer protocol: a new action, and a new optional field in `message.created`. */
function newerProtocol(): SchemaDocument {
  const schema = structuredClone(buildJsonSchema()) as unknown as {
    $defs: Record<string, Record<string, unknown>>;
    oneOf: unknown[];
  };
  schema.$defs['message.edited'] = {
    type: 'object',
    required: ['messageId', 'body'],
    properties: {
      messageId: { type: 'string', minLength: 1, maxLength: 128 },
      body: { type: 'string', maxLength: 10000 },
    },
    additionalProperties: false,
    description: 'A message was edited.',
  };
  schema.oneOf.push({
    allOf: [
      { $ref: '#/$defs/Envelope' },
      {
        properties: {
          action: { const: 'message.edited' },
          data: { $ref: '#/$defs/message.edited' },
        },
      },
    ],
  });
  const created = schema.$defs['message.created'] as { properties: Record<string, unknown> };
  created.properties.editedAt = { type: 'integer', minimum: 0 };
  return schema;
}

const created = (messageId: string, extra: Record<string, unknown> = {}) => ({
  messageId,
  conversationId: 'c-9',
  senderId: '7',
  body: 'hoi',
  sentAt: 1764250000000,
  ...extra,
});

/** A logger that keeps what it is told. */
function recordingLogger() {
  const lines: { level: keyof Logger; message: string }[] = [];
  const logger: Logger = {
    debug: () => {},
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
  return { logger, lines };
}

describe('this SDK against a gateway of a newer protocol', () => {
  let variant: ProtocolVariant | undefined;
  let redis: RedisServer | undefined;
  let gateway: GatewayProcess | undefined;
  let users = 0;

  beforeAll(async () => {
    variant = await writeProtocolVariant(newerProtocol());
    redis = await startRedis();
    gateway = await startGatewayProcess({
      entry: gatewayEntry,
      env: { ...variant.env, POSTBODE_REDIS_URL: redis.url },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await redis?.stop();
    await variant?.remove();
  });

  /** Appends envelopes to the gateway's stream for `user`, as a newer backend does. */
  async function publish(user: string, ...messages: { action: string; data: unknown }[]) {
    const client = (redis as RedisServer).client();
    try {
      for (const { action, data } of messages) {
        const envelope = { action, data, to: { users: [user] } };
        await client.xadd(DEFAULT_STREAM, '*', 'envelope', JSON.stringify(envelope));
      }
    } finally {
      client.disconnect();
    }
  }

  /** A connected client of a user no other test uses. */
  async function connectedClient(options: { validate: boolean; logger: Logger }) {
    users += 1;
    const user = `newer-${users}`;
    const client = createRealtimeClient({
      url: (gateway as GatewayProcess).url,
      token: await signTestToken({ sub: user }),
      ...options,
    });
    onTestFinished(() => client.disconnect());
    await waitUntil(() => client.status === 'connected', { description: `${user} connected` });
    return { user, client };
  }

  it('is a newer protocol with safe changes only', () => {
    const current = buildJsonSchema() as unknown as SchemaDocument;
    const findings = compareSchemas(current, newerProtocol());
    expect(findings.map((f) => [f.rule, f.level])).toEqual([
      ['property-added-optional', 'compatible'],
      ['action-added', 'compatible'],
    ]);
  });

  it('passes an unknown field through, and hands an unknown action to onAny only', async () => {
    const { logger, lines } = recordingLogger();
    const { user, client } = await connectedClient({ validate: false, logger });
    const handled: unknown[] = [];
    const any: string[] = [];
    client.on('message.created', (data) => handled.push(data));
    client.onAny((event) => any.push(event.action));
    await publish(
      user,
      { action: 'message.edited', data: { messageId: 'm-1', body: 'hoi!' } },
      { action: 'message.created', data: created('m-2', { editedAt: 1764250001000 }) },
    );
    await waitUntil(() => handled.length === 1, { description: 'message.created handled' });
    // The field the SDK does not know arrives as it was published.
    expect(handled).toEqual([created('m-2', { editedAt: 1764250001000 })]);
    // The action it does not know: no handler, no error; onAny sees it (its type says it cannot).
    expect(any).toEqual(['message.edited', 'message.created']);
    expect(lines).toEqual([]);
    expect(client.status).toBe('connected');
  });

  it('with validate: true, drops both and says why (its payload schemas are closed)', async () => {
    const { logger, lines } = recordingLogger();
    const { user, client } = await connectedClient({ validate: true, logger });
    const handled: string[] = [];
    client.on('message.created', (data) => handled.push(data.messageId));
    await publish(
      user,
      { action: 'message.edited', data: { messageId: 'm-1', body: 'hoi!' } },
      { action: 'message.created', data: created('m-2', { editedAt: 1764250001000 }) },
      { action: 'message.created', data: created('m-3') },
    );
    await waitUntil(() => handled.length === 1, { description: 'the known message handled' });
    expect(handled).toEqual(['m-3']);
    expect(lines).toHaveLength(2);
    expect(lines[0]?.message).toContain("'message.edited' is not an action of this protocol");
    expect(lines[1]?.message).toContain('editedAt');
    expect(client.status).toBe('connected');
  });
});
