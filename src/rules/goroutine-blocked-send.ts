// goroutine-blocked-send: a goroutine sends its result on an unbuffered channel made by its parent,
// and the parent has a path (a select that takes its ctx.Done() or timeout case, an early return)
// on which it returns without receiving. On that path the send never completes: the goroutine and
// everything it references stay alive for the life of the process, one per call.
import type * as ast from '../syntax/ast.js';
import { end as nodeEnd, forEachChild, pos as nodePos, unparen } from '../syntax/nodes.js';
import type { Analyzer, FixInput, Pass, PassFile, RelatedInput } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { nodeContains, walkNode, type Block, type CFG, type LoopInfo } from '../types/cfg.js';
import {
  cfgOf, countingLoop, finalEventTested, listHolding, funcName, receivedVars, underIf, goTarget, loopHeadEntries, isFunc, sameVar, lineOf, loopDepthIn, receivedChan, refKey, requestHandler, returnOfPath, sameExpr, sameRefKey,
  endsFlow, goStmtsIn, groupGoOf, deferredCloses, callGraphOf, sourceMentions, targetSubst, textOf, walkSameFunc, type FuncNode, type GoTarget, bodyNeeds,
  afterFuncLaunches, goroutineStartNote, goroutineText, moduleGoTarget,
} from './helpers.js';

const ID = 'goroutine-blocked-send';

/** `ch := make(chan T)` (or `make(chan T, 0)`, or `var ch = make(...)`) in the function's own flow. */
interface UnbufferedMake {
  id: ast.Ident;
  make: ast.CallExpr;
  key: string;
  /** A field of a local struct made with it (`cl := &call{done: make(chan result)}`): `cl.done`. */
  field?: string;
}

/** How a made channel is named in messages: `ch`, or `cl.done` for a field of a local struct. */
function chanText(m: UnbufferedMake): string {
  return m.field ? `${m.id.name}.${m.field}` : m.id.name;
}

function isUnbufferedMake(pass: Pass, e: ast.Expr): e is ast.CallExpr {
  const x = unparen(e);
  if (x.kind !== 'CallExpr') return false;
  const f = unparen(x.fun);
  if (f.kind !== 'Ident' || f.name !== 'make') return false;
  const o = pass.types.objectOf(f);
  if (o && o.kind !== 'builtin') return false;
  const args = x.args ?? [];
  const t0 = args[0];
  if (!t0) return false;
  let isChan = unparen(t0).kind === 'ChanType';
  if (!isChan) {
    const t = pass.types.typeOf(t0);
    const u = t?.kind === 'named' ? t.underlying() : t;
    isChan = u?.kind === 'chan';
  }
  if (!isChan) return false;
  if (args.length === 1) return true;
  const n = unparen(args[1]!);
  return args.length === 2 && n.kind === 'BasicLit' && n.tokKind === 'INT' && /^0+$/.test(n.value);
}

function unbufferedMakes(pass: Pass, body: ast.BlockStmt): UnbufferedMake[] {
  const out: UnbufferedMake[] = [];
  const add = (lhs: ast.Expr, rhs: ast.Expr) => {
    if (lhs.kind !== 'Ident' || !isUnbufferedMake(pass, rhs)) return;
    const o = pass.types.objectOf(lhs);
    if (o && o.varKind !== undefined && o.varKind !== 'local') return;
    const key = refKey(pass, lhs);
    if (key !== undefined) out.push({ id: lhs, make: unparen(rhs) as ast.CallExpr, key });
  };
  // `cl := &call{path: p, done: make(chan result)}`: a local struct carrying the channel.
  const addLit = (lhs: ast.Expr, rhs: ast.Expr) => {
    let v = unparen(rhs);
    if (v.kind === 'UnaryExpr' && v.op === '&') v = unparen(v.x);
    if (lhs.kind !== 'Ident' || v.kind !== 'CompositeLit') return;
    const o = pass.types.objectOf(lhs);
    if (o && o.varKind !== undefined && o.varKind !== 'local') return;
    const base = refKey(pass, lhs);
    if (base === undefined) return;
    for (const el of v.elts ?? []) {
      if (el.kind !== 'KeyValueExpr' || unparen(el.key).kind !== 'Ident' || !isUnbufferedMake(pass, el.value)) continue;
      const field = (unparen(el.key) as ast.Ident).name;
      out.push({ id: lhs, make: unparen(el.value) as ast.CallExpr, key: `${base}.${field}`, field });
    }
  };
  walkSameFunc(body, (x) => {
    if (x.kind === 'AssignStmt' && x.lhs.length === x.rhs.length) x.lhs.forEach((l, i) => (add(l, x.rhs[i]!), addLit(l, x.rhs[i]!)));
    else if (x.kind === 'ValueSpec' && x.values && x.values.length === x.names.length) x.names.forEach((n, i) => (add(n, x.values![i]!), addLit(n, x.values![i]!)));
    return true;
  });
  return out;
}

/**
 * A send that can wait forever: not a case of a select that has another case or a default, or
 * one whose other cases only come round again (`for { select { case done <- b: return; case
 * <-tick.C: log.Printf("not collected yet") } }`): they neither return nor leave the endless
 * loop around the select, so the goroutine keeps offering the value.
 */
function blockingSend(pass: Pass, s: ast.SendStmt, parents: ReadonlyMap<ast.Node, ast.Node>): boolean {
  const clause = parents.get(s);
  if (clause?.kind !== 'CommClause' || clause.comm !== s) return true;
  const body = parents.get(clause);
  if ((body?.kind === 'BlockStmt' ? body.list?.length ?? 0 : 0) <= 1) return true;
  const sel = body ? parents.get(body) : undefined;
  const block = sel ? parents.get(sel) : undefined;
  const loop = block ? parents.get(block) : undefined;
  if (sel?.kind !== 'SelectStmt' || block?.kind !== 'BlockStmt' || loop?.kind !== 'ForStmt' || loop.cond || loop.body !== block) return false;
  if (((body as ast.BlockStmt).list ?? []).some((c) => c !== clause && (c.kind !== 'CommClause' || !c.comm))) return false;
  // Nothing in the loop but the send's own case leaves it (a `case <-ctx.Done(): return` in
  // another select of the loop ends the goroutine once it comes round).
  let leaves = false;
  walkNode(loop.body, (x) => {
    if (leaves || x.kind === 'FuncLit' || x === clause) return false;
    if (x.kind === 'ReturnStmt' || (x.kind === 'BranchStmt' && (x.label || x.tok === 'goto'))) leaves = true;
    if (x.kind === 'CallExpr' && endsFlow(pass, x)) leaves = true;
    return !leaves;
  });
  return !leaves;
}

/** Whether the statement after a send (in its list, or first in its select case) is a return. */
function returnsAfterSend(body: ast.BlockStmt, send: ast.SendStmt): boolean {
  let found = false;
  walkNode(body, (x) => {
    if (found) return false;
    if (x.kind === 'CommClause' && x.comm === send) found = x.body?.[0]?.kind === 'ReturnStmt';
    else {
      const list = x.kind === 'BlockStmt' ? x.list : x.kind === 'CaseClause' ? x.body : null;
      const i = list ? list.indexOf(send) : -1;
      if (i >= 0) found = list![i + 1]?.kind === 'ReturnStmt';
    }
    return !found;
  });
  return found;
}

/** Whether a body closes the channel written `text` (`close(s.quit)`), also in a deferred call or literal. */
function closesField(body: ast.BlockStmt, file: PassFile, text: string): boolean {
  return nodeContains(body, (x) => {
    if (x.kind !== 'CallExpr' || x.args?.length !== 1) return false;
    const f = unparen(x.fun);
    return f.kind === 'Ident' && f.name === 'close' && textOf(file, x.args[0]!) === text;
  });
}

