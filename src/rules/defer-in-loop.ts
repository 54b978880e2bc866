// defer-in-loop: a defer directly in a loop body. Deferred calls run when the function returns,
// not at the end of the iteration, so what each iteration acquired piles up.
import type * as ast from '../syntax/ast.js';
import { NOPOS } from '../syntax/ast.js';
import { end as nodeEnd, inspect as inspectAll, pos as nodePos, unparen } from '../syntax/nodes.js';
import { nodeContains, walkNode } from '../types/cfg.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { ACQUIRING_CALLS, MUTEX_METHODS, RELEASE_METHODS, UNLOCK_FOR } from './catalog.js';
import {
  accessedField, callGraphOf, callName, callText, cfgOf, definingValue, enclosingFunc, listHolding, enclosingLoops, endlessEnclosingLoops, funcName, isErrorTyped, isNilIdent, lineOf, refKey, rootIdent, runsAtMostOnce, sameExpr,
  sameRefKey, sameVar, stmtListOf, textOf, walkSameFunc, type FuncNode, type LoopNode, deferNeeds,
} from './helpers.js';

const ID = 'defer-in-loop';

interface Acquired {
  call: ast.CallExpr;
  callee: string;
  line: number;
}

/**
 * The call in the loop body, before the defer, that assigned `id` in this iteration
 * (`f, err := os.Open(p)`, `resp, err = client.Do(req)`, `var rows = db.Query(...)`).
 */
function acquisitionOf(pass: Pass, file: PassFile, loop: LoopNode, id: ast.Ident, before: number): Acquired | undefined {
  let found: Acquired | undefined;
  const consider = (lhs: readonly ast.Expr[], rhs: readonly ast.Expr[]) => {
    const i = lhs.findIndex((l) => l.kind === 'Ident' && sameVar(pass, l, id));
    if (i < 0) return;
    const v = unparen(rhs.length === lhs.length ? rhs[i]! : rhs[0]!);
    if (v.kind !== 'CallExpr') {
      found = undefined;
      return;
    }
    const c = callName(pass, file, v);
    found = c ? { call: v, callee: c.name, line: lineOf(file, v) } : undefined;
  };
  walkSameFunc(loop.body, (x) => {
    if (nodePos(x) >= before) return false;
    if (x.kind === 'AssignStmt' && x.rhs.length > 0) consider(x.lhs, x.rhs);
    else if (x.kind === 'ValueSpec' && x.values && x.values.length > 0) consider(x.names, x.values);
    return true;
  });
  return found;
}

/** A Lock/RLock of the same mutex expression, in the loop body before the defer. */
function lockedInIteration(pass: Pass, file: PassFile, loop: LoopNode, mutex: ast.Expr, unlock: string, before: number): ast.CallExpr | undefined {
  let found: ast.CallExpr | undefined;
  walkSameFunc(loop.body, (x) => {
    if (nodePos(x) >= before) return false;
    if (x.kind === 'CallExpr') {
      const f = unparen(x.fun);
      if (f.kind !== 'SelectorExpr' || !sameExpr(f.x, mutex)) return true;
      const c = callName(pass, file, x);
      const m = c?.typed ? MUTEX_METHODS[c.name] : c?.short;
      if (m && UNLOCK_FOR[m] === unlock) found = x;
    }
    return true;
  });
  return found;
}

