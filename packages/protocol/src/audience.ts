import Type from 'typebox';
import { MAX_AUDIENCE_ROLES, MAX_AUDIENCE_USERS } from './audience-limits.js';
import { RoleName, UserIdInput } from './primitives.js';

/**
 * Who a message is for: any combination of `users`, `roles` and `all` (everyone on the site).
 * Union semantics: a socket that matches several parts gets the message once. An audience
 * that names nobody is rejected with `EMPTY_AUDIENCE`.
 */
export const Audience = Type.Object(
  {
    users: Type.Optional(
      Type.Array(UserIdInput, {
        maxItems: MAX_AUDIENCE_USERS,
        description: 'User ids (the `sub` of their tokens).',
      }),
    ),
    roles: Type.Optional(
      Type.Array(RoleName, {
        maxItems: MAX_AUDIENCE_ROLES,
        description: 'Roles: every socket whose token has the role.',
      }),
    ),
    all: Type.Optional(Type.Boolean({ description: 'true: every socket of the site.' })),
  },
  { additionalProperties: false, description: 'Who the message is for (union semantics).' },
);

/** An audience as published (user ids may be integers). */
export type Audience = Type.Static<typeof Audience>;

/** An audience after {@link parseEnvelope}: user ids are strings, de-duplicated. */
export interface NormalizedAudience {
  users?: string[];
  roles?: string[];
  all?: boolean;
}

/** True when the audience addresses nobody. */
export function isEmptyAudience(audience: Audience | NormalizedAudience): boolean {
  return (
    audience.all !== true &&
    (audience.users === undefined || audience.users.length === 0) &&
    (audience.roles === undefined || audience.roles.length === 0)
  );
}
