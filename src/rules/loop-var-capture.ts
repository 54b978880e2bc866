// loop-var-capture: a deferred or `go` function literal in a loop reads a loop variable that all
// iterations share, so the call that runs later sees whatever value the variable has by then.
// Shared: every variable a loop header declares in files before Go 1.22; at every version, the
// variables a header assigns that were declared outside the loop (`for i = 0; ...`, `for k = range`).
import type * as ast from '../syntax/ast.js';
import { forEachChild, pos as nodePos, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile, RelatedInput } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import {
  assignsVar, bodyNeeds, enclosingFunc, stmtListOf, enclosingLoops, funcName, goVersionAtLeast, isWaitCall, lineOf, runsOncePerCall, walkSameFunc, type LoopNode,
} from './helpers.js';

const ID = 'loop-var-capture';

interface LoopVar {
  id: ast.Ident;
  loop: LoopNode;
  /** declared: the header declares it (`:=`), shared before Go 1.22; outside: declared elsewhere, assigned by the header. */
  how: 'declared' | 'outside';
}

function identsOf(exprs: readonly (ast.Expr | null)[]): ast.Ident[] {
  const out: ast.Ident[] = [];
  for (const e of exprs) {
    if (!e) continue;
    const x = unparen(e);
    if (x.kind === 'Ident' && x.name !== '_') out.push(x);
  }
  return out;
}

/** The variables of a loop header whose value is shared by all iterations in this file. */
function sharedLoopVars(loop: LoopNode, perIteration: boolean): LoopVar[] {
  const out: LoopVar[] = [];
  const add = (ids: ast.Ident[], how: LoopVar['how']) => {
    for (const id of ids) if (!out.some((v) => v.id.name === id.name)) out.push({ id, loop, how });
  };
  if (loop.kind === 'RangeStmt') {
    if (loop.tok === ':=') {
      if (!perIteration) add(identsOf([loop.key, loop.value]), 'declared');
    } else if (loop.tok === '=') add(identsOf([loop.key, loop.value]), 'outside');
    return out;
  }
  const init = loop.init;
  if (init?.kind === 'AssignStmt') {
    if (init.tok === ':=') {
      if (!perIteration) add(identsOf(init.lhs), 'declared');
    } else add(identsOf(init.lhs), 'outside');
  }
  // The post statement of `for ; i < n; i++` with i declared before the loop.
  const declaredByInit = new Set(init?.kind === 'AssignStmt' && init.tok === ':=' ? identsOf(init.lhs).map((i) => i.name) : []);
  const post = loop.post;
  const postTargets = post?.kind === 'IncDecStmt' ? identsOf([post.x]) : post?.kind === 'AssignStmt' && post.tok !== ':=' ? identsOf(post.lhs) : [];
  add(postTargets.filter((i) => !declaredByInit.has(i.name)), 'outside');
  return out;
}

/** The function literals that run after the current iteration: the deferred/started one, and literals passed to it. */
function laterLiterals(call: ast.CallExpr): ast.FuncLit[] {
  const out: ast.FuncLit[] = [];
  const fun = unparen(call.fun);
  if (fun.kind === 'FuncLit') out.push(fun);
  for (const a of call.args ?? []) {
    const x = unparen(a);
    if (x.kind === 'FuncLit') out.push(x);
  }
  return out;
}

/**
 * Whether `use` (inside the literal) refers to the loop variable `v`. With types, by object; without,
 * by name, unless the name is declared again between the loop and the use (a copy `i := i`, a
 * parameter of the literal, a local of the literal).
 */
function refersTo(pass: Pass, use: ast.Ident, v: LoopVar, stack: readonly ast.Node[]): 'yes' | 'no' | 'maybe' {
  if (use.name !== v.id.name) return 'no';
  const ou = pass.types.objectOf(use);
  const ov = pass.types.objectOf(v.id);
  if (ou && ov) return ou === ov ? 'yes' : 'no';
  return redeclaredBetween(v.loop, use, stack) ? 'no' : 'maybe';
}

