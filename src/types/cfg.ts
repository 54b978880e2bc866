// Statement-level control-flow graph of one function body, and the path queries that the
// flow-sensitive rules ask of it ("is there a path from this Lock to a return that avoids every
// Unlock?", "can this loop ever be left?").
//
// Shape (see docs/architecture.md, "Control flow"):
// - A block holds, in evaluation order, the simple statements of the body and, for control
//   statements, their parts as separate entries: an `if`'s init and condition, a `for`'s init,
//   condition and post statement, a `range`'s operand (then key and value at the start of each
//   iteration), a `switch`'s init, tag and case expressions, a type switch's assign statement,
//   a `select` case's communication. Branch, return, defer and go statements are entries too.
//   Compound statements themselves (if, for, switch, select, block, labeled) are never entries.
// - Function literals are not entered: a FuncLit is part of an expression entry; its body has
//   its own CFG.
// - One synthetic `exit` block is the successor of every `return` and of the fall-off end.
//   A call to `panic`, or to a function for which `mayReturn` says false, ends its block with no
//   successors (`noReturn`); so does an empty `select {}` (term `forever`).
// - Code after a return, branch or no-return call starts a block of kind `unreachable` with no
//   predecessors. Every block is kept; `live` says whether it is reachable from the entry.
import type * as ast from '../syntax/ast.js';
import { NOPOS } from '../syntax/ast.js';
import { end as nodeEnd, forEachChild, pos as nodePos, unparen } from '../syntax/nodes.js';

export type BlockKind =
  | 'entry'
  | 'exit'
  | 'unreachable'
  | 'label'
  | 'if.then'
  | 'if.else'
  | 'if.done'
  | 'for.loop'
  | 'for.body'
  | 'for.post'
  | 'for.done'
  | 'range.loop'
  | 'range.body'
  | 'range.done'
  | 'switch.next'
  | 'switch.case'
  | 'switch.done'
  | 'select.case'
  | 'select.done';

/**
 * How control leaves a block.
 * jump: to its single successor (normal flow, break, continue, goto, fallthrough), or nowhere for a
 *   branch whose target does not exist (invalid code, see CFG.problems);
 * branch: to one of several successors (if/for condition, range, case test, select);
 * return: a return statement, to exit; panic: a call of `panic`, no successors;
 * noreturn: a call for which mayReturn is false (os.Exit, log.Fatal...), no successors;
 * forever: `select {}`, no successors; exit: the exit block.
 */
export type Term = 'jump' | 'branch' | 'return' | 'panic' | 'noreturn' | 'forever' | 'exit';

export interface Block {
  /** Index in CFG.blocks. The entry is 0, the exit is the last block. */
  id: number;
  kind: BlockKind;
  /** Statements and control-statement parts, in evaluation order. */
  nodes: ast.Node[];
  succs: Block[];
  preds: Block[];
  /** The statement that created the block (the IfStmt of an if.then, the CaseClause of a switch.case...); null for entry and exit. */
  stmt: ast.Stmt | null;
  term: Term;
  /** For term 'branch' (and 'forever'): the if/for/range/switch/type switch/select statement that chooses the successor. */
  control: ast.Stmt | null;
  /** The block ends in a call that does not return (term 'panic' or 'noreturn'). */
  noReturn: boolean;
  /** That call. */
  noReturnCall: ast.CallExpr | null;
  /** Reachable from the entry. */
  live: boolean;
  /** The innermost loop whose statement contains the block (header, body, post and everything nested in the body), or null. */
  loop: LoopInfo | null;
}

export type LoopStmt = ast.ForStmt | ast.RangeStmt;

export interface LoopInfo {
  stmt: LoopStmt;
  /** The label of the loop, if it is a labeled statement. */
  label: string | null;
  /** for.loop / range.loop: where the condition is tested (target of continue without post statement). */
  header: Block;
  /** First block of the body. */
  body: Block;
  post: Block | null;
  /** for.done / range.done: target of break. */
  done: Block;
  /** The innermost enclosing loop of this function, or null. */
  parent: LoopInfo | null;
  /** Every block that belongs to the loop statement (header, body, post and all blocks nested in the body). */
  readonly members: ReadonlySet<Block>;
  /** Whether a block belongs to the loop statement (constant time). */
  contains(b: Block): boolean;
}

export interface LoopExit {
  from: Block;
  to: Block;
  /** The branch or return statement that leaves (the last entry of `from`), or null for the natural exit and falls. */
  via: ast.Node | null;
}

