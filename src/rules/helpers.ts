// Shared matchers for rules: enclosing functions and loops from an inspector stack, names of
// functions and callees (from types when known, from syntax otherwise), expression text and
// structural equality, and the loop-termination analysis used by the defer-in-loop family.
import type * as ast from '../syntax/ast.js';
import { bytesContain } from '../syntax/source.js';
import { end as nodeEnd, forEachChild, inspect, pos as nodePos, returnedSelector, unparen } from '../syntax/nodes.js';
import type { BodyMatch, BodyNeeds, Pass, PassFile } from '../analysis/analyzer.js';
import type { RuleOptions } from '../analysis/options.js';
import type { Callee, Type } from '../types/api.js';
import { buildCallGraph, calledName, DEFAULT_NO_RETURN, shortNameOf, type CallGraph, type FuncNode as GraphNode } from '../types/callgraph.js';
import { buildCFG, nodeContains, walkNode, type Block, type CFG, type LoopInfo } from '../types/cfg.js';
import { EVENT_SENDERS, EXIT_FUNCTIONS, FATAL_EVENT_SOURCES } from './catalog.js';
import { BLOCKING_CALLS, DEADLINE_CONTEXTS, HANDLER_PARAMS, MUTEX_METHODS, WAIT_CALLS, type LockMethod } from './catalog.js';
import { ACQUIRING_CALLS, HTTP_REQUEST_CALLS, PLUMBING_CALLS, SERVE_CALLS, SERVE_METHODS, SIGNAL_HANDLERS, TIMEOUT_CHANNELS } from './catalog.js';
import { DEPENDENT_RESOURCES, OPEN_FLAGS, OPEN_WRITE_BITS, WRITE_RESOURCES, type WriteResource } from './catalog.js';

export type FuncNode = ast.FuncDecl | ast.FuncLit;
export type LoopNode = ast.ForStmt | ast.RangeStmt;

export function isFunc(n: ast.Node): n is FuncNode {
  return n.kind === 'FuncDecl' || n.kind === 'FuncLit';
}

export function isLoop(n: ast.Node): n is LoopNode {
  return n.kind === 'ForStmt' || n.kind === 'RangeStmt';
}

/** The nearest function enclosing the last node of the stack (not the node itself). */
export function enclosingFunc(stack: readonly ast.Node[]): FuncNode | undefined {
  for (let i = stack.length - 2; i >= 0; i--) {
    const n = stack[i]!;
    if (isFunc(n)) return n;
  }
  return undefined;
}

/** A close of a channel that runs at function exit. */
export interface DeferredClose {
  defer: ast.DeferStmt;
  close: ast.CallExpr;
  ch: ast.Expr;
  key: string;
  /** The close is inside a deferred function literal. */
  inLiteral: boolean;
}

/** A call of the builtin close (or of `close` when types are unknown). */
export function isBuiltinClose(pass: Pass, call: ast.CallExpr): boolean {
  const f = unparen(call.fun);
  if (f.kind !== 'Ident' || f.name !== 'close' || call.args?.length !== 1) return false;
  const o = pass.types.objectOf(f);
  return !o || o.kind === 'builtin';
}

/** The channel closes a body defers: `defer close(ch)`, or a close in a deferred literal. */
export function deferredCloses(pass: Pass, body: ast.BlockStmt): DeferredClose[] {
  const out: DeferredClose[] = [];
  walkSameFunc(body, (x) => {
    if (x.kind !== 'DeferStmt') return true;
    const fun = unparen(x.call.fun);
    const add = (close: ast.CallExpr, inLiteral: boolean) => {
      const ch = close.args![0]!;
      const key = refKey(pass, ch);
      if (key !== undefined) out.push({ defer: x, close, ch, key, inLiteral });
    };
    if (isBuiltinClose(pass, x.call)) add(x.call, false);
    else if (fun.kind === 'FuncLit') {
      walkSameFunc(fun.body, (y) => {
        if (y.kind === 'ExprStmt') {
          const c = unparen(y.x);
          if (c.kind === 'CallExpr' && isBuiltinClose(pass, c)) add(c, true);
        }
        return true;
      });
    }
    return false;
  });
  return out;
}

/** Whether an import path is a package of the module being analysed (the module's root or below it). */
export function inModule(pass: Pass, path: string): boolean {
  const m = pass.pkg.modulePath;
  return m !== '' && (path === m || path.startsWith(m + '/'));
}

/** Whether a callee is a function or method of another package of the module (its source is at hand, by text). */
export function otherModuleFunc(pass: Pass, c: Callee | undefined): boolean {
  return !!c && (c.kind === 'func' || c.kind === 'method') && !!c.pkg && c.pkg !== pass.pkg.importPath && inModule(pass, c.pkg);
}

/**
 * A counting loop `for v := from; v < to; v++` (or `<=`): its variable, bounds and comparison.
 */
export function countingLoop(st: ast.Stmt): { v: string; from: ast.Expr; op: '<' | '<='; to: ast.Expr } | undefined {
  if (st.kind !== 'ForStmt' || !st.init || !st.cond || !st.post) return undefined;
  const init = st.init;
  if (init.kind !== 'AssignStmt' || init.lhs.length !== 1 || init.rhs.length !== 1 || init.lhs[0]!.kind !== 'Ident') return undefined;
  const v = (init.lhs[0] as ast.Ident).name;
  const c = unparen(st.cond);
  if (c.kind !== 'BinaryExpr' || (c.op !== '<' && c.op !== '<=') || unparen(c.x).kind !== 'Ident' || (unparen(c.x) as ast.Ident).name !== v) return undefined;
  const post = st.post;
  if (post.kind !== 'IncDecStmt' || post.tok !== '++' || unparen(post.x).kind !== 'Ident' || (unparen(post.x) as ast.Ident).name !== v) return undefined;
  return { v, from: init.rhs[0]!, op: c.op, to: c.y };
}

/**
 * The parts of a statement that run whenever the statement does, before any branch it takes: an
 * `if`'s init and condition, a `switch`'s init and tag, or the whole of a simple statement
 * (expression, assignment, declaration, send, return, defer). Nothing for other compound statements.
 */
export function unconditionalParts(st: ast.Stmt): ast.Node[] {
  const out: (ast.Node | null)[] =
    st.kind === 'IfStmt' ? [st.init, st.cond]
    : st.kind === 'SwitchStmt' ? [st.init, st.tag]
    : st.kind === 'ExprStmt' || st.kind === 'AssignStmt' || st.kind === 'DeclStmt' || st.kind === 'SendStmt' || st.kind === 'ReturnStmt' || st.kind === 'DeferStmt' ? [st]
    : [];
  return out.filter((n): n is ast.Node => !!n);
}

/**
 * Whether a function of the stack (the node's own or one around it) takes a test's handle:
 * `*testing.T`, `*testing.B`, `*testing.F` or `testing.TB`. Test helpers outside _test.go files
 * (a package of shared suites) are test code too.
 */
export function inTestCode(stack: readonly ast.Node[]): boolean {
  for (const n of stack) {
    if (!isFunc(n)) continue;
    for (const f of n.type.params?.list ?? []) {
      if (!f.type) continue;
      let t = unparen(f.type);
      if (t.kind === 'StarExpr') t = unparen(t.x);
      if (t.kind === 'SelectorExpr' && t.x.kind === 'Ident' && t.x.name === 'testing' && ['T', 'B', 'F', 'TB'].includes(t.sel.name)) return true;
    }
  }
  return false;
}

/**
 * The loops of the same function that enclose the last node of the stack, innermost first. A
 * function literal starts a new function, so loops outside it do not count.
 */
export function enclosingLoops(stack: readonly ast.Node[]): LoopNode[] {
  const out: LoopNode[] = [];
  for (let i = stack.length - 2; i >= 0; i--) {
    const n = stack[i]!;
    if (isFunc(n)) break;
    if (isLoop(n)) out.push(n);
  }
  return out;
}

/** The label of a statement, when the stack shows it is labelled. */
export function labelOf(stack: readonly ast.Node[], stmt: ast.Stmt): string | undefined {
  const i = stack.lastIndexOf(stmt);
  const parent = i > 0 ? stack[i - 1] : undefined;
  return parent?.kind === 'LabeledStmt' && parent.stmt === stmt ? parent.label.name : undefined;
}

/** The line of a node's first byte. */
export function lineOf(file: PassFile, n: ast.Node): number {
  return file.source.position(nodePos(n)).line;
}

/** The source text of a node. */
export function textOf(file: PassFile, n: ast.Node): string {
  return file.source.text(nodePos(n), nodeEnd(n));
}

/** The receiver type name of a method declaration, without pointer or type parameters. */
export function recvTypeName(fd: ast.FuncDecl): string | undefined {
  const f = fd.recv?.list?.[0];
  let t = f?.type ?? null;
  while (t) {
    if (t.kind === 'StarExpr' || t.kind === 'ParenExpr') t = t.x;
    else if (t.kind === 'IndexExpr' || t.kind === 'IndexListExpr') t = t.x;
    else break;
  }
  return t?.kind === 'Ident' ? t.name : undefined;
}

const methodIndex = new WeakMap<readonly PassFile[], Map<string, ast.FuncDecl[]>>();

/** The package's method declarations by method name, in file and declaration order. */
export function methodsNamed(pass: Pass, name: string): readonly ast.FuncDecl[] {
  let m = methodIndex.get(pass.files);
  if (!m) {
    m = new Map();
    for (const f of pass.files) {
      for (const d of f.file.decls ?? []) {
        if (d.kind !== 'FuncDecl' || !d.recv?.list?.[0]?.type) continue;
        const list = m.get(d.name.name);
        if (list) list.push(d);
        else m.set(d.name.name, [d]);
      }
    }
    methodIndex.set(pass.files, m);
  }
  return m.get(name) ?? [];
}

/** How a message names a function: "ProcessAll", "Server.Run", "the function literal on line 12". */
export function funcName(file: PassFile, fn: FuncNode): string {
  if (fn.kind === 'FuncLit') return `the function literal on line ${lineOf(file, fn)}`;
  const r = recvTypeName(fn);
  return r ? `${r}.${fn.name.name}` : fn.name.name;
}

/** The statements of a function body. */
export function bodyOf(fn: FuncNode): ast.BlockStmt | null {
  return fn.body;
}

/** The import path a file imports under a local name, from syntax (dot and blank imports excluded). */
export function importedAs(file: PassFile, local: string): string | undefined {
  for (const spec of file.file.imports) {
    const path = spec.path.value.slice(1, -1);
    const name = spec.name ? spec.name.name : guessPackageName(path);
    if (name === local && name !== '_' && name !== '.') return path;
  }
  return undefined;
}

/** The conventional package name of an import path: the last element without a major-version suffix. */
export function guessPackageName(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1] ?? path;
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2]!;
  last = last.replace(/\.v\d+$/, '').replace(/^go-/, '').replace(/[-.]go$/, '');
  return last.replace(/[^A-Za-z0-9_]/g, '_');
}

export interface CallName {
  /** Qualified name: `os.Open`, `(*sync.Mutex).Unlock`; from syntax `os.Open` or `mu.Unlock` (the receiver's text). */
  name: string;
  /** Function or method name alone. */
  short: string;
  /** True when the name comes from type information. */
  typed: boolean;
  /** For a method call from syntax: the receiver expression. */
  recv?: ast.Expr;
}

/** The lower-case words of a Go identifier (`stubExitFunc` → stub, exit, func; `HTTPServer` → http, server). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_]+/)
    .map((w) => w.toLowerCase());
}

/**
 * Names the function a call calls: from type information when the checker knows it, else from
 * syntax (`pkg.F` where pkg is an import of the file, `x.M` for a method-looking call, `f` for a
 * plain identifier). Undefined for calls of computed functions.
 */
export function callName(pass: Pass, file: PassFile, call: ast.CallExpr): CallName | undefined {
  const c = pass.types.callee(call);
  const fun = unparen(call.fun);
  const recv = fun.kind === 'SelectorExpr' ? fun.x : undefined;
  if (c) return { name: c.name, short: c.short, typed: true, ...(recv && c.kind !== 'func' ? { recv } : {}) };
  if (fun.kind === 'Ident') return { name: fun.name, short: fun.name, typed: false };
  if (fun.kind === 'SelectorExpr') {
    const x = unparen(fun.x);
    if (x.kind === 'Ident') {
      const path = importedAs(file, x.name);
      if (path !== undefined && !isLocallyDeclared(file, x)) return { name: `${path}.${fun.sel.name}`, short: fun.sel.name, typed: false };
    }
    return { name: `${textOf(file, fun.x)}.${fun.sel.name}`, short: fun.sel.name, typed: false, recv: fun.x };
  }
  return undefined;
}

/**
 * Whether an identifier is declared by the function that contains it (a parameter, a `:=`, a
 * `var`), which from syntax is the best available test that it does not name an import.
 */
function isLocallyDeclared(file: PassFile, id: ast.Ident): boolean {
  let found = false;
  const at = id.namePos;
  for (const d of file.file.decls ?? []) {
    if (d.kind !== 'FuncDecl' || nodePos(d) > at || nodeEnd(d) < at) continue;
    const check = (n: ast.Node): void => {
      if (found) return;
      if (n.kind === 'Field' && n.names?.some((x) => x.name === id.name)) found = true;
      else if (n.kind === 'AssignStmt' && n.tok === ':=' && n.lhs.some((x) => x.kind === 'Ident' && x.name === id.name)) found = true;
      else if (n.kind === 'ValueSpec' && n.names.some((x) => x.name === id.name)) found = true;
      else if (n.kind === 'RangeStmt' && n.tok === ':=' && [n.key, n.value].some((x) => x?.kind === 'Ident' && x.name === id.name)) found = true;
      if (!found) forEachChild(n, check);
    };
    check(d);
  }
  return found;
}

/** Structural equality of simple expressions (identifiers, selectors, derefs, parens, literal indexes). */
export function sameExpr(a: ast.Expr, b: ast.Expr): boolean {
  a = unparen(a);
  b = unparen(b);
  if (a.kind === 'UnaryExpr' && a.op === '&') return sameExpr(a.x, b);
  if (b.kind === 'UnaryExpr' && b.op === '&') return sameExpr(a, b.x);
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'Ident': return a.name === (b as ast.Ident).name;
    case 'SelectorExpr': return a.sel.name === (b as ast.SelectorExpr).sel.name && sameExpr(a.x, (b as ast.SelectorExpr).x);
    case 'StarExpr': return sameExpr(a.x, (b as ast.StarExpr).x);
    case 'BasicLit': return a.value === (b as ast.BasicLit).value;
    case 'IndexExpr': return sameExpr(a.x, (b as ast.IndexExpr).x) && sameExpr(a.index, (b as ast.IndexExpr).index);
    case 'BinaryExpr': return a.op === (b as ast.BinaryExpr).op && sameExpr(a.x, (b as ast.BinaryExpr).x) && sameExpr(a.y, (b as ast.BinaryExpr).y);
    default: return false;
  }
}

/** The identifier at the root of x, x.f.g, (*x).f, x[i].f. */
export function rootIdent(e: ast.Expr): ast.Ident | undefined {
  for (;;) {
    e = unparen(e);
    switch (e.kind) {
      case 'Ident': return e;
      case 'SelectorExpr': e = e.x; break;
      case 'StarExpr': e = e.x; break;
      case 'IndexExpr': e = e.x; break;
      case 'UnaryExpr': if (e.op === '&') { e = e.x; break; } return undefined;
      default: return undefined;
    }
  }
}

/** Whether two identifiers denote the same variable (by object when known, by name otherwise). */
export function sameVar(pass: Pass, a: ast.Ident, b: ast.Ident): boolean {
  if (a.name !== b.name) return false;
  const oa = pass.types.objectOf(a);
  const ob = pass.types.objectOf(b);
  return oa && ob ? oa === ob : true;
}

/** The go statements of a function body (not of its nested literals), in source order. */
export function goStmtsIn(body: ast.Node): ast.GoStmt[] {
  const gos: ast.GoStmt[] = [];
  walkSameFunc(body, (x) => {
    if (x.kind === 'GoStmt') gos.push(x);
    return true;
  });
  return gos;
}

/** Calls fn for each node below n, not descending into function literals. Return false to prune. */
export function walkSameFunc(n: ast.Node, fn: (x: ast.Node) => boolean | void): void {
  const visit = (x: ast.Node): void => {
    if (x.kind === 'FuncLit') return;
    if (fn(x) === false) return;
    forEachChild(x, visit);
  };
  forEachChild(n, visit);
}

/** The statements of a block or a case clause; null for any other node. */
export function stmtListOf(x: ast.Node): ast.Stmt[] | null {
  return x.kind === 'BlockStmt' ? x.list : x.kind === 'CaseClause' || x.kind === 'CommClause' ? x.body : null;
}

/** The statement list (of the body itself, or of a block or case clause in its own code) that holds the statement; empty when none does. */
export function listHolding(body: ast.Node, stmt: ast.Stmt): readonly ast.Stmt[] {
  let list = stmtListOf(body)?.includes(stmt) ? stmtListOf(body) : null;
  if (!list) {
    walkSameFunc(body, (x) => {
      if (list || nodePos(x) > nodePos(stmt) || nodeEnd(x) <= nodePos(stmt)) return false;
      const l = stmtListOf(x);
      if (l?.includes(stmt)) list = l;
      return !list;
    });
  }
  return list ?? [];
}

/** The function declaration of the file that contains the node (a literal's own declaration, too). */
export function enclosingFuncDecl(file: PassFile, node: ast.Node): ast.FuncDecl | undefined {
  const at = nodePos(node);
  return (file.file.decls ?? []).find((d): d is ast.FuncDecl => d.kind === 'FuncDecl' && nodePos(d) <= at && at < nodeEnd(d));
}

/**
 * The body of the innermost function (declaration or literal) around a node, the node itself
 * excluded: also a literal in a package-level `var _ = ...`, which enclosingFuncDecl misses.
 */
export function innermostFuncBody(file: PassFile, node: ast.Node): ast.BlockStmt | undefined {
  const at = nodePos(node);
  let body: ast.BlockStmt | undefined;
  for (let n: ast.Node | undefined = file.file; n; ) {
    if ((n.kind === 'FuncLit' || n.kind === 'FuncDecl') && n.body) body = n.body;
    let next: ast.Node | undefined;
    forEachChild(n, (c) => {
      if (!next && c !== node && nodePos(c) <= at && at < nodeEnd(c)) next = c;
    });
    n = next;
  }
  return body;
}

/** Whether the expression is the predeclared constant `true` (not a shadowing variable). */
export function isTrueConst(pass: Pass, e: ast.Expr): boolean {
  e = unparen(e);
  if (e.kind !== 'Ident' || e.name !== 'true') return false;
  const o = pass.types.objectOf(e);
  return !o || (o.kind === 'const' && o.pkg === '');
}

/** A reason a loop never ends on its own, or undefined when it may end (or we cannot tell). */
export interface EndlessLoop {
  loop: LoopNode;
  /** "for {}", "for true {}", "range over channel jobs". */
  shape: string;
  /** high: the loop statement itself never ends; medium: ends only if a channel is closed. */
  confidence: 'high' | 'medium';
}

const BREAKABLE = new Set(['ForStmt', 'RangeStmt', 'SwitchStmt', 'TypeSwitchStmt', 'SelectStmt']);

/**
 * Whether control can leave `loop` other than by ending the program: a return anywhere in its body,
 * a break that targets it (unlabelled at its own level, or by its label), a labelled break or
 * continue that targets a statement enclosing it, or a goto to a label outside it. Breaks inside
 * a nested switch, select or loop leave only that statement. Function literals are not entered.
 */
export function canLeaveLoop(loop: LoopNode, ownLabel: string | undefined): boolean {
  const inside = new Set<string>();
  walkSameFunc(loop.body, (x) => {
    if (x.kind === 'LabeledStmt') inside.add(x.label.name);
  });
  let leaves = false;
  const visit = (x: ast.Node, depth: number): void => {
    if (leaves || x.kind === 'FuncLit') return;
    if (x.kind === 'ReturnStmt') {
      leaves = true;
      return;
    }
    if (x.kind === 'BranchStmt') {
      const label = x.label?.name;
      if (x.tok === 'break') {
        if (label === undefined) leaves = depth === 0;
        else leaves = !inside.has(label);
      } else if (x.tok === 'continue') {
        if (label !== undefined) leaves = !inside.has(label) && label !== ownLabel;
      } else if (x.tok === 'goto') {
        leaves = label !== undefined && !inside.has(label);
      }
      return;
    }
    const d = BREAKABLE.has(x.kind) ? depth + 1 : depth;
    forEachChild(x, (c) => visit(c, d));
  };
  forEachChild(loop.body, (c) => visit(c, 0));
  return leaves;
}

/** The variable declarations of a function visible by name (params, results, :=, var), last one wins. */
function declaredType(fn: FuncNode, name: string, before: number): ast.Expr | 'make-chan' | 'tick' | undefined {
  let found: ast.Expr | 'make-chan' | 'tick' | undefined;
  for (const fl of [fn.type.params, fn.type.results]) {
    for (const f of fl?.list ?? []) if (f.names?.some((n) => n.name === name) && f.type) found = f.type;
  }
  if (fn.kind === 'FuncDecl') for (const f of fn.recv?.list ?? []) if (f.names?.some((n) => n.name === name) && f.type) found = f.type;
  if (!fn.body) return found;
  walkSameFunc(fn.body, (x) => {
    if (nodePos(x) >= before) return false;
    if (x.kind === 'ValueSpec' && x.names.some((n) => n.name === name)) {
      if (x.type) found = x.type;
      else {
        const i = x.names.findIndex((n) => n.name === name);
        const v = x.values?.[i];
        found = v ? chanFromValue(v) : undefined;
      }
    } else if (x.kind === 'AssignStmt' && x.tok === ':=' && x.lhs.length === x.rhs.length) {
      const i = x.lhs.findIndex((l) => l.kind === 'Ident' && l.name === name);
      if (i >= 0) found = chanFromValue(x.rhs[i]!);
    }
    return true;
  });
  return found;
}

