// defer-ineffective-return: results produced by deferred code that nobody can see. (1) `return
// <values>` inside a deferred function literal: the deferred call's results are discarded. (2) A
// deferred closure assigns an error to a variable of the enclosing function that is not one of its
// named results: the function's return statement has already copied its results when deferred
// calls run, so the assignment is lost.
import type * as ast from '../syntax/ast.js';
import { end as nodeStop, forEachChild, inspect, pos as nodeStart, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { deferNeeds, enclosingFunc, funcName, isErrorTyped, lineOf, textOf, walkSameFunc, type FuncNode } from './helpers.js';

const ID = 'defer-ineffective-return';

/** `return` statements with values that belong to the literal itself (not to literals nested in it). */
function valueReturns(lit: ast.FuncLit): ast.ReturnStmt[] {
  const out: ast.ReturnStmt[] = [];
  walkSameFunc(lit.body, (x) => {
    if (x.kind === 'ReturnStmt' && x.results && x.results.length > 0) out.push(x);
  });
  return out;
}

function returnsOneFunc(pass: Pass, call: ast.CallExpr): boolean {
  const lit = unparen(call.fun) as ast.FuncLit;
  const fields = lit.type.results?.list ?? [];
  if (fields.length !== 1 || (fields[0]!.names?.length ?? 1) !== 1) return false;
  const te = fields[0]!.type;
  if (te && unparen(te).kind === 'FuncType') return true;
  const t = pass.types.typeOf(call);
  const u = t?.kind === 'named' ? t.underlying() : t;
  return u?.kind === 'signature';
}

function namedResults(fn: FuncNode): Set<string> {
  const out = new Set<string>();
  for (const f of fn.type.results?.list ?? []) for (const n of f.names ?? []) out.add(n.name);
  return out;
}

function hasResults(fn: FuncNode): boolean {
  return (fn.type.results?.list ?? []).length > 0;
}

/** Whether id is declared directly by fn: a parameter, a result, a local outside nested literals. */
function declaredIn(pass: Pass, fn: FuncNode, lit: ast.FuncLit, id: ast.Ident): 'param' | 'result' | 'local' | 'own' | 'other' | undefined {
  const o = pass.types.objectOf(id);
  if (!o) return undefined;
  if (o.kind !== 'var' || !o.decl) return 'other';
  const at = o.decl.namePos;
  const inRange = (n: ast.Node, p: number) => p >= nodeStart(n) && p < nodeStop(n);
  if (inRange(lit, at)) {
    // The literal's own variable (`if err := recover(); err != nil {...}`), declared outside any
    // literal nested in it.
    // Its own named result is 'own' too: what it holds is returned to nobody.
    if (o.varKind === 'result' && (lit.type.results?.list ?? []).some((f) => (f.names ?? []).includes(o.decl!))) return 'own';
    if (o.varKind === 'param' || o.varKind === 'recv' || o.varKind === 'result') return 'other';
    return fnLiterals(lit.body).some((l) => inRange(l, at)) ? 'other' : 'own';
  }
  if (!inRange(fn, at)) return 'other'; // captured from further out: someone else may read it
  if (o.varKind === 'result') return 'result';
  if (o.varKind === 'param' || o.varKind === 'recv') return 'param';
  // A local of fn, but not one of a literal nested in fn (other than ours).
  if (fnLiterals(fn).some((l) => l !== lit && inRange(l, at))) return 'other';
  // `x, err := f()` directly in the body reuses a result named err (same scope as the body).
  if (namedResults(fn).has(id.name) && (fn.body?.list ?? []).some((s) => s.kind === 'AssignStmt' && s.tok === ':=' && s.lhs.includes(o.decl!))) return 'result';
  return 'local';
}

function fnLiterals(fn: FuncNode | ast.BlockStmt): ast.FuncLit[] {
  const out: ast.FuncLit[] = [];
  const body = fn.kind === 'BlockStmt' ? fn : fn.body;
  if (!body) return out;
  inspect(body, (n) => {
    if (n.kind === 'FuncLit') out.push(n);
  });
  return out;
}

/** Idents of fn's body, outside lit, that refer to the same variable (address taken, read by other closures). */
function otherReaders(pass: Pass, fn: FuncNode, lit: ast.FuncLit, id: ast.Ident): ast.Node | undefined {
  const o = pass.types.objectOf(id);
  if (!o || !fn.body) return undefined;
  let found: ast.Node | undefined;
  // Another closure (a defer registered earlier runs later and may read it) or an address-of may
  // hold on to the variable after the function's return statement.
  const visit = (n: ast.Node, inClosure: boolean): boolean => {
    if (found) return false;
    if (n === lit) return false;
    if (n.kind === 'UnaryExpr' && n.op === '&') {
      const x = unparen(n.x);
      if (x.kind === 'Ident' && pass.types.objectOf(x) === o) {
        found = n;
        return false;
      }
    }
    if (inClosure && n.kind === 'Ident' && pass.types.objectOf(n) === o && n !== o.decl) {
      found = n;
      return false;
    }
    return true;
  };
  const walk = (n: ast.Node, inClosure: boolean): void => {
    if (!visit(n, inClosure)) return;
    const nowClosure = inClosure || n.kind === 'FuncLit';
    forEachChild(n, (c) => walk(c, nowClosure));
  };
  walk(fn.body, false);
  return found;
}

/**
 * Whether the variable carries the function's result: its own code assigns it (`err =
 * j.Run(ctx)`, not only `var err error`) and returns it (`return err`).
 */
function returnsVar(pass: Pass, fn: FuncNode, id: ast.Ident): boolean {
  const o = pass.types.objectOf(id);
  if (!o || !fn.body) return false;
  const isVar = (e: ast.Expr): boolean => {
    const u = unparen(e);
    return u.kind === 'Ident' && pass.types.objectOf(u) === o;
  };
  let returned = false;
  let assigned = false;
  walkSameFunc(fn.body, (x) => {
    if (x.kind === 'ReturnStmt' && (x.results ?? []).some(isVar)) returned = true;
    else if (x.kind === 'AssignStmt' && x.lhs.some(isVar)) assigned = true;
    return !(returned && assigned);
  });
  return returned && assigned;
}

/** Logging calls by their method or function name: `log.Print(err)`, `r.log.Errorf("...: %v", err)`. */
const LOGGING = /^(Print|Printf|Println|Log|Logf|Error|Errorf|Warn|Warnf|Warning|Warningf|Info|Infof|Debug|Debugf|Trace|Tracef)$/;

/**
 * Whether every read of id in the literal after `after` is an argument of a logging call: the
 * value is only reported there, not handed on (`retErr = taskErr`, `wfctx.Unlock(taskErr)`,
 * `panic(err)` do hand it on).
 */
function onlyLoggedInLiteral(pass: Pass, lit: ast.FuncLit, target: ast.Ident, after: number): boolean {
  const o = pass.types.objectOf(target);
  const same = (u: ast.Node): boolean => u.kind === 'Ident' && (o ? pass.types.objectOf(u) === o : u.name === target.name);
  const logged = new Set<ast.Node>();
  let other = false;
  const walk = (n: ast.Node): void => {
    if (other) return;
    if (n.kind === 'CallExpr') {
      const f = unparen(n.fun);
      const name = f.kind === 'SelectorExpr' ? f.sel.name : f.kind === 'Ident' ? f.name : '';
      if (LOGGING.test(name)) for (const a of n.args ?? []) inspect(a, (x) => void (same(x) && logged.add(x)));
    }
    if (n.kind === 'AssignStmt' && n.lhs.some((l) => same(unparen(l)))) {
      for (const r of n.rhs) walk(r);
      return;
    }
    if (same(n) && (n as ast.Ident).namePos > after && !logged.has(n)) other = true;
    forEachChild(n, walk);
  };
  walk(lit.body);
  return !other;
}

/** Whether the literal reads id other than on the right of assignments to id itself. */
function readInLiteral(pass: Pass, lit: ast.FuncLit, target: ast.Ident, after: number): boolean {
  const o = pass.types.objectOf(target);
  let read = false;
  const same = (x: ast.Expr): boolean => {
    const u = unparen(x);
    return u.kind === 'Ident' && (o ? pass.types.objectOf(u) === o : u.name === target.name);
  };
  const walk = (n: ast.Node): void => {
    if (read) return;
    if (n.kind === 'AssignStmt' && n.lhs.some(same)) {
      // err = errors.Join(err, x): reading err to build its own new value is not a use.
      for (const l of n.lhs) if (!same(l)) walk(l);
      return;
    }
    // Only a read after the assignment uses the value it stores; one before it (`cerr != nil &&
    // err == nil`) reads the value from before.
    if (n.kind === 'Ident' && same(n)) {
      if (n.namePos > after) read = true;
      return;
    }
    forEachChild(n, walk);
  };
  walk(lit.body);
  return read;
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    file.inspector.withStack(['DeferStmt'], (d, stack) => {
      const lit = unparen(d.call.fun);
      if (lit.kind !== 'FuncLit') return;
      const fn = enclosingFunc(stack);
      const fname = fn ? funcName(file, fn) : 'the function';

      // A literal returning a single func is defer-func-result-not-called's finding (`defer func() func() {...}()`).
      const rets = returnsOneFunc(pass, d.call) ? [] : valueReturns(lit);
      if (rets.length > 0) {
        const r = rets[0]!;
        const vals = (r.results ?? []).map((x) => textOf(file, x)).join(', ');
        const named = fn ? [...namedResults(fn)] : [];
        const fix = fn && named.length > 0
          ? `assign to ${fname}'s named result${named.length > 1 ? 's' : ''} (${named.join(', ')}) instead`
          : fn && hasResults(fn)
            ? `give ${fname} named results and assign to them instead`
            : `handle the value inside the literal (log it, or assign it to a named result)`;
        pass.report({
          node: r,
          file,
          message: `return ${vals} in the deferred function literal on line ${lineOf(file, d)} goes nowhere: the results of a deferred call are discarded, so ${fname} never sees them; ${fix}`,
          related: [{ node: d, message: 'the defer statement' }],
        });
      }

      if (!fn) return;
      reportLostAssignments(pass, file, fn, fname, d, lit);
    });
  }
}