/**
 * A send whose select's only other ways out are receives from channel fields (`case out <- r:`
 * beside `case <-s.quit:` or `case <-c.closing:`): fields of a long-lived owner, closed when it
 * shuts down, not when this call gives up. The field expression, or undefined. A default case, a
 * timer, a context's Done() or a local channel is a way out of its own.
 */
function lingeringSend(pass: Pass, s: ast.SendStmt, parents: ReadonlyMap<ast.Node, ast.Node>): ast.SelectorExpr | undefined {
  const clause = parents.get(s);
  if (clause?.kind !== 'CommClause' || clause.comm !== s) return undefined;
  const body = parents.get(clause);
  if (body?.kind !== 'BlockStmt' || (body.list?.length ?? 0) < 2) return undefined;
  let field: ast.SelectorExpr | undefined;
  for (const c of body.list ?? []) {
    if (c === clause) continue;
    if (c.kind !== 'CommClause' || !c.comm) return undefined;
    const e = c.comm.kind === 'ExprStmt' ? c.comm.x : c.comm.kind === 'AssignStmt' && c.comm.rhs.length === 1 ? c.comm.rhs[0]! : undefined;
    const r = e ? unparen(e) : undefined;
    if (r?.kind !== 'UnaryExpr' || r.op !== '<-') return undefined;
    const x = unparen(r.x);
    if (x.kind !== 'SelectorExpr') return undefined;
    let t = pass.types.typeOf(x.x);
    if (t?.kind === 'pointer') t = t.elem;
    if (!t || (t.kind === 'named' && t.pkg === 'time')) return undefined;
    field ??= x;
  }
  return field;
}

interface Sender {
  /** The go statement, or for `wg.Go(f)` one standing for `go f()`. */
  go: ast.GoStmt;
  /** The statement of the function that starts the goroutine (a CFG entry: where paths start). */
  at: ast.Node;
  target: GoTarget;
  /** Every send on the channel in the goroutine. */
  sends: ast.SendStmt[];
  /** The ones that can block. */
  blocking: ast.SendStmt[];
  /** Other channels the goroutine sends on or closes: its result may go there instead, or it is done. */
  others: string[];
  /** Sends whose select waits otherwise only on an owner's channel field (see lingeringSend), with that field. */
  lingering: Map<ast.SendStmt, ast.SelectorExpr>;
}

/** A goroutine start: a go statement, or `wg.Go(f)` (Go 1.25) as the statement holding it. */
interface Launch {
  go: ast.GoStmt;
  at: ast.Node;
}

/** The go statements, `wg.Go(f)` statements and dropped-result `time.AfterFunc`/`context.AfterFunc` statements of a body's own code. */
function launchesIn(pass: Pass, body: ast.BlockStmt): Launch[] {
  const out: Launch[] = goStmtsIn(body).map((go) => ({ go, at: go }));
  if (!pass.typesKnown) return out;
  for (const a of afterFuncLaunches(pass, body)) out.push({ go: a.go, at: a.at });
  walkSameFunc(body, (x) => {
    if (x.kind !== 'ExprStmt' || unparen(x.x).kind !== 'CallExpr') return true;
    const gg = groupGoOf(pass, unparen(x.x) as ast.CallExpr);
    if (gg?.fn?.kind === 'FuncLit') {
      const call: ast.CallExpr = { kind: 'CallExpr', fun: gg.fn, lparen: gg.call.lparen, args: null, ellipsis: -1, rparen: gg.call.rparen };
      out.push({ go: { kind: 'GoStmt', go: gg.call.lparen, call }, at: x });
    }
    return true;
  });
  return out;
}

function senderOf(pass: Pass, launch: Launch, key: string): Sender | undefined {
  const go = launch.go;
  // Also a function of another package of the module that sends (`go probe.Check(ctx, d, t, ch)`).
  const local = goTarget(pass, go);
  const target = local?.fn.body && pass.fileOf(local.fn) ? local : moduleGoTarget(pass, go, '<-');
  if (!target?.fn.body) return undefined;
  const subst = targetSubst(pass, target);
  const parents = new Map<ast.Node, ast.Node>();
  const sends: ast.SendStmt[] = [];
  const others: string[] = [];
  const otherSends: { key: string; node: ast.SendStmt }[] = [];
  const stack: ast.Node[] = [];
  // A parent map for the sends' select context.
  const walk = (n: ast.Node): void => {
    if (stack.length > 0) parents.set(n, stack[stack.length - 1]!);
    if (n.kind === 'SendStmt') {
      const k = refKey(pass, n.chan, subst);
      if (sameRefKey(k, key)) sends.push(n);
      else if (k !== undefined) {
        others.push(k);
        otherSends.push({ key: k, node: n });
      }
    } else if (n.kind === 'CallExpr' && n.args?.length === 1 && unparen(n.fun).kind === 'Ident' && (unparen(n.fun) as ast.Ident).name === 'close') {
      // A channel the goroutine closes is a completion signal too.
      const k = refKey(pass, n.args[0]!, subst);
      if (k !== undefined && !sameRefKey(k, key)) others.push(k);
    }
    stack.push(n);
    inspectChildren(n, walk);
    stack.pop();
  };
  walk(target.fn.body);
  if (sends.length === 0) return undefined;
  // `errc <- err; out <- v`: a value on another channel sent before this one on the same path says
  // nothing about this send being done, so receiving it does not release the goroutine.
  let kept = others;
  if (otherSends.length > 0) {
    const g = cfgOf(pass, target.fn);
    // Only a channel every send of which goes on to this one: `if err != nil { errc <- err; return }`
    // beside `out <- v` is an either-or, and receiving errc does mean the goroutine is done.
    const before = new Set<string>();
    const after = new Set<string>();
    if (g) {
      for (const o of otherSends) {
        if (g.locate(o.node) && sends.some((sn) => g.locate(sn) && g.canReach(o.node, sn))) before.add(o.key);
        else after.add(o.key);
      }
    }
    for (const k of after) before.delete(k);
    if (before.size > 0) kept = others.filter((k) => !before.has(k));
  }
  const blocking = sends.filter((sn) => blockingSend(pass, sn, parents));
  const lingering = new Map<ast.SendStmt, ast.SelectorExpr>();
  for (const sn of sends) {
    const field = blocking.includes(sn) ? undefined : lingeringSend(pass, sn, parents);
    if (field) lingering.set(sn, field);
  }
  return { go, at: launch.at, target, sends, blocking, others: kept, lingering };
}

function inspectChildren(n: ast.Node, f: (c: ast.Node) => void): void {
  forEachChild(n, f);
}

/**
 * Whether the channel is used only in ways this function can see through: its make, receives in
 * the function's own flow or in a deferred literal, range, close/len/cap, and the go statements of
 * its senders. Returns 'escapes', 'deferred-receive' or 'local'.
 */
