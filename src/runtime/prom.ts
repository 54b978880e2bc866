// The Prometheus text exposition format (version 0.0.4), as served by client_golang's
// promhttp on /metrics: `# HELP`, `# TYPE`, samples `name{label="value",...} value [timestamp]`.
// Tolerant: a bad line is reported in `errors` and skipped; the rest still parses.

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  /** The sample's own name (`go_gc_duration_seconds_count` for a summary's count). */
  name: string;
  labels: Record<string, string>;
  /** Go float: NaN, +Inf and -Inf included. */
  value: number;
  /** Milliseconds since the Unix epoch, when the line had one. */
  timestamp?: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

export interface PromParseResult {
  /** Families in order of first appearance. */
  families: MetricFamily[];
  errors: { line: number; message: string }[];
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Parses a Go float as Prometheus writes it (`NaN`, `+Inf`, `-Inf`, `1e-05`). */
export function parsePromFloat(s: string): number | undefined {
  const t = s.trim();
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && !/^[+-]?0x[0-9a-fA-F]+$/.test(t)) return undefined;
  const v = Number(t);
  return Number.isNaN(v) ? undefined : v;
}

function unescapeHelp(s: string): string {
  return s.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** Parses `{a="x",b="y\"z"}` starting at s[i] === '{'; returns the labels and the index after '}'. */
function parseLabels(s: string, i: number): { labels: Record<string, string>; next: number } | string {
  const labels: Record<string, string> = {};
  i++;
  for (;;) {
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (s[i] === '}') return { labels, next: i + 1 };
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(s.slice(i));
    if (!m) return `bad label name at column ${i + 1}`;
    const name = m[0];
    i += name.length;
    while (s[i] === ' ') i++;
    if (s[i] !== '=') return `expected '=' after label ${name}`;
    i++;
    while (s[i] === ' ') i++;
    if (s[i] !== '"') return `expected '"' to open the value of label ${name}`;
    i++;
    let v = '';
    for (;;) {
      const c = s[i];
      if (c === undefined) return `unterminated value of label ${name}`;
      if (c === '"') break;
      if (c === '\\') {
        const e = s[i + 1];
        if (e === 'n') v += '\n';
        else if (e === '\\' || e === '"') v += e;
        else if (e === undefined) return `unterminated value of label ${name}`;
        else v += `\\${e}`;
        i += 2;
        continue;
      }
      v += c;
      i++;
    }
    i++;
    if (Object.prototype.hasOwnProperty.call(labels, name)) return `duplicate label ${name}`;
    labels[name] = v;
    while (s[i] === ' ' || s[i] === '\t') i++;
    if (s[i] === ',') i++;
    else if (s[i] !== '}') return `expected ',' or '}' after label ${name}`;
  }
}

/** The family a sample belongs to: `x_bucket`/`x_sum`/`x_count` join a histogram or summary `x`. */
function familyNameFor(sample: string, types: Map<string, MetricType>): string {
  for (const suffix of ['_bucket', '_sum', '_count', '_created']) {
    if (!sample.endsWith(suffix)) continue;
    const base = sample.slice(0, -suffix.length);
    const t = types.get(base);
    if (t === 'histogram' || (t === 'summary' && suffix !== '_bucket')) return base;
  }
  return sample;
}

export function parsePrometheus(text: string): PromParseResult {
  const families = new Map<string, MetricFamily>();
  const types = new Map<string, MetricType>();
  const errors: { line: number; message: string }[] = [];
  const family = (name: string): MetricFamily => {
    let f = families.get(name);
    if (!f) {
      f = { name, type: types.get(name) ?? 'untyped', samples: [] };
      families.set(name, f);
    }
    return f;
  };
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '');
    const t = line.trim();
    if (t === '') continue;
    if (t.startsWith('#')) {
      const m = /^#\s*(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s+(.*))?$/.exec(t);
      if (!m) continue; // a comment, `# EOF`, `# UNIT`
      const name = m[2]!;
      if (m[1] === 'TYPE') {
        const ty = (m[3] ?? '').trim() as MetricType;
        if (!TYPES.has(ty)) {
          errors.push({ line: n + 1, message: `unknown metric type ${JSON.stringify(m[3] ?? '')} for ${name}` });
          continue;
        }
        types.set(name, ty);
        family(name).type = ty;
      } else {
        family(name).help = unescapeHelp(m[3] ?? '');
      }
      continue;
    }
    const nm = NAME_RE.exec(t);
    if (!nm) {
      errors.push({ line: n + 1, message: `not a metric line: ${JSON.stringify(t.slice(0, 60))}` });
      continue;
    }
    const name = nm[0];
    let i = name.length;
    let labels: Record<string, string> = {};
    if (t[i] === '{') {
      const r = parseLabels(t, i);
      if (typeof r === 'string') {
        errors.push({ line: n + 1, message: `${name}: ${r}` });
        continue;
      }
      labels = r.labels;
      i = r.next;
    }
    const rest = t.slice(i).trim().split(/\s+/);
    const value = rest[0] !== undefined ? parsePromFloat(rest[0]) : undefined;
    if (value === undefined || rest.length > 2) {
      errors.push({ line: n + 1, message: `${name}: bad value ${JSON.stringify(t.slice(i).trim())}` });
      continue;
    }
    const sample: Sample = { name, labels, value };
    if (rest[1] !== undefined) {
      if (!/^-?\d+$/.test(rest[1])) {
        errors.push({ line: n + 1, message: `${name}: bad timestamp ${JSON.stringify(rest[1])}` });
        continue;
      }
      sample.timestamp = Number(rest[1]);
    }
    family(familyNameFor(name, types)).samples.push(sample);
  }
  return { families: [...families.values()], errors };
}

