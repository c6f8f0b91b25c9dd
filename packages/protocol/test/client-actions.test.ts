import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { checkClientPayload } from '../src/check-client-payload.js';
import { clientActionNames, clientActions, isClientActionName } from '../src/client-actions.js';
import { defineClientAction } from '../src/define-client-action.js';
import { buildJsonSchema } from '../src/json-schema.js';
import { clientActionDefinitionName } from '../src/schema-keywords.js';
import { serverActions } from '../src/server-actions.js';

describe('client actions (contract 8)', () => {
  it('declares message.delivered and message.read for the backend, typing as a relay', () => {
    expect(clientActionNames).toEqual(['message.delivered', 'message.read', 'typing']);
    expect(clientActions['message.delivered'].route).toBe('backend');
    expect(clientActions['message.read'].route).toBe('backend');
    expect(clientActions.typing.route).toBe('relay');
    expect(isClientActionName('typing')).toBe(true);
    expect(isClientActionName('typing.changed')).toBe(false);
  });

  it.each(clientActionNames)('%s: its example is valid and its limits are positive', (name) => {
    const action = clientActions[name];
    expect(checkClientPayload(name, action.example)).toBeUndefined();
    expect(action.limits.burst).toBeGreaterThan(0);
    expect(action.limits.refillPerSecond).toBeGreaterThan(0);
    expect(JSON.stringify(action.example).length).toBeLessThan(action.limits.maxPayloadBytes);
  });

  it('rejects wrong payloads with the path of the first problem', () => {
    expect(checkClientPayload('message.read', { conversationId: 'c-1' })?.path).toBe(
      '/data/lastReadMessageId',
    );
    expect(
      checkClientPayload('message.delivered', { conversationId: 'c', messageIds: [] })?.path,
    ).toBe('/data/messageIds');
    expect(checkClientPayload('typing', { conversationId: 'c', to: '1', userId: '9' })?.path).toBe(
      '/data/userId',
    );
  });

  it('typing relays as typing.changed with the sender id, never one from the payload', () => {
    const relay = clientActions.typing.relay;
    expect(relay.serverAction).toBe('typing.changed');
    expect(Object.hasOwn(serverActions, relay.serverAction)).toBe(true);
    expect(relay.recipient({ conversationId: 'c-1', to: '42' })).toBe('42');
    expect(relay.payload({ conversationId: 'c-1', to: '42' }, '7')).toEqual({
      conversationId: 'c-1',
      userId: '7',
      typing: true,
    });
    expect(relay.payload({ conversationId: 'c-1', to: '42', typing: false }, '7').typing).toBe(
      false,
    );
  });

  it('refuses open payloads and non-positive limits', () => {
    expect(() =>
      defineClientAction('x.y', Type.Object({}), {
        description: 'd',
        example: {},
        route: 'backend',
        limits: { burst: 1, refillPerSecond: 1, maxPayloadBytes: 1 },
      }),
    ).toThrow(/additionalProperties/);
    expect(() =>
      defineClientAction('x.y', Type.Object({}, { additionalProperties: false }), {
        description: 'd',
        example: {},
        route: 'backend',
        limits: { burst: 0, refillPerSecond: 1, maxPayloadBytes: 1 },
      }),
    ).toThrow(/burst/);
  });

  it('is in the JSON Schema with its route and limits, beside the client event and its ack', () => {
    const defs = (buildJsonSchema() as { $defs: Record<string, Record<string, unknown>> }).$defs;
    expect(defs.ClientEvent).toBeDefined();
    expect(defs.ClientEventAck).toBeDefined();
    for (const name of clientActionNames) {
      const def = defs[clientActionDefinitionName(name)];
      expect(def?.['x-postbode-route']).toBe(clientActions[name].route);
      expect(def?.['x-postbode-limits']).toEqual({ ...clientActions[name].limits });
    }
    expect(defs['client:typing']?.['x-postbode-relay-as']).toBe('typing.changed');
  });
});
