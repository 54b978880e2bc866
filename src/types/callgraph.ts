// The same-package call graph: one node per function declaration and function literal, edges for
// static calls to functions and methods declared in the package (resolved through TypeInfo), for
// references to them as values, and from each function to the literals it contains, labelled with
// how the literal is used. On top of it: callers/callees, a bounded search for a call path (for
// messages such as "a → b → c") and the "always exits" fixed point (a helper that always ends in
// os.Exit, log.Fatal... or in another such helper).
import type * as ast from '../syntax/ast.js';
import { end as nodeEnd, forEachChild, pos as nodePos, unparen } from '../syntax/nodes.js';
import type { Callee, InterfaceType, TypeInfo } from './api.js';
import { buildCFG, exprStmtCall, isPanicCall, type CFG } from './cfg.js';

/**
 * call: a call in the caller's own flow (including `func(){...}()`); defer: the call of a defer
 * statement; go: the call of a go statement; value: the function or literal is used as a value
 * (passed, stored, returned), so it may run anywhere, later, or never.
 */
export type EdgeKind = 'call' | 'defer' | 'go' | 'value';

export interface FuncNode {
  /** Index in CallGraph.nodes (source order: files as given, declarations in order, literals in pre-order). */
  id: number;
  /** `f`, `(T).m`, `(*T).m`; literals `f$1`, `f$1$2` (numbered per enclosing function); literals in package-level initializers `init$1`. */
  name: string;
  decl: ast.FuncDecl | null;
  lit: ast.FuncLit | null;
  /** Null for a declaration without a body (assembly or linkname). */
  body: ast.BlockStmt | null;
  /** The function that contains a literal; null for declarations and for literals in package-level initializers. */
  parent: FuncNode | null;
  file: ast.File;
  out: CallEdge[];
  in: CallEdge[];
}

export interface CallEdge {
  caller: FuncNode;
  callee: FuncNode;
  kind: EdgeKind;
  /** The CallExpr for call/defer/go; for value uses, the FuncLit or the identifier/selector that refers to the function. */
  site: ast.Node;
}

export interface CallPath {
  /** From the start function to the one found, both included. */
  nodes: FuncNode[];
  /** The edges followed, nodes.length - 1 of them. */
  edges: CallEdge[];
}

/** Why a function always exits: the no-return call it ends in, and, when that call is a same-package helper, the helper. */
export interface ExitWitness {
  call: ast.CallExpr;
  helper: FuncNode | null;
}

export interface CallGraphOptions {
  /**
   * Calls that never return, besides same-package helpers that always exit. Default: the callee's
   * qualified name is in DEFAULT_NO_RETURN. `panic` is not an exit (deferred calls still run); the
   * CFG treats it as a separate kind of no-return.
   */
  noReturn?: (call: ast.CallExpr, callee: Callee | undefined) => boolean;
  /**
   * The names (function or method name alone: `Exit`, `Fatalf`) that a no-return call can have.
   * Calls with other names are taken to return without resolving them, and only functions that
   * contain such a call (or call a helper that always exits) get their exits analysed. Default:
   * the names of DEFAULT_NO_RETURN when `noReturn` is not given; all names when it is.
   */
  noReturnNames?: ReadonlySet<string>;
}

/** `Exit` for `os.Exit`, `Fatalf` for `(*log.Logger).Fatalf`. */
export function shortNameOf(qualified: string): string {
  return qualified.slice(qualified.lastIndexOf('.') + 1);
}

/** The called name of a call expression (`f`, `x.M`, `pkg.F[T]`), or undefined for other shapes. */
export function calledName(call: ast.CallExpr): string | undefined {
  let f = unparen(call.fun);
  if (f.kind === 'IndexExpr' || f.kind === 'IndexListExpr') f = unparen(f.x);
  if (f.kind === 'Ident') return f.name;
  if (f.kind === 'SelectorExpr') return f.sel.name;
  return undefined;
}

/** Standard-library functions that end the process or the goroutine without returning. */
export const DEFAULT_NO_RETURN: ReadonlySet<string> = new Set([
  'os.Exit',
  'syscall.Exit',
  'runtime.Goexit',
  'log.Fatal',
  'log.Fatalf',
  'log.Fatalln',
  '(*log.Logger).Fatal',
  '(*log.Logger).Fatalf',
  '(*log.Logger).Fatalln',
  ...['common', 'T', 'B', 'F'].flatMap((t) =>
    ['FailNow', 'Fatal', 'Fatalf', 'SkipNow', 'Skip', 'Skipf'].map((m) => `(*testing.${t}).${m}`),
  ),
  ...['FailNow', 'Fatal', 'Fatalf', 'SkipNow', 'Skip', 'Skipf'].map((m) => `(testing.TB).${m}`),
]);

