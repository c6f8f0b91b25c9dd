// socket.io 4 with @socket.io/redis-adapter: the backend publishes with
// @socket.io/redis-emitter, the adapter delivers to the rooms on this node. Same JWT check
// and rooms as the hand-written relay.
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { jwtVerify } from 'jose';
import { Server } from 'socket.io';

const key = new TextEncoder().encode(process.env.JWT_SECRET);
const pub = new Redis(process.env.REDIS_URL as string);
const sub = pub.duplicate();
const httpServer = createServer();
const io = new Server(httpServer, { adapter: createAdapter(pub, sub) });

io.use((socket, next) => {
  jwtVerify(String(socket.handshake.auth.token), key, { algorithms: ['HS256'] }).then(
    ({ payload }) => {
      socket.data.user = String(payload.sub);
      next();
    },
    () => next(new Error('unauthorized')),
  );
});
io.on('connection', (socket) => {
  socket.join(`u:${socket.data.user}`);
});

// Ready once the adapter's pattern subscription is in place.
for (let i = 0; i < 200 && Number(await pub.call('PUBSUB', 'NUMPAT')) < 1; i++) {
  await new Promise((resolve) => setTimeout(resolve, 25));
}
httpServer.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write('BENCH_READY\n');
});
process.on('SIGTERM', () => process.exit(0));