function channelUse(pass: Pass, body: ast.BlockStmt, m: UnbufferedMake, senders: readonly Sender[]): 'escapes' | 'deferred-receive' | 'local' {
  const allowed = new Set<ast.Node>([m.id]);
  // For a field of a local struct, the struct itself may be used only to select its fields
  // (`cl.path`, `cl.done`): handed anywhere, it takes the channel along.
  const viaSelector = new Set<ast.Node>();
  if (m.field) {
    // A method called on it (`bs.Run(ctx)`) is handed the whole struct, channel included.
    const called = new Set<ast.Node>();
    inspectChildren(body, function mark(n: ast.Node): void {
      if (n.kind === 'CallExpr') called.add(unparen(n.fun));
      if (n.kind === 'SelectorExpr' && unparen(n.x).kind === 'Ident' && !called.has(n)) viaSelector.add(unparen(n.x));
      inspectChildren(n, mark);
    });
  }
  let deferredReceive = false;
  const senderLits = new Set<ast.Node>(senders.map((s) => s.target.fn));
  for (const s of senders) for (const a of s.go.call.args ?? []) allowed.add(unparen(a));
  const ownFlow = new Set<ast.Node>();
  walkSameFunc(body, (x) => void ownFlow.add(x));
  let escapes = false;
  const visit = (n: ast.Node, inDeferredLit: boolean): void => {
    if (escapes) return;
    if (senderLits.has(n)) return; // the sender's own uses are sends
    if (n.kind === 'DeferStmt' && unparen(n.call.fun).kind === 'FuncLit') {
      inspectChildren(n, (c) => visit(c, true));
      return;
    }
    if (n.kind === 'UnaryExpr' && n.op === '<-' && sameRefKey(refKey(pass, n.x), m.key)) {
      if (inDeferredLit) deferredReceive = true;
      else if (!ownFlow.has(n)) escapes = true;
      return;
    }
    if (n.kind === 'RangeStmt' && sameRefKey(refKey(pass, n.x), m.key)) {
      if (!ownFlow.has(n)) escapes = true;
      inspectChildren(n.body, (c) => visit(c, inDeferredLit));
      return;
    }
    if (n.kind === 'CallExpr') {
      const f = unparen(n.fun);
      if (f.kind === 'Ident' && ['close', 'len', 'cap'].includes(f.name) && n.args?.length === 1 && sameRefKey(refKey(pass, n.args[0]!), m.key)) return;
    }
    if (n.kind === 'Ident' && !allowed.has(n) && sameRefKey(refKey(pass, n), m.key)) {
      escapes = true;
      return;
    }
    if (m.field && n.kind === 'Ident' && n !== m.id && !viaSelector.has(n) && sameVar(pass, n, m.id)) {
      escapes = true;
      return;
    }
    inspectChildren(n, (c) => visit(c, inDeferredLit));
  };
  inspectChildren(body, (c) => visit(c, false));
  if (escapes) return 'escapes';
  return deferredReceive ? 'deferred-receive' : 'local';
}

/** Loops of the function whose body receives from the channel. */
function receiveLoops(pass: Pass, g: CFG, key: string) {
  return [...g.loops.values()].filter((info) => {
    const st = info.stmt;
    if (st.kind === 'RangeStmt' && sameRefKey(refKey(pass, st.x), key)) return true;
    return nodeContains(st.body, (y) => sameRefKey(receivedChan(pass, y), key));
  });
}

/** The receives of the channel in the function's own code (not in function literals), in source order. */
function receiveSites(pass: Pass, body: ast.BlockStmt, key: string): ast.Node[] {
  const out: ast.Node[] = [];
  walkSameFunc(body, (x) => {
    if (x.kind === 'UnaryExpr' && x.op === '<-' && sameRefKey(receivedChan(pass, x), key)) out.push(x);
    return true;
  });
  return out;
}

/** How many times a loop runs when its header says so with constants (`for i := 0; i < 3; i++`, `range 3`, `range []T{a, b}`). */
function constantTrips(st: ast.Stmt): number | undefined {
  const int = (e: ast.Expr | null): number | undefined => {
    const u = e && unparen(e);
    return u && u.kind === 'BasicLit' && u.tokKind === 'INT' && /^[0-9]+$/.test(u.value) ? Number(u.value) : undefined;
  };
  if (st.kind === 'RangeStmt') {
    const x = unparen(st.x);
    if (x.kind === 'CompositeLit' && x.type?.kind === 'ArrayType' && !(x.elts ?? []).some((e) => e.kind === 'KeyValueExpr')) return (x.elts ?? []).length;
    return int(x);
  }
  const l = countingLoop(st);
  const from = l && int(l.from);
  const to = l && int(l.to);
  if (!l || from === undefined || to === undefined) return undefined;
  return l.op === '<' ? Math.max(0, to - from) : Math.max(0, to - from + 1);
}


/** Whether a branch or return sits under an `if` (inside body) whose condition tests one of the received variables. */
function guardedBy(pass: Pass, body: ast.BlockStmt, exit: ast.Node, vars: readonly ast.Ident[]): boolean {
  if (vars.length === 0) return false;
  return underIf(body, exit, (cond) => nodeContains(cond, (y) => y.kind === 'Ident' && vars.some((v) => sameVar(pass, v, y))));
}


/**
 * Whether a branch or return sits in a case of a select (inside body) that also has a case
 * receiving from the channel: the case taken instead of the receive (`case <-ctx.Done():
 * return`, a timeout, a default) stops receiving for good.
 */
function inOtherCase(pass: Pass, body: ast.BlockStmt, exit: ast.Node, key: string): boolean {
  const at = nodePos(exit);
  let ok = false;
  walkSameFunc(body, (x) => {
    if (ok) return false;
    if (nodePos(x) > at || nodeEnd(x) <= at) return false;
    if (x.kind !== 'SelectStmt') return true;
    const cases = (x.body.list ?? []).filter((c): c is ast.CommClause => c.kind === 'CommClause');
    const receivesCh = (c: ast.CommClause) => !!c.comm && nodeContains(c.comm, (y) => sameRefKey(receivedChan(pass, y), key));
    if (!cases.some(receivesCh)) return true;
    const holder = cases.find((c) => nodePos(c) <= at && at < nodeEnd(c));
    if (holder && !receivesCh(holder)) ok = true;
    return true;
  });
  return ok;
}

/**
 * Whether a branch or return sits in a select case (inside body) whose communication receives
 * from one of the given channels.
 */
function inCaseReceiving(pass: Pass, body: ast.BlockStmt, exit: ast.Node, keys: readonly string[]): boolean {
  const at = nodePos(exit);
  let ok = false;
  walkSameFunc(body, (x) => {
    if (ok) return false;
    if (nodePos(x) > at || nodeEnd(x) <= at) return false;
    if (x.kind === 'CommClause' && x.comm && nodeContains(x.comm, (y) => {
      const r = receivedChan(pass, y);
      return r !== undefined && keys.some((k) => sameRefKey(r, k));
    })) ok = true;
    return true;
  });
  return ok;
}

/**
 * Counters of the channel's receives in a loop body: variables incremented (`n++`, `n += 1`) in
 * a select case that receives from the channel, in the loop body right after a plain receive
 * statement of it, or anywhere at the top of the body of a range over it.
 */
function receiveCounters(pass: Pass, loop: ast.ForStmt | ast.RangeStmt, key: string): ast.Ident[] {
  const body = loop.body;
  const out: ast.Ident[] = [];
  const counted = (st: ast.Stmt): ast.Ident | undefined => {
    // Counting up (`got++`) or down to zero (`pending--`, then `if pending == 0 { break }`).
    if (st.kind === 'IncDecStmt' && unparen(st.x).kind === 'Ident') return unparen(st.x) as ast.Ident;
    if (st.kind === 'AssignStmt' && (st.tok === '+=' || st.tok === '-=') && st.lhs.length === 1 && unparen(st.lhs[0]!).kind === 'Ident') return unparen(st.lhs[0]!) as ast.Ident;
    return undefined;
  };
  const scan = (list: readonly ast.Stmt[]) => {
    for (const st of list) {
      const id = counted(st);
      if (id) out.push(id);
    }
  };
  // A range over the channel receives at its head: the whole body comes after a receive
  // (`for v := range ch { got[n] = v; n++; if n == total { break } }`).
  if (loop.kind === 'RangeStmt' && sameRefKey(refKey(pass, loop.x), key)) scan(body.list ?? []);
  walkSameFunc(body, (x) => {
    if (x.kind === 'CommClause' && x.comm && nodeContains(x.comm, (y) => sameRefKey(receivedChan(pass, y), key))) scan(x.body ?? []);
    if (x.kind === 'BlockStmt') {
      const list = x.list ?? [];
      list.forEach((st, i) => {
        if (st.kind !== 'CommClause' && nodeContains(st, (y) => sameRefKey(receivedChan(pass, y), key)) && st.kind !== 'SelectStmt') scan(list.slice(i + 1));
      });
    }
    return true;
  });
  return out;
}

