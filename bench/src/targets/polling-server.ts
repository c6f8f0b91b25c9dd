// The legacy system's polling endpoint, as lean as it can be written: each browser asks
// GET /poll?user=<id> every 2 s and gets what arrived for it since (one Redis round trip,
// standing in for the database query). The real PHP endpoint costs more per request, so
// the CPU ratio against it is a lower bound.
import { createServer } from 'node:http';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL as string);
const server = createServer((req, res) => {
  const user = new URL(req.url ?? '/', 'http://legacy').searchParams.get('user');
  if (user === null) {
    res.statusCode = 400;
    res.end();
    return;
  }
  redis.lpop(`inbox:${user}`, 1000).then(
    (messages) => {
      res.setHeader('content-type', 'application/json');
      res.end(`[${(messages ?? []).join(',')}]`);
    },
    () => {
      res.statusCode = 503;
      res.end();
    },
  );
});
server.keepAliveTimeout = 10_000;
await redis.ping();
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write('BENCH_READY\n');
});
process.on('SIGTERM', () => process.exit(0));
