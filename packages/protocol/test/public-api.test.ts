import { describe, expect, it } from 'vitest';
import * as core from '../src/core.js';
import * as protocol from '../src/index.js';

// The subject here is the public entries themselves, so this file imports them, not modules.
describe('@postbode/protocol (main entry)', () => {
  it('exports exactly these values (other packages import them: remove none by accident)', () => {
    expect(Object.keys(protocol).sort()).toEqual(
      [
        'ACTION_NAME_PATTERN',
        'Attachment',
        'Audience',
        'buildJsonSchema',
        'checkPayload',
        'compareOffsets',
        'Claims',
        'ConversationUnread',
        'Cursor',
        'DEFAULT_CHANNEL',
        'DEFAULT_MAX_ENVELOPE_BYTES',
        'DEFAULT_SITE',
        'DEFAULT_STREAM',
        'defineAction',
        'Envelope',
        'ERROR_CODES',
        'ERROR_EVENT',
        'ErrorCode',
        'ErrorEvent',
        'formatSchemaError',
        'HandshakeAuth',
        'Id',
        'isEmptyAudience',
        'isErrorCode',
        'isOffset',
        'isPayloadOf',
        'isReservedEventName',
        'isServerActionName',
        'isSyncReason',
        'JSON_SCHEMA_ID',
        'KIND_KEYWORD',
        'MAX_EPOCH_LENGTH',
        'MAX_ID_LENGTH',
        'MAX_MESSAGE_BODY_LENGTH',
        'MessageCreated',
        'MessageDelivered',
        'MessageRead',
        'Meta',
        'NotificationCreated',
        'OPEN_ENUM_KEYWORD',
        'parseClaims',
        'parseEnvelope',
        'PostbodeError',
        'PresenceChanged',
        'RESERVED_EVENTS',
        'PRESENCE_EVENT_ACTIONS',
        'PRESENCE_CHANGES_CHANNEL',
        'PRESENCE_KEY_PREFIX',
        'PRESENCE_REASONS',
        'PRESENCE_WATCH_LIMIT',
        'presenceLastSeenKey',
        'presenceNodeKey',
        'presenceOnlineKey',
        'BACKEND_EVENT_FIELDS',
        'backendEventFields',
        'CLIENT_EVENT',
        'DEFAULT_EVENTS_STREAM',
        'UNWATCH_EVENT',
        'WATCH_EVENT',
        'RoleName',
        'SiteName',
        'STREAM_ID_PATTERN',
        'SYNC_EVENT',
        'SYNC_REASONS',
        'SyncEvent',
        'SystemAnnouncement',
        'serverActionNames',
        'serverActions',
        'Timestamp',
        'UserIdInput',
        'utf8Length',
      ].sort(),
    );
  });

  it('re-exports every value of the core as it is', () => {
    const main = protocol as Record<string, unknown>;
    for (const [name, value] of Object.entries(core)) expect(main[name], name).toBe(value);
  });
});
