// defer-blocking-call: a deferred call that can block or take long (sleeps, network and database
// round trips, waiting for goroutines or processes, channel operations with no way out, walking
// or deleting directory trees). The function cannot return until it finishes; inside a request
// handler that holds the response and adds to tail latency.
import type * as ast from '../syntax/ast.js';
import { end as nodeEnd, forEachChild, inspect, pos as nodePos, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import type { Confidence } from '../findings/model.js';
import { docUrl } from '../findings/model.js';
import { walkNode } from '../types/cfg.js';
import { returnedLits, type FuncNode as GraphNode } from '../types/callgraph.js';
import { BLOCKING_LOCKS, TIMEOUT_CHANNELS } from './catalog.js';
import {
  argumentFor, blockingCall, fieldStores, callGraphOf, type CallTrail, callText, ctxBounded, definingValue, enclosingFunc, funcName, lineOf, lockCall, lockCallsIn,
  methodCallOn, requestHandler, rootIdent, sameExpr, searchCallees, textOf, walkSameFunc, enclosingFuncDecl, listHolding, stmtListOf, type FuncNode, type HandlerMatch, bodyNeeds, inTestCode, groupGoOf, inModule, ioOnConn,
  selectorFieldKey, sourceMentions, type LockCall, boundCall,
} from './helpers.js';

const ID = 'defer-blocking-call';
const MAX_DEPTH = 3;

/**
 * Cleanup methods whose own work is accepted, as a deferred `x.Close()` is: the search for a
 * blocking call does not go into a same-package method of these names (pgx's `defer rows.Close()`
 * writes a terminate message to the server inside its Conn.Close; go-ethereum's `defer
 * sub.Unsubscribe()` hands the filter back to its event loop).
 */
const CLEANUP_METHODS = new Set(['Close', 'Stop', 'Unlock', 'RUnlock', 'Rollback', 'Commit', 'Unsubscribe', 'Unregister']);
const notCleanup = (fn: GraphNode): boolean => !(fn.decl?.recv && CLEANUP_METHODS.has(fn.decl.name.name));

interface Site {
  node: ast.Node;
  /** What is shown: `wg.Wait()`, `<-done`. */
  text: string;
  /** Completes "X ...": "blocks until ...". */
  waits: string;
  confidence: Confidence;
  /** It waits for another goroutine or process (a receive, a select, a range over a channel, a Wait). */
  others?: boolean;
  /** A send on a channel whose buffer is unknown here: reported only where a stall holds a response. */
  unknownCap?: boolean;
  /** A send the package's own code elsewhere makes with a way out (a select with a default, timer or stop case). */
  wayOut?: boolean;
  /** A request through an http.Client with a Timeout: bounded, so reported only where it holds a response. */
  clientTimeout?: boolean;
  /** A send on an unbuffered channel a loop of the package serves: reported only where it holds a response. */
  loopServed?: boolean;
}

function isCtxType(pass: Pass, e: ast.Expr): boolean {
  const t = pass.types.typeOf(e);
  return t?.kind === 'named' && t.pkg === 'context' && t.name === 'Context';
}

/** For a call taking a context first: undefined when the context has a deadline (bounded), else the confidence that it may block. */
/**
 * The context that bounds a call: its first argument when that is a context, or the context of
 * the request it sends (`client.Do(req)` with req from `http.NewRequestWithContext(ctx, ...)` or
 * `r.WithContext(ctx)`).
 */
function siteContext(pass: Pass, call: ast.CallExpr): ast.Expr | undefined {
  const a = call.args?.[0];
  if (a && isCtxType(pass, a)) return a;
  for (const arg of call.args ?? []) {
    const x = unparen(arg);
    const ctx = x.kind === 'Ident' ? requestContext(pass, x, false) : undefined;
    if (ctx) return ctx;
  }
  // A method of a value built with a context: `exec.CommandContext(ctx, ...).CombinedOutput()`,
  // or `cmd := exec.CommandContext(ctx, ...); cmd.Run()`.
  const f = unparen(call.fun);
  if (f.kind === 'SelectorExpr') {
    let recv = unparen(f.x);
    if (recv.kind === 'Ident') {
      const v = definingValue(pass, recv);
      if (v) recv = unparen(v);
    }
    if (recv.kind === 'CallExpr' && pass.types.callee(recv)?.name === 'os/exec.CommandContext') return recv.args?.[0];
  }
  return undefined;
}

const clientTimeouts = new WeakMap<readonly PassFile[], Map<string, boolean>>();

/** Whether a composite literal builds an http.Client with a Timeout set (`&http.Client{Timeout: 2 * time.Second}`). */
function clientLiteralWithTimeout(pass: Pass, e: ast.Expr): boolean {
  let x = unparen(e);
  if (x.kind === 'UnaryExpr' && x.op === '&') x = unparen(x.x);
  if (x.kind !== 'CompositeLit') return false;
  const t = pass.types.typeOf(x);
  if (t?.kind !== 'named' || t.pkg !== 'net/http' || t.name !== 'Client') return false;
  return (x.elts ?? []).some((el) => el.kind === 'KeyValueExpr' && el.key.kind === 'Ident' && el.key.name === 'Timeout' && !(unparen(el.value).kind === 'BasicLit' && (unparen(el.value) as ast.BasicLit).value === '0'));
}

/**
 * Whether the *http.Client a request is sent with has a Timeout: a local built by such a literal,
 * or a field every store of which in the package is one. The request then ends by that deadline.
 */
function clientHasTimeout(pass: Pass, call: ast.CallExpr): boolean {
  const f = unparen(call.fun);
  if (f.kind !== 'SelectorExpr') return false;
  const c = pass.types.callee(call);
  if (!c?.name.startsWith('(*net/http.Client).')) return false;
  const recv = unparen(f.x);
  if (recv.kind === 'Ident') {
    const v = definingValue(pass, recv);
    return !!v && clientLiteralWithTimeout(pass, v);
  }
  if (recv.kind !== 'SelectorExpr') return false;
  const key = chanKey(pass, recv);
  if (!key) return false;
  let m = clientTimeouts.get(pass.files);
  if (!m) {
    m = new Map();
    for (const [k, list] of fieldStores(pass).stores) {
      const known = list.filter((st) => st.value !== null);
      if (known.length > 0) m.set(k, known.every((st) => clientLiteralWithTimeout(pass, st.value!)));
    }
    clientTimeouts.set(pass.files, m);
  }
  return m.get(key) === true;
}

/**
 * The context a local request was built with: `http.NewRequestWithContext(ctx, ...)`,
 * `r.WithContext(ctx)`, or (with `helpers`) any call given a context, such as a package helper
 * that builds the request.
 */
function requestContext(pass: Pass, x: ast.Ident, helpers: boolean): ast.Expr | undefined {
  const v = definingValue(pass, x);
  const c = v && unparen(v).kind === 'CallExpr' ? (unparen(v) as ast.CallExpr) : undefined;
  if (!c) return undefined;
  const n = pass.types.callee(c)?.name;
  if (n === 'net/http.NewRequestWithContext' || n === '(*net/http.Request).WithContext') return c.args?.[0];
  return helpers ? (c.args ?? []).find((a) => isCtxType(pass, a)) : undefined;
}

/**
 * Whether a site found in a callee is bounded by the context its caller passes: the site's
 * context is a parameter of the function it is in, and the argument that reached it along the
 * trail carries a deadline (`ctx, cancel := context.WithTimeout(...); s.report(ctx, id)`).
 */
function boundedByCaller(pass: Pass, trail: CallTrail, node: ast.Node): boolean {
  if (node.kind !== 'CallExpr' || trail.funcs.length === 0) return false;
  // What carries the deadline: the site's context, or the request it sends (which a caller on
  // the trail may have built: `req, _ := u.c.newRequest(ctx, ...); resp, err := u.c.do(req)`).
  let e: ast.Expr | undefined = siteContext(pass, node) ?? (node.args ?? []).find((a) => unparen(a).kind === 'Ident');
  let k = trail.funcs.length - 1;
  for (let step = 0; e && step < 8; step++) {
    if (ctxBounded(pass, e)) return true;
    const x = unparen(e);
    if (x.kind !== 'Ident') return false;
    const o = pass.types.objectOf(x);
    if (!o || o.kind !== 'var') return false;
    if (o.varKind === 'param') {
      // Up one call on the trail: the argument that reached this parameter.
      if (k < 0) return false;
      const f = trail.funcs[k]!;
      e = argumentFor((f.decl ?? f.lit)!, trail.calls[k]!, x.name);
      k--;
      continue;
    }
    // A local: the context it came from (a request built with one, by net/http or a helper).
    e = requestContext(pass, x, true);
  }
  return false;
}

function ctxConfidence(pass: Pass, call: ast.CallExpr): Confidence | undefined {
  const a = siteContext(pass, call);
  if (!a) return 'high';
  if (ctxBounded(pass, a)) return undefined;
  const x = unparen(a);
  if (x.kind === 'CallExpr') {
    const c = pass.types.callee(x);
    if (c && (c.name === 'context.Background' || c.name === 'context.TODO')) return 'high';
  }
  if (x.kind === 'Ident') {
    const v = definingValue(pass, x);
    const c = v && unparen(v).kind === 'CallExpr' ? pass.types.callee(unparen(v) as ast.CallExpr) : undefined;
    if (c && (c.name === 'context.Background' || c.name === 'context.TODO')) return 'high';
  }
  // A context from elsewhere may carry a caller's deadline.
  return 'medium';
}

/** Whether a receive operand is a timeout or cancellation channel (time.After, ctx.Done(), a timer's C). */
function isTimeoutChan(pass: Pass, e: ast.Expr): boolean {
  const x = unparen(e);
  if (x.kind === 'CallExpr') {
    const c = pass.types.callee(x);
    if (c && TIMEOUT_CHANNELS.has(c.name)) return true;
    const f = unparen(x.fun);
    return !c && f.kind === 'SelectorExpr' && (f.sel.name === 'Done' || f.sel.name === 'After');
  }
  if (x.kind === 'SelectorExpr' && x.sel.name === 'C') {
    const t = pass.types.typeOf(x.x);
    const named = t?.kind === 'pointer' ? t.elem : t;
    return !named || (named.kind === 'named' && named.pkg === 'time');
  }
  return false;
}

/** A channel named as a shutdown signal (`done`, `s.doneServing`, `quit`, `stopc`...): a select case on it ends the wait when the owner shuts down. */
function isDoneChan(e: ast.Expr): boolean {
  const x = unparen(e);
  const name = x.kind === 'Ident' ? x.name : x.kind === 'SelectorExpr' ? x.sel.name : undefined;
  if (!name) return false;
  // `done`, `quitCh`, `stopping`; or a camelCase word at the end: `forwardDone`, `connClosed`, `ctxDoneCh`.
  return /^(done|quit|stop|close|closed|closing|shutdown|cancel|exit|die|abort|term)/i.test(name) || /[a-z0-9](Done|Quit|Stop|Stopped|Stopping|Closed|Closing|Shutdown|Cancel|Cancell?ed|Exit|Exited|Die|Dying|Abort|Aborted|Term)(Ch|C|Chan)?$/.test(name);
}

/** The channel operand of a select case's communication. */
function commOperand(comm: ast.Stmt | null): ast.Expr | undefined {
  if (!comm) return undefined;
  if (comm.kind === 'SendStmt') return undefined;
  const e = comm.kind === 'ExprStmt' ? comm.x : comm.kind === 'AssignStmt' ? comm.rhs[0] : undefined;
  const x = e ? unparen(e) : undefined;
  return x?.kind === 'UnaryExpr' && x.op === '<-' ? x.x : undefined;
}

/** Whether a channel expression was made unbuffered in this package (`make(chan T)`), so a send waits for a receiver. */
function unbuffered(pass: Pass, ch: ast.Expr): boolean {
  const x = unparen(ch);
  if (x.kind !== 'Ident') return false;
  const v = definingValue(pass, x);
  const m = v ? unparen(v) : undefined;
  if (m?.kind !== 'CallExpr') return false;
  const f = unparen(m.fun);
  return f.kind === 'Ident' && f.name === 'make' && (m.args?.length ?? 0) === 1 && unparen(m.args![0]!).kind === 'ChanType';
}

const fieldMakes = new WeakMap<readonly PassFile[], Map<string, ast.CallExpr[]>>();

/** The `make(chan T[, n])` calls the package stores into each channel field (`s.ch = make(...)`, `T{ch: make(...)}`). */
function makesByField(pass: Pass): Map<string, ast.CallExpr[]> {
  let m = fieldMakes.get(pass.files);
  if (m) return m;
  m = new Map();
  for (const [key, list] of fieldStores(pass).stores) {
    const makes: ast.CallExpr[] = [];
    for (const { value } of list) {
      const c = value ? unparen(value) : undefined;
      if (c?.kind !== 'CallExpr') continue;
      const f = unparen(c.fun);
      if (f.kind === 'Ident' && f.name === 'make' && c.args?.[0] && unparen(c.args[0]).kind === 'ChanType') makes.push(c);
    }
    if (makes.length > 0) m.set(key, makes);
  }
  fieldMakes.set(pass.files, m);
  return m;
}

/**
 * What the package tells of a channel's buffer: a local made here, or a field every make of which
 * the package stores. 'unknown' for parameters and channels made elsewhere.
 */
function chanBuffer(pass: Pass, ch: ast.Expr): 'unbuffered' | 'buffered' | 'unknown' {
  if (unbuffered(pass, ch)) return 'unbuffered';
  const x = unparen(ch);
  let makes: ast.CallExpr[] = [];
  if (x.kind === 'Ident') {
    const v = definingValue(pass, x);
    const m = v ? unparen(v) : undefined;
    if (m?.kind === 'CallExpr') makes = [m];
  } else if (x.kind === 'SelectorExpr') {
    const k = chanKey(pass, x);
    makes = (k && makesByField(pass).get(k)) || [];
  }
  const isMake = (m: ast.CallExpr) => {
    const f = unparen(m.fun);
    return f.kind === 'Ident' && f.name === 'make' && !!m.args?.[0] && unparen(m.args[0]).kind === 'ChanType';
  };
  if (makes.length === 0 || !makes.every(isMake)) return 'unknown';
  if (makes.some((m) => (m.args?.length ?? 0) === 1 || (m.args![1]!.kind === 'BasicLit' && m.args![1]!.value === '0'))) return 'unbuffered';
  return 'buffered';
}

/** A name for a channel that is the same in every function: `T.field` for a field of a named type, the name of a package-level variable. */
function chanKey(pass: Pass, e: ast.Expr): string | undefined {
  const x = unparen(e);
  if (x.kind === 'SelectorExpr') {
    let t = pass.types.typeOf(x.x);
    if (t?.kind === 'pointer') t = t.elem;
    return t?.kind === 'named' ? `${t.pkg}.${t.name}.${x.sel.name}` : undefined;
  }
  if (x.kind === 'Ident') {
    const o = pass.types.objectOf(x);
    if (o?.varKind === 'package') return `${o.pkg}.${o.name}`;
    // A local variable: by where it is declared.
    if (o?.kind === 'var' && o.decl) return `${pass.fileOf(o.decl)?.path ?? ''}#${o.decl.namePos}`;
  }
  return undefined;
}

/** A name for every channel of a named channel type (`type limiter chan struct{}`): the same for a field and a receiver of that type. */
function chanTypeKey(pass: Pass, e: ast.Expr): string | undefined {
  const t = pass.types.typeOf(unparen(e));
  return t?.kind === 'named' && t.underlying()?.kind === 'chan' ? `type:${t.pkg}.${t.name}` : undefined;
}

/** The keys (chanKey, or the named channel type) of the channels `fill` adds, once per package. */
function chanKeySet(cache: WeakMap<readonly PassFile[], Set<string>>, pass: Pass, fill: (add: (e: ast.Expr) => void) => void): Set<string> {
  let set = cache.get(pass.files);
  if (!set) {
    const keys = new Set<string>();
    fill((e) => {
      const k = chanKey(pass, e) ?? chanTypeKey(pass, e);
      if (k) keys.add(k);
    });
    cache.set(pass.files, (set = keys));
  }
  return set;
}

function hasChan(pass: Pass, set: Set<string>, ch: ast.Expr): boolean {
  const k = chanKey(pass, ch);
  const t = chanTypeKey(pass, ch);
  return (!!k && set.has(k)) || (!!t && set.has(t));
}

const servedKeys = new WeakMap<readonly PassFile[], Set<string>>();

/** Whether the package has a loop that keeps receiving from the channel: a range over it, or an endless loop receiving from it. */
function servedByLoop(pass: Pass, ch: ast.Expr): boolean {
  const set = chanKeySet(servedKeys, pass, (add) => {
    for (const file of pass.files) {
      file.inspector.preorder(['RangeStmt', 'ForStmt'], (x) => {
        if (x.kind === 'RangeStmt') {
          const t = pass.types.typeOf(x.x);
          const u = t?.kind === 'named' ? t.underlying() : t;
          if (u?.kind === 'chan') add(x.x);
        } else if (!x.cond && !givesUpOnTimer(pass, x)) {
          walkSameFunc(x.body, (y) => {
            if (y.kind === 'UnaryExpr' && y.op === '<-') add(y.x);
            return true;
          });
        }
      });
    }
  });
  return hasChan(pass, set, ch);
}

/**
 * `for { select { case got := <-s.done: ...; case <-deadline.C: return false } }`: a loop that
 * returns when a timer fires is a bounded wait for one value, not a goroutine serving the channel.
 */
function givesUpOnTimer(pass: Pass, loop: ast.ForStmt): boolean {
  let found = false;
  walkSameFunc(loop.body, (y) => {
    if (found) return false;
    if (y.kind !== 'CommClause') return true;
    const op = commOperand(y.comm);
    const x = op ? unparen(op) : undefined;
    let timer = false;
    if (x?.kind === 'CallExpr') timer = pass.types.callee(x)?.name === 'time.After';
    else if (x?.kind === 'SelectorExpr' && x.sel.name === 'C') {
      const t = pass.types.typeOf(x.x);
      const named = t?.kind === 'pointer' ? t.elem : t;
      timer = named?.kind === 'named' && named.pkg === 'time' && named.name === 'Timer';
    }
    if (timer && (y.body ?? []).some((st) => st.kind === 'ReturnStmt')) found = true;
    return true;
  });
  return found;
}

const guardedSendKeys = new WeakMap<readonly PassFile[], Set<string>>();

/**
 * Whether the package elsewhere sends on the same channel field or package variable inside a
 * select that has a way out (a default case, a timer, a context or a stop channel): its own code
 * treats a send there as one that can wait, so a plain send in deferred code can wait too.
 */
function sentWithWayOut(pass: Pass, ch: ast.Expr): boolean {
  let set = guardedSendKeys.get(pass.files);
  if (!set) {
    const keys = new Set<string>();
    for (const file of pass.files) {
      file.inspector.preorder(['SelectStmt'], (x) => {
        const clauses = (x.body.list ?? []) as ast.CommClause[];
        const wayOut = clauses.some((c) => {
          if (c.comm === null) return true;
          const op = commOperand(c.comm);
          return !!op && (isTimeoutChan(pass, op) || isDoneChan(op));
        });
        if (!wayOut) return;
        for (const c of clauses) {
          if (c.comm?.kind !== 'SendStmt') continue;
          const k = chanKey(pass, c.comm.chan);
          if (k) keys.add(k);
        }
      });
    }
    guardedSendKeys.set(pass.files, (set = keys));
  }
  const k = chanKey(pass, ch);
  return !!k && set.has(k);
}

/** Whether the function's own code receives from the channel before the defer statement. */
function takenBefore(pass: Pass, body: ast.BlockStmt, d: ast.DeferStmt, ch: ast.Expr): boolean {
  const k = chanKey(pass, ch);
  if (!k) return false;
  let found = false;
  walkSameFunc(body, (x) => {
    if (found || nodePos(x) >= nodePos(d)) return false;
    if (x.kind === 'UnaryExpr' && x.op === '<-' && chanKey(pass, x.x) === k) found = true;
    return !found;
  });
  return found;
}

const receivedKeys = new WeakMap<readonly PassFile[], Set<string>>();

/**
 * Whether the package receives from the channel outside goroutines (`tok := <-s.pool`): a send
 * on it in deferred code gives a token back to a pool (`defer func() { s.pool <- tok }()`), which
 * has room for it.
 */
function receivedInPackage(pass: Pass, ch: ast.Expr): boolean {
  const set = chanKeySet(receivedKeys, pass, (add) => {
    for (const file of pass.files) {
      file.inspector.withStack(['UnaryExpr'], (x, stack) => {
        if (x.op === '<-' && !stack.some((a) => a.kind === 'GoStmt' || a.kind === 'DeferStmt')) add(x.x);
      });
    }
  });
  return hasChan(pass, set, ch);
}

const awaitedKeys = new WeakMap<readonly PassFile[], Set<string>>();

/**
 * Whether the package's requesters wait for a reply on the channel right after sending their
 * request (`t.funcs <- item; <-t.done`): a send on it is the reply the requester is blocked on,
 * taken at once, not a send that waits for a receiver.
 */
function awaitedAfterRequest(pass: Pass, ch: ast.Expr): boolean {
  const set = chanKeySet(awaitedKeys, pass, (add) => {
    for (const file of pass.files) {
      file.inspector.preorder(['BlockStmt', 'CaseClause', 'CommClause'], (b) => {
        const list = stmtListOf(b) ?? [];
        for (let i = 1; i < list.length; i++) {
          const prev = list[i - 1]!;
          const st = list[i]!;
          if (prev.kind !== 'SendStmt') continue;
          const e = st.kind === 'ExprStmt' ? st.x : st.kind === 'AssignStmt' && st.rhs.length === 1 ? st.rhs[0]! : undefined;
          const r = e && unparen(e);
          if (r?.kind === 'UnaryExpr' && r.op === '<-' && !sameExpr(r.x, prev.chan)) add(r.x);
        }
      });
    }
  });
  return hasChan(pass, set, ch);
}

/** Whether a channel expression is one of the package's semaphores. */
function isSemaphore(pass: Pass, e: ast.Expr, viaCallers = true): boolean {
  const set = semaphores(pass);
  const k = chanKey(pass, e);
  if (k && set.has(k)) return true;
  const t = chanTypeKey(pass, e);
  if (t && set.has(t)) return true;
  const x = unparen(e);
  if (x.kind !== 'Ident') return false;
  // `sem := s.inflightSem`: the channel the variable was set from.
  const v = definingValue(pass, x);
  if (v && unparen(v).kind !== 'CallExpr' && isSemaphore(pass, v, false)) return true;
  // `func (s *sink) produce(sem <-chan struct{})` called as `s.produce(sem)` with a semaphore.
  return viaCallers && paramFromSemaphore(pass, x);
}

/**
 * The argument a function literal called in place gets for its parameter `id`:
 * `go func(semC <-chan struct{}) { defer func() { <-semC }() ... }(p.semC)` gives `p.semC`.
 */
function literalArgument(pass: Pass, id: ast.Ident): ast.Expr | undefined {
  const o = pass.types.objectOf(id);
  const decl = o?.varKind === 'param' ? o.decl : undefined;
  const file = decl ? pass.fileOf(decl) : undefined;
  if (!decl || !file) return undefined;
  // Down from the file to the parameter, keeping the call around each literal on the way.
  const at = nodePos(decl);
  let call: ast.CallExpr | undefined;
  let lit: ast.FuncLit | undefined;
  for (let n: ast.Node | undefined = file.file; n; ) {
    if (n.kind === 'CallExpr' && unparen(n.fun).kind === 'FuncLit') {
      const f = unparen(n.fun) as ast.FuncLit;
      if (nodePos(f.type) <= at && at < nodeEnd(f.type)) {
        call = n;
        lit = f;
      }
    }
    let next: ast.Node | undefined;
    forEachChild(n, (c) => {
      if (!next && nodePos(c) <= at && at < nodeEnd(c)) next = c;
    });
    n = next;
  }
  if (!call || !lit || call.ellipsis !== -1) return undefined;
  const names = (lit.type.params.list ?? []).flatMap((f) => f.names ?? []);
  const i = names.indexOf(decl);
  return i >= 0 ? call.args?.[i] : undefined;
}

/** Whether the identifier is a parameter of its function that some same-package call fills with a semaphore. */
function paramFromSemaphore(pass: Pass, id: ast.Ident): boolean {
  const given = literalArgument(pass, id);
  if (given) return isSemaphore(pass, given, false);
  const file = pass.fileOf(id);
  const decl = file ? enclosingFuncDecl(file, id) : undefined;
  if (!decl?.body) return false;
  const names = (decl.type.params.list ?? []).flatMap((f) => f.names ?? []);
  const i = names.findIndex((n) => n.name === id.name && pass.types.objectOf(n) === pass.types.objectOf(id));
  if (i < 0) return false;
  const node = callGraphOf(pass).nodeOf(decl);
  for (const edge of node?.in ?? []) {
    if (edge.site.kind !== 'CallExpr' || edge.site.ellipsis !== -1) continue;
    const arg = edge.site.args?.[i];
    if (arg && isSemaphore(pass, arg, false)) return true;
  }
  return false;
}

const semaphoreCache = new WeakMap<readonly PassFile[], Set<string>>();

/**
 * A notification that never waits: `select { case c.acked <- struct{}{}: default: }` with nothing
 * done in either case. A semaphore's try-acquire does something with the outcome (`return true`
 * / `return false`); this only wakes a waiter if there is one.
 */
function fireAndForget(x: ast.SendStmt, stack: readonly ast.Node[]): boolean {
  const i = stack.lastIndexOf(x);
  const clause = i >= 1 ? stack[i - 1] : undefined;
  if (clause?.kind !== 'CommClause' || clause.comm !== x || (clause.body?.length ?? 0) > 0) return false;
  const sel = stack.slice(0, i - 1).reverse().find((a) => a.kind === 'SelectStmt') as ast.SelectStmt | undefined;
  const clauses = (sel?.body.list ?? []) as ast.CommClause[];
  return clauses.length === 2 && clauses.some((c) => c.comm === null && (c.body?.length ?? 0) === 0);
}

/**
 * Channels used as semaphores: some function of the package sends on them outside any goroutine
 * (the acquire, `sem <- struct{}{}`), so a receive in deferred code is the matching release and
 * does not wait for anyone. A done channel that a goroutine sends on is not one of them.
 */
function semaphores(pass: Pass): Set<string> {
  let set = semaphoreCache.get(pass.files);
  if (set) return set;
  set = new Set();
  const goTargets = new Set<ast.Node>();
  const g = callGraphOf(pass);
  for (const n of g.nodes) if (n.in.some((e) => e.kind === 'go')) goTargets.add((n.decl ?? n.lit)!);
  for (const file of pass.files) {
    file.inspector.withStack(['SendStmt'], (x, stack) => {
      if (stack.some((a) => a.kind === 'GoStmt' || goTargets.has(a))) return;
      if (fireAndForget(x, stack)) return;
      const k = chanKey(pass, x.chan);
      if (k) set!.add(k);
      const t = chanTypeKey(pass, x.chan);
      if (t) set!.add(t);
      // An acquire helper (`func acquire(ctx, pool chan struct{}) bool { select { case pool <-
      // struct{}{}: ... } }`): the channels its callers pass for that parameter are semaphores.
      const ch = unparen(x.chan);
      const decl = stack.find((a): a is ast.FuncDecl => a.kind === 'FuncDecl');
      if (ch.kind !== 'Ident' || !decl || stack.some((a) => a.kind === 'FuncLit')) return;
      const i = (decl.type.params.list ?? []).flatMap((f) => f.names ?? []).findIndex((n) => n.name === ch.name && pass.types.objectOf(n) === pass.types.objectOf(ch));
      if (i < 0) return;
      for (const edge of g.nodeOf(decl)?.in ?? []) {
        if (edge.kind === 'go' || edge.site.kind !== 'CallExpr' || edge.site.ellipsis !== -1) continue;
        const arg = edge.site.args?.[i];
        const ak = arg && chanKey(pass, arg);
        if (ak) set!.add(ak);
      }
    });
  }
  semaphoreCache.set(pass.files, set);
  return set;
}

/** Methods whose call tells other goroutines or a process to stop. */
const STOP_METHODS = new Set(['Close', 'CloseSend', 'Stop', 'GracefulStop', 'Shutdown', 'ShutDown', 'Cancel', 'Kill', 'Signal', 'Interrupt', 'Abort']);
/** A name that starts with a stopping verb as its own word (`closeConns`, `StopListening`; not `Closed`, `stopped`). */
const STOP_VERB = /^([cC]lose|[sS]top|[sS]hut[dD]own|[cC]ancel|[kK]ill|[aA]bort|[iI]nterrupt|[tT]erminate|[qQ]uit)(?=[A-Z_]|$)/;

/**
 * Whether a call or statement asks other goroutines to finish: `close(ch)`, a context's cancel
 * function (`cancel()`, `cc.cancel()`), a stop method (`conn.Close()`, `cmd.Process.Kill()`), a
 * send (`quit <- struct{}{}`).
 */
function isStopSignal(pass: Pass, x: ast.Node): boolean {
  if (x.kind === 'SendStmt') return true;
  if (x.kind !== 'CallExpr') return false;
  const f = unparen(x.fun);
  const name = f.kind === 'Ident' ? f.name : f.kind === 'SelectorExpr' ? f.sel.name : undefined;
  if (!name) return false;
  if (name === 'close' && f.kind === 'Ident') return pass.types.callee(x)?.kind === 'builtin';
  // `once.Do(func() { close(w.stop) })`: the idempotent form of the same signal.
  if (name === 'Do' && f.kind === 'SelectorExpr' && pass.types.callee(x)?.name === '(*sync.Once).Do') {
    const lit = x.args?.[0] ? unparen(x.args[0]) : undefined;
    if (lit?.kind === 'FuncLit') return firstStopSignal(pass, lit.body) !== undefined;
  }
  if (f.kind === 'SelectorExpr' && STOP_METHODS.has(name)) return true;
  // A function or method named for what it stops: `closeConnectContext()`, `s.stopWorkers()`.
  if (STOP_VERB.test(name)) return true;
  // A context's cancel function, whatever its name (`cancel()`, `cc.cancel()`, `stopMonitor()`).
  const t = pass.types.typeOf(f);
  if (t?.kind === 'named' && t.pkg === 'context' && (t.name === 'CancelFunc' || t.name === 'CancelCauseFunc')) return true;
  return /^cancel|Cancel$/.test(name) && pass.types.callee(x)?.kind === 'funcvalue';
}

/** The position of the first stop signal in a body's own code (see isStopSignal). */
function firstStopSignal(pass: Pass, body: ast.Node): number | undefined {
  let at: number | undefined;
  walkSameFunc(body, (x) => {
    if (at !== undefined || x.kind === 'GoStmt') return false;
    if (isStopSignal(pass, x)) at = x.kind === 'SendStmt' ? x.arrow : (x as ast.CallExpr).lparen;
    return at === undefined;
  });
  return at;
}

/** Whether a site waits for another goroutine or process (a receive, a select, a range over a channel, a Wait). */
function waitsForOthers(x: ast.Node, name?: string): boolean {
  if (x.kind === 'UnaryExpr' || x.kind === 'SelectStmt' || x.kind === 'RangeStmt') return true;
  return name !== undefined && /\)\.Wait$/.test(name);
}

