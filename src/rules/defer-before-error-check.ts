// defer-before-error-check: `x, err := f(...)` followed by a defer that uses x before err is
// checked (or, for net/http requests, with the error thrown away). When f fails, x is nil: the
// deferred call dereferences nil at function exit, or closes nothing and hides the real error.
import type * as ast from '../syntax/ast.js';
import { inspect, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import type { Type } from '../types/api.js';
import { docUrl, type Confidence } from '../findings/model.js';
import { HTTP_REQUEST_CALLS, RELEASE_METHODS } from './catalog.js';
import { callGraphOf, exitFieldAliases, exitGraph, unconditionalParts, callsMethodNamed, deferNeeds, callName, exitAliases, processExit, displayName, isErrorTyped, funcName, isNilIdent, lineOf, mentions, selectorRoot, textOf, type FuncNode } from './helpers.js';

const ID = 'defer-before-error-check';

/** An assignment `x, ..., err := call` (or `=`, or `var x, err = call`). */
interface ResultAssign {
  stmt: ast.Stmt;
  call: ast.CallExpr;
  /** The non-blank values other than the error. */
  values: ast.Ident[];
  /** The error variable, or null when it is discarded with `_`. */
  err: ast.Ident | null;
}

function resultAssign(s: ast.Stmt): ResultAssign | undefined {
  let lhs: readonly ast.Expr[];
  let rhs: readonly ast.Expr[];
  if (s.kind === 'AssignStmt' && (s.tok === ':=' || s.tok === '=')) {
    lhs = s.lhs;
    rhs = s.rhs;
  } else if (s.kind === 'DeclStmt' && s.decl.kind === 'GenDecl' && s.decl.tok === 'var' && s.decl.specs?.length === 1) {
    const spec = s.decl.specs[0]!;
    if (spec.kind !== 'ValueSpec' || !spec.values) return undefined;
    lhs = spec.names;
    rhs = spec.values;
  } else return undefined;
  if (lhs.length < 2 || rhs.length !== 1) return undefined;
  const call = unparen(rhs[0]!);
  if (call.kind !== 'CallExpr') return undefined;
  const last = lhs[lhs.length - 1]!;
  if (last.kind !== 'Ident') return undefined;
  const values = lhs.slice(0, -1).filter((l): l is ast.Ident => l.kind === 'Ident' && l.name !== '_');
  if (values.length === 0) return undefined;
  return { stmt: s, call, values, err: last.name === '_' ? null : last };
}

/** Whether a value of this type can be nil (so a method call or field access on the failure path dereferences nil). */
function nilable(t: Type | undefined): boolean | undefined {
  if (!t) return undefined;
  let u: Type | undefined = t;
  if (u.kind === 'named') u = u.underlying();
  if (!u) return undefined;
  switch (u.kind) {
    case 'pointer': case 'interface': case 'map': case 'slice': case 'chan': case 'signature': return true;
    case 'typeparam': return undefined;
    default: return false;
  }
}

/** The error variable's standing: known to be an error (high), looks like one by name (medium), or not one. */
function errorVar(pass: Pass, err: ast.Ident): Confidence | undefined {
  const known = isErrorTyped(pass, err);
  if (known !== undefined) return known ? 'high' : undefined;
  return /^err$|^err[A-Z0-9_]|Err$/.test(err.name) ? 'medium' : undefined;
}

/** How a deferred call uses x: the method or field path it goes through, or undefined. */
interface DeferUse {
  /** `resp.Body.Close()`, or `function literal` */
  shown: string;
  /** The use of x: the deferred call, or the call or selector in the literal. */
  path: ast.Expr;
  /** The use is in an argument of the deferred call, evaluated at the defer statement itself. */
  atDefer?: boolean;
  /** x itself handed back to a pool (`defer p.Put(v)`), which keeps the failed call's zero value. */
  pooled?: boolean;
}

/**
 * The first method call or field selector on x inside n (`tmp.Name()` in `os.Remove(tmp.Name())`,
 * `f.Close()` in a deferred literal), looking into nested literals only when asked.
 */
function firstUseOf(pass: Pass, n: ast.Node, x: ast.Ident, intoLiterals: boolean): ast.Expr | undefined {
  let use: ast.Expr | undefined;
  inspect(n, (y) => {
    if (use || (y.kind === 'FuncLit' && !intoLiterals)) return false;
    if (y.kind === 'CallExpr') {
      const f = unparen(y.fun);
      const root = f.kind === 'SelectorExpr' ? selectorRoot(f.x) : undefined;
      if (root && sameObj(pass, root, x)) use = y;
    } else if (y.kind === 'SelectorExpr') {
      const root = selectorRoot(y.x);
      if (root && sameObj(pass, root, x)) use = y;
    }
    return !use;
  });
  return use;
}

function deferUse(pass: Pass, file: PassFile, d: ast.DeferStmt, x: ast.Ident, err: ast.Ident | null): DeferUse | undefined {
  const fun = unparen(d.call.fun);
  // An argument that goes through x (`defer os.Remove(tmp.Name())`) is evaluated right at the
  // defer statement: on failure the nil dereference happens there. Passing x itself (`defer
  // closeQuietly(f)`) is left alone: the callee may handle nil.
  if (fun.kind !== 'FuncLit' && !(err && (d.call.args ?? []).some((arg) => mentions(pass, arg, err)))) {
    for (const arg of d.call.args ?? []) {
      const u = firstUseOf(pass, arg, x, false);
      if (u && !nilSafeCall(pass, u, x)) return { shown: textOf(file, d.call), path: u, atDefer: true };
    }
  }
  // Passing x itself (`defer closeBody(resp)`) to a function of the package that goes through
  // its parameter with no nil test (`resp.Body.Close()` inside): the nil dereference happens there.
  if (fun.kind !== 'FuncLit' && !(err && (d.call.args ?? []).some((arg) => mentions(pass, arg, err))) && dereferencesArg(pass, d.call, x)) {
    return { shown: textOf(file, d.call), path: d.call };
  }
  // `v, err := p.Get(); defer p.Put(v)`: handed back to a pool of the package that keeps what it
  // is given (a send, an append, a store) without looking at it.
  if (fun.kind === 'SelectorExpr' && !(err && (d.call.args ?? []).some((arg) => mentions(pass, arg, err))) && poolKeeps(pass, d.call, x)) {
    return { shown: textOf(file, d.call), path: d.call, pooled: true };
  }
  // A method expression (`defer (*Segment).Close(seg)`): x is the receiver, as in `seg.Close()`.
  if (fun.kind === 'SelectorExpr' && pass.types.isType(fun.x) && pass.types.callee(d.call)?.kind === 'method') {
    const r = d.call.args?.[0] ? unparen(d.call.args[0]) : undefined;
    if (err && (d.call.args ?? []).some((arg) => mentions(pass, arg, err))) return undefined;
    if (r?.kind === 'Ident' && sameObj(pass, r, x) && !nilSafeCall(pass, d.call, x)) return { shown: textOf(file, d.call), path: d.call };
    return undefined;
  }
  if (fun.kind === 'SelectorExpr') {
    // Also through a method call on the way (`defer resp.RawBody().Close()`): the receiver chain
    // is evaluated at the defer statement, on the nil value.
    let base = unparen(fun.x);
    while (base.kind === 'CallExpr' && unparen(base.fun).kind === 'SelectorExpr') base = unparen((unparen(base.fun) as ast.SelectorExpr).x);
    const root = selectorRoot(base);
    // The deferred call is handed the error itself (`defer wfctx.Unlock(err)`): it is written to
    // run on failure too, as a closure that looks at err is.
    if (err && (d.call.args ?? []).some((arg) => mentions(pass, arg, err))) return undefined;
    if (root && root.name === x.name && sameObj(pass, root, x) && !nilSafeCall(pass, d.call, x)) return { shown: textOf(file, d.call), path: d.call };
    return undefined;
  }
  if (fun.kind !== 'FuncLit') return undefined;
  // A closure that looks at err or compares x with nil guards itself.
  if (err && mentions(pass, fun.body, err)) return undefined;
  let guarded = false;
  inspect(fun.body, (n) => {
    if (guarded) return false;
    if (n.kind === 'BinaryExpr' && (n.op === '==' || n.op === '!=')) {
      const a = unparen(n.x);
      const b = unparen(n.y);
      if ((a.kind === 'Ident' && sameObj(pass, a, x) && isNilIdent(pass, b)) || (b.kind === 'Ident' && sameObj(pass, b, x) && isNilIdent(pass, a))) guarded = true;
    }
    return !guarded;
  });
  const use = guarded ? undefined : firstUseOf(pass, fun.body, x, true);
  if (guarded || !use || nilSafeCall(pass, use, x)) return undefined;
  return { shown: 'function literal', path: use };
}

/** Methods that give a value back to the pool it came from. */
const POOL_RETURNS = /^(Put|PutBack|Release|Return|Recycle|Give|GiveBack|Free)$/;

/**
 * Whether a deferred `p.Put(x)` (a method of the package named as a hand-back) keeps x as it is:
 * its body sends the parameter on a channel, appends it or stores it, and never tests it.
 */
function poolKeeps(pass: Pass, call: ast.CallExpr, x: ast.Ident): boolean {
  const fun = unparen(call.fun);
  if (fun.kind !== 'SelectorExpr' || !POOL_RETURNS.test(fun.sel.name) || call.args?.length !== 1) return false;
  const a = unparen(call.args[0]!);
  if (a.kind !== 'Ident' || !sameObj(pass, a, x)) return false;
  const decl = pass.types.callee(call)?.decl;
  const p = decl?.type.params?.list?.[0]?.names?.[0];
  if (!decl?.body || !decl.recv || !p || p.name === '_') return false;
  const isP = (e: ast.Expr | null | undefined): boolean => !!e && unparen(e).kind === 'Ident' && (unparen(e) as ast.Ident).name === p.name;
  let tested = false;
  let kept = false;
  inspect(decl.body, (n) => {
    if (n.kind === 'IfStmt' || n.kind === 'SwitchStmt') {
      // Any test that looks at the value (`if v == nil`, `if !p.valid(v)`) may drop it.
      const cond = n.kind === 'IfStmt' ? n.cond : n.tag;
      if (cond && mentions(pass, cond, p)) tested = true;
    }
    return !tested;
  });
  if (tested) return false;
  // Kept on some path (`select { case p.idle <- v: default: p.closeFn(v) }`): the pool may hand
  // it out again.
  inspect(decl.body, (n) => {
    if (kept) return false;
    if (n.kind === 'SendStmt' && isP(n.value)) kept = true;
    else if (n.kind === 'CallExpr' && unparen(n.fun).kind === 'Ident' && (unparen(n.fun) as ast.Ident).name === 'append' && (n.args ?? []).slice(1).some(isP)) kept = true;
    else if (n.kind === 'AssignStmt' && n.rhs.some(isP) && n.lhs.some((l) => unparen(l).kind !== 'Ident')) kept = true;
    return !kept;
  });
  return kept;
}

/**
 * Whether a call hands x to a function of the package (with its body at hand) whose parameter
 * for it is gone through (a method call or a field) and never compared with nil.
 */
function dereferencesArg(pass: Pass, call: ast.CallExpr, x: ast.Ident): boolean {
  const decl = pass.types.callee(call)?.decl;
  if (!decl?.body || !decl.type.params) return false;
  const params: ast.Ident[] = [];
  for (const f of decl.type.params.list ?? []) {
    if (f.type?.kind === 'Ellipsis') return false;
    for (const n of f.names ?? []) params.push(n);
  }
  const args = call.args ?? [];
  for (let i = 0; i < args.length && i < params.length; i++) {
    const a = unparen(args[i]!);
    const p = params[i]!;
    if (a.kind !== 'Ident' || !sameObj(pass, a, x) || p.name === '_') continue;
    let guarded = false;
    inspect(decl.body, (n) => {
      if (guarded) return false;
      if (n.kind === 'BinaryExpr' && (n.op === '==' || n.op === '!=')) {
        const l = unparen(n.x);
        const r = unparen(n.y);
        if ((l.kind === 'Ident' && sameObj(pass, l, p) && isNilIdent(pass, r)) || (r.kind === 'Ident' && sameObj(pass, r, p) && isNilIdent(pass, l))) guarded = true;
      }
      return !guarded;
    });
    if (guarded) continue;
    // Only a use every call makes: in a statement of the body's own list (an `if`'s or a
    // `switch`'s init and condition included), not under a branch or a loop (restic's
    // unlockRepo looks its lock up in a list and only unlocks the one it finds).
    for (const st of decl.body.list ?? []) {
      for (const part of unconditionalParts(st)) {
        const use = firstUseOf(pass, part, p, false);
        if (use && !nilSafeCall(pass, use, p)) return true;
      }
    }
  }
  return false;
}

/**
 * Whether the use is a method call on x itself that cannot fail on a nil x: a method of a slice or
 * map type (the nil value is passed by value; `range` and `len` over it are fine, and the call is
 * often meant to release a partial result, as with grpc's `mem.BufferSlice.Free`), or a method of
 * this package whose body starts with `if recv == nil` (or `if recv == nil || ...`) and returns.
 */
function nilSafeCall(pass: Pass, path: ast.Expr, x: ast.Ident): boolean {
  if (path.kind !== 'CallExpr') return false;
  const fun = unparen(path.fun);
  if (fun.kind !== 'SelectorExpr') return false;
  // A method expression (`(*T).Close(x)`) takes the receiver as its first argument.
  const recvExpr = pass.types.isType(fun.x) && path.args?.[0] ? unparen(path.args[0]) : unparen(fun.x);
  if (recvExpr.kind !== 'Ident' || !sameObj(pass, recvExpr, x)) return false;
  const t = pass.types.typeOf(x) ?? pass.types.objectOf(x)?.type;
  const u = t?.kind === 'named' ? t.underlying() : t;
  if (u && (u.kind === 'slice' || u.kind === 'map')) return true;
  const decl = pass.types.callee(path)?.decl;
  const recv = decl?.recv?.list?.[0]?.names?.[0];
  const first = decl?.body?.list?.[0];
  if (!recv || !first || first.kind !== 'IfStmt' || first.init) return false;
  const isRecv = (e: ast.Expr) => e.kind === 'Ident' && e.name === recv.name;
  // `if c == nil { return }`, also as one alternative of `||` (`if c == nil || c.closed { return nil }`).
  const nilTest = (e: ast.Expr): boolean => {
    const c = unparen(e);
    if (c.kind !== 'BinaryExpr') return false;
    if (c.op === '||') return nilTest(c.x) || nilTest(c.y);
    if (c.op !== '==') return false;
    const a = unparen(c.x);
    const b = unparen(c.y);
    return (isRecv(a) && isNilIdent(pass, b)) || (isRecv(b) && isNilIdent(pass, a));
  };
  const returns = (first.body.list ?? []).some((st) => st.kind === 'ReturnStmt');
  if (returns && nilTest(first.cond)) return true;
  // The whole body under `if recv != nil { ... }`: nothing runs on a nil receiver.
  const c = unparen(first.cond);
  const only = (decl!.body!.list ?? []).length === 1 && !first.else;
  return only && c.kind === 'BinaryExpr' && c.op === '!=' && ((isRecv(unparen(c.x)) && isNilIdent(pass, unparen(c.y))) || (isRecv(unparen(c.y)) && isNilIdent(pass, unparen(c.x))));
}

function sameObj(pass: Pass, a: ast.Ident, b: ast.Ident): boolean {
  if (a.name !== b.name) return false;
  const oa = pass.types.objectOf(a);
  const ob = pass.types.objectOf(b);
  return oa && ob ? oa === ob : !oa && !ob;
}

/**
 * Whether a statement list surely goes on past its end: it is empty, or ends in a plain statement
 * (an assignment, a send, a call that is not a panic or an exit, an if with no else). Anything
 * else (a return, a branch, a switch, a loop) is taken as ending the way, to stay quiet.
 */
function fallsThrough(list: readonly ast.Stmt[] | null | undefined, exits: (c: ast.CallExpr) => boolean): boolean {
  const last = list?.[list.length - 1];
  if (!last) return true;
  switch (last.kind) {
    case 'AssignStmt':
    case 'IncDecStmt':
    case 'SendStmt':
    case 'DeclStmt':
    case 'GoStmt':
    case 'DeferStmt':
    case 'EmptyStmt':
      return true;
    case 'BlockStmt':
      return fallsThrough(last.list, exits);
    case 'IfStmt':
      return !last.else || fallsThrough(last.body.list, exits);
    case 'ExprStmt': {
      const c = unparen(last.x);
      if (c.kind !== 'CallExpr') return true;
      // A helper of the package that always exits (`fatalf("open: %v", err)`).
      if (exits(c)) return false;
      const f = unparen(c.fun);
      const name = f.kind === 'Ident' ? f.name : f.kind === 'SelectorExpr' ? f.sel.name : '';
      if (/^(panic|Exit|Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln|FailNow|Skip|Skipf|SkipNow|Goexit|Crash|Die|Must)/.test(name)) return false;
      // A test framework's abort: `framework.Failf("listen: %v", err)`, Ginkgo's `Fail(msg)`
      // (they panic to end the spec). testing's `t.Fail()` takes no message and goes on.
      if (name === 'Failf' || (name === 'Fail' && (c.args?.length ?? 0) > 0)) return false;
      // An event logger's chain that starts at a fatal or panic level (zerolog's
      // `log.Fatal().Err(err).Msg("listen")`): the final Msg exits.
      for (let x: ast.Expr = f; x.kind === 'SelectorExpr'; ) {
        const recv = unparen(x.x);
        if (recv.kind !== 'CallExpr') break;
        const rf = unparen(recv.fun);
        if (rf.kind === 'SelectorExpr' && (rf.sel.name === 'Fatal' || rf.sel.name === 'Panic') && (recv.args?.length ?? 0) === 0) return false;
        x = rf;
      }
      return true;
    }
    default:
      return false;
  }
}

/** Whether a call ends the process or the goroutine: a helper that always exits, or an exit held in a local variable. */
function exitTest(pass: Pass): (c: ast.CallExpr) => boolean {
  // The package graph's no-return calls (`t.FailNow`, `runtime.Goexit`, `log.Fatal`), and exits
  // held in variables (`var exit = os.Exit`) with the helpers reaching them (`die`).
  const base = callGraphOf(pass);
  const g = exitGraph(pass);
  return (call) => {
    const n = base.calleeOf(call);
    if (n && (base.alwaysExits(n) || g.alwaysExits(n))) return true;
    // An exit called through a variable (`fatal := logger.Fatalf; ...; fatal("lock: %v", err)`)
    // or a field (`&app{exit: os.Exit}`, then `a.exit(1)`).
    const f = unparen(call.fun);
    const alias = (f.kind === 'Ident' && exitAliases(pass).has(f.name)) || (f.kind === 'SelectorExpr' && exitFieldAliases(pass).has(f.sel.name));
    const file = alias ? pass.fileOf(call) : undefined;
    return !!file && !!processExit(pass, file, call);
  };
}

/**
 * How an `if` that tests err settles it: 'settled' when the way on for a non-nil err ends (`if
 * err != nil { return }`, `if err == nil { ... } else { return }`), 'falls-through' when a
 * non-nil err goes on past the if (`if err != nil { log.Print(err) }`, `if err == nil &&
 * resp.StatusCode != 200 { ... }` with no else). Undefined for other conditions.
 */
function errTest(pass: Pass, s: ast.IfStmt, err: ast.Ident): 'settled' | 'falls-through' | undefined {
  const isErr = (e: ast.Expr) => {
    const x = unparen(e);
    return x.kind === 'Ident' && sameObj(pass, x, err);
  };
  const cmp = (e: ast.Expr, op: '!=' | '=='): boolean => {
    const c = unparen(e);
    return c.kind === 'BinaryExpr' && c.op === op && ((isErr(c.x) && isNilIdent(pass, unparen(c.y))) || (isErr(c.y) && isNilIdent(pass, unparen(c.x))));
  };
  const c = unparen(s.cond);
  const exits = exitTest(pass);
  // err != nil (or `err != nil || more`): the body runs for every non-nil err.
  if (cmp(c, '!=') || (c.kind === 'BinaryExpr' && c.op === '||' && cmp(c.x, '!='))) return fallsThrough(s.body.list, exits) ? 'falls-through' : 'settled';
  // err == nil (or `err == nil && more`): a non-nil err takes the else, or goes on past the if.
  if (cmp(c, '==') || (c.kind === 'BinaryExpr' && c.op === '&&' && cmp(c.x, '=='))) {
    if (!s.else) return 'falls-through';
    return s.else.kind === 'BlockStmt' && fallsThrough(s.else.list, exits) ? 'falls-through' : 'settled';
  }
  return undefined;
}

/**
 * Whether a statement settles the question before the defer: looks at err, assigns or nil-checks
 * x, or leaves the function on a test of another result of the same call (`op, status, err :=
 * begin(); if status != ready { return nil, err }`: the call says by its status when op is valid).
 */
function settles(pass: Pass, s: ast.Stmt, x: ast.Ident, err: ast.Ident | null, companions: readonly ast.Ident[], rest: readonly ast.Stmt[] = []): boolean {
  if (
    s.kind === 'IfStmt' &&
    companions.some((c) => mentions(pass, s.cond, c)) &&
    !fallsThrough(s.body.list, exitTest(pass))
  ) {
    return true;
  }
  // An if that tests err but lets a non-nil err go on (`if err != nil { log.Print(err) }`) does
  // not settle it; an if whose condition does not test err (`if err != nil { return nil, err2 }`
  // after `x, err2 := ...`) does not either, unless it assigns or nil-checks x.
  if (err && s.kind === 'IfStmt' && !(s.init && mentions(pass, s.init, err))) {
    const t = mentions(pass, s.cond, err) ? errTest(pass, s, err) : 'falls-through';
    if (t === 'falls-through') return settlesX(pass, s, x);
    return true;
  }
  // Recording the error and testing it later (`span.RecordError(err)`, then `if err != nil` after
  // the defer) is no check yet; logging it with no test after that is the function's handling.
  if (err && mentions(pass, s, err) && !(recordsOnly(s) && rest.some((r) => r.kind === 'IfStmt' && mentions(pass, r.cond, err)))) return true;
  return settlesX(pass, s, x);
}

/**
 * A statement that only records the error and goes on (`span.RecordError(err)`, `log.Printf("...:
 * %v", err)`, `metrics.Observe(op, err)`, `debugf(...)`): a call named for recording, logging or printing, whose
 * value is dropped. It looks at err but does not act on it.
 */
function recordsOnly(s: ast.Stmt): boolean {
  if (s.kind !== 'ExprStmt') return false;
  const c = unparen(s.x);
  if (c.kind !== 'CallExpr') return false;
  const f = unparen(c.fun);
  // Also the package's own helpers (`debugf("GET %s: err=%v", url, err)`).
  const name = f.kind === 'SelectorExpr' ? f.sel.name : f.kind === 'Ident' ? f.name : '';
  return /^([Rr]ecord|[Ll]og|[Pp]rint|[Oo]bserve|[Tt]race|[Dd]ebug|[Ii]nfo|[Ww]arn|[Rr]eport|Add|Set|Inc)/.test(name) && !/[Ff]atal|[Pp]anic|[Ee]xit/.test(name);
}

/** Whether a statement assigns or nil-checks x. */
function settlesX(pass: Pass, s: ast.Stmt, x: ast.Ident): boolean {
  let found = false;
  inspect(s, (n) => {
    if (found) return false;
    if (n.kind === 'AssignStmt' && n.lhs.some((l) => l.kind === 'Ident' && sameObj(pass, l, x))) found = true;
    else if (n.kind === 'UnaryExpr' && n.op === '&' && unparen(n.x).kind === 'Ident' && sameObj(pass, unparen(n.x) as ast.Ident, x)) found = true;
    else if (n.kind === 'BinaryExpr' && (n.op === '==' || n.op === '!=')) {
      const a = unparen(n.x);
      const b = unparen(n.y);
      if ((a.kind === 'Ident' && sameObj(pass, a, x) && isNilIdent(pass, b)) || (b.kind === 'Ident' && sameObj(pass, b, x) && isNilIdent(pass, a))) found = true;
    }
    return !found;
  });
  return found;
}

function checkList(pass: Pass, file: PassFile, fn: FuncNode | undefined, list: readonly ast.Stmt[]): void {
  for (let i = 0; i < list.length; i++) {
    const a = resultAssign(list[i]!);
    if (!a) continue;
    const callee = callName(pass, file, a.call);
    const calleeName = callee ? displayName(pass, callee.name) : textOf(file, a.call.fun);
    let confidence: Confidence;
    let http = false;
    if (a.err) {
      const c = errorVar(pass, a.err);
      if (!c) continue;
      confidence = c;
    } else {
      // A request of net/http, or any call handing back an *http.Response with its error (a
      // package's `d.do(req)` wrapper around client.Do).
      if (!callee || !(HTTP_REQUEST_CALLS.has(callee.name) || REQUEST_PARTS.has(callee.name) || returnsResponse(pass, a.call))) continue;
      http = true;
      confidence = callee.typed ? 'high' : 'medium';
    }
    if (callee && !callee.typed) confidence = 'medium';
    const assignLine = lineOf(file, a.stmt);
    // Values that can never be nil (structs, numbers) are left alone.
    const xs = a.values.filter((x) => nilable(pass.types.typeOf(x) ?? pass.types.objectOf(x)?.type) !== false);
    // One finding per defer: `a, b, err := newPair(); defer closePair(a, b)` is one mistake.
    const reported = new Set<ast.DeferStmt>();
    for (const x of xs) {
      // Passed an if that tests err and lets a failure go on (`if err != nil { log.Print(err) }`);
      // in a test that reports it (`t.Errorf(...)`), the test has failed already and the nil
      // dereference at exit only changes how: not reported.
      let passedTest = false;
      let reportedFailure = false;
      for (let j = i + 1; j < list.length; j++) {
        let s = list[j]!;
        while (s.kind === 'LabeledStmt') s = s.stmt;
        if (a.err && s.kind === 'IfStmt' && mentions(pass, s.cond, a.err)) {
          passedTest = true;
          if (file.test && failsTest(s.body)) reportedFailure = true;
        }
        if (s.kind === 'DeferStmt') {
          const use = deferUse(pass, file, s, x, a.err);
          if (use && (reportedFailure || reported.has(s))) break;
          if (use) {
            reported.add(s);
            // A value of a type we cannot see (a third-party result) may be a struct that is
            // never nil: only a release call (`x.Close()`, `x.Stop()`), the shape of a handle,
            // keeps the confidence; anything else (`newARI.SameWindow(old)`) is medium.
            const known = nilable(pass.types.typeOf(x) ?? pass.types.objectOf(x)?.type) !== undefined;
            // In a test, an error reported with t.Errorf that goes on is a test's failure path,
            // which the test run shows anyway: medium.
            const conf: Confidence = (known || releaseCall(use.path)) && !(passedTest && file.test) ? confidence : 'medium';
            report(pass, file, fn, s, x, a, calleeName, use, assignLine, http || isHttpName(callee?.name), conf);
            break;
          }
          if (a.err && mentions(pass, s, a.err)) break;
          continue;
        }
        if (settles(pass, s, x, a.err, a.values.filter((v) => v !== x), list.slice(j + 1))) break;
      }
    }
  }
}

/**
 * Parts of an incoming request handed back with an error (`file, hdr, _ := r.FormFile("file")`):
 * nil when the form has no such part, like a failed request's response.
 */
const REQUEST_PARTS: ReadonlySet<string> = new Set(['(*net/http.Request).FormFile', '(*net/http.Request).MultipartReader']);

/** Calls that report a test failure: `t.Error`, `t.Errorf`, `t.Fail`, `b.Errorf`, testify's `NoError`/`Nil`. */
const TEST_FAILURES: ReadonlySet<string> = new Set(['Error', 'Errorf', 'Fail', 'NoError', 'Nil']);

/** Whether a block reports a test failure. */
function failsTest(b: ast.BlockStmt): boolean {
  return callsMethodNamed(b, TEST_FAILURES);
}

/** A call of a release method (`x.Close()`, `x.Stop()`): see RELEASE_METHODS. */
function releaseCall(e: ast.Expr): boolean {
  const c = unparen(e);
  if (c.kind !== 'CallExpr') return false;
  const f = unparen(c.fun);
  return f.kind === 'SelectorExpr' && RELEASE_METHODS.has(f.sel.name);
}

/** Whether a call's first result is an *http.Response (and its last an error). */
function returnsResponse(pass: Pass, call: ast.CallExpr): boolean {
  const t = pass.types.typeOf(call);
  if (t?.kind !== 'tuple' || t.types.length < 2) return false;
  const first = t.types[0]!;
  const last = t.types[t.types.length - 1]!;
  return first.kind === 'pointer' && first.elem.kind === 'named' && first.elem.pkg === 'net/http' && first.elem.name === 'Response' && last.kind === 'named' && last.pkg === '' && last.name === 'error';
}

function isHttpName(name: string | undefined): boolean {
  return !!name && HTTP_REQUEST_CALLS.has(name);
}

function report(
  pass: Pass, file: PassFile, fn: FuncNode | undefined, d: ast.DeferStmt, x: ast.Ident, a: ResultAssign, calleeName: string,
  use: DeferUse, assignLine: number, http: boolean, confidence: Confidence,
): void {
  const exit = fn ? `as ${funcName(file, fn)} returns` : 'at function exit';
  const shown = textOf(file, use.path);
  const related = [{ node: a.stmt, message: `${x.name} and ${a.err ? a.err.name : 'a discarded error'} assigned here` }];
  if (!a.err) {
    pass.report({
      node: d,
      file,
      confidence,
      message: use.atDefer
        ? `the error of ${calleeName} on line ${assignLine} is discarded: when the request fails ${x.name} is nil, and the argument ${shown} of the deferred ${use.shown} is evaluated at the defer statement itself, a nil dereference; check the error and defer the close only after it`
        : `the error of ${calleeName} on line ${assignLine} is discarded: when the request fails ${x.name} is nil and the deferred ${shown} panics with a nil dereference ${exit}; check the error and defer the close only after it`,
      related,
    });
    return;
  }
  const effect = use.pooled
    ? `when ${calleeName} fails ${x.name} holds no valid value (nil, or the zero value), and ${shown} hands it back to the pool ${exit}, where a later caller gets it as if it were good`
    : use.atDefer
    ? `when ${calleeName} fails ${x.name} is nil, and the argument ${shown} is evaluated at the defer statement itself, a nil dereference before ${a.err.name} is even looked at`
    : http
    ? `when the request fails ${x.name} is nil and ${shown} panics with a nil dereference ${exit}`
    : `when ${calleeName} fails ${x.name} is nil and ${shown} runs on it ${exit} (a nil dereference, or a failed close that hides the real error)`;
  pass.report({
    node: d,
    file,
    confidence,
    message: `${x.name} from ${calleeName} on line ${assignLine} is used by the deferred ${use.shown} before ${a.err.name} is checked: ${effect}; move the defer below the ${a.err.name} check`,
    related,
  });
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    file.inspector.withStack(['BlockStmt', 'CaseClause', 'CommClause'], (n, stack) => {
      let fn: FuncNode | undefined;
      for (let k = stack.length - 2; k >= 0; k--) {
        const s = stack[k]!;
        if (s.kind === 'FuncDecl' || s.kind === 'FuncLit') {
          fn = s;
          break;
        }
      }
      const list = n.kind === 'BlockStmt' ? n.list : n.body;
      if (list && list.length > 1) checkList(pass, file, fn, list);
    });
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'critical',
    summary: 'A defer that uses a call result before the call\'s error is checked: on failure the value is nil and the deferred call dereferences it.',
    enabledByDefault: true,
    fixable: false,
    category: 'lifetime',
    docUrl: docUrl(ID),
  },
  needs: deferNeeds,
  run,
};
