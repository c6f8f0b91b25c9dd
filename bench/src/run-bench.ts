import { cpus, loadavg, release, totalmem } from 'node:os';
import { type Calibration, calibrate } from './calibration/calibrate.js';
import { type Harness, type RedisCore, startHarness } from './harness.js';
import type { Measurement } from './measurement.js';
import type { BenchParameters } from './parameters.js';
import { type BenchReport, summarize } from './report/report.js';
import { connectStorm } from './scenarios/connect-storm.js';
import { historyMemory } from './scenarios/history-memory.js';
import { hostileEnvelope } from './scenarios/hostile-envelope.js';
import { legacy } from './scenarios/legacy.js';
import { receipts } from './scenarios/receipts.js';
import { RESUME_TARGET, reconnectStorm } from './scenarios/reconnect-storm.js';
import { secondGenerator, speaksSocketIo4 } from './scenarios/second-generator.js';
import { session } from './scenarios/session.js';
import { unbounded } from './scenarios/unbounded.js';
import { targetOrder } from './target-order.js';
import type { Target } from './targets/target.js';

const describeCalibration = (c: Calibration): string =>
  `${Math.round(c.rate)} loopback round trips/s (p50 ${c.p50.toFixed(3)} ms, p99 ${c.p99.toFixed(2)} ms, max ${c.max.toFixed(1)} ms)`;

/** Options of {@link runBench}. */
export interface RunBenchOptions {
  parameters: BenchParameters;
  /** Targets in the order they are interleaved; the first is the one compared (Postbode). */
  targets: Target[];
  /**
   * Run the legacy scenario (needs Postbode among the targets).
   * @default true
   */
  legacy?: boolean;
  /**
   * Run the scenarios on N connected clients (b, c, d).
   * @default true
   */
  session?: boolean;
  /**
   * Run unbounded publishing against every target (f).
   * @default true
   */
  unbounded?: boolean;
  /**
   * Run the reconnect storm and the history memory (g, h; need `postbode-stream` among the
   * targets).
   * @default true
   */
  durable?: boolean;
  /**
   * Run the large invalid envelope (i) against every Postbode build among the targets.
   * @default true
   */
  hostile?: boolean;
  /**
   * Run the connection storm (largest size), latency at the first rate and throughput again
   * with the second load generator, socket.io-client (a2, c2, b2), against every socket.io 4
   * target.
   * @default true
   */
  secondGenerator?: boolean;
  /**
   * Run the receipt cost (j): HTTP to php-fpm behind nginx against the socket and the PHP
   * consumer (needs php-fpm and nginx).
   * @default true
   */
  receipts?: boolean;
  /**
   * Pin servers and load to separate cores.
   * @default true
   */
  pin?: boolean;
  /**
   * The core Redis shares when pinned (harness.ts).
   * @default 'server'
   */
  redisCore?: RedisCore;
  /** Progress lines (the CLI prints them). */
  log?: (line: string) => void;
}

/**
 * Runs every scenario against every target with the same parameters, interleaved over the
 * repetitions and rotated (A B C, B C A, C A B: target-order.ts), with a calibration at the
 * start and the end.
 */
