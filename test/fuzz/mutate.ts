// Deterministic mutations of real Go files for the hostile-input fuzz harness. A case is fully
// determined by (corpus, case seed): the seed picks the file, the operators and their positions,
// so any failing case can be rebuilt from the seed printed for it.
import { parseFile } from '../../src/syntax/parser.js';
import type * as ast from '../../src/syntax/ast.js';
import { end as nodeEnd, inspect, pos as nodePos } from '../../src/syntax/nodes.js';

/** A small, fast, seedable generator (mulberry32). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** Uniform in [0, 2^32). */
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor((this.u32() / 0x100000000) * n);
  }
  /** Integer in [lo, hi], log-uniform (small sizes as likely as big ones). */
  logInt(lo: number, hi: number): number {
    const a = Math.log(lo);
    const b = Math.log(hi);
    return Math.min(hi, Math.max(lo, Math.round(Math.exp(a + (this.u32() / 0x100000000) * (b - a)))));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }
}

/** The seed of case `index` of a run started with `base` (splitmix32 of the pair). */
export function caseSeed(base: number, index: number): number {
  let z = (Math.imul(base >>> 0, 0x9e3779b9) + index + 0x7f4a7c15) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

const enc = new TextEncoder();

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function insertAt(b: Uint8Array, at: number, what: Uint8Array | string): Uint8Array {
  const w = typeof what === 'string' ? enc.encode(what) : what;
  return concat(b.subarray(0, at), w, b.subarray(at));
}

/** Token boundaries of Go-ish text (latin1 view, so every byte is one char): [start, end) pairs. */
function tokens(b: Uint8Array): [number, number][] {
  const s = Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
  const re = /[A-Za-z_0-9.]+|"(?:\\.|[^"\\\n])*"?|`[^`]*`?|\/\/[^\n]*|\/\*[\s\S]*?\*\/|:=|<-|&&|\|\||\.\.\.|[^\sA-Za-z_0-9]/g;
  const out: [number, number][] = [];
  for (let m = re.exec(s); m; m = re.exec(s)) out.push([m.index, m.index + m[0].length]);
  return out;
}

const INTERESTING = [0x00, 0xff, 0xfe, 0xc0, 0x80, 0xed, 0x0a, 0x0d, 0x22, 0x27, 0x60, 0x7b, 0x7d, 0x28, 0x29, 0x5b, 0x5d, 0x2f, 0x2a, 0x5c, 0x3b, 0x2c];

/** Statement-sized pieces of a file that parses, for mutations that usually keep it parseable. */
interface Shape {
  stmts: { pos: number; end: number; call: boolean }[];
  bodies: { lbrace: number; rbrace: number }[];
}

function shapeOf(b: Uint8Array): Shape | undefined {
  const r = parseFile('x.go', b);
  if (r.errors.length > 0) return undefined;
  const stmts: Shape['stmts'] = [];
  const bodies: Shape['bodies'] = [];
  inspect(r.file, (n: ast.Node) => {
    if (n.kind === 'BlockStmt' && n.lbrace >= 0 && n.rbrace > n.lbrace) bodies.push({ lbrace: n.lbrace, rbrace: n.rbrace });
    if (n.kind === 'ExprStmt' || n.kind === 'AssignStmt' || n.kind === 'IfStmt' || n.kind === 'ForStmt' || n.kind === 'RangeStmt' ||
        n.kind === 'DeferStmt' || n.kind === 'GoStmt' || n.kind === 'ReturnStmt' || n.kind === 'SendStmt' || n.kind === 'IncDecStmt' ||
        n.kind === 'SwitchStmt' || n.kind === 'SelectStmt') {
      const p = nodePos(n);
      const e = nodeEnd(n);
      if (p >= 0 && e > p) stmts.push({ pos: p, end: e, call: n.kind === 'ExprStmt' && n.x.kind === 'CallExpr' });
    }
    return true;
  });
  return { stmts, bodies };
}

