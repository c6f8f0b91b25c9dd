import { scriptPath } from '../script-path.js';
import { startServerProcess } from './server-process.js';
import type { Target } from './target.js';

/** socket.io 4 with `@socket.io/redis-adapter`, fed by `@socket.io/redis-emitter`. */
export const redisAdapterTarget: Target = {
  id: 'redis-adapter',
  label: 'socket.io + redis-adapter',
  versions: 'socket.io 4.8.4, @socket.io/redis-adapter 8.3.0, @socket.io/redis-emitter 5.1.0',
  eio: 4,
  join: 'token',
  wire: { kind: 'emitter' },
  start: (context) =>
    startServerProcess({
      script: scriptPath('targets/redis-adapter-server.js'),
      env: { REDIS_URL: context.redisUrl, JWT_SECRET: context.jwtSecret },
      context,
      scheme: 'ws',
    }),
};
