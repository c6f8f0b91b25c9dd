import { laravelEchoTarget } from './laravel-echo.js';
import { postbodeTarget } from './postbode.js';
import { redisAdapterTarget } from './redis-adapter.js';
import { relayTarget } from './relay.js';
import type { Target } from './target.js';

/** Every target, Postbode first (the one the ratios are of). */
export const ALL_TARGETS: Target[] = [
  postbodeTarget,
  relayTarget,
  redisAdapterTarget,
  laravelEchoTarget,
];
