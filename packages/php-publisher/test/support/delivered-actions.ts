import { type Meta, serverActionNames } from '@postbode/protocol';
import type { recordEvents } from '@postbode/testkit';

/** One action a socket received (DESIGN contract 3): its name, its data and its meta. */
export interface DeliveredAction {
  event: string;
  data: unknown;
  meta: Meta;
}

const ACTIONS = new Set<string>(serverActionNames);

/**
 * The server actions among the events `recordEvents` recorded, in order, with their two
 * arguments named; the protocol's own `postbode:` events (errors, syncs) are left out.
 */
export function deliveredActions(events: ReturnType<typeof recordEvents>): DeliveredAction[] {
  return events
    .filter(({ event }) => ACTIONS.has(event))
    .map(({ event, args }) => ({ event, data: args[0], meta: args[1] as Meta }));
}