function chanFromValue(v: ast.Expr): ast.Expr | 'make-chan' | 'tick' | undefined {
  v = unparen(v);
  if (v.kind === 'CallExpr') {
    const f = unparen(v.fun);
    if (f.kind === 'Ident' && f.name === 'make' && v.args?.[0] && unparen(v.args[0]).kind === 'ChanType') return 'make-chan';
    if (f.kind === 'SelectorExpr' && f.sel.name === 'Tick' && unparen(f.x).kind === 'Ident' && (unparen(f.x) as ast.Ident).name === 'time') return 'tick';
  }
  return undefined;
}

/** Whether a range expression is a channel: from its type, or from its declaration in the function. */
export function rangeChannel(pass: Pass, file: PassFile, fn: FuncNode | undefined, x: ast.Expr): 'chan' | 'tick' | undefined {
  x = unparen(x);
  const t = pass.types.typeOf(x);
  if (t) {
    const u = t.kind === 'named' ? t.underlying() : t;
    if (u?.kind === 'chan') {
      if (x.kind === 'CallExpr' && pass.types.callee(x)?.name === 'time.Tick') return 'tick';
      return 'chan';
    }
    if (u) return undefined;
  }
  if (x.kind === 'CallExpr') {
    const c = callName(pass, file, x);
    return c?.name === 'time.Tick' ? 'tick' : undefined;
  }
  if (x.kind === 'Ident' && fn) {
    const d = declaredType(fn, x.name, nodePos(x));
    if (d === 'make-chan') return 'chan';
    if (d === 'tick') return 'tick';
    if (d && typeof d !== 'string' && unparen(d).kind === 'ChanType') return 'chan';
  }
  return undefined;
}

/** Whether `loop` never ends on its own (see EndlessLoop), given the inspector stack that contains it. */
export function endlessLoop(pass: Pass, file: PassFile, loop: LoopNode, stack: readonly ast.Node[]): EndlessLoop | undefined {
  let shape: string;
  let confidence: 'high' | 'medium' = 'high';
  if (loop.kind === 'ForStmt') {
    if (loop.cond === null) shape = 'for {}';
    else if (isTrueConst(pass, loop.cond)) shape = 'for true {}';
    else return undefined;
  } else {
    const fn = enclosingFuncOf(stack, loop);
    const ch = rangeChannel(pass, file, fn, loop.x);
    if (!ch) return undefined;
    if (ch === 'tick') shape = `range over time.Tick (never closed)`;
    else {
      shape = `range over channel ${textOf(file, loop.x)}`;
      confidence = 'medium';
    }
  }
  if (canLeaveLoop(loop, labelOf(stack, loop))) return undefined;
  return { loop, shape, confidence };
}

function enclosingFuncOf(stack: readonly ast.Node[], n: ast.Node): FuncNode | undefined {
  const i = stack.lastIndexOf(n);
  for (let j = i - 1; j >= 0; j--) {
    const x = stack[j]!;
    if (isFunc(x)) return x;
  }
  return undefined;
}

/** The loops enclosing the last node of the stack (same function) that never end, innermost first. */
export function endlessEnclosingLoops(pass: Pass, file: PassFile, stack: readonly ast.Node[]): EndlessLoop[] {
  const out: EndlessLoop[] = [];
  for (const l of enclosingLoops(stack)) {
    const e = endlessLoop(pass, file, l, stack);
    if (e) out.push(e);
  }
  return out;
}

// ---- goroutines, channels, recover, request handlers ----

/** What a `go` statement runs: a function literal, or a function or method declared in this package. */
export interface GoTarget {
  go: ast.GoStmt;
  fn: FuncNode;
  /** For a function of another package of the module, read by its text: that package's path (fn's nodes are not typed and have no file here). */
  pkg?: string;
  /** Parameter identifiers of fn paired with the arguments of the go call. */
  params: { name: ast.Ident; arg: ast.Expr }[];
  /** For a method: its receiver identifier and the receiver expression of the go call. */
  recv?: { name: ast.Ident; arg: ast.Expr };
}

/** A goroutine started by `wg.Go(f)` (sync.WaitGroup.Go, Go 1.25): the group calls Done when f returns. */
export interface GroupGo {
  call: ast.CallExpr;
  /** The group expression (`wg` in `wg.Go(f)`). */
  group: ast.Expr;
  /** The function it runs, when a literal or a function of this package (or a local holding one literal). */
  fn: FuncNode | undefined;
}

/**
 * Methods that start f in a new goroutine: sync.WaitGroup.Go (Go 1.25) and errgroup's Go/TryGo
 * (which, unlike a WaitGroup, has no Done for f to call; a panic in f is not recovered by it).
 */
const GROUP_GO: ReadonlySet<string> = new Set([
  '(*sync.WaitGroup).Go',
  '(*golang.org/x/sync/errgroup.Group).Go',
  '(*golang.org/x/sync/errgroup.Group).TryGo',
]);

const moduleGroupGos = new WeakMap<ast.FuncDecl, boolean>();

/**
 * A group of the module written like errgroup: a method `Go` taking one function, whose body
 * starts a goroutine literal that calls it (`g.wg.Add(1); go func() { defer g.wg.Done(); if err :=
 * f(); err != nil { ... } }()`), without a recover of its own in that literal.
 */
function moduleGroupGo(pass: Pass, x: ast.CallExpr): boolean {
  const c = pass.types.callee(x);
  if (c?.kind !== 'method' || c.short !== 'Go' || !c.pkg || !inModule(pass, c.pkg)) return false;
  const decl = c.pkg === pass.pkg.importPath ? c.decl : pass.moduleFunc(c.pkg, c.short, c.recv?.name, 'go func');
  if (!decl?.body) return false;
  let v = moduleGroupGos.get(decl);
  if (v === undefined) {
    const params = (decl.type.params?.list ?? []).flatMap((f) => (f.type?.kind === 'FuncType' ? f.names ?? [] : []));
    const p = params.length === 1 && (decl.type.params?.list ?? []).length === 1 ? params[0]! : undefined;
    v = false;
    if (p) {
      walkSameFunc(decl.body, (y) => {
        if (v || y.kind !== 'GoStmt') return !v;
        const lit = unparen(y.call.fun);
        if (lit.kind !== 'FuncLit') return false;
        let calls = false;
        // Any defer other than the group's Done may recover (`defer recoverInto(&err, "group")`)
        // or report: then it is not the plain errgroup shape, and is left alone.
        let other = false;
        inspect(lit.body, (z) => {
          if (z.kind === 'CallExpr') {
            const g = unparen(z.fun);
            if (g.kind === 'Ident' && (g.name === p.name || g.name === 'recover')) {
              if (g.name === 'recover') other = true;
              else calls = true;
            }
          } else if (z.kind === 'DeferStmt') {
            const g = unparen(z.call.fun);
            if (!(g.kind === 'SelectorExpr' && g.sel.name === 'Done')) other = true;
          }
          return true;
        });
        v = calls && !other;
        return false;
      });
    }
    moduleGroupGos.set(decl, v);
  }
  return v;
}

/** Functions that run their func argument later in a goroutine of its own. */
export const RUNS_IN_OWN_GOROUTINE: ReadonlySet<string> = new Set(['time.AfterFunc', 'context.AfterFunc']);

/** `time.AfterFunc(d, func() {...})` and `context.AfterFunc(ctx, f)` calls of a body's own code, with the function they run. */
export function afterFuncCalls(pass: Pass, body: ast.Node): { call: ast.CallExpr; name: string; fn: FuncNode | undefined }[] {
  const out: { call: ast.CallExpr; name: string; fn: FuncNode | undefined }[] = [];
  walkSameFunc(body, (x) => {
    const af = x.kind === 'CallExpr' ? afterFuncOf(pass, x) : undefined;
    if (af) out.push({ call: x as ast.CallExpr, ...af });
    return true;
  });
  return out;
}

/** For a call of `time.AfterFunc` or `context.AfterFunc`: its name and the function it runs (a literal, or a function of the package). */
function afterFuncOf(pass: Pass, x: ast.CallExpr): { name: string; fn: FuncNode | undefined } | undefined {
  if (x.args?.length !== 2) return undefined;
  const name = pass.types.callee(x)?.name ?? '';
  if (!RUNS_IN_OWN_GOROUTINE.has(name)) return undefined;
  const a = unparen(x.args[1]!);
  let fn: FuncNode | undefined;
  if (a.kind === 'FuncLit') fn = a;
  else if (a.kind === 'Ident' || a.kind === 'SelectorExpr') {
    const c = pass.types.callee({ ...x, fun: a, args: [] });
    if ((c?.kind === 'func' || c?.kind === 'method') && c.decl?.body) fn = c.decl;
  }
  return { name, fn };
}

/**
 * `time.AfterFunc(d, func() {...})` and `context.AfterFunc(ctx, func() {...})` statements of a
 * body's own code that drop the timer or stop function: nothing can keep the literal from running
 * once the timer fires or the context ends, in a goroutine of its own, as `go func() {...}()`
 * would. Each comes with a go statement standing for it (at the call's parenthesis), for the rules
 * that follow goroutines.
 */
export function afterFuncLaunches(pass: Pass, body: ast.Node): { go: ast.GoStmt; at: ast.Stmt; lit: ast.FuncLit }[] {
  const out: { go: ast.GoStmt; at: ast.Stmt; lit: ast.FuncLit }[] = [];
  walkSameFunc(body, (x) => {
    let call: ast.Expr | undefined;
    if (x.kind === 'ExprStmt') call = unparen(x.x);
    else if (x.kind === 'AssignStmt' && x.rhs.length === 1 && x.lhs.every((l) => l.kind === 'Ident' && l.name === '_')) call = unparen(x.rhs[0]!);
    const af = call?.kind === 'CallExpr' ? afterFuncOf(pass, call) : undefined;
    const lit = af?.fn;
    if (!af || lit?.kind !== 'FuncLit' || call?.kind !== 'CallExpr') return true;
    const started: ast.CallExpr = { kind: 'CallExpr', fun: lit, lparen: call.lparen, args: null, ellipsis: -1, rparen: call.rparen };
    const go: ast.GoStmt = { kind: 'GoStmt', go: call.lparen, call: started };
    afterFuncGo.set(go, af.name);
    out.push({ go, at: x as ast.Stmt, lit });
    return true;
  });
  return out;
}

/** The function (`context.AfterFunc`, `time.AfterFunc`) a go statement of afterFuncLaunches stands for. */
const afterFuncGo = new WeakMap<ast.GoStmt, string>();

/**
 * How a message names a goroutine: `the goroutine started on line 12`, or for a literal given to
 * an AfterFunc, `the function literal given to context.AfterFunc on line 12 (run in a goroutine of
 * its own once ctx ends)`.
 */
export function goroutineText(file: PassFile, go: ast.GoStmt): string {
  const via = afterFuncGo.get(go);
  const line = lineOf(file, go);
  if (!via) return `the goroutine started on line ${line}`;
  return `the function literal given to ${via} on line ${line} (run in a goroutine of its own ${via === 'context.AfterFunc' ? 'once the context ends' : 'when the timer fires'})`;
}

/** How a message points at a goroutine's start: `the goroutine starts here`, `context.AfterFunc starts the goroutine here`. */
export function goroutineStartNote(go: ast.GoStmt): string {
  const via = afterFuncGo.get(go);
  return via ? `${via} runs the literal in a goroutine of its own` : 'the goroutine starts here';
}

/** The goroutine a call starts when it is `wg.Go(f)` on a sync.WaitGroup, an errgroup, or a group of the module written like one. */
export function groupGoOf(pass: Pass, x: ast.CallExpr): GroupGo | undefined {
  if (x.args?.length !== 1) return undefined;
  const f = unparen(x.fun);
  if (f.kind !== 'SelectorExpr' || f.sel.name !== 'Go') return undefined;
  if (!GROUP_GO.has(pass.types.callee(x)?.name ?? '') && !moduleGroupGo(pass, x)) return undefined;
  const a = unparen(x.args[0]!);
  let fn: FuncNode | undefined;
  if (a.kind === 'FuncLit') fn = a;
  else if (a.kind === 'Ident') {
    const o = pass.types.objectOf(a);
    if (o?.kind === 'func' && o.funcDecl?.body) fn = o.funcDecl;
    else if (o?.kind === 'var') {
      const v = definingValue(pass, a);
      if (v && unparen(v).kind === 'FuncLit') fn = unparen(v) as ast.FuncLit;
    }
  }
  return { call: x, group: f.x, fn };
}

/** The `wg.Go(f)` calls of a body's own code (not in nested literals). */
export function groupGoCalls(pass: Pass, body: ast.Node): GroupGo[] {
  const out: GroupGo[] = [];
  walkSameFunc(body, (x) => {
    if (x.kind === 'CallExpr') {
      const g = groupGoOf(pass, x);
      if (g) out.push(g);
    }
    return true;
  });
  return out;
}

/**
 * The function a go statement runs when it is a function or method of another package of the
 * module whose text mentions `needle` (`go probe.Check(ctx, d, target, results)`): its declaration
 * read from that package's source, its parameters paired with the call's arguments.
 */
export function moduleGoTarget(pass: Pass, stmt: ast.GoStmt, needle: string): GoTarget | undefined {
  const call = stmt.call;
  const c = pass.types.callee(call);
  if (!c || (c.kind !== 'func' && c.kind !== 'method') || !otherModuleFunc(pass, c) || call.ellipsis >= 0) return undefined;
  const fn = pass.moduleFunc(c.pkg, c.short, c.recv?.name, needle);
  if (!fn?.body) return undefined;
  const params: GoTarget['params'] = [];
  (fn.type.params.list ?? []).flatMap((f) => f.names ?? []).forEach((name, i) => {
    const arg = call.args?.[i];
    if (arg) params.push({ name, arg });
  });
  const fun = unparen(call.fun);
  const r = fn.recv?.list?.[0]?.names?.[0];
  const recv = r && c.kind === 'method' && fun.kind === 'SelectorExpr' ? { name: r, arg: fun.x } : undefined;
  return { go: stmt, fn, params, pkg: c.pkg, ...(recv ? { recv } : {}) };
}

/** The function a go (or defer) statement runs when it is a literal or declared in this package; undefined otherwise. */
export function goTarget(pass: Pass, stmt: ast.GoStmt | ast.DeferStmt): GoTarget | undefined {
  const call = stmt.call;
  const fun = unparen(call.fun);
  let fn: FuncNode | undefined;
  let recv: GoTarget['recv'];
  if (fun.kind === 'FuncLit') fn = fun;
  else {
    const c = pass.types.callee(call);
    if (c?.kind === 'funcvalue' && fun.kind === 'Ident') {
      // A local variable that only ever holds one literal (`work := func() {...}; go work()`), or
      // one method value of the package (`send := e.send; go send(ctx, v)`).
      const node = callGraphOf(pass).calleeOf(call);
      if (node?.lit) fn = node.lit;
      else if (node?.decl?.body) {
        fn = node.decl;
        const r = node.decl.recv?.list?.[0]?.names?.[0];
        const def = definingValue(pass, fun);
        const sel = def ? unparen(def) : undefined;
        if (r && sel?.kind === 'SelectorExpr') recv = { name: r, arg: sel.x };
      } else return undefined;
    } else if (!c?.decl || !c.decl.body) return undefined;
    else {
      fn = c.decl;
      const r = c.decl.recv?.list?.[0]?.names?.[0];
      if (r && fun.kind === 'SelectorExpr' && (c.kind === 'method')) recv = { name: r, arg: fun.x };
    }
  }
  const params: GoTarget['params'] = [];
  const names = (fn.type.params.list ?? []).flatMap((f) => f.names ?? []);
  names.forEach((name, i) => {
    const arg = call.args?.[i];
    if (arg && call.ellipsis < 0) params.push({ name, arg });
  });
  return { go: stmt as ast.GoStmt, fn, params, ...(recv ? { recv } : {}) };
}

const objIds = new WeakMap<object, number>();
let nextObjId = 1;

/**
 * A key naming what a simple expression refers to (`ch`, `s.ch`, `*p`), by object when types know
 * it and by name otherwise; `subst` maps parameter objects (or names) to the key of their argument.
 * Undefined for expressions that are not plain references (calls, index expressions).
 */
export function refKey(pass: Pass, e: ast.Expr, subst?: ReadonlyMap<unknown, string>): string | undefined {
  e = unparen(e);
  switch (e.kind) {
    case 'Ident': {
      if (e.name === '_') return undefined;
      const o = pass.types.objectOf(e);
      if (subst) {
        const s = subst.get(o ?? e.name);
        if (s !== undefined) return s;
      }
      if (!o) return `?${e.name}`;
      let id = objIds.get(o);
      if (id === undefined) {
        id = nextObjId++;
        objIds.set(o, id);
      }
      return `#${id}:${e.name}`;
    }
    case 'SelectorExpr': {
      const x = refKey(pass, e.x, subst);
      return x === undefined ? undefined : `${x}.${e.sel.name}`;
    }
    case 'StarExpr': return refKey(pass, e.x, subst);
    case 'UnaryExpr': return e.op === '&' ? refKey(pass, e.x, subst) : undefined;
    default: return undefined;
  }
}

