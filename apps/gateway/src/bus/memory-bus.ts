import type { Bus, BusMessageHandler } from './bus.js';

/**
 * The embedded bus for development and the demo: one process, no Redis; messages come only
 * through `POST /publish`.
 */
export function createMemoryBus(onMessage: BusMessageHandler): Bus {
  let started = false;
  return {
    kind: 'memory',
    get ready() {
      return started;
    },
    async start() {
      started = true;
    },
    async publish(raw) {
      onMessage(raw, 'memory');
    },
    async close() {
      started = false;
    },
  };
}