export interface LoopExits {
  /** The loop ends by itself: a `for` whose condition is not absent or `true`, or any `range`. */
  natural: boolean;
  /** Edges from inside the loop (reachable from its header) to outside, other than the natural exit: break, labeled continue of an outer loop, goto, return. */
  exits: LoopExit[];
  /** natural || exits.length > 0. No-return calls (panic, os.Exit) are not exits. */
  canExit: boolean;
}

export interface NodeRef {
  block: Block;
  index: number;
  /** The CFG entry (block.nodes[index]); may be an ancestor of the node that was located. */
  node: ast.Node;
}

/** A starting point: after an entry (exclusive), or at the start of a block (inclusive). */
export type From = ast.Node | Block;

/**
 * Where a path should arrive: a CFG entry, any entry matching a predicate, the exit block (a normal
 * return), 'noreturn' (the end of a block ending in a no-return call, including panic), 'panic'
 * (only panic calls), or 'end' (exit or noreturn).
 */
export type To = ast.Node | ((n: ast.Node) => boolean) | 'exit' | 'noreturn' | 'panic' | 'end';

export interface BuildOptions {
  /** False for calls that never return (os.Exit, log.Fatal, (*testing.T).FailNow). `panic` is always treated as not returning. */
  mayReturn?: (call: ast.CallExpr) => boolean;
  /** True for calls of functions that always panic (a helper whose every path ends in `panic`). */
  panics?: (call: ast.CallExpr) => boolean;
}

function isBlock(x: unknown): x is Block {
  return typeof x === 'object' && x !== null && 'succs' in x && 'id' in x && 'nodes' in x;
}

/** The call of an expression statement `f(...)` (parentheses stripped), or null. */
export function exprStmtCall(s: ast.Node): ast.CallExpr | null {
  if (s.kind !== 'ExprStmt') return null;
  const x = unparen(s.x);
  return x.kind === 'CallExpr' ? x : null;
}

/**
 * Whether a call is `panic(...)`, or the standard log package's `log.Panic/Panicf/Panicln(...)`
 * (which log and then panic). By name: a shadowing local `panic` is not told apart, and `log`
 * must be called with arguments (zerolog's `log.Panic()` only starts an event).
 */
export function isPanicCall(call: ast.CallExpr): boolean {
  const f = unparen(call.fun);
  if (f.kind === 'Ident') return f.name === 'panic';
  // `log.Panicf(...)`, and a logger's Panic methods (`s.logger.Panicf`, `log.Panic` of logrus, zap's
  // `logger.Panic`): the receiver's name says it is a logger.
  if (f.kind !== 'SelectorExpr' || (f.sel.name !== 'Panic' && f.sel.name !== 'Panicf' && f.sel.name !== 'Panicln') || (call.args?.length ?? 0) === 0) return false;
  const x = unparen(f.x);
  const name = x.kind === 'Ident' ? x.name : x.kind === 'SelectorExpr' ? x.sel.name : '';
  return /^(?:log|logger|l|lg)$/i.test(name) || /(?:^log|logger$|Logger$|log$)/.test(name);
}

/** Whether an expression is the constant `true` (by name, possibly parenthesized). */
function isTrue(e: ast.Expr): boolean {
  const x = unparen(e);
  return x.kind === 'Ident' && x.name === 'true';
}

/**
 * Pre-order walk of an entry's syntax that does not enter function literal bodies (they are
 * separate functions). The FuncLit itself is visited. Return false to skip a node's children.
 */
export function walkNode(n: ast.Node, visit: (node: ast.Node) => boolean | void): void {
  const stack: ast.Node[] = [n];
  const add = (c: ast.Node): void => void stack.push(c);
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (visit(x) === false || x.kind === 'FuncLit') continue;
    // The children go on the stack in reverse, so that they come off in source order.
    const base = stack.length;
    forEachChild(x, add);
    for (let i = base, j = stack.length - 1; i < j; i++, j--) {
      const t = stack[i]!;
      stack[i] = stack[j]!;
      stack[j] = t;
    }
  }
}

/** Whether an entry contains (or is) a node matching pred, outside function literal bodies. */
export function nodeContains(n: ast.Node, pred: (node: ast.Node) => boolean): boolean {
  let found = false;
  walkNode(n, (x) => {
    if (found) return false;
    if (pred(x)) {
      found = true;
      return false;
    }
    return true;
  });
  return found;
}

