import Type from 'typebox';
import { defineAction } from '../define-action.js';
import { Id, Timestamp } from '../primitives.js';

/** `message.delivered`: messages reached the recipient's device (two grey checks). */
export const MessageDelivered = defineAction(
  'message.delivered',
  Type.Object(
    {
      conversationId: Id('The conversation the messages belong to.'),
      messageIds: Type.Array(Id('A delivered message.'), {
        minItems: 1,
        maxItems: 1000,
        description: 'The messages that were delivered.',
      }),
      deliveredAt: Timestamp('When they were delivered.'),
    },
    { additionalProperties: false },
  ),
  {
    description: "Messages reached the recipient's device.",
    example: { conversationId: 'c-9', messageIds: ['m-1', 'm-2'], deliveredAt: 1764250001000 },
  },
);
