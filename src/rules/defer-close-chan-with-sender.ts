// defer-close-chan-with-sender: `defer close(ch)` in a function that starts goroutines which may
// still send on ch after the function returns. The deferred close runs at return; a send after
// it panics with "send on closed channel" and takes the whole process down.
import type * as ast from '../syntax/ast.js';
import { inspect, pos as nodePos, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile, RelatedInput } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { nodeContains, type Block, type CFG } from '../types/cfg.js';
import {
  callGraphOf, cfgOf, countingLoop, unconditionalParts, finalEventTested, funcName, goTarget, receivedVars, loopHeadEntries, isWaitCall, lineOf, loopDepthIn, receivedChan, refKey, returnOfPath, sameRefKey, targetSubst,
  goStmtsIn, groupGoOf, textOf, walkSameFunc, type FuncNode, type GoTarget, deferNeeds, deferredCloses, isBuiltinClose, type DeferredClose,
} from './helpers.js';

const ID = 'defer-close-chan-with-sender';

/** A deferred wait registered after the close: it runs first (LIFO), so every sender is done before the close. */
function waitDeferredAfter(pass: Pass, file: PassFile, body: ast.BlockStmt, d: ast.DeferStmt): boolean {
  let found = false;
  walkSameFunc(body, (x) => {
    if (found) return false;
    if (x.kind !== 'DeferStmt') return true;
    if (nodePos(x) > nodePos(d)) {
      const fun = unparen(x.call.fun);
      if (isWaitCall(pass, file, x.call)) found = true;
      else if (fun.kind === 'FuncLit') found = nodeContains(fun.body, (y) => y.kind === 'CallExpr' && isWaitCall(pass, file, y));
    }
    return false;
  });
  return found;
}

interface Sender {
  target: GoTarget;
  sends: ast.SendStmt[];
  /** Keys of other channels the goroutine closes or sends on (completion signals). */
  signals: string[];
  /** Some sends are in functions the goroutine hands the channel to. */
  viaCall: boolean;
  /** With no send in sight: the call out of sight that takes the channel as a send-only parameter. */
  opaqueCall?: ast.CallExpr;
}

function senderOf(pass: Pass, go: ast.GoStmt, key: string): Sender | undefined {
  const target = goTarget(pass, go);
  if (!target?.fn.body) return undefined;
  const subst = targetSubst(pass, target);
  const sends: ast.SendStmt[] = [];
  const signals: string[] = [];
  let viaCall = false;
  const seen = new Set<ast.FuncDecl>();
  let opaque: ast.CallExpr | undefined;
  inspect(target.fn.body, (x) => {
    if (x.kind === 'SendStmt') {
      const k = refKey(pass, x.chan, subst);
      if (sameRefKey(k, key)) sends.push(x);
      else if (k !== undefined) signals.push(k);
    } else if (x.kind === 'CallExpr' && isBuiltinClose(pass, x)) {
      const k = refKey(pass, x.args![0]!, subst);
      if (k !== undefined && !sameRefKey(k, key)) signals.push(k);
    } else if (x.kind === 'CallExpr') {
      // The channel handed to a function of the package that sends on it (`t.follow(ctx, p, out)`).
      const before = sends.length;
      calleeSends(pass, x, subst, key, sends, seen, 0);
      if (sends.length > before) viaCall = true;
      // Or to a function out of sight whose parameter for it is send-only (`errc <- p(ctx, out)`
      // with `type Producer func(ctx context.Context, out chan<- Record) error`).
      else if (!opaque && handsToSendParam(pass, x, key, subst)) opaque = x;
    }
    return true;
  });
  if (sends.length === 0 && opaque) return { target, sends, signals, viaCall: true, opaqueCall: opaque };
  return sends.length > 0 ? { target, sends, signals, viaCall } : undefined;
}

/**
 * The sends on the channel `key` in a same-package function that a call hands it to as an
 * argument, and in the functions that one hands it on to (two calls deep).
 */
function calleeSends(pass: Pass, call: ast.CallExpr, subst: ReadonlyMap<unknown, string>, key: string, out: ast.SendStmt[], seen: Set<ast.FuncDecl>, depth: number): void {
  if (depth >= 2 || !call.args?.length) return;
  const decl = pass.types.callee(call)?.decl;
  if (!decl?.body || seen.has(decl)) return;
  const params = (decl.type.params.list ?? []).flatMap((f) => f.names ?? []);
  const inner = new Map<unknown, string>();
  call.args.forEach((a, i) => {
    const p = params[i];
    if (!p || p.name === '_' || !sameRefKey(refKey(pass, a, subst), key)) return;
    inner.set(pass.types.objectOf(p) ?? p.name, key);
  });
  if (inner.size === 0) return;
  seen.add(decl);
  inspect(decl.body, (x) => {
    if (x.kind === 'SendStmt' && sameRefKey(refKey(pass, x.chan, inner), key)) out.push(x);
    else if (x.kind === 'CallExpr') calleeSends(pass, x, inner, key, out, seen, depth + 1);
    return true;
  });
}

