// `deferguard watch`: samples a running Go service over time and reports goroutine groups that
// keep growing (with time or with the requests sent to it), goroutines blocked for long,
// goroutines stuck inside deferred calls, and GC pause percentiles.
//
// Sampling: the full goroutine dump (debug=2: states and creation sites) at the start and at the
// end, the cheap grouped profile (debug=1) at every interval in between, expvar memstats at every
// interval (GC pauses since the previous poll), a Prometheus page at the start and the end, and
// the goroutineleak profile at the end when the service serves it. Optional load runs during the
// first part of the watch; the rest lets short-lived goroutines finish, so that what is left is
// what leaked.
import type { Frame } from './goroutines.js';
import { analyze, isStdFrame, type Analysis, type Group, type Location, type StuckDefer } from './group.js';
import { parseExpvar, ExpvarError, newPauses, percentiles, type Percentiles } from './expvar.js';
import { endpoint, fetchGoroutines, fetchMetrics, fetchText, FetchError, type FetchOptions } from './fetch.js';
import { gcDurationSeconds, goGoroutines } from './prom.js';
import { growth, type GrowthOptions, type GrowthVerdict } from './growth.js';
import { startLoad, type LoadRun, type LoadStats } from './load.js';
import type { Correlator, StaticMatch } from './correlate.js';

export interface WatchOptions {
  /** Base URL of the service's net/http/pprof (`http://127.0.0.1:6060`). */
  pprof: string;
  /** expvar URL; default `<pprof>/debug/vars`, used when served. */
  vars?: string;
  /** Prometheus URL (the Go collector's metrics). */
  metrics?: string;
  durationMs: number;
  intervalMs: number;
  load?: { url: string; rps: number; concurrency: number; timeoutMs?: number };
  /** Share of the duration during which load runs (default 0.75); the rest is the settle phase. */
  loadShare?: number;
  fetch?: FetchOptions;
  /** Module source lines, to recognise deferred calls run at a closing brace. */
  sourceLine?: (file: string, line: number) => string | undefined;
  /** Maps dump paths to paths relative to the source directory. */
  rel?: (file: string) => string;
  /** Static findings to join with; may still be computing while the service is sampled. */
  correlator?: Correlator | Promise<Correlator>;
  minBlockedMinutes?: number;
  growth?: GrowthOptions;
  /** Progress after each sample. */
  onSample?: (s: { index: number; tMs: number; total: number; sent?: number }) => void;
}

export interface WatchedGroup {
  /** Stable key: the user frames (or library frames when there are none) of the stack. */
  key: string;
  createdAt: Location | null;
  state: string;
  count: number;
  topUserFrame: Frame | null;
  stuckDefer: StuckDefer | null;
  blocked: string | null;
  series: number[];
  verdict: GrowthVerdict;
  matches: StaticMatch[];
}

export interface Leak {
  createdAt: Location | null;
  count: number;
  state: string;
  /** Id of the static rule that explains it, or null. */
  finding: string | null;
  findingAt: Location | null;
  docUrl: string | null;
  message: string | null;
  /** How the leak was detected. */
  detectedBy: 'growth' | 'leak-profile';
  topUserFrame: Frame | null;
  stuckDefer: StuckDefer | null;
  growth: GrowthVerdict | null;
  series: number[];
}

export interface GcReport {
  source: 'expvar' | 'prometheus' | null;
  /** GC cycles seen during the watch (expvar). */
  cycles: number;
  /** Cycles whose pause was overwritten in the 256-entry ring between two polls. */
  lost: number;
  /** Pause percentiles in nanoseconds (expvar: exact pauses of the watched cycles). */
  pauses: Percentiles;
  /** Each pause: milliseconds since the start of the watch, and its length in nanoseconds. */
  timeline: { tMs: number; ns: number }[];
  /** go_gc_duration_seconds quantiles from Prometheus at the end (seconds), when read. */
  prometheus: { quantiles: { quantile: number; seconds: number }[]; count: number; sum: number } | null;
}

