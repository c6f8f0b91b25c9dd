import type Type from 'typebox';
import { describe, expectTypeOf, it } from 'vitest';
import type { ErrorEvent as ErrorEventSchema } from '../src/client-events.js';
import type { ErrorCode } from '../src/core/error-codes.js';
import type { ErrorEvent, ErrorShape } from '../src/core/error-shape.js';
import type { Cursor, HandshakeAuth, SyncEvent } from '../src/core/sync.js';
import type { Cursor as CursorSchema } from '../src/cursor.js';
import type { ErrorCode as ErrorCodeSchema } from '../src/error-code.js';
import type { HandshakeAuth as HandshakeAuthSchema } from '../src/handshake-auth.js';
import type { SyncEvent as SyncEventSchema } from '../src/sync-event.js';

// The core states the static shapes as plain types; the schemas must describe exactly them.
describe('the schemas match the core types', () => {
  it('ErrorEvent', () => {
    expectTypeOf<Type.Static<typeof ErrorEventSchema>>().toEqualTypeOf<ErrorEvent>();
    expectTypeOf<ErrorEvent>().toEqualTypeOf<{ code: ErrorCode; message?: string }>();
  });

  it('ErrorCode', () => {
    expectTypeOf<Type.Static<typeof ErrorCodeSchema>>().toEqualTypeOf<ErrorCode>();
  });

  it('the contract 6 shapes: Cursor, HandshakeAuth, SyncEvent', () => {
    expectTypeOf<Type.Static<typeof CursorSchema>>().toEqualTypeOf<Cursor>();
    expectTypeOf<Type.Static<typeof HandshakeAuthSchema>>().toEqualTypeOf<HandshakeAuth>();
    expectTypeOf<Type.Static<typeof SyncEventSchema>>().toEqualTypeOf<SyncEvent>();
  });

  it('ErrorShape is an ErrorEvent with a message', () => {
    expectTypeOf<ErrorShape>().toEqualTypeOf<{ code: ErrorCode; message: string }>();
    expectTypeOf<ErrorShape>().toExtend<ErrorEvent>();
  });
});
