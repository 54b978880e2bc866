// goroutine-outside-recover: a function that protects itself with a deferred recover starts
// goroutines that have no recover of their own. recover only stops a panic of the goroutine whose
// deferred call runs it, so a panic in such a goroutine still crashes the whole process.
import type * as ast from '../syntax/ast.js';
import { inspect, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import type { Callee } from '../types/api.js';
import { PLUMBING_CALLS } from './catalog.js';
import { afterFuncCalls, bodyNeeds, funcName, sourceMentions, inModule, otherModuleFunc, goStmtsIn, groupGoCalls, protectingRecover, goTarget, lineOf, textOf, walkSameFunc, type FuncNode } from './helpers.js';

const ID = 'goroutine-outside-recover';

/** A context's cancel function: `cancel()` stops nothing that can panic. */
function isCancel(pass: Pass, call: ast.CallExpr): boolean {
  const t = pass.types.typeOf(call.fun);
  return t?.kind === 'named' && t.pkg === 'context' && (t.name === 'CancelFunc' || t.name === 'CancelCauseFunc');
}

/**
 * Book-keeping a callback may do besides plumbing: take and release a mutex, delete a map entry,
 * run a `sync.Once` (its literal is checked like the rest of the body).
 */
const BOOKKEEPING_CALLS: ReadonlySet<string> = new Set([
  '(*sync.Mutex).Lock',
  '(*sync.Mutex).Unlock',
  '(*sync.RWMutex).Lock',
  '(*sync.RWMutex).Unlock',
  '(*sync.RWMutex).RLock',
  '(*sync.RWMutex).RUnlock',
  'builtin delete',
]);

/**
 * A goroutine body that only waits, closes, cancels and stops timers (every call is in
 * PLUMBING_CALLS or a cancel). With `bookkeeping`, also one that unsubscribes or expires an entry
 * under a lock (`context.AfterFunc(ctx, func() { b.Unsubscribe(sub) })`): mutex calls, map
 * deletes, `once.Do` of such a literal, and the package's own functions doing only that (two
 * calls deep).
 */
function onlyPlumbing(pass: Pass, fn: FuncNode, bookkeeping = false, depth = 0): boolean {
  if (!fn.body) return false;
  let ok = true;
  inspect(fn.body, (x) => {
    if (!ok) return false;
    if (x.kind === 'CallExpr') {
      const c = pass.types.callee(x);
      if (c && (PLUMBING_CALLS.has(c.name) || c.kind === 'conversion' || isCancel(pass, x))) return true;
      if (!bookkeeping || !c) ok = false;
      else if (BOOKKEEPING_CALLS.has(c.name)) return true;
      else if (c.name === '(*sync.Once).Do') ok = x.args?.length === 1 && unparen(x.args[0]!).kind === 'FuncLit';
      else if (!c.decl || c.pkg !== pass.pkg.importPath || depth >= 2 || !onlyPlumbing(pass, c.decl, true, depth + 1)) ok = false;
    }
    return ok;
  });
  return ok;
}

/**
 * A goroutine literal whose only work is calls into other packages (`go func() { errc <-
 * srv.ListenAndServe() }()`): like `go srv.ListenAndServe()`, their recover is out of sight. Calls
 * of the package's own functions that recover by themselves may stand beside them.
 */
function onlyForeignCalls(pass: Pass, fn: FuncNode): boolean {
  if (fn.kind !== 'FuncLit') return false;
  let ok = true;
  let foreign = false;
  walkSameFunc(fn.body, (x) => {
    if (!ok) return false;
    if (x.kind !== 'CallExpr') return true;
    const c = pass.types.callee(x);
    // An http.Handler's ServeHTTP runs whatever handler the program installed: its own code.
    if (!c || c.name === 'builtin panic' || c.name === '(net/http.Handler).ServeHTTP') ok = false;
    else if (otherModuleFunc(pass, c)) {
      // Another package of the module (`writerDone <- c.WriteLoop(t)`): its source is at hand; a
      // function without a recover of its own leaves the goroutine unprotected.
      if (moduleRecoverer(pass, c)) foreign = true;
      else if (pass.moduleFunc(c.pkg, c.short, c.recv?.name)) ok = false;
      else foreign = true;
    }
    // A method of an interface another package of the module declares (`errs[i] = s.Deliver(ctx,
    // it)` with `pipeline.Sink`): whichever implementation runs is the module's own code, as for
    // `go s.Deliver(ctx, it)` itself.
    else if (c.kind === 'interface' && c.pkg !== '' && inModule(pass, c.pkg)) ok = false;
    else if ((c.kind === 'func' || c.kind === 'method' || c.kind === 'interface') && c.pkg !== '' && c.pkg !== pass.pkg.importPath) foreign = true;
    // A function of the package that recovers by itself, beside them (`errc <- hashDir(m,
    // filepath.Join(root, d))`): its work is protected, the rest is out of sight.
    else if (c.decl && protectingRecover(pass, c.decl)) foreign = true;
    else if (!PLUMBING_CALLS.has(c.name) && c.kind !== 'conversion' && c.kind !== 'builtin' && !isCancel(pass, x)) ok = false;
    return ok;
  });
  return ok && foreign;
}

/** Whether a function calls a function or method of another package of the module. */
function callsOtherModulePackage(pass: Pass, fn: FuncNode): boolean {
  let found = false;
  walkSameFunc(fn.body!, (x) => {
    if (found) return false;
    if (x.kind === 'CallExpr') {
      const c = pass.types.callee(x);
      if (otherModuleFunc(pass, c) || (c?.kind === 'interface' && c.pkg !== '' && c.pkg !== pass.pkg.importPath && inModule(pass, c.pkg))) found = true;
    }
    return !found;
  });
  return found;
}

/**
 * A goroutine whose work runs in literals it calls in place, each with its own recover (`for i :=
 * range idx { func() { defer func() { if p := recover(); ... }(); work(i) }() }`): every panic of
 * the work is stopped inside the goroutine.
 */
function protectedInPlace(pass: Pass, fn: FuncNode): boolean {
  let ok = true;
  let inPlace = false;
  walkSameFunc(fn.body!, (x) => {
    if (!ok) return false;
    // Book-keeping deferred by the worker (`defer wg.Done()`, `defer func() { done <- struct{}{} }()`).
    if (x.kind === 'DeferStmt') {
      const f = unparen(x.call.fun);
      if (f.kind === 'FuncLit' ? !onlyPlumbing(pass, f) : !PLUMBING_CALLS.has(pass.types.callee(x.call)?.name ?? '')) ok = false;
      return false;
    }
    if (x.kind !== 'CallExpr') return true;
    const f = unparen(x.fun);
    if (f.kind === 'FuncLit') {
      if (protectingRecover(pass, f)) inPlace = true;
      else ok = false;
      return true;
    }
    const c = pass.types.callee(x);
    // A function of the package that recovers by itself (`v.VerifyPartition(p)` with its own
    // deferred recover): its work is protected too.
    if (c?.decl && protectingRecover(pass, c.decl)) {
      inPlace = true;
      return true;
    }
    if (!c || c.name === 'builtin panic' || (!PLUMBING_CALLS.has(c.name) && c.kind !== 'conversion' && c.kind !== 'builtin' && !isCancel(pass, x))) ok = false;
    return ok;
  });
  return ok && inPlace;
}

/**
 * Whether a call runs a function of another package of the module that recovers by itself: its
 * declaration mentions recover, or it defers a function of its package that does (`func Do(fn
 * func() error) (err error) { defer Guard(&err); return fn() }`). Read by text, on demand.
 */
function moduleRecoverer(pass: Pass, c: Callee | undefined): boolean {
  if (!c || !otherModuleFunc(pass, c)) return false;
  if (pass.moduleFunc(c.pkg, c.short, c.recv?.name, 'recover')) return true;
  const d = pass.moduleFunc(c.pkg, c.short, c.recv?.name);
  return (d?.body?.list ?? []).some((st) => {
    if (st.kind !== 'DeferStmt') return false;
    const f = unparen(st.call.fun);
    return f.kind === 'Ident' && !!pass.moduleFunc(c.pkg, f.name, undefined, 'recover');
  });
}

/**
 * A goroutine literal that hands its work to a same-package wrapper which recovers:
 * `go func() { safeGo(func() { ... }) }()`. Every top-level statement is such a call or plumbing.
 */
function delegatesToRecoverer(pass: Pass, fn: FuncNode): boolean {
  const stmts = fn.body?.list ?? [];
  if (stmts.length === 0) return false;
  let delegated = false;
  // Every call of a statement is the recovering helper, plumbing (wg.Done, a semaphore release),
  // a builtin or a conversion: `results[i] = Result{Err: runTask(ctx, t)}` hands the work over too.
  const callsOk = (n: ast.Node): boolean => {
    let ok = true;
    walkSameFunc(n, (x) => {
      if (!ok) return false;
      if (x.kind !== 'CallExpr') return true;
      const c = pass.types.callee(x);
      if ((c?.decl?.body && protectingRecover(pass, c.decl)) || moduleRecoverer(pass, c)) delegated = true;
      else if (!c || c.name === 'builtin panic' || (!PLUMBING_CALLS.has(c.name) && c.kind !== 'conversion' && c.kind !== 'builtin')) ok = false;
      return ok;
    });
    return ok;
  };
  for (const s of stmts) {
    if (s.kind === 'DeferStmt') {
      // `defer wg.Done()`, `defer func() { <-sem }()`: bookkeeping around the handed-over work.
      const fun = unparen(s.call.fun);
      const c = pass.types.callee(s.call);
      if (fun.kind === 'FuncLit' ? onlyPlumbing(pass, fun) : !!c && PLUMBING_CALLS.has(c.name)) continue;
      return false;
    }
    // `if err := safeCall(work); err != nil { record(err) }`: the work handed over in the
    // condition, the branch handling its error.
    if (s.kind === 'IfStmt' && !s.else) {
      const before: boolean = delegated;
      if ((s.init && !callsOk(s.init)) || !callsOk(s.cond) || delegated === before) return false;
      continue;
    }
    // `errc <- safeDo(work)`: the result of the handed-over work sent on.
    if (s.kind !== 'ExprStmt' && s.kind !== 'AssignStmt' && s.kind !== 'SendStmt') return false;
    if (!callsOk(s)) return false;
  }
  return delegated;
}

const FAIL_METHODS = new Set(['Fatal', 'Fatalf', 'Error', 'Errorf', 'Fail', 'FailNow']);

/** Whether a deferred recover in a test reports a test failure (testing's Fatal/Error family, testify's assert or require). */
function assertsPanic(pass: Pass, rec: ast.DeferStmt): boolean {
  const lit = unparen(rec.call.fun);
  if (lit.kind !== 'FuncLit') return false;
  let found = false;
  walkSameFunc(lit.body, (x) => {
    if (found) return false;
    if (x.kind !== 'CallExpr') return true;
    const f = unparen(x.fun);
    if (f.kind !== 'SelectorExpr') return true;
    const name = pass.types.callee(x)?.name ?? '';
    if (FAIL_METHODS.has(f.sel.name) && (/^\(\*testing\.(T|B|F|common)\)\./.test(name) || (!name && unparen(f.x).kind === 'Ident'))) found = true;
    if (/^github\.com\/stretchr\/testify\/(assert|require)\./.test(name)) found = true;
    return !found;
  });
  return found;
}

function check(pass: Pass, file: PassFile, fn: FuncNode): void {
  if (!fn.body || !file.inspector.contains(fn, ['DeferStmt'])) return;
  const hasGo = file.inspector.contains(fn, ['GoStmt']);
  // `wg.Go(f)` (Go 1.25) starts a goroutine too, and so do `time.AfterFunc(d, f)` and
  // `context.AfterFunc(ctx, f)` (f runs later, in a goroutine of its own).
  const groupGos = pass.typesKnown ? groupGoCalls(pass, fn.body) : [];
  const afters = pass.typesKnown && sourceMentions(file, 'AfterFunc') ? afterFuncCalls(pass, fn.body) : [];
  if (!hasGo && groupGos.length === 0 && afters.length === 0) return;
  const rec = protectingRecover(pass, fn);
  if (!rec) return;
  // A test that recovers to check that the code under test panicked (`if r := recover(); r == nil
  // { t.Fatal("should panic") }`) is asserting, not protecting itself.
  if (file.test && assertsPanic(pass, rec)) return;
  const fname0 = funcName(file, fn);
  for (const gg of groupGos) {
    if (!gg.fn?.body || protectingRecover(pass, gg.fn) || onlyPlumbing(pass, gg.fn, true) || delegatesToRecoverer(pass, gg.fn)) continue;
    const group = textOf(file, gg.group);
    pass.report({
      node: gg.call,
      file,
      message: `${fname0} protects itself with a deferred recover (line ${lineOf(file, rec)}), but the goroutine that ${group}.Go starts on line ${lineOf(file, gg.call)} has no recover of its own: recover only stops panics of its own goroutine, so a panic there still crashes the whole process; add \`defer func() { if r := recover(); r != nil { ... } }()\` at the top of the function given to ${group}.Go`,
      related: [{ node: rec, message: `the deferred recover of ${fname0} covers only its own goroutine` }],
    });
  }
  for (const af of afters) {
    if (!af.fn?.body || protectingRecover(pass, af.fn) || onlyPlumbing(pass, af.fn, true) || delegatesToRecoverer(pass, af.fn)) continue;
    pass.report({
      node: af.call,
      file,
      message: `${fname0} protects itself with a deferred recover (line ${lineOf(file, rec)}), but ${af.name} on line ${lineOf(file, af.call)} runs its function later in a goroutine of its own, which has no recover: recover only stops panics of its own goroutine, so a panic there crashes the whole process; add \`defer func() { if r := recover(); r != nil { ... } }()\` at the top of the function given to ${af.name}`,
      related: [{ node: rec, message: `the deferred recover of ${fname0} covers only its own goroutine` }],
    });
  }
  if (!hasGo) return;
  const gos = goStmtsIn(fn.body);
  const fname = funcName(file, fn);
  // A function or method of another package of the module (`go a.client.Run(ctx)`): its source
  // is at hand; when its declaration never mentions recover, nothing protects the goroutine
  // (medium: read by text). True when the go statement runs such a function (reported or not).
  const moduleRunsUnprotected = (go: ast.GoStmt): boolean => {
    const c = pass.types.callee(go.call);
    if (!c || !otherModuleFunc(pass, c)) return false;
    const withRecover = moduleRecoverer(pass, c);
    const exists = withRecover || pass.moduleFunc(c.pkg, c.short, c.recv?.name);
    if (exists && !withRecover) {
      pass.report({
        node: go,
        file,
        confidence: 'medium',
        message: `${fname} protects itself with a deferred recover (line ${lineOf(file, rec)}), but the goroutine started on line ${lineOf(file, go)} runs ${textOf(file, go.call.fun)} of package ${c.pkg}, which has no recover of its own: recover only stops panics of its own goroutine, so a panic there still crashes the whole process; start it from a literal that defers a recover: go func() { defer func() { if r := recover(); r != nil { ... } }(); ${textOf(file, go.call)} }()`,
        related: [{ node: rec, message: `the deferred recover of ${fname} covers only its own goroutine` }],
      });
    }
    return true;
  };
  for (const go of gos) {
    // Started through a helper whose goroutine recovers around the work (`s.goSafe(func() {...})`).
    if (go.spawner && protectingRecover(pass, go.spawner)) continue;
    const t = goTarget(pass, go);
    if (!t) {
      // `go handle(ev)` with handle a func value (a parameter, a field, a map entry): whatever it
      // runs is out of sight, and nothing here recovers for it (medium).
      const c = pass.types.callee(go.call);
      // Also a func taken from an interface or a map (`go fn.(func(string))(m)`, `go hooks[name]()`).
      const fun = unparen(go.call.fun);
      const valueOfType = !c && fun.kind !== 'FuncLit' && pass.types.typeOf(fun)?.kind === 'signature';
      // A method of an interface the module declares (`go s.backend.Put(ctx, k, v)`): whichever
      // implementation runs, it is the module's own code, out of sight here.
      const ownInterface = c?.kind === 'interface' && c.pkg !== '' && (c.pkg === pass.pkg.importPath || inModule(pass, c.pkg));
      if (moduleRunsUnprotected(go)) continue;
      if (c?.kind === 'funcvalue' || valueOfType || ownInterface) {
        pass.report({
          node: go,
          file,
          confidence: 'medium',
          message: `${fname} protects itself with a deferred recover (line ${lineOf(file, rec)}), but the goroutine started on line ${lineOf(file, go)} runs ${ownInterface ? 'the interface method' : 'the function value'} ${textOf(file, go.call.fun)}, and recover only stops panics of its own goroutine: unless that function recovers by itself, a panic in it crashes the whole process; start it from a literal that defers a recover: go func() { defer func() { if r := recover(); r != nil { ... } }(); ${textOf(file, go.call)} }()`,
          related: [{ node: rec, message: `the deferred recover of ${fname} covers only its own goroutine` }],
        });
      }
      continue;
    }
    // A declaration of another package (read without its statements): its body is elsewhere.
    if (!t.fn.body || !pass.fileOf(t.fn)) {
      moduleRunsUnprotected(go);
      continue;
    }
    if (protectingRecover(pass, t.fn) || onlyPlumbing(pass, t.fn, true) || delegatesToRecoverer(pass, t.fn) || onlyForeignCalls(pass, t.fn) || protectedInPlace(pass, t.fn)) continue;
    const lit = t.fn.kind === 'FuncLit';
    const runs = lit ? 'has no recover of its own' : `runs ${funcName(pass.fileOf(t.fn) ?? file, t.fn)}, which has no recover of its own`;
    const fix = lit
      ? 'add `defer func() { if r := recover(); r != nil { ... } }()` at the top of the goroutine'
      : `add a deferred recover to ${funcName(pass.fileOf(t.fn) ?? file, t.fn)} or start it from a literal that recovers`;
    pass.report({
      node: go,
      file,
      // Its work is code of another package of the module, read by text: medium.
      ...(lit && callsOtherModulePackage(pass, t.fn) ? { confidence: 'medium' as const } : {}),
      message: `${fname} protects itself with a deferred recover (line ${lineOf(file, rec)}), but the goroutine started on line ${lineOf(file, go)} ${runs}: recover only stops panics of its own goroutine, so a panic there still crashes the whole process; ${fix}`,
      related: [
        { node: rec, message: `the deferred recover of ${fname} covers only its own goroutine` },
        ...(lit ? [] : [{ node: t.fn, file: pass.fileOf(t.fn) ?? file, message: 'the goroutine runs this function, which does not recover' }]),
      ],
    });
  }
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    file.inspector.preorder(['FuncDecl', 'FuncLit'], (fn) => check(pass, file, fn));
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'medium',
    summary: 'A function protected by a deferred recover starts goroutines without one: their panics still crash the process.',
    enabledByDefault: true,
    fixable: false,
    category: 'panic',
    docUrl: docUrl(ID),
  },
  needs: (o) => bodyNeeds(o, { kinds: ['DeferStmt', 'GoStmt'] }),
  run,
};
