// defer-func-result-not-called: `defer f()` where f returns a func value. Only f is deferred; the
// func it returns (the cleanup, the "stop" of a trace or timer, a cancel) is dropped and never runs.
import type * as ast from '../syntax/ast.js';
import { end as nodeEnd, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass } from '../analysis/analyzer.js';
import type { Param, Type } from '../types/api.js';
import { docUrl } from '../findings/model.js';
import { deferNeeds, enclosingFunc, funcName, lineOf, textOf } from './helpers.js';

const ID = 'defer-func-result-not-called';

/**
 * A func type that can be called with no arguments, as a cleanup is (`func()`, `func() error`,
 * context.CancelFunc). A func that takes parameters (an iter.Seq, a callback) is no cleanup, and
 * `defer f()()` could not call it.
 */
function isFuncType(t: Type | undefined): boolean {
  if (!t) return false;
  const u = t.kind === 'named' ? t.underlying() : t;
  return u?.kind === 'signature' && (u.params.length === 0 || (u.variadic && u.params.length === 1));
}

/** A func type that takes arguments (a finisher given the outcome: `func(err error)`). */
function takesArgs(t: Type | undefined): boolean {
  const u = t?.kind === 'named' ? t.underlying() : t;
  return u?.kind === 'signature' && u.params.length > 0;
}

/** Names of calls that start something and return what finishes it. */
const START_NAME = /^(Observe|Start|Begin|Track|Trace|Time|Measure|Enter|Acquire|Span|Timer|Scope|Watch|Mark|New[A-Z]\w*(Span|Timer|Scope|Tracker))/;

function typeName(t: Type): string {
  if (t.kind === 'named') return t.pkg ? `${t.pkg}.${t.name}` : t.name;
  return 'func';
}

/** The results of the deferred call, from the callee's signature or the call's type. */
function resultsOf(pass: Pass, call: ast.CallExpr): Param[] | undefined {
  const c = pass.types.callee(call);
  if (c?.kind === 'conversion' || c?.kind === 'builtin') return undefined;
  // A generic callee's results are its type parameters: the call's own type is the instance's.
  if (c?.sig && !c.sig.results.some((r) => r.type.kind === 'typeparam')) return c.sig.results;
  const t = pass.types.typeOf(call);
  if (!t) return undefined;
  if (t.kind === 'tuple') return t.types.map((type) => ({ name: '', type }));
  return [{ name: '', type: t }];
}

/** Whether an argument of the call is a call of the same function (or method on the same receiver). */
function restoresPrevious(pass: Pass, call: ast.CallExpr): boolean {
  const fun = textOfFun(call);
  if (!fun) return false;
  const outer = pass.types.callee(call)?.name;
  return (call.args ?? []).some((a) => {
    const x = unparen(a);
    if (x.kind !== 'CallExpr') return false;
    const inner = pass.types.callee(x)?.name;
    return outer !== undefined && inner !== undefined ? outer === inner && textOfFun(x) === fun : textOfFun(x) === fun;
  });
}

/** `pkg.F`, `x.m`, `f`: the callee expression of a call by name, or undefined. */
function textOfFun(call: ast.CallExpr): string | undefined {
  const f = unparen(call.fun);
  if (f.kind === 'Ident') return f.name;
  if (f.kind === 'SelectorExpr' && unparen(f.x).kind === 'Ident') return `${(unparen(f.x) as ast.Ident).name}.${f.sel.name}`;
  return undefined;
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    file.inspector.withStack(['DeferStmt'], (d, stack) => {
      const call = d.call;
      const results = resultsOf(pass, call);
      if (!results || results.length === 0) return;
      let funcs = results.map((r, i) => ({ r, i })).filter((x) => isFuncType(x.r.type));
      // `defer m.Observe("flush")` returning `func(err error)`: a finisher that takes the outcome.
      // Only for a callee named as the start of something measured (Observe, Start, Track...).
      const finisher = funcs.length === 0 && results.length === 1 && takesArgs(results[0]!.type) && START_NAME.test(pass.types.callee(call)?.short ?? '');
      if (finisher) funcs = [{ r: results[0]!, i: 0 }];
      if (funcs.length === 0) return;
      // Swap and restore: `defer SetHook(SetHook(fake))` puts the previous value back at exit;
      // what the outer call returns is the fake one, dropped on purpose.
      if (restoresPrevious(pass, call)) return;
      const fn = enclosingFunc(stack);
      const fname = fn ? funcName(file, fn) : 'the function';
      const isLit = unparen(call.fun).kind === 'FuncLit';
      // A function literal is named by its line, not its text.
      const text = isLit ? `func literal (line ${lineOf(file, call)})` : textOf(file, call);
      const callee = pass.types.callee(call);
      const who = isLit ? 'the literal' : callee ? callee.name : textOf(file, unparen(call.fun));
      if (finisher) {
        pass.report({
          node: d,
          file,
          message: `defer ${text} calls ${who} only when ${fname} returns and drops the ${typeName(results[0]!.type)} it returns, so that finisher never runs; keep it and call it at exit: done := ${text}; defer func() { done(...) }()`,
        });
        return;
      }
      if (results.length === 1) {
        const t = typeName(results[0]!.type);
        pass.report({
          node: d,
          file,
          message: isLit
            ? `the deferred function literal runs only when ${fname} returns and the ${t} it returns is dropped, so that returned cleanup never runs; add () after the literal's call (defer func() func() { ... }()()) to run the literal now and its result at exit`
            : `defer ${text} calls ${who} only when ${fname} returns and drops the ${t} it returns, so that returned cleanup never runs; write defer ${text}() to call ${who} now and its result at exit`,
          fixes: [{ message: isLit ? 'Call the returned function: add () after the call' : `Call the returned function: defer ${text}()`, edits: [{ range: { pos: nodeEnd(call), end: nodeEnd(call) }, newText: '()' }] }],
        });
        return;
      }
      // Several results, one of them a func (context.WithCancel): the func is lost; no mechanical fix.
      const what = funcs.map((x) => `its ${ordinal(x.i + 1)} result (${x.r.name ? `${x.r.name}, ` : ''}a ${typeName(x.r.type)})`).join(' and ');
      pass.report({
        node: d,
        file,
        message: `defer ${text} discards ${what}, so that function is never called${who === 'context.WithCancel' || who.startsWith('context.With') ? ' and the context is never cancelled' : ''}; assign the results and defer the returned function instead (x, cancel := ...; defer cancel())`,
      });
    });
  }
}

function ordinal(n: number): string {
  return n === 1 ? 'first' : n === 2 ? 'second' : n === 3 ? 'third' : `${n}th`;
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'high',
    summary: 'defer f() where f returns a func value: the returned cleanup is never called.',
    enabledByDefault: true,
    fixable: true,
    category: 'lifetime',
    docUrl: docUrl(ID),
  },
  needs: deferNeeds,
  run,
};
