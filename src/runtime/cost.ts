// `deferguard cost`: the compiler's own classification of each defer, from
// `go build -gcflags=-d=defer` (lines `file:line:col: open-coded defer`, `stack-allocated defer`,
// `heap-allocated defer`, older releases add ` in function f`), placed in its function, marked when
// inside a loop, and joined with the static findings at the same line. Open-coded defers cost about
// a function call; stack-allocated ones a runtime record; heap-allocated ones (defers in loops) an
// allocation per execution, which is what per-defer cost is about.
import type * as ast from '../syntax/ast.js';
import { parseFile } from '../syntax/parser.js';
import { forEachChild, loopingLabels } from '../syntax/nodes.js';
import { docUrl, type Finding, type Severity } from '../findings/model.js';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export type DeferKind = 'open-coded' | 'stack' | 'heap';

export interface DeferCost {
  /** Relative to the module root. */
  file: string;
  line: number;
  column: number;
  kind: DeferKind;
  /** Import path from the `# pkg` header before the line, when printed. */
  package: string | null;
  /** Enclosing function (`F`, `(*T).M`, `F.func1` for a literal), from the compiler or the source. */
  func: string | null;
  /** Inside a for or range loop of its function. */
  inLoop: boolean;
  findings: { rule: string; severity: Severity; message: string; docUrl: string }[];
}

export interface CostReport {
  defers: DeferCost[];
  summary: { openCoded: number; stack: number; heap: number; heapInLoops: number };
  /** Lines of the compiler's output that are not defer diagnostics (errors, warnings). */
  otherOutput: string[];
}

const LINE_RE = /^(.+?):(\d+):(\d+): (open-coded|stack-allocated|heap-allocated) defer(?: in function (\S+))?\s*$/;

interface Raw {
  path: string;
  line: number;
  column: number;
  kind: DeferKind;
  func: string | null;
  pkg: string | null;
}

/** Parses the compiler's -d=defer output. Paths are resolved against `cwd` (where go ran). */
export function parseDeferOutput(output: string): { defers: Raw[]; other: string[] } {
  const defers: Raw[] = [];
  const other: string[] = [];
  let pkg: string | null = null;
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line === '') continue;
    if (line.startsWith('# ')) {
      pkg = line.slice(2).trim();
      continue;
    }
    const m = LINE_RE.exec(line);
    if (!m) {
      other.push(line);
      continue;
    }
    const kind: DeferKind = m[4] === 'open-coded' ? 'open-coded' : m[4] === 'stack-allocated' ? 'stack' : 'heap';
    defers.push({ path: m[1]!, line: Number(m[2]), column: Number(m[3]), kind, func: m[5] ?? null, pkg });
  }
  return { defers, other };
}

interface DeferSite {
  line: number;
  func: string;
  inLoop: boolean;
}

/** Every defer statement of a file with its enclosing function's name and whether it sits in a loop. */
export function deferSites(filename: string, text: string): DeferSite[] {
  const { file, source } = parseFile(filename, text);
  const out: DeferSite[] = [];
  const recvName = (d: ast.FuncDecl): string => {
    const t = d.recv?.list?.[0]?.type;
    if (!t) return '';
    let x: ast.Expr = t;
    let star = false;
    if (x.kind === 'StarExpr') {
      star = true;
      x = x.x;
    }
    if (x.kind === 'IndexExpr' || x.kind === 'IndexListExpr') x = x.x;
    const name = x.kind === 'Ident' ? x.name : '?';
    return star ? `(*${name}).` : `${name}.`;
  };
  // Labels a later goto jumps back to: from such a label to the end of its block is a loop too.
  let looping = new Set<string>();
  const visitBody = (body: ast.BlockStmt, name: string): void => {
    const outer = looping;
    looping = loopingLabels(body);
    visit(body, name, { n: 0 }, false);
    looping = outer;
  };
  const visit = (n: ast.Node, fn: string, lits: { n: number }, loop: boolean): void => {
    if (n.kind === 'FuncDecl') {
      if (!n.body) return;
      visitBody(n.body, `${recvName(n)}${n.name.name}`);
      return;
    }
    if (n.kind === 'FuncLit') {
      lits.n++;
      visitBody(n.body, fn ? `${fn}.func${lits.n}` : `glob..func${lits.n}`);
      return;
    }
    if (n.kind === 'DeferStmt') out.push({ line: source.position(n.defer).line, func: fn, inLoop: loop });
    const inLoop = loop || n.kind === 'ForStmt' || n.kind === 'RangeStmt';
    if (n.kind === 'BlockStmt' && looping.size > 0) {
      let l = inLoop;
      for (const st of n.list ?? []) {
        if (st.kind === 'LabeledStmt' && looping.has(st.label.name)) l = true;
        visit(st, fn, lits, l);
      }
      return;
    }
    forEachChild(n, (c) => visit(c, fn, lits, inLoop));
  };
  visit(file, '', { n: 0 }, false);
  return out;
}

