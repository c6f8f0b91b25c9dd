// Redis commands per minute with N idle authenticated sockets on one gateway node (issue 12:
// presence must cost close to nothing per idle socket). Starts its own redis-server and the
// given gateway build, connects N sockets over bare WebSocket (Engine.IO 4 framing, 500 at a
// time, one user each on site `nl`), waits 10 s for the connect batches to settle, resets
// Redis's command statistics and counts every command over 60 s (commands run inside Lua
// scripts included). Run from bench/ after `pnpm build`:
//   node scripts/idle-redis-commands.mjs 19000 ../apps/gateway/dist/main.js
// and with another build (e.g. before a change) for the comparison.
import { signTestToken, startGatewayProcess, startRedis } from '@postbode/testkit';
import WebSocket from 'ws';

const N = Number(process.argv[2] ?? 19000);
const entry = process.argv[3];
const redis = await startRedis();
const gateway = await startGatewayProcess({
  entry,
  env: {
    POSTBODE_REDIS_URL: redis.url,
    POSTBODE_MAX_CONNECTIONS_PER_ADDRESS: '0',
    POSTBODE_HANDSHAKES_PER_MINUTE: '0',
    POSTBODE_LOG_LEVEL: 'warn',
  },
});
const url = `${gateway.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`;
let ready = 0;
const sockets = [];
const say = (line) => process.stdout.write(`${line}\n`);
const one = async (i) => {
  const token = await signTestToken({ sub: `idle-${i}`, site: 'nl' });
  await new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    sockets.push(ws);
    ws.on('message', (m) => {
      const s = m.toString();
      if (s[0] === '0') ws.send(`40${JSON.stringify({ token })}`);
      else if (s === '2') ws.send('3');
      else if (s.startsWith('40')) {
        ready++;
        resolve();
      } else if (s.startsWith('44')) reject(new Error(s));
    });
    ws.on('error', reject);
  });
};
const started = Date.now();
for (let i = 0; i < N; i += 500)
  await Promise.all(Array.from({ length: Math.min(500, N - i) }, (_, k) => one(i + k)));
say(`connected ${ready} in ${Date.now() - started} ms`);
const admin = redis.client();
await new Promise((r) => setTimeout(r, 10000)); // let the connect batches settle
say(`online in Redis (presence): ${await admin.zcard('postbode:presence:nl:online')}`);
await admin.config('RESETSTAT');
await new Promise((r) => setTimeout(r, 60000));
const info = await admin.info('commandstats');
let total = 0;
const per = [];
for (const line of info.split('\n')) {
  const m = /^cmdstat_(\w+):calls=(\d+)/.exec(line);
  if (m) {
    total += Number(m[2]);
    per.push(`${m[1]}=${m[2]}`);
  }
}
say(`commands in 60 s: ${total} (${per.join(' ')})`);
admin.disconnect();
for (const ws of sockets) ws.terminate();
await gateway.stop();
await redis.stop();
