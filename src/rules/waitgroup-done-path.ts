// waitgroup-done-path: a goroutine calls wg.Done() without defer, and a path through it (an early
// return, an explicit panic that its own recover stops) skips the call: wg.Wait() then blocks
// forever. Also wg.Done() both deferred and called explicitly on one path: the counter goes
// negative and the program panics.
import type * as ast from '../syntax/ast.js';
import { end as nodeEnd, inspect as inspectAll, pos as nodePos, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { nodeContains, walkNode, type Block, type CFG } from '../types/cfg.js';
import { PLUMBING_CALLS } from './catalog.js';
import {
  afterFuncLaunches, callGraphOf, goroutineStartNote, goroutineText, enclosingFuncDecl, innermostFuncBody, callText, cfgOf, deferredRecover, deferredTarget, formatPath, funcName, goTarget, groupGoOf, lineOf, packageCallsIn, returnOfPath, sameExpr, samePath, sameVar,
  searchCallees, sourceMentions, textOf, goStmtsIn, varPath, type FuncNode, type VarPath, bodyNeeds,
} from './helpers.js';

const ID = 'waitgroup-done-path';
const DONE = '(*sync.WaitGroup).Done';

interface DoneCall {
  call: ast.CallExpr;
  wg: ast.Expr;
  path: VarPath;
  typed: boolean;
}

function doneCall(pass: Pass, call: ast.CallExpr): DoneCall | undefined {
  const fun = unparen(call.fun);
  if (fun.kind !== 'SelectorExpr' || fun.sel.name !== 'Done' || (call.args?.length ?? 0) !== 0) return undefined;
  const c = pass.types.callee(call);
  let typed = true;
  if (c) {
    if (c.name !== DONE) return undefined;
  } else {
    // Unknown types: only a receiver named like a wait group.
    if (!/(^|\.)(wg|[a-z]*WaitGroup|[a-z]*Wg)$/i.test(formatPathOf(pass, fun.x) ?? '')) return undefined;
    typed = false;
  }
  const path = varPath(pass, fun.x);
  return path ? { call, wg: fun.x, path, typed } : undefined;
}

function formatPathOf(pass: Pass, e: ast.Expr): string | undefined {
  const p = varPath(pass, e);
  return p ? formatPath(p) : undefined;
}

/** Done calls of fn's own code (not nested literals). */
function doneCallsIn(pass: Pass, n: ast.Node): DoneCall[] {
  const out: DoneCall[] = [];
  walkNode(n, (x) => {
    if (x.kind === 'FuncLit' && x !== n) return false;
    if (x.kind === 'CallExpr') {
      const d = doneCall(pass, x);
      if (d) out.push(d);
    }
    return true;
  });
  return out;
}

/** Whether the entry marks the group done: a direct Done, a same-package callee that calls it, a literal called in place, or a hand-off of the group to another call. */
function marksDone(pass: Pass, n: ast.Node, wg: VarPath): boolean {
  if (n.kind === 'DeferStmt' || n.kind === 'GoStmt') return false;
  let found = false;
  walkNode(n, (x) => {
    if (found) return false;
    if (x.kind === 'FuncLit') return false;
    if (x.kind === 'CallExpr') {
      const d = doneCall(pass, x);
      if (d && samePath(d.path, wg)) found = true;
      else if (unparen(x.fun).kind === 'FuncLit') {
        if (doneCallsIn(pass, (unparen(x.fun) as ast.FuncLit).body).some((y) => samePath(y.path, wg))) found = true;
      } else {
        for (const a of x.args ?? []) {
          const p = varPath(pass, a);
          if (p && samePath(p, wg)) found = true;
        }
      }
    }
    return !found;
  });
  if (found) return true;
  for (const call of packageCallsIn(pass, n)) {
    const hit = searchCallees(pass, call, wg, (g, p) => (g.body && doneCallsIn(pass, g.body).some((d) => samePath(d.path, p)) ? true : undefined));
    if (hit) return true;
  }
  return false;
}

/** A defer in fn that calls wg.Done() (directly or in a deferred literal). */
function deferredDone(pass: Pass, cfg: CFG, wg: VarPath): ast.DeferStmt | undefined {
  for (const d of cfg.defers) {
    const fun = unparen(d.call.fun);
    const calls = fun.kind === 'FuncLit' ? doneCallsIn(pass, fun.body).filter((c) => !inRecoverBranch(fun.body, c.call)) : doneCallsIn(pass, d.call);
    if (calls.some((c) => samePath(c.path, wg))) return d;
  }
  return undefined;
}

/**
 * Whether a call sits in the body of an `if` that tests recover() (`if r := recover(); r != nil
 * { ...; wg.Done() }`): it runs only when a panic was stopped, the path on which the goroutine's
 * own Done was skipped, so it is no second Done.
 */
function inRecoverBranch(body: ast.BlockStmt, call: ast.CallExpr): boolean {
  const at = nodePos(call);
  let inside = false;
  inspectAll(body, (x) => {
    if (inside || at < nodePos(x) || at >= nodeEnd(x)) return false;
    if (x.kind === 'IfStmt' && at >= nodePos(x.body) && at < nodeEnd(x.body)) {
      let recovers = false;
      for (const part of [x.init, x.cond]) {
        if (part) inspectAll(part, (y) => {
          if (y.kind === 'CallExpr' && unparen(y.fun).kind === 'Ident' && (unparen(y.fun) as ast.Ident).name === 'recover') recovers = true;
          return !recovers;
        });
      }
      if (recovers) inside = true;
    }
    return !inside;
  });
  return inside;
}

/**
 * Returns taken when no item was: directly in the default case of a select, or under `if !ok`
 * right after `j, ok := <-jobs` (the queue was closed) (not in nested literals).
 */
function defaultCaseReturns(fn: FuncNode): Set<ast.Node> {
  const out = new Set<ast.Node>();
  if (!fn.body) return out;
  const closedFlags = new Set<string>();
  walkNode(fn.body, (x) => {
    if (x.kind === 'FuncLit') return false;
    if (x.kind === 'CommClause' && x.comm === null) {
      for (const st of x.body ?? []) if (st.kind === 'ReturnStmt') out.add(st);
    }
    // `j, ok := <-jobs` (also as a select case): ok false means the channel is closed and empty.
    if (x.kind === 'AssignStmt' && x.lhs.length === 2 && x.rhs.length === 1) {
      const r = unparen(x.rhs[0]!);
      const okId = unparen(x.lhs[1]!);
      if (r.kind === 'UnaryExpr' && r.op === '<-' && okId.kind === 'Ident') closedFlags.add(okId.name);
    }
    if (x.kind === 'IfStmt' && !x.init) {
      const c = unparen(x.cond);
      if (c.kind === 'UnaryExpr' && c.op === '!' && unparen(c.x).kind === 'Ident' && closedFlags.has((unparen(c.x) as ast.Ident).name)) {
        for (const st of x.body.list ?? []) if (st.kind === 'ReturnStmt') out.add(st);
      }
    }
    // `for { m, err := s.Receive(ctx); if err != nil { ...; return } ... }`: taking the next item
    // failed, so there is no item to mark done.
    if ((x.kind === 'ForStmt' || x.kind === 'RangeStmt') && x.body.list && x.body.list.length >= 2) {
      const [take, check] = x.body.list;
      if (take!.kind === 'AssignStmt' && take!.rhs.length === 1 && unparen(take!.rhs[0]!).kind === 'CallExpr' && check!.kind === 'IfStmt' && !check!.init) {
        const names = take!.lhs.map((l) => unparen(l)).filter((l): l is ast.Ident => l.kind === 'Ident').map((l) => l.name);
        const c = unparen(check!.cond);
        const tested = c.kind === 'BinaryExpr' && c.op === '!=' ? [unparen(c.x), unparen(c.y)] : [];
        const errName = tested.find((e): e is ast.Ident => e.kind === 'Ident' && e.name !== 'nil' && /err/i.test(e.name) && names.includes(e.name));
        if (errName && tested.some((e) => e.kind === 'Ident' && e.name === 'nil')) {
          for (const st of check!.body.list ?? []) if (st.kind === 'ReturnStmt') out.add(st);
        }
      }
    }
    return true;
  });
  return out;
}

function isFalse(e: ast.Expr | null | undefined): boolean {
  const x = e ? unparen(e) : undefined;
  return x?.kind === 'Ident' && x.name === 'false';
}

function isTrue(e: ast.Expr | null | undefined): boolean {
  const x = e ? unparen(e) : undefined;
  return x?.kind === 'Ident' && x.name === 'true';
}

/**
 * Whether a Done sits in the body of `if !x.flag { ... }` (a field, not a local) whose body sets
 * the same field to true: a test-and-set that other code shares, so the group is marked by
 * whichever gets there first (esbuild's serve listener: the first Accept or the server's early
 * failure).
 */
function sharedFlagGuard(pass: Pass, body: ast.BlockStmt, call: ast.CallExpr): boolean {
  const at = nodePos(call);
  let found = false;
  walkNode(body, (x) => {
    if (found || at < nodePos(x) || at >= nodeEnd(x)) return false;
    if (x.kind === 'IfStmt' && at >= nodePos(x.body) && at < nodeEnd(x.body)) {
      const c = unparen(x.cond);
      const flag = c.kind === 'UnaryExpr' && c.op === '!' ? unparen(c.x) : undefined;
      if (flag?.kind === 'SelectorExpr') {
        found = (x.body.list ?? []).some((st) => st.kind === 'AssignStmt' && st.tok === '=' && st.lhs.length === 1 && sameExpr(st.lhs[0]!, flag) && isTrue(st.rhs[0]));
      }
    }
    return !found;
  });
  return found;
}

/**
 * Once-guards around Done: `if !once { wg.Done(); once = true }` where the local flag starts
 * false and is set to true only in that if body, after Done, and never has its address taken
 * or is written by a literal. Reaching the if with the flag set means Done has run, so the
 * guard's false branch is not a way around it.
 */
function onceGuards(pass: Pass, fn: FuncNode, dones: readonly DoneCall[]): Set<ast.IfStmt> {
  const out = new Set<ast.IfStmt>();
  if (!fn.body) return out;
  const candidates: { ifs: ast.IfStmt; flag: ast.Ident }[] = [];
  walkNode(fn.body, (x) => {
    if (x.kind === 'FuncLit') return false;
    if (x.kind !== 'IfStmt' || x.else || x.init) return true;
    const c = unparen(x.cond);
    if (c.kind !== 'UnaryExpr' || c.op !== '!') return true;
    const flag = unparen(c.x);
    if (flag.kind !== 'Ident') return true;
    const list = x.body.list ?? [];
    const di = list.findIndex((st) => st.kind === 'ExprStmt' && dones.some((d) => d.call === unparen(st.x)));
    if (di < 0) return true;
    const set = list.findIndex((st, i) => i > di && st.kind === 'AssignStmt' && st.tok === '=' && st.lhs.length === 1 && unparen(st.lhs[0]!).kind === 'Ident' && sameVar(pass, unparen(st.lhs[0]!) as ast.Ident, flag) && isTrue(st.rhs[0]));
    if (set >= 0) candidates.push({ ifs: x, flag });
    return true;
  });
  for (const { ifs, flag } of candidates) {
    const allowed = new Set<ast.Node>((ifs.body.list ?? []).filter((st) => st.kind === 'AssignStmt'));
    let ok = true;
    let declared = false;
    const check = (x: ast.Node, inLit: boolean): void => {
      if (!ok) return;
      if (x.kind === 'UnaryExpr' && x.op === '&' && unparen(x.x).kind === 'Ident' && sameVar(pass, unparen(x.x) as ast.Ident, flag)) ok = false;
      else if (x.kind === 'AssignStmt') {
        x.lhs.forEach((l, i) => {
          const id = unparen(l);
          if (id.kind !== 'Ident' || !sameVar(pass, id, flag)) return;
          if (x.tok === ':=') {
            // A declaration (or a redeclaration in the same statement): it must start false.
            declared = true;
            if (inLit || x.rhs.length !== x.lhs.length || !isFalse(x.rhs[i])) ok = false;
          } else if (inLit || !allowed.has(x) || x.rhs.length !== x.lhs.length || !isTrue(x.rhs[i])) {
            ok = false;
          }
        });
      } else if (x.kind === 'ValueSpec') {
        x.names.forEach((n, i) => {
          if (!sameVar(pass, n, flag)) return;
          declared = true;
          if (x.values && !isFalse(x.values[i])) ok = false;
        });
      } else if (x.kind === 'RangeStmt') {
        for (const k of [x.key, x.value]) if (k && unparen(k).kind === 'Ident' && sameVar(pass, unparen(k) as ast.Ident, flag)) ok = false;
      }
      walkNode(x, (y) => {
        if (y === x) return true;
        check(y, inLit || y.kind === 'FuncLit');
        return false;
      });
    };
    check(fn.body, false);
    if (ok && declared) out.add(ifs);
  }
  return out;
}

/**
 * The flag of the innermost test-and-set guard around a call inside fn: `if !flag { ...; flag =
 * true; ... }` (the set anywhere directly in the if body). Undefined when the call has none, or
 * when fn ever sets the flag back to false after declaring it, takes its address, or is handed
 * the flag as a parameter.
 */
function testAndSetFlag(pass: Pass, fn: FuncNode, call: ast.CallExpr): ast.Ident | undefined {
  if (!fn.body) return undefined;
  const at = nodePos(call);
  let flag: ast.Ident | undefined;
  inspectAll(fn.body, (x) => {
    if (at < nodePos(x) || at >= nodeEnd(x)) return false;
    if (x.kind === 'IfStmt' && !x.init && at >= nodePos(x.body) && at < nodeEnd(x.body)) {
      const c = unparen(x.cond);
      const f = c.kind === 'UnaryExpr' && c.op === '!' ? unparen(c.x) : undefined;
      if (f?.kind === 'Ident') {
        const id = f;
        const sets = (x.body.list ?? []).some(
          (st) => st.kind === 'AssignStmt' && st.tok === '=' && st.lhs.length === 1 && st.rhs.length === 1 && unparen(st.lhs[0]!).kind === 'Ident' && sameVar(pass, unparen(st.lhs[0]!) as ast.Ident, id) && isTrue(st.rhs[0]),
        );
        if (sets) flag = id;
      }
    }
    return true;
  });
  if (!flag) return undefined;
  const f = flag;
  for (const p of fn.type.params.list ?? []) for (const n of p.names ?? []) if (sameVar(pass, n, f)) return undefined;
  let ok = true;
  inspectAll(fn.body, (x) => {
    if (!ok) return false;
    if (x.kind === 'UnaryExpr' && x.op === '&' && unparen(x.x).kind === 'Ident' && sameVar(pass, unparen(x.x) as ast.Ident, f)) ok = false;
    else if (x.kind === 'AssignStmt' && x.tok === '=') {
      x.lhs.forEach((l, i) => {
        const id = unparen(l);
        if (id.kind === 'Ident' && sameVar(pass, id, f) && !isTrue(x.rhs[i])) ok = false;
      });
    }
    return ok;
  });
  return ok ? f : undefined;
}

/**
 * Whether two Done calls sit under test-and-set guards of the same flag (`if !first { first =
 * true; wg.Done() }` in a deferred literal and in the loop): whichever runs first sets the flag,
 * so the other is skipped and the group is marked done once.
 */
function sameTestAndSet(pass: Pass, fn: FuncNode, a: ast.CallExpr, b: ast.CallExpr): boolean {
  const fa = testAndSetFlag(pass, fn, a);
  const fb = fa && testAndSetFlag(pass, fn, b);
  return !!fa && !!fb && sameVar(pass, fa, fb);
}

/**
 * Ifs that call Done only when the group is there: `if wg != nil { wg.Done() }` (also `nil !=
 * wg`), for the group's own path. The path that skips them has no group to mark.
 */
function nilGuards(pass: Pass, fn: FuncNode, group: VarPath, dones: readonly DoneCall[]): ast.IfStmt[] {
  const out: ast.IfStmt[] = [];
  if (!fn.body) return out;
  walkNode(fn.body, (x) => {
    if (x.kind === 'FuncLit') return false;
    if (x.kind !== 'IfStmt' || x.init) return true;
    const c = unparen(x.cond);
    if (c.kind !== 'BinaryExpr' || c.op !== '!=') return true;
    const isNil = (e: ast.Expr) => unparen(e).kind === 'Ident' && (unparen(e) as ast.Ident).name === 'nil';
    const other = isNil(c.y) ? c.x : isNil(c.x) ? c.y : undefined;
    const p = other ? varPath(pass, other) : undefined;
    if (!p || !samePath(p, group)) return true;
    if (dones.some((d) => nodePos(d.call) >= nodePos(x.body) && nodePos(d.call) < nodeEnd(x.body))) out.push(x);
    return true;
  });
  return out;
}

/**
 * The parent's name for a group the goroutine reaches through a parameter: `wg` for `done` in
 * `go func(done *sync.WaitGroup) { ... }(&wg)`.
 */
function parentGroupText(file: PassFile, go: ast.GoStmt, fn: FuncNode, wg: ast.Expr): string | undefined {
  const x = unparen(wg);
  if (x.kind !== 'Ident') return undefined;
  let i = 0;
  for (const f of fn.type.params.list ?? []) {
    for (const n of f.names ?? []) {
      if (n.name === x.name) {
        const a = go.call.args?.[i];
        if (!a || go.call.ellipsis !== -1) return undefined;
        const v = unparen(a);
        return textOf(file, v.kind === 'UnaryExpr' && v.op === '&' ? v.x : v);
      }
      i++;
    }
    if (!f.names || f.names.length === 0) i++;
  }
  return undefined;
}

/** The last name of a group expression's text: `destructWG` for `p.destructWG`, `wg` for `&wg`. */
function groupName(text: string): string {
  const m = /([A-Za-z_][A-Za-z0-9_]*)\W*$/.exec(text);
  return m ? m[1]! : text;
}

/** Whether the function adds to a group of that name: `x.name.Add(n)` or `name.Add(n)` on a wait group (its own code, not nested literals). */
function addsTo(pass: Pass, body: ast.Node, name: string): boolean {
  let found = false;
  walkNode(body, (x) => {
    if (found) return false;
    if (x.kind !== 'CallExpr') return true;
    const f = unparen(x.fun);
    if (f.kind !== 'SelectorExpr' || f.sel.name !== 'Add' || (x.args?.length ?? 0) !== 1) return true;
    const c = pass.types.callee(x);
    if (c && c.name !== '(*sync.WaitGroup).Add') return true;
    const recv = unparen(f.x);
    const last = recv.kind === 'Ident' ? recv.name : recv.kind === 'SelectorExpr' ? recv.sel.name : undefined;
    if (last === name) found = true;
    return !found;
  });
  return found;
}

/**
 * Whether the group counts the goroutine: the function declaring the go statement (or a literal
 * in it) adds to a group of the same name, or the group comes in as one of its parameters (or a
 * field of one: the caller added before handing it over). A group that is added to only elsewhere
 * (in a constructor of resources, once per item queued) counts something else, and a goroutine
 * that calls Done on some paths only hands that count on.
 */
function spawnerAdds(pass: Pass, file: PassFile, go: ast.GoStmt, waiter: string): boolean {
  const at = nodePos(go);
  const decl = enclosingFuncDecl(file, go);
  if (!decl?.body) return true; // a package-level literal: no function to look in; keep checking
  // The literals around the go statement (`d.sessions.Range(func(k, v any) bool { wg.Add(1); go
  // func() {...}() })`).
  const lits: ast.FuncLit[] = [];
  inspectAll(decl.body, (x) => {
    if (nodePos(x) > at || nodeEnd(x) <= at) return false;
    if (x.kind === 'FuncLit') lits.push(x);
    return true;
  });
  const root = /^[A-Za-z_][A-Za-z0-9_]*/.exec(waiter)?.[0];
  if (root) {
    // Parameters of the declaration and of the literals around the go statement.
    const params = new Set<string>();
    const addParams = (t: ast.FuncType) => {
      for (const f of t.params.list ?? []) for (const n of f.names ?? []) params.add(n.name);
    };
    addParams(decl.type);
    for (const l of lits) addParams(l.type);
    if (params.has(root)) return true;
  }
  const group = groupName(waiter);
  return addsTo(pass, decl.body, group) || lits.some((l) => addsTo(pass, l.body, group));
}

/**
 * One of many: the spawner starts the goroutine in a loop but counts the group only outside that
 * loop, by `Add(1)`s (`wgOne.Add(1); for i := 0; i < 100; i++ { go func(i int) { ...; if i ==
 * unlocker { wgOne.Done() } }(i) }`, logrus' hook test). More than one Done would drive the
 * counter negative, so only the goroutine the condition picks is meant to call it; the others
 * skipping Done is the design.
 */
function oneOfMany(file: PassFile, go: ast.GoStmt, waiter: string): boolean {
  const decl = enclosingFuncDecl(file, go);
  if (!decl?.body) return false;
  const at = nodePos(go);
  const group = groupName(waiter);
  let loop: ast.Node | undefined;
  const adds: ast.CallExpr[] = [];
  walkNode(decl.body, (x) => {
    if ((x.kind === 'ForStmt' || x.kind === 'RangeStmt') && nodePos(x) < at && nodeEnd(x) > at) loop = x;
    if (x.kind === 'CallExpr') {
      const f = unparen(x.fun);
      if (f.kind === 'SelectorExpr' && f.sel.name === 'Add' && groupName(textOf(file, f.x)) === group) adds.push(x);
    }
    return true;
  });
  if (!loop) return false;
  const l = loop;
  return adds.length > 0 && adds.every((a) => {
    const arg = a.args?.length === 1 ? unparen(a.args[0]!) : undefined;
    return arg?.kind === 'BasicLit' && arg.value === '1' && (nodeEnd(a) <= nodePos(l) || nodePos(a) >= nodeEnd(l));
  });
}

/**
 * Whether the function that starts the goroutine adds to the group for something other than a go
 * statement: an `Add` of a literal count, outside loops, after which the statement list holds no
 * go statement before the next `Add` to the group (`wg.Add(1) // Done when ackOut is closed`
 * before handing ackOut to a helper, then `wg.Add(1); go pump()`, where pump calls Done for the
 * helper's count as well as its own deferred one, paho.mqtt's comms workers).
 */
function spawnerAddsExtra(file: PassFile, go: ast.GoStmt, waiter: string): boolean {
  const decl = enclosingFuncDecl(file, go);
  if (!decl?.body) return false;
  const group = groupName(waiter);
  const addOf = (st: ast.Stmt): ast.CallExpr | undefined => {
    if (st.kind !== 'ExprStmt') return undefined;
    const c = unparen(st.x);
    if (c.kind !== 'CallExpr') return undefined;
    const f = unparen(c.fun);
    return f.kind === 'SelectorExpr' && f.sel.name === 'Add' && groupName(textOf(file, f.x)) === group ? c : undefined;
  };
  let extra = false;
  const visit = (list: readonly ast.Stmt[]): void => {
    list.forEach((st, i) => {
      const add = addOf(st);
      if (!add) return;
      const arg = add.args?.length === 1 ? unparen(add.args[0]!) : undefined;
      if (arg?.kind !== 'BasicLit' || !/^[1-9][0-9]*$/.test(arg.value)) return;
      for (const next of list.slice(i + 1)) {
        if (next.kind === 'GoStmt') return;
        if (addOf(next)) break;
      }
      extra = true;
    });
  };
  walkNode(decl.body, (x) => {
    if (extra || x.kind === 'FuncLit' || x.kind === 'ForStmt' || x.kind === 'RangeStmt') return false;
    if (x.kind === 'BlockStmt') visit(x.list ?? []);
    else if (x.kind === 'CaseClause' || x.kind === 'CommClause') visit(x.body ?? []);
    return true;
  });
  return extra;
}

/**
 * Whether the function that starts the goroutine waits for the group after the go statement and
 * then adds to it again (`wg.Wait(); wg.Add(1)`): an early Done that says "started", with the
 * deferred one saying "finished" for the new count. The two Dones match two Adds.
 */
function addsAgainAfterWait(file: PassFile, go: ast.GoStmt, waiter: string): boolean {
  const calls = spawnerCallsAfter(file, go, waiter);
  const wait = calls.find((c) => c.name === 'Wait');
  return !!wait && calls.some((c) => c.name === 'Add' && c.pos > wait.pos);
}

/**
 * The calls after the go statement, in the function that runs it (the innermost one, also a
 * literal in a package-level `var _ = ...`), of the group's Wait and Add, and of `close(ch)` (named
 * 'close', with the channel's text).
 */
function spawnerCallsAfter(file: PassFile, go: ast.GoStmt, waiter: string): { name: string; pos: number; ch?: string }[] {
  const at = nodePos(go);
  const body = innermostFuncBody(file, go);
  if (!body) return [];
  const calls: { name: string; pos: number; ch?: string }[] = [];
  walkNode(body, (x) => {
    if (x.kind === 'FuncLit') return false;
    if (x.kind === 'CallExpr' && nodePos(x) > at) {
      const f = unparen(x.fun);
      if (f.kind === 'SelectorExpr' && (f.sel.name === 'Wait' || f.sel.name === 'Add') && textOf(file, f.x) === waiter) calls.push({ name: f.sel.name, pos: nodePos(x) });
      if (f.kind === 'Ident' && f.name === 'close' && x.args?.length === 1) calls.push({ name: 'close', pos: nodePos(x), ch: textOf(file, x.args[0]!) });
    }
    return true;
  });
  return calls;
}

/**
 * Returns of a goroutine literal that it takes only once a channel is closed that the spawner
 * closes after its Wait (`warmup.Wait(); ...; close(done)`, and `case <-done: return` in the
 * goroutine): by then the Wait has returned, so the Dones it skips are owed to no one.
 */
function returnsAfterWait(file: PassFile, go: ast.GoStmt, fn: FuncNode, waiter: string): Set<ast.Node> {
  const out = new Set<ast.Node>();
  if (fn.kind !== 'FuncLit' || !fn.body) return out;
  const calls = spawnerCallsAfter(file, go, waiter);
  const wait = calls.find((c) => c.name === 'Wait');
  if (!wait) return out;
  const late = new Set(calls.filter((c) => c.name === 'close' && c.pos > wait.pos).map((c) => c.ch!));
  for (const c of calls) if (c.name === 'close' && c.pos < wait.pos) late.delete(c.ch!);
  if (late.size === 0) return out;
  walkNode(fn.body, (x) => {
    if (x.kind === 'FuncLit') return false;
    if (x.kind === 'CommClause' && x.comm?.kind === 'ExprStmt') {
      const r = unparen(x.comm.x);
      if (r.kind === 'UnaryExpr' && r.op === '<-' && late.has(textOf(file, r.x))) {
        for (const st of x.body ?? []) if (st.kind === 'ReturnStmt') out.add(st);
      }
    }
    return true;
  });
  return out;
}

/**
 * Whether the declaration around the go statement has another function literal, not started as
 * a goroutine (a handler or callback the goroutine may call), that calls Done on a group of that
 * name.
 */
function doneInOtherLiteral(file: PassFile, go: ast.GoStmt, fn: ast.FuncLit, group: string): boolean {
  const decl = enclosingFuncDecl(file, go);
  if (!decl?.body) return false;
  // Pre-order: a go statement comes before the literal it starts.
  const started = new Set<ast.Node>();
  let found = false;
  inspectAll(decl.body, (x) => {
    if (found || x === fn) return false;
    if (x.kind === 'GoStmt') started.add(unparen(x.call.fun));
    if (x.kind === 'FuncLit' && !started.has(x)) {
      walkNode(x.body, (y) => {
        if (found || y.kind === 'FuncLit') return false;
        if (y.kind === 'CallExpr') {
          const f = unparen(y.fun);
          if (f.kind === 'SelectorExpr' && f.sel.name === 'Done' && (y.args ?? []).length === 0 && groupName(textOf(file, f.x)) === group) found = true;
        }
        return !found;
      });
    }
    return !found;
  });
  return found;
}

/** Whether a statement's own code passes a function literal to a call (`s.startGoRoutine(func() {...})`). */
function handsLiteral(st: ast.Stmt): boolean {
  let found = false;
  walkNode(st, (x) => {
    if (found) return false;
    if (x.kind === 'CallExpr' && (x.args ?? []).some((a) => unparen(a).kind === 'FuncLit')) found = true;
    return !found;
  });
  return found;
}

/** The goroutine's own first call of Add on the group (by the text of its receiver), as a statement. */
function addsItself(file: PassFile, fn: FuncNode, wg: string): ast.Stmt | undefined {
  const addOf = (st: ast.Stmt): boolean => {
    if (st.kind !== 'ExprStmt') return false;
    const c = unparen(st.x);
    if (c.kind !== 'CallExpr') return false;
    const f = unparen(c.fun);
    return f.kind === 'SelectorExpr' && f.sel.name === 'Add' && textOf(file, f.x) === wg;
  };
  let found: ast.Stmt | undefined;
  const visit = (list: readonly ast.Stmt[]): void => {
    list.forEach((st, i) => {
      if (found || !addOf(st)) return;
      // `wg.Add(1); go p.visit(c, wg)`: counted for the goroutine it starts next (a tree walk
      // fanning out to its children), not for itself. Also through a helper handed a literal
      // (`if !s.startGoRoutine(func() { ... }) { wg.Done() }`).
      for (const next of list.slice(i + 1)) {
        if (addOf(next)) break;
        if (goStmtsIn(next).length > 0 || next.kind === 'GoStmt' || handsLiteral(next)) return;
      }
      found = st;
    });
  };
  if (fn.body) {
    walkNode(fn.body, (x) => {
      if (found || x.kind === 'FuncLit') return false;
      if (x.kind === 'BlockStmt') visit(x.list ?? []);
      else if (x.kind === 'CaseClause' || x.kind === 'CommClause') visit(x.body ?? []);
      return !found;
    });
  }
  return found;
}

/**
 * The goroutine hands its group to a function of the package that marks it done
 * (`u.finish(&wg, p, err)` as its last call, with `wg.Done()` at the end of `finish`): when that
 * helper calls Done without defer and has a path that skips it (`if err != nil { ...; return }`),
 * the goroutine ends without marking the group. Reported in the helper.
 */
function checkHandedGroup(pass: Pass, file: PassFile, go: ast.GoStmt, fn: FuncNode, cfg: CFG, seen: Set<ast.Node>): void {
  const fnFile = pass.fileOf(fn) ?? file;
  const g = callGraphOf(pass);
  for (const ref of cfg.entries({ liveOnly: true })) {
    if (ref.node.kind === 'DeferStmt' || ref.node.kind === 'GoStmt') continue;
    walkNode(ref.node, (x) => {
      if (x.kind === 'FuncLit') return false;
      if (x.kind !== 'CallExpr') return true;
      const callee = g.calleeOf(x)?.decl;
      if (!callee?.body || callee === fn) return true;
      (x.args ?? []).forEach((a, i) => {
        let t = pass.types.typeOf(a);
        if (t?.kind === 'pointer') t = t.elem;
        if (!(t?.kind === 'named' && t.pkg === 'sync' && t.name === 'WaitGroup')) return;
        const param = (callee.type.params.list ?? []).flatMap((f: ast.Field) => f.names ?? [])[i];
        if (!param || param.name === '_') return;
        const po = pass.types.objectOf(param);
        const dones = doneCallsIn(pass, callee.body!).filter((d) => unparen(d.wg).kind === 'Ident' && pass.types.objectOf(unparen(d.wg) as ast.Ident) === po);
        const first = dones[0];
        if (!first || seen.has(first.call)) return;
        const hcfg = cfgOf(pass, callee);
        if (!hcfg || deferredDone(pass, hcfg, first.path)) return;
        const v = unparen(a);
        const waiter = textOf(fnFile, v.kind === 'UnaryExpr' && v.op === '&' ? v.x : v);
        const parent = parentGroupText(file, go, fn, v.kind === 'UnaryExpr' && v.op === '&' ? v.x : v) ?? waiter;
        if (!spawnerAdds(pass, file, go, parent) || oneOfMany(file, go, parent.replace(/^&/, ''))) return;
        const path = hcfg.findPath(hcfg.entry, 'exit', { avoid: (n) => marksDone(pass, n, first.path) });
        if (!path) return;
        seen.add(first.call);
        const hFile = pass.fileOf(callee) ?? fnFile;
        const ret = returnOfPath(path);
        const how = ret ? `the return on line ${lineOf(hFile, ret)}` : 'the path to the end of the function';
        const where = fn.kind === 'FuncLit' ? goroutineText(file, go) : `${funcName(fnFile, fn)} (started as a goroutine on line ${lineOf(file, go)})`;
        pass.report({
          node: first.call,
          file: hFile,
          confidence: first.typed ? 'high' : 'medium',
          message: `${callText(hFile, first.call)} on line ${lineOf(hFile, first.call)} is skipped by ${how} in ${funcName(hFile, callee)}, which ${where} calls with ${textOf(fnFile, a)} on line ${lineOf(fnFile, x)} to mark the group done, so ${parent}.Wait() blocks forever; call defer ${param.name}.Done() at the start of ${funcName(hFile, callee)} instead`,
          related: [
            ...(ret ? [{ node: ret, file: hFile, message: 'leaves without calling Done' }] : []),
            { node: x, file: fnFile, message: `the goroutine hands ${textOf(fnFile, a)} over here` },
            { node: go, file, message: goroutineStartNote(go) },
          ],
        });
      });
      return true;
    });
  }
}

function checkGoroutine(pass: Pass, file: PassFile, go: ast.GoStmt, fn: FuncNode, seen: Set<ast.Node>): void {
  if (!fn.body) return;
  const cfg = cfgOf(pass, fn);
  if (!cfg) return;
  const fnFile = pass.fileOf(fn) ?? file;
  const explicit = new Map<string, DoneCall[]>();
  for (const ref of cfg.entries({ liveOnly: true })) {
    if (ref.node.kind === 'DeferStmt' || ref.node.kind === 'GoStmt') continue;
    for (const d of doneCallsIn(pass, ref.node)) {
      const k = formatPath(d.path);
      explicit.set(k, [...(explicit.get(k) ?? []), d]);
    }
  }
  // No Done of its own, deferred or not: the group may be handed to a helper that marks it.
  if (explicit.size === 0 && cfg.defers.every((d) => !nodeContains(d, (y: ast.Node) => y.kind === 'CallExpr' && !!doneCall(pass, y)))) checkHandedGroup(pass, file, go, fn, cfg, seen);
  const goLine = lineOf(file, go);
  const where = fn.kind === 'FuncLit' ? goroutineText(file, go) : `${funcName(fnFile, fn)} (started as a goroutine on line ${goLine})`;
  for (const dones of explicit.values()) {
    const first = dones[0]!;
    if (seen.has(first.call)) continue;
    seen.add(first.call);
    const wgText = textOf(fnFile, first.wg);
    const waiter = parentGroupText(file, go, fn, first.wg) ?? wgText;
    const confidence = first.typed ? 'high' : 'medium';
    const deferred = deferredDone(pass, cfg, first.path);
    if (deferred) {
      const entryOf = (d: DoneCall) => cfg.locate(d.call)?.node ?? d.call;
      // Called after the defer, or before it on a path that goes on to the defer (an early Done
      // whose return was forgotten): both run.
      const again = dones.find((d) => cfg.canReach(deferred, entryOf(d))) ?? dones.find((d) => cfg.canReach(entryOf(d), deferred));
      const deferredCalls = (() => {
        const f = unparen(deferred.call.fun);
        return (f.kind === 'FuncLit' ? doneCallsIn(pass, f.body) : doneCallsIn(pass, deferred.call)).filter((c) => samePath(c.path, first.path));
      })();
      const guarded = !!again && deferredCalls.length > 0 && deferredCalls.every((d) => sameTestAndSet(pass, fn, d.call, again.call));
      if (again && !guarded && !addsAgainAfterWait(file, go, waiter.replace(/^&/, '')) && !spawnerAddsExtra(file, go, waiter.replace(/^&/, ''))) {
        // An explicit Done after which the goroutine goes on with its loop (`case _, ok := <-ackOut:
        // if !ok { ackOut = nil; wg.Done(); continue }`) signals the end of other work the
        // spawner added for: deliberate more often than not, so low confidence.
        const at = cfg.locate(entryOf(again));
        const loopsOn = !!at && cfg.loopsContaining(at.block).some((l) => cfg.canReach(entryOf(again), l.header));
        pass.report({
          node: again.call,
          file: fnFile,
          severity: 'critical',
          confidence: loopsOn ? 'low' : confidence,
          message: nodePos(again.call) < nodePos(deferred)
            ? `${wgText}.Done() on line ${lineOf(fnFile, again.call)} in ${where} is followed on the same path by defer ${wgText}.Done() on line ${lineOf(fnFile, deferred)}, so the group's counter is decremented twice and goes negative ("sync: negative WaitGroup counter" panic); return right after the early Done, or keep only the deferred call`
            : `${wgText}.Done() is deferred on line ${lineOf(fnFile, deferred)} and called again on line ${lineOf(fnFile, again.call)} in ${where}, so the group's counter is decremented twice and goes negative ("sync: negative WaitGroup counter" panic); keep only the deferred call`,
          related: [{ node: deferred, file: fnFile, message: `${wgText}.Done() deferred here` }],
        });
      }
      continue;
    }
    // The goroutine adds to the group itself (`case <-done: wg.Add(1); ...; wg.Done(); return`):
    // that Done pays for its own Add, and a path that skips both owes nothing. Only the paths
    // from the Add on count (`wg.Add(1); v, err := fetch(k); if err != nil { return }; ...;
    // wg.Done()` still owes), and not in a loop, where the Add may be the next item's.
    const selfAdd = addsItself(fnFile, fn, wgText);
    if (!selfAdd && !spawnerAdds(pass, file, go, waiter)) continue;
    // Counted once for many goroutines: the one the condition picks calls Done.
    if (oneOfMany(file, go, waiter.replace(/^&/, ''))) continue;
    // Another function literal of the spawner marks the same group (`ready.Done()` in the handler
    // the goroutine calls through `handler.ServeHTTP`, and in the goroutine only when the request
    // was rejected): the count is paid from either place.
    if (fn.kind === 'FuncLit' && doneInOtherLiteral(file, go, fn, groupName(waiter.replace(/^&/, '')))) continue;
    // First to finish signals: Done under a test-and-set of a shared flag (`if !h.done { h.done =
    // true; h.wg.Done() }`), which another function sets too: whoever comes first marks the group.
    if (fn.body && dones.some((d) => sharedFlagGuard(pass, fn.body!, d.call))) continue;
    const avoid = (n: ast.Node) => marksDone(pass, n, first.path);
    const inLoop = dones.some((d) => {
      const at = cfg.locate(d.call);
      return !!at && cfg.loopsContaining(at.block).length > 0;
    });
    if (selfAdd && (inLoop || !cfg.locate(selfAdd))) continue;
    // With Done inside a loop (one per item), a zero-iteration fall-through is not evidence: only
    // returns count, and not those of a select's default case (no item was taken: the worker of a
    // pool that calls Done per item stops when the queue is empty).
    const idle = inLoop ? defaultCaseReturns(fn) : new Set<ast.Node>();
    for (const r of returnsAfterWait(file, go, fn, waiter.replace(/^&/, ''))) idle.add(r);
    const guards = onceGuards(pass, fn, dones);
    // `if wg != nil { wg.Done() }`: with no group there is nobody to mark done.
    for (const g of nilGuards(pass, fn, first.path, dones)) guards.add(g);
    const avoidBlock = guards.size === 0 ? undefined : (b: Block) => b.kind === 'if.done' && guards.has(b.stmt as ast.IfStmt);
    let path = inLoop
      ? cfg.findPath(cfg.entry, (n) => n.kind === 'ReturnStmt' && !idle.has(n), { avoid, avoidBlock })
      : cfg.findPath(selfAdd ?? cfg.entry, 'exit', { avoid: (n) => avoid(n) || idle.has(n), avoidBlock });
    let how: string | undefined;
    let at: ast.Node | undefined;
    if (path) {
      const ret = returnOfPath(path) ?? (inLoop ? (path[path.length - 1]!.nodes.find((n) => n.kind === 'ReturnStmt') as ast.ReturnStmt | undefined) : undefined);
      how = ret ? `the return on line ${lineOf(fnFile, ret)}` : `the path to the end of the function`;
      at = ret;
    } else if (!selfAdd && ((deferredRecover(pass, fn) && !recoverMarksDone(pass, fnFile, deferredRecover(pass, fn)!, wgText)) || (go.spawner && deferredRecover(pass, go.spawner) && !recoverMarksDone(pass, pass.fileOf(go.spawner) ?? fnFile, deferredRecover(pass, go.spawner)!, wgText)))) {
      // A panic that the goroutine's own recover stops lets it exit normally, without Done.
      path = cfg.findPath(cfg.entry, 'panic', { avoid });
      const last = path?.[path.length - 1];
      if (last?.noReturnCall) {
        how = `the panic on line ${lineOf(fnFile, last.noReturnCall)} (stopped by the goroutine's own recover)`;
        at = last.noReturnCall;
      } else if (!inLoop) {
        // The goroutine recovers, so it expects a panic from the work it calls; a panic in a call
        // made before the Done ends the goroutine normally without it.
        const call = callBeforeDone(pass, cfg, first.call, avoid);
        if (call) {
          how = `a panic in ${callText(fnFile, call)} (line ${lineOf(fnFile, call)}), which the goroutine's own recover stops`;
          at = call;
        }
      }
    }
    if (!how && inLoop && !selfAdd) {
      // `wg.Add(len(items))` counts every item, and a `continue` skips the per-item Done.
      const skip = continueSkippingDone(file, go, fn, first.call, groupName(waiter));
      if (skip) {
        how = `the continue on line ${lineOf(fnFile, skip.cont)}, while ${textOf(file, skip.add)} counted every item`;
        at = skip.cont;
      }
    }
    if (!how) continue;
    pass.report({
      node: first.call,
      file: fnFile,
      confidence,
      message: `${callText(fnFile, first.call)} on line ${lineOf(fnFile, first.call)} is skipped by ${how} in ${where}, so the group is never marked done and ${waiter}.Wait() blocks forever; ${inLoop ? `call ${wgText}.Done() on that path too (one Done for each item taken), or move the work for one item into a function that defers it` : `call defer ${wgText}.Done() at the start of the goroutine instead`}`,
      related: [
        ...(at ? [{ node: at, file: fnFile, message: 'leaves without calling Done' }] : []),
        { node: go, file, message: goroutineStartNote(go) },
      ],
    });
  }
}

/**
 * A `continue` of the range loop holding the Done, ahead of it (not in a nested loop), when the
 * function that starts the goroutine adds the length of what the loop ranges over
 * (`wg.Add(len(items))`): that item's Done never comes.
 */
function continueSkippingDone(file: PassFile, go: ast.GoStmt, fn: FuncNode, done: ast.CallExpr, group: string): { cont: ast.BranchStmt; add: ast.CallExpr } | undefined {
  let loop: ast.RangeStmt | undefined;
  walkNode(fn.body!, (x) => {
    if (x.kind === 'FuncLit' && x !== fn) return false;
    if (nodePos(x) > nodePos(done) || nodeEnd(x) <= nodePos(done)) return false;
    if (x.kind === 'RangeStmt') loop = x;
    return true;
  });
  if (!loop) return undefined;
  const range = textOf(file, loop.x);
  const decl = enclosingFuncDecl(file, go);
  let add: ast.CallExpr | undefined;
  if (decl?.body) {
    walkNode(decl.body, (x) => {
      if (add) return false;
      if (x.kind === 'CallExpr' && x.args?.length === 1) {
        const f = unparen(x.fun);
        const a = unparen(x.args[0]!);
        if (f.kind === 'SelectorExpr' && f.sel.name === 'Add' && groupName(textOf(file, f.x)) === group && a.kind === 'CallExpr' && unparen(a.fun).kind === 'Ident' && (unparen(a.fun) as ast.Ident).name === 'len' && a.args?.[0] && textOf(file, a.args[0]) === range) add = x;
      }
      return !add;
    });
  }
  if (!add) return undefined;
  let cont: ast.BranchStmt | undefined;
  const visit = (n: ast.Node, nested: boolean): void => {
    walkNode(n, (x) => {
      if (cont || x.kind === 'FuncLit') return false;
      if (x !== n && (x.kind === 'ForStmt' || x.kind === 'RangeStmt')) {
        visit(x, true);
        return false;
      }
      if (x.kind === 'BranchStmt' && x.tok === 'continue' && nodePos(x) < nodePos(done) && (!nested || x.label?.name === labelOf(fn, loop!))) cont = x;
      return !cont;
    });
  };
  visit(loop.body, false);
  return cont ? { cont, add } : undefined;
}

/** The label of a loop statement, when it has one. */
function labelOf(fn: FuncNode, loop: ast.Stmt): string | undefined {
  let name: string | undefined;
  walkNode(fn.body!, (x) => {
    if (name) return false;
    if (x.kind === 'LabeledStmt' && x.stmt === loop) name = x.label.name;
    return !name;
  });
  return name;
}

/**
 * Whether the goroutine's recover handler marks the group done itself when it stops a panic
 * (`defer c.recoverInternalError(waitGroup, i)` whose body calls `waitGroup.Done()` after
 * `recover()`, as esbuild's linker does; or a deferred literal calling `wg.Done()` in its
 * recover branch): the recovered goroutine then owes nothing.
 */
function recoverMarksDone(pass: Pass, file: PassFile, d: ast.DeferStmt, wgText: string): boolean {
  const target = deferredTarget(pass, d.call, 'recover');
  if (!target?.body) return false;
  const want = wgText.replace(/^&/, '');
  // The handler's parameters that receive the group.
  const params = new Set<string>();
  let i = 0;
  for (const field of target.type.params?.list ?? []) {
    for (const name of field.names ?? [{ name: '' } as ast.Ident]) {
      const arg = d.call.args?.[i++];
      if (arg && name.name && textOf(file, arg).replace(/^&/, '') === want) params.add(name.name);
    }
  }
  let marks = false;
  inspectAll(target.body, (x) => {
    if (marks) return false;
    if (x.kind === 'CallExpr' && (x.args?.length ?? 0) === 0) {
      const f = unparen(x.fun);
      if (f.kind === 'SelectorExpr' && f.sel.name === 'Done') {
        const recv = unparen(f.x);
        const text = recv.kind === 'Ident' ? recv.name : '';
        if (params.has(text) || (target.kind === 'FuncLit' && textOf(file, recv).replace(/^&/, '') === want)) marks = true;
      }
    }
    return !marks;
  });
  return marks;
}

/**
 * A call that runs before the Done on a path from the goroutine's start (not a builtin, a
 * conversion, plumbing or a logging call): what a recovered panic would come from.
 */
function callBeforeDone(pass: Pass, cfg: CFG, done: ast.CallExpr, marks: (n: ast.Node) => boolean): ast.CallExpr | undefined {
  const doneEntry = cfg.locate(done)?.node;
  if (!doneEntry) return undefined;
  let found: ast.CallExpr | undefined;
  for (const { node } of cfg.entries({ liveOnly: true })) {
    if (found) break;
    if (node === doneEntry || node.kind === 'DeferStmt' || node.kind === 'GoStmt' || marks(node)) continue;
    if (!cfg.pathExists(cfg.entry, (n) => n === node) || !cfg.pathExists(node, (n) => n === doneEntry, marks)) continue;
    walkNode(node, (x) => {
      if (found || x.kind === 'FuncLit') return false;
      if (x.kind === 'CallExpr') {
        const c = pass.types.callee(x);
        if (c && c.kind !== 'builtin' && c.kind !== 'conversion' && !/^(log|fmt)\./.test(c.name) && !PLUMBING_CALLS.has(c.name)) found = x;
      }
      return !found;
    });
  }
  return found;
}

/**
 * `wg.Go(f)` calls Done itself when f returns (Go 1.25); a Done of the same group inside f
 * decrements the counter a second time.
 */
function checkGroupGo(pass: Pass, file: PassFile, call: ast.CallExpr): void {
  const f = unparen(call.fun);
  if (f.kind !== 'SelectorExpr' || f.sel.name !== 'Go' || call.args?.length !== 1) return;
  const gg = groupGoOf(pass, call);
  if (!gg?.fn?.body || pass.types.callee(call)?.name !== '(*sync.WaitGroup).Go') return;
  const group = varPath(pass, gg.group);
  if (!group) return;
  const done = doneCallsIn(pass, gg.fn.body).find((d) => samePath(d.path, group));
  if (!done) return;
  const fnFile = pass.fileOf(gg.fn) ?? file;
  const wg = textOf(file, gg.group);
  pass.report({
    node: done.call,
    file: fnFile,
    severity: 'critical',
    confidence: 'high',
    message: `${wg}.Go on line ${lineOf(file, call)} calls ${wg}.Done itself when the function returns, so ${callText(fnFile, done.call)} here decrements the counter a second time: "sync: negative WaitGroup counter" panic, or ${wg}.Wait() returns while goroutines still run; remove this Done (and the matching Add, if any)`,
    related: [{ node: call, file, message: `${wg}.Go starts the goroutine and marks it done` }],
  });
}

function run(pass: Pass): void {
  const seen = new Set<ast.Node>();
  for (const file of pass.files) {
    if (pass.typesKnown) file.inspector.preorder(['CallExpr'], (call) => checkGroupGo(pass, file, call));
    file.inspector.preorder(['GoStmt'], (go) => {
      const t = goTarget(pass, go);
      // A function that starts itself again (`go churn(i + 1)` in churn) continues its own work:
      // the group counts the first start, not each continuation.
      if (t && !(nodePos(t.fn) <= nodePos(go) && nodePos(go) < nodeEnd(t.fn))) checkGoroutine(pass, file, go, t.fn, seen);
    });
    // `wg.Add(1); context.AfterFunc(ctx, func() { ...; wg.Done() })`: the literal runs in a
    // goroutine of its own, as if started by a go statement there.
    if (pass.typesKnown && sourceMentions(file, 'AfterFunc')) {
      file.inspector.preorder(['FuncDecl', 'FuncLit'], (fn) => {
        if (fn.body) for (const a of afterFuncLaunches(pass, fn.body)) checkGoroutine(pass, file, a.go, a.lit, seen);
      });
    }
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'high',
    summary: 'A goroutine calls wg.Done() without defer and a path (early return, recovered panic) skips it, so Wait blocks forever; or Done is both deferred and called.',
    enabledByDefault: true,
    fixable: false,
    category: 'goroutines',
    docUrl: docUrl(ID),
  },
  needs: (o) => bodyNeeds(o, { kinds: ['GoStmt'], names: ['Go', 'AfterFunc'] }),
  run,
};