/**
 * Builds the report: compiler lines (paths relative to `cwd`) placed in the module at `root`,
 * their functions and loops read from the sources, joined with `findings` at the same file:line.
 */
export function buildCostReport(
  output: string,
  opts: { cwd: string; root: string; findings: readonly Finding[]; read: (relFile: string) => string | undefined },
): CostReport {
  const { defers: raw, other } = parseDeferOutput(output);
  const sitesCache = new Map<string, DeferSite[]>();
  const sites = (file: string) => {
    let s = sitesCache.get(file);
    if (!s) {
      const text = opts.read(file);
      s = text === undefined ? [] : deferSites(file, text);
      sitesCache.set(file, s);
    }
    return s;
  };
  const seen = new Set<string>();
  const defers: DeferCost[] = [];
  for (const r of raw) {
    const abs = isAbsolute(r.path) ? r.path : resolve(opts.cwd, r.path);
    let file = relative(opts.root, abs).split(sep).join('/');
    if (file.startsWith('../')) file = abs;
    const key = `${file}:${r.line}:${r.column}`;
    if (seen.has(key)) continue; // the same package built for several binaries
    seen.add(key);
    const site = sites(file).find((s) => s.line === r.line);
    const findings = opts.findings
      .filter((f) => f.file === file && f.line === r.line)
      .map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, docUrl: docUrl(f.rule) }))
      .sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
    defers.push({ file, line: r.line, column: r.column, kind: r.kind, package: r.pkg, func: r.func ?? site?.func ?? null, inLoop: site?.inLoop ?? false, findings });
  }
  const order: Record<DeferKind, number> = { heap: 0, stack: 1, 'open-coded': 2 };
  defers.sort((a, b) => order[a.kind] - order[b.kind] || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column);
  return {
    defers,
    summary: {
      openCoded: defers.filter((d) => d.kind === 'open-coded').length,
      stack: defers.filter((d) => d.kind === 'stack').length,
      heap: defers.filter((d) => d.kind === 'heap').length,
      heapInLoops: defers.filter((d) => d.kind === 'heap' && d.inLoop).length,
    },
    otherOutput: other,
  };
}

const KIND_TEXT: Record<DeferKind, string> = {
  heap: 'heap-allocated: a runtime allocation each time the defer statement runs (in a loop: per iteration)',
  stack: 'stack-allocated: a defer record on the stack, run by the runtime at return',
  'open-coded': 'open-coded: inlined at the function exits, about the cost of a call',
};

export function renderCostText(r: CostReport): string {
  const s = r.summary;
  const out: string[] = [];
  const total = r.defers.length;
  out.push(`${total} defer${total === 1 ? '' : 's'}: ${s.openCoded} open-coded, ${s.stack} stack-allocated, ${s.heap} heap-allocated${s.heap ? ` (${s.heapInLoops} in loops)` : ''}`);
  for (const kind of ['heap', 'stack', 'open-coded'] as const) {
    const list = r.defers.filter((d) => d.kind === kind);
    if (!list.length) continue;
    out.push('', `${KIND_TEXT[kind]}:`);
    for (const d of list) {
      const extra = [d.func ? `in ${d.func}` : '', d.inLoop ? 'inside a loop' : ''].filter(Boolean).join(', ');
      out.push(`  ${d.file}:${d.line}:${d.column}${extra ? `  ${extra}` : ''}`);
      for (const f of d.findings) out.push(`      ${f.rule} (${f.severity}): ${f.message}`);
    }
  }
  return out.join('\n') + '\n';
}

export function renderCostJson(r: CostReport): string {
  return JSON.stringify({ summary: r.summary, defers: r.defers, otherOutput: r.otherOutput }, null, 2) + '\n';
}
