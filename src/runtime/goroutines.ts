// Parsers for the goroutine dumps Go programs print:
//  - tracebacks: pprof goroutine?debug=2, runtime.Stack(buf, true), panic output
//    (GOTRACEBACK=all), SIGQUIT dumps, `go test -timeout` dumps, goroutineleak?debug=2;
//  - the grouped legacy profile: pprof goroutine?debug=1 and goroutineleak?debug=1.
// Both parsers are tolerant: lines they do not recognise are skipped, and a dump cut
// off in the middle still yields every goroutine (and frame) that is complete.

/** One stack frame. `file` is exactly as printed (absolute, or module-relative under -trimpath). */
export interface Frame {
  /** Function as printed: `main.f`, `main.(*T).M`, `main.(*Pool[...]).worker`, `main.f.func1`, `panic`. */
  func: string;
  file: string;
  line: number;
  /** Offset of the PC from the function entry (`+0x1c`); absent for inlined frames. */
  pcOffset?: number;
  /** The argument list as printed, without the parentheses (`0x1, {0x4b2d3c, 0x5}`, `...`). */
  args?: string;
  /** The runtime printed `(...)`: the call was inlined into the next frame. */
  inlined?: boolean;
  /** Absolute PC, only in debug=1 profiles (hex string, e.g. `0x52066b`). */
  pc?: string;
}

export interface CreatedBy {
  func: string;
  file: string;
  line: number;
  pcOffset?: number;
  /** `created by X in goroutine N` (Go 1.21+); absent in the older `created by X` form. */
  goroutine?: number;
}

/** A creator's stack recorded with GODEBUG=tracebackancestors=N. */
export interface Ancestor {
  id: number;
  frames: Frame[];
  createdBy?: CreatedBy;
  /** `...additional frames elided...` followed the frames. */
  elided: boolean;
}

export interface Goroutine {
  id: number;
  /** Wait reason or status without the decorations: `chan receive`, `running`, `sync.Mutex.Lock`. */
  state: string;
  /** Minutes the goroutine has been blocked (the runtime prints it from 1 minute on); 0 otherwise. */
  waitMinutes: number;
  lockedToThread: boolean;
  /** Marked `(leaked)` by the goroutine leak detector (Go 1.26 goroutineleak profile). */
  leaked: boolean;
  /** Marked `(durable)`: blocked inside a synctest bubble. */
  durable?: boolean;
  /** `synctest bubble N`. */
  bubble?: number;
  /** Labels printed in the header (GODEBUG=tracebacklabels=1). */
  labels?: Record<string, string>;
  /** Innermost first. */
  frames: Frame[];
  createdBy?: CreatedBy;
  ancestors: Ancestor[];
  /** Frames were left out: `...N frames elided...` (Go 1.21+) or `...additional frames elided...`. */
  elided: boolean;
  /** Number of frames left out, when the runtime said it. */
  elidedCount?: number;
  /** `goroutine running on other thread; stack unavailable`. */
  stackUnavailable?: boolean;
  /** 1-based line of the header in the input. */
  line: number;
}

export type TracebackKind = 'stacks' | 'panic' | 'fatal' | 'signal' | 'test-timeout';

export interface TracebackDump {
  format: 'traceback';
  /** What produced the dump, judged from the text before the first goroutine. */
  kind: TracebackKind;
  goroutines: Goroutine[];
  /** `panic: ...` messages in order (nested panics print several). */
  panics: string[];
  /** `fatal error: ...`. */
  fatalError?: string;
  /** `SIGQUIT: quit`, `SIGSEGV: segmentation violation`. */
  signal?: string;
  /** `panic: test timed out after 2s` with the tests that were running. */
  testTimeout?: { after: string; running: string[] };
  /** The input ended in the middle of a goroutine. */
  truncated: boolean;
}

export interface ProfileGroup {
  count: number;
  /** The stack as PCs (hex strings), as in the `N @ 0x...` line. */
  pcs: string[];
  labels?: Record<string, string>;
  frames: Frame[];
  /** 1-based line of the `N @` line. */
  line: number;
}

export interface ProfileDump {
  format: 'debug1';
  /** `goroutine`, `goroutineleak`, or another count profile's name. */
  profile: string;
  total: number;
  groups: ProfileGroup[];
  truncated: boolean;
}

export type Dump = TracebackDump | ProfileDump;

export class DumpParseError extends Error {}

