import Type from 'typebox';
import { defineAction } from '../define-action.js';
import { Id, Timestamp } from '../primitives.js';

/** Longest message body accepted, in characters. */
export const MAX_MESSAGE_BODY_LENGTH = 10_000;

/** A file attached to a message. */
export const Attachment = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: 'Where the file can be fetched.',
    }),
    mimeType: Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'The MIME type, e.g. image/jpeg.',
    }),
    name: Type.Optional(Type.String({ maxLength: 255, description: 'The file name to show.' })),
  },
  { additionalProperties: false, description: 'A file attached to a message.' },
);

/** A file attached to a message. */
export type Attachment = Type.Static<typeof Attachment>;

/** `message.created`: a new message in a conversation. */
export const MessageCreated = defineAction(
  'message.created',
  Type.Object(
    {
      messageId: Id('The id of the new message.'),
      conversationId: Id('The conversation it belongs to.'),
      senderId: Id('The user who sent it.'),
      body: Type.String({
        maxLength: MAX_MESSAGE_BODY_LENGTH,
        description: 'The text of the message.',
      }),
      sentAt: Timestamp('When it was sent.'),
      attachments: Type.Optional(
        Type.Array(Attachment, { maxItems: 20, description: 'Files attached to the message.' }),
      ),
    },
    { additionalProperties: false },
  ),
  {
    description: 'A new message was posted in a conversation.',
    example: {
      messageId: 'm-1',
      conversationId: 'c-9',
      senderId: '7',
      body: 'hoi',
      sentAt: 1764250000000,
    },
  },
);
