import Type from 'typebox';
import { defineAction } from '../define-action.js';
import { Id } from '../primitives.js';

/**
 * `typing.changed`: another user of the site started or stopped typing to this one. Relayed by
 * the gateway from the client action `typing` (contract 8); never published by the backend.
 */
export const TypingChanged = defineAction(
  'typing.changed',
  Type.Object(
    {
      conversationId: Id('The conversation being typed in.'),
      userId: Id("Who is typing: from the sender's token, never from the sender's payload."),
      typing: Type.Boolean({ description: 'True while typing; false when stopped.' }),
    },
    { additionalProperties: false },
  ),
  {
    description:
      'A user started or stopped typing (relayed from the client action `typing`). Show it for a few seconds unless refreshed.',
    example: { conversationId: 'c-9', userId: '7', typing: true },
  },
);
