import Type from 'typebox';
import { defineAction } from '../define-action.js';
import { Id, Timestamp } from '../primitives.js';

/** `presence.changed`: a user came online, went away or went offline. */
export const PresenceChanged = defineAction(
  'presence.changed',
  Type.Object(
    {
      userId: Id('The user whose presence changed.'),
      status: Type.Enum(['online', 'away', 'offline'], { description: 'The new status.' }),
      lastSeenAt: Type.Optional(Timestamp('When the user was last active.')),
    },
    { additionalProperties: false },
  ),
  {
    description: 'A user came online, went away or went offline.',
    example: { userId: '7', status: 'online' },
  },
);
