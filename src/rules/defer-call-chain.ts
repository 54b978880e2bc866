// defer-call-chain: `defer a.B().C()`. A deferred call's receiver is evaluated at the defer
// statement, so `a.B()` runs now and only `C` waits for the function to return. `defer f()()`
// (f returns the func to defer) is the intended idiom and is not a chain.
import type * as ast from '../syntax/ast.js';
import { pos as nodePos, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { walkNode } from '../types/cfg.js';
import { bodyNeeds, enclosingFunc, funcName, lineOf, pathPrefix, sameExpr, textOf, varPath, walkSameFunc, type VarPath } from './helpers.js';

const ID = 'defer-call-chain';

/**
 * Begin/end pairs written on purpose as one chain: `defer trace.StartRegion(ctx, "x").End()`,
 * `defer prometheus.NewTimer(h).ObserveDuration()`, `defer profile.Start().Stop()`. The first call
 * is meant to run now. A chain whose inner call starts with one of these verbs and whose deferred
 * method is one of the matching ends is not reported.
 */
export const CHAIN_BEGIN_PREFIXES: readonly string[] = [
  'Start', 'Begin', 'New', 'Track', 'Trace', 'Time', 'Measure', 'Enter', 'Acquire', 'Lock', 'RLock', 'Open', 'Push', 'Span', 'Region', 'Task', 'Timer', 'Scope', 'Watch', 'Mark',
  'Subscribe', 'Register', 'Pause', 'Disable', 'Suspend', 'Hold', 'Pin',
];
export const CHAIN_END_METHODS: ReadonlySet<string> = new Set([
  'End', 'Stop', 'Finish', 'Done', 'ObserveDuration', 'Release', 'Unlock', 'RUnlock', 'Exit', 'Leave', 'Pop', 'Close', 'Record', 'Observe', 'Complete',
  'Unsubscribe', 'Unregister', 'Resume', 'Enable', 'Unpin',
]);

function calleeShort(pass: Pass, call: ast.CallExpr): string | undefined {
  const c = pass.types.callee(call);
  if (c) return c.short;
  const f = unparen(call.fun);
  if (f.kind === 'Ident') return f.name;
  if (f.kind === 'SelectorExpr') return f.sel.name;
  return undefined;
}

/** The call at the end of the receiver expression (`a.B()` in `a.B().C()`, also through `.f` and `[i]`). */
function receiverCall(pass: Pass, recv: ast.Expr): ast.CallExpr | undefined {
  let x = unparen(recv);
  for (;;) {
    if (x.kind === 'SelectorExpr') {
      // a.B().f.C(): the field access does not defer anything either.
      x = unparen(x.x);
      if (x.kind === 'CallExpr') break;
      return undefined;
    }
    if (x.kind === 'IndexExpr' || x.kind === 'StarExpr') {
      x = unparen(x.x);
      continue;
    }
    break;
  }
  if (x.kind !== 'CallExpr') return undefined;
  // A conversion T(x) evaluates nothing worth mentioning.
  const c = pass.types.callee(x);
  if (c?.kind === 'conversion' || pass.types.isType(x.fun)) return undefined;
  if (!c) {
    const f = unparen(x.fun);
    // Without types, `(*T)(p)` and `pkg.T(v)` look like calls; a parenthesized star or array type is a conversion.
    if (f.kind === 'StarExpr' || f.kind === 'ArrayType' || f.kind === 'MapType' || f.kind === 'ChanType' || f.kind === 'FuncType' || f.kind === 'InterfaceType') return undefined;
  }
  return x;
}

/**
 * Verbs that name an action with an effect (shut down, flush, commit...). A chain is reported only
 * when the call that runs early is such an action: accessors and builders (`br.Tx()`,
 * `s.Logger()`, `log.WithField(k, v)`) give the same value now as at exit, so evaluating them early
 * is harmless. A name matches when it is the verb or the verb followed by a capitalised word
 * (`Flush`, `FlushAll`; not `Logger` for `Log`).
 */
export const ACTION_VERBS: readonly string[] = [
  'Shutdown', 'Stop', 'Close', 'Flush', 'Start', 'Begin', 'Run', 'Exec', 'Execute', 'Send', 'Write', 'Commit', 'Rollback',
  'Release', 'Reset', 'Cancel', 'Wait', 'Drain', 'Finish', 'End', 'Kill', 'Terminate', 'Disconnect', 'Delete', 'Remove',
  'Save', 'Sync', 'Apply', 'Do', 'Process', 'Lock', 'Unlock', 'Acquire', 'Open', 'Connect', 'Dial', 'Listen', 'Serve',
  'Publish', 'Notify', 'Signal', 'Clear', 'Purge', 'Evict', 'Update', 'Set', 'Put', 'Push', 'Pop', 'Enqueue', 'Dequeue',
  'Submit', 'Trigger', 'Fire', 'Emit', 'Log', 'Print', 'Record', 'Observe', 'Stat', 'Load', 'Store', 'Swap', 'Restore',
  'Revert', 'Undo', 'Disable', 'Enable', 'Pause', 'Resume', 'Detach', 'Attach', 'Unregister', 'Register', 'Unsubscribe',
  'Subscribe', 'Abort', 'Exit', 'Quit', 'Halt', 'Dispose', 'Destroy', 'Free', 'Invalidate', 'Expire', 'Mark', 'Track',
];

/** Whether a name is one of the verbs, or one of them followed by a capitalised word. */
function startsWithVerb(name: string, verbs: readonly string[]): boolean {
  const n = name.charAt(0).toUpperCase() + name.slice(1);
  return verbs.some((v) => n === v || (n.startsWith(v) && /^[A-Z0-9_]/.test(n.charAt(v.length))));
}

function isAction(name: string): boolean {
  return startsWithVerb(name, ACTION_VERBS);
}

/**
 * Calls that take a picture of the current state (`Snapshot`, `Summary`, a builder's `Build`):
 * evaluated at the defer statement, the deferred call publishes, prints or commits the state as
 * it was then, before the function did its work.
 */
export const STATE_CAPTURE_VERBS: readonly string[] = [
  'Snapshot', 'Summary', 'Summarize', 'Checkpoint', 'Capture', 'Stats', 'Total', 'Totals', 'Usage', 'Build', 'Seal', 'Pending', 'Collect', 'Freeze', 'Progress', 'Counters', 'Clone', 'Copy',
];

function isStateCapture(name: string): boolean {
  // Also a name that ends in such a noun: `cursorSnapshot()`, `currentStats()`.
  return startsWithVerb(name, STATE_CAPTURE_VERBS) || /[a-z](Snapshot|Summary|Checkpoint|Stats|Totals|Counters|Progress|Usage)$/.test(name);
}

/** Deferred methods that put back a state captured now: `defer testutil.CaptureState().Restore()`, `defer op.Save(ops).Load()`. */
const RESTORE_METHODS: ReadonlySet<string> = new Set(['Restore', 'Load', 'Reset', 'Rollback', 'Revert', 'Undo', 'Discard', 'Free', 'Close', 'Release', 'Put']);

/** The name with its first letter upper-cased: unexported helpers (`startSpan`, `release`) read like exported ones. */
function exported(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function isIdiom(innerName: string | undefined, outerName: string | undefined): boolean {
  if (!innerName || !outerName) return false;
  // The deferred call undoes the early one: `defer clock.Freeze(now).Unfreeze()`,
  // `defer s.Pause().Unpause()`.
  if (exported(outerName) === `Un${exported(innerName).charAt(0).toLowerCase()}${exported(innerName).slice(1)}`) return true;
  if ((isStateCapture(innerName) || startsWithVerb(innerName, ['Save'])) && RESTORE_METHODS.has(exported(outerName))) return true;
  if (!CHAIN_END_METHODS.has(exported(outerName))) return false;
  const inner = exported(innerName);
  return CHAIN_BEGIN_PREFIXES.some((p) => inner.startsWith(p));
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    file.inspector.withStack(['DeferStmt'], (d, stack) => {
      const fun = unparen(d.call.fun);
      if (fun.kind !== 'SelectorExpr') return;
      // A package-qualified function (pkg.F()) has no receiver.
      if (fun.x.kind === 'Ident') return;
      const inner = receiverCall(pass, fun.x);
      if (!inner) return;
      const innerName = calleeShort(pass, inner);
      const outerName = fun.sel.name;
      if (!innerName) return;
      // The same call made just before and kept in a variable (`b := s.Batch(); defer
      // s.Batch().Commit()`): the chain makes a second one, and the deferred call acts on that
      // one, not on the value the function works with.
      const kept = keptEarlier(file, d, inner, stack);
      // Not when the kept value is handed to the deferred call (`before := s.total(); defer
      // s.total().expect(before)`): two values on purpose, one now and one compared with it.
      const handed = kept && (d.call.args ?? []).some((a) => {
        let hit = false;
        walkNode(a, (x) => {
          if (x.kind === 'Ident' && x.name === kept.id.name) hit = true;
          return !hit;
        });
        return hit;
      });
      if (kept && !handed && makesNew(pass, inner, innerName)) {
        reportSecondCall(pass, file, d, inner, kept, stack);
        return;
      }
      if (isIdiom(innerName, outerName)) return;
      if (isAction(innerName) || isStateCapture(innerName)) {
        report(pass, file, d, inner, stack);
        return;
      }
      // `defer c.measure(repo).Report(w, "after gc")`: the early call hands back a copy of the state
      // (a struct value), and the deferred call's own words say it describes the state at exit.
      const label = saysExitState(d.call);
      if (label && returnsStructValue(pass, inner)) {
        report(pass, file, d, inner, stack, undefined, undefined, undefined, label);
        return;
      }
      // An accessor, not a constructor or a begin call (`stat.NewTimer(n).Egress()` starts
      // something that the deferred call ends).
      const begins = CHAIN_BEGIN_PREFIXES.some((p) => exported(innerName).startsWith(p));
      // The early call measures elapsed time (`w.newReport(t, start)` building a report with
      // `Elapsed: time.Since(start)`): a begin call reads the clock to start something, but an
      // elapsed time read now is the time to the defer statement, not to the return.
      const elapsed = elapsedIn(pass, inner);
      if (elapsed) {
        report(pass, file, d, inner, stack, undefined, undefined, elapsed);
        return;
      }
      const stale = begins ? undefined : staleAccessor(pass, d, inner, stack);
      if (stale) {
        report(pass, file, d, inner, stack, stale);
        return;
      }
      // `defer json.NewEncoder(w).Encode(s.state())`: the chain's head is harmless, but an
      // argument of the deferred call is an accessor evaluated now whose state the function
      // changes afterwards.
      // The arguments of the chain's own calls count the same (`defer
      // r.metrics.Histogram("reconcile_" + r.currentPhase()).ObserveSince(start)`).
      const accessors: ast.CallExpr[] = [];
      for (const a of [...(d.call.args ?? []), ...(inner.args ?? [])]) {
        walkNode(a, (x) => {
          if (x.kind === 'FuncLit') return false;
          if (x.kind === 'CallExpr' && unparen(x.fun).kind === 'SelectorExpr') accessors.push(x);
          return true;
        });
      }
      for (const arg of accessors) {
        const argStale = staleAccessor(pass, d, arg, stack);
        if (argStale) {
          report(pass, file, d, arg, stack, argStale, inner);
          return;
        }
      }
    });
  }
}

/**
 * Whether each call of `inner` gives a new value: a function of the package that does not just
 * return a field of its receiver (an accessor gives the same value twice), or, out of sight, one
 * named like an acquisition (`Get`, `New`, `Begin`, `Acquire`, `Open`, `Batch`...).
 */
function makesNew(pass: Pass, inner: ast.CallExpr, name: string): boolean {
  const decl = pass.types.callee(inner)?.decl;
  if (decl?.body) {
    const self = decl.recv?.list?.[0]?.names?.[0]?.name;
    let returns = 0;
    let fields = 0;
    walkSameFunc(decl.body, (x) => {
      if (x.kind === 'ReturnStmt' && x.results?.length) {
        returns++;
        let r = unparen(x.results[0]!);
        if (r.kind === 'UnaryExpr' && r.op === '&') r = unparen(r.x);
        while (r.kind === 'SelectorExpr' || r.kind === 'IndexExpr') r = unparen(r.x);
        if (self && r.kind === 'Ident' && r.name === self) fields++;
      }
      return true;
    });
    return returns > 0 && fields < returns;
  }
  return /^(Get|New|Begin|Acquire|Open|Start|Create|Make|Borrow|Take|Fetch|Dial|Connect|Batch|Tx|Txn|Lease|Checkout)/.test(name.charAt(0).toUpperCase() + name.slice(1));
}

/** A variable the function assigned the same call before the defer (`b := s.Batch()`), if any. */
function keptEarlier(file: PassFile, d: ast.DeferStmt, inner: ast.CallExpr, stack: readonly ast.Node[]): { id: ast.Ident; at: ast.Node } | undefined {
  const fn = enclosingFunc(stack);
  if (!fn?.body) return undefined;
  const text = textOf(file, inner);
  let found: { id: ast.Ident; at: ast.Node } | undefined;
  walkSameFunc(fn.body, (x) => {
    if (found || nodePos(x) >= nodePos(d)) return false;
    if (x.kind === 'AssignStmt' && x.lhs.length === x.rhs.length) {
      x.lhs.forEach((l, i) => {
        const id = unparen(l);
        if (!found && id.kind === 'Ident' && id.name !== '_' && textOf(file, unparen(x.rhs[i]!)) === text) found = { id, at: x };
      });
    }
    return !found;
  });
  return found;
}

function reportSecondCall(pass: Pass, file: PassFile, d: ast.DeferStmt, inner: ast.CallExpr, kept: { id: ast.Ident; at: ast.Node }, stack: readonly ast.Node[]): void {
  const fn = enclosingFunc(stack);
  const fname = fn ? funcName(file, fn) : 'the function';
  const innerText = textOf(file, inner);
  const fun = unparen(d.call.fun) as ast.SelectorExpr;
  const fixed = `${kept.id.name}.${fun.sel.name}(${(d.call.args ?? []).map((a) => textOf(file, a)).join(', ')})`;
  pass.report({
    node: d,
    file,
    confidence: 'high',
    message: `in defer ${textOf(file, d.call)}, ${innerText} runs now and returns a second value, not the ${kept.id.name} that ${fname} got from the same call on line ${lineOf(file, kept.at)}: the deferred ${fun.sel.name} acts on that second one and ${kept.id.name} is never ${fun.sel.name === 'Close' || fun.sel.name === 'Release' ? 'released' : 'finished'}; defer ${fixed}`,
    related: [{ node: kept.at, message: `${kept.id.name} from ${innerText}` }],
  });
}

/** A string argument of a deferred call that says it describes the end state: `"after gc"`, `"final"`, `"done"`. */
function saysExitState(call: ast.CallExpr): ast.BasicLit | undefined {
  for (const a of call.args ?? []) {
    const x = unparen(a);
    if (x.kind === 'BasicLit' && x.tokKind === 'STRING' && /\b(after|final(ly)?|finish(ed)?|complet(e|ed)|end(ed)?|done|exit(ing)?)\b/i.test(x.value)) return x;
  }
  return undefined;
}

/** Whether a call's result is a struct value: a copy of the state taken when the call runs. */
function returnsStructValue(pass: Pass, call: ast.CallExpr): boolean {
  const t = pass.types.typeOf(call);
  if (t?.kind === 'struct') return true;
  return t?.kind === 'named' && t.underlying()?.kind === 'struct';
}

/** The receiver's fields a method body reads (`reads`) or assigns (`writes`), through its receiver name. */
function receiverFields(pass: Pass, decl: ast.FuncDecl): { reads: Set<string>; writes: Set<string> } | undefined {
  const self = decl.recv?.list?.[0]?.names?.[0];
  if (!decl.body || !self || self.name === '_') return undefined;
  const selfObj = pass.types.objectOf(self);
  const isSelf = (e: ast.Expr) => {
    const b = unparen(e);
    return b.kind === 'Ident' && b.name === self.name && (!selfObj || pass.types.objectOf(b) === selfObj);
  };
  const reads = new Set<string>();
  const writes = new Set<string>();
  const written = (l: ast.Expr) => {
    let x = unparen(l);
    while (x.kind === 'IndexExpr' || x.kind === 'StarExpr') x = unparen(x.x);
    if (x.kind === 'SelectorExpr' && isSelf(x.x)) writes.add(x.sel.name);
  };
  walkSameFunc(decl.body, (x) => {
    if (x.kind === 'SelectorExpr' && isSelf(x.x)) reads.add(x.sel.name);
    else if (x.kind === 'AssignStmt') x.lhs.forEach(written);
    else if (x.kind === 'IncDecStmt') written(x.x);
    else if (x.kind === 'CallExpr') {
      // `w.cur.Store(b)`: an atomic field given a new value through its own method.
      const g = unparen(x.fun);
      if (g.kind === 'SelectorExpr' && /^(Store|Swap|CompareAndSwap)$/.test(g.sel.name)) written(g.x);
      // `delete(h.clients, id)`, `clear(h.cache)`: the map (or slice) field changes in place.
      if (g.kind === 'Ident' && (g.name === 'delete' || g.name === 'clear') && x.args?.[0] && pass.types.objectOf(g)?.kind !== 'func') written(x.args[0]);
    }
    return true;
  });
  return { reads, writes };
}

/**
 * The receiver fields a method assigns (`writes`) or reads (`reads`), directly or through methods
 * of the package it calls on its own receiver, `depth` calls deep: `appendLocked` calling
 * `h.roll()`, which sets `h.seg`; `Report` reading `d.rows` through `d.Counts()`.
 */
function methodFields(pass: Pass, decl: ast.FuncDecl, which: 'reads' | 'writes', depth: number, seen = new Set<ast.FuncDecl>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(decl)) return out;
  seen.add(decl);
  const own = receiverFields(pass, decl);
  if (!own) return out;
  for (const f of own[which]) out.add(f);
  const self = decl.recv?.list?.[0]?.names?.[0];
  if (depth <= 0 || !self || !decl.body) return out;
  walkSameFunc(decl.body, (x) => {
    if (x.kind !== 'CallExpr') return true;
    const g = unparen(x.fun);
    if (g.kind !== 'SelectorExpr' || unparen(g.x).kind !== 'Ident' || (unparen(g.x) as ast.Ident).name !== self.name) return true;
    const m = pass.types.callee(x)?.decl;
    if (m?.recv) for (const f of methodFields(pass, m, which, depth - 1, seen)) out.add(f);
    return true;
  });
  return out;
}

