// The hand-written relay a team writes when it does not use a gateway: socket.io 4, one Redis
// channel, a room per user, a JWT checked with jose, no validation of what comes from Redis.
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { jwtVerify } from 'jose';
import { Server } from 'socket.io';

const key = new TextEncoder().encode(process.env.JWT_SECRET);
const httpServer = createServer();
const io = new Server(httpServer);

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

const subscriber = new Redis(process.env.REDIS_URL as string);
subscriber.on('message', (_channel: string, message: string) => {
  const { action, data, to } = JSON.parse(message);
  if (to.all) io.emit(action, data);
  else io.to(to.users.map((user: string) => `u:${user}`)).emit(action, data);
});
await subscriber.subscribe(process.env.CHANNEL ?? 'relay');
httpServer.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write('BENCH_READY\n');
});
process.on('SIGTERM', () => process.exit(0));
