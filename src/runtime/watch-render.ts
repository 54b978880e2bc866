// Text and JSON views of a `deferguard watch` report.
import type { Location } from './group.js';
import type { StaticMatch } from './correlate.js';
import type { Leak, WatchReport } from './watch.js';

const loc = (l: Location | null | undefined) => (l ? `${l.file}:${l.line}` : 'unknown site');
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Nanoseconds as a short duration: `850 µs`, `1.25 ms`. */
export function fmtNs(ns: number): string {
  if (ns < 1000) return `${Math.round(ns)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(ns < 1e4 ? 1 : 0)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 1)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

function fmtMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function confirmed(m: StaticMatch): string {
  return `confirmed at run time: ${m.rule} (${m.severity}) at ${m.file}:${m.line}`;
}

export function loadSummary(r: WatchReport): string | undefined {
  const l = r.load;
  if (!l) return undefined;
  const statuses = Object.entries(l.statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const parts = [`${l.sent} sent`, `${l.completed} answered${statuses ? ` (${statuses})` : ''}`, `${l.failed} failed${l.timedOut ? ` (${l.timedOut} timed out)` : ''}`];
  if (l.skipped) parts.push(`${l.skipped} skipped at the concurrency limit`);
  if (l.aborted) parts.push(`${l.aborted} aborted at the end of the load phase`);
  return `load: GET ${l.url} at ${l.rps} rps, concurrency ${l.concurrency}: ${parts.join(', ')}${l.firstError ? `; first error: ${l.firstError}` : ''}`;
}

export function leakTitle(l: Leak): string {
  return `${plural(l.count, 'goroutine')} [${l.state}] created at ${loc(l.createdAt)}`;
}

/** The readable report. */
export function renderWatchText(r: WatchReport): string {
  const out: string[] = [];
  const n = r.samples.length;
  out.push(`deferguard watch ${r.pprof}: ${plural(n, 'sample')} over ${fmtMs(r.durationMs)} (every ${fmtMs(r.intervalMs)})`);
  const ls = loadSummary(r);
  if (ls) out.push(ls);
  if (n) out.push(`goroutines: ${r.samples[0]!.total} at the start, ${r.samples[n - 1]!.total} at the end`);
  out.push('');

  if (r.leaks.length) {
    out.push(`Leaks (${r.leaks.length}):`);
    for (const l of r.leaks) {
      out.push(`  ${leakTitle(l)}`);
      if (l.detectedBy === 'growth' && l.growth) out.push(`      ${l.growth.reason}`);
      else out.push('      reported by the goroutine leak detector (goroutineleak profile)');
      if (l.stuckDefer) out.push(`      stuck in deferred ${l.stuckDefer.deferred.func} of ${l.stuckDefer.caller.func} at ${loc(l.stuckDefer)}`);
      else if (l.topUserFrame) out.push(`      in ${l.topUserFrame.func} at ${loc(l.topUserFrame)}`);
      if (l.finding) {
        out.push(`      confirmed at run time: ${l.finding} at ${loc(l.findingAt)}: ${l.message ?? ''}`);
        out.push(`      ${l.docUrl}`);
      } else out.push('      no static finding at this site');
    }
    out.push('');
  }

  if (r.stuckDefers.length) {
    out.push('Stuck inside a deferred call (at the end):');
    for (const s of r.stuckDefers) {
      const how = s.via === 'panic' ? `while panicking at ${loc(s.at)}` : `at ${s.via === 'exit' ? 'its exit ' : ''}${loc(s.at)}`;
      out.push(`  ${plural(s.count, 'goroutine')}  ${s.deferred} deferred by ${s.caller}, running ${how}${s.confirmed ? '' : ' (likely)'}; ${s.state || 'running'}`);
      for (const m of s.matches.slice(0, 1)) out.push(`      ${confirmed(m)}`);
    }
    out.push('');
  }

  if (r.blockedLong.length) {
    out.push('Blocked for a long time (at the end):');
    for (const b of r.blockedLong) {
      out.push(`  ${plural(b.count, 'goroutine')}  ${b.state} for ${plural(b.minutes, 'minute')} in ${b.func ?? '?'} at ${loc(b.where)}${b.createdAt ? ` (created at ${loc(b.createdAt)})` : ''}`);
      for (const m of b.matches.slice(0, 1)) out.push(`      ${confirmed(m)}`);
    }
    out.push('');
  }

  const others = r.groups.filter((g) => !g.verdict.growing && Math.max(...g.series) >= 2).slice(0, 8);
  if (others.length) {
    out.push('Other groups (not leaks):');
    for (const g of others) {
      const where = g.topUserFrame ? `${g.topUserFrame.func} at ${loc(g.topUserFrame)}` : g.key.split('\n')[0] ?? '';
      out.push(`  ${String(g.count).padStart(5)}  [${g.state}]  ${where}: ${g.verdict.reason}`);
    }
    out.push('');
  }

  const gc = r.gc;
  if (gc.source === 'expvar') {
    const p = gc.pauses;
    out.push(
      p.count
        ? `GC pauses (expvar, ${plural(gc.cycles, 'cycle')}${gc.lost ? `, ${gc.lost} overwritten in the ring` : ''}): p50 ${fmtNs(p.p50)}, p90 ${fmtNs(p.p90)}, p99 ${fmtNs(p.p99)}, max ${fmtNs(p.max)}`
        : 'GC pauses (expvar): no GC cycle during the watch',
    );
  }
  if (gc.prometheus) {
    const q = gc.prometheus.quantiles.map((x) => `q${x.quantile} ${fmtNs(x.seconds * 1e9)}`).join(', ');
    out.push(`GC pauses (Prometheus go_gc_duration_seconds, ${plural(gc.prometheus.count, 'cycle')} during the watch): ${q || 'no quantiles'}`);
  }
  if (!gc.source) out.push('GC pauses: no expvar or Prometheus endpoint was read');
  out.push(`goroutineleak profile: ${r.goroutineleak}`);
  for (const note of r.notes) out.push(`note: ${note}`);
  out.push('');
  out.push(r.leaks.length ? `${plural(r.leaks.length, 'leak')} found.` : 'No leak found.');
  return out.join('\n') + '\n';
}

/** The report as JSON. `leaks[]` carries createdAt {file, line}, count, state and finding (rule id or null). */
export function renderWatchJson(r: WatchReport): string {
  const doc = {
    pprof: r.pprof,
    startedAt: r.startedAt,
    durationMs: r.durationMs,
    intervalMs: r.intervalMs,
    load: r.load,
    leaks: r.leaks.map((l) => ({
      createdAt: l.createdAt,
      count: l.count,
      state: l.state,
      finding: l.finding,
      findingAt: l.findingAt,
      docUrl: l.docUrl,
      message: l.message,
      detectedBy: l.detectedBy,
      topUserFrame: l.topUserFrame,
      stuckDefer: l.stuckDefer ? { file: l.stuckDefer.file, line: l.stuckDefer.line, deferred: l.stuckDefer.deferred.func, caller: l.stuckDefer.caller.func, via: l.stuckDefer.via } : null,
      growth: l.growth,
      series: l.series,
    })),
    stuckDefers: r.stuckDefers.map((s) => ({ ...s, finding: s.matches[0]?.rule ?? null, matches: undefined })),
    blockedLong: r.blockedLong.map((b) => ({ ...b, finding: b.matches[0]?.rule ?? null, matches: undefined })),
    groups: r.groups.map((g) => ({
      createdAt: g.createdAt,
      state: g.state,
      count: g.count,
      topUserFrame: g.topUserFrame,
      growing: g.verdict.growing,
      reason: g.verdict.reason,
      finding: g.matches[0]?.rule ?? null,
      series: g.series,
    })),
    samples: r.samples,
    loadEndSample: r.loadEndSample,
    gc: r.gc,
    goroutineleak: r.goroutineleak,
    promGoroutines: r.promGoroutines,
    notes: r.notes,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
