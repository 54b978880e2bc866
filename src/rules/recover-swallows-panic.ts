// recover-swallows-panic: a deferred recover() whose value is discarded, or tested and then ignored
// (an empty branch). The panic disappears: no log, no error for the caller, no re-panic, and the
// function returns as if it had succeeded, often with half-updated state.
import type * as ast from '../syntax/ast.js';
import { end as nodeEnd, forEachChild, pos as nodeStart, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { bodyNeeds, funcName, innermostFuncBody, isNilIdent, lineOf, listHolding, recoverSites, textOf, walkSameFunc, type RecoverSite } from './helpers.js';

const ID = 'recover-swallows-panic';

/**
 * A branch that does nothing: no statements, or only empty statements, bare returns, `_ = x`,
 * assignments of nil only that clear an error result (`out, err = nil, nil`),
 * and tests that lead to nothing else (`if e, ok := r.(error); ok && errors.Is(e, errSkip) {
 * return }`: the value is looked at, and every outcome ignores it).
 */
function emptyBranch(b: ast.Stmt | null): boolean {
  if (!b) return true;
  if (b.kind === 'IfStmt') return inertIf(b);
  if (b.kind !== 'BlockStmt') return false;
  return (b.list ?? []).every(
    (s) =>
      s.kind === 'EmptyStmt' ||
      (s.kind === 'ReturnStmt' && !s.results?.length) ||
      (s.kind === 'AssignStmt' && s.tok === '=' && s.lhs.every((l) => l.kind === 'Ident' && l.name === '_') && s.rhs.every((r) => unparen(r).kind === 'Ident')) ||
      // `out, err = nil, nil`: the results are cleared, the error among them, so the function
      // reports success (a nil pointer alone, `cc = nil`, may be the caller's "not ready").
      (s.kind === 'AssignStmt' && s.tok === '=' && s.rhs.every((r) => { const u = unparen(r); return u.kind === 'Ident' && u.name === 'nil'; }) &&
        s.lhs.some((l) => { const u = unparen(l); return u.kind === 'Ident' && /^err$|^err[A-Z0-9_]|Err$/.test(u.name); })) ||
      (s.kind === 'IfStmt' && inertIf(s)),
  );
}

/** Predicates a test may call without doing anything with the value. */
const PREDICATES = new Set(['Is', 'As', 'Contains', 'HasPrefix', 'HasSuffix', 'EqualFold', 'len']);

/** An if whose init only binds locals (a type assertion, a copy), whose condition only tests, and whose branches are empty. */
function inertIf(s: ast.IfStmt): boolean {
  if (s.init) {
    if (s.init.kind !== 'AssignStmt' || s.init.tok !== ':=') return false;
    if (!s.init.rhs.every((r) => ['TypeAssertExpr', 'Ident', 'BasicLit'].includes(unparen(r).kind))) return false;
  }
  let calls = true;
  walkSameFunc(s.cond, (x) => {
    if (!calls) return false;
    if (x.kind === 'CallExpr') {
      const f = unparen(x.fun);
      const name = f.kind === 'Ident' ? f.name : f.kind === 'SelectorExpr' ? f.sel.name : '';
      if (!PREDICATES.has(name)) calls = false;
    }
    return calls;
  });
  return calls && emptyBranch(s.body) && emptyBranch(s.else);
}

/** The nearest ancestor of `target` inside `root`, as a path from root (root first, target last). */
function pathTo(root: ast.Node, target: ast.Node): ast.Node[] | undefined {
  const path: ast.Node[] = [];
  let out: ast.Node[] | undefined;
  const walk = (n: ast.Node): void => {
    if (out) return;
    path.push(n);
    if (n === target) out = [...path];
    else inspectChildren(n, walk);
    path.pop();
  };
  walk(root);
  return out;
}

function inspectChildren(n: ast.Node, f: (c: ast.Node) => void): void {
  forEachChild(n, f);
}

/** Whether `x` is `v != nil` / `v == nil` (either order) for the variable v. */
function nilTest(pass: Pass, x: ast.Expr, isV: (e: ast.Expr) => boolean): '!=' | '==' | undefined {
  x = unparen(x);
  if (x.kind !== 'BinaryExpr' || (x.op !== '!=' && x.op !== '==')) return undefined;
  if ((isV(x.x) && isNilIdent(pass, x.y)) || (isV(x.y) && isNilIdent(pass, x.x))) return x.op;
  return undefined;
}

/** Whether an if statement that tests the value with `cond` ignores the panic. */
function ifIgnores(op: '!=' | '==', s: ast.IfStmt, last: boolean): boolean {
  // `!= nil`: the panic branch is the body (the else runs without a panic, whatever it does).
  if (op === '!=') return emptyBranch(s.body);
  // `== nil`: it is the else, and what follows, which we judge only when nothing does
  // (`if r := recover(); r == nil { return }` as the last statement).
  if (s.else !== null) return emptyBranch(s.body) && emptyBranch(s.else);
  return last && emptyBranch(s.body);
}

/** Whether `s` is the last statement of the function body (nothing follows it). */
function isLast(body: ast.BlockStmt, s: ast.Stmt): boolean {
  const list = body.list ?? [];
  return list[list.length - 1] === s;
}

/** Whether the variable `id` refers to is declared inside `body` (a local of the deferred function). */
function declaredIn(pass: Pass, id: ast.Ident, body: ast.BlockStmt): boolean {
  const o = pass.types.objectOf(id);
  const d = o?.decl;
  return !!o && o.kind === 'var' && o.varKind === 'local' && !!d && d.namePos >= body.lbrace && d.namePos <= body.rbrace;
}

/** How the site treats the recovered value: 'discarded', 'ignored' (tested, then nothing), or undefined when it is used. */
/**
 * `if e, ok := recover().(error); ok { ... }` with no else: the assertion consumes the value, and a
 * panic whose value is not of that type (`panic("boom")`) is stopped and dropped. The asserted
 * type's text, or undefined.
 */
function narrowed(path: readonly ast.Node[], i: number): ast.Expr | undefined {
  const a = path[i]!;
  if (a.kind !== 'TypeAssertExpr' || !a.type) return undefined;
  let j = i - 1;
  while (j > 0 && path[j]!.kind === 'ParenExpr') j--;
  const assign = path[j];
  if (assign?.kind !== 'AssignStmt' || assign.lhs.length !== 2 || assign.rhs.length !== 1) return undefined;
  const ok = unparen(assign.lhs[1]!);
  const ifs = path[j - 1];
  if (ifs?.kind !== 'IfStmt' || ifs.init !== assign || ifs.else) return undefined;
  // The ok result discarded, or tested by the if: either way no branch sees the other values.
  if (ok.kind !== 'Ident') return undefined;
  if (ok.name !== '_' && !inspectFind(ifs.cond, (y) => y.kind === 'Ident' && y.name === ok.name)) return undefined;
  return a.type;
}

function inspectFind(n: ast.Node, f: (x: ast.Node) => boolean): boolean {
  let found = false;
  const visit = (x: ast.Node): void => {
    if (found) return;
    if (f(x)) {
      found = true;
      return;
    }
    inspectChildren(x, visit);
  };
  visit(n);
  return found;
}

/** The nearest enclosing function literal among the parents (the deferred literal itself, or one nested in it). */
function innermostOwner(parents: readonly ast.Node[]): ast.Node | undefined {
  for (let i = parents.length - 1; i >= 0; i--) if (parents[i]!.kind === 'FuncLit') return parents[i];
  return undefined;
}

/** An expression that only builds a value: no calls but fmt.Errorf/Sprintf, errors.New and conversions. */
function onlyBuildsError(pass: Pass, e: ast.Expr): boolean {
  let ok = true;
  const visit = (x: ast.Node): void => {
    if (!ok || x.kind === 'FuncLit') {
      ok = ok && x.kind !== 'FuncLit';
      return;
    }
    if (x.kind === 'CallExpr') {
      const c = pass.types.callee(x);
      if (!c || (c.kind !== 'conversion' && !['fmt.Errorf', 'fmt.Sprintf', 'fmt.Sprint', 'errors.New'].includes(c.name))) ok = false;
    }
    inspectChildren(x, visit);
  };
  visit(e);
  return ok;
}

function treatment(pass: Pass, s: RecoverSite): 'discarded' | 'ignored' | { narrowed: ast.Expr; switchTypes?: string } | undefined {
  const body = s.fn.body;
  if (!body) return undefined;
  const path = pathTo(body, s.call);
  if (!path || path.length < 2) return undefined;
  let i = path.length - 2;
  while (i > 0 && path[i]!.kind === 'ParenExpr') i--;
  const parent = path[i]!;
  if (parent.kind === 'ExprStmt') return 'discarded';
  if (parent.kind === 'TypeAssertExpr') {
    // `switch recover().(type) { case nil: default: }`: every case empty.
    if (!parent.type) {
      const sw = path.slice(0, i).reverse().find((n): n is ast.TypeSwitchStmt => n.kind === 'TypeSwitchStmt');
      const clauses = (sw?.body.list ?? []) as ast.CaseClause[];
      const empty = (c: ast.CaseClause) => (c.body ?? []).every((st) => emptyBranch({ kind: 'BlockStmt', list: [st] } as unknown as ast.BlockStmt));
      if (!sw || clauses.length === 0) return undefined;
      if (clauses.every(empty)) return 'ignored';
      // `switch e := recover().(type) { case nil: case parseError: err = e; default: }`: only the
      // listed types are handled, and a panic of any other type (a runtime error, a string) is
      // stopped and dropped by the empty or missing default.
      const all = (t: ast.Expr) => {
        const u = unparen(t);
        return (u.kind === 'Ident' && u.name === 'any') || (u.kind === 'InterfaceType' && (u.methods?.list ?? []).length === 0);
      };
      const dflt = clauses.find((c) => !c.list || c.list.length === 0);
      if (dflt && !empty(dflt)) return undefined;
      if (clauses.some((c) => (c.list ?? []).some(all))) return undefined;
      const handled = clauses.filter((c) => !empty(c)).flatMap((c) => (c.list ?? []).filter((t) => !(unparen(t).kind === 'Ident' && (unparen(t) as ast.Ident).name === 'nil')));
      return handled.length > 0 ? { narrowed: handled[0]!, switchTypes: handled.map((t) => textOf(s.file, t)).join(', ') } : undefined;
    }
    const t = narrowed(path, i);
    return t ? { narrowed: t } : undefined;
  }
  const isCall = (e: ast.Expr) => unparen(e) === s.call;
  if (parent.kind === 'BinaryExpr') {
    const ifs = path[i - 1];
    if (ifs?.kind === 'IfStmt' && ifs.cond === parent) {
      const op = nilTest(pass, parent, isCall);
      return op && ifIgnores(op, ifs, isLast(body, ifs)) ? 'ignored' : undefined;
    }
    return undefined;
  }
  let v: ast.Ident | undefined;
  if (parent.kind === 'AssignStmt' && parent.rhs.length === 1 && parent.lhs.length === 1) {
    const l = parent.lhs[0]!;
    if (l.kind !== 'Ident') return undefined;
    if (l.name === '_') return 'discarded';
    // `panicVal = recover()` stores it in a variable of the enclosing code (often a named
    // result); only a variable declared in the deferred function itself is judged here.
    if (parent.tok !== ':=' && !declaredIn(pass, l, body)) return undefined;
    v = l;
  } else if (parent.kind === 'ValueSpec' && parent.names.length === 1) {
    v = parent.names[0]!;
    if (v.name === '_') return 'discarded';
  } else return undefined;
  const target = pass.types.objectOf(v);
  const isV = (e: ast.Expr): boolean => {
    e = unparen(e);
    if (e.kind !== 'Ident' || e.name !== v!.name) return false;
    const o = pass.types.objectOf(e);
    return !target || !o || o === target;
  };
  // Every use of the variable must be `_ = v` or a nil test whose panic branch is empty, or one
  // narrowing with no else (`if e, ok := r.(error); ok { err = ... }`: other values are dropped).
  let used = false;
  let tested = false;
  let narrowedTo: ast.Expr | undefined;
  const visit = (n: ast.Node, parents: ast.Node[]): void => {
    if (used) return;
    if (n.kind === 'IfStmt' && !n.else && n.init?.kind === 'AssignStmt' && n.init.lhs.length === 2 && n.init.rhs.length === 1) {
      const a = unparen(n.init.rhs[0]!);
      const ok = unparen(n.init.lhs[1]!);
      if (a.kind === 'TypeAssertExpr' && a.type && isV(a.x) && ok.kind === 'Ident' && (ok.name === '_' || inspectFind(n.cond, (y) => y.kind === 'Ident' && y.name === ok.name))) {
        narrowedTo ??= a.type;
        visit(n.body, [...parents, n]);
        return;
      }
    }
    // `return fmt.Errorf("panic: %v", r)` from the deferred literal itself: the value goes nowhere.
    if (n.kind === 'ReturnStmt' && s.fn.kind === 'FuncLit' && innermostOwner(parents) === undefined && (n.results ?? []).every((r) => onlyBuildsError(pass, r))) return;
    if (n.kind === 'AssignStmt' && n.lhs.length === 1 && n.lhs[0]!.kind === 'Ident' && n.lhs[0]!.name === '_' && n.rhs.length === 1 && isV(n.rhs[0]!)) return;
    if (n.kind === 'IfStmt') {
      const op = nilTest(pass, n.cond, isV);
      if (op) {
        // `if r := recover(); r != nil { return fmt.Errorf("...: %v", r) }` in the deferred literal
        // itself: the error it returns goes nowhere.
        const returnsOnly = op === '!=' && s.fn.kind === 'FuncLit' && innermostOwner(parents) === undefined &&
          (n.body.list ?? []).length > 0 && (n.body.list ?? []).every((st) => st.kind === 'ReturnStmt' && (st.results ?? []).every((r) => onlyBuildsError(pass, r)));
        if (!returnsOnly && !ifIgnores(op, n, isLast(body, n))) {
          used = true;
          return;
        }
        tested = true;
        if (n.init) visit(n.init, [...parents, n]);
        // A branch that only tests the value further and then does nothing uses it for nothing.
        if (!emptyBranch(n.body)) visit(n.body, [...parents, n]);
        if (n.else && !emptyBranch(n.else)) visit(n.else, [...parents, n]);
        return;
      }
    }
    if (n.kind === 'Ident' && n !== v && n !== target?.decl && isV(n)) {
      const p = parents[parents.length - 1];
      if (!(p?.kind === 'SelectorExpr' && p.sel === n)) {
        used = true;
        return;
      }
    }
    inspectChildren(n, (c) => visit(c, [...parents, n]));
  };
  visit(body, []);
  if (used) return undefined;
  if (narrowedTo) return { narrowed: narrowedTo };
  return tested ? 'ignored' : 'discarded';
}

/**
 * Whether the deferred literal guards one built-in operation: the statement list that defers it
 * holds one other statement (and perhaps a return after it), with no calls other than builtins
 * and reflect's methods (`close(ch)` of a channel that may be closed already, `ch <- v` on one,
 * `if a == b { ... }` on interface values that may not be comparable, `v.Convert(t)`).
 * Swallowing that one known panic is the intent (nats.go's `closeStatusListener`, x/tools'
 * comparison of `cmd.Stdout` and `cmd.Stderr`).
 */
function guardsOneBuiltin(pass: Pass, file: PassFile, lit: RecoverSite["fn"]): boolean {
  if (lit.kind !== 'FuncLit') return false;
  // The innermost function around the deferred literal.
  const outer = innermostFuncBody(file, lit);
  if (!outer) return false;
  // The statement list that holds the defer (the function body, or a block in it: `if r.ackC !=
  // nil { defer func() { recover() }(); r.ackC <- err }`).
  const d = findDefer(outer, lit);
  const list = d ? listHolding(outer, d) : [];
  const all = list.filter((st) => st !== d);
  if (all.length === 0 || all.length === list.length) return false;
  // A last `return nil` after the operation belongs to it (`out <- p; return nil`).
  const rest = all.length === 2 && all[1]!.kind === 'ReturnStmt' ? all : all.slice(0, 1);
  if (all.length !== rest.length) return false;
  let plain = true;
  const visit = (n: ast.Node): void => {
    if (!plain) return;
    if (n.kind === 'FuncLit' || n.kind === 'GoStmt' || (n.kind === 'UnaryExpr' && n.op === '<-')) {
      plain = false;
      return;
    }
    // An explicit panic swallowed right away is the textbook case, not a guard. Besides builtins,
    // reflect's operations count: they panic on misuse where other APIs return an error
    // (`defer func() { recover() }(); return v.Convert(t)` converts or yields the zero Value).
    if (n.kind === 'CallExpr' && !reflectOp(pass, n) && (pass.types.callee(n)?.kind !== 'builtin' || (unparen(n.fun).kind === 'Ident' && (unparen(n.fun) as ast.Ident).name === 'panic'))) {
      plain = false;
      return;
    }
    forEachChild(n, visit);
  };
  for (const st of rest) visit(st);
  return plain;
}

/** A call of a method of reflect.Value or reflect.Type, known by types. */
function reflectOp(pass: Pass, call: ast.CallExpr): boolean {
  const name = pass.types.callee(call)?.name ?? '';
  return name.startsWith('(reflect.Value).') || name.startsWith('(reflect.Type).');
}

/**
 * Whether a crash handler is deferred after the literal (so it runs first) in the same function:
 * a deferred call named for handling panics (`defer utilruntime.HandleCrash(...)`, `defer
 * handlePanic()`, `defer reportRecover(...)`), which reports the panic and re-raises it. The
 * bare recover before it only keeps the re-raised panic from ending the process
 * (apiserver's webhook dispatcher).
 */
function handlerDeferredAfter(file: PassFile, lit: RecoverSite['fn']): boolean {
  if (lit.kind !== 'FuncLit') return false;
  const outer = innermostFuncBody(file, lit);
  if (!outer) return false;
  const d = findDefer(outer, lit);
  if (!d) return false;
  let found = false;
  walkSameFunc(outer, (x) => {
    if (found) return false;
    if (x.kind === 'DeferStmt' && nodeStart(x) > nodeStart(d)) {
      const f = unparen(x.call.fun);
      const name = f.kind === 'Ident' ? f.name : f.kind === 'SelectorExpr' ? f.sel.name : '';
      if (/crash|panic/i.test(name) && /handle|report|log|capture/i.test(name)) found = true;
    }
    return !found;
  });
  return found;
}

/** The defer statement of the function's own code that defers the literal. */
function findDefer(body: ast.BlockStmt, lit: ast.Node): ast.DeferStmt | undefined {
  let found: ast.DeferStmt | undefined;
  walkSameFunc(body, (x) => {
    if (found) return false;
    if (x.kind === 'DeferStmt' && unparen(x.call.fun) === lit) found = x;
    return !found;
  });
  return found;
}

/** The flag a recover site is guarded by: `if p.panicking { _ = recover() }` gives `p.panicking`. */
function guardFlag(s: RecoverSite): ast.Expr | undefined {
  const body = s.fn.body;
  if (!body) return undefined;
  let flag: ast.Expr | undefined;
  walkSameFunc(body, (x) => {
    if (flag) return false;
    if (x.kind !== 'IfStmt' || x.else) return true;
    const c = unparen(x.cond);
    if ((c.kind === 'SelectorExpr' || c.kind === 'Ident') && nodeStart(x.body) <= nodeStart(s.call) && nodeStart(s.call) < nodeEnd(x.body)) flag = c;
    return !flag;
  });
  return flag;
}

/**
 * Whether the package sets the flag to true right before panicking, in the same statement list
 * (`p.panicking = true; panic(err)`, cue's parser bailing out after recording its errors): a
 * recover that runs only when the flag is set stops the package's own bail-out, whose cause is
 * already kept, not an unexpected panic.
 */
function bailoutFlag(pass: Pass, flag: ast.Expr): boolean {
  const name = flag.kind === 'SelectorExpr' ? flag.sel.name : flag.kind === 'Ident' ? flag.name : '';
  const obj = pass.types.objectOf(flag.kind === 'SelectorExpr' ? flag.sel : (flag as ast.Ident));
  const same = (e: ast.Expr): boolean => {
    const u = unparen(e);
    const id = u.kind === 'SelectorExpr' ? u.sel : u.kind === 'Ident' ? u : undefined;
    if (!id || id.name !== name) return false;
    const o = pass.types.objectOf(id);
    return !obj || !o || o === obj;
  };
  const isPanic = (st: ast.Stmt): boolean => {
    if (st.kind !== 'ExprStmt') return false;
    const c = unparen(st.x);
    if (c.kind !== 'CallExpr') return false;
    const f = unparen(c.fun);
    return f.kind === 'Ident' && f.name === 'panic';
  };
  for (const file of pass.files) {
    let found = false;
    file.inspector.preorder(['BlockStmt', 'CaseClause'], (x) => {
      if (found) return;
      const list = x.kind === 'BlockStmt' ? x.list ?? [] : (x as ast.CaseClause).body ?? [];
      list.forEach((st, i) => {
        if (found || st.kind !== 'AssignStmt' || st.tok !== '=' || st.lhs.length !== 1 || st.rhs.length !== 1) return;
        const v = unparen(st.rhs[0]!);
        if (v.kind !== 'Ident' || v.name !== 'true' || !same(st.lhs[0]!)) return;
        if (list.slice(i + 1).some(isPanic)) found = true;
      });
    });
    if (found) return true;
  }
  return false;
}

function run(pass: Pass): void {
  const sites = recoverSites(pass);
  // Deferred functions with a recover whose value they handle: a second recover there that drops
  // the value is a choice made on a condition (`if ignoreErrors { _ = recover() } else { e :=
  // recover(); ... }`, playwright-go's route handler), not a forgotten panic.
  const handles = new Set<unknown>();
  for (const s of sites) if (s.status === 'effective' && !s.file.test && !treatment(pass, s)) handles.add(s.fn);
  for (const s of sites) {
    // Tests swallow expected panics on purpose (`defer func() { recover() }()` around a call that must panic).
    if (s.status !== 'effective' || s.file.test) continue;
    const t = treatment(pass, s);
    if (!t) continue;
    if (handles.has(s.fn)) continue;
    if (guardsOneBuiltin(pass, s.file, s.fn)) continue;
    if (t === 'discarded' && handlerDeferredAfter(s.file, s.fn)) continue;
    // The package's own bail-out, recovered only when its flag says so.
    const flag = guardFlag(s);
    if (flag && bailoutFlag(pass, flag)) continue;
    const where = s.fn.kind === 'FuncLit' ? `${s.heldBy ? `${s.heldBy} (the function literal on line ${lineOf(s.file, s.fn)})` : `function literal on line ${lineOf(s.file, s.fn)}`}` : `function ${funcName(s.file, s.fn)}`;
    if (typeof t === 'object' && t.switchTypes) {
      pass.report({
        node: s.call,
        file: s.file,
        confidence: 'medium',
        message: `the deferred ${where} switches on the type of recover() and handles only ${t.switchTypes}; its default case is empty or missing, so a panic of any other type (a runtime error, panic("...") with a string) is stopped and dropped with no log, no error and no re-panic; handle the rest in the default case (log it, wrap it with fmt.Errorf("%v", r), or re-panic)`,
      });
      continue;
    }
    if (typeof t === 'object') {
      const ty = textOf(s.file, t.narrowed);
      pass.report({
        node: s.call,
        file: s.file,
        confidence: 'medium',
        message: `the deferred ${where} handles only panics whose value is ${/^[aeiou]/i.test(ty) ? 'an' : 'a'} ${ty} (recover().(${ty}) with no else branch): any other panic, such as panic("...") with a string, is stopped and dropped with no log, no error and no re-panic; handle the other values in an else branch (log them, wrap them with fmt.Errorf("%v", r), or re-panic)`,
      });
      continue;
    }
    const what = t === 'discarded' ? 'discards the value of recover()' : 'tests the value of recover() and then does nothing with it';
    pass.report({
      node: s.call,
      file: s.file,
      message: `the deferred ${where} ${what}: the panic vanishes with no log, no error and no re-panic, and the function returns as if it had succeeded; log the value, turn it into an error through a named result, or re-panic`,
    });
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'medium',
    summary: 'A deferred recover() whose value is discarded or ignored: the panic disappears without a trace.',
    enabledByDefault: true,
    fixable: false,
    category: 'panics',
    docUrl: docUrl(ID),
  },
  needs: (o) => bodyNeeds(o, { names: ['recover'] }, { deferred: true, containing: ['recover'] }),
  run,
};
