// Runs laravel-echo-server 1.6.3 (the npm package, socket.io 2) as PHP teams deploy it, with
// the Redis subscriber on and public channels (its private channels call back to a Laravel
// HTTP endpoint, which this machine does not run).
import echoServer from 'laravel-echo-server';

const redisUrl = new URL(process.env.REDIS_URL as string);
await echoServer.run({
  host: '127.0.0.1',
  port: Number(process.env.PORT),
  authHost: 'http://127.0.0.1',
  database: 'redis',
  databaseConfig: { redis: { host: redisUrl.hostname, port: Number(redisUrl.port) } },
  devMode: false,
  protocol: 'http',
  subscribers: { http: false, redis: true },
});
process.stdout.write('BENCH_READY\n');
process.on('SIGTERM', () => process.exit(0));
