// expvar's /debug/vars: the JSON object Go's expvar package serves, with runtime.MemStats
// under "memstats". The GC pause history is a ring of 256 entries; newPauses() returns
// exactly the pauses since a previous poll and says how many were overwritten in between.

/** Size of runtime.MemStats.PauseNs and PauseEnd. */
export const PAUSE_RING = 256;

/** The runtime.MemStats fields deferguard uses (the JSON carries more; they are kept in `raw`). */
export interface MemStats {
  Alloc: number;
  TotalAlloc: number;
  Sys: number;
  Mallocs: number;
  Frees: number;
  HeapAlloc: number;
  HeapSys: number;
  HeapInuse: number;
  HeapObjects: number;
  StackInuse: number;
  NextGC: number;
  /** Unix nanoseconds of the last GC end (as a float: precision ~256 ns). */
  LastGC: number;
  PauseTotalNs: number;
  PauseNs: number[];
  PauseEnd: number[];
  NumGC: number;
  NumForcedGC: number;
  GCCPUFraction: number;
  raw: Record<string, unknown>;
}

export interface ExpvarSnapshot {
  memstats: MemStats;
  cmdline?: string[];
  /** Every other published variable, as decoded JSON. */
  vars: Record<string, unknown>;
}

export class ExpvarError extends Error {}

const NUMERIC_FIELDS = [
  'Alloc',
  'TotalAlloc',
  'Sys',
  'Mallocs',
  'Frees',
  'HeapAlloc',
  'HeapSys',
  'HeapInuse',
  'HeapObjects',
  'StackInuse',
  'NextGC',
  'LastGC',
  'PauseTotalNs',
  'NumGC',
  'NumForcedGC',
  'GCCPUFraction',
] as const;

/** Parses the body of /debug/vars. Throws ExpvarError with a concrete reason when it is not one. */
export function parseExpvar(text: string): ExpvarSnapshot {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const start = text.trimStart().slice(0, 60);
    throw new ExpvarError(`not an expvar /debug/vars response: invalid JSON (${(e as Error).message}); body starts with ${JSON.stringify(start)}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ExpvarError('not an expvar /debug/vars response: expected a JSON object');
  }
  const obj = doc as Record<string, unknown>;
  const ms = obj.memstats;
  if (ms === null || typeof ms !== 'object' || Array.isArray(ms)) {
    throw new ExpvarError(
      `not a Go expvar endpoint: no "memstats" object (keys: ${Object.keys(obj).slice(0, 10).join(', ') || 'none'})`,
    );
  }
  const m = ms as Record<string, unknown>;
  const memstats = { raw: m } as MemStats;
  for (const k of NUMERIC_FIELDS) {
    const v = m[k];
    if (v === undefined) (memstats as unknown as Record<string, number>)[k] = 0;
    else if (typeof v === 'number' && Number.isFinite(v)) (memstats as unknown as Record<string, number>)[k] = v;
    else throw new ExpvarError(`memstats.${k} is not a number: ${JSON.stringify(v)}`);
  }
  for (const k of ['PauseNs', 'PauseEnd'] as const) {
    const v = m[k];
    if (!Array.isArray(v) || v.length !== PAUSE_RING || !v.every((x) => typeof x === 'number')) {
      throw new ExpvarError(`memstats.${k} must be an array of ${PAUSE_RING} numbers`);
    }
    memstats[k] = v as number[];
  }
  const vars: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'memstats' && k !== 'cmdline') vars[k] = v;
  const out: ExpvarSnapshot = { memstats, vars };
  if (Array.isArray(obj.cmdline) && obj.cmdline.every((x) => typeof x === 'string')) out.cmdline = obj.cmdline as string[];
  return out;
}

export interface Pause {
  /** 1-based number of the GC cycle. */
  gc: number;
  ns: number;
  /** Unix nanoseconds at which the pause ended. */
  end: number;
}

export interface NewPauses {
  /** Oldest first. */
  pauses: Pause[];
  /** GC cycles that happened since the previous poll but whose pauses were overwritten in the ring. */
  lost: number;
  /** NumGC went down: the process restarted; pauses are those of the new process. */
  reset: boolean;
}

/**
 * The pauses of the GC cycles completed after `prevNumGC` (pass 0 on the first poll). The pause
 * of cycle k is at PauseNs[(k + 255) % 256]; the ring keeps the latest 256 cycles.
 */
export function newPauses(prevNumGC: number, m: Pick<MemStats, 'NumGC' | 'PauseNs' | 'PauseEnd'>): NewPauses {
  let prev = prevNumGC;
  let reset = false;
  if (m.NumGC < prev) {
    prev = 0;
    reset = true;
  }
  const fresh = m.NumGC - prev;
  const kept = Math.min(fresh, PAUSE_RING);
  const pauses: Pause[] = [];
  for (let gc = m.NumGC - kept + 1; gc <= m.NumGC; gc++) {
    const i = (gc + PAUSE_RING - 1) % PAUSE_RING;
    pauses.push({ gc, ns: m.PauseNs[i] ?? 0, end: m.PauseEnd[i] ?? 0 });
  }
  return { pauses, lost: fresh - kept, reset };
}

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles (p = the value at rank ceil(p/100 * n) of the sorted list); zeros for an empty list. */
export function percentiles(values: readonly number[]): Percentiles {
  const n = values.length;
  if (n === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => s[Math.max(0, Math.ceil((p / 100) * n) - 1)]!;
  return { count: n, p50: at(50), p90: at(90), p99: at(99), max: s[n - 1]! };
}
