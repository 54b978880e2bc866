import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  closest
} from "./chunk-C3WIRZWW.js";
import {
  DEFAULT_MAX_NESTING,
  parseFile
} from "./chunk-BEBMU46B.js";
import {
  DEFAULT_NO_RETURN,
  Universe,
  buildCFG,
  buildCallGraph,
  checkPackage,
  docUrl,
  exprStmtCall,
  isPanicCall
} from "./chunk-X2CHC4MP.js";
import {
  bytesContain,
  end,
  forEachChild,
  inspect,
  pos,
  returnedSelector,
  unparen
} from "./chunk-YTCJ642O.js";

// src/load/files.ts
import { closeSync, fstatSync, openSync, readSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
var DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024;
function describe(e) {
  const err = e;
  switch (err?.code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ELOOP":
      return "too many levels of symbolic links";
    case "ENOTDIR":
      return "not a directory";
    default:
      return err?.message ?? String(e);
  }
}
var scratch = new Uint8Array(256 * 1024);
var probe = new Uint8Array(64 * 1024);
function readFileLimited(path, display, maxBytes = DEFAULT_MAX_FILE_SIZE, limit) {
  let fd;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    return { ok: false, error: `${display}: cannot read: ${describe(e)}` };
  }
  try {
    if (limit === void 0) {
      const want2 = Math.min(scratch.length, maxBytes + 1);
      const n = readSync(fd, scratch, 0, want2, 0);
      if (n < want2) return { ok: true, bytes: scratch.slice(0, n) };
    }
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, error: `${display}: cannot read: is a directory` };
    if (st.size > maxBytes) {
      return { ok: false, error: `${display}: file is ${st.size} bytes, over the ${maxBytes}-byte limit; skipped` };
    }
    const want = limit !== void 0 ? Math.min(limit, st.size) : st.size;
    const buf = new Uint8Array(want);
    let got = 0;
    while (got < want) {
      const n = readSync(fd, buf, got, want - got, got);
      if (n === 0) break;
      got += n;
    }
    if (limit === void 0 && got === want) {
      const extra = [];
      let total = got;
      for (; ; ) {
        const n = readSync(fd, probe, 0, probe.length, total);
        if (n === 0) break;
        total += n;
        if (total > maxBytes) return { ok: false, error: `${display}: file is over the ${maxBytes}-byte limit; skipped` };
        extra.push(probe.slice(0, n));
      }
      if (extra.length) {
        const all = new Uint8Array(total);
        all.set(buf, 0);
        let at = got;
        for (const c of extra) {
          all.set(c, at);
          at += c.length;
        }
        return { ok: true, bytes: all };
      }
    }
    return { ok: true, bytes: got === want ? buf : buf.subarray(0, got) };
  } catch (e) {
    return { ok: false, error: `${display}: cannot read: ${describe(e)}` };
  } finally {
    closeSync(fd);
  }
}
function isReadFailure(message) {
  return /: cannot read: |: cannot list directory: |-byte limit; skipped$/.test(message);
}
function listDir(dir, display) {
  let ents;
  try {
    ents = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    return { ok: false, error: `${display}: cannot list directory: ${describe(e)}` };
  }
  const out = [];
  for (const d of ents) {
    const name = d.name;
    if (d.isSymbolicLink()) {
      try {
        const st = statSync(join(dir, name));
        out.push({ name, isDir: st.isDirectory(), isFile: st.isFile(), isSymlink: true });
      } catch (e) {
        out.push({ name, isDir: false, isFile: false, isSymlink: true, error: describe(e) });
      }
      continue;
    }
    out.push({ name, isDir: d.isDirectory(), isFile: d.isFile(), isSymlink: false });
  }
  out.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { ok: true, entries: out };
}
function realPath(p) {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}
function isFile(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
function isDir(p) {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

// src/findings/suppress.ts
var LINTER_NAME = "deferguard";
var NOLINT_RE = /^nolint( |:|$)/;
var IGNORE_PREFIX = "deferguard:ignore";
var LINT_IGNORE_PREFIX = "lint:ignore ";
var GOLAND_PREFIX = "goland:noinspection ";
var GOLAND_EQUIVALENTS = {
  GoDeferInLoop: ["defer-in-loop", "defer-in-infinite-loop"]
  // "defer in loop"
};
var STATICCHECK_EQUIVALENTS = {
  SA2003: ["defer-lock-mismatch"],
  // deferred Lock right after locking
  SA5001: ["defer-before-error-check"],
  // deferring Close before checking for a possible error
  SA5003: ["defer-in-infinite-loop"],
  // defers in infinite loops never run
  SA9001: ["defer-in-loop"]
  // defers in range loops may not run when you expect them to
};
var utf8 = new TextEncoder();
function collectDirectives(src, file, opts = {}) {
  const path = opts.path ?? src.name;
  const directives = [];
  const diagnostics = [];
  const standalone = [];
  for (const group of file.comments ?? []) {
    const list = group.list;
    if (list.length === 0) continue;
    const last = list[list.length - 1];
    const groupEndLine = src.position(last.slash + utf8.encode(last.text).length).line;
    for (const c of list) {
      if (!c.text.startsWith("//")) continue;
      const body = c.text.slice(2);
      const pos2 = src.position(c.slash);
      const parsed = parseDirective(body);
      if (!parsed) continue;
      const d = {
        file: path,
        kind: parsed.kind,
        text: c.text,
        line: pos2.line,
        column: pos2.column,
        rules: parsed.rules,
        explicit: parsed.explicit,
        reason: parsed.reason,
        fromLine: pos2.line,
        toLine: pos2.line
      };
      if (parsed.kind === "ignore") {
        if (parsed.rules !== "all" && parsed.rules.length === 0) {
          diagnostics.push({
            file: path,
            line: pos2.line,
            column: pos2.column,
            problem: "no-rule",
            message: `//deferguard:ignore names no rule; write //deferguard:ignore <rule>[,<rule>] <reason>`
          });
          continue;
        }
        if (parsed.reason === "") {
          diagnostics.push({
            file: path,
            line: pos2.line,
            column: pos2.column,
            problem: "missing-reason",
            message: `//deferguard:ignore ${parsed.rules.join(",")} has no reason; add why the finding is acceptable after the rule list`
          });
        }
        if (opts.knownRules && parsed.rules !== "all") {
          for (const r of parsed.rules) {
            if (!opts.knownRules.has(r)) {
              diagnostics.push({
                file: path,
                line: pos2.line,
                column: pos2.column,
                problem: "unknown-rule",
                message: `//deferguard:ignore names unknown rule "${r}"${suggest(r, opts.knownRules)}`
              });
            }
          }
        }
      }
      directives.push(d);
      if (isAloneOnLine(src, c.slash)) standalone.push({ d, groupEndLine, column: pos2.column });
    }
  }
  if (standalone.length > 0) {
    const byStart = /* @__PURE__ */ new Map();
    inspect(file, (n) => {
      if (n.kind === "File" || n.kind === "CommentGroup" || n.kind === "Comment") return;
      const start = pos(n);
      const stop = end(n);
      if (start < 0 || stop < start) return;
      const p = src.position(start);
      const key = `${p.line}:${p.column}`;
      const endLine = src.position(Math.max(start, stop - 1)).line;
      byStart.set(key, Math.max(byStart.get(key) ?? 0, endLine));
    });
    for (const s of standalone) {
      const next = s.groupEndLine + 1;
      const nodeEnd = byStart.get(`${next}:${s.column}`);
      s.d.toLine = Math.max(next, nodeEnd ?? next);
    }
  }
  return { directives, diagnostics };
}
function parseDirective(body) {
  if (body.startsWith(IGNORE_PREFIX) && (body.length === IGNORE_PREFIX.length || /\s/.test(body[IGNORE_PREFIX.length]))) {
    const rest = body.slice(IGNORE_PREFIX.length).trim();
    const m = /^(\S*)\s*(.*)$/s.exec(rest);
    const rules = m[1].split(",").map((r) => r.trim().toLowerCase()).filter((r) => r !== "");
    let reason2 = m[2].trim();
    if (reason2.startsWith("//")) reason2 = reason2.slice(2).trim();
    return { kind: "ignore", rules, explicit: true, reason: reason2 };
  }
  if (body.startsWith(LINT_IGNORE_PREFIX)) {
    const m = /^(\S*)\s*(.*)$/s.exec(body.slice(LINT_IGNORE_PREFIX.length).trim());
    const rules = [...new Set(m[1].split(",").flatMap((c) => STATICCHECK_EQUIVALENTS[c.trim().toUpperCase()] ?? []))];
    return { kind: "nolint", rules, explicit: false, reason: m[2].trim() };
  }
  if (body.startsWith(GOLAND_PREFIX)) {
    const names2 = body.slice(GOLAND_PREFIX.length).trim().split(/\s+/)[0].split(",");
    const rules = [...new Set(names2.flatMap((c) => GOLAND_EQUIVALENTS[c.trim()] ?? []))];
    return { kind: "nolint", rules, explicit: false, reason: "" };
  }
  if (!NOLINT_RE.test(body)) return void 0;
  const [head, ...tail] = body.split("//");
  const reason = tail.join("//").trim();
  if (!head.startsWith("nolint:") || head.startsWith("nolint:all")) {
    return { kind: "nolint", rules: "all", explicit: false, reason };
  }
  const names = head.slice("nolint:".length).split(",").map((n) => n.trim().toLowerCase());
  if (names.includes("all")) return { kind: "nolint", rules: "all", explicit: false, reason };
  if (names.includes(LINTER_NAME)) return { kind: "nolint", rules: "all", explicit: true, reason };
  return { kind: "nolint", rules: names.filter((n) => n !== ""), explicit: true, reason };
}
function isAloneOnLine(src, offset) {
  const start = src.lineStarts[src.lineIndex(offset)];
  for (let i = start; i < offset; i++) {
    const b = src.bytes[i];
    if (b !== 32 && b !== 9) return false;
  }
  return true;
}
function suggest(id, known) {
  const best = closest(id, known);
  return best ? `; did you mean "${best}"?` : "";
}
function covers(d, f) {
  if (d.file !== f.file || f.line < d.fromLine || f.line > d.toLine) return false;
  return d.rules === "all" || d.rules.includes(f.rule);
}
function applySuppressions(findings, directives, opts = {}) {
  const byFile = /* @__PURE__ */ new Map();
  for (const d of directives) {
    let list = byFile.get(d.file);
    if (!list) byFile.set(d.file, list = []);
    list.push(d);
  }
  const usedRules = /* @__PURE__ */ new Map();
  const kept = [];
  const suppressed = [];
  for (const f of findings) {
    const d = (byFile.get(f.file) ?? []).find((x) => covers(x, f));
    if (!d) {
      kept.push(f);
      continue;
    }
    suppressed.push({ finding: f, directive: d });
    let used = usedRules.get(d);
    if (!used) usedRules.set(d, used = /* @__PURE__ */ new Set());
    used.add(f.rule);
    for (const other of byFile.get(f.file)) {
      if (other !== d && covers(other, f)) {
        let u = usedRules.get(other);
        if (!u) usedRules.set(other, u = /* @__PURE__ */ new Set());
        u.add(f.rule);
      }
    }
  }
  const unused = [];
  const ran = (r) => !opts.enabledRules || opts.enabledRules.has(r);
  for (const d of directives) {
    if (!d.explicit) continue;
    const used = usedRules.get(d) ?? /* @__PURE__ */ new Set();
    const where = d.fromLine === d.toLine ? `line ${d.fromLine}` : `lines ${d.fromLine}-${d.toLine}`;
    if (d.rules === "all") {
      if (used.size === 0) {
        unused.push({
          file: d.file,
          line: d.line,
          column: d.column,
          problem: "unused",
          message: `unused suppression ${d.text.trim()}: no deferguard finding on ${where}`
        });
      }
      continue;
    }
    const known = opts.knownRules ?? opts.enabledRules;
    const ours = d.kind === "ignore" ? d.rules : d.rules.filter((r) => known?.has(r) ?? false);
    const idle = ours.filter((r) => ran(r) && !used.has(r));
    if (idle.length > 0) {
      unused.push({
        file: d.file,
        line: d.line,
        column: d.column,
        problem: "unused",
        message: `unused suppression for ${idle.join(", ")}: no ${idle.length === 1 ? "such finding" : "findings of these rules"} on ${where}`
      });
    }
  }
  return { kept, suppressed, unused };
}
var DIRECTIVE_RULE = {
  id: "suppression-directive",
  severity: "low",
  summary: "A suppression directive that is unused, names an unknown rule, or lacks a reason.",
  enabledByDefault: true,
  fixable: false,
  category: "suppressions",
  docUrl: "https://github.com/deferguard/deferguard/blob/main/docs/suppressions.md"
};
function diagnosticsToFindings(diags, severity = "low") {
  return diags.map((d) => ({
    rule: DIRECTIVE_RULE.id,
    severity,
    confidence: "high",
    message: d.message,
    related: [],
    file: d.file,
    line: d.line,
    column: d.column,
    endLine: d.line,
    endColumn: d.column
  }));
}

// src/syntax/declarations.ts
function emptyBlock(b) {
  return { kind: "BlockStmt", lbrace: b.lbrace, list: null, rbrace: b.rbrace };
}
var copyAll = (xs) => xs.map((x) => copy(x));
var copyOpt = (x) => x ? copy(x) : null;
var copyList = (xs) => xs ? copyAll(xs) : null;
function copy(node) {
  const n = node;
  let out;
  switch (n.kind) {
    case "Ident":
    case "BasicLit":
    case "BadExpr":
    case "BadDecl":
      out = { ...n };
      break;
    case "Field":
      out = { ...n, doc: null, names: copyList(n.names), type: copyOpt(n.type), tag: copyOpt(n.tag), comment: null };
      break;
    case "FieldList":
      out = { ...n, list: copyList(n.list) };
      break;
    case "Ellipsis":
      out = { ...n, elt: copyOpt(n.elt) };
      break;
    case "FuncLit":
      out = { ...n, type: copy(n.type), body: emptyBlock(n.body) };
      break;
    case "CompositeLit": {
      const t = n.type;
      const keep = t === null || t.kind === "ArrayType" && t.len?.kind === "Ellipsis";
      out = keep ? { ...n, type: copyOpt(t), elts: copyList(n.elts) } : { ...n, type: copyOpt(t), elts: null, incomplete: true };
      break;
    }
    case "ParenExpr":
      out = { ...n, x: copy(n.x) };
      break;
    case "SelectorExpr":
      out = { ...n, x: copy(n.x), sel: copy(n.sel) };
      break;
    case "IndexExpr":
      out = { ...n, x: copy(n.x), index: copy(n.index) };
      break;
    case "IndexListExpr":
      out = { ...n, x: copy(n.x), indices: copyList(n.indices) };
      break;
    case "SliceExpr":
      out = { ...n, x: copy(n.x), low: copyOpt(n.low), high: copyOpt(n.high), max: copyOpt(n.max) };
      break;
    case "TypeAssertExpr":
      out = { ...n, x: copy(n.x), type: copyOpt(n.type) };
      break;
    case "CallExpr":
      out = { ...n, fun: copy(n.fun), args: copyList(n.args) };
      break;
    case "StarExpr":
      out = { ...n, x: copy(n.x) };
      break;
    case "UnaryExpr":
      out = { ...n, x: copy(n.x) };
      break;
    case "BinaryExpr":
      out = { ...n, x: copy(n.x), y: copy(n.y) };
      break;
    case "KeyValueExpr":
      out = { ...n, key: copy(n.key), value: copy(n.value) };
      break;
    case "ArrayType":
      out = { ...n, len: copyOpt(n.len), elt: copy(n.elt) };
      break;
    case "StructType":
      out = { ...n, fields: copy(n.fields) };
      break;
    case "FuncType":
      out = { ...n, typeParams: copyOpt(n.typeParams), params: copy(n.params), results: copyOpt(n.results) };
      break;
    case "InterfaceType":
      out = { ...n, methods: copy(n.methods) };
      break;
    case "MapType":
      out = { ...n, key: copy(n.key), value: copy(n.value) };
      break;
    case "ChanType":
      out = { ...n, value: copy(n.value) };
      break;
    case "ImportSpec":
      out = { ...n, doc: null, name: copyOpt(n.name), path: copy(n.path), comment: null };
      break;
    case "ValueSpec":
      out = { ...n, doc: null, names: copyAll(n.names), type: copyOpt(n.type), values: copyList(n.values), comment: null };
      break;
    case "TypeSpec":
      out = { ...n, doc: null, name: copy(n.name), typeParams: copyOpt(n.typeParams), type: copy(n.type), comment: null };
      break;
    case "GenDecl":
      out = { ...n, doc: null, specs: copyList(n.specs) };
      break;
    case "FuncDecl":
      out = { ...n, doc: null, recv: copyOpt(n.recv), name: copy(n.name), type: copy(n.type), body: n.body ? emptyBlock(n.body) : null };
      break;
    default:
      throw new Error(`declarationsOf: unexpected ${n.kind} outside a function body`);
  }
  return out;
}
function declarationsOf(file) {
  const decls = file.decls ? copyAll(file.decls) : null;
  const specs = /* @__PURE__ */ new Map();
  file.decls?.forEach((d, i) => {
    const c = decls[i];
    if (d.kind === "GenDecl" && c.kind === "GenDecl") d.specs?.forEach((sp, j) => sp.kind === "ImportSpec" && specs.set(sp, c.specs[j]));
  });
  return {
    kind: "File",
    doc: null,
    package: file.package,
    name: copy(file.name),
    decls,
    fileStart: file.fileStart,
    fileEnd: file.fileEnd,
    imports: file.imports.map((sp) => specs.get(sp) ?? copy(sp)),
    comments: null,
    goVersion: file.goVersion
  };
}

// src/types/unknown.ts
var UnknownTypeInfo = class {
  typeOf(_e) {
    return void 0;
  }
  objectOf(_id) {
    return void 0;
  }
  callee(_call) {
    return void 0;
  }
  /** Unknown is answered as "not known to be a type": callers must not read false as a fact. */
  isType(_e) {
    return false;
  }
};
var UNKNOWN = new UnknownTypeInfo();
function unknownTypeInfo() {
  return UNKNOWN;
}

// src/analysis/inspector.ts
var NODE_KINDS = [
  "Comment",
  "CommentGroup",
  "Field",
  "FieldList",
  "BadExpr",
  "Ident",
  "Ellipsis",
  "BasicLit",
  "FuncLit",
  "CompositeLit",
  "ParenExpr",
  "SelectorExpr",
  "IndexExpr",
  "IndexListExpr",
  "SliceExpr",
  "TypeAssertExpr",
  "CallExpr",
  "StarExpr",
  "UnaryExpr",
  "BinaryExpr",
  "KeyValueExpr",
  "ArrayType",
  "StructType",
  "FuncType",
  "InterfaceType",
  "MapType",
  "ChanType",
  "BadStmt",
  "DeclStmt",
  "EmptyStmt",
  "LabeledStmt",
  "ExprStmt",
  "SendStmt",
  "IncDecStmt",
  "AssignStmt",
  "GoStmt",
  "DeferStmt",
  "ReturnStmt",
  "BranchStmt",
  "BlockStmt",
  "IfStmt",
  "CaseClause",
  "SwitchStmt",
  "TypeSwitchStmt",
  "CommClause",
  "SelectStmt",
  "ForStmt",
  "RangeStmt",
  "ImportSpec",
  "ValueSpec",
  "TypeSpec",
  "BadDecl",
  "GenDecl",
  "FuncDecl",
  "File"
];
var KIND_INDEX = new Map(NODE_KINDS.map((k, i) => [k, i]));
function maskOf(kinds) {
  if (!kinds || kinds.length === 0) return null;
  let lo = 0;
  let hi = 0;
  for (const k of kinds) {
    const i = KIND_INDEX.get(k);
    if (i === void 0) throw new Error(`inspector: unknown node kind "${k}"`);
    if (i < 32) lo |= 1 << i;
    else hi |= 1 << i - 32;
  }
  return { lo, hi };
}
var Inspector = class {
  constructor(root) {
    this.root = root;
    const cap = root.kind === "File" ? Math.max(64, (root.fileEnd - root.fileStart) * 0.2 | 0) : 256;
    this.nodes = new Array(cap);
    this.skip = new Int32Array(cap);
    this.own = new Uint8Array(cap);
    this.lo = new Int32Array(cap);
    this.hi = new Int32Array(cap);
    let accLo = 0;
    let accHi = 0;
    const walk = (n) => {
      const k = KIND_INDEX.get(n.kind);
      const i = this.count++;
      if (i === this.skip.length) this.grow();
      this.nodes[i] = n;
      this.own[i] = k;
      const ownLo = k < 32 ? 1 << k : 0;
      const ownHi = k >= 32 ? 1 << k - 32 : 0;
      const savedLo = accLo;
      const savedHi = accHi;
      accLo = ownLo;
      accHi = ownHi;
      forEachChild(n, walk);
      this.skip[i] = this.count;
      this.lo[i] = accLo;
      this.hi[i] = accHi;
      if (n.kind === "FuncDecl" || n.kind === "FuncLit") this.funcAt.set(n, i);
      accLo |= savedLo;
      accHi |= savedHi;
    };
    walk(root);
    this.nodes.length = this.count;
  }
  root;
  /** Per kind, the nodes of that kind (built for a kind when first asked about). */
  members = [];
  has(node) {
    if (node.kind === "FuncDecl" || node.kind === "FuncLit") return this.funcAt.has(node);
    const k = KIND_INDEX.get(node.kind);
    if (k === void 0) return false;
    let m = this.members[k];
    if (!m) {
      m = /* @__PURE__ */ new Set();
      const { nodes, own, count } = this;
      for (let i = 0; i < count; i++) if (own[i] === k) m.add(nodes[i]);
      this.members[k] = m;
    }
    return m.has(node);
  }
  /** Index of each function declaration and literal (their subtree kinds are there). */
  funcAt = /* @__PURE__ */ new Map();
  nodes;
  skip;
  own;
  lo;
  hi;
  count = 0;
  grow() {
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
  contains(fn, kinds) {
    const j = this.funcAt.get(fn);
    if (j === void 0) return true;
    const m = maskOf(kinds);
    return !m || (this.lo[j] & m.lo) !== 0 || (this.hi[j] & m.hi) !== 0;
  }
  /** Number of nodes recorded. */
  get size() {
    return this.count;
  }
  /**
   * Calls fn for each node of one of the given kinds (all kinds when empty), in depth-first
   * pre-order. Subtrees without such nodes are skipped.
   */
  preorder(kinds, fn) {
    const m = maskOf(kinds);
    const { nodes, skip, own, lo, hi, count } = this;
    if (!m) {
      for (let i = 0; i < count; i++) fn(nodes[i]);
      return;
    }
    for (let i = 0; i < count; ) {
      if ((lo[i] & m.lo) === 0 && (hi[i] & m.hi) === 0) {
        i = skip[i];
        continue;
      }
      const k = own[i];
      if ((k < 32 ? m.lo >>> k & 1 : m.hi >>> k - 32 & 1) !== 0) fn(nodes[i]);
      i++;
    }
  }
  /**
   * Like preorder, with the stack of enclosing nodes (outermost first, the node itself last).
   * Return false from fn to skip the node's children. The stack array is reused: copy it to keep it.
   */
  withStack(kinds, fn) {
    const m = maskOf(kinds);
    const { nodes, skip, own, lo, hi, count } = this;
    const stack = [];
    const ends = [];
    for (let i = 0; i < count; ) {
      while (ends.length > 0 && ends[ends.length - 1] <= i) {
        ends.pop();
        stack.pop();
      }
      if (m && (lo[i] & m.lo) === 0 && (hi[i] & m.hi) === 0) {
        i = skip[i];
        continue;
      }
      stack.push(nodes[i]);
      ends.push(skip[i]);
      const k = own[i];
      if (!m || (k < 32 ? m.lo >>> k & 1 : m.hi >>> k - 32 & 1) !== 0) {
        if (fn(nodes[i], stack) === false) {
          stack.pop();
          ends.pop();
          i = skip[i];
          continue;
        }
      }
      i++;
    }
  }
};

// src/analysis/deferred-names.ts
var DEFERRED_NAME = /\bdefer[ \t]+(?:[A-Za-z_][A-Za-z0-9_]*\.)*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(/g;
var latin1 = new TextDecoder("latin1");
function latin1Text(bytes) {
  return latin1.decode(bytes);
}
function deferredNamesIn(bytes) {
  const out = /* @__PURE__ */ new Set();
  for (const m of latin1.decode(bytes).matchAll(DEFERRED_NAME)) out.add(m[1]);
  return out;
}

// src/analysis/spawners.ts
var SPAWNER = /^func[ \t]+(\([^)\n]*\)[ \t]*)?(\w+)[ \t]*\([ \t]*(\w+)[ \t]+func\(\)[ \t]*\)[ \t]*\{[ \t]*\n[ \t]*go[ \t]+\3\(\)[ \t]*\n\}/gm;
function spawnersInFiles(files, into = { funcs: /* @__PURE__ */ new Set(), methods: /* @__PURE__ */ new Set() }) {
  for (const f of files) {
    for (const d of f.decls ?? []) {
      const body = d.kind === "FuncDecl" ? d.body?.list : void 0;
      if (d.kind !== "FuncDecl" || !body || body.length === 0 || body.length > 3) continue;
      const st = body[body.length - 1];
      if (st.kind !== "GoStmt") continue;
      const params = d.type.params?.list ?? [];
      let p;
      for (const fl of params) {
        const t = fl.type;
        if (t?.kind === "FuncType" && (t.params?.list?.length ?? 0) === 0 && !t.results && fl.names?.length === 1) p = fl.names[0].name;
      }
      if (!p || st.call.args?.length) continue;
      const mentionsP = (n) => {
        let found = false;
        const visit = (x) => {
          if (found) return;
          if (x.kind === "Ident" && x.name === p) found = true;
          else forEachChild(x, visit);
        };
        visit(n);
        return found;
      };
      if (!body.slice(0, -1).every((x) => (x.kind === "ExprStmt" || x.kind === "AssignStmt" || x.kind === "IncDecStmt" || x.kind === "SendStmt") && !mentionsP(x))) continue;
      const isCallOfP = (e) => e.kind === "CallExpr" && unparen(e.fun).kind === "Ident" && unparen(e.fun).name === p && !e.args?.length;
      const fun = unparen(st.call.fun);
      const set = d.recv ? into.methods : into.funcs;
      if (fun.kind === "Ident" && fun.name === p) set.add(d.name.name);
      else if (fun.kind === "FuncLit") {
        const list = fun.body.list ?? [];
        const last = list[list.length - 1];
        if (!last || last.kind !== "ExprStmt" || !isCallOfP(unparen(last.x)) || !list.slice(0, -1).every((x) => x.kind === "DeferStmt")) continue;
        set.add(d.name.name);
        (into.wrappers ??= /* @__PURE__ */ new Map()).set(d.name.name, fun);
      }
    }
  }
  return into;
}
function spawnersIn(text, into = { funcs: /* @__PURE__ */ new Set(), methods: /* @__PURE__ */ new Set() }) {
  if (!text.includes("go ")) return into;
  for (const m of text.matchAll(SPAWNER)) (m[1] ? into.methods : into.funcs).add(m[2]);
  return into;
}
function importNames(file) {
  const out = /* @__PURE__ */ new Map();
  for (const d of file.decls ?? []) {
    if (d.kind !== "GenDecl" || d.tok !== "import") continue;
    for (const s of d.specs ?? []) {
      if (s.kind !== "ImportSpec") continue;
      const path = s.path.value.slice(1, -1);
      const name = s.name?.name ?? path.slice(path.lastIndexOf("/") + 1);
      if (name !== "_" && name !== ".") out.set(name, path);
    }
  }
  return out;
}
function rewriteSpawns(file, own, imported) {
  let imports;
  const isSpawner = (c) => {
    if ((c.args?.length ?? 0) !== 1 || unparen(c.args[0]).kind !== "FuncLit") return false;
    const f = unparen(c.fun);
    if (f.kind === "Ident") return own.funcs.has(f.name);
    if (f.kind !== "SelectorExpr") return false;
    const x = unparen(f.x);
    imports ??= importNames(file);
    const path = x.kind === "Ident" ? imports.get(x.name) : void 0;
    if (path !== void 0) return imported(path)?.funcs.has(f.sel.name) ?? false;
    return own.methods.has(f.sel.name);
  };
  let n = 0;
  const fix = (list) => {
    if (!list) return;
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (s.kind !== "ExprStmt") continue;
      const c = unparen(s.x);
      if (c.kind !== "CallExpr" || !isSpawner(c)) continue;
      const lit = unparen(c.args[0]);
      const at = end(lit) - 1;
      const call = { ...c, fun: lit, args: [], ellipsis: -1, lparen: at, rparen: at };
      const go = { kind: "GoStmt", go: pos(c), call };
      const f = unparen(c.fun);
      const wrapper = own.wrappers?.get(f.kind === "Ident" ? f.name : f.kind === "SelectorExpr" ? f.sel.name : "");
      if (wrapper && (f.kind === "Ident" || !imports?.has(unparen(f.x).name ?? ""))) go.spawner = wrapper;
      list[i] = go;
      n++;
    }
  };
  const visit = (x) => {
    if (x.kind === "BlockStmt") fix(x.list);
    else if (x.kind === "CaseClause" || x.kind === "CommClause") fix(x.body);
    forEachChild(x, visit);
  };
  for (const d of file.decls ?? []) if (d.kind === "FuncDecl" && d.body) visit(d.body);
  return n;
}

// src/analysis/pass.ts
var PackageContext = class {
  constructor(pkg, files, types, typesKnown, options, moduleDeferred = void 0, importedText = void 0, moduleFuncOf = void 0) {
    this.pkg = pkg;
    this.files = files;
    this.types = types;
    this.typesKnown = typesKnown;
    this.options = options;
    this.moduleDeferred = moduleDeferred;
    this.importedText = importedText;
    this.moduleFuncOf = moduleFuncOf;
  }
  pkg;
  files;
  types;
  typesKnown;
  options;
  moduleDeferred;
  importedText;
  moduleFuncOf;
  nodeFile;
  cfgs = /* @__PURE__ */ new WeakMap();
  callGraphValue;
  importedTextMatches(re) {
    return this.importedText?.(re) ?? false;
  }
  moduleFunc(pkg, name, recv, needle) {
    return pkg === this.pkg.importPath ? void 0 : this.moduleFuncOf?.(pkg, name, recv, needle);
  }
  moduleDeferredValue;
  deferredElsewhere(name) {
    if (!this.moduleDeferred) return false;
    this.moduleDeferredValue ??= this.moduleDeferred();
    return this.moduleDeferredValue.has(name);
  }
  fileOf(node) {
    if (this.files.length === 1) return node.kind !== "FuncDecl" && node.kind !== "FuncLit" || this.files[0].inspector.has(node) ? this.files[0] : void 0;
    for (const f of this.files) if (f.inspector.has(node)) return f;
    return void 0;
  }
  /** Calls that end the process do not return (panic is handled by the CFG itself). */
  mayReturn = (call) => {
    const c = this.types.callee(call);
    return !c || !DEFAULT_NO_RETURN.has(c.name);
  };
  /** Per function declaration: whether every path through its body ends in `panic` (see panics). */
  panickers = /* @__PURE__ */ new WeakMap();
  /**
   * A call of a function of the module that always panics (`web.Abort(code, msg)` whose body ends
   * in `panic(abort{...})` with no return anywhere): the CFG ends the caller's path there like a
   * panic of its own.
   */
  alwaysPanics = (call) => {
    const c = this.types.callee(call);
    if (!c || c.kind !== "func" && c.kind !== "method" || !c.pkg) return false;
    const decl = c.pkg === this.pkg.importPath ? c.decl : this.moduleFuncOf?.(c.pkg, c.short, c.recv?.name, "panic");
    if (!decl?.body) return false;
    let v = this.panickers.get(decl);
    if (v === void 0) {
      const list = decl.body.list ?? [];
      const last = list[list.length - 1];
      const lastCall = last ? exprStmtCall(last) : null;
      v = !!lastCall && isPanicCall(lastCall);
      if (v) {
        inspect(decl.body, (x) => {
          if (x.kind === "ReturnStmt") v = false;
          return v === true && x.kind !== "FuncLit";
        });
      }
      this.panickers.set(decl, v);
    }
    return v;
  };
  cfg(fn) {
    if (!fn.body) return void 0;
    let g = this.cfgs.get(fn);
    if (!g) this.cfgs.set(fn, g = buildCFG(fn.body, { mayReturn: this.mayReturn }));
    return g;
  }
  callGraph() {
    this.callGraphValue ??= buildCallGraph(this.files.map((f) => f.file), this.types);
    return this.callGraphValue;
  }
};
var DiagnosticError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "DiagnosticError";
  }
};
function spanOf(file, r) {
  const a = file.source.position(r.pos);
  const b = file.source.position(Math.max(r.pos, r.end));
  return {
    file: file.path,
    line: a.line,
    column: a.column,
    endLine: b.line,
    endColumn: b.column,
    column16: a.column16,
    endColumn16: b.column16,
    offset: a.offset,
    endOffset: b.offset
  };
}
function rangeOf(node, range) {
  if (range) return range;
  if (node) return { pos: pos(node), end: end(node) };
  throw new DiagnosticError("report needs a node or a range");
}
var PassImpl = class {
  constructor(rule, ctx) {
    this.rule = rule;
    this.ctx = ctx;
  }
  rule;
  ctx;
  findings = [];
  get pkg() {
    return this.ctx.pkg;
  }
  get files() {
    return this.ctx.files;
  }
  get types() {
    return this.ctx.types;
  }
  get typesKnown() {
    return this.ctx.typesKnown;
  }
  get options() {
    return this.ctx.options;
  }
  fileOf(node) {
    return this.ctx.fileOf(node);
  }
  alwaysPanics(call) {
    return this.ctx.alwaysPanics(call);
  }
  cfg(fn) {
    return this.ctx.cfg(fn);
  }
  deferredElsewhere(name) {
    return this.ctx.deferredElsewhere(name);
  }
  importedTextMatches(re) {
    return this.ctx.importedTextMatches(re);
  }
  moduleFunc(pkg, name, recv, needle) {
    return this.ctx.moduleFunc(pkg, name, recv, needle);
  }
  callGraph() {
    return this.ctx.callGraph();
  }
  report(d) {
    const file = d.file ?? (d.node ? this.fileOf(d.node) : this.files.length === 1 ? this.files[0] : void 0);
    if (!file) throw new DiagnosticError(`rule ${this.rule.id} reported a ${d.node ? d.node.kind : "range"} whose file is unknown (pass file with range)`);
    const r = rangeOf(d.node, d.range);
    if (r.pos < 0) throw new DiagnosticError(`rule ${this.rule.id} reported a position that is not in the file`);
    const related = (d.related ?? []).map((x) => {
      const rf = x.file ?? (x.node ? this.fileOf(x.node) ?? file : file);
      return { ...spanOf(rf, rangeOf(x.node, x.range)), message: oneLine(x.message) };
    });
    const finding = {
      rule: this.rule.id,
      severity: d.severity ?? this.rule.severity,
      confidence: d.confidence ?? "high",
      message: oneLine(d.message),
      related,
      ...spanOf(file, r)
    };
    if (d.fixes && d.fixes.length > 0) {
      finding.fixes = d.fixes.map((fx) => ({
        message: fx.message,
        edits: fx.edits.map((e) => {
          const er = rangeOf(e.node, e.range);
          return { file: file.path, offset: er.pos, endOffset: er.end, newText: e.newText };
        })
      }));
    }
    this.findings.push(finding);
  }
};
function oneLine(message) {
  return message.includes("\n") ? message.replace(/[ \t]*\r?\n\s*/g, " ") : message;
}