/** Whether two reference keys may denote the same thing (a by-name key matches any key of that name). */
export function sameRefKey(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === b) return true;
  const strip = (k: string) => k.replace(/(^|\.)[#?][0-9]*:?/g, '$1').replace(/^\?/, '');
  return (a.includes('?') || b.includes('?')) && strip(a) === strip(b);
}

/** The substitution that maps a goroutine's parameters (and receiver) to the keys of the go call's arguments. */
export function targetSubst(pass: Pass, t: GoTarget): Map<unknown, string> {
  const m = new Map<unknown, string>();
  const add = (name: ast.Ident, arg: ast.Expr) => {
    const k = refKey(pass, arg);
    if (k === undefined || name.name === '_') return;
    m.set(pass.types.objectOf(name) ?? name.name, k);
  };
  for (const p of t.params) add(p.name, p.arg);
  if (t.recv) add(t.recv.name, t.recv.arg);
  return m;
}

/** Whether the expression is a call of the builtin `recover` (by name when types are unknown). */
export function isRecoverCall(pass: Pass, e: ast.Node): e is ast.CallExpr {
  if (e.kind !== 'CallExpr') return false;
  const f = unparen(e.fun);
  if (f.kind !== 'Ident' || f.name !== 'recover') return false;
  const o = pass.types.objectOf(f);
  return !o || o.kind === 'builtin';
}

/** Whether a function body calls recover() itself (not in a nested function literal). */
export function callsRecoverDirectly(pass: Pass, fn: FuncNode): boolean {
  if (!fn.body) return false;
  let found = false;
  walkSameFunc(fn.body, (x) => {
    if (found) return false;
    if (isRecoverCall(pass, x)) found = true;
    return !found;
  });
  return found;
}

/**
 * What a deferred call runs, when its code is at hand: the literal, a function of the package, or
 * a function or method of another package of the module (`defer safe.Recover(log)`, read with its
 * body on demand).
 */
export function deferredTarget(pass: Pass, call: ast.CallExpr, needle?: string): FuncNode | undefined {
  const fun = unparen(call.fun);
  if (fun.kind === 'FuncLit') return fun;
  const c = pass.types.callee(call);
  // Another package's declaration, as the type checker read it, has no statements.
  if (c && (c.kind === 'func' || c.kind === 'method') && c.pkg && c.pkg !== pass.pkg.importPath) return pass.moduleFunc(c.pkg, c.short, c.recv?.name, needle);
  if (c?.decl) return c.decl;
  return undefined;
}

/**
 * The defer statement of fn (its own, not of nested literals) that stops panics: a deferred function
 * literal or function of the module that calls recover() directly.
 */
export function deferredRecover(pass: Pass, fn: FuncNode): ast.DeferStmt | undefined {
  if (!fn.body) return undefined;
  let found: ast.DeferStmt | undefined;
  walkSameFunc(fn.body, (x) => {
    if (found) return false;
    if (x.kind === 'DeferStmt') {
      const target = deferredTarget(pass, x.call, 'recover');
      if (target && callsRecoverDirectly(pass, target)) found = x;
      return false;
    }
    return true;
  });
  return found;
}


/**
 * Like deferredRecover, but only a recover that keeps the panic stopped: the deferred function must
 * not call panic itself (a handler that logs and re-panics protects nothing).
 */
export function protectingRecover(pass: Pass, fn: FuncNode): ast.DeferStmt | undefined {
  if (!fn.body) return undefined;
  let found: ast.DeferStmt | undefined;
  walkSameFunc(fn.body, (x) => {
    if (found) return false;
    if (x.kind === 'DeferStmt') {
      const fun = unparen(x.call.fun);
      // A literal deferred in place, a function of the package, or a literal a local variable
      // only ever holds (`guard := func() { recover() ... }; defer guard()`).
      const target = deferredTarget(pass, x.call, 'recover') ?? (fun.kind === 'Ident' || fun.kind === 'SelectorExpr' ? callGraphOf(pass).calleeOf(x.call)?.lit ?? undefined : undefined);
      if (target && callsRecoverDirectly(pass, target) && !callsPanicDirectly(pass, target) && recoversUnconditionally(pass, target)) found = x;
      return false;
    }
    return true;
  });
  return found;
}

/**
 * Whether recover() is called whatever happens: at the top level of the body or in the init or
 * condition of a top-level if, not under a further condition (`if testHook != nil { recover() }`
 * recovers only when the hook is set).
 */
function recoversUnconditionally(pass: Pass, fn: FuncNode): boolean {
  let found = false;
  const visit = (n: ast.Node, depth: number): void => {
    if (found || n.kind === 'FuncLit') return;
    if (depth === 0 && isRecoverCall(pass, n)) {
      found = true;
      return;
    }
    const deeper = n.kind === 'IfStmt' || n.kind === 'CaseClause' || n.kind === 'CommClause' || n.kind === 'ForStmt' || n.kind === 'RangeStmt';
    forEachChild(n, (c) => visit(c, deeper && c !== (n as ast.IfStmt).init && c !== (n as ast.IfStmt).cond ? depth + 1 : depth));
  };
  if (fn.body) visit(fn.body, 0);
  return found;
}

/**
 * Whether the function re-panics whatever it recovered: a panic call at most one condition deep
 * (`if r := recover(); r != nil { log(r); panic(r) }`). A panic under a further condition (`if r
 * == http.ErrAbortHandler { panic(r) }`) re-raises only some values and stops the others.
 */
function callsPanicDirectly(pass: Pass, fn: FuncNode): boolean {
  let found = false;
  // `if errors.Is(err, http.ErrAbortHandler) { panic(v) }`, `if v == errSkip { panic(v) }`: one
  // kind of panic passed on on purpose; every other one stays stopped.
  const selective = (cond: ast.Expr): boolean => {
    let hit = false;
    walkNode(cond, (x) => {
      if (hit) return false;
      if (x.kind === 'CallExpr' && /^errors\.(Is|As)$/.test(pass.types.callee(x)?.name ?? '')) hit = true;
      if (x.kind === 'BinaryExpr' && x.op === '==' && !isNilIdent(pass, x.x) && !isNilIdent(pass, x.y)) hit = true;
      return !hit;
    });
    return hit;
  };
  const visit = (n: ast.Node, depth: number): void => {
    if (found || n.kind === 'FuncLit') return;
    if (n.kind === 'IfStmt' && selective(n.cond)) {
      if (n.init) visit(n.init, depth);
      if (n.else) visit(n.else, depth + 1);
      return;
    }
    if (n.kind === 'CallExpr') {
      const f = unparen(n.fun);
      if (f.kind === 'Ident' && f.name === 'panic' && depth <= 1) {
        const o = pass.types.objectOf(f);
        if (!o || o.kind === 'builtin') found = true;
      }
    }
    const deeper = n.kind === 'IfStmt' || n.kind === 'CaseClause' || n.kind === 'CommClause';
    forEachChild(n, (c) => visit(c, deeper && c !== (n as ast.IfStmt).init && c !== (n as ast.IfStmt).cond ? depth + 1 : depth));
  };
  if (fn.body) visit(fn.body, 0);
  return found;
}

/**
 * Whether a call does not return to the code after it: `panic(...)`, the exits and no-return calls
 * of the catalogue (os.Exit, log.Fatal, klog.Exitf, runtime.Goexit, t.FailNow...), and, when the
 * callee is not resolved, a selector call named like one (`logger.Fatalf`, `klog.Exitf`).
 */
export function endsFlow(pass: Pass, call: ast.CallExpr): boolean {
  const f = unparen(call.fun);
  if (f.kind === 'Ident' && f.name === 'panic') return true;
  const c = pass.types.callee(call);
  // `log.Panicf`, `logger.Panic`: a panic with a message.
  if (c) return EXIT_FUNCTIONS.has(c.name) || DEFAULT_NO_RETURN.has(c.name) || /^Panic(f|ln)?$/.test(c.short);
  return f.kind === 'SelectorExpr' && /^(Exit|Exitf|Fatal|Fatalf|Fatalln|Goexit|Panic|Panicf|Panicln)$/.test(f.sel.name);
}

/**
 * Whether a call waits for a group of goroutines: a known group wait (WAIT_CALLS), a `Wait` method
 * of a type named like a group or pool, or any `x.Wait()` when the callee is unknown.
 */
export function isWaitCall(pass: Pass, file: PassFile, call: ast.CallExpr): boolean {
  const fun = unparen(call.fun);
  if (fun.kind !== 'SelectorExpr' || fun.sel.name !== 'Wait') return false;
  const c = callName(pass, file, call);
  if (!c) return false;
  if (!c.typed) return true;
  if (WAIT_CALLS.has(c.name)) return true;
  const callee = pass.types.callee(call);
  return !!callee?.recv && /(Group|Pool|Waiter)$/.test(callee.recv.name);
}

/** The reference key of the channel a node receives from (`<-ch` as an expression or a select case), or undefined. */
export function receivedChan(pass: Pass, n: ast.Node, subst?: ReadonlyMap<unknown, string>): string | undefined {
  if (n.kind !== 'UnaryExpr' || n.op !== '<-') return undefined;
  return refKey(pass, n.x, subst);
}

/** How many for/range statements within root enclose target (function literals inside root included). */
export function loopDepthIn(root: ast.Node, target: ast.Node): number {
  const p = nodePos(target);
  let depth = 0;
  inspect(root, (x) => {
    if (nodePos(x) > p || nodeEnd(x) <= p) return false;
    if (x !== target && (x.kind === 'ForStmt' || x.kind === 'RangeStmt')) depth++;
    return true;
  });
  return depth;
}

/**
 * The CFG entries that every entry into a loop passes: its condition (for) or operand (range),
 * and the header block's entries. A path that avoids them never enters the loop.
 */
export function loopHeadEntries(info: LoopInfo): ast.Node[] {
  const st = info.stmt;
  const out: ast.Node[] = [...info.header.nodes];
  if (st.kind === 'RangeStmt') out.push(st.x);
  else if (st.cond) out.push(st.cond);
  return out;
}

/** The return statement that ends a CFG path to the exit, if the path ends in one. */
export function returnOfPath(path: readonly Block[]): ast.ReturnStmt | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const b = path[i]!;
    if (b.kind === 'exit') continue;
    const last = b.nodes[b.nodes.length - 1];
    return last?.kind === 'ReturnStmt' ? last : undefined;
  }
  return undefined;
}

// ---- Graphs, variables across calls, mutexes, request handlers, blocking calls ----

const graphCache = new WeakMap<readonly PassFile[], CallGraph>();

/** The package's same-package call graph: the pass's when it offers one, else built here once per package. */
export function callGraphOf(pass: Pass): CallGraph {
  const g = pass.callGraph() as CallGraph | undefined;
  if (g && typeof g.nodeOf === 'function' && typeof g.cfg === 'function') return g;
  let c = graphCache.get(pass.files);
  if (!c) {
    c = buildCallGraph(pass.files.map((f) => f.file), pass.types);
    graphCache.set(pass.files, c);
  }
  return c;
}

/** The CFG of a function (no-return calls and always-exiting helpers end their blocks). */
export function cfgOf(pass: Pass, fn: FuncNode): CFG | undefined {
  const g = callGraphOf(pass);
  const n = g.nodeOf(fn);
  return n ? g.cfg(n) : fn.body ? buildCFG(fn.body) : undefined;
}

/**
 * A variable or a field path below one: `s`, `s.mu`, `(*s).inner.mu`, `&s.mu`. `decl` is the
 * declaring identifier when types are known (so the same name in another function is another
 * variable); `global` for package-level variables, which are the same in every function.
 */
export interface VarPath {
  name: string;
  decl: ast.Ident | null;
  global: boolean;
  fields: string[];
}

export function varPath(pass: Pass, e: ast.Expr): VarPath | undefined {
  const fields: string[] = [];
  let hops = 0;
  for (;;) {
    e = unparen(e);
    if (e.kind === 'SelectorExpr') {
      fields.unshift(e.sel.name);
      e = e.x;
    } else if (e.kind === 'StarExpr') e = e.x;
    else if (e.kind === 'UnaryExpr' && e.op === '&') e = e.x;
    else if (e.kind === 'CallExpr' && hops < 4) {
      // `ix.lock()` with `func (ix *Index) lock() *sync.Mutex { return &ix.mu }`: ix.mu.
      const field = accessedField(pass, e);
      if (field === undefined) return undefined;
      fields.unshift(field);
      e = (unparen(e.fun) as ast.SelectorExpr).x;
      hops++;
    } else if (e.kind === 'Ident' && hops < 4) {
      // `mu := ix.lock()`, never assigned again: the field the accessor gives.
      const alias = accessorAlias(pass, e);
      if (!alias) break;
      e = alias;
      hops++;
    } else break;
  }
  if (e.kind !== 'Ident') return undefined;
  const o = pass.types.objectOf(e);
  if (o && o.kind === 'pkgname') {
    // pkg.Var.f: a package-level variable of another package.
    const first = fields.shift();
    if (!first) return undefined;
    return { name: `${o.imported ?? e.name}.${first}`, decl: null, global: true, fields };
  }
  if (o && o.kind !== 'var') return undefined;
  return { name: e.name, decl: o?.decl ?? null, global: o?.varKind === 'package', fields };
}

/** A local variable defined by an accessor call (`mu := ix.lock()`) and never assigned again: that call. */
function accessorAlias(pass: Pass, id: ast.Ident): ast.CallExpr | undefined {
  const o = pass.types.objectOf(id);
  if (!o || o.kind !== 'var' || o.varKind !== 'local' || !o.decl) return undefined;
  const v = definingValue(pass, id);
  const call = v ? unparen(v) : undefined;
  if (call?.kind !== 'CallExpr' || accessedField(pass, call) === undefined) return undefined;
  const file = pass.fileOf(o.decl);
  const body = file ? innermostFuncBody(file, o.decl) : undefined;
  return body && !assignsVar(pass, body, o.decl) ? call : undefined;
}

export function samePath(a: VarPath, b: VarPath): boolean {
  if (a.name !== b.name || a.global !== b.global || a.fields.length !== b.fields.length) return false;
  if (!a.global && a.decl && b.decl && a.decl !== b.decl) return false;
  return a.fields.every((f, i) => f === b.fields[i]);
}

/** Whether a is b or a path above it: the same variable, a's fields a prefix of b's (`c` and `c.journal`). */
export function pathPrefix(a: VarPath, b: VarPath): boolean {
  if (a.name !== b.name || a.global !== b.global || a.fields.length > b.fields.length) return false;
  if (!a.global && a.decl && b.decl && a.decl !== b.decl) return false;
  return a.fields.every((f, i) => f === b.fields[i]);
}

export function formatPath(p: VarPath): string {
  return [p.name, ...p.fields].join('.');
}

function pointerTypeExpr(e: ast.Expr | null): boolean {
  return !!e && unparen(e).kind === 'StarExpr';
}

/** The declaring identifier of parameter i of a function type (variadic and unnamed parameters: null). */
function paramDecl(ft: ast.FuncType, i: number): { id: ast.Ident | null; type: ast.Expr | null } | undefined {
  let k = 0;
  for (const f of ft.params.list ?? []) {
    const n = f.names?.length ?? 1;
    if (i < k + n) return { id: f.names?.[i - k] ?? null, type: f.type };
    k += n;
  }
  return undefined;
}

/**
 * Where a variable path of the caller lives in the callee's frame across `call`: package-level
 * variables and variables captured by a called literal are unchanged; a receiver or argument that
 * is (a pointer to) a prefix of the path maps to the callee's receiver or parameter. Undefined when
 * the callee cannot see that same memory (a value receiver or parameter gets a copy).
 */
export function pathInCallee(pass: Pass, call: ast.CallExpr, callee: FuncNode, p: VarPath): VarPath | undefined {
  if (p.global) return p;
  const through = (arg: ast.Expr, decl: ast.Ident | null, typeExpr: ast.Expr | null): VarPath | undefined => {
    const ap = varPath(pass, arg);
    if (!ap || !decl || decl.name === '_' || ap.global) return undefined;
    if (ap.name !== p.name || (ap.decl && p.decl && ap.decl !== p.decl)) return undefined;
    if (ap.fields.length > p.fields.length || !ap.fields.every((f, i) => f === p.fields[i])) return undefined;
    const x = unparen(arg);
    const shared =
      pointerTypeExpr(typeExpr) || (x.kind === 'UnaryExpr' && x.op === '&') || pass.types.typeOf(arg)?.kind === 'pointer' ||
      // A copy of a struct still shares what its pointer fields point to (`p.mu` with `mu *sync.Mutex`).
      throughPointerField(pass.types.typeOf(arg), p.fields.slice(ap.fields.length));
    if (!shared) return undefined;
    return { name: decl.name, decl, global: false, fields: p.fields.slice(ap.fields.length) };
  };
  let fun = unparen(call.fun);
  // A method value held in a local variable (`current := m.State; ...; current()`): its receiver
  // is the one bound when the value was taken.
  if (fun.kind === 'Ident' && callee.kind === 'FuncDecl' && callee.recv) {
    const v = definingValue(pass, fun);
    if (v && unparen(v).kind === 'SelectorExpr') fun = unparen(v);
  }
  if (callee.kind === 'FuncDecl') {
    const recv = callee.recv?.list?.[0];
    if (recv && fun.kind === 'SelectorExpr') {
      const m = through(fun.x, recv.names?.[0] ?? null, recv.type);
      if (m) return m;
    }
  } else if (fun === callee) {
    // A literal called in place sees the caller's variables.
    return p;
  }
  for (const [i, a] of (call.args ?? []).entries()) {
    const d = paramDecl(callee.type, i);
    if (!d) break;
    const m = through(a, d.id, d.type);
    if (m) return m;
  }
  if (callee.kind === 'FuncLit') return p; // a literal stored in a variable and called: captured variables are shared
  return undefined;
}

/** Whether one of the fields along `fields`, starting from a value of type t, is a pointer. */
function throughPointerField(t: Type | undefined, fields: readonly string[]): boolean {
  for (const name of fields) {
    if (!t) return false;
    if (t.kind === 'pointer') t = t.elem;
    const u = t.kind === 'named' ? t.underlying() : t;
    if (u?.kind !== 'struct') return false;
    const f = u.fields.find((x) => x.name === name);
    if (!f) return false;
    if (f.type.kind === 'pointer') return true;
    t = f.type;
  }
  return false;
}

/** The conditions of the if statements of fn that enclose the node (for `if c { lock }...if c { unlock }`). */
export function guardConds(fn: FuncNode, target: ast.Node): ast.Expr[] {
  const out: ast.Expr[] = [];
  const p = nodePos(target);
  walkNode(fn.body!, (x) => {
    if (nodePos(x) > p || nodeEnd(x) < p) return false;
    if (x.kind === 'IfStmt' && nodePos(x.body) <= p && nodeEnd(x.body) >= p) out.push(x.cond);
    return true;
  });
  return out;
}

/**
 * Whether a lock call sits under `if c { ... }` and an earlier `if c { ... }` with the same
 * condition text, whose variables are not assigned in between, releases the same mutex (`if
 * release { o.mu.Unlock() }; ...; if release { o.mu.Lock() }` in a function that runs with o.mu
 * held, as rclone's RWFileHandle._readAt does): both tests go the same way, so the lock only
 * takes back what the function let go of.
 */
export function relocksUnderSameGuard(pass: Pass, file: PassFile, fn: FuncNode, lock: ast.CallExpr, releases: (u: LockCall) => boolean): boolean {
  if (!fn.body) return false;
  const conds = guardConds(fn, lock).map((c) => textOf(file, c));
  if (conds.length === 0) return false;
  const at = nodePos(lock);
  let found = false;
  walkNode(fn.body, (x) => {
    if (found || x.kind === 'FuncLit') return false;
    if (x.kind !== 'IfStmt' || nodeEnd(x) > at || !conds.includes(textOf(file, x.cond))) return true;
    if (!lockCallsIn(pass, x.body).some(releases)) return true;
    const names = new Set<string>();
    walkNode(x.cond, (y) => {
      if (y.kind === 'Ident') names.add(y.name);
      return true;
    });
    let changed = false;
    walkNode(fn.body!, (y) => {
      if (changed) return false;
      if ((y.kind === 'AssignStmt' || y.kind === 'IncDecStmt') && nodePos(y) > nodeEnd(x) && nodePos(y) < at) {
        const lhs = y.kind === 'AssignStmt' ? y.lhs : [y.x];
        for (const l of lhs) if (unparen(l).kind === 'Ident' && names.has((unparen(l) as ast.Ident).name)) changed = true;
      }
      return true;
    });
    if (!changed) found = true;
    return !found;
  });
  return found;
}

/**
 * Whether a literal's text is its value, so that two different texts are two different values:
 * a double-quoted string without escapes, or a decimal integer (not `0x10` against `16`).
 */
export function plainLiteralText(v: string): boolean {
  return /^"[^"\\]*"$/.test(v) || /^(0|[1-9][0-9]*)$/.test(v);
}

/** What a guarding condition needs of a variable for the guarded node to run. */
export type GuardNeed = 'nil' | 'true' | 'false' | { equals: string } | { differs: string } | { hasKey: string } | { lacksKey: string };

/**
 * The variables whose test guards a node of fn's own code, with what the node needs of each: it
 * sits in the body of `if p == nil` (or `nil == p`) or the else branch of `if p != nil` ('nil'),
 * in the body of `if flag` or `if flag && ...`, or the else branch of `if !flag` ('true'), or in
 * the body of `if !flag` or the else branch of `if flag` ('false'), or in the body of `if p ==
 * "lit"` ({ equals }) or `if p != "lit"` ({ differs }).
 */
export function guardNeeds(fn: ast.FuncDecl | ast.FuncLit, node: ast.Node): Map<string, GuardNeed> {
  const out = new Map<string, GuardNeed>();
  if (!fn.body) return out;
  const at = nodePos(node);
  const nilTest = (c: ast.Expr, op: string): string | undefined => {
    const x = unparen(c);
    if (x.kind !== 'BinaryExpr' || x.op !== op) return undefined;
    const l = unparen(x.x);
    const r = unparen(x.y);
    const isNil = (e: ast.Expr) => e.kind === 'Ident' && e.name === 'nil';
    const p = isNil(r) ? l : isNil(l) ? r : undefined;
    return p?.kind === 'Ident' ? p.name : undefined;
  };
  // The plain identifiers a condition needs true (`a && b`) or false (`!a`) to hold, and those
  // compared with a string or number literal (`path != "/version"`).
  const flags = (c: ast.Expr, need: boolean, acc: [string, GuardNeed][]): void => {
    const x = unparen(c);
    if (x.kind === 'Ident' && x.name !== 'true' && x.name !== 'false' && x.name !== 'nil') acc.push([x.name, need ? 'true' : 'false']);
    else if (x.kind === 'UnaryExpr' && x.op === '!') {
      const y = unparen(x.x);
      if (y.kind === 'Ident') acc.push([y.name, need ? 'false' : 'true']);
    } else if (x.kind === 'BinaryExpr' && x.op === '&&' && need) {
      flags(x.x, true, acc);
      flags(x.y, true, acc);
    } else if (x.kind === 'BinaryExpr' && (x.op === '==' || x.op === '!=') && need) {
      const l = unparen(x.x);
      const r = unparen(x.y);
      const [id, lit] = l.kind === 'Ident' && r.kind === 'BasicLit' ? [l, r] : r.kind === 'Ident' && l.kind === 'BasicLit' ? [r, l] : [undefined, undefined];
      if (id && lit) acc.push([id.name, x.op === '==' ? { equals: lit.value } : { differs: lit.value }]);
    }
  };
  // What a condition needs to be false, for its flags: `!create || err != nil` false needs create
  // true. (A variable compared with nil is left out: the argument passed for it may be nil at run
  // time whatever its text.)
  const falsy = (c: ast.Expr, acc: [string, GuardNeed][]): void => {
    const x = unparen(c);
    if (x.kind === 'Ident' && x.name !== 'true' && x.name !== 'false' && x.name !== 'nil') acc.push([x.name, 'false']);
    else if (x.kind === 'UnaryExpr' && x.op === '!') {
      const y = unparen(x.x);
      if (y.kind === 'Ident') acc.push([y.name, 'true']);
    } else if (x.kind === 'BinaryExpr' && x.op === '||') {
      falsy(x.x, acc);
      falsy(x.y, acc);
    }
  };
  walkNode(fn.body, (x) => {
    if (x.kind === 'FuncLit') return false;
    if (nodePos(x) > at || nodeEnd(x) <= at) return false;
    // An earlier `if cond { return ... }` of the same block: the node runs only when cond was false.
    if (x.kind === 'BlockStmt' || x.kind === 'CaseClause' || x.kind === 'CommClause') {
      for (const st of stmtListOf(x) ?? []) {
        if (nodeEnd(st) > at) break;
        if (st.kind !== 'IfStmt' || st.else || st.init) continue;
        const last = st.body.list?.[st.body.list.length - 1];
        if (last?.kind !== 'ReturnStmt') continue;
        const acc: [string, GuardNeed][] = [];
        falsy(st.cond, acc);
        for (const [name, need] of acc) if (!out.has(name)) out.set(name, need);
      }
    }
    if (x.kind === 'IfStmt') {
      const inBody = nodePos(x.body) <= at && at < nodeEnd(x.body);
      const inElse = !!x.else && nodePos(x.else) <= at && at < nodeEnd(x.else);
      const eq = nilTest(x.cond, '==');
      const ne = nilTest(x.cond, '!=');
      if (inBody && eq) out.set(eq, 'nil');
      if (inElse && ne) out.set(ne, 'nil');
      const acc: [string, GuardNeed][] = [];
      if (inBody) flags(x.cond, true, acc);
      // The else branch of `if !flag`: flag is true there (only a single negation says so).
      if (inElse) {
        const c = unparen(x.cond);
        if (c.kind === 'Ident' || (c.kind === 'UnaryExpr' && c.op === '!')) flags(c, false, acc);
      }
      for (const [name, need] of acc) out.set(name, need);
      // `if _, ok := p["token"]; !ok { ... }`: the body runs only when the map p lacks the key.
      const key = mapKeyTest(x);
      if (key && (inBody || inElse)) out.set(key.map, inBody === key.okNeeded ? { hasKey: key.key } : { lacksKey: key.key });
    }
    return true;
  });
  return out;
}