export class CFG {
  readonly body: ast.BlockStmt;
  /** All blocks by id: entry first, exit last. */
  readonly blocks: Block[];
  readonly entry: Block;
  readonly exit: Block;
  /** The defer statements of the body in source order (not those of nested function literals). */
  readonly defers: ast.DeferStmt[];
  /** The go statements in source order. */
  readonly gos: ast.GoStmt[];
  /** The return statements in source order. */
  readonly returns: ast.ReturnStmt[];
  /** Every for and range statement of the body, in source order. */
  readonly loops: ReadonlyMap<LoopStmt, LoopInfo>;
  /** Invalid branches met while building (unknown labels, misplaced fallthrough); the graph is still well formed. */
  readonly problems: string[];
  /** The block that falls off the end of the body into exit (an implicit return); not live when the body ends in a terminating statement. */
  readonly fallOff: Block;

  private readonly where = new Map<ast.Node, { block: Block; index: number }>();
  private spans: { start: number; end: number; block: Block; index: number }[] | null = null;

  constructor(init: {
    body: ast.BlockStmt;
    blocks: Block[];
    defers: ast.DeferStmt[];
    gos: ast.GoStmt[];
    returns: ast.ReturnStmt[];
    loops: Map<LoopStmt, LoopInfo>;
    problems: string[];
    fallOff: Block;
  }) {
    this.body = init.body;
    this.blocks = init.blocks;
    this.entry = init.blocks[0]!;
    this.exit = init.blocks[init.blocks.length - 1]!;
    this.defers = init.defers;
    this.gos = init.gos;
    this.returns = init.returns;
    this.loops = init.loops;
    this.problems = init.problems;
    this.fallOff = init.fallOff;
    for (const b of this.blocks) b.nodes.forEach((n, index) => this.where.set(n, { block: b, index }));
  }

  // ---- positions ----

