import Type from 'typebox';
import { defineClientAction } from '../define-client-action.js';
import { Id } from '../primitives.js';

/** Client action `message.read`: the user read a conversation up to a message (a read receipt). */
export const MessageReadReceipt = defineClientAction(
  'message.read',
  Type.Object(
    {
      conversationId: Id('The conversation that was read.'),
      lastReadMessageId: Id('Every message up to and including this one has been read.'),
    },
    { additionalProperties: false },
  ),
  {
    description:
      'The user read the conversation up to and including a message; the backend records it (two blue checks).',
    example: { conversationId: 'c-9', lastReadMessageId: 'm-2' },
    route: 'backend',
    limits: { burst: 10, refillPerSecond: 5, maxPayloadBytes: 1024 },
  },
);