// src/analysis/prune.ts
function combinedNeeds(analyzers, options) {
  const out = {
    subjectKinds: /* @__PURE__ */ new Set(),
    subjectNames: /* @__PURE__ */ new Set(),
    subjectPatterns: [],
    sourceKinds: /* @__PURE__ */ new Set(),
    sourceNames: /* @__PURE__ */ new Set(),
    receive: false,
    watchDeferred: false,
    watchContaining: /* @__PURE__ */ new Set(),
    watchReturnedChans: false,
    watchChanFields: false
  };
  for (const a of analyzers) {
    if (!a.needs) return void 0;
    const n = a.needs(options);
    for (const k of n.subjects.kinds ?? []) out.subjectKinds.add(k);
    for (const k of n.subjects.names ?? []) out.subjectNames.add(k);
    out.subjectPatterns.push(...n.subjects.patterns ?? []);
    for (const k of n.sources?.kinds ?? []) out.sourceKinds.add(k);
    for (const k of n.sources?.names ?? []) out.sourceNames.add(k);
    if (n.sources?.receive || n.subjects.receive) out.receive = true;
    if (n.subjects.receive) out.subjectReceive = true;
    if (n.watch?.deferred) out.watchDeferred = true;
    for (const k of n.watch?.containing ?? []) out.watchContaining.add(k);
    if (n.watch?.returnedChans) out.watchReturnedChans = true;
    if (n.watch?.chanFields) out.watchChanFields = true;
  }
  for (const k of out.subjectKinds) out.sourceKinds.add(k);
  for (const k of out.subjectNames) out.sourceNames.add(k);
  return out;
}
function hasSubject(n, needs) {
  const patterns = needs.subjectPatterns;
  let found = false;
  const visit = (x) => {
    if (found) return;
    const k = x.kind;
    if (k === "Ident") {
      const name = x.name;
      if (needs.subjectNames.has(name) || patterns.length > 0 && patterns.some((p) => p.test(name))) found = true;
      return;
    }
    if (needs.subjectKinds.has(k) || needs.subjectReceive === true && k === "UnaryExpr" && x.op === "<-") {
      found = true;
      return;
    }
    forEachChild(x, visit);
  };
  visit(n);
  return found;
}
function subjectOutsideBodies(files, needs) {
  for (const f of files) {
    for (const d of f.decls ?? []) {
      if (d.kind === "FuncDecl") {
        if (d.recv && hasSubject(d.recv, needs)) return true;
        if (hasSubject(d.type, needs)) return true;
      } else if (hasSubject(d, needs)) return true;
    }
  }
  return false;
}
function scanBody(decl, body, needs) {
  const names = /* @__PURE__ */ new Set();
  const inDefer = /* @__PURE__ */ new Set();
  const inGo = /* @__PURE__ */ new Set();
  const deferred = [];
  let subject = false;
  let source = false;
  let positional = false;
  let deferDepth = 0;
  let goDepth = 0;
  let assignedFrom;
  let chainDefer = false;
  let callsParam = false;
  let assignedFields;
  let sourceAliases;
  let chanFields;
  let chanUses;
  let deferChanUses;
  const useChan = (f) => {
    if (!f) return;
    (chanUses ??= []).push(f);
    if (deferDepth > 0) (deferChanUses ??= []).push(f);
  };
  const watchChans = needs.watchChanFields;
  let selectDepth = 0;
  let loopDepth = 0;
  const isChanMake = (e) => {
    while (e?.kind === "ParenExpr") e = e.x;
    return e?.kind === "CallExpr" && e.fun.kind === "Ident" && e.fun.name === "make" && e.args?.[0]?.kind === "ChanType";
  };
  const fieldName = (e) => {
    while (e.kind === "ParenExpr") e = e.x;
    return e.kind === "SelectorExpr" ? e.sel.name : void 0;
  };
  let returnsLit;
  const litType = (c) => {
    let t = c.type;
    if (t && (t.kind === "IndexExpr" || t.kind === "IndexListExpr")) t = t.x;
    return t?.kind === "Ident" ? t.name : t?.kind === "SelectorExpr" ? t.sel.name : void 0;
  };
  const params = /* @__PURE__ */ new Set();
  for (const f of decl.type.params?.list ?? []) for (const n of f.names ?? []) params.add(n.name);
  const patterns = needs.subjectPatterns;
  const fromCall = (lhs, rhs) => {
    if (!rhs || rhs.length !== 1 || rhs[0].kind !== "CallExpr") return;
    let f = rhs[0].fun;
    if (f.kind === "IndexExpr" || f.kind === "IndexListExpr") f = f.x;
    const callee = f.kind === "Ident" ? f.name : f.kind === "SelectorExpr" ? f.sel.name : void 0;
    const v = lhs[0];
    if (!callee || v?.kind !== "Ident") return;
    assignedFrom ??= /* @__PURE__ */ new Map();
    const list = assignedFrom.get(v.name);
    if (list) list.push(callee);
    else assignedFrom.set(v.name, [callee]);
  };
  const visit = (n) => {
    const k = n.kind;
    if (k === "Ident") {
      const name = n.name;
      names.add(name);
      if (deferDepth > 0) inDefer.add(name);
      if (goDepth > 0) inGo.add(name);
      if (needs.subjectNames.has(name) || patterns.length > 0 && patterns.some((p) => p.test(name))) subject = true;
      if (needs.sourceNames.has(name)) source = true;
      return;
    }
    if (needs.subjectKinds.has(k)) subject = true;
    if (needs.sourceKinds.has(k)) source = true;
    if (k === "CallExpr") {
      const f = n.fun;
      if (f.kind === "Ident" && params.has(f.name)) callsParam = true;
    } else if (k === "KeyValueExpr") {
      const kv = n;
      const v = kv.value.kind === "SelectorExpr" ? kv.value.sel.name : kv.value.kind === "Ident" ? kv.value.name : void 0;
      if (kv.key.kind === "Ident" && v !== void 0 && needs.sourceNames.has(v)) (sourceAliases ??= []).push(kv.key.name);
    } else if (k === "AssignStmt" && n.tok === "=") {
      const a = n;
      if (a.lhs.length === a.rhs.length) {
        for (let i = 0; i < a.lhs.length; i++) {
          const l = a.lhs[i];
          if (l.kind !== "SelectorExpr") continue;
          const r = a.rhs[i];
          if (r.kind === "SelectorExpr" && needs.sourceNames.has(r.sel.name)) (sourceAliases ??= []).push(l.sel.name);
          if (r.kind === "SelectorExpr") (assignedFields ??= []).push([l.sel.name, r.sel.name]);
          else if (r.kind === "CallExpr" && watchChans && isChanMake(r)) (chanFields ??= []).push(l.sel.name);
        }
      }
    }
    if (watchChans) {
      switch (k) {
        case "KeyValueExpr": {
          const kv = n;
          if (kv.value.kind === "CallExpr" && kv.key.kind === "Ident" && isChanMake(kv.value)) (chanFields ??= []).push(kv.key.name);
          break;
        }
        case "SendStmt": {
          const f = fieldName(n.chan);
          useChan(f);
          if (f && selectDepth > 0) (chanFields ??= []).push(f);
          break;
        }
        case "RangeStmt": {
          const f = fieldName(n.x);
          useChan(f);
          if (f) (chanFields ??= []).push(f);
          break;
        }
        case "UnaryExpr":
          if (n.op === "<-") {
            const f = fieldName(n.x);
            useChan(f);
            if (f && loopDepth > 0) (chanFields ??= []).push(f);
          }
          break;
        case "SelectStmt":
          selectDepth++;
          forEachChild(n, visit);
          selectDepth--;
          return;
        case "ForStmt":
          loopDepth++;
          forEachChild(n, visit);
          loopDepth--;
          return;
      }
    }
    if (k === "CompositeLit") {
      const c = n;
      const t = c.type;
      if (!positional && t && (t.kind === "Ident" || t.kind === "SelectorExpr" || t.kind === "IndexExpr" || t.kind === "IndexListExpr") && (c.elts?.length ?? 0) > 0 && c.elts[0].kind !== "KeyValueExpr") positional = true;
    } else if (k === "ReturnStmt" && needs.watchDeferred) {
      for (const r of n.results ?? []) {
        let e = r;
        while (e.kind === "ParenExpr") e = e.x;
        if (e.kind === "UnaryExpr" && e.op === "&") e = e.x;
        if (e.kind === "CompositeLit" && e.elts?.length && e.elts[0].kind === "KeyValueExpr") {
          const name = litType(e);
          if (name) (returnsLit ??= []).push(name);
        }
      }
    }
    if (needs.watchDeferred) {
      if (k === "AssignStmt") fromCall(n.lhs, n.rhs);
      else if (k === "ValueSpec") fromCall(n.names, n.values);
    }
    if (k === "UnaryExpr" && n.op === "<-") {
      if (needs.receive) source = true;
      if (needs.subjectReceive) subject = true;
    } else if (k === "DeferStmt") {
      let f = n.call.fun;
      while (f.kind === "ParenExpr") f = f.x;
      if (f.kind === "IndexExpr" || f.kind === "IndexListExpr") f = f.x;
      if (f.kind === "Ident") deferred.push(f.name);
      else if (f.kind === "SelectorExpr") {
        deferred.push(f.sel.name);
        let r = f.x;
        while (r.kind === "ParenExpr") r = r.x;
        if (r.kind === "SelectorExpr") deferred.push(r.sel.name);
        if (r.kind === "CallExpr") chainDefer = true;
      }
      deferDepth++;
      forEachChild(n, visit);
      deferDepth--;
      return;
    } else if (k === "GoStmt") {
      goDepth++;
      forEachChild(n, visit);
      goDepth--;
      return;
    }
    forEachChild(n, visit);
  };
  visit(body);
  return { decl, body, subject, source, names, deferred, inDefer, inGo, assignedFrom, chainDefer, chainDepth: 0, kept: false, deferredCode: false, positional, callsParam, assignedFields, returnsLit, chanFields, chanUses, deferChanUses, ...sourceAliases ? { sourceAliases } : {} };
}
function structFieldsOf(files) {
  const funcTypes = /* @__PURE__ */ new Set();
  const specs = [];
  for (const f of files) {
    for (const d of f.decls ?? []) {
      if (d.kind !== "GenDecl" || d.tok !== "type") continue;
      for (const spec of d.specs ?? []) {
        if (spec.kind !== "TypeSpec") continue;
        if (spec.type.kind === "FuncType") funcTypes.add(spec.name.name);
        else if (spec.type.kind === "StructType") specs.push(spec);
      }
    }
  }
  const out = /* @__PURE__ */ new Map();
  for (const spec of specs) {
    const names = /* @__PURE__ */ new Set();
    for (const fl of spec.type.fields.list ?? []) {
      const t = fl.type;
      if (t?.kind !== "FuncType" && !(t?.kind === "Ident" && funcTypes.has(t.name))) continue;
      for (const n of fl.names ?? []) names.add(n.name);
    }
    if (names.size > 0) out.set(spec.name.name, names);
  }
  return out;
}
function withSourceAliases(files, needs) {
  let extra;
  for (const f of files) {
    for (const d of f.decls ?? []) {
      if (d.kind !== "GenDecl" || d.tok !== "var") continue;
      for (const spec of d.specs ?? []) {
        if (spec.kind !== "ValueSpec" || !spec.values) continue;
        spec.names.forEach((id, i) => {
          let v = spec.values[i];
          while (v?.kind === "ParenExpr") v = v.x;
          const name = v?.kind === "SelectorExpr" ? v.sel.name : v?.kind === "Ident" ? v.name : void 0;
          if (name !== void 0 && needs.sourceNames.has(name) && !needs.sourceNames.has(id.name)) (extra ??= /* @__PURE__ */ new Set()).add(id.name);
        });
      }
    }
  }
  if (!extra) return needs;
  return { ...needs, sourceNames: /* @__PURE__ */ new Set([...needs.sourceNames, ...extra]) };
}
function pruneBodies(files, needsIn) {
  const needs = withSourceAliases(files, needsIn);
  const bodies = [];
  for (const f of files) {
    for (const d of f.decls ?? []) {
      if (d.kind === "FuncDecl" && d.body && d.body.list) bodies.push(scanBody(d, d.body, needs));
    }
  }
  const aliases = /* @__PURE__ */ new Set();
  for (const b of bodies) for (const a of b.sourceAliases ?? []) aliases.add(a);
  if (aliases.size > 0) {
    for (const b of bodies) if (!b.source) {
      for (const a of aliases) if (b.names.has(a)) {
        b.source = true;
        break;
      }
    }
  }
  const byName = /* @__PURE__ */ new Map();
  for (const b of bodies) {
    const list = byName.get(b.decl.name.name);
    if (list) list.push(b);
    else byName.set(b.decl.name.name, [b]);
  }
  const namedBy = /* @__PURE__ */ new Map();
  for (const b of bodies) {
    for (const n of b.names) {
      for (const t of byName.get(n) ?? []) {
        const list = namedBy.get(t);
        if (list) list.push(b);
        else namedBy.set(t, [b]);
      }
    }
  }
  const reaches = /* @__PURE__ */ new Set();
  const back = [];
  for (const b of bodies) {
    if (b.source) {
      reaches.add(b);
      back.push(b);
    }
  }
  while (back.length > 0) {
    for (const m of namedBy.get(back.pop()) ?? []) {
      if (!reaches.has(m)) {
        reaches.add(m);
        back.push(m);
      }
    }
  }
  const watched = /* @__PURE__ */ new Set();
  for (const b of bodies) {
    for (const w of needs.watchContaining) {
      if (b.names.has(w)) {
        watched.add(b.decl.name.name);
        break;
      }
    }
  }
  if (watched.size > 0) {
    const callers = [];
    for (const b of bodies) {
      if (watched.has(b.decl.name.name)) continue;
      for (const n of b.names) {
        if (watched.has(n)) {
          callers.push(b.decl.name.name);
          break;
        }
      }
    }
    for (const c of callers) watched.add(c);
  }
  if (needs.watchReturnedChans) {
    for (const b of bodies) {
      if (b.subject && (b.decl.type.results?.list ?? []).some((r) => r.type?.kind === "ChanType")) watched.add(b.decl.name.name);
    }
  }
  const byAssignedField = /* @__PURE__ */ new Map();
  for (const b of bodies) {
    for (const [f, value] of b.assignedFields ?? []) {
      if (!byName.has(value)) continue;
      const list = byAssignedField.get(f);
      if (list) list.push(b);
      else byAssignedField.set(f, [b]);
    }
  }
  const work = [];
  const deferredNames = /* @__PURE__ */ new Set();
  const keep = (b, deferredCode = false) => {
    if (b.kept && (b.deferredCode || !deferredCode)) return;
    b.kept = true;
    b.deferredCode ||= deferredCode;
    if (needs.watchChanFields) for (const n of (b.deferredCode ? b.chanUses : b.deferChanUses) ?? []) deferredNames.add(n);
    work.push(b);
  };
  const returning = needs.watchDeferred ? bodies.filter((b) => b.returnsLit) : [];
  const structFields = returning.length > 0 ? structFieldsOf(files) : void 0;
  const chanBodies = needs.watchChanFields ? bodies.filter((b) => b.chanFields) : [];
  for (const b of bodies) if (b.subject) keep(b);
  for (; ; ) {
    while (work.length > 0) {
      const b = work.pop();
      if (needs.watchDeferred) {
        for (const d of b.deferred) {
          watched.add(d);
          for (const c of b.assignedFrom?.get(d) ?? []) for (const t of byName.get(c) ?? []) keep(t);
        }
      }
      for (const n of b.deferredCode ? b.names : b.inDefer) {
        for (const t of byName.get(n) ?? []) keep(t, true);
      }
      if (byAssignedField.size > 0) {
        for (const n of b.names) for (const t of byAssignedField.get(n) ?? []) if (!t.kept) keep(t);
      }
      if (b.deferredCode) continue;
      if ((b.chainDefer || b.chainDepth > 0) && needs.watchDeferred) {
        const depth = b.chainDefer ? 3 : b.chainDepth - 1;
        for (const n of b.names) {
          for (const t of byName.get(n) ?? []) {
            if (depth > 0 && t.chainDepth < depth && !t.chainDefer) {
              t.chainDepth = depth;
              if (t.kept) work.push(t);
            }
            keep(t);
          }
        }
      }
      for (const n of b.inGo) {
        for (const t of byName.get(n) ?? []) keep(t);
      }
      for (const n of b.names) {
        for (const t of byName.get(n) ?? []) if (!t.kept && (reaches.has(t) || t.callsParam)) keep(t);
      }
    }
    let more = false;
    if (structFields && watched.size > 0) {
      for (const b of returning) {
        if (b.kept) continue;
        if (b.returnsLit.some((t) => [...structFields.get(t) ?? []].some((f) => watched.has(f)))) {
          keep(b);
          more = true;
        }
      }
    }
    for (const b of chanBodies) {
      if (!b.kept && b.chanFields.some((f) => deferredNames.has(f))) {
        keep(b);
        more = true;
      }
    }
    for (const b of bodies) {
      if (b.kept) continue;
      if (b.positional && needs.watchDeferred && watched.size > 0) {
        keep(b);
        more = true;
        continue;
      }
      for (const n of b.names) {
        if (watched.has(n)) {
          keep(b);
          more = true;
          break;
        }
      }
    }
    if (!more) break;
  }
  let pruned = 0;
  let keptSmall = 0;
  for (const b of bodies) {
    if (b.kept) continue;
    if (b.sourceAliases) {
      keptSmall++;
      continue;
    }
    if (returnedSelector(b.body)) {
      keptSmall++;
      continue;
    }
    b.body.list = null;
    pruned++;
  }
  return { bodies: bodies.length, pruned, empty: pruned + keptSmall === bodies.length && !subjectOutsideBodies(files, needs) };
}