const DEFAULT_NO_RETURN_NAMES: ReadonlySet<string> = new Set([...DEFAULT_NO_RETURN].map(shortNameOf));

export class CallGraph {
  readonly nodes: FuncNode[];
  private readonly byFunc: Map<ast.FuncDecl | ast.FuncLit, FuncNode>;
  private readonly callTarget: Map<ast.CallExpr, FuncNode>;
  private readonly info: TypeInfo;
  private readonly baseNoReturn: (call: ast.CallExpr) => boolean;
  private exits: Map<FuncNode, ExitWitness> | null = null;
  private readonly cfgs = new Map<FuncNode, CFG>();
  /** CFGs built for the exit analysis (only the base no-return calls end blocks). */
  private readonly baseCfgs = new Map<FuncNode, CFG>();

  constructor(
    nodes: FuncNode[],
    byFunc: Map<ast.FuncDecl | ast.FuncLit, FuncNode>,
    callTarget: Map<ast.CallExpr, FuncNode>,
    info: TypeInfo,
    opts: CallGraphOptions,
    /** The functions whose own body calls each name ('' for calls without a plain name: `f()()`, `m[k]()`), from the build's walk. */
    private readonly callersByName?: ReadonlyMap<string, readonly FuncNode[]>,
    /** For a call ranged over (`range m.All()`), the function literals it returns, which the range runs. */
    private readonly rangeTargets: ReadonlyMap<ast.CallExpr, readonly FuncNode[]> = new Map(),
  ) {
    this.nodes = nodes;
    this.byFunc = byFunc;
    this.callTarget = callTarget;
    this.info = info;
    const noReturn = opts.noReturn ?? ((_call: ast.CallExpr, c: Callee | undefined) => !!c && DEFAULT_NO_RETURN.has(c.name));
    const names = opts.noReturnNames ?? (opts.noReturn ? undefined : DEFAULT_NO_RETURN_NAMES);
    this.candidateNames = names;
    this.baseNoReturn = (call) => {
      if (isPanicCall(call)) return false;
      if (names) {
        const n = calledName(call);
        if (n !== undefined && !names.has(n)) return false;
      }
      return noReturn(call, this.info.callee(call));
    };
  }

  private readonly candidateNames: ReadonlySet<string> | undefined;

  /** The functions whose own body (not their literals) has a call that may not return by name, in node order. */
  private candidates(): FuncNode[] {
    const names = this.candidateNames;
    const byName = this.callersByName;
    if (!names || !byName) return this.nodes.filter((n) => this.hasCandidateCall(n));
    const found = new Set<FuncNode>(byName.get('') ?? []);
    for (const name of names) for (const n of byName.get(name) ?? []) found.add(n);
    return [...found].filter((n) => !!n.body).sort((a, b) => a.id - b.id);
  }

  /** Whether a function's own body (not its literals) has a call that may not return by name. */
  private hasCandidateCall(fn: FuncNode): boolean {
    const names = this.candidateNames;
    if (!names || !fn.body) return !!fn.body;
    let found = false;
    const stack: ast.Node[] = [fn.body];
    while (stack.length > 0 && !found) {
      const n = stack.pop()!;
      if (n.kind === 'FuncLit') continue;
      if (n.kind === 'CallExpr') {
        const name = calledName(n);
        if (name === undefined || names.has(name)) found = true;
      }
      forEachChild(n, (c) => void stack.push(c));
    }
    return found;
  }

  /**
   * The same graph (nodes and edges are shared, nothing is walked again) with other no-return
   * calls: its exit analysis and CFGs are its own.
   */
  withNoReturn(opts: CallGraphOptions): CallGraph {
    return new CallGraph(this.nodes, this.byFunc, this.callTarget, this.info, opts, this.callersByName, this.rangeTargets);
  }

  /** For a call a range statement ranges over (`for k, v := range m.All()`), the function literals it returns: what the range runs. */
  rangeTargetsOf(call: ast.CallExpr): readonly FuncNode[] {
    return this.rangeTargets.get(call) ?? [];
  }

  /** The node of a function declaration or literal of the package. */
  nodeOf(f: ast.FuncDecl | ast.FuncLit): FuncNode | undefined {
    return this.byFunc.get(f);
  }

  /**
   * The same-package function a call statically calls: a declared function or method, a literal
   * called in place, or the literal a local variable always holds (`cleanup := func() {...}; cleanup()`).
   */
  calleeOf(call: ast.CallExpr): FuncNode | undefined {
    return this.callTarget.get(call);
  }

  /** Distinct callees in first-edge order, following edges of the given kinds (default: all). */
  callees(fn: FuncNode, kinds?: readonly EdgeKind[]): FuncNode[] {
    return distinct(fn.out.filter((e) => !kinds || kinds.includes(e.kind)).map((e) => e.callee));
  }