/** The receiver fields a method assigns, three calls deep. */
function methodWrites(pass: Pass, decl: ast.FuncDecl): Set<string> {
  return methodFields(pass, decl, 'writes', 3);
}

/** The receiver fields a method reads, two calls deep. */
function methodReads(pass: Pass, decl: ast.FuncDecl): Set<string> {
  return methodFields(pass, decl, 'reads', 2);
}

/**
 * The fields of the value at `self.<path>` that a method changes, where self is its receiver:
 * assigned (`c.journal.removed = ...`), changed by a method called on that value
 * (`c.journal.record(path)`), or by a method called on the receiver or a value on the way, with
 * the rest of the path (three calls deep).
 */
function pathWrites(pass: Pass, decl: ast.FuncDecl, path: readonly string[], depth = 0): Set<string> {
  const out = new Set<string>();
  const self = decl.recv?.list?.[0]?.names?.[0];
  if (!decl.body || !self || self.name === '_' || depth >= 3) return out;
  const self0 = varPath(pass, self);
  const whole = self0 ? { ...self0, fields: [...path] } : undefined;
  // How far along the path an expression is (`c` 0, `c.journal` 1), or -1 when it is off it.
  const along = (e: ast.Expr): number => {
    const p = whole ? varPath(pass, e) : undefined;
    return whole && p && pathPrefix(p, whole) ? p.fields.length : -1;
  };
  walkSameFunc(decl.body, (x) => {
    const written = (l: ast.Expr) => {
      let y = unparen(l);
      while (y.kind === 'IndexExpr' || y.kind === 'StarExpr') y = unparen(y.x);
      if (y.kind === 'SelectorExpr' && along(y.x) === path.length) out.add(y.sel.name);
    };
    if (x.kind === 'AssignStmt') x.lhs.forEach(written);
    else if (x.kind === 'IncDecStmt') written(x.x);
    else if (x.kind === 'CallExpr') {
      const g = unparen(x.fun);
      if (g.kind !== 'SelectorExpr') return true;
      const k = along(g.x);
      if (k < 0) return true;
      const m = declWithBody(pass, x);
      if (!m?.recv) return true;
      const ws = k === path.length ? methodWrites(pass, m) : pathWrites(pass, m, path.slice(k), depth + 1);
      for (const w of ws) out.add(w);
    }
    return true;
  });
  return out;
}

