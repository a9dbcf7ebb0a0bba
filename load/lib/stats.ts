/**
 * A log-bucketed latency histogram (about 1% relative error): small enough to send between
 * processes after every step, and mergeable, so percentiles are computed over every sample.
 */
const GROWTH = 1.01;
const MIN_MS = 0.001;
const BUCKETS = Math.ceil(Math.log(1e6 / MIN_MS) / Math.log(GROWTH)) + 1;

export interface HistogramJSON {
  counts: Record<number, number>;
  count: number;
  sum: number;
  max: number;
}

export class Histogram {
  private counts = new Float64Array(BUCKETS);
  count = 0;
  sum = 0;
  max = 0;

  record(ms: number): void {
    const value = Math.max(ms, MIN_MS);
    const bucket = Math.min(BUCKETS - 1, Math.floor(Math.log(value / MIN_MS) / Math.log(GROWTH)));
    this.counts[bucket]!++;
    this.count++;
    this.sum += value;
    if (value > this.max) this.max = value;
  }

  merge(other: HistogramJSON): this {
    for (const [bucket, n] of Object.entries(other.counts)) this.counts[Number(bucket)]! += n;
    this.count += other.count;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
    return this;
  }

  /** `p` in 0..100; the upper edge of the bucket holding that rank (NaN when empty). */
  percentile(p: number): number {
    if (!this.count) return NaN;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, MIN_MS * GROWTH ** (i + 1));
    }
    return this.max;
  }

  get mean(): number {
    return this.count ? this.sum / this.count : NaN;
  }

  /** Sparse: only non-empty buckets. */
  toJSON(): HistogramJSON {
    const counts: Record<number, number> = {};
    this.counts.forEach((n, i) => {
      if (n) counts[i] = n;
    });
    return { counts, count: this.count, sum: this.sum, max: this.max };
  }
}

/** Epoch milliseconds with sub-millisecond precision, comparable across processes on one host. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
