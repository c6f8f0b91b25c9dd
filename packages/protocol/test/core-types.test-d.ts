import type Type from 'typebox';
import { describe, expectTypeOf, it } from 'vitest';
import type { ErrorEvent as ErrorEventSchema } from '../src/client-events.js';
import type { ErrorCode } from '../src/core/error-codes.js';
import type { ErrorEvent, ErrorShape } from '../src/core/error-shape.js';
import type { ErrorCode as ErrorCodeSchema } from '../src/error-code.js';

// The core states the static shapes as plain types; the schemas must describe exactly them.
describe('the schemas match the core types', () => {
  it('ErrorEvent', () => {
    expectTypeOf<Type.Static<typeof ErrorEventSchema>>().toEqualTypeOf<ErrorEvent>();
    expectTypeOf<ErrorEvent>().toEqualTypeOf<{ code: ErrorCode; message?: string }>();
  });

  it('ErrorCode', () => {
    expectTypeOf<Type.Static<typeof ErrorCodeSchema>>().toEqualTypeOf<ErrorCode>();
  });

  it('ErrorShape is an ErrorEvent with a message', () => {
    expectTypeOf<ErrorShape>().toEqualTypeOf<{ code: ErrorCode; message: string }>();
    expectTypeOf<ErrorShape>().toExtend<ErrorEvent>();
  });
});