  /**
   * The block and index of a node: a CFG entry itself, or the entry that contains it (a call inside
   * an assignment, an identifier in a condition). Undefined for nodes outside the body, inside a
   * nested function literal's body, or parts of compound statements that are not entries.
   */
  locate(n: ast.Node): NodeRef | undefined {
    const direct = this.where.get(n);
    if (direct) return { ...direct, node: n };
    const p = nodePos(n);
    const e = nodeEnd(n);
    if (p === NOPOS || e === NOPOS) return undefined;
    const spans = this.sortedSpans();
    let lo = 0;
    let hi = spans.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]!.start <= p) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Entries do not overlap, but one may start where another (empty) one starts: try the few candidates.
    for (let i = at; i >= 0 && spans[i]!.start === spans[at]!.start; i--) {
      const s = spans[i]!;
      if (e > s.end) continue;
      const node = s.block.nodes[s.index]!;
      if (insideFuncLit(node, n)) return undefined;
      if (!nodeContains(node, (x) => x === n)) continue;
      return { block: s.block, index: s.index, node };
    }
    return undefined;
  }

  /** Whether the node is a CFG entry. */
  isEntry(n: ast.Node): boolean {
    return this.where.has(n);
  }

  private sortedSpans() {
    if (!this.spans) {
      const spans: { start: number; end: number; block: Block; index: number }[] = [];
      for (const b of this.blocks) {
        b.nodes.forEach((n, index) => {
          const start = nodePos(n);
          const end = nodeEnd(n);
          if (start !== NOPOS && end !== NOPOS) spans.push({ start, end, block: b, index });
        });
      }
      spans.sort((a, b) => a.start - b.start || a.end - b.end);
      this.spans = spans;
    }
    return this.spans;
  }

  // ---- iteration ----

  /**
   * Live blocks in reverse postorder from the entry (a block before its successors, back edges
   * aside; the first successor's blocks before the second's), then dead blocks by id.
   */
  blockOrder(opts: { liveOnly?: boolean } = {}): Block[] {
    const seen = new Uint8Array(this.blocks.length);
    const post: Block[] = [];
    const stack: { b: Block; i: number }[] = [{ b: this.entry, i: 0 }];
    seen[this.entry.id] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.i < top.b.succs.length) {
        // Successors are visited last-first so that, reversed, the first successor comes first.
        const s = top.b.succs[top.b.succs.length - 1 - top.i++]!;
        if (!seen[s.id]) {
          seen[s.id] = 1;
          stack.push({ b: s, i: 0 });
        }
      } else {
        post.push(top.b);
        stack.pop();
      }
    }
    const order = post.reverse();
    if (!opts.liveOnly) for (const b of this.blocks) if (!seen[b.id]) order.push(b);
    return order;
  }

  /** Every entry of the function in CFG order (see blockOrder). */
  *entries(opts: { liveOnly?: boolean } = {}): Generator<NodeRef> {
    for (const block of this.blockOrder(opts)) {
      for (let index = 0; index < block.nodes.length; index++) yield { block, index, node: block.nodes[index]! };
    }
  }

  // ---- reachability and paths ----

  /** Blocks reachable from a point: for a node, the blocks after it (its own block included only if reached again through a cycle). */
  reachableBlocks(from: From): Set<Block> {
    const out = new Set<Block>();
    const start = this.startOf(from);
    const stack: Block[] = start.index === 0 ? [start.block] : [...start.block.succs];
    while (stack.length > 0) {
      const b = stack.pop()!;
      if (out.has(b)) continue;
      out.add(b);
      for (const s of b.succs) if (!out.has(s)) stack.push(s);
    }
    return out;
  }

  /** Whether `to` (an entry or a block) can run after `from`. */
  canReach(from: From, to: ast.Node | Block): boolean {
    if (isBlock(to)) return this.reachableBlocks(from).has(to);
    return this.findPath(from, to, {}) !== null;
  }

  /** Is there a path from `from` to `to` on which no entry matches `avoid`? The arrival entry itself may match `avoid`. */
  pathExists(from: From, to: To, avoid?: (n: ast.Node) => boolean): boolean {
    return this.findPath(from, to, { avoid }) !== null;
  }

  /**
   * Does every path from `from` to `to` (default: the exit, i.e. every normal return) pass an entry
   * matching `pass`? Paths that never arrive (panics, endless loops) are not counted.
   */
  mustPass(from: From, pass: (n: ast.Node) => boolean, to: To = 'exit'): boolean {
    return this.findPath(from, to, { avoid: pass }) === null;
  }

  /**
   * A shortest path (fewest blocks) from `from` to `to` avoiding entries matching `avoid`, as the list
   * of blocks visited (the first is the block of `from`), or null when there is none.
   */
  findPath(from: From, to: To, opts: { avoid?: ((n: ast.Node) => boolean) | undefined; avoidBlock?: ((b: Block) => boolean) | undefined }): Block[] | null {
    const avoid = opts.avoid;
    const avoidBlock = opts.avoidBlock;
    const start = this.startOf(from);
    const arrives = (n: ast.Node): boolean => (typeof to === 'function' ? to(n) : to === n);
    const nodeTarget = typeof to === 'function' || (typeof to === 'object' && to !== null);
    // Scans block b from index i; returns 'found', 'blocked' or 'open' (continue to successors).
    const scan = (b: Block, i: number): 'found' | 'blocked' | 'open' => {
      for (; i < b.nodes.length; i++) {
        const n = b.nodes[i]!;
        if (nodeTarget && arrives(n)) return 'found';
        if (avoid && avoid(n)) return 'blocked';
      }
      if (nodeTarget) return 'open';
      if (to === 'exit' || to === 'end') if (b === this.exit) return 'found';
      if (to === 'noreturn' || to === 'end') if (b.noReturn) return 'found';
      if (to === 'panic' && b.term === 'panic') return 'found';
      return 'open';
    };
    const parent = new Map<Block, Block | null>();
    const first = scan(start.block, start.index);
    if (first === 'found') return [start.block];
    if (first === 'blocked') return null;
    // BFS over whole blocks; the start block may be re-entered from its beginning through a cycle.
    const queue: Block[] = [];
    const seen = new Set<Block>();
    for (const s of start.block.succs) {
      if (!seen.has(s)) {
        seen.add(s);
        parent.set(s, null);
        queue.push(s);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const b = queue[qi]!;
      if (avoidBlock && avoidBlock(b)) continue;
      const r = scan(b, 0);
      if (r === 'found') {
        const path: Block[] = [];
        for (let x: Block | null | undefined = b; x; x = parent.get(x)) path.push(x);
        path.push(start.block);
        return path.reverse();
      }
      if (r === 'blocked') continue;
      for (const s of b.succs) {
        if (!seen.has(s)) {
          seen.add(s);
          parent.set(s, b);
          queue.push(s);
        }
      }
    }
    return null;
  }

  private startOf(from: From): { block: Block; index: number } {
    if (isBlock(from)) return { block: from, index: 0 };
    const ref = this.locate(from);
    if (!ref) throw new CFGQueryError(`node at offset ${nodePos(from)} is not part of this function's control-flow graph`);
    return { block: ref.block, index: ref.index + 1 };
  }

  // ---- loops ----

  /** The loop info of a for/range statement (a labeled statement is unwrapped), or undefined if it is not in this body. */
  loop(stmt: ast.Stmt): LoopInfo | undefined {
    let s: ast.Stmt = stmt;
    while (s.kind === 'LabeledStmt') s = s.stmt;
    return s.kind === 'ForStmt' || s.kind === 'RangeStmt' ? this.loops.get(s) : undefined;
  }

  /**
   * How a loop can be left: the natural exit (condition false, range exhausted) and every edge from a
   * block of the loop that is reachable from its header to a block outside it. Breaks that target a
   * switch, select or loop nested inside stay inside; labeled break/continue and goto to an outer
   * target, and return, leave. Panics and no-return calls have no successors, so they never count.
   */
  loopExits(stmt: ast.Stmt): LoopExits {
    const info = this.loop(stmt);
    if (!info) throw new CFGQueryError(`statement at offset ${nodePos(stmt)} is not a for or range loop of this function`);
    const exits: LoopExit[] = [];
    let natural = false;
    const seen = new Set<Block>([info.header]);
    const stack: Block[] = [info.header];
    while (stack.length > 0) {
      const b = stack.pop()!;
      for (const s of b.succs) {
        if (info.contains(s)) {
          if (!seen.has(s)) {
            seen.add(s);
            stack.push(s);
          }
        } else if (b === info.header && s === info.done) {
          natural = true;
        } else {
          const last = b.nodes[b.nodes.length - 1];
          const via = last && (last.kind === 'BranchStmt' || last.kind === 'ReturnStmt') ? last : null;
          exits.push({ from: b, to: s, via });
        }
      }
    }
    exits.sort((a, b) => a.from.id - b.from.id || a.to.id - b.to.id);
    return { natural, exits, canExit: natural || exits.length > 0 };
  }

  /** Whether the loop statement can ever be left (see loopExits). */
  loopCanExit(stmt: ast.Stmt): boolean {
    return this.loopExits(stmt).canExit;
  }

  /** The loops (innermost first) whose bodies contain the block. */
  loopsContaining(b: Block): LoopInfo[] {
    const out: LoopInfo[] = [];
    for (let l = b.loop; l; l = l.parent) out.push(l);
    return out;
  }
}