const HEADER_RE = /^goroutine (\d+)(?: gp=\S+)?(?: m=\S+)?(?: mp=\S+)?\s*\[(.*)\]:?\s*$/;
const FILE_RE = /^\s+(.*?):(\d+)(?: \+0x([0-9a-fA-F]+))?(?: fp=0x[0-9a-fA-F]+ sp=0x[0-9a-fA-F]+ pc=0x[0-9a-fA-F]+)?\s*$/;
const CREATED_RE = /^created by (\S.*?)(?: in goroutine (\d+))?\s*$/;
const ANCESTOR_RE = /^\[originating from goroutine (\d+)\]:\s*$/;
const ELIDED_RE = /^\.\.\.(\d+) frames elided\.\.\.\s*$/;
const ADDITIONAL_ELIDED = '...additional frames elided...';
const PROFILE_HEADER_RE = /^(\w[\w.-]*) profile: total (\d+)\s*$/;

/** Parses any supported dump, deciding the format from its content. */
export function parseDump(text: string): Dump {
  const first = firstNonBlankLine(text);
  if (first !== undefined && PROFILE_HEADER_RE.test(first)) return parseProfile(text);
  const dump = parseTraceback(text);
  if (dump.goroutines.length === 0) {
    const hint = first === undefined ? 'the input is empty' : `it starts with ${JSON.stringify(first.slice(0, 80))}`;
    throw new DumpParseError(
      `not a goroutine dump: no "goroutine N [state]:" header and no "goroutine profile: total N" line (${hint})`,
    );
  }
  return dump;
}

function firstNonBlankLine(text: string): string | undefined {
  for (const raw of splitLines(text)) {
    if (raw.trim() !== '') return raw.trim();
  }
  return undefined;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
  return lines;
}

/**
 * Splits `name(args)` at the parenthesis that opens the final argument list, so that
 * receivers (`(*T).M`) and type arguments (`[...]`) stay in the name.
 */
export function splitCall(s: string): { func: string; args: string } | undefined {
  const t = s.trimEnd();
  if (!t.endsWith(')')) return undefined;
  let depth = 0;
  for (let i = t.length - 1; i >= 0; i--) {
    const c = t[i];
    if (c === ')') depth++;
    else if (c === '(') {
      depth--;
      if (depth === 0) {
        const func = t.slice(0, i);
        if (func === '' || /\s/.test(func)) return undefined;
        return { func, args: t.slice(i + 1, -1) };
      }
    }
  }
  return undefined;
}

interface HeaderInfo {
  state: string;
  waitMinutes: number;
  lockedToThread: boolean;
  leaked: boolean;
  durable: boolean;
  bubble?: number;
  labels?: Record<string, string>;
}

/** Parses the bracketed part of `goroutine 7 [chan send (leaked), 3 minutes, locked to thread]:`. */
export function parseHeaderStatus(inner: string): HeaderInfo {
  let rest = inner;
  let labels: Record<string, string> | undefined;
  const li = rest.indexOf(' labels:{');
  if (li >= 0 && rest.endsWith('}')) {
    labels = parseLabelSet(rest.slice(li + ' labels:'.length));
    rest = rest.slice(0, li);
  }
  const parts = rest.split(', ');
  let state = parts[0]!.trim();
  let leaked = false;
  let durable = false;
  for (;;) {
    if (state.endsWith(' (leaked)')) {
      leaked = true;
      state = state.slice(0, -' (leaked)'.length);
    } else if (state.endsWith(' (scan)')) {
      state = state.slice(0, -' (scan)'.length);
    } else if (state.endsWith(' (durable)')) {
      durable = true;
      state = state.slice(0, -' (durable)'.length);
    } else break;
  }
  if (state === 'leaked') leaked = true;
  const info: HeaderInfo = { state, waitMinutes: 0, lockedToThread: false, leaked, durable };
  for (const p of parts.slice(1)) {
    const part = p.trim();
    let m: RegExpMatchArray | null;
    if ((m = /^(\d+) minutes?$/.exec(part))) info.waitMinutes = Number(m[1]);
    else if (part === 'locked to thread') info.lockedToThread = true;
    else if ((m = /^synctest bubble (\d+)$/.exec(part))) info.bubble = Number(m[1]);
  }
  if (labels) info.labels = labels;
  return info;
}

/**
 * Parses a label set as Go prints it: `{"k":"v", "k2":"v2"}` (pprof debug=1) or
 * `{"k": "v"}` (traceback header). Returns undefined when the text is not a label set.
 */