// src/analysis/core.ts
var SPAWNER_HINT = "func()) {";
function mayDeclareSpawner(bytes) {
  return bytesContain(bytes, SPAWNER_HINT);
}
var SYNTAX_ERROR_RULE = {
  id: "syntax-error",
  severity: "high",
  summary: "A Go file that does not parse; the rules skip it.",
  enabledByDefault: true,
  fixable: false,
  category: "tool",
  docUrl: docUrl("syntax-error")
};
var INTERNAL_ERROR_RULE = {
  id: "internal-error",
  severity: "low",
  summary: "A rule failed on a package; its other findings and all other rules are unaffected.",
  enabledByDefault: true,
  fixable: false,
  category: "tool",
  docUrl: docUrl("internal-error")
};
var ENGINE_MAX_FILE_SIZE = 20 * 1024 * 1024;
var EngineError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "EngineError";
  }
};
async function loadAnalyzers(registry, enable) {
  const mod = await import(registry);
  if (!Array.isArray(mod.analyzers)) throw new EngineError(`${registry} does not export a list named analyzers`);
  const all = mod.analyzers;
  const byId = new Map(all.map((a) => [a.meta.id, a]));
  return enable.map((id) => {
    const a = byId.get(id);
    if (!a) throw new EngineError(`unknown rule "${id}"`);
    return a;
  });
}
var TrackedInspector = class {
  constructor(inner, file, track) {
    this.inner = inner;
    this.file = file;
    this.track = track;
  }
  inner;
  file;
  track;
  preorder(kinds, fn) {
    this.track.current = this.file;
    this.inner.preorder(kinds, fn);
  }
  withStack(kinds, fn) {
    this.track.current = this.file;
    this.inner.withStack(kinds, fn);
  }
  has(node) {
    return this.inner.has(node);
  }
  contains(fn, kinds) {
    return this.inner.contains(fn, kinds);
  }
};
var Engine = class _Engine {
  constructor(cfg, analyzers, reader) {
    this.cfg = cfg;
    this.analyzers = analyzers;
    this.reader = reader;
    this.universe = new Universe((p) => this.importPackage(p));
    this.knownRules = cfg.knownRules ? new Set(cfg.knownRules) : void 0;
    this.needs = combinedNeeds(analyzers, cfg.options);
    this.prune = cfg.prune !== false;
  }
  cfg;
  analyzers;
  reader;
  /** Imported packages, checked once per thread and shared by all units. */
  universe;
  knownRules;
  /** Module packages the type checker has imported (and cached) so far. */
  importedPackages = /* @__PURE__ */ new Set();
  /**
   * Drops packages whose source changed from the type checker's cache, so the next analysis reads
   * them again (an editor calls this after an edit instead of starting from an empty cache).
   */
  forget(importPaths) {
    for (const p of importPaths) {
      this.universe.forget(p);
      this.declarations.delete(p);
      this.importedPackages.delete(p);
      this.packageTexts.delete(p);
      for (const k of [...this.moduleFuncs.keys()]) if (k.startsWith(`${p}\0`)) this.moduleFuncs.delete(k);
    }
  }
  /** What the enabled analyzers need of function bodies; undefined when one of them does not say. */
  needs;
  prune;
  notes = [];
  /** An engine running the enabled analyzers of the registry module `cfg.registry`. */
  static async create(cfg, reader) {
    return new _Engine(cfg, await loadAnalyzers(cfg.registry, cfg.enable), reader);
  }
  /** An engine running `analyzers` as given (no registry module is imported: for bundles). */
  static withAnalyzers(cfg, analyzers, reader) {
    return new _Engine(cfg, analyzers, reader);
  }
  read(f, mode = "full") {
    const r = this.reader.read(f, this.cfg.maxFileSize ?? ENGINE_MAX_FILE_SIZE);
    if (!r.ok) return { error: r.error };
    const p = parseFile(f.path, r.bytes, mode === "full" ? {} : { mode, comments: false });
    return { parsed: { file: p.file, source: p.source, errors: p.errors } };
  }
  textMatches = /* @__PURE__ */ new Map();
  /**
   * Declarations of module packages analysed in this thread, reduced from their full trees, kept
   * for the first later import instead of a second (declarations-only) parse of the same files.
   */
  declarations = /* @__PURE__ */ new Map();
  importedByTable;
  /** Whether some package of the table imports `path` (only those are worth keeping). */
  importedSomewhere(path) {
    if (!this.importedByTable) {
      this.importedByTable = /* @__PURE__ */ new Set();
      for (const e of Object.values(this.cfg.table)) for (const i of e.imports ?? []) this.importedByTable.add(i);
    }
    return this.importedByTable.has(path);
  }
  /**
   * After a unit's analysis: its non-test trees, when they are exactly the files the importer
   * would read and all parsed cleanly, reduced to declarations and kept for the next import.
   */
  keepDeclarations(unit, own, clean) {
    if (!clean || !this.importedSomewhere(unit.importPath)) return;
    const entry = this.cfg.table[unit.importPath];
    if (!entry || entry.files.length !== own.length) return;
    const byPath = new Map(own.map((o) => [o.f.path, o.file]));
    const files = [];
    for (const f of entry.files) {
      const file = byPath.get(f.path);
      if (!file) return;
      files.push(file);
    }
    this.declarations.set(unit.importPath, files.map(declarationsOf));
  }
  /** Answers of moduleFunc, by package, function and needle: the declaration, or null. */
  moduleFuncs = /* @__PURE__ */ new Map();
  /** Source text of module packages looked into by moduleFunc (a few at a time). */
  packageTexts = /* @__PURE__ */ new Map();
  /**
   * The declaration of a function or method of another module package, with its body. The file
   * that declares it is found by its text and parsed alone; with a needle, a declaration whose
   * text does not contain it is not parsed at all (undefined).
   */
  moduleFunc(pkg, name, recv, needle) {
    const key = `${pkg}\0${recv ?? ""}\0${name}\0${needle ?? ""}`;
    const known = this.moduleFuncs.get(key);
    if (known !== void 0) return known ?? void 0;
    let found = null;
    const entry = this.cfg.table[pkg];
    if (entry) {
      let texts = this.packageTexts.get(pkg);
      if (!texts) {
        texts = [];
        for (const f of entry.files) {
          const r = this.reader.read(f, this.cfg.maxFileSize ?? ENGINE_MAX_FILE_SIZE);
          if (r.ok) texts.push({ file: f, text: latin1Text(r.bytes) });
        }
        if (this.packageTexts.size >= 8) this.packageTexts.delete(this.packageTexts.keys().next().value);
        this.packageTexts.set(pkg, texts);
      }
      const esc = name.replace(/[$]/g, "\\$&");
      const header = new RegExp(recv ? `^func\\s*\\([^)]*\\b${recv.replace(/[$]/g, "\\$&")}\\b[^)]*\\)\\s*${esc}\\s*[[(]` : `^func\\s+${esc}\\s*[[(]`, "m");
      for (const { file, text } of texts) {
        const m = header.exec(text);
        if (!m) continue;
        if (needle) {
          const close = text.indexOf("\n}", m.index + 1);
          const next = text.indexOf("\nfunc ", m.index + 1);
          const end2 = close >= 0 && (next < 0 || close < next) ? close + 2 : next;
          if (!text.slice(m.index, end2 < 0 ? void 0 : end2).includes(needle)) break;
        }
        for (const d of this.read(file).parsed?.file.decls ?? []) {
          if (d.kind !== "FuncDecl" || !d.body || d.name.name !== name) continue;
          let t = d.recv?.list?.[0]?.type;
          while (t && (t.kind === "StarExpr" || t.kind === "ParenExpr" || t.kind === "IndexExpr" || t.kind === "IndexListExpr")) t = t.x;
          const rn = t?.kind === "Ident" ? t.name : "";
          if (rn === (recv ?? "")) found = d;
        }
        break;
      }
    }
    this.moduleFuncs.set(key, found);
    return found ?? void 0;
  }
  /**
   * Whether the text of a module package that `from` imports, directly or not, matches `re`
   * (`from` itself excluded). Each package is read once per pattern; only the module's own
   * packages are looked at (their files are part of `from`'s cache key).
   */
  importedMatch(from, re) {
    const seen = /* @__PURE__ */ new Set([from]);
    const queue = [...this.cfg.table[from]?.imports ?? []];
    while (queue.length > 0) {
      const path = queue.pop();
      if (seen.has(path)) continue;
      seen.add(path);
      const entry = this.cfg.table[path];
      if (!entry) continue;
      const key = `${path}\0${re.source}`;
      let hit = this.textMatches.get(key);
      if (hit === void 0) {
        hit = false;
        for (const f of entry.files) {
          const r = this.reader.read(f, this.cfg.maxFileSize ?? ENGINE_MAX_FILE_SIZE);
          if (r.ok && re.test(latin1Text(r.bytes))) {
            hit = true;
            break;
          }
        }
        this.textMatches.set(key, hit);
      }
      if (hit) return true;
      queue.push(...entry.imports ?? []);
    }
    return false;
  }
  deferredByPackage;
  /**
   * Names of the functions and methods deferred in the module's packages other than `except`
   * (`defer pkg.Name(`, `defer x.Name(`, `defer Name(`), by text. Each package's files are read
   * once per engine, and only when a rule asks.
   */
  deferredNames(except) {
    if (!this.deferredByPackage) {
      this.deferredByPackage = /* @__PURE__ */ new Map();
      for (const [path, entry] of Object.entries(this.cfg.table)) {
        const names = /* @__PURE__ */ new Set();
        for (const f of [...entry.files, ...entry.testFiles ?? []]) {
          const r = this.reader.read(f, this.cfg.maxFileSize ?? ENGINE_MAX_FILE_SIZE);
          if (r.ok) for (const n of deferredNamesIn(r.bytes)) names.add(n);
        }
        this.deferredByPackage.set(path, names);
      }
    }
    const out = /* @__PURE__ */ new Set();
    for (const [path, names] of this.deferredByPackage) {
      if (path === except || path === except.replace(/_test$/, "")) continue;
      for (const n of names) out.add(n);
    }
    return out;
  }
  /** Plain spawners of module packages (see spawners.ts), by import path. */
  spawnerCache = /* @__PURE__ */ new Map();
  /** The plain spawners declared by the files of a module package (read once per engine). */
  spawnersOf(path) {
    let s = this.spawnerCache.get(path);
    if (s) return s;
    const entry = this.cfg.table[path];
    if (!entry) return void 0;
    s = { funcs: /* @__PURE__ */ new Set(), methods: /* @__PURE__ */ new Set() };
    for (const f of entry.files) {
      const r = this.reader.read(f, this.cfg.maxFileSize ?? ENGINE_MAX_FILE_SIZE);
      if (r.ok && mayDeclareSpawner(r.bytes)) spawnersIn(latin1Text(r.bytes), s);
    }
    this.spawnerCache.set(path, s);
    return s;
  }
  rewriteSpawnerCalls(unit, good) {
    const own = spawnersInFiles(good.map((g) => g.file));
    const ownEmpty = own.funcs.size === 0 && own.methods.size === 0;
    const imported = (path) => path === unit.importPath ? own : this.spawnersOf(path);
    for (const g of good) {
      const importsSpawner = (g.file.decls ?? []).some((d) => d.kind === "GenDecl" && d.tok === "import" && (d.specs ?? []).some((sp) => {
        if (sp.kind !== "ImportSpec") return false;
        const path = sp.path.value.slice(1, -1);
        return !!this.cfg.table[path] && (this.spawnersOf(path)?.funcs.size ?? 0) > 0;
      }));
      if (!ownEmpty || importsSpawner) rewriteSpawns(g.file, own, imported);
    }
  }
  /** The type checker's importer: the module's own packages, parsed from source (the universe caches them). */
  importPackage(importPath) {
    const entry = this.cfg.table[importPath];
    if (!entry) return void 0;
    this.importedPackages.add(importPath);
    const kept = this.declarations.get(importPath);
    if (kept) {
      this.declarations.delete(importPath);
      return { name: entry.name, files: kept };
    }
    const files = [];
    for (const f of entry.files) {
      const r = this.read(f, "declarations");
      if (r.parsed) files.push(r.parsed.file);
    }
    return { name: entry.name, files };
  }
  typeCheck(unit, files, notes) {
    if (files.length === 0) return { info: unknownTypeInfo(), known: false };
    try {
      const r = checkPackage({
        path: unit.importPath,
        name: unit.name,
        files: files.map((f) => ({ file: f.file, source: f.source, goVersion: f.goVersion })),
        universe: this.universe
      });
      for (const e of r.errors.slice(0, 20)) notes.push(`${unit.importPath}: type check: ${e}`);
      return { info: r.info, known: true };
    } catch (e) {
      notes.push(`${unit.importPath}: type checking failed, analysing without types: ${e.message}`);
      return { info: unknownTypeInfo(), known: false };
    }
  }
  analyze(unit) {
    const own = [];
    const state = { clean: true };
    const r = this.analyzeUnit(unit, own, state);
    this.keepDeclarations(unit, own, state.clean);
    return r;
  }
  analyzeUnit(unit, own, state) {
    const findings = [];
    const directives = [];
    const diagnostics = [];
    const notes = [];
    const track = { current: void 0 };
    const files = [];
    const good = [];
    let bodies;
    for (const f of [...unit.files].sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) {
      const r = this.read(f);
      if (!r.parsed) {
        state.clean = false;
        notes.push(r.error ?? `${f.path}: unreadable`);
        continue;
      }
      const { file, source, errors } = r.parsed;
      if (errors.length > 0) state.clean = false;
      else if (!f.test) own.push({ f, file });
      const d = collectDirectives(source, file, { path: f.path, knownRules: this.knownRules });
      directives.push(...d.directives);
      diagnostics.push(...d.diagnostics);
      if (errors.length > 0) {
        for (const e of errors) {
          const off = Math.max(0, Math.min(e.offset, source.size));
          findings.push({
            rule: SYNTAX_ERROR_RULE.id,
            severity: "high",
            confidence: "high",
            // Deep nesting is a limit of ours, not an error in the file (Go allows much more).
            message: /^exceeded max nesting depth/.test(e.message) ? `the file nests deeper than deferguard analyses (more than ${DEFAULT_MAX_NESTING} levels of parentheses, blocks or calls); the Go compiler may accept it, but the file is not analysed` : `syntax error: ${e.message} (the file is not analysed)`,
            related: [],
            ...spanOf({ path: f.path, source }, { pos: off, end: off })
          });
        }
        continue;
      }
      good.push({ f, file, source });
    }
    this.rewriteSpawnerCalls(unit, good);
    if (this.needs && this.prune) {
      try {
        const s = pruneBodies(good.map((g) => g.file), this.needs);
        bodies = { total: s.bodies, pruned: s.pruned };
        if (s.empty) return { key: unit.key, findings, directives, diagnostics, notes, bodies };
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
      }
    }
    for (const { f, file, source } of good) {
      let inspector;
      try {
        inspector = new Inspector(file);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        findings.push({
          rule: SYNTAX_ERROR_RULE.id,
          severity: "high",
          confidence: "high",
          message: "the file nests too deeply to be analysed (the stack is exhausted) (the file is not analysed)",
          related: [],
          ...spanOf({ path: f.path, source }, { pos: 0, end: 0 })
        });
        continue;
      }
      const pf = { path: f.path, name: f.name, file, source, goVersion: f.goVersion, generated: f.generated, test: f.test, inspector };
      pf.inspector = new TrackedInspector(inspector, pf, track);
      files.push(pf);
    }
    if (files.length === 0) return { key: unit.key, findings, directives, diagnostics, notes };
    const { info, known } = this.typeCheck(unit, files, notes);
    const pkg = {
      importPath: unit.importPath,
      name: unit.name,
      dir: unit.dir,
      moduleRoot: this.cfg.root,
      modulePath: unit.modulePath,
      moduleGoVersion: unit.moduleGoVersion
    };
    const ctx = new PackageContext(pkg, files, info, known, this.cfg.options, () => this.deferredNames(unit.importPath), (re) => this.importedMatch(unit.importPath, re), (p, n, r, x) => this.moduleFunc(p, n, r, x));
    for (const a of this.analyzers) {
      const pass = new PassImpl(a.meta, ctx);
      track.current = void 0;
      try {
        a.run(pass);
        findings.push(...pass.findings);
      } catch (e) {
        const where = track.current ?? files[0];
        const err = e;
        findings.push({
          rule: INTERNAL_ERROR_RULE.id,
          severity: INTERNAL_ERROR_RULE.severity,
          confidence: "high",
          message: `rule ${a.meta.id} failed on ${where.path}: ${err?.message ?? String(e)}; its findings for package ${unit.importPath} are dropped`,
          related: [],
          ...spanOf(where, { pos: 0, end: 0 })
        });
      }
    }
    this.universe.forget(unit.importPath);
    return { key: unit.key, findings, directives, diagnostics, notes, ...bodies ? { bodies } : {} };
  }
};

// src/analysis/engine.ts
var diskReader = {
  read: (f, maxBytes) => readFileLimited(f.absPath, f.path, maxBytes)
};
var Engine2 = class _Engine extends Engine {
  /** An engine over the registry's analyzers, reading from `reader` (the disk by default). */
  static async create(cfg, reader = diskReader) {
    return new _Engine(cfg, await loadAnalyzers(cfg.registry, cfg.enable), reader);
  }
};

export {
  DEFAULT_MAX_FILE_SIZE,
  readFileLimited,
  isReadFailure,
  listDir,
  realPath,
  isFile,
  isDir,
  applySuppressions,
  DIRECTIVE_RULE,
  diagnosticsToFindings,
  deferredNamesIn,
  SYNTAX_ERROR_RULE,
  INTERNAL_ERROR_RULE,
  diskReader,
  Engine2 as Engine
};