/**
 * Whether the sender sends at most one value: one send outside any loop, or several sends outside
 * loops none of which can run after another (`if err != nil { errCh <- err; return }; errCh <-
 * start()`, runc's CPU-affinity starter).
 */
function sendsOnce(pass: Pass, s: Sender): boolean {
  const body = s.target.fn.body!;
  if (s.sends.length === 0 || s.sends.some((x) => loopDepthIn(body, x) !== 0)) return false;
  if (s.sends.length === 1) return true;
  const sg = cfgOf(pass, s.target.fn);
  if (!sg || s.sends.some((x) => !sg.locate(x))) return false;
  return s.sends.every((a) => s.sends.every((b) => a === b || !sg.canReach(a, b)));
}

/**
 * The CFG entries after which every sender of `key` started by `go` is known to be done: waits on a
 * group, receives of a completion signal, a range over the channel, a receive of the only value of
 * a single sender, and loops that receive from the channel and are left only when their condition ends.
 */
function syncEntries(pass: Pass, file: PassFile, fn: FuncNode, g: CFG, go: ast.GoStmt, at: ast.Node, s: Sender, key: string, senders: number, group = false): (n: ast.Node) => boolean {
  // One goroutine sending one value: receiving a value means it has sent. With two goroutines
  // sending (`go copy(a, b)` and `go copy(b, a)` on one errc), one receive says nothing of the other.
  // Loop entries after which every sender is known to be done.
  const drains = new Set<ast.Node>();
  const goLoops = g.loopsContaining(g.locate(at)!.block);
  const oneValue = !s.viaCall && sendsOnce(pass, s) && goLoops.length === 0;
  const single = senders === 1 && oneValue;
  // Several goroutines (a go statement in a loop, or several go statements): a completion signal
  // received once says only that one of them is done. All are done after as many receives as
  // goroutines: in the function's own top-level statements, or in a loop that receives once per
  // iteration, cannot be left early, and runs as many times as the loop starting them
  // (`for _, p := range parts { go ... }` then `for range parts { <-done }`).
  const many = senders > 1 || goLoops.length > 0;
  let allSignalled: ast.Node | undefined;
  if (many && s.signals.length > 0 && fn.body) {
    const isSignal = (y: ast.Node) => {
      const r = receivedChan(pass, y);
      return r !== undefined && s.signals.some((k) => sameRefKey(r, k));
    };
    if (goLoops.length === 0) allSignalled = afterReceives(fn.body, isSignal, senders);
    else if (goLoops.length === 1 && senders === 1) {
      const trips = tripKey(file, goLoops[0]!.stmt);
      for (const info of g.loops.values()) {
        if (info === goLoops[0] || trips === undefined || tripKey(file, info.stmt) !== trips) continue;
        if (g.loopExits(info.stmt).exits.length > 0 || !receivesEachIteration(info.stmt.body, isSignal)) continue;
        for (const n of loopHeadEntries(info)) drains.add(n);
      }
    }
  }
  // Several goroutines sending one value each, received as many times in the function's own
  // top-level statements (`err1 := <-errc; err2 := <-errc`): after the last of those receives
  // every sender has sent.
  const allReceived = senders > 1 && oneValue && fn.body ? afterReceives(fn.body, (y) => sameRefKey(receivedChan(pass, y), key), senders) : undefined;
  // Semaphore slots the goroutines give back on their way out (`defer func() { <-sem }()`): a
  // loop after them that fills every slot (`for i := 0; i < cap(sem); i++ { sem <- struct{}{} }`)
  // returns only once each of them is done.
  if (many && fn.body) {
    for (const info of g.loops.values()) {
      if (goLoops.includes(info) || g.loopExits(info.stmt).exits.length > 0) continue;
      const trips = tripKey(file, info.stmt);
      if (trips === undefined) continue;
      const first = (info.stmt.body.list ?? [])[0];
      if (first?.kind !== 'SendStmt') continue;
      const semKey = refKey(pass, first.chan);
      if (semKey === undefined || !releasedOnExit(pass, s, semKey)) continue;
      if (trips === `cap(${textOf(file, unparen(first.chan))})` || trips === makeCapacity(pass, file, fn.body, semKey)) {
        for (const n of loopHeadEntries(info)) drains.add(n);
      }
    }
  }
  const rangeOps = new Set<ast.Node>();
  for (const info of g.loops.values()) {
    const st = info.stmt;
    // `if ev.done { return }` where the sender's last statement sends `progress{done: true}`: by
    // then the sender has nothing left to send.
    if (senders === 1 && g.loopsContaining(g.locate(at)!.block).length === 0 && nodeContains(st.body, (y) => sameRefKey(receivedChan(pass, y), key))) {
      const got = receivedVars(pass, st.body, key);
      for (const e of g.loopExits(st).exits) {
        if (e.via?.kind === 'ReturnStmt' && finalEventTested(pass, st.body, e.via, got, s.target.fn.body!)) drains.add(e.via);
      }
    }
    // A range over the channel waits for its close, unless it can be left early (a return or a
    // break on some value), which leaves the senders running.
    if (st.kind === 'RangeStmt' && sameRefKey(refKey(pass, st.x), key) && g.loopExits(st).exits.length === 0) rangeOps.add(st.x);
    const receives = nodeContains(st.body, (y) => sameRefKey(receivedChan(pass, y), key));
    if (receives && g.loopExits(st).exits.length === 0) for (const n of loopHeadEntries(info)) drains.add(n);
  }
  // A group wait covers the goroutine only if it marks itself done (`defer wg.Done()`, or a call
  // of a package function that does); a progress reporter started beside the group is not waited for.
  const graph = callGraphOf(pass);
  // Also in a literal the goroutine defers (`defer func() { wg.Done(); ... }()`).
  const deferredLits: ast.FuncLit[] = [];
  walkSameFunc(s.target.fn.body!, (y) => {
    if (y.kind === 'DeferStmt' && unparen(y.call.fun).kind === 'FuncLit') deferredLits.push(unparen(y.call.fun) as ast.FuncLit);
    return true;
  });
  const marksDone = (b: ast.BlockStmt) =>
    nodeContains(b, (y) => {
      if (y.kind !== 'CallExpr') return false;
      const f = unparen(y.fun);
      if (f.kind === 'SelectorExpr' && f.sel.name === 'Done' && (y.args?.length ?? 0) === 0) {
        // `wg.Done()`, not `ctx.Done()`.
        const c = pass.types.callee(y);
        return !c || c.name === '(*sync.WaitGroup).Done';
      }
      return f.kind !== 'FuncLit' && graph.calleeOf(y) !== undefined;
    });
  const inGroup =
    group || marksDone(s.target.fn.body!) || deferredLits.some((l) => marksDone(l.body)) || (go.call.args ?? []).some((a) => unparen(a).kind === 'UnaryExpr');
  return (n) => {
    if (drains.has(n) || rangeOps.has(n) || n === allReceived || n === allSignalled) return true;
    // `<-waitChan(&wg)` on its own: a package function that waits on the group and closes the
    // channel it returns.
    if (inGroup && n.kind === 'ExprStmt' && waitsThroughHelper(pass, n.x)) return true;
    return nodeContains(n, (y) => {
      if (y.kind === 'CallExpr' && inGroup && isWaitCall(pass, file, y)) return true;
      if (y.kind === 'CallExpr' && helperDrains(pass, y, key)) return true;
      const r = receivedChan(pass, y);
      if (r === undefined) return false;
      if (single && sameRefKey(r, key)) return true;
      return !many && s.signals.some((k) => sameRefKey(r, k));
    });
  };
}

