import {
  Counter,
  type CounterConfiguration,
  Histogram,
  type HistogramConfiguration,
  type MetricObjectWithValues,
  type MetricValueWithName,
} from 'prom-client';

/**
 * A counter with one label whose hot-path increments are summed locally and handed to
 * prom-client when the metric is read (a scrape): the exported values are exactly those of
 * calling `inc` each time, without prom-client's per-call label hashing and validation on
 * every routed envelope. `inc` still works as usual.
 */
export class BatchedCounter<T extends string> extends Counter<T> {
  private readonly pending = new Map<string, number>();
  private readonly label: T;

  constructor(config: CounterConfiguration<T> & { labelNames: readonly [T] }) {
    super(config);
    this.label = config.labelNames[0];
  }

  /** Counts `count` events (default one) with this label value. */
  add(labelValue: string, count = 1): void {
    this.pending.set(labelValue, (this.pending.get(labelValue) ?? 0) + count);
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<T>>> {
    this.flush();
    return super.get();
  }

  // prom-client's constructor calls reset() before this class's fields exist.
  override reset(): void {
    this.pending?.clear();
    super.reset();
  }

  private flush(): void {
    for (const [value, count] of this.pending) {
      this.inc({ [this.label]: value } as Partial<Record<T, string>>, count);
    }
    this.pending.clear();
  }
}

/**
 * A histogram without labels whose hot-path observations are counted in local buckets and
 * folded into prom-client's output when the metric is read: the same buckets, sum and count
 * as `observe` each time, at the cost of one bucket search. `observe` still works as usual.
 */
export class BatchedHistogram extends Histogram<string> {
  private readonly bounds: number[];
  /** Observations per bucket; the last slot is above every bound (+Inf). */
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;
  private readonly metricName: string;

  constructor(config: HistogramConfiguration<string> & { buckets: number[] }) {
    super(config);
    this.metricName = config.name;
    this.bounds = [...config.buckets].sort((a, b) => a - b);
    this.counts = new Float64Array(this.bounds.length + 1);
  }

  /** Observes one value (prom-client's bucket rule: the first bound ≥ value). */
  record(value: number): void {
    const { bounds } = this;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += value;
    this.count += 1;
  }

  // prom-client renders the text format from `getForPromString()` (`get()`, for JSON, calls it
  // too): the pending observations are folded in there, on what it returns.
  async getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const base = Histogram.prototype as unknown as {
      getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<string>>>;
    };
    const metric = await base.getForPromString.call(this);
    if (this.count === 0) return metric;
    const cumulative = new Map<string, number>();
    let running = 0;
    this.bounds.forEach((bound, i) => {
      running += this.counts[i] as number;
      cumulative.set(String(bound), running);
    });
    cumulative.set('+Inf', this.count);
    const values = metric.values.map((entry) => {
      if (entry.metricName === `${this.metricName}_sum`)
        return { ...entry, value: entry.value + this.sum };
      if (entry.metricName === `${this.metricName}_count`) {
        return { ...entry, value: entry.value + this.count };
      }
      const extra = cumulative.get(String(entry.labels.le));
      return extra === undefined ? entry : { ...entry, value: entry.value + extra };
    });
    return { ...metric, values };
  }

  // prom-client's constructor calls reset() before this class's fields exist.
  override reset(): void {
    this.counts?.fill(0);
    this.sum = 0;
    this.count = 0;
    super.reset();
  }
}
