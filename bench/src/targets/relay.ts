import { scriptPath } from '../script-path.js';
import { startServerProcess } from './server-process.js';
import type { Target } from './target.js';

/** The hand-written socket.io 4 + ioredis relay (`relay-server.ts`, about 40 lines). */
export const relayTarget: Target = {
  id: 'relay',
  label: 'hand-written socket.io relay',
  versions: 'socket.io 4.8.4, ioredis 5.9.2, jose 6.2.18',
  eio: 4,
  join: 'token',
  wire: { kind: 'envelope', channel: 'relay' },
  start: (context) =>
    startServerProcess({
      script: scriptPath('targets/relay-server.js'),
      env: { REDIS_URL: context.redisUrl, JWT_SECRET: context.jwtSecret, CHANNEL: 'relay' },
      context,
      scheme: 'ws',
    }),
};