/**
 * A receive from the channel a package function returns after waiting on a group in a goroutine
 * of its own and closing it (`func waitChan(wg *sync.WaitGroup) <-chan struct{} { done :=
 * make(chan struct{}); go func() { wg.Wait(); close(done) }(); return done }`).
 */
function waitsThroughHelper(pass: Pass, e: ast.Expr): boolean {
  const x = unparen(e);
  if (x.kind !== 'UnaryExpr' || x.op !== '<-') return false;
  const call = unparen(x.x);
  if (call.kind !== 'CallExpr') return false;
  const decl = pass.types.callee(call)?.decl;
  const body = decl?.body;
  if (!body) return false;
  const file = pass.fileOf(decl);
  if (!file) return false;
  let waits = false;
  let closes = false;
  inspect(body, (y) => {
    if (y.kind === 'CallExpr') {
      if (isWaitCall(pass, file, y)) waits = true;
      const f = unparen(y.fun);
      if (f.kind === 'Ident' && f.name === 'close' && pass.types.objectOf(f)?.kind !== 'var') closes = true;
    }
    return true;
  });
  return waits && closes;
}

/**
 * The top-level statement of a function body after which it has received `count` times/**
 * The top-level statement of a function body after which it has received `count` times
 * (receives matching isReceive, outside literals, defers and go statements), if any.
 */
