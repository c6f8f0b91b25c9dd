import Type from 'typebox';
import { defineAction } from '../define-action.js';
import { Timestamp } from '../primitives.js';

/** `system.announcement`: a banner for everyone it is sent to (maintenance, incidents). */
export const SystemAnnouncement = defineAction(
  'system.announcement',
  Type.Object(
    {
      text: Type.String({ minLength: 1, maxLength: 1000, description: 'The text of the banner.' }),
      level: Type.Enum(['info', 'warning', 'critical'], { description: 'How urgent it is.' }),
      until: Type.Optional(Timestamp('When to stop showing it.')),
    },
    { additionalProperties: false },
  ),
  {
    description: 'An announcement banner (maintenance, incidents).',
    example: { text: 'Maintenance tonight at 23:00', level: 'warning' },
  },
);
