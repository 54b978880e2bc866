// A kind-filtered AST inspector in the manner of go/ast/inspector: one traversal of a file is
// recorded as a flat list of push/pop events, and each query walks that list, skipping whole
// subtrees that contain none of the requested node kinds. Built once per file, shared by all rules.
import type * as ast from '../syntax/ast.js';
import { forEachChild } from '../syntax/nodes.js';

/** Every node kind, in a fixed order (a kind's index is its bit in a KindSet). */
export const NODE_KINDS = [
  'Comment', 'CommentGroup', 'Field', 'FieldList',
  'BadExpr', 'Ident', 'Ellipsis', 'BasicLit', 'FuncLit', 'CompositeLit', 'ParenExpr', 'SelectorExpr',
  'IndexExpr', 'IndexListExpr', 'SliceExpr', 'TypeAssertExpr', 'CallExpr', 'StarExpr', 'UnaryExpr',
  'BinaryExpr', 'KeyValueExpr', 'ArrayType', 'StructType', 'FuncType', 'InterfaceType', 'MapType', 'ChanType',
  'BadStmt', 'DeclStmt', 'EmptyStmt', 'LabeledStmt', 'ExprStmt', 'SendStmt', 'IncDecStmt', 'AssignStmt',
  'GoStmt', 'DeferStmt', 'ReturnStmt', 'BranchStmt', 'BlockStmt', 'IfStmt', 'CaseClause', 'SwitchStmt',
  'TypeSwitchStmt', 'CommClause', 'SelectStmt', 'ForStmt', 'RangeStmt',
  'ImportSpec', 'ValueSpec', 'TypeSpec', 'BadDecl', 'GenDecl', 'FuncDecl', 'File',
] as const satisfies readonly ast.NodeKind[];

// Compile-time check that the list is complete.
type Missing = Exclude<ast.NodeKind, (typeof NODE_KINDS)[number]>;
const _complete: Missing extends never ? true : never = true;
void _complete;

const KIND_INDEX = new Map<string, number>(NODE_KINDS.map((k, i) => [k, i]));

/** A set of node kinds as a 64-bit mask split in two 32-bit halves. */
interface Mask { lo: number; hi: number }

function maskOf(kinds: readonly ast.NodeKind[] | null | undefined): Mask | null {
  if (!kinds || kinds.length === 0) return null; // all kinds
  let lo = 0;
  let hi = 0;
  for (const k of kinds) {
    const i = KIND_INDEX.get(k);
    if (i === undefined) throw new Error(`inspector: unknown node kind "${k}"`);
    if (i < 32) lo |= 1 << i;
    else hi |= 1 << (i - 32);
  }
  return { lo, hi };
}

/** Maps a kind name to its node type: `NodeOf<'DeferStmt'>` is `ast.DeferStmt`. */
export type NodeOf<K extends ast.NodeKind> = Extract<ast.Node, { kind: K }>;

/** The queries rules make of a file's recorded traversal. */
export interface FileInspector {
  preorder<K extends ast.NodeKind>(kinds: readonly K[] | null, fn: (n: NodeOf<K>) => void): void;
  withStack<K extends ast.NodeKind>(kinds: readonly K[] | null, fn: (n: NodeOf<K>, stack: readonly ast.Node[]) => boolean | void): void;
  /** Whether the node belongs to this file's tree. */
  has(node: ast.Node): boolean;
  /**
   * Whether a function of this file (declaration or literal) holds a node of one of these kinds
   * anywhere in it, nested literals included: a cheap test before looking closer.
   */
  contains(fn: ast.FuncDecl | ast.FuncLit, kinds: readonly ast.NodeKind[]): boolean;
}

/**
 * Event i: events[i] is the node; push events have index[i] = index of the matching pop (> i), pop
 * events have index[i] = index of the push (< i). A pop's lo/hi hold the kinds of the whole subtree.
 */
export class Inspector implements FileInspector {
  private members: Set<ast.Node> | undefined;