function afterReceives(body: ast.BlockStmt, isReceive: (n: ast.Node) => boolean, count: number): ast.Stmt | undefined {
  let n = 0;
  for (const st of body.list ?? []) {
    if (st.kind === 'DeferStmt' || st.kind === 'GoStmt') continue;
    inspect(st, (y) => {
      if (y.kind === 'FuncLit') return false;
      if (isReceive(y)) n++;
      return true;
    });
    if (n >= count) return st;
  }
  return undefined;
}

/** Whether the goroutine receives from the channel in a literal it defers (`defer func() { <-sem }()`). */
function releasedOnExit(pass: Pass, s: Sender, key: string): boolean {
  const subst = targetSubst(pass, s.target);
  let found = false;
  walkSameFunc(s.target.fn.body!, (y) => {
    if (found) return false;
    if (y.kind !== 'DeferStmt') return true;
    const lit = unparen(y.call.fun);
    if (lit.kind === 'FuncLit') {
      for (const st of lit.body.list ?? []) {
        const x = st.kind === 'ExprStmt' ? unparen(st.x) : undefined;
        if (x?.kind === 'UnaryExpr' && x.op === '<-' && sameRefKey(refKey(pass, x.x, subst), key)) found = true;
      }
    }
    return false;
  });
  return found;
}

/** The capacity a channel is made with in the function (`sem := make(chan struct{}, n)`), as written. */
function makeCapacity(pass: Pass, file: PassFile, body: ast.BlockStmt, key: string): string | undefined {
  let out: string | undefined;
  walkSameFunc(body, (y) => {
    if (out !== undefined) return false;
    if (y.kind === 'AssignStmt' && y.lhs.length === 1 && y.rhs.length === 1 && sameRefKey(refKey(pass, y.lhs[0]!), key)) {
      const m = unparen(y.rhs[0]!);
      if (m.kind === 'CallExpr' && unparen(m.fun).kind === 'Ident' && (unparen(m.fun) as ast.Ident).name === 'make' && m.args?.length === 2) out = textOf(file, unparen(m.args[1]!));
    }
    return true;
  });
  return out;
}

/**
 * What a loop's trip count is written with: the operand of a range (`range parts`, `range n`),
 * or the bound of `for i := 0; i < n; i++` (`len(parts)` counting as `parts`).
 */
function tripKey(file: PassFile, st: ast.ForStmt | ast.RangeStmt): string | undefined {
  if (st.kind === 'RangeStmt') return textOf(file, unparen(st.x));
  const l = countingLoop(st);
  const zero = l && unparen(l.from);
  if (!l || l.op !== '<' || zero?.kind !== 'BasicLit' || zero.value !== '0') return undefined;
  const bound = unparen(l.to);
  if (bound.kind === 'CallExpr' && unparen(bound.fun).kind === 'Ident' && (unparen(bound.fun) as ast.Ident).name === 'len' && bound.args?.length === 1) return textOf(file, unparen(bound.args[0]!));
  return textOf(file, bound);
}

/**
 * Whether every iteration of a loop body receives: one of its statements (not under a branch, with
 * no branch statement before it) receives, counting an `if`'s or a `switch`'s init and condition.
 */
function receivesEachIteration(body: ast.BlockStmt, isReceive: (n: ast.Node) => boolean): boolean {
  for (const st of body.list ?? []) {
    if (unconditionalParts(st).some((n) => nodeContains(n, isReceive))) return true;
    if (nodeContains(st, (y) => y.kind === 'BranchStmt' || y.kind === 'ReturnStmt')) return false;
  }
  return false;
}

/**
 * Whether a call hands the channel to a same-package function that receives from it in a loop
 * left only when its condition ends (`waitWriters(n, doneCh)` with `for i := 0; i < n; i++ {
 * r := <-doneCh; ... }`): a wait for the senders hidden in a helper.
 */
