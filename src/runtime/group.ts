// Grouping and analysis of goroutine dumps: goroutines with the same state and the same stack
// form one group (largest first); each group knows its creation site, its top user frame,
// whether it is blocked (and for how long) and whether it is stuck inside a deferred call.
// `createdAt` and `stuckDefer` are plain {file, line} so that a join with static findings
// (a `go` statement's line, a function's exit line) is a map lookup.
import type { CreatedBy, Frame, Goroutine, ProfileDump, TracebackDump } from './goroutines.js';

/** How goroutines with the same functions and lines but different argument values are treated. */
export type Similarity = 'exact' | 'similar' | 'any';

export interface GroupOptions {
  /** `exact`: arguments must be identical; `similar`: same shape, pointers match any pointer; `any` (default): ignore arguments. */
  similarity?: Similarity;
  /** GOROOT of the program, to tell standard-library frames; guessed from runtime frames when absent. */
  goroot?: string;
  /** Minimum minutes for the "blocked long" verdict (default 1: the runtime prints minutes from 1 on). */
  minBlockedMinutes?: number;
  /**
   * Returns the text of a source line (1-based), when sources are available. Used to recognise a
   * deferred call run at a function's exit: the caller's line is the function's closing brace.
   */
  sourceLine?: (file: string, line: number) => string | undefined;
}

export type BlockKind = 'chan' | 'select' | 'mutex' | 'waitgroup' | 'cond' | 'io' | 'sleep' | 'other';

export interface Location {
  file: string;
  line: number;
}

export interface StuckDefer extends Location {
  /** The deferred function that is running (innermost user frame of it). */
  deferred: Frame;
  /** The function whose defer is running; file:line is where it returns or panicked (the join key). */
  caller: Frame;
  /** How the deferred call was recognised. */
  via: 'panic' | 'deferreturn' | 'deferwrap' | 'exit';
  /** False when only the shape of the stack suggests it (a closure called by its enclosing function, no source to check). */
  confirmed: boolean;
}

export interface Group {
  /** 1-based rank after sorting. */
  index: number;
  count: number;
  state: string;
  leaked: number;
  lockedToThread: number;
  /** Goroutine ids, ascending (empty for debug=1 profiles). */
  ids: number[];
  minutes: { min: number; max: number };
  /** The representative stack, innermost first; argument values that differ within the group are shown as `*`. */
  frames: Frame[];
  labels?: Record<string, string>;
  createdBy?: CreatedBy;
  /** Where the goroutines were started (the `go` statement). */
  createdAt?: Location;
  topUserFrame?: Frame;
  /** Set when the state is a blocking wait. */
  blocked?: BlockKind;
  /** Blocked at least `minBlockedMinutes` (the group's maximum). */
  blockedLong: boolean;
  stuckDefer?: StuckDefer;
  elided: boolean;
}

export interface Analysis {
  format: 'traceback' | 'debug1';
  kind: string;
  total: number;
  groups: Group[];
  panics: string[];
  signal?: string;
  fatalError?: string;
  testTimeout?: { after: string; running: string[] };
  truncated: boolean;
  goroot?: string;
}

const BLOCK_KINDS: [RegExp, BlockKind][] = [
  [/^chan (receive|send)( \(nil chan\))?$/, 'chan'],
  [/^select( \(no cases\))?$/, 'select'],
  [/^(sync\.(RW)?Mutex\.R?Lock|semacquire)$/, 'mutex'],
  [/^sync\.WaitGroup\.Wait$/, 'waitgroup'],
  [/^sync\.Cond\.Wait$/, 'cond'],
  [/^IO wait$/, 'io'],
  [/^sleep$/, 'sleep'],
  [/^(chan receive|chan send|select|sync\.WaitGroup\.Wait|synctest\.Wait|synctest\.Run)/, 'other'],
];

/**
 * The kind of wait a goroutine state denotes, or undefined for running/runnable/system states.
 * Before Go 1.20 every sync wait printed as `semacquire`; the frames then tell a WaitGroup from a lock.
 */
