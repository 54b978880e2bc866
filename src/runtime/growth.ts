// The growth test behind `deferguard watch`: does a goroutine group keep growing over the watch
// (with time, or with the requests sent to the service), rather than rising with load and
// draining, or filling up to a pool size and staying there? One noisy sample never decides it.
//
// A group is growing when all of these hold:
//  - it ends at least `minIncrease` goroutines above where it started;
//  - the trend is monotone-ish: Kendall's tau-b between sample order and count is at least `minTau`;
//  - it did not drain: the last count is at least `minKeep` of the largest one;
//  - it still grows late: in the second half of the active phase (under load, or the whole watch
//    without load) it grows by at least `minLateShare` of what it grew in the first half, so a
//    pool that fills up early and then stays flat is not a leak;
//  - under load, the count follows the requests sent: Pearson correlation of count and
//    cumulative requests over the load phase at least `minRequestCorrelation`.

export interface GrowthOptions {
  minIncrease?: number;
  minTau?: number;
  minKeep?: number;
  minLateShare?: number;
  minRequestCorrelation?: number;
  /** Fewer samples than this give no verdict. */
  minSamples?: number;
}

export interface GrowthInput {
  /** Goroutine count at each sample, oldest first. */
  counts: readonly number[];
  /** Cumulative requests sent at each sample (same length), when load was driven. */
  requests?: readonly number[] | undefined;
  /** Index of the last sample taken while load was running (inclusive); default: the last sample. */
  activeEnd?: number | undefined;
}

export interface GrowthVerdict {
  growing: boolean;
  first: number;
  last: number;
  max: number;
  increase: number;
  tau: number;
  /** Correlation with requests sent (null without load or when requests did not change). */
  requestCorrelation: number | null;
  /** Goroutines added per 100 requests sent over the load phase (null without load). */
  per100Requests: number | null;
  /** Why the verdict is what it is (the first test that failed, or the evidence of growth). */
  reason: string;
}

export const GROWTH_DEFAULTS: Required<GrowthOptions> = {
  minIncrease: 5,
  minTau: 0.6,
  minKeep: 0.75,
  minLateShare: 0.25,
  minRequestCorrelation: 0.7,
  minSamples: 4,
};

/** Kendall's tau-b between the sample order and the values (ties in the values are handled). */
export function kendallTau(values: readonly number[]): number {
  const n = values.length;
  let concordant = 0;
  let discordant = 0;
  let tiesY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = values[j]! - values[i]!;
      if (d > 0) concordant++;
      else if (d < 0) discordant++;
      else tiesY++;
    }
  }
  const pairs = (n * (n - 1)) / 2;
  const denom = Math.sqrt(pairs * (pairs - tiesY));
  return denom === 0 ? 0 : (concordant - discordant) / denom;
}

/** Pearson correlation; null when either series is constant or shorter than 3. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Applies the growth test to one group's series. */
export function growth(input: GrowthInput, options: GrowthOptions = {}): GrowthVerdict {
  const o = { ...GROWTH_DEFAULTS, ...options };
  const c = input.counts;
  const n = c.length;
  const first = c[0] ?? 0;
  const last = c[n - 1] ?? 0;
  const max = n ? Math.max(...c) : 0;
  const tau = n >= 2 ? kendallTau(c) : 0;
  const base = { first, last, max, increase: last - first, tau: round(tau), requestCorrelation: null as number | null, per100Requests: null as number | null };
  const no = (reason: string): GrowthVerdict => ({ ...base, growing: false, reason });
  if (n < o.minSamples) return no(`only ${n} samples (at least ${o.minSamples} are needed)`);

  const activeEnd = Math.min(n - 1, Math.max(1, input.activeEnd ?? n - 1));
  const req = input.requests && input.requests.length === n ? input.requests : undefined;
  if (req) {
    const active = c.slice(0, activeEnd + 1);
    const sent = req.slice(0, activeEnd + 1);
    const r = pearson(sent, active);
    base.requestCorrelation = r === null ? null : round(r);
    const dr = sent[sent.length - 1]! - sent[0]!;
    if (dr > 0) base.per100Requests = round(((active[active.length - 1]! - active[0]!) * 100) / dr);
  }

  if (last - first < o.minIncrease) return no(`grew by ${last - first} (from ${first} to ${last}, peak ${max}); at least ${o.minIncrease} is needed`);
  if (tau < o.minTau) return no(`no steady trend (Kendall tau ${round(tau)} < ${o.minTau})`);
  if (last < o.minKeep * max) return no(`drained: ended at ${last} after a peak of ${max}`);
  const mid = Math.floor(activeEnd / 2);
  const early = c[mid]! - c[0]!;
  const late = c[activeEnd]! - c[mid]!;
  if (late <= 0 || (early > 0 && late < o.minLateShare * early)) {
    return no(`stopped growing: +${early} in the first half, +${late} in the second half${req ? ' of the load' : ''}`);
  }
  if (req && base.requestCorrelation !== null && base.requestCorrelation < o.minRequestCorrelation) {
    return no(`does not follow the requests sent (correlation ${base.requestCorrelation} < ${o.minRequestCorrelation})`);
  }
  const evidence = [`grew from ${first} to ${last}`, `Kendall tau ${round(tau)}`];
  if (base.requestCorrelation !== null) evidence.push(`correlation with requests ${base.requestCorrelation}`);
  if (base.per100Requests !== null) evidence.push(`${base.per100Requests} per 100 requests`);
  return { ...base, growing: true, reason: evidence.join(', ') };
}
