import Type from 'typebox';
import { KIND_KEYWORD } from './schema-keywords.js';

/** The kinds a field can be annotated with, under {@link KIND_KEYWORD}. */
export type FieldKind = 'id' | 'timestamp';

/** Longest id accepted anywhere (user, message, conversation, envelope ids). */
export const MAX_ID_LENGTH = 128;

/** An identifier: a non-empty string of at most 128 characters. */
export function Id(description: string) {
  return Type.String({
    minLength: 1,
    maxLength: MAX_ID_LENGTH,
    description,
    [KIND_KEYWORD]: 'id',
  });
}

/** A point in time: integer milliseconds since the Unix epoch. */
export function Timestamp(description: string) {
  return Type.Integer({ minimum: 0, description, [KIND_KEYWORD]: 'timestamp' });
}

/**
 * A site (tenant) name. Letters, digits, `_`, `-` and `.` only, so that room names built from
 * it (`site:user`) can never collide across sites.
 */
export const SiteName = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.-]+$',
  description: 'The site (tenant): letters, digits, "_", "-" and "." only.',
});

/** A role name, as carried in a token's `roles` claim and an audience's `roles`. */
export const RoleName = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'A role name.',
});

/**
 * The largest integer id accepted (2^53 - 1): larger integers cannot pass through JSON in
 * JavaScript exactly (9007199254740993 parses as 9007199254740992), so two users would share a
 * room. Larger ids must be sent as strings.
 */
export const MAX_INTEGER_ID = Number.MAX_SAFE_INTEGER;

/** An integer id inside the range JSON carries exactly in JavaScript (±(2^53 - 1)). */
export const SafeIntegerId = Type.Integer({
  minimum: -MAX_INTEGER_ID,
  maximum: MAX_INTEGER_ID,
  description: 'An integer id within ±(2^53 - 1); send larger ids as strings.',
});

/**
 * A user id as publishers may send it: a string, or an integer within ±(2^53 - 1) (PHP ints),
 * normalised to a string.
 */
export const UserIdInput = Type.Union(
  [Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH }), SafeIntegerId],
  {
    description:
      'A user id: a string, or an integer within ±(2^53 - 1) that is normalised to a string (send larger ids as strings).',
  },
);
