import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  closest
} from "./chunk-C3WIRZWW.js";
import {
  DEFAULT_MAX_NESTING,
  parseFile
} from "./chunk-M2L5VSVX.js";
import {
  DEFAULT_NO_RETURN,
  buildCFG,
  buildCallGraph,
  docUrl
} from "./chunk-YUIG5E44.js";
import {
  end,
  forEachChild,
  inspect,
  pos,
  unparen
} from "./chunk-DO6F2IKR.js";

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
    let accLo = 0;
    let accHi = 0;
    const walk = (n) => {
      const k = KIND_INDEX.get(n.kind);
      const push = this.nodes.length;
      this.nodes.push(n);
      this.index.push(0);
      const ownLo = k < 32 ? 1 << k : 0;
      const ownHi = k >= 32 ? 1 << k - 32 : 0;
      this.lo.push(ownLo);
      this.hi.push(ownHi);
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
      if (n.kind === "FuncDecl" || n.kind === "FuncLit") this.funcPop.set(n, pop);
      accLo |= savedLo;
      accHi |= savedHi;
    };
    walk(root);
  }
  root;
  members;
  has(node) {
    if (node.kind === "FuncDecl" || node.kind === "FuncLit") return this.funcPop.has(node);
    if (!this.members) {
      const m = /* @__PURE__ */ new Set();
      const { nodes, index } = this;
      for (let i = 0; i < nodes.length; i++) if (index[i] > i) m.add(nodes[i]);
      this.members = m;
    }
    return this.members.has(node);
  }
  /** Pop event of each function declaration and literal (their subtree kinds are there). */
  funcPop = /* @__PURE__ */ new Map();
  nodes = [];
  index = [];
  lo = [];
  hi = [];
  contains(fn, kinds) {
    const j = this.funcPop.get(fn);
    if (j === void 0) return true;
    const m = maskOf(kinds);
    return !m || (this.lo[j] & m.lo) !== 0 || (this.hi[j] & m.hi) !== 0;
  }
  /** Number of nodes recorded. */
  get size() {
    return this.nodes.length / 2;
  }
  /**
   * Calls fn for each node of one of the given kinds (all kinds when empty), in depth-first
   * pre-order. Subtrees without such nodes are skipped.
   */
  preorder(kinds, fn) {
    const m = maskOf(kinds);
    const { nodes, index, lo, hi } = this;
    for (let i = 0; i < nodes.length; ) {
      const j = index[i];
      if (j > i) {
        if (m && (lo[j] & m.lo) === 0 && (hi[j] & m.hi) === 0) {
          i = j + 1;
          continue;
        }
        if (!m || (lo[i] & m.lo) !== 0 || (hi[i] & m.hi) !== 0) fn(nodes[i]);
      }
      i++;
    }
  }
  /**
   * Like preorder, with the stack of enclosing nodes (outermost first, the node itself last).
   * Return false from fn to skip the node's children. The stack array is reused: copy it to keep it.
   */
  withStack(kinds, fn) {
    const m = maskOf(kinds);
    const { nodes, index, lo, hi } = this;
    const stack = [];
    for (let i = 0; i < nodes.length; ) {
      const j = index[i];
      if (j > i) {
        if (m && (lo[j] & m.lo) === 0 && (hi[j] & m.hi) === 0) {
          i = j + 1;
          continue;
        }
        stack.push(nodes[i]);
        if (!m || (lo[i] & m.lo) !== 0 || (hi[i] & m.hi) !== 0) {
          if (fn(nodes[i], stack) === false) {
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

// src/types/typetext.ts
var TypeTextError = class extends Error {
  text;
  offset;
  constructor(message, text, offset) {
    super(`${message} at offset ${offset} in type text ${JSON.stringify(text)}`);
    this.name = "TypeTextError";
    this.text = text;
    this.offset = offset;
  }
};
var PREDECLARED = /* @__PURE__ */ new Set([
  "bool",
  "string",
  "error",
  "comparable",
  "any",
  "byte",
  "rune",
  "uintptr",
  "int",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "float32",
  "float64",
  "complex64",
  "complex128"
]);
var UNTYPED = {
  "ideal-bool": "bool",
  "ideal-int": "int",
  "ideal-char": "rune",
  "ideal-rune": "rune",
  "ideal-float": "float",
  "ideal-complex": "complex",
  "ideal-string": "string"
};
function tokenize(text) {
  const out = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const at = i;
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      if (text.startsWith("ideal", i) && j === i + 5 && text[j] === "-") {
        j++;
        while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      }
      out.push({ t: "ident", v: text.slice(i, j), at });
      i = j;
      continue;
    }
    if (c === 36) {
      let j = i + 1;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (j === i + 1) throw new TypeTextError('"$" without a type-parameter index', text, at);
      out.push({ t: "tparam", v: Number(text.slice(i + 1, j)), at });
      i = j;
      continue;
    }
    if (isDigit(c)) {
      let j = i + 1;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      out.push({ t: "int", v: Number(text.slice(i, j)), at });
      i = j;
      continue;
    }
    if (text.startsWith("...", i)) {
      out.push({ t: "punct", v: "...", at });
      i += 3;
      continue;
    }
    if (text.startsWith("<-", i)) {
      out.push({ t: "punct", v: "<-", at });
      i += 2;
      continue;
    }
    if ("*[](){},.~|;".includes(text[i])) {
      out.push({ t: "punct", v: text[i], at });
      i++;
      continue;
    }
    throw new TypeTextError(`unexpected character ${JSON.stringify(text[i])}`, text, at);
  }
  out.push({ t: "eof", v: "", at: n });
  return out;
}
function isDigit(c) {
  return c >= 48 && c <= 57;
}
function isIdentStart(c) {
  return c >= 65 && c <= 90 || c >= 97 && c <= 122 || c === 95 || c > 127;
}
function isIdentPart(c) {
  return isIdentStart(c) || isDigit(c);
}
var Parser = class {
  constructor(text, ctx) {
    this.text = text;
    this.ctx = ctx;
    this.toks = tokenize(text);
  }
  text;
  ctx;
  toks;
  p = 0;
  get tok() {
    return this.toks[this.p];
  }
  peek(k = 1) {
    return this.toks[Math.min(this.p + k, this.toks.length - 1)];
  }
  is(v) {
    const t = this.tok;
    return (t.t === "punct" || t.t === "ident") && t.v === v;
  }
  fail(msg, at = this.tok.at) {
    throw new TypeTextError(msg, this.text, at);
  }
  expect(v) {
    if (!this.is(v)) this.fail(`expected ${JSON.stringify(v)}, found ${describe2(this.tok)}`);
    this.p++;
  }
  ident() {
    const t = this.tok;
    if (t.t !== "ident") this.fail(`expected a name, found ${describe2(t)}`);
    this.p++;
    return t.v;
  }
  end() {
    if (this.tok.t !== "eof") this.fail(`unexpected ${describe2(this.tok)} after the type`);
  }
  type() {
    const t = this.tok;
    switch (t.t) {
      case "tparam":
        this.p++;
        return { kind: "typeparam", index: t.v };
      case "punct":
        switch (t.v) {
          case "*":
            this.p++;
            return { kind: "pointer", elem: this.type() };
          case "[": {
            this.p++;
            if (this.is("]")) {
              this.p++;
              return { kind: "slice", elem: this.type() };
            }
            const len = this.tok;
            if (len.t !== "int") this.fail(`expected an array length or "]", found ${describe2(len)}`);
            this.p++;
            this.expect("]");
            return { kind: "array", len: len.v, elem: this.type() };
          }
          case "(": {
            this.p++;
            const inner = this.type();
            this.expect(")");
            return inner;
          }
          case "<-":
            this.p++;
            this.expect("chan");
            return { kind: "chan", dir: "recv", elem: this.type() };
        }
        return this.fail(`expected a type, found ${describe2(t)}`);
      case "ident":
        return this.namedOrKeyword(t.v);
      default:
        return this.fail(`expected a type, found ${describe2(t)}`);
    }
  }
  namedOrKeyword(word) {
    switch (word) {
      case "map": {
        this.p++;
        this.expect("[");
        const key = this.type();
        this.expect("]");
        return { kind: "map", key, elem: this.type() };
      }
      case "chan": {
        this.p++;
        if (this.is("<-")) {
          this.p++;
          return { kind: "chan", dir: "send", elem: this.type() };
        }
        return { kind: "chan", dir: "both", elem: this.type() };
      }
      case "func":
        this.p++;
        return { kind: "func", sig: this.signature(false) };
      case "struct":
        this.p++;
        if (this.is("{")) this.skipBalanced("{", "}");
        return { kind: "struct" };
      case "interface":
        this.p++;
        return this.interfaceBody();
    }
    const untyped = UNTYPED[word];
    if (untyped) {
      this.p++;
      return { kind: "untyped", basic: untyped };
    }
    this.p++;
    let pkg;
    let name = word;
    if (this.is(".")) {
      this.p++;
      name = this.ident();
      const path = word === "unsafe" ? "unsafe" : this.ctx.resolve(word);
      if (path === void 0) this.fail(`unknown package qualifier ${JSON.stringify(word)}`, this.toks[this.p - 3].at);
      pkg = path;
    } else {
      pkg = PREDECLARED.has(word) ? "" : this.ctx.pkg;
    }
    const args = [];
    if (this.is("[")) {
      this.p++;
      args.push(this.type());
      while (this.is(",")) {
        this.p++;
        args.push(this.type());
      }
      this.expect("]");
    }
    return { kind: "named", pkg, name, args };
  }
  skipBalanced(open, close) {
    let depth = 0;
    do {
      if (this.tok.t === "eof") this.fail(`unbalanced ${JSON.stringify(open)}`);
      if (this.is(open)) depth++;
      else if (this.is(close)) depth--;
      this.p++;
    } while (depth > 0);
  }
  interfaceBody() {
    this.expect("{");
    const methods = [];
    const embeds = [];
    while (!this.is("}")) {
      const t = this.tok;
      const next = this.peek();
      const bareName = t.t === "ident" && !PREDECLARED.has(t.v) && !UNTYPED[t.v] && !["map", "chan", "func", "struct", "interface"].includes(t.v);
      if (bareName && next.t === "punct" && next.v === "(") {
        this.p++;
        methods.push(t.v);
        this.signature(false);
      } else if (bareName && next.t === "punct" && (next.v === "," || next.v === ";" || next.v === "}")) {
        this.p++;
        methods.push(t.v);
      } else {
        embeds.push(this.unionOrType());
      }
      if (this.is(",") || this.is(";")) this.p++;
      else if (!this.is("}")) this.fail(`expected "," or "}" in interface, found ${describe2(this.tok)}`);
    }
    this.p++;
    return { kind: "interface", methods, embeds };
  }
  unionOrType() {
    const terms = [this.term()];
    while (this.is("|")) {
      this.p++;
      terms.push(this.term());
    }
    if (terms.length === 1 && !terms[0].tilde) return terms[0].type;
    return { kind: "union", terms };
  }
  term() {
    if (this.is("~")) {
      this.p++;
      return { tilde: true, type: this.type() };
    }
    return { tilde: false, type: this.type() };
  }
  /** `[tparams](params) results`; type parameters only where allowed (declarations). */
  signature(allowTypeParams) {
    const typeParams = [];
    if (this.is("[")) {
      if (!allowTypeParams) this.fail("type parameters are not allowed here");
      typeParams.push(...this.typeParamList());
    }
    const { types: params, variadic } = this.tuple(true);
    let results = [];
    if (this.is("(")) {
      results = this.tuple(false).types;
    } else if (this.startsType()) {
      results = [this.type()];
    }
    return { typeParams, params, results, variadic };
  }
  typeParamList() {
    this.expect("[");
    const out = [];
    for (; ; ) {
      const t = this.tok;
      if (t.t !== "tparam") this.fail(`expected a type parameter ($N), found ${describe2(t)}`);
      this.p++;
      const constraint = this.is(",") || this.is("]") ? { kind: "interface", methods: [], embeds: [] } : this.unionOrType();
      out.push({ index: t.v, constraint });
      if (this.is(",")) {
        this.p++;
        continue;
      }
      this.expect("]");
      return out;
    }
  }
  tuple(allowVariadic) {
    this.expect("(");
    const types = [];
    let variadic = false;
    while (!this.is(")")) {
      if (variadic) this.fail("a variadic parameter must be the last one");
      if (this.is("...")) {
        if (!allowVariadic) this.fail('"..." is only allowed on the last parameter');
        this.p++;
        variadic = true;
        types.push({ kind: "slice", elem: this.type() });
      } else {
        types.push(this.type());
      }
      if (this.is(",")) this.p++;
      else if (!this.is(")")) this.fail(`expected "," or ")", found ${describe2(this.tok)}`);
    }
    this.p++;
    return { types, variadic };
  }
  startsType() {
    const t = this.tok;
    if (t.t === "ident" || t.t === "tparam") return true;
    return t.t === "punct" && (t.v === "*" || t.v === "[" || t.v === "<-");
  }
};
function describe2(t) {
  return t.t === "eof" ? "end of text" : JSON.stringify(String(t.v));
}
function parseType(text, ctx) {
  const p = new Parser(text, ctx);
  const t = p.unionOrType();
  p.end();
  return t;
}
function parseSignature(text, ctx) {
  const p = new Parser(text, ctx);
  const s = p.signature(true);
  p.end();
  return s;
}
function parseTypeParams(text, ctx) {
  const p = new Parser(text, ctx);
  const tps = p.typeParamList();
  p.end();
  return tps;
}

// src/types/stdlib.ts
var FORMAT = 1;
function goVersion(minor) {
  return minor === 0 ? "go1" : `go1.${minor}`;
}
var StdlibDataError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "StdlibDataError";
  }
};
function lazy(f) {
  let done = false;
  let v;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v;
  };
}
function dated(obj, since, deprecated) {
  const o = obj;
  o.since = goVersion(since);
  o.sinceMinor = since;
  if (deprecated !== void 0) o.deprecated = goVersion(deprecated);
  return o;
}
function defineLazy(obj, key, f) {
  const get = lazy(f);
  Object.defineProperty(obj, key, { get, enumerable: true, configurable: false });
}
function qualifiedPath(pkg, name) {
  return `${pkg}.${name}`;
}
function methodFullName(recv, method) {
  return `(${recv.pointer ? "*" : ""}${qualifiedPath(recv.pkg, recv.name)}).${method}`;
}
var StdPackage = class {
  path;
  name;
  since;
  sinceMinor;
  /** Package-name qualifiers used in this package's type text, mapped to import paths. */
  imports;
  raw;
  cache = /* @__PURE__ */ new Map();
  ctx;
  constructor(path, raw) {
    this.path = path;
    this.raw = raw;
    this.name = raw.name;
    this.sinceMinor = raw.since;
    this.since = goVersion(raw.since);
    this.imports = raw.imports ?? {};
    const imports = this.imports;
    this.ctx = { pkg: path, resolve: (q) => Object.hasOwn(imports, q) ? imports[q] : void 0 };
  }
  /** Parses type text written in this package's listing. */
  parseType(text) {
    return parseType(text, this.ctx);
  }
  parseSignature(text) {
    return parseSignature(text, this.ctx);
  }
  /** Names of all package-level members, sorted. */
  memberNames() {
    const r = this.raw;
    const names = [r.consts, r.vars, r.funcs, r.types].flatMap((m) => m ? Object.keys(m) : []);
    return [...new Set(names)].sort();
  }
  member(name) {
    let m = this.cache.get(name);
    if (m === void 0) {
      m = this.makeMember(name) ?? null;
      this.cache.set(name, m);
    }
    return m ?? void 0;
  }
  /** The raw type entry (internal use by the index). */
  rawType(name) {
    const t = this.raw.types;
    return t && Object.hasOwn(t, name) ? t[name] : void 0;
  }
  makeMember(name) {
    const r = this.raw;
    const own = (m) => m && Object.hasOwn(m, name) ? m[name] : void 0;
    const c = own(r.consts);
    if (c) return this.valueMember("const", name, c);
    const v = own(r.vars);
    if (v) return this.valueMember("var", name, v);
    const f = own(r.funcs);
    if (f) {
      const m = dated({ kind: "func", pkg: this.path, name, sigText: f[0], fullName: qualifiedPath(this.path, name) }, f[1], f[2]);
      defineLazy(m, "signature", () => this.parseSignature(f[0]));
      return m;
    }
    const t = own(r.types);
    if (t) return this.typeMember(name, t);
    return void 0;
  }
  valueMember(kind, name, v) {
    const m = dated({ kind, pkg: this.path, name, typeText: v[0] }, v[1], v[2]);
    defineLazy(m, "type", () => this.parseType(v[0]));
    return m;
  }
  typeMember(name, t) {
    const m = dated(
      {
        kind: "type",
        pkg: this.path,
        name,
        typeKind: t.kind,
        unexportedMethods: t.unexported === 1
      },
      t.since,
      t.deprecated
    );
    if (t.type !== void 0) {
      m.typeText = t.type;
      defineLazy(m, "type", () => this.parseType(t.type));
    }
    defineLazy(m, "typeParams", () => t.tparams ? parseTypeParams(t.tparams, this.ctx) : []);
    defineLazy(m, "embeds", () => (t.embeds ?? []).map((e) => this.parseType(e)));
    return m;
  }
};
var StdlibIndex = class {
  /** Release of the newest listing the data was generated from, e.g. `go1.26`. */
  go;
  platform;
  raw;
  pkgs = /* @__PURE__ */ new Map();
  methodCache = /* @__PURE__ */ new Map();
  byName;
  constructor(raw) {
    if (!raw || typeof raw !== "object" || typeof raw.packages !== "object" || raw.packages === null) {
      throw new StdlibDataError('standard-library API data is malformed: no "packages" object');
    }
    if (raw.format !== FORMAT) {
      throw new StdlibDataError(`standard-library API data has format ${String(raw.format)}, this version of deferguard reads format ${FORMAT}`);
    }
    this.raw = raw;
    this.go = raw.go;
    this.platform = raw.platform;
  }
  /** All package paths, sorted. */
  packagePaths() {
    return Object.keys(this.raw.packages).sort();
  }
  package(path) {
    let p = this.pkgs.get(path);
    if (!p) {
      if (!Object.hasOwn(this.raw.packages, path)) return void 0;
      p = new StdPackage(path, this.raw.packages[path]);
      this.pkgs.set(path, p);
    }
    return p;
  }
  /** Paths of the packages whose name is `name` (`rand` → crypto/rand, math/rand, math/rand/v2). */
  packagesNamed(name) {
    if (!this.byName) {
      this.byName = /* @__PURE__ */ new Map();
      for (const path of this.packagePaths()) {
        const n = this.raw.packages[path].name;
        this.byName.set(n, [...this.byName.get(n) ?? [], path]);
      }
    }
    return [...this.byName.get(name) ?? []];
  }
  member(path, name) {
    return this.package(path)?.member(name);
  }
  /** Follows aliases (`os.FileInfo` → `io/fs.FileInfo`); undefined if the type is unknown or aliases a non-named type. */
  resolveType(path, name) {
    for (let i = 0; i < 16; i++) {
      const m = this.member(path, name);
      if (!m || m.kind !== "type") return void 0;
      if (m.typeKind !== "alias") return m;
      const target = m.type;
      if (!target || target.kind !== "named" || target.pkg === "") return m;
      path = target.pkg;
      name = target.name;
    }
    return void 0;
  }
  /** Value and pointer method sets of a named type (after aliases), including promoted methods. */
  methodsOf(path, typeName) {
    const t = this.resolveType(path, typeName);
    if (!t) return void 0;
    const key = `${t.pkg}\0${t.name}`;
    let sets = this.methodCache.get(key);
    if (sets === void 0) {
      sets = this.buildMethodSets(t) ?? null;
      this.methodCache.set(key, sets);
    }
    return sets ? { value: [...sets.value], pointer: [...sets.pointer] } : void 0;
  }
  /** A method of T or *T (pointer = true, the default, looks in the method set of *T). */
  lookupMethod(path, typeName, method, pointer = true) {
    const sets = this.methodsOf(path, typeName);
    if (!sets) return void 0;
    return (pointer ? sets.pointer : sets.value).find((m) => m.name === method) ?? (pointer ? sets.value.find((m) => m.name === method) : void 0);
  }
  buildMethodSets(t) {
    const pkg = this.package(t.pkg);
    const raw = pkg.rawType(t.name);
    if (!raw) return void 0;
    const methods = raw.methods ?? {};
    const out = [];
    if (t.typeKind === "interface") {
      for (const name of Object.keys(methods).sort()) {
        const m = methods[name];
        const origin = this.interfaceOrigin(t.pkg, t.name, name, 0) ?? { pkg: t.pkg, name: t.name, pointer: false };
        out.push(
          this.methodInfo(pkg, t.name, name, false, true, m[0], m[1], m[2], origin, origin.pkg !== t.pkg || origin.name !== t.name)
        );
      }
      return { value: out, pointer: [] };
    }
    const value = [];
    for (const name of Object.keys(methods).sort()) {
      const m = methods[name];
      const pointerRecv = m[0] === "*";
      let origin;
      let promoted = false;
      if (m[3] === "") origin = { pkg: t.pkg, name: t.name, pointer: pointerRecv };
      else {
        promoted = true;
        origin = this.originRef(pkg, m[3]) ?? { pkg: t.pkg, name: t.name, pointer: pointerRecv };
        const io = this.interfaceOrigin(origin.pkg, origin.name, name, 0);
        if (io) origin = io;
      }
      const info = this.methodInfo(pkg, t.name, name, pointerRecv, false, m[1], m[2], m[4], origin, promoted);
      out.push(info);
      if (!pointerRecv) value.push(info);
    }
    return { value, pointer: out };
  }
  originRef(pkg, text) {
    if (text === "?") return void 0;
    const pointer = text.startsWith("*");
    const t = pkg.parseType(pointer ? text.slice(1) : text);
    if (t.kind !== "named") return void 0;
    return { pkg: t.pkg, name: t.name, pointer };
  }
  /** The interface that declares `method`, searching `name`'s embedded interfaces; undefined if `name` is not an interface. */
  interfaceOrigin(path, name, method, depth) {
    if (depth > 16) return void 0;
    const t = this.resolveType(path, name);
    if (!t || t.typeKind !== "interface") return void 0;
    const raw = this.package(t.pkg).rawType(t.name);
    if (!raw?.methods || !Object.hasOwn(raw.methods, method)) return void 0;
    for (const e of t.embeds) {
      if (e.kind !== "named" || e.pkg === "") continue;
      const o = this.interfaceOrigin(e.pkg, e.name, method, depth + 1);
      if (o) return o;
    }
    return { pkg: t.pkg, name: t.name, pointer: false };
  }
  methodInfo(pkg, recvType, name, pointerRecv, isInterface, sigText, since, deprecated, origin, promoted) {
    const m = dated(
      {
        pkg: pkg.path,
        recvType,
        name,
        pointerRecv,
        isInterface,
        sigText,
        promoted,
        origin,
        fullName: methodFullName(origin, name)
      },
      since,
      deprecated
    );
    defineLazy(m, "signature", () => pkg.parseSignature(sigText));
    return m;
  }
  /**
   * Fields of a struct type (after aliases): its own, then those promoted through embedded
   * fields by Go's selector rule (the shallowest depth wins; a name found twice at the same
   * depth is ambiguous and hides deeper ones). Sorted by depth, then name.
   */
  fieldsOf(path, typeName) {
    const start = this.resolveType(path, typeName);
    if (!start) return void 0;
    if (start.typeKind !== "struct") return [];
    const result = /* @__PURE__ */ new Map();
    let level = [{ t: start, via: [] }];
    const seen = /* @__PURE__ */ new Set([`${start.pkg}.${start.name}`]);
    for (let depth = 0; level.length && depth < 32; depth++) {
      const found = /* @__PURE__ */ new Map();
      const next = [];
      for (const { t, via } of level) {
        const pkg = this.package(t.pkg);
        const fields = pkg.rawType(t.name)?.fields ?? {};
        for (const fname of Object.keys(fields).sort()) {
          const f = fields[fname];
          const info = dated(
            { name: fname, typeText: f[0], embedded: f[2] === 1, depth, via, owner: { pkg: t.pkg, name: t.name } },
            f[1],
            f[3]
          );
          defineLazy(info, "type", () => pkg.parseType(f[0]));
          found.set(fname, [...found.get(fname) ?? [], info]);
          if (f[2] === 1) {
            let et = pkg.parseType(f[0]);
            if (et.kind === "pointer") et = et.elem;
            if (et.kind !== "named" || et.pkg === "") continue;
            const target = this.resolveType(et.pkg, et.name);
            if (!target || target.typeKind !== "struct") continue;
            const key = `${target.pkg}.${target.name}`;
            if (seen.has(key)) continue;
            seen.add(key);
            next.push({ t: target, via: [...via, fname] });
          }
        }
      }
      for (const [name, list] of found) if (!result.has(name)) result.set(name, list.length === 1 ? list[0] : null);
      level = next;
    }
    return [...result.values()].filter((f) => f !== null).sort((a, b) => a.depth - b.depth || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  /** A field of a struct type, own or promoted. */
  lookupField(path, typeName, field) {
    return this.fieldsOf(path, typeName)?.find((f) => f.name === field);
  }
};
var STDLIB_DATA_URL = (() => {
  try {
    return new URL("../../data/stdlib-api.json", import.meta.url);
  } catch {
    return new URL("file:///deferguard/data/stdlib-api.json");
  }
})();
function nodeModules() {
  const proc = globalThis.process;
  const get = proc?.getBuiltinModule;
  if (typeof get !== "function") return void 0;
  return { fs: get.call(proc, "node:fs"), url: get.call(proc, "node:url") };
}
function parseStdlibIndex(data, name = "standard-library API data") {
  let raw;
  if (typeof data === "string") {
    try {
      raw = JSON.parse(data);
    } catch (e) {
      throw new StdlibDataError(`the standard-library API data ${name} is not valid JSON: ${e.message}`);
    }
  } else raw = data;
  return new StdlibIndex(raw);
}
function loadStdlibIndex(file = STDLIB_DATA_URL) {
  const node = nodeModules();
  if (!node) {
    throw new StdlibDataError(
      `cannot read the standard-library API data ${String(file)}: no file system here (give the data with setStdlibSource, or run on Node 20.16 or later)`
    );
  }
  const name = file instanceof URL ? node.url.fileURLToPath(file) : file;
  let text;
  try {
    text = node.fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new StdlibDataError(
      `cannot read the standard-library API data ${name}: ${e.code ?? e.message} (regenerate it with npm run gen:stdlib)`
    );
  }
  return parseStdlibIndex(text, name);
}
var source;
var defaultIndex;
var KNOWN_MODULES_DATA_URL = (() => {
  try {
    return new URL("../../data/known-modules-api.json", import.meta.url);
  } catch {
    return new URL("file:///deferguard/data/known-modules-api.json");
  }
})();
var knownSource;
function knownModules() {
  try {
    let raw;
    if (knownSource !== void 0) raw = typeof knownSource === "string" ? JSON.parse(knownSource) : knownSource;
    else {
      const node = nodeModules();
      if (!node) return {};
      raw = JSON.parse(node.fs.readFileSync(KNOWN_MODULES_DATA_URL, "utf8"));
    }
    return raw.format === FORMAT ? raw.packages : {};
  } catch {
    return {};
  }
}
function stdlib() {
  if (!defaultIndex) {
    let raw;
    if (source === void 0) raw = loadStdlibIndex().raw;
    else raw = parseStdlibIndex(typeof source === "function" ? source() : source).raw;
    const extra = knownModules();
    const packages = { ...raw.packages };
    for (const [path, p] of Object.entries(extra)) if (!(path in packages)) packages[path] = p;
    defaultIndex = new StdlibIndex({ ...raw, packages });
  }
  return defaultIndex;
}

// src/types/check.ts
var basicCache = /* @__PURE__ */ new Map();
function basic(name) {
  let b = basicCache.get(name);
  if (!b) {
    b = { kind: "basic", name };
    basicCache.set(name, b);
  }
  return b;
}
var BASIC_NAMES = [
  "bool",
  "int",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "uintptr",
  "float32",
  "float64",
  "complex64",
  "complex128",
  "string"
];
var UNTYPED_NIL = basic("untyped nil");
var INT = basic("int");
var BOOL = basic("bool");
var STRING = basic("string");
var UINT8 = basic("uint8");
var INT32 = basic("int32");
var FLOAT64 = basic("float64");
var COMPLEX128 = basic("complex128");
var UNSAFE_POINTER = basic("unsafe.Pointer");
var EMPTY_IFACE = { kind: "interface", methods: [], embeds: [] };
var BUILTINS = [
  "append",
  "cap",
  "clear",
  "close",
  "complex",
  "copy",
  "delete",
  "imag",
  "len",
  "make",
  "max",
  "min",
  "new",
  "panic",
  "print",
  "println",
  "real",
  "recover"
];
var UNSAFE_FUNCS = ["Alignof", "Offsetof", "Sizeof", "Add", "Slice", "SliceData", "String", "StringData"];
var Named = class {
  constructor(pkg, name) {
    this.pkg = pkg;
    this.name = name;
  }
  pkg;
  name;
  kind = "named";
  typeArgs = null;
  /** The origin (uninstantiated) type. */
  origin() {
    return this;
  }
};
var UniverseNamed = class extends Named {
  constructor(name, under2) {
    super("", name);
    this.under = under2;
  }
  under;
  underlying() {
    return this.under;
  }
  select(name) {
    if (this.name === "error" && name === "Error") {
      return { kind: "method", fullName: "(error).Error", short: "Error", recv: { pkg: "", name: "error", pointer: false }, sig: sig([], [STRING]), iface: true };
    }
    return void 0;
  }
};
function sig(params, results, variadic = false) {
  return {
    kind: "signature",
    params: params.map((type) => ({ name: "", type })),
    results: results.map((type) => ({ name: "", type })),
    variadic
  };
}
var ERROR_TYPE = new UniverseNamed("error", { kind: "interface", methods: [{ name: "Error", sig: sig([], [STRING]) }], embeds: [] });
var COMPARABLE = new UniverseNamed("comparable", { kind: "interface", methods: [], embeds: [] });
var LObj = class {
  constructor(kind, name, pkg, thunk) {
    this.kind = kind;
    this.name = name;
    this.pkg = pkg;
    this.thunk = thunk;
  }
  kind;
  name;
  pkg;
  thunk;
  decl = null;
  imported;
  varKind;
  funcDecl;
  computed = false;
  computing = false;
  t;
  get type() {
    if (!this.computed) {
      if (this.computing) return void 0;
      this.computing = true;
      try {
        this.t = typeof this.thunk === "function" ? this.thunk() : this.thunk;
      } catch {
        this.t = void 0;
      }
      this.computing = false;
      this.computed = true;
      this.thunk = void 0;
    }
    return this.t;
  }
};
function newScope(parent) {
  return { parent, names: /* @__PURE__ */ new Map() };
}
function lookupScope(s, name) {
  for (; s; s = s.parent) {
    const o = s.names.get(name);
    if (o) return o;
  }
  return void 0;
}
var Universe = class {
  constructor(importer) {
    this.importer = importer;
    const s = this.scope.names;
    for (const n of BASIC_NAMES) s.set(n, new LObj("type", n, "", basic(n)));
    s.set("byte", new LObj("type", "byte", "", UINT8));
    s.set("rune", new LObj("type", "rune", "", INT32));
    s.set("error", new LObj("type", "error", "", ERROR_TYPE));
    s.set("comparable", new LObj("type", "comparable", "", COMPARABLE));
    s.set("any", new LObj("type", "any", "", EMPTY_IFACE));
    s.set("true", new LObj("const", "true", "", basic("untyped bool")));
    s.set("false", new LObj("const", "false", "", basic("untyped bool")));
    s.set("iota", new LObj("const", "iota", "", basic("untyped int")));
    s.set("nil", new LObj("nil", "nil", "", UNTYPED_NIL));
    for (const b of BUILTINS) s.set(b, new LObj("builtin", b, "", void 0));
  }
  importer;
  scope = newScope(null);
  pkgs = /* @__PURE__ */ new Map();
  /** The package with this import path, from source when the importer has it, else from the index. */
  package(path) {
    let p = this.pkgs.get(path);
    if (p === void 0) {
      p = null;
      this.pkgs.set(path, null);
      if (path === "unsafe") p = new UnsafePackage();
      else {
        const src = this.importer?.(path);
        if (src) p = new SourcePackage(this, path, src.name, src.files.map((file) => ({ file })));
        else {
          const std = stdlib().package(path);
          if (std) p = new IndexPackage(this, std);
        }
      }
      this.pkgs.set(path, p);
    }
    return p ?? void 0;
  }
  /** Registers the package being checked so that cyclic references (its own tests) resolve. */
  register(p) {
    this.pkgs.set(p.path, p);
  }
  /** Drops a checked package (its trees and type maps); a later import reads it again. */
  forget(path) {
    this.pkgs.delete(path);
  }
};
var UnsafePackage = class {
  path = "unsafe";
  name = "unsafe";
  objs = /* @__PURE__ */ new Map();
  constructor() {
    this.objs.set("Pointer", new LObj("type", "Pointer", "unsafe", UNSAFE_POINTER));
    for (const f of UNSAFE_FUNCS) this.objs.set(f, new LObj("builtin", "unsafe." + f, "unsafe", void 0));
  }
  member(name) {
    return this.objs.get(name);
  }
};
var IndexNamed = class extends Named {
  constructor(u, pkg, name) {
    super(pkg, name);
    this.u = u;
  }
  u;
  under = null;
  underlying() {
    if (this.under === null) {
      this.under = void 0;
      const idx = stdlib();
      const m = idx.resolveType(this.pkg, this.name);
      if (m) {
        if (m.typeKind === "struct") {
          const fields = idx.fieldsOf(m.pkg, m.name) ?? [];
          const conv = new TextConverter(this.u, this.typeArgs);
          this.under = {
            kind: "struct",
            fields: fields.filter((f) => f.depth === 0).map((f) => ({ name: f.name, type: conv.type(f.type) ?? UNKNOWN_PLACEHOLDER, embedded: f.embedded }))
          };
        } else if (m.typeKind === "interface") {
          const sets = idx.methodsOf(m.pkg, m.name);
          const conv = new TextConverter(this.u, this.typeArgs);
          this.under = {
            kind: "interface",
            methods: (sets?.value ?? []).map((mi) => ({ name: mi.name, sig: conv.signature(mi.signature) })),
            embeds: []
          };
        } else if (m.type) {
          const t = new TextConverter(this.u, this.typeArgs).type(m.type);
          this.under = t && t.kind === "named" ? t.underlying() : t;
        }
      }
    }
    return this.under ?? void 0;
  }
  select(name, ptr) {
    const idx = stdlib();
    const f = idx.lookupField(this.pkg, this.name, name);
    if (f) return { kind: "field", type: new TextConverter(this.u, this.typeArgs).type(f.type) };
    const mi = idx.lookupMethod(this.pkg, this.name, name, true);
    if (mi) {
      void ptr;
      return {
        kind: "method",
        fullName: mi.fullName,
        short: name,
        recv: { pkg: mi.origin.pkg, name: mi.origin.name, pointer: mi.origin.pointer },
        sig: new TextConverter(this.u, this.typeArgs).signature(mi.signature),
        iface: mi.isInterface
      };
    }
    return void 0;
  }
};
var TextConverter = class {
  constructor(u, args = null) {
    this.u = u;
    this.args = args;
  }
  u;
  args;
  tparams = /* @__PURE__ */ new Map();
  param(i) {
    if (this.args && i < this.args.length) return this.args[i];
    let tp = this.tparams.get(i);
    if (!tp) {
      tp = { kind: "typeparam", name: `$${i}`, constraint: void 0 };
      this.tparams.set(i, tp);
    }
    return tp;
  }
  type(t) {
    switch (t.kind) {
      case "named": {
        if (t.pkg === "") {
          const o = this.u.scope.names.get(t.name);
          return o && o.kind === "type" ? o.type : void 0;
        }
        if (t.pkg === "unsafe" && t.name === "Pointer") return UNSAFE_POINTER;
        const n = indexNamed(this.u, t.pkg, t.name);
        if (t.args.length) {
          const args = t.args.map((a) => this.type(a));
          if (args.some((a) => !a)) return n;
          return instantiate(n, args);
        }
        return n;
      }
      case "typeparam":
        return this.param(t.index);
      case "pointer": {
        const e = this.type(t.elem);
        return e && { kind: "pointer", elem: e };
      }
      case "slice": {
        const e = this.type(t.elem);
        return e && { kind: "slice", elem: e };
      }
      case "array": {
        const e = this.type(t.elem);
        return e && { kind: "array", len: t.len, elem: e };
      }
      case "map": {
        const k = this.type(t.key);
        const e = this.type(t.elem);
        return k && e && { kind: "map", key: k, elem: e };
      }
      case "chan": {
        const e = this.type(t.elem);
        return e && { kind: "chan", dir: t.dir, elem: e };
      }
      case "func":
        return this.signature(t.sig);
      case "struct":
        return { kind: "struct", fields: [] };
      case "interface":
        return { kind: "interface", methods: [], embeds: [] };
      case "union":
        return void 0;
      case "untyped":
        return basic("untyped " + t.basic);
    }
  }
  /**
   * A constraint whose type set has a single term (`interface{ ~[]E }`, `~map[K]V`) becomes that
   * term's type, the core type inference and indexing need; other constraints become interfaces.
   */
  constraint(t) {
    if (t.kind === "interface" && t.methods.length === 0 && t.embeds.length === 1) return this.constraint(t.embeds[0]);
    if (t.kind === "union") return t.terms.length === 1 ? this.type(t.terms[0].type) : void 0;
    return this.type(t);
  }
  signature(s) {
    for (const tp of s.typeParams ?? []) {
      const x = this.param(tp.index);
      if (x.kind === "typeparam" && x.constraint === void 0 && x !== UNKNOWN_PLACEHOLDER) x.constraint = this.constraint(tp.constraint);
    }
    const p = (t) => ({ name: "", type: this.type(t) ?? UNKNOWN_PLACEHOLDER });
    return { kind: "signature", params: s.params.map(p), results: s.results.map(p), variadic: s.variadic };
  }
};
var UNKNOWN_PLACEHOLDER = { kind: "typeparam", name: "?", constraint: void 0 };
function isPlaceholder(t) {
  return t === void 0 || t === UNKNOWN_PLACEHOLDER;
}
var indexNamedCache = /* @__PURE__ */ new WeakMap();
function indexNamed(u, pkg, name) {
  let m = indexNamedCache.get(u);
  if (!m) {
    m = /* @__PURE__ */ new Map();
    indexNamedCache.set(u, m);
  }
  const view = u.package(pkg);
  if (view instanceof SourcePackage) {
    const o = view.member(name);
    if (o && o.kind === "type" && o.type && o.type.kind === "named") return o.type;
  }
  const key = pkg + "." + name;
  let n = m.get(key);
  if (!n) {
    n = new IndexNamed(u, pkg, name);
    m.set(key, n);
  }
  return n;
}
var Instance = class extends Named {
  constructor(orig, args) {
    super(orig.pkg, orig.name);
    this.orig = orig;
    this.typeArgs = args;
  }
  orig;
  origin() {
    return this.orig;
  }
  underlying() {
    if (this.orig instanceof SourceNamed) return this.orig.underlyingWith(this.typeArgs);
    if (this.orig instanceof IndexNamed) {
      const n = new IndexNamed(this.orig.u, this.orig.pkg, this.orig.name);
      n.typeArgs = this.typeArgs;
      return n.underlying();
    }
    return this.orig.underlying();
  }
  select(name, ptr, depth) {
    if (this.orig instanceof SourceNamed) return this.orig.selectWith(name, ptr, depth, this.typeArgs);
    if (this.orig instanceof IndexNamed) {
      const n = new IndexNamed(this.orig.u, this.orig.pkg, this.orig.name);
      n.typeArgs = this.typeArgs;
      return n.select(name, ptr);
    }
    return this.orig.select(name, ptr, depth);
  }
};
function instantiate(n, args) {
  return new Instance(n.origin(), args);
}
var IndexPackage = class {
  constructor(u, std) {
    this.u = u;
    this.std = std;
    this.path = std.path;
    this.name = std.name;
  }
  u;
  std;
  path;
  name;
  objs = /* @__PURE__ */ new Map();
  member(name) {
    let o = this.objs.get(name);
    if (o === void 0) {
      o = null;
      const m = this.std.member(name);
      if (m) {
        const u = this.u;
        switch (m.kind) {
          case "func":
            o = new LObj("func", name, this.path, () => new TextConverter(u).signature(m.signature));
            break;
          case "var":
            o = new LObj("var", name, this.path, () => new TextConverter(u).type(m.type));
            o.varKind = "package";
            break;
          case "const":
            o = new LObj("const", name, this.path, () => new TextConverter(u).type(m.type));
            break;
          case "type": {
            if (m.typeKind === "alias" && m.type) o = new LObj("type", name, this.path, () => new TextConverter(u).type(m.type));
            else o = new LObj("type", name, this.path, indexNamed(u, this.path, name));
            break;
          }
        }
      }
      this.objs.set(name, o);
    }
    return o ?? void 0;
  }
};
var SourceNamed = class extends Named {
  constructor(p, spec, scope, name) {
    super(p.path, name);
    this.p = p;
    this.spec = spec;
    this.scope = scope;
  }
  p;
  spec;
  scope;
  /** Type parameter objects of the declaration, in order. */
  tparams = [];
  methods = /* @__PURE__ */ new Map();
  under = null;
  underlying() {
    if (this.under === null) {
      this.under = void 0;
      const t = this.p.typeExpr(this.spec.type, this.scope);
      this.under = t && t.kind === "named" ? t.underlying() : t;
    }
    return this.under;
  }
  underlyingWith(args) {
    const u = this.underlying();
    if (!u || !args || this.tparams.length === 0) return u;
    return substitute(u, this.tparamMap(args));
  }
  tparamMap(args) {
    const m = /* @__PURE__ */ new Map();
    if (args) this.tparams.forEach((tp, i) => {
      const t = tp.type;
      if (t && args[i]) m.set(t, args[i]);
    });
    return m;
  }
  select(name, ptr, depth) {
    return this.selectWith(name, ptr, depth, null);
  }
  selectWith(name, ptr, depth, args) {
    if (depth > 8) return void 0;
    const fd = this.methods.get(name);
    if (fd) {
      const recvT = fd.recv?.list?.[0]?.type;
      const pointer = !!recvT && unparen(recvT).kind === "StarExpr";
      let s = this.p.funcSignature(fd);
      if (s && args && this.tparams.length) s = substitute(s, this.recvTparamMap(fd, args));
      return {
        kind: "method",
        fullName: `(${pointer ? "*" : ""}${this.pkg}.${this.name}).${name}`,
        short: name,
        recv: { pkg: this.pkg, name: this.name, pointer },
        sig: s,
        iface: false,
        decl: fd
      };
    }
    const u = this.underlyingWith(args);
    if (!u) return void 0;
    if (u.kind === "interface") return selectInterface(u, name, this, depth);
    if (u.kind === "struct") return selectStruct(u, name, ptr, depth);
    return void 0;
  }
  /** Receiver type parameters are named per method (`func (s *Stack[E]) Push(v E)`). */
  recvTparamMap(fd, args) {
    const m = /* @__PURE__ */ new Map();
    const objs = this.p.recvTparams.get(fd);
    if (objs) objs.forEach((o, i) => {
      const t = o.type;
      if (t && args[i]) m.set(t, args[i]);
    });
    return m;
  }
};
function selectInterface(u, name, owner, depth) {
  if (u.kind !== "interface" || depth > 8) return void 0;
  const own = u.ownMethods ?? u.methods;
  for (const m of own) {
    if (m.name === name) {
      if (!owner) return { kind: "method", fullName: `(interface).${name}`, short: name, recv: { pkg: "", name: "interface", pointer: false }, sig: m.sig, iface: true };
      return {
        kind: "method",
        fullName: owner.pkg ? `(${owner.pkg}.${owner.name}).${name}` : `(${owner.name}).${name}`,
        short: name,
        recv: { pkg: owner.pkg, name: owner.name, pointer: false },
        sig: m.sig,
        iface: true
      };
    }
  }
  for (const e of u.embeds) {
    if (e.kind === "named") {
      const s = e.select(name, false, depth + 1);
      if (s) return s;
    } else if (e.kind === "interface") {
      const s = selectInterface(e, name, owner, depth + 1);
      if (s) return s;
    }
  }
  return void 0;
}
function selectStruct(u, name, ptr, depth) {
  if (u.kind !== "struct" || depth > 8) return void 0;
  for (const f of u.fields) if (f.name === name) return { kind: "field", type: f.type };
  for (const f of u.fields) {
    if (!f.embedded) continue;
    let t = f.type;
    if (t.kind === "pointer") t = t.elem;
    if (t.kind === "named") {
      const s = t.select(name, ptr, depth + 1);
      if (s) return s;
    }
  }
  return void 0;
}
function substitute(t, m) {
  if (m.size === 0) return t;
  const s = (x) => {
    const r = m.get(x);
    if (r) return r;
    switch (x.kind) {
      case "pointer":
        return { kind: "pointer", elem: s(x.elem) };
      case "slice":
        return { kind: "slice", elem: s(x.elem) };
      case "array":
        return { kind: "array", len: x.len, elem: s(x.elem) };
      case "map":
        return { kind: "map", key: s(x.key), elem: s(x.elem) };
      case "chan":
        return { kind: "chan", dir: x.dir, elem: s(x.elem) };
      case "signature":
        return {
          kind: "signature",
          params: x.params.map((p) => ({ name: p.name, type: s(p.type) })),
          results: x.results.map((p) => ({ name: p.name, type: s(p.type) })),
          variadic: x.variadic
        };
      case "tuple":
        return { kind: "tuple", types: x.types.map(s) };
      case "struct":
        return { kind: "struct", fields: x.fields.map((f) => ({ name: f.name, type: s(f.type), embedded: f.embedded })) };
      case "named":
        if (x.typeArgs && x.typeArgs.length) return instantiate(x, x.typeArgs.map(s));
        return x;
      default:
        return x;
    }
  };
  return s(t);
}
var SourcePackage = class _SourcePackage {
  constructor(u, path, name, files) {
    this.u = u;
    this.path = path;
    this.name = name;
    this.files = files;
    this.scope = newScope(u.scope);
    for (const f of files) this.declareFile(f.file);
    for (const f of files) this.collectMethods(f.file);
  }
  u;
  path;
  name;
  scope;
  files;
  fileCtx = /* @__PURE__ */ new Map();
  /** Receiver type parameter objects per method declaration. */
  recvTparams = /* @__PURE__ */ new Map();
  sigCache = /* @__PURE__ */ new Map();
  /** Per-declaration scope for generic functions (type parameters). */
  declScope = /* @__PURE__ */ new Map();
  /** Object recording for the analysed package (uses and defs); null for imported packages. */
  record = null;
  member(name) {
    return this.scope.names.get(name);
  }
  declare(id, o) {
    o.decl = id;
    if (id.name !== "_" && !this.scope.names.has(id.name)) this.scope.names.set(id.name, o);
    this.record?.(id, o);
  }
  declareFile(file) {
    const fscope = newScope(this.scope);
    this.fileCtx.set(file, { scope: fscope });
    for (const d of file.decls ?? []) {
      if (d.kind === "FuncDecl") {
        if (d.recv) continue;
        if (d.name.name === "init" || d.name.name === "_") {
          this.record?.(d.name, new LObj("func", d.name.name, this.path, void 0));
          continue;
        }
        const o = new LObj("func", d.name.name, this.path, () => this.funcSignature(d));
        o.funcDecl = d;
        this.declare(d.name, o);
      } else if (d.kind === "GenDecl") {
        if (d.tok === "import") {
          for (const s of d.specs ?? []) {
            if (s.kind !== "ImportSpec") continue;
            const path = importPath(s.path.value);
            if (path === void 0) continue;
            const name = s.name?.name;
            if (name === "_") continue;
            if (name === ".") {
              const view2 = this.u.package(path);
              if (view2 instanceof _SourcePackage) {
                for (const [k, v] of view2.scope.names) if (isExported(k)) fscope.names.set(k, v);
                else if (view2) fscope.dot = [...fscope.dot ?? [], view2];
              }
              continue;
            }
            const view = this.u.package(path);
            const local = name ?? view?.name ?? guessPackageName(path);
            const o = new LObj("pkgname", local, this.path, void 0);
            o.imported = path;
            if (s.name) {
              o.decl = s.name;
              this.record?.(s.name, o);
            }
            fscope.names.set(local, o);
          }
          continue;
        }
        this.declareGen(d, fscope, true);
      }
    }
  }
  /** Declares the specs of a const/var/type declaration in scope (package level when pkgLevel). */
  declareGen(d, scope, pkgLevel, local) {
    const target = pkgLevel ? this.scope : scope;
    const put = (id, o) => {
      o.decl = id;
      if (id.name !== "_" && (!pkgLevel || !target.names.has(id.name))) target.names.set(id.name, o);
      this.record?.(id, o);
    };
    if (d.tok === "type") {
      for (const s of d.specs ?? []) {
        if (s.kind !== "TypeSpec") continue;
        if (s.assign !== -1 && !s.typeParams) {
          const o = new LObj("type", s.name.name, this.path, () => this.typeExpr(s.type, scope));
          if (local) local.walkTypeExpr(s.type);
          put(s.name, o);
          continue;
        }
        const tscope = s.typeParams ? newScope(scope) : scope;
        const n = new SourceNamed(this, s, tscope, s.name.name);
        if (s.typeParams) n.tparams = this.declareTparams(s.typeParams, tscope);
        put(s.name, new LObj("type", s.name.name, this.path, n));
        if (local) local.walkTypeExpr(s.type, tscope);
      }
      return;
    }
    let lastConst = null;
    for (const s of d.specs ?? []) {
      if (s.kind !== "ValueSpec") continue;
      let spec = s;
      if (d.tok === "const" && !s.type && !s.values) spec = lastConst ?? s;
      else if (d.tok === "const") lastConst = s;
      if (local) {
        if (s.type) local.walkTypeExpr(s.type);
        for (const v of s.values ?? []) local.walkExpr(v);
      }
      const early = !pkgLevel && spec.type ? this.typeExpr(spec.type, scope) : void 0;
      s.names.forEach((id, i) => {
        const kind = d.tok === "const" ? "const" : "var";
        const o = new LObj(kind, id.name, this.path, early ? early : () => this.valueSpecType(spec, i, scope));
        if (kind === "var") o.varKind = pkgLevel ? "package" : "local";
        put(id, o);
      });
    }
  }
  valueSpecType(s, i, scope) {
    if (s.type) return this.typeExpr(s.type, scope);
    const vals = s.values ?? [];
    const info = this.checker();
    const typeOf = (e) => {
      this.resolveOnce(e, scope);
      return info.typeOf(e);
    };
    if (vals.length === s.names.length) return defaultType(typeOf(vals[i]));
    if (vals.length === 1) {
      const t = typeOf(vals[0]);
      if (t && t.kind === "tuple") return t.types[i];
      if (i === 1 && commaOk(vals[0])) return BOOL;
      if (i === 0) return t;
    }
    return void 0;
  }
  /**
   * The expression checker of this package. The analysed package sets it up front; an imported
   * package gets one on first use, for the initialisers of its package-level variables.
   */
  checker() {
    if (!this.info) this.info = new Checker(this);
    return this.info;
  }
  resolved = /* @__PURE__ */ new WeakSet();
  /** Resolves the identifiers of an initialiser of an imported package (the analysed package's are resolved file by file). */
  resolveOnce(e, scope) {
    if (this.record || this.resolved.has(e)) return;
    this.resolved.add(e);
    new LocalResolver(this.checker(), scope).walkExpr(e);
  }
  declareTparams(fl, scope) {
    const out = [];
    for (const f of fl.list ?? []) {
      for (const id of f.names ?? []) {
        const tp = { kind: "typeparam", name: id.name, constraint: void 0 };
        const o = new LObj("type", id.name, this.path, tp);
        o.decl = id;
        scope.names.set(id.name, o);
        this.record?.(id, o);
        out.push(o);
      }
    }
    for (const f of fl.list ?? []) {
      const c = f.type ? this.typeExpr(f.type, scope) : void 0;
      for (const id of f.names ?? []) {
        const o = scope.names.get(id.name);
        const t = o?.type;
        if (t && t.kind === "typeparam") t.constraint = c;
      }
    }
    return out;
  }
  collectMethods(file) {
    const fscope = this.fileCtx.get(file).scope;
    for (const d of file.decls ?? []) {
      if (d.kind !== "FuncDecl" || !d.recv) continue;
      const rt = d.recv.list?.[0]?.type;
      if (!rt) continue;
      let base = unparen(rt);
      if (base.kind === "StarExpr") base = unparen(base.x);
      let targs = [];
      if (base.kind === "IndexExpr") {
        targs = [base.index];
        base = base.x;
      } else if (base.kind === "IndexListExpr") {
        targs = base.indices ?? [];
        base = base.x;
      }
      if (base.kind !== "Ident") continue;
      const o = this.scope.names.get(base.name);
      const t = o?.kind === "type" ? o.type : void 0;
      const mscope = newScope(fscope);
      const objs = [];
      for (const a of targs) {
        if (a.kind === "Ident") {
          const tp = { kind: "typeparam", name: a.name, constraint: void 0 };
          const to = new LObj("type", a.name, this.path, tp);
          to.decl = a;
          if (a.name !== "_") mscope.names.set(a.name, to);
          this.record?.(a, to);
          objs.push(to);
        }
      }
      if (t instanceof SourceNamed) {
        objs.forEach((ro, i) => {
          const own = t.tparams[i]?.type;
          const rt2 = ro.type;
          if (own?.kind === "typeparam" && rt2?.kind === "typeparam") {
            Object.defineProperty(rt2, "constraint", { get: () => own.constraint, enumerable: true, configurable: true });
          }
        });
      }
      this.recvTparams.set(d, objs);
      this.declScope.set(d, mscope);
      if (this.record && base.kind === "Ident" && o) this.record(base, o);
      if (t instanceof SourceNamed && d.name.name !== "_") {
        if (!t.methods.has(d.name.name)) t.methods.set(d.name.name, d);
      }
    }
  }
  /** The scope in which a function declaration's signature is resolved. */
  funcScope(fd) {
    let s = this.declScope.get(fd);
    if (!s) {
      const file = this.fileOf(fd);
      s = newScope(file ? this.fileCtx.get(file).scope : this.scope);
      if (fd.type.typeParams) this.declareTparams(fd.type.typeParams, s);
      this.declScope.set(fd, s);
    }
    return s;
  }
  fileOfCache = /* @__PURE__ */ new Map();
  fileOf(d) {
    if (this.fileOfCache.size === 0) {
      for (const f of this.files) for (const x of f.file.decls ?? []) this.fileOfCache.set(x, f.file);
    }
    return this.fileOfCache.get(d);
  }
  funcSignature(fd) {
    if (this.sigCache.has(fd)) return this.sigCache.get(fd);
    this.sigCache.set(fd, void 0);
    const s = this.signature(fd.type, this.funcScope(fd));
    this.sigCache.set(fd, s);
    return s;
  }
  signature(ft, scope) {
    const params = [];
    let variadic = false;
    for (const f of ft.params.list ?? []) {
      let te = f.type;
      if (te && te.kind === "Ellipsis") {
        variadic = true;
        const e = te.elt ? this.typeExpr(te.elt, scope) : void 0;
        const t2 = e ? { kind: "slice", elem: e } : UNKNOWN_PLACEHOLDER;
        const n2 = f.names?.length ? f.names.length : 1;
        for (let i = 0; i < n2; i++) params.push({ name: f.names?.[i]?.name ?? "", type: t2 });
        continue;
      }
      const t = (te && this.typeExpr(te, scope)) ?? UNKNOWN_PLACEHOLDER;
      const n = f.names?.length ? f.names.length : 1;
      for (let i = 0; i < n; i++) params.push({ name: f.names?.[i]?.name ?? "", type: t });
    }
    const results = [];
    for (const f of ft.results?.list ?? []) {
      const t = (f.type && this.typeExpr(f.type, scope)) ?? UNKNOWN_PLACEHOLDER;
      const n = f.names?.length ? f.names.length : 1;
      for (let i = 0; i < n; i++) results.push({ name: f.names?.[i]?.name ?? "", type: t });
    }
    return { kind: "signature", params, results, variadic };
  }
  /** The type a type expression denotes in scope. */
  typeExpr(e, scope, depth = 0) {
    if (depth > 50) return void 0;
    switch (e.kind) {
      case "Ident": {
        const o = lookupScope(scope, e.name);
        if (o && o.kind === "type") return o.type;
        return void 0;
      }
      case "SelectorExpr": {
        if (e.x.kind === "Ident") {
          const o = lookupScope(scope, e.x.name);
          if (o && o.kind === "pkgname" && o.imported) {
            const m = this.u.package(o.imported)?.member(e.sel.name);
            if (m && m.kind === "type") return m.type;
          }
        }
        return void 0;
      }
      case "ParenExpr":
        return this.typeExpr(e.x, scope, depth + 1);
      case "StarExpr": {
        const t = this.typeExpr(e.x, scope, depth + 1);
        return t && { kind: "pointer", elem: t };
      }
      case "ArrayType": {
        const elt = this.typeExpr(e.elt, scope, depth + 1);
        if (!elt) return void 0;
        if (!e.len) return { kind: "slice", elem: elt };
        return { kind: "array", len: e.len.kind === "BasicLit" && e.len.tokKind === "INT" ? parseIntLit(e.len.value) : null, elem: elt };
      }
      case "MapType": {
        const k = this.typeExpr(e.key, scope, depth + 1);
        const v = this.typeExpr(e.value, scope, depth + 1);
        return k && v && { kind: "map", key: k, elem: v };
      }
      case "ChanType": {
        const v = this.typeExpr(e.value, scope, depth + 1);
        const dir = e.dir === 3 ? "both" : e.dir === 1 ? "send" : "recv";
        return v && { kind: "chan", dir, elem: v };
      }
      case "FuncType":
        return this.signature(e, scope);
      case "StructType": {
        const fields = [];
        for (const f of e.fields.list ?? []) {
          const t = (f.type && this.typeExpr(f.type, scope, depth + 1)) ?? UNKNOWN_PLACEHOLDER;
          if (f.names && f.names.length) for (const n of f.names) fields.push({ name: n.name, type: t, embedded: false });
          else fields.push({ name: embeddedName(f.type), type: t, embedded: true });
        }
        return { kind: "struct", fields };
      }
      case "InterfaceType": {
        const methods = [];
        const embeds = [];
        for (const f of e.methods.list ?? []) {
          if (f.names && f.names.length && f.type && f.type.kind === "FuncType") {
            const s = this.signature(f.type, scope);
            if (s) for (const n of f.names) methods.push({ name: n.name, sig: s });
          } else if (f.type) {
            const t = this.typeExpr(f.type, scope, depth + 1);
            if (t) embeds.push(t);
          }
        }
        const it = { kind: "interface", methods, embeds, ownMethods: methods };
        return it;
      }
      case "IndexExpr":
      case "IndexListExpr": {
        const base = this.typeExpr(e.x, scope, depth + 1);
        if (!base || base.kind !== "named") return base;
        const argExprs = e.kind === "IndexExpr" ? [e.index] : e.indices ?? [];
        const args = argExprs.map((a) => this.typeExpr(a, scope, depth + 1));
        if (args.some((a) => !a)) return base;
        return instantiate(base, args);
      }
      case "Ellipsis": {
        const t = e.elt ? this.typeExpr(e.elt, scope, depth + 1) : void 0;
        return t && { kind: "slice", elem: t };
      }
      case "UnaryExpr":
        return e.op === "~" ? this.typeExpr(e.x, scope, depth + 1) : void 0;
      case "BinaryExpr":
        return void 0;
    }
    return void 0;
  }
  /** Set by the analysed package's checker so value specs can use expression types. */
  info = null;
};
function embeddedName(t) {
  if (!t) return "";
  let x = unparen(t);
  if (x.kind === "StarExpr") x = unparen(x.x);
  if (x.kind === "IndexExpr" || x.kind === "IndexListExpr") x = x.x;
  if (x.kind === "SelectorExpr") return x.sel.name;
  if (x.kind === "Ident") return x.name;
  return "";
}
function parseIntLit(v) {
  const n = Number(v.replace(/_/g, "").replace(/^0([0-7]+)$/, "0o$1"));
  return Number.isFinite(n) ? n : null;
}
function importPath(lit) {
  if (lit.startsWith("`")) return lit.slice(1, -1);
  try {
    return JSON.parse(lit);
  } catch {
    return void 0;
  }
}
function guessPackageName(path) {
  const parts = path.split("/");
  let last = parts[parts.length - 1];
  if (/^v[0-9]+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  last = last.replace(/^go-/, "").replace(/[.-]go$/, "");
  return last.replace(/[^A-Za-z0-9_]/g, "_");
}
function isExported(name) {
  const c = name.charCodeAt(0);
  return c >= 65 && c <= 90 || c > 127 && name[0] !== name[0].toLowerCase();
}
function commaOk(e) {
  const x = unparen(e);
  return x.kind === "IndexExpr" || x.kind === "TypeAssertExpr" || x.kind === "UnaryExpr" && x.op === "<-";
}
function defaultType(t) {
  if (!t || t.kind !== "basic" || !t.name.startsWith("untyped ")) return t;
  switch (t.name) {
    case "untyped bool":
      return BOOL;
    case "untyped int":
      return INT;
    case "untyped rune":
      return INT32;
    case "untyped float":
      return FLOAT64;
    case "untyped complex":
      return COMPLEX128;
    case "untyped string":
      return STRING;
  }
  return t;
}
function under(t) {
  for (let i = 0; t && t.kind === "named" && i < 20; i++) t = t.underlying();
  return t && t.kind === "named" ? void 0 : t;
}
function coreType(t) {
  const u = under(t);
  if (u && u.kind === "typeparam") {
    const c = under(u.constraint);
    if (c && c.kind === "interface" && c.embeds.length === 1) return under(c.embeds[0]);
    if (c && c.kind !== "interface" && c.kind !== "typeparam") return c;
  }
  return u;
}
var LocalResolver = class {
  constructor(c, scope) {
    this.c = c;
    this.scope = scope;
  }
  c;
  scope;
  push() {
    this.scope = newScope(this.scope);
  }
  pop() {
    this.scope = this.scope.parent;
  }
  declareVar(id, thunk, varKind = "local") {
    const o = new LObj("var", id.name, this.c.path, thunk);
    o.decl = id;
    o.varKind = varKind;
    if (id.name !== "_") this.scope.names.set(id.name, o);
    this.c.defs.set(id, o);
    return o;
  }
  use(id) {
    const o = lookupScope(this.scope, id.name);
    if (o) this.c.uses.set(id, o);
    else {
      const dot = this.c.dotLookup(this.scope, id.name);
      if (dot) this.c.uses.set(id, dot);
    }
  }
  funcBody(ft, body, recv, declScope) {
    const saved = this.scope;
    this.scope = newScope(declScope ?? this.scope);
    if (!declScope && ft.typeParams) this.c.pkg.declareTparams(ft.typeParams, this.scope);
    const sigScope = this.scope;
    const params = (fl, kind) => {
      for (const f of fl?.list ?? []) {
        if (f.type) this.walkTypeExpr(f.type);
        const te = f.type;
        for (const id of f.names ?? []) {
          this.declareVar(id, () => {
            if (!te) return void 0;
            if (te.kind === "Ellipsis") {
              const e = te.elt ? this.c.pkg.typeExpr(te.elt, sigScope) : void 0;
              return e && { kind: "slice", elem: e };
            }
            return this.c.pkg.typeExpr(te, sigScope);
          }, kind);
        }
      }
    };
    if (recv) {
      for (const f of recv.list ?? []) {
        const te = f.type;
        for (const id of f.names ?? []) this.declareVar(id, () => te ? this.c.pkg.typeExpr(recvTypeExpr(te), sigScope) : void 0, "recv");
      }
    }
    params(ft.params, "param");
    params(ft.results, "result");
    if (body) for (const st of body.list ?? []) this.stmt(st);
    this.scope = saved;
  }
  block(list) {
    this.push();
    for (const s of list ?? []) this.stmt(s);
    this.pop();
  }
  stmt(s) {
    switch (s.kind) {
      case "DeclStmt":
        if (s.decl.kind === "GenDecl") this.c.pkg.declareGen(s.decl, this.scope, false, this);
        return;
      case "LabeledStmt":
        this.stmt(s.stmt);
        return;
      case "ExprStmt":
        this.walkExpr(s.x);
        return;
      case "SendStmt":
        this.walkExpr(s.chan);
        this.walkExpr(s.value);
        return;
      case "IncDecStmt":
        this.walkExpr(s.x);
        return;
      case "AssignStmt":
        this.assign(s);
        return;
      case "GoStmt":
        this.walkExpr(s.call);
        return;
      case "DeferStmt":
        this.walkExpr(s.call);
        return;
      case "ReturnStmt":
        for (const r of s.results ?? []) this.walkExpr(r);
        return;
      case "BranchStmt":
        return;
      case "BlockStmt":
        this.block(s.list);
        return;
      case "IfStmt":
        this.push();
        if (s.init) this.stmt(s.init);
        this.walkExpr(s.cond);
        this.block(s.body.list);
        if (s.else) this.stmt(s.else);
        this.pop();
        return;
      case "SwitchStmt":
        this.push();
        if (s.init) this.stmt(s.init);
        if (s.tag) this.walkExpr(s.tag);
        for (const cc of s.body.list ?? []) {
          if (cc.kind !== "CaseClause") continue;
          for (const e of cc.list ?? []) this.walkExpr(e);
          this.block(cc.body);
        }
        this.pop();
        return;
      case "TypeSwitchStmt": {
        this.push();
        if (s.init) this.stmt(s.init);
        let bind = null;
        let x = null;
        if (s.assign.kind === "AssignStmt") {
          const lhs = s.assign.lhs[0];
          if (lhs && lhs.kind === "Ident") bind = lhs;
          const r = s.assign.rhs[0];
          if (r && r.kind === "TypeAssertExpr") x = r.x;
        } else if (s.assign.kind === "ExprStmt" && s.assign.x.kind === "TypeAssertExpr") {
          x = s.assign.x.x;
        }
        if (x) this.walkExpr(x);
        const xx = x;
        for (const cc of s.body.list ?? []) {
          if (cc.kind !== "CaseClause") continue;
          for (const e of cc.list ?? []) this.walkTypeExpr(e);
          this.push();
          if (bind) {
            const list = cc.list ?? [];
            const scope = this.scope;
            const o = new LObj("var", bind.name, this.c.path, () => {
              if (list.length === 1 && !(list[0].kind === "Ident" && list[0].name === "nil")) return this.c.pkg.typeExpr(list[0], scope);
              return xx ? this.c.typeOf(xx) : void 0;
            });
            o.decl = bind;
            o.varKind = "local";
            if (bind.name !== "_") this.scope.names.set(bind.name, o);
            this.c.implicits.set(cc, o);
            if (!this.c.defs.has(bind)) this.c.defs.set(bind, o);
          }
          for (const st of cc.body ?? []) this.stmt(st);
          this.pop();
        }
        this.pop();
        return;
      }
      case "SelectStmt":
        for (const cc of s.body.list ?? []) {
          if (cc.kind !== "CommClause") continue;
          this.push();
          if (cc.comm) this.stmt(cc.comm);
          for (const st of cc.body ?? []) this.stmt(st);
          this.pop();
        }
        return;
      case "ForStmt":
        this.push();
        if (s.init) this.stmt(s.init);
        if (s.cond) this.walkExpr(s.cond);
        if (s.post) this.stmt(s.post);
        this.block(s.body.list);
        this.pop();
        return;
      case "RangeStmt": {
        this.walkExpr(s.x);
        this.push();
        const x = s.x;
        if (s.tok === ":=") {
          if (s.key && s.key.kind === "Ident") this.declareVar(s.key, () => rangeTypes(this.c.typeOf(x))[0]);
          if (s.value && s.value.kind === "Ident") this.declareVar(s.value, () => rangeTypes(this.c.typeOf(x))[1]);
        } else {
          if (s.key) this.walkExpr(s.key);
          if (s.value) this.walkExpr(s.value);
        }
        this.block(s.body.list);
        this.pop();
        return;
      }
      case "CaseClause":
      case "CommClause":
      case "EmptyStmt":
      case "BadStmt":
        return;
    }
  }
  assign(s) {
    for (const r of s.rhs) this.walkExpr(r);
    if (s.tok !== ":=") {
      for (const l of s.lhs) this.walkExpr(l);
      return;
    }
    const rhs = s.rhs;
    s.lhs.forEach((l, i) => {
      if (l.kind !== "Ident") {
        this.walkExpr(l);
        return;
      }
      const existing = this.scope.names.get(l.name);
      if (existing && l.name !== "_") {
        this.c.uses.set(l, existing);
        return;
      }
      this.declareVar(l, () => {
        if (rhs.length === s.lhs.length) return defaultType(this.c.typeOf(rhs[i]));
        if (rhs.length === 1) {
          const t = this.c.typeOf(rhs[0]);
          if (t && t.kind === "tuple") return t.types[i];
          if (i === 1 && commaOk(rhs[0])) return BOOL;
          if (i === 0) return defaultType(t);
        }
        return void 0;
      });
    });
  }
  walkTypeExpr(e, scope) {
    const saved = this.scope;
    if (scope) this.scope = scope;
    this.walkExpr(e);
    this.scope = saved;
  }
  walkExpr(e) {
    switch (e.kind) {
      case "Ident":
        this.use(e);
        return;
      case "BasicLit":
      case "BadExpr":
        return;
      case "FuncLit":
        this.funcBody(e.type, e.body, null);
        return;
      case "CompositeLit": {
        if (e.type) this.walkExpr(e.type);
        let isStruct;
        for (const el of e.elts ?? []) {
          if (el.kind === "KeyValueExpr") {
            if (el.key.kind === "Ident") {
              if (isStruct === void 0) isStruct = this.c.compositeIsStruct(e);
              if (!isStruct) this.use(el.key);
            } else {
              this.walkExpr(el.key);
            }
            this.walkExpr(el.value);
          } else {
            this.walkExpr(el);
          }
        }
        return;
      }
      case "ParenExpr":
        this.walkExpr(e.x);
        return;
      case "SelectorExpr":
        this.walkExpr(e.x);
        return;
      case "IndexExpr":
        this.walkExpr(e.x);
        this.walkExpr(e.index);
        return;
      case "IndexListExpr":
        this.walkExpr(e.x);
        for (const i of e.indices ?? []) this.walkExpr(i);
        return;
      case "SliceExpr":
        this.walkExpr(e.x);
        if (e.low) this.walkExpr(e.low);
        if (e.high) this.walkExpr(e.high);
        if (e.max) this.walkExpr(e.max);
        return;
      case "TypeAssertExpr":
        this.walkExpr(e.x);
        if (e.type) this.walkExpr(e.type);
        return;
      case "CallExpr":
        this.walkExpr(e.fun);
        for (const a of e.args ?? []) this.walkExpr(a);
        return;
      case "StarExpr":
        this.walkExpr(e.x);
        return;
      case "UnaryExpr":
        this.walkExpr(e.x);
        return;
      case "BinaryExpr":
        this.walkExpr(e.x);
        this.walkExpr(e.y);
        return;
      case "KeyValueExpr":
        this.walkExpr(e.key);
        this.walkExpr(e.value);
        return;
      case "ArrayType":
        if (e.len) this.walkExpr(e.len);
        this.walkExpr(e.elt);
        return;
      case "StructType":
        for (const f of e.fields.list ?? []) if (f.type) this.walkExpr(f.type);
        return;
      case "FuncType":
        for (const f of e.typeParams?.list ?? []) if (f.type) this.walkExpr(f.type);
        for (const f of e.params.list ?? []) if (f.type) this.walkExpr(f.type);
        for (const f of e.results?.list ?? []) if (f.type) this.walkExpr(f.type);
        return;
      case "InterfaceType":
        for (const f of e.methods.list ?? []) if (f.type) this.walkExpr(f.type);
        return;
      case "MapType":
        this.walkExpr(e.key);
        this.walkExpr(e.value);
        return;
      case "ChanType":
        this.walkExpr(e.value);
        return;
      case "Ellipsis":
        if (e.elt) this.walkExpr(e.elt);
        return;
    }
  }
};
function recvTypeExpr(te) {
  return te;
}
function rangeTypes(t) {
  const u = coreType(t);
  if (!u) return [void 0, void 0];
  switch (u.kind) {
    case "basic":
      if (u.name === "string" || u.name === "untyped string") return [INT, INT32];
      if (u.name.startsWith("untyped")) return [INT, void 0];
      return [t && t.kind === "named" ? t : u, void 0];
    case "slice":
      return [INT, u.elem];
    case "array":
      return [INT, u.elem];
    case "pointer": {
      const e = under(u.elem);
      if (e && e.kind === "array") return [INT, e.elem];
      return [void 0, void 0];
    }
    case "map":
      return [u.key, u.elem];
    case "chan":
      return [u.elem, void 0];
    case "signature": {
      const y = u.params[0] ? under(u.params[0].type) : void 0;
      if (y && y.kind === "signature") return [y.params[0]?.type, y.params[1]?.type];
      return [void 0, void 0];
    }
  }
  return [void 0, void 0];
}
var Checker = class {
  uses = /* @__PURE__ */ new Map();
  defs = /* @__PURE__ */ new Map();
  /** Implicit objects of type switch clauses. */
  implicits = /* @__PURE__ */ new Map();
  types = /* @__PURE__ */ new Map();
  callees = /* @__PURE__ */ new Map();
  pkg;
  path;
  constructor(pkg) {
    this.pkg = pkg;
    this.path = pkg.path;
  }
  dotLookup(scope, name) {
    for (let s = scope; s; s = s.parent) {
      const dots = s.dot;
      if (dots) for (const d of dots) {
        const o = d.member(name);
        if (o) return o;
      }
    }
    return void 0;
  }
  objectOf(id) {
    return this.defs.get(id) ?? this.uses.get(id) ?? this.selObjs.get(id);
  }
  selObjs = /* @__PURE__ */ new Map();
  isType(e) {
    const x = unparen(e);
    switch (x.kind) {
      case "Ident":
        return this.objectOf(x)?.kind === "type";
      case "SelectorExpr": {
        const p = this.pkgOf(x.x);
        if (p) return p.member(x.sel.name)?.kind === "type";
        return false;
      }
      case "ArrayType":
      case "StructType":
      case "FuncType":
      case "InterfaceType":
      case "MapType":
      case "ChanType":
        return true;
      case "StarExpr":
        return this.isType(x.x);
      case "IndexExpr":
      case "IndexListExpr":
        return this.isType(x.x);
    }
    return false;
  }
  /** If e names an imported package, that package. */
  pkgOf(e) {
    if (e.kind !== "Ident") return void 0;
    const o = this.uses.get(e);
    if (o && o.kind === "pkgname" && o.imported) return this.pkg.u.package(o.imported);
    return void 0;
  }
  compositeIsStruct(e) {
    const t = e.type ? this.typeOf(e.type) : void 0;
    if (!t) return e.type !== null;
    const u = under(t);
    return !!u && u.kind === "struct";
  }
  typeOf(e) {
    const c = this.types.get(e);
    if (c !== void 0) return c ?? void 0;
    this.types.set(e, null);
    let t;
    try {
      t = this.compute(e);
    } catch {
      t = void 0;
    }
    if (t && isPlaceholder(t)) t = void 0;
    this.types.set(e, t ?? null);
    return t;
  }
  compute(e) {
    switch (e.kind) {
      case "Ident": {
        const o = this.objectOf(e);
        if (!o) return void 0;
        if (o.kind === "pkgname" || o.kind === "builtin") return void 0;
        return o.type;
      }
      case "BasicLit":
        switch (e.tokKind) {
          case "INT":
            return basic("untyped int");
          case "FLOAT":
            return basic("untyped float");
          case "IMAG":
            return basic("untyped complex");
          case "CHAR":
            return basic("untyped rune");
          default:
            return basic("untyped string");
        }
      case "FuncLit":
        return this.pkg.signature(e.type, this.scopeFor());
      case "CompositeLit": {
        if (e.type) {
          if (e.type.kind === "ArrayType" && e.type.len && e.type.len.kind === "Ellipsis") {
            const elt = this.typeOf(e.type.elt);
            return elt && { kind: "array", len: e.elts?.length ?? 0, elem: elt };
          }
          return this.typeOf(e.type);
        }
        return this.elidedLiteralType(e);
      }
      case "ParenExpr":
        return this.typeOf(e.x);
      case "SelectorExpr": {
        const p = this.pkgOf(e.x);
        if (p) {
          const m = p.member(e.sel.name);
          if (!m) return void 0;
          this.selObjs.set(e.sel, m);
          if (m.kind === "builtin") return void 0;
          return m.type;
        }
        const sel = this.select(e);
        if (!sel) return void 0;
        if (sel.kind === "field") return sel.type;
        if (this.isType(e.x)) {
          const rt = this.typeOf(e.x);
          if (!sel.sig || !rt) return void 0;
          return { kind: "signature", params: [{ name: "", type: rt }, ...sel.sig.params], results: sel.sig.results, variadic: sel.sig.variadic };
        }
        return sel.sig;
      }
      case "IndexExpr": {
        if (this.isType(e.x)) return this.typeExprAny(e);
        const xt = this.typeOf(e.x);
        const u = coreType(xt);
        if (!u) return void 0;
        switch (u.kind) {
          case "slice":
            return u.elem;
          case "array":
            return u.elem;
          case "pointer": {
            const a = under(u.elem);
            return a && a.kind === "array" ? a.elem : void 0;
          }
          case "map":
            return u.elem;
          case "basic":
            return u.name === "string" || u.name === "untyped string" ? UINT8 : void 0;
          case "signature":
            return this.instantiateSig(u, [e.index]);
        }
        return void 0;
      }
      case "IndexListExpr": {
        if (this.isType(e.x)) return this.typeExprAny(e);
        const u = coreType(this.typeOf(e.x));
        if (u && u.kind === "signature") return this.instantiateSig(u, e.indices ?? []);
        return void 0;
      }
      case "SliceExpr": {
        const xt = this.typeOf(e.x);
        const u = coreType(xt);
        if (!u) return void 0;
        if (u.kind === "basic") return u.name === "untyped string" ? STRING : xt;
        if (u.kind === "array") return { kind: "slice", elem: u.elem };
        if (u.kind === "pointer") {
          const a = under(u.elem);
          return a && a.kind === "array" ? { kind: "slice", elem: a.elem } : void 0;
        }
        return xt;
      }
      case "TypeAssertExpr":
        return e.type ? this.typeOf(e.type) : void 0;
      case "CallExpr":
        return this.callType(e);
      case "StarExpr": {
        if (this.isType(e.x)) {
          const t = this.typeOf(e.x);
          return t && { kind: "pointer", elem: t };
        }
        const u = under(this.typeOf(e.x));
        return u && u.kind === "pointer" ? u.elem : void 0;
      }
      case "UnaryExpr": {
        const xt = this.typeOf(e.x);
        if (e.op === "&") return xt && { kind: "pointer", elem: xt };
        if (e.op === "<-") {
          const u = coreType(xt);
          return u && u.kind === "chan" ? u.elem : void 0;
        }
        if (e.op === "!") return xt;
        return xt;
      }
      case "BinaryExpr": {
        switch (e.op) {
          case "==":
          case "!=":
          case "<":
          case "<=":
          case ">":
          case ">=":
            return basic("untyped bool");
          case "&&":
          case "||": {
            const x2 = this.typeOf(e.x);
            return x2 && x2.kind === "basic" && x2.name.startsWith("untyped") ? this.typeOf(e.y) ?? x2 : x2;
          }
          case "<<":
          case ">>":
            return this.typeOf(e.x);
        }
        const x = this.typeOf(e.x);
        if (x && x.kind === "basic" && x.name.startsWith("untyped")) {
          const y = this.typeOf(e.y);
          if (y && !(y.kind === "basic" && y.name.startsWith("untyped"))) return y;
          if (y && y.kind === "basic" && x.kind === "basic") return untypedMax(x, y);
        }
        return x;
      }
      case "KeyValueExpr":
        return void 0;
      case "ArrayType":
      case "StructType":
      case "FuncType":
      case "InterfaceType":
      case "MapType":
      case "ChanType":
      case "Ellipsis":
        return this.typeExprAny(e);
    }
    return void 0;
  }
  /** A type expression inside a function body: resolve names through the recorded objects. */
  typeExprAny(e) {
    switch (e.kind) {
      case "Ident": {
        const o = this.objectOf(e);
        return o && o.kind === "type" ? o.type : void 0;
      }
      case "SelectorExpr": {
        const p = this.pkgOf(e.x);
        const m = p?.member(e.sel.name);
        return m && m.kind === "type" ? m.type : void 0;
      }
      case "ParenExpr":
        return this.typeExprAny(e.x);
      case "StarExpr": {
        const t = this.typeExprAny(e.x);
        return t && { kind: "pointer", elem: t };
      }
      case "ArrayType": {
        const elt = this.typeExprAny(e.elt);
        if (!elt) return void 0;
        if (!e.len) return { kind: "slice", elem: elt };
        return { kind: "array", len: e.len.kind === "BasicLit" ? parseIntLit(e.len.value) : null, elem: elt };
      }
      case "MapType": {
        const k = this.typeExprAny(e.key);
        const v = this.typeExprAny(e.value);
        return k && v && { kind: "map", key: k, elem: v };
      }
      case "ChanType": {
        const v = this.typeExprAny(e.value);
        return v && { kind: "chan", dir: e.dir === 3 ? "both" : e.dir === 1 ? "send" : "recv", elem: v };
      }
      case "Ellipsis": {
        const t = e.elt ? this.typeExprAny(e.elt) : void 0;
        return t && { kind: "slice", elem: t };
      }
      case "IndexExpr":
      case "IndexListExpr": {
        const base = this.typeExprAny(e.x);
        if (!base || base.kind !== "named") return base;
        const args = (e.kind === "IndexExpr" ? [e.index] : e.indices ?? []).map((a) => this.typeExprAny(a));
        if (args.some((a) => !a)) return base;
        return instantiate(base, args);
      }
      case "FuncType":
      case "StructType":
      case "InterfaceType":
        return this.pkg.typeExpr(e, this.scopeFor(e));
    }
    return void 0;
  }
  /** A scope that resolves names of a type literal inside a body: names map through recorded uses. */
  scopeFor(root) {
    void root;
    const c = this;
    const s = newScope(this.pkg.scope);
    const names = /* @__PURE__ */ new Map();
    if (root) collectIdentObjs(root, (id) => c.objectOf(id), names);
    s.names = names;
    const files = this.pkg.files;
    if (files.length) {
      const fs = this.pkg.fileCtx.get(files[0].file);
      if (fs) {
        for (const [k, v] of fs.scope.names) if (!names.has(k)) names.set(k, v);
      }
    }
    return s;
  }
  elidedLiteralType(e) {
    const parents = this.parentLinks();
    const p = parents.get(e);
    if (!p) return void 0;
    let outer = p.kind === "KeyValueExpr" ? parents.get(p) : p;
    if (!outer || outer.kind !== "CompositeLit") return void 0;
    const ot = coreType(this.typeOf(outer));
    if (!ot) return void 0;
    let t;
    if (ot.kind === "slice" || ot.kind === "array") t = ot.elem;
    else if (ot.kind === "map") t = p.kind === "KeyValueExpr" && p.key === e ? ot.key : ot.elem;
    if (t && t.kind === "pointer" && e.type === null) {
      return t;
    }
    return t;
  }
  /** Parent links for composite literal elements (for elided types), made on first use. */
  parents;
  parentLinks() {
    if (!this.parents) {
      const parents = /* @__PURE__ */ new Map();
      for (const f of this.pkg.files) {
        forEachExprChild(f.file, (child, parent) => {
          if (child.kind === "CompositeLit" || child.kind === "KeyValueExpr") parents.set(child, parent);
        });
      }
      this.parents = parents;
    }
    return this.parents;
  }
  instantiateSig(s, args) {
    void args;
    return s;
  }
  select(e) {
    const xt = this.typeOf(e.x);
    if (!xt) return void 0;
    return selectIn(xt, e.sel.name);
  }
  callType(e) {
    const fun = unparen(e.fun);
    if (this.isType(fun)) return this.typeExprAny(fun) ?? this.typeOf(fun);
    const c = this.callee(e);
    if (c && c.kind === "builtin") return this.builtinType(c.short, e);
    let ft;
    if (c && c.sig) ft = c.sig;
    else ft = coreType(this.typeOf(fun));
    if (!ft || ft.kind !== "signature") return void 0;
    let results = ft.results.map((r) => r.type);
    if (results.some((r) => hasTypeParam(r))) {
      const m = this.infer(ft, e.args ?? []);
      results = results.map((r) => substitute(r, m));
    }
    if (results.length === 0) return void 0;
    if (results.length === 1) return isPlaceholder(results[0]) || hasTypeParamNamed(results[0], "?") ? void 0 : results[0];
    return { kind: "tuple", types: results };
  }
  /** Light type-argument inference: bind type parameters by unifying parameter and argument types. */
  infer(s, args) {
    const m = /* @__PURE__ */ new Map();
    const unify = (p, a, depth) => {
      if (!a || depth > 10) return;
      if (p.kind === "typeparam") {
        if (!m.has(p)) m.set(p, defaultType(a));
        return;
      }
      const ua = p.kind === "named" ? a : under(a) ?? a;
      switch (p.kind) {
        case "pointer":
          if (ua.kind === "pointer") unify(p.elem, ua.elem, depth + 1);
          return;
        case "slice":
          if (ua.kind === "slice") unify(p.elem, ua.elem, depth + 1);
          return;
        case "array":
          if (ua.kind === "array") unify(p.elem, ua.elem, depth + 1);
          return;
        case "map":
          if (ua.kind === "map") {
            unify(p.key, ua.key, depth + 1);
            unify(p.elem, ua.elem, depth + 1);
          }
          return;
        case "chan":
          if (ua.kind === "chan") unify(p.elem, ua.elem, depth + 1);
          return;
        case "signature":
          if (ua.kind === "signature") {
            p.params.forEach((x, i) => unify(x.type, ua.params[i]?.type, depth + 1));
            p.results.forEach((x, i) => unify(x.type, ua.results[i]?.type, depth + 1));
          }
          return;
        case "named":
          if (a.kind === "named" && p.typeArgs && a.typeArgs && p.name === a.name) p.typeArgs.forEach((x, i) => unify(x, a.typeArgs[i], depth + 1));
          return;
      }
    };
    const single = args.length === 1 ? this.typeOf(args[0]) : void 0;
    const argTypes = single?.kind === "tuple" ? single.types : args.map((a) => this.typeOf(a));
    argTypes.forEach((at, i) => {
      let pi = i;
      if (s.variadic && i >= s.params.length - 1) pi = s.params.length - 1;
      const p = s.params[pi];
      if (!p) return;
      let pt = p.type;
      if (s.variadic && pi === s.params.length - 1 && pt.kind === "slice") pt = pt.elem;
      unify(pt, at, 0);
    });
    for (const [tp, t] of [...m]) {
      if (tp.kind === "typeparam" && tp.constraint) {
        const c = under(tp.constraint);
        if (c && c.kind === "interface" && c.embeds.length === 1) {
          let core = c.embeds[0];
          if (core.kind === "typeparam") continue;
          unify(core, under(t), 0);
        } else if (c && c.kind !== "interface" && c.kind !== "typeparam") {
          unify(c, under(t), 0);
        }
      }
    }
    return m;
  }
  builtinType(name, e) {
    const args = e.args ?? [];
    switch (name) {
      case "len":
      case "cap":
      case "copy":
        return INT;
      case "make":
      case "new": {
        const t = args[0] ? this.typeExprAny(args[0]) ?? this.typeOf(args[0]) : void 0;
        if (!t) return void 0;
        return name === "new" ? { kind: "pointer", elem: t } : t;
      }
      case "append":
        return args[0] ? this.typeOf(args[0]) : void 0;
      case "complex":
        return COMPLEX128;
      case "real":
      case "imag":
        return FLOAT64;
      case "recover":
        return EMPTY_IFACE;
      case "min":
      case "max": {
        for (const a of args) {
          const t = this.typeOf(a);
          if (t && !(t.kind === "basic" && t.name.startsWith("untyped"))) return t;
        }
        return args[0] ? this.typeOf(args[0]) : void 0;
      }
      case "unsafe.Sizeof":
      case "unsafe.Alignof":
      case "unsafe.Offsetof":
        return basic("uintptr");
      case "unsafe.Pointer":
        return UNSAFE_POINTER;
      case "unsafe.Add":
        return UNSAFE_POINTER;
      case "unsafe.String":
        return STRING;
      case "unsafe.StringData":
        return { kind: "pointer", elem: UINT8 };
      case "unsafe.Slice": {
        const p = under(args[0] ? this.typeOf(args[0]) : void 0);
        return p && p.kind === "pointer" ? { kind: "slice", elem: p.elem } : void 0;
      }
      case "unsafe.SliceData": {
        const s = under(args[0] ? this.typeOf(args[0]) : void 0);
        return s && s.kind === "slice" ? { kind: "pointer", elem: s.elem } : void 0;
      }
    }
    return void 0;
  }
  callee(call) {
    const c = this.callees.get(call);
    if (c !== void 0) return c ?? void 0;
    this.callees.set(call, null);
    let r;
    try {
      r = this.computeCallee(call);
    } catch {
      r = void 0;
    }
    this.callees.set(call, r ?? null);
    return r;
  }
  computeCallee(call) {
    let fun = unparen(call.fun);
    if ((fun.kind === "IndexExpr" || fun.kind === "IndexListExpr") && !this.isType(fun)) fun = unparen(fun.x);
    if (fun.kind === "Ident") {
      const o = this.objectOf(fun);
      if (!o) return void 0;
      return this.calleeOfObj(o, fun.name);
    }
    if (fun.kind === "SelectorExpr") {
      const p = this.pkgOf(fun.x);
      if (p) {
        const m = p.member(fun.sel.name);
        if (!m) return void 0;
        this.selObjs.set(fun.sel, m);
        return this.calleeOfObj(m, fun.sel.name);
      }
      if (this.isType(fun.x)) {
        const sel2 = this.select(fun);
        if (sel2 && sel2.kind === "method") return methodCallee(sel2);
        return void 0;
      }
      const sel = this.select(fun);
      if (!sel) return void 0;
      if (sel.kind === "method") return methodCallee(sel);
      const ft = coreType(sel.type);
      if (ft && ft.kind === "signature") return { kind: "funcvalue", name: fun.sel.name, short: fun.sel.name, pkg: "", sig: ft };
      return void 0;
    }
    return void 0;
  }
  calleeOfObj(o, short) {
    switch (o.kind) {
      case "builtin":
        return { kind: "builtin", name: "builtin " + o.name, short: o.name.replace(/^unsafe\./, ""), pkg: "", ...o.name.startsWith("unsafe.") ? { short: o.name } : {} };
      case "func": {
        const t = o.type;
        const callee = { kind: "func", name: `${o.pkg}.${o.name}`, short: o.name, pkg: o.pkg };
        if (t && t.kind === "signature") callee.sig = t;
        if (o.funcDecl) callee.decl = o.funcDecl;
        return callee;
      }
      case "type":
        return { kind: "conversion", name: o.pkg ? `${o.pkg}.${o.name}` : o.name, short: o.name, pkg: o.pkg };
      case "var":
      case "const": {
        const ft = coreType(o.type);
        const callee = { kind: "funcvalue", name: short, short, pkg: o.pkg };
        if (ft && ft.kind === "signature") callee.sig = ft;
        return callee;
      }
    }
    return void 0;
  }
};
function methodCallee(sel) {
  const c = { kind: sel.iface ? "interface" : "method", name: sel.fullName, short: sel.short, pkg: sel.recv.pkg, recv: sel.recv };
  if (sel.sig) c.sig = sel.sig;
  if (sel.decl) c.decl = sel.decl;
  return c;
}
function selectIn(t, name) {
  let ptr = false;
  let x = t;
  if (x.kind === "pointer") {
    ptr = true;
    x = x.elem;
  } else if (x.kind === "named") {
    const u2 = under(x);
    if (u2 && u2.kind === "pointer" && u2.elem.kind === "named") {
      const s = u2.elem.select(name, true, 0);
      return s && s.kind === "field" ? s : void 0;
    }
  }
  if (!x) return void 0;
  if (x.kind === "named") return x.select(name, ptr, 0);
  if (x.kind === "typeparam") {
    const c = under(x.constraint);
    if (c && c.kind === "interface") {
      const s = selectInterface(c, name, x.constraint && x.constraint.kind === "named" ? x.constraint : null, 0);
      if (s) return s;
      if (c.embeds.length === 1) return selectIn(c.embeds[0], name);
    }
    return void 0;
  }
  const u = under(x);
  if (u && u.kind === "struct") return selectStruct(u, name, ptr, 0);
  if (u && u.kind === "interface") return selectInterface(u, name, null, 0);
  return void 0;
}
function hasTypeParam(t, depth = 0) {
  if (depth > 8) return false;
  switch (t.kind) {
    case "typeparam":
      return true;
    case "pointer":
    case "slice":
    case "array":
    case "chan":
      return hasTypeParam(t.elem, depth + 1);
    case "map":
      return hasTypeParam(t.key, depth + 1) || hasTypeParam(t.elem, depth + 1);
    case "signature":
      return t.params.some((p) => hasTypeParam(p.type, depth + 1)) || t.results.some((p) => hasTypeParam(p.type, depth + 1));
    case "named":
      return !!t.typeArgs && t.typeArgs.some((a) => hasTypeParam(a, depth + 1));
    case "tuple":
      return t.types.some((x) => hasTypeParam(x, depth + 1));
  }
  return false;
}
function hasTypeParamNamed(t, name) {
  return t.kind === "typeparam" && t.name === name;
}
function untypedMax(x, y) {
  const order = ["untyped int", "untyped rune", "untyped float", "untyped complex"];
  const i = order.indexOf(x.name);
  const j = order.indexOf(y.name);
  return i >= 0 && j >= 0 && j > i ? y : x;
}
function collectIdentObjs(root, objectOf, out) {
  const walk = (n) => {
    if (!n || typeof n !== "object") return;
    if (Array.isArray(n)) {
      for (const x of n) walk(x);
      return;
    }
    const node = n;
    if (node.kind === "Ident") {
      const id = n;
      const o = objectOf(id);
      if (o) out.set(id.name, o);
      return;
    }
    for (const k in node) if (k !== "kind") walk(node[k]);
  };
  walk(root);
}
function checkPackage(input) {
  const errors = [];
  const u = input.universe ?? new Universe(input.importer);
  const pkg = new SourcePackage(u, input.path, input.name, []);
  const checker = new Checker(pkg);
  pkg.info = checker;
  pkg.record = (id, o) => {
    checker.defs.set(id, o);
  };
  pkg.files = input.files;
  for (const f of input.files) pkg.declareFile(f.file);
  u.register(pkg);
  for (const f of input.files) pkg.collectMethods(f.file);
  for (const f of input.files) {
    try {
      resolveFile(checker, pkg, f.file);
    } catch (e) {
      errors.push(`${input.path}: ${e.message}`);
    }
  }
  return { info: checker, errors };
}
function resolveFile(c, pkg, file) {
  const fscope = pkg.fileCtx.get(file).scope;
  for (const d of file.decls ?? []) {
    if (d.kind === "FuncDecl") {
      const r = new LocalResolver(c, fscope);
      const declScope = pkg.funcScope(d);
      r.funcBody(d.type, d.body, d.recv, declScope);
      if (d.recv) {
        for (const f of d.recv.list ?? []) if (f.type) r.walkTypeExpr(recvBaseExpr(f.type), declScope);
      }
    } else if (d.kind === "GenDecl" && d.tok !== "import") {
      const r = new LocalResolver(c, fscope);
      for (const s of d.specs ?? []) {
        if (s.kind === "ValueSpec") {
          if (s.type) r.walkTypeExpr(s.type);
          for (const v of s.values ?? []) r.walkExpr(v);
        } else if (s.kind === "TypeSpec") {
          const o = pkg.scope.names.get(s.name.name);
          const t = o?.type;
          const scope = t instanceof SourceNamed ? t.scope : fscope;
          if (s.typeParams) {
            for (const f of s.typeParams.list ?? []) if (f.type) r.walkTypeExpr(f.type, scope);
          }
          r.walkTypeExpr(s.type, scope);
        }
      }
    }
  }
}
function recvBaseExpr(te) {
  let x = unparen(te);
  if (x.kind === "StarExpr") x = unparen(x.x);
  if (x.kind === "IndexExpr" || x.kind === "IndexListExpr") x = x.x;
  return x;
}
function forEachExprChild(root, f) {
  const walk = (n) => {
    if (n.kind === "CompositeLit") {
      for (const el of n.elts ?? []) {
        f(el, n);
        if (el.kind === "KeyValueExpr") {
          f(el.key, el);
          f(el.value, el);
        }
      }
    }
    forEachChild(n, walk);
  };
  walk(root);
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
    if (this.files.length === 1) return this.files[0];
    for (const f of this.files) if (f.inspector.has(node)) return f;
    return void 0;
  }
  /** Calls that end the process do not return (panic is handled by the CFG itself). */
  mayReturn = (call) => {
    const c = this.types.callee(call);
    return !c || !DEFAULT_NO_RETURN.has(c.name);
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
    watchContaining: /* @__PURE__ */ new Set()
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
  let source2 = false;
  let positional = false;
  let deferDepth = 0;
  let goDepth = 0;
  let assignedFrom;
  let chainDefer = false;
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
      if (needs.sourceNames.has(name)) source2 = true;
      return;
    }
    if (needs.subjectKinds.has(k)) subject = true;
    if (needs.sourceKinds.has(k)) source2 = true;
    if (k === "CompositeLit" && !positional) {
      const c = n;
      const t = c.type;
      if (t && (t.kind === "Ident" || t.kind === "SelectorExpr" || t.kind === "IndexExpr" || t.kind === "IndexListExpr") && (c.elts?.length ?? 0) > 0 && c.elts[0].kind !== "KeyValueExpr") positional = true;
    }
    if (needs.watchDeferred) {
      if (k === "AssignStmt") fromCall(n.lhs, n.rhs);
      else if (k === "ValueSpec") fromCall(n.names, n.values);
    }
    if (k === "UnaryExpr" && n.op === "<-") {
      if (needs.receive) source2 = true;
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
  return { decl, body, subject, source: source2, names, deferred, inDefer, inGo, assignedFrom, chainDefer, chainDepth: 0, kept: false, deferredCode: false, positional };
}
function pruneBodies(files, needs) {
  const bodies = [];
  for (const f of files) {
    for (const d of f.decls ?? []) {
      if (d.kind === "FuncDecl" && d.body && d.body.list) bodies.push(scanBody(d, d.body, needs));
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
  const work = [];
  const keep = (b, deferredCode = false) => {
    if (b.kept && (b.deferredCode || !deferredCode)) return;
    b.kept = true;
    b.deferredCode ||= deferredCode;
    work.push(b);
  };
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
        for (const t of byName.get(n) ?? []) if (!t.kept && reaches.has(t)) keep(t);
      }
    }
    let more = false;
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
  for (const b of bodies) {
    if (b.kept) continue;
    b.body.list = null;
    pruned++;
  }
  return { bodies: bodies.length, pruned, empty: pruned === bodies.length && !subjectOutsideBodies(files, needs) };
}

// src/analysis/core.ts
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
          const next = text.indexOf("\nfunc ", m.index + 1);
          if (!text.slice(m.index, next < 0 ? void 0 : next).includes(needle)) break;
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
  /** The type checker's importer: the module's own packages, parsed from source (the universe caches them). */
  importPackage(importPath2) {
    const entry = this.cfg.table[importPath2];
    if (!entry) return void 0;
    this.importedPackages.add(importPath2);
    const kept = this.declarations.get(importPath2);
    if (kept) {
      this.declarations.delete(importPath2);
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
      const { file, source: source2, errors } = r.parsed;
      if (errors.length > 0) state.clean = false;
      else if (!f.test) own.push({ f, file });
      const d = collectDirectives(source2, file, { path: f.path, knownRules: this.knownRules });
      directives.push(...d.directives);
      diagnostics.push(...d.diagnostics);
      if (errors.length > 0) {
        for (const e of errors) {
          const off = Math.max(0, Math.min(e.offset, source2.size));
          findings.push({
            rule: SYNTAX_ERROR_RULE.id,
            severity: "high",
            confidence: "high",
            // Deep nesting is a limit of ours, not an error in the file (Go allows much more).
            message: /^exceeded max nesting depth/.test(e.message) ? `the file nests deeper than deferguard analyses (more than ${DEFAULT_MAX_NESTING} levels of parentheses, blocks or calls); the Go compiler may accept it, but the file is not analysed` : `syntax error: ${e.message} (the file is not analysed)`,
            related: [],
            ...spanOf({ path: f.path, source: source2 }, { pos: off, end: off })
          });
        }
        continue;
      }
      good.push({ f, file, source: source2 });
    }
    if (this.needs && this.prune) {
      try {
        const s = pruneBodies(good.map((g) => g.file), this.needs);
        bodies = { total: s.bodies, pruned: s.pruned };
        if (s.empty) return { key: unit.key, findings, directives, diagnostics, notes, bodies };
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
      }
    }
    for (const { f, file, source: source2 } of good) {
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
          ...spanOf({ path: f.path, source: source2 }, { pos: 0, end: 0 })
        });
        continue;
      }
      const pf = { path: f.path, name: f.name, file, source: source2, goVersion: f.goVersion, generated: f.generated, test: f.test, inspector };
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