  /** Distinct callers in first-edge order, following edges of the given kinds (default: all). */
  callers(fn: FuncNode, kinds?: readonly EdgeKind[]): FuncNode[] {
    return distinct(fn.in.filter((e) => !kinds || kinds.includes(e.kind)).map((e) => e.caller));
  }

  /**
   * A shortest call path from `from` to a function (other than the start, unless reached again)
   * satisfying pred, following edges of the kinds in `follow` (default: only 'call') at most
   * `maxDepth` edges deep (default 5). Ties go to the earlier edge in source order.
   */
  findPath(
    from: FuncNode,
    pred: (fn: FuncNode) => boolean,
    opts: { maxDepth?: number; follow?: readonly EdgeKind[] } = {},
  ): CallPath | null {
    const maxDepth = opts.maxDepth ?? 5;
    const follow = opts.follow ?? ['call'];
    const via = new Map<FuncNode, CallEdge | null>([[from, null]]);
    let frontier: FuncNode[] = [from];
    for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
      const next: FuncNode[] = [];
      for (const fn of frontier) {
        for (const e of fn.out) {
          if (!follow.includes(e.kind)) continue;
          if (pred(e.callee)) {
            const edges: CallEdge[] = [e];
            for (let x = via.get(fn); x; x = via.get(x.caller)) edges.push(x);
            edges.reverse();
            return { nodes: [from, ...edges.map((x) => x.callee)], edges };
          }
          if (!via.has(e.callee)) {
            via.set(e.callee, e);
            next.push(e.callee);
          }
        }
      }
      frontier = next;
    }
    return null;
  }

  /** "a → b → c" for a path. */
  formatPath(path: CallPath | FuncNode[]): string {
    const nodes = Array.isArray(path) ? path : path.nodes;
    return nodes.map((n) => n.name).join(' → ');
  }

  /**
   * Whether every path through the function ends in a call that does not return (os.Exit,
   * log.Fatal, ... or a same-package helper that always exits): it never returns normally, never
   * panics, never blocks in `select {}`, and reaches at least one such call.
   */
  alwaysExits(fn: FuncNode): boolean {
    return this.exitWitnesses().has(fn);
  }

  /** For a function that always exits: the call its first exiting path ends in. */
  exitWitness(fn: FuncNode): ExitWitness | undefined {
    return this.exitWitnesses().get(fn);
  }

  /** For a function that always exits, the chain of helpers down to the terminating call: [fn, helper, ...] and that call. */
  exitChain(fn: FuncNode): { nodes: FuncNode[]; call: ast.CallExpr } | undefined {
    const nodes: FuncNode[] = [];
    let w = this.exitWitness(fn);
    if (!w) return undefined;
    nodes.push(fn);
    while (w.helper) {
      nodes.push(w.helper);
      const next = this.exitWitness(w.helper);
      if (!next) break; // cannot happen: a witness helper always exits
      w = next;
    }
    return { nodes, call: w.call };
  }

  /** Whether a call may return: false for panic, the base no-return calls, and calls of same-package helpers that always exit. */
  mayReturn(call: ast.CallExpr): boolean {
    if (isPanicCall(call) || this.baseNoReturn(call)) return false;
    const target = this.callTarget.get(call);
    return !(target && this.exitWitnesses().has(target));
  }

  /** The CFG of a function's body built with mayReturn (cached). Undefined for declarations without a body. */
  cfg(fn: FuncNode): CFG | undefined {
    if (!fn.body) return undefined;
    let g = this.cfgs.get(fn);
    if (!g) {
      const exits = this.exitWitnesses();
      // The exit analysis' CFG is the same graph when the function calls no helper that always
      // exits (panic and the base no-return calls end blocks in both).
      const base = this.baseCfgs.get(fn);
      g = base && !fn.out.some((e) => exits.has(e.callee)) ? base : buildCFG(fn.body, { mayReturn: (call) => this.mayReturn(call) });
      this.cfgs.set(fn, g);
    }
    return g;
  }

  private exitWitnesses(): Map<FuncNode, ExitWitness> {
    if (this.exits) return this.exits;
    const exits = new Map<FuncNode, ExitWitness>();
    const base = this.baseCfgs;
    // Only a function with a call that may not return can always exit; its callers follow.
    const start = this.candidates();
    const queued = new Set<FuncNode>(start);
    const work = [...start];
    // Once a function always exits, its callers may too.
    const requeueCallers = (fn: FuncNode): void => {
      for (const e of fn.in) {
        if (e.kind === 'call' && !exits.has(e.caller) && !queued.has(e.caller)) {
          queued.add(e.caller);
          work.push(e.caller);
        }
      }
    };
    while (work.length > 0) {
      const fn = work.shift()!;
      queued.delete(fn);
      if (exits.has(fn) || !fn.body) continue;
      let g = base.get(fn);
      if (!g) {
        g = buildCFG(fn.body, { mayReturn: (call) => !this.baseNoReturn(call) });
        base.set(fn, g);
      }
      const w = this.exitingWitness(g, exits);
      if (!w) continue;
      exits.set(fn, w);
      requeueCallers(fn);
      // A literal that always exits, deferred by a statement of its function's own top level
      // (`func exitf(code int, ...) { defer func() { ...; os.Exit(code) }(); ... }`): every way
      // out of that function, a return or a panic, runs it, so the function always exits too.
      const parent = fn.lit ? fn.parent : null;
      if (parent?.body && !exits.has(parent) && (parent.body.list ?? []).some((st) => st.kind === 'DeferStmt' && unparen(st.call.fun) === fn.lit)) {
        exits.set(parent, w);
        requeueCallers(parent);
      }
    }
    this.exits = exits;
    return exits;
  }

  /** Scans the CFG from the entry, ending paths at no-return calls and at calls of helpers already known to exit. */
  private exitingWitness(g: CFG, exits: Map<FuncNode, ExitWitness>): ExitWitness | null {
    let witness: ExitWitness | null = null;
    const seen = new Set([g.entry]);
    const queue = [g.entry];
    for (let qi = 0; qi < queue.length; qi++) {
      const b = queue[qi]!;
      let ended = false;
      for (const n of b.nodes) {
        const call = exprStmtCall(n);
        const target = call ? this.callTarget.get(call) : undefined;
        if (call && target && exits.has(target)) {
          witness ??= { call, helper: target };
          ended = true;
          break;
        }
      }
      if (ended) continue;
      if (b === g.exit || b.term === 'panic' || b.term === 'forever') return null;
      if (b.term === 'noreturn') {
        witness ??= { call: b.noReturnCall!, helper: null };
        continue;
      }
      for (const s of b.succs) {
        if (!seen.has(s)) {
          seen.add(s);
          queue.push(s);
        }
      }
    }
    return witness;
  }
}