/** Calls that make a fresh temporary directory: removing one at exit is the standard cleanup. */
const TEMP_DIR_MAKERS: ReadonlySet<string> = new Set(['os.MkdirTemp', 'io/ioutil.TempDir', '(*testing.common).TempDir']);

/**
 * `defer os.RemoveAll(dir)` with dir from os.MkdirTemp, or made by os.Mkdir/MkdirAll in the same
 * code: the canonical cleanup of a scratch directory the function made itself and filled with
 * what it needed, not a tree of unknown size.
 */
function removesTempDir(pass: Pass, name: string, call: ast.CallExpr): boolean {
  if (name !== 'os.RemoveAll') return false;
  const a = call.args?.[0] ? unparen(call.args[0]) : undefined;
  if (a?.kind !== 'Ident') return false;
  const v = definingValue(pass, a);
  const m = v ? unparen(v) : undefined;
  const c = m?.kind === 'CallExpr' ? pass.types.callee(m) : undefined;
  if (c && TEMP_DIR_MAKERS.has(c.name)) return true;
  // A directory the code makes itself (`os.MkdirAll(tmp, 0o700)`): its own staging area.
  const o = pass.types.objectOf(a);
  const file = o?.decl ? pass.fileOf(o.decl) : undefined;
  if (!o || !file) return false;
  let made = false;
  walkNode(file.file, (x) => {
    if (made) return false;
    if (x.kind === 'CallExpr') {
      const n = pass.types.callee(x)?.name;
      const arg = x.args?.[0] ? unparen(x.args[0]) : undefined;
      if ((n === 'os.Mkdir' || n === 'os.MkdirAll') && arg?.kind === 'Ident' && pass.types.objectOf(arg) === o) made = true;
    }
    return !made;
  });
  return made;
}