/**
 * Blocks that leave a receive loop once its receives have been counted: a return or break under
 * an `if` testing a counter of the channel's receives (`if n == 2 { return }`). Like the loop's
 * own condition (`for got < 2`), such an exit is how the loop stops after the last receive.
 */
function countedExits(pass: Pass, g: CFG, loops: readonly LoopInfo[], key: string): Set<Block> {
  const out = new Set<Block>();
  for (const l of loops) {
    const counters = receiveCounters(pass, l.stmt, key);
    if (counters.length === 0) continue;
    for (const e of g.loopExits(l.stmt).exits) {
      if (e.via && guardedBy(pass, l.stmt.body, e.via, counters)) out.add(e.from);
    }
  }
  // Leaving early after joining the rest: right before the exit, a loop on the same condition as
  // the receive loop's receives what is left (`case <-quit: for ; i < 2; i++ { total += <-event
  // }; return`, docker's TCP proxy): the exit comes once every expected value was received.
  for (const l of loops) {
    if (l.stmt.kind !== 'ForStmt' || !l.stmt.cond) continue;
    const cond = l.stmt.cond;
    for (const e of g.loopExits(l.stmt).exits) {
      if (!e.via) continue;
      const list = listHolding(l.stmt.body, e.via as ast.Stmt);
      const k = list.indexOf(e.via as ast.Stmt);
      if (k <= 0) continue;
      const joins = list.slice(0, k).some((st) => {
        if (st.kind !== 'ForStmt' || st.init || !st.cond || !sameExpr(st.cond, cond)) return false;
        // Every iteration receives: a statement of its body itself, and nothing leaves it early.
        const receivesEach = (st.body.list ?? []).some((x) => (x.kind === 'ExprStmt' || x.kind === 'AssignStmt') && nodeContains(x, (y) => sameRefKey(receivedChan(pass, y), key)));
        let leaves = false;
        walkSameFunc(st.body, (x) => {
          if (x.kind === 'BranchStmt' || x.kind === 'ReturnStmt') leaves = true;
          return !leaves;
        });
        return receivesEach && !leaves;
      });
      if (joins) out.add(e.from);
    }
  }
  return out;
}

/** How the parent leaves on a path: the select case it takes, the return, or neither. */
function describeLeave(pass: Pass, file: PassFile, path: readonly Block[], key: string, fname: string, ch: string): { text: string; node?: ast.Node; note: string } {
  // The last select on the path that takes another case is the one that gives up on the channel.
  for (const b of [...path].reverse()) {
    if (b.kind !== 'select.case' || b.stmt?.kind !== 'CommClause') continue;
    const cc = b.stmt;
    const comm = cc.comm;
    if (!comm || nodeContains(comm, (y) => sameRefKey(receivedChan(pass, y), key))) continue;
    const sel = b.preds[0]?.control;
    const selLine = sel ? lineOf(file, sel) : lineOf(file, cc);
    let what: string;
    if (comm.kind === 'ExprStmt') what = textOf(file, comm.x);
    else if (comm.kind === 'AssignStmt' && comm.rhs[0]) what = textOf(file, comm.rhs[0]);
    else what = textOf(file, comm);
    return {
      text: `when the select on line ${selLine} takes its ${what} case, ${fname} returns without receiving`,
      node: cc,
      note: `${fname} stops waiting for ${ch} here`,
    };
  }
  const ret = returnOfPath(path);
  if (ret) return { text: `the return on line ${lineOf(file, ret)} leaves before receiving from ${ch}`, node: ret, note: `returns without receiving from ${ch}` };
  return { text: `${fname} can return without receiving from ${ch}`, note: '' };
}

const CANCELLING_CONTEXTS = new Set(['context.WithCancel', 'context.WithTimeout', 'context.WithDeadline', 'context.WithCancelCause', 'context.WithTimeoutCause', 'context.WithDeadlineCause']);

/**
 * Whether every blocking send of the goroutine body sits in a case of a select that has another
 * case receiving `ctx.Done()`, for a context made in `parent` whose cancel function a statement of
 * `parent`'s body defers before the go statement.
 */
function cancelledOnReturn(pass: Pass, parent: ast.BlockStmt, goPos: number, body: ast.BlockStmt, sends: readonly ast.Node[]): boolean {
  // Contexts of parent whose cancel it defers.
  const cancels = new Map<unknown, unknown>();
  walkSameFunc(parent, (x) => {
    if (x.kind === 'AssignStmt' && x.lhs.length === 2 && x.rhs.length === 1) {
      const r = unparen(x.rhs[0]!);
      const ctx = unparen(x.lhs[0]!);
      const cancel = unparen(x.lhs[1]!);
      if (r.kind === 'CallExpr' && CANCELLING_CONTEXTS.has(pass.types.callee(r)?.name ?? '') && ctx.kind === 'Ident' && cancel.kind === 'Ident') {
        const co = pass.types.objectOf(ctx);
        const fo = pass.types.objectOf(cancel);
        if (co && fo) cancels.set(co, fo);
      }
    }
    return true;
  });
  if (cancels.size === 0) return false;
  // Deferred by a statement of the body itself before the goroutine starts: every way out after
  // the go statement runs it.
  const deferred = new Set<unknown>();
  for (const x of parent.list ?? []) {
    if (nodePos(x) >= goPos) break;
    if (x.kind !== 'DeferStmt') continue;
    const f = unparen(x.call.fun);
    if (f.kind === 'Ident') deferred.add(pass.types.objectOf(f));
    else if (f.kind === 'FuncLit') {
      walkSameFunc(f.body, (y) => {
        if (y.kind === 'CallExpr' && unparen(y.fun).kind === 'Ident') deferred.add(pass.types.objectOf(unparen(y.fun) as ast.Ident));
        return true;
      });
    }
  }
  const wakes = (c: ast.CommClause): boolean => {
    let hit = false;
    if (c.comm) walkNode(c.comm, (y) => {
      if (hit) return false;
      if (y.kind === 'CallExpr') {
        const f = unparen(y.fun);
        if (f.kind === 'SelectorExpr' && f.sel.name === 'Done' && unparen(f.x).kind === 'Ident') {
          const o = pass.types.objectOf(unparen(f.x) as ast.Ident);
          if (o && cancels.has(o) && deferred.has(cancels.get(o))) hit = true;
        }
      }
      return !hit;
    });
    return hit;
  };
  const selects: ast.SelectStmt[] = [];
  walkSameFunc(body, (x) => {
    if (x.kind === 'SelectStmt') selects.push(x);
    return true;
  });
  return sends.length > 0 && sends.every((snd) => selects.some((sel) => {
    const clauses = (sel.body.list ?? []).filter((c): c is ast.CommClause => c.kind === 'CommClause');
    const home = clauses.find((c) => nodePos(c) <= nodePos(snd) && nodePos(snd) < nodeEnd(c));
    return !!home && home.comm !== null && !nodeContains(home.comm, (y) => y === snd) && clauses.some((c) => c !== home && wakes(c));
  }));
}

