import Type from 'typebox';
import { defineAction } from '../define-action.js';
import { Id } from '../primitives.js';

/** `conversation.unread`: the recipient's unread counters changed. */
export const ConversationUnread = defineAction(
  'conversation.unread',
  Type.Object(
    {
      conversationId: Id('The conversation whose counter changed.'),
      unread: Type.Integer({ minimum: 0, description: 'Unread messages in this conversation.' }),
      totalUnread: Type.Integer({
        minimum: 0,
        description: 'Unread messages in all conversations of the user.',
      }),
    },
    { additionalProperties: false },
  ),
  {
    description: "A user's unread counters changed.",
    example: { conversationId: 'c-9', unread: 2, totalUnread: 5 },
  },
);