/** Calls whose first argument names a file they create or write. */
const FILE_MAKERS: ReadonlySet<string> = new Set(['os.Create', 'os.OpenFile', 'os.WriteFile', 'os.Rename', 'os.Link', 'os.Symlink']);

/**
 * `os.RemoveAll(tmp)` where tmp names a file, not a directory: the code creates or writes it as a
 * file (`f, err := os.Create(tmp)`, `os.Rename(tmp, path)`; prometheus' atomic meta file writes),
 * or it is the name of a temporary file (`tmp := f.Name()` with f from os.CreateTemp), or a unix
 * socket's address (an `addr`, `address` or `...sock...` name). Removing one file is a single
 * unlink, like os.Remove.
 */
function removesFile(pass: Pass, name: string, call: ast.CallExpr): boolean {
  if (name !== 'os.RemoveAll') return false;
  const a = call.args?.[0] ? unparen(call.args[0]) : undefined;
  // A unix socket's address (`os.RemoveAll(ln.address)`, `os.RemoveAll(sockPath)`): one file.
  const last = a?.kind === 'Ident' ? a.name : a?.kind === 'SelectorExpr' ? a.sel.name : '';
  if (/^addr(ess)?$|sock/i.test(last)) return true;
  if (a?.kind !== 'Ident') return false;
  const o = pass.types.objectOf(a);
  const file = o?.decl ? pass.fileOf(o.decl) : undefined;
  if (!o || !file) return false;
  // `tmp := f.Name()` on a file from os.CreateTemp.
  const v = definingValue(pass, a);
  const m = v ? unparen(v) : undefined;
  if (m?.kind === 'CallExpr' && pass.types.callee(m)?.name === '(*os.File).Name') return true;
  let made = false;
  walkNode(file.file, (x) => {
    if (made) return false;
    if (x.kind === 'CallExpr') {
      const arg = x.args?.[0] ? unparen(x.args[0]) : undefined;
      if (arg?.kind === 'Ident' && pass.types.objectOf(arg) === o && FILE_MAKERS.has(pass.types.callee(x)?.name ?? '')) made = true;
    }
    return !made;
  });
  return made;
}

