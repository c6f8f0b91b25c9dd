import { describe, expect, it } from 'vitest';
import {
  postbodeStreamTarget,
  postbodeTarget,
  relayTarget,
  renderMarkdown,
  runBench,
  SMOKE,
} from '../src/index.js';

// Runs the whole harness (built to dist/ by `pnpm test`'s build step) on a tiny N against
// Postbode (fed by PUBLISH and by its stream) and the hand-written relay. It checks that
// messages arrive and that the report has its shape; it asserts no timing, ever.
describe('pnpm bench harness (smoke)', () => {
  it('runs every scenario against Postbode (pub/sub and stream) and the relay and reports what was delivered', async () => {
    // Not pinned: taskset would pin the test worker, and the tests that share it, to one core.
    const report = await runBench({
      parameters: SMOKE,
      targets: [postbodeTarget, postbodeStreamTarget, relayTarget],
      pin: false,
    });
    expect(report.errors).toEqual([]);
    expect(report.schema).toBe(1);
    expect(report.targets.map((target) => target.id)).toEqual([
      'postbode',
      'postbode-stream',
      'relay',
    ]);
    expect(report.calibration.start.rate).toBeGreaterThan(0);
    expect(report.calibration.end.rate).toBeGreaterThan(0);
    expect(report.machine.cpus).toBeGreaterThan(0);

    const median = (key: string, target: string): number | undefined =>
      report.summary.find((row) => row.key === key)?.byTarget[target]?.median;
    for (const target of ['postbode', 'relay']) {
      expect(median('storm.50.failed', target), `${target} storm failures`).toBe(0);
      expect(median('storm.50.rssPerSocket', target)).toEqual(expect.any(Number));
    }
    // The second generator (socket.io-client) confirms the storm, latency and throughput figures.
    for (const target of ['postbode', 'relay']) {
      expect(median('storm-sioc.50.failed', target), `${target} socket.io-client storm`).toBe(0);
      expect(median('storm-sioc.50.cpuMsPerConn', target)).toEqual(expect.any(Number));
      expect(median('latency-sioc.200.lost', target), `${target} socket.io-client lost`).toBe(0);
      expect(median('latency-sioc.200.p99', target)).toBeGreaterThan(0);
      expect(median('throughput-sioc.ratio', target), `${target} socket.io-client delivered`).toBe(
        1,
      );
      expect(median('throughput-sioc.cpuMsPer1k', target)).toEqual(expect.any(Number));
    }
    // The stream-fed variant is the same server: it skips the storms.
    expect(median('storm.50.failed', 'postbode-stream')).toBeUndefined();
    for (const target of ['postbode', 'postbode-stream', 'relay']) {
      expect(median('latency.200.lost', target), `${target} messages lost`).toBe(0);
      expect(median('latency.200.p50', target)).toEqual(expect.any(Number));
      expect(median('latency.200.waitLoadgen', target)).toBeGreaterThanOrEqual(0);
      expect(median('broadcast.missing', target), `${target} broadcast missed`).toBe(0);
      expect(median('throughput.ratio', target), `${target} delivered/published`).toBe(1);
      expect(median('throughput.cpuMsPer1k', target)).toEqual(expect.any(Number));
      expect(median('throughput.redisCpuMsPer1k', target)).toEqual(expect.any(Number));
      // Read from /proc: a server that delivered messages woke up and spent CPU doing it.
      expect(median('throughput.messagesPerWakeup', target)).toBeGreaterThan(0);
      expect(median('throughput.busyShare', target)).toBeGreaterThan(0);
      expect(median('unbounded.published', target)).toBe(SMOKE.unbounded.count);
    }
    // Unbounded publishing into the stream: the gateway may lag, it never drops.
    expect(median('unbounded.ratio', 'postbode-stream')).toBe(1);
    // The reconnect storm: every socket back on node B, recovered, nothing lost or doubled.
    expect(median('resume.recovered', 'postbode-stream')).toBe(SMOKE.resume.users);
    expect(median('resume.notRecovered', 'postbode-stream')).toBe(0);
    expect(median('resume.published', 'postbode-stream')).toBeGreaterThan(0);
    expect(median('resume.lost', 'postbode-stream')).toBe(0);
    expect(median('resume.duplicates', 'postbode-stream')).toBe(0);
    expect(median('history.heapPerMessage', 'postbode-stream')).toEqual(expect.any(Number));
    // (i) The large invalid envelope was rejected (the scenario throws otherwise) and measured.
    expect(median('hostile.stallMs', 'postbode')).toBeGreaterThan(0);
    expect(median('hostile.bodyKiB', 'postbode')).toBeGreaterThan(0);
    // (j) The receipt cost: every receipt recorded on both paths (HTTP to php-fpm behind nginx,
    // and the socket through the gateway into the generated PHP consumer), CPU measured.
    for (const path of ['http', 'socket']) {
      expect(median(`receipts.${path}.lost`, 'postbode'), `${path} receipts lost`).toBe(0);
      expect(median(`receipts.${path}.phpUs`, 'postbode')).toBeGreaterThanOrEqual(0);
    }
    expect(median('receipts.http.failed', 'postbode')).toBe(0);
    expect(median('receipts.socket.refused', 'postbode')).toBe(0);
    expect(median('receipts.socket.perRead', 'postbode')).toBeGreaterThan(0);
    expect(median('receipts.socket.gatewayUs', 'postbode')).toBeGreaterThanOrEqual(0);
    expect(median('legacy.postbode.delivered', 'postbode')).toBe(1);
    expect(median('legacy.polling.delivered', 'postbode')).toBeGreaterThan(0);

    for (const row of report.summary) {
      expect(row).toMatchObject({
        key: expect.any(String),
        scenario: expect.any(String),
        label: expect.any(String),
        unit: expect.any(String),
        better: expect.stringMatching(/^(lower|higher)$/),
      });
    }
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('(a) connect storm, N = 50');
    expect(markdown).toContain('÷ hand-written socket.io relay');
    expect(markdown).toContain('Postbode gateway (stream) ÷ Postbode gateway (pub/sub)');
    expect(markdown).toContain('(g) reconnect storm, N = 50');
    expect(markdown).toContain('(j) receipt cost');
  });
});