function helperDrains(pass: Pass, call: ast.CallExpr, key: string): boolean {
  const decl = callGraphOf(pass).calleeOf(call)?.decl;
  // A function of another package given the channel for a parameter it can receive from (a
  // `chan T` or `<-chan T`, not a `chan<- T`): a collector such as vitess's `ErrorGroup.Wait(cancel,
  // errCh)`, which reads one value per goroutine. Its body is out of sight; it is taken at its word.
  if (!decl) return foreignReceiver(pass, call, key);
  if (!decl?.body || call.ellipsis !== -1) return false;
  const fields = decl.type.params.list ?? [];
  if (fields.some((f) => f.type?.kind === 'Ellipsis')) return false;
  const names = fields.flatMap((f) => f.names ?? []);
  const args = call.args ?? [];
  if (names.length !== args.length) return false;
  const subst = new Map<unknown, string>();
  names.forEach((n, i) => {
    const k = refKey(pass, args[i]!);
    const o = pass.types.objectOf(n);
    if (k !== undefined && o && sameRefKey(k, key)) subst.set(o, k);
  });
  if (subst.size === 0) return false;
  let found = false;
  walkSameFunc(decl.body, (x) => {
    if (found) return false;
    // A range over it, left early only once it has counted a value per sender (`if n ==
    // eg.NumGoroutines { break }`), or not at all.
    if (x.kind === 'RangeStmt' && sameRefKey(refKey(pass, x.x, subst), key) && (!leavesEarly(x.body) || countsToTotal(x.body))) found = true;
    else if (x.kind === 'ForStmt' && nodeContains(x.body, (y) => sameRefKey(receivedChan(pass, y, subst), key)) && !leavesEarly(x.body)) found = true;
    return !found;
  });
  return found;
}

/**
 * Whether a call of a function of another package hands it the channel for a parameter that can
 * receive (its type is `chan T` or `<-chan T`).
 */
function foreignReceiver(pass: Pass, call: ast.CallExpr, key: string): boolean {
  const c = pass.types.callee(call);
  if (!c?.sig || c.pkg === pass.pkg.importPath || c.kind === 'builtin' || c.kind === 'funcvalue') return false;
  const params = c.sig.params;
  return (call.args ?? []).some((a, i) => {
    if (!sameRefKey(refKey(pass, a), key)) return false;
    const p = params[Math.min(i, params.length - 1)];
    const pt = p?.type;
    const t = pt?.kind === 'named' ? pt.underlying() : pt;
    return t?.kind === 'chan' && t.dir !== 'send';
  });
}

/**
 * Whether every early way out of a receive loop is a break or return under a condition that
 * compares a counter with a total (`if responses == eg.NumGoroutines { break }`): it leaves once it
 * has taken the expected number of values.
 */
function countsToTotal(body: ast.BlockStmt): boolean {
  let ok = true;
  let seen = false;
  walkSameFunc(body, (x) => {
    if (!ok) return false;
    if (x.kind === 'IfStmt') {
      const exits = (x.body.list ?? []).some((st) => st.kind === 'ReturnStmt' || (st.kind === 'BranchStmt' && st.tok === 'break'));
      if (exits) {
        const c = unparen(x.cond);
        if (c.kind === 'BinaryExpr' && (c.op === '==' || c.op === '>=')) seen = true;
        else ok = false;
        return false;
      }
    }
    if (x.kind === 'ReturnStmt' || (x.kind === 'BranchStmt' && (x.tok === 'break' || x.tok === 'goto'))) ok = false;
    return ok;
  });
  return ok && seen;
}

/** Whether a loop body has a return, a goto or a break of its own loop (not of a nested loop, switch or select). */
function leavesEarly(body: ast.BlockStmt): boolean {
  let early = false;
  const visit = (n: ast.Node, nested: boolean): void => {
    walkSameFunc(n, (x) => {
      if (early) return false;
      if (x !== n && (x.kind === 'ForStmt' || x.kind === 'RangeStmt' || x.kind === 'SwitchStmt' || x.kind === 'TypeSwitchStmt' || x.kind === 'SelectStmt')) {
        visit(x, true);
        return false;
      }
      if (x.kind === 'ReturnStmt') early = true;
      if (x.kind === 'BranchStmt' && (x.tok === 'goto' || (x.tok === 'break' && (!nested || x.label)))) early = true;
      return !early;
    });
  };
  visit(body, false);
  return early;
}

/**
 * Whether the deferred literal holding the close waits for the senders first: a statement of its
 * own (not nested in a branch) ahead of the close that waits on the group or receives a
 * completion signal.
 */
function waitsBeforeClose(c: DeferredClose, synced: (n: ast.Node) => boolean): boolean {
  const lit = unparen(c.defer.call.fun);
  if (lit.kind !== 'FuncLit') return false;
  for (const st of lit.body.list ?? []) {
    if (nodePos(st) >= nodePos(c.close)) break;
    if ((st.kind === 'ExprStmt' || st.kind === 'AssignStmt') && synced(st)) return true;
  }
  return false;
}