/** What to do about a site: the advice fits what it waits for. */
function remedyFor(pass: Pass, site: Site, waitsOthers: boolean): string {
  const n = site.node;
  if (n.kind === 'CallExpr') {
    const a = n.args?.[0];
    if (a && isCtxType(pass, a)) return 'bound it with a timeout (a context from context.WithTimeout) or do it outside the deferred cleanup';
  }
  if (waitsOthers) return 'wait with a select on the done signal and a timer (time.After), or do it outside the deferred cleanup';
  return 'do it outside the deferred cleanup, or hand it to a background goroutine';
}

/** Whether the deferred wait is followed by closing a channel: in the same literal, or by a close deferred before it. */
function guardsClose(pass: Pass, body: ast.BlockStmt, d: ast.DeferStmt, wait: ast.Node): boolean {
  // A close of a data channel (out, results): not of a stop signal (done, quit, stop), which
  // after the wait would come too late for the goroutines waiting on it.
  const isClose = (n: ast.Node): boolean =>
    n.kind === 'CallExpr' &&
    unparen(n.fun).kind === 'Ident' &&
    (unparen(n.fun) as ast.Ident).name === 'close' &&
    pass.types.callee(n)?.kind === 'builtin' &&
    n.args?.length === 1 &&
    !isDoneChan(n.args[0]!);
  const fun = unparen(d.call.fun);
  if (fun.kind === 'FuncLit') {
    let after = false;
    walkSameFunc(fun.body, (x) => {
      if (after) return false;
      if (isClose(x) && nodePos(x) > nodePos(wait)) after = true;
      return !after;
    });
    return after;
  }
  let before = false;
  walkSameFunc(body, (x) => {
    if (before) return false;
    if (x.kind === 'DeferStmt') {
      if (nodePos(x) < nodePos(d) && isClose(x.call)) before = true;
      return false;
    }
    return true;
  });
  return before;
}

/** Whether a defer statement after `d` in the same function (so run before it) signals a stop. */
function stopDeferredAfter(pass: Pass, body: ast.BlockStmt, d: ast.DeferStmt): boolean {
  let found = false;
  walkSameFunc(body, (x) => {
    if (found) return false;
    if (x.kind !== 'DeferStmt') return true;
    if (nodePos(x) > nodePos(d)) {
      const fun = unparen(x.call.fun);
      if (isStopSignal(pass, x.call)) found = !closesUnsharedLocal(pass, body, x.call, d);
      else if (fun.kind === 'FuncLit') found = firstStopSignal(pass, fun.body) !== undefined;
    }
    return false;
  });
  return found;
}

/**
 * `stream, err := r.openStream(ctx); ...; defer stream.Close()` after `defer cleanup()` waits for
 * a goroutine: a Close of a local made after every goroutine of the function started, and never
 * handed to the package's own code, to a literal or to another variable, is not what any of them
 * waits on, so it stops none of them.
 */
function closesUnsharedLocal(pass: Pass, body: ast.BlockStmt, call: ast.CallExpr, wait: ast.DeferStmt): boolean {
  const f = unparen(call.fun);
  if (f.kind !== 'SelectorExpr') return false;
  const x = unparen(f.x);
  if (x.kind !== 'Ident') return false;
  const o = pass.types.objectOf(x);
  if (o?.kind !== 'var' || o.varKind !== 'local' || !o.decl) return false;
  const declAt = nodePos(o.decl);
  if (declAt < nodePos(body) || declAt > nodeEnd(body)) return false;
  // Made from what the deferred wait names (`stdout, _ := cmd.StdoutPipe()` for `defer
  // cmd.Wait()`): closing it is how the waited-for process or goroutine is told to stop.
  const waited = new Set<object>();
  inspect(wait.call, (y) => {
    if (y.kind === 'Ident') {
      const w = pass.types.objectOf(y);
      if (w) waited.add(w);
    }
    return true;
  });
  const def = definingValue(pass, x);
  let related = !def;
  if (def) inspect(def, (y) => {
    if (!related && y.kind === 'Ident') {
      const w = pass.types.objectOf(y);
      if (w && waited.has(w)) related = true;
    }
    return !related;
  });
  if (related) return false;
  let shared = false;
  const visit = (n: ast.Node, parent: ast.Node, inLit: boolean): void => {
    if (shared) return;
    // A goroutine started after the local exists may be handed it, or something made from it.
    if ((n.kind === 'GoStmt' || (n.kind === 'CallExpr' && groupGoOf(pass, n))) && nodePos(n) > declAt) {
      shared = true;
      return;
    }
    if (n.kind === 'Ident' && n !== o.decl && n.name === x.name && pass.types.objectOf(n) === o) {
      if (inLit) shared = true;
      else if (parent.kind === 'SelectorExpr' && parent.x === n) return;
      else if (parent.kind === 'CallExpr' && parent.fun !== n) {
        // Handed to another package's function (`json.NewDecoder(stream)`): read there, not kept.
        const c = pass.types.callee(parent);
        if (!c?.pkg || inModule(pass, c.pkg) || c.pkg === pass.pkg.importPath) shared = true;
      } else shared = true;
      return;
    }
    // A deferred literal (`defer func() { stream.Close() }()`) only releases it.
    const lit = n.kind === 'FuncLit' && !deferredLits.has(n);
    forEachChild(n, (c) => visit(c, n, inLit || lit));
  };
  const deferredLits = new Set<ast.Node>();
  walkNode(body, (n) => {
    if (n.kind === 'DeferStmt' && unparen(n.call.fun).kind === 'FuncLit') deferredLits.add(unparen(n.call.fun));
    return true;
  });
  forEachChild(body, (c) => visit(c, body, false));
  return !shared;
}