export class CFGQueryError extends Error {
  override name = 'CFGQueryError';
}

/** Whether target lies inside the parameters or body of a function literal within root (target !== that literal). */
function insideFuncLit(root: ast.Node, target: ast.Node): boolean {
  const p = nodePos(target);
  const e = nodeEnd(target);
  let inside = false;
  walkNode(root, (x) => {
    if (inside) return false;
    const xp = nodePos(x);
    const xe = nodeEnd(x);
    if (xp > p || xe < e) return false;
    if (x.kind === 'FuncLit' && x !== target) {
      inside = true;
      return false;
    }
    return true;
  });
  return inside;
}

// ---- builder ----

interface BranchTarget {
  label: string | null;
  brk: Block | null;
  cont: Block | null;
  /** For switch case bodies: the next case body (fallthrough), or null for the last. */
  fall?: Block | null;
}

interface LabelInfo {
  block: Block;
  defined: boolean;
}

/** Loops are numbered on entry and exit while building, so containment is an interval test. */
class Loop implements LoopInfo {
  header!: Block;
  body!: Block;
  post: Block | null = null;
  done!: Block;
  leave = Number.MAX_SAFE_INTEGER;
  blocks: Block[] = [];
  private memo: Set<Block> | null = null;

  constructor(
    readonly stmt: LoopStmt,
    readonly label: string | null,
    readonly parent: Loop | null,
    readonly enter: number,
  ) {}

  contains(b: Block): boolean {
    const x = b.loop as Loop | null;
    return x !== null && this.enter <= x.enter && x.leave <= this.leave;
  }

  get members(): ReadonlySet<Block> {
    this.memo ??= new Set(this.blocks.filter((b) => this.contains(b)));
    return this.memo;
  }
}

