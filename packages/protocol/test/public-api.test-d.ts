import { describe, expectTypeOf, it } from 'vitest';
import type * as core from '../src/core.js';
import type * as protocol from '../src/index.js';

// Every type the main entry exports; a removed or renamed one fails to compile here.
type MainEntryTypes = [
  protocol.ActionDefinition,
  protocol.AnyEnvelope,
  protocol.Attachment,
  protocol.Audience,
  protocol.Claims,
  protocol.ClientToServerEvents,
  protocol.Cursor,
  protocol.DefineActionOptions,
  protocol.Envelope,
  protocol.EnvelopeError,
  protocol.EnvelopeOf<'message.created'>,
  protocol.ErrorCode,
  protocol.ErrorEvent,
  protocol.ErrorShape,
  protocol.FieldKind,
  protocol.HandshakeAuth,
  protocol.Meta,
  protocol.NormalizedAudience,
  protocol.NormalizedClaims,
  protocol.ParseClaimsResult,
  protocol.ParseEnvelopeOptions,
  protocol.ParseEnvelopeResult,
  protocol.PayloadOf<'message.created'>,
  protocol.PostbodeErrorOptions,
  protocol.ReservedEventName,
  protocol.SchemaProblem,
  protocol.ServerActionName,
  protocol.ServerActions,
  protocol.ServerToClientEvents,
  protocol.SocketData,
  protocol.SyncEvent,
  protocol.SyncReason,
];

describe('the main entry', () => {
  it('exports its types', () => {
    expectTypeOf<MainEntryTypes>().not.toBeAny();
  });

  it('exports the core types as the core does', () => {
    expectTypeOf<protocol.ErrorCode>().toEqualTypeOf<core.ErrorCode>();
    expectTypeOf<protocol.ErrorEvent>().toEqualTypeOf<core.ErrorEvent>();
    expectTypeOf<protocol.ErrorShape>().toEqualTypeOf<core.ErrorShape>();
    expectTypeOf<protocol.ReservedEventName>().toEqualTypeOf<core.ReservedEventName>();
    expectTypeOf<protocol.PostbodeErrorOptions>().toEqualTypeOf<core.PostbodeErrorOptions>();
    expectTypeOf<protocol.Cursor>().toEqualTypeOf<core.Cursor>();
    expectTypeOf<protocol.HandshakeAuth>().toEqualTypeOf<core.HandshakeAuth>();
    expectTypeOf<protocol.SyncEvent>().toEqualTypeOf<core.SyncEvent>();
  });
});
