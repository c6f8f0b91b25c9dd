/**
 * Most user ids in one envelope's `to.users`. A message for more users goes to a role or to
 * `all: true`, or is published in several envelopes.
 */
export const MAX_AUDIENCE_USERS = 10_000;

/** Most roles in one envelope's `to.roles`, and in one token's `roles` claim. */
export const MAX_AUDIENCE_ROLES = 100;
