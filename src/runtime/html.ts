// The HTML view of a `deferguard watch` report: one self-contained file (inline CSS and SVG, no
// script, no external resource) with a chart of goroutines per group over time, a chart of GC
// pauses, and tables of leaks, stuck deferred calls and long waits. Every string that comes from
// the service (function names, paths, states, URLs) is HTML-escaped.
import type { Location } from './group.js';
import type { WatchReport } from './watch.js';
import { fmtNs, leakTitle, loadSummary } from './watch-render.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const e = escapeHtml;
const loc = (l: Location | null | undefined) => (l ? `${l.file}:${l.line}` : 'unknown site');
const PALETTE = ['#d62728', '#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

interface Series {
  name: string;
  points: { x: number; y: number }[];
  color: string;
  dashed?: boolean;
}

/** A "nice" upper bound for an axis (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten), at least `max`. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

function fmtTick(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1);
}

/** An SVG line chart (or dots, with `dots`) with axes, ticks and a legend. */
export function svgChart(opts: {
  title: string;
  series: Series[];
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  dots?: boolean;
  yFormat?: (v: number) => string;
}): string {
  const W = opts.width ?? 1000;
  const H = opts.height ?? 360;
  const m = { l: 70, r: 20, t: 36, b: 50 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const all = opts.series.flatMap((s) => s.points);
  const xMax = niceMax(Math.max(0, ...all.map((p) => p.x)));
  const yMax = niceMax(Math.max(0, ...all.map((p) => p.y)));
  const X = (x: number) => m.l + (x / xMax) * pw;
  const Y = (y: number) => m.t + ph - (y / yMax) * ph;
  const yf = opts.yFormat ?? fmtTick;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${e(opts.title)}">`);
  parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(`<text x="${m.l}" y="22" class="ct">${e(opts.title)}</text>`);
  for (let i = 0; i <= 5; i++) {
    const yv = (yMax * i) / 5;
    const y = Y(yv).toFixed(1);
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.l - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" class="tk">${e(yf(yv))}</text>`);
    const xv = (xMax * i) / 5;
    const x = X(xv).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${m.t + ph}" y2="${m.t + ph + 5}" stroke="#888"/>`);
    parts.push(`<text x="${x}" y="${m.t + ph + 18}" text-anchor="middle" class="tk">${e(fmtTick(xv))}</text>`);
  }
  parts.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${m.t + ph}" stroke="#888"/>`);
  parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${m.t + ph}" y2="${m.t + ph}" stroke="#888"/>`);
  parts.push(`<text x="${m.l + pw / 2}" y="${H - 8}" text-anchor="middle" class="al">${e(opts.xLabel)}</text>`);
  parts.push(`<text x="16" y="${m.t + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${m.t + ph / 2})" class="al">${e(opts.yLabel)}</text>`);
  if (all.length === 0) {
    parts.push(`<text x="${m.l + pw / 2}" y="${m.t + ph / 2}" text-anchor="middle" class="empty">no data</text>`);
  }
  for (const s of opts.series) {
    if (opts.dots) {
      for (const p of s.points) parts.push(`<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="3.5" fill="${s.color}"><title>${e(`${s.name}: ${yf(p.y)} at ${fmtTick(p.x)}`)}</title></circle>`);
    } else if (s.points.length) {
      const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(' ');
      parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 4"' : ''}><title>${e(s.name)}</title></path>`);
    }
  }
  // Legend (inside the plot, top left).
  opts.series.forEach((s, i) => {
    const y = m.t + 12 + i * 18;
    parts.push(`<line x1="${m.l + 12}" x2="${m.l + 36}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="3"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    parts.push(`<text x="${m.l + 42}" y="${y}" dominant-baseline="middle" class="lg">${e(s.name.length > 110 ? `${s.name.slice(0, 107)}...` : s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1b1b1b;background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#555}.verdict{font-size:16px;font-weight:600;padding:8px 12px;border-radius:6px;display:inline-block;margin:10px 0}
.bad{background:#fde2e1;color:#8a1c17}.good{background:#e3f4e4;color:#1f5e24}
table{border-collapse:collapse;background:#fff;width:100%;max-width:1200px}td,th{border:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}code{font:12.5px ui-monospace,Menlo,Consolas,monospace}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;margin:8px 0;max-width:1000px}
.chart svg{width:100%;height:auto;display:block}
.ct{font-size:15px;font-weight:600}.tk{font-size:11px;fill:#555}.al{font-size:12px;fill:#333}.lg{font-size:12px;fill:#222}.empty{font-size:14px;fill:#888}
.ok{color:#1f5e24;font-weight:600}.muted{color:#777}
`;

/** The complete HTML document. */
export function renderWatchHtml(r: WatchReport): string {
  const t = r.samples.map((s) => s.tMs / 1000);
  const leaky = new Set(r.leaks.map((l) => l.series.join(',') + loc(l.createdAt)));
  const chosen = r.groups.filter((g) => Math.max(...g.series) > 0).slice(0, 7);
  const series: Series[] = chosen.map((g, i) => {
    const isLeak = leaky.has(g.series.join(',') + loc(g.createdAt)) || g.verdict.growing;
    const where = g.createdAt ? `created at ${loc(g.createdAt)}` : g.topUserFrame ? `${g.topUserFrame.func}` : g.key.split('\n')[0] ?? '';
    return {
      name: `${isLeak ? 'LEAK ' : ''}[${g.state}] ${where}`,
      points: g.series.map((y, j) => ({ x: t[j]!, y })),
      color: PALETTE[i % PALETTE.length]!,
    };
  });
  series.push({ name: 'all goroutines', points: r.samples.map((s, j) => ({ x: t[j]!, y: s.total })), color: '#555', dashed: true });
  const goroutineChart = svgChart({ title: 'Goroutines per group over time', series, xLabel: 'seconds since the start of the watch', yLabel: 'goroutines' });
  const gcChart = svgChart({
    title: r.gc.pauses.count ? `GC pauses (p50 ${fmtNs(r.gc.pauses.p50)}, p99 ${fmtNs(r.gc.pauses.p99)}, max ${fmtNs(r.gc.pauses.max)})` : 'GC pauses (no GC cycle seen through expvar)',
    series: [{ name: 'stop-the-world pause', points: r.gc.timeline.map((p) => ({ x: p.tMs / 1000, y: p.ns / 1000 })), color: '#1f77b4' }],
    xLabel: 'seconds since the start of the watch',
    yLabel: 'pause (µs)',
    dots: true,
    height: 280,
  });

  const rows: string[] = [];
  for (const l of r.leaks) {
    const finding = l.finding
      ? `<span class="ok">confirmed at run time</span>: <a href="${e(l.docUrl ?? '')}"><code>${e(l.finding)}</code></a> at <code>${e(loc(l.findingAt))}</code><br><span class="muted">${e(l.message ?? '')}</span>`
      : '<span class="muted">no static finding at this site</span>';
    const where = l.stuckDefer
      ? `stuck in deferred <code>${e(l.stuckDefer.deferred.func)}</code> of <code>${e(l.stuckDefer.caller.func)}</code> at <code>${e(loc(l.stuckDefer))}</code>`
      : l.topUserFrame
        ? `<code>${e(l.topUserFrame.func)}</code> at <code>${e(loc(l.topUserFrame))}</code>`
        : '';
    rows.push(
      `<tr><td>${e(String(l.count))}</td><td>${e(l.state)}</td><td><code>${e(loc(l.createdAt))}</code></td><td>${where}</td><td>${e(l.growth ? l.growth.reason : 'goroutine leak detector')}</td><td>${finding}</td></tr>`,
    );
  }
  const leaksTable = r.leaks.length
    ? `<table><tr><th>count</th><th>state</th><th>created at</th><th>where</th><th>evidence</th><th>static finding</th></tr>${rows.join('\n')}</table>`
    : '<p class="ok">No goroutine group grew during the watch.</p>';

  const stuck = r.stuckDefers.length
    ? `<table><tr><th>count</th><th>deferred call</th><th>deferred by</th><th>at</th><th>static finding</th></tr>${r.stuckDefers
        .map(
          (s) =>
            `<tr><td>${s.count}</td><td><code>${e(s.deferred)}</code></td><td><code>${e(s.caller)}</code></td><td><code>${e(loc(s.at))}</code> (${e(s.via)})</td><td>${s.matches[0] ? `<a href="${e(s.matches[0].docUrl)}"><code>${e(s.matches[0].rule)}</code></a>` : ''}</td></tr>`,
        )
        .join('\n')}</table>`
    : '<p class="muted">None at the end of the watch.</p>';
  const blocked = r.blockedLong.length
    ? `<table><tr><th>count</th><th>state</th><th>minutes</th><th>where</th><th>created at</th></tr>${r.blockedLong
        .map((b) => `<tr><td>${b.count}</td><td>${e(b.state)}</td><td>${b.minutes}</td><td><code>${e(b.func ?? '')}</code> <code>${e(loc(b.where))}</code></td><td><code>${e(loc(b.createdAt))}</code></td></tr>`)
        .join('\n')}</table>`
    : '<p class="muted">None at the end of the watch.</p>';

  const first = r.samples[0];
  const last = r.samples[r.samples.length - 1];
  const verdict = r.leaks.length
    ? `<div class="verdict bad">${r.leaks.length} leak${r.leaks.length === 1 ? '' : 's'} found: ${e(r.leaks.map(leakTitle).join('; '))}</div>`
    : '<div class="verdict good">No leak found</div>';
  const ls = loadSummary(r);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>deferguard watch: ${e(r.pprof)}</title><style>${CSS}</style></head>
<body>
<h1>deferguard watch</h1>
<div class="meta">${e(r.pprof)} · ${r.samples.length} samples over ${(r.durationMs / 1000).toFixed(1)} s (every ${r.intervalMs} ms) · started ${e(r.startedAt)}</div>
${ls ? `<div class="meta">${e(ls)}</div>` : ''}
${first && last ? `<div class="meta">goroutines: ${first.total} at the start, ${last.total} at the end</div>` : ''}
${verdict}
<div class="chart">${goroutineChart}</div>
<h2>Leaks</h2>
${leaksTable}
<h2>Stuck inside a deferred call</h2>
${stuck}
<h2>Blocked for a long time</h2>
${blocked}
<h2>GC pauses</h2>
<div class="chart">${gcChart}</div>
${r.gc.prometheus ? `<p>Prometheus <code>go_gc_duration_seconds</code>: ${e(r.gc.prometheus.quantiles.map((q) => `q${q.quantile} ${fmtNs(q.seconds * 1e9)}`).join(', '))}</p>` : ''}
<p class="muted">goroutineleak profile: ${e(r.goroutineleak)}</p>
${r.notes.length ? `<h2>Notes</h2><ul>${r.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