function distinct<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function recvName(d: ast.FuncDecl): string | null {
  const f = d.recv?.list?.[0];
  if (!f || !f.type) return null;
  let t = unparen(f.type);
  let star = '';
  if (t.kind === 'StarExpr') {
    star = '*';
    t = unparen(t.x);
  }
  if (t.kind === 'IndexExpr' || t.kind === 'IndexListExpr') t = unparen(t.x);
  return `(${star}${t.kind === 'Ident' ? t.name : '?'})`;
}

/** The function literals a body returns directly (`return func(yield func(K) bool) {...}`), outside nested literals. */
export function returnedLits(body: ast.BlockStmt): ast.FuncLit[] {
  const out: ast.FuncLit[] = [];
  const stack: ast.Node[] = [body];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === 'FuncLit') continue;
    if (x.kind === 'ReturnStmt') {
      for (const r of x.results ?? []) {
        const u = unparen(r);
        if (u.kind === 'FuncLit') out.push(u);
      }
      continue;
    }
    forEachChild(x, (c) => void stack.push(c));
  }
  return out;
}

/** Builds the call graph of one package's files. Calls that TypeInfo cannot resolve make no edge. */
export function buildCallGraph(files: ast.File[], info: TypeInfo, opts: CallGraphOptions = {}): CallGraph {
  const nodes: FuncNode[] = [];
  const byFunc = new Map<ast.FuncDecl | ast.FuncLit, FuncNode>();
  const callTarget = new Map<ast.CallExpr, FuncNode>();
  const litCount = new Map<FuncNode | null, number>();
  const declNames = new Map<string, number>();
  // Edges are added after every declaration has a node (calls may go forward).
  const pending: { caller: FuncNode | null; decl: ast.FuncDecl; kind: EdgeKind; site: ast.Node; call: ast.CallExpr | null }[] = [];
  const edges: CallEdge[] = [];
  // Local variables holding a function literal (`cleanup := func() {...}`, `var walk func(n *Node);
  // walk = func(n *Node) {...}`): names ever assigned a literal, and the calls through such names
  // (resolved after the walk; the rest of the walk pays nothing for them).
  const litNames = new Set<string>();
  // For each called name, the functions whose own body calls it (see CallGraph.candidates).
  const callersByName = new Map<string, FuncNode[]>();
  const viaVar: { caller: FuncNode | null; id: ast.Ident; kind: EdgeKind; call: ast.CallExpr }[] = [];
  const rangeCalls: { caller: FuncNode; call: ast.CallExpr }[] = [];
  // Func fields that only ever hold a method value of the struct holding them (`e.resolve =
  // e.get` in a constructor): calls through the field (`e.resolve(id)`) call the method. By field
  // name: null once the name is given anything else (another method, a literal, a keyed value).
  const fieldMethods = new Map<string, ast.FuncDecl | null>();
  const viaField: { caller: FuncNode | null; call: ast.CallExpr; kind: EdgeKind }[] = [];
  const rootName = (e: ast.Expr): string | undefined => {
    const x = unparen(e);
    return x.kind === 'Ident' ? x.name : x.kind === 'SelectorExpr' ? rootName(x.x) && `${rootName(x.x)}.${x.sel.name}` : undefined;
  };
  const noteFields = (lhs: readonly ast.Expr[], rhs: readonly ast.Expr[]): void => {
    for (let i = 0; i < lhs.length; i++) {
      const l = unparen(lhs[i]!);
      if (l.kind !== 'SelectorExpr') continue;
      const name = l.sel.name;
      assignedFields.add(name);
      if (fieldMethods.get(name) === null) continue;
      const r = lhs.length === rhs.length ? unparen(rhs[i]!) : undefined;
      let decl: ast.FuncDecl | undefined;
      if (r?.kind === 'SelectorExpr' && localNames.has(r.sel.name) && rootName(r.x) !== undefined && rootName(r.x) === rootName(l.x)) {
        const c = info.callee({ kind: 'CallExpr', fun: r, args: [], ellipsis: -1 } as unknown as ast.CallExpr);
        if (c?.kind === 'method' && c.decl) decl = c.decl;
      }
      const known = fieldMethods.get(name);
      fieldMethods.set(name, decl && (known === undefined || known === decl) ? decl : null);
    }
  };
  // Locals built from a struct literal with a function literal in a field (`g := guard{onPanic:
  // func() {...}}`): a call through that field (`defer g.onPanic()`) calls the literal, unless
  // some statement assigns a field of that name.
  const litStructs = new Map<ast.Node, ast.CompositeLit>();
  const assignedFields = new Set<string>();
  const noteLits = (lhs: readonly ast.Expr[], rhs: readonly ast.Expr[] | null): void => {
    if (!rhs || rhs.length !== lhs.length) return;
    for (let i = 0; i < rhs.length; i++) {
      const l = lhs[i]!;
      if (l.kind !== 'Ident') continue;
      let cl = unparen(rhs[i]!);
      if (cl.kind === 'UnaryExpr' && cl.op === '&') cl = unparen(cl.x);
      if (cl.kind === 'CompositeLit' && (cl.elts ?? []).some((e) => e.kind === 'KeyValueExpr' && unparen(e.value).kind === 'FuncLit')) litStructs.set(l, cl);
      const r = unparen(rhs[i]!);
      // A literal, or a function or method of the package taken as a value (`current := m.State`).
      if (r.kind === 'FuncLit' || (r.kind === 'SelectorExpr' && localNames.has(r.sel.name)) || (r.kind === 'Ident' && localNames.has(r.name))) litNames.add(l.name);
    }
  };

  const addNode = (n: Omit<FuncNode, 'id' | 'out' | 'in'>): FuncNode => {
    const node: FuncNode = { ...n, id: nodes.length, out: [], in: [] };
    nodes.push(node);
    byFunc.set((n.decl ?? n.lit)!, node);
    return node;
  };

  // Only calls whose name is declared by a function or method of this package can reach a
  // same-package declaration: resolving the others (most calls) would be wasted type work.
  const localNames = new Set<string>();
  for (const f of files) for (const d of f.decls ?? []) if (d.kind === 'FuncDecl') localNames.add(d.name.name);
  const mayBeLocal = (fun: ast.Expr): boolean => {
    let x = fun;
    if (x.kind === 'IndexExpr' || x.kind === 'IndexListExpr') x = unparen(x.x);
    if (x.kind === 'Ident') return localNames.has(x.name);
    if (x.kind === 'SelectorExpr') return localNames.has(x.sel.name);
    return true;
  };

  const funcDeclOf = (e: ast.Expr): ast.FuncDecl | undefined => {
    const x = unparen(e);
    const id = x.kind === 'Ident' ? x : x.kind === 'SelectorExpr' ? x.sel : null;
    // Only a name some declaration of the package has can denote one of its functions.
    return id && localNames.has(id.name) ? info.objectOf(id)?.funcDecl : undefined;
  };

  // Walks the syntax under root, owned by `owner`, creating literal nodes on the way (pre-order, so
  // literals are numbered in source order). Iterative: expression chains can be thousands deep.
  const walk = (root: ast.Node, rootOwner: FuncNode | null, file: ast.File): void => {
    // Parallel stacks (node, use, owner): no allocation per visited node. A node's children are
    // pushed in source order, then their segment of the stacks is reversed.
    const sN: ast.Node[] = [root];
    const sU: (EdgeKind | null)[] = [null];
    const sO: (FuncNode | null)[] = [rootOwner];
    let owner: FuncNode | null = null;
    const push = (c: ast.Node, u: EdgeKind | null = null, o: FuncNode | null = owner): void => {
      sN.push(c);
      sU.push(u);
      sO.push(o);
    };
    const pushChild = (c: ast.Node): void => push(c);
    let skip: ast.Node | null = null;
    const pushExceptSkip = (c: ast.Node): void => {
      if (c !== skip) push(c);
    };
    const litNode = (lit: ast.FuncLit, o: FuncNode | null): FuncNode => {
      const k = (litCount.get(o) ?? 0) + 1;
      litCount.set(o, k);
      return addNode({ name: `${o ? o.name : 'init'}$${k}`, decl: null, lit, body: lit.body, parent: o, file });
    };
    while (sN.length > 0) {
      const n = sN.pop()!;
      const use = sU.pop()!;
      owner = sO.pop()!;
      const base = sN.length;
      switch (n.kind) {
        case 'FuncLit': {
          const node = litNode(n, owner);
          if (owner) edges.push({ caller: owner, callee: node, kind: use ?? 'value', site: n });
          push(n.body, null, node);
          break;
        }
        case 'DeferStmt':
        case 'GoStmt':
          push(n.call, n.kind === 'DeferStmt' ? 'defer' : 'go');
          break;
        case 'CallExpr': {
          const kind = use ?? 'call';
          if (owner) {
            const name = calledName(n) ?? '';
            let list = callersByName.get(name);
            if (!list) callersByName.set(name, (list = []));
            if (list[list.length - 1] !== owner) list.push(owner);
          }
          const fun = unparen(n.fun);
          if (fun.kind === 'FuncLit') {
            const node = litNode(fun, owner);
            callTarget.set(n, node);
            if (owner) edges.push({ caller: owner, callee: node, kind, site: n });
            push(fun.body, null, node);
          } else {
            const decl = mayBeLocal(fun) ? info.callee(n)?.decl : undefined;
            if (decl) pending.push({ caller: owner, decl, kind, site: n, call: n });
            // The function expression: its operands are walked, the callee name is not a value use.
            if (fun.kind === 'SelectorExpr') push(fun.x);
            else if (fun.kind === 'IndexExpr' || fun.kind === 'IndexListExpr') {
              skip = fun.x;
              forEachChild(fun, pushExceptSkip);
              skip = null;
            } else if (fun.kind !== 'Ident') push(fun);
            else if (!decl && litNames.has(fun.name)) viaVar.push({ caller: owner, id: fun, kind, call: n });
            if (!decl && fun.kind === 'SelectorExpr') viaField.push({ caller: owner, call: n, kind });
          }
          if (n.args) for (const a of n.args) push(a);
          break;
        }
        case 'Ident':
        case 'SelectorExpr': {
          const decl = funcDeclOf(n);
          if (decl && owner) pending.push({ caller: owner, decl, kind: 'value', site: n, call: null });
          if (n.kind === 'SelectorExpr') push(n.x);
          break;
        }
        case 'AssignStmt':
          if (n.tok === '=' || n.tok === ':=') noteLits(n.lhs, n.rhs);
          if (n.tok === '=') noteFields(n.lhs, n.rhs);
          forEachChild(n, pushChild);
          break;
        case 'RangeStmt': {
          // Range over a function: `for k, v := range m.All()` calls the iterator All returns.
          const x = unparen(n.x);
          if (owner && x.kind === 'CallExpr' && mayBeLocal(unparen(x.fun))) rangeCalls.push({ caller: owner, call: x });
          forEachChild(n, pushChild);
          break;
        }
        case 'ValueSpec':
          noteLits(n.names, n.values);
          forEachChild(n, pushChild);
          break;
        case 'KeyValueExpr':
          // A struct literal key names a field; a map or slice key is a value.
          if (n.key.kind !== 'Ident') push(n.key);
          else fieldMethods.set(n.key.name, null);
          push(n.value);
          break;
        case 'BasicLit':
        case 'Comment':
        case 'CommentGroup':
          break;
        default:
          forEachChild(n, pushChild);
      }
      for (let i = base, j = sN.length - 1; i < j; i++, j--) {
        const n1 = sN[i]!;
        sN[i] = sN[j]!;
        sN[j] = n1;
        const u1 = sU[i]!;
        sU[i] = sU[j]!;
        sU[j] = u1;
        const o1 = sO[i]!;
        sO[i] = sO[j]!;
        sO[j] = o1;
      }
    }
  };

  for (const file of files) {
    for (const d of file.decls ?? []) {
      if (d.kind !== 'FuncDecl') continue;
      const recv = recvName(d);
      let name = recv ? `${recv}.${d.name.name}` : d.name.name;
      const seen = (declNames.get(name) ?? 0) + 1;
      declNames.set(name, seen);
      if (seen > 1) name = `${name}#${seen}`;
      addNode({ name, decl: d, lit: null, body: d.body, parent: null, file });
    }
  }
  for (const file of files) {
    for (const d of file.decls ?? []) {
      if (d.kind === 'FuncDecl') {
        if (d.body) walk(d.body, byFunc.get(d)!, file);
      } else if (d.kind === 'GenDecl') walk(d, null, file);
    }
  }
  for (const p of pending) {
    const callee = byFunc.get(p.decl);
    if (!callee) continue; // declared in a file that was not given
    if (p.call) callTarget.set(p.call, callee);
    if (p.caller) edges.push({ caller: p.caller, callee, kind: p.kind, site: p.site });
  }
  // A range over what a package function returns runs the function literals it returns (an
  // iterator factory: `func (m *Map) All() iter.Seq2[K, V] { return func(yield ...) {...} }`).
  const rangeTargets = new Map<ast.CallExpr, FuncNode[]>();
  for (const r of rangeCalls) {
    const factory = callTarget.get(r.call);
    if (!factory?.decl?.body) continue;
    for (const lit of returnedLits(factory.decl.body)) {
      const node = byFunc.get(lit);
      if (!node) continue;
      edges.push({ caller: r.caller, callee: node, kind: 'call', site: r.call });
      let list = rangeTargets.get(r.call);
      if (!list) rangeTargets.set(r.call, (list = []));
      list.push(node);
    }
  }
  // Calls through a local variable that only ever holds one function literal: every assignment to
  // the variable in the function declaring it gives that literal (or is a declaration without a
  // value), and its address is never taken.
  // Also one function or method of the package taken as a value (`current := m.State`, `f :=
  // helper`): calls through the variable call it.
  const litOf = new Map<ast.Ident, ast.FuncLit | ast.FuncDecl | null>();
  const funcValue = (v: ast.Expr): ast.FuncDecl | undefined => {
    if (v.kind !== 'Ident' && v.kind !== 'SelectorExpr') return undefined;
    // What a call of the value would call: the function or method it names.
    const c = info.callee({ kind: 'CallExpr', fun: v, args: [], ellipsis: -1 } as unknown as ast.CallExpr);
    const d = c && (c.kind === 'func' || c.kind === 'method') ? c.decl : undefined;
    return d && byFunc.has(d) ? d : undefined;
  };
  const literalOfVar = (decl: ast.Ident, scope: ast.BlockStmt): ast.FuncLit | ast.FuncDecl | null => {
    let r = litOf.get(decl);
    if (r !== undefined) return r;
    let lit: ast.FuncLit | ast.FuncDecl | null = null;
    let other = false;
    const isVar = (e: ast.Expr): boolean => e.kind === 'Ident' && e.name === decl.name && (e === decl || info.objectOf(e)?.decl === decl);
    const seen = (value: ast.Expr | null): void => {
      const v = value ? unparen(value) : null;
      const target = v?.kind === 'FuncLit' ? v : v ? funcValue(v) : undefined;
      if (target && !lit) lit = target;
      else other = true;
    };
    const stack: ast.Node[] = [scope];
    while (stack.length > 0 && !other) {
      const x = stack.pop()!;
      if (x.kind === 'AssignStmt') {
        x.lhs.forEach((l, i) => {
          if (isVar(unparen(l))) seen((x.tok === '=' || x.tok === ':=') && x.lhs.length === x.rhs.length ? x.rhs[i]! : null);
        });
      } else if (x.kind === 'ValueSpec') {
        x.names.forEach((nm, i) => {
          if (isVar(nm) && x.values) seen(x.values.length === x.names.length ? x.values[i]! : null);
        });
      } else if (x.kind === 'RangeStmt') {
        if ((x.key && isVar(unparen(x.key))) || (x.value && isVar(unparen(x.value)))) other = true;
      } else if (x.kind === 'UnaryExpr' && x.op === '&' && isVar(unparen(x.x))) other = true;
      forEachChild(x, (c) => void stack.push(c));
    }
    r = other ? null : lit;
    litOf.set(decl, r);
    return r;
  };
  for (const v of viaVar) {
    const o = info.objectOf(v.id);
    if (!o || o.kind !== 'var' || o.varKind !== 'local' || !o.decl) continue;
    // The variable's scope lies in the innermost function (of the caller's chain) around its declaration.
    const at = nodePos(o.decl);
    let scope: FuncNode | null = v.caller;
    while (scope && !(scope.body && nodePos(scope.body) <= at && at < nodeEnd(scope.body))) scope = scope.parent;
    if (!scope?.body) continue;
    const lit = literalOfVar(o.decl, scope.body);
    const callee = lit ? byFunc.get(lit) : undefined;
    if (!callee) continue;
    callTarget.set(v.call, callee);
    if (v.caller) edges.push({ caller: v.caller, callee, kind: v.kind, site: v.call });
  }
  // Calls of an interface method that exactly one type of the package implements (`l.policy.Allow(l,
  // acct, n)` with `OverdraftPolicy` the package's only Policy): the call most likely lands there.
  // Implementations outside the package are not seen; with two or more inside, no edge is drawn.
  let methodsByType: Map<string, Map<string, ast.FuncDecl>> | undefined;
  const implementers = (iface: InterfaceType, method: string): ast.FuncDecl[] => {
    if (!methodsByType) {
      methodsByType = new Map();
      for (const file of files) {
        for (const d of file.decls ?? []) {
          if (d.kind !== 'FuncDecl' || !d.recv || !d.body) continue;
          const r = recvName(d);
          if (!r) continue;
          const t = r.replace(/^\(\*?|\)$/g, '');
          let m = methodsByType.get(t);
          if (!m) methodsByType.set(t, (m = new Map()));
          m.set(d.name.name, d);
        }
      }
    }
    const names = iface.methods.map((x) => x.name);
    if (!names.includes(method) || iface.embeds.length > 0) return [];
    const out: ast.FuncDecl[] = [];
    for (const m of methodsByType.values()) {
      const d = m.get(method);
      if (d && names.every((nm) => m.has(nm))) out.push(d);
    }
    return out;
  };
  // Only interfaces the package declares itself: an io.Writer or an error in the package's hands
  // usually comes from elsewhere, whatever the package implements.
  const localIfaces = new Set<string>();
  const ifaceMethods = new Set<string>();
  for (const file of files) {
    for (const d of file.decls ?? []) {
      if (d.kind !== 'GenDecl' || d.tok !== 'type') continue;
      for (const spec of d.specs ?? []) {
        if (spec.kind !== 'TypeSpec' || spec.type.kind !== 'InterfaceType') continue;
        localIfaces.add(spec.name.name);
        for (const m of spec.type.methods?.list ?? []) for (const n of m.names ?? []) ifaceMethods.add(n.name);
      }
    }
  }
  for (const v of localIfaces.size > 0 ? viaField : []) {
    const f = unparen(v.call.fun) as ast.SelectorExpr;
    // Only a method of one of the package's interfaces that some type of the package also has.
    if (!ifaceMethods.has(f.sel.name) || !localNames.has(f.sel.name)) continue;
    const named = info.typeOf(f.x);
    if (named?.kind !== 'named' || !localIfaces.has(named.name)) continue;
    const t = named.underlying();
    if (t?.kind !== 'interface') continue;
    const impl = implementers(t, f.sel.name);
    if (impl.length !== 1) continue;
    // The interface and its implementation are of the same package.
    let rt = impl[0]!.recv?.list?.[0]?.type ? info.typeOf(impl[0]!.recv!.list![0]!.type!) : undefined;
    if (rt?.kind === 'pointer') rt = rt.elem;
    if (rt?.kind !== 'named' || rt.pkg !== named.pkg) continue;
    const callee = byFunc.get(impl[0]!);
    if (!callee) continue;
    callTarget.set(v.call, callee);
    if (v.caller) edges.push({ caller: v.caller, callee, kind: v.kind, site: v.call });
  }
  for (const v of viaField) {
    const f = unparen(v.call.fun) as ast.SelectorExpr;
    const decl = fieldMethods.get(f.sel.name);
    if (!decl) {
      // Through a field of a local built from a struct literal that gives it a function literal.
      const root = unparen(f.x);
      const cl = root.kind === 'Ident' && litStructs.size > 0 && !assignedFields.has(f.sel.name) ? litStructs.get(info.objectOf(root)?.decl as ast.Node) : undefined;
      const kv = cl?.elts?.find((e): e is ast.KeyValueExpr => e.kind === 'KeyValueExpr' && e.key.kind === 'Ident' && e.key.name === f.sel.name);
      const lit = kv ? unparen(kv.value) : undefined;
      const callee = lit?.kind === 'FuncLit' && info.callee(v.call)?.kind === 'funcvalue' ? byFunc.get(lit) : undefined;
      if (!callee) continue;
      callTarget.set(v.call, callee);
      if (v.caller) edges.push({ caller: v.caller, callee, kind: v.kind, site: v.call });
      continue;
    }
    if (info.callee(v.call)?.kind !== 'funcvalue') continue;
    const callee = byFunc.get(decl);
    if (!callee) continue;
    callTarget.set(v.call, callee);
    if (v.caller) edges.push({ caller: v.caller, callee, kind: v.kind, site: v.call });
  }
  // Edges in source order of their sites within each caller.
  const sitePos = new Map<CallEdge, number>();
  for (const e of edges) sitePos.set(e, nodePos(e.site));
  edges.sort((a, b) => a.caller.id - b.caller.id || sitePos.get(a)! - sitePos.get(b)! || a.callee.id - b.callee.id);
  for (const e of edges) {
    e.caller.out.push(e);
    e.callee.in.push(e);
  }
  return new CallGraph(nodes, byFunc, callTarget, info, opts, callersByName, rangeTargets);
}