/** Whether the name of `use` is declared in a block between the loop and `use` (syntax only). */
function redeclaredBetween(loop: LoopNode, use: ast.Ident, stack: readonly ast.Node[]): boolean {
  const name = use.name;
  const at = use.namePos;
  const start = stack.indexOf(loop);
  const declares = (n: ast.Node): boolean => {
    if (n.kind === 'AssignStmt' && n.tok === ':=') return n.lhs.some((l) => l.kind === 'Ident' && l.name === name);
    if (n.kind === 'DeclStmt' && n.decl.kind === 'GenDecl') {
      return (n.decl.specs ?? []).some((s) => s.kind === 'ValueSpec' && s.names.some((x) => x.name === name));
    }
    if (n.kind === 'RangeStmt' && n.tok === ':=') return identsOf([n.key, n.value]).some((x) => x.name === name);
    return false;
  };
  for (let i = Math.max(0, start) + 1; i < stack.length; i++) {
    const n = stack[i]!;
    if (n.kind === 'FuncLit') {
      const fields = [...(n.type.params.list ?? []), ...(n.type.results?.list ?? [])];
      if (fields.some((f) => f.names?.some((x) => x.name === name))) return true;
    }
    if ((n.kind === 'ForStmt' && n !== loop && n.init && declares(n.init)) || (n.kind === 'RangeStmt' && n !== loop && declares(n))) return true;
    if ((n.kind === 'IfStmt' || n.kind === 'SwitchStmt' || n.kind === 'TypeSwitchStmt') && n.init && declares(n.init)) return true;
    const list = n.kind === 'BlockStmt' ? n.list : n.kind === 'CaseClause' || n.kind === 'CommClause' ? n.body : null;
    if (list) {
      for (const s of list) {
        if (nodePos(s) >= at) break;
        if (declares(s)) return true;
      }
    }
  }
  return false;
}

/** The first identifier in the literal that reads or writes the loop variable, with how sure we are. */
function firstUse(pass: Pass, lit: ast.FuncLit, v: LoopVar, outer: readonly ast.Node[]): { id: ast.Ident; sure: boolean } | undefined {
  let found: { id: ast.Ident; sure: boolean } | undefined;
  const stack: ast.Node[] = [...outer];
  const visit = (n: ast.Node): void => {
    if (found) return;
    stack.push(n);
    if (n.kind === 'Ident') {
      const r = refersTo(pass, n, v, stack);
      if (r !== 'no') found = { id: n, sure: r === 'yes' };
    } else if (n.kind === 'SelectorExpr') {
      // x.f: only x can be the variable.
      visit(n.x);
    } else if (n.kind === 'KeyValueExpr') {
      // A struct literal key names a field; a map key is an expression.
      if (unparen(n.key).kind !== 'Ident') visit(n.key);
      else if (!isFieldKey(pass, n.key)) visit(n.key);
      visit(n.value);
    } else forEachChild(n, visit);
    stack.pop();
  };
  visit(lit);
  return found;
}

/** A composite literal key that is (or may be) a struct field name rather than a variable. */
function isFieldKey(pass: Pass, key: ast.Expr): boolean {
  const k = unparen(key) as ast.Ident;
  const o = pass.types.objectOf(k);
  return !o || o.kind !== 'var' || o.varKind === 'field';
}

/**
 * Whether the loop body waits for the goroutine after the go statement (same function): a group
 * wait, or a top-level statement of the body that receives from a channel the goroutine sends on
 * or closes (`go func() { done <- f(name) }(); out = append(out, <-done)`).
 */
