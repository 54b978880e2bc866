// defer-order-inverted: deferred calls run last in, first out, so a defer registered later runs
// earlier. When the Close of an underlying file or connection is deferred after the Close/Flush of
// a writer that still has to write into it, the file is closed first and the writer's final flush
// fails: the data is lost (silently, when the wrapper's error is dropped too).
import type * as ast from '../syntax/ast.js';
import { pos as nodePos, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import type { Severity } from '../findings/model.js';
import {
  cfgOf, deferredCalls, lineOf, methodCallOn, rootIdent, sameExpr, sameVar, textOf, walkSameFunc, writeOrigin, moduleWrapperOrigin,
  type DeferredCall, type FuncNode, type WriteOrigin, deferNeeds,
} from './helpers.js';

const ID = 'defer-order-inverted';

/** Methods that end the life of an underlying file, connection or database. */
const UNDERLYING_CLOSE = new Set(['Close']);

interface Wrap {
  /** The wrapper: a variable or a field path (`cl.gz`). */
  w: ast.Expr;
  origin: WriteOrigin & { under: ast.Expr };
  at: number;
}

function wrapsIn(pass: Pass, file: PassFile, fn: FuncNode): Wrap[] {
  const out: Wrap[] = [];
  walkSameFunc(fn.body!, (x) => {
    let lhs: readonly ast.Expr[] | undefined;
    let rhs: readonly ast.Expr[] | null | undefined;
    if (x.kind === 'AssignStmt') [lhs, rhs] = [x.lhs, x.rhs];
    else if (x.kind === 'ValueSpec') [lhs, rhs] = [x.names, x.values];
    if (!lhs || !rhs || rhs.length !== 1) return true;
    const w = unparen(lhs[0]!);
    if ((w.kind !== 'Ident' && w.kind !== 'SelectorExpr') || (w.kind === 'Ident' && w.name === '_') || !rootIdent(w)) return true;
    let origin = writeOrigin(pass, file, rhs[0]!, true) ?? moduleWrapperOrigin(pass, file, rhs[0]!, true);
    // `gzip.NewWriter(io.MultiWriter(f, h))`: the writer goes into each of them; the one whose
    // Close the function defers is what a late Flush of the wrapper needs open.
    const mw = origin?.under ? unparen(origin.under) : undefined;
    if (origin && mw?.kind === 'CallExpr' && pass.types.callee(mw)?.name === 'io.MultiWriter') {
      const args = (mw.args ?? []).filter((a) => rootIdent(a));
      const pick = args.find((a) => closedInDefer(pass, fn, a)) ?? args[0];
      origin = pick ? { ...origin, under: pick } : origin;
    }
    if (origin?.under && rootIdent(origin.under)) out.push({ w, origin: origin as Wrap['origin'], at: nodePos(x) });
    return true;
  });
  return out;
}

/** Whether the function defers a Close of the variable `e` names (`defer f.Close()`, or in a deferred literal). */
function closedInDefer(pass: Pass, fn: FuncNode, e: ast.Expr): boolean {
  const root = rootIdent(e);
  if (!root) return false;
  let found = false;
  walkSameFunc(fn.body!, (x) => {
    if (found || x.kind !== 'DeferStmt') return !found;
    found = releasesOf(pass, x).some((r) => {
      const rr = r.method === 'Close' ? rootIdent(r.recv) : undefined;
      return !!rr && sameVar(pass, rr, root);
    });
    return false;
  });
  return found;
}

/** Whether expression e denotes the same variable or field path as `target`. */
function same(pass: Pass, e: ast.Expr, target: ast.Expr): boolean {
  if (!sameExpr(e, target)) return false;
  const a = rootIdent(e);
  const b = rootIdent(target);
  return !!a && !!b && sameVar(pass, a, b);
}

/** The wrap in effect for variable w at `at` (the last assignment before it). */
function wrapOf(pass: Pass, wraps: readonly Wrap[], w: ast.Expr, at: number): Wrap | undefined {
  const e = unparen(w);
  if (e.kind !== 'Ident' && e.kind !== 'SelectorExpr') return undefined;
  let found: Wrap | undefined;
  for (const x of wraps) if (x.at < at && same(pass, x.w, e)) found = x;
  return found;
}

/** What a wrapper writes into, outermost first: [f] for gzip over f, [bw, f] for gzip over bufio over f. */
function chainBelow(pass: Pass, wraps: readonly Wrap[], top: Wrap): { expr: ast.Expr; wrap: Wrap | undefined; via: Wrap }[] {
  const out: { expr: ast.Expr; wrap: Wrap | undefined; via: Wrap }[] = [];
  let cur: Wrap | undefined = top;
  const seen = new Set<Wrap>();
  while (cur && !seen.has(cur)) {
    seen.add(cur);
    const under = cur.origin.under;
    const next = wrapOf(pass, wraps, under, cur.at);
    out.push({ expr: under, wrap: next, via: cur });
    cur = next;
  }
  return out;
}

interface Release {
  dc: DeferredCall;
  recv: ast.Expr;
  method: string;
}

function releasesOf(pass: Pass, d: ast.DeferStmt): Release[] {
  const out: Release[] = [];
  for (const dc of deferredCalls(d)) {
    const m = methodCallOn(dc.call);
    if (m) out.push({ dc, recv: m.recv, method: m.method });
    // Through a helper of the package: `defer captureErr(&err, bw.Flush)` (a method value), or
    // `defer closeInto(&err, zw)` where closeInto calls Close on that parameter.
    const callee = m ? undefined : pass.types.callee(dc.call)?.decl;
    (dc.call.args ?? []).forEach((a, i) => {
      const x = unparen(a);
      if (x.kind === 'SelectorExpr' && rootIdent(x.x) && pass.types.typeOf(x)?.kind === 'signature') {
        out.push({ dc, recv: x.x, method: x.sel.name });
      } else if (callee?.body && rootIdent(x) && x.kind !== 'UnaryExpr') {
        const param = (callee.type.params.list ?? []).flatMap((f) => f.names ?? [])[i];
        if (!param) return;
        let closes = false;
        walkSameFunc(callee.body!, (y) => {
          if (closes) return false;
          if (y.kind === 'CallExpr') {
            const mm = methodCallOn(y);
            const r = mm ? unparen(mm.recv) : undefined;
            if (mm?.method === 'Close' && r?.kind === 'Ident' && r.name === param.name) closes = true;
          }
          return !closes;
        });
        if (closes) out.push({ dc, recv: x, method: 'Close' });
      }
    });
  }
  return out;
}

/**
 * Whether fn's own code (not its defers or literals) calls one of the release methods on r's
 * receiver, outside any loop: a flush inside a loop (`if len(c.out) == 0 { bw.Flush() }` in a
 * writer loop) is periodic, and the way out of the loop still leaves the rest to the defer.
 */
function releasedExplicitly(pass: Pass, fn: FuncNode, r: Release, methods: readonly string[]): boolean {
  let found = false;
  walkSameFunc(fn.body!, (x) => {
    if (found || x.kind === 'DeferStmt' || x.kind === 'ForStmt' || x.kind === 'RangeStmt') return false;
    if (x.kind === 'CallExpr') {
      const m = methodCallOn(x);
      if (m && methods.includes(m.method) && same(pass, m.recv, r.recv)) found = true;
    }
    return !found;
  });
  return found;
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    file.inspector.preorder(['FuncDecl', 'FuncLit'], (fn) => {
      if (!fn.body || !file.inspector.contains(fn, ['DeferStmt'])) return;
      const wraps = wrapsIn(pass, file, fn);
      if (wraps.length === 0) return;
      const defers: ast.DeferStmt[] = [];
      walkSameFunc(fn.body, (x) => {
        if (x.kind === 'DeferStmt') defers.push(x);
        return true;
      });
      if (defers.length === 0) return;
      const reported = new Set<ast.CallExpr>();
      const releases = defers.map((d) => releasesOf(pass, d));
      defers.forEach((d1, i) => {
        for (const r1 of releases[i]!) {
          const top = wrapOf(pass, wraps, r1.recv, nodePos(d1));
          if (!top || !top.origin.res.release.includes(r1.method)) continue;
          // The wrapper is also released explicitly in the function's own flow (`if err :=
          // zw.Close(); err != nil { return err }; return f.Close()`): the deferred release is a
          // safety net for the error paths, and by then the data has been written or given up.
          // Not for a transaction: its deferred Rollback is what the error paths need.
          const res = top.origin.res;
          if (!res.release.includes('Rollback') && releasedExplicitly(pass, fn, r1, res.release)) continue;
          const chain = chainBelow(pass, wraps, top);
          // Later calls of the same deferred literal run after r1: in order. Earlier ones run before it.
          for (const r0 of releases[i]!) {
            if (r0 === r1) break;
            const hit = matchUnder(pass, chain, r0);
            if (hit && !reported.has(r0.dc.call)) {
              reported.add(r0.dc.call);
              report(pass, file, r0, r1, top, hit, 'same');
            }
          }
          // Defers registered after d1 (on a path from it) run before it.
          for (let j = i + 1; j < defers.length; j++) {
            const d2 = defers[j]!;
            if (!registeredAfter(pass, fn, d1, d2)) continue;
            for (const r2 of releases[j]!) {
              const hit = matchUnder(pass, chain, r2);
              if (hit && !reported.has(r2.dc.call)) {
                reported.add(r2.dc.call);
                report(pass, file, r2, r1, top, hit, 'later');
              }
            }
          }
        }
      });
    });
  }
}