/** A path from the go statement to a return inside a loop whose body receives from one of the channels. */
function earlyReturnFromReceiveLoop(pass: Pass, g: CFG, go: ast.Node, synced: (n: ast.Node) => boolean, keys: readonly string[]): Block[] | null {
  const returns = new Set<ast.Node>();
  for (const info of g.loops.values()) {
    const body = info.stmt.body;
    if (!nodeContains(body, (y) => keys.some((k) => sameRefKey(receivedChan(pass, y), k)))) continue;
    walkSameFunc(body, (x) => {
      if (x.kind === 'ReturnStmt') returns.add(x);
      return true;
    });
  }
  if (returns.size === 0) return null;
  return g.findPath(go, (n) => returns.has(n), { avoid: synced });
}

/**
 * A goroutine start as the closing function sees it: its own go statement, or a call of a
 * package function that starts goroutines sending on the channel it is given and returns
 * without waiting for them (`h.askMembers(members, replies)`).
 */
interface Launch {
  /** The go statement (in the helper, for a helper's goroutine). */
  go: ast.GoStmt;
  /** The statement of the closing function where the goroutine starts: the go statement or the helper call. */
  at: ast.Node;
  sender: Sender;
  /** For a helper: the call. */
  via?: ast.CallExpr;
  /** For a `time.AfterFunc` literal: the call. */
  afterFunc?: ast.CallExpr;
  /** Started by a group's `Go` method, which marks it done: the group's Wait waits for it. */
  group?: boolean;
}

function launchesOf(pass: Pass, body: ast.BlockStmt, key: string): Launch[] {
  const out: Launch[] = [];
  for (const go of goStmtsIn(body)) {
    const sender = senderOf(pass, go, key) ?? opaqueSender(pass, go, key);
    if (sender) out.push({ go, at: go, sender });
  }
  walkSameFunc(body, (x) => {
    // `time.AfterFunc(d, func() { fired <- v })`: the literal runs in a goroutine of its own
    // when the timer fires, unless the function stops the timer.
    const timer = afterFuncOf(pass, x);
    if (timer && !timerStopped(pass, body, timer.v)) {
      const go: ast.GoStmt = { kind: 'GoStmt', go: timer.call.lparen, call: { kind: 'CallExpr', fun: timer.lit, lparen: timer.lit.body.lbrace, args: null, ellipsis: -1, rparen: timer.lit.body.rbrace } };
      const sender = senderOf(pass, go, key);
      if (sender) out.push({ go, at: x, sender, afterFunc: timer.call });
      return true;
    }
    if (x.kind !== 'ExprStmt' || unparen(x.x).kind !== 'CallExpr') return x.kind !== 'GoStmt' && x.kind !== 'DeferStmt';
    const call = unparen(x.x) as ast.CallExpr;
    // `wg.Go(func() { errc <- fn(it) })` (Go 1.25): a goroutine of the group, marked done by it.
    const gg = groupGoOf(pass, call);
    if (gg) {
      if (gg.fn?.kind === 'FuncLit') {
        const lit = gg.fn;
        const go: ast.GoStmt = { kind: 'GoStmt', go: call.lparen, call: { kind: 'CallExpr', fun: lit, lparen: lit.body.lbrace, args: null, ellipsis: -1, rparen: lit.body.rbrace } };
        const sender = senderOf(pass, go, key);
        if (sender) out.push({ go, at: x, sender, group: true });
      }
      return true;
    }
    for (const { go, sender } of helperLaunches(pass, call, key)) out.push({ go, at: x, sender, via: call });
    return true;
  });
  return out;
}

/**
 * A goroutine running a function whose body is out of sight (a func value, a function of another
 * package) that is given the channel for a send-only parameter (`go p(ctx, out)` with `type
 * Producer func(ctx context.Context, out chan<- T)`): by its type, it sends on it.
 */
function opaqueSender(pass: Pass, go: ast.GoStmt, key: string): Sender | undefined {
  if (unparen(go.call.fun).kind === 'FuncLit' || goTarget(pass, go)) return undefined;
  if (!handsToSendParam(pass, go.call, key)) return undefined;
  return opaqueSenderOf(go);
}

/**
 * Whether a call of a function out of sight (no body in the package: a func value, a function of
 * another package) is given the channel for a send-only parameter: by its type, it sends on it.
 */
function handsToSendParam(pass: Pass, call: ast.CallExpr, key: string, subst?: ReadonlyMap<unknown, string>): boolean {
  const c = pass.types.callee(call);
  if (c?.decl?.body && c.pkg === pass.pkg.importPath) return false;
  const sig = c?.sig ?? (() => {
    const t = pass.types.typeOf(call.fun);
    const u = t?.kind === 'named' ? t.underlying() : t;
    return u?.kind === 'signature' ? u : undefined;
  })();
  if (!sig || call.ellipsis !== -1) return false;
  return (call.args ?? []).some((a, i) => {
    if (!sameRefKey(refKey(pass, a, subst), key)) return false;
    const pt = sig.params[i]?.type;
    const t = pt?.kind === 'named' ? pt.underlying() : pt;
    return t?.kind === 'chan' && t.dir === 'send';
  });
}