/**
 * `defer s.currentConn().Close()` where the accessor (a method of the package) reads a field of
 * its receiver that the function changes after the defer: assigned directly (`s.conn = conn`) or
 * by a method of the package called on the same receiver (`w.Advance()` moving `w.cur` on). The
 * deferred call acts on the value the field held at the defer statement.
 */
function staleAccessor(pass: Pass, d: ast.DeferStmt, inner: ast.CallExpr, stack: readonly ast.Node[]): { field: string; at: ast.Node; base?: ast.Expr } | undefined {
  const f = unparen(inner.fun);
  if (f.kind !== 'SelectorExpr') return undefined;
  const recv = unparen(f.x);
  let root: ast.Expr = recv;
  while (root.kind === 'SelectorExpr') root = unparen(root.x);
  if (root.kind !== 'Ident' || pass.types.objectOf(root)?.kind !== 'var') return undefined;
  const decl = declWithBody(pass, inner);
  const own = decl ? receiverFields(pass, decl) : undefined;
  if (!own) return undefined;
  const fn = enclosingFunc(stack);
  if (!fn?.body) return undefined;
  // Or the accessor reads fields of a pointer it is given (`c.publisherFor(obj)` copying
  // obj.Status), which the function changes afterwards (`obj.Status.SetCondition(...)`).
  if (own.reads.size === 0) return paramStale(pass, d, inner, decl!, fn.body);
  const accessor = { reads: methodReads(pass, decl!) };
  const sameRecv = (e: ast.Expr) => sameExpr(unparen(e), recv);
  const recvPath = recv.kind === 'SelectorExpr' ? varPath(pass, recv) : undefined;
  const fieldOf = (l: ast.Expr): string | undefined => {
    let x = unparen(l);
    while (x.kind === 'IndexExpr' || x.kind === 'StarExpr') x = unparen(x.x);
    return x.kind === 'SelectorExpr' && sameRecv(x.x) && accessor.reads.has(x.sel.name) ? x.sel.name : undefined;
  };
  let hit: { field: string; at: ast.Node; base?: ast.Expr } | undefined;
  walkSameFunc(fn.body, (x) => {
    if (hit || x.kind === 'DeferStmt' || x.kind === 'GoStmt') return false;
    if (nodePos(x) <= nodePos(d)) return true;
    if (x.kind === 'AssignStmt') {
      for (const l of x.lhs) {
        const field = fieldOf(l);
        if (field) hit = { field, at: x };
      }
    } else if (x.kind === 'IncDecStmt') {
      const field = fieldOf(x.x);
      if (field) hit = { field, at: x };
    } else if (x.kind === 'CallExpr' && x !== inner) {
      const g = unparen(x.fun);
      const m = g.kind === 'SelectorExpr' && sameRecv(g.x) ? declWithBody(pass, x) : undefined;
      let writes = m ? methodWrites(pass, m) : undefined;
      // A method called on an owner of the accessor's receiver (`c.remove(d)` for `defer
      // c.journal.Report().Log(...)`), which changes it through its own path (`c.journal.record(path)`).
      if (!m && g.kind === 'SelectorExpr' && recvPath) {
        const own = varPath(pass, g.x);
        if (own && own.fields.length < recvPath.fields.length && pathPrefix(own, recvPath)) {
          const owner = declWithBody(pass, x);
          if (owner) writes = pathWrites(pass, owner, recvPath.fields.slice(own.fields.length));
        }
      }
      const field = writes ? [...writes].find((w) => accessor.reads.has(w)) : undefined;
      if (field) hit = { field, at: x };
    }
    return !hit;
  });
  return hit ?? paramStale(pass, d, inner, decl!, fn.body);
}