export function blockKind(state: string, frames: Frame[] = []): BlockKind | undefined {
  if (state === 'semacquire') {
    if (frames.some((f) => f.func === 'sync.(*WaitGroup).Wait')) return 'waitgroup';
    if (frames.some((f) => f.func === 'sync.(*Cond).Wait')) return 'cond';
  }
  for (const [re, kind] of BLOCK_KINDS) if (re.test(state)) return kind;
  return undefined;
}

/**
 * Guesses GOROOT from the frames: a runtime frame's file (`/usr/local/go/src/runtime/proc.go`
 * gives `/usr/local/go`), or any standard-library frame whose file sits at `<GOROOT>/src/<pkg>/`.
 */
export function guessGoroot(frames: Iterable<Frame>): string | undefined {
  let fallback: string | undefined;
  for (const f of frames) {
    if (f.func.startsWith('runtime.') || f.func === 'panic') {
      const m = /^(.*)\/src\/runtime\/[^/]+\.(go|s)$/.exec(f.file);
      if (m && m[1] !== '') return m[1];
    }
    if (fallback === undefined && looksStdPackage(funcPackage(f.func))) {
      const pkg = funcPackage(f.func);
      const i = f.file.lastIndexOf(`/src/${pkg}/`);
      if (i > 0 && f.file.indexOf('/', i + `/src/${pkg}/`.length) < 0) fallback = f.file.slice(0, i);
    }
  }
  return fallback;
}

/** Import path of a function's package: `main`, `net/http`, `example.com/m/p`. */
export function funcPackage(func: string): string {
  const slash = func.lastIndexOf('/');
  const dot = func.indexOf('.', slash + 1);
  return dot < 0 ? func : func.slice(0, dot);
}

/** A package path that can only be the standard library's: no dot in its first element, not main. */
function looksStdPackage(pkg: string): boolean {
  return pkg !== 'main' && pkg !== '' && !pkg.split('/')[0]!.includes('.') && !pkg.includes('_test');
}

/** True for runtime, internal and standard-library frames (and frames whose function is unknown). */
export function isStdFrame(f: Frame, goroot?: string): boolean {
  if (f.func === '?' || f.func === 'panic') return true;
  if (f.func.startsWith('runtime.') || f.func.startsWith('internal/') || f.func.startsWith('runtime/')) return true;
  if (goroot !== undefined && f.file.startsWith(`${goroot}/src/`)) return true;
  const absolute = f.file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(f.file);
  if (goroot !== undefined && absolute) return false;
  return looksStdPackage(funcPackage(f.func));
}

const POINTER_MIN = 0x10000;

function argShape(args: string | undefined, sim: Similarity): string {
  if (args === undefined || sim === 'any') return '';
  if (sim === 'exact') return args;
  return args.replace(/0x[0-9a-fA-F]+\??/g, (v) => {
    const n = parseInt(v.replace('?', ''), 16);
    return n >= POINTER_MIN ? '*' : v.replace('?', '');
  });
}

function frameKey(f: Frame, sim: Similarity): string {
  return `${f.func}\u0000${f.file}:${f.line}\u0000${argShape(f.args, sim)}`;
}

