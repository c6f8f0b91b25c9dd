import Type from 'typebox';
import { defineClientAction } from '../define-client-action.js';
import { Id } from '../primitives.js';

/**
 * Client action `typing`: relayed to one user of the same site as the server action
 * `typing.changed`; never stored, never seen by the backend.
 */
export const Typing = defineClientAction(
  'typing',
  Type.Object(
    {
      conversationId: Id('The conversation being typed in.'),
      to: Id('The user to tell (same site as the sender).'),
      typing: Type.Optional(
        Type.Boolean({ description: 'False when the user stopped typing; true when absent.' }),
      ),
    },
    { additionalProperties: false },
  ),
  {
    description:
      'The user is typing to another user of the same site; relayed as `typing.changed`, never stored.',
    example: { conversationId: 'c-9', to: '42' },
    route: 'relay',
    limits: { burst: 10, refillPerSecond: 2, maxPayloadBytes: 512 },
    relay: {
      serverAction: 'typing.changed',
      recipient: (data) => data.to,
      payload: (data, senderId) => ({
        conversationId: data.conversationId,
        userId: senderId,
        typing: data.typing ?? true,
      }),
    },
  },
);
