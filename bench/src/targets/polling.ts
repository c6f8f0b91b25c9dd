import { scriptPath } from '../script-path.js';
import { startServerProcess } from './server-process.js';
import type { Target } from './target.js';

/** The legacy polling endpoint (`polling-server.ts`), for the legacy scenario only. */
export const pollingTarget: Target = {
  id: 'polling',
  label: 'legacy HTTP polling (every 2 s)',
  versions: 'node:http, ioredis 5.9.2',
  eio: 4,
  join: 'token',
  wire: { kind: 'inbox' },
  start: (context) =>
    startServerProcess({
      script: scriptPath('targets/polling-server.js'),
      env: { REDIS_URL: context.redisUrl },
      context,
      scheme: 'http',
    }),
};
