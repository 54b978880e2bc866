import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  NOPOS,
  end,
  forEachChild,
  pos,
  unparen
} from "./chunk-DO6F2IKR.js";

// src/findings/model.ts
var SEVERITIES = ["critical", "high", "medium", "low"];
function severityRank(s) {
  return 4 - SEVERITIES.indexOf(s);
}
function isSeverity(s) {
  return SEVERITIES.includes(s);
}
var DOC_BASE_URL = "https://github.com/deferguard/deferguard/blob/main/docs/rules/";
function docUrl(ruleId) {
  return `${DOC_BASE_URL}${ruleId}.md`;
}
function compareFindings(a, b) {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

// src/types/cfg.ts
function isBlock(x) {
  return typeof x === "object" && x !== null && "succs" in x && "id" in x && "nodes" in x;
}
function exprStmtCall(s) {
  if (s.kind !== "ExprStmt") return null;
  const x = unparen(s.x);
  return x.kind === "CallExpr" ? x : null;
}
function isPanicCall(call) {
  const f = unparen(call.fun);
  if (f.kind === "Ident") return f.name === "panic";
  return f.kind === "SelectorExpr" && unparen(f.x).kind === "Ident" && unparen(f.x).name === "log" && (f.sel.name === "Panic" || f.sel.name === "Panicf" || f.sel.name === "Panicln") && (call.args?.length ?? 0) > 0;
}
function isTrue(e) {
  const x = unparen(e);
  return x.kind === "Ident" && x.name === "true";
}
function walkNode(n, visit) {
  const stack = [n];
  const add = (c) => void stack.push(c);
  while (stack.length > 0) {
    const x = stack.pop();
    if (visit(x) === false || x.kind === "FuncLit") continue;
    const base = stack.length;
    forEachChild(x, add);
    for (let i = base, j = stack.length - 1; i < j; i++, j--) {
      const t = stack[i];
      stack[i] = stack[j];
      stack[j] = t;
    }
  }
}
function nodeContains(n, pred) {
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
var CFG = class {
  body;
  /** All blocks by id: entry first, exit last. */
  blocks;
  entry;
  exit;
  /** The defer statements of the body in source order (not those of nested function literals). */
  defers;
  /** The go statements in source order. */
  gos;
  /** The return statements in source order. */
  returns;
  /** Every for and range statement of the body, in source order. */
  loops;
  /** Invalid branches met while building (unknown labels, misplaced fallthrough); the graph is still well formed. */
  problems;
  /** The block that falls off the end of the body into exit (an implicit return); not live when the body ends in a terminating statement. */
  fallOff;
  where = /* @__PURE__ */ new Map();
  spans = null;
  constructor(init) {
    this.body = init.body;
    this.blocks = init.blocks;
    this.entry = init.blocks[0];
    this.exit = init.blocks[init.blocks.length - 1];
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
  locate(n) {
    const direct = this.where.get(n);
    if (direct) return { ...direct, node: n };
    const p = pos(n);
    const e = end(n);
    if (p === NOPOS || e === NOPOS) return void 0;
    const spans = this.sortedSpans();
    let lo = 0;
    let hi = spans.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = lo + hi >> 1;
      if (spans[mid].start <= p) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = at; i >= 0 && spans[i].start === spans[at].start; i--) {
      const s = spans[i];
      if (e > s.end) continue;
      const node = s.block.nodes[s.index];
      if (insideFuncLit(node, n)) return void 0;
      if (!nodeContains(node, (x) => x === n)) continue;
      return { block: s.block, index: s.index, node };
    }
    return void 0;
  }
  /** Whether the node is a CFG entry. */
  isEntry(n) {
    return this.where.has(n);
  }
  sortedSpans() {
    if (!this.spans) {
      const spans = [];
      for (const b of this.blocks) {
        b.nodes.forEach((n, index) => {
          const start = pos(n);
          const end2 = end(n);
          if (start !== NOPOS && end2 !== NOPOS) spans.push({ start, end: end2, block: b, index });
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
  blockOrder(opts = {}) {
    const seen = new Uint8Array(this.blocks.length);
    const post = [];
    const stack = [{ b: this.entry, i: 0 }];
    seen[this.entry.id] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.i < top.b.succs.length) {
        const s = top.b.succs[top.b.succs.length - 1 - top.i++];
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
    if (!opts.liveOnly) {
      for (const b of this.blocks) if (!seen[b.id]) order.push(b);
    }
    return order;
  }
  /** Every entry of the function in CFG order (see blockOrder). */
  *entries(opts = {}) {
    for (const block of this.blockOrder(opts)) {
      for (let index = 0; index < block.nodes.length; index++) yield { block, index, node: block.nodes[index] };
    }
  }
  // ---- reachability and paths ----
  /** Blocks reachable from a point: for a node, the blocks after it (its own block included only if reached again through a cycle). */
  reachableBlocks(from) {
    const out = /* @__PURE__ */ new Set();
    const start = this.startOf(from);
    const stack = start.index === 0 ? [start.block] : [...start.block.succs];
    while (stack.length > 0) {
      const b = stack.pop();
      if (out.has(b)) continue;
      out.add(b);
      for (const s of b.succs) if (!out.has(s)) stack.push(s);
    }
    return out;
  }
  /** Whether `to` (an entry or a block) can run after `from`. */
  canReach(from, to) {
    if (isBlock(to)) return this.reachableBlocks(from).has(to);
    return this.findPath(from, to, {}) !== null;
  }
  /** Is there a path from `from` to `to` on which no entry matches `avoid`? The arrival entry itself may match `avoid`. */
  pathExists(from, to, avoid) {
    return this.findPath(from, to, { avoid }) !== null;
  }
  /**
   * Does every path from `from` to `to` (default: the exit, i.e. every normal return) pass an entry
   * matching `pass`? Paths that never arrive (panics, endless loops) are not counted.
   */
  mustPass(from, pass, to = "exit") {
    return this.findPath(from, to, { avoid: pass }) === null;
  }
  /**
   * A shortest path (fewest blocks) from `from` to `to` avoiding entries matching `avoid`, as the list
   * of blocks visited (the first is the block of `from`), or null when there is none.
   */
  findPath(from, to, opts) {
    const avoid = opts.avoid;
    const avoidBlock = opts.avoidBlock;
    const start = this.startOf(from);
    const arrives = (n) => typeof to === "function" ? to(n) : to === n;
    const nodeTarget = typeof to === "function" || typeof to === "object" && to !== null;
    const scan = (b, i) => {
      for (; i < b.nodes.length; i++) {
        const n = b.nodes[i];
        if (nodeTarget && arrives(n)) return "found";
        if (avoid && avoid(n)) return "blocked";
      }
      if (nodeTarget) return "open";
      if (to === "exit" || to === "end") {
        if (b === this.exit) return "found";
      }
      if (to === "noreturn" || to === "end") {
        if (b.noReturn) return "found";
      }
      if (to === "panic" && b.term === "panic") return "found";
      return "open";
    };
    const parent = /* @__PURE__ */ new Map();
    const first = scan(start.block, start.index);
    if (first === "found") return [start.block];
    if (first === "blocked") return null;
    const queue = [];
    const seen = /* @__PURE__ */ new Set();
    for (const s of start.block.succs) {
      if (!seen.has(s)) {
        seen.add(s);
        parent.set(s, null);
        queue.push(s);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const b = queue[qi];
      if (avoidBlock && avoidBlock(b)) continue;
      const r = scan(b, 0);
      if (r === "found") {
        const path = [];
        for (let x = b; x; x = parent.get(x)) path.push(x);
        path.push(start.block);
        return path.reverse();
      }
      if (r === "blocked") continue;
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
  startOf(from) {
    if (isBlock(from)) return { block: from, index: 0 };
    const ref = this.locate(from);
    if (!ref) throw new CFGQueryError(`node at offset ${pos(from)} is not part of this function's control-flow graph`);
    return { block: ref.block, index: ref.index + 1 };
  }
  // ---- loops ----
  /** The loop info of a for/range statement (a labeled statement is unwrapped), or undefined if it is not in this body. */
  loop(stmt) {
    let s = stmt;
    while (s.kind === "LabeledStmt") s = s.stmt;
    return s.kind === "ForStmt" || s.kind === "RangeStmt" ? this.loops.get(s) : void 0;
  }
  /**
   * How a loop can be left: the natural exit (condition false, range exhausted) and every edge from a
   * block of the loop that is reachable from its header to a block outside it. Breaks that target a
   * switch, select or loop nested inside stay inside; labeled break/continue and goto to an outer
   * target, and return, leave. Panics and no-return calls have no successors, so they never count.
   */
  loopExits(stmt) {
    const info = this.loop(stmt);
    if (!info) throw new CFGQueryError(`statement at offset ${pos(stmt)} is not a for or range loop of this function`);
    const exits = [];
    let natural = false;
    const seen = /* @__PURE__ */ new Set([info.header]);
    const stack = [info.header];
    while (stack.length > 0) {
      const b = stack.pop();
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
          const via = last && (last.kind === "BranchStmt" || last.kind === "ReturnStmt") ? last : null;
          exits.push({ from: b, to: s, via });
        }
      }
    }
    exits.sort((a, b) => a.from.id - b.from.id || a.to.id - b.to.id);
    return { natural, exits, canExit: natural || exits.length > 0 };
  }
  /** Whether the loop statement can ever be left (see loopExits). */
  loopCanExit(stmt) {
    return this.loopExits(stmt).canExit;
  }
  /** The loops (innermost first) whose bodies contain the block. */
  loopsContaining(b) {
    const out = [];
    for (let l = b.loop; l; l = l.parent) out.push(l);
    return out;
  }
};
var CFGQueryError = class extends Error {
  name = "CFGQueryError";
};
function insideFuncLit(root, target) {
  const p = pos(target);
  const e = end(target);
  let inside = false;
  walkNode(root, (x) => {
    if (inside) return false;
    const xp = pos(x);
    const xe = end(x);
    if (xp > p || xe < e) return false;
    if (x.kind === "FuncLit" && x !== target) {
      inside = true;
      return false;
    }
    return true;
  });
  return inside;
}
var Loop = class {
  constructor(stmt, label, parent, enter) {
    this.stmt = stmt;
    this.label = label;
    this.parent = parent;
    this.enter = enter;
  }
  stmt;
  label;
  parent;
  enter;
  header;
  body;
  post = null;
  done;
  leave = Number.MAX_SAFE_INTEGER;
  blocks = [];
  memo = null;
  contains(b) {
    const x = b.loop;
    return x !== null && this.enter <= x.enter && x.leave <= this.leave;
  }
  get members() {
    this.memo ??= new Set(this.blocks.filter((b) => this.contains(b)));
    return this.memo;
  }
};
var Builder = class {
  constructor(mayReturn) {
    this.mayReturn = mayReturn;
    this.current = this.newBlock("entry", null);
    this.exit = makeBlock("exit", null);
    this.exit.term = "exit";
  }
  mayReturn;
  blocks = [];
  exit;
  current;
  targets = [];
  labels = /* @__PURE__ */ new Map();
  open = [];
  tick = 0;
  loops = /* @__PURE__ */ new Map();
  defers = [];
  gos = [];
  returns = [];
  problems = [];
  newBlock(kind, stmt) {
    const b = makeBlock(kind, stmt);
    b.id = this.blocks.length;
    this.blocks.push(b);
    if (kind !== "label") b.loop = this.open[this.open.length - 1] ?? null;
    return b;
  }
  add(n) {
    this.current.nodes.push(n);
  }
  edge(from, to) {
    from.succs.push(to);
    to.preds.push(from);
  }
  jump(to) {
    this.edge(this.current, to);
  }
  branch(to, control) {
    for (const t of to) this.edge(this.current, t);
    this.current.term = "branch";
    this.current.control = control;
  }
  /** Starts a block that nothing jumps to (the code after a return, branch or no-return call). */
  dead(after) {
    this.current = this.newBlock("unreachable", after);
  }
  stmtList(list) {
    if (list) for (const s of list) this.stmt(s, null);
  }
  labelInfo(name) {
    let l = this.labels.get(name);
    if (!l) {
      l = { block: this.newBlock("label", null), defined: false };
      this.labels.set(name, l);
    }
    return l;
  }
  stmt(s, label) {
    switch (s.kind) {
      case "LabeledStmt": {
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
      case "BlockStmt":
        for (const x of s.list ?? []) this.stmt(x, null);
        return;
      case "EmptyStmt":
        return;
      case "ExprStmt": {
        this.add(s);
        const call = exprStmtCall(s);
        if (call) {
          const panics = isPanicCall(call);
          if (panics || !this.mayReturn(call)) {
            this.current.term = panics ? "panic" : "noreturn";
            this.current.noReturn = true;
            this.current.noReturnCall = call;
            this.dead(s);
          }
        }
        return;
      }
      case "ReturnStmt":
        this.add(s);
        this.returns.push(s);
        this.jump(this.exit);
        this.current.term = "return";
        this.dead(s);
        return;
      case "DeferStmt":
        this.add(s);
        this.defers.push(s);
        return;
      case "GoStmt":
        this.add(s);
        this.gos.push(s);
        return;
      case "BranchStmt":
        this.branchStmt(s);
        return;
      case "IfStmt":
        this.ifStmt(s);
        return;
      case "SwitchStmt":
      case "TypeSwitchStmt":
        this.switchStmt(s, label);
        return;
      case "SelectStmt":
        this.selectStmt(s, label);
        return;
      case "ForStmt":
        this.forStmt(s, label);
        return;
      case "RangeStmt":
        this.rangeStmt(s, label);
        return;
      case "CaseClause":
      case "CommClause":
        this.problems.push(`case clause outside a switch or select at offset ${pos(s)}`);
        this.stmtList(s.body);
        return;
      default:
        this.add(s);
    }
  }
  branchStmt(s) {
    this.add(s);
    const name = s.label ? s.label.name : null;
    let to = null;
    switch (s.tok) {
      case "break":
      case "continue": {
        const isBreak = s.tok === "break";
        for (let i = this.targets.length - 1; i >= 0; i--) {
          const t = this.targets[i];
          const b = isBreak ? t.brk : t.cont;
          if (name === null ? b !== null : t.label === name) {
            to = b;
            break;
          }
        }
        if (!to) this.problems.push(`${s.tok}${name ? " " + name : ""} at offset ${s.tokPos} has no enclosing target`);
        break;
      }
      case "goto":
        if (name) to = this.labelInfo(name).block;
        else this.problems.push(`goto without a label at offset ${s.tokPos}`);
        break;
      case "fallthrough": {
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
  ifStmt(s) {
    if (s.init) this.stmt(s.init, null);
    this.add(s.cond);
    const then = this.newBlock("if.then", s);
    const els = s.else ? this.newBlock("if.else", s) : null;
    const done = this.newBlock("if.done", s);
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
  switchStmt(s, label) {
    if (s.init) this.stmt(s.init, null);
    if (s.kind === "SwitchStmt") {
      if (s.tag) this.add(s.tag);
    } else this.add(s.assign);
    const clauses = [];
    for (const c of s.body.list ?? []) {
      if (c.kind === "CaseClause") clauses.push(c);
      else this.problems.push(`non-case statement in switch body at offset ${pos(c)}`);
    }
    const bodies = clauses.map((c) => this.newBlock("switch.case", c));
    const done = this.newBlock("switch.done", s);
    let dflt = null;
    for (let i = 0; i < clauses.length; i++) {
      const c = clauses[i];
      if (c.list === null) {
        dflt = bodies[i];
        continue;
      }
      for (const e of c.list) this.add(e);
      const next = this.newBlock("switch.next", c);
      this.branch([bodies[i], next], s);
      this.current = next;
    }
    this.jump(dflt ?? done);
    for (let i = 0; i < clauses.length; i++) {
      this.current = bodies[i];
      const fall = s.kind === "SwitchStmt" ? bodies[i + 1] ?? null : null;
      this.targets.push({ label, brk: done, cont: null, fall });
      for (const x of clauses[i].body ?? []) this.stmt(x, null);
      this.targets.pop();
      this.jump(done);
    }
    this.current = done;
  }
  selectStmt(s, label) {
    const clauses = [];
    for (const c of s.body.list ?? []) {
      if (c.kind === "CommClause") clauses.push(c);
      else this.problems.push(`non-case statement in select body at offset ${pos(c)}`);
    }
    if (clauses.length === 0) {
      this.current.term = "forever";
      this.current.control = s;
      this.dead(s);
      return;
    }
    const cases = clauses.map((c) => this.newBlock("select.case", c));
    const done = this.newBlock("select.done", s);
    this.branch(cases, s);
    for (let i = 0; i < clauses.length; i++) {
      const c = clauses[i];
      this.current = cases[i];
      if (c.comm) this.add(c.comm);
      this.targets.push({ label, brk: done, cont: null });
      for (const x of c.body ?? []) this.stmt(x, null);
      this.targets.pop();
      this.jump(done);
    }
    this.current = done;
  }
  openLoop(s, label) {
    const l = new Loop(s, label, this.open[this.open.length - 1] ?? null, ++this.tick);
    l.blocks = this.blocks;
    this.open.push(l);
    this.loops.set(s, l);
    return l;
  }
  closeLoop(l) {
    l.leave = ++this.tick;
    this.open.pop();
  }
  forStmt(s, label) {
    if (s.init) this.stmt(s.init, null);
    const open = this.openLoop(s, label);
    const header = open.header = this.newBlock("for.loop", s);
    const body = open.body = this.newBlock("for.body", s);
    const post = open.post = s.post ? this.newBlock("for.post", s) : null;
    const done = open.done = this.newBlock("for.done", s);
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
  rangeStmt(s, label) {
    this.add(s.x);
    const open = this.openLoop(s, label);
    const header = open.header = this.newBlock("range.loop", s);
    const body = open.body = this.newBlock("range.body", s);
    const done = open.done = this.newBlock("range.done", s);
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
  finish(body) {
    const fallOff = this.current;
    this.jump(this.exit);
    for (const [name, l] of this.labels) if (!l.defined) this.problems.push(`label ${name} is used but not defined`);
    this.exit.id = this.blocks.length;
    this.blocks.push(this.exit);
    const stack = [this.blocks[0]];
    this.blocks[0].live = true;
    while (stack.length > 0) {
      const b = stack.pop();
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
      fallOff
    });
  }
};
function makeBlock(kind, stmt) {
  return { id: -1, kind, nodes: [], succs: [], preds: [], stmt, term: "jump", control: null, noReturn: false, noReturnCall: null, live: false, loop: null };
}
function buildCFG(body, opts = {}) {
  const b = new Builder(opts.mayReturn ?? (() => true));
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
var CFGBuildError = class extends Error {
  name = "CFGBuildError";
};

// src/types/callgraph.ts
function shortNameOf(qualified) {
  return qualified.slice(qualified.lastIndexOf(".") + 1);
}
function calledName(call) {
  let f = unparen(call.fun);
  if (f.kind === "IndexExpr" || f.kind === "IndexListExpr") f = unparen(f.x);
  if (f.kind === "Ident") return f.name;
  if (f.kind === "SelectorExpr") return f.sel.name;
  return void 0;
}
var DEFAULT_NO_RETURN = /* @__PURE__ */ new Set([
  "os.Exit",
  "syscall.Exit",
  "runtime.Goexit",
  "log.Fatal",
  "log.Fatalf",
  "log.Fatalln",
  "(*log.Logger).Fatal",
  "(*log.Logger).Fatalf",
  "(*log.Logger).Fatalln",
  ...["common", "T", "B", "F"].flatMap(
    (t) => ["FailNow", "Fatal", "Fatalf", "SkipNow", "Skip", "Skipf"].map((m) => `(*testing.${t}).${m}`)
  ),
  ...["FailNow", "Fatal", "Fatalf", "SkipNow", "Skip", "Skipf"].map((m) => `(testing.TB).${m}`)
]);
var DEFAULT_NO_RETURN_NAMES = new Set([...DEFAULT_NO_RETURN].map(shortNameOf));
var CallGraph = class _CallGraph {
  constructor(nodes, byFunc, callTarget, info, opts, callersByName, rangeTargets = /* @__PURE__ */ new Map()) {
    this.callersByName = callersByName;
    this.rangeTargets = rangeTargets;
    this.nodes = nodes;
    this.byFunc = byFunc;
    this.callTarget = callTarget;
    this.info = info;
    const noReturn = opts.noReturn ?? ((_call, c) => !!c && DEFAULT_NO_RETURN.has(c.name));
    const names = opts.noReturnNames ?? (opts.noReturn ? void 0 : DEFAULT_NO_RETURN_NAMES);
    this.candidateNames = names;
    this.baseNoReturn = (call) => {
      if (isPanicCall(call)) return false;
      if (names) {
        const n = calledName(call);
        if (n !== void 0 && !names.has(n)) return false;
      }
      return noReturn(call, this.info.callee(call));
    };
  }
  callersByName;
  rangeTargets;
  nodes;
  byFunc;
  callTarget;
  info;
  baseNoReturn;
  exits = null;
  cfgs = /* @__PURE__ */ new Map();
  /** CFGs built for the exit analysis (only the base no-return calls end blocks). */
  baseCfgs = /* @__PURE__ */ new Map();
  candidateNames;
  /** The functions whose own body (not their literals) has a call that may not return by name, in node order. */
  candidates() {
    const names = this.candidateNames;
    const byName = this.callersByName;
    if (!names || !byName) return this.nodes.filter((n) => this.hasCandidateCall(n));
    const found = new Set(byName.get("") ?? []);
    for (const name of names) for (const n of byName.get(name) ?? []) found.add(n);
    return [...found].filter((n) => !!n.body).sort((a, b) => a.id - b.id);
  }
  /** Whether a function's own body (not its literals) has a call that may not return by name. */
  hasCandidateCall(fn) {
    const names = this.candidateNames;
    if (!names || !fn.body) return !!fn.body;
    let found = false;
    const stack = [fn.body];
    while (stack.length > 0 && !found) {
      const n = stack.pop();
      if (n.kind === "FuncLit") continue;
      if (n.kind === "CallExpr") {
        const name = calledName(n);
        if (name === void 0 || names.has(name)) found = true;
      }
      forEachChild(n, (c) => void stack.push(c));
    }
    return found;
  }
  /**
   * The same graph (nodes and edges are shared, nothing is walked again) with other no-return
   * calls: its exit analysis and CFGs are its own.
   */
  withNoReturn(opts) {
    return new _CallGraph(this.nodes, this.byFunc, this.callTarget, this.info, opts, this.callersByName, this.rangeTargets);
  }
  /** For a call a range statement ranges over (`for k, v := range m.All()`), the function literals it returns: what the range runs. */
  rangeTargetsOf(call) {
    return this.rangeTargets.get(call) ?? [];
  }
  /** The node of a function declaration or literal of the package. */
  nodeOf(f) {
    return this.byFunc.get(f);
  }
  /**
   * The same-package function a call statically calls: a declared function or method, a literal
   * called in place, or the literal a local variable always holds (`cleanup := func() {...}; cleanup()`).
   */
  calleeOf(call) {
    return this.callTarget.get(call);
  }
  /** Distinct callees in first-edge order, following edges of the given kinds (default: all). */
  callees(fn, kinds) {
    return distinct(fn.out.filter((e) => !kinds || kinds.includes(e.kind)).map((e) => e.callee));
  }
  /** Distinct callers in first-edge order, following edges of the given kinds (default: all). */
  callers(fn, kinds) {
    return distinct(fn.in.filter((e) => !kinds || kinds.includes(e.kind)).map((e) => e.caller));
  }
  /**
   * A shortest call path from `from` to a function (other than the start, unless reached again)
   * satisfying pred, following edges of the kinds in `follow` (default: only 'call') at most
   * `maxDepth` edges deep (default 5). Ties go to the earlier edge in source order.
   */
  findPath(from, pred, opts = {}) {
    const maxDepth = opts.maxDepth ?? 5;
    const follow = opts.follow ?? ["call"];
    const via = /* @__PURE__ */ new Map([[from, null]]);
    let frontier = [from];
    for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
      const next = [];
      for (const fn of frontier) {
        for (const e of fn.out) {
          if (!follow.includes(e.kind)) continue;
          if (pred(e.callee)) {
            const edges = [e];
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
  formatPath(path) {
    const nodes = Array.isArray(path) ? path : path.nodes;
    return nodes.map((n) => n.name).join(" → ");
  }
  /**
   * Whether every path through the function ends in a call that does not return (os.Exit,
   * log.Fatal, ... or a same-package helper that always exits): it never returns normally, never
   * panics, never blocks in `select {}`, and reaches at least one such call.
   */
  alwaysExits(fn) {
    return this.exitWitnesses().has(fn);
  }
  /** For a function that always exits: the call its first exiting path ends in. */
  exitWitness(fn) {
    return this.exitWitnesses().get(fn);
  }
  /** For a function that always exits, the chain of helpers down to the terminating call: [fn, helper, ...] and that call. */
  exitChain(fn) {
    const nodes = [];
    let w = this.exitWitness(fn);
    if (!w) return void 0;
    nodes.push(fn);
    while (w.helper) {
      nodes.push(w.helper);
      const next = this.exitWitness(w.helper);
      if (!next) break;
      w = next;
    }
    return { nodes, call: w.call };
  }
  /** Whether a call may return: false for panic, the base no-return calls, and calls of same-package helpers that always exit. */
  mayReturn(call) {
    if (isPanicCall(call) || this.baseNoReturn(call)) return false;
    const target = this.callTarget.get(call);
    return !(target && this.exitWitnesses().has(target));
  }
  /** The CFG of a function's body built with mayReturn (cached). Undefined for declarations without a body. */
  cfg(fn) {
    if (!fn.body) return void 0;
    let g = this.cfgs.get(fn);
    if (!g) {
      const exits = this.exitWitnesses();
      const base = this.baseCfgs.get(fn);
      g = base && !fn.out.some((e) => exits.has(e.callee)) ? base : buildCFG(fn.body, { mayReturn: (call) => this.mayReturn(call) });
      this.cfgs.set(fn, g);
    }
    return g;
  }
  exitWitnesses() {
    if (this.exits) return this.exits;
    const exits = /* @__PURE__ */ new Map();
    const base = this.baseCfgs;
    const start = this.candidates();
    const queued = new Set(start);
    const work = [...start];
    while (work.length > 0) {
      const fn = work.shift();
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
      for (const e of fn.in) {
        if (e.kind === "call" && !exits.has(e.caller) && !queued.has(e.caller)) {
          queued.add(e.caller);
          work.push(e.caller);
        }
      }
    }
    this.exits = exits;
    return exits;
  }
  /** Scans the CFG from the entry, ending paths at no-return calls and at calls of helpers already known to exit. */
  exitingWitness(g, exits) {
    let witness = null;
    const seen = /* @__PURE__ */ new Set([g.entry]);
    const queue = [g.entry];
    for (let qi = 0; qi < queue.length; qi++) {
      const b = queue[qi];
      let ended = false;
      for (const n of b.nodes) {
        const call = exprStmtCall(n);
        const target = call ? this.callTarget.get(call) : void 0;
        if (call && target && exits.has(target)) {
          witness ??= { call, helper: target };
          ended = true;
          break;
        }
      }
      if (ended) continue;
      if (b === g.exit || b.term === "panic" || b.term === "forever") return null;
      if (b.term === "noreturn") {
        witness ??= { call: b.noReturnCall, helper: null };
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
};
function distinct(xs) {
  return [...new Set(xs)];
}
function recvName(d) {
  const f = d.recv?.list?.[0];
  if (!f || !f.type) return null;
  let t = unparen(f.type);
  let star = "";
  if (t.kind === "StarExpr") {
    star = "*";
    t = unparen(t.x);
  }
  if (t.kind === "IndexExpr" || t.kind === "IndexListExpr") t = unparen(t.x);
  return `(${star}${t.kind === "Ident" ? t.name : "?"})`;
}
function returnedLits(body) {
  const out = [];
  const stack = [body];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x.kind === "FuncLit") continue;
    if (x.kind === "ReturnStmt") {
      for (const r of x.results ?? []) {
        const u = unparen(r);
        if (u.kind === "FuncLit") out.push(u);
      }
      continue;
    }
    forEachChild(x, (c) => void stack.push(c));
  }
  return out;
}
function buildCallGraph(files, info, opts = {}) {
  const nodes = [];
  const byFunc = /* @__PURE__ */ new Map();
  const callTarget = /* @__PURE__ */ new Map();
  const litCount = /* @__PURE__ */ new Map();
  const declNames = /* @__PURE__ */ new Map();
  const pending = [];
  const edges = [];
  const litNames = /* @__PURE__ */ new Set();
  const callersByName = /* @__PURE__ */ new Map();
  const viaVar = [];
  const rangeCalls = [];
  const noteLits = (lhs, rhs) => {
    if (!rhs || rhs.length !== lhs.length) return;
    for (let i = 0; i < rhs.length; i++) {
      const l = lhs[i];
      if (l.kind === "Ident" && unparen(rhs[i]).kind === "FuncLit") litNames.add(l.name);
    }
  };
  const addNode = (n) => {
    const node = { ...n, id: nodes.length, out: [], in: [] };
    nodes.push(node);
    byFunc.set(n.decl ?? n.lit, node);
    return node;
  };
  const localNames = /* @__PURE__ */ new Set();
  for (const f of files) for (const d of f.decls ?? []) if (d.kind === "FuncDecl") localNames.add(d.name.name);
  const mayBeLocal = (fun) => {
    let x = fun;
    if (x.kind === "IndexExpr" || x.kind === "IndexListExpr") x = unparen(x.x);
    if (x.kind === "Ident") return localNames.has(x.name);
    if (x.kind === "SelectorExpr") return localNames.has(x.sel.name);
    return true;
  };
  const funcDeclOf = (e) => {
    const x = unparen(e);
    const id = x.kind === "Ident" ? x : x.kind === "SelectorExpr" ? x.sel : null;
    return id && localNames.has(id.name) ? info.objectOf(id)?.funcDecl : void 0;
  };
  const walk = (root, rootOwner, file) => {
    const sN = [root];
    const sU = [null];
    const sO = [rootOwner];
    let owner = null;
    const push = (c, u = null, o = owner) => {
      sN.push(c);
      sU.push(u);
      sO.push(o);
    };
    const pushChild = (c) => push(c);
    let skip = null;
    const pushExceptSkip = (c) => {
      if (c !== skip) push(c);
    };
    const litNode = (lit, o) => {
      const k = (litCount.get(o) ?? 0) + 1;
      litCount.set(o, k);
      return addNode({ name: `${o ? o.name : "init"}$${k}`, decl: null, lit, body: lit.body, parent: o, file });
    };
    while (sN.length > 0) {
      const n = sN.pop();
      const use = sU.pop();
      owner = sO.pop();
      const base = sN.length;
      switch (n.kind) {
        case "FuncLit": {
          const node = litNode(n, owner);
          if (owner) edges.push({ caller: owner, callee: node, kind: use ?? "value", site: n });
          push(n.body, null, node);
          break;
        }
        case "DeferStmt":
        case "GoStmt":
          push(n.call, n.kind === "DeferStmt" ? "defer" : "go");
          break;
        case "CallExpr": {
          const kind = use ?? "call";
          if (owner) {
            const name = calledName(n) ?? "";
            let list = callersByName.get(name);
            if (!list) callersByName.set(name, list = []);
            if (list[list.length - 1] !== owner) list.push(owner);
          }
          const fun = unparen(n.fun);
          if (fun.kind === "FuncLit") {
            const node = litNode(fun, owner);
            callTarget.set(n, node);
            if (owner) edges.push({ caller: owner, callee: node, kind, site: n });
            push(fun.body, null, node);
          } else {
            const decl = mayBeLocal(fun) ? info.callee(n)?.decl : void 0;
            if (decl) pending.push({ caller: owner, decl, kind, site: n, call: n });
            if (fun.kind === "SelectorExpr") push(fun.x);
            else if (fun.kind === "IndexExpr" || fun.kind === "IndexListExpr") {
              skip = fun.x;
              forEachChild(fun, pushExceptSkip);
              skip = null;
            } else if (fun.kind !== "Ident") push(fun);
            else if (!decl && litNames.has(fun.name)) viaVar.push({ caller: owner, id: fun, kind, call: n });
          }
          if (n.args) for (const a of n.args) push(a);
          break;
        }
        case "Ident":
        case "SelectorExpr": {
          const decl = funcDeclOf(n);
          if (decl && owner) pending.push({ caller: owner, decl, kind: "value", site: n, call: null });
          if (n.kind === "SelectorExpr") push(n.x);
          break;
        }
        case "AssignStmt":
          if (n.tok === "=" || n.tok === ":=") noteLits(n.lhs, n.rhs);
          forEachChild(n, pushChild);
          break;
        case "RangeStmt": {
          const x = unparen(n.x);
          if (owner && x.kind === "CallExpr" && mayBeLocal(unparen(x.fun))) rangeCalls.push({ caller: owner, call: x });
          forEachChild(n, pushChild);
          break;
        }
        case "ValueSpec":
          noteLits(n.names, n.values);
          forEachChild(n, pushChild);
          break;
        case "KeyValueExpr":
          if (n.key.kind !== "Ident") push(n.key);
          push(n.value);
          break;
        case "BasicLit":
        case "Comment":
        case "CommentGroup":
          break;
        default:
          forEachChild(n, pushChild);
      }
      for (let i = base, j = sN.length - 1; i < j; i++, j--) {
        const n1 = sN[i];
        sN[i] = sN[j];
        sN[j] = n1;
        const u1 = sU[i];
        sU[i] = sU[j];
        sU[j] = u1;
        const o1 = sO[i];
        sO[i] = sO[j];
        sO[j] = o1;
      }
    }
  };
  for (const file of files) {
    for (const d of file.decls ?? []) {
      if (d.kind !== "FuncDecl") continue;
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
      if (d.kind === "FuncDecl") {
        if (d.body) walk(d.body, byFunc.get(d), file);
      } else if (d.kind === "GenDecl") walk(d, null, file);
    }
  }
  for (const p of pending) {
    const callee = byFunc.get(p.decl);
    if (!callee) continue;
    if (p.call) callTarget.set(p.call, callee);
    if (p.caller) edges.push({ caller: p.caller, callee, kind: p.kind, site: p.site });
  }
  const rangeTargets = /* @__PURE__ */ new Map();
  for (const r of rangeCalls) {
    const factory = callTarget.get(r.call);
    if (!factory?.decl?.body) continue;
    for (const lit of returnedLits(factory.decl.body)) {
      const node = byFunc.get(lit);
      if (!node) continue;
      edges.push({ caller: r.caller, callee: node, kind: "call", site: r.call });
      let list = rangeTargets.get(r.call);
      if (!list) rangeTargets.set(r.call, list = []);
      list.push(node);
    }
  }
  const litOf = /* @__PURE__ */ new Map();
  const literalOfVar = (decl, scope) => {
    let r = litOf.get(decl);
    if (r !== void 0) return r;
    let lit = null;
    let other = false;
    const isVar = (e) => e.kind === "Ident" && e.name === decl.name && (e === decl || info.objectOf(e)?.decl === decl);
    const seen = (value) => {
      const v = value ? unparen(value) : null;
      if (v?.kind === "FuncLit" && !lit) lit = v;
      else other = true;
    };
    const stack = [scope];
    while (stack.length > 0 && !other) {
      const x = stack.pop();
      if (x.kind === "AssignStmt") {
        x.lhs.forEach((l, i) => {
          if (isVar(unparen(l))) seen((x.tok === "=" || x.tok === ":=") && x.lhs.length === x.rhs.length ? x.rhs[i] : null);
        });
      } else if (x.kind === "ValueSpec") {
        x.names.forEach((nm, i) => {
          if (isVar(nm) && x.values) seen(x.values.length === x.names.length ? x.values[i] : null);
        });
      } else if (x.kind === "RangeStmt") {
        if (x.key && isVar(unparen(x.key)) || x.value && isVar(unparen(x.value))) other = true;
      } else if (x.kind === "UnaryExpr" && x.op === "&" && isVar(unparen(x.x))) other = true;
      forEachChild(x, (c) => void stack.push(c));
    }
    r = other ? null : lit;
    litOf.set(decl, r);
    return r;
  };
  for (const v of viaVar) {
    const o = info.objectOf(v.id);
    if (!o || o.kind !== "var" || o.varKind !== "local" || !o.decl) continue;
    const at = pos(o.decl);
    let scope = v.caller;
    while (scope && !(scope.body && pos(scope.body) <= at && at < end(scope.body))) scope = scope.parent;
    if (!scope?.body) continue;
    const lit = literalOfVar(o.decl, scope.body);
    const callee = lit ? byFunc.get(lit) : void 0;
    if (!callee) continue;
    callTarget.set(v.call, callee);
    if (v.caller) edges.push({ caller: v.caller, callee, kind: v.kind, site: v.call });
  }
  const sitePos = /* @__PURE__ */ new Map();
  for (const e of edges) sitePos.set(e, pos(e.site));
  edges.sort((a, b) => a.caller.id - b.caller.id || sitePos.get(a) - sitePos.get(b) || a.callee.id - b.callee.id);
  for (const e of edges) {
    e.caller.out.push(e);
    e.callee.in.push(e);
  }
  return new CallGraph(nodes, byFunc, callTarget, info, opts, callersByName, rangeTargets);
}

export {
  SEVERITIES,
  severityRank,
  isSeverity,
  docUrl,
  compareFindings,
  walkNode,
  nodeContains,
  buildCFG,
  shortNameOf,
  calledName,
  DEFAULT_NO_RETURN,
  buildCallGraph
};