/** Whether release r closes something in the chain: an underlying's Close, or a wrapper's own release. */
function matchUnder(pass: Pass, chain: ReturnType<typeof chainBelow>, r: Release): ReturnType<typeof chainBelow>[number] | undefined {
  for (const c of chain) {
    if (!same(pass, r.recv, c.expr)) continue;
    const ends = c.wrap ? c.wrap.origin.res.release.includes(r.method) || r.method === 'Close' : UNDERLYING_CLOSE.has(r.method);
    if (ends) return c;
  }
  return undefined;
}

/** d2 can be registered after d1 on one run of the function: it is reachable from d1. */
function registeredAfter(pass: Pass, fn: FuncNode, d1: ast.DeferStmt, d2: ast.DeferStmt): boolean {
  const g = cfgOf(pass, fn);
  if (!g || !g.isEntry(d1) || !g.isEntry(d2)) return nodePos(d2) > nodePos(d1);
  return g.canReach(d1, d2);
}

function report(
  pass: Pass,
  file: PassFile,
  early: Release,
  late: Release,
  top: Wrap,
  hit: ReturnType<typeof chainBelow>[number],
  how: 'same' | 'later',
): void {
  const earlyText = textOf(file, early.dc.call);
  const lateText = textOf(file, late.dc.call);
  const under = textOf(file, hit.expr);
  const res = top.origin.res;
  const w = textOf(file, top.w);
  const wrapText = textOf(file, top.origin.call);
  const lateLine = lineOf(file, late.dc.call);
  const tx = res.wraps === 'recv';
  let severity: Severity | undefined;
  let consequence: string;
  if (res.closeWaits) {
    // (*sql.Conn).Close waits for the conn's operations: an open transaction, unclosed rows.
    severity = 'critical';
    consequence = `${earlyText} waits for ${w} to be released (a *sql.Conn closes only when its operations have finished), and ${lateText}, which would release it, runs only after it: ${res.closeWaits.replace('{w}', w)} deadlocks the function, unless the context of ${w} is cancelled`;
  } else if (tx && !top.origin.name.startsWith('(*database/sql.')) {
    // A store of the module (`(*store.DB).BeginTx`): what its Close does with an open
    // transaction is its own, from failing the rollback to waiting for it.
    consequence = `${lateText} then runs against a store that ${earlyText} has already closed: the rollback can fail, and a store whose Close waits for open transactions deadlocks here`;
  } else if (tx) {
    severity = 'medium';
    consequence = `${lateText} then runs against a closed database (database/sql keeps only the transaction's own connection open, and a driver whose connector releases shared state on Close can fail the rollback)`;
  } else {
    const into = hit.via === top ? '' : ` through ${textOf(file, hit.via.w)}`;
    const flushedOnly = hit.wrap && !hit.wrap.origin.res.release.includes('Close') && early.method !== 'Close';
    consequence = flushedOnly
      ? `${lateText} then writes the rest of the ${res.what} ${w}'s data${into} into ${under} after its last flush, where it stays buffered and is lost`
      : `${lateText} then writes the rest of the ${res.what} ${w}'s data${into} into an already closed ${under} and that data is lost`;
  }
  const fix = res.closeWaits
    ? `defer ${under}.Close() before making ${w}, so that it runs after ${w} is released`
    : tx
    ? `defer ${under}.Close() before starting ${w}, or end ${w} explicitly before closing ${under}`
    : `register the deferred close of ${under} before creating ${w}, or close ${w} explicitly and check its error before ${under} is closed`;
  const message = how === 'later'
    ? `the deferred ${earlyText} runs before the deferred ${lateText} registered on line ${lateLine} because deferred calls run last in, first out: ${consequence}; ${fix}`
    : `${earlyText} runs before ${lateText} in the same deferred function: ${consequence}; close ${w} first`;
  pass.report({
    node: early.dc.lit ? early.dc.call : early.dc.defer,
    file,
    message,
    ...(severity ? { severity } : {}),
    confidence: top.origin.typed ? 'high' : 'medium',
    related: [
      { node: late.dc.lit ? late.dc.call : late.dc.defer, message: `${lateText}, which still needs ${under}` },
      { node: top.origin.call, message: `${w} wraps ${textOf(file, top.origin.under)}` },
    ],
  });
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'high',
    summary: 'Deferred calls run last in, first out: a file or connection is closed before the writer over it flushes into it.',
    enabledByDefault: true,
    fixable: false,
    category: 'lifetime',
    docUrl: docUrl(ID),
  },
  needs: deferNeeds,
  run,
};
