import { scriptPath } from '../script-path.js';
import { startServerProcess } from './server-process.js';
import type { Target } from './target.js';

/**
 * laravel-echo-server 1.6.3: socket.io 2 (Engine.IO 3), public channels `user.<id>` and
 * `site`, Laravel's broadcast JSON on a Redis channel of the same name (PSUBSCRIBE `*`).
 */
export const laravelEchoTarget: Target = {
  id: 'laravel-echo-server',
  label: 'laravel-echo-server',
  versions: 'laravel-echo-server 1.6.3, socket.io 2.5, ioredis 4',
  eio: 3,
  join: 'subscribe',
  channels: ['user.{user}', 'site'],
  wire: { kind: 'laravel' },
  start: (context) =>
    startServerProcess({
      script: scriptPath('targets/laravel-echo-server-main.js'),
      env: { REDIS_URL: context.redisUrl },
      context,
      scheme: 'ws',
    }),
};