/**
 * Whether the function's own code after the defer statement signals a stop in a statement of its
 * body's top level (`defer func() { <-readLoopDone }()`, then `return d.conn.Close()` as the last
 * statement), or at the top level of a once-guard there: the signal runs before the function
 * returns, so before the deferred wait. Signals inside loops or other branches
 * (`close(update.done)` for one request) stop something else.
 */
function stopsAfterDefer(pass: Pass, body: ast.BlockStmt, d: ast.DeferStmt): boolean {
  const after = nodeEnd(d);
  // A once-guard around the signal (`if s.closed.CompareAndSwap(false, true) { close(s.closeCh)
  // }`, dapr's Close methods): the first call signals, and later calls find it signalled already.
  const onceGuard = (cond: ast.Expr): boolean => {
    let c = unparen(cond);
    if (c.kind === 'UnaryExpr' && c.op === '!') c = unparen(c.x);
    if (c.kind !== 'CallExpr') return false;
    const f = unparen(c.fun);
    return f.kind === 'SelectorExpr' && (f.sel.name === 'CompareAndSwap' || f.sel.name === 'Swap');
  };
  const stmts: ast.Stmt[] = [];
  for (const st of body.list ?? []) {
    if (st.kind === 'IfStmt' && !st.init && !st.else && onceGuard(st.cond)) stmts.push(...(st.body.list ?? []));
    else stmts.push(st);
  }
  for (const st of stmts) {
    if (nodePos(st) < after) continue;
    if (st.kind !== 'ExprStmt' && st.kind !== 'ReturnStmt' && st.kind !== 'AssignStmt') continue;
    let found = false;
    let sig: ast.CallExpr | undefined;
    const signalAt = nodePos(st);
    walkSameFunc(st, (x) => {
      if (found || x.kind === 'GoStmt') return false;
      // Not a send (`jobs <- j` feeds the workers, it does not stop them), nor a Close of
      // something the function opened itself (`f.Close()` of a local file stops no goroutine).
      if (x.kind === 'CallExpr' && isStopSignal(pass, x)) {
        const f = unparen(x.fun);
        const root = f.kind === 'SelectorExpr' ? rootIdent(f.x) : undefined;
        found = !root || pass.types.objectOf(root)?.varKind !== 'local';
        if (found) sig = x;
      }
      return !found;
    });
    if (found) {
      const skip = returnSkipping(pass, body, after, signalAt);
      if (skip) {
        skippedSignal.set(d, { ret: skip, signal: sig! });
        return false;
      }
      return true;
    }
  }
  return false;
}

/**
 * For `mu.Lock(); defer mu.Unlock(); defer wg.Wait()` (the unlock deferred before the wait, so it
 * runs after it): a goroutine of the package that calls Done on the same WaitGroup field and,
 * before that, locks the same mutex field (of the same struct type), directly or through
 * functions of the package it calls (three deep): it cannot reach its Done while the wait holds
 * the lock. Read locks on both sides do not conflict.
 */
function lockNeededByWaited(pass: Pass, body: ast.BlockStmt, d: ast.DeferStmt, wait: ast.CallExpr): { unlock: LockCall; go: ast.GoStmt; file: PassFile; done: ast.CallExpr; lock: ast.CallExpr; lockFile: PassFile } | undefined {
  if (pass.types.callee(wait)?.name !== '(*sync.WaitGroup).Wait') return undefined;
  const wf = unparen(wait.fun);
  const group = wf.kind === 'SelectorExpr' && unparen(wf.x).kind === 'SelectorExpr' ? selectorFieldKey(pass, unparen(wf.x) as ast.SelectorExpr) : undefined;
  if (!group) return undefined;
  // The unlocks deferred before the wait, in the function's own statements.
  const unlocks: { u: LockCall; key: string }[] = [];
  for (const st of body.list ?? []) {
    if (nodePos(st) >= nodePos(d)) break;
    if (st.kind !== 'DeferStmt') continue;
    const u = lockCall(pass, st.call);
    const m = u ? unparen(u.mutex) : undefined;
    const key = m?.kind === 'SelectorExpr' ? selectorFieldKey(pass, m) : undefined;
    if (u && key && (u.method === 'Unlock' || u.method === 'RUnlock')) unlocks.push({ u, key });
  }
  if (unlocks.length === 0) return undefined;
  const lockIn = (n: ast.Node, key: string, readHeld: boolean, depth: number, seen: Set<ast.Node>): { lock: ast.CallExpr; file: PassFile } | undefined => {
    for (const l of lockCallsIn(pass, n)) {
      if (l.method !== 'Lock' && !(l.method === 'RLock' && !readHeld)) continue;
      const m = unparen(l.mutex);
      if (m.kind === 'SelectorExpr' && selectorFieldKey(pass, m) === key) {
        const f = pass.fileOf(l.call);
        if (f) return { lock: l.call, file: f };
      }
    }
    if (depth >= 3) return undefined;
    let found: { lock: ast.CallExpr; file: PassFile } | undefined;
    walkSameFunc(n, (x) => {
      if (found) return false;
      if (x.kind !== 'CallExpr') return true;
      const c = pass.types.callee(x);
      const decl = c?.pkg === pass.pkg.importPath ? c.decl : undefined;
      if (decl?.body && !seen.has(decl)) {
        seen.add(decl);
        found = lockIn(decl.body, key, readHeld, depth + 1, seen);
      }
      return !found;
    });
    return found;
  };
  for (const file of pass.files) {
    if (!sourceMentions(file, '.Done()')) continue;
    let out: ReturnType<typeof lockNeededByWaited>;
    file.inspector.preorder(['GoStmt'], (g) => {
      if (out) return;
      const lit = unparen(g.call.fun);
      if (lit.kind !== 'FuncLit') return;
      let done: ast.CallExpr | undefined;
      walkSameFunc(lit.body, (x) => {
        if (done) return false;
        if (x.kind === 'CallExpr') {
          const f = unparen(x.fun);
          if (f.kind === 'SelectorExpr' && f.sel.name === 'Done' && unparen(f.x).kind === 'SelectorExpr' && selectorFieldKey(pass, unparen(f.x) as ast.SelectorExpr) === group) done = x;
        }
        return !done;
      });
      const doneCall = done as ast.CallExpr | undefined;
      if (!doneCall) return;
      // Only a deferred Done comes after everything the goroutine does.
      const doneAt = nodePos(doneCall);
      let deferredDone = false;
      walkSameFunc(lit.body, (x) => {
        if (x.kind === 'DeferStmt' && nodePos(x) <= doneAt && doneAt < nodeEnd(x)) deferredDone = true;
        return !deferredDone;
      });
      if (!deferredDone) return;
      for (const { u, key } of unlocks) {
        const hit = lockIn(lit.body, key, u.method === 'RUnlock', 0, new Set());
        if (hit) {
          out = { unlock: u, go: g, file, done: doneCall, lock: hit.lock, lockFile: hit.file };
          return;
        }
      }
    });
    if (out) return out;
  }
  return undefined;
}

/** A deferred wait whose stop signal an earlier return leaves out: the return and the signal's statement. */
const skippedSignal = new WeakMap<ast.DeferStmt, { ret: ast.ReturnStmt; signal: ast.CallExpr }>();

/**
 * A return between the deferred wait (ending at `after`) and the statement that tells the
 * goroutines to stop (at `signalAt`), once goroutines run: `defer wg.Wait()`, workers started
 * with `for name := range jobs`, then `case <-ctx.Done(): return ctx.Err()` while feeding them and
 * `close(jobs)` only after the loop. On that return the wait comes before any signal, and the
 * workers, blocked in their receive, never call Done. Only when every goroutine started before the
 * return is a literal with no way out of its own (no select on a done or timeout channel, no
 * context it checks): a worker that also selects on `ctx.Done()` ends when the context does.
 */
function returnSkipping(pass: Pass, body: ast.BlockStmt, after: number, signalAt: number): ast.ReturnStmt | undefined {
  const gos: ast.GoStmt[] = [];
  let ret: ast.ReturnStmt | undefined;
  walkSameFunc(body, (x) => {
    if (ret) return false;
    if (x.kind === 'GoStmt') gos.push(x);
    else if (x.kind === 'ReturnStmt' && nodePos(x) > after && nodePos(x) < signalAt && gos.some((g) => nodePos(g) < nodePos(x))) ret = x;
    return true;
  });
  if (!ret) return undefined;
  for (const g of gos) {
    if (nodePos(g) > nodePos(ret)) continue;
    const f = unparen(g.call.fun);
    if (f.kind !== 'FuncLit') return undefined;
    let wayOut = false;
    inspect(f.body, (y) => {
      if (wayOut) return false;
      // A select with a done or timeout case, or a context asked whether it ended.
      if (y.kind === 'CommClause') {
        const ch = commOperand(y.comm);
        if (ch && (isTimeoutChan(pass, ch) || isDoneChan(ch))) wayOut = true;
      } else if (y.kind === 'SelectorExpr' && (y.sel.name === 'Err' || y.sel.name === 'Done') && isContext(pass, y.x)) {
        wayOut = true;
      }
      return !wayOut;
    });
    if (wayOut) return undefined;
  }
  return ret;
}

