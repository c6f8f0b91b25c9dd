// Preloaded into every server under test (`NODE_OPTIONS=--import .../probe.js`), so that all
// targets are measured the same way without touching their code: it pins the process to the
// server core, watches GC pauses, and answers a few questions on its own loopback port.
//   GET /memory     forced GC (twice), then process.memoryUsage() and the pid
//   GET /gc?reset=1 GC pauses since the last reset
//   GET /heap-snapshot?file=...  a heap snapshot after a forced GC
//   GET /profile/start, GET /profile/stop?file=...  V8 CPU profile (what --cpu-prof records)
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector';
import { writeHeapSnapshot } from 'node:v8';
import { startGcMonitor } from '../gc-monitor.js';
import { pinToCpu } from '../pin.js';

const port = Number(process.env.BENCH_PROBE_PORT);
const cpu = process.env.BENCH_PROBE_CPU;
// Keep the probe's own variables away from the target's children and configuration readers.
delete process.env.BENCH_PROBE_PORT;
delete process.env.BENCH_PROBE_CPU;
if (cpu !== undefined && cpu !== '') pinToCpu(process.pid, Number(cpu));
const gcMonitor = startGcMonitor();
let session: Session | undefined;

const forceGc = (): void => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
};

const post = (method: string, params?: object): Promise<unknown> =>
  new Promise((resolve, reject) => {
    session?.post(method, params ?? {}, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });

if (Number.isInteger(port) && port > 0) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://probe');
    const send = (body: unknown): void => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    const fail = (error: unknown): void => {
      res.statusCode = 500;
      send({ error: String(error) });
    };
    switch (url.pathname) {
      case '/memory':
        forceGc();
        send({ pid: process.pid, ...process.memoryUsage() });
        return;
      case '/heap-snapshot':
        forceGc();
        send({ file: writeHeapSnapshot(url.searchParams.get('file') ?? undefined) });
        return;
      case '/gc':
        send(gcMonitor.read(url.searchParams.get('reset') === '1'));
        return;
      case '/profile/start':
        session = new Session();
        session.connect();
        post('Profiler.enable')
          .then(() => post('Profiler.setSamplingInterval', { interval: 100 }))
          .then(() => post('Profiler.start'))
          .then(() => send({ ok: true }), fail);
        return;
      case '/profile/stop':
        post('Profiler.stop').then((result) => {
          const file = url.searchParams.get('file') ?? `profile-${process.pid}.cpuprofile`;
          writeFileSync(file, JSON.stringify((result as { profile: unknown }).profile));
          session?.disconnect();
          session = undefined;
          send({ ok: true, file });
        }, fail);
        return;
      default:
        res.statusCode = 404;
        send({ error: 'not found' });
    }
  });
  server.listen(port, '127.0.0.1');
  server.unref();
}