export async function runBench(options: RunBenchOptions): Promise<BenchReport> {
  const { parameters, targets } = options;
  const log = options.log ?? (() => undefined);
  const started = new Date();
  const loadAverageStart = loadavg();
  const users = Math.max(
    ...parameters.stormSizes,
    parameters.session.users,
    parameters.legacy.users,
    parameters.unbounded.users,
    parameters.resume.users,
  );
  const durable = (options.durable ?? true) && targets.some((t) => t.id === RESUME_TARGET);
  const harness: Harness = await startHarness({
    users,
    pin: options.pin ?? true,
    redisCore: options.redisCore,
  });
  const runs: BenchReport['runs'] = [];
  const errors: string[] = [];
  const record = (target: string, repetition: number, list: Measurement[]): void => {
    for (const measurement of list) runs.push({ ...measurement, target, repetition });
  };
  const attempt = async (what: string, task: () => Promise<void>): Promise<void> => {
    const at = Date.now();
    try {
      await task();
      log(`  ${what}: ${((Date.now() - at) / 1000).toFixed(1)} s`);
    } catch (error) {
      // One line, with what the process printed (a server that exits says why on stderr).
      const lines = (error as Error).message.split('\n').map((line) => line.trim());
      const message = `${what}: ${lines.filter((line) => line !== '').join(' | ')}`.slice(0, 600);
      errors.push(message);
      log(`  FAILED ${message}`);
    }
  };
  try {
    const calibrationStart = await calibrate(parameters.calibrationMs, harness.context.serverCpu);
    log(`calibration: ${describeCalibration(calibrationStart)}`);
    for (let repetition = 1; repetition <= parameters.repetitions; repetition++) {
      log(`repetition ${repetition} of ${parameters.repetitions}`);
      const ordered = targetOrder(targets, repetition);
      for (const size of parameters.stormSizes) {
        // A variant is the same server: nothing it changes happens in a connection storm.
        for (const target of ordered.filter((t) => t.variantOf === undefined)) {
          await attempt(`${target.id} storm ${size}`, async () => {
            record(target.id, repetition, await connectStorm(harness, target, size));
          });
        }
      }
      for (const target of options.session === false ? [] : ordered) {
        await attempt(`${target.id} session`, async () => {
          record(target.id, repetition, await session(harness, target, parameters.session));
        });
      }
      if (options.secondGenerator ?? true) {
        // `--storms=` (no storm): c2 and b2 alone.
        const stormSize =
          parameters.stormSizes.length === 0 ? undefined : Math.max(...parameters.stormSizes);
        for (const target of ordered.filter(speaksSocketIo4)) {
          await attempt(`${target.id} socket.io-client`, async () => {
            const list = await secondGenerator(harness, target, stormSize, parameters.session);
            record(target.id, repetition, list);
          });
        }
      }
      for (const target of options.unbounded === false ? [] : ordered) {
        await attempt(`${target.id} unbounded`, async () => {
          record(target.id, repetition, await unbounded(harness, target, parameters.unbounded));
        });
      }
      if (durable) {
        await attempt('reconnect storm', async () => {
          record(RESUME_TARGET, repetition, await reconnectStorm(harness, parameters.resume));
        });
        await attempt('history memory', async () => {
          const list = await historyMemory(harness, parameters.historyMemory);
          record(RESUME_TARGET, repetition, list);
        });
      }
      for (const target of options.hostile === false ? [] : ordered) {
        const entry = target.variantOf === undefined ? target.gatewayEntry : undefined;
        if (entry === undefined) continue;
        await attempt(`${target.id} hostile envelope`, async () => {
          const list = await hostileEnvelope(harness, entry, parameters.hostileEnvelope);
          record(target.id, repetition, list);
        });
      }
      const postbode = targets.find((target) => target.id === 'postbode');
      if ((options.legacy ?? true) && postbode !== undefined) {
        await attempt('legacy', async () => {
          const list = await legacy(harness, postbode, parameters.legacy);
          record('postbode', repetition, list);
        });
      }
      if (options.receipts ?? true) {
        await attempt('receipt cost', async () => {
          record('postbode', repetition, await receipts(harness, parameters.receipts));
        });
      }
    }
    const calibrationEnd = await calibrate(parameters.calibrationMs, harness.context.serverCpu);
    log(`calibration: ${describeCalibration(calibrationEnd)}`);
    const finished = new Date();
    const cpuList = cpus();
    return {
      schema: 1,
      parameters: parameters.name,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationSeconds: (finished.getTime() - started.getTime()) / 1000,
      machine: {
        cpus: cpuList.length,
        cpuModel: cpuList[0]?.model ?? 'unknown',
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        kernel: release(),
        node: process.version,
        pinned: harness.pinned,
        redisCore: harness.redisCore,
        loadAverageStart,
        loadAverageEnd: loadavg(),
      },
      calibration: { start: calibrationStart, end: calibrationEnd },
      targets: targets.map(({ id, label, versions, variantOf }) => ({
        id,
        label,
        versions,
        ...(variantOf === undefined ? {} : { variantOf }),
      })),
      settings: parameters,
      runs,
      summary: summarize(runs),
      errors,
    };
  } finally {
    await harness.close();
  }
}