/** A context.Context value (by type; by name when the type is not known). */
function isContext(pass: Pass, e: ast.Expr): boolean {
  if (pass.types.typeOf(e)) return isCtxType(pass, e);
  const x = unparen(e);
  const name = x.kind === 'Ident' ? x.name : x.kind === 'SelectorExpr' ? x.sel.name : '';
  return /^ctx|Ctx$|^context$/i.test(name);
}

/** Calls by which a goroutine tells others it is done (besides the stop signals: close, Close, cancel, ...). */
const SIGNALS_OTHERS: ReadonlySet<string> = new Set(['Done', 'Unlock', 'RUnlock', 'Fire', 'Signal', 'Broadcast', 'Release']);

/**
 * Whether the function's own code registers, before the defer, a deferred call that others wait
 * for (`defer wg.Done()`, `defer close(done)`, `defer b.done.Fire()`, a deferred send or unlock):
 * it runs after the deferred wait, so they wait too.
 */
function signalDeferredBefore(pass: Pass, fn: FuncNode, d: ast.DeferStmt): boolean {
  if (!fn.body) return false;
  let found = false;
  walkSameFunc(fn.body, (x) => {
    if (found || nodePos(x) >= nodePos(d)) return false;
    if (x.kind !== 'DeferStmt') return true;
    inspect(x.call, (y) => {
      if (found) return false;
      if (y.kind === 'SendStmt') found = true;
      else if (y.kind === 'CallExpr') {
        const f = unparen(y.fun);
        const name = f.kind === 'Ident' ? f.name : f.kind === 'SelectorExpr' ? f.sel.name : '';
        if (SIGNALS_OTHERS.has(name) || isStopSignal(pass, y)) found = true;
      }
      return !found;
    });
    return false;
  });
  return found;
}

/** Whether a statement ahead of the defer in its own statement list signals a stop. */
function stopsBeforeDefer(pass: Pass, body: ast.BlockStmt, d: ast.DeferStmt): boolean {
  for (const st of listHolding(body, d)) {
    if (st === d) break;
    if ((st.kind === 'ExprStmt' || st.kind === 'SendStmt') && firstStopSignal(pass, st) !== undefined) return true;
  }
  return false;
}

/** Whether every use of the function in its package starts it as a goroutine (`go fillStatus(a)`, `go worker()`). */
function onlyStartedByGo(pass: Pass, fn: FuncNode): boolean {
  const node = callGraphOf(pass).nodeOf(fn);
  // The literal's own appearance (`fill := func(...) {...}`) is a value use of it, not a start.
  const uses = (node?.in ?? []).filter((e) => !(e.kind === 'value' && e.site === fn));
  return uses.length > 0 && uses.every((e) => e.kind === 'go');
}

/** Whether the literal is the function of a go statement: `go func() { ... }()`. */
function startedByGo(stack: readonly ast.Node[], lit: ast.FuncLit): boolean {
  const i = stack.lastIndexOf(lit);
  const call = i >= 1 ? stack[i - 1] : undefined;
  const go = i >= 2 ? stack[i - 2] : undefined;
  if (call?.kind !== 'CallExpr' || go?.kind !== 'GoStmt' || go.call !== call) return false;
  // `go func() {...}()`, or the literal handed to the function the go statement runs
  // (`go withRecover(func() {...})`): a wrapper that calls it in the new goroutine.
  return unparen(call.fun) === lit || (call.args ?? []).some((a) => unparen(a) === lit);
}

/** Whether a function literal is the one a group's `Go` runs in a goroutine of its own (`wg.Go(func() {...})`, errgroup's `g.Go`). */
function startedByGroup(pass: Pass, stack: readonly ast.Node[], lit: ast.FuncLit): boolean {
  const i = stack.lastIndexOf(lit);
  const call = i >= 1 ? stack[i - 1] : undefined;
  return call?.kind === 'CallExpr' && groupGoOf(pass, call)?.fn === lit;
}

/** Whether a go statement starts a goroutine that panics: `go panic(e)`, `go func() { panic(e) }()`. */
function startsPanic(g: ast.GoStmt): boolean {
  const f = unparen(g.call.fun);
  if (f.kind === 'Ident' && f.name === 'panic') return true;
  if (f.kind !== 'FuncLit') return false;
  const last = f.body.list?.[f.body.list.length - 1];
  if (last?.kind !== 'ExprStmt') return false;
  const c = unparen(last.x);
  return c.kind === 'CallExpr' && unparen(c.fun).kind === 'Ident' && (unparen(c.fun) as ast.Ident).name === 'panic';
}

/**
 * `select {}` statements that follow, in the same statement list, a go statement starting a
 * goroutine that panics: the process is crashing, and the empty select deliberately parks this
 * goroutine so that it shows in the crash dump. Not a wait anyone can shorten.
 */
function parkedAfterCrash(body: ast.Node): Set<ast.Node> {
  const out = new Set<ast.Node>();
  walkNode(body, (x) => {
    if (x.kind === 'FuncLit' && x !== body) return false;
    const list = stmtListOf(x);
    if (!list) return true;
    let crashing = false;
    for (const s of list) {
      if (s.kind === 'GoStmt' && startsPanic(s)) crashing = true;
      else if (crashing && s.kind === 'SelectStmt' && (s.body.list ?? []).length === 0) out.add(s);
    }
    return true;
  });
  return out;
}

/** The bodies of `if err != nil { ... }` (any name containing "err") in a body's own code, as [start, end) offsets. */
function failureBranches(body: ast.Node): [number, number][] {
  const out: [number, number][] = [];
  walkSameFunc(body, (x) => {
    if (x.kind !== 'IfStmt') return true;
    // `err != nil`, also as one side of `&&` (`retErr != nil && cleanupErr == nil`).
    const failed = (e: ast.Expr): boolean => {
      const c = unparen(e);
      if (c.kind === 'BinaryExpr' && c.op === '&&') return failed(c.x) || failed(c.y);
      if (c.kind !== 'BinaryExpr' || c.op !== '!=') return false;
      const l = unparen(c.x);
      const r = unparen(c.y);
      const nil = (y: ast.Expr) => y.kind === 'Ident' && y.name === 'nil';
      const v = nil(r) ? l : nil(l) ? r : undefined;
      return v?.kind === 'Ident' && /err/i.test(v.name);
    };
    if (failed(x.cond)) out.push([nodePos(x.body), nodeEnd(x.body)]);
    return true;
  });
  return out;
}

/**
 * Whether a connection's Read or Write is bounded by a deadline set on the same connection
 * earlier in the same code (`conn.SetWriteDeadline(time.Now().Add(d)); conn.Write(bye)`): it
 * fails with a timeout instead of waiting for the peer. Clearing the deadline (`time.Time{}`)
 * bounds nothing.
 */
function deadlineBefore(pass: Pass, body: ast.Node, call: ast.CallExpr, name: string): boolean {
  const io = ioOnConn(pass, call, name);
  const m = io ? [name, io.dir] : /\.(Read|Write)$/.exec(name);
  const target = io ? { recv: io.conn } : methodCallOn(call);
  if (!m || !target || (!io && !name.includes('net'))) return false;
  const setters = ['SetDeadline', m[1] === 'Read' ? 'SetReadDeadline' : 'SetWriteDeadline'];
  const at = nodePos(call);
  let found = false;
  walkSameFunc(body, (x) => {
    if (found || nodePos(x) >= at) return false;
    if (x.kind === 'CallExpr') {
      const s = methodCallOn(x);
      const arg = x.args?.[0] ? unparen(x.args[0]) : undefined;
      if (s && setters.includes(s.method) && sameExpr(s.recv, target.recv) && arg && arg.kind !== 'CompositeLit') found = true;
    }
    return !found;
  });
  return found;
}

/**
 * Blocking operations in a function body's own code (not nested literals, not go statements).
 * A wait for other goroutines that comes after the body told them to stop (`close(done); <-errCh`,
 * `cancel(); wg.Wait()`, `conn.Close(); <-readerDone`, `cmd.Process.Kill(); cmd.Wait()`) is a
 * shutdown handshake: it lasts as long as they take to notice, and is not a site.
 */