function waitsInIteration(pass: Pass, file: PassFile, loop: LoopNode, st: ast.GoStmt, stack: readonly ast.Node[]): boolean {
  let found = false;
  // A wait every iteration that starts the goroutine reaches: a later statement of the list that
  // holds the go statement, or of a list around it up to the loop body, with no branch in
  // between that could leave first; not one under a condition of its own (`if (i+1)%batch == 0 {
  // wg.Wait() }` lets the earlier goroutines of a batch see the variable change).
  const li = stack.indexOf(loop);
  for (let i = stack.length - 2; i > li && i >= 0; i--) {
    const list = stmtListOf(stack[i]!);
    if (!list) continue;
    const holder = stack[i + 1]!;
    const k = list.indexOf(holder as ast.Stmt);
    if (k < 0) continue;
    for (let j = k + 1; j < list.length; j++) {
      const s = list[j]!;
      if (s.kind === 'ExprStmt' || s.kind === 'AssignStmt') {
        walkSameFunc(s, (x) => {
          if (found) return false;
          if (x.kind === 'CallExpr' && isWaitCall(pass, file, x)) found = true;
          return !found;
        });
        if (found) return true;
      }
      if (s.kind === 'DeferStmt' || s.kind === 'GoStmt') continue;
      let leaves = false;
      walkSameFunc(s, (x) => {
        if (x.kind === 'BranchStmt' || x.kind === 'ReturnStmt') leaves = true;
        return !leaves;
      });
      if (leaves) break;
    }
  }
  const after = nodePos(st);
  const lit = unparen(st.call.fun);
  if (lit.kind !== 'FuncLit') return false;
  const signals = new Set<string>();
  walkSameFunc(lit.body, (x) => {
    if (x.kind === 'SendStmt' && unparen(x.chan).kind === 'Ident') signals.add((unparen(x.chan) as ast.Ident).name);
    if (x.kind === 'CallExpr' && unparen(x.fun).kind === 'Ident' && (unparen(x.fun) as ast.Ident).name === 'close' && x.args?.[0] && unparen(x.args[0]).kind === 'Ident') {
      signals.add((unparen(x.args[0]) as ast.Ident).name);
    }
    return true;
  });
  if (signals.size === 0) return false;
  for (const s of loop.body.list ?? []) {
    if (nodePos(s) <= after || (s.kind !== 'ExprStmt' && s.kind !== 'AssignStmt')) continue;
    walkSameFunc(s, (x) => {
      if (found) return false;
      if (x.kind === 'UnaryExpr' && x.op === '<-' && unparen(x.x).kind === 'Ident' && signals.has((unparen(x.x) as ast.Ident).name)) found = true;
      return !found;
    });
    if (found) return true;
  }
  return false;
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    const perIteration = goVersionAtLeast(file.goVersion, 1, 22);
    file.inspector.withStack(['DeferStmt', 'GoStmt'], (st, stack) => {
      const loops = enclosingLoops(stack);
      if (loops.length === 0) return;
      const lits = laterLiterals(st.call);
      const addressed = addressTaken(pass, st.call);
      if (lits.length === 0 && addressed.length === 0) return;
      let vars = loops.flatMap((l) => sharedLoopVars(l, perIteration));
      // Goroutines waited for later in the same iteration (wg.Wait() in the loop body) finish before
      // the loop variable changes.
      if (st.kind === 'GoStmt') vars = vars.filter((v) => !waitsInIteration(pass, file, v.loop, st, stack));
      const fn = enclosingFunc(stack);
      // A defer or go statement that runs at most once (no path leads from it back to it: what
      // follows returns or leaves the loops) sees the value of its own iteration, since a
      // variable the header declares changes only when the loop goes round again; unless the
      // body assigns it.
      if (fn && vars.some((v) => v.how === 'declared') && runsOncePerCall(pass, fn, st)) {
        vars = vars.filter((v) => v.how !== 'declared' || assignsVar(pass, v.loop.body, v.id, { addressTaken: true }));
      }
      if (vars.length === 0) return;
      const outer = [...stack];
      for (const v of vars) {
        let reported = false;
        for (const lit of lits) {
          const use = firstUse(pass, lit, v, outer);
          if (!use) continue;
          report(pass, file, st, v, use, fn ? funcName(file, fn) : 'the function', lit !== unparen(st.call.fun));
          reported = true;
          break;
        }
        const a = reported ? undefined : addressed.find((x) => sameVar(pass, x.id, v, outer));
        if (a) reportAddress(pass, file, st, v, a, fn ? funcName(file, fn) : 'the function');
      }
    });
  }
}

/**
 * An address of a variable that the deferred or started call takes at the statement: `&v` (or
 * `&v.f` into a struct value) as an argument, or `v.m()` where m has a pointer receiver and v is
 * a value, so the call gets `&v`. The caller matches `id` against the loop variables.
 */
interface Addressed {
  id: ast.Ident;
  how: 'receiver' | 'argument';
  /** The method name for a receiver, the argument's text for an argument. */
  what: string;
}

function addressTaken(pass: Pass, call: ast.CallExpr): Addressed[] {
  const out: Addressed[] = [];
  const fun = unparen(call.fun);
  if (fun.kind === 'SelectorExpr') {
    const x = unparen(fun.x);
    if (x.kind === 'Ident' && isValueVar(pass, x)) {
      const c = pass.types.callee(call);
      if (c?.kind === 'method' && c.recv?.pointer) out.push({ id: x, how: 'receiver', what: fun.sel.name });
    }
  }
  for (const a of call.args ?? []) {
    const u = unparen(a);
    if (u.kind !== 'UnaryExpr' || u.op !== '&') continue;
    let x = unparen(u.x);
    let path = '';
    // &v.f.g: an address inside v, as long as no selector goes through a pointer.
    while (x.kind === 'SelectorExpr') {
      const t = pass.types.typeOf(x.x);
      if (!t || t.kind === 'pointer' || (t.kind === 'named' && t.underlying()?.kind === 'pointer')) break;
      path = '.' + x.sel.name + path;
      x = unparen(x.x);
    }
    if (x.kind === 'Ident' && (path === '' || isValueVar(pass, x))) out.push({ id: x, how: 'argument', what: `&${x.name}${path}` });
  }
  return out;
}

