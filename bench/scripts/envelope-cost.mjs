// What each envelope costs the gateway before the first socket, stage by stage, in-process with
// the gateway's own modules (BENCHMARKS.md, "What each envelope costs"): 100,000 envelopes of
// the bench publisher's shape, each stage timed over all of them in turn, 15 rounds
// interleaved, medians with the middle half of the rounds. CPU time of this thread
// (`process.cpuUsage`), so time the machine gives to others is not counted. Compares the two
// ways of encoding a message's frame: `JSON.stringify([action, data, meta])` (encodeEventFrame)
// and the publisher's bytes of `data` found by a scan (dataBytesOf + encodeMessageFrame, what
// the gateway delivers). Each stage's timing includes the collection of its own garbage. Run
// from bench/ after `pnpm build`:
//   node --expose-gc scripts/envelope-cost.mjs [<gateway dist directory>]
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const require = createRequire(import.meta.url);
const dist = resolve(
  process.argv[2] ?? join(dirname(require.resolve('@postbode/gateway/package.json')), 'dist'),
);
const load = (file) => import(pathToFileURL(join(dist, file)).href);
const { parseEnvelope } = await import(
  pathToFileURL(createRequire(join(dist, 'index.js')).resolve('@postbode/protocol')).href
);
const { encodeEventFrame, encodeMessageFrame } = await load('delivery/event-frame.js');
const { messageMeta } = await load('delivery/message-meta.js');
const { dataBytesOf } = await load('ingest/data-bytes.js');

const N = 100_000;
const ROUNDS = 15;
// As bench/src/publisher (publisher-main.ts and wire.ts) writes them: one user of 5,000 each.
const raws = [];
for (let i = 0; i < N; i++) {
  const user = (i * 7919) % 5000;
  const at = 1_764_500_000_000 + i * 0.137;
  const data = {
    messageId: `m${i + 1}`,
    conversationId: `c${user}`,
    senderId: '7',
    body: `t${at.toFixed(3)}`,
    sentAt: Math.floor(at),
  };
  raws.push(
    Buffer.from(
      `{"action":"message.created","data":${JSON.stringify(data)},"to":{"users":["${user}"]},"ts":${Math.floor(at)}}`,
    ),
  );
}
// The inputs of the later stages are built here, not by the gateway's functions: objects a
// function made that stay alive teach V8 to allocate that function's objects in the old
// generation from then on (allocation-site pretenuring), which would make the timed calls of
// `parseEnvelope` and `messageMeta` several times dearer than they are in the gateway, where
// what they make dies young.
const texts = raws.map((raw) => raw.toString('utf8'));
const envelopes = texts.map((text) => {
  const { action, data, to, ts } = JSON.parse(text);
  return { action, data, to: { users: [...to.users] }, site: 'default', ts };
});
const now = Date.now();
const metas = envelopes.map((_, i) => ({ id: `id-${i}`, ts: now, site: 'default' }));
const dataJsons = raws.map((raw) => {
  const bytes = dataBytesOf(raw);
  return raw.subarray(
    bytes.byteOffset - raw.byteOffset,
    bytes.byteOffset - raw.byteOffset + bytes.length,
  );
});

const stages = {
  'raw.toString': (i) => raws[i].toString('utf8'),
  'JSON.parse': (i) => JSON.parse(texts[i]),
  'parseEnvelope (parse, validate, normalise)': (i) => parseEnvelope(texts[i]),
  'messageMeta (random id)': (i) => messageMeta(envelopes[i], undefined, now),
  'JSON.stringify(data)': (i) => JSON.stringify(envelopes[i].data),
  'dataBytesOf (scan)': (i) => dataBytesOf(raws[i]),
  'frame: encodeEventFrame([action, data, meta])': (i) =>
    encodeEventFrame([envelopes[i].action, envelopes[i].data, metas[i]]),
  'frame: encodeMessageFrame, scanned bytes': (i) =>
    encodeMessageFrame(envelopes[i].action, envelopes[i].data, metas[i], dataJsons[i]),
  'frame: scan + encodeMessageFrame': (i) =>
    encodeMessageFrame(envelopes[i].action, envelopes[i].data, metas[i], dataBytesOf(raws[i])),
};
const samples = Object.fromEntries(Object.keys(stages).map((name) => [name, []]));
let sink = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, stage] of Object.entries(stages)) {
    // The garbage of the stage before is collected now, not while this one is timed.
    globalThis.gc();
    const before = process.cpuUsage();
    for (let i = 0; i < N; i++) if (stage(i)) sink++;
    const used = process.cpuUsage(before);
    samples[name].push(((used.user + used.system) * 1000) / N);
  }
}
const say = (line) => process.stdout.write(`${line}\n`);
say(`${N} envelopes of ${raws[0].length} bytes, ${ROUNDS} rounds; ns per envelope (CPU time)`);
for (const [name, values] of Object.entries(samples)) {
  values.sort((a, b) => a - b);
  const at = (q) => values[Math.floor(q * (values.length - 1))].toFixed(0);
  say(`${name.padEnd(48)} ${at(0.5).padStart(6)}  (${at(0.25)}–${at(0.75)})`);
}
if (sink === 0) throw new Error('nothing ran');