/** `if v, ok := m[KEY]; ok` (okNeeded true) or `...; !ok` (false), KEY a string or number literal. */
function mapKeyTest(s: ast.IfStmt): { map: string; key: string; okNeeded: boolean } | undefined {
  const init = s.init;
  if (init?.kind !== 'AssignStmt' || init.tok !== ':=' || init.lhs.length !== 2 || init.rhs.length !== 1) return undefined;
  const ok = unparen(init.lhs[1]!);
  const ix = unparen(init.rhs[0]!);
  if (ok.kind !== 'Ident' || ix.kind !== 'IndexExpr') return undefined;
  const m = unparen(ix.x);
  const k = unparen(ix.index);
  if (m.kind !== 'Ident' || k.kind !== 'BasicLit' || !plainLiteralText(k.value)) return undefined;
  const c = unparen(s.cond);
  if (c.kind === 'Ident' && c.name === ok.name) return { map: m.name, key: k.value, okNeeded: true };
  if (c.kind === 'UnaryExpr' && c.op === '!' && unparen(c.x).kind === 'Ident' && (unparen(c.x) as ast.Ident).name === ok.name) return { map: m.name, key: k.value, okNeeded: false };
  return undefined;
}

/**
 * Whether a node of trail.funcs[last] cannot run for the calls of the trail: it is guarded by a
 * test of a parameter (or, in a function literal, of a parameter of the function around it that
 * calls it) that the arguments make false: `if key == nil { ... }` reached by `c.post(c.Key, ...)`,
 * `if needLock { mu.Lock() }` reached by `removeMsg(seq, false)`. A guess in favour of silence: a
 * non-nil expression may still be nil at run time.
 */
export function skippedForCall(trail: CallTrail, node: ast.Node): boolean {
  const k = trail.funcs.length - 1;
  if (k < 0) return false;
  const g = trail.funcs[k]!;
  const f = (g.decl ?? g.lit)!;
  for (const [name, need] of guardNeeds(f, node)) {
    let a: ast.Expr | undefined;
    if (isParamOf(f, name)) a = trailArgument(trail, k, name);
    else if (g.lit && k > 0 && !assignsName(f, name)) {
      // A literal called by the function around it, testing one of that function's parameters.
      const outer = trail.funcs[k - 1]!;
      const of = (outer.decl ?? outer.lit)!;
      if (of.body && nodePos(of.body) <= nodePos(g.lit) && nodePos(g.lit) < nodeEnd(of.body) && isParamOf(of, name) && !assignsName(of, name)) {
        a = trailArgument(trail, k - 1, name);
      }
    }
    if (!a) continue;
    const x = unparen(a);
    if (typeof need === 'object' && ('hasKey' in need || 'lacksKey' in need)) {
      // A map literal passed for the map: its keys say whether the lookup succeeds (`params{"token": "*"}`).
      if (x.kind !== 'CompositeLit' || !(x.elts ?? []).every((e) => e.kind === 'KeyValueExpr' && unparen(e.key).kind === 'BasicLit')) continue;
      const keys = new Set((x.elts ?? []).map((e) => ((e as ast.KeyValueExpr).key as ast.BasicLit).value));
      if ('hasKey' in need && !keys.has(need.hasKey)) return true;
      if ('lacksKey' in need && keys.has(need.lacksKey)) return true;
      continue;
    }
    if (typeof need === 'object') {
      // Compared with a literal: a different literal (or the same, for `!=`) skips the node.
      if (x.kind !== 'BasicLit') continue;
      if ('equals' in need && plainLiteralText(x.value) && plainLiteralText(need.equals) && x.value !== need.equals) return true;
      if ('differs' in need && x.value === need.differs) return true;
      continue;
    }
    const lit = x.kind === 'Ident' ? x.name : undefined;
    if (need === 'nil' && lit !== 'nil') return true;
    if (need === 'true' && lit === 'false') return true;
    if (need === 'false' && lit === 'true') return true;
  }
  return false;
}

/** The argument a call passes for a named parameter of the function it calls (undefined when unclear: variadic, a multi-value call). */
export function argumentFor(fn: ast.FuncDecl | ast.FuncLit, call: ast.CallExpr, param: string): ast.Expr | undefined {
  if (call.ellipsis !== -1) return undefined;
  const fields = fn.type.params.list ?? [];
  let i = 0;
  for (const f of fields) {
    if (f.type?.kind === 'Ellipsis') return undefined;
    const names = f.names && f.names.length > 0 ? f.names : [null];
    for (const n of names) {
      if (n?.name === param) {
        const args = call.args ?? [];
        return args.length === countParams(fields) ? args[i] : undefined;
      }
      i++;
    }
  }
  return undefined;
}

function countParams(fields: readonly ast.Field[]): number {
  let n = 0;
  for (const f of fields) n += f.names && f.names.length > 0 ? f.names.length : 1;
  return n;
}

/** The functions a callee search entered, in order, and the call that entered each (`calls[i]` entered `funcs[i]`). */
export interface CallTrail {
  funcs: readonly GraphNode[];
  calls: readonly ast.CallExpr[];
}

/**
 * The argument that reached a parameter of trail.funcs[k], followed back through parameters passed
 * on unchanged (`func post(key *Key) { postNoRetry(key) }`): the expression of the earliest caller
 * on the trail, or undefined when unclear.
 */
export function trailArgument(trail: CallTrail, k: number, param: string): ast.Expr | undefined {
  let name = param;
  for (let i = k; i >= 0; i--) {
    const g = trail.funcs[i]!;
    const f = (g.decl ?? g.lit)!;
    const a = argumentFor(f, trail.calls[i]!, name);
    if (!a) return undefined;
    const x = unparen(a);
    const caller = i > 0 ? trail.funcs[i - 1]! : undefined;
    const cf = caller ? (caller.decl ?? caller.lit)! : undefined;
    // A parameter of the caller handed on as it came (never assigned there): follow it up.
    if (x.kind === 'Ident' && cf && isParamOf(cf, x.name) && !assignsName(cf, x.name)) {
      name = x.name;
      continue;
    }
    return a;
  }
  return undefined;
}

function isParamOf(fn: ast.FuncDecl | ast.FuncLit, name: string): boolean {
  return (fn.type.params.list ?? []).some((f) => (f.names ?? []).some((n) => n.name === name));
}

/** Whether the function's own code assigns to a name or takes its address (syntax only). */
function assignsName(fn: ast.FuncDecl | ast.FuncLit, name: string): boolean {
  let found = false;
  if (!fn.body) return false;
  walkNode(fn.body, (x) => {
    if (found) return false;
    if (x.kind === 'AssignStmt' && x.lhs.some((l) => unparen(l).kind === 'Ident' && (unparen(l) as ast.Ident).name === name)) found = true;
    else if (x.kind === 'UnaryExpr' && x.op === '&' && unparen(x.x).kind === 'Ident' && (unparen(x.x) as ast.Ident).name === name) found = true;
    return !found;
  });
  return found;
}

/** A chain of same-package calls ending in a function where `find` matched. */
export interface CallChain<T> {
  /** The functions entered, in order (the first is the callee of the starting call). */
  funcs: GraphNode[];
  /** The calls made, in order (the first is the starting call). */
  calls: ast.CallExpr[];
  /** The path in the last function's frame. */
  path: VarPath;
  found: T;
}

/**
 * Follows a same-package call and the calls made from there (call and defer edges, not go or value
 * uses), at most maxDepth functions deep, carrying a variable path into each frame, until `find`
 * matches in one of the functions. Breadth first: the shortest chain wins.
 */
