import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BODY_LENGTH } from '../src/actions/message-created.js';
import { checkPayload, isPayloadOf } from '../src/check-payload.js';
import { defineAction } from '../src/define-action.js';
import { parseEnvelope } from '../src/parse-envelope.js';
import { type ServerActionName, serverActionNames, serverActions } from '../src/server-actions.js';

/** Wrong payloads per action, each with the path and message fragment expected. */
const wrong: Record<ServerActionName, Array<[string, Record<string, unknown>, string, RegExp]>> = {
  'message.created': [
    ['missing field', { body: undefined }, '/data/body', /required/],
    ['integer id', { senderId: 7 }, '/data/senderId', /must be string/],
    ['empty id', { messageId: '' }, '/data/messageId', /fewer than 1/],
    ['body too long', { body: 'x'.repeat(MAX_MESSAGE_BODY_LENGTH + 1) }, '/data/body', /10000/],
    ['time as string', { sentAt: '2025-01-01' }, '/data/sentAt', /integer/],
    ['fractional time', { sentAt: 1.5 }, '/data/sentAt', /integer/],
    [
      'attachment without url',
      { attachments: [{ mimeType: 'image/png' }] },
      '/data/attachments/0/url',
      /required/,
    ],
    [
      'attachment with extra field',
      { attachments: [{ url: 'u', mimeType: 'm', size: 1 }] },
      '/data/attachments/0/size',
      /not an allowed property/,
    ],
    ['extra field', { bdy: 'typo' }, '/data/bdy', /not an allowed property/],
  ],
  'message.delivered': [
    ['empty messageIds', { messageIds: [] }, '/data/messageIds', /fewer than 1/],
    ['messageIds not array', { messageIds: 'm-1' }, '/data/messageIds', /array/],
    ['negative time', { deliveredAt: -1 }, '/data/deliveredAt', />= 0/],
  ],
  'typing.changed': [
    ['typing as string', { typing: 'yes' }, '/data/typing', /boolean/],
    ['missing user', { userId: undefined }, '/data/userId', /required/],
  ],
  'message.read': [
    ['missing reader', { readerId: undefined }, '/data/readerId', /required/],
    ['null id', { lastReadMessageId: null }, '/data/lastReadMessageId', /string/],
  ],
  'conversation.unread': [
    ['negative unread', { unread: -1 }, '/data/unread', />= 0/],
    ['fractional total', { totalUnread: 1.5 }, '/data/totalUnread', /integer/],
  ],
  'presence.changed': [
    ['unknown status', { status: 'busy' }, '/data/status', /one of "online", "away", "offline"/],
    ['lastSeenAt string', { lastSeenAt: 'now' }, '/data/lastSeenAt', /integer/],
  ],
  'notification.created': [
    ['empty title', { title: '' }, '/data/title', /fewer than 1/],
    ['missing kind', { kind: undefined }, '/data/kind', /required/],
  ],
  'system.announcement': [
    ['unknown level', { level: 'panic' }, '/data/level', /one of "info", "warning", "critical"/],
    ['empty text', { text: '' }, '/data/text', /fewer than 1/],
  ],
};

describe.each(serverActionNames)('action %s', (name) => {
  const action = serverActions[name];

  it('accepts its example', () => {
    expect(checkPayload(name, action.example)).toBeUndefined();
    expect(isPayloadOf(name, action.example)).toBe(true);
    const result = parseEnvelope({ action: name, data: action.example, to: { users: ['1'] } });
    expect(result.ok).toBe(true);
  });

  it('has a description', () => {
    expect(action.description.length).toBeGreaterThan(5);
  });

  it.each(wrong[name])('rejects a payload with %s', (_label, patch, path, message) => {
    const data: Record<string, unknown> = { ...action.example, ...patch };
    for (const [key, value] of Object.entries(patch)) if (value === undefined) delete data[key];
    const result = parseEnvelope({ action: name, data, to: { users: ['1'] } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_PAYLOAD');
    expect(result.error.path).toBe(path);
    expect(result.error.message).toMatch(message);
    expect(result.error.action).toBe(name);
    expect(checkPayload(name, data)?.path).toBe(path);
  });
});

describe('optional fields', () => {
  it('message.created accepts attachments', () => {
    const data = {
      ...serverActions['message.created'].example,
      attachments: [{ url: 'https://x/y.png', mimeType: 'image/png', name: 'y.png' }],
    };
    expect(checkPayload('message.created', data)).toBeUndefined();
  });

  it('presence.changed accepts lastSeenAt, system.announcement accepts until', () => {
    expect(
      checkPayload('presence.changed', { userId: '7', status: 'away', lastSeenAt: 1 }),
    ).toBeUndefined();
    expect(
      checkPayload('system.announcement', { text: 't', level: 'info', until: 2 }),
    ).toBeUndefined();
  });
});

describe('defineAction', () => {
  it('refuses names that are not noun.verb', () => {
    const payload = Type.Object({}, { additionalProperties: false });
    expect(() => defineAction('Message', payload, { description: 'd', example: {} })).toThrow(
      /noun.verb/,
    );
    expect(() =>
      defineAction('message created', payload, { description: 'd', example: {} }),
    ).toThrow(/noun.verb/);
  });

  it('refuses open payload schemas', () => {
    expect(() =>
      defineAction('thing.happened', Type.Object({}), { description: 'd', example: {} }),
    ).toThrow(/additionalProperties: false/);
  });

  it('registers every action under its own name', () => {
    for (const [key, action] of Object.entries(serverActions)) expect(action.name).toBe(key);
    expect(serverActionNames).toEqual([...serverActionNames].sort());
    expect(serverActionNames).toHaveLength(8);
  });
});