class Builder {
  readonly blocks: Block[] = [];
  readonly exit: Block;
  current: Block;
  readonly targets: BranchTarget[] = [];
  readonly labels = new Map<string, LabelInfo>();
  readonly open: Loop[] = [];
  tick = 0;
  readonly loops = new Map<LoopStmt, LoopInfo>();
  readonly defers: ast.DeferStmt[] = [];
  readonly gos: ast.GoStmt[] = [];
  readonly returns: ast.ReturnStmt[] = [];
  readonly problems: string[] = [];

  constructor(private readonly mayReturn: (call: ast.CallExpr) => boolean, private readonly panicsVia: (call: ast.CallExpr) => boolean = () => false) {
    this.current = this.newBlock('entry', null);
    this.exit = makeBlock('exit', null);
    this.exit.term = 'exit';
  }

  newBlock(kind: BlockKind, stmt: ast.Stmt | null): Block {
    const b = makeBlock(kind, stmt);
    b.id = this.blocks.length;
    this.blocks.push(b);
    if (kind !== 'label') b.loop = this.open[this.open.length - 1] ?? null;
    return b;
  }

  add(n: ast.Node): void {
    this.current.nodes.push(n);
  }

  edge(from: Block, to: Block): void {
    from.succs.push(to);
    to.preds.push(from);
  }

  jump(to: Block): void {
    this.edge(this.current, to);
  }

  branch(to: Block[], control: ast.Stmt): void {
    for (const t of to) this.edge(this.current, t);
    this.current.term = 'branch';
    this.current.control = control;
  }

  /** Starts a block that nothing jumps to (the code after a return, branch or no-return call). */
  dead(after: ast.Stmt): void {
    this.current = this.newBlock('unreachable', after);
  }

  stmtList(list: ast.Stmt[] | null): void {
    if (list) for (const s of list) this.stmt(s, null);
  }

  labelInfo(name: string): LabelInfo {
    let l = this.labels.get(name);
    if (!l) {
      l = { block: this.newBlock('label', null), defined: false };
      this.labels.set(name, l);
    }
    return l;
  }

  stmt(s: ast.Stmt, label: string | null): void {
    switch (s.kind) {
      case 'LabeledStmt': {
        const name = s.label.name;
        const l = this.labelInfo(name);
        if (l.defined) this.problems.push(`label ${name} defined more than once`);
        l.defined = true;
        l.block.stmt = s;
        l.block.loop = this.open[this.open.length - 1] ?? null;
        this.jump(l.block);
        this.current = l.block;
        this.stmt(s.stmt, name);
        return;
      }
      case 'BlockStmt':
        for (const x of s.list ?? []) this.stmt(x, null);
        return;
      case 'EmptyStmt':
        return;
      case 'ExprStmt': {
        this.add(s);
        const call = exprStmtCall(s);
        if (call) {
          const panics = isPanicCall(call) || this.panicsVia(call);
          if (panics || !this.mayReturn(call)) {
            this.current.term = panics ? 'panic' : 'noreturn';
            this.current.noReturn = true;
            this.current.noReturnCall = call;
            this.dead(s);
          }
        }
        return;
      }
      case 'ReturnStmt':
        this.add(s);
        this.returns.push(s);
        this.jump(this.exit);
        this.current.term = 'return';
        this.dead(s);
        return;
      case 'DeferStmt':
        this.add(s);
        this.defers.push(s);
        return;
      case 'GoStmt':
        this.add(s);
        this.gos.push(s);
        return;
      case 'BranchStmt':
        this.branchStmt(s);
        return;
      case 'IfStmt':
        this.ifStmt(s);
        return;
      case 'SwitchStmt':
      case 'TypeSwitchStmt':
        this.switchStmt(s, label);
        return;
      case 'SelectStmt':
        this.selectStmt(s, label);
        return;
      case 'ForStmt':
        this.forStmt(s, label);
        return;
      case 'RangeStmt':
        this.rangeStmt(s, label);
        return;
      case 'CaseClause':
      case 'CommClause':
        this.problems.push(`case clause outside a switch or select at offset ${nodePos(s)}`);
        this.stmtList(s.body);
        return;
      default:
        // BadStmt, DeclStmt, SendStmt, IncDecStmt, AssignStmt: simple statements.
        this.add(s);
    }
  }