function fixFor(file: PassFile, m: UnbufferedMake): FixInput {
  const args = m.make.args!;
  const t = textOf(file, args[0]!);
  if (args.length === 2) return { message: `buffer ${chanText(m)}: make(${t}, 1)`, edits: [{ node: args[1]!, newText: '1' }] };
  return { message: `buffer ${chanText(m)}: make(${t}, 1)`, edits: [{ range: { pos: nodeEnd(args[0]!), end: nodeEnd(args[0]!) }, newText: ', 1' }] };
}

function check(pass: Pass, file: PassFile, fn: FuncNode, enclosing: readonly FuncNode[]): void {
  if (!fn.body) return;
  // The program's main: when it returns the process ends, and no goroutine outlives it to leak.
  if (fn.kind === 'FuncDecl' && !fn.recv && fn.name.name === 'main' && pass.pkg.name === 'main' && !file.test) return;
  const makes = unbufferedMakes(pass, fn.body);
  if (makes.length === 0) return;
  const gos = launchesIn(pass, fn.body);
  if (gos.length === 0) return;
  const g = cfgOf(pass, fn);
  if (!g) return;
  const fname = funcName(file, fn);
  for (const m of makes) {
    const senders = gos.map((go) => senderOf(pass, go, m.key)).filter((s): s is Sender => !!s && g.locate(s.at) !== undefined);
    if (senders.length === 0) continue;
    const use = channelUse(pass, fn.body, m, senders);
    if (use !== 'local' && use !== 'escapes') continue;
    // The function defers close(ch): a sender left behind panics on the closed channel instead of
    // blocking, which is defer-close-chan-with-sender's finding.
    if (deferredCloses(pass, fn.body).some((c) => sameRefKey(c.key, m.key))) continue;
    // Goroutines that also receive from the channel talk to each other, not to this function.
    if (senders.some((x) => nodeContains(x.target.fn.body!, (y) => sameRefKey(receivedChan(pass, y, targetSubst(pass, x.target)), m.key)))) continue;
    if (use === 'escapes') {
      if (!checkReturnedWithout(pass, file, fn, m, senders)) checkReturned(pass, file, fn, m, senders);
      continue;
    }
    const loops = receiveLoops(pass, g, m.key);
    const drainHeads = new Set<ast.Node>(loops.flatMap(loopHeadEntries));
    // A range over the channel has no entry at its head (the operand is evaluated before the
    // loop), so its head block itself counts as a receive: the loop ends only when the channel is
    // closed, and coming round to it from the body receives again.
    const drainHeaders = new Set<Block>(loops.filter((l) => l.stmt.kind === 'RangeStmt' && sameRefKey(refKey(pass, l.stmt.x), m.key)).map((l) => l.header));
    const receives = (n: ast.Node) => drainHeads.has(n) || nodeContains(n, (y) => sameRefKey(receivedChan(pass, y), m.key));
    // With several senders, a range over the channel that a break or return can leave is no
    // drain: it stops receiving early and strands the senders not yet received from.
    // An exit taken once the receives have been counted (`if n == total { break }`) is how such a
    // loop ends, not an early one.
    const counted = countedExits(pass, g, loops, m.key);
    const leaky = new Set(loops.filter((l) => l.stmt.kind === 'RangeStmt' && sameRefKey(refKey(pass, l.stmt.x), m.key) && g.loopExits(l.stmt).exits.some((e) => !counted.has(e.from))));
    const multiHeads = new Set<ast.Node>(loops.filter((l) => !leaky.has(l)).flatMap(loopHeadEntries));
    const multiHeaders = new Set<Block>([...drainHeaders].filter((b) => ![...leaky].some((l) => l.header === b)));
    for (const b of counted) {
      drainHeaders.add(b);
      multiHeaders.add(b);
    }
    const receivesMulti = (n: ast.Node) => multiHeads.has(n) || nodeContains(n, (y) => sameRefKey(receivedChan(pass, y), m.key));
    const ch = chanText(m);
    const handler = [fn, ...enclosing].map((f) => requestHandler(pass, file, f)).find((h) => h);
    const byName = m.key.startsWith('?') || !pass.typesKnown;
    for (const s of senders) {
      // A send whose only way out is the owner's shutdown counts when no send blocks outright.
      const lingers = s.blocking.length === 0;
      const blocking = lingers ? [...s.lingering.keys()] : s.blocking;
      if (blocking.length === 0) continue;
      // The goroutine starts several times for one channel: a loop around the go statement but not around the make.
      const makeBlock = g.locate(m.make)?.block;
      const goLoops = g.loopsContaining(g.locate(s.at)!.block).filter((l) => !makeBlock || !l.members.has(makeBlock));
      // Several go statements sending on the one channel are several senders too.
      const send = blocking[0]!;
      // One goroutine sending in a loop (a producer streaming lines or events) is several sends:
      // a receive loop left early strands it on its next send.
      // A send in a loop that returns right after it (`for { select { case done <- b: return; case
      // <-tick.C: } } }`) is one value offered again and again, not a stream.
      const streams = goLoops.length === 0 && senders.length === 1 && blocking.some((b) => loopDepthIn(s.target.fn.body!, b) > 0 && !returnsAfterSend(s.target.fn.body!, b));
      const goInLoop = goLoops.length > 0 || senders.length > 1 || streams;
      // A receive from another channel the goroutine sends on or closes means its result went there, or it is done.
      // The loop that starts the goroutines is no drain of them, even when it also receives
      // (`for i := 0; i < 2; i++ { if i > 0 { select { case rep := <-ch: return ...; case
      // <-time.After(d): } }; go send() }`, a hedged request): coming round it starts another
      // sender rather than receiving the last one's value.
      // A range over the channel itself still receives at its head (`for j := range queue { go
      // handle(j, queue) }`).
      const starters = goLoops.filter((l) => !(l.stmt.kind === 'RangeStmt' && sameRefKey(refKey(pass, l.stmt.x), m.key)));
      const startHeads = new Set<ast.Node>(starters.flatMap(loopHeadEntries));
      const startHeaders = new Set<Block>(starters.map((l) => l.header));
      const recv = goInLoop ? (n: ast.Node) => (!startHeads.has(n) && multiHeads.has(n)) || nodeContains(n, (y) => sameRefKey(receivedChan(pass, y), m.key)) : receives;
      const headers = goInLoop ? new Set([...multiHeaders].filter((b) => !startHeaders.has(b))) : drainHeaders;
      const avoid = s.others.length === 0 ? recv : (n: ast.Node) => recv(n) || nodeContains(n, (y) => {
        const r = receivedChan(pass, y);
        return r !== undefined && s.others.some((k) => sameRefKey(r, k));
      });
      let path = g.findPath(s.at, 'exit', { avoid, avoidBlock: (b) => headers.has(b) });
      let leave: { text: string; node?: ast.Node; note: string } | undefined;
      // In tests the abandoning path is usually a failure path (a timeout case that fails the test).
      let confidence: 'high' | 'medium' = byName || file.test ? 'medium' : 'high';
      let multi = false;
      let watches = false;
      let cancelled = false;
      if (path) {
        leave = describeLeave(pass, file, path, m.key, fname, ch);
        // The parent leaves on a channel the goroutine also watches (`case <-done: return` in
        // both): the goroutine normally sees it too and stops; it is stranded only when it has
        // already started its send. A race, not the common path: medium confidence.
        const comm = leave.node?.kind === 'CommClause' ? leave.node.comm : undefined;
        const recvExpr = comm?.kind === 'ExprStmt' ? comm.x : comm?.kind === 'AssignStmt' ? comm.rhs[0] : undefined;
        const leaveKey = recvExpr ? receivedChan(pass, unparen(recvExpr)) : undefined;
        // Only a send inside a case of a select that also has a case on that channel counts
        // (`for { select { case <-done: return; case <-timeout: errs <- err } }`): a check made
        // once before a long computation does not.
        const subst = targetSubst(pass, s.target);
        const watching = (sel: ast.SelectStmt) =>
          (sel.body.list ?? []).some((c) => c.kind === 'CommClause' && !!c.comm && nodeContains(c.comm, (y) => sameRefKey(receivedChan(pass, y, subst), leaveKey!)));
        let inWatchingSelect = false;
        if (leaveKey) walkSameFunc(s.target.fn.body!, (x) => {
          if (inWatchingSelect) return false;
          if (x.kind === 'SelectStmt' && watching(x) && blocking.some((b) => nodePos(x) <= nodePos(b) && nodePos(b) < nodeEnd(x))) inWatchingSelect = true;
          return true;
        });
        if (leaveKey && inWatchingSelect) {
          watches = true;
          confidence = 'medium';
        }
        // The send is a case's work in a select that also waits on the done channel of a context
        // whose cancel this function defers (`case <-time.After(d): out <- errTimeout` beside
        // `case <-resetCtx.Done():`): the return wakes the goroutine there, and it is stranded only
        // if it chose the sending case first. A race, as above: medium.
        if (!watches && s.target.fn.kind === 'FuncLit' && fn.body && cancelledOnReturn(pass, fn.body, nodePos(s.at), s.target.fn.body!, blocking)) {
          cancelled = true;
          confidence = 'medium';
        }
      }
      else if (goInLoop) {
        // Several senders, one receive per iteration: a receive loop left early strands the rest.
        for (const l of loops) {
          if (l.members.has(g.locate(s.at)!.block)) continue;
          const got = receivedVars(pass, l.stmt.body, m.key);
          // An exit on a received value (`if err := <-errc; err != nil { return err }`) is often a
          // deliberate abort: medium. One in another select case (`case <-ctx.Done(): return`)
          // is the textbook leak.
          let onValue = false;
          const early = g.loopExits(l.stmt).exits.find((e) => {
            if (e.via?.kind !== 'ReturnStmt' && e.via?.kind !== 'BranchStmt') return false;
            // An exit taken after counting (or joining) every receive is not early.
            if (counted.has(e.from)) return false;
            // The one producer's last word (`errs <- err; return`, or a close) received in the case
            // that leaves: it sends nothing more.
            if (streams && s.others.length > 0 && inCaseReceiving(pass, l.stmt.body, e.via, s.others)) return false;
            if (inOtherCase(pass, l.stmt.body, e.via, m.key)) return true;
            onValue = guardedBy(pass, l.stmt.body, e.via, got);
            // `if ev.done { return }` where the producer's last statement sends `progress{done: true}`:
            // the exit waits for the final event, after which the producer sends nothing more.
            if (onValue && streams && finalEventTested(pass, l.stmt.body, e.via, got, s.target.fn.body!)) return false;
            return onValue;
          });
          if (!early || !g.canReach(s.at, l.header)) continue;
          path = [early.from];
          const via = early.via!;
          leave = {
            text: `the ${via.kind === 'ReturnStmt' ? 'return' : (via as ast.BranchStmt).tok} on line ${lineOf(file, via)} leaves before receiving from ${ch} ${streams ? 'everything the goroutine sends' : 'once per sender'}`,
            node: via,
            note: `leaves the receive loop on line ${lineOf(file, l.stmt)} early`,
          };
          if (onValue) confidence = 'medium';
          multi = true;
          break;
        }
      }
      if (!path && !leave && goLoops.length > 0 && loops.length === 0) {
        // Started once per iteration, received a fixed number of times after the loop: the
        // first result wins and the senders after it are never received from.
        const sites = receiveSites(pass, fn.body, m.key);
        const outer = goLoops[goLoops.length - 1]!;
        const trips = goLoops.reduce<number | undefined>((acc, l) => {
          const t = constantTrips(l.stmt);
          return acc === undefined || t === undefined ? undefined : acc * t;
        }, 1);
        if (sites.length > 0 && (trips === undefined || trips > sites.length)) {
          path = [g.locate(s.at)!.block];
          const first = sites[0]!;
          leave = {
            text: `the loop on line ${lineOf(file, outer.stmt)} starts ${trips === undefined ? 'a goroutine per iteration' : `${trips} goroutines`} but ${fname} receives from ${ch} only ${sites.length === 1 ? 'once' : `${sites.length} times`} (line ${lineOf(file, first)})`,
            node: first,
            note: 'the only receive',
          };
          if (sites.length > 1) leave.note = 'the first of the receives';
          multi = true;
        }
      }
      if (!path || !leave) continue;
      // Waiting for the owner's shutdown: no leak when the parent leaves on that same channel,
      // or closes it itself; otherwise one goroutine per call lingers until the owner stops.
      let quit: string | undefined;
      if (lingers) {
        const field = s.lingering.get(send)!;
        const fieldText = textOf(pass.fileOf(field) ?? file, field);
        if (s.target.pkg || watches || closesField(fn.body!, file, fieldText)) continue;
        quit = fieldText;
        confidence = 'medium';
      }
      const fixable = !goInLoop && s.sends.length === 1 && blocking.length === 1 && loopDepthIn(s.target.fn.body!, send) === 0;
      const typeText = textOf(file, m.make.args![0]!);
      // A sender of another package is named by its call: its nodes have no line here.
      const sendAt = s.target.pkg ? `in ${textOf(file, s.go.call.fun)}, package ${s.target.pkg}` : `line ${lineOf(file, send)}`;
      const related: RelatedInput[] = [
        ...(s.target.pkg ? [] : [{ node: send, message: `the goroutine blocks here when nobody receives` }]),
        { node: s.at, message: goroutineStartNote(s.go) },
      ];
      if (leave.node && leave.note) related.push({ node: leave.node, message: leave.note });
      const per = quit ? `one goroutine per ${handler ? 'request' : 'call'} held until then` : handler ? 'one leaked goroutine per request' : 'one leaked goroutine per call';
      pass.report({
        node: m.make,
        file,
        severity: handler ? 'critical' : undefined,
        confidence,
        message: `${fname} makes ${ch} unbuffered, and ${goroutineText(file, s.go)} sends ${streams ? 'values' : 'its result'} on it (${sendAt}); ${leave.text}, so ${quit ? `the goroutine blocks on the send until ${quit} is closed, which only the owner's shutdown does` : streams ? 'the goroutine blocks forever on its next send' : `${multi ? 'the goroutines not yet received from block' : 'the goroutine blocks'} forever on the send`}${watches ? ' if it has already started it (it watches the same channel)' : cancelled ? ' if it has already chosen that case (otherwise the return cancels the context it waits on)' : ''}: ${per}${handler ? ` (${fname} is ${/^[aeiou]/i.test(handler.framework) ? 'an' : 'a'} ${handler.framework})` : ''}; ${fixable ? `buffer the channel (make(${typeText}, 1))` : `give the channel room for every sender`} or select on ctx.Done() in the sender`,
        related,
        ...(fixable ? { fixes: [fixFor(file, m)] } : {}),
      });
      break;
    }
  }
}