export function parseLabelSet(text: string): Record<string, string> | undefined {
  const s = text.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) return undefined;
  const out: Record<string, string> = {};
  let i = 1;
  const end = s.length - 1;
  const skipSpace = () => {
    while (i < end && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  skipSpace();
  while (i < end) {
    const key = readQuoted(s, i);
    if (!key) return undefined;
    i = key.next;
    skipSpace();
    if (s[i] !== ':') return undefined;
    i++;
    skipSpace();
    const value = readQuoted(s, i);
    if (!value) return undefined;
    i = value.next;
    out[key.value] = value.value;
    skipSpace();
    if (s[i] === ',') {
      i++;
      skipSpace();
    } else if (i < end) return undefined;
  }
  return out;
}

/** Reads a Go double-quoted string literal starting at s[i]. */
function readQuoted(s: string, i: number): { value: string; next: number } | undefined {
  if (s[i] !== '"') return undefined;
  let out = '';
  let j = i + 1;
  while (j < s.length) {
    const c = s[j]!;
    if (c === '"') return { value: out, next: j + 1 };
    if (c !== '\\') {
      out += c;
      j++;
      continue;
    }
    const e = s[j + 1];
    if (e === undefined) return undefined;
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };
    if (simple[e] !== undefined) {
      out += simple[e];
      j += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = s.slice(j + 2, j + 2 + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) return undefined;
      out += e === 'x' ? String.fromCharCode(parseInt(hex, 16)) : String.fromCodePoint(parseInt(hex, 16));
      j += 2 + n;
    } else if (/[0-7]/.test(e)) {
      const oct = s.slice(j + 1, j + 4);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      out += String.fromCharCode(parseInt(oct, 8));
      j += 4;
    } else return undefined;
  }
  return undefined;
}

function parseFileLine(line: string): { file: string; line: number; pcOffset?: number } | undefined {
  if (!(line.startsWith('\t') || line.startsWith(' '))) return undefined;
  const m = FILE_RE.exec(line);
  if (!m || m[1] === '') return undefined;
  const out: { file: string; line: number; pcOffset?: number } = { file: m[1]!, line: Number(m[2]) };
  if (m[3] !== undefined) out.pcOffset = parseInt(m[3], 16);
  return out;
}

/** Parses traceback text (debug=2, panic, SIGQUIT, test timeout, goroutineleak?debug=2). */
export function parseTraceback(text: string): TracebackDump {
  const lines = splitLines(text);
  const dump: TracebackDump = { format: 'traceback', kind: 'stacks', goroutines: [], panics: [], truncated: false };
  let g: Goroutine | undefined;
  /** Frames and creator currently being filled: the goroutine's own, or its latest ancestor's. */
  let target: { frames: Frame[]; createdBy?: CreatedBy; elided: boolean; elidedCount?: number } | undefined;
  let runningTests: string[] | undefined;

  const finish = () => {
    if (g) dump.goroutines.push(g);
    g = undefined;
    target = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = HEADER_RE.exec(line);
    if (header) {
      finish();
      const info = parseHeaderStatus(header[2]!);
      g = {
        id: Number(header[1]),
        state: info.state,
        waitMinutes: info.waitMinutes,
        lockedToThread: info.lockedToThread,
        leaked: info.leaked,
        frames: [],
        ancestors: [],
        elided: false,
        line: i + 1,
      };
      if (info.durable) g.durable = true;
      if (info.bubble !== undefined) g.bubble = info.bubble;
      if (info.labels) g.labels = info.labels;
      target = g;
      continue;
    }
    if (!g || !target) {
      // Preamble: what made the program print the dump.
      const t = line.trim();
      let m: RegExpMatchArray | null;
      if ((m = /^panic: test timed out after (\S+)/.exec(t))) {
        dump.testTimeout = { after: m[1]!, running: [] };
        runningTests = dump.testTimeout.running;
        dump.panics.push(t.slice('panic: '.length));
      } else if (runningTests && /^\S.* \([^)]*\)$/.test(t) && line.startsWith('\t\t')) {
        runningTests.push(t.replace(/ \([^)]*\)$/, ''));
      } else if (t.startsWith('panic: ')) {
        dump.panics.push(t.slice('panic: '.length));
      } else if (t.startsWith('fatal error: ')) {
        dump.fatalError ??= t.slice('fatal error: '.length);
      } else if ((m = /^(SIG[A-Z0-9]+: .+)$/.exec(t))) {
        dump.signal ??= m[1]!;
      } else if ((m = /^\[signal (SIG[A-Z0-9]+: .*?)(?: code=.*)?\]$/.exec(t))) {
        dump.signal ??= m[1]!;
      }
      continue;
    }
    if (line.trim() === '') {
      // A blank line ends a goroutine; anything after it until the next header is ignored.
      finish();
      continue;
    }
    const anc = ANCESTOR_RE.exec(line);
    if (anc) {
      const a: Ancestor = { id: Number(anc[1]), frames: [], elided: false };
      g.ancestors.push(a);
      target = a;
      continue;
    }
    if (line.trim() === ADDITIONAL_ELIDED) {
      target.elided = true;
      continue;
    }
    const el = ELIDED_RE.exec(line.trim());
    if (el) {
      target.elided = true;
      target.elidedCount = (target.elidedCount ?? 0) + Number(el[1]);
      continue;
    }
    if (/^\s*goroutine running on other thread; stack unavailable/.test(line)) {
      g.stackUnavailable = true;
      continue;
    }
    const created = CREATED_RE.exec(line);
    if (created) {
      const loc = i + 1 < lines.length ? parseFileLine(lines[i + 1]!) : undefined;
      if (!loc) {
        if (atEnd(lines, i + 1)) dump.truncated = true;
        continue;
      }
      i++;
      const cb: CreatedBy = { func: created[1]!, file: loc.file, line: loc.line };
      if (loc.pcOffset !== undefined) cb.pcOffset = loc.pcOffset;
      if (created[2] !== undefined) cb.goroutine = Number(created[2]);
      target.createdBy = cb;
      continue;
    }
    if (line.startsWith('\t') || line.startsWith(' ')) continue; // a file line without a function, or noise
    const call = splitCall(line);
    if (!call) continue;
    const next = lines[i + 1];
    const loc = next !== undefined ? parseFileLine(next) : undefined;
    if (!loc) {
      if (atEnd(lines, i + 1)) dump.truncated = true;
      continue;
    }
    i++;
    const frame: Frame = { func: call.func, file: loc.file, line: loc.line };
    if (loc.pcOffset !== undefined) frame.pcOffset = loc.pcOffset;
    if (call.args === '...') frame.inlined = true;
    else frame.args = call.args;
    target.frames.push(frame);
  }
  if (g && g.frames.length === 0 && g.ancestors.length === 0 && !g.stackUnavailable && atEnd(lines, g.line)) {
    dump.truncated = true;
  }
  finish();
  dump.kind = dump.testTimeout
    ? 'test-timeout'
    : dump.signal && !dump.panics.length
      ? 'signal'
      : dump.panics.length
        ? 'panic'
        : dump.fatalError
          ? 'fatal'
          : 'stacks';
  return dump;
}