  branchStmt(s: ast.BranchStmt): void {
    this.add(s);
    const name = s.label ? s.label.name : null;
    let to: Block | null = null;
    switch (s.tok) {
      case 'break':
      case 'continue': {
        const isBreak = s.tok === 'break';
        for (let i = this.targets.length - 1; i >= 0; i--) {
          const t = this.targets[i]!;
          const b = isBreak ? t.brk : t.cont;
          if (name === null ? b !== null : t.label === name) {
            to = b;
            break;
          }
        }
        if (!to) this.problems.push(`${s.tok}${name ? ' ' + name : ''} at offset ${s.tokPos} has no enclosing target`);
        break;
      }
      case 'goto':
        if (name) to = this.labelInfo(name).block;
        else this.problems.push(`goto without a label at offset ${s.tokPos}`);
        break;
      case 'fallthrough': {
        const t = this.targets[this.targets.length - 1];
        if (t && t.fall) to = t.fall;
        else this.problems.push(`fallthrough at offset ${s.tokPos} is not at the end of a switch case followed by another case`);
        break;
      }
      default:
        this.problems.push(`unknown branch ${s.tok} at offset ${s.tokPos}`);
    }
    if (to) this.jump(to);
    this.dead(s);
  }

  ifStmt(s: ast.IfStmt): void {
    if (s.init) this.stmt(s.init, null);
    this.add(s.cond);
    const then = this.newBlock('if.then', s);
    const els = s.else ? this.newBlock('if.else', s) : null;
    const done = this.newBlock('if.done', s);
    this.branch([then, els ?? done], s);
    this.current = then;
    for (const x of s.body.list ?? []) this.stmt(x, null);
    this.jump(done);
    if (s.else && els) {
      this.current = els;
      this.stmt(s.else, null);
      this.jump(done);
    }
    this.current = done;
  }

  switchStmt(s: ast.SwitchStmt | ast.TypeSwitchStmt, label: string | null): void {
    if (s.init) this.stmt(s.init, null);
    if (s.kind === 'SwitchStmt') {
      if (s.tag) this.add(s.tag);
    } else this.add(s.assign);
    const clauses: ast.CaseClause[] = [];
    for (const c of s.body.list ?? []) {
      if (c.kind === 'CaseClause') clauses.push(c);
      else this.problems.push(`non-case statement in switch body at offset ${nodePos(c)}`);
    }
    const bodies = clauses.map((c) => this.newBlock('switch.case', c));
    const done = this.newBlock('switch.done', s);
    let dflt: Block | null = null;
    for (let i = 0; i < clauses.length; i++) {
      const c = clauses[i]!;
      if (c.list === null) {
        dflt = bodies[i]!;
        continue;
      }
      for (const e of c.list) this.add(e);
      const next = this.newBlock('switch.next', c);
      this.branch([bodies[i]!, next], s);
      this.current = next;
    }
    this.jump(dflt ?? done);
    for (let i = 0; i < clauses.length; i++) {
      this.current = bodies[i]!;
      const fall = s.kind === 'SwitchStmt' ? bodies[i + 1] ?? null : null;
      this.targets.push({ label, brk: done, cont: null, fall });
      for (const x of clauses[i]!.body ?? []) this.stmt(x, null);
      this.targets.pop();
      this.jump(done);
    }
    this.current = done;
  }

  selectStmt(s: ast.SelectStmt, label: string | null): void {
    const clauses: ast.CommClause[] = [];
    for (const c of s.body.list ?? []) {
      if (c.kind === 'CommClause') clauses.push(c);
      else this.problems.push(`non-case statement in select body at offset ${nodePos(c)}`);
    }
    if (clauses.length === 0) {
      // select {} blocks forever.
      this.current.term = 'forever';
      this.current.control = s;
      this.dead(s);
      return;
    }
    const cases = clauses.map((c) => this.newBlock('select.case', c));
    const done = this.newBlock('select.done', s);
    this.branch(cases, s);
    for (let i = 0; i < clauses.length; i++) {
      const c = clauses[i]!;
      this.current = cases[i]!;
      if (c.comm) this.add(c.comm);
      this.targets.push({ label, brk: done, cont: null });
      for (const x of c.body ?? []) this.stmt(x, null);
      this.targets.pop();
      this.jump(done);
    }
    this.current = done;
  }

  openLoop(s: LoopStmt, label: string | null): Loop {
    const l = new Loop(s, label, this.open[this.open.length - 1] ?? null, ++this.tick);
    l.blocks = this.blocks;
    this.open.push(l);
    this.loops.set(s, l);
    return l;
  }

  closeLoop(l: Loop): void {
    l.leave = ++this.tick;
    this.open.pop();
  }