function opaqueSenderOf(go: ast.GoStmt): Sender {
  const lit: ast.FuncLit = {
    kind: 'FuncLit',
    type: { kind: 'FuncType', func: go.go, typeParams: null, params: { kind: 'FieldList', opening: go.go, list: null, closing: go.go }, results: null },
    body: { kind: 'BlockStmt', lbrace: go.go, list: [], rbrace: go.go },
  };
  return { target: { go, fn: lit, params: [] }, sends: [], signals: [], viaCall: true };
}

/** A statement calling `time.AfterFunc(d, func() {...})` (the timer kept in `v`, if assigned). */
function afterFuncOf(pass: Pass, x: ast.Node): { call: ast.CallExpr; lit: ast.FuncLit; v?: ast.Ident } | undefined {
  let e: ast.Expr | undefined;
  let v: ast.Ident | undefined;
  if (x.kind === 'ExprStmt') e = x.x;
  else if (x.kind === 'AssignStmt' && x.rhs.length === 1) {
    e = x.rhs[0];
    const l = unparen(x.lhs[0]!);
    if (l.kind === 'Ident') v = l;
  } else return undefined;
  const call = e ? unparen(e) : undefined;
  if (call?.kind !== 'CallExpr' || pass.types.callee(call)?.name !== 'time.AfterFunc') return undefined;
  const lit = call.args?.[1] ? unparen(call.args[1]) : undefined;
  return lit?.kind === 'FuncLit' ? { call, lit, ...(v ? { v } : {}) } : undefined;
}

/** Whether the function calls Stop on the timer (deferred or not): the literal may then never run. */
function timerStopped(pass: Pass, body: ast.BlockStmt, v: ast.Ident | undefined): boolean {
  if (!v || v.name === '_') return false;
  const o = pass.types.objectOf(v);
  let found = false;
  inspect(body, (y) => {
    if (found) return false;
    if (y.kind === 'CallExpr') {
      const f = unparen(y.fun);
      if (f.kind === 'SelectorExpr' && f.sel.name === 'Stop' && unparen(f.x).kind === 'Ident') {
        const r = unparen(f.x) as ast.Ident;
        if (r.name === v.name && (!o || pass.types.objectOf(r) === o)) found = true;
      }
    }
    return !found;
  });
  return found;
}

const helperGoCache = new WeakMap<ast.FuncDecl, boolean>();

/**
 * The goroutines a same-package helper starts that send on the channel the call hands it, when
 * the helper returns without waiting for anything (no group wait, no receive in its own code).
 */