function reportLostAssignments(pass: Pass, file: PassFile, fn: FuncNode, fname: string, d: ast.DeferStmt, lit: ast.FuncLit): void {
  const reported = new Set<string>();
  walkSameFunc(lit.body, (x) => {
    if (x.kind !== 'AssignStmt' || x.tok === ':=') return true;
    for (const [i, l] of x.lhs.entries()) {
      const id = unparen(l);
      if (id.kind !== 'Ident' || id.name === '_' || reported.has(id.name)) continue;
      const where = declaredIn(pass, fn, lit, id);
      if (where === 'own') {
        reportOwnShadow(pass, file, fn, fname, d, lit, x, id, x.lhs.length === x.rhs.length ? x.rhs[i] : undefined, reported);
        continue;
      }
      const typed = isErrorTyped(pass, id);
      if (typed === false) continue;
      if (typed === undefined && !/^err$|Err$|^err[A-Z]/.test(id.name)) continue;
      // Without types we cannot tell a named result from a local: stay silent.
      if (where === undefined || where === 'result' || where === 'other') continue;
      // Read again in the literal (`err = fmt.Errorf(...); log.Print(err)`) is a use, unless the
      // function returns that variable: then the value was meant for the caller, who gets the
      // one from before the panic.
      if (readInLiteral(pass, lit, id, nodeStop(x)) && !(returnsVar(pass, fn, id) && onlyLoggedInLiteral(pass, lit, id, nodeStop(x)))) continue;
      const reader = otherReaders(pass, fn, lit, id);
      if (reader) continue;
      reported.add(id.name);
      const declLine = pass.types.objectOf(id)?.decl;
      const named = namedResults(fn);
      // An inner `:=` that redeclares a named result (`f, err := os.Open(name)` in a block): the
      // literal captures that variable, not the result.
      const shadows = where === 'local' && named.has(id.name) && declLine !== undefined;
      const kind = where === 'param' ? 'a parameter' : shadows ? `the variable declared on line ${lineOf(file, declLine!)}, which shadows the named result ${id.name}` : 'a local variable';
      const fix = shadows
        ? `give the ${id.name} declared on line ${lineOf(file, declLine!)} another name (or assign with = instead of :=) so that the literal assigns ${fname}'s named result`
        : hasResults(fn)
          ? `declare ${id.name} as a named result of ${fname} (${id.name} error in its result list) so that the assignment changes the returned error`
          : `${fname} returns nothing, so handle the error inside the deferred function (log it or report it)`;
      pass.report({
        node: x,
        file,
        message: shadows
          ? `the deferred function literal assigns ${textOf(file, x)}, but ${id.name} there is ${kind} of ${fname}: deferred calls run after the return statement has copied the results, so this error is lost; ${fix}`
          : `the deferred function literal assigns ${textOf(file, x)}, but ${id.name} is ${kind} of ${fname}, not ${named.size > 0 ? 'one of its named results' : 'a named result'}: deferred calls run after the return statement has copied the results, so this error is lost; ${fix}`,
        confidence: typed === true ? 'high' : 'medium',
        related: [
          { node: d, message: 'the defer statement' },
          ...(declLine ? [{ node: declLine, message: `${id.name} declared here` }] : []),
        ],
      });
    }
    return true;
  });
}