  forStmt(s: ast.ForStmt, label: string | null): void {
    if (s.init) this.stmt(s.init, null);
    const open = this.openLoop(s, label);
    const header = (open.header = this.newBlock('for.loop', s));
    const body = (open.body = this.newBlock('for.body', s));
    const post = (open.post = s.post ? this.newBlock('for.post', s) : null);
    const done = (open.done = this.newBlock('for.done', s));
    done.loop = open.parent;
    this.jump(header);
    this.current = header;
    if (s.cond) this.add(s.cond);
    if (s.cond && !isTrue(s.cond)) this.branch([body, done], s);
    else this.jump(body);
    this.targets.push({ label, brk: done, cont: post ?? header });
    this.current = body;
    for (const x of s.body.list ?? []) this.stmt(x, null);
    this.jump(post ?? header);
    this.targets.pop();
    if (post && s.post) {
      this.current = post;
      this.stmt(s.post, null);
      this.jump(header);
    }
    this.closeLoop(open);
    this.current = done;
  }

  rangeStmt(s: ast.RangeStmt, label: string | null): void {
    this.add(s.x);
    const open = this.openLoop(s, label);
    const header = (open.header = this.newBlock('range.loop', s));
    const body = (open.body = this.newBlock('range.body', s));
    const done = (open.done = this.newBlock('range.done', s));
    done.loop = open.parent;
    this.jump(header);
    this.current = header;
    this.branch([body, done], s);
    this.targets.push({ label, brk: done, cont: header });
    this.current = body;
    if (s.key) this.add(s.key);
    if (s.value) this.add(s.value);
    for (const x of s.body.list ?? []) this.stmt(x, null);
    this.jump(header);
    this.targets.pop();
    this.closeLoop(open);
    this.current = done;
  }

  finish(body: ast.BlockStmt): CFG {
    const fallOff = this.current;
    this.jump(this.exit); // falling off the end returns
    for (const [name, l] of this.labels) if (!l.defined) this.problems.push(`label ${name} is used but not defined`);
    this.exit.id = this.blocks.length;
    this.blocks.push(this.exit);
    // Liveness: reachable from the entry.
    const stack: Block[] = [this.blocks[0]!];
    this.blocks[0]!.live = true;
    while (stack.length > 0) {
      const b = stack.pop()!;
      for (const s of b.succs) {
        if (!s.live) {
          s.live = true;
          stack.push(s);
        }
      }
    }
    return new CFG({
      body,
      blocks: this.blocks,
      defers: this.defers,
      gos: this.gos,
      returns: this.returns,
      loops: this.loops,
      problems: this.problems,
      fallOff,
    });
  }
}

function makeBlock(kind: BlockKind, stmt: ast.Stmt | null): Block {
  return { id: -1, kind, nodes: [], succs: [], preds: [], stmt, term: 'jump', control: null, noReturn: false, noReturnCall: null, live: false, loop: null };
}

/**
 * Builds the control-flow graph of a function body (a FuncDecl's or a FuncLit's). Statement nesting
 * as deep as parseFile accepts (its default maxNesting) is supported; a deeper tree that exhausts the
 * stack gives a CFGBuildError, never a crash.
 */
export function buildCFG(body: ast.BlockStmt, opts: BuildOptions = {}): CFG {
  const b = new Builder(opts.mayReturn ?? (() => true), opts.panics);
  try {
    b.stmtList(body.list);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new CFGBuildError(`function body at offset ${body.lbrace} is nested too deeply to build its control-flow graph`);
    }
    throw e;
  }
  return b.finish(body);
}

export class CFGBuildError extends Error {
  override name = 'CFGBuildError';
}

/**
 * A readable dump of the graph, one block per paragraph: `.id kind [term] -> succs` and the entries
 * as source text (from `text(start, end)`, e.g. SourceFile.text), for tests and debugging.
 */
export function formatCFG(cfg: CFG, text: (start: number, end: number) => string): string {
  const lines: string[] = [];
  for (const b of cfg.blocks) {
    const flags = [b.live ? '' : 'dead', b.term === 'jump' || b.term === 'branch' || b.term === 'exit' ? '' : b.term].filter(Boolean);
    const succ = b.succs.length ? ' -> ' + b.succs.map((s) => s.id).join(' ') : '';
    lines.push(`.${b.id} ${b.kind}${flags.length ? ' (' + flags.join(', ') + ')' : ''}${succ}`);
    for (const n of b.nodes) lines.push('  ' + oneLine(text(nodePos(n), nodeEnd(n))));
  }
  return lines.join('\n') + '\n';
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, '; ');
}
