import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  NOPOS,
  end,
  forEachChild,
  pos,
  unparen
} from "./chunk-YTCJ642O.js";

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
    if (!this.is(v)) this.fail(`expected ${JSON.stringify(v)}, found ${describe(this.tok)}`);
    this.p++;
  }
  ident() {
    const t = this.tok;
    if (t.t !== "ident") this.fail(`expected a name, found ${describe(t)}`);
    this.p++;
    return t.v;
  }
  end() {
    if (this.tok.t !== "eof") this.fail(`unexpected ${describe(this.tok)} after the type`);
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
            if (len.t !== "int") this.fail(`expected an array length or "]", found ${describe(len)}`);
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
        return this.fail(`expected a type, found ${describe(t)}`);
      case "ident":
        return this.namedOrKeyword(t.v);
      default:
        return this.fail(`expected a type, found ${describe(t)}`);
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
      else if (!this.is("}")) this.fail(`expected "," or "}" in interface, found ${describe(this.tok)}`);
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
      if (t.t !== "tparam") this.fail(`expected a type parameter ($N), found ${describe(t)}`);
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
      else if (!this.is(")")) this.fail(`expected "," or ")", found ${describe(this.tok)}`);
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
function describe(t) {
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
var FixedNamed = class extends Named {
  constructor(pkg, name, under2) {
    super(pkg, name);
    this.under = under2;
  }
  under;
  underlying() {
    return this.under;
  }
  select(name) {
    if (this.pkg === "" && this.name === "error" && name === "Error") {
      return { kind: "method", fullName: "(error).Error", short: "Error", recv: { pkg: "", name: "error", pointer: false }, sig: sig([], [STRING]), iface: true };
    }
    return void 0;
  }
};
var CGO_NUMERIC = {
  char: "int8",
  schar: "int8",
  uchar: "uint8",
  short: "int16",
  ushort: "uint16",
  int: "int32",
  uint: "uint32",
  long: "int64",
  ulong: "uint64",
  longlong: "int64",
  ulonglong: "uint64",
  float: "float32",
  double: "float64",
  size_t: "uintptr",
  int8_t: "int8",
  int16_t: "int16",
  int32_t: "int32",
  int64_t: "int64",
  uint8_t: "uint8",
  uint16_t: "uint16",
  uint32_t: "uint32",
  uint64_t: "uint64",
  uintptr_t: "uintptr"
};
function cgoType(name) {
  if (/^(struct|union)_/.test(name)) return new FixedNamed("C", name, { kind: "struct", fields: [] });
  if (name.startsWith("enum_")) return new FixedNamed("C", name, basic("uint32"));
  const b = CGO_NUMERIC[name];
  return b ? new FixedNamed("C", name, basic(b)) : void 0;
}
function sig(params, results, variadic = false) {
  return {
    kind: "signature",
    params: params.map((type) => ({ name: "", type })),
    results: results.map((type) => ({ name: "", type })),
    variadic
  };
}
var ERROR_TYPE = new FixedNamed("", "error", { kind: "interface", methods: [{ name: "Error", sig: sig([], [STRING]) }], embeds: [] });
var COMPARABLE = new FixedNamed("", "comparable", { kind: "interface", methods: [], embeds: [] });
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
              } else if (view2) {
                const dotted = fscope;
                (dotted.dot ??= []).push(view2);
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
            if (o.imported === "C") return cgoType(e.sel.name);
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
        return this.pkg.signature(e.type, this.scopeFor(e.type));
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
  if (f.kind !== "SelectorExpr" || f.sel.name !== "Panic" && f.sel.name !== "Panicf" && f.sel.name !== "Panicln" || (call.args?.length ?? 0) === 0) return false;
  const x = unparen(f.x);
  const name = x.kind === "Ident" ? x.name : x.kind === "SelectorExpr" ? x.sel.name : "";
  return /^(?:log|logger|l|lg)$/i.test(name) || /(?:^log|logger$|Logger$|log$)/.test(name);
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
  constructor(mayReturn, panicsVia = () => false) {
    this.mayReturn = mayReturn;
    this.panicsVia = panicsVia;
    this.current = this.newBlock("entry", null);
    this.exit = makeBlock("exit", null);
    this.exit.term = "exit";
  }
  mayReturn;
  panicsVia;
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
          const panics = isPanicCall(call) || this.panicsVia(call);
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
    const requeueCallers = (fn) => {
      for (const e of fn.in) {
        if (e.kind === "call" && !exits.has(e.caller) && !queued.has(e.caller)) {
          queued.add(e.caller);
          work.push(e.caller);
        }
      }
    };
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
      requeueCallers(fn);
      const parent = fn.lit ? fn.parent : null;
      if (parent?.body && !exits.has(parent) && (parent.body.list ?? []).some((st) => st.kind === "DeferStmt" && unparen(st.call.fun) === fn.lit)) {
        exits.set(parent, w);
        requeueCallers(parent);
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
  const fieldMethods = /* @__PURE__ */ new Map();
  const viaField = [];
  const rootName = (e) => {
    const x = unparen(e);
    return x.kind === "Ident" ? x.name : x.kind === "SelectorExpr" ? rootName(x.x) && `${rootName(x.x)}.${x.sel.name}` : void 0;
  };
  const noteFields = (lhs, rhs) => {
    for (let i = 0; i < lhs.length; i++) {
      const l = unparen(lhs[i]);
      if (l.kind !== "SelectorExpr") continue;
      const name = l.sel.name;
      assignedFields.add(name);
      if (fieldMethods.get(name) === null) continue;
      const r = lhs.length === rhs.length ? unparen(rhs[i]) : void 0;
      let decl;
      if (r?.kind === "SelectorExpr" && localNames.has(r.sel.name) && rootName(r.x) !== void 0 && rootName(r.x) === rootName(l.x)) {
        const c = info.callee({ kind: "CallExpr", fun: r, args: [], ellipsis: -1 });
        if (c?.kind === "method" && c.decl) decl = c.decl;
      }
      const known = fieldMethods.get(name);
      fieldMethods.set(name, decl && (known === void 0 || known === decl) ? decl : null);
    }
  };
  const litStructs = /* @__PURE__ */ new Map();
  const assignedFields = /* @__PURE__ */ new Set();
  const noteLits = (lhs, rhs) => {
    if (!rhs || rhs.length !== lhs.length) return;
    for (let i = 0; i < rhs.length; i++) {
      const l = lhs[i];
      if (l.kind !== "Ident") continue;
      let cl = unparen(rhs[i]);
      if (cl.kind === "UnaryExpr" && cl.op === "&") cl = unparen(cl.x);
      if (cl.kind === "CompositeLit" && (cl.elts ?? []).some((e) => e.kind === "KeyValueExpr" && unparen(e.value).kind === "FuncLit")) litStructs.set(l, cl);
      const r = unparen(rhs[i]);
      if (r.kind === "FuncLit" || r.kind === "SelectorExpr" && localNames.has(r.sel.name) || r.kind === "Ident" && localNames.has(r.name)) litNames.add(l.name);
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
            if (!decl && fun.kind === "SelectorExpr") viaField.push({ caller: owner, call: n, kind });
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
          if (n.tok === "=") noteFields(n.lhs, n.rhs);
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
          else fieldMethods.set(n.key.name, null);
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
  const funcValue = (v) => {
    if (v.kind !== "Ident" && v.kind !== "SelectorExpr") return void 0;
    const c = info.callee({ kind: "CallExpr", fun: v, args: [], ellipsis: -1 });
    const d = c && (c.kind === "func" || c.kind === "method") ? c.decl : void 0;
    return d && byFunc.has(d) ? d : void 0;
  };
  const literalOfVar = (decl, scope) => {
    let r = litOf.get(decl);
    if (r !== void 0) return r;
    let lit = null;
    let other = false;
    const isVar = (e) => e.kind === "Ident" && e.name === decl.name && (e === decl || info.objectOf(e)?.decl === decl);
    const seen = (value) => {
      const v = value ? unparen(value) : null;
      const target = v?.kind === "FuncLit" ? v : v ? funcValue(v) : void 0;
      if (target && !lit) lit = target;
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
  let methodsByType;
  const implementers = (iface, method) => {
    if (!methodsByType) {
      methodsByType = /* @__PURE__ */ new Map();
      for (const file of files) {
        for (const d of file.decls ?? []) {
          if (d.kind !== "FuncDecl" || !d.recv || !d.body) continue;
          const r = recvName(d);
          if (!r) continue;
          const t = r.replace(/^\(\*?|\)$/g, "");
          let m = methodsByType.get(t);
          if (!m) methodsByType.set(t, m = /* @__PURE__ */ new Map());
          m.set(d.name.name, d);
        }
      }
    }
    const names = iface.methods.map((x) => x.name);
    if (!names.includes(method) || iface.embeds.length > 0) return [];
    const out = [];
    for (const m of methodsByType.values()) {
      const d = m.get(method);
      if (d && names.every((nm) => m.has(nm))) out.push(d);
    }
    return out;
  };
  const localIfaces = /* @__PURE__ */ new Set();
  const ifaceMethods = /* @__PURE__ */ new Set();
  for (const file of files) {
    for (const d of file.decls ?? []) {
      if (d.kind !== "GenDecl" || d.tok !== "type") continue;
      for (const spec of d.specs ?? []) {
        if (spec.kind !== "TypeSpec" || spec.type.kind !== "InterfaceType") continue;
        localIfaces.add(spec.name.name);
        for (const m of spec.type.methods?.list ?? []) for (const n of m.names ?? []) ifaceMethods.add(n.name);
      }
    }
  }
  for (const v of localIfaces.size > 0 ? viaField : []) {
    const f = unparen(v.call.fun);
    if (!ifaceMethods.has(f.sel.name) || !localNames.has(f.sel.name)) continue;
    const named = info.typeOf(f.x);
    if (named?.kind !== "named" || !localIfaces.has(named.name)) continue;
    const t = named.underlying();
    if (t?.kind !== "interface") continue;
    const impl = implementers(t, f.sel.name);
    if (impl.length !== 1) continue;
    let rt = impl[0].recv?.list?.[0]?.type ? info.typeOf(impl[0].recv.list[0].type) : void 0;
    if (rt?.kind === "pointer") rt = rt.elem;
    if (rt?.kind !== "named" || rt.pkg !== named.pkg) continue;
    const callee = byFunc.get(impl[0]);
    if (!callee) continue;
    callTarget.set(v.call, callee);
    if (v.caller) edges.push({ caller: v.caller, callee, kind: v.kind, site: v.call });
  }
  for (const v of viaField) {
    const f = unparen(v.call.fun);
    const decl = fieldMethods.get(f.sel.name);
    if (!decl) {
      const root = unparen(f.x);
      const cl = root.kind === "Ident" && litStructs.size > 0 && !assignedFields.has(f.sel.name) ? litStructs.get(info.objectOf(root)?.decl) : void 0;
      const kv = cl?.elts?.find((e) => e.kind === "KeyValueExpr" && e.key.kind === "Ident" && e.key.name === f.sel.name);
      const lit = kv ? unparen(kv.value) : void 0;
      const callee2 = lit?.kind === "FuncLit" && info.callee(v.call)?.kind === "funcvalue" ? byFunc.get(lit) : void 0;
      if (!callee2) continue;
      callTarget.set(v.call, callee2);
      if (v.caller) edges.push({ caller: v.caller, callee: callee2, kind: v.kind, site: v.call });
      continue;
    }
    if (info.callee(v.call)?.kind !== "funcvalue") continue;
    const callee = byFunc.get(decl);
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
  Universe,
  under,
  checkPackage,
  exprStmtCall,
  isPanicCall,
  walkNode,
  nodeContains,
  buildCFG,
  shortNameOf,
  calledName,
  DEFAULT_NO_RETURN,
  returnedLits,
  buildCallGraph
};
