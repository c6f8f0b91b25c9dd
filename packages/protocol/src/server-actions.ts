import type Type from 'typebox';
import { ConversationUnread } from './actions/conversation-unread.js';
import { MessageCreated } from './actions/message-created.js';
import { MessageDelivered } from './actions/message-delivered.js';
import { MessageRead } from './actions/message-read.js';
import { NotificationCreated } from './actions/notification-created.js';
import { PresenceChanged } from './actions/presence-changed.js';
import { SystemAnnouncement } from './actions/system-announcement.js';
import { TypingChanged } from './actions/typing-changed.js';
import type { ActionDefinition } from './define-action.js';

/**
 * The registry of server actions (messages the backend publishes and browsers receive),
 * keyed by name. To add an action: define it in `src/actions/`, add it here, run
 * `pnpm generate`, commit what changed.
 */
export const serverActions = {
  [ConversationUnread.name]: ConversationUnread,
  [MessageCreated.name]: MessageCreated,
  [MessageDelivered.name]: MessageDelivered,
  [MessageRead.name]: MessageRead,
  [NotificationCreated.name]: NotificationCreated,
  [PresenceChanged.name]: PresenceChanged,
  [SystemAnnouncement.name]: SystemAnnouncement,
  [TypingChanged.name]: TypingChanged,
} as const satisfies Record<string, ActionDefinition>;

/** The registry's type. */
export type ServerActions = typeof serverActions;

/** The name of a server action, e.g. `'message.created'`. */
export type ServerActionName = keyof ServerActions;

/** The payload (`data`) type of a server action: `PayloadOf<'message.created'>['body']` is a string. */
export type PayloadOf<A extends ServerActionName> = Type.Static<ServerActions[A]['payload']>;

/** Every server action's name, sorted. */
export const serverActionNames: readonly ServerActionName[] = Object.freeze(
  (Object.keys(serverActions) as ServerActionName[]).sort(),
);

/** True when `name` is a server action. */
export function isServerActionName(name: unknown): name is ServerActionName {
  return typeof name === 'string' && Object.hasOwn(serverActions, name);
}
