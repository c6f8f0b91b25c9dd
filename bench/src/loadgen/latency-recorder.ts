import { type LatencySummary, summarizeLatency } from '../stats.js';

const QUOTE = 0x22;
const DOT = 0x2e;
const MARKER = Buffer.from('"body":"t');

/**
 * Reads the publish time the publisher put in the payload's body (`"body":"t<ms>"`, ms since
 * the epoch with three decimals) straight from the frame's bytes, without parsing the JSON.
 * NaN when there is none.
 */
export function publishTimeOf(frame: Buffer): number {
  const at = frame.indexOf(MARKER);
  if (at < 0) return Number.NaN;
  let whole = 0;
  let fraction = 0;
  let scale = 1;
  let afterDot = false;
  for (let i = at + MARKER.length; i < frame.length; i++) {
    const byte = frame[i] as number;
    if (byte === QUOTE) break;
    if (byte === DOT) afterDot = true;
    else if (afterDot) {
      scale /= 10;
      fraction += (byte - 0x30) * scale;
    } else whole = whole * 10 + (byte - 0x30);
  }
  return whole + fraction;
}

/** Latency samples (ms) in a preallocated array: recording allocates nothing. */
export class LatencyRecorder {
  private samples: Float64Array;
  private size = 0;

  constructor(capacity: number) {
    this.samples = new Float64Array(capacity);
  }

  /** Records one sample; samples past the capacity are dropped (and counted by `count`). */
  record(ms: number): void {
    if (this.size < this.samples.length) this.samples[this.size] = ms;
    this.size += 1;
  }

  /** Samples recorded, including dropped ones. */
  get count(): number {
    return this.size;
  }

  /** Percentiles of the samples kept. */
  summary(): LatencySummary {
    return summarizeLatency(this.samples.subarray(0, Math.min(this.size, this.samples.length)));
  }
}