type Op = (b: Uint8Array, r: Rng, ctx: { corpus: () => Uint8Array; shape: () => Shape | undefined }) => { bytes: Uint8Array; note: string };

const byteOps: Record<string, Op> = {
  flip(b, r) {
    if (b.length === 0) return { bytes: b, note: 'flip (empty)' };
    const out = b.slice();
    const n = 1 + r.int(8);
    for (let i = 0; i < n; i++) out[r.int(out.length)] ^= 1 << r.int(8);
    return { bytes: out, note: `flip ${n} bits` };
  },
  setByte(b, r) {
    if (b.length === 0) return { bytes: insertAt(b, 0, new Uint8Array([r.pick(INTERESTING)])), note: 'set byte' };
    const out = b.slice();
    const n = 1 + r.int(4);
    for (let i = 0; i < n; i++) out[r.int(out.length)] = r.pick(INTERESTING);
    return { bytes: out, note: `set ${n} bytes` };
  },
  truncate(b, r) {
    const at = r.int(b.length + 1);
    return { bytes: b.subarray(0, at), note: `truncate at ${at}` };
  },
  tokenDelete(b, r) {
    const t = tokens(b);
    if (t.length === 0) return { bytes: b, note: 'token delete (none)' };
    const i = r.int(t.length);
    const k = Math.min(t.length - i, 1 + r.int(3));
    return { bytes: concat(b.subarray(0, t[i]![0]), b.subarray(t[i + k - 1]![1])), note: `delete ${k} tokens at ${t[i]![0]}` };
  },
  tokenDuplicate(b, r) {
    const t = tokens(b);
    if (t.length === 0) return { bytes: b, note: 'token duplicate (none)' };
    const i = r.int(t.length);
    const k = Math.min(t.length - i, 1 + r.int(4));
    const piece = b.subarray(t[i]![0], t[i + k - 1]![1]);
    const times = r.chance(0.1) ? r.logInt(2, 5000) : 1;
    const rep = new Uint8Array(piece.length * times + times);
    for (let j = 0; j < times; j++) {
      rep.set(piece, j * (piece.length + 1));
      rep[j * (piece.length + 1) + piece.length] = 0x20;
    }
    return { bytes: insertAt(b, t[i + k - 1]![1], rep), note: `duplicate ${k} tokens x${times} at ${t[i]![0]}` };
  },
  tokenSwap(b, r) {
    const t = tokens(b);
    if (t.length < 2) return { bytes: b, note: 'token swap (none)' };
    let i = r.int(t.length);
    let j = r.int(t.length);
    if (i === j) return { bytes: b, note: 'token swap (same)' };
    if (i > j) [i, j] = [j, i];
    const [a0, a1] = t[i]!;
    const [b0, b1] = t[j]!;
    return { bytes: concat(b.subarray(0, a0), b.subarray(b0, b1), b.subarray(a1, b0), b.subarray(a0, a1), b.subarray(b1)), note: `swap tokens at ${a0} and ${b0}` };
  },
  deepNesting(b, r) {
    const depth = r.logInt(50, 200_000);
    const kind = r.int(7);
    const balanced = r.chance(0.7);
    const close = (s: string) => (balanced ? s : s.slice(0, Math.floor(s.length / 2)));
    let text: string;
    switch (kind) {
      case 0: text = '\nvar _ = ' + '('.repeat(depth) + '1' + close(')'.repeat(depth)) + '\n'; break;
      case 1: text = '\nfunc _() ' + '{'.repeat(depth) + close('}'.repeat(depth)) + '\n'; break;
      case 2: text = '\nvar _ ' + '[]'.repeat(depth) + 'int\n'; break;
      case 3: text = '\nvar _ = ' + 'func() int { return '.repeat(depth) + '1' + close(' }()'.repeat(depth)) + '\n'; break;
      case 4: text = '\nfunc _(x bool) { ' + 'if x { '.repeat(depth) + close('} '.repeat(depth)) + '}\n'; break;
      case 5: text = '\nvar _ = ' + '-'.repeat(depth) + '1\n'; break;
      default: text = '\nfunc _() { ' + 'defer func() { '.repeat(depth) + close('}() '.repeat(depth)) + '}\n'; break;
    }
    const at = r.chance(0.5) ? b.length : r.int(b.length + 1);
    return { bytes: insertAt(b, at, text), note: `nesting kind ${kind} depth ${depth}${balanced ? '' : ' unbalanced'} at ${at}` };
  },
  hugeLiteral(b, r) {
    const size = r.logInt(1000, 2_000_000);
    const kind = r.int(6);
    let text: string;
    switch (kind) {
      case 0: text = '\nvar _ = "' + 'x'.repeat(size) + (r.chance(0.8) ? '"' : '') + '\n'; break;
      case 1: text = '\nvar _ = `' + 'line\n'.repeat(Math.ceil(size / 5)) + (r.chance(0.8) ? '`' : '') + '\n'; break;
      case 2: text = '\nvar _ = ' + '9'.repeat(size) + '\n'; break;
      case 3: text = '\nvar x' + 'y'.repeat(size) + ' = 1\n'; break;
      case 4: text = '\n/*' + '*'.repeat(size) + (r.chance(0.8) ? '*/' : '') + '\n'; break;
      default: text = '\nvar _ = []int{' + '1,'.repeat(Math.ceil(size / 2)) + '}\n'; break;
    }
    const at = r.chance(0.6) ? b.length : r.int(b.length + 1);
    return { bytes: insertAt(b, at, text), note: `huge literal kind ${kind} size ${size} at ${at}` };
  },
  badEncoding(b, r) {
    const pieces = [[0x00], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x0d], [0xe2, 0x80, 0xae]];
    const p = new Uint8Array(r.pick(pieces));
    const at = r.int(b.length + 1);
    return { bytes: insertAt(b, at, p), note: `insert bytes ${[...p].map((x) => x.toString(16)).join(' ')} at ${at}` };
  },
  splice(b, r, ctx) {
    const other = ctx.corpus();
    const from = r.int(other.length + 1);
    const len = Math.min(other.length - from, r.logInt(1, 4000));
    const at = r.int(b.length + 1);
    return { bytes: insertAt(b, at, other.subarray(from, from + len)), note: `splice ${len} bytes at ${at}` };
  },
  crlf(b) {
    const s = Buffer.from(b).toString('latin1').replace(/\n/g, '\r\n');
    return { bytes: new Uint8Array(Buffer.from(s, 'latin1')), note: 'CRLF line ends' };
  },
};