/** A variable known by type to hold a value (not a pointer or an interface), so `&v` is its own storage. */
function isValueVar(pass: Pass, id: ast.Ident): boolean {
  const o = pass.types.objectOf(id);
  if (o?.kind !== 'var') return false;
  const t = o.type;
  if (!t) return false;
  const u = t.kind === 'named' ? t.underlying() : t;
  return u !== undefined && u.kind !== 'pointer' && u.kind !== 'interface' && u.kind !== 'typeparam';
}

/** Whether `id` (at the defer or go statement) is the loop variable `v`: by object only. */
function sameVar(pass: Pass, id: ast.Ident, v: LoopVar, stack: readonly ast.Node[]): boolean {
  if (id.name !== v.id.name) return false;
  const ou = pass.types.objectOf(id);
  const ov = pass.types.objectOf(v.id);
  return ou !== undefined && ou === ov && !redeclaredBetween(v.loop, id, stack);
}

function reportAddress(pass: Pass, file: PassFile, st: ast.DeferStmt | ast.GoStmt, v: LoopVar, a: Addressed, fname: string): void {
  const name = v.id.name;
  const loopLine = lineOf(file, v.loop);
  const why = v.how === 'declared'
    ? `${name} is declared by the loop on line ${loopLine} and, under ${file.goVersion} (before go1.22), one ${name} is shared by all iterations`
    : `the loop on line ${loopLine} assigns ${name}, a variable declared outside it, so one ${name} is shared by all iterations`;
  const taken = a.how === 'receiver'
    ? `${name}.${a.what} has a pointer receiver, so the ${st.kind === 'DeferStmt' ? 'deferred call' : 'goroutine'} gets &${name}`
    : `the ${st.kind === 'DeferStmt' ? 'deferred call' : 'goroutine'} is given ${a.what}`;
  const copy = `copy it first (${name} := ${name}) so each call gets its own variable${v.how === 'declared' ? ', or raise the go directive to 1.22' : ''}`;
  const message = st.kind === 'DeferStmt'
    ? `${taken}, but ${why}: when ${fname} returns every deferred call works on its last value and the earlier ones are never handled; ${copy}`
    : `${taken}, but ${why}: the goroutine started on line ${lineOf(file, st)} sees the next iterations overwrite it (a data race); ${copy}`;
  const related: RelatedInput[] = [
    { node: v.loop, message: `the loop (line ${loopLine})` },
    { node: a.id, message: `address of ${name} taken here` },
  ];
  pass.report({ node: st, file, message, confidence: 'high', related });
}

function report(pass: Pass, file: PassFile, st: ast.DeferStmt | ast.GoStmt, v: LoopVar, use: { id: ast.Ident; sure: boolean }, fname: string, viaArg: boolean): void {
  const name = v.id.name;
  const loopLine = lineOf(file, v.loop);
  const why = v.how === 'declared'
    ? `${name} is declared by the loop on line ${loopLine} and, under ${file.goVersion} (before go1.22), one ${name} is shared by all iterations`
    : `the loop on line ${loopLine} assigns ${name}, a variable declared outside it, so one ${name} is shared by all iterations`;
  const lit = viaArg ? 'function literal passed to the deferred call' : 'deferred function literal';
  const fix = v.how === 'declared'
    ? `pass ${name} as an argument or copy it with ${name} := ${name} before the ${st.kind === 'DeferStmt' ? 'defer' : 'go statement'} (or raise the go directive to 1.22)`
    : `pass ${name} as an argument or copy it with ${name} := ${name} before the ${st.kind === 'DeferStmt' ? 'defer' : 'go statement'}`;
  const message = st.kind === 'DeferStmt'
    ? `the ${lit} reads ${name}, but ${why}: the deferred calls run when ${fname} returns and all see its last value; ${fix}`
    : `the goroutine started on line ${lineOf(file, st)} reads ${name}, but ${why}: it may see a later iteration's value (a data race); ${fix}`;
  const related: RelatedInput[] = [
    { node: v.loop, message: `the loop (line ${loopLine})` },
    { node: use.id, message: `${name} read here` },
  ];
  // Knowing the object for sure (types) gives high confidence; the name alone, medium.
  pass.report({ node: st, file, message, confidence: use.sure ? 'high' : 'medium', related });
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'high',
    summary: 'A deferred or go function literal in a loop reads a loop variable shared by all iterations, so it sees a later value.',
    enabledByDefault: true,
    fixable: false,
    category: 'evaluation',
    docUrl: docUrl(ID),
  },
  needs: (o) => bodyNeeds(o, { kinds: ['DeferStmt', 'GoStmt'] }),
  run,
};
