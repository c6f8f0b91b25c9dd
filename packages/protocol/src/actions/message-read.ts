import Type from 'typebox';
import { defineAction } from '../define-action.js';
import { Id, Timestamp } from '../primitives.js';

/** `message.read`: a read receipt (two blue checks) up to and including a message. */
export const MessageRead = defineAction(
  'message.read',
  Type.Object(
    {
      conversationId: Id('The conversation that was read.'),
      readerId: Id('The user who read it.'),
      lastReadMessageId: Id('Every message up to and including this one has been read.'),
      readAt: Timestamp('When it was read.'),
    },
    { additionalProperties: false },
  ),
  {
    description: 'A user read a conversation up to a message.',
    example: {
      conversationId: 'c-9',
      readerId: '42',
      lastReadMessageId: 'm-2',
      readAt: 1764250002000,
    },
  },
);
