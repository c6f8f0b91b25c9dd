import { once } from 'node:events';
import { connect } from 'node:net';
import { spawnProcessGroup, stopProcessGroup } from '@postbode/testkit';
import { now } from '../clock.js';
import { pinToCpu } from '../pin.js';
import { scriptPath } from '../script-path.js';
import { summarizeLatency } from '../stats.js';

/** What the calibration measured. */
export interface Calibration {
  /** Round trips per second. */
  rate: number;
  /** Round-trip times, ms: the floor under every latency this machine can show. */
  p50: number;
  p99: number;
  max: number;
}

/**
 * Loopback echo rate: round trips per second of a 64-byte message between this process (the
 * load core) and an echo server on the server core, one in flight, with the round-trip time
 * percentiles. Run at the start and the end of a run: a drop says the machine got busier.
 */
export async function calibrate(
  durationMs: number,
  serverCpu: number | undefined,
): Promise<Calibration> {
  const child = spawnProcessGroup(process.execPath, [scriptPath('calibration/echo-server.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    if (serverCpu !== undefined && child.pid !== undefined) pinToCpu(child.pid, serverCpu);
    const [line] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    const socket = connect(Number(line.toString().trim()), '127.0.0.1');
    socket.setNoDelay(true);
    await once(socket, 'connect');
    const message = Buffer.alloc(64, 0x61);
    const times: number[] = [];
    let pending = 0;
    let sentAt = 0;
    const started = now();
    const end = started + durationMs;
    await new Promise<void>((resolve) => {
      const send = (): void => {
        pending = message.length;
        sentAt = now();
        socket.write(message);
      };
      socket.on('data', (chunk: Buffer) => {
        pending -= chunk.length;
        if (pending > 0) return;
        const at = now();
        times.push(at - sentAt);
        if (at >= end) return resolve();
        send();
      });
      send();
    });
    const rate = times.length / ((now() - started) / 1000);
    socket.destroy();
    const summary = summarizeLatency(Float64Array.from(times));
    return { rate, p50: summary.p50, p99: summary.p99, max: summary.max };
  } finally {
    await stopProcessGroup(child);
  }
}