/** Mutations that usually keep a parseable file parseable, so that the rules run on odd shapes. */
const structOps: Record<string, Op> = {
  stmtDelete(b, r, ctx) {
    const s = ctx.shape();
    if (!s || s.stmts.length === 0) return byteOps.tokenDelete!(b, r, ctx);
    const st = r.pick(s.stmts);
    return { bytes: concat(b.subarray(0, st.pos), b.subarray(st.end)), note: `delete statement at ${st.pos}` };
  },
  stmtDuplicate(b, r, ctx) {
    const s = ctx.shape();
    if (!s || s.stmts.length === 0) return byteOps.tokenDuplicate!(b, r, ctx);
    const st = r.pick(s.stmts);
    return { bytes: insertAt(b, st.end, concat(enc.encode('\n'), b.subarray(st.pos, st.end))), note: `duplicate statement at ${st.pos}` };
  },
  stmtWrap(b, r, ctx) {
    const s = ctx.shape();
    if (!s || s.stmts.length === 0) return byteOps.deepNesting!(b, r, ctx);
    const st = r.pick(s.stmts);
    const wraps: [string, string][] = [
      ['for {\n', '\n}'],
      ['for range 3 {\n', '\n}'],
      ['defer func() {\n', '\n}()'],
      ['go func() {\n', '\n}()'],
      ['func() {\n', '\n}()'],
      ['if true {\n', '\n} else { return }'],
      ['select {\ndefault:\n', '\n}'],
      ['defer func() { recover() }()\n', ''],
      ['defer mu.Unlock()\n', ''],
      ['mu.Lock()\n', ''],
      ['os.Exit(1)\n', ''],
      ['', '\nreturn'],
    ];
    const [open, closeText] = r.pick(wraps);
    const times = r.chance(0.05) ? r.logInt(2, 2000) : 1;
    const inner = b.subarray(st.pos, st.end);
    return {
      bytes: concat(b.subarray(0, st.pos), enc.encode(open.repeat(times)), inner, enc.encode(closeText.repeat(times)), b.subarray(st.end)),
      note: `wrap statement at ${st.pos} in ${JSON.stringify(open + '…' + closeText)} x${times}`,
    };
  },
  deferCall(b, r, ctx) {
    const s = ctx.shape();
    const calls = s?.stmts.filter((x) => x.call) ?? [];
    if (calls.length === 0) return byteOps.tokenDuplicate!(b, r, ctx);
    const st = r.pick(calls);
    const kw = r.pick(['defer ', 'go ', 'defer recover(); ', 'defer ']);
    return { bytes: insertAt(b, st.pos, kw), note: `prefix call at ${st.pos} with ${JSON.stringify(kw)}` };
  },
  bodyMove(b, r, ctx) {
    const s = ctx.shape();
    if (!s || s.bodies.length < 2 || s.stmts.length === 0) return byteOps.splice!(b, r, ctx);
    const st = r.pick(s.stmts);
    const body = r.pick(s.bodies);
    const piece = b.subarray(st.pos, st.end);
    const at = body.lbrace + 1;
    return { bytes: insertAt(b, at, concat(enc.encode('\n'), piece, enc.encode('\n'))), note: `copy statement at ${st.pos} into the block at ${body.lbrace}` };
  },
};