/**
 * `func (f *Fetcher) startFetch(...) <-chan result { ch := make(chan result); go func() { ...; ch
 * <- r }(); return ch }`: the channel is handed to the caller, and a caller of the package that
 * receives from it in a select with another way out (`case <-ctx.Done(): return`) strands the
 * goroutine on its send. The channel must be used only to be returned, and the goroutine must
 * send once, unconditionally blocking.
 */
/**
 * The channel escapes only as a result of the function (`return out, nil`), but a return after the
 * go statement leaves without it (`if err := c.checkQuota(ctx); err != nil { return nil, err }`):
 * on that path nothing else holds the channel, so the goroutine's first send waits forever.
 * Reported, and true, when such a return exists.
 */
function checkReturnedWithout(pass: Pass, file: PassFile, fn: FuncNode, m: UnbufferedMake, senders: readonly Sender[]): boolean {
  if (fn.kind !== 'FuncDecl' || !fn.body || senders.length !== 1) return false;
  const s = senders[0]!;
  if (s.target.pkg || s.blocking.length === 0) return false;
  const g = cfgOf(pass, fn);
  if (!g || g.loopsContaining(g.locate(s.at)!.block).length > 0) return false;
  // Every other mention of the channel is a result of a return (or an argument of the go call).
  const senderLits = new Set<ast.Node>([s.target.fn]);
  const withIt = new Set<ast.ReturnStmt>();
  let other = false;
  const visit = (n: ast.Node, parent: ast.Node): void => {
    if (other || senderLits.has(n)) return;
    if (n.kind === 'Ident' && n !== m.id && sameRefKey(refKey(pass, n), m.key)) {
      if (parent.kind === 'ReturnStmt' && (parent.results ?? []).some((r) => unparen(r) === n)) withIt.add(parent);
      else if (!(s.go.call.args ?? []).some((a) => unparen(a) === n)) other = true;
      return;
    }
    forEachChild(n, (c) => visit(c, n));
  };
  forEachChild(fn.body, (c) => visit(c, fn.body!));
  if (other || withIt.size === 0) return false;
  // A named result holding the channel would be returned by a bare return: not this shape.
  if ((fn.type.results?.list ?? []).some((f) => (f.names ?? []).length > 0)) return false;
  const without = (n: ast.Node): boolean => n.kind === 'ReturnStmt' && !withIt.has(n);
  const path = g.findPath(s.at, without, { avoid: (n) => withIt.has(n as ast.ReturnStmt) });
  const ret = path?.[path.length - 1]?.nodes.find(without);
  if (!ret) return false;
  const fname = funcName(file, fn);
  const send = s.blocking[0]!;
  const typeText = textOf(file, m.make.args![0]!);
  const returns = [...withIt].sort((a, b) => nodePos(a) - nodePos(b));
  pass.report({
    node: s.go,
    file,
    message: `${fname} makes ${chanText(m)} unbuffered and hands it to its caller only by returning it (line ${lineOf(file, returns[0]!)}), but the return on line ${lineOf(file, ret)} leaves without it after ${goroutineText(file, s.go)} has started: then nobody can ever receive, and the goroutine blocks forever on its send (line ${lineOf(file, send)}), one leaked goroutine per such call; start the goroutine after the checks that can return early, or buffer the channel (make(${typeText}, 1) holds one value) and let the sender stop on ctx.Done()`,
    related: [
      { node: ret, message: `returns without ${chanText(m)}` },
      { node: send, message: 'the goroutine blocks here' },
    ],
  });
  return true;
}

