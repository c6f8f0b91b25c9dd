import { laravelEchoTarget } from './laravel-echo.js';
import { postbodeStreamTarget, postbodeTarget } from './postbode.js';
import { redisAdapterTarget } from './redis-adapter.js';
import { relayTarget } from './relay.js';
import type { Target } from './target.js';

/**
 * Every target, Postbode first (the one the ratios are of), its stream-fed variant next to it
 * so that the two run close together in time.
 */
export const ALL_TARGETS: Target[] = [
  postbodeTarget,
  postbodeStreamTarget,
  relayTarget,
  redisAdapterTarget,
  laravelEchoTarget,
];