function mergeArgs(a: string | undefined, b: string | undefined): string | undefined {
  if (a === b) return a;
  if (a === undefined || b === undefined) return a ?? b;
  const pa = a.split(', ');
  const pb = b.split(', ');
  if (pa.length !== pb.length) return '*';
  return pa.map((x, i) => (x === pb[i] ? x : '*')).join(', ');
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

const DEFER_RUNNERS = new Set(['panic', 'runtime.gopanic', 'runtime.deferreturn', 'runtime.runOpenDeferFrame', 'runtime.deferCallSave']);

/**
 * Finds the innermost deferred call the stack is inside, if any. Recognised shapes:
 *  - a frame called by `panic`/`runtime.gopanic` (defers run while panicking);
 *  - a frame called by `runtime.deferreturn` (defers that are not open-coded);
 *  - a `.deferwrapN` frame (the compiler's wrapper for `defer f(args)`);
 *  - a frame whose caller's line is the caller's closing brace `}` (open-coded defers run at exit;
 *    needs `sourceLine`), or, without sources, a closure `F.funcN` called directly by `F` (unconfirmed).
 */
export function findStuckDefer(frames: Frame[], opts: GroupOptions = {}): StuckDefer | undefined {
  const goroot = opts.goroot;
  const callerAfter = (j: number): Frame | undefined => {
    for (let k = j; k < frames.length; k++) {
      const f = frames[k]!;
      if (!DEFER_RUNNERS.has(f.func) && !f.func.startsWith('runtime.')) return f;
    }
    return undefined;
  };
  const deferredAt = (i: number): Frame => {
    // The deferred function itself is frames[i]; prefer showing a user frame inside it when it is library code.
    const f = frames[i]!;
    if (!isStdFrame(f, goroot)) return f;
    for (let k = i; k >= 0; k--) if (!isStdFrame(frames[k]!, goroot)) return frames[k]!;
    return f;
  };
  const result = (i: number, caller: Frame, via: StuckDefer['via'], confirmed: boolean): StuckDefer => ({
    file: caller.file,
    line: caller.line,
    deferred: deferredAt(i),
    caller,
    via,
    confirmed,
  });
  for (let i = 0; i + 1 < frames.length; i++) {
    const f = frames[i]!;
    const next = frames[i + 1]!;
    if (DEFER_RUNNERS.has(f.func)) continue;
    if (/\.deferwrap\d+$/.test(f.func)) {
      const caller = callerAfter(i + 1);
      if (caller) return result(i > 0 ? i - 1 : i, caller, 'deferwrap', true);
    }
    if (DEFER_RUNNERS.has(next.func)) {
      const caller = callerAfter(i + 2);
      if (caller && !f.func.startsWith('runtime.')) {
        return result(i, caller, next.func === 'panic' || next.func === 'runtime.gopanic' ? 'panic' : 'deferreturn', true);
      }
    }
    if (isStdFrame(next, goroot)) continue;
    const text = opts.sourceLine?.(next.file, next.line);
    if (text !== undefined) {
      if (text.trim() === '}') return result(i, next, 'exit', true);
    } else if (f.func.startsWith(`${next.func}.func`) && /^\d+(\.\d+)*$/.test(f.func.slice(next.func.length + 5))) {
      return result(i, next, 'exit', false);
    }
  }
  return undefined;
}

interface Sample {
  count: number;
  ids: number[];
  state: string;
  leaked: boolean;
  locked: boolean;
  minutes: number;
  frames: Frame[];
  labels?: Record<string, string>;
  createdBy?: CreatedBy;
  elided: boolean;
}

function samplesFromTraceback(dump: TracebackDump): Sample[] {
  return dump.goroutines.map((g: Goroutine) => {
    const s: Sample = {
      count: 1,
      ids: [g.id],
      state: g.state,
      leaked: g.leaked,
      locked: g.lockedToThread,
      minutes: g.waitMinutes,
      frames: g.frames,
      elided: g.elided,
    };
    if (g.labels) s.labels = g.labels;
    if (g.createdBy) s.createdBy = g.createdBy;
    return s;
  });
}

function samplesFromProfile(dump: ProfileDump): Sample[] {
  const leaked = dump.profile === 'goroutineleak';
  return dump.groups.map((g) => {
    const s: Sample = {
      count: g.count,
      ids: [],
      state: leaked ? 'leaked' : '',
      leaked,
      locked: false,
      minutes: 0,
      frames: g.frames,
      elided: false,
    };
    if (g.labels) s.labels = g.labels;
    return s;
  });
}

/** Groups and analyses a parsed dump. Output order is deterministic. */
export function analyze(dump: TracebackDump | ProfileDump, opts: GroupOptions = {}): Analysis {
  const sim = opts.similarity ?? 'any';
  const samples = dump.format === 'traceback' ? samplesFromTraceback(dump) : samplesFromProfile(dump);
  const goroot = opts.goroot ?? guessGoroot(samples.flatMap((s) => s.frames));
  const o: GroupOptions = { ...opts, similarity: sim };
  if (goroot !== undefined) o.goroot = goroot;
  const minLong = opts.minBlockedMinutes ?? 1;

  const byKey = new Map<string, Group & { labelsMixed?: boolean }>();
  const order: string[] = [];
  for (const s of samples) {
    const cb = s.createdBy ? `${s.createdBy.func}\u0000${s.createdBy.file}:${s.createdBy.line}` : '';
    const labelKey = dump.format === 'debug1' ? JSON.stringify(s.labels ?? null) : '';
    const key = [s.state, cb, labelKey, ...s.frames.map((f) => frameKey(f, sim))].join('\u0001');
    let g = byKey.get(key);
    if (!g) {
      g = {
        index: 0,
        count: 0,
        state: s.state,
        leaked: 0,
        lockedToThread: 0,
        ids: [],
        minutes: { min: s.minutes, max: s.minutes },
        frames: s.frames.map((f) => ({ ...f })),
        blockedLong: false,
        elided: false,
      };
      if (s.labels) g.labels = s.labels;
      if (s.createdBy) {
        g.createdBy = s.createdBy;
        g.createdAt = { file: s.createdBy.file, line: s.createdBy.line };
      }
      byKey.set(key, g);
      order.push(key);
    } else {
      g.frames.forEach((f, i) => {
        const merged = mergeArgs(f.args, s.frames[i]!.args);
        if (merged !== undefined) f.args = merged;
        if (f.pcOffset !== s.frames[i]!.pcOffset) delete f.pcOffset;
      });
      if (!sameLabels(g.labels, s.labels)) g.labelsMixed = true;
    }
    g.count += s.count;
    g.ids.push(...s.ids);
    if (s.leaked) g.leaked += s.count;
    if (s.locked) g.lockedToThread += s.count;
    g.minutes.min = Math.min(g.minutes.min, s.minutes);
    g.minutes.max = Math.max(g.minutes.max, s.minutes);
    g.elided ||= s.elided;
  }

  const groups: Group[] = [];
  for (const key of order) {
    const g = byKey.get(key)!;
    if (g.labelsMixed) delete g.labels;
    delete g.labelsMixed;
    g.ids.sort((a, b) => a - b);
    const top = g.frames.find((f) => !isStdFrame(f, goroot));
    if (top) g.topUserFrame = top;
    const kind = blockKind(g.state, g.frames);
    if (kind) g.blocked = kind;
    g.blockedLong = kind !== undefined && g.minutes.max >= minLong && g.minutes.max > 0;
    const sd = findStuckDefer(g.frames, o);
    if (sd) g.stuckDefer = sd;
    groups.push(g);
  }
  groups.sort(
    (a, b) =>
      b.count - a.count ||
      cmp(a.state, b.state) ||
      cmp(a.topUserFrame?.func ?? a.frames[0]?.func ?? '', b.topUserFrame?.func ?? b.frames[0]?.func ?? '') ||
      (a.ids[0] ?? 0) - (b.ids[0] ?? 0) ||
      cmp(JSON.stringify(a.frames), JSON.stringify(b.frames)),
  );
  groups.forEach((g, i) => (g.index = i + 1));

  const out: Analysis = {
    format: dump.format,
    kind: dump.format === 'traceback' ? dump.kind : dump.profile,
    total: dump.format === 'traceback' ? dump.goroutines.length : dump.total,
    groups,
    panics: dump.format === 'traceback' ? dump.panics : [],
    truncated: dump.truncated,
  };
  if (goroot !== undefined) out.goroot = goroot;
  if (dump.format === 'traceback') {
    if (dump.signal) out.signal = dump.signal;
    if (dump.fatalError) out.fatalError = dump.fatalError;
    if (dump.testTimeout) out.testTimeout = dump.testTimeout;
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