function helperLaunches(pass: Pass, call: ast.CallExpr, key: string): { go: ast.GoStmt; sender: Sender }[] {
  const decl = pass.types.callee(call)?.decl;
  if (!decl?.body || !call.args?.length || call.ellipsis !== -1) return [];
  let fires = helperGoCache.get(decl);
  if (fires === undefined) {
    let gos = false;
    let waits = false;
    const file = pass.fileOf(decl);
    walkSameFunc(decl.body, (x) => {
      if (x.kind === 'GoStmt') gos = true;
      else if (x.kind === 'UnaryExpr' && x.op === '<-') waits = true;
      else if (x.kind === 'SelectStmt') waits = true;
      else if (x.kind === 'RangeStmt') {
        // A range over a channel waits; over a slice or a map it does not.
        const t = pass.types.typeOf(x.x);
        const u = t?.kind === 'named' ? t.underlying() : t;
        if (!u || u.kind === 'chan') waits = true;
      }
      else if (x.kind === 'CallExpr' && file && isWaitCall(pass, file, x)) waits = true;
      return !waits;
    });
    helperGoCache.set(decl, (fires = gos && !waits));
  }
  if (!fires) return [];
  const names = (decl.type.params.list ?? []).flatMap((f) => f.names ?? []);
  const out: { go: ast.GoStmt; sender: Sender }[] = [];
  call.args.forEach((a, i) => {
    const p = names[i];
    if (!p || p.name === '_' || !sameRefKey(refKey(pass, a), key)) return;
    const inner = refKey(pass, p);
    if (inner === undefined) return;
    for (const go of goStmtsIn(decl.body!)) {
      const sender = senderOf(pass, go, inner);
      if (sender) out.push({ go, sender });
    }
  });
  return out;
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    file.inspector.preorder(['FuncDecl', 'FuncLit'], (fn) => {
      if (!fn.body || !file.inspector.contains(fn, ['DeferStmt'])) return;
      const closes = deferredCloses(pass, fn.body);
      if (closes.length === 0) return;
      const g = cfgOf(pass, fn);
      if (!g) return;
      const fname = funcName(file, fn);
      for (const c of closes) {
        if (waitDeferredAfter(pass, file, fn.body, c.defer)) continue;
        const launches = launchesOf(pass, fn.body, c.key);
        const senders = launches.length;
        for (const { go, at, sender: s, via, afterFunc, group } of launches) {
          if (!g.locate(at)) continue;
          const synced = syncEntries(pass, file, fn, g, go, at, s, c.key, senders, group);
          // `defer func() { wg.Wait(); close(out) }()`: the literal itself waits before closing.
          if (c.inLiteral && waitsBeforeClose(c, synced)) continue;
          // The close matters only for goroutines started on a path where the defer is registered:
          // `if bad { defer close(ch); ch <- errResult; return ch }; go produce(ch)` never has both.
          if (!g.locate(c.defer)) continue;
          const deferFirst = g.canReach(c.defer, at);
          if (!deferFirst && !g.canReach(at, c.defer)) continue;
          let path: Block[] | null;
          if (deferFirst) path = g.findPath(at, 'exit', { avoid: synced });
          else {
            // Started before the defer: only the ways out through the defer count.
            const before = g.findPath(at, c.defer, { avoid: synced });
            const after = before && g.findPath(c.defer, 'exit', { avoid: synced });
            path = before && after ? [...before, ...after.slice(1)] : null;
          }
          if (!path) continue;
          // The shortest way out may be a receive loop run to its end (which took every value);
          // an early return from inside such a loop is the one that leaves senders behind.
          // With several goroutines, a loop receiving their completion signals is such a loop too.
          const many = senders > 1 || g.loopsContaining(g.locate(at)!.block).length > 0;
          const early = earlyReturnFromReceiveLoop(pass, g, at, synced, many ? [c.key, ...s.signals] : [c.key]);
          if (early) path = early;
          const ch = textOf(file, c.ch);
          const goFile = pass.fileOf(go) ?? file;
          const goLine = lineOf(goFile, go);
          const started = via
            ? `the goroutine that ${textOf(file, via.fun)} starts (line ${goLine}${goFile !== file ? ` of ${goFile.path}` : ''}), called on line ${lineOf(file, at)},`
            : afterFunc
              ? `the function given to time.AfterFunc on line ${goLine}, which runs in a goroutine of its own when the timer fires,`
              : `the goroutine started on line ${goLine}`;
          const send: ast.Node = s.sends[0] ?? go;
          const sendFile = pass.fileOf(send) ?? file;
          const opaque = s.sends.length === 0;
          const ret = returnOfPath(path);
          const how = ret ? `the return on line ${lineOf(file, ret)} does not wait for it` : `${fname} can return without waiting for it`;
          const what = c.inLiteral ? `${textOf(file, c.close)} deferred in ${fname}` : `defer ${textOf(file, c.close)} in ${fname}`;
          const related: RelatedInput[] = [
            ...(opaque ? [] : [{ node: send, file: sendFile, message: `send on ${ch} in the goroutine` }]),
            { node: go, file: goFile, message: 'the goroutine starts here' },
            ...(via ? [{ node: via, message: `${textOf(file, via.fun)} starts it and returns without waiting` }] : []),
          ];
          if (ret) related.push({ node: ret, message: `returns without waiting for the goroutine of line ${goLine}` });
          const byName = c.key.includes('?') || !pass.typesKnown || opaque;
          pass.report({
            node: c.inLiteral ? c.close : c.defer,
            file,
            confidence: byName ? 'medium' : 'high',
            message: `${what} closes ${ch} when ${fname} returns, but ${started} can still send on it (${opaque ? `${textOf(file, (s.opaqueCall ?? go.call).fun)} takes it as a send-only chan<- parameter` : `line ${lineOf(sendFile, send)}${sendFile !== file ? ` of ${sendFile.path}` : ''}`}) and ${how}: the late send panics with "send on closed channel"; wait for every sender (sync.WaitGroup) before returning, or let the sending side close the channel`,
            related,
          });
          break;
        }
      }
    });
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'critical',
    summary: 'defer close(ch) in a function whose goroutines may still send on ch after it returns: the late send panics.',
    enabledByDefault: true,
    fixable: false,
    category: 'goroutine',
    docUrl: docUrl(ID),
  },
  needs: deferNeeds,
  run,
};