const BYTE_NAMES = Object.keys(byteOps);
const STRUCT_NAMES = Object.keys(structOps);

export interface FuzzCase {
  seed: number;
  /** Corpus file the case started from. */
  file: string;
  ops: string[];
  bytes: Uint8Array;
  /** Go version the file is analysed as, and whether it is a test file (both vary the rules' paths). */
  goVersion: string;
  test: boolean;
}

/** Corpus access: file names and their bytes (read lazily, cached by the caller). */
export interface Corpus {
  files: readonly string[];
  read(file: string): Uint8Array;
}

/** Builds the case for `seed`: a corpus file and one to three operators. */
export function buildCase(seed: number, corpus: Corpus): FuzzCase {
  const r = new Rng(seed);
  const file = corpus.files[r.int(corpus.files.length)]!;
  let bytes = corpus.read(file);
  const structural = r.chance(0.5);
  const n = 1 + r.int(3);
  const ops: string[] = [];
  let shape: Shape | undefined | null = null;
  const ctx = {
    corpus: () => corpus.read(corpus.files[r.int(corpus.files.length)]!),
    shape: () => (shape === null ? (shape = shapeOf(bytes)) : shape),
  };
  for (let i = 0; i < n; i++) {
    const useStruct = structural && (i === 0 || r.chance(0.7));
    const name = useStruct ? r.pick(STRUCT_NAMES) : r.pick(BYTE_NAMES);
    const op = (useStruct ? structOps : byteOps)[name]!;
    const res = op(bytes, r, ctx);
    bytes = res.bytes;
    shape = null;
    ops.push(`${name}: ${res.note}`);
  }
  const goVersion = r.pick(['go1.16', 'go1.21', 'go1.22', 'go1.23']);
  const test = r.chance(0.2);
  return { seed, file, ops, bytes, goVersion, test };
}
