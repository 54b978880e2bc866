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
 * The recorded traversal: node i of the pre-order walk is nodes[i]; skip[i] is the index just past
 * its subtree; own[i] is its kind's index; lo[i]/hi[i] hold the kinds of its whole subtree (the
 * node included). Typed arrays sized from the file's length keep the record out of the collector's
 * way (a JS array of numbers per event was a fifth of all allocation on GOROOT/src).
 */
export class Inspector implements FileInspector {
  /** Per kind, the nodes of that kind (built for a kind when first asked about). */
  private readonly members: (Set<ast.Node> | undefined)[] = [];

  has(node: ast.Node): boolean {
    // Functions are known from the traversal; other nodes need the member set of their kind.
    if (node.kind === 'FuncDecl' || node.kind === 'FuncLit') return this.funcAt.has(node);
    const k = KIND_INDEX.get(node.kind);
    if (k === undefined) return false;
    let m = this.members[k];
    if (!m) {
      // From the recorded traversal (no tree walk), only the nodes of this kind.
      m = new Set<ast.Node>();
      const { nodes, own, count } = this;
      for (let i = 0; i < count; i++) if (own[i] === k) m.add(nodes[i]!);
      this.members[k] = m;
    }
    return m.has(node);
  }

  /** Index of each function declaration and literal (their subtree kinds are there). */
  private readonly funcAt = new Map<ast.Node, number>();
  private readonly nodes: ast.Node[];
  private skip: Int32Array;
  private own: Uint8Array;
  private lo: Int32Array;
  private hi: Int32Array;
  private count = 0;

  constructor(readonly root: ast.Node) {
    // About 0.15 nodes per byte of gofmt'ed Go (0.26 at most in GOROOT/src); grown when short.
    const cap = root.kind === 'File' ? Math.max(64, ((root.fileEnd - root.fileStart) * 0.2) | 0) : 256;
    this.nodes = new Array<ast.Node>(cap);
    this.skip = new Int32Array(cap);
    this.own = new Uint8Array(cap);
    this.lo = new Int32Array(cap);
    this.hi = new Int32Array(cap);
    let accLo = 0;
    let accHi = 0;
    const walk = (n: ast.Node): void => {
      const k = KIND_INDEX.get(n.kind)!;
      const i = this.count++;
      if (i === this.skip.length) this.grow();
      this.nodes[i] = n;
      this.own[i] = k;
      const ownLo = k < 32 ? 1 << k : 0;
      const ownHi = k >= 32 ? 1 << (k - 32) : 0;
      // Kinds seen so far by siblings and ancestors are saved; the subtree starts afresh.
      const savedLo = accLo;
      const savedHi = accHi;
      accLo = ownLo;
      accHi = ownHi;
      forEachChild(n, walk);
      this.skip[i] = this.count;
      this.lo[i] = accLo;
      this.hi[i] = accHi;
      if (n.kind === 'FuncDecl' || n.kind === 'FuncLit') this.funcAt.set(n, i);
      accLo |= savedLo;
      accHi |= savedHi;
    };
    walk(root);
    this.nodes.length = this.count;
  }

  private grow(): void {
    const cap = this.skip.length * 2;
    const skip = new Int32Array(cap);
    skip.set(this.skip);
    this.skip = skip;
    const own = new Uint8Array(cap);
    own.set(this.own);
    this.own = own;
    const lo = new Int32Array(cap);
    lo.set(this.lo);
    this.lo = lo;
    const hi = new Int32Array(cap);
    hi.set(this.hi);
    this.hi = hi;
  }

  contains(fn: ast.FuncDecl | ast.FuncLit, kinds: readonly ast.NodeKind[]): boolean {
    const j = this.funcAt.get(fn);
    // A function of another tree: say yes, the caller looks closer.
    if (j === undefined) return true;
    const m = maskOf(kinds);
    return !m || (this.lo[j]! & m.lo) !== 0 || (this.hi[j]! & m.hi) !== 0;
  }

  /** Number of nodes recorded. */
  get size(): number {
    return this.count;
  }

  /**
   * Calls fn for each node of one of the given kinds (all kinds when empty), in depth-first
   * pre-order. Subtrees without such nodes are skipped.
   */
  preorder<K extends ast.NodeKind>(kinds: readonly K[] | null, fn: (n: NodeOf<K>) => void): void {
    const m = maskOf(kinds);
    const { nodes, skip, own, lo, hi, count } = this;
    if (!m) {
      for (let i = 0; i < count; i++) fn(nodes[i] as NodeOf<K>);
      return;
    }
    for (let i = 0; i < count; ) {
      if ((lo[i]! & m.lo) === 0 && (hi[i]! & m.hi) === 0) {
        i = skip[i]!; // nothing of interest below
        continue;
      }
      const k = own[i]!;
      if ((k < 32 ? (m.lo >>> k) & 1 : (m.hi >>> (k - 32)) & 1) !== 0) fn(nodes[i] as NodeOf<K>);
      i++;
    }
  }

  /**
   * Like preorder, with the stack of enclosing nodes (outermost first, the node itself last).
   * Return false from fn to skip the node's children. The stack array is reused: copy it to keep it.
   */
  withStack<K extends ast.NodeKind>(kinds: readonly K[] | null, fn: (n: NodeOf<K>, stack: readonly ast.Node[]) => boolean | void): void {
    const m = maskOf(kinds);
    const { nodes, skip, own, lo, hi, count } = this;
    const stack: ast.Node[] = [];
    const ends: number[] = [];
    for (let i = 0; i < count; ) {
      while (ends.length > 0 && ends[ends.length - 1]! <= i) {
        ends.pop();
        stack.pop();
      }
      if (m && (lo[i]! & m.lo) === 0 && (hi[i]! & m.hi) === 0) {
        i = skip[i]!;
        continue;
      }
      stack.push(nodes[i]!);
      ends.push(skip[i]!);
      const k = own[i]!;
      if (!m || (k < 32 ? (m.lo >>> k) & 1 : (m.hi >>> (k - 32)) & 1) !== 0) {
        if (fn(nodes[i] as NodeOf<K>, stack) === false) {
          stack.pop();
          ends.pop();
          i = skip[i]!;
          continue;
        }
      }
      i++;
    }
  }
}
