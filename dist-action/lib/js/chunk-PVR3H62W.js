import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  defaultRuleOptions
} from "./chunk-AZ45K3LI.js";
import {
  DEFAULT_MAX_FILE_SIZE,
  Engine,
  INTERNAL_ERROR_RULE,
  SYNTAX_ERROR_RULE,
  applySuppressions,
  deferredNamesIn,
  isDir,
  isFile,
  listDir,
  readFileLimited,
  realPath
} from "./chunk-ZBIIT5WW.js";
import {
  fileNameMismatch,
  headerAllows,
  parseFile,
  readFileHeader,
  releaseTagsFor
} from "./chunk-BEBMU46B.js";
import {
  SEVERITIES,
  compareFindings,
  isSeverity,
  severityRank
} from "./chunk-X2CHC4MP.js";

// src/findings/gate.ts
var CONFIDENCES = ["high", "medium", "low"];
function confidenceRank(c) {
  return 3 - CONFIDENCES.indexOf(c);
}
var GateError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "GateError";
  }
};
function parseFailOn(s) {
  const v = s.trim().toLowerCase();
  if (v === "none" || isSeverity(v)) return v;
  throw new GateError(`invalid --fail-on value "${s}": use one of ${[...SEVERITIES, "none"].join(", ")}`);
}
function parseConfidence(s) {
  const v = s.trim().toLowerCase();
  if (CONFIDENCES.includes(v)) return v;
  throw new GateError(`invalid --min-confidence value "${s}": use one of ${[...CONFIDENCES].reverse().join(", ")}`);
}
function atOrAbove(f, failOn) {
  return failOn !== "none" && severityRank(f.severity) >= severityRank(failOn);
}
function applyGate(findings, failOn) {
  const blocking = findings.filter((f) => atOrAbove(f, failOn));
  return { failed: blocking.length > 0, blocking };
}
function filterByConfidence(findings, min) {
  return findings.filter((f) => confidenceRank(f.confidence) >= confidenceRank(min));
}
function compareFindingsTotal(a, b) {
  return compareFindings(a, b) || a.endLine - b.endLine || a.endColumn - b.endColumn || severityRank(b.severity) - severityRank(a.severity) || confidenceRank(b.confidence) - confidenceRank(a.confidence) || ((a.fingerprint ?? "") < (b.fingerprint ?? "") ? -1 : (a.fingerprint ?? "") > (b.fingerprint ?? "") ? 1 : 0);
}
function sortFindings(findings) {
  return [...findings].sort(compareFindingsTotal);
}
function dedupe(findings) {
  const byKey = /* @__PURE__ */ new Map();
  for (const f of sortFindings(findings)) {
    const key = JSON.stringify([f.rule, f.file, f.line, f.column, f.message]);
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, f);
      continue;
    }
    const related = [...prev.related];
    for (const r of f.related) {
      if (!related.some((x) => x.file === r.file && x.line === r.line && x.column === r.column && x.message === r.message)) related.push(r);
    }
    const fixes = [...prev.fixes ?? []];
    for (const fx of f.fixes ?? []) if (!fixes.some((x) => JSON.stringify(x) === JSON.stringify(fx))) fixes.push(fx);
    byKey.set(key, {
      ...prev,
      severity: severityRank(f.severity) > severityRank(prev.severity) ? f.severity : prev.severity,
      confidence: confidenceRank(f.confidence) > confidenceRank(prev.confidence) ? f.confidence : prev.confidence,
      related,
      ...fixes.length > 0 ? { fixes } : {}
    });
  }
  return sortFindings([...byKey.values()]);
}
function countBySeverity(findings) {
  const out = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

// src/analysis/cache.ts
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
var CACHE_FORMAT = 1;
function defaultCacheDir(env = process.env) {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && xdg.trim() !== "" && xdg.startsWith("/")) return join(xdg, "deferguard");
  return join(env.HOME && env.HOME !== "" ? env.HOME : homedir(), ".cache", "deferguard");
}
function sha(parts) {
  const h = createHash("sha256");
  for (const p of parts) {
    h.update(p);
    h.update("\0");
  }
  return h.digest("hex");
}
var toolStampMemo;
function toolStamp(version) {
  if (toolStampMemo !== void 0) return toolStampMemo;
  const here = dirname(fileURLToPath(import.meta.url));
  const codeRoot = dirname(here);
  const pkgRoot = dirname(codeRoot);
  const parts = [`format ${CACHE_FORMAT}`, `version ${version}`];
  const walk2 = (dir, depth) => {
    let names;
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < 6) walk2(p, depth + 1);
      } else if (/\.(ts|js|json|txt|gz)$/.test(n)) {
        parts.push(`${p.slice(pkgRoot.length)} ${st.size} ${Math.floor(st.mtimeMs)}`);
      }
    }
  };
  walk2(codeRoot, 0);
  walk2(join(pkgRoot, "data"), 0);
  toolStampMemo = sha(parts);
  return toolStampMemo;
}
function makeDirs(dir) {
  const missing = [];
  let d = dir;
  for (; ; ) {
    try {
      if (!statSync(d).isDirectory()) throw Object.assign(new Error(`${d} is not a directory`), { code: "ENOTDIR" });
      break;
    } catch (e) {
      if (e.code !== "ENOENT") throw e;
      missing.push(d);
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
    }
  }
}
var FileHashes = class {
  memo = /* @__PURE__ */ new Map();
  entry(absPath) {
    let e = this.memo.get(absPath);
    if (e === void 0) {
      try {
        const bytes = readFileSync(absPath);
        e = { hash: createHash("sha256").update(bytes).digest("hex"), names: deferredNamesIn(bytes), recover: bytes.includes("recover") };
      } catch {
        e = { hash: "", names: /* @__PURE__ */ new Set(), recover: false };
      }
      this.memo.set(absPath, e);
    }
    return e;
  }
  /** sha256 of the file's bytes, or a marker for an unreadable file (its analysis is not cached). */
  of(absPath) {
    const h = this.entry(absPath).hash;
    return h === "" ? void 0 : h;
  }
  /** The names the file defers (see deferredNamesIn). */
  deferredNames(absPath) {
    return this.entry(absPath).names;
  }
  /** Whether the file's text says "recover". */
  mentionsRecover(absPath) {
    return this.entry(absPath).recover;
  }
};
function unitKey(k) {
  const parts = [k.settings, `unit ${k.unit.key} ${k.unit.importPath} ${k.unit.name} ${k.unit.dir} ${k.unit.modulePath} ${k.unit.moduleGoVersion}`];
  let recover = false;
  for (const f of k.unit.files) {
    const h = k.hashes.of(f.absPath);
    if (h === void 0) return void 0;
    parts.push(`file ${f.path} ${f.name} ${f.goVersion} ${f.generated} ${f.test} ${h}`);
    if (k.hashes.mentionsRecover(f.absPath)) recover = true;
  }
  if (recover && k.moduleDeferred) parts.push(`module-defers ${k.moduleDeferred()}`);
  for (const f of [...k.depFiles].sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) {
    const h = k.hashes.of(f.absPath);
    if (h === void 0) return void 0;
    parts.push(`dep ${f.path} ${h}`);
  }
  return sha(parts);
}
function isArray(v) {
  return Array.isArray(v);
}
function validEntry(v, key) {
  if (typeof v !== "object" || v === null) return false;
  const e = v;
  if (e.format !== CACHE_FORMAT || e.key !== key || typeof e.result !== "object" || e.result === null) return false;
  const r = e.result;
  if (!isArray(r.findings) || !isArray(r.directives) || !isArray(r.diagnostics) || !isArray(r.notes)) return false;
  for (const f of r.findings) {
    if (typeof f !== "object" || f === null) return false;
    const x = f;
    if (typeof x.rule !== "string" || typeof x.file !== "string" || typeof x.line !== "number" || typeof x.column !== "number" || typeof x.message !== "string" || typeof x.severity !== "string" || !isArray(x.related)) return false;
  }
  for (const d of r.directives) {
    if (typeof d !== "object" || d === null) return false;
    const x = d;
    if (typeof x.file !== "string" || typeof x.fromLine !== "number" || typeof x.toLine !== "number" || x.rules !== "all" && !isArray(x.rules)) return false;
  }
  return r.notes.every((n) => typeof n === "string");
}
var AnalysisCache = class {
  constructor(dir) {
    this.dir = dir;
  }
  dir;
  stats = { hits: 0, misses: 0, invalid: 0, writes: 0, writeErrors: 0 };
  warned = false;
  warnings = [];
  path(key) {
    return join(this.dir, `v${CACHE_FORMAT}`, key.slice(0, 2), `${key}.json`);
  }
  get(key, unitKey2) {
    let text;
    try {
      text = readFileSync(this.path(key), "utf8");
    } catch {
      this.stats.misses++;
      return void 0;
    }
    let v;
    try {
      v = JSON.parse(text);
    } catch {
      v = void 0;
    }
    if (!validEntry(v, key)) {
      this.stats.invalid++;
      this.stats.misses++;
      return void 0;
    }
    this.stats.hits++;
    return { key: unitKey2, findings: v.result.findings, directives: v.result.directives, diagnostics: v.result.diagnostics, notes: v.result.notes };
  }
  put(key, r) {
    const p = this.path(key);
    const entry = { format: CACHE_FORMAT, key, result: { findings: r.findings, directives: r.directives, diagnostics: r.diagnostics ?? [], notes: r.notes } };
    const tmp = `${p}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      makeDirs(dirname(p));
      writeFileSync(tmp, JSON.stringify(entry));
      renameSync(tmp, p);
      this.stats.writes++;
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
      }
      this.stats.writeErrors++;
      if (!this.warned) {
        this.warned = true;
        this.warnings.push(`cannot write to the cache in ${this.dir}: ${e.code ?? e.message}; results are not cached`);
      }
    }
  }
};

// src/analysis/driver.ts
import { readFileSync as readFileSync3 } from "node:fs";
import { availableParallelism } from "node:os";
import { join as join5 } from "node:path";
import { Worker } from "node:worker_threads";

// src/load/loader.ts
import { isAbsolute as isAbsolute2, join as join4, relative as relative2, resolve as resolve2, sep as sep2 } from "node:path";

// src/load/context.ts
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
var ASSUMED_GO_RELEASE = "go1.26";
var PLATFORM_TO_GOOS = {
  aix: "aix",
  android: "android",
  darwin: "darwin",
  freebsd: "freebsd",
  linux: "linux",
  netbsd: "netbsd",
  openbsd: "openbsd",
  sunos: "solaris",
  win32: "windows"
};
var ARCH_TO_GOARCH = {
  arm: "arm",
  arm64: "arm64",
  ia32: "386",
  loong64: "loong64",
  mips: "mips",
  mipsel: "mipsle",
  ppc: "ppc",
  ppc64: "ppc64le",
  riscv64: "riscv64",
  s390: "s390",
  s390x: "s390x",
  x64: "amd64"
};
function hostGoos() {
  return PLATFORM_TO_GOOS[process.platform] ?? process.platform;
}
function hostGoarch() {
  if (process.arch === "ppc64") return process.platform === "aix" ? "ppc64" : "ppc64le";
  return ARCH_TO_GOARCH[process.arch] ?? process.arch;
}
function defaultToolTags(goarch) {
  switch (goarch) {
    case "amd64":
      return ["amd64.v1"];
    case "386":
      return ["386.sse2"];
    case "arm":
      return ["arm.5", "arm.6", "arm.7"];
    case "arm64":
      return ["arm64.v8.0"];
    case "ppc64":
    case "ppc64le":
      return [`${goarch}.power8`];
    case "riscv64":
      return ["riscv64.rva20u64"];
    case "wasm":
      return ["wasm.satconv", "wasm.signext"];
    default:
      return [];
  }
}
var goContextCache = /* @__PURE__ */ new Map();
function queryGo(goBin, env) {
  const key = `${goBin}\0${env.GOOS ?? ""}\0${env.GOARCH ?? ""}\0${env.CGO_ENABLED ?? ""}`;
  const hit = goContextCache.get(key);
  if (hit !== void 0) return hit;
  const fmt = '{{context.GOOS}}|{{context.GOARCH}}|{{context.CgoEnabled}}|{{join context.ToolTags ","}}|{{join context.ReleaseTags ","}}|{{context.Compiler}}';
  const r = spawnSync(goBin, ["list", "-e", "-f", fmt, "unsafe"], {
    cwd: tmpdir(),
    env: { ...env, GOWORK: "off", GO111MODULE: "on", GOFLAGS: "" },
    encoding: "utf8",
    timeout: 3e4,
    maxBuffer: 1 << 20
  });
  let out;
  if (r.error) out = `cannot run ${goBin}: ${r.error.code === "ENOENT" ? "not found on PATH" : r.error.message}`;
  else if (r.status !== 0) out = `${goBin} list failed (exit ${r.status}): ${r.stderr.trim().split("\n")[0] ?? ""}`;
  else {
    const parts = r.stdout.trim().split("|");
    if (parts.length !== 6) out = `unexpected output from ${goBin} list: ${r.stdout.slice(0, 200)}`;
    else {
      const rel = parts[4].split(",").filter(Boolean);
      out = {
        goos: parts[0],
        goarch: parts[1],
        cgo: parts[2] === "true",
        toolTags: parts[3].split(",").filter(Boolean),
        releaseTags: rel,
        compiler: parts[5],
        version: rel.length ? rel[rel.length - 1] : ""
      };
    }
  }
  goContextCache.set(key, out);
  return out;
}
function resolveContext(opts = {}, env = process.env) {
  const tags = opts.tags ?? [];
  let note = "";
  if (opts.useGo !== false) {
    const goEnv = { ...env };
    if (opts.goos) goEnv.GOOS = opts.goos;
    if (opts.goarch) goEnv.GOARCH = opts.goarch;
    if (opts.cgo !== void 0) goEnv.CGO_ENABLED = opts.cgo ? "1" : "0";
    const q = queryGo(opts.goBin ?? "go", goEnv);
    if (q && typeof q !== "string") {
      return {
        ctx: {
          goos: q.goos,
          goarch: q.goarch,
          compiler: q.compiler || "gc",
          cgoEnabled: q.cgo,
          buildTags: tags,
          toolTags: q.toolTags,
          releaseTags: q.releaseTags
        },
        from: "go",
        goVersion: q.version,
        note: ""
      };
    }
    note = typeof q === "string" ? q : "go not available";
  } else note = "use of the go command disabled";
  const goos = opts.goos ?? env.GOOS ?? hostGoos();
  const goarch = opts.goarch ?? env.GOARCH ?? hostGoarch();
  const native = goos === hostGoos() && goarch === hostGoarch();
  const cgo = opts.cgo ?? (env.CGO_ENABLED !== void 0 ? env.CGO_ENABLED === "1" : native);
  return {
    ctx: {
      goos,
      goarch,
      compiler: "gc",
      cgoEnabled: cgo,
      buildTags: tags,
      toolTags: defaultToolTags(goarch),
      releaseTags: releaseTagsFor(ASSUMED_GO_RELEASE)
    },
    from: "host",
    goVersion: "",
    note
  };
}

// src/load/discover.ts
import { readFileSync as readFileSync2 } from "node:fs";
import { dirname as dirname2, isAbsolute, join as join3, relative, resolve, sep } from "node:path";

// src/load/gomod.ts
var GoModError = class extends Error {
  file;
  issues;
  constructor(file, issues) {
    super(issues.map((i) => `${file}:${i.line}: ${i.message}`).join("\n"));
    this.name = "GoModError";
    this.file = file;
    this.issues = issues;
  }
};
var PUNCT = /* @__PURE__ */ new Set(["(", ")", "[", "]", "{", "}", ","]);
function isSpace(c) {
  return c === " " || c === "	" || c === "\r" || c === "\v" || c === "\f" || c === " " || c === "" || /\s/u.test(c);
}
function unquoteGo(raw) {
  if (raw.startsWith("`")) return raw.endsWith("`") && raw.length >= 2 ? raw.slice(1, -1) : null;
  if (raw.length < 2 || !raw.endsWith('"')) return null;
  const s = raw.slice(1, -1);
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') return null;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = s[++i];
    const simple = { n: "\n", t: "	", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v", "\\": "\\", '"': '"', "'": "'" };
    if (e !== void 0 && e in simple) {
      out += simple[e];
      continue;
    }
    const hex = (n) => {
      const h = s.slice(i + 1, i + 1 + n);
      if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) return null;
      i += n;
      return h;
    };
    if (e === "x") {
      const h = hex(2);
      if (h === null) return null;
      out += String.fromCharCode(parseInt(h, 16));
    } else if (e === "u" || e === "U") {
      const h = hex(e === "u" ? 4 : 8);
      if (h === null) return null;
      const cp = parseInt(h, 16);
      if (cp > 1114111 || cp >= 55296 && cp < 57344) return null;
      out += String.fromCodePoint(cp);
    } else if (e !== void 0 && e >= "0" && e <= "7") {
      const o = s.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o)) return null;
      i += 2;
      const v = parseInt(o, 8);
      if (v > 255) return null;
      out += String.fromCharCode(v);
    } else return null;
  }
  return out;
}
function lexLines(text, issues) {
  const out = [];
  const rows = text.split("\n");
  let pending = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const lineNo = r + 1;
    const toks = [];
    let comment = "";
    let i = 0;
    let bad = false;
    while (i < row.length) {
      const c = row[i];
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (row.startsWith("//", i)) {
        comment = row.slice(i + 2).trim();
        break;
      }
      if (row.startsWith("/*", i)) {
        issues.push({ line: lineNo, message: "mod files must use // comments, not /* */ comments" });
        bad = true;
        break;
      }
      if (PUNCT.has(c)) {
        toks.push({ text: c, quoted: false, raw: c });
        i++;
        continue;
      }
      if (c === '"' || c === "`") {
        let j2 = i + 1;
        if (c === '"') {
          while (j2 < row.length && row[j2] !== '"') j2 += row[j2] === "\\" ? 2 : 1;
        } else {
          while (j2 < row.length && row[j2] !== "`") j2++;
        }
        if (j2 >= row.length) {
          issues.push({ line: lineNo, message: "unexpected newline in string" });
          bad = true;
          break;
        }
        const raw = row.slice(i, j2 + 1);
        const v = unquoteGo(raw);
        if (v === null) {
          issues.push({ line: lineNo, message: `invalid quoted string ${raw}` });
          bad = true;
          break;
        }
        toks.push({ text: v, quoted: true, raw });
        i = j2 + 1;
        continue;
      }
      let j = i;
      while (j < row.length && !isSpace(row[j]) && !PUNCT.has(row[j]) && row[j] !== '"' && row[j] !== "`" && !row.startsWith("//", j)) {
        if (row.startsWith("/*", j)) break;
        j++;
      }
      const word = row.slice(i, j);
      toks.push({ text: word, quoted: false, raw: word });
      i = j;
    }
    if (bad) {
      pending = [];
      continue;
    }
    if (toks.length === 0) {
      if (comment !== "" || row.trimStart().startsWith("//")) pending.push(comment);
      else pending = [];
      continue;
    }
    out.push({ line: lineNo, toks, comment, before: pending });
    pending = [];
  }
  return out;
}
function group(lines, issues) {
  const out = [];
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k];
    const t = l.toks;
    if (t.length === 1 && t[0].text === ")" && !t[0].quoted) {
      issues.push({ line: l.line, message: "unexpected )" });
      continue;
    }
    if (t.length === 2 && t[1].text === "(" && !t[1].quoted && !t[0].quoted) {
      const body = [];
      let closed = false;
      for (k++; k < lines.length; k++) {
        const m = lines[k];
        if (m.toks.length >= 1 && m.toks[m.toks.length - 1].text === ")" && !m.toks[m.toks.length - 1].quoted) {
          if (m.toks.length > 1) body.push({ ...m, toks: m.toks.slice(0, -1) });
          closed = true;
          break;
        }
        if (m.toks.some((x) => x.text === "(" && !x.quoted)) {
          issues.push({ line: m.line, message: `unexpected ( inside ${t[0].text} block` });
          continue;
        }
        body.push(m);
      }
      if (!closed) issues.push({ line: l.line, message: `${t[0].text} block is not closed by )` });
      out.push({ verb: t[0].text, lines: body, line: l.line, block: true, before: l.before });
      continue;
    }
    out.push({ verb: t[0].quoted ? '"' + t[0].text : t[0].text, lines: [{ ...l, toks: t.slice(1) }], line: l.line, block: false, before: l.before });
  }
  return out;
}
var GO_VERSION_RE = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;
var TOOLCHAIN_RE = /^go1(\.(0|[1-9][0-9]*)){1,2}((beta|rc)[1-9][0-9]*)?(-.+)?$|^default$/;
var SEMVER_RE = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
function isSemver(v) {
  return SEMVER_RE.test(v);
}
function isLocalPath(p) {
  return p.startsWith("./") || p.startsWith("../") || p === "." || p === ".." || p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith(".\\") || p.startsWith("..\\");
}
function checkModulePath(p) {
  if (p === "") return "empty module path";
  if (/\s/.test(p)) return `malformed module path "${p}": contains white space`;
  if (p.startsWith("/") || p.endsWith("/") || p.includes("//")) return `malformed module path "${p}": leading, trailing or double slash`;
  if (p.split("/").some((e) => e === "." || e === "..")) return `malformed module path "${p}": invalid path element`;
  return null;
}
function parseGoMod(text, file = "go.mod", opts = {}) {
  const strict = opts.strict ?? true;
  const issues = [];
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  const stmts = group(lexLines(text, issues), issues);
  const mod = { module: null, go: null, toolchain: null, godebug: [], require: [], exclude: [], replace: [], retract: [], tool: [], ignore: [] };
  const err = (line, message) => {
    issues.push({ line, message });
  };
  const words = (l) => l.toks.map((t) => t.text);
  const single = (s) => {
    if (s.block) {
      err(s.line, `${s.verb} directive cannot be a block`);
      return null;
    }
    return s.lines[0];
  };
  for (const s of stmts) {
    switch (s.verb) {
      case "module": {
        const l = single(s);
        if (!l) break;
        if (mod.module) {
          err(l.line, `repeated module statement (first on line ${mod.module.line})`);
          break;
        }
        if (l.toks.length !== 1) {
          err(l.line, "usage: module module/path");
          break;
        }
        const p = l.toks[0].text;
        const bad = checkModulePath(p);
        if (bad) err(l.line, bad);
        const dep = [...s.before, l.comment].find((c) => c.startsWith("Deprecated:"));
        mod.module = { line: l.line, path: p, deprecated: dep ? dep.slice("Deprecated:".length).trim() : "" };
        break;
      }
      case "go": {
        const l = single(s);
        if (!l) break;
        if (mod.go) {
          err(l.line, `repeated go statement (first on line ${mod.go.line})`);
          break;
        }
        if (l.toks.length !== 1) {
          err(l.line, "go directive expects exactly one argument");
          break;
        }
        const v = l.toks[0].text;
        if (!GO_VERSION_RE.test(v)) {
          err(l.line, `invalid go version '${v}': must match format 1.23.0`);
          break;
        }
        mod.go = { line: l.line, version: v };
        break;
      }
      case "toolchain": {
        const l = single(s);
        if (!l) break;
        if (mod.toolchain) {
          err(l.line, `repeated toolchain statement (first on line ${mod.toolchain.line})`);
          break;
        }
        if (l.toks.length !== 1) {
          err(l.line, "toolchain directive expects exactly one argument");
          break;
        }
        const v = l.toks[0].text;
        if (!TOOLCHAIN_RE.test(v)) {
          err(l.line, `invalid toolchain version '${v}': must match format go1.23.0 or default`);
          break;
        }
        mod.toolchain = { line: l.line, name: v };
        break;
      }
      case "godebug":
        for (const l of s.lines) {
          const g = parseGoDebug(l, err);
          if (g) mod.godebug.push(g);
        }
        break;
      case "require":
      case "exclude":
        for (const l of s.lines) {
          const w = words(l);
          if (w.length !== 2) {
            err(l.line, `usage: ${s.verb} module/path v1.2.3`);
            continue;
          }
          const [p, v] = w;
          const bad = checkModulePath(p);
          if (bad) {
            err(l.line, bad);
            continue;
          }
          if (!isSemver(v)) {
            err(l.line, `${s.verb} ${p}: invalid version "${v}": must be of the form v1.2.3`);
            continue;
          }
          if (s.verb === "require") mod.require.push({ line: l.line, path: p, version: v, indirect: /^indirect(;|$)/.test(l.comment) });
          else mod.exclude.push({ line: l.line, path: p, version: v });
        }
        break;
      case "replace":
        for (const l of s.lines) {
          const r = parseReplace(l, err, "replace");
          if (r) mod.replace.push(r);
        }
        break;
      case "retract":
        for (const l of s.lines) {
          const r = parseRetract(l, s.block ? l.before : s.before, err);
          if (r) mod.retract.push(r);
        }
        break;
      case "tool":
      case "ignore":
        for (const l of s.lines) {
          if (l.toks.length !== 1) {
            err(l.line, `usage: ${s.verb} ${s.verb === "tool" ? "module/path" : "path/to/dir"}`);
            continue;
          }
          (s.verb === "tool" ? mod.tool : mod.ignore).push({ line: l.line, path: l.toks[0].text });
        }
        break;
      default:
        if (strict) err(s.line, `unknown directive: ${s.verb}`);
    }
  }
  if (issues.length) throw new GoModError(file, issues.sort((a, b) => a.line - b.line));
  return mod;
}
function parseGoDebug(l, err) {
  const w = l.toks.map((t) => t.text);
  if (w.length !== 1 || !w[0].includes("=")) {
    err(l.line, "usage: godebug key=value");
    return null;
  }
  const eq = w[0].indexOf("=");
  const key = w[0].slice(0, eq);
  const value = w[0].slice(eq + 1);
  if (key === "" || /[\s,"`]/.test(key) || /[\s,"`]/.test(value)) {
    err(l.line, `invalid godebug setting ${w[0]}`);
    return null;
  }
  return { line: l.line, key, value };
}
function parseReplace(l, err, verb) {
  const w = l.toks.map((t) => t.text);
  const arrow = l.toks.findIndex((t) => t.text === "=>" && !t.quoted);
  const usage = `usage: ${verb} module/path [v1.2.3] => other/module v1.4
	 or ${verb} module/path [v1.2.3] => ../local/directory`;
  if (arrow !== 1 && arrow !== 2) {
    err(l.line, usage);
    return null;
  }
  const left = w.slice(0, arrow);
  const right = w.slice(arrow + 1);
  if (right.length < 1 || right.length > 2) {
    err(l.line, usage);
    return null;
  }
  const oldPath = left[0];
  const bad = checkModulePath(oldPath);
  if (bad) {
    err(l.line, bad);
    return null;
  }
  const oldVersion = left[1] ?? "";
  if (oldVersion !== "" && !isSemver(oldVersion)) {
    err(l.line, `${verb} ${oldPath}: invalid version "${oldVersion}"`);
    return null;
  }
  const newPath = right[0];
  const newVersion = right[1] ?? "";
  if (isLocalPath(newPath)) {
    if (newVersion !== "") {
      err(l.line, `replacement module directory path "${newPath}" cannot have version`);
      return null;
    }
  } else {
    const nb = checkModulePath(newPath);
    if (nb) {
      err(l.line, nb);
      return null;
    }
    if (newVersion === "") {
      err(l.line, `replacement module without version must be directory path (rooted or starting with ./ or ../)`);
      return null;
    }
    if (!isSemver(newVersion)) {
      err(l.line, `${verb} ${newPath}: invalid version "${newVersion}"`);
      return null;
    }
  }
  return { line: l.line, old: { path: oldPath, version: oldVersion }, new: { path: newPath, version: newVersion } };
}
function parseRetract(l, before, err) {
  const t = l.toks;
  let low;
  let high;
  if (t.length === 1 && !PUNCT.has(t[0].text)) {
    low = high = t[0].text;
  } else if (t.length === 5 && t[0].text === "[" && t[2].text === "," && t[4].text === "]") {
    low = t[1].text;
    high = t[3].text;
  } else {
    err(l.line, "usage: retract version | retract [low, high]");
    return null;
  }
  for (const v of [low, high]) {
    if (!isSemver(v)) {
      err(l.line, `retract: invalid version "${v}"`);
      return null;
    }
  }
  const rationale = [...before, ...l.comment ? [l.comment] : []].join("\n").trim();
  return { line: l.line, low, high, rationale };
}
function parseGoWork(text, file = "go.work") {
  const issues = [];
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  const stmts = group(lexLines(text, issues), issues);
  const work = { go: null, toolchain: null, godebug: [], use: [], replace: [] };
  const err = (line, message) => {
    issues.push({ line, message });
  };
  for (const s of stmts) {
    switch (s.verb) {
      case "go":
      case "toolchain": {
        if (s.block) {
          err(s.line, `${s.verb} directive cannot be a block`);
          break;
        }
        const l = s.lines[0];
        const prev = s.verb === "go" ? work.go : work.toolchain;
        if (prev) {
          err(l.line, `repeated ${s.verb} statement (first on line ${prev.line})`);
          break;
        }
        if (l.toks.length !== 1) {
          err(l.line, `${s.verb} directive expects exactly one argument`);
          break;
        }
        const v = l.toks[0].text;
        if (s.verb === "go") {
          if (!GO_VERSION_RE.test(v)) err(l.line, `invalid go version '${v}': must match format 1.23.0`);
          else work.go = { line: l.line, version: v };
        } else if (!TOOLCHAIN_RE.test(v)) err(l.line, `invalid toolchain version '${v}': must match format go1.23.0 or default`);
        else work.toolchain = { line: l.line, name: v };
        break;
      }
      case "godebug":
        for (const l of s.lines) {
          const g = parseGoDebug(l, err);
          if (g) work.godebug.push(g);
        }
        break;
      case "use":
        for (const l of s.lines) {
          if (l.toks.length !== 1) {
            err(l.line, "usage: use local/dir");
            continue;
          }
          const p = l.toks[0].text;
          const prev = work.use.find((u) => u.path === p);
          if (prev) {
            err(l.line, `path ${p} appears multiple times in workspace (first on line ${prev.line})`);
            continue;
          }
          work.use.push({ line: l.line, path: p, modulePath: "" });
        }
        break;
      case "replace":
        for (const l of s.lines) {
          const r = parseReplace(l, err, "replace");
          if (r) work.replace.push(r);
        }
        break;
      default:
        err(s.line, `unknown directive: ${s.verb}`);
    }
  }
  if (issues.length) throw new GoModError(file, issues.sort((a, b) => a.line - b.line));
  return work;
}

// src/load/package.ts
import { join as join2 } from "node:path";

// src/load/goversion.ts
var DEFAULT_MODULE_GO = "go1.16";
var OUTSIDE_MODULE_GO = "go1.26";
var MIN_BUILD_LINE_GO = "go1.21";
function parse(v) {
  const m = /^(?:go)?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(beta|rc|alpha)(\d+))?$/.exec(v);
  if (!m) return null;
  const kind = m[4];
  return {
    major: Number(m[1]),
    minor: m[2] === void 0 ? 0 : Number(m[2]),
    patch: m[3] === void 0 ? 0 : Number(m[3]),
    pre: kind === void 0 ? 0 : kind === "rc" ? -1 : kind === "beta" ? -2 : -3,
    preNum: m[5] === void 0 ? 0 : Number(m[5])
  };
}
function compareGoVersions(a, b) {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  if (x.major !== y.major) return x.major - y.major;
  if (x.minor !== y.minor) return x.minor - y.minor;
  const rank = (p, s) => {
    const hasPatch = /^(?:go)?\d+\.\d+\.\d+/.test(s);
    if (hasPatch) return 2;
    return p.pre !== 0 ? 1 : 0;
  };
  const ra = rank(x, a);
  const rb = rank(y, b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return x.pre !== y.pre ? x.pre - y.pre : x.preNum - y.preNum;
  return x.patch - y.patch;
}
function languageVersion(v) {
  const p = parse(v);
  return p ? `go${p.major}.${p.minor}` : "";
}
function effectiveGoVersion(buildLineVersion, moduleGo) {
  if (buildLineVersion) {
    const v = languageVersion(buildLineVersion);
    if (v) return compareGoVersions(v, MIN_BUILD_LINE_GO) < 0 ? MIN_BUILD_LINE_GO : v;
  }
  if (moduleGo) {
    const v = languageVersion(moduleGo);
    if (v) return v;
  }
  return DEFAULT_MODULE_GO;
}

// src/load/package.ts
var GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/;
function sortedUnique(xs) {
  return [...new Set(xs)].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
}
function joinRel(dir, name) {
  return dir === "." || dir === "" ? name : `${dir}/${name}`;
}
function examineGoFile(absPath, relPath, name, ctx, maxFileSize, useAllFiles = false) {
  const facts = { name, ok: false, reason: "", invalid: false, pkgName: "", imports: [], buildVersion: "", generated: false, parseError: "" };
  const bad = useAllFiles ? null : fileNameMismatch(name, ctx);
  if (bad) {
    facts.reason = `file name suffix ${bad} does not match ${ctx.goos}/${ctx.goarch}`;
    return facts;
  }
  const r = readFileLimited(absPath, relPath, maxFileSize);
  if (!r.ok) {
    facts.reason = r.error;
    facts.invalid = true;
    return facts;
  }
  const verdict = headerAllows(readFileHeader(r.bytes), ctx);
  if (verdict.error) {
    facts.reason = `${relPath}: ${verdict.error}`;
    facts.invalid = true;
    return facts;
  }
  if (!verdict.ok && !useAllFiles) {
    facts.reason = verdict.reason;
    return facts;
  }
  facts.buildVersion = verdict.goVersion;
  const parsed = parseFile(relPath, r.bytes, { mode: "imports" });
  const f = parsed.file;
  if (parsed.errors.length) {
    const e = parsed.errors[0];
    facts.parseError = `${relPath}:${e.line}:${e.column}: ${e.message}`;
  }
  facts.pkgName = f.name.name;
  if (!facts.pkgName) {
    facts.reason = facts.parseError || `${relPath}: expected 'package' clause`;
    facts.invalid = true;
    return facts;
  }
  for (const spec of f.imports) {
    const p = unquoteGo(spec.path.value);
    if (p !== null) facts.imports.push(p);
  }
  for (const g of f.comments ?? []) {
    if (f.package >= 0 && g.list[0].slash > f.package) break;
    if (g.list.some((c) => GENERATED.test(c.text))) {
      facts.generated = true;
      break;
    }
  }
  facts.ok = true;
  return facts;
}
function loadDir(absDir, opts, errors) {
  const { ctx, relDir, importPath, module } = opts;
  const maxFileSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const listing = listDir(absDir, relDir);
  if (!listing.ok) {
    errors.push(listing.error);
    return null;
  }
  const pkg = {
    dir: relDir,
    absDir,
    importPath,
    name: "",
    goFiles: [],
    cgoFiles: [],
    testGoFiles: [],
    xTestGoFiles: [],
    ignoredFiles: [],
    invalidFiles: [],
    imports: [],
    testImports: [],
    xTestImports: [],
    files: [],
    module,
    errors: [],
    depOnly: false,
    standard: module?.path === "std" || module?.path === "cmd"
  };
  const imports = /* @__PURE__ */ new Set();
  const testImports = /* @__PURE__ */ new Set();
  const xTestImports = /* @__PURE__ */ new Set();
  const byKind = { go: [], cgo: [], test: [], xtest: [] };
  let firstFile = "";
  for (const ent of listing.entries) {
    const name = ent.name;
    if (ent.isDir || !name.endsWith(".go")) continue;
    const rel = joinRel(relDir, name);
    if (name.startsWith("_") || name.startsWith(".")) {
      pkg.ignoredFiles.push({ name, reason: `file name starts with ${name[0]}` });
      continue;
    }
    if (ent.error) {
      const msg = `${rel}: cannot read: ${ent.error}`;
      pkg.invalidFiles.push({ name, reason: msg });
      errors.push(msg);
      continue;
    }
    if (!ent.isFile) continue;
    const facts = examineGoFile(join2(absDir, name), rel, name, ctx, maxFileSize);
    if (!facts.ok) {
      if (facts.invalid) {
        pkg.invalidFiles.push({ name, reason: facts.reason });
        errors.push(facts.reason);
      } else pkg.ignoredFiles.push({ name, reason: facts.reason });
      continue;
    }
    if (facts.parseError) pkg.errors.push(facts.parseError);
    let pkgName = facts.pkgName;
    if (pkgName === "documentation") {
      pkg.ignoredFiles.push({ name, reason: "package documentation (a documentation-only file)" });
      continue;
    }
    const isTest = name.endsWith("_test.go");
    let isXTest = false;
    if (isTest && pkgName.endsWith("_test") && pkg.name !== pkgName) {
      isXTest = true;
      pkgName = pkgName.slice(0, -"_test".length);
    }
    if (pkg.name === "") {
      pkg.name = pkgName;
      firstFile = name;
    } else if (pkgName !== pkg.name) {
      pkg.errors.push(`found packages ${pkg.name} (${firstFile}) and ${pkgName} (${name}) in ${relDir}`);
    }
    let isCgo = false;
    for (const imp of facts.imports) {
      if (imp !== "C") continue;
      if (isTest) {
        pkg.errors.push(`use of cgo in test ${rel} not supported`);
        continue;
      }
      isCgo = true;
    }
    let kind;
    if (isCgo) {
      if (!ctx.cgoEnabled) {
        pkg.ignoredFiles.push({ name, reason: 'imports "C" and cgo is disabled' });
        continue;
      }
      kind = "cgo";
    } else kind = isXTest ? "xtest" : isTest ? "test" : "go";
    const target = kind === "xtest" ? xTestImports : kind === "test" ? testImports : imports;
    for (const imp of facts.imports) target.add(imp);
    byKind[kind].push({
      name,
      path: rel,
      kind,
      goVersion: effectiveGoVersion(facts.buildVersion, module?.goVersion),
      buildVersion: facts.buildVersion,
      generated: facts.generated,
      imports: facts.imports
    });
  }
  pkg.goFiles = byKind.go.map((f) => f.name);
  pkg.cgoFiles = byKind.cgo.map((f) => f.name);
  pkg.testGoFiles = byKind.test.map((f) => f.name);
  pkg.xTestGoFiles = byKind.xtest.map((f) => f.name);
  pkg.files = [...byKind.go, ...byKind.cgo, ...byKind.test, ...byKind.xtest];
  pkg.imports = sortedUnique(imports);
  pkg.testImports = sortedUnique(testImports);
  pkg.xTestImports = sortedUnique(xTestImports);
  if (pkg.files.length === 0) {
    if (pkg.ignoredFiles.some((f) => !f.name.startsWith("_") && !f.name.startsWith("."))) pkg.errors.push(`build constraints exclude all Go files in ${relDir}`);
    else if (pkg.invalidFiles.length === 0) pkg.errors.push(`no Go files in ${relDir}`);
  }
  return pkg;
}
function hasBuildableGo(pkg, local) {
  if (pkg.files.length > 0 || pkg.invalidFiles.length > 0) return true;
  return !local && pkg.ignoredFiles.some((f) => f.reason.startsWith("package documentation"));
}

// src/load/discover.ts
function toSlash(p) {
  return sep === "/" ? p : p.split(sep).join("/");
}
function findUp(dir, file) {
  let d = resolve(dir);
  for (; ; ) {
    if (isFile(join3(d, file))) return d;
    const up = dirname2(d);
    if (up === d) return "";
    d = up;
  }
}
function readModule(dir, display, errors) {
  const file = join3(dir, "go.mod");
  let text;
  try {
    text = readFileSync2(file, "utf8");
  } catch (e) {
    errors.push(`${display}: cannot read: ${e.message}`);
    return { path: "", dir, goVersion: "" };
  }
  try {
    const m = parseGoMod(text, display);
    if (!m.module) errors.push(`${display}: no module declaration in go.mod`);
    return { path: m.module?.path ?? "", dir, goVersion: m.go?.version ?? "" };
  } catch (e) {
    if (!(e instanceof GoModError)) throw e;
    errors.push(e.message);
    try {
      const lax = parseGoMod(text, display, { strict: false });
      return { path: lax.module?.path ?? "", dir, goVersion: lax.go?.version ?? "" };
    } catch {
      const mm = /^\s*module\s+"?([^\s"]+)"?/m.exec(text);
      const gm = /^\s*go\s+(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(text);
      return { path: mm?.[1] ?? "", dir, goVersion: gm?.[1] ?? "" };
    }
  }
}
function findWorkspace(cwd, env = process.env) {
  const errors = [];
  const modRoot = findUp(cwd, "go.mod");
  const gowork = env.GOWORK;
  let workFile = "";
  if (gowork === "off") workFile = "";
  else if (gowork && gowork !== "") workFile = resolve(cwd, gowork);
  else {
    const wd = findUp(cwd, "go.work");
    if (wd) workFile = join3(wd, "go.work");
  }
  if (workFile) {
    const workDir = dirname2(workFile);
    try {
      const w = parseGoWork(readFileSync2(workFile, "utf8"), "go.work");
      const modules = [];
      for (const u of w.use) {
        const d = resolve(workDir, u.path);
        if (!isFile(join3(d, "go.mod"))) {
          errors.push(`go.work:${u.line}: use ${u.path}: no go.mod in that directory`);
          continue;
        }
        modules.push(readModule(d, toSlash(join3(u.path, "go.mod")), errors));
      }
      if (modules.length) return { workDir, modules, errors };
    } catch (e) {
      errors.push(e instanceof GoModError ? e.message : `go.work: ${e.message}`);
    }
  }
  if (modRoot) return { workDir: "", modules: [readModule(modRoot, "go.mod", errors)], errors };
  errors.push(`no go.mod found in ${cwd} or any parent directory; import paths are directories relative to it`);
  return { workDir: "", modules: [{ path: "", dir: resolve(cwd), goVersion: OUTSIDE_MODULE_GO }], errors };
}
function importPrefix(m) {
  return m.path === "std" ? "" : m.path;
}
function joinImport(prefix, rel) {
  if (rel === "" || rel === ".") return prefix;
  return prefix === "" ? rel : `${prefix}/${rel}`;
}
var VENDOR_CHAR = "\0";
function replaceVendor(x, repl) {
  if (!x.includes("vendor")) return x;
  const elem = x.split("/");
  for (let i = 0; i < elem.length - 1; i++) if (elem[i] === "vendor") elem[i] = repl;
  return elem.join("/");
}
function matchPattern(pattern, opts = {}) {
  if (pattern.includes(VENDOR_CHAR) || pattern.includes("\\")) return () => false;
  const quote = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  let re = opts.vendor ? quote(pattern) : replaceVendor(quote(pattern), VENDOR_CHAR);
  const dots = "\\.\\.\\.";
  if (!opts.vendor && re.endsWith(`/${VENDOR_CHAR}/${dots}`)) {
    re = re.slice(0, -`/${VENDOR_CHAR}/${dots}`.length) + `(/vendor|/${VENDOR_CHAR}/${dots})`;
  } else if (!opts.vendor && re === `${VENDOR_CHAR}/${dots}`) {
    re = `(/vendor|/${VENDOR_CHAR}/${dots})`;
  } else if (re.endsWith(`/${dots}`)) {
    re = re.slice(0, -`/${dots}`.length) + `(/${dots})?`;
  }
  re = re.split(dots).join(opts.vendor ? ".*" : `[^${VENDOR_CHAR}]*`);
  const rx = new RegExp(`^${re}$`, "s");
  return (name) => !name.includes(VENDOR_CHAR) && rx.test(opts.vendor ? name : replaceVendor(name, VENDOR_CHAR));
}
function isLocalPattern(p) {
  return p === "." || p === ".." || p.startsWith("./") || p.startsWith("../") || isAbsolute(p) || p.startsWith("." + sep) || p.startsWith(".." + sep);
}
function moduleFor(w, absDir) {
  let best = null;
  for (const m of w.modules) {
    const rel = relative(m.dir, absDir);
    if (rel === "" || !rel.startsWith("..") && !isAbsolute(rel)) {
      if (!best || m.dir.length > best.dir.length) best = m;
    }
  }
  return best;
}
function relToRoot(w, absDir) {
  const rel = toSlash(relative(w.root, absDir));
  return rel === "" ? "." : rel;
}
function loadAt(w, absDir) {
  const hit = w.seen.get(absDir);
  if (hit !== void 0) return hit;
  const mod = moduleFor(w, absDir);
  const relDir = relToRoot(w, absDir);
  const importPath = mod ? joinImport(importPrefix(mod), toSlash(relative(mod.dir, absDir))) : relDir;
  const pkg = loadDir(absDir, { ctx: w.opts.ctx, maxFileSize: w.opts.maxFileSize, relDir, importPath, module: mod }, w.errors);
  w.seen.set(absDir, pkg);
  return pkg;
}
function walk(w, start, match, local, out) {
  const visited = /* @__PURE__ */ new Set();
  const visit = (absDir, isStart) => {
    const real = realPath(absDir) ?? absDir;
    if (visited.has(real)) {
      w.errors.push(`${relToRoot(w, absDir)}: directory loop through a symbolic link; not entered again`);
      return;
    }
    visited.add(real);
    const base = absDir.slice(absDir.lastIndexOf(sep) + 1);
    if (!isStart) {
      if (base.startsWith(".") || base.startsWith("_") || base === "testdata") return;
      if (isFile(join3(absDir, "go.mod")) && !w.modules.some((m) => m.dir === absDir)) return;
    }
    const mod = moduleFor(w, absDir);
    const importPath = mod ? joinImport(importPrefix(mod), toSlash(relative(mod.dir, absDir))) : relToRoot(w, absDir);
    const isStdRoot = mod?.path === "std" && absDir === mod.dir;
    const skipStd = mod?.path === "std" && (importPath === "builtin" || !local && importPath === "runtime/cgo" && !w.opts.ctx.cgoEnabled);
    if (!isStdRoot && !skipStd && match(importPath, absDir)) {
      const pkg = loadAt(w, absDir);
      if (pkg && hasBuildableGo(pkg, local) && !out.has(absDir)) out.set(absDir, pkg);
    }
    if (base === "vendor" && !isStart && !w.opts.vendor) return;
    const listing = listDir(absDir, relToRoot(w, absDir));
    if (!listing.ok) {
      if (!isStart || !w.seen.has(absDir)) w.errors.push(listing.error);
      return;
    }
    for (const e of listing.entries) {
      if (!e.isDir) continue;
      if (e.isSymlink) {
        w.notes.push(`ignoring symlink ${relToRoot(w, join3(absDir, e.name))}`);
        continue;
      }
      visit(join3(absDir, e.name), false);
    }
  };
  visit(start, true);
}
function discover(opts) {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const ws = opts.workspace ?? findWorkspace(cwd, opts.env);
  const root = ws.workDir || (moduleForDir(ws.modules, cwd)?.dir ?? ws.modules[0].dir);
  const w = { modules: ws.modules, root, opts: { ...opts, maxFileSize: opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE }, errors: [...ws.errors], notes: [], seen: /* @__PURE__ */ new Map() };
  const patterns = opts.patterns && opts.patterns.length ? opts.patterns : ["./..."];
  const out = /* @__PURE__ */ new Map();
  const extra = [];
  const goFiles = patterns.filter((p) => p.endsWith(".go"));
  if (goFiles.length) {
    if (goFiles.length !== patterns.length) {
      w.errors.push("cannot mix .go files and package patterns in one list");
    } else {
      const p = loadFiles(w, cwd, goFiles);
      if (p) extra.push(p);
    }
    return finish(w, root, ws, out, extra);
  }
  for (const pat of patterns) {
    if (isLocalPattern(pat) || !pat.includes("...") && isDir(resolve(cwd, pat)) && !importable(ws.modules, pat)) {
      localPattern(w, cwd, pat, out);
      continue;
    }
    let handled = false;
    for (const m of ws.modules) {
      const prefix = importPrefix(m);
      const lit = pat.includes("...") ? pat.slice(0, pat.indexOf("...")) : pat;
      const within = prefix === "" ? true : lit === prefix || lit.startsWith(prefix + "/") || pat.includes("...") && prefix.startsWith(lit);
      if (!within) continue;
      handled = true;
      const match = matchPattern(pat, { vendor: opts.vendor });
      if (pat.includes("...")) {
        const before = lit.slice(0, lit.lastIndexOf("/") + 1);
        let startRel = prefix === "" ? before : before.length > prefix.length ? before.slice(prefix.length + 1) : "";
        startRel = startRel.replace(/\/$/, "");
        const start = join3(m.dir, ...startRel.split("/").filter(Boolean));
        if (isDir(start)) walk(w, start, match, false, out);
      } else {
        const rel = prefix === "" ? pat : pat.slice(prefix.length + 1);
        const abs = join3(m.dir, ...rel.split("/").filter(Boolean));
        if (!isDir(abs)) {
          w.errors.push(`package ${pat}: no directory ${relToRoot(w, abs)} in module ${m.path || "(none)"}`);
          continue;
        }
        const pkg = loadAt(w, abs);
        if (pkg) out.set(abs, pkg);
      }
    }
    if (!handled) {
      w.errors.push(`pattern ${pat}: not in the main module${ws.modules.length > 1 ? "s" : ""} (${ws.modules.map((m) => m.path || "(no module)").join(", ")}); dependencies are loaded with the go command only`);
    }
  }
  return finish(w, root, ws, out, extra);
}
function moduleForDir(mods, dir) {
  let best = null;
  for (const m of mods) {
    const rel = relative(m.dir, dir);
    if ((rel === "" || !rel.startsWith("..") && !isAbsolute(rel)) && (!best || m.dir.length > best.dir.length)) best = m;
  }
  return best;
}
function importable(mods, pat) {
  return mods.some((m) => m.path !== "" && (pat === m.path || pat.startsWith(m.path + "/")));
}
function localPattern(w, cwd, pat, out) {
  const i = pat.indexOf("...");
  if (i < 0) {
    const abs = resolve(cwd, pat);
    if (!isDir(abs)) {
      w.errors.push(`pattern ${pat}: directory ${relToRoot(w, abs)} does not exist`);
      return;
    }
    const mod = moduleFor(w, abs);
    if (!mod) {
      w.errors.push(`pattern ${pat}: directory ${abs} is outside the main module${w.modules.length > 1 ? "s" : ""}`);
      return;
    }
    const inner = nestedModuleRoot(mod.dir, abs);
    if (inner) {
      w.errors.push(`pattern ${pat}: directory ${relToRoot(w, abs)} is in another module (${relToRoot(w, join3(inner, "go.mod"))}), not in the main module ${mod.path || "(no module)"}`);
      return;
    }
    const pkg = loadAt(w, abs);
    if (pkg) out.set(abs, pkg);
    return;
  }
  const lit = pat.slice(0, i);
  const startLit = lit.slice(0, lit.lastIndexOf("/") + 1) || ".";
  const start = resolve(cwd, startLit);
  if (!isDir(start)) {
    w.errors.push(`pattern ${pat}: directory ${relToRoot(w, start)} does not exist`);
    return;
  }
  const absPat = toSlash(start).replace(/\/$/, "") + "/" + pat.slice(lit.lastIndexOf("/") + 1);
  const m = matchPattern(absPat, { vendor: w.opts.vendor });
  walk(w, start, (_ip, absDir) => m(toSlash(absDir)), true, out);
}
function nestedModuleRoot(modRoot, dir) {
  let d = dir;
  while (d !== modRoot && d.length > modRoot.length) {
    if (isFile(join3(d, "go.mod"))) return d;
    d = dirname2(d);
  }
  return "";
}
function loadFiles(w, cwd, files) {
  const abs = files.map((f) => resolve(cwd, f));
  const dir = dirname2(abs[0]);
  if (abs.some((f) => dirname2(f) !== dir)) {
    w.errors.push(`named files must all be in one directory; have ${[...new Set(abs.map((f) => relToRoot(w, dirname2(f))))].join(" and ")}`);
    return null;
  }
  const mod = moduleFor(w, dir);
  const relDir = relToRoot(w, dir);
  const pkg = {
    dir: relDir,
    absDir: dir,
    importPath: "command-line-arguments",
    name: "",
    goFiles: [],
    cgoFiles: [],
    testGoFiles: [],
    xTestGoFiles: [],
    ignoredFiles: [],
    invalidFiles: [],
    imports: [],
    testImports: [],
    xTestImports: [],
    files: [],
    module: mod,
    errors: [],
    depOnly: false,
    standard: false
  };
  const imps = { go: /* @__PURE__ */ new Set(), cgo: /* @__PURE__ */ new Set(), test: /* @__PURE__ */ new Set(), xtest: /* @__PURE__ */ new Set() };
  for (const f of abs) {
    const name = f.slice(dir.length + 1);
    const rel = relDir === "." ? name : `${relDir}/${name}`;
    if (!isFile(f)) {
      const msg = `${rel}: no such file`;
      w.errors.push(msg);
      pkg.invalidFiles.push({ name, reason: msg });
      continue;
    }
    const facts = examineGoFile(f, rel, name, w.opts.ctx, w.opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, true);
    if (!facts.ok && facts.invalid) {
      w.errors.push(facts.reason);
      pkg.invalidFiles.push({ name, reason: facts.reason });
      continue;
    }
    const isTest = name.endsWith("_test.go");
    const isXTest = isTest && facts.pkgName.endsWith("_test");
    const isCgo = !isTest && facts.imports.includes("C");
    const kind = isCgo ? "cgo" : isXTest ? "xtest" : isTest ? "test" : "go";
    const pkgName = isXTest ? facts.pkgName.slice(0, -5) : facts.pkgName;
    if (pkg.name === "") pkg.name = pkgName;
    else if (pkg.name !== pkgName && facts.pkgName) pkg.errors.push(`found packages ${pkg.name} and ${pkgName} in the named files`);
    for (const i of facts.imports) imps[kind].add(i);
    const file = {
      name,
      path: rel,
      kind,
      goVersion: effectiveGoVersion(facts.buildVersion, mod?.goVersion),
      buildVersion: facts.buildVersion,
      generated: facts.generated,
      imports: facts.imports
    };
    pkg.files.push(file);
    ({ go: pkg.goFiles, cgo: pkg.cgoFiles, test: pkg.testGoFiles, xtest: pkg.xTestGoFiles })[kind].push(name);
  }
  const order = { go: 0, cgo: 1, test: 2, xtest: 3 };
  pkg.files.sort((a, b) => order[a.kind] - order[b.kind]);
  const sort = (s) => [...s].sort();
  pkg.imports = sort(/* @__PURE__ */ new Set([...imps.go, ...imps.cgo]));
  pkg.testImports = sort(imps.test);
  pkg.xTestImports = sort(imps.xtest);
  return pkg;
}
function addModuleDeps(w, out, extra) {
  const known = new Set([...out.values(), ...extra].map((p) => p.importPath));
  const queue = [...out.values(), ...extra].flatMap((p) => [...p.imports, ...p.testImports, ...p.xTestImports]);
  while (queue.length > 0) {
    const ip = queue.pop();
    if (known.has(ip)) continue;
    known.add(ip);
    for (const m of w.modules) {
      const prefix = importPrefix(m);
      if (prefix === "" || ip !== prefix && !ip.startsWith(prefix + "/")) continue;
      const abs = join3(m.dir, ...ip === prefix ? [] : ip.slice(prefix.length + 1).split("/"));
      if (out.has(abs) || !isDir(abs)) continue;
      const errors = w.errors.length;
      const pkg = loadAt(w, abs);
      w.errors.length = errors;
      if (!pkg) continue;
      out.set(abs, { ...pkg, depOnly: true });
      queue.push(...pkg.imports);
      break;
    }
  }
}
function finish(w, root, ws, out, extra) {
  if (w.opts.deps) addModuleDeps(w, out, extra);
  const packages = [...out.values(), ...extra].sort((a, b) => a.importPath < b.importPath ? -1 : a.importPath > b.importPath ? 1 : a.dir < b.dir ? -1 : 1);
  return { root, workspace: ws, packages, errors: [...new Set(w.errors)], notes: [...new Set(w.notes)] };
}

// src/load/golist.ts
import { spawnSync as spawnSync2 } from "node:child_process";
function parseJsonStream(text) {
  const out = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inStr) {
      if (c === 92) i++;
      else if (c === 34) inStr = false;
      continue;
    }
    if (c === 34) inStr = true;
    else if (c === 123 || c === 91) {
      if (depth === 0) start = i;
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth < 0) throw new Error(`unbalanced JSON at offset ${i}`);
      if (depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
    } else if (depth === 0 && c !== 32 && c !== 10 && c !== 13 && c !== 9) {
      throw new Error(`unexpected character ${JSON.stringify(text[i])} at offset ${i} between JSON values`);
    }
  }
  if (depth !== 0 || inStr) throw new Error("truncated JSON output");
  return out;
}
function quoteArg(a) {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}
function runGoList(opts) {
  const goBin = opts.goBin ?? "go";
  const args = ["list", "-e", "-json"];
  if (opts.deps) args.push("-deps");
  if (opts.tags && opts.tags.length) args.push(`-tags=${opts.tags.join(",")}`);
  args.push("--", ...opts.patterns);
  const command = [goBin, ...args].map(quoteArg).join(" ");
  const env = { ...opts.env ?? process.env };
  if (!env.GOTOOLCHAIN) env.GOTOOLCHAIN = "local";
  if (opts.goos) env.GOOS = opts.goos;
  if (opts.goarch) env.GOARCH = opts.goarch;
  if (opts.cgo !== void 0) env.CGO_ENABLED = opts.cgo ? "1" : "0";
  const timeout = opts.timeoutMs ?? 6e4;
  const maxBuffer = opts.maxOutputBytes ?? 512 * 1024 * 1024;
  const r = spawnSync2(goBin, args, { cwd: opts.cwd, env, encoding: "utf8", timeout, maxBuffer, killSignal: "SIGKILL" });
  if (r.error) {
    const code = r.error.code;
    if (code === "ENOENT") return { ok: false, reason: `${goBin} not found on PATH`, command };
    if (code === "ETIMEDOUT") return { ok: false, reason: `${command} timed out after ${timeout} ms`, command };
    if (code === "ENOBUFS") return { ok: false, reason: `${command} printed more than ${maxBuffer} bytes`, command };
    return { ok: false, reason: `${command} failed to run: ${r.error.message}`, command };
  }
  if (r.signal) return { ok: false, reason: `${command} was killed by ${r.signal}`, command };
  if (r.status !== 0) {
    const msg = r.stderr.trim().split("\n").slice(0, 3).join("; ");
    return { ok: false, reason: `${command} exited with status ${r.status}${msg ? `: ${msg}` : ""}`, command };
  }
  let values;
  try {
    values = parseJsonStream(r.stdout);
  } catch (e) {
    return { ok: false, reason: `${command}: cannot read its JSON output: ${e.message}`, command };
  }
  const packages = [];
  for (const v of values) {
    if (v === null || typeof v !== "object" || typeof v.ImportPath !== "string" || typeof v.Dir !== "string") {
      const p = v;
      if (p && typeof p.ImportPath === "string" && p.Error) packages.push({ Dir: "", ...p });
      continue;
    }
    packages.push(v);
  }
  return { ok: true, packages, stderr: r.stderr, command };
}

// src/load/loader.ts
function toSlash2(p) {
  return sep2 === "/" ? p : p.split(sep2).join("/");
}
function relOrAbs(root, abs) {
  const rel = relative2(root, abs);
  if (rel === "") return ".";
  if (rel.startsWith("..") || isAbsolute2(rel)) return toSlash2(abs);
  return toSlash2(rel);
}
function loadPackages(opts = {}) {
  const cwd = resolve2(opts.cwd ?? process.cwd());
  const env = opts.env ?? process.env;
  const patterns = opts.patterns && opts.patterns.length ? opts.patterns : ["./..."];
  const useGo = opts.useGo !== false && env.DEFERGUARD_NO_GO !== "1";
  const resolved = resolveContext({ goos: opts.goos, goarch: opts.goarch, cgo: opts.cgo, tags: opts.tags, useGo, goBin: opts.goBin }, env);
  const ctx = resolved.ctx;
  const workspace = findWorkspace(cwd, env);
  const root = workspace.workDir || moduleRootFor(workspace, cwd);
  let fallbackReason = "";
  if (!useGo) fallbackReason = "use of the go command is disabled";
  else if (resolved.from !== "go") fallbackReason = resolved.note;
  else if (opts.vendor) fallbackReason = "vendor directories were requested, which go list does not walk";
  else {
    const r = runGoList({
      cwd,
      patterns,
      tags: opts.tags,
      // The module's own packages that the named ones import come along (marked DepOnly), so
      // that a package's findings do not depend on which others were named: `check ./app` knows
      // the types of ./lib that app imports. Other dependencies stay out, as without -deps.
      deps: opts.deps ?? true,
      goBin: opts.goBin,
      timeoutMs: opts.timeoutMs,
      maxOutputBytes: opts.maxOutputBytes,
      env,
      goos: opts.goos,
      goarch: opts.goarch,
      cgo: opts.cgo
    });
    const OUTSIDE = /does not contain (main module|modules listed in go\.work)|go\.mod file not found/;
    const outside = r.ok && r.packages.every((p) => !(p.GoFiles?.length || p.CgoFiles?.length || p.TestGoFiles?.length || p.XTestGoFiles?.length)) && (OUTSIDE.test(r.stderr) || r.packages.some((p) => OUTSIDE.test(p.Error?.Err ?? "")));
    if (r.ok && !outside) {
      const errors = [...workspace.errors.filter((e) => !e.startsWith("no go.mod found"))];
      const wanted = opts.deps ? r.packages : r.packages.filter((p) => !p.DepOnly || p.Module?.Main === true);
      const packages = wanted.map((p) => fromGoList(p, root, workspace, ctx, opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, errors));
      packages.sort((a, b) => a.importPath < b.importPath ? -1 : a.importPath > b.importPath ? 1 : 0);
      const notes = r.stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
      return { root, workspace, via: "go list", fallbackReason: "", context: ctx, packages, errors: [...new Set(errors)], notes };
    }
    fallbackReason = r.ok ? `${r.command}: ${[r.stderr.trim().split("\n")[0], ...r.packages.map((p) => p.Error?.Err ?? "")].find((x) => x) ?? ""}` : r.reason;
  }
  const d = discover({ cwd, patterns, ctx, vendor: opts.vendor, maxFileSize: opts.maxFileSize, env, workspace, deps: opts.deps ?? true });
  return { root: d.root, workspace, via: "deferguard", fallbackReason, context: ctx, packages: d.packages, errors: d.errors, notes: d.notes };
}
function moduleContaining(ws, dir) {
  let best = null;
  for (const m of ws.modules) {
    const rel = relative2(m.dir, dir);
    if ((rel === "" || !rel.startsWith("..") && !isAbsolute2(rel)) && (!best || m.dir.length > best.dir.length)) best = m;
  }
  return best;
}
function moduleRootFor(ws, cwd) {
  let best = null;
  for (const m of ws.modules) {
    const rel = relative2(m.dir, cwd);
    if ((rel === "" || !rel.startsWith("..") && !isAbsolute2(rel)) && (!best || m.dir.length > best.dir.length)) best = m;
  }
  return (best ?? ws.modules[0]).dir;
}
function fromGoList(p, root, ws, ctx, maxFileSize, errors) {
  const absDir = p.Dir;
  const dir = absDir ? relOrAbs(root, absDir) : "";
  let module = null;
  if (p.Module) {
    module = { path: p.Module.Path, dir: p.Module.Dir ?? "", goVersion: p.Module.GoVersion ?? "" };
  } else if (p.Standard || p.Goroot) {
    const std = ws.modules.find((m) => m.path === "std" || m.path === "cmd");
    module = std ?? null;
  } else if (p.ImportPath === "command-line-arguments" && absDir) {
    module = moduleContaining(ws, absDir);
  }
  const pkgErrors = [];
  if (p.Error?.Err) {
    const open = /^open (\/.+\.go): (.+)$/.exec(p.Error.Err);
    pkgErrors.push(open ? `${relOrAbs(root, open[1])}: cannot read: ${open[2]}` : p.Error.Err);
  }
  for (const e of p.DepsErrors ?? []) pkgErrors.push(`dependency: ${e.Err}`);
  const lists = [
    ["go", p.GoFiles ?? []],
    ["cgo", p.CgoFiles ?? []],
    ["test", p.TestGoFiles ?? []],
    ["xtest", p.XTestGoFiles ?? []]
  ];
  const files = [];
  for (const [kind, names] of lists) {
    for (const name of names) {
      const rel = dir === "." ? name : `${dir}/${name}`;
      const facts = examineGoFile(join4(absDir, name), rel, name, ctx, maxFileSize, true);
      if (facts.invalid) {
        errors.push(facts.reason);
        continue;
      }
      files.push({
        name,
        path: rel,
        kind,
        goVersion: effectiveGoVersion(facts.buildVersion, module?.goVersion),
        buildVersion: facts.buildVersion,
        generated: facts.generated,
        imports: facts.imports
      });
    }
  }
  return {
    dir,
    absDir,
    importPath: p.ImportPath,
    name: p.Name ?? "",
    goFiles: p.GoFiles ?? [],
    cgoFiles: p.CgoFiles ?? [],
    testGoFiles: p.TestGoFiles ?? [],
    xTestGoFiles: p.XTestGoFiles ?? [],
    ignoredFiles: (p.IgnoredGoFiles ?? []).map((name) => {
      const own = absDir ? examineGoFile(join4(absDir, name), dir === "." ? name : `${dir}/${name}`, name, ctx, maxFileSize) : null;
      return { name, reason: own && !own.ok && !own.invalid ? own.reason : "excluded by build constraints, file name or cgo setting (go list)" };
    }),
    invalidFiles: (p.InvalidGoFiles ?? []).map((name) => {
      const own = absDir ? examineGoFile(join4(absDir, name), dir === "." ? name : `${dir}/${name}`, name, ctx, maxFileSize) : null;
      return { name, reason: own && !own.ok && own.invalid ? own.reason : p.Error?.Err ?? "invalid Go file (go list)" };
    }),
    imports: p.Imports ?? [],
    testImports: p.TestImports ?? [],
    xTestImports: p.XTestImports ?? [],
    files,
    module,
    errors: pkgErrors,
    depOnly: p.DepOnly === true,
    standard: p.Standard === true
  };
}

// src/analysis/driver.ts
import { createHash as createHash2 } from "node:crypto";
var DriverError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "DriverError";
  }
};
var DEFAULT_WORKER_HEAP_MB = 1024;
var WORKER_YOUNG_MB = 96;
function workerHeapLimit(opt, env = process.env) {
  if (opt !== void 0) return Math.max(0, Math.floor(opt));
  const v = env.DEFERGUARD_WORKER_HEAP_MB;
  if (v !== void 0 && /^\d+$/.test(v.trim())) return Number(v.trim());
  return DEFAULT_WORKER_HEAP_MB;
}
function workerHeapProblem(env = process.env) {
  const v = env.DEFERGUARD_WORKER_HEAP_MB;
  if (v === void 0 || v.trim() === "" || /^\d+$/.test(v.trim())) return void 0;
  return `DEFERGUARD_WORKER_HEAP_MB=${JSON.stringify(v)} is not a whole number of megabytes (0 for no limit); using ${DEFAULT_WORKER_HEAP_MB}`;
}
function usableCpus(cores = availableParallelism(), cpuMax = readCpuMax()) {
  const m = cpuMax?.trim().match(/^(\d+)\s+(\d+)$/);
  if (!m) return Math.max(1, cores);
  const quota = Number(m[1]);
  const period = Number(m[2]);
  if (!(quota > 0 && period > 0)) return Math.max(1, cores);
  return Math.max(1, Math.min(cores, Math.ceil(quota / period)));
}
function readCpuMax() {
  const read = (p) => {
    try {
      return readFileSync3(p, "utf8").trim();
    } catch {
      return void 0;
    }
  };
  const v2 = read("/sys/fs/cgroup/cpu.max");
  if (v2 !== void 0) return v2;
  const quota = read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");
  const period = read("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
  return quota !== void 0 && period !== void 0 ? `${quota} ${period}` : void 0;
}
function defaultJobs(cpus = usableCpus()) {
  return Math.max(1, Math.floor(cpus * 2 / 3));
}
function unitFiles(p, kinds) {
  return p.files.filter((f) => kinds.has(f.kind)).map((f) => ({
    path: f.path,
    absPath: join5(p.absDir, f.name),
    name: f.name,
    goVersion: f.goVersion,
    generated: f.generated,
    test: f.kind === "test" || f.kind === "xtest"
  }));
}
function planUnits(packages, tests = true) {
  const table = {};
  const units = [];
  const own = /* @__PURE__ */ new Set(["go", "cgo"]);
  const withTests = new Set(tests ? ["go", "cgo", "test"] : ["go", "cgo"]);
  for (const p of packages) {
    if (p.standard && !p.module) continue;
    const files = unitFiles(p, own);
    const testFiles = unitFiles(p, /* @__PURE__ */ new Set(["test", "xtest"]));
    if (files.length > 0 || testFiles.length > 0) table[p.importPath] = { name: p.name, files, imports: p.imports, ...testFiles.length > 0 ? { testFiles } : {} };
    if (p.depOnly) continue;
    const modulePath = p.module?.path ?? "";
    const moduleGoVersion = p.module?.goVersion && languageVersion(p.module.goVersion) || DEFAULT_MODULE_GO;
    const main = unitFiles(p, withTests);
    if (main.length > 0) {
      units.push({ key: p.importPath, importPath: p.importPath, name: p.name, dir: p.dir, modulePath, moduleGoVersion, files: main });
    }
    if (tests) {
      const x = unitFiles(p, /* @__PURE__ */ new Set(["xtest"]));
      if (x.length > 0) {
        units.push({ key: `${p.importPath}_test`, importPath: `${p.importPath}_test`, name: `${p.name}_test`, dir: p.dir, modulePath, moduleGoVersion, files: x });
      }
    }
  }
  units.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return { units, table };
}
function analysisOrder(units, table, testImports = /* @__PURE__ */ new Map()) {
  const sorted = [...units].sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const byKey = new Map(sorted.map((u) => [u.key, u]));
  const base = (key) => key.endsWith("_test") && !(key in table) ? key.slice(0, -"_test".length) : void 0;
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const b = base(key);
    if (b !== void 0) visit(b);
    for (const i of table[key]?.imports ?? []) visit(i);
    for (const i of testImports.get(key) ?? []) visit(i);
    const u = byKey.get(key);
    if (u) out.push(u);
  };
  for (const u of sorted) visit(u.key);
  return out;
}
function testImportsOf(packages) {
  const m = /* @__PURE__ */ new Map();
  for (const p of packages) {
    if (p.testImports.length > 0) m.set(p.importPath, p.testImports);
    if (p.xTestImports.length > 0) m.set(`${p.importPath}_test`, p.xTestImports);
  }
  return m;
}
function startWorker(config, heapMb) {
  const limits = heapMb > 0 ? { resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_MB } } : {};
  if (import.meta.url.endsWith(".ts")) {
    const entry = new URL("./worker.ts", import.meta.url).href;
    const api = import.meta.resolve("tsx/esm/api");
    const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(boot, { eval: true, workerData: config, ...limits });
  }
  return new Worker(new URL("./worker.js", import.meta.url), { workerData: config, ...limits });
}
function crashFinding(unit, error) {
  const file = unit.files[0]?.path ?? unit.dir;
  return {
    rule: INTERNAL_ERROR_RULE.id,
    severity: INTERNAL_ERROR_RULE.severity,
    confidence: "high",
    message: `analysis of package ${unit.importPath} failed: ${error}; its findings are missing`,
    related: [],
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1
  };
}
async function runInWorkers(config, units, jobs, notes, onResult, heapMb) {
  const queue = [...units].sort((a, b) => b.files.length - a.files.length || (a.key < b.key ? -1 : 1));
  const retried = /* @__PURE__ */ new Set();
  const again = [];
  const results = [];
  const push = (r) => {
    results.push(r);
    onResult(r);
  };
  let fatal;
  const runOne = (limit) => new Promise((done) => {
    let pending;
    let finished = false;
    const w = startWorker(config, limit);
    const next = () => {
      if (fatal !== void 0) pending = void 0;
      else pending = (limit === 0 ? again.shift() : void 0) ?? queue.shift();
      if (!pending) {
        finished = true;
        void w.terminate().then(() => done());
        return;
      }
      w.postMessage({ type: "unit", unit: pending });
    };
    const fail = (error, outOfMemory = false) => {
      if (finished) return;
      finished = true;
      let nextLimit = limit;
      if (outOfMemory && limit > 0) {
        nextLimit = 0;
        notes.add(`a worker ran out of memory under its ${limit} MB heap limit${pending ? ` analysing ${pending.importPath}` : ""}; carrying on without the limit (set DEFERGUARD_WORKER_HEAP_MB to change it)`);
        if (pending && !retried.has(pending.key)) {
          retried.add(pending.key);
          again.push(pending);
          pending = void 0;
        }
      }
      if (pending) push({ key: pending.key, findings: [crashFinding(pending, error)], directives: [], notes: [] });
      void w.terminate();
      if ((queue.length > 0 || again.length > 0) && fatal === void 0) void runOne(nextLimit).then(done);
      else done();
    };
    w.on("message", (m) => {
      switch (m.type) {
        case "ready":
          for (const n of m.notes) notes.add(n);
          next();
          break;
        case "fatal":
          fatal = m.error;
          finished = true;
          void w.terminate().then(() => done());
          break;
        case "result":
          push(m.result);
          next();
          break;
        case "failed":
          if (pending) push({ key: pending.key, findings: [crashFinding(pending, m.error)], directives: [], notes: [] });
          next();
          break;
      }
    });
    w.on("error", (e) => fail(`worker stopped: ${e.message}`, e.code === "ERR_WORKER_OUT_OF_MEMORY"));
    w.on("exit", (code) => {
      if (!finished) fail(`worker exited with code ${code}`);
    });
  });
  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, () => runOne(heapMb)));
  if (fatal !== void 0) throw new DriverError(fatal);
  return results;
}
function depFilesOf(unit, byPath, table) {
  const own = byPath.get(unit.importPath.endsWith("_test") && !byPath.has(unit.importPath) ? unit.importPath.slice(0, -5) : unit.importPath);
  const start = !own ? [] : unit.key.endsWith("_test") && unit.importPath !== own.importPath ? own.xTestImports : [...own.imports, ...own.testImports];
  const seen = /* @__PURE__ */ new Set();
  const stack = [...start];
  while (stack.length > 0) {
    const ip = stack.pop();
    if (seen.has(ip) || !table[ip]) continue;
    seen.add(ip);
    const p = byPath.get(ip);
    if (p) stack.push(...p.imports);
  }
  seen.delete(unit.importPath);
  return [...seen].sort().flatMap((ip) => table[ip].files);
}
async function analyze(opts) {
  const loadOpts = { cwd: opts.cwd, patterns: opts.patterns, tags: opts.tags, useGo: opts.useGo, env: opts.env };
  const loaded = loadPackages(loadOpts);
  const tests = opts.tests !== false;
  const planned = planUnits(loaded.packages, tests);
  const table = planned.table;
  const ex = opts.exclude;
  let excludedFiles = 0;
  const excluded = /* @__PURE__ */ new Set();
  const units = planned.units.filter((u) => {
    if (!ex) return true;
    let kept = 0;
    for (const f of u.files) {
      if (ex.excludes(f.path, f.generated)) {
        excluded.add(f.path);
      } else kept++;
    }
    return kept > 0;
  });
  excludedFiles = excluded.size;
  const config = {
    root: loaded.root,
    registry: opts.registry,
    enable: opts.enable,
    options: opts.options ?? defaultRuleOptions(),
    table,
    ...opts.knownRules ? { knownRules: opts.knownRules } : {},
    prune: opts.prune ?? (opts.env ?? process.env).DEFERGUARD_PRUNE !== "0"
  };
  const jobs = Math.max(1, Math.floor(opts.jobs ?? defaultJobs()));
  const notes = /* @__PURE__ */ new Set();
  let results = [];
  const cache = opts.cache;
  const keys = /* @__PURE__ */ new Map();
  let todo = analysisOrder(units, table, testImportsOf(loaded.packages));
  let found = 0;
  let done = 0;
  let cached = 0;
  const progress = (r) => {
    done++;
    found += r.findings.length;
    opts.onProgress?.({ done, total: units.length, findings: found, cached });
  };
  if (cache) {
    const settings = JSON.stringify({
      tool: toolStamp(opts.toolVersion ?? ""),
      enable: opts.enable,
      options: config.options,
      knownRules: opts.knownRules ?? null,
      context: loaded.context,
      via: loaded.via,
      root: loaded.root
    });
    const hashes = new FileHashes();
    let moduleDigest;
    const moduleDeferred = () => {
      if (moduleDigest === void 0) {
        const names = /* @__PURE__ */ new Set();
        for (const entry of Object.values(table)) for (const f of [...entry.files, ...entry.testFiles ?? []]) for (const n of hashes.deferredNames(f.absPath)) names.add(n);
        moduleDigest = createHash2("sha256").update([...names].sort().join("\n")).digest("hex");
      }
      return moduleDigest;
    };
    const byPath = new Map(loaded.packages.map((p) => [p.importPath, p]));
    const ordered = todo;
    todo = [];
    for (const u of ordered) {
      const key = unitKey({ settings, unit: u, depFiles: depFilesOf(u, byPath, table), hashes, moduleDeferred });
      const hit = key ? cache.get(key, u.key) : void 0;
      if (hit) {
        cached++;
        results.push(hit);
        progress(hit);
        continue;
      }
      if (key) keys.set(u.key, key);
      todo.push(u);
    }
  }
  const store = (r) => {
    const key = keys.get(r.key);
    if (cache && key && !r.findings.some((f) => f.rule === INTERNAL_ERROR_RULE.id && /^analysis of package /.test(f.message))) cache.put(key, r);
    progress(r);
  };
  if (todo.length === 0) {
  } else if (jobs === 1 || todo.length <= 1) {
    let engine;
    try {
      engine = await Engine.create(config);
    } catch (e) {
      throw new DriverError(e.message);
    }
    for (const n of engine.notes) notes.add(n);
    for (const u of todo) {
      let r;
      try {
        r = engine.analyze(u);
      } catch (e) {
        r = { key: u.key, findings: [crashFinding(u, e.message)], directives: [], notes: [] };
      }
      results.push(r);
      store(r);
    }
  } else {
    results.push(...await runInWorkers(config, todo, jobs, notes, store, workerHeapLimit(opts.workerHeapMb, opts.env ?? process.env)));
  }
  results.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  let findings = [];
  const directives = [];
  const problems = [];
  const bodies = { total: 0, pruned: 0 };
  for (const r of results) {
    bodies.total += r.bodies?.total ?? 0;
    bodies.pruned += r.bodies?.pruned ?? 0;
    findings.push(...r.findings);
    directives.push(...r.directives);
    problems.push(...r.diagnostics ?? []);
    for (const n of r.notes) notes.add(n);
  }
  findings.push(...invalidFileFindings(loaded.packages));
  if (ex) {
    const keep = (file) => !excluded.has(file) && !ex.excludes(file);
    findings = findings.filter((f) => keep(f.file));
    const d = directives.filter((x) => keep(x.file));
    directives.length = 0;
    directives.push(...d);
    const p = problems.filter((x) => keep(x.file));
    problems.length = 0;
    problems.push(...p);
  }
  let suppressed = 0;
  let unusedIgnores = [];
  if (opts.suppress !== false) {
    const s = applySuppressions(findings, dedupeDirectives(directives), {
      enabledRules: new Set(opts.enable),
      ...opts.knownRules ? { knownRules: new Set(opts.knownRules) } : {}
    });
    findings = s.kept;
    suppressed = s.suppressed.length;
    unusedIgnores = sortDiagnostics(s.unused);
  }
  findings = dedupe(findings);
  return {
    root: loaded.root,
    findings,
    suppressed,
    loadErrors: [...loaded.errors, ...loaded.packages.flatMap((p) => p.errors.map((e) => p.dir ? `${p.dir}: ${e}` : e))],
    notes: [...notes].sort(),
    packages: units.length,
    files: units.reduce((n, u) => n + u.files.length, 0),
    via: loaded.via,
    ...loaded.fallbackReason ? { fallbackReason: loaded.fallbackReason } : {},
    unusedIgnores,
    directiveProblems: sortDiagnostics(problems),
    excludedFiles,
    warnings: opts.workerHeapMb === void 0 ? [workerHeapProblem(opts.env ?? process.env)].filter((w) => !!w) : [],
    bodies,
    ...cache ? { cache: cache.stats } : {}
  };
}
function invalidFileFindings(packages) {
  const out = [];
  for (const p of packages) {
    if (p.depOnly) continue;
    for (const f of p.invalidFiles) {
      const m = /(?:^|:)(\d+):(\d+): (illegal UTF-8 encoding.*|illegal character NUL.*|invalid NUL character.*)$/.exec(f.reason);
      if (!m) continue;
      const file = p.dir === "." || p.dir === "" ? f.name : `${p.dir}/${f.name}`;
      const line = Number(m[1]);
      const column = Number(m[2]);
      out.push({
        rule: SYNTAX_ERROR_RULE.id,
        severity: "high",
        confidence: "high",
        message: `syntax error: ${m[3]} (the file is not analysed)`,
        related: [],
        file,
        line,
        column,
        endLine: line,
        endColumn: column
      });
    }
  }
  return out;
}
function dedupeDirectives(ds) {
  const seen = /* @__PURE__ */ new Map();
  for (const d of ds) {
    const k = `${d.file}\0${d.line}\0${d.column}`;
    if (!seen.has(k)) seen.set(k, d);
  }
  return [...seen.values()];
}
function sortDiagnostics(ds) {
  const seen = /* @__PURE__ */ new Map();
  for (const d of ds) seen.set(`${d.file}\0${d.line}\0${d.column}\0${d.message}`, d);
  return [...seen.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

export {
  loadPackages,
  parseFailOn,
  parseConfidence,
  applyGate,
  filterByConfidence,
  dedupe,
  countBySeverity,
  defaultCacheDir,
  AnalysisCache,
  DriverError,
  planUnits,
  analyze
};