  has(node: ast.Node): boolean {
    // Functions are known from the traversal; other nodes need the member set.
    if (node.kind === 'FuncDecl' || node.kind === 'FuncLit') return this.funcPop.has(node);
    // Built on first use from the recorded traversal (no tree walk), from the push events only
    // (each node is recorded twice).
    if (!this.members) {
      const m = new Set<ast.Node>();
      const { nodes, index } = this;
      for (let i = 0; i < nodes.length; i++) if (index[i]! > i) m.add(nodes[i]!);
      this.members = m;
    }
    return this.members.has(node);
  }

  /** Pop event of each function declaration and literal (their subtree kinds are there). */
  private readonly funcPop = new Map<ast.Node, number>();
  private readonly nodes: ast.Node[] = [];
  private readonly index: number[] = [];
  private readonly lo: number[] = [];
  private readonly hi: number[] = [];

  constructor(readonly root: ast.Node) {
    let accLo = 0;
    let accHi = 0;
    const walk = (n: ast.Node): void => {
      const k = KIND_INDEX.get(n.kind)!;
      const push = this.nodes.length;
      this.nodes.push(n);
      this.index.push(0);
      const ownLo = k < 32 ? 1 << k : 0;
      const ownHi = k >= 32 ? 1 << (k - 32) : 0;
      this.lo.push(ownLo);
      this.hi.push(ownHi);
      // Kinds seen so far by siblings and ancestors are saved; the subtree starts afresh.
      const savedLo = accLo;
      const savedHi = accHi;
      accLo = ownLo;
      accHi = ownHi;
      forEachChild(n, walk);
      const pop = this.nodes.length;
      this.nodes.push(n);
      this.index.push(push);
      this.index[push] = pop;
      this.lo.push(accLo);
      this.hi.push(accHi);
      if (n.kind === 'FuncDecl' || n.kind === 'FuncLit') this.funcPop.set(n, pop);
      accLo |= savedLo;
      accHi |= savedHi;
    };
    walk(root);
  }

  contains(fn: ast.FuncDecl | ast.FuncLit, kinds: readonly ast.NodeKind[]): boolean {
    const j = this.funcPop.get(fn);
    // A function of another tree: say yes, the caller looks closer.
    if (j === undefined) return true;
    const m = maskOf(kinds);
    return !m || (this.lo[j]! & m.lo) !== 0 || (this.hi[j]! & m.hi) !== 0;
  }

  /** Number of nodes recorded. */
  get size(): number {
    return this.nodes.length / 2;
  }

  /**
   * Calls fn for each node of one of the given kinds (all kinds when empty), in depth-first
   * pre-order. Subtrees without such nodes are skipped.
   */
  preorder<K extends ast.NodeKind>(kinds: readonly K[] | null, fn: (n: NodeOf<K>) => void): void {
    const m = maskOf(kinds);
    const { nodes, index, lo, hi } = this;
    for (let i = 0; i < nodes.length; ) {
      const j = index[i]!;
      if (j > i) {
        // push
        if (m && (lo[j]! & m.lo) === 0 && (hi[j]! & m.hi) === 0) {
          i = j + 1; // nothing of interest below
          continue;
        }
        if (!m || (lo[i]! & m.lo) !== 0 || (hi[i]! & m.hi) !== 0) fn(nodes[i] as NodeOf<K>);
      }
      i++;
    }
  }

  /**
   * Like preorder, with the stack of enclosing nodes (outermost first, the node itself last).
   * Return false from fn to skip the node's children. The stack array is reused: copy it to keep it.
   */
  withStack<K extends ast.NodeKind>(kinds: readonly K[] | null, fn: (n: NodeOf<K>, stack: readonly ast.Node[]) => boolean | void): void {
    const m = maskOf(kinds);
    const { nodes, index, lo, hi } = this;
    const stack: ast.Node[] = [];
    for (let i = 0; i < nodes.length; ) {
      const j = index[i]!;
      if (j > i) {
        if (m && (lo[j]! & m.lo) === 0 && (hi[j]! & m.hi) === 0) {
          i = j + 1;
          continue;
        }
        stack.push(nodes[i]!);
        if (!m || (lo[i]! & m.lo) !== 0 || (hi[i]! & m.hi) !== 0) {
          if (fn(nodes[i] as NodeOf<K>, stack) === false) {
            stack.pop();
            i = j + 1;
            continue;
          }
        }
      } else {
        stack.pop();
      }
      i++;
    }
  }
}