export function searchCallees<T>(
  pass: Pass,
  call: ast.CallExpr,
  path: VarPath,
  find: (fn: GraphNode, path: VarPath, chain: CallTrail) => T | undefined,
  maxDepth = 3,
  /**
   * Whether to go into a callee through a call site (default: every one); `chain` is how the
   * search reached the function the site is in (empty for the starting call).
   */
  enter?: (callee: GraphNode, site: ast.CallExpr, chain: CallTrail) => boolean,
): CallChain<T> | undefined {
  const g = callGraphOf(pass);
  const first = g.calleeOf(call);
  if (!first || (enter && !enter(first, call, { funcs: [], calls: [] }))) return undefined;
  const firstFn = (first.decl ?? first.lit)!;
  const p0 = pathInCallee(pass, call, firstFn, path);
  if (!p0) return undefined;
  // paths[i] is the path as funcs[i] sees it (the start function's view is `path`).
  type State = { fn: GraphNode; path: VarPath; funcs: GraphNode[]; calls: ast.CallExpr[]; paths: VarPath[] };
  // A call ranged over also runs the literals it returns, which see its variables by closure.
  let frontier: State[] = [{ fn: first, path: p0, funcs: [first], calls: [call], paths: [p0] }, ...g.rangeTargetsOf(call).map((lit) => ({ fn: lit, path: p0, funcs: [first, lit], calls: [call, call], paths: [p0, p0] }))];
  const seen = new Set<string>();
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const next: State[] = [];
    for (const s of frontier) {
      const key = `${s.fn.id}:${formatPath(s.path)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const found = find(s.fn, s.path, s);
      if (found !== undefined) return { funcs: s.funcs, calls: s.calls, path: s.path, found };
      if (depth === maxDepth) continue;
      for (const e of s.fn.out) {
        if ((e.kind !== 'call' && e.kind !== 'defer') || e.site.kind !== 'CallExpr') continue;
        if (enter && !enter(e.callee, e.site, s)) continue;
        const fn = (e.callee.decl ?? e.callee.lit)!;
        const p = pathInCallee(pass, e.site, fn, s.path);
        if (p) next.push({ fn: e.callee, path: p, funcs: [...s.funcs, e.callee], calls: [...s.calls, e.site], paths: [...s.paths, p] });
      }
      // A literal handed to a call that runs it in place (`r.once.Do(func() { r.mu.Lock(); ... })`,
      // `sort.Slice(xs, func(i, j int) bool { ... })`) runs during that call, seeing the same
      // variables by closure.
      for (const e of s.fn.out) {
        if (e.kind !== 'value' || !e.callee.lit) continue;
        const site = inPlaceCallOf(pass, s.fn, e.callee.lit);
        if (!site || (enter && !enter(e.callee, site, s))) continue;
        next.push({ fn: e.callee, path: s.path, funcs: [...s.funcs, e.callee], calls: [...s.calls, site], paths: [...s.paths, s.path] });
      }
      // A call of a func parameter runs what the call that entered this function passed for it
      // (`e.withRun(id, func(r *Run) error { return e.setState(r, s) })`, `e.withRun(id, e.resume)`).
      for (const { site, target, path: p } of paramCallTargets(pass, g, s.fn, s.calls[s.calls.length - 1]!, s.paths.length > 1 ? s.paths[s.paths.length - 2]! : path)) {
        if (enter && !enter(target, site, s)) continue;
        next.push({ fn: target, path: p, funcs: [...s.funcs, target], calls: [...s.calls, site], paths: [...s.paths, p] });
      }
    }
    frontier = next;
  }
  return undefined;
}

/**
 * The calls fn makes of its own func parameters, each with the function the call `entry` passes
 * for that parameter (a literal, a function or a method value of the package) and the path as
 * that function sees it; `outer` is the path as the function containing `entry` sees it.
 */
function paramCallTargets(pass: Pass, g: CallGraph, fn: GraphNode, entry: ast.CallExpr, outer: VarPath): { site: ast.CallExpr; target: GraphNode; path: VarPath }[] {
  const decl = (fn.decl ?? fn.lit)!;
  if (!decl.body || !(decl.type.params?.list ?? []).some((f) => f.type?.kind === 'FuncType' || f.type?.kind === 'Ident' || f.type?.kind === 'SelectorExpr')) return [];
  const out: { site: ast.CallExpr; target: GraphNode; path: VarPath }[] = [];
  walkSameFunc(decl.body, (x) => {
    if (x.kind !== 'CallExpr') return true;
    const f = unparen(x.fun);
    if (f.kind !== 'Ident' || !isParamOf(decl, f.name) || assignsName(decl, f.name)) return true;
    const arg = argumentFor(decl, entry, f.name);
    const a = arg ? unparen(arg) : undefined;
    if (!a) return true;
    if (a.kind === 'FuncLit') {
      const t = g.nodeOf(a);
      if (t) out.push({ site: x, target: t, path: outer });
      return true;
    }
    if (a.kind !== 'Ident' && a.kind !== 'SelectorExpr') return true;
    // What a call of the value would call: the function or method it names.
    const asCall = { kind: 'CallExpr', fun: a, args: [], ellipsis: -1, lparen: x.lparen, rparen: x.rparen } as unknown as ast.CallExpr;
    const c = pass.types.callee(asCall);
    const fd = c && (c.kind === 'func' || c.kind === 'method') ? c.decl : undefined;
    const t = fd ? g.nodeOf(fd) : undefined;
    if (!fd || !t) return true;
    // The value's receiver (`e` of `e.resume`) is the one the call is made on.
    const p = pathInCallee(pass, asCall, fd, outer);
    if (p) out.push({ site: x, target: t, path: p });
    return true;
  });
  return out;
}

export interface LockCall {
  call: ast.CallExpr;
  method: LockMethod;
  /** The mutex expression (`s.mu`; `s` for a promoted method of an embedded mutex). */
  mutex: ast.Expr;
  /** From type information (a sync mutex or sync.Locker); false when only the method name matched. */
  typed: boolean;
}

/** A Lock/Unlock/RLock/RUnlock/TryLock call on a sync mutex (by name only when types are unknown). */
const MUTEX_METHOD_NAMES: ReadonlySet<string> = new Set(Object.values(MUTEX_METHODS));

/** Whether the file's text contains the word anywhere (a cheap byte search before a tree walk). */
export function sourceMentions(file: PassFile, word: string): boolean {
  return bytesContain(file.source.bytes, word);
}

/**
 * Whether a function body (not its nested literals) calls a method with one of these names. A
 * cheap syntactic test that lets rules skip building graphs for functions that cannot matter.
 */
export function callsMethodNamed(body: ast.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  walkNode(body, (x) => {
    if (found) return false;
    if (x.kind === 'CallExpr') {
      const f = unparen(x.fun);
      if (f.kind === 'SelectorExpr' && names.has(f.sel.name)) found = true;
    }
    // A method value kept for calling later (`lock, unlock := p.mu.Lock, p.mu.Unlock`).
    if (x.kind === 'AssignStmt' && x.rhs.some((r) => {
      const u = unparen(r);
      return u.kind === 'SelectorExpr' && names.has(u.sel.name);
    })) found = true;
    return !found;
  });
  return found;
}

/** Whether a function body (not its nested literals) has a defer statement. */
export function hasDefer(body: ast.Node): boolean {
  let found = false;
  walkNode(body, (x) => {
    if (found) return false;
    if (x.kind === 'DeferStmt') found = true;
    return !found;
  });
  return found;
}

/**
 * The mutex expression with embedded fields dropped from its end: `c.RWMutex` and `c.inner`
 * (with RWMutex embedded in c, or inner embedded in c) are the same mutex as `c`, whose
 * promoted `c.RLock()` locks it.
 */
export function withoutEmbedded(pass: Pass, e: ast.Expr): ast.Expr {
  let x = unparen(e);
  while (x.kind === 'SelectorExpr') {
    if (!embeddedField(pass.types.typeOf(x.x), x.sel.name)) break;
    x = unparen(x.x);
  }
  return x;
}

/**
 * Whether `name` selects an embedded field of a value of type t, directly or promoted through
 * other embedded structs (`c.guard` with `guard` embedded in `index`, embedded in `Catalog`).
 */
function embeddedField(t: Type | undefined, name: string, depth = 0): boolean {
  if (!t || depth > 4) return false;
  if (t.kind === 'pointer') t = t.elem;
  const u = t.kind === 'named' ? t.underlying() : t;
  if (u?.kind !== 'struct') return false;
  const direct = u.fields.find((f) => f.name === name);
  if (direct) return direct.embedded;
  return u.fields.some((f) => f.embedded && embeddedField(f.type, name, depth + 1));
}

/**
 * Whether a receiver's type is an interface of the module shaped like sync.Locker: it has
 * `Lock()` and `Unlock()`, neither taking nor returning anything (`type Locker interface {
 * Lock(); Unlock() }`), also as a type parameter's constraint (`func Take[L Locker](l L)`). A
 * lock that returns an error (`Lock() error`) is some other protocol.
 */
function lockerInterface(pass: Pass, recv: ast.Expr): boolean {
  let t = pass.types.typeOf(recv);
  if (t?.kind === 'typeparam') t = t.constraint;
  const u = t?.kind === 'named' ? t.underlying() : t;
  if (u?.kind !== 'interface') return false;
  const bare = (name: string) => u.methods.some((m) => m.name === name && m.sig.params.length === 0 && m.sig.results.length === 0);
  return bare('Lock') && bare('Unlock');
}

export function lockCall(pass: Pass, call: ast.CallExpr): LockCall | undefined {
  const fun = unparen(call.fun);
  if (fun.kind === 'Ident') return methodValueLockCall(pass, call, fun);
  if (fun.kind !== 'SelectorExpr') return undefined;
  // A method expression (`(*sync.Mutex).Lock(&c.mu)`): the mutex is its argument.
  if (call.args?.length === 1 && MUTEX_METHOD_NAMES.has(fun.sel.name) && unparen(fun.x).kind === 'StarExpr') {
    const c = pass.types.callee(call);
    const m = c ? MUTEX_METHODS[c.name] : undefined;
    const arg = unparen(call.args[0]!);
    if (m && arg.kind === 'UnaryExpr' && arg.op === '&') return { call, method: m, mutex: withoutEmbedded(pass, arg.x), typed: true };
    return undefined;
  }
  if ((call.args?.length ?? 0) !== 0) return undefined;
  // Named otherwise, it is no mutex method: no need to resolve it.
  if (!MUTEX_METHOD_NAMES.has(fun.sel.name)) return undefined;
  const c = pass.types.callee(call);
  if (c) {
    const m = MUTEX_METHODS[c.name] ?? (c.kind === 'interface' && lockerInterface(pass, fun.x) ? (fun.sel.name as LockMethod) : undefined);
    if (!m) return undefined;
    // A sync.Locker that names a mutex of the code (`var l sync.Locker = &c.mu`): that mutex.
    const recv = unparen(fun.x);
    if (c.recv?.name === 'Locker' && recv.kind === 'Ident') {
      const v = definingValue(pass, recv);
      const target = v ? unparen(v) : undefined;
      const x = target?.kind === 'UnaryExpr' && target.op === '&' ? unparen(target.x) : undefined;
      let t = x ? pass.types.typeOf(x) : undefined;
      if (t?.kind === 'pointer') t = t.elem;
      if (x && t?.kind === 'named' && t.pkg === 'sync' && (t.name === 'Mutex' || t.name === 'RWMutex')) return { call, method: m, mutex: withoutEmbedded(pass, x), typed: true };
    }
    return { call, method: m, mutex: withoutEmbedded(pass, fun.x), typed: true };
  }
  if (pass.typesKnown && pass.types.typeOf(fun.x)) return undefined;
  const short = fun.sel.name;
  if (short === 'Lock' || short === 'Unlock' || short === 'RLock' || short === 'RUnlock') return { call, method: short, mutex: fun.x, typed: false };
  return undefined;
}

/**
 * A call of a local variable holding a mutex's method value (`lock, unlock := p.mu.Lock,
 * p.mu.Unlock; lock()`), never assigned again: that method on that mutex.
 */
function methodValueLockCall(pass: Pass, call: ast.CallExpr, fun: ast.Ident): LockCall | undefined {
  if ((call.args?.length ?? 0) !== 0) return undefined;
  const o = pass.types.objectOf(fun);
  if (!o || o.kind !== 'var' || o.varKind !== 'local' || !o.decl) return undefined;
  const v = definingValue(pass, fun);
  const sel = v ? unparen(v) : undefined;
  if (sel?.kind !== 'SelectorExpr' || !MUTEX_METHOD_NAMES.has(sel.sel.name)) return undefined;
  let t = pass.types.typeOf(sel.x);
  if (t?.kind === 'pointer') t = t.elem;
  if (t?.kind !== 'named' || t.pkg !== 'sync' || (t.name !== 'Mutex' && t.name !== 'RWMutex')) return undefined;
  const m = MUTEX_METHODS[`(*sync.${t.name}).${sel.sel.name}`];
  if (!m) return undefined;
  const file = pass.fileOf(o.decl);
  const fn = file ? innermostFuncBody(file, o.decl) : undefined;
  if (fn && assignsVar(pass, fn, o.decl)) return undefined;
  return { call, method: m, mutex: withoutEmbedded(pass, sel.x), typed: true };
}

/** The lock call of an expression statement `mu.Lock()`. */
export function lockStmt(pass: Pass, n: ast.Node): LockCall | undefined {
  if (n.kind !== 'ExprStmt') return undefined;
  const x = unparen(n.x);
  return x.kind === 'CallExpr' ? lockCall(pass, x) : undefined;
}

/** The lock calls in a node, outside nested function literals (their bodies run elsewhere or later). */
export function lockCallsIn(pass: Pass, n: ast.Node): LockCall[] {
  const out: LockCall[] = [];
  walkNode(n, (x) => {
    if (x.kind === 'FuncLit') return false;
    if (x.kind === 'CallExpr') {
      const l = lockCall(pass, x);
      if (l) out.push(l);
    }
    return true;
  });
  return out;
}

/** The same-package calls in a node (outside nested function literals, except literals called in place). */
export function packageCallsIn(pass: Pass, n: ast.Node): ast.CallExpr[] {
  const g = callGraphOf(pass);
  const out: ast.CallExpr[] = [];
  const visit = (root: ast.Node): void => {
    walkNode(root, (x) => {
      if (x.kind === 'GoStmt') return false;
      if (x.kind === 'FuncLit') return false;
      if (x.kind === 'CallExpr') {
        if (g.calleeOf(x)) out.push(x);
        // `sort.Slice(ids, func(i, j int) bool { return s.score(ids[i]) < ... })`: the literal
        // runs during this call, so its calls are made here too.
        if (x.args?.some((a) => unparen(a).kind === 'FuncLit') && CALLS_ARGUMENT_IN_PLACE.has(pass.types.callee(x)?.name ?? '')) {
          for (const a of x.args) {
            const lit = unparen(a);
            if (lit.kind === 'FuncLit') visit(lit.body);
          }
        }
      }
      return true;
    });
  };
  visit(n);
  return out;
}

/** The identifier that declares what `id` refers to, and the expression assigned there (`ctx, cancel := context.WithTimeout(...)` → the call). */
export function definingValue(pass: Pass, id: ast.Ident): ast.Expr | undefined {
  const o = pass.types.objectOf(id);
  const decl = o?.decl;
  if (!decl) return undefined;
  const file = pass.fileOf(decl);
  if (!file) return undefined;
  let table = defsCache.get(file.file);
  if (!table) {
    const t = new Map<ast.Ident, ast.Expr>();
    const add = (lhs: readonly ast.Expr[], rhs: readonly ast.Expr[]) => {
      lhs.forEach((l, i) => {
        if (l.kind === 'Ident') {
          const v = rhs.length === lhs.length ? rhs[i] : rhs.length === 1 ? rhs[0] : undefined;
          if (v) t.set(l, v);
        }
      });
    };
    file.inspector.preorder(['AssignStmt', 'ValueSpec'], (x) => {
      if (x.kind === 'AssignStmt') {
        if (x.tok === ':=') add(x.lhs, x.rhs);
      } else if (x.values) add(x.names, x.values);
    });
    table = t;
    defsCache.set(file.file, t);
  }
  return table.get(decl);
}

const defsCache = new WeakMap<ast.File, Map<ast.Ident, ast.Expr>>();

/**
 * The field a method call returns when the method is an accessor of its receiver's field
 * (`func (ix *Index) lock() *sync.Mutex { return &ix.mu }`, called `ix.lock()` with no
 * arguments): every call on one receiver gives the same thing. Undefined otherwise.
 */
export function accessedField(pass: Pass, call: ast.CallExpr): string | undefined {
  if ((call.args ?? []).length !== 0 || unparen(call.fun).kind !== 'SelectorExpr') return undefined;
  const decl = pass.types.callee(call)?.decl;
  if (decl?.kind !== 'FuncDecl' || !decl.recv) return undefined;
  const recv = decl.recv.list?.[0]?.names?.[0]?.name;
  const r = returnedSelector(decl.body);
  if (!recv || !r) return undefined;
  const x = unparen(r.x);
  return x.kind === 'Ident' && x.name === recv ? r.sel.name : undefined;
}

/**
 * Whether a context argument carries a deadline set nearby: `context.WithTimeout(...)` (or
 * WithDeadline) written in place, or a variable declared from one (followed through plain copies
 * and derived contexts).
 */
export function ctxBounded(pass: Pass, e: ast.Expr, depth = 0): boolean {
  e = unparen(e);
  if (depth > 4) return false;
  if (e.kind === 'CallExpr') {
    const c = pass.types.callee(e);
    if (!c) return false;
    if (DEADLINE_CONTEXTS.has(c.name)) return true;
    // context.WithoutCancel(parent) drops the parent's deadline and cancellation.
    if (c.name === 'context.WithoutCancel') return false;
    // context.WithCancel(parent), context.WithValue(parent, ...): as bounded as the parent.
    if (c.pkg === 'context' && c.kind === 'func' && e.args?.[0]) return ctxBounded(pass, e.args[0], depth + 1);
    return false;
  }
  if (e.kind === 'Ident') {
    const v = definingValue(pass, e);
    return v ? ctxBounded(pass, v, depth + 1) : false;
  }
  return false;
}

/** A named type from a parameter's type expression: types when known, else syntax and the file's imports. */
function namedParamType(pass: Pass, file: PassFile, t: ast.Expr): { pkg: string; name: string; pointer: boolean } | undefined {
  let x = unparen(t);
  let pointer = false;
  if (x.kind === 'StarExpr') {
    pointer = true;
    x = unparen(x.x);
  }
  const ty = pass.types.typeOf(x);
  if (ty?.kind === 'named') return { pkg: ty.pkg, name: ty.name, pointer };
  if (x.kind === 'SelectorExpr' && x.x.kind === 'Ident') {
    const o = pass.types.objectOf(x.x);
    const path = o?.kind === 'pkgname' ? o.imported : importedAs(file, x.x.name);
    if (path) return { pkg: path, name: x.sel.name, pointer };
  }
  if (x.kind === 'Ident') return { pkg: pass.pkg.importPath, name: x.name, pointer };
  return undefined;
}

function pkgMatches(path: string, want: string): boolean {
  const p = path.replace(/\/v\d+$/, '');
  return p === want || p.endsWith('/' + want);
}

export interface HandlerMatch {
  /** "net/http handler", "gin handler", "gRPC method", ... */
  framework: string;
}

/**
 * Whether a function serves a request: a parameter of a handler type (http.ResponseWriter,
 * *gin.Context, echo.Context, *fiber.Ctx, or one from the `handlers` option; packages matched by
 * import-path suffix so look-alikes count), or a gRPC service method (a method on a type whose
 * name ends in Server taking (context.Context, *XxxRequest) and returning (*XxxResponse, error),
 * or a streaming method taking an XxxServer_StreamServer-like stream and returning error).
 */
/** grpc's generic server-side stream types. */
const GRPC_STREAMS: ReadonlySet<string> = new Set(['ServerStreamingServer', 'ClientStreamingServer', 'BidiStreamingServer']);

export function requestHandler(pass: Pass, file: PassFile, fn: FuncNode): HandlerMatch | undefined {
  const params = fn.type.params.list ?? [];
  const extra = pass.options.handlers.map((h) => {
    const pointer = h.startsWith('*');
    const q = pointer ? h.slice(1) : h;
    const dot = q.lastIndexOf('.');
    return { pkg: q.slice(0, dot), name: q.slice(dot + 1), pointer, framework: `${q.slice(dot + 1)} handler` };
  });
  const types = params.map((f) => (f.type ? namedParamType(pass, file, f.type) : undefined));
  for (const t of types) {
    if (!t) continue;
    // The frameworks' context is a pointer in some major versions and not in others (fiber v2
    // *fiber.Ctx, v3 fiber.Ctx; echo v4 echo.Context, v5 *echo.Context): either counts.
    for (const h of HANDLER_PARAMS) {
      if (t.name === h.name && (t.pointer === h.pointer || h.pkg !== 'net/http') && pkgMatches(t.pkg, h.pkg)) return { framework: h.framework };
    }
    for (const h of extra) {
      if (t.name === h.name && t.pointer === h.pointer && pkgMatches(t.pkg, h.pkg)) return { framework: h.framework };
    }
  }
  if (fn.kind !== 'FuncDecl' || !fn.recv) return undefined;
  const recvType = fn.recv.list?.[0]?.type;
  const recv = recvType ? namedParamType(pass, file, recvType) : undefined;
  if (!recv || !/server$/i.test(recv.name)) return undefined;
  const results = (fn.type.results?.list ?? []).flatMap((f) => Array(f.names?.length || 1).fill(f.type) as (ast.Expr | null)[]);
  const flat = params.flatMap((f) => Array(f.names?.length || 1).fill(f.type) as (ast.Expr | null)[]);
  const isError = (e: ast.Expr | null | undefined) => !!e && unparen(e).kind === 'Ident' && (unparen(e) as ast.Ident).name === 'error';
  const named = (e: ast.Expr | null | undefined) => (e ? namedParamType(pass, file, e) : undefined);
  if (flat.length === 2 && results.length === 2 && isError(results[1])) {
    const ctx = named(flat[0]);
    const req = named(flat[1]);
    const resp = named(results[0]);
    if (ctx && ctx.pkg === 'context' && ctx.name === 'Context' && req?.pointer && resp?.pointer) return { framework: 'gRPC method' };
  }
  if (flat.length >= 1 && results.length === 1 && isError(results[0])) {
    // `Xxx_YyyServer`, or grpc's generic streams (protoc-gen-go-grpc 1.4 and later):
    // `grpc.ServerStreamingServer[Resp]`, `grpc.ClientStreamingServer[Req, Resp]`, `grpc.BidiStreamingServer[Req, Resp]`.
    let last = flat[flat.length - 1];
    if (last && (unparen(last).kind === 'IndexExpr' || unparen(last).kind === 'IndexListExpr')) last = (unparen(last) as ast.IndexExpr | ast.IndexListExpr).x;
    const stream = named(last);
    if (stream && !stream.pointer && /_\w*Server$/.test(stream.name)) return { framework: 'gRPC streaming method' };
    if (stream && !stream.pointer && GRPC_STREAMS.has(stream.name) && pkgMatches(stream.pkg, 'grpc')) return { framework: 'gRPC streaming method' };
  }
  return undefined;
}

/** What a call to a catalogued blocking function waits for (`pass.options.blockingCalls` included), or undefined. */
export function blockingCall(pass: Pass, call: ast.CallExpr): { name: string; waits: string } | undefined {
  const c = pass.types.callee(call);
  if (!c) return undefined;
  const waits = BLOCKING_CALLS[c.name] ?? (pass.options.blockingCalls.includes(c.name) ? 'is configured as a blocking call' : undefined);
  if (waits) return { name: c.name, waits };
  const io = ioOnConn(pass, call, c.name);
  return io ? { name: c.name, waits: io.dir === 'Read' ? 'reads from a network connection until the peer closes it or sends enough' : 'waits for the peer to accept the data' } : undefined;
}

/** The io helpers that read from their reader (or write to their writer) until done: [reader index, writer index]. */
const IO_HELPERS: Readonly<Record<string, [number, number]>> = {
  'io.Copy': [1, 0],
  'io.CopyBuffer': [1, 0],
  'io.CopyN': [1, 0],
  'io.ReadAll': [0, -1],
  'io/ioutil.ReadAll': [0, -1],
  'io.ReadFull': [0, -1],
  'io.ReadAtLeast': [0, -1],
  'io.WriteString': [-1, 0],
  'fmt.Fprint': [-1, 0],
  'fmt.Fprintf': [-1, 0],
  'fmt.Fprintln': [-1, 0],
  'fmt.Fscan': [0, -1],
  'fmt.Fscanf': [0, -1],
  'fmt.Fscanln': [0, -1],
};

const CONN_TYPES: ReadonlySet<string> = new Set(['net.Conn', 'net.TCPConn', 'net.UDPConn', 'net.UnixConn', 'net.IPConn', 'crypto/tls.Conn']);

/**
 * `io.Copy(io.Discard, conn)`, `io.ReadAll(conn)`, `io.WriteString(conn, s)`, `fmt.Fprintf(conn, ...)`: an io helper reading from (or writing to) a
 * network connection, which waits for the peer as a Read or Write on it does. The connection
 * argument and the direction; undefined for any other call.
 */
export function ioOnConn(pass: Pass, call: ast.CallExpr, name: string): { conn: ast.Expr; dir: 'Read' | 'Write' } | undefined {
  const idx = IO_HELPERS[name];
  if (!idx) return undefined;
  const isConn = (e: ast.Expr | undefined): boolean => {
    let t = e ? pass.types.typeOf(e) : undefined;
    if (t?.kind === 'pointer') t = t.elem;
    return t?.kind === 'named' && CONN_TYPES.has(`${t.pkg}.${t.name}`);
  };
  const r = idx[0] >= 0 ? call.args?.[idx[0]] : undefined;
  if (r && isConn(r)) return { conn: r, dir: 'Read' };
  const w = idx[1] >= 0 ? call.args?.[idx[1]] : undefined;
  if (w && isConn(w)) return { conn: w, dir: 'Write' };
  return undefined;
}

/** Whether a file's effective Go version ("go1.22", "go1.21.3") is at least major.minor; false when unreadable. */
export function goVersionAtLeast(v: string, major: number, minor: number): boolean {
  const m = /^(?:go)?(\d+)(?:\.(\d+))?/.exec(v);
  if (!m) return false;
  const a = Number(m[1]);
  const b = m[2] === undefined ? 0 : Number(m[2]);
  return a > major || (a === major && b >= minor);
}

/**
 * Whether an expression has the type `error` (or a named type whose underlying type is an interface
 * with just `Error() string`): true or false when the type is known, undefined when it is not.
 */
export function isErrorTyped(pass: Pass, e: ast.Expr): boolean | undefined {
  const t = pass.types.typeOf(e);
  if (!t) return undefined;
  if (t.kind === 'named' && t.pkg === '' && t.name === 'error') return true;
  const u = t.kind === 'named' ? t.underlying() : t;
  if (!u) return undefined;
  return u.kind === 'interface' && u.embeds.length === 0 && u.methods.length === 1 && u.methods[0]!.name === 'Error' && u.methods[0]!.sig.params.length === 0;
}

// ---- deferred calls and written resources ----

/** One call that a defer statement runs at function exit. */
export interface DeferredCall {
  defer: ast.DeferStmt;
  call: ast.CallExpr;
  /** True when the call's results are dropped: the deferred call itself, or a call statement / `_ =` inside a deferred literal. */
  discarded: boolean;
  /** The deferred function literal the call sits in (null for the deferred call itself). */
  lit: ast.FuncLit | null;
}

/**
 * The calls a defer statement runs when the function returns: the deferred call itself, or, for
 * `defer func() { ... }()`, the calls in the literal's body in source order (not those of literals
 * nested in it).
 */
export function deferredCalls(d: ast.DeferStmt): DeferredCall[] {
  const fun = unparen(d.call.fun);
  if (fun.kind !== 'FuncLit') return [{ defer: d, call: d.call, discarded: true, lit: null }];
  const out: DeferredCall[] = [];
  const dropped = new Set<ast.CallExpr>();
  walkSameFunc(fun.body, (x) => {
    if (x.kind === 'ExprStmt') {
      const c = unparen(x.x);
      if (c.kind === 'CallExpr') dropped.add(c);
    } else if (x.kind === 'AssignStmt' && x.rhs.length === 1 && x.lhs.every((l) => l.kind === 'Ident' && l.name === '_')) {
      const c = unparen(x.rhs[0]!);
      if (c.kind === 'CallExpr') dropped.add(c);
    } else if (x.kind === 'ReturnStmt') {
      // `defer func() error { return f.Close() }()`: a deferred call's results go nowhere.
      for (const r of x.results ?? []) {
        const c = unparen(r);
        if (c.kind === 'CallExpr') dropped.add(c);
      }
    } else if (x.kind === 'CallExpr') {
      out.push({ defer: d, call: x, discarded: false, lit: fun });
    }
    return true;
  });
  for (const c of out) c.discarded = dropped.has(c.call);
  return out;
}

const boundCalls = new WeakMap<ast.CallExpr, ast.CallExpr>();

/**
 * A call through a local variable that holds one method value (`unlock := b.view.mu.Unlock; ...;
 * defer unlock()`, `closeFile := f.Close; defer closeFile()`): the call as if written on the
 * selector (`b.view.mu.Unlock()`), whose receiver and method the rules look at. The variable must
 * not be assigned again or have its address taken. Any other call is returned as it is. The
 * returned node's own text is not the source's: show the original call in messages.
 */
export function boundCall(pass: Pass, call: ast.CallExpr): ast.CallExpr {
  const f = unparen(call.fun);
  if (f.kind === 'SelectorExpr') return methodExprCall(pass, call, f);
  if (f.kind !== 'Ident') return call;
  const known = boundCalls.get(call);
  if (known) return known;
  let out = call;
  const o = pass.types.objectOf(f);
  const v = o?.kind === 'var' && o.varKind === 'local' && o.decl ? definingValue(pass, f) : undefined;
  const sel = v ? unparen(v) : undefined;
  if (sel?.kind === 'SelectorExpr') {
    const asCall: ast.CallExpr = { ...call, fun: sel };
    const c = pass.types.callee(asCall);
    const file = o!.decl ? pass.fileOf(o!.decl) : undefined;
    const body = (c?.kind === 'method' || c?.kind === 'interface') && file ? innermostFuncBody(file, o!.decl!) : undefined;
    if (body && !assignsVar(pass, body, o!.decl!, { addressTaken: true })) out = asCall;
  }
  boundCalls.set(call, out);
  return out;
}

/**
 * A method expression called with its receiver as the first argument (`(*os.File).Close(f)`,
 * `T.String(v)`): the call as if written on the receiver (`f.Close()`). Any other call is
 * returned as it is.
 */
function methodExprCall(pass: Pass, call: ast.CallExpr, f: ast.SelectorExpr): ast.CallExpr {
  const args = call.args ?? [];
  if (args.length === 0) return call;
  let t: ast.Expr = unparen(f.x);
  if (t.kind === 'StarExpr') t = unparen(t.x);
  if (t.kind !== 'Ident' && !(t.kind === 'SelectorExpr' && unparen(t.x).kind === 'Ident')) return call;
  // The operand names a type: its object says so, or the callee is a method given one argument
  // more than its parameters (the receiver).
  const typeName = t.kind === 'Ident' ? t : t.sel;
  const c = pass.types.callee(call);
  const byObject = pass.types.objectOf(typeName)?.kind === 'type';
  const bySig = (c?.kind === 'method' || c?.kind === 'interface') && !!c.sig && !c.sig.variadic && args.length === c.sig.params.length + 1;
  if (!byObject && !bySig) return call;
  const known = boundCalls.get(call);
  if (known) return known;
  const sel: ast.SelectorExpr = { ...f, x: args[0]! };
  const out: ast.CallExpr = { ...call, fun: sel, args: args.slice(1) };
  boundCalls.set(call, out);
  return out;
}

/** For a method call `x.M(...)` on a simple operand: x and M. */
export function methodCallOn(call: ast.CallExpr): { recv: ast.Expr; method: string } | undefined {
  const f = unparen(call.fun);
  if (f.kind !== 'SelectorExpr') return undefined;
  return rootIdent(f.x) ? { recv: f.x, method: f.sel.name } : undefined;
}

/** A call that creates something written (WRITE_RESOURCES) or a dependent resource (DEPENDENT_RESOURCES). */
export interface WriteOrigin {
  call: ast.CallExpr;
  /** The constructor's qualified name. */
  name: string;
  res: WriteResource;
  /** From type information (high confidence) or from syntax. */
  typed: boolean;
  /** For wrappers: the expression written into (or the receiver of db.Begin). */
  under?: ast.Expr;
  /** A struct type of the package that wraps what was opened for writing (its own methods write). */
  wrapperType?: string;
}

/**
 * Whether a call creates a written resource: os.Create, os.OpenFile with write flags (the flag
 * expression is evaluated; unknown flags mean no), a writer wrapper, a transaction. Undefined otherwise.
 */
export function writeOrigin(pass: Pass, file: PassFile, e: ast.Expr, dependent = false): WriteOrigin | undefined {
  const call = unparen(e);
  if (call.kind !== 'CallExpr') return undefined;
  const c = callName(pass, file, call);
  if (!c) return undefined;
  const res = WRITE_RESOURCES[c.name] ?? (dependent ? DEPENDENT_RESOURCES[c.name] ?? moduleTransaction(pass, call) : undefined);
  if (!res) return undefined;
  if (res.flagsArg !== undefined) {
    const flags = call.args?.[res.flagsArg];
    const v = flags ? openFlagsValue(pass, file, flags, 0) : undefined;
    if (v === undefined || !isWriteOpen(v)) return undefined;
  }
  // A device opened by its constant name (`os.OpenFile("/dev/tty", os.O_RDWR, 0)`, Windows'
  // `CONOUT$`): writes go straight to the device, and closing it loses nothing.
  if ((c.name === 'os.Create' || c.name === 'os.OpenFile') && deviceName(call.args?.[0])) return undefined;
  let under: ast.Expr | undefined;
  if (res.wraps === 'recv') {
    const f = unparen(call.fun);
    under = f.kind === 'SelectorExpr' ? f.x : undefined;
  } else if (res.wraps !== undefined) under = call.args?.[res.wraps];
  return { call, name: c.name, res, typed: c.typed, ...(under ? { under } : {}) };
}

/**
 * The first result of every return of a body, when each is nil or a call of a package-qualified
 * function (`return os.Create(p)`, `return bufio.NewWriterSize(w, 64<<10)`): those calls with the
 * qualifier and the name. Undefined when a return gives anything else.
 */
export function returnedQualifiedCalls(body: ast.BlockStmt): { call: ast.CallExpr; qual: string; name: string }[] | undefined {
  const out: { call: ast.CallExpr; qual: string; name: string }[] = [];
  let ok = true;
  walkSameFunc(body, (x) => {
    if (!ok || x.kind !== 'ReturnStmt') return ok;
    const r = x.results?.[0] ? unparen(x.results[0]) : undefined;
    if (r?.kind === 'Ident' && r.name === 'nil') return true;
    const f = r?.kind === 'CallExpr' ? unparen(r.fun) : undefined;
    if (f?.kind !== 'SelectorExpr' || unparen(f.x).kind !== 'Ident') ok = false;
    else out.push({ call: r as ast.CallExpr, qual: (unparen(f.x) as ast.Ident).name, name: f.sel.name });
    return ok;
  });
  return ok ? out : undefined;
}

/** Standard-library writer constructors by the name a call shows (`gzip.NewWriterLevel`): the key of their resource. */
let wrapperKeys: Map<string, string> | undefined;

/**
 * A call of a function of another package of the module, read by its text, whose every return
 * gives the same writer constructor of the standard library (`func NewLineWriter(w io.Writer)
 * *bufio.Writer { return bufio.NewWriterSize(w, 64<<10) }`): that constructor as if called here,
 * wrapping the argument the helper passes on to it.
 */
export function moduleWrapperOrigin(pass: Pass, file: PassFile, e: ast.Expr, dependent = false): WriteOrigin | undefined {
  const call = unparen(e);
  if (call.kind !== 'CallExpr') return undefined;
  const c = pass.types.callee(call);
  if (!c || !otherModuleFunc(pass, c)) return undefined;
  if (!wrapperKeys) {
    wrapperKeys = new Map();
    for (const k of [...Object.keys(WRITE_RESOURCES), ...Object.keys(DEPENDENT_RESOURCES)]) {
      const r = WRITE_RESOURCES[k] ?? DEPENDENT_RESOURCES[k]!;
      if (typeof r.wraps === 'number') wrapperKeys.set(k.slice(k.lastIndexOf('/') + 1), k);
    }
  }
  const d = pass.moduleFunc(c.pkg, c.short, c.recv?.name, 'New');
  if (!d?.body) return undefined;
  const params = (d.type.params.list ?? []).flatMap((f) => (f.names?.length ? f.names.map((n) => n.name) : ['_']));
  const calls = returnedQualifiedCalls(d.body);
  let found: { key: string; res: WriteResource; under: ast.Expr | undefined } | undefined;
  for (const r of calls ?? []) {
    const key = wrapperKeys.get(`${r.qual}.${r.name}`);
    const res = key ? WRITE_RESOURCES[key] ?? (dependent ? DEPENDENT_RESOURCES[key] : undefined) : undefined;
    if (!key || !res || (found && found.key !== key)) return undefined;
    // The helper's parameter that the constructor wraps, and so the argument of this call.
    const inner = typeof res.wraps === 'number' ? r.call.args?.[res.wraps] : undefined;
    const i = inner && unparen(inner).kind === 'Ident' ? params.indexOf((unparen(inner) as ast.Ident).name) : -1;
    found = { key, res, under: i >= 0 ? call.args?.[i] : undefined };
  }
  if (!found) return undefined;
  return { call, name: `${textOf(file, call.fun)} (${found.key} inside)`, res: found.res, typed: false, ...(found.under ? { under: found.under } : {}) };
}

/** A transaction begun by a store of the module itself, released by Rollback or Commit. */
const MODULE_TRANSACTION: WriteResource = { what: 'transaction', verb: 'from', release: ['Rollback', 'Commit'], checked: ['Commit'], wraps: 'recv' };

/**
 * `tx, err := db.BeginTx(ctx, nil)` where `db` is a store of the module (a fake or a wrapper with
 * a database/sql-shaped API): a method named Begin or BeginTx of a type of the module, whose
 * result has Rollback and Commit methods of the module.
 */
function moduleTransaction(pass: Pass, call: ast.CallExpr): WriteResource | undefined {
  const c = pass.types.callee(call);
  if ((c?.kind !== 'method' && c?.kind !== 'interface') || !/^Begin(Tx)?$/.test(c.short) || !c.pkg || !inModule(pass, c.pkg)) return undefined;
  const results = c.sig?.results ?? [];
  let t = results[0]?.type;
  if (t?.kind === 'pointer') t = t.elem;
  if (t?.kind !== 'named' || !inModule(pass, t.pkg)) return undefined;
  const named = t;
  // A transaction interface of the module (`type Tx interface { Exec(...); Commit() error; Rollback() error }`).
  const u = named.underlying();
  if (u?.kind === 'interface') {
    const names = new Set(u.methods.map((m) => m.name));
    return names.has('Rollback') && names.has('Commit') ? MODULE_TRANSACTION : undefined;
  }
  const has = (m: string): boolean =>
    named.pkg === pass.pkg.importPath
      ? pass.files.some((f) => (f.file.decls ?? []).some((d) => d.kind === 'FuncDecl' && d.name.name === m && recvTypeName(d) === named.name))
      : !!pass.moduleFunc(named.pkg, m, named.name);
  return has('Rollback') && has('Commit') ? MODULE_TRANSACTION : undefined;
}

/** Whether an expression is a string literal naming a device: `/dev/...`, or a Windows console or null device. */
function deviceName(e: ast.Expr | undefined, joined = false): boolean {
  const x = e ? unparen(e) : undefined;
  if (!x) return false;
  // Built from such a prefix: `"/proc/" + pid + "/oom_score_adj"`, `fmt.Sprintf("/proc/%d/setgroups",
  // pid)`, `filepath.Join("/sys", "class", ...)`.
  if (x.kind === 'BinaryExpr' && x.op === '+') return deviceName(x.x);
  if (x.kind === 'CallExpr') {
    const f = unparen(x.fun);
    const name = f.kind === 'SelectorExpr' ? f.sel.name : '';
    return (name === 'Sprintf' || name === 'Join') && deviceName(x.args?.[0], name === 'Join');
  }
  if (x.kind !== 'BasicLit' || x.tokKind !== 'STRING') return false;
  const v = x.value.slice(1, -1);
  // Devices, and the kernel's pseudo-filesystems: a write to /proc or /sys takes effect (or fails)
  // in the write itself, and closing the file has nothing left to lose.
  return /^\/(dev|proc|sys)\//.test(v) || (joined && /^\/(dev|proc|sys)\/?$/.test(v)) || /^(CONIN\$|CONOUT\$|CON|NUL)$/i.test(v);
}

/** Whether open flags ask for writing: access mode O_WRONLY or O_RDWR, or O_APPEND, O_CREATE or O_TRUNC. */
export function isWriteOpen(flags: number): boolean {
  return (flags & 3) !== 0 || (flags & OPEN_WRITE_BITS) !== 0;
}

const FLAG_PACKAGES = new Set(['os', 'syscall', 'golang.org/x/sys/unix']);

/** The value of an os.OpenFile flag expression, or undefined when it is not a constant we can evaluate. */
export function openFlagsValue(pass: Pass, file: PassFile, e: ast.Expr, depth: number): number | undefined {
  if (depth > 8) return undefined;
  e = unparen(e);
  switch (e.kind) {
    case 'BasicLit': {
      if (e.tokKind !== 'INT') return undefined;
      const s = e.value.replace(/_/g, '').toLowerCase();
      const n = s.startsWith('0x') ? parseInt(s.slice(2), 16) : s.startsWith('0o') ? parseInt(s.slice(2), 8)
        : s.startsWith('0b') ? parseInt(s.slice(2), 2) : s.length > 1 && s.startsWith('0') ? parseInt(s.slice(1), 8) : parseInt(s, 10);
      return Number.isFinite(n) ? n : undefined;
    }
    case 'SelectorExpr': {
      const x = unparen(e.x);
      if (x.kind !== 'Ident') return undefined;
      const o = pass.types.objectOf(x);
      const path = o?.kind === 'pkgname' ? o.imported : o ? undefined : importedAs(file, x.name);
      return path && FLAG_PACKAGES.has(path) ? OPEN_FLAGS[e.sel.name] : undefined;
    }
    case 'BinaryExpr': {
      const a = openFlagsValue(pass, file, e.x, depth + 1);
      const b = a === undefined ? undefined : openFlagsValue(pass, file, e.y, depth + 1);
      if (a === undefined || b === undefined) return undefined;
      switch (e.op) {
        case '|': return a | b;
        case '+': return a + b;
        case '&': return a & b;
        case '&^': return a & ~b;
        default: return undefined;
      }
    }
    case 'Ident': {
      const o = pass.types.objectOf(e);
      // A local built up from flags (`flags := os.O_WRONLY | os.O_CREATE; if t { flags |= os.O_TRUNC }`):
      // `|=` only adds bits, so the first value says whether it writes; any other assignment, unknown.
      if (o?.kind === 'var' && o.varKind === 'local' && o.decl) {
        const v = definingValue(pass, e);
        const pf = pass.fileOf(o.decl);
        if (!v || !pf) return undefined;
        let other = false;
        pf.inspector.preorder(['AssignStmt', 'UnaryExpr'], (x) => {
          if (other) return;
          if (x.kind === 'UnaryExpr') {
            if (x.op === '&' && unparen(x.x).kind === 'Ident' && pass.types.objectOf(unparen(x.x) as ast.Ident) === o) other = true;
            return;
          }
          if (x.tok === '|=' || x.lhs.includes(o.decl!)) return;
          if (x.lhs.some((l) => unparen(l).kind === 'Ident' && pass.types.objectOf(unparen(l) as ast.Ident) === o)) other = true;
        });
        return other ? undefined : openFlagsValue(pass, file, v, depth + 1);
      }
      // A constant of this package: evaluate its declaration.
      const decl = o ? (o.kind === 'const' ? o.decl : null) : packageConstNamed(pass, e.name);
      if (!decl) return undefined;
      const spec = constSpecOf(pass, decl);
      if (!spec) return undefined;
      const i = spec.names.indexOf(decl);
      const v = spec.values?.[i];
      return v ? openFlagsValue(pass, file, v, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

/** Without type information: the identifier of a package-level constant with this name, if exactly one file declares one. */
function packageConstNamed(pass: Pass, name: string): ast.Ident | null {
  let found: ast.Ident | null = null;
  let count = 0;
  for (const f of pass.files) {
    for (const d of f.file.decls ?? []) {
      if (d.kind !== 'GenDecl' || d.tok !== 'const') continue;
      for (const sp of d.specs ?? []) {
        if (sp.kind !== 'ValueSpec') continue;
        for (const n of sp.names) {
          if (n.name === name) {
            found = n;
            count++;
          }
        }
      }
    }
  }
  return count === 1 ? found : null;
}

function constSpecOf(pass: Pass, decl: ast.Ident): ast.ValueSpec | undefined {
  for (const f of pass.files) {
    if (decl.namePos < nodePos(f.file) || decl.namePos > nodeEnd(f.file)) continue;
    let found: ast.ValueSpec | undefined;
    inspect(f.file, (n) => {
      if (found) return false;
      if (n.kind === 'ValueSpec' && n.names.includes(decl)) {
        found = n;
        return false;
      }
      return nodePos(n) <= decl.namePos && decl.namePos <= nodeEnd(n);
    });
    if (found) return found;
  }
  return undefined;
}

// ---- results and their checks, qualified names in messages, process exits ----

/**
 * A qualified callee name as a message shows it: the analysed package's own path is dropped
 * (`example.com/m/p.open` → `open`, `(*example.com/m/p.T).M` → `(*T).M`); others stay qualified.
 */
export function displayName(pass: Pass, name: string): string {
  const own = pass.pkg.importPath;
  if (!own) return name;
  return name.split(own + '.').join('');
}

/** Whether the expression is the predeclared `nil` (not a shadowing variable). */
export function isNilIdent(pass: Pass, e: ast.Expr): boolean {
  e = unparen(e);
  if (e.kind !== 'Ident' || e.name !== 'nil') return false;
  const o = pass.types.objectOf(e);
  return !o || o.kind === 'nil';
}

/** The variable at the root of a selector path `x`, `x.f.g`, `(*x).f` (no calls or indexes on the way). */
export function selectorRoot(e: ast.Expr): ast.Ident | undefined {
  for (;;) {
    e = unparen(e);
    if (e.kind === 'Ident') return e;
    if (e.kind === 'SelectorExpr' || e.kind === 'StarExpr') e = e.x;
    else return undefined;
  }
}

/**
 * Whether a node mentions the variable that `id` denotes anywhere below it, function literals
 * included (by object when types know it, by name otherwise).
 */
export function mentions(pass: Pass, n: ast.Node, id: ast.Ident): boolean {
  const target = pass.types.objectOf(id);
  let found = false;
  const visit = (x: ast.Node): boolean => {
    if (found) return false;
    if (x.kind === 'SelectorExpr') {
      // The field or method name of x.sel is not a use of a variable called sel.
      inspect(x.x, visit);
      return false;
    }
    if (x.kind === 'Ident' && x.name === id.name && x !== id) {
      const o = pass.types.objectOf(x);
      if (!target || !o || o === target) found = true;
    }
    return !found;
  };
  inspect(n, visit);
  return found;
}

// ---- where recover() can stop a panic ----

/**
 * How a recover() call relates to panics. recover stops a panic only when it is called directly by
 * a deferred function while that function runs because of the panic.
 * effective: its function is deferred directly (`defer func() { recover() }()`, `defer handle()`);
 * ineffective: it can never stop a panic (see `reason`); unknown: its function is used as a value
 * or may be deferred where this package cannot see.
 */
export interface RecoverSite {
  call: ast.CallExpr;
  file: PassFile;
  /** The function that calls recover() directly (for `defer recover()`, the function holding the defer). */
  fn: FuncNode;
  status: 'effective' | 'ineffective' | 'unknown';
  /**
   * defer-recover: `defer recover()`; defer-arg: `defer f(recover())` in a function that is not deferred
   * itself; nested-literal: a literal called inside a deferred function; called-helper: a named
   * function only called, never deferred, from deferred functions; goroutine: the body of a go
   * statement; never-deferred: a function that nothing in the package defers.
   */
  reason?: 'defer-recover' | 'defer-arg' | 'nested-literal' | 'called-helper' | 'goroutine' | 'never-deferred' | 'deferred-arg-literal' | 'handler';
  /** For ineffective sites: how sure (medium for exported functions that other packages may defer). */
  confidence: 'high' | 'medium';
  /** Call sites that explain the verdict (the calls of a helper from deferred closures). */
  callers: { node: ast.Node; fn: FuncNode; file: PassFile }[];
  /** For a literal held by a local variable (`handle := func() {...}`): the variable's name. */
  heldBy?: string;
  /** For a literal passed to a deferred call: that call. */
  via?: ast.CallExpr;
}

const recoverCache = new WeakMap<readonly PassFile[], RecoverSite[]>();

/** How a function literal is used by the code around it, from syntax. */
/**
 * Functions that call their func argument in place, before they return, and not as a deferred
 * call: a literal handed to one runs as a plain call inside its owner (`once.Do(func() { ... })`).
 */
const CALLS_ARGUMENT_IN_PLACE: ReadonlySet<string> = new Set([
  '(*sync.Once).Do',
  '(*sync.Map).Range',
  'sort.Slice',
  'sort.SliceStable',
  'sort.Search',
  'path/filepath.Walk',
  'path/filepath.WalkDir',
  'io/fs.WalkDir',
]);

const inPlaceCalls = new WeakMap<GraphNode, Map<ast.FuncLit, ast.CallExpr>>();

/** The call of a function's own code that runs the literal in place (`once.Do(lit)`, see CALLS_ARGUMENT_IN_PLACE), if any. */
function inPlaceCallOf(pass: Pass, fn: GraphNode, lit: ast.FuncLit): ast.CallExpr | undefined {
  let m = inPlaceCalls.get(fn);
  if (!m) {
    const calls = new Map<ast.FuncLit, ast.CallExpr>();
    if (fn.body) {
      walkSameFunc(fn.body, (x) => {
        if (x.kind !== 'CallExpr' || !x.args?.some((a) => unparen(a).kind === 'FuncLit')) return true;
        if (!CALLS_ARGUMENT_IN_PLACE.has(pass.types.callee(x)?.name ?? '')) return true;
        for (const a of x.args) {
          const l = unparen(a);
          if (l.kind === 'FuncLit') calls.set(l, x);
        }
        return true;
      });
    }
    inPlaceCalls.set(fn, (m = calls));
  }
  return m.get(lit);
}

/** Whether a function declaration calls its parameter number idx in its own body, as a plain call (not deferred, not with go), and does nothing else with it. */
function callsParamInPlace(decl: ast.FuncDecl | undefined, idx: number): boolean {
  if (!decl?.body) return false;
  const names = (decl.type.params.list ?? []).flatMap((f) => (f.names?.length ? f.names.map((n) => n.name) : ['_']));
  const name = names[idx];
  if (!name || name === '_') return false;
  let called = false;
  let other = false;
  const calls = new Set<ast.Node>();
  walkSameFunc(decl.body, (x) => {
    if (other) return false;
    if (x.kind === 'DeferStmt' || x.kind === 'GoStmt') {
      const f = unparen(x.call.fun);
      if (f.kind === 'Ident' && f.name === name) other = true;
      return !other;
    }
    if (x.kind === 'CallExpr') {
      const f = unparen(x.fun);
      if (f.kind === 'Ident' && f.name === name) {
        called = true;
        calls.add(f);
      }
    } else if (x.kind === 'Ident' && x.name === name && !calls.has(x)) other = true;
    return !other;
  });
  return called && !other;
}

const factoriesCache = new WeakMap<readonly PassFile[], Set<ast.FuncDecl>>();

/** The functions of the package whose result some defer statement calls (`defer quietly()()`). */
function deferredFactories(pass: Pass): Set<ast.FuncDecl> {
  let set = factoriesCache.get(pass.files);
  if (set) return set;
  set = new Set();
  for (const file of pass.files) {
    file.inspector.preorder(['DeferStmt'], (d) => {
      const f = unparen(d.call.fun);
      const decl = f.kind === 'CallExpr' ? pass.types.callee(f)?.decl : undefined;
      if (decl) set!.add(decl);
    });
  }
  factoriesCache.set(pass.files, set);
  return set;
}

function litUse(stack: readonly ast.Node[], lit: ast.FuncLit, pass?: Pass): { kind: 'defer' | 'go' | 'call' | 'value' | 'deferred-arg'; owner: FuncNode | undefined; via?: ast.CallExpr } {
  const i = stack.lastIndexOf(lit);
  let owner: FuncNode | undefined;
  for (let j = i - 1; j >= 0; j--) {
    const n = stack[j]!;
    if (isFunc(n)) {
      owner = n;
      break;
    }
  }
  let j = i - 1;
  while (j >= 0 && stack[j]!.kind === 'ParenExpr') j--;
  const parent = stack[j];
  if (parent?.kind === 'CallExpr' && unparen(parent.fun) === lit) {
    const gp = stack[j - 1];
    if (gp?.kind === 'DeferStmt' && gp.call === parent) return { kind: 'defer', owner };
    if (gp?.kind === 'GoStmt' && gp.call === parent) return { kind: 'go', owner };
    return { kind: 'call', owner };
  }
  if (pass && parent?.kind === 'CallExpr' && (parent.args ?? []).some((a) => unparen(a) === lit) && CALLS_ARGUMENT_IN_PLACE.has(pass.types.callee(parent)?.name ?? '')) return { kind: 'call', owner };
  // A function of the package that calls that parameter itself, neither deferred nor started as
  // a goroutine (`func (g *Guard) locked(fn func()) { g.mu.Lock(); defer g.mu.Unlock(); fn() }`).
  if (pass && parent?.kind === 'CallExpr' && stack[j - 1]?.kind !== 'DeferStmt') {
    const idx = (parent.args ?? []).findIndex((a) => unparen(a) === lit);
    const c = pass.types.callee(parent);
    // Also a function of another package of the module, read from its source
    // (`s.state.With(func() {...})`, With promoted from an embedded `syncx.Guarded`).
    const decl = !c?.pkg || c.pkg === pass.pkg.importPath ? c?.decl : c.kind === 'func' || c.kind === 'method' ? pass.moduleFunc(c.pkg, c.short, c.recv?.name) : undefined;
    if (idx >= 0 && callsParamInPlace(decl, idx)) return { kind: 'call', owner };
  }
  // Returned by a function of the package that the package defers the result of (`func quietly()
  // func() { return func() { recover() } }` with `defer quietly()()`): the literal is the deferred
  // call.
  if (pass && parent?.kind === 'ReturnStmt' && owner?.kind === 'FuncDecl' && deferredFactories(pass).has(owner)) return { kind: 'defer', owner };
  // An argument of the deferred call itself (`defer invoke(func() { recover() })`): the deferred
  // function is the callee, and whatever runs the literal calls it from there, never directly as
  // the deferred call.
  if (parent?.kind === 'CallExpr' && (parent.args ?? []).some((a) => unparen(a) === lit) && stack[j - 1]?.kind === 'DeferStmt' && (stack[j - 1] as ast.DeferStmt).call === parent) {
    return { kind: 'deferred-arg', owner, via: parent };
  }
  return { kind: 'value', owner };
}

/**
 * Every recover() call of the package with its verdict (computed once per package). Literals are
 * judged from syntax; named functions from the package call graph, with a by-name safety net for
 * method values and defers whose callee the types cannot resolve.
 */
export function recoverSites(pass: Pass): RecoverSite[] {
  const cached = recoverCache.get(pass.files);
  if (cached) return cached;
  // A package whose text never says "recover", or that has no recover() call (the word is often
  // in comments only), has no site: skip the walk.
  let calls = false;
  for (const f of pass.files) {
    if (!sourceMentions(f, 'recover')) continue;
    f.inspector.preorder(['CallExpr'], (c) => {
      if (!calls && isRecoverCall(pass, c)) calls = true;
    });
    if (calls) break;
  }
  if (!calls) {
    recoverCache.set(pass.files, []);
    return [];
  }
  const graph = callGraphOf(pass);
  const fileOfFn = new Map<FuncNode, PassFile>();
  const litKind = new Map<ast.FuncLit, ReturnType<typeof litUse>>();
  // Names deferred through something the call graph does not resolve, and (found on first use)
  // names of functions or methods named without being called: they may be deferred through a
  // variable.
  const looseNames = new Set<string>();
  // Selector value uses (`defer g.report`-style method values) and bare identifier value uses,
  // kept apart: a bare identifier never names a method, and one the resolver binds to a variable
  // (`report := func() {...}`) is not the package's function of that name.
  let valueNames: { sels: Set<string>; idents: Set<string> } | undefined;
  const isLoose = (fn: ast.FuncDecl): boolean => {
    const name = fn.name.name;
    if (looseNames.has(name)) return true;
    if (!valueNames) {
      const sels = new Set<string>();
      const idents = new Set<string>();
      for (const file of pass.files) {
        // Parents come before children in pre-order: mark the names that are not value uses
        // (the called expression, a selector's name, a declaration's name) before reaching them.
        const notValue = new Set<ast.Node>();
        file.inspector.preorder(['CallExpr', 'SelectorExpr', 'Ident', 'FuncDecl'], (n) => {
          if (n.kind === 'CallExpr') notValue.add(n.fun);
          else if (n.kind === 'FuncDecl') notValue.add(n.name);
          else if (n.kind === 'SelectorExpr') {
            notValue.add(n.sel);
            if (!notValue.has(n)) sels.add(n.sel.name);
          } else if (!notValue.has(n)) {
            const k = pass.types.objectOf(n)?.kind;
            if (k === undefined || k === 'func') idents.add(n.name);
          }
        });
      }
      valueNames = { sels, idents };
    }
    return fn.recv ? valueNames.sels.has(name) : valueNames.idents.has(name) || valueNames.sels.has(name);
  };
  const found: { call: ast.CallExpr; file: PassFile; fn: FuncNode | undefined; deferRecover: boolean; deferArg: boolean }[] = [];
  for (const file of pass.files) {
    file.inspector.withStack(['FuncLit', 'FuncDecl', 'CallExpr', 'DeferStmt'], (n, stack) => {
      if (n.kind === 'FuncDecl') fileOfFn.set(n, file);
      else if (n.kind === 'FuncLit') {
        fileOfFn.set(n, file);
        litKind.set(n, litUse(stack, n, pass));
      } else if (n.kind === 'DeferStmt') {
        const f = unparen(n.call.fun);
        const name = f.kind === 'Ident' ? f.name : f.kind === 'SelectorExpr' ? f.sel.name : undefined;
        if (name && !graph.calleeOf(n.call)) looseNames.add(name);
      } else if (n.kind === 'CallExpr' && isRecoverCall(pass, n)) {
        const fn = enclosingFunc(stack);
        const parent = stack[stack.length - 2];
        const deferRecover = parent?.kind === 'DeferStmt' && parent.call === n;
        let deferArg = false;
        for (let k = stack.length - 2; k >= 0 && !deferRecover; k--) {
          const s = stack[k]!;
          if (isFunc(s)) break;
          if (s.kind === 'DeferStmt' || s.kind === 'GoStmt') {
            deferArg = true;
            break;
          }
        }
        found.push({ call: n, file, fn, deferRecover, deferArg });
      }
      return true;
    });
  }
  const exported = (fn: FuncNode) => fn.kind === 'FuncDecl' && /^[A-Z]/.test(fn.name.name);
  // A literal held by a local variable that is only ever called, deferred or started through it
  // (`handle := func() {...}; defer handle()`): the variable's name. Any other use of the variable
  // (passed on, stored, returned) lets the literal run where this package cannot see.
  const heldBy = new Map<ast.FuncLit, string | null>();
  const heldName = (lit: ast.FuncLit): string | null => {
    let r = heldBy.get(lit);
    if (r !== undefined) return r;
    r = null;
    const edges = (graph.nodeOf(lit)?.in ?? []).filter((e) => e.kind !== 'value');
    const first = edges[0]?.site;
    const owner = litKind.get(lit)?.owner;
    if (first?.kind === 'CallExpr' && owner?.body) {
      const fun = unparen(first.fun);
      const obj = fun.kind === 'Ident' ? pass.types.objectOf(fun) : undefined;
      if (fun.kind === 'Ident' && obj) {
        const callees = new Set<ast.Node>(edges.map((e) => unparen((e.site as ast.CallExpr).fun)));
        const defs = new Set<ast.Node>();
        walkNode(owner.body, (x) => {
          if (x.kind === 'AssignStmt') for (const l of x.lhs) defs.add(unparen(l));
          else if (x.kind === 'ValueSpec') for (const n of x.names) defs.add(n);
          return true;
        });
        let escapes = false;
        walkNode(owner.body, (x) => {
          if (escapes) return false;
          if (x.kind === 'Ident' && x.name === fun.name && !callees.has(x) && !defs.has(x) && pass.types.objectOf(x) === obj) escapes = true;
          return true;
        });
        if (!escapes) r = fun.name;
      }
    }
    heldBy.set(lit, r);
    return r;
  };
  // A literal that is a field's value in a struct literal assigned to a local, which the function
  // uses only to reach its fields (`g.onPanic()`, `g.onDone`): it does not leave the function.
  const heldByLocalStruct = (lit: ast.FuncLit): boolean => {
    const owner = litKind.get(lit)?.owner;
    if (!owner?.body) return false;
    let holder: ast.Ident | undefined;
    walkNode(owner.body, (x) => {
      if (holder || (x.kind !== 'AssignStmt' && x.kind !== 'ValueSpec')) return !holder;
      const lhs = x.kind === 'AssignStmt' ? x.lhs : x.names;
      const rhs = x.kind === 'AssignStmt' ? x.rhs : x.values ?? [];
      rhs.forEach((r, i) => {
        let cl = unparen(r);
        if (cl.kind === 'UnaryExpr' && cl.op === '&') cl = unparen(cl.x);
        const l = lhs[i] ? unparen(lhs[i]!) : undefined;
        if (cl.kind === 'CompositeLit' && l?.kind === 'Ident' && (cl.elts ?? []).some((e) => e.kind === 'KeyValueExpr' && unparen(e.value) === lit)) holder = l;
      });
      return !holder;
    });
    if (!holder) return false;
    const obj = pass.types.objectOf(holder);
    if (!obj) return false;
    let escapes = false;
    const bases = new Set<ast.Node>();
    walkNode(owner.body, (x) => {
      if (escapes) return false;
      if (x.kind === 'SelectorExpr' && unparen(x.x).kind === 'Ident') bases.add(unparen(x.x));
      if (x.kind === 'Ident' && x !== holder && !bases.has(x) && pass.types.objectOf(x) === obj) escapes = true;
      return !escapes;
    });
    return !escapes;
  };
  // Whether a function runs as a deferred function: 'yes', 'no', or 'unknown'.
  const deferred = (fn: FuncNode): 'yes' | 'no' | 'unknown' => {
    if (fn.kind === 'FuncLit') {
      const k = litKind.get(fn)?.kind;
      if (k === 'value') {
        if (!heldName(fn)) {
          // A literal in a field of a local struct (`g := guard{onPanic: func() {...}}`), called
          // through it (`defer g.onPanic()`, or `g.onPanic()` in a deferred literal).
          if (!heldByLocalStruct(fn)) return 'unknown';
          const edges = graph.nodeOf(fn)!.in.filter((e) => e.kind !== 'value');
          if (edges.some((e) => e.kind === 'defer')) return 'yes';
          return edges.length > 0 && edges.every((e) => e.kind === 'call') ? 'no' : 'unknown';
        }
        return graph.nodeOf(fn)!.in.some((e) => e.kind === 'defer') ? 'yes' : 'no';
      }
      return k === 'defer' ? 'yes' : 'no';
    }
    const node = graph.nodeOf(fn);
    const edges = node?.in ?? [];
    if (edges.some((e) => e.kind === 'defer')) return 'yes';
    if (edges.some((e) => e.kind === 'value') || isLoose(fn)) return 'unknown';
    return 'no';
  };
  const sites: RecoverSite[] = [];
  for (const f of found) {
    if (!f.fn) continue;
    const site: RecoverSite = { call: f.call, file: f.file, fn: f.fn, status: 'effective', confidence: 'high', callers: [] };
    sites.push(site);
    if (f.deferRecover) {
      site.status = 'ineffective';
      site.reason = 'defer-recover';
      continue;
    }
    const d = deferred(f.fn);
    if (d === 'yes') {
      if (f.fn.kind === 'FuncLit' && litKind.get(f.fn)?.kind === 'value') site.heldBy = heldName(f.fn) ?? undefined;
      continue;
    }
    // `defer report(recover())` in a literal handed on as a value (`http.HandlerFunc(func(w, r) {
    // ... })`): recover runs at the defer statement, in a function that nothing here defers.
    // Whoever runs the literal would have to defer it for recover to see a panic: medium.
    if (d === 'unknown' && f.deferArg && f.fn.kind === 'FuncLit' && !heldName(f.fn)) {
      site.status = 'ineffective';
      site.reason = 'defer-arg';
      site.confidence = 'medium';
      continue;
    }
    // A request handler handed on as a value (`return func(w http.ResponseWriter, r *http.Request)
    // { next(w, r); if p := recover(); p != nil { ... } }`): the framework calls it, nobody
    // defers it, so its own recover() never sees a panic.
    // Also `defer a.reportPanic(w, r, recover())` in a handler method registered as a value
    // (`mux.HandleFunc("/adjust", a.handleAdjust)`): recover runs at the defer statement.
    if (d === 'unknown' && requestHandler(pass, f.file, f.fn)) {
      site.status = 'ineffective';
      site.reason = f.deferArg ? 'defer-arg' : 'handler';
      continue;
    }
    if (d === 'unknown') {
      site.status = 'unknown';
      continue;
    }
    site.status = 'ineffective';
    const held = f.fn.kind === 'FuncLit' ? heldName(f.fn) : null;
    if (held) site.heldBy = held;
    if (f.fn.kind === 'FuncLit' && !held) {
      const use = litKind.get(f.fn)!;
      if (use.kind === 'go') site.reason = 'goroutine';
      else if (use.kind === 'deferred-arg' && use.via) {
        site.reason = 'deferred-arg-literal';
        site.via = use.via;
      } else if (use.owner && deferred(use.owner) === 'yes') {
        site.reason = 'nested-literal';
        site.callers.push({ node: f.fn, fn: use.owner, file: fileOfFn.get(use.owner) ?? f.file });
      } else if (heldByLocalStruct(f.fn) && (graph.nodeOf(f.fn)?.in ?? []).some((e) => e.kind === 'call' && deferred((e.caller.decl ?? e.caller.lit)!) === 'yes')) {
        // Called through the struct's field from a deferred function: nested, one call away.
        site.reason = 'nested-literal';
        for (const e of graph.nodeOf(f.fn)!.in) {
          const c = (e.caller.decl ?? e.caller.lit)!;
          if (e.kind === 'call' && deferred(c) === 'yes') site.callers.push({ node: e.site, fn: c, file: fileOfFn.get(c) ?? f.file });
        }
      } else site.reason = f.deferArg ? 'defer-arg' : 'never-deferred';
      continue;
    }
    const node = graph.nodeOf(f.fn);
    const callers = (node?.in ?? []).filter((e) => e.kind === 'call' || e.kind === 'go');
    const fromDeferred = callers.filter((e) => {
      const c = e.caller.decl ?? e.caller.lit;
      return c && deferred(c) === 'yes';
    });
    if (fromDeferred.length > 0) {
      site.reason = 'called-helper';
      for (const e of fromDeferred) {
        const c = (e.caller.decl ?? e.caller.lit)!;
        site.callers.push({ node: e.site, fn: c, file: fileOfFn.get(c) ?? f.file });
      }
    } else site.reason = f.deferArg ? 'defer-arg' : 'never-deferred';
    if (f.fn.kind === 'FuncDecl' && (exported(f.fn) || (f.fn.recv && /^[A-Z]/.test(f.fn.name.name)))) {
      // Another package of the module defers it (`defer pool.CapturePanic(&err)`): it works there.
      // Its doc comment tells callers to defer it (`// This is meant to be deferred: defer
      // savept.Release(&err)`): the API's users do. Either way it runs as a deferred function
      // (and what it does with the panic is recover-swallows-panic's question).
      if (site.reason === 'never-deferred' && (pass.deferredElsewhere(f.fn.name.name) || docSaysDeferred(f.fn))) {
        site.status = 'effective';
        delete site.reason;
        continue;
      }
      site.confidence = 'medium';
    }
  }
  if (!pass.typesKnown) for (const s of sites) if (s.status === 'ineffective' && s.reason !== 'defer-recover' && s.fn.kind === 'FuncDecl') s.confidence = 'medium';
  recoverCache.set(pass.files, sites);
  return sites;
}

/**
 * Whether a declaration's doc comment tells callers to defer it: "meant to be deferred", "should
 * be deferred", "use it with defer", or an example `defer sp.Release(&err)` of its own name.
 */
function docSaysDeferred(d: ast.FuncDecl): boolean {
  const name = d.name.name;
  return (d.doc?.list ?? []).some((c) =>
    /\b(meant|intended|designed|supposed)\s+to\s+be\s+deferred\b|\b(should|must|can|may)\s+be\s+deferred\b|\b(use|call)\s+(it\s+)?(with|in|via|using)\s+(a\s+)?defer\b|\b(called|used|run|invoked)\s+(as|in|from|with|via|using)\s+(a\s+)?defer(red)?\b/i.test(c.text) ||
    new RegExp(`\\bdefer\\s+([A-Za-z_][\\w]*\\.)*${name}\\(`).test(c.text));
}

/** A call as a message shows it: its text when short and on one line, else `f(...)`, `func() {...}()` for a literal. */
export function callText(file: PassFile, call: ast.CallExpr): string {
  const fun = unparen(call.fun);
  if (fun.kind === 'FuncLit') return 'func() {...}()';
  const t = textOf(file, call);
  if (!t.includes('\n') && t.length <= 80) return t;
  const f = textOf(file, call.fun);
  return !f.includes('\n') && f.length <= 60 ? `${f}(...)` : 'the call';
}

// ---- calls that end the process ----

/** Extra exit functions from the options: `rules["exit-skips-defer"].exitCalls` (qualified names). */
export function configuredExits(pass: Pass): ReadonlySet<string> {
  const v = pass.options.rules['exit-skips-defer']?.exitCalls;
  return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
}

/**
 * The qualified name of a call that ends the process without running deferred calls (os.Exit,
 * log.Fatal, the Fatal families of logrus, zap, klog, glog; a zerolog Fatal event being sent), and
 * whether the name comes from types. From syntax (an import of the file) when types are unknown.
 */
export function processExit(pass: Pass, file: PassFile, call: ast.CallExpr): { name: string; typed: boolean } | undefined {
  // A local variable holding an exit as a value (`fatal := logger.Fatalf`, then `fatal(...)`).
  const fun = unparen(call.fun);
  // A field holding one (`&app{exit: os.Exit}`, then `a.exit(1)`).
  if (fun.kind === 'SelectorExpr') {
    const alias = exitFieldAliases(pass).get(fun.sel.name);
    if (alias) {
      const c = pass.types.callee(call);
      if (!c || c.kind === 'funcvalue') return alias;
    }
  }
  if (fun.kind === 'Ident' && exitAliases(pass).has(fun.name)) {
    const v = definingValue(pass, fun);
    if (v) {
      const alias = exitValue(pass, file, v);
      if (alias) return alias;
    }
  }
  const c0 = callName(pass, file, call);
  if (!c0) return undefined;
  const c = c0.typed ? c0 : { ...c0, name: declaredMethodName(pass, file, call) ?? c0.name };
  const extra = configuredExits(pass);
  if (EXIT_FUNCTIONS.has(c.name) || extra.has(c.name)) return { name: c.name, typed: c.typed };
  if (EVENT_SENDERS.has(c.name) || (!c.typed && ['Msg', 'Msgf', 'MsgFunc', 'Send'].includes(c.short))) {
    // Down the receiver chain: log.Fatal().Str("k", v).Msg("x").
    let x: ast.Expr | undefined = c.recv ?? (unparen(call.fun).kind === 'SelectorExpr' ? (unparen(call.fun) as ast.SelectorExpr).x : undefined);
    for (let depth = 0; x && depth < 20; depth++) {
      x = unparen(x);
      if (x.kind !== 'CallExpr') return undefined;
      const inner0 = callName(pass, file, x);
      const inner = inner0 && !inner0.typed ? { ...inner0, name: declaredMethodName(pass, file, x) ?? inner0.name } : inner0;
      if (inner && FATAL_EVENT_SOURCES.has(inner.name)) return { name: `${inner.name}().${c.short}`, typed: c.typed && inner.typed };
      const f = unparen(x.fun);
      x = f.kind === 'SelectorExpr' ? f.x : undefined;
    }
  }
  return undefined;
}

/** The exit a function value names (`logger.Fatalf`, `log.Fatal`, `os.Exit` used as values), if any. */
function exitValue(pass: Pass, file: PassFile, v: ast.Expr): { name: string; typed: boolean } | undefined {
  const x = unparen(v);
  if (x.kind !== 'SelectorExpr' && x.kind !== 'Ident') return undefined;
  // The same lookup as for a call of it.
  const probe: ast.CallExpr = { kind: 'CallExpr', fun: x, lparen: nodeEnd(x), args: null, ellipsis: -1, rparen: nodeEnd(x) };
  const c = callName(pass, file, probe);
  if (!c) return undefined;
  const name = c.typed ? c.name : declaredMethodName(pass, file, probe) ?? c.name;
  return EXIT_FUNCTIONS.has(name) || configuredExits(pass).has(name) ? { name, typed: c.typed } : undefined;
}

const exitAliasCache = new WeakMap<readonly PassFile[], Set<string>>();

/**
 * Names of local variables the package assigns an exit function value (`fatal := logger.Fatalf`,
 * `die := os.Exit`): calls through them end the process too.
 */
export function exitAliases(pass: Pass): ReadonlySet<string> {
  let set = exitAliasCache.get(pass.files);
  if (set) return set;
  set = new Set();
  // Package variables replaced by something else in the non-test code (`exit = func(int) {}`):
  // not always an exit. Tests swapping one out (`var exit = os.Exit`, replaced in a test) do not count.
  const replaced = new Set<string>();
  for (const f of pass.files) {
    f.inspector.preorder(['AssignStmt', 'ValueSpec'], (a) => {
      if (a.kind === 'ValueSpec') {
        // `var exit = os.Exit` at package level, or in a function.
        a.names.forEach((id, i) => {
          const r = a.values?.[i] ? unparen(a.values[i]!) : undefined;
          if (r && (r.kind === 'SelectorExpr' || r.kind === 'Ident') && exitValue(pass, f, r)) set!.add(id.name);
        });
        return;
      }
      if (a.lhs.length !== a.rhs.length) return;
      a.lhs.forEach((l, i) => {
        const id = unparen(l);
        const r = unparen(a.rhs[i]!);
        if (id.kind !== 'Ident') return;
        if ((r.kind === 'SelectorExpr' || r.kind === 'Ident') && exitValue(pass, f, r)) set!.add(id.name);
        else if (a.tok === '=' && !f.test && pass.types.objectOf(id)?.varKind === 'package') replaced.add(id.name);
      });
    });
  }
  for (const n of replaced) set.delete(n);
  exitAliasCache.set(pass.files, set);
  return set;
}

const exitFieldCache = new WeakMap<readonly PassFile[], Map<string, { name: string; typed: boolean }>>();

/**
 * Fields the package sets to an exit function value (`&app{exit: os.Exit}`, `a.exit = os.Exit`)
 * and to nothing else outside its tests: calls through them end the process.
 */
export function exitFieldAliases(pass: Pass): ReadonlyMap<string, { name: string; typed: boolean }> {
  let m = exitFieldCache.get(pass.files);
  if (m) return m;
  m = new Map();
  const other = new Set<string>();
  const note = (f: PassFile, field: string, v: ast.Expr) => {
    const r = unparen(v);
    const e = r.kind === 'SelectorExpr' || r.kind === 'Ident' ? exitValue(pass, f, r) : undefined;
    if (e) m!.set(field, e);
    else if (!f.test) other.add(field);
  };
  for (const f of pass.files) {
    if (!bytesContain(f.source.bytes, 'Exit') && !bytesContain(f.source.bytes, 'Fatal')) continue;
    f.inspector.preorder(['KeyValueExpr', 'AssignStmt'], (x) => {
      if (x.kind === 'KeyValueExpr') {
        if (unparen(x.key).kind === 'Ident') note(f, (unparen(x.key) as ast.Ident).name, x.value);
        return;
      }
      if (x.lhs.length !== x.rhs.length) return;
      x.lhs.forEach((l, i) => {
        const t = unparen(l);
        if (t.kind === 'SelectorExpr') note(f, t.sel.name, x.rhs[i]!);
      });
    });
  }
  // Set to an exit only: a field also given other values may not end the process.
  for (const k of other) m.delete(k);
  exitFieldCache.set(pass.files, m);
  return m;
}

/**
 * For a method call `v.M()` whose callee the types cannot name/**
 * For a method call `v.M()` whose callee the types cannot name (a type from a package that is not
 * loaded), the qualified name from v's declared type in the source: a parameter, result, receiver or
 * `var v T` written as `*pkg.T` or `pkg.T` gives `(*path.T).M` or `(path.T).M`.
 */
export function declaredMethodName(pass: Pass, file: PassFile, call: ast.CallExpr): string | undefined {
  const fun = unparen(call.fun);
  if (fun.kind !== 'SelectorExpr') return undefined;
  const v = unparen(fun.x);
  if (v.kind !== 'Ident') return undefined;
  const decl = pass.types.objectOf(v)?.decl;
  if (!decl) return undefined;
  const declFile = pass.fileOf(decl) ?? file;
  let texpr: ast.Expr | null = null;
  declFile.inspector.preorder(['Field', 'ValueSpec'], (n) => {
    if (texpr) return;
    if (n.kind === 'Field' && n.names?.includes(decl)) texpr = n.type;
    else if (n.kind === 'ValueSpec' && n.names.includes(decl)) texpr = n.type;
  });
  if (!texpr) return undefined;
  let t: ast.Expr = unparen(texpr);
  let star = '';
  if (t.kind === 'StarExpr') {
    star = '*';
    t = unparen(t.x);
  }
  if (t.kind !== 'SelectorExpr' || t.x.kind !== 'Ident') return undefined;
  const path = importedAs(declFile, t.x.name);
  return path ? `(${star}${path}.${t.sel.name}).${fun.sel.name}` : undefined;
}

/**
 * Whether a function body (not nested literals) assigns the variable declared by `decl`
 * (`c = parent`, `c, ok = ...`, `c++`), or with `addressTaken`, takes its address (`&c`: anything
 * may assign it then).
 */
export function assignsVar(pass: Pass, body: ast.Node, decl: ast.Ident, opts: { addressTaken?: boolean } = {}): boolean {
  const isVar = (e: ast.Expr): boolean => {
    const id = unparen(e);
    if (id.kind !== 'Ident' || id.name !== decl.name) return false;
    const o = pass.types.objectOf(id);
    return !o || o.decl === decl;
  };
  let found = false;
  walkNode(body, (x) => {
    if (found || (x.kind === 'FuncLit' && x !== body)) return false;
    if (x.kind === 'AssignStmt' && x.tok !== ':=') found = x.lhs.some(isVar);
    else if (x.kind === 'IncDecStmt') found = isVar(x.x);
    else if (opts.addressTaken && x.kind === 'UnaryExpr' && x.op === '&') found = isVar(x.x);
    return !found;
  });
  return found;
}

/**
 * Whether a defer statement runs at most once per call of its function although it may sit in a
 * loop: no path of the control-flow graph leads from it back to it (what follows it returns,
 * panics or leaves the loops).
 */
export function runsOncePerCall(pass: Pass, fn: FuncNode, d: ast.DeferStmt | ast.GoStmt): boolean {
  const g = cfgOf(pass, fn);
  return !!g && !!g.locate(d) && !g.canReach(d, d);
}

type GuardClose = 'non-nil' | 'true' | 'false';

/**
 * The guards a condition opens when it holds: `v == nil`, `nil == v`, `!v`, `v == false`, `v`,
 * and each conjunct of `a && b`. Each guard is the guarded expression and the value that closes it.
 */
/** A variable or field path (`done`, `s.conn`): what a guard can test. */
function isName(e: ast.Expr): boolean {
  const x = unparen(e);
  return x.kind === 'Ident' || x.kind === 'SelectorExpr';
}

function isIdent(e: ast.Expr, name: string): boolean {
  const x = unparen(e);
  return x.kind === 'Ident' && x.name === name;
}

function guardsOf(cond: ast.Expr): { v: ast.Expr; closedBy: GuardClose }[] {
  const c = unparen(cond);
  if (c.kind === 'BinaryExpr' && c.op === '&&') return [...guardsOf(c.x), ...guardsOf(c.y)];
  if (c.kind === 'BinaryExpr' && c.op === '==') {
    for (const [v, k] of [[c.x, c.y], [c.y, c.x]] as const) {
      if (!isName(v)) continue;
      if (isIdent(k, 'nil')) return [{ v, closedBy: 'non-nil' }];
      if (isIdent(k, 'false')) return [{ v, closedBy: 'true' }];
      if (isIdent(k, 'true')) return [{ v, closedBy: 'false' }];
    }
    return [];
  }
  if (c.kind === 'UnaryExpr' && c.op === '!' && isName(c.x)) return [{ v: unparen(c.x), closedBy: 'true' }];
  if (isName(c) && !isIdent(c, 'true') && !isIdent(c, 'false')) return [{ v: c, closedBy: 'false' }];
  return [];
}

/**
 * The guards an early exit opens for what follows it: after `if C { ...; continue }` the rest of
 * the block runs only when C is false, so each disjunct of C names a value that closes a guard
 * (`if handled || conn != nil { continue }`: conn == nil is open, a non-nil conn closes it).
 */
function exitGuardsOf(cond: ast.Expr): { v: ast.Expr; closedBy: GuardClose }[] {
  const c = unparen(cond);
  if (c.kind === 'BinaryExpr' && c.op === '||') return [...exitGuardsOf(c.x), ...exitGuardsOf(c.y)];
  if (c.kind === 'BinaryExpr' && c.op === '!=') {
    for (const [v, k] of [[c.x, c.y], [c.y, c.x]] as const) {
      if (isName(v) && isIdent(k, 'nil')) return [{ v, closedBy: 'non-nil' }];
    }
    return [];
  }
  if (c.kind === 'UnaryExpr' && c.op === '!' && isName(c.x)) return [{ v: unparen(c.x), closedBy: 'false' }];
  if (isName(c) && !isIdent(c, 'true') && !isIdent(c, 'false')) return [{ v: c, closedBy: 'true' }];
  return [];
}

/** Whether `e` is certainly the value that closes a guard (any value but nil for 'non-nil'). */
function closesGuard(e: ast.Expr, closedBy: GuardClose): boolean {
  const x = unparen(e);
  const name = x.kind === 'Ident' ? x.name : undefined;
  if (closedBy === 'non-nil') return name !== 'nil';
  return name === closedBy;
}

/** The values a `=` statement gives the reference `key` (undefined where a multi-value call gives it). */
function valuesFor(pass: Pass, st: ast.AssignStmt, key: string): (ast.Expr | undefined)[] {
  if (st.tok !== '=') return [];
  const out: (ast.Expr | undefined)[] = [];
  st.lhs.forEach((l, i) => {
    if (sameRefKey(refKey(pass, l), key)) out.push(st.rhs.length === st.lhs.length ? st.rhs[i] : undefined);
  });
  return out;
}

/** Whether a statement always leaves the rest of its block: return, continue, break, panic. */
function leavesBlock(st: ast.Stmt | undefined): boolean {
  if (!st) return false;
  if (st.kind === 'ReturnStmt') return true;
  if (st.kind === 'BranchStmt') return st.tok === 'continue' || st.tok === 'break';
  if (st.kind === 'ExprStmt') {
    const x = unparen(st.x);
    return x.kind === 'CallExpr' && unparen(x.fun).kind === 'Ident' && (unparen(x.fun) as ast.Ident).name === 'panic';
  }
  return false;
}

/**
 * Whether a defer (or go) statement in a loop runs at most once per call of the function:
 * - no path leads from it back to it (every path after it returns, panics or leaves the loops:
 *   `defer f.Close(); return f.Read(...)`, `...; break`);
 * - or it sits behind a guard that closes itself: inside `if conn == nil { conn = dial(); defer
 *   conn.Close() }` or `if !held { mu.Lock(); defer mu.Unlock(); held = true }`, or after an early
 *   exit `if sess.pty != nil { continue }` in its block, followed by `sess.pty = &req`. The
 *   guard's variable lives outside the loops, every path from the defer back to it sets the
 *   variable to a closing value, and nothing in the loops sets it back (or takes its address).
 */
export function runsAtMostOnce(pass: Pass, fn: FuncNode, d: ast.DeferStmt | ast.GoStmt, outer: LoopNode, stack: readonly ast.Node[]): boolean {
  if (runsOncePerCall(pass, fn, d)) return true;
  const g = cfgOf(pass, fn);
  if (!g || !g.locate(d)) return false;
  const li = stack.indexOf(outer);
  const guards: { v: ast.Expr; closedBy: GuardClose; at: number }[] = [];
  for (let i = stack.length - 2; i > li; i--) {
    const n = stack[i]!;
    const child = stack[i + 1];
    if (n.kind === 'IfStmt' && child === n.body) guards.push(...guardsOf(n.cond).map((g) => ({ ...g, at: nodePos(n) })));
    // Early exits before the statement that holds the defer, in the same block (or case clause).
    const list = n.kind === 'BlockStmt' ? n.list : n.kind === 'CaseClause' || n.kind === 'CommClause' ? n.body : undefined;
    if (!list) continue;
    for (const st of list) {
      if (st === child) break;
      if (st.kind === 'IfStmt' && !st.init && !st.else && leavesBlock((st.body.list ?? []).at(-1))) guards.push(...exitGuardsOf(st.cond).map((g) => ({ ...g, at: nodePos(st) })));
    }
  }
  for (const guard of guards) {
    const root = rootIdent(guard.v);
    const obj = root ? pass.types.objectOf(root) : undefined;
    if (!obj?.decl || nodePos(obj.decl) >= nodePos(outer)) continue;
    const key = refKey(pass, guard.v);
    if (key === undefined) continue;
    const closing = new Set<ast.Node>();
    let reopened = false;
    walkSameFunc(outer.body, (x) => {
      if (reopened) return false;
      if (x.kind === 'AssignStmt') {
        const values = valuesFor(pass, x, key);
        if (values.length === 0) return true;
        // Assigned again ahead of the test in the iteration (`tx, err = db.BeginTx(...); if err !=
        // nil { return err }`): the test sees each iteration's own value, it guards nothing across them.
        if (nodePos(x) < guard.at) {
          reopened = true;
          return false;
        }
        // `conn, err = dial()` closes a nil guard too (the error is checked or the guard is moot).
        if (values.every((v) => (v === undefined ? guard.closedBy === 'non-nil' : closesGuard(v, guard.closedBy)))) closing.add(x);
        else reopened = true;
      } else if (x.kind === 'UnaryExpr' && x.op === '&' && sameRefKey(refKey(pass, x.x), key)) {
        reopened = true;
      }
      return !reopened;
    });
    if (!reopened && closing.size > 0 && !g.pathExists(d, d, (n) => closing.has(n))) return true;
  }
  return false;
}

// ---- struct fields across a package ----

/** The named struct type declaring field `f` of type t (through pointers and embedding), as `pkg.Type`. */
export function declaringStructType(t: Type | undefined, f: string, depth = 0): string | undefined {
  if (!t || depth > 4) return undefined;
  if (t.kind === 'pointer') t = t.elem;
  if (t.kind !== 'named') return undefined;
  const u = t.underlying();
  if (u?.kind !== 'struct') return undefined;
  if (u.fields.some((fld) => fld.name === f && !fld.embedded)) return `${t.pkg}.${t.name}`;
  for (const fld of u.fields) {
    if (!fld.embedded) continue;
    const o = declaringStructType(fld.type, f, depth + 1);
    if (o) return o;
  }
  return undefined;
}

/** The struct field a selector names, as `pkg.Type.field` of the type that declares it. */
export function selectorFieldKey(pass: Pass, sel: ast.SelectorExpr): string | undefined {
  const o = declaringStructType(pass.types.typeOf(sel.x), sel.sel.name);
  return o ? `${o}.${sel.sel.name}` : undefined;
}

/** The field a keyed composite literal element sets (`T{f: v}`, `&T{f: v}`), as selectorFieldKey says it. */
export function literalFieldKey(pass: Pass, lit: ast.CompositeLit, key: ast.Ident): string | undefined {
  let t = pass.types.typeOf(lit);
  if (t?.kind === 'pointer') t = t.elem;
  if (t?.kind !== 'named') return undefined;
  const u = t.underlying();
  if (u?.kind !== 'struct' || !u.fields.some((f) => f.name === key.name && !f.embedded)) return undefined;
  return `${t.pkg}.${t.name}.${key.name}`;
}

/** A value a package stores into a struct field; null when it cannot be told (`a.f, err = g()` beyond the first). */
export interface FieldStore { file: PassFile; value: ast.Expr | null; /** An element of a keyed composite literal, not an assignment. */ literal?: boolean }

export interface FieldStores {
  /** Per field key: every assignment and keyed literal element that gives it a value. */
  stores: Map<string, FieldStore[]>;
  /** Fields whose address is taken (anything may be stored through it). */
  addressed: Set<string>;
}

const fieldStoresCache = new WeakMap<readonly PassFile[], FieldStores>();

/** Every store into a struct field of the package, by field key: one walk per package. */
export function fieldStores(pass: Pass): FieldStores {
  let fs = fieldStoresCache.get(pass.files);
  if (fs) return fs;
  const stores = new Map<string, FieldStore[]>();
  const addressed = new Set<string>();
  const add = (key: string | undefined, file: PassFile, value: ast.Expr | null, literal = false): void => {
    if (!key) return;
    const st: FieldStore = literal ? { file, value, literal } : { file, value };
    const list = stores.get(key);
    if (list) list.push(st);
    else stores.set(key, [st]);
  };
  for (const file of pass.files) {
    file.inspector.preorder(['AssignStmt', 'CompositeLit', 'UnaryExpr'], (x) => {
      if (x.kind === 'AssignStmt') {
        x.lhs.forEach((l, i) => {
          const sel = unparen(l);
          if (sel.kind !== 'SelectorExpr') return;
          const v = x.rhs.length === x.lhs.length ? x.rhs[i] : i === 0 ? x.rhs[0] : undefined;
          add(selectorFieldKey(pass, sel), file, v ?? null);
        });
      } else if (x.kind === 'CompositeLit') {
        for (const e of x.elts ?? []) {
          if (e.kind === 'KeyValueExpr' && unparen(e.key).kind === 'Ident') add(literalFieldKey(pass, x, unparen(e.key) as ast.Ident), file, e.value, true);
        }
      } else if (x.op === '&' && unparen(x.x).kind === 'SelectorExpr') {
        const k = selectorFieldKey(pass, unparen(x.x) as ast.SelectorExpr);
        if (k) addressed.add(k);
      }
    });
  }
  fieldStoresCache.set(pass.files, (fs = { stores, addressed }));
  return fs;
}

// ---- what the rules need of function bodies (see analysis/prune.ts) ----

/** The bare name a qualified callee name is called by: `Lock` for `(*sync.Mutex).Lock`, `close` for `builtin close`. */
export function bareName(qualified: string): string {
  return qualified.slice(Math.max(qualified.lastIndexOf('.'), qualified.lastIndexOf(' ')) + 1);
}

/**
 * What in a callee's body matters to the functions that call it, for every rule: process exits
 * and no-return calls, blocking and waiting calls, locks, serving and signal calls, recover, and
 * channel operations, goroutines and defers. By bare name, configured names included.
 */
export function calleeSources(o: RuleOptions): BodyMatch {
  const names = new Set<string>(['recover', 'panic', 'close', 'Msg', 'Msgf', 'MsgFunc', 'Send', 'Go', 'Wait', 'Done', 'Add']);
  const qualified = [
    ...EXIT_FUNCTIONS, ...EVENT_SENDERS, ...FATAL_EVENT_SOURCES, ...DEFAULT_NO_RETURN, ...WAIT_CALLS, ...Object.keys(BLOCKING_CALLS),
    ...Object.keys(MUTEX_METHODS), ...SERVE_CALLS, ...SERVE_METHODS, ...SIGNAL_HANDLERS, ...TIMEOUT_CHANNELS, ...HTTP_REQUEST_CALLS,
    ...PLUMBING_CALLS, ...Object.keys(ACQUIRING_CALLS), ...o.blockingCalls, ...o.banned.map((b) => b.name),
  ];
  const exits = o.rules['exit-skips-defer']?.exitCalls;
  if (Array.isArray(exits)) for (const x of exits) if (typeof x === 'string') qualified.push(x);
  for (const q of qualified) names.add(bareName(q));
  return { kinds: ['DeferStmt', 'GoStmt', 'SendStmt', 'SelectStmt', 'RangeStmt'], names: [...names], receive: true };
}

/** Needs of a rule that reports in bodies matching `subjects` (callee sources as for every rule). */
export function bodyNeeds(o: RuleOptions, subjects: BodyMatch, watch?: BodyNeeds['watch']): BodyNeeds {
  return { subjects, sources: calleeSources(o), ...(watch ? { watch } : {}) };
}

/** Needs of a rule about defer statements. */
export const deferNeeds = (o: RuleOptions): BodyNeeds => bodyNeeds(o, { kinds: ['DeferStmt'] });

/** The bare names of the mutex methods (Lock, RLock, Unlock, ...). */
export const LOCK_NAMES: readonly string[] = [...new Set(Object.values(MUTEX_METHODS))];

/** Variables assigned from a receive of the channel in a loop body (`err := <-errc`, `r, ok := <-ch`). */
export function receivedVars(pass: Pass, body: ast.BlockStmt, key: string): ast.Ident[] {
  const out: ast.Ident[] = [];
  walkSameFunc(body, (x) => {
    if (x.kind === 'AssignStmt' && x.rhs.some((r) => sameRefKey(receivedChan(pass, unparen(r)), key))) {
      for (const l of x.lhs) if (l.kind === 'Ident' && l.name !== '_') out.push(l);
    }
    return true;
  });
  return out;
}

/**
 * A producer's terminal event: its body's last statement sends a composite literal that sets a
 * field (`events <- progress{done: true}`), and the exit sits under an `if` testing that field of
 * a received value (`if ev.done { return }`).
 */
export function finalEventTested(pass: Pass, body: ast.BlockStmt, exit: ast.Node, vars: readonly ast.Ident[], producer: ast.BlockStmt): boolean {
  const list = producer.list ?? [];
  const last = list[list.length - 1];
  if (last?.kind !== 'SendStmt') return false;
  let v = unparen(last.value);
  if (v.kind === 'UnaryExpr' && v.op === '&') v = unparen(v.x);
  if (v.kind !== 'CompositeLit') return false;
  const fields = new Set((v.elts ?? []).flatMap((e) => (e.kind === 'KeyValueExpr' && e.key.kind === 'Ident' ? [e.key.name] : [])));
  if (fields.size === 0) return false;
  return underIf(body, exit, (cond) => nodeContains(cond, (y) => y.kind === 'SelectorExpr' && fields.has(y.sel.name) && unparen(y.x).kind === 'Ident' && vars.some((w) => sameVar(pass, w, unparen(y.x) as ast.Ident))));
}

/** Whether an exit (a return, a branch) sits in the body of an `if` inside `body` whose condition passes `test`. */
export function underIf(body: ast.BlockStmt, exit: ast.Node, test: (cond: ast.Expr) => boolean): boolean {
  const at = nodePos(exit);
  let ok = false;
  walkSameFunc(body, (x) => {
    if (ok) return false;
    if (nodePos(x) > at || nodeEnd(x) <= at) return false;
    if (x.kind === 'IfStmt' && nodePos(x.body) <= at && test(x.cond)) ok = true;
    return true;
  });
  return ok;
}

const enumConstsCache = new WeakMap<readonly PassFile[], Map<string, Set<unknown>>>();

/**
 * The constants the package declares of a named type (`const ( Open State = iota; HalfOpen;
 * Closed )`), by the type's package and name; empty for a type of another package.
 */
function enumConstants(pass: Pass, t: { pkg: string; name: string }): Set<unknown> {
  let byType = enumConstsCache.get(pass.files);
  if (!byType) {
    byType = new Map();
    for (const f of pass.files) {
      for (const d of f.file.decls ?? []) {
        if (d.kind !== 'GenDecl' || d.tok !== 'const') continue;
        for (const sp of d.specs ?? []) {
          if (sp.kind !== 'ValueSpec') continue;
          for (const id of sp.names) {
            const ct = pass.types.typeOf(id);
            const o = pass.types.objectOf(id);
            if (!o || ct?.kind !== 'named' || id.name === '_') continue;
            const k = `${ct.pkg}\0${ct.name}`;
            let set = byType.get(k);
            if (!set) byType.set(k, (set = new Set()));
            set.add(o);
          }
        }
      }
    }
    enumConstsCache.set(pass.files, byType);
  }
  return byType.get(`${t.pkg}\0${t.name}`) ?? new Set();
}

const exhaustiveCache = new WeakMap<CFG, Set<Block>>();

/**
 * The blocks of a CFG where a switch with no default (or an empty one) has matched none of its cases, for switches
 * whose cases name every constant the package declares of the tag's named type (`switch
 * b.State() { case Open: ...; case HalfOpen: ...; case Closed: ... }`): as the `exhaustive`
 * linter assumes, no other value comes, so a path through such a block is not taken.
 */
export function exhaustiveSwitchMisses(pass: Pass, cfg: CFG): ReadonlySet<Block> {
  let out = exhaustiveCache.get(cfg);
  if (out) return out;
  out = new Set();
  const lastClauses = new Set<ast.CaseClause>();
  walkSameFunc(cfg.body, (x) => {
    if (x.kind !== 'SwitchStmt' || !x.tag) return true;
    const all = (x.body.list ?? []).filter((c): c is ast.CaseClause => c.kind === 'CaseClause');
    // An empty `default:` is the same as none (rocketmq's offset store); one with code handles
    // values outside the constants, and its path stays.
    if (all.some((c) => c.list === null && (c.body?.length ?? 0) > 0)) return true;
    const clauses = all.filter((c) => c.list !== null);
    if (clauses.length === 0) return true;
    const t = pass.types.typeOf(x.tag);
    if (t?.kind !== 'named') return true;
    const consts = enumConstants(pass, t);
    if (consts.size < 2) return true;
    const covered = new Set<unknown>();
    for (const c of clauses) {
      for (const e of c.list ?? []) {
        const u = unparen(e);
        const id = u.kind === 'Ident' ? u : u.kind === 'SelectorExpr' ? u.sel : undefined;
        const o = id ? pass.types.objectOf(id) : undefined;
        if (o && consts.has(o)) covered.add(o);
      }
    }
    if (covered.size === consts.size) lastClauses.add(clauses[clauses.length - 1]!);
    return true;
  });
  if (lastClauses.size > 0) for (const b of cfg.blocks) if (b.kind === 'switch.next' && lastClauses.has(b.stmt as ast.CaseClause)) out.add(b);
  exhaustiveCache.set(cfg, out);
  return out;
}

/** The package call graph with process exits (and helpers that always reach one) as no-return calls. */
const exitGraphs = new WeakMap<readonly PassFile[], CallGraph>();

/** Calls named otherwise cannot end the process: they are not resolved at all. */
export function exitNames(pass: Pass): Set<string> {
  // Also local variables holding an exit (`fatal := logger.Fatalf`).
  return new Set([...[...EXIT_FUNCTIONS, ...EVENT_SENDERS, ...configuredExits(pass)].map(shortNameOf), ...exitAliases(pass), ...exitFieldAliases(pass).keys()]);
}

const exitFiles = new WeakMap<readonly PassFile[], Map<ast.CallExpr, PassFile>>();

/** The file of a call named like an exit, from one pass over the package's calls (Pass.fileOf for others). */
export function fileOfExitCall(pass: Pass, call: ast.CallExpr): PassFile | undefined {
  let m = exitFiles.get(pass.files);
  if (!m) {
    const names = exitNames(pass);
    const found = new Map<ast.CallExpr, PassFile>();
    for (const f of pass.files) {
      f.inspector.preorder(['CallExpr'], (c) => {
        const n = calledName(c);
        if (n !== undefined && names.has(n)) found.set(c, f);
      });
    }
    exitFiles.set(pass.files, (m = found));
  }
  return m.get(call) ?? pass.fileOf(call);
}

/** Shared by the rules that ask whether a path ends the process (exit-skips-defer, defer-before-error-check). */
export function exitGraph(pass: Pass): CallGraph {
  let g = exitGraphs.get(pass.files);
  if (!g) {
    g = callGraphOf(pass).withNoReturn({
      noReturnNames: exitNames(pass),
      noReturn: (call) => {
        const file = fileOfExitCall(pass, call);
        return !!file && !!processExit(pass, file, call);
      },
    });
    exitGraphs.set(pass.files, g);
  }
  return g;
}