export function findFamily(families: readonly MetricFamily[], name: string): MetricFamily | undefined {
  return families.find((f) => f.name === name);
}

/** `go_goroutines` (a gauge with no labels in client_golang's Go collector). */
export function goGoroutines(families: readonly MetricFamily[]): number | undefined {
  return findFamily(families, 'go_goroutines')?.samples.find((s) => s.name === 'go_goroutines')?.value;
}

export interface SummaryValue {
  labels: Record<string, string>;
  /** Sorted by quantile. */
  quantiles: { quantile: number; value: number }[];
  sum?: number;
  count?: number;
}

/** The series of a summary family, one per label set (without `quantile`). */
export function summaries(f: MetricFamily): SummaryValue[] {
  const out = new Map<string, SummaryValue>();
  for (const s of f.samples) {
    const { quantile, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    let v = out.get(key);
    if (!v) {
      v = { labels: rest, quantiles: [] };
      out.set(key, v);
    }
    if (s.name === f.name && quantile !== undefined) {
      const q = parsePromFloat(quantile);
      if (q !== undefined) v.quantiles.push({ quantile: q, value: s.value });
    } else if (s.name === `${f.name}_sum`) v.sum = s.value;
    else if (s.name === `${f.name}_count`) v.count = s.value;
  }
  for (const v of out.values()) v.quantiles.sort((a, b) => a.quantile - b.quantile);
  return [...out.values()];
}

export interface HistogramValue {
  labels: Record<string, string>;
  /** Cumulative counts, sorted by upper bound (the last is +Inf). */
  buckets: { le: number; count: number }[];
  sum?: number;
  count?: number;
}

export function histograms(f: MetricFamily): HistogramValue[] {
  const out = new Map<string, HistogramValue>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    let v = out.get(key);
    if (!v) {
      v = { labels: rest, buckets: [] };
      out.set(key, v);
    }
    if (s.name === `${f.name}_bucket` && le !== undefined) {
      const bound = parsePromFloat(le);
      if (bound !== undefined) v.buckets.push({ le: bound, count: s.value });
    } else if (s.name === `${f.name}_sum`) v.sum = s.value;
    else if (s.name === `${f.name}_count`) v.count = s.value;
  }
  for (const v of out.values()) v.buckets.sort((a, b) => a.le - b.le);
  return [...out.values()];
}

/** `go_gc_duration_seconds`: the GC pause summary (quantiles 0, 0.25, 0.5, 0.75, 1 in client_golang). */
export function gcDurationSeconds(families: readonly MetricFamily[]): SummaryValue | undefined {
  const f = findFamily(families, 'go_gc_duration_seconds');
  if (!f) return undefined;
  return summaries(f)[0];
}

/** True when the exposition has the Go collector's metrics (a Go service's /metrics). */
export function looksLikeGoMetrics(families: readonly MetricFamily[]): boolean {
  return families.some((f) => f.name === 'go_goroutines' || f.name === 'go_gc_duration_seconds' || f.name === 'go_info');
}
