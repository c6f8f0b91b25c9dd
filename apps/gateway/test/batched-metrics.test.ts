import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BatchedCounter, BatchedHistogram } from '../src/observability/batched-metrics.js';

// The batched metrics must export exactly what prom-client's own would for the same events.
describe('batched metrics render what prom-client renders', () => {
  it('BatchedCounter.add equals Counter.inc, across scrapes and mixed with inc', async () => {
    const [plainRegistry, batchedRegistry] = [new Registry(), new Registry()];
    const config = { name: 'x_total', help: 'x', labelNames: ['source'] as const };
    const plain = new Counter({ ...config, labelNames: ['source'], registers: [plainRegistry] });
    const batched = new BatchedCounter({
      ...config,
      labelNames: ['source'],
      registers: [batchedRegistry],
    });
    const events = ['redis', 'redis', 'http', 'memory', 'redis'];
    for (const source of events) {
      plain.inc({ source });
      batched.add(source);
    }
    expect(await batchedRegistry.metrics()).toBe(await plainRegistry.metrics());
    plain.inc({ source: 'http' }, 3);
    batched.inc({ source: 'http' }, 2);
    batched.add('http');
    expect(await batchedRegistry.metrics()).toBe(await plainRegistry.metrics());
    expect(await batchedRegistry.getMetricsAsJSON()).toEqual(
      await plainRegistry.getMetricsAsJSON(),
    );
  });

  it('BatchedHistogram.record equals Histogram.observe, bounds and +Inf included', async () => {
    const [plainRegistry, batchedRegistry] = [new Registry(), new Registry()];
    const buckets = [0, 1, 2, 5, 10, 100];
    const plain = new Histogram({ name: 'h', help: 'h', buckets, registers: [plainRegistry] });
    const batched = new BatchedHistogram({
      name: 'h',
      help: 'h',
      buckets,
      registers: [batchedRegistry],
    });
    expect(await batchedRegistry.metrics()).toBe(await plainRegistry.metrics());
    const values = [0, 0.5, 1, 1.0001, 2, 4.9, 5, 10, 99, 100, 100.5, 1e6];
    for (const value of values) {
      plain.observe(value);
      batched.record(value);
    }
    expect(await batchedRegistry.metrics()).toBe(await plainRegistry.metrics());
    plain.observe(3);
    plain.observe(7);
    batched.observe(3);
    batched.record(7);
    expect(await batchedRegistry.metrics()).toBe(await plainRegistry.metrics());
  });
});
