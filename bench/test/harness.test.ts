import { describe, expect, it } from 'vitest';
import { postbodeTarget, relayTarget, renderMarkdown, runBench, SMOKE } from '../src/index.js';

// Runs the whole harness (built to dist/ by `pnpm test`'s build step) on a tiny N against
// Postbode and the hand-written relay. It checks that messages arrive and that the report has
// its shape; it asserts no timing, ever.
describe('pnpm bench harness (smoke)', () => {
  it('runs every scenario against Postbode and the relay and reports what was delivered', async () => {
    // Not pinned: taskset would pin the test worker, and the tests that share it, to one core.
    const report = await runBench({
      parameters: SMOKE,
      targets: [postbodeTarget, relayTarget],
      pin: false,
    });
    expect(report.errors).toEqual([]);
    expect(report.schema).toBe(1);
    expect(report.targets.map((target) => target.id)).toEqual(['postbode', 'relay']);
    expect(report.calibration.start.rate).toBeGreaterThan(0);
    expect(report.calibration.end.rate).toBeGreaterThan(0);
    expect(report.machine.cpus).toBeGreaterThan(0);

    const median = (key: string, target: string): number | undefined =>
      report.summary.find((row) => row.key === key)?.byTarget[target]?.median;
    for (const target of ['postbode', 'relay']) {
      expect(median('storm.50.failed', target), `${target} storm failures`).toBe(0);
      expect(median('storm.50.rssPerSocket', target)).toEqual(expect.any(Number));
      expect(median('latency.200.lost', target), `${target} messages lost`).toBe(0);
      expect(median('latency.200.p50', target)).toEqual(expect.any(Number));
      expect(median('broadcast.missing', target), `${target} broadcast missed`).toBe(0);
      expect(median('throughput.ratio', target), `${target} delivered/published`).toBe(1);
      expect(median('throughput.cpuMsPer1k', target)).toEqual(expect.any(Number));
    }
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
  });
});