function describeRelease(pass: Pass, file: PassFile, d: ast.DeferStmt): ast.Ident | undefined {
  const fun = unparen(d.call.fun);
  if (fun.kind === 'Ident') return pass.types.objectOf(fun)?.kind === 'func' ? undefined : fun; // cancel()
  if (fun.kind === 'SelectorExpr') {
    const c = callName(pass, file, d.call);
    if (c && !c.recv) {
      // A package function: what it releases is its first argument (os.Remove(name), os.RemoveAll(dir)).
      const a = d.call.args?.[0];
      return a ? rootIdent(a) : undefined;
    }
    // `mset.monitorWg.Done()`, `s.mu.Unlock()` on a field: the sync primitive is released, not
    // what the root variable holds.
    if (c?.typed && /^\(\*?sync\./.test(c.name) && unparen(fun.x).kind !== 'Ident') return undefined;
    return rootIdent(fun.x);
  }
  return undefined;
}

/**
 * Releases that may run twice, called without arguments: the second call (the deferred one) is a
 * harmless no-op. Not `Release(n)` of a semaphore (a second one panics) nor `Unlock`.
 */
const IDEMPOTENT_RELEASES: ReadonlySet<string> = new Set(['Close', 'Commit', 'Rollback', 'Stop']);

/**
 * Whether every path from the defer round to the next iteration releases the same value in the
 * loop body (`defer tx.Rollback(); ...; if err := tx.Commit(); err != nil { return err }`,
 * `defer cancel(); ...; cancel()`): the deferred call is a safety net for the early returns, and
 * nothing stays held across iterations. Not for unlocks: a second Unlock panics.
 */
function releasedInIteration(pass: Pass, fn: FuncNode, d: ast.DeferStmt): boolean {
  // `defer func() { _ = tx.Rollback() }()`: the one call the literal makes.
  let call = d.call;
  const lit = unparen(call.fun);
  if (lit.kind === 'FuncLit') {
    const list = lit.body.list ?? [];
    const only = list.length === 1 ? list[0]! : undefined;
    const x = only?.kind === 'ExprStmt' ? unparen(only.x) : only?.kind === 'AssignStmt' && only.rhs.length === 1 && only.lhs.every((l) => unparen(l).kind === 'Ident' && (unparen(l) as ast.Ident).name === '_') ? unparen(only.rhs[0]!) : undefined;
    if (x?.kind !== 'CallExpr') return false;
    call = x;
  }
  const fun = unparen(call.fun);
  let matches: (c: ast.CallExpr) => boolean;
  if (fun.kind === 'SelectorExpr') {
    if (!IDEMPOTENT_RELEASES.has(fun.sel.name) || (call.args ?? []).length > 0) return false;
    const key = refKey(pass, fun.x);
    if (key === undefined) return false;
    matches = (c) => {
      const f = unparen(c.fun);
      return f.kind === 'SelectorExpr' && IDEMPOTENT_RELEASES.has(f.sel.name) && (c.args ?? []).length === 0 && sameRefKey(refKey(pass, f.x), key);
    };
  } else if (fun.kind === 'Ident' && (call.args ?? []).length === 0 && pass.types.objectOf(fun)?.kind === 'var') {
    // A func value such as a context's cancel.
    const key = refKey(pass, fun);
    if (key === undefined) return false;
    matches = (c) => (c.args ?? []).length === 0 && sameRefKey(refKey(pass, unparen(c.fun)), key);
  } else {
    return false;
  }
  const g = cfgOf(pass, fn);
  if (!g || !g.locate(d)) return false;
  let any = false;
  const releases = (n: ast.Node): boolean => {
    if (n.kind === 'DeferStmt' || n.kind === 'GoStmt') return false;
    const hit = nodeContains(n, (y) => y.kind === 'CallExpr' && y !== call && matches(y));
    if (hit) any = true;
    return hit;
  };
  return !g.pathExists(d, d, releases) && any;
}

/** Undo and redo verbs: an iteration that undoes something and defers redoing it restores all at return. */
const UNDO_REDO: readonly (readonly [RegExp, RegExp])[] = [
  [/^clear/i, /^set/i], [/^remove/i, /^add/i], [/^disable/i, /^enable/i], [/^pause/i, /^resume/i],
  [/^unregister/i, /^register/i], [/^detach/i, /^attach/i], [/^unmount/i, /^mount/i], [/^hide/i, /^show/i],
  [/^suspend/i, /^resume/i], [/^uninstall/i, /^install/i], [/^unset/i, /^set/i],
];

/**
 * Undo now, redo at return: the iteration calls a method that takes something away
 * (`t.p.conn.clearBreakpoint(addr, kind)`) and defers the one that puts it back, on the same
 * receiver with the same arguments (`defer t.p.conn.setBreakpoint(addr, kind)`), so that all of
 * them are back once the function's work is done (delve's reloadGAtPC). Holding them all removed
 * until the return is the point.
 */
function redoesUndone(file: PassFile, loop: LoopNode, d: ast.DeferStmt): boolean {
  return pairedEarlierCall(file, loop, d, UNDO_REDO, true);
}

/**
 * Whether the iteration, before the defer, calls a method on the deferred call's receiver whose
 * verb pairs with the deferred one (`clearBreakpoint` with `setBreakpoint`, `pushScope` with
 * `popScope`: the first pattern of a pair matches the earlier call, the second the deferred one,
 * and the rest of the two names is the same). With `sameArgs`, the arguments must match too.
 */
function pairedEarlierCall(file: PassFile, loop: LoopNode, d: ast.DeferStmt, pairs: readonly (readonly [RegExp, RegExp])[], sameArgs: boolean): boolean {
  const f = unparen(d.call.fun);
  if (f.kind !== 'SelectorExpr') return false;
  const later = f.sel.name;
  const recv = textOf(file, f.x);
  const args = (d.call.args ?? []).map((a) => textOf(file, a)).join(',');
  let found = false;
  walkSameFunc(loop.body, (x) => {
    if (found || nodePos(x) >= nodePos(d)) return false;
    if (x.kind !== 'CallExpr') return true;
    const g = unparen(x.fun);
    if (g.kind !== 'SelectorExpr' || textOf(file, g.x) !== recv) return true;
    if (sameArgs && (x.args ?? []).map((a) => textOf(file, a)).join(',') !== args) return true;
    const earlier = g.sel.name;
    for (const [e, l] of pairs) {
      const me = e.exec(earlier);
      const ml = l.exec(later);
      if (me && ml && earlier.slice(me[0].length).toLowerCase() === later.slice(ml[0].length).toLowerCase()) found = true;
    }
    return !found;
  });
  return found;
}

/**
 * Removal postponed past the iteration: the loop ranges over a collection of a value
 * (`for _, l := range er.listeners`) and the deferred call removes from that value (`defer
 * er.removeHandler(l.handler)` for once-listeners): removing while ranging would disturb the
 * iteration, so the removals wait until the function is done with it (playwright-go's event
 * emitter).
 */
function removesFromRanged(file: PassFile, loop: LoopNode, d: ast.DeferStmt): boolean {
  if (loop.kind !== 'RangeStmt') return false;
  const f = unparen(d.call.fun);
  if (f.kind !== 'SelectorExpr' || !/^(remove|delete|unregister|drop|evict|forget|detach)/i.test(f.sel.name)) return false;
  const ranged = unparen(loop.x);
  if (ranged.kind !== 'SelectorExpr') return false;
  const owner = textOf(file, ranged.x);
  const recv = textOf(file, f.x);
  return recv === owner || recv === textOf(file, ranged);
}

/**
 * Restore at return: the deferred literal only assigns back state that the same iteration changed
 * before the defer (`f.Hidden = true; defer func() { f.Hidden = false }()`, cobra's doc tests
 * hiding flags for what runs after the loop), or a snapshot of it taken at the defer (raft's test
 * driver setting a log level per argument). The changes are meant to hold until the function
 * returns; the deferred assignments hold nothing (no call, no resource).
 */
function restoresIterationChange(file: PassFile, loop: LoopNode, d: ast.DeferStmt): boolean {
  const lit = unparen(d.call.fun);
  if (lit.kind !== 'FuncLit') return false;
  const stmts = lit.body.list ?? [];
  if (stmts.length === 0) return false;
  const assigns: ast.AssignStmt[] = [];
  for (const st of stmts) {
    if (st.kind !== 'AssignStmt' || st.tok !== '=') return false;
    let plain = true;
    for (const r of st.rhs) {
      walkNode(r, (x) => {
        if (x.kind === 'CallExpr' || x.kind === 'FuncLit' || (x.kind === 'UnaryExpr' && x.op === '<-')) plain = false;
        return plain;
      });
    }
    if (!plain) return false;
    assigns.push(st);
  }
  const at = nodePos(d);
  // Save and restore: every assignment puts back a snapshot of its own target, taken by a
  // parameter of the literal (`defer func(old int) { env.Lvl = old }(env.Lvl)`) or by a variable
  // the iteration declares before the defer (`old := env.Lvl`). Once all of them have run the
  // target is as it was before the loop, whatever the iterations set in between.
  const snapshot = new Map<string, string>();
  const args = d.call.args ?? [];
  let i = 0;
  for (const f of lit.type.params?.list ?? []) {
    for (const n of f.names ?? []) {
      const a = args[i++];
      if (a) snapshot.set(n.name, textOf(file, unparen(a)));
    }
  }
  walkSameFunc(loop.body, (x) => {
    if (nodePos(x) >= at) return false;
    if (x.kind === 'AssignStmt' && x.tok === ':=' && x.lhs.length === x.rhs.length) {
      x.lhs.forEach((l, k) => {
        if (l.kind === 'Ident' && !snapshot.has(l.name)) snapshot.set(l.name, textOf(file, unparen(x.rhs[k]!)));
      });
    }
    return true;
  });
  const restoresSnapshot = (st: ast.AssignStmt) =>
    st.lhs.length === st.rhs.length &&
    st.lhs.every((l, k) => {
      const r = unparen(st.rhs[k]!);
      return r.kind === 'Ident' && snapshot.get(r.name) === textOf(file, unparen(l));
    });
  if (assigns.every(restoresSnapshot)) return true;
  // Otherwise, a literal without arguments that assigns state outliving the statement (a field,
  // an element or a dereference) which the iteration changed before the defer.
  if (args.length > 0) return false;
  const restored: string[] = [];
  for (const st of assigns) {
    for (const l of st.lhs) {
      const t = unparen(l);
      if (t.kind !== 'SelectorExpr' && t.kind !== 'IndexExpr' && t.kind !== 'StarExpr') return false;
      restored.push(textOf(file, t));
    }
  }
  const changed = new Set<string>();
  walkSameFunc(loop.body, (x) => {
    if (nodePos(x) >= at) return false;
    if (x.kind === 'AssignStmt' && x.tok === '=') for (const l of x.lhs) changed.add(textOf(file, unparen(l)));
    return true;
  });
  return restored.every((r) => changed.has(r));
}

/**
 * Save and restore through a getter and a setter: the literal is handed what a getter returns now
 * (`defer func(name, value string) { if value != "" { os.Setenv(name, value) } }(name,
 * os.Getenv(name))`, reviewdog hiding secrets from a child's environment) and its body only calls
 * setters. Once all have run, every value is back as it was before the loop.
 */
function restoresThroughSetter(pass: Pass, file: PassFile, d: ast.DeferStmt): boolean {
  const lit = unparen(d.call.fun);
  if (lit.kind !== 'FuncLit' || (d.call.args?.length ?? 0) === 0) return false;
  const getter = (d.call.args ?? []).some((a) => {
    const c = unparen(a);
    if (c.kind !== 'CallExpr') return false;
    const f = unparen(c.fun);
    const n = f.kind === 'SelectorExpr' ? f.sel.name : f.kind === 'Ident' ? f.name : '';
    return /^(Get|get|Lookup|lookup|Load)/.test(n);
  });
  if (!getter) return false;
  let setters = 0;
  let other = false;
  walkSameFunc(lit.body, (x) => {
    if (other) return false;
    if (x.kind === 'CallExpr') {
      const f = unparen(x.fun);
      const n = f.kind === 'SelectorExpr' ? f.sel.name : f.kind === 'Ident' ? f.name : '';
      if (/^(Set|set|Store|store|Restore|restore)/.test(n)) setters++;
      else other = true;
    }
    return !other;
  });
  return setters > 0 && !other;
}

/**
 * Postponed on one branch only: the iteration either calls the function now or defers the same
 * call to the return (`if item.HasFocus() { defer item.Draw(screen) } else { item.Draw(screen) }`,
 * tview drawing the focused item last). An ordering choice, not a release; releases (`Close`,
 * `Unlock`, ...) are still reported.
 */
function postponedOnOneBranch(file: PassFile, loop: LoopNode, d: ast.DeferStmt): boolean {
  const fun = unparen(d.call.fun);
  if (fun.kind === 'FuncLit') return false;
  const name = fun.kind === 'SelectorExpr' ? fun.sel.name : fun.kind === 'Ident' ? fun.name : '';
  if (!name || releaseNamed(name)) return false;
  const text = textOf(file, fun);
  const calls = (n: ast.Node | null): boolean => {
    let hit = false;
    if (n) walkSameFunc(n, (x) => {
      if (hit || x.kind === 'DeferStmt') return false;
      if (x.kind === 'ExprStmt') {
        const c = unparen(x.x);
        if (c.kind === 'CallExpr' && textOf(file, unparen(c.fun)) === text) hit = true;
      }
      return !hit;
    });
    return hit;
  };
  const inside = (n: ast.Node | null) => !!n && nodePos(n) <= nodePos(d) && nodePos(d) < nodeEnd(n);
  let found = false;
  walkSameFunc(loop.body, (x) => {
    if (found) return false;
    if (x.kind === 'IfStmt' && x.else) {
      if ((inside(x.body) && calls(x.else)) || (inside(x.else) && calls(x.body))) found = true;
    }
    return !found;
  });
  return found;
}

/** Whether a called name reads like a release: a release method, `close`, or a cancel/cleanup/unlock/done helper. */
function releaseNamed(name: string): boolean {
  return RELEASE_METHODS.has(name) || /^(cancel|close|release|unlock|done|cleanup)/i.test(name);
}

/**
 * Work postponed to the return: the deferred literal sets a named result of fn (which only
 * matters as fn returns) and releases nothing (no call named like a release, no close). Each
 * iteration queues a step to run after the rest of the function, on purpose (gorm's `Open`
 * running every option's `AfterInitialize` into `err`, its migrator creating indexes after the
 * table).
 */
function resultWorkAtExit(pass: Pass, fn: FuncNode, d: ast.DeferStmt): boolean {
  const lit = unparen(d.call.fun);
  if (lit.kind !== 'FuncLit') return false;
  const results = new Set((fn.type.results?.list ?? []).flatMap((f) => (f.names ?? []).filter((n) => n.name !== '_')).map((n) => pass.types.objectOf(n) ?? n.name));
  if (results.size === 0) return false;
  let sets = false;
  let releases = false;
  walkSameFunc(lit.body, (x) => {
    if (releases) return false;
    if (x.kind === 'AssignStmt' && x.tok === '=') {
      for (const l of x.lhs) {
        const t = unparen(l);
        if (t.kind === 'Ident' && results.has(pass.types.objectOf(t) ?? t.name)) sets = true;
      }
    }
    if (x.kind === 'CallExpr') {
      const f = unparen(x.fun);
      const name = f.kind === 'SelectorExpr' ? f.sel.name : f.kind === 'Ident' ? f.name : '';
      if (releaseNamed(name)) releases = true;
    }
    return true;
  });
  return sets && !releases;
}

/**
 * Whether the deferred call is a literal whose whole body runs only when an error of fn is set at
 * exit: every statement is an `if` whose condition tests `err != nil` (possibly `&&` more), or the
 * body starts with `if err == nil { return }`. The error is a named result, or a variable fn
 * declares before the loop (`var err error; for ... { if err = ep.rename(n); err != nil { break };
 * defer func() { if err != nil { ep.rename(old) } }() }`): the literal reads its value at exit.
 */
function rollbackOnFailure(pass: Pass, fn: FuncNode, d: ast.DeferStmt, loop: ast.Node): boolean {
  // A literal deferred in place, or one that a local variable only ever holds (`closeOnError :=
  // func(c io.Closer) { if err != nil { c.Close() } }`, then `defer closeOnError(ring)`).
  const fun = unparen(d.call.fun);
  const lit = fun.kind === 'FuncLit' ? fun : fun.kind === 'Ident' ? callGraphOf(pass).calleeOf(d.call)?.lit : undefined;
  if (!lit || lit.kind !== 'FuncLit') return false;
  const results = new Set((fn.type.results?.list ?? []).flatMap((f) => (f.names ?? []).filter((n) => n.name !== '_')).map((n) => pass.types.objectOf(n) ?? n.name));
  const isResult = (e: ast.Expr): boolean => {
    const x = unparen(e);
    if (x.kind !== 'Ident') return false;
    if (results.has(pass.types.objectOf(x) ?? x.name)) return true;
    // A variable of fn declared before the loop, of type error: read by the literal at exit.
    const o = pass.types.objectOf(x);
    if (!o?.decl || isErrorTyped(pass, x) !== true) return false;
    const at = nodePos(o.decl);
    return at >= nodePos(fn.body!) && at < nodePos(loop);
  };
  // `err != nil` (possibly `&& more`) for a failure, `err == nil` (possibly `|| more`) for a success.
  const comparesWithNil = (c: ast.Expr, op: '!=' | '==', join: '&&' | '||'): boolean => {
    const x = unparen(c);
    if (x.kind !== 'BinaryExpr') return false;
    if (x.op === join) return comparesWithNil(x.x, op, join) || comparesWithNil(x.y, op, join);
    if (x.op !== op) return false;
    return (isNilIdent(pass, x.y) && isResult(x.x)) || (isNilIdent(pass, x.x) && isResult(x.y));
  };
  const testsFailure = (c: ast.Expr) => comparesWithNil(c, '!=', '&&');
  const testsSuccess = (c: ast.Expr) => comparesWithNil(c, '==', '||');
  const list = lit.body.list ?? [];
  if (list.length === 0) return false;
  // `if retErr == nil { return }` first: the rest runs only on failure.
  const first = list[0]!;
  if (first.kind === 'IfStmt' && !first.init && first.else === null && testsSuccess(first.cond)) {
    const b = first.body.list ?? [];
    if (b.length === 1 && b[0]!.kind === 'ReturnStmt' && !(b[0] as ast.ReturnStmt).results?.length) return true;
  }
  return list.every((st) => st.kind === 'IfStmt' && !st.init && st.else === null && testsFailure(st.cond));
}

/**
 * Whether the statements after the loop, in the list that holds it, wait for cancellation: a
 * receive from a `Done()` channel (`<-ctx.Done()`, also as a select case) or from a channel given
 * to `signal.Notify` (`<-sig`), or an empty `select {}`.
 * A listener that subscribes to each item and then serves until cancelled holds them on purpose.
 */
function waitsAfter(pass: Pass, file: PassFile, body: ast.BlockStmt, loop: ast.Stmt): boolean {
  const list = listHolding(body, loop);
  const i = list.indexOf(loop);
  if (i < 0) return false;
  // Channels handed to signal.Notify: a receive from one waits for the process to be told to stop.
  const signals = new Set<string>();
  walkSameFunc(body, (x) => {
    if (x.kind === 'CallExpr' && x.args?.length && unparen(x.args[0]!).kind === 'Ident' && callName(pass, file, x)?.name === 'os/signal.Notify') {
      signals.add((unparen(x.args[0]!) as ast.Ident).name);
    }
    return true;
  });
  // A statement of its own that waits (`<-ctx.Done()`, `<-sig`, `select {}`), directly after the
  // loop or in the body of an `if` there; a select case (a test's timeout) does not count.
  const waitsItself = (st: ast.Stmt): boolean => {
    if (st.kind === 'SelectStmt') return (st.body.list ?? []).length === 0;
    if (st.kind !== 'ExprStmt') return false;
    const x = unparen(st.x);
    if (x.kind !== 'UnaryExpr' || x.op !== '<-') return false;
    const ch = unparen(x.x);
    if (ch.kind === 'CallExpr' && unparen(ch.fun).kind === 'SelectorExpr' && (unparen(ch.fun) as ast.SelectorExpr).sel.name === 'Done') return true;
    return ch.kind === 'Ident' && signals.has(ch.name);
  };
  for (const st of list.slice(i + 1)) {
    if (waitsItself(st)) return true;
    if (st.kind === 'IfStmt' && (st.body.list ?? []).some(waitsItself)) return true;
  }
  return false;
}

/** The operand of type conversions around an expression: `cs` of `unsafe.Pointer(cs)`, of `(*C.char)(p)`. */
function unconvert(pass: Pass, e: ast.Expr): ast.Expr {
  let x = unparen(e);
  for (;;) {
    if (x.kind !== 'CallExpr' || x.args?.length !== 1 || x.ellipsis !== NOPOS) return x;
    // A type the checker knows (`unsafe.Pointer`), or a pointer to a C type it does not (`*C.char`).
    const f = unparen(x.fun);
    const cPointer = f.kind === 'StarExpr' && unparen(f.x).kind === 'SelectorExpr' && isCPackage(pass, (unparen(f.x) as ast.SelectorExpr).x);
    if (!pass.types.isType(x.fun) && !cPointer) return x;
    x = unparen(x.args[0]!);
  }
}

/** Whether the expression names cgo's pseudo-package `C`. */
function isCPackage(pass: Pass, e: ast.Expr): boolean {
  const x = unparen(e);
  if (x.kind !== 'Ident' || x.name !== 'C') return false;
  const o = pass.types.objectOf(x);
  return !o || o.kind === 'pkgname';
}

/** A call of a C function through cgo (`C.free(p)`, `C.rd_kafka_topic_partition_list_add(l, t)`). */
function isCgoCall(pass: Pass, c: ast.CallExpr): boolean {
  const f = unparen(c.fun);
  return f.kind === 'SelectorExpr' && isCPackage(pass, f.x);
}

/** The root variable of what the deferred call releases: its receiver's (`f` of `f.Close()`), or its first argument's (through conversions). */
function deferTarget(pass: Pass, d: ast.DeferStmt): ast.Ident | undefined {
  const fun = unparen(d.call.fun);
  // A method releases its receiver; a package function (`os.Remove(name)`, `C.free(p)`) its argument.
  const pkgFunc = fun.kind === 'SelectorExpr' && (isCgoCall(pass, d.call) || pass.types.callee(d.call)?.kind === 'func' || (unparen(fun.x).kind === 'Ident' && pass.types.objectOf(unparen(fun.x) as ast.Ident)?.kind === 'pkgname'));
  if (fun.kind === 'SelectorExpr' && !pkgFunc) return rootIdent(fun.x);
  const a = d.call.args?.[0];
  return a ? rootIdent(unconvert(pass, a)) : fun.kind === 'SelectorExpr' ? rootIdent(fun.x) : undefined;
}

/** Whether the loop body stores the deferred call's target where it outlives the iteration: appended to, or assigned into, a variable declared outside the loop. */
function keptBeyondIteration(pass: Pass, loop: LoopNode, d: ast.DeferStmt, body: ast.BlockStmt | undefined): boolean {
  const target = deferTarget(pass, d);
  // A cleanup function returned with the resource it cleans up (`srv, cleanup, err :=
  // newServer(h); defer cleanup()`): the resource is what may be kept.
  if (!target) return cleanupOfKeptValue(pass, loop, d) || literalReleasesKept(pass, loop, d);
  const o = pass.types.objectOf(target);
  if (!o) return false;
  const isTarget = (e: ast.Expr) => {
    const u = unparen(e);
    return u.kind === 'Ident' && u.name === target.name && pass.types.objectOf(u) === o;
  };
  // An element of a collection declared outside the loop (`defer backends[i].Stop()`,
  // `defer C.destroy(cTopics[i])`): it lives in that collection beyond the iteration.
  const outside = (e: ast.Expr) => declaredOutside(pass, loop, e);
  const recv = unparen(d.call.fun);
  const released = recv.kind === 'SelectorExpr' && rootIdent(recv.x) === target ? unparen(recv.x) : d.call.args?.[0] ? unconvert(pass, d.call.args[0]) : undefined;
  if (released?.kind === 'IndexExpr' && outside(released)) return true;
  if (body && rangeElementUsedAfter(pass, loop, target, body)) return true;
  // C memory handed to a C call that keeps it: the call's result is stored outside the loop
  // (`cRes[i] = C.ConfigResource_new(kind, cName)`) or it adds to a C object from outside the loop
  // (`C.topic_partition_list_add(cparts, ctopic, p)`). cgo hides who owns the pointer, and the
  // deferred `C.free` keeps it valid until the function is done with the collection.
  if (isCgoCall(pass, d.call)) {
    let handed = false;
    walkSameFunc(loop.body, (x) => {
      if (handed) return false;
      if (x.kind === 'AssignStmt' && x.lhs.length === 1 && x.rhs.length === 1) {
        const v = unparen(x.rhs[0]!);
        if (v.kind === 'CallExpr' && isCgoCall(pass, v) && (v.args ?? []).some((a) => isTarget(unconvert(pass, a))) && outside(x.lhs[0]!)) handed = true;
      }
      if (x.kind === 'CallExpr' && x !== d.call && isCgoCall(pass, x)) {
        const args = (x.args ?? []).map((a) => unconvert(pass, a));
        if (args.some(isTarget) && args.some((a) => !isTarget(a) && (a.kind === 'Ident' || a.kind === 'IndexExpr') && outside(a))) handed = true;
      }
      return !handed;
    });
    if (handed) return true;
  }
  // Handed to a call that keeps writing to it until told to stop (`pprof.StartCPUProfile(f)`,
  // `trace.Start(f)`, `log.SetOutput(f)`): it must stay open past the iteration.
  let kept = false;
  walkSameFunc(loop.body, (x) => {
    if (kept) return false;
    if (x.kind === 'CallExpr' && KEEPS_WRITER.has(pass.types.callee(x)?.name ?? '') && (x.args ?? []).some((a) => isTarget(a))) kept = true;
    return !kept;
  });
  if (kept) return true;
  if (storedOutside(pass, loop, isTarget)) return true;
  // A listener held open to reserve its port: its address is stored outside the loop (`ports =
  // append(ports, l.Addr().(*net.TCPAddr).Port)`, `ports[i] = ...`), and closing it in the
  // iteration would let the next iteration be handed the same port (free-port helpers of
  // apiserver's and dapr's tests).
  const def = definingValue(pass, target);
  const from = def ? unparen(def) : undefined;
  const ctor = from?.kind === 'CallExpr' ? pass.types.callee(from)?.name ?? '' : '';
  if (/^net\.Listen(TCP|UDP|Unix|Packet)?$/.test(ctor)) {
    const addrOf = (e: ast.Expr): boolean => {
      let hit = false;
      walkNode(e, (x) => {
        if (hit) return false;
        if (x.kind === 'CallExpr') {
          const f = unparen(x.fun);
          if (f.kind === 'SelectorExpr' && f.sel.name === 'Addr' && isTarget(f.x)) hit = true;
        }
        return !hit;
      });
      return hit;
    };
    if (storedOutside(pass, loop, addrOf)) return true;
  }
  return false;
}

/**
 * A deferred literal that gives back values of the iteration (`defer func() { if allocV {
 * m.PutValue(dev, v) } }()`) which the iteration keeps beyond itself: stored outside the loop, or
 * put into a value of the iteration that is (`dv.Value = v; inputs[i] = dv`, gorgonia's machine
 * borrowing each input's value for the operation run after the loop). They have to stay valid
 * until the function is done with them.
 */
function literalReleasesKept(pass: Pass, loop: LoopNode, d: ast.DeferStmt): boolean {
  const fun = unparen(d.call.fun);
  if (fun.kind !== 'FuncLit') return false;
  const inLoop = (o: ReturnType<Pass['types']['objectOf']>): boolean => !!o?.decl && nodePos(loop.body) <= nodePos(o.decl) && nodePos(o.decl) < nodeEnd(loop.body);
  const released = new Set<unknown>();
  walkNode(fun.body, (x) => {
    if (x.kind !== 'CallExpr') return true;
    for (const a of x.args ?? []) {
      const u = unparen(a);
      const o = u.kind === 'Ident' ? pass.types.objectOf(u) : undefined;
      if (o?.kind === 'var' && inLoop(o)) released.add(o);
    }
    return true;
  });
  if (released.size === 0) return false;
  const isReleased = (e: ast.Expr) => {
    const u = unparen(e);
    return u.kind === 'Ident' && released.has(pass.types.objectOf(u));
  };
  if (storedOutside(pass, loop, isReleased)) return true;
  // Put into a field of another value of the iteration, which is kept.
  const holders = new Set<unknown>();
  walkSameFunc(loop.body, (x) => {
    if (x.kind === 'AssignStmt' && x.lhs.length === x.rhs.length) {
      x.lhs.forEach((l, i) => {
        const t = unparen(l);
        const root = t.kind === 'SelectorExpr' ? rootIdent(t.x) : undefined;
        const o = root ? pass.types.objectOf(root) : undefined;
        if (o && inLoop(o) && isReleased(x.rhs[i]!)) holders.add(o);
      });
    }
    return true;
  });
  return holders.size > 0 && storedOutside(pass, loop, (e) => {
    const u = unparen(e);
    return u.kind === 'Ident' && holders.has(pass.types.objectOf(u));
  });
}

/**
 * The range variable of a loop over a collection declared outside it, when the body never assigns
 * it and the function uses the collection after the loop (`for _, c := range childData { defer
 * c.Release() }; ...; concat(childData, mem)`, arrow-go's reference-counted children): the
 * iteration acquired nothing, and each element has to stay valid until the function is done with
 * the collection. A use only in `len` or `cap` does not count.
 */
function rangeElementUsedAfter(pass: Pass, loop: LoopNode, target: ast.Ident, body: ast.BlockStmt): boolean {
  if (loop.kind !== 'RangeStmt') return false;
  const o = pass.types.objectOf(target);
  const isVar = (e: ast.Expr | null | undefined) => !!e && unparen(e).kind === 'Ident' && pass.types.objectOf(unparen(e) as ast.Ident) === o;
  if (!o || !(isVar(loop.key) || isVar(loop.value))) return false;
  const coll = rootIdent(loop.x);
  const co = coll ? pass.types.objectOf(coll) : undefined;
  if (!co || !declaredOutside(pass, loop, loop.x)) return false;
  let assigned = false;
  walkSameFunc(loop.body, (x) => {
    if (assigned) return false;
    if (x.kind === 'AssignStmt' && x.lhs.some((l) => isVar(l))) assigned = true;
    return !assigned;
  });
  if (assigned) return false;
  const after = nodeEnd(loop);
  let used = false;
  walkSameFunc(body, (x) => {
    if (used) return false;
    if (nodeEnd(x) <= after) return false;
    if (x.kind === 'CallExpr') {
      const f = unparen(x.fun);
      if (f.kind === 'Ident' && (f.name === 'len' || f.name === 'cap') && pass.types.objectOf(f)?.kind === 'builtin') return false;
    }
    if (x.kind === 'Ident' && nodePos(x) >= after && pass.types.objectOf(x) === co) used = true;
    return !used;
  });
  return used;
}

/** Calls that keep the writer they are given and write to it until stopped or replaced. */
const KEEPS_WRITER: ReadonlySet<string> = new Set([
  'runtime/pprof.StartCPUProfile',
  'runtime/trace.Start',
  'log.SetOutput',
  '(*log.Logger).SetOutput',
]);

/** Whether the expression's root variable is declared outside the loop. */
function declaredOutside(pass: Pass, loop: LoopNode, e: ast.Expr): boolean {
  const r = rootIdent(e);
  const decl = r ? pass.types.objectOf(r)?.decl : undefined;
  return !!decl && (nodePos(decl) < nodePos(loop) || nodePos(decl) >= nodeEnd(loop));
}

/**
 * Whether the loop body stores a value `is` picks where it outlives the iteration: appended to,
 * or assigned to, a variable declared outside the loop (`svcs = append(svcs, svc)`, `conns[i] = c`).
 */
function storedOutside(pass: Pass, loop: LoopNode, is: (e: ast.Expr) => boolean): boolean {
  let kept = false;
  walkSameFunc(loop.body, (x) => {
    if (kept) return false;
    if (x.kind === 'AssignStmt' && x.lhs.length === x.rhs.length) {
      x.rhs.forEach((r, i) => {
        const l = x.lhs[i]!;
        const v = unparen(r);
        const appended = v.kind === 'CallExpr' && unparen(v.fun).kind === 'Ident' && (unparen(v.fun) as ast.Ident).name === 'append' && (v.args ?? []).slice(1).some(is);
        if ((appended || is(v)) && declaredOutside(pass, loop, l) && !is(l)) kept = true;
      });
    }
    return !kept;
  });
  return kept;
}

/**
 * `defer cleanup()` of a func variable that the loop body declares together with other values
 * (`srv, cleanup, err := newNativeServer(handler)`), one of which the body keeps beyond the
 * iteration (`servers = append(servers, srv)`): the cleanup belongs to a resource used after the
 * loop, so it is meant to run at return.
 */
function cleanupOfKeptValue(pass: Pass, loop: LoopNode, d: ast.DeferStmt): boolean {
  if (companionIntoSlot(pass, loop, d)) return true;
  const objs = companionsOf(pass, loop, d);
  if (objs.size === 0) return false;
  const isCompanion = (e: ast.Expr) => {
    const u = unparen(e);
    return u.kind === 'Ident' && objs.has(pass.types.objectOf(u)!);
  };
  if (storedOutside(pass, loop, isCompanion)) return true;
  // A plain value reserved by the call (a port number from `port, release, err :=
  // freePort(...)`) may be kept as text: formatted into a local (`addr := net.JoinHostPort(host,
  // strconv.Itoa(port))`) that goes into a slice declared outside the loop (`args =
  // append(args, "--publish="+addr)`, kind's port mappings). The reservation has to last until
  // the function is done with all of them. A context does not count: passing it to a call
  // keeps nothing.
  const carried = new Set<unknown>();
  for (const o of objs) {
    const t = o.type;
    if (!(t?.kind === 'named' && t.pkg === 'context')) carried.add(o);
  }
  if (carried.size === 0) return false;
  const carries = (e: ast.Expr): boolean => {
    const u = unparen(e);
    switch (u.kind) {
      case 'Ident': return carried.has(pass.types.objectOf(u));
      case 'BinaryExpr': return carries(u.x) || carries(u.y);
      case 'CompositeLit': return (u.elts ?? []).some((el) => carries(el.kind === 'KeyValueExpr' ? el.value : el));
      case 'CallExpr': {
        const c = pass.types.callee(u);
        const formats = !!c && (c.kind === 'conversion' || FORMATS_VALUE.has(c.name));
        const f = unparen(u.fun);
        const appends = f.kind === 'Ident' && f.name === 'append' && c?.kind === 'builtin';
        return (formats || appends) && (u.args ?? []).some(carries);
      }
      default: return false;
    }
  };
  // Locals of the iteration computed from the value, in source order.
  walkSameFunc(loop.body, (x) => {
    if (x.kind === 'AssignStmt' && x.tok === ':=' && x.lhs.length === x.rhs.length) {
      x.rhs.forEach((r, i) => {
        const l = unparen(x.lhs[i]!);
        if (l.kind === 'Ident' && carries(r)) carried.add(pass.types.objectOf(l));
      });
    }
    return true;
  });
  return storedOutside(pass, loop, carries);
}

/** Calls whose result carries their arguments' values as text or in a path. */
const FORMATS_VALUE: ReadonlySet<string> = new Set([
  'fmt.Sprint', 'fmt.Sprintf', 'fmt.Sprintln', 'strconv.Itoa', 'strconv.FormatInt', 'strconv.FormatUint',
  'net.JoinHostPort', 'strings.Join', 'path.Join', 'path/filepath.Join',
]);

/**
 * `next[i], stop = iter.Pull(seq); defer stop()`: the value that comes with the cleanup goes
 * straight into its own slot of a collection declared outside the loop (samber/lo's Interleave
 * pulls every sequence, then reads them all after the loop), so the cleanup is meant for the
 * return.
 */
function companionIntoSlot(pass: Pass, loop: LoopNode, d: ast.DeferStmt): boolean {
  const fun = unparen(d.call.fun);
  if (fun.kind !== 'Ident' || (d.call.args?.length ?? 0) > 0) return false;
  const o = pass.types.objectOf(fun);
  if (!o || o.kind !== 'var') return false;
  let found = false;
  walkSameFunc(loop.body, (x) => {
    if (found || nodePos(x) >= nodePos(d)) return false;
    if (x.kind === 'AssignStmt' && x.rhs.length === 1 && x.lhs.length > 1 && x.lhs.some((l) => unparen(l).kind === 'Ident' && pass.types.objectOf(unparen(l) as ast.Ident) === o)) {
      found = x.lhs.some((l) => unparen(l).kind === 'IndexExpr' && declaredOutside(pass, loop, l));
    }
    return !found;
  });
  return found;
}

/**
 * For `defer cleanup()` of a func variable the loop body assigns together with other values
 * (`srv, cleanup, err := newServer(h)`, `ctx, cancel := context.WithTimeout(...)`), the objects of
 * those other values (the blank identifier left out): what the cleanup releases.
 */
function companionsOf(pass: Pass, loop: LoopNode, d: ast.DeferStmt): Set<NonNullable<ReturnType<Pass['types']['objectOf']>>> {
  const out = new Set<NonNullable<ReturnType<Pass['types']['objectOf']>>>();
  const fun = unparen(d.call.fun);
  if (fun.kind !== 'Ident' || (d.call.args?.length ?? 0) > 0) return out;
  const o = pass.types.objectOf(fun);
  if (!o || o.kind !== 'var') return out;
  let companions: ast.Ident[] = [];
  walkSameFunc(loop.body, (x) => {
    if (companions.length > 0) return false;
    if (x.kind === 'AssignStmt' && x.rhs.length === 1 && x.lhs.length > 1 && x.lhs.some((l) => unparen(l).kind === 'Ident' && pass.types.objectOf(unparen(l) as ast.Ident) === o)) {
      companions = x.lhs.map((l) => unparen(l)).filter((l): l is ast.Ident => l.kind === 'Ident' && l.name !== '_' && pass.types.objectOf(l) !== o);
    }
    return companions.length === 0;
  });
  for (const c of companions) {
    const co = pass.types.objectOf(c);
    if (co) out.add(co);
  }
  return out;
}

/**
 * Whether the root variable of the deferred call's receiver (or of its first argument) is used by
 * a go statement of the loop body; for `defer cancel()`, a value assigned with it (`ctx, cancel :=
 * context.WithTimeout(...)`, `bo, cancel := bo.Fork()`): the goroutine needs it until the function
 * stops waiting for it, so the release belongs at the return.
 */
function handedToGoroutine(pass: Pass, loop: LoopNode, d: ast.DeferStmt): boolean {
  const target = deferTarget(pass, d);
  const objs = target ? new Set([pass.types.objectOf(target)].filter((x) => x !== undefined)) : companionsOf(pass, loop, d);
  if (objs.size === 0) return false;
  let used = false;
  walkSameFunc(loop.body, (x) => {
    if (used) return false;
    if (x.kind === 'GoStmt') {
      inspectAll(x, (y) => {
        if (y.kind === 'Ident' && objs.has(pass.types.objectOf(y)!)) used = true;
        return !used;
      });
      return false;
    }
    return true;
  });
  return used;
}

/**
 * Whether the function's last statement unlocks a mutex that is locked before the loop (`mu.Lock();
 * for ... { defer notify() }; mu.Unlock()`), and the deferred call is not itself an unlock: the
 * deferred calls are postponed until after the unlock on purpose.
 */
function runsAfterFinalUnlock(file: PassFile, body: ast.BlockStmt, loop: ast.Stmt, d: ast.DeferStmt): boolean {
  const list = body.list ?? [];
  const last = list[list.length - 1];
  if (!last || last.kind !== 'ExprStmt') return false;
  const call = unparen(last.x);
  if (call.kind !== 'CallExpr') return false;
  const f = unparen(call.fun);
  if (f.kind !== 'SelectorExpr' || (f.sel.name !== 'Unlock' && f.sel.name !== 'RUnlock')) return false;
  const df = unparen(d.call.fun);
  if (df.kind === 'SelectorExpr' && /Unlock$/.test(df.sel.name)) return false;
  const mu = textOf(file, f.x);
  const lock = f.sel.name === 'Unlock' ? 'Lock' : 'RLock';
  let locked = false;
  walkSameFunc(body, (x) => {
    if (locked || nodePos(x) >= nodePos(loop)) return false;
    if (x.kind === 'CallExpr') {
      const g = unparen(x.fun);
      if (g.kind === 'SelectorExpr' && g.sel.name === lock && textOf(file, g.x) === mu) locked = true;
    }
    return !locked;
  });
  return locked;
}

/**
 * A deferred literal whose only statement receives from a channel (`defer func() { <-sem }()`)
 * that the same loop body sends on before the defer (`sem <- struct{}{}`, also as a select case):
 * the loop takes the semaphore's tokens one by one, and holding them all until return is the
 * point (x/tools' gocommand runner waits out every in-flight command this way).
 */
function releasesTokenTakenInLoop(pass: Pass, file: PassFile, loop: LoopNode, d: ast.DeferStmt): boolean {
  const lit = unparen(d.call.fun);
  if (lit.kind !== 'FuncLit' || (lit.body.list ?? []).length !== 1) return false;
  const st = lit.body.list![0]!;
  const recv = st.kind === 'ExprStmt' ? unparen(st.x) : undefined;
  if (!recv || recv.kind !== 'UnaryExpr' || recv.op !== '<-') return false;
  const ch = textOf(file, recv.x);
  const at = nodePos(d);
  let sent = false;
  walkSameFunc(loop.body, (x) => {
    if (sent || nodePos(x) >= at) return false;
    if (x.kind === 'SendStmt' && textOf(file, x.chan) === ch) sent = true;
    return !sent;
  });
  return sent;
}

/** Whether the mutex expression goes through a variable declared inside the loop (its header included). */
/**
 * A variable the loop declares from a call taking a string key (`sh := c.shardFor(k)`,
 * `l := locks.get(name)`): lock striping by key, where two keys can give the same mutex, so it
 * is not one distinct mutex per iteration.
 */
function keyedLookup(pass: Pass, id: ast.Ident, loop?: LoopNode): ast.CallExpr | undefined {
  const v = definingValue(pass, id);
  let call: ast.CallExpr | undefined;
  if (v) {
    walkNode(v, (x) => {
      if (call || x.kind === 'FuncLit') return false;
      if (x.kind === 'CallExpr' && !pass.types.isType(x.fun) && ((x.args ?? []).some((a) => {
        const t = pass.types.typeOf(a);
        const u = t?.kind === 'named' ? t.underlying() : t;
        return u?.kind === 'basic' && u.name === 'string';
      }) || (picksByIndex(pass, x) && !!loop && receiverOutside(pass, x, loop)))) call = x;
      return !call;
    });
  }
  return call;
}

/**
 * A variable the loop declares from an accessor of a receiver declared outside it (`mu :=
 * ix.lock()` with `func (ix *Index) lock() *sync.Mutex { return &ix.mu }`): the same mutex in
 * every iteration.
 */
function fixedAccessorValue(pass: Pass, id: ast.Ident, loop: LoopNode): boolean {
  const v = definingValue(pass, id);
  const call = v ? unparen(v) : undefined;
  return call?.kind === 'CallExpr' && accessedField(pass, call) !== undefined && receiverOutside(pass, call, loop);
}

/** Whether a method call's receiver is declared outside the loop (`g.shardFor(cell)` with g from before it): one collection for every iteration. */
function receiverOutside(pass: Pass, call: ast.CallExpr, loop: LoopNode): boolean {
  const f = unparen(call.fun);
  const root = f.kind === 'SelectorExpr' ? rootIdent(f.x) : undefined;
  const d = root ? pass.types.objectOf(root)?.decl : undefined;
  return !!d && !(nodePos(loop) <= d.namePos && d.namePos < nodeEnd(loop));
}

/**
 * A call of a function of the package that returns an element of a collection picked by an
 * index it computes (`func (g *Grid) shardFor(c CellID) *shard { h := ...; return
 * g.shards[h%uint32(len(g.shards))] }`): two keys may give the same element.
 */
function picksByIndex(pass: Pass, call: ast.CallExpr): boolean {
  const body = pass.types.callee(call)?.decl?.body;
  if (!body || (call.args ?? []).length === 0) return false;
  let returns = 0;
  let indexed = 0;
  walkSameFunc(body, (x) => {
    if (x.kind === 'ReturnStmt' && x.results?.length === 1) {
      returns++;
      let r = unparen(x.results[0]!);
      if (r.kind === 'UnaryExpr' && r.op === '&') r = unparen(r.x);
      if (r.kind === 'IndexExpr') indexed++;
    }
    return true;
  });
  return returns > 0 && indexed === returns;
}

/**
 * Whether the function does more after the loop (the outermost one holding the defer) than
 * return: statements after it in any enclosing block, or a return whose results call something.
 */
function worksAfterLoop(pass: Pass, body: ast.BlockStmt, loop: LoopNode): boolean {
  const at = nodeEnd(loop);
  let found = false;
  // Sorting what the loop gathered (`sort.Slice(out, ...)`, `slices.SortFunc(names, ...)`) works
  // on the copies, not under the locks.
  const sortsGathered = (st: ast.Stmt): boolean => {
    if (st.kind !== 'ExprStmt' || unparen(st.x).kind !== 'CallExpr') return false;
    const name = pass.types.callee(unparen(st.x) as ast.CallExpr)?.name ?? '';
    return /^(sort|slices)\.(Slice|SliceStable|Sort|SortFunc|SortStableFunc|Stable|Strings|Ints|Float64s|Reverse)$/.test(name);
  };
  const visit = (x: ast.Node): boolean => {
    if (found) return false;
    // Only the nodes around the loop: what follows it in each enclosing list.
    if (nodePos(x) > nodePos(loop) || nodeEnd(x) < at) return false;
    const list = stmtListOf(x);
    for (const st of list ?? []) {
      if (nodePos(st) < at) continue;
      if (st.kind === 'ReturnStmt' && !(st.results ?? []).some((r) => containsCall(r))) continue;
      if (st.kind === 'EmptyStmt' || sortsGathered(st)) continue;
      found = true;
    }
    return !found;
  };
  visit(body);
  walkSameFunc(body, visit);
  return found;
}

/**
 * Whether the loop body gathers something into a variable declared before the loop (`n +=
 * len(sh.m)`, `out = append(out, node.name)`): a view across the elements, which holding all
 * their locks makes consistent, perhaps on purpose (the finding's confidence is medium then).
 * The cursor that names the mutex does not count.
 */
function gathersOutside(pass: Pass, loop: LoopNode, mutex: ast.Expr): boolean {
  const from = nodePos(loop);
  const to = nodeEnd(loop);
  const cursor = rootIdent(mutex);
  const cursorObj = cursor ? pass.types.objectOf(cursor) : undefined;
  const outside = (e: ast.Expr): boolean => {
    const r = rootIdent(e);
    const o = r ? pass.types.objectOf(r) : undefined;
    if (!o || o.kind !== 'var' || o === cursorObj || !o.decl || o.varKind === 'package' || o.varKind === 'field') return false;
    return o.decl.namePos < from || o.decl.namePos >= to;
  };
  let found = false;
  walkSameFunc(loop.body, (x) => {
    if (found) return false;
    if (x.kind === 'AssignStmt' && x.tok !== ':=' && x.lhs.some(outside)) found = true;
    else if (x.kind === 'IncDecStmt' && outside(x.x)) found = true;
    return !found;
  });
  return found;
}

/**
 * Whether the loop body returns a result from inside: a search up a chain of elements, each kept
 * locked until the answer is returned (`testing.common.destination`, go-fuse's path lookup). A
 * loop that only gathers a view into a variable declared before it (`out = append(out,
 * p.Stats())`) is reported when nothing follows it: its locks pile up as the loop goes on.
 */
function searchesUnderLocks(loop: LoopNode): boolean {
  // A return of zero values and an error (`return fmt.Errorf("flush p%d: %w", p, err)`) gives up
  // on the loop; only one that hands back something found is a search result.
  const givesUp = (e: ast.Expr): boolean => {
    const u = unparen(e);
    if (u.kind === 'BasicLit') return true;
    if (u.kind === 'Ident') return u.name === 'nil' || u.name === 'false' || u.name === 'true' || /^err|Err$/.test(u.name);
    if (u.kind === 'CallExpr') {
      const f = unparen(u.fun);
      const n = f.kind === 'SelectorExpr' ? f.sel.name : f.kind === 'Ident' ? f.name : '';
      return /^(Errorf|New|Wrap|Wrapf|Join)$/.test(n) || /^(new|wrap)\w*Err/i.test(n);
    }
    return false;
  };
  let found = false;
  walkSameFunc(loop.body, (x) => {
    if (found) return false;
    if (x.kind === 'ReturnStmt' && (x.results?.length ?? 0) > 0 && !(x.results ?? []).every(givesUp)) found = true;
    return !found;
  });
  return found;
}

function containsCall(e: ast.Node): boolean {
  let found = false;
  walkNode(e, (x) => {
    if (x.kind === 'CallExpr' || x.kind === 'FuncLit') found = true;
    return !found;
  });
  return found;
}

/**
 * A deferred call of a lock helper's release (`unlockFile(name)`, `unlock(path)`, a function
 * named `unlock...`/`Unlock...`) whose first argument is a variable the loop
 * declares, after a call in the same iteration of the matching acquire (`lockFile(name)`) with
 * the same first argument: each iteration locks something else.
 */
function helperLockAll(pass: Pass, file: PassFile, loop: LoopNode, d: ast.DeferStmt): boolean {
  const fun = unparen(d.call.fun);
  const name = fun.kind === 'Ident' ? fun.name : fun.kind === 'SelectorExpr' ? fun.sel.name : undefined;
  const arg = d.call.args?.[0];
  if (!name || !arg || !/^[uU]nlock/.test(name)) return false;
  const acquire = name[0] === 'u' ? 'l' + name.slice(3) : 'L' + name.slice(3);
  if (!perIterationMutex(pass, loop, arg)) return false;
  const argText = textOf(file, arg);
  const at = nodePos(d);
  let found = false;
  walkSameFunc(loop.body, (x) => {
    if (found || nodePos(x) >= at) return false;
    if (x.kind !== 'CallExpr') return true;
    const f = unparen(x.fun);
    const n = f.kind === 'Ident' ? f.name : f.kind === 'SelectorExpr' ? f.sel.name : undefined;
    if (n === acquire && x.args?.[0] && textOf(file, x.args[0]) === argText) found = true;
    return !found;
  });
  return found;
}

/**
 * Setup now, teardown at exit through one function (`for h := s.first; h != nil; h = h.next {
 * defer run(t, h.after...); run(t, h.before...) }`, then `run(t, spec)` after the loop): the
 * iteration calls the deferred function itself, outside the defer, so the deferred calls are the
 * matching teardowns, meant to run after the work that follows the loop, in reverse order.
 */
function setupNowTeardownAtExit(pass: Pass, file: PassFile, loop: LoopNode, d: ast.DeferStmt): boolean {
  // A function (not a method, whose call now would be a release of its receiver), called now with
  // other arguments than the deferred call's.
  const fun = unparen(d.call.fun);
  if (fun.kind !== 'Ident') return false;
  const args = textOf(file, d.call).slice(textOf(file, fun).length);
  let found = false;
  walkSameFunc(loop.body, (x) => {
    if (found || x.kind === 'DeferStmt' || x.kind === 'GoStmt') return false;
    if (x.kind === 'ExprStmt' && unparen(x.x).kind === 'CallExpr') {
      const c = unparen(x.x) as ast.CallExpr;
      const f = unparen(c.fun);
      if (f.kind === 'Ident' && sameVar(pass, f, fun) && textOf(file, c).slice(f.name.length) !== args) found = true;
    }
    return !found;
  });
  return found;
}

/** Verbs that enter a nesting level and the ones that leave it again. */
const NEST_UNNEST: readonly (readonly [RegExp, RegExp])[] = [[/^push/i, /^pop/i], [/^enter/i, /^(leave|exit)/i]];

/**
 * One nesting level per iteration, left at return: the iteration enters a level on a receiver
 * (`f := c.pushScope(x, 1, v)`, `_, saved := e.pushFrame(empty, nil)`) and defers leaving it on
 * the same receiver (`defer c.popScope()`, `defer e.popFrame(saved)`), so that the work after the
 * loop runs inside all of them (cue's compiler and exporter give each `for` clause of a
 * comprehension its own scope, for the value compiled after the clauses). The levels piling up
 * until the return is the point: they are the nesting.
 */
function nestsForWorkAfter(file: PassFile, loop: LoopNode, d: ast.DeferStmt): boolean {
  return pairedEarlierCall(file, loop, d, NEST_UNNEST, false);
}

/**
 * A deferred call that only reports to the test (`defer func() { t.Error("failed in subprocess")
 * }()`, `defer t.Log(...)`): a verdict postponed to the end of the test helper, holding nothing.
 */
function reportsToTest(pass: Pass, d: ast.DeferStmt): boolean {
  const fun = unparen(d.call.fun);
  const calls: ast.CallExpr[] = [];
  if (fun.kind === 'FuncLit') {
    const list = fun.body.list ?? [];
    if (list.length === 0 || !list.every((st) => st.kind === 'ExprStmt' && unparen(st.x).kind === 'CallExpr')) return false;
    for (const st of list) calls.push(unparen((st as ast.ExprStmt).x) as ast.CallExpr);
  } else calls.push(d.call);
  return calls.every((c) => {
    const f = unparen(c.fun);
    if (f.kind !== 'SelectorExpr') return false;
    let t = pass.types.typeOf(f.x);
    if (t?.kind === 'pointer') t = t.elem;
    if (t?.kind === 'named' && t.pkg === 'testing' && (t.name === 'T' || t.name === 'B' || t.name === 'F' || t.name === 'TB')) return /^(Error|Errorf|Fail|Skip|Skipf|SkipNow|Log|Logf)$/.test(f.sel.name);
    return false;
  });
}

function perIterationMutex(pass: Pass, loop: LoopNode, mutex: ast.Expr): boolean {
  const from = nodePos(loop);
  const to = nodeEnd(loop);
  let found = false;
  walkNode(mutex, (x) => {
    if (found) return false;
    if (x.kind === 'Ident') {
      const d = pass.types.objectOf(x)?.decl;
      if (d && from <= d.namePos && d.namePos < to && !keyedLookup(pass, x, loop) && !fixedAccessorValue(pass, x, loop)) found = true;
    }
    return true;
  });
  if (found) return true;
  // A cursor the loop moves on (`node = next`, `for ...; n = n.parent`): another node's mutex
  // each time round, as the loop variable would be.
  const root = rootIdent(mutex);
  const o = root ? pass.types.objectOf(root) : undefined;
  if (!o || o.kind !== 'var') return false;
  const moves = (st: ast.Stmt | null | undefined): boolean =>
    !!st && st.kind === 'AssignStmt' && st.tok === '=' && st.lhs.some((l) => {
      const u = unparen(l);
      return u.kind === 'Ident' && pass.types.objectOf(u) === o;
    });
  if (loop.kind === 'ForStmt' && moves(loop.post)) return true;
  walkSameFunc(loop.body, (x) => {
    if (found) return false;
    if (moves(x as ast.Stmt)) found = true;
    return !found;
  });
  return found;
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    file.inspector.withStack(['DeferStmt'], (d, stack) => {
      const loops = enclosingLoops(stack);
      if (loops.length === 0) return;
      // A loop that never ends is defer-in-infinite-loop's finding.
      if (endlessEnclosingLoops(pass, file, stack).length > 0) return;
      const loop = loops[0]!;
      const fn = enclosingFunc(stack);
      if (fn && runsAtMostOnce(pass, fn, d, loops[loops.length - 1]!, stack)) return;
      // Released again before the next iteration: the defer only covers the early returns.
      if (fn && releasedInIteration(pass, fn, d)) return;
      // Undo on failure: `defer func() { if err != nil { os.Remove(name) } }()` with err a named
      // result. Each iteration registers its own rollback, meant to run at exit when the function
      // fails; nothing is held across iterations.
      if (fn && rollbackOnFailure(pass, fn, d, loops[loops.length - 1]!)) return;
      // Work queued for the return: the literal sets a named result and releases nothing.
      if (fn && resultWorkAtExit(pass, fn, d)) return;
      // Called now on one branch, postponed to the return on the other: an ordering choice.
      if (postponedOnOneBranch(file, loop, d)) return;
      // Restore at return: the iteration changed state the rest of the function works with.
      if (restoresIterationChange(file, loop, d) || restoresThroughSetter(pass, file, d) || redoesUndone(file, loop, d) || removesFromRanged(file, loop, d)) return;
      // Acquire-all: each iteration takes a token of a semaphore and defers giving it back
      // (`case sem <- struct{}{}: defer func() { <-sem }()`), to hold every token until return.
      if (releasesTokenTakenInLoop(pass, file, loop, d)) return;
      const outer = loops[loops.length - 1]!;
      // The exemptions below are about values held on purpose; a deferred unlock in a loop is
      // the deadlock case, whatever else the loop does with the mutex.
      const dfun = unparen(d.call.fun);
      const unlocking = dfun.kind === 'SelectorExpr' && (dfun.sel.name === 'Unlock' || dfun.sel.name === 'RUnlock');
      // Hold until cancelled: the function collects one per iteration and then blocks until its
      // context is done (`<-ctx.Done()`) before returning: the deferred calls release them all
      // when it ends, which is the point (the MCP SDK's subscriptions listener).
      if (!unlocking && fn?.body && waitsAfter(pass, file, fn.body, outer)) return;
      // Postponed past an unlock: the loop runs under a lock that the function's last statement
      // releases, so the deferred calls run after it, out of the critical section (nats.go's
      // `defer errCb(...)` "after releasing the mutex").
      if (fn?.body && runsAfterFinalUnlock(file, fn.body, outer, d)) return;
      // Handed to a goroutine: the value the deferred call releases is given to a goroutine
      // started in the same iteration (`go runSubscriber(nc, ...)`, or used by a `go func`
      // literal), so it has to outlive the iteration; releasing it in the loop body would pull
      // it from under the goroutine.
      if (!unlocking && handedToGoroutine(pass, loop, d)) return;
      // Kept beyond the iteration: the value is appended to or stored in something declared
      // outside the loop (`svcs = append(svcs, svc)`, `conns[i] = c`), so it is used after the
      // loop and has to stay open until the function is done with all of them.
      if (!unlocking && keptBeyondIteration(pass, loop, d, fn?.body ?? undefined)) return;
      const fname = fn ? funcName(file, fn) : 'the function';
      const loopLine = lineOf(file, loop);
      const deferred = callText(file, d.call);
      const at = nodePos(d);
      const related = [{ node: loop, message: `the loop (line ${loopLine})` }];
      const fun = unparen(d.call.fun);

      // Unlock of a mutex locked in this iteration: the next iteration deadlocks.
      if (fun.kind === 'SelectorExpr') {
        const c = callName(pass, file, d.call);
        const method = c?.typed ? MUTEX_METHODS[c.name] : c?.short;
        if (method === 'Unlock' || method === 'RUnlock') {
          const lock = lockedInIteration(pass, file, loop, fun.x, method, at);
          // A mutex named through a variable the loop declares (`for _, s := range shards {
          // s.mu.Lock(); defer s.mu.Unlock() }`, `m.shards[i].mu`) is another mutex each
          // iteration: locking them all until return is the lock-all idiom, not a deadlock.
          // Only when the function goes on to work under all of them: a loop that is the
          // function's last work (`for _, b := range backends { b.mu.Lock(); defer
          // b.mu.Unlock(); b.update() }`) meant to unlock per iteration, and keeps every earlier
          // element locked while it handles the later ones.
          if (lock && perIterationMutex(pass, loop, fun.x)) {
            if ((fn?.body && worksAfterLoop(pass, fn.body, outer)) || searchesUnderLocks(loop)) return;
            const mu = textOf(file, fun.x);
            pass.report({
              node: d,
              file,
              // A test ends soon after: the locks are held a while, not for a service's lifetime.
              // A view gathered across the elements may want all of them held: medium.
              confidence: c?.typed && !file.test && !gathersOutside(pass, loop, fun.x) ? 'high' : 'medium',
              message: `${mu} is locked on line ${lineOf(file, lock)} in every iteration of the loop on line ${loopLine}, but the deferred ${deferred} runs only when ${fname} returns, so each ${mu} stays locked while the later iterations run and nothing after the loop needs it held: goroutines waiting for those mutexes wait for the whole loop; unlock at the end of the iteration or move the loop body into a function`,
              related: [{ node: lock, message: `${textOf(file, lock)} in the same iteration` }, ...related],
            });
            return;
          }
          if (lock) {
            const mu = textOf(file, fun.x);
            const lockText = textOf(file, lock);
            let keyed: ast.CallExpr | undefined;
            walkNode(fun.x, (x) => {
              if (!keyed && x.kind === 'Ident') keyed = keyedLookup(pass, x, loop);
              return !keyed;
            });
            const next = keyed
              ? `a later iteration whose key ${textOf(file, keyed)} gives the same mutex runs ${lockText}, which`
              : `the next iteration's ${lockText}`;
            pass.report({
              node: d,
              file,
              severity: 'critical',
              confidence: c?.typed && !keyed ? 'high' : 'medium',
              message: `${mu} is locked on line ${lineOf(file, lock)} but the deferred ${deferred} runs only when ${fname} returns, so ${next} ${method === 'RUnlock' ? 'read-locks it again while it is still held, which deadlocks as soon as a writer is waiting (sync.RWMutex forbids recursive read locking)' : 'deadlocks'}; unlock at the end of the iteration or move the loop body into a function`,
              related: [{ node: lock, message: `${lockText} in the same iteration` }, ...related],
            });
            return;
          }
        }
      }

      // Lock-all through lock helpers: `lockFile(name)` in the iteration and `defer
      // unlockFile(name)` for a name the loop declares, then work under all of them after the
      // loop (client-go's ModifyConfig locks every kubeconfig file in sorted order): each
      // iteration takes another lock, held until return on purpose.
      if (fn?.body && helperLockAll(pass, file, loop, d) && worksAfterLoop(pass, fn.body, outer)) return;
      // Teardowns registered beside their setups, for the work after the loop.
      if (fn?.body && setupNowTeardownAtExit(pass, file, loop, d) && worksAfterLoop(pass, fn.body, outer)) return;
      // A nesting level per iteration, for the work after the loop.
      if (fn?.body && nestsForWorkAfter(file, loop, d) && worksAfterLoop(pass, fn.body, outer)) return;
      // A test verdict postponed to the end of the function.
      if (reportsToTest(pass, d)) return;
      const held = describeRelease(pass, file, d);
      const acq = held ? acquisitionOf(pass, file, loop, held, at) : undefined;
      if (held && acq) {
        const kind = ACQUIRING_CALLS[acq.callee];
        const message = kind
          ? `${kind.what === held.name || kind.what.endsWith(` ${held.name}`) ? kind.what : `${kind.what} ${held.name}`} from ${acq.callee} on line ${acq.line} ${kind.held} until ${fname} returns: the deferred ${deferred} runs at function exit, not at the end of each iteration, so one piles up per iteration; release it in the loop body or move the body into a function`
          : `${held.name} from ${acq.callee} on line ${acq.line} is released by the deferred ${deferred} only when ${fname} returns, not at the end of each iteration, so one piles up per iteration; release it in the loop body or move the body into a function`;
        pass.report({ node: d, file, message, ...(file.test ? { confidence: 'medium' as const } : {}), related: [{ node: acq.call, message: `${held.name} acquired here` }, ...related] });
        return;
      }
      pass.report({
        node: d,
        file,
        // A test ends soon after and often collects on purpose what it checks at the end.
        ...(file.test ? { confidence: 'medium' as const } : {}),
        message: `the deferred ${deferred} runs only when ${fname} returns, not at the end of each iteration of the loop on line ${loopLine}, so one deferred call piles up per iteration; call it in the loop body or move the body into a function`,
        related,
      });
    });
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'high',
    summary: 'A defer directly in a loop body: deferred calls pile up until the function returns, holding what each iteration acquired.',
    enabledByDefault: true,
    fixable: false,
    category: 'lifetime',
    docUrl: docUrl(ID),
  },
  needs: deferNeeds,
  run,
};