export interface WatchReport {
  pprof: string;
  durationMs: number;
  intervalMs: number;
  startedAt: string;
  samples: { tMs: number; total: number; sent: number | null }[];
  /** Index of the last sample taken while load was running (null without load). */
  loadEndSample: number | null;
  load: (LoadStats & { url: string; rps: number; concurrency: number }) | null;
  leaks: Leak[];
  groups: WatchedGroup[];
  blockedLong: WatchedBlocked[];
  stuckDefers: WatchedStuck[];
  gc: GcReport;
  goroutineleak: 'served' | 'not served';
  /** Goroutines at the end, from Prometheus go_goroutines, when read. */
  promGoroutines: number | null;
  notes: string[];
}

export interface WatchedBlocked {
  count: number;
  state: string;
  minutes: number;
  where: Location | null;
  func: string | null;
  createdAt: Location | null;
  matches: StaticMatch[];
}

export interface WatchedStuck {
  count: number;
  state: string;
  deferred: string;
  caller: string;
  at: Location;
  via: StuckDefer['via'];
  confirmed: boolean;
  createdAt: Location | null;
  matches: StaticMatch[];
}

export class WatchError extends Error {}

const WRAPPER_RE = /\.(deferwrap|gowrap)\d+$/;

/** The series key of a stack: its user frames, or its library frames (without runtime ones) when it has none. */
export function stackKey(frames: readonly Frame[], goroot?: string): string {
  const user = frames.filter((f) => !isStdFrame(f, goroot) && !WRAPPER_RE.test(f.func));
  const use = user.length ? user : frames.filter((f) => !f.func.startsWith('runtime.') && !f.func.startsWith('internal/') && !WRAPPER_RE.test(f.func));
  return use.map((f) => `${f.func} ${f.file}:${f.line}`).join('\n');
}

interface Snapshot {
  tMs: number;
  total: number;
  sent: number | null;
  byKey: Map<string, number>;
  analysis: Analysis;
}