function sitesIn(pass: Pass, file: PassFile, body: ast.Node): Site[] {
  const out: Site[] = [];
  const skip = new Set<ast.Node>();
  let stopped = false;
  // Bodies of select cases that received the owner's shutdown signal (`case <-s.quit: <-s.done`):
  // a wait there comes after the stop, like one after close(quit).
  const afterStop: [number, number][] = [];
  const push = (site: Site, name?: string): void => {
    const others = waitsForOthers(site.node, name);
    if (others && (stopped || afterStop.some(([a, b]) => a <= nodePos(site.node) && nodePos(site.node) < b))) return;
    out.push({ ...site, others });
  };
  const parked = parkedAfterCrash(body);
  let onFailure: [number, number][] | undefined; // computed on the first os.RemoveAll
  walkNode(body, (x) => {
    if (x === body) return true;
    // `go conn.Close(err)`: the stop is asked for in the background, and what follows waits for it.
    if (x.kind === 'GoStmt' && !stopped && isStopSignal(pass, x.call)) stopped = true;
    if (x.kind === 'FuncLit' || x.kind === 'GoStmt' || skip.has(x) || parked.has(x)) return false;
    if (!stopped && isStopSignal(pass, x)) {
      // A send is a site itself (below) when it can wait; what follows it is after the signal.
      if (x.kind !== 'SendStmt') stopped = true;
    }
    switch (x.kind) {
      case 'SelectStmt': {
        const clauses = (x.body.list ?? []) as ast.CommClause[];
        if (clauses.length === 0) {
          out.push({ node: x, text: 'select {}', waits: 'blocks forever', confidence: 'high' });
          return false;
        }
        const bounded = clauses.some((c) => {
          if (c.comm === null) return true;
          const op = commOperand(c.comm);
          return !!op && (isTimeoutChan(pass, op) || isDoneChan(op));
        });
        if (!bounded) push({ node: x, text: `the select on line ${lineOf(file, x)}`, waits: 'waits on channels with no default case or timeout', confidence: 'high' });
        for (const c of clauses) {
          if (c.comm) skip.add(c.comm);
          const op = commOperand(c.comm);
          const list = c.body ?? [];
          if (op && isDoneChan(op) && list.length > 0) afterStop.push([nodePos(list[0]!), nodeEnd(list[list.length - 1]!)]);
        }
        return true;
      }
      case 'UnaryExpr':
        if (x.op === '<-') {
          const operand = unparen(x.x);
          if (operand.kind === 'CallExpr' && pass.types.callee(operand)?.name === 'time.After') {
            out.push({ node: x, text: textOf(file, x), waits: 'sleeps until the timer fires', confidence: 'high' });
          } else if (isTimeoutChan(pass, operand)) {
            out.push({ node: x, text: textOf(file, x), waits: 'blocks until the context is cancelled or the timer fires', confidence: 'medium' });
          } else if (!isSemaphore(pass, operand)) {
            push({ node: x, text: textOf(file, x), waits: 'blocks until a value is sent or the channel is closed', confidence: 'high' });
          }
          return false;
        }
        return true;
      case 'SendStmt': {
        const buf = chanBuffer(pass, x.chan);
        // A local made unbuffered here: high. A field the package makes unbuffered: the receiver
        // may be known to be waiting already (a hand-off to a counted waiter), medium.
        // A field served by a goroutine of the package that loops receiving from it (`for fn :=
        // range t.ptraceChan`, `for { select { case err := <-m.putc: ... } }`) is a request to a
        // server goroutine, which takes it as soon as it is free.
        if (buf === 'unbuffered' && unbuffered(pass, x.chan)) out.push({ node: x, text: textOf(file, x), waits: 'blocks until another goroutine receives from the unbuffered channel', confidence: 'high' });
        // The package's own sends on the channel elsewhere keep a way out (a default case, a
        // timer, a stop channel): it knows a send there can wait, for good once its receiver
        // has gone, and this one has no way out.
        // Also for a buffered field (`select { case g.events <- ev: default: }` elsewhere): the
        // package knows its buffer can be full, and this send then waits.
        else if ((buf !== 'buffered' || unparen(x.chan).kind === 'SelectorExpr') && sentWithWayOut(pass, x.chan)) out.push({ node: x, text: textOf(file, x), waits: 'blocks until a receiver takes the value (elsewhere the package sends on it in a select with a way out)', confidence: 'medium', wayOut: true });
        else if (buf === 'unbuffered') {
          // The reply to a requester that waits for it (`t.funcs <- item; <-t.done` elsewhere).
          if (awaitedAfterRequest(pass, x.chan)) { stopped = true; return true; }
          if (!servedByLoop(pass, x.chan)) out.push({ node: x, text: textOf(file, x), waits: 'blocks until another goroutine receives from the unbuffered channel', confidence: 'medium' });
          // Served by a loop: it takes the value once it is free, and never once it has returned
          // (at shutdown). Reported only in request handlers, whose response waits meanwhile.
          else out.push({ node: x, text: textOf(file, x), waits: 'blocks until the loop serving the unbuffered channel is free to receive it, and for good once that loop has returned', confidence: 'medium', loopServed: true });
        }
        // A channel made elsewhere: the send blocks unless it has room; a token given back to a
        // semaphore's pool never waits. Reported only in request handlers (below): elsewhere a
        // deferred send of a result is usually the function's protocol with its consumer.
        else if (buf === 'unknown' && !receivedInPackage(pass, x.chan) && !servedByLoop(pass, x.chan)) out.push({ node: x, text: textOf(file, x), waits: 'blocks until another goroutine receives, unless the channel has room in its buffer', confidence: 'medium', unknownCap: true });
        stopped = true;
        return true;
      }
      case 'RangeStmt': {
        const t = pass.types.typeOf(x.x);
        const u = t?.kind === 'named' ? t.underlying() : t;
        if (u?.kind === 'chan') push({ node: x, text: `range over ${textOf(file, x.x)}`, waits: 'waits until the channel is closed', confidence: 'high' });
        return true;
      }
      case 'CallExpr': {
        const b = blockingCall(pass, x);
        // `if err != nil { os.RemoveAll(dir) }`: undoing a half-made directory on the failure path only.
        const rollback = b?.name === 'os.RemoveAll' && (onFailure ??= failureBranches(body)).some(([a, z]) => a <= nodePos(x) && nodePos(x) < z);
        if (b && !BLOCKING_LOCKS.has(b.name) && !rollback && !deadlineBefore(pass, body, x, b.name) && !removesFile(pass, b.name, x)) {
          // The function's own scratch directory: usually small, but its size is not bounded here.
          const timed = clientHasTimeout(pass, x);
          const conf = removesTempDir(pass, b.name, x) || timed ? 'medium' : ctxConfidence(pass, x);
          if (conf) push({ node: x, text: callText(file, x), waits: b.waits, confidence: conf, ...(timed ? { clientTimeout: true } : {}) }, b.name);
        }
        return true;
      }
      default:
        return true;
    }
  });
  // Sends of unknown capacity count only in handlers: any other site comes first.
  return out.some((s) => s.unknownCap) ? [...out.filter((s) => !s.unknownCap), ...out.filter((s) => s.unknownCap)] : out;
}

/** The function that a deferred call's wait delays: the enclosing function, or for a literal called in place, the function around it. */
function handlerOf(pass: Pass, file: PassFile, stack: readonly ast.Node[]): HandlerMatch | undefined {
  for (let i = stack.length - 2; i >= 0; i--) {
    const n = stack[i]!;
    if (n.kind !== 'FuncDecl' && n.kind !== 'FuncLit') continue;
    const h = requestHandler(pass, file, n);
    if (h) return h;
    // Keep looking outwards only through literals called in place.
    const parent = stack[i - 1];
    if (n.kind === 'FuncLit' && parent?.kind === 'CallExpr' && unparen(parent.fun) === n) continue;
    return undefined;
  }
  return undefined;
}

/**
 * Whether the same mutex is locked or unlocked earlier in the function, or unlocked after the
 * defer: `mu.Lock(); defer mu.Lock()` is defer-lock-mismatch's finding, and `mu.Unlock(); defer
 * mu.Lock()` (or `defer mu.Lock(); mu.Unlock()`, go-hdb's callbacks) re-acquires a lock the caller
 * holds (the function runs with it released for a while), which is deliberate.
 */
function touchedBefore(pass: Pass, fn: FuncNode | undefined, d: ast.DeferStmt, mutex: ast.Expr): boolean {
  if (!fn?.body) return false;
  return lockCallsIn(pass, fn.body).some((l) => l.call !== d.call && sameExpr(l.mutex, mutex) && (l.call.lparen < d.defer || l.method === 'Unlock' || l.method === 'RUnlock'));
}

const ANY_PATH = { name: '', decl: null, global: true, fields: [] as string[] };

/**
 * Whether a receive in deferred code releases a token that the same goroutine acquired: a send
 * on the same channel earlier in the deferring function or in a function around it, on the way
 * to the defer (`sem <- struct{}{}; defer func() { <-sem }()`, also when the send comes before
 * the `go` statement that starts the function). The channel then holds that token, so the
 * receive does not wait, unless the channel is unbuffered.
 */
function releasesOwnToken(pass: Pass, stack: readonly ast.Node[], d: ast.DeferStmt, recv: ast.UnaryExpr): boolean {
  const key = chanKey(pass, recv.x);
  if (!key || unbuffered(pass, recv.x)) return false;
  for (let i = stack.length - 2; i >= 0; i--) {
    const f = stack[i]!;
    if (f.kind !== 'FuncDecl' && f.kind !== 'FuncLit') continue;
    if (!f.body) continue;
    let found = false;
    walkSameFunc(f.body, (x) => {
      if (found) return false;
      if (x.kind === 'SendStmt' && x.arrow < d.defer && chanKey(pass, x.chan) === key) found = true;
      return !found;
    });
    if (found) return true;
  }
  return false;
}

/**
 * Whether a wait for other goroutines found through callees comes after one of the functions on
 * the way told them to stop: `func (s *sync) Cancel() error { s.once.Do(func() { close(s.cancel) });
 * return s.Wait() }` deferred as `defer s.Cancel()` is a shutdown handshake.
 */
function stopsBeforeWait(pass: Pass, chain: { funcs: readonly GraphNode[]; calls: readonly ast.CallExpr[]; found: Site }): boolean {
  if (!chain.found.others) return false;
  for (let i = 0; i + 1 < chain.funcs.length; i++) {
    const body = chain.funcs[i]!.body;
    if (!body) continue;
    const stop = firstStopSignal(pass, body);
    if (stop !== undefined && stop < chain.calls[i + 1]!.lparen) return true;
  }
  return false;
}