/** True when nothing but blank lines remains from index `from` on. */
function atEnd(lines: string[], from: number): boolean {
  for (let j = from; j < lines.length; j++) if (lines[j]!.trim() !== '') return false;
  return true;
}

/** Parses a legacy count profile (`goroutine?debug=1`, `goroutineleak?debug=1`). */
export function parseProfile(text: string): ProfileDump {
  const lines = splitLines(text);
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  const head = PROFILE_HEADER_RE.exec((lines[i] ?? '').trim());
  if (!head) {
    throw new DumpParseError(
      `not a pprof debug=1 profile: expected "goroutine profile: total N" on the first line, got ${JSON.stringify((lines[i] ?? '').slice(0, 80))}`,
    );
  }
  const dump: ProfileDump = { format: 'debug1', profile: head[1]!, total: Number(head[2]), groups: [], truncated: false };
  let grp: ProfileGroup | undefined;
  for (i++; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    let m: RegExpMatchArray | null;
    if ((m = /^(\d+) @((?: 0x[0-9a-fA-F]+)*)\s*$/.exec(t))) {
      grp = { count: Number(m[1]), pcs: m[2]!.trim() === '' ? [] : m[2]!.trim().split(/\s+/), frames: [], line: i + 1 };
      dump.groups.push(grp);
      continue;
    }
    if (!grp) continue;
    if (t.startsWith('# labels:')) {
      const labels = parseLabelSet(t.slice('# labels:'.length));
      if (labels) grp.labels = labels;
      continue;
    }
    if (t.startsWith('#')) {
      const fields = t.slice(1).split('\t').map((f) => f.trim()).filter((f) => f !== '');
      // [pc, func+0xoff, file:line]
      if (fields.length >= 3 && /^0x[0-9a-fA-F]+$/.test(fields[0]!)) {
        const fm = /^(.*)\+0x([0-9a-fA-F]+)$/.exec(fields[1]!);
        const lm = /^(.*):(\d+)$/.exec(fields.slice(2).join('\t'));
        if (fm && lm) {
          grp.frames.push({ func: fm[1]!, file: lm[1]!, line: Number(lm[2]), pcOffset: parseInt(fm[2]!, 16), pc: fields[0]! });
          continue;
        }
      }
      if (fields.length >= 1 && /^0x[0-9a-fA-F]+$/.test(fields[0]!) && fields.length === 1) {
        grp.frames.push({ func: '?', file: '', line: 0, pc: fields[0]! });
      }
      continue;
    }
    if (t === '') grp = undefined;
  }
  if (dump.groups.length > 0) {
    const last = dump.groups[dump.groups.length - 1]!;
    if (last.frames.length === 0 || !text.endsWith('\n')) dump.truncated = true;
  }
  return dump;
}
