import { type ClientActionName, clientActions } from '@postbode/protocol';
import { createTokenBucket, type TokenBucket } from './token-bucket.js';

/** How many refusals a socket may earn before it is disconnected (see {@link SocketLimits}). */
export interface RefusalBudget {
  /**
   * Refusals a socket may earn at once.
   * @default 20
   */
  burst: number;
  /**
   * Refusals forgiven per second.
   * @default 1
   */
  refillPerSecond: number;
}

/** The defaults of {@link RefusalBudget}. */
export const REFUSAL_BUDGET_DEFAULTS: RefusalBudget = { burst: 20, refillPerSecond: 1 };

/**
 * One socket's limits (contract 8): a token bucket per client action (the action's own `burst`
 * and `refillPerSecond`, created on first use), and a budget of refusals. Every refused event
 * (rate-limited, oversized, malformed, unknown, not allowed) spends one unit of the budget;
 * when it is spent the socket keeps sending past its limits and is disconnected. With the
 * defaults: more than 20 refusals in a burst, or a sustained rate above one refusal a second.
 * Refusals the gateway causes (`UNAVAILABLE`) spend nothing.
 */
export interface SocketLimits {
  /** Takes a token of `action`'s bucket; false: rate-limited. */
  take(action: ClientActionName, now: number): boolean;
  /** Spends one refusal; false when the budget is spent (disconnect the socket). */
  refuse(now: number): boolean;
}

/** Creates the limits of one socket. */
export function createSocketLimits(budget: RefusalBudget): SocketLimits {
  const buckets = new Map<ClientActionName, TokenBucket>();
  const refusals = createTokenBucket(budget.burst, budget.refillPerSecond);
  return {
    take(action, now) {
      let bucket = buckets.get(action);
      if (bucket === undefined) {
        const { burst, refillPerSecond } = clientActions[action].limits;
        bucket = createTokenBucket(burst, refillPerSecond);
        buckets.set(action, bucket);
      }
      return bucket.take(now);
    },
    refuse(now) {
      return refusals.take(now);
    },
  };
}