/**
 * For an accessor given pointers (`c.publisherFor(obj)`): a field of an argument that the accessor
 * reads through its parameter (`st := obj.Status`) and that the function changes after the defer,
 * by assigning into it (`obj.Status.ReadyReplicas = n`) or by calling a method of the module that
 * writes on it (`obj.Status.SetCondition(c)`).
 */
function paramStale(pass: Pass, d: ast.DeferStmt, inner: ast.CallExpr, decl: ast.FuncDecl, body: ast.BlockStmt): { field: string; at: ast.Node; base: ast.Expr } | undefined {
  if (!decl.body) return undefined;
  const params = (decl.type.params?.list ?? []).flatMap((f) => f.names ?? []);
  const args = inner.args ?? [];
  const watched: { path: VarPath; arg: ast.Expr; fields: Set<string> }[] = [];
  params.forEach((p, i) => {
    const a = args[i];
    if (!a || p.name === '_') return;
    const t = pass.types.typeOf(a);
    if (t?.kind !== 'pointer') return;
    const path = varPath(pass, a);
    if (!path) return;
    const po = pass.types.objectOf(p);
    const fields = new Set<string>();
    walkSameFunc(decl.body!, (x) => {
      if (x.kind === 'SelectorExpr') {
        const b = unparen(x.x);
        if (b.kind === 'Ident' && b.name === p.name && (!po || pass.types.objectOf(b) === po)) fields.add(x.sel.name);
      }
      return true;
    });
    if (fields.size > 0) watched.push({ path, arg: a, fields });
  });
  if (watched.length === 0) return undefined;
  // The watched field an expression lies in (`obj.Status.ReadyReplicas` → Status), if any.
  const fieldIn = (e: ast.Expr): { field: string; base: ast.Expr } | undefined => {
    const q = varPath(pass, e);
    if (!q) return undefined;
    for (const w of watched) {
      if (q.fields.length <= w.path.fields.length || !pathPrefix(w.path, q)) continue;
      const f = q.fields[w.path.fields.length]!;
      if (w.fields.has(f)) return { field: f, base: w.arg };
    }
    return undefined;
  };
  let hit: { field: string; at: ast.Node; base: ast.Expr } | undefined;
  walkSameFunc(body, (x) => {
    if (hit || x.kind === 'DeferStmt' || x.kind === 'GoStmt') return false;
    if (nodePos(x) <= nodePos(d)) return true;
    const written = (l: ast.Expr) => {
      let y = unparen(l);
      while (y.kind === 'IndexExpr' || y.kind === 'StarExpr') y = unparen(y.x);
      const f = fieldIn(y);
      if (f) hit = { ...f, at: x };
    };
    if (x.kind === 'AssignStmt') x.lhs.forEach(written);
    else if (x.kind === 'IncDecStmt') written(x.x);
    else if (x.kind === 'CallExpr' && x !== inner) {
      const g = unparen(x.fun);
      if (g.kind === 'SelectorExpr') {
        const f = fieldIn(g.x);
        const m = f ? declWithBody(pass, x) : undefined;
        if (f && m?.recv && methodWrites(pass, m).size > 0) hit = { ...f, at: x };
      }
    }
    return !hit;
  });
  return hit;
}