function checkReturned(pass: Pass, file: PassFile, fn: FuncNode, m: UnbufferedMake, senders: readonly Sender[]): void {
  if (fn.kind !== 'FuncDecl' || !fn.body || senders.length !== 1) return;
  const s = senders[0]!;
  if (s.target.pkg || s.blocking.length !== 1 || s.sends.length !== 1 || loopDepthIn(s.target.fn.body!, s.blocking[0]!) > 0) return;
  const g = cfgOf(pass, fn);
  if (!g || g.loopsContaining(g.locate(s.at)!.block).length > 0) return;
  // Every other mention of the channel is a result of a return.
  const senderLits = new Set<ast.Node>([s.target.fn]);
  let returned = false;
  let other = false;
  const visit = (n: ast.Node, parent: ast.Node): void => {
    if (other || senderLits.has(n)) return;
    if (n.kind === 'Ident' && n !== m.id && sameRefKey(refKey(pass, n), m.key)) {
      if (parent.kind === 'ReturnStmt' && (parent.results ?? []).some((r) => unparen(r) === n)) returned = true;
      else if (!(s.go.call.args ?? []).some((a) => unparen(a) === n)) other = true;
      return;
    }
    forEachChild(n, (c) => visit(c, n));
  };
  forEachChild(fn.body, (c) => visit(c, fn.body!));
  if (other || !returned) return;
  const node = callGraphOf(pass).nodeOf(fn);
  for (const e of node?.in ?? []) {
    if (e.kind !== 'call' || e.site.kind !== 'CallExpr') continue;
    const cf = pass.fileOf(e.site);
    const caller = e.caller.body;
    if (!cf || !caller) continue;
    const site = e.site;
    // The receive of the result: `<-f.startFetch(...)` itself, or of the variable it is put in.
    const holder = (() => {
      let v: ast.Ident | undefined;
      walkSameFunc(caller, (x) => {
        if (v) return false;
        if (x.kind === 'AssignStmt' && x.lhs.length === 1 && x.rhs.length === 1 && unparen(x.rhs[0]!) === site && unparen(x.lhs[0]!).kind === 'Ident') v = unparen(x.lhs[0]!) as ast.Ident;
        return !v;
      });
      return v;
    })();
    const isRecv = (y: ast.Node): boolean => {
      if (y.kind !== 'UnaryExpr' || y.op !== '<-') return false;
      const x = unparen(y.x);
      return x === site || (!!holder && x.kind === 'Ident' && sameVar(pass, x, holder));
    };
    let leave: ast.CommClause | undefined;
    let recvClause: ast.CommClause | undefined;
    walkSameFunc(caller, (x) => {
      if (leave || x.kind !== 'SelectStmt') return !leave;
      const clauses = (x.body.list ?? []).filter((c): c is ast.CommClause => c.kind === 'CommClause');
      const home = clauses.find((c) => !!c.comm && nodeContains(c.comm, isRecv));
      if (!home) return true;
      const alt = clauses.find((c) => c !== home && (c.body ?? []).some((st) => st.kind === 'ReturnStmt'));
      if (alt) [leave, recvClause] = [alt, home];
      return !leave;
    });
    if (!leave || !recvClause) continue;
    const fname = funcName(file, fn);
    const cname = funcName(cf, e.caller.decl ?? e.caller.lit!);
    const send = s.blocking[0]!;
    const typeText = textOf(file, m.make.args![0]!);
    pass.report({
      node: m.make,
      file,
      message: `${fname} makes ${chanText(m)} unbuffered and returns it, and ${goroutineText(file, s.go)} sends its result on it (line ${lineOf(file, send)}); ${cname} receives from it in a select whose other case (line ${lineOf(cf, leave)}${cf !== file ? ` of ${cf.path}` : ''}) returns without receiving, so then the goroutine blocks forever on the send: one leaked goroutine per such call; buffer the channel (make(${typeText}, 1)) or select on ctx.Done() in the sender`,
      related: [
        { node: send, message: 'the goroutine blocks here when nobody receives' },
        { node: leave, file: cf, message: 'returns without receiving' },
      ],
      fixes: [fixFor(file, m)],
    });
    return;
  }
}

