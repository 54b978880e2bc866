// Correlation of runtime observations with static findings. A goroutine group is joined to the
// finding at its creation site (the `go` statement: the finding's own line or one of its related
// locations, such as goroutine-blocked-send's "the goroutine starts here"), and a goroutine stuck
// in a deferred call is joined to the finding at a `defer` statement of the function whose exit
// (or panic) line the stack shows. Paths on both sides are relative to the module root.
import type * as ast from '../syntax/ast.js';
import { parseFile } from '../syntax/parser.js';
import { end as nodeEnd, forEachChild, pos as nodePos } from '../syntax/nodes.js';
import { docUrl, severityRank, type Finding, type Severity } from '../findings/model.js';
import type { Location } from './group.js';

export interface StaticMatch {
  rule: string;
  severity: Severity;
  /** Where the finding is reported. */
  file: string;
  line: number;
  message: string;
  docUrl: string;
  /** Which runtime key joined it: the goroutines' creation site or the deferred call they are stuck in. */
  via: 'createdAt' | 'stuckDefer';
}

/** The parts of a goroutine group the join needs. */
export interface JoinKeys {
  createdAt?: Location | undefined;
  stuckDefer?: (Location & { deferred?: { func: string } }) | undefined;
}

/** Rules that explain goroutines piling up at a creation site. */
const GOROUTINE_RULES = new Set([
  'goroutine-blocked-send',
  'goroutine-outside-recover',
  'waitgroup-done-path',
  'defer-close-chan-with-sender',
  'loop-var-capture',
]);

/** Rules that explain a goroutine stuck inside a deferred call. */
const DEFER_RULES = new Set([
  'defer-blocking-call',
  'lock-reentry-under-defer',
  'defer-lock-mismatch',
  'defer-call-chain',
  'defer-in-infinite-loop',
  'lock-leaked-on-return',
]);

/** Longest span (in lines) still treated as pointing at the lines it contains. */
const MAX_CONTAINING_SPAN = 30;

interface FuncRange {
  startLine: number;
  endLine: number;
  /** Lines of the `defer` statements that belong to this function (not to nested literals), with the call's text. */
  defers: { line: number; text: string }[];
}

export interface Correlator {
  /** Findings explaining goroutines created at `loc`, best first. */
  forCreation(loc: Location): StaticMatch[];
  /** Findings at the defer statements of the function that exits (or panics) at `loc`, best first. */
  forStuckDefer(loc: Location, deferredFunc?: string): StaticMatch[];
  /** Both joins for a group: stuck-defer matches first (more specific), then creation-site matches. */
  forGroup(keys: JoinKeys): StaticMatch[];
}

function toMatch(f: Finding, via: StaticMatch['via']): StaticMatch {
  return { rule: f.rule, severity: f.severity, file: f.file, line: f.line, message: f.message, docUrl: docUrl(f.rule), via };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The last element of a function name: `Wait` of `sync.(*WaitGroup).Wait`, `func1` of `main.f.func1`. */
function shortName(func: string): string {
  const i = func.lastIndexOf('.');
  return i < 0 ? func : func.slice(i + 1);
}

/**
 * Builds a correlator over `findings`. `readSource(file)` returns the text of a module-relative
 * file (undefined when unreadable); it is used to find the function around a stuck defer's line.
 */
export function makeCorrelator(findings: readonly Finding[], readSource: (file: string) => string | undefined): Correlator {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    let list = byFile.get(f.file);
    if (!list) byFile.set(f.file, (list = []));
    list.push(f);
  }
  const funcCache = new Map<string, FuncRange[]>();

  const functionsOf = (file: string): FuncRange[] => {
    const hit = funcCache.get(file);
    if (hit) return hit;
    const text = readSource(file);
    const out: FuncRange[] = [];
    if (text !== undefined) {
      const { file: tree, source } = parseFile(file, text);
      const lineAt = (off: number) => source.position(off).line;
      const visit = (n: ast.Node, current: FuncRange | undefined): void => {
        let cur = current;
        if ((n.kind === 'FuncDecl' && n.body) || n.kind === 'FuncLit') {
          cur = { startLine: lineAt(nodePos(n)), endLine: lineAt(nodeEnd(n) - 1), defers: [] };
          out.push(cur);
        } else if (n.kind === 'DeferStmt' && cur) {
          cur.defers.push({ line: lineAt(n.defer), text: source.text(nodePos(n.call), nodeEnd(n.call)) });
        }
        forEachChild(n, (c) => visit(c, cur));
      };
      visit(tree, undefined);
    }
    funcCache.set(file, out);
    return out;
  };

  const forCreation = (loc: Location): StaticMatch[] => {
    const scored: { f: Finding; score: number }[] = [];
    for (const f of byFile.get(loc.file) ?? []) {
      let score = 0;
      if (f.line === loc.line) score = 4;
      else if (f.related.some((r) => r.file === loc.file && r.line === loc.line)) score = 3;
      else if (f.line <= loc.line && loc.line <= f.endLine && f.endLine - f.line <= MAX_CONTAINING_SPAN) score = 2;
      else if (f.related.some((r) => r.file === loc.file && r.line <= loc.line && loc.line <= r.endLine && r.endLine - r.line <= MAX_CONTAINING_SPAN)) score = 1;
      if (score === 0) continue;
      if (GOROUTINE_RULES.has(f.rule)) score += 10;
      scored.push({ f, score });
    }
    return rank(scored).map((f) => toMatch(f, 'createdAt'));
  };

  const forStuckDefer = (loc: Location, deferredFunc?: string): StaticMatch[] => {
    // The innermost function whose lines contain the exit/panic line.
    let fn: FuncRange | undefined;
    for (const r of functionsOf(loc.file)) {
      if (r.startLine <= loc.line && loc.line <= r.endLine && (!fn || r.endLine - r.startLine <= fn.endLine - fn.startLine)) fn = r;
    }
    if (!fn) return [];
    const name = deferredFunc ? shortName(deferredFunc) : undefined;
    const scored: { f: Finding; score: number }[] = [];
    for (const f of byFile.get(loc.file) ?? []) {
      const d = fn.defers.find((x) => x.line === f.line);
      if (!d) continue;
      let score = 1;
      if (DEFER_RULES.has(f.rule)) score += 10;
      if (name && !/^func\d+$/.test(name) && new RegExp(`\\b${name.replace(/[^\w]/g, '')}\\b`).test(d.text)) score += 5;
      scored.push({ f, score });
    }
    return rank(scored).map((f) => toMatch(f, 'stuckDefer'));
  };

  return {
    forCreation,
    forStuckDefer,
    forGroup(keys: JoinKeys): StaticMatch[] {
      const out: StaticMatch[] = [];
      if (keys.stuckDefer) out.push(...forStuckDefer(keys.stuckDefer, keys.stuckDefer.deferred?.func));
      if (keys.createdAt) out.push(...forCreation(keys.createdAt));
      const seen = new Set<string>();
      return out.filter((m) => {
        const k = `${m.rule}\u0000${m.file}:${m.line}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    },
  };
}

function rank(scored: { f: Finding; score: number }[]): Finding[] {
  return scored
    .sort(
      (a, b) =>
        b.score - a.score ||
        severityRank(b.f.severity) - severityRank(a.f.severity) ||
        cmp(a.f.rule, b.f.rule) ||
        a.f.line - b.f.line ||
        cmp(a.f.message, b.f.message),
    )
    .map((x) => x.f);
}
