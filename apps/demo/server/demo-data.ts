/** A demo user: the id is the token's `sub`, the site its `site`. */
export interface DemoUser {
  id: string;
  name: string;
  site: string;
}

/** Two sites (tenants) with three users each: messages never cross sites. */
export const DEMO_USERS: readonly DemoUser[] = [
  { id: '1', name: 'Anna', site: 'nl' },
  { id: '2', name: 'Bram', site: 'nl' },
  { id: '3', name: 'Carla', site: 'nl' },
  { id: '4', name: 'Daan', site: 'be' },
  { id: '5', name: 'Eva', site: 'be' },
  { id: '6', name: 'Finn', site: 'be' },
];

/** The 1-on-1 conversation of two users: `c-<lower id>-<higher id>`. */
export function conversationId(a: string, b: string): string {
  const [low, high] = Number(a) < Number(b) ? [a, b] : [b, a];
  return `c-${low}-${high}`;
}

/** The users of a conversation id, or undefined when it is not one. */
export function conversationUsers(id: string): [string, string] | undefined {
  const match = /^c-(\d+)-(\d+)$/.exec(id);
  return match === null ? undefined : [match[1] as string, match[2] as string];
}
