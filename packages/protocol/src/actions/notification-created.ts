import Type from 'typebox';
import { defineAction } from '../define-action.js';
import { Id, Timestamp } from '../primitives.js';

/** `notification.created`: something to show in the user's notification list. */
export const NotificationCreated = defineAction(
  'notification.created',
  Type.Object(
    {
      notificationId: Id('The id of the notification.'),
      kind: Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'What kind of notification, e.g. "match" or "like".',
      }),
      title: Type.String({ minLength: 1, maxLength: 200, description: 'The headline.' }),
      body: Type.Optional(Type.String({ maxLength: 2000, description: 'More text.' })),
      url: Type.Optional(
        Type.String({ minLength: 1, maxLength: 2048, description: 'Where a click leads.' }),
      ),
      createdAt: Timestamp('When it was created.'),
    },
    { additionalProperties: false },
  ),
  {
    description: 'A notification for the user.',
    example: {
      notificationId: 'n-1',
      kind: 'match',
      title: 'You have a new match',
      createdAt: 1764250003000,
    },
  },
);
