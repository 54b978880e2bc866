// unnecessary-defer: a defer that runs at once anyway, because it is the function's last
// statement or comes right before a return of constants. Calling directly is clearer and cheaper.
import type * as ast from '../syntax/ast.js';
import { inspect, pos as nodePos, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { callsRecoverDirectly, deferNeeds, funcName, textOf, type FuncNode } from './helpers.js';

const ID = 'unnecessary-defer';

/** A constant operand: literal, nil, true, false, iota, a constant identifier, or an operation on constants. */
function isConstant(pass: Pass, e: ast.Expr): boolean {
  e = unparen(e);
  switch (e.kind) {
    case 'BasicLit': return true;
    case 'Ident': {
      const o = pass.types.objectOf(e);
      if (o) return o.kind === 'const' || o.kind === 'nil';
      return e.name === 'nil' || e.name === 'true' || e.name === 'false';
    }
    case 'UnaryExpr': return e.op !== '<-' && e.op !== '&' && isConstant(pass, e.x);
    case 'BinaryExpr': return isConstant(pass, e.x) && isConstant(pass, e.y);
    default: return false;
  }
}

/** Whether the deferred call uses recover() (deferring it is the point) or is itself recover(). */
function usesRecover(call: ast.CallExpr): boolean {
  let found = false;
  inspect(call, (n) => {
    if (found) return false;
    if (n.kind === 'CallExpr') {
      const f = unparen(n.fun);
      if (f.kind === 'Ident' && f.name === 'recover') found = true;
    }
    return !found;
  });
  return found;
}

/** Whether the deferred function is one of this package that calls recover() itself: called directly, its recover would do nothing. */
function defersRecoverer(pass: Pass, call: ast.CallExpr): boolean {
  const decl = pass.types.callee(call)?.decl;
  return !!decl && callsRecoverDirectly(pass, decl);
}

/** Whether a call's arguments take the address of one of fn's named results. */
function takesResultAddress(fn: FuncNode, call: ast.CallExpr): boolean {
  const names = new Set((fn.type.results?.list ?? []).flatMap((f) => (f.names ?? []).map((n) => n.name)));
  return (call.args ?? []).some((a) => {
    const x = unparen(a);
    return x.kind === 'UnaryExpr' && x.op === '&' && unparen(x.x).kind === 'Ident' && names.has((unparen(x.x) as ast.Ident).name);
  });
}

/** Calls that read the caller's stack: a deferred frame sees a different stack and line than a direct call. */
const STACK_READERS = new Set(['runtime.Caller', 'runtime.Callers', 'runtime.Stack', 'runtime/debug.Stack', 'runtime/debug.PrintStack']);

/**
 * Whether the deferred function (a literal, or a function of this package and the functions it
 * calls, three levels deep) reads the call stack. Deferring such a call is observable: at the end
 * of a function, `runtime.Caller` from a deferred call reports the line of the closing brace.
 */
function readsStack(pass: Pass, call: ast.CallExpr): boolean {
  const fun = unparen(call.fun);
  const body = fun.kind === 'FuncLit' ? fun.body : pass.types.callee(call)?.decl?.body;
  if (!body) return false;
  const seen = new Set<object>([body]);
  const walk = (root: ast.Node, depth: number): boolean => {
    let found = false;
    inspect(root, (n) => {
      if (found) return false;
      if (n.kind === 'CallExpr') {
        const c = pass.types.callee(n);
        if (c && STACK_READERS.has(c.name)) found = true;
        else if (depth > 0 && c?.decl?.body && !seen.has(c.decl.body)) {
          seen.add(c.decl.body);
          found = walk(c.decl.body, depth - 1);
        }
      }
      return !found;
    });
    return found;
  };
  return walk(body, 2);
}

function hasNamedResults(fn: FuncNode): boolean {
  return (fn.type.results?.list ?? []).some((f) => (f.names?.length ?? 0) > 0);
}

function check(pass: Pass, file: PassFile, fn: FuncNode): void {
  const body = fn.body;
  if (!body) return;
  const visit = (list: readonly ast.Stmt[] | null, atEnd: boolean): void => {
    const stmts = list ?? [];
    stmts.forEach((s, i) => {
      if (s.kind === 'DeferStmt') {
        const next = stmts[i + 1];
        let why: string | undefined;
        if (next === undefined && atEnd) why = 'it is the last statement of the function';
        else if (next?.kind === 'ReturnStmt' && (next.results ?? []).every((r) => isConstant(pass, r))) {
          why = next.results && next.results.length > 0 ? 'the return right after it has only constant results' : 'a bare return follows it';
          // A deferred closure can change named results after `return X` assigned them.
          // So can a call given a named result's address (`defer record(&n); return 42`).
          if (next.results && next.results.length > 0 && hasNamedResults(fn) && (unparen(s.call.fun).kind === 'FuncLit' || takesResultAddress(fn, s.call))) why = undefined;
        }
        if (why && !usesRecover(s.call) && !defersRecoverer(pass, s.call) && !readsStack(pass, s.call)) {
          const call = textOf(file, s.call);
          pass.report({
            node: s,
            file,
            message: `defer ${call} in ${funcName(file, fn)} runs immediately anyway because ${why}; call ${call} directly`,
            fixes: [{ message: `call ${call} directly`, edits: [{ range: { pos: s.defer, end: nodePos(s.call) }, newText: '' }] }],
          });
        }
      }
      // Nested blocks: a defer before a return of constants counts anywhere; only the function's
      // own last statement counts as "at the end".
      for (const b of blocksOf(s)) visit(b, false);
    });
  };
  visit(body.list, true);
}

/** Statement lists directly nested in a statement (not inside function literals). */
function blocksOf(s: ast.Stmt): (ast.Stmt[] | null)[] {
  switch (s.kind) {
    case 'BlockStmt': return [s.list];
    case 'IfStmt': return [s.body.list, ...(s.else ? blocksOf(s.else) : [])];
    case 'ForStmt': case 'RangeStmt': return [s.body.list];
    case 'SwitchStmt': case 'TypeSwitchStmt': case 'SelectStmt':
      return (s.body.list ?? []).map((c) => (c.kind === 'CaseClause' || c.kind === 'CommClause' ? c.body : null));
    case 'LabeledStmt': return blocksOf(s.stmt);
    default: return [];
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
    severity: 'low',
    summary: 'A defer as the last statement of a function or right before a return of constants: call it directly.',
    enabledByDefault: false,
    fixable: true,
    category: 'style',
    docUrl: docUrl(ID),
  },
  needs: deferNeeds,
  run,
};