/** Whether a function's own code calls a method named Go (a wg.Go candidate). */
function callsMethodGo(fn: FuncNode): boolean {
  if (!fn.body) return false;
  let found = false;
  walkSameFunc(fn.body, (x) => {
    if (found) return false;
    if (x.kind === 'CallExpr') {
      const f = unparen(x.fun);
      if (f.kind === 'SelectorExpr' && f.sel.name === 'Go') found = true;
    }
    return !found;
  });
  return found;
}

/**
 * One unbuffered channel per key in a local map (`acks := make(map[string]chan Ack); for _, r :=
 * range replicas { acks[r] = make(chan Ack) }`), one goroutine per key sending once on its own
 * channel (`go func() { acks[r] <- deliver(r) }()`, or `ch <- ...` with `ch` the value of a range
 * over the map), and a loop over the map receiving from each that can be left early (a return on
 * the first success or on `ctx.Done()`): the goroutines of the keys not yet received from block
 * forever.
 */
function checkChanMap(pass: Pass, file: PassFile, fn: FuncNode, enclosing: readonly FuncNode[]): void {
  if (!fn.body || !pass.typesKnown) return;
  if (fn.kind === 'FuncDecl' && !fn.recv && fn.name.name === 'main' && pass.pkg.name === 'main' && !file.test) return;
  const body = fn.body;
  // Local maps of channels, filled only with unbuffered makes.
  const maps = new Map<string, { id: ast.Ident; stores: number; other: boolean }>();
  walkSameFunc(body, (x) => {
    if (x.kind === 'AssignStmt' && x.tok === ':=' && x.lhs.length === 1 && x.rhs.length === 1 && unparen(x.lhs[0]!).kind === 'Ident') {
      const id = unparen(x.lhs[0]!) as ast.Ident;
      const t = pass.types.typeOf(id);
      const u = t?.kind === 'named' ? t.underlying() : t;
      const e = u?.kind === 'map' ? u.elem : undefined;
      const eu = e?.kind === 'named' ? e.underlying() : e;
      const key = refKey(pass, id);
      if (eu?.kind === 'chan' && key) maps.set(key, { id, stores: 0, other: false });
    }
    return true;
  });
  if (maps.size === 0) return;
  const mapOf = (e: ast.Expr): string | undefined => {
    const x = unparen(e);
    if (x.kind !== 'IndexExpr') return undefined;
    const k = refKey(pass, x.x);
    return k && maps.has(k) ? k : undefined;
  };
  // Stores, and any use of the map other than indexing, ranging, len and the declaration.
  const uses = (n: ast.Node, parent: ast.Node | undefined): void => {
    if (n.kind === 'AssignStmt') {
      n.lhs.forEach((l, i) => {
        const k = mapOf(l);
        if (!k) return;
        const v = n.rhs.length === n.lhs.length ? n.rhs[i] : undefined;
        if (v && isUnbufferedMake(pass, v)) maps.get(k)!.stores++;
        else maps.get(k)!.other = true;
      });
    }
    if (n.kind === 'Ident' && parent) {
      const k = refKey(pass, n);
      const m = k ? maps.get(k) : undefined;
      if (m && n !== m.id) {
        const ok = (parent.kind === 'IndexExpr' && parent.x === n) || (parent.kind === 'RangeStmt' && parent.x === n) || (parent.kind === 'CallExpr' && unparen(parent.fun).kind === 'Ident' && (unparen(parent.fun) as ast.Ident).name === 'len');
        if (!ok) m.other = true;
      }
      return;
    }
    forEachChild(n, (c) => uses(c, n));
  };
  uses(body, undefined);
  for (const [key, m] of maps) {
    if (m.other || m.stores === 0) continue;
    // Range value variables over the map: `for k, ch := range acks`.
    const rangeVals = new Map<unknown, ast.RangeStmt>();
    walkSameFunc(body, (x) => {
      if (x.kind === 'RangeStmt' && refKey(pass, x.x) === key && x.value && unparen(x.value).kind === 'Ident') {
        const o = pass.types.objectOf(unparen(x.value) as ast.Ident);
        if (o) rangeVals.set(o, x);
      }
      return true;
    });
    const isChanOfMap = (e: ast.Expr): boolean => {
      if (mapOf(e) === key) return true;
      const x = unparen(e);
      const o = x.kind === 'Ident' ? pass.types.objectOf(x) : undefined;
      return !!o && rangeVals.has(o);
    };
    // A goroutine started in a loop, sending on its key's channel outside any select.
    let go: ast.GoStmt | undefined;
    let send: ast.SendStmt | undefined;
    for (const g of goStmtsIn(body)) {
      const lit = unparen(g.call.fun);
      if (lit.kind !== 'FuncLit' || loopDepthIn(body, g) === 0) continue;
      walkSameFunc(lit.body, (y) => {
        if (send) return false;
        if (y.kind === 'SelectStmt') return false;
        if (y.kind === 'SendStmt' && isChanOfMap(y.chan)) send = y;
        return true;
      });
      if (send) {
        go = g;
        break;
      }
    }
    if (!go || !send) continue;
    // The receive loop over the map, after the goroutines, left early.
    const g = cfgOf(pass, fn);
    if (!g) continue;
    let leave: ast.Node | undefined;
    for (const [, r] of rangeVals) {
      if (nodePos(r) < nodeEnd(go)) continue;
      const receives = nodeContains(r.body, (y) => y.kind === 'UnaryExpr' && y.op === '<-' && isChanOfMap(y.x));
      if (!receives) continue;
      const early = g.loopExits(r).exits.find((e) => e.via?.kind === 'ReturnStmt' || (e.via?.kind === 'BranchStmt' && (e.via as ast.BranchStmt).tok === 'break'));
      if (early?.via) {
        leave = early.via;
        break;
      }
    }
    if (!leave) continue;
    const fname = funcName(file, fn);
    const handler = [fn, ...enclosing].map((f) => requestHandler(pass, file, f)).find((h) => h);
    pass.report({
      node: go,
      file,
      ...(handler ? { severity: 'critical' as const } : {}),
      message: `${fname} gives each key of ${m.id.name} its own unbuffered channel, and ${goroutineText(file, go)} sends once on its key's channel (line ${lineOf(file, send)}); the loop receiving from them can leave on line ${lineOf(file, leave)} before it has received from every channel, and then the goroutines of the keys not yet received from block forever on their sends: one leaked goroutine per such key; give each channel a buffer of one (make(chan T, 1)) or select on ctx.Done() in the sender`,
      related: [
        { node: send, message: 'each goroutine blocks here when its channel is never received from' },
        { node: leave, message: 'leaves before receiving from every channel' },
      ],
    });
  }
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    // A method named Go is called as `x.Go(...)`: a file without ".Go" in its text has none.
    const mayCallGo = pass.typesKnown && sourceMentions(file, '.Go');
    const mayCallAfter = pass.typesKnown && sourceMentions(file, 'AfterFunc');
    file.inspector.withStack(['FuncDecl', 'FuncLit'], (fn, stack) => {
      if (!file.inspector.contains(fn, ['GoStmt']) && !(mayCallGo && callsMethodGo(fn)) && !(mayCallAfter && fn.body && afterFuncLaunches(pass, fn.body).length > 0)) return;
      const enclosing = stack.slice(0, -1).filter(isFunc).reverse();
      check(pass, file, fn, enclosing);
      checkChanMap(pass, file, fn, enclosing);
    });
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'high',
    summary: 'A goroutine sends its result on an unbuffered channel that its parent stops receiving from on some path: the goroutine leaks.',
    enabledByDefault: true,
    fixable: true,
    category: 'goroutine',
    docUrl: docUrl(ID),
  },
  needs: (o) => bodyNeeds(o, { kinds: ['GoStmt'], names: ['Go', 'AfterFunc'] }, { returnedChans: true }),
  run,
};