function run(pass: Pass): void {
  const g = callGraphOf(pass);
  const cache = new Map<GraphNode, Site | null>();
  const firstSite = (fn: GraphNode): Site | undefined => {
    let s = cache.get(fn);
    if (s === undefined) {
      const f = (fn.decl ?? fn.lit)!;
      s = fn.body ? sitesIn(pass, pass.fileOf(f)!, fn.body)[0] ?? null : null;
      cache.set(fn, s);
    }
    return s ?? undefined;
  };
  const includeTests = pass.options.rules[ID]?.tests === true;
  for (const file of pass.files) {
    // Tests wait in defers on purpose (defer wg.Wait() keeps goroutines inside the test).
    if (file.test && !includeTests) continue;
    file.inspector.withStack(['DeferStmt'], (d, stack) => {
      // Shared test suites outside _test.go files (functions taking a *testing.T) are tests too.
      if (!includeTests && inTestCode(stack)) return;
      const fn = enclosingFunc(stack);
      const fname = fn ? funcName(file, fn) : 'the function';
      const call = d.call;
      // The deferred call as if written on the method value a variable holds (see boundCall).
      let direct = call;
      // A send to a loop-served channel counts only where it holds a response; elsewhere the
      // search goes on past it.
      let inHandler: boolean | undefined;
      const usable = (s: Site | undefined): Site | undefined => (s?.loopServed && !(inHandler ??= !!handlerOf(pass, file, stack)) ? undefined : s);
      const fun = unparen(call.fun);
      let site: Site | undefined;
      let chain: string[] = [];
      let siteFile = file;
      if (fun.kind === 'FuncLit') {
        site = usable(sitesIn(pass, file, fun.body)[0]);
        if (!site) {
          const lit = g.nodeOf(fun);
          // Looked for only when a callee waits for other goroutines.
          let stop: number | null | undefined;
          for (const e of lit?.out ?? []) {
            if ((e.kind !== 'call' && e.kind !== 'defer') || e.site.kind !== 'CallExpr') continue;
            const found = searchCallees(pass, e.site, ANY_PATH, (x) => usable(firstSite(x)), MAX_DEPTH, notCleanup);
            if (found && (stopsBeforeWait(pass, found) || boundedByCaller(pass, found, found.found.node))) continue;
            // `defer func() { if err != nil { ls.releaseLayer(l) } }()` reaching os.RemoveAll: a rollback on failure.
            if (found && found.found.node.kind === 'CallExpr' && pass.types.callee(found.found.node)?.name === 'os.RemoveAll' && failureBranches(fun.body).some(([a, z]) => a <= nodePos(e.site) && nodePos(e.site) < z)) continue;
            // The literal told the goroutines to stop before this call waits for them.
            if (found?.found.others) {
              if (stop === undefined) stop = firstStopSignal(pass, fun.body) ?? null;
              if (stop !== null && stop < e.site.lparen) continue;
            }
            if (found) {
              site = found.found;
              chain = found.funcs.map((x) => funcName(pass.fileOf((x.decl ?? x.lit)!)!, (x.decl ?? x.lit)!));
              siteFile = pass.fileOf(site.node) ?? file;
              break;
            }
          }
        }
      } else {
        // Also through a method value held in a variable (`wait := h.inflight.Wait; defer wait()`).
        const bound = boundCall(pass, call);
        direct = bound;
        const b = blockingCall(pass, bound);
        if (b) {
          if (BLOCKING_LOCKS.has(b.name)) {
            const l = lockCall(pass, bound);
            if (l && touchedBefore(pass, fn, d, l.mutex)) return;
          }
          if (removesFile(pass, b.name, bound)) return;
          // `defer os.RemoveAll(dir)` of the function's own scratch directory: the standard
          // cleanup, and usually small, but its size (and so the wait) is not bounded here.
          const timed = clientHasTimeout(pass, bound);
          const conf = removesTempDir(pass, b.name, bound) || timed ? 'medium' : ctxConfidence(pass, bound);
          if (!conf) return;
          site = { node: call, text: callText(file, call), waits: b.waits, confidence: conf, ...(timed ? { clientTimeout: true } : {}) };
        } else if (fun.kind === 'CallExpr' && g.calleeOf(fun)?.decl?.body) {
          // `defer t.begin(path)()`: what runs at exit is the function literal begin returns.
          const factory = g.calleeOf(fun)!;
          for (const lit of returnedLits(factory.decl!.body!)) {
            const litFile = pass.fileOf(lit);
            const s = litFile ? sitesIn(pass, litFile, lit.body)[0] : undefined;
            if (!s || !litFile) continue;
            site = s;
            chain = [funcName(litFile, factory.decl!), `the function literal it returns (line ${lineOf(litFile, lit)})`];
            siteFile = litFile;
            break;
          }
        } else if (g.calleeOf(call)) {
          const found = searchCallees(pass, call, ANY_PATH, (x) => usable(firstSite(x)), MAX_DEPTH, notCleanup);
          if (found && !stopsBeforeWait(pass, found) && !boundedByCaller(pass, found, found.found.node)) {
            site = found.found;
            chain = found.funcs.map((x) => funcName(pass.fileOf((x.decl ?? x.lit)!)!, (x.decl ?? x.lit)!));
            siteFile = pass.fileOf(site.node) ?? file;
          }
        }
      }
      if (!site) return;
      if (chain.length === 0 && site.node.kind === 'UnaryExpr' && releasesOwnToken(pass, stack, d, site.node)) return;
      // `tok := <-s.pool; defer func() { s.pool <- tok }()`: a token taken from the channel given
      // back, for which it has room.
      if (site.wayOut && site.node.kind === 'SendStmt' && fn?.body && takenBefore(pass, fn.body, d, site.node.chan)) return;
      // `defer wg.Wait(); ...; defer close(stop)` (or `defer cancel()`): deferred calls run last in,
      // first out, so the goroutines are told to stop before the wait: a shutdown handshake.
      const waitsOthers = site.others ?? waitsForOthers(site.node, pass.types.callee(site.node === call ? direct : site.node.kind === 'CallExpr' ? site.node : call)?.name);
      // A group wait that runs while the function still holds a mutex (its unlock deferred
      // earlier, so it runs after the wait), for goroutines that take that mutex before their
      // Done: no stop signal helps, they cannot get there.
      const heldLock = waitsOthers && chain.length === 0 && site.node.kind === 'CallExpr' && fn?.body ? lockNeededByWaited(pass, fn.body, d, site.node === call ? direct : site.node) : undefined;
      if (waitsOthers && fn?.body && !heldLock && stopDeferredAfter(pass, fn.body, d)) return;
      // `p.terminate(true); defer func() { p.report() }()`: told to stop before the defer is even registered.
      if (waitsOthers && fn?.body && !heldLock && stopsBeforeDefer(pass, fn.body, d)) return;
      // `defer func() { <-readLoopDone }(); ...; return d.conn.Close()`: told to stop on the way out.
      if (waitsOthers && fn?.body && !heldLock && stopsAfterDefer(pass, fn.body, d)) return;
      // The wait that makes a close of the channel safe (`defer func() { wg.Wait(); close(out) }()`,
      // or `defer close(out); defer wg.Wait()`): the remedy defer-close-chan-with-sender asks for.
      if (waitsOthers && chain.length === 0 && site.node.kind === 'CallExpr' && fn?.body && !heldLock && guardsClose(pass, fn.body, d, site.node)) return;
      // `go func() { var err error; defer func() { errCh <- err }(); ... }()`: a goroutine reporting
      // its result as it ends. Nobody waits for it to return, so the send delays nothing; whether
      // anyone receives is goroutine-blocked-send's question.
      // Unless the package's own code sends on that channel with a way out elsewhere: then the
      // goroutine can hang in its defer for good (its receiver gone), which it knows to avoid there.
      // Likewise for a literal a group runs (`wg.Go(func() { defer func() { results <- r }() ... })`).
      if (site.node.kind === 'SendStmt' && !site.wayOut && fn && ((fn.kind === 'FuncLit' && (startedByGo(stack, fn) || startedByGroup(pass, stack, fn))) || onlyStartedByGo(pass, fn))) return;
      const handler = handlerOf(pass, file, stack);
      if ((site.unknownCap || site.loopServed) && !handler) return;
      // A client Timeout bounds the request: outside a handler that is enough; in one, the
      // response still waits for as long as the timeout allows (medium).
      if (site.clientTimeout && !handler) return;
      // In a goroutine nobody waits for (no Done, close, send or unlock deferred before it, which
      // would run after the wait), the wait only keeps that goroutine alive longer: medium.
      const background = !handler && !!fn && ((fn.kind === 'FuncLit' && startedByGo(stack, fn)) || onlyStartedByGo(pass, fn)) && !signalDeferredBefore(pass, fn, d);
      const deferred = callText(file, call);
      const skipped = skippedSignal.get(d);
      const signalText = skipped ? callText(file, skipped.signal) : '';
      const where = site.text.includes(' line ') ? '' : ` (line ${lineOf(siteFile, site.node)})`;
      const path = site.node === call ? `deferred ${deferred}` : [`deferred ${deferred}`, ...chain, `${site.text}${where}`].join(' → ');
      const article = /^[aeiou]/i.test(handler?.framework ?? '') ? 'an' : 'a';
      const held = handler
        ? `, so ${fname} (${article} ${handler.framework}) cannot finish the request until then and holds the response`
        : background ? `, so the goroutine running ${fname} cannot end until then` : `, so ${fname} cannot return until then`;
      pass.report({
        node: d,
        file,
        severity: handler ? 'critical' : 'high',
        confidence: background && site.confidence === 'high' ? 'medium' : site.confidence,
        message: heldLock
          ? `${path} ${site.waits}, but ${textOf(file, heldLock.unlock.call)} is deferred before it and runs after it, so ${textOf(file, heldLock.unlock.mutex)} stays locked during the wait, and the goroutine started on line ${lineOf(heldLock.file, heldLock.go)} locks it (${textOf(heldLock.lockFile, heldLock.lock)} on line ${lineOf(heldLock.lockFile, heldLock.lock)}) before it can call ${textOf(heldLock.file, heldLock.done)}: ${fname} deadlocks; unlock before waiting (defer the wait before the unlock, or wait after an explicit unlock)`
          : skipped
          ? `${path} ${site.waits}${held}, and the return on line ${lineOf(file, skipped.ret)} leaves before ${signalText} (line ${lineOf(file, skipped.signal)}) tells them to stop, so the wait never ends; stop them on every path (register the signal as a defer after the wait, or let the goroutines select on ctx.Done())`
          : `${path} ${site.waits}${held}; ${remedyFor(pass, site, waitsOthers)}`,
        related: site.node === call ? [] : [{ node: site.node, file: siteFile, message: `${site.text} ${site.waits}` }],
      });
    });
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'high',
    summary: 'A deferred call that can block or take long (sleep, network or database round trip, WaitGroup.Wait, process wait, channel operation without timeout); critical inside request handlers.',
    enabledByDefault: true,
    fixable: false,
    category: 'blocking',
    docUrl: docUrl(ID),
  },
  // A send outside goroutines marks a semaphore channel for the whole package; go statements
  // tell which functions only ever run as goroutines; a body naming Timeout may build the
  // http.Client a deferred request is sent with.
  needs: (o) => bodyNeeds(o, { kinds: ['DeferStmt', 'SendStmt', 'GoStmt'], names: ['Timeout'] }, { chanFields: true }),
  run,
};