/**
 * `if err := recover(); err != nil { err = fmt.Errorf(...) }` in a deferred literal of a function
 * with a named result err: the literal's own err takes the error, the result never sees it.
 */
function reportOwnShadow(pass: Pass, file: PassFile, fn: FuncNode, fname: string, d: ast.DeferStmt, lit: ast.FuncLit, x: ast.AssignStmt, id: ast.Ident, rhs: ast.Expr | undefined, reported: Set<string>): void {
  const result = (fn.type.results?.list ?? []).flatMap((f) => f.names ?? []).find((n) => n.name === id.name);
  // `defer func() (err error) { err = rows.Close(); return }()`: a named result of the literal
  // itself, returned to nobody.
  const own = (lit.type.results?.list ?? []).flatMap((f) => f.names ?? []).find((n) => n.name === id.name);
  if (!result && own && pass.types.objectOf(id)?.decl === own && isErrorTyped(pass, own) !== false) {
    reported.add(id.name);
    pass.report({
      node: x,
      file,
      message: `the deferred function literal assigns ${textOf(file, x)}, but ${id.name} is the literal's own named result: the results of a deferred call are discarded, so ${fname} never sees this error; ${namedResults(fn).size > 0 ? `assign ${fname}'s named result instead` : `give ${fname} a named result (err error) and assign it from the literal`}`,
      related: [{ node: d, message: 'the defer statement' }, { node: own, message: `${id.name} declared as the literal's result here` }],
    });
    return;
  }
  if (!result || isErrorTyped(pass, result) !== true) return;
  // The value stored is an error: the variable's own type (`err := f.Close()`), or the assigned
  // expression's (`err := recover()` is an any that takes a wrapped error).
  if (isErrorTyped(pass, id) !== true && !(rhs && isErrorTyped(pass, rhs) === true)) return;
  if (readInLiteral(pass, lit, id, nodeStop(x))) return;
  const decl = pass.types.objectOf(id)?.decl;
  if (!decl) return;
  reported.add(id.name);
  const declLine = lineOf(file, decl);
  pass.report({
    node: x,
    file,
    message: `the deferred function literal assigns ${textOf(file, x)}, but ${id.name} there is the literal's own variable declared on line ${declLine}, which shadows the named result ${id.name} of ${fname}: the assignment changes only that copy, so ${fname} returns without this error; give the variable declared on line ${declLine} another name (e.g. \`if r := recover(); r != nil\`) so that the literal assigns the named result`,
    confidence: 'high',
    related: [
      { node: d, message: 'the defer statement' },
      { node: decl, message: `${id.name} declared here` },
      { node: result, message: `the named result ${id.name}` },
    ],
  });
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'medium',
    summary: 'A deferred function literal returns values or assigns an error that nobody sees: the result is lost.',
    enabledByDefault: true,
    fixable: false,
    category: 'evaluation',
    docUrl: docUrl(ID),
  },
  needs: deferNeeds,
  run,
};