/**
 * The declaration, with its body, of the function or method a call calls: in this package, or in
 * another package of the module (read by its text: `c.State()` of the registry package, called
 * from a command).
 */
function declWithBody(pass: Pass, call: ast.CallExpr): ast.FuncDecl | undefined {
  const c = pass.types.callee(call);
  if (!c) return undefined;
  if (c.pkg === pass.pkg.importPath) return c.decl;
  return (c.kind === 'method' || c.kind === 'func') && c.pkg ? pass.moduleFunc(c.pkg, c.short, c.recv?.name) : undefined;
}

/** A `time.Since(...)` call in the own code of the package function or method `inner` calls. */
function elapsedIn(pass: Pass, inner: ast.CallExpr): { call: ast.CallExpr; file: PassFile } | undefined {
  const decl = pass.types.callee(inner)?.decl;
  if (!decl?.body) return undefined;
  let found: ast.CallExpr | undefined;
  walkSameFunc(decl.body, (x) => {
    if (found) return false;
    if (x.kind === 'CallExpr' && pass.types.callee(x)?.name === 'time.Since') found = x;
    return !found;
  });
  const f = found ? pass.fileOf(found) : undefined;
  return found && f ? { call: found, file: f } : undefined;
}

function report(pass: Pass, file: PassFile, d: ast.DeferStmt, inner: ast.CallExpr, stack: readonly ast.Node[], stale?: { field: string; at: ast.Node; base?: ast.Expr }, head?: ast.CallExpr, elapsed?: { call: ast.CallExpr; file: PassFile }, label?: ast.BasicLit): void {
  const fn = enclosingFunc(stack);
  const fname = fn ? funcName(file, fn) : 'the function';
  const innerText = textOf(file, inner);
  const fun = unparen(d.call.fun) as ast.SelectorExpr;
  const typed = pass.types.callee(inner) !== undefined;
  const recv = stale ? textOf(file, (unparen(inner.fun) as ast.SelectorExpr).x) : '';
  const read = stale ? `${stale.base ? textOf(file, stale.base) : recv}.${stale.field}` : '';
  const changes = stale?.at.kind === 'CallExpr' ? `changes afterwards through ${textOf(file, stale.at)}` : 'assigns afterwards';
  pass.report({
    node: d,
    file,
    message: label
      ? `in defer ${textOf(file, d.call)}, ${innerText} runs now, at the defer statement, and hands back a copy of the state as it is then, while the deferred ${fun.sel.name} says ${label.value}: it reports the state from before ${fname} did its work; wrap the whole chain so it runs at exit: defer func() { ${textOf(file, d.call)} }()`
      : elapsed
      ? `in defer ${textOf(file, d.call)}, ${innerText} runs now, at the defer statement, and measures elapsed time there (${textOf(elapsed.file, elapsed.call)} on line ${lineOf(elapsed.file, elapsed.call)}${elapsed.file !== file ? ` of ${elapsed.file.path}` : ''}), so the deferred ${fun.sel.name} reports the time up to the defer, not up to when ${fname} returns; wrap the whole chain so it runs at exit: defer func() { ${textOf(file, d.call)} }()`
      : head && stale
      ? `in defer ${textOf(file, d.call)}, ${textOf(file, head)} and the argument ${innerText} run now, at the defer statement; ${innerText} reads ${read}, which ${fname} ${changes} (line ${lineOf(file, stale.at)}), so the deferred ${fun.sel.name} gets the value from before that; wrap the whole chain so it runs at exit: defer func() { ${textOf(file, d.call)} }()`
      : stale
      ? `in defer ${textOf(file, d.call)}, ${innerText} runs now, at the defer statement, and reads ${read}, which ${fname} ${changes} (line ${lineOf(file, stale.at)}): the deferred ${fun.sel.name} acts on the value from before that; wrap the whole chain so it runs at exit: defer func() { ${textOf(file, d.call)} }()`
      : `in defer ${textOf(file, d.call)}, ${innerText} runs now, at the defer statement, and only ${fun.sel.name} waits until ${fname} returns; if ${innerText} should run at exit too, wrap the whole chain: defer func() { ${textOf(file, d.call)} }()`,
    confidence: stale ? 'medium' : typed ? 'high' : 'medium',
    related: [
      { node: inner, message: `${innerText} is evaluated when the defer statement runs` },
      ...(stale ? [{ node: stale.at, message: `${read} ${stale.at.kind === 'CallExpr' ? 'changed' : 'assigned'} here, after the defer` }] : []),
    ],
  });
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'low',
    summary: 'defer a.B().C(): a.B() runs at the defer statement; only C is deferred.',
    enabledByDefault: true,
    fixable: false,
    category: 'evaluation',
    docUrl: docUrl(ID),
  },
  // What the function's other calls change is asked of a deferred chain (see prune's chainDefer).
  needs: (o) => bodyNeeds(o, { kinds: ['DeferStmt'] }, { deferred: true }),
  run,
};