function snapshot(a: Analysis, tMs: number, sent: number | null): Snapshot {
  const byKey = new Map<string, number>();
  for (const g of a.groups) {
    const k = stackKey(g.frames, a.goroot);
    byKey.set(k, (byKey.get(k) ?? 0) + g.count);
  }
  return { tMs, total: a.total, sent, byKey, analysis: a };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

async function fetchExpvarAt(url: string, opts: FetchOptions) {
  const result = await fetchText(url, opts);
  try {
    return parseExpvar(result.body);
  } catch (e) {
    if (e instanceof ExpvarError) throw new FetchError('not-go', url, `${url}: ${e.message}`);
    throw e;
  }
}

function mapLoc<T extends Location>(l: T, rel?: (f: string) => string): T {
  return rel ? { ...l, file: rel(l.file) } : l;
}

function mapFrame(f: Frame | undefined, rel?: (f: string) => string): Frame | null {
  if (!f) return null;
  return rel ? { ...f, file: rel(f.file) } : f;
}

function mapStuck(s: StuckDefer | undefined, rel?: (f: string) => string): StuckDefer | null {
  if (!s) return null;
  if (!rel) return s;
  return { ...s, file: rel(s.file), deferred: { ...s.deferred, file: rel(s.deferred.file) }, caller: { ...s.caller, file: rel(s.caller.file) } };
}

/** Runs the watch. Throws FetchError when the service cannot be read at the start or the end. */
export async function watch(o: WatchOptions): Promise<WatchReport> {
  if (!(o.durationMs > 0) || !(o.intervalMs > 0)) throw new WatchError('duration and interval must be positive');
  if (o.intervalMs > o.durationMs) throw new WatchError('the interval is longer than the duration: no sample would be taken in between');
  const fo = o.fetch ?? {};
  const groupOpts = { ...(o.sourceLine ? { sourceLine: o.sourceLine } : {}), minBlockedMinutes: o.minBlockedMinutes ?? 1 };
  const notes: string[] = [];
  const started = Date.now();
  const since = () => Date.now() - started;

  // Start: the full dump (also proves the endpoint is a Go service's pprof).
  const first = await fetchGoroutines(o.pprof, { ...fo, debug: 2 });
  const snaps: Snapshot[] = [snapshot(analyze(first.dump, groupOpts), 0, o.load ? 0 : null)];

  // expvar: explicit URL must work; the default one is used when served.
  const varsUrl = o.vars ?? endpoint(o.pprof, '/debug/vars');
  let varsOk = true;
  let prevNumGC = 0;
  const pauses: { tMs: number; ns: number }[] = [];
  let cycles = 0;
  let lost = 0;
  const pollVars = async (initial: boolean) => {
    if (!varsOk) return;
    try {
      const snap = await fetchExpvarAt(varsUrl, fo);
      const m = snap.memstats;
      if (initial) prevNumGC = m.NumGC;
      else {
        const np = newPauses(prevNumGC, m);
        prevNumGC = m.NumGC;
        cycles += np.pauses.length + np.lost;
        lost += np.lost;
        for (const p of np.pauses) pauses.push({ tMs: Math.max(0, Math.round(p.end / 1e6 - started)), ns: p.ns });
        if (np.reset) notes.push('expvar NumGC went down during the watch: the service restarted');
      }
    } catch (e) {
      if (!(e instanceof FetchError)) throw e;
      if (o.vars !== undefined && initial) throw e;
      if (initial) notes.push(`expvar not used: ${e.message}`);
      else notes.push(`expvar poll failed: ${e.message}`);
      if (initial) varsOk = false;
    }
  };
  await pollVars(true);

  // Prometheus: explicit only; must be a Go service's metrics.
  let promStart: ReturnType<typeof gcDurationSeconds> | undefined;
  if (o.metrics !== undefined) promStart = gcDurationSeconds((await fetchMetrics(o.metrics, { ...fo, path: '' })).metrics.families);

  // Load.
  let load: LoadRun | undefined;
  const loadMs = o.load ? Math.max(o.intervalMs, Math.round(o.durationMs * (o.loadShare ?? 0.75))) : 0;
  if (o.load) load = startLoad({ ...o.load, durationMs: loadMs });
  let loadEndSample: number | null = null;

  // Samples at every interval until the end of the duration.
  let failures = 0;
  for (let i = 1; ; i++) {
    const at = i * o.intervalMs;
    if (at >= o.durationMs) break;
    await sleep(at - since());
    const sent = load ? load.stats.sent : null;
    const loadRunning = load !== undefined && since() <= loadMs;
    try {
      const { dump } = await fetchGoroutines(o.pprof, { ...fo, debug: 1 });
      snaps.push(snapshot(analyze(dump, groupOpts), since(), sent));
      if (loadRunning) loadEndSample = snaps.length - 1;
    } catch (e) {
      if (!(e instanceof FetchError)) throw e;
      failures++;
      notes.push(`sample at ${at} ms failed: ${e.message}`);
      if (e.code === 'refused' && failures >= 3) {
        load?.stop();
        throw new WatchError(`the service stopped answering during the watch: ${e.message}`);
      }
    }
    await pollVars(false);
    o.onSample?.({ index: snaps.length - 1, tMs: since(), total: snaps[snaps.length - 1]!.total, ...(sent !== null ? { sent } : {}) });
  }
  await sleep(o.durationMs - since());
  load?.stop();
  const loadStats = load ? await load.done : undefined;

  // End: the full dump, expvar, Prometheus, the leak profile.
  const last = await fetchGoroutines(o.pprof, { ...fo, debug: 2 });
  const lastAnalysis = analyze(last.dump, groupOpts);
  snaps.push(snapshot(lastAnalysis, since(), loadStats ? loadStats.sent : null));
  await pollVars(false);
  let promEnd: ReturnType<typeof gcDurationSeconds> | undefined;
  let promGoroutines: number | null = null;
  if (o.metrics !== undefined) {
    const fams = (await fetchMetrics(o.metrics, { ...fo, path: '' })).metrics.families;
    promEnd = gcDurationSeconds(fams);
    promGoroutines = goGoroutines(fams) ?? null;
  }
  let leakAnalysis: Analysis | undefined;
  try {
    const lk = await fetchGoroutines(o.pprof, { ...fo, debug: 2, profile: 'goroutineleak' });
    leakAnalysis = analyze(lk.dump, groupOpts);
  } catch (e) {
    if (!(e instanceof FetchError)) throw e;
    if (e.code !== 'status' && e.code !== 'not-go') notes.push(`goroutineleak profile: ${e.message}`);
  }

  const correlator = o.correlator ? await o.correlator : undefined;
  return buildReport({
    o: { pprof: o.pprof, durationMs: o.durationMs, intervalMs: o.intervalMs, load: o.load, rel: o.rel, growth: o.growth, correlator }, started, snaps, lastAnalysis, leakAnalysis, loadStats, loadEndSample, notes,
    gc: {
      source: varsOk ? 'expvar' : promEnd ? 'prometheus' : null,
      cycles,
      lost,
      pauses: percentiles(pauses.map((p) => p.ns)),
      timeline: pauses,
      prometheus: promEnd
        ? {
            quantiles: promEnd.quantiles.map((q) => ({ quantile: q.quantile, seconds: q.value })),
            count: (promEnd.count ?? 0) - (promStart?.count ?? 0),
            sum: (promEnd.sum ?? 0) - (promStart?.sum ?? 0),
          }
        : null,
    },
    promGoroutines,
  });
}

interface BuildInput {
  o: {
    pprof: string;
    durationMs: number;
    intervalMs: number;
    load?: WatchOptions['load'] | undefined;
    rel?: ((file: string) => string) | undefined;
    growth?: GrowthOptions | undefined;
    correlator?: Correlator | undefined;
  };
  started: number;
  snaps: Snapshot[];
  lastAnalysis: Analysis;
  leakAnalysis: Analysis | undefined;
  loadStats: LoadStats | undefined;
  loadEndSample: number | null;
  notes: string[];
  gc: GcReport;
  promGoroutines: number | null;
}

/** Turns the samples into the report: series per stack, growth verdicts, leaks, joins. Exported for tests. */
export function buildReport(b: BuildInput): WatchReport {
  const { o, snaps } = b;
  const rel = o.rel;
  const corr = o.correlator;
  // Labels: the end dump first (it has states and creation sites), then the start dump, then any sample.
  const label = new Map<string, Group>();
  const labelFrom = (a: Analysis) => {
    const local = new Map<string, Group>();
    for (const g of a.groups) {
      const k = stackKey(g.frames, a.goroot);
      const had = local.get(k);
      if (!had || g.count > had.count) local.set(k, g);
    }
    for (const [k, g] of local) if (!label.has(k)) label.set(k, g);
  };
  labelFrom(b.lastAnalysis);
  labelFrom(snaps[0]!.analysis);
  for (const s of snaps) labelFrom(s.analysis);

  const keys = new Set<string>();
  for (const s of snaps) for (const k of s.byKey.keys()) keys.add(k);
  const requests = o.load ? snaps.map((s) => s.sent ?? 0) : undefined;
  const groups: WatchedGroup[] = [];
  for (const key of keys) {
    const series = snaps.map((s) => s.byKey.get(key) ?? 0);
    const g = label.get(key)!;
    const createdAt = g.createdAt ? mapLoc(g.createdAt, rel) : null;
    const stuckDefer = mapStuck(g.stuckDefer, rel);
    const verdict = growth({ counts: series, requests, activeEnd: b.loadEndSample ?? undefined }, o.growth);
    const matches = corr ? corr.forGroup({ createdAt: createdAt ?? undefined, stuckDefer: stuckDefer ?? undefined }) : [];
    groups.push({
      key,
      createdAt,
      state: g.state || 'unknown (seen only in debug=1 samples)',
      count: series[series.length - 1]!,
      topUserFrame: mapFrame(g.topUserFrame, rel),
      stuckDefer,
      blocked: g.blocked ?? null,
      series,
      verdict,
      matches,
    });
  }
  groups.sort((x, y) => Number(y.verdict.growing) - Number(x.verdict.growing) || y.count - x.count || Math.max(...y.series) - Math.max(...x.series) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));

  const leaks: Leak[] = [];
  const toLeak = (g: { createdAt: Location | null; count: number; state: string; topUserFrame: Frame | null; stuckDefer: StuckDefer | null; matches: StaticMatch[] }, detectedBy: Leak['detectedBy'], verdict: GrowthVerdict | null, series: number[]): Leak => {
    const m = g.matches[0];
    return {
      createdAt: g.createdAt,
      count: g.count,
      state: g.state,
      finding: m ? m.rule : null,
      findingAt: m ? { file: m.file, line: m.line } : null,
      docUrl: m ? m.docUrl : null,
      message: m ? m.message : null,
      detectedBy,
      topUserFrame: g.topUserFrame,
      stuckDefer: g.stuckDefer,
      growth: verdict,
      series,
    };
  };
  for (const g of groups) if (g.verdict.growing) leaks.push(toLeak(g, 'growth', g.verdict, g.series));
  if (b.leakAnalysis) {
    for (const g of b.leakAnalysis.groups) {
      if (g.leaked === 0) continue;
      const createdAt = g.createdAt ? mapLoc(g.createdAt, rel) : null;
      const stuckDefer = mapStuck(g.stuckDefer, rel);
      const matches = corr ? corr.forGroup({ createdAt: createdAt ?? undefined, stuckDefer: stuckDefer ?? undefined }) : [];
      const already = leaks.find((l) => l.createdAt && createdAt && l.createdAt.file === createdAt.file && l.createdAt.line === createdAt.line);
      if (already) continue;
      leaks.push(toLeak({ createdAt, count: g.leaked, state: g.state, topUserFrame: mapFrame(g.topUserFrame, rel), stuckDefer, matches }, 'leak-profile', null, []));
    }
  }

  const blockedLong: WatchedBlocked[] = [];
  const stuckDefers: WatchedStuck[] = [];
  for (const g of b.lastAnalysis.groups) {
    const createdAt = g.createdAt ? mapLoc(g.createdAt, rel) : null;
    if (g.blockedLong) {
      const top = mapFrame(g.topUserFrame ?? g.frames[0], rel);
      blockedLong.push({
        count: g.count,
        state: g.state,
        minutes: g.minutes.max,
        where: top ? { file: top.file, line: top.line } : null,
        func: top ? top.func : null,
        createdAt,
        matches: corr && createdAt ? corr.forCreation(createdAt) : [],
      });
    }
    if (g.stuckDefer) {
      const s = mapStuck(g.stuckDefer, rel)!;
      stuckDefers.push({
        count: g.count,
        state: g.state,
        deferred: s.deferred.func,
        caller: s.caller.func,
        at: { file: s.file, line: s.line },
        via: s.via,
        confirmed: s.confirmed,
        createdAt,
        matches: corr ? corr.forStuckDefer(s, s.deferred.func) : [],
      });
    }
  }
  blockedLong.sort((x, y) => y.minutes - x.minutes || y.count - x.count);

  const ls = b.loadStats;
  return {
    pprof: o.pprof,
    durationMs: o.durationMs,
    intervalMs: o.intervalMs,
    startedAt: new Date(b.started).toISOString(),
    samples: snaps.map((s) => ({ tMs: s.tMs, total: s.total, sent: s.sent })),
    loadEndSample: b.loadEndSample,
    load: ls && o.load ? { url: o.load.url, rps: o.load.rps, concurrency: o.load.concurrency, ...ls, statuses: { ...ls.statuses } } : null,
    leaks,
    groups,
    blockedLong,
    stuckDefers,
    gc: b.gc,
    goroutineleak: b.leakAnalysis ? 'served' : 'not served',
    promGoroutines: b.promGoroutines,
    notes: b.notes,
  };
}
