import type { Bus } from './bus.js';
import type { DecodedEnvelope } from './decoded-envelope.js';

/**
 * The embedded bus for development and the demo: one process, no Redis; messages come only
 * through `POST /publish`, already decoded by the edge, and go straight to `dispatch`.
 */
export function createMemoryBus(dispatch: (envelope: DecodedEnvelope) => void): Bus {
  let started = false;
  return {
    kind: 'memory',
    get ready() {
      return started;
    },
    async start() {
      started = true;
    },
    async publish(envelope) {
      dispatch(envelope);
    },
    async close() {
      started = false;
    },
  };
}
