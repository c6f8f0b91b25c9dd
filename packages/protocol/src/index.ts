/**
 * `@postbode/protocol`: the contracts between the PHP backend, the gateway and the browser.
 * Schemas are TypeBox values; each type shares its schema's name. Everything of
 * `@postbode/protocol/core` (error codes, reserved events, defaults, `PostbodeError`) is
 * re-exported here too; browser code that needs only those imports the core, without TypeBox.
 * @packageDocumentation
 */
export { ConversationUnread } from './actions/conversation-unread.js';
export {
  Attachment,
  MAX_MESSAGE_BODY_LENGTH,
  MessageCreated,
} from './actions/message-created.js';
export { MessageDelivered } from './actions/message-delivered.js';
export { MessageRead } from './actions/message-read.js';
export { NotificationCreated } from './actions/notification-created.js';
export { PresenceChanged } from './actions/presence-changed.js';
export { SystemAnnouncement } from './actions/system-announcement.js';
export { TypingChanged } from './actions/typing-changed.js';
export { Audience, isEmptyAudience, type NormalizedAudience } from './audience.js';
export { MAX_AUDIENCE_ROLES, MAX_AUDIENCE_USERS } from './audience-limits.js';
export { checkClientPayload } from './check-client-payload.js';
export { checkPayload, isPayloadOf } from './check-payload.js';
export { Claims, type NormalizedClaims } from './claims.js';
export { MessageDeliveredReceipt } from './client-actions/message-delivered.js';
export { MessageReadReceipt } from './client-actions/message-read.js';
export { Typing } from './client-actions/typing.js';
export {
  type BackendClientActionName,
  type ClientActionName,
  type ClientActions,
  type ClientPayloadOf,
  clientActionNames,
  clientActions,
  isClientActionName,
} from './client-actions.js';
export { ClientEvent, ClientEventAck } from './client-event.js';
export { ErrorEvent } from './client-events.js';
// The TypeBox-free core.
export {
  BACKEND_EVENT_FIELDS,
  type BackendEvent,
  type BackendEventField,
  backendEventFields,
  CLIENT_EVENT,
  type ClientEventShape,
  compareOffsets,
  DEFAULT_CHANNEL,
  DEFAULT_EVENTS_STREAM,
  DEFAULT_MAX_ENVELOPE_BYTES,
  DEFAULT_SITE,
  DEFAULT_STREAM,
  ERROR_CODES,
  ERROR_EVENT,
  type ErrorShape,
  isErrorCode,
  isOffset,
  isReservedEventName,
  isSyncReason,
  PostbodeError,
  type PostbodeErrorOptions,
  PRESENCE_CHANGES_CHANNEL,
  PRESENCE_EVENT_ACTIONS,
  PRESENCE_KEY_PREFIX,
  PRESENCE_REASONS,
  PRESENCE_WATCH_LIMIT,
  type PresenceChange,
  type PresenceEventData,
  type PresenceReason,
  presenceLastSeenKey,
  presenceNodeKey,
  presenceOnlineKey,
  RESERVED_EVENTS,
  type ReservedEventName,
  SYNC_EVENT,
  SYNC_REASONS,
  type SyncReason,
  UNWATCH_EVENT,
  type UnwatchAck,
  WATCH_EVENT,
  type WatchAck,
  type WatchRequest,
} from './core.js';
export { Cursor, MAX_EPOCH_LENGTH, STREAM_ID_PATTERN } from './cursor.js';
export {
  ACTION_NAME_PATTERN,
  type ActionDefinition,
  type DefineActionOptions,
  defineAction,
} from './define-action.js';
export {
  CLIENT_ACTION_ROUTES,
  type ClientActionDefinition,
  type ClientActionLimits,
  type ClientActionRoute,
  type DefineClientActionOptions,
  defineClientAction,
  type RelayTarget,
} from './define-client-action.js';
export { echoText, MAX_ECHO_LENGTH } from './echo-text.js';
export { type AnyEnvelope, Envelope, type EnvelopeOf } from './envelope.js';
export { ErrorCode } from './error-code.js';
export { firstSchemaProblem } from './first-schema-problem.js';
export { formatSchemaError, type SchemaProblem } from './format-schema-error.js';
export { HandshakeAuth } from './handshake-auth.js';
export { buildJsonSchema, JSON_SCHEMA_ID } from './json-schema.js';
export { findJsonSyntaxProblem, type JsonSyntaxProblem } from './json-syntax-problem.js';
export { Meta } from './meta.js';
export { type ParseClaimsResult, parseClaims } from './parse-claims.js';
export {
  type EnvelopeError,
  type ParseEnvelopeOptions,
  type ParseEnvelopeResult,
  parseEnvelope,
} from './parse-envelope.js';
export {
  type FieldKind,
  Id,
  MAX_ID_LENGTH,
  MAX_INTEGER_ID,
  RoleName,
  SafeIntegerId,
  SiteName,
  Timestamp,
  UserIdInput,
} from './primitives.js';
export {
  clientActionDefinitionName,
  KIND_KEYWORD,
  LIMITS_KEYWORD,
  OPEN_ENUM_KEYWORD,
  RELAY_KEYWORD,
  ROUTE_KEYWORD,
} from './schema-keywords.js';
export {
  isServerActionName,
  type PayloadOf,
  type ServerActionName,
  type ServerActions,
  serverActionNames,
  serverActions,
} from './server-actions.js';
export type {
  ClientEventOf,
  ClientToServerEvents,
  ServerToClientEvents,
  SocketData,
} from './socket-events.js';
export { SyncEvent } from './sync-event.js';
export { utf8Length } from './utf8-length.js';
