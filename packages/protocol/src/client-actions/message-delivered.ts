import Type from 'typebox';
import { defineClientAction } from '../define-client-action.js';
import { Id } from '../primitives.js';

/** Client action `message.delivered`: this browser received messages (a delivery receipt). */
export const MessageDeliveredReceipt = defineClientAction(
  'message.delivered',
  Type.Object(
    {
      conversationId: Id('The conversation the messages belong to.'),
      messageIds: Type.Array(Id('A message that reached this browser.'), {
        minItems: 1,
        maxItems: 50,
        description: 'The messages that reached this browser (at most 50 per event).',
      }),
    },
    { additionalProperties: false },
  ),
  {
    description:
      "The sender's browser received these messages; the backend records the delivery (two grey checks).",
    example: { conversationId: 'c-9', messageIds: ['m-1', 'm-2'] },
    route: 'backend',
    limits: { burst: 20, refillPerSecond: 10, maxPayloadBytes: 8192 },
  },
);
