import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  OutputError,
  checkWritable,
  writeFileAtomic
} from "./chunk-7L5MEL2Z.js";
import {
  Excluder,
  GlobError
} from "./chunk-FX5DOGEO.js";
import {
  ConfigError,
  findConfig,
  loadConfig
} from "./chunk-5QQ3GILN.js";
import {
  version
} from "./chunk-ZIPXODVD.js";
import {
  AnalysisCache,
  DriverError,
  analyze,
  applyGate,
  defaultCacheDir,
  filterByConfidence,
  parseConfidence,
  parseFailOn
} from "./chunk-PVR3H62W.js";
import {
  DIRECTIVE_RULE,
  INTERNAL_ERROR_RULE,
  SYNTAX_ERROR_RULE,
  diagnosticsToFindings,
  isReadFailure
} from "./chunk-ZBIIT5WW.js";
import {
  parseFile
} from "./chunk-BEBMU46B.js";
import {
  REGISTRY_URL,
  analyzers,
  defaultEnabled
} from "./chunk-BNGGAWJJ.js";
import {
  SEVERITIES,
  compareFindings,
  docUrl
} from "./chunk-X2CHC4MP.js";

// src/cli/check.ts
import { existsSync, readFileSync as readFileSync2, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

// src/findings/baseline.ts
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
var BASELINE_VERSION = 1;
var BaselineError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "BaselineError";
  }
};
function compareEntries(a, b) {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0);
}
function createBaseline(findings, toolVersion2) {
  const entries = [...findings].sort(compareFindings).map((f) => {
    if (!f.fingerprint) {
      throw new BaselineError(`finding ${f.rule} at ${f.file}:${f.line} has no fingerprint; compute fingerprints before writing a baseline`);
    }
    return { fingerprint: f.fingerprint, rule: f.rule, file: f.file, line: f.line, message: f.message };
  });
  entries.sort(compareEntries);
  return { version: BASELINE_VERSION, tool: { name: "deferguard", version: toolVersion2 }, entries };
}
function serializeBaseline(b) {
  const entries = [...b.entries].sort(compareEntries).map((e) => ({
    fingerprint: e.fingerprint,
    rule: e.rule,
    file: e.file,
    line: e.line,
    message: e.message
  }));
  return JSON.stringify({ version: b.version, tool: { name: b.tool.name, version: b.tool.version }, entries }, null, 2) + "\n";
}
function parseBaseline(text, source = "baseline") {
  let data;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${source}: not valid JSON (${e.message})`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new BaselineError(`${source}: expected a JSON object with "version" and "entries"`);
  const o = data;
  if (o.version !== BASELINE_VERSION) {
    throw new BaselineError(`${source}: unsupported baseline version ${JSON.stringify(o.version)} (this deferguard reads version ${BASELINE_VERSION})`);
  }
  if (!Array.isArray(o.entries)) throw new BaselineError(`${source}: "entries" must be an array`);
  const tool = typeof o.tool === "object" && o.tool !== null ? o.tool : {};
  const entries = o.entries.map((raw, i) => {
    const where = `${source}: entries[${i}]`;
    if (typeof raw !== "object" || raw === null) throw new BaselineError(`${where} must be an object`);
    const e = raw;
    for (const k of ["fingerprint", "rule", "file"]) {
      if (typeof e[k] !== "string" || e[k] === "") throw new BaselineError(`${where}: "${k}" must be a non-empty string`);
    }
    if (e.line !== void 0 && (typeof e.line !== "number" || !Number.isInteger(e.line) || e.line < 0)) {
      throw new BaselineError(`${where}: "line" must be a non-negative integer`);
    }
    if (e.message !== void 0 && typeof e.message !== "string") throw new BaselineError(`${where}: "message" must be a string`);
    return { fingerprint: e.fingerprint, rule: e.rule, file: e.file, line: e.line ?? 0, message: e.message ?? "" };
  });
  return {
    version: BASELINE_VERSION,
    tool: { name: typeof tool.name === "string" ? tool.name : "deferguard", version: typeof tool.version === "string" ? tool.version : "" },
    entries
  };
}
function readBaselineFile(path) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = e.code;
    throw new BaselineError(code === "ENOENT" ? `baseline file ${path} does not exist (create it with --write-baseline)` : `cannot read baseline file ${path}: ${e.message}`);
  }
  return parseBaseline(text, path);
}
function applyBaseline(findings, baseline) {
  const pool = /* @__PURE__ */ new Map();
  for (const e of [...baseline.entries].sort(compareEntries)) {
    let list2 = pool.get(e.fingerprint);
    if (!list2) pool.set(e.fingerprint, list2 = []);
    list2.push(e);
  }
  const fresh = [];
  const baselined = [];
  for (const f of [...findings].sort(compareFindings)) {
    const list2 = f.fingerprint ? pool.get(f.fingerprint) : void 0;
    if (list2 && list2.length > 0) {
      list2.shift();
      baselined.push(f);
    } else {
      fresh.push(f);
    }
  }
  const fixed = [...pool.values()].flat().sort(compareEntries);
  return { fresh, baselined, fixed };
}

// src/findings/diff.ts
import { execFile } from "node:child_process";
var DiffError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "DiffError";
  }
};
function unquoteGitPath(s) {
  if (!s.startsWith('"') || !s.endsWith('"') || s.length < 2) return s;
  const bytes = [];
  const body = s.slice(1, -1);
  const simple = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== "\\") {
      for (const b of Buffer.from(ch, "utf8")) bytes.push(b);
      continue;
    }
    const next = body[i + 1] ?? "";
    if (/[0-7]/.test(next)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))[0];
      bytes.push(parseInt(oct, 8));
      i += oct.length;
    } else if (next in simple) {
      bytes.push(simple[next]);
      i++;
    } else {
      bytes.push(92);
    }
  }
  return Buffer.from(bytes).toString("utf8");
}
function splitGitHeader(rest) {
  if (rest.startsWith('"')) {
    const m = /^("(?:[^"\\]|\\.)*")\s+(.*)$/.exec(rest);
    return m ? [unquoteGitPath(m[1]), unquoteGitPath(m[2])] : void 0;
  }
  if (rest.endsWith('"')) {
    const i = rest.lastIndexOf(' "');
    return i < 0 ? void 0 : [rest.slice(0, i), unquoteGitPath(rest.slice(i + 1))];
  }
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === " " && rest.slice(2, half) === rest.slice(half + 3)) {
    return [rest.slice(0, half), rest.slice(half + 1)];
  }
  const j = rest.indexOf(" b/");
  return j < 0 ? void 0 : [rest.slice(0, j), rest.slice(j + 1)];
}
function stripPrefix(p, strip) {
  let out = p;
  for (let i = 0; i < strip; i++) {
    const j = out.indexOf("/");
    if (j < 0) break;
    out = out.slice(j + 1);
  }
  return out;
}
function headerPath(raw) {
  let p = raw;
  if (!p.startsWith('"')) {
    const tab = p.indexOf("	");
    if (tab >= 0) p = p.slice(0, tab);
    p = p.trimEnd();
  }
  p = unquoteGitPath(p);
  return p === "/dev/null" ? null : p;
}
var HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
function parseUnifiedDiff(text, opts = {}) {
  const files = [];
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  let cur;
  let git = false;
  const newFile = () => {
    const f = { oldPath: null, newPath: null, status: "modified", binary: false, added: /* @__PURE__ */ new Set(), deletedAfter: /* @__PURE__ */ new Set() };
    files.push(f);
    return f;
  };
  const sawHunk = /* @__PURE__ */ new Set();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith("\r") ? lines[i].slice(0, -1) : lines[i];
    if (line.startsWith("diff --git ")) {
      git = true;
      cur = newFile();
      const paths = splitGitHeader(line.slice("diff --git ".length));
      if (paths) {
        const n = opts.strip ?? (paths[0].startsWith("a/") && paths[1].startsWith("b/") ? 1 : 0);
        cur.oldPath = stripPrefix(paths[0], n);
        cur.newPath = stripPrefix(paths[1], n);
      }
      continue;
    }
    if (cur && line.startsWith("new file mode")) {
      cur.status = "added";
      cur.oldPath = null;
      continue;
    }
    if (cur && line.startsWith("deleted file mode")) {
      cur.status = "deleted";
      cur.newPath = null;
      continue;
    }
    if (cur && line.startsWith("rename from ")) {
      cur.status = "renamed";
      cur.oldPath = unquoteGitPath(line.slice(12));
      continue;
    }
    if (cur && line.startsWith("rename to ")) {
      cur.status = "renamed";
      cur.newPath = unquoteGitPath(line.slice(10));
      continue;
    }
    if (cur && line.startsWith("copy from ")) {
      cur.status = "copied";
      cur.oldPath = unquoteGitPath(line.slice(10));
      continue;
    }
    if (cur && line.startsWith("copy to ")) {
      cur.status = "copied";
      cur.newPath = unquoteGitPath(line.slice(8));
      continue;
    }
    if (cur && (line.startsWith("Binary files ") || line === "GIT binary patch")) {
      cur.binary = true;
      continue;
    }
    if (line.startsWith("--- ") && i + 1 < lines.length && lines[i + 1].startsWith("+++ ")) {
      if (!git || !cur || sawHunk.has(cur)) cur = newFile();
      const oldP = headerPath(line.slice(4));
      const newP = headerPath(lines[i + 1].replace(/\r$/, "").slice(4));
      const n = opts.strip ?? ((oldP === null || oldP.startsWith("a/")) && (newP === null || newP.startsWith("b/")) ? 1 : 0);
      cur.oldPath = oldP === null ? null : stripPrefix(oldP, n);
      cur.newPath = newP === null ? null : stripPrefix(newP, n);
      if (oldP === null) cur.status = "added";
      else if (newP === null) cur.status = "deleted";
      i++;
      continue;
    }
    const h2 = HUNK_RE.exec(line);
    if (h2 && cur) {
      sawHunk.add(cur);
      let oldLeft = h2[2] === void 0 ? 1 : Number(h2[2]);
      let newLeft = h2[4] === void 0 ? 1 : Number(h2[4]);
      let newLine = Number(h2[3]);
      if (newLeft === 0) newLine++;
      while ((oldLeft > 0 || newLeft > 0) && i + 1 < lines.length) {
        const l = lines[i + 1];
        const c = l[0];
        if (c === "+") {
          cur.added.add(newLine);
          newLine++;
          newLeft--;
        } else if (c === "-") {
          cur.deletedAfter.add(newLine - 1);
          oldLeft--;
        } else if (c === " " || l === "" || l === "\r") {
          newLine++;
          oldLeft--;
          newLeft--;
        } else if (c === "\\") {
        } else break;
        i++;
      }
      while (i + 1 < lines.length && lines[i + 1].startsWith("\\")) i++;
      continue;
    }
    if (line.startsWith("\\")) continue;
  }
  const out = /* @__PURE__ */ new Map();
  for (const f of files) {
    if (f.newPath === null && f.oldPath === null) continue;
    out.set(f.newPath ?? f.oldPath, f);
  }
  return out;
}
function scopeToDiff(findings, changes, opts = {}) {
  const kept = [];
  const dropped = [];
  for (const f of findings) {
    const c = changes.get(f.file);
    const hit = !!c && c.newPath !== null && (c.added.has(f.line) || !!opts.includeDeletions && (c.deletedAfter.has(f.line - 1) || c.deletedAfter.has(f.line)));
    (hit ? kept : dropped).push(f);
  }
  return { kept, dropped };
}
function runGit(args, opts) {
  const git = opts.git ?? "git";
  const timeout = opts.timeoutMs ?? 6e4;
  return new Promise((resolve2, reject) => {
    execFile(git, ["-c", "core.quotePath=false", ...args], { cwd: opts.cwd, timeout, maxBuffer: 256 * 1024 * 1024, encoding: "utf8", env: { ...process.env, GIT_PAGER: "cat", LC_ALL: "C" } }, (err, stdout, stderr) => {
      if (!err) return resolve2(stdout);
      const e = err;
      if (e.code === "ENOENT") return reject(new DiffError(`cannot run ${git}: not found on PATH`));
      if (e.killed || e.signal === "SIGTERM") return reject(new DiffError(`git ${args[0]} timed out after ${timeout} ms in ${opts.cwd}`));
      const msg = String(stderr).trim().split("\n")[0] ?? "";
      if (/not a git repository/i.test(msg)) return reject(new DiffError(`${opts.cwd} is not inside a git repository; --new-from-rev and --new-from-merge-base need git history`));
      reject(new DiffError(`git ${args.join(" ")} failed: ${msg || e.message}`));
    });
  });
}
async function ensureRepo(opts) {
  await runGit(["rev-parse", "--show-toplevel"], opts);
}
async function resolveRev(rev, opts) {
  if (rev.startsWith("-")) throw new DiffError(`invalid revision "${rev}"`);
  try {
    return (await runGit(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], opts)).trim();
  } catch (e) {
    if (e instanceof DiffError && /not inside a git repository|timed out|cannot run/.test(e.message)) throw e;
    throw new DiffError(`unknown git revision "${rev}"`);
  }
}
async function changesSinceRev(rev, opts) {
  await ensureRepo(opts);
  const commit = await resolveRev(rev, opts);
  return diffFrom(commit, opts);
}
async function changesSinceMergeBase(ref, opts) {
  await ensureRepo(opts);
  const commit = await resolveRev(ref, opts);
  let base;
  try {
    base = (await runGit(["merge-base", commit, "HEAD"], opts)).trim();
  } catch {
    throw new DiffError(`no merge base between "${ref}" and HEAD (unrelated histories or a shallow clone: fetch more history)`);
  }
  return diffFrom(base, opts);
}
async function diffFrom(commit, opts) {
  const patch = await runGit(["diff", "--no-color", "--no-ext-diff", "--no-textconv", "--relative", "-M", "--unified=0", commit, "--"], opts);
  const changes = parseUnifiedDiff(patch);
  if (opts.includeUntracked ?? true) {
    const out = await runGit(["ls-files", "--others", "--exclude-standard", "-z"], opts);
    for (const p of out.split("\0")) {
      if (p === "" || changes.has(p)) continue;
      changes.set(p, { oldPath: null, newPath: p, status: "added", binary: false, added: new AllLines(), deletedAfter: /* @__PURE__ */ new Set() });
    }
  }
  return changes;
}
var AllLines = class extends Set {
  has(_n) {
    return true;
  }
};

// src/findings/fingerprint.ts
import { createHash } from "node:crypto";
var FINGERPRINT_VERSION = "deferguard/v1";
function normaliseLine(text) {
  return text.replace(/\s+/g, " ").trim();
}
function anchorText(f, lines) {
  const src = lines(f.file);
  if (src && f.line >= 1 && f.line <= src.length) return "line:" + normaliseLine(src[f.line - 1]);
  return "msg:" + normaliseLine(f.message).replace(/[0-9]+/g, "#");
}
function hash(parts) {
  const h2 = createHash("sha256");
  for (const p of parts) {
    h2.update(p);
    h2.update("\0");
  }
  return h2.digest("hex").slice(0, 32);
}
function computeFingerprints(findings, lines, opts = {}) {
  const keyed = findings.map((f, i) => {
    const fn = opts.enclosingFunction?.(f) ?? "";
    return { f, i, key: [f.rule, f.file, anchorText(f, lines), fn] };
  });
  const groups = /* @__PURE__ */ new Map();
  for (const k of keyed) {
    const g = JSON.stringify(k.key);
    let list2 = groups.get(g);
    if (!list2) groups.set(g, list2 = []);
    list2.push(k);
  }
  const out = new Array(findings.length);
  for (const list2 of groups.values()) {
    list2.sort((a, b) => a.f.line - b.f.line || a.f.column - b.f.column || cmp(a.f.message, b.f.message) || a.i - b.i);
    list2.forEach((k, occurrence) => {
      out[k.i] = { ...k.f, fingerprint: hash([FINGERPRINT_VERSION, ...k.key, String(occurrence)]) };
    });
  }
  return out;
}
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function sarifPartialFingerprints(f) {
  return f.fingerprint ? { [FINGERPRINT_VERSION]: f.fingerprint } : {};
}
function splitLines(text) {
  return text.split("\n").map((l) => l.endsWith("\r") ? l.slice(0, -1) : l);
}

// src/findings/fix.ts
var FixError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "FixError";
  }
};
function applyEdits(src, edits) {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.endOffset - b.endOffset);
  const parts = [];
  const nl = src.indexOf("\n");
  const crlf = nl > 0 && src[nl - 1] === 13;
  let at = 0;
  for (const e of sorted) {
    if (e.offset < at) throw new FixError(`overlapping edits at byte ${e.offset}`);
    if (e.endOffset < e.offset || e.endOffset > src.length) throw new FixError(`edit [${e.offset}, ${e.endOffset}) is outside the file (${src.length} bytes)`);
    const text = crlf ? e.newText.replace(/\r?\n/g, "\r\n") : e.newText;
    parts.push(src.subarray(at, e.offset), Buffer.from(text, "utf8"));
    at = e.endOffset;
  }
  parts.push(src.subarray(at));
  return Buffer.concat(parts);
}
function overlaps(a, b) {
  if (a.offset === b.offset) return true;
  return a.offset < b.endOffset && b.offset < a.endOffset;
}
function planFixes(findings, fixable, read) {
  const byFile = /* @__PURE__ */ new Map();
  const skipped = [];
  for (const f of findings) {
    const fix = f.fixes?.[0];
    if (!fix) continue;
    if (!fixable(f.rule)) {
      skipped.push({ finding: f, reason: `rule ${f.rule} does not offer safe fixes` });
      continue;
    }
    if (fix.edits.length === 0) continue;
    if (fix.edits.some((e) => e.file !== f.file)) {
      skipped.push({ finding: f, reason: "the fix edits another file" });
      continue;
    }
    let list2 = byFile.get(f.file);
    if (!list2) byFile.set(f.file, list2 = []);
    list2.push({ finding: f, edits: fix.edits });
  }
  const files = [];
  const broken = [];
  for (const file of [...byFile.keys()].sort()) {
    const before = read(file);
    const list2 = byFile.get(file);
    if (!before) {
      for (const x of list2) skipped.push({ finding: x.finding, reason: `${file} cannot be read` });
      continue;
    }
    const taken = [];
    const fixed = [];
    for (const x of list2) {
      const bad = x.edits.find((e) => e.offset < 0 || e.endOffset < e.offset || e.endOffset > before.length);
      if (bad) {
        skipped.push({ finding: x.finding, reason: `an edit is outside the file (was it changed since the analysis?)` });
        continue;
      }
      const self = x.edits.some((e, i) => x.edits.some((o, j) => j !== i && overlaps(e, o)));
      if (self || x.edits.some((e) => taken.some((t) => overlaps(e, t)))) {
        skipped.push({ finding: x.finding, reason: "the fix overlaps another fix in the same place; run again to apply it" });
        continue;
      }
      taken.push(...x.edits);
      fixed.push(x.finding);
    }
    if (fixed.length === 0) continue;
    const after = applyEdits(before, taken);
    const wasOk = parseFile(file, before).errors.length === 0;
    const errs = parseFile(file, after).errors;
    if (errs.length > 0 && wasOk) {
      broken.push({ file, error: errs[0].message, findings: fixed });
      continue;
    }
    if (!wasOk) {
      for (const x of fixed) skipped.push({ finding: x, reason: `${file} does not parse; it is not changed` });
      continue;
    }
    files.push({ file, before, after, fixed });
  }
  return { files, skipped, broken };
}
function splitKeep(text) {
  const out = [];
  let at = 0;
  for (; ; ) {
    const i = text.indexOf("\n", at);
    if (i < 0) {
      if (at < text.length) out.push(text.slice(at));
      return out;
    }
    out.push(text.slice(at, i + 1));
    at = i + 1;
  }
}
function diffLines(a, b) {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    const nv = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x2;
      if (k === -d || k !== d && v[off + k - 1] < v[off + k + 1]) x2 = v[off + k + 1];
      else x2 = v[off + k - 1] + 1;
      let y2 = x2 - k;
      while (x2 < n && y2 < m && a[x2] === b[y2]) {
        x2++;
        y2++;
      }
      nv[off + k] = x2;
      if (x2 >= n && y2 >= m) {
        found = true;
        break;
      }
    }
    v = nv;
  }
  trace.push(v);
  const script = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0; d--) {
    const vv = trace[d];
    const k = x - y;
    let prevK;
    if (d === 0) {
      while (x > 0 && y > 0) {
        script.push("=");
        x--;
        y--;
      }
      break;
    }
    if (k === -d || k !== d && vv[off + k - 1] < vv[off + k + 1]) prevK = k + 1;
    else prevK = k - 1;
    const prevX = vv[off + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      script.push("=");
      x--;
      y--;
    }
    if (x === prevX) {
      script.push("+");
      y--;
    } else {
      script.push("-");
      x--;
    }
  }
  return script.reverse();
}
function unifiedDiff(file, before, after, context = 3) {
  if (before === after) return "";
  const a = splitKeep(before);
  const b = splitKeep(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const mid = diffLines(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  const script = [...Array(head).fill("="), ...mid, ...Array(tail).fill("=")];
  const rows = [];
  let ai = 0;
  let bi = 0;
  for (const op of script) {
    if (op === "=") rows.push({ op, text: a[ai], ai: ai++, bi: bi++ });
    else if (op === "-") rows.push({ op, text: a[ai], ai: ai++, bi });
    else rows.push({ op, text: b[bi], ai, bi: bi++ });
  }
  const out = [`--- a/${file}
`, `+++ b/${file}
`];
  let i = 0;
  while (i < rows.length) {
    if (rows[i].op === "=") {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    for (; ; ) {
      while (end < rows.length && rows[end].op !== "=") end++;
      let j = end;
      while (j < rows.length && rows[j].op === "=") j++;
      if (j < rows.length && j - end <= 2 * context) {
        end = j;
        continue;
      }
      end = Math.min(rows.length, end + context);
      break;
    }
    const hunk = rows.slice(start, end);
    const aCount = hunk.filter((r) => r.op !== "+").length;
    const bCount = hunk.filter((r) => r.op !== "-").length;
    const aStart = aCount === 0 ? hunk[0].ai : hunk[0].ai + 1;
    const bStart = bCount === 0 ? hunk[0].bi : hunk[0].bi + 1;
    out.push(`@@ -${aStart}${aCount === 1 ? "" : "," + aCount} +${bStart}${bCount === 1 ? "" : "," + bCount} @@
`);
    for (const r of hunk) {
      const sign = r.op === "=" ? " " : r.op;
      out.push(sign + r.text);
      if (!r.text.endsWith("\n")) out.push("\n\\ No newline at end of file\n");
    }
    start = end;
    i = end;
  }
  return out.join("");
}

// src/report/common.ts
var TOOL_NAME = "deferguard";
var TOOL_URI = "https://github.com/deferguard/deferguard";
function toolName(opts) {
  return opts.toolName ?? TOOL_NAME;
}
function toolVersion(opts) {
  return opts.toolVersion ?? "0.0.0";
}
function ruleLookup(rules) {
  const byId = new Map(rules.map((r) => [r.id, r]));
  return (id, severity = "medium") => byId.get(id) ?? { id, severity, summary: id, enabledByDefault: true, fixable: false, category: "other", docUrl: docUrl(encodeURIComponent(id)) };
}
var Sources = class {
  constructor(provider) {
    this.provider = provider;
  }
  provider;
  cache = /* @__PURE__ */ new Map();
  get(file) {
    let e = this.cache.get(file);
    if (e === void 0) {
      const text = this.provider?.(file);
      if (text === void 0) e = null;
      else {
        const bytes = Buffer.from(text, "utf8");
        const lineStarts = [0];
        for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lineStarts.push(i + 1);
        const lines = text.split("\n").map((l) => l.endsWith("\r") ? l.slice(0, -1) : l);
        if (lines.length > 1 && text.endsWith("\n")) lines.pop();
        e = { text, lines, bytes, lineStarts };
      }
      this.cache.set(file, e);
    }
    return e;
  }
  /** The text of a 1-based line, or undefined. */
  line(file, line) {
    const e = this.get(file);
    return e && line >= 1 && line <= e.lines.length ? e.lines[line - 1] : void 0;
  }
  /** Converts a 1-based byte column on a line to a 1-based UTF-16 column (falls back to the byte column). */
  column16(file, line, byteColumn) {
    const text = this.line(file, line);
    if (text === void 0) return byteColumn;
    const b = Buffer.from(text, "utf8");
    return b.subarray(0, Math.max(0, Math.min(b.length, byteColumn - 1))).toString("utf8").length + 1;
  }
  /** 1-based line and byte column of a byte offset, or undefined without the source. */
  position(file, offset) {
    const e = this.get(file);
    if (!e || offset < 0 || offset > e.bytes.length) return void 0;
    let lo = 0;
    let hi = e.lineStarts.length - 1;
    while (lo < hi) {
      const mid = lo + hi + 1 >> 1;
      if (e.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - e.lineStarts[lo] + 1 };
  }
  /** The bytes [offset, endOffset) of a file as text. */
  slice(file, offset, endOffset) {
    const e = this.get(file);
    if (!e || offset < 0 || endOffset > e.bytes.length || endOffset < offset) return void 0;
    return e.bytes.subarray(offset, endOffset).toString("utf8");
  }
};
function editRange(src, e) {
  const a = src.position(e.file, e.offset);
  const b = src.position(e.file, e.endOffset);
  return a && b ? { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column } : void 0;
}
function summaryCounts(findings) {
  const out = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}
function summaryLine(findings) {
  if (findings.length === 0) return "no findings";
  const c = summaryCounts(findings);
  const parts = SEVERITIES.filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`);
  return `${findings.length} finding${findings.length === 1 ? "" : "s"}: ${parts.join(", ")}`;
}
function sanitizeTerminal(text, keepNewlines = false) {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    if (ch === "\n" && keepNewlines) return ch;
    const code = ch.charCodeAt(0);
    return code <= 255 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);
}
function escapeXml(text) {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "�").replace(/[&<>"'\t\n\r]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "	": "&#9;", "\n": "&#10;", "\r": "&#13;" })[ch]);
}
function escapeMarkdown(text) {
  return sanitizeTerminal(text.replace(/\r\n?|\n/g, " ")).replace(/[\\`*_{}[\]()<>|~!&#+\-.]/g, (ch) => "\\" + ch).replace(/(^|[^A-Za-z0-9_])@(?=[A-Za-z0-9])/g, "$1@​").replace(/#(?=[0-9])/g, "#​");
}
function toJson(value, indent = 2) {
  return JSON.stringify(value, null, indent) + "\n";
}
function encodePathForUri(path) {
  return path.split("/").map((seg) => encodeURIComponent(seg)).join("/");
}

// src/report/checkstyle.ts
function level(s) {
  return s === "critical" || s === "high" ? "error" : s === "medium" ? "warning" : "info";
}
function format(findings, _rules, _opts = {}) {
  const byFile = /* @__PURE__ */ new Map();
  for (const f of findings) {
    let l = byFile.get(f.file);
    if (!l) byFile.set(f.file, l = []);
    l.push(f);
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="8.0">'];
  for (const file of [...byFile.keys()].sort()) {
    out.push(`  <file name="${escapeXml(file)}">`);
    for (const f of byFile.get(file)) {
      out.push(`    <error line="${f.line}" column="${f.column}" severity="${level(f.severity)}" message="${escapeXml(f.message)}" source="deferguard.${escapeXml(f.rule)}"></error>`);
    }
    out.push("  </file>");
  }
  out.push("</checkstyle>");
  return out.join("\n") + "\n";
}

// src/report/github.ts
function escapeData(s) {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
function escapeProperty(s) {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
function commandFor(s) {
  return s === "critical" || s === "high" ? "error" : s === "medium" ? "warning" : "notice";
}
function format2(findings, _rules, opts = {}) {
  const src = new Sources(opts.source);
  const out = [];
  for (const f of findings) {
    const col = f.column16 ?? src.column16(f.file, f.line, f.column);
    const endCol = f.endColumn16 ?? src.column16(f.file, f.endLine, f.endColumn);
    const props = [
      `file=${escapeProperty(f.file)}`,
      `line=${f.line}`,
      `col=${col}`,
      `endLine=${Math.max(f.line, f.endLine)}`
    ];
    if (f.endLine === f.line && endCol >= col) props.push(`endColumn=${endCol}`);
    props.push(`title=${escapeProperty(`deferguard ${f.severity} [${f.rule}]`)}`);
    const related = f.related.map((r) => `
  ${r.file}:${r.line}:${r.column}: ${r.message}`).join("");
    out.push(`::${commandFor(f.severity)} ${props.join(",")}::${escapeData(f.message + related)}`);
  }
  out.push(escapeData(`deferguard: ${summaryLine(findings)}`));
  return out.join("\n") + "\n";
}

// src/report/golangci.ts
var LINTER = "deferguard";
function format3(findings, _rules, opts = {}) {
  const src = new Sources(opts.source);
  const issues = findings.map((f) => {
    const lines = [];
    for (let l = f.line; l <= Math.max(f.line, f.endLine); l++) {
      const t = src.line(f.file, l);
      if (t === void 0) break;
      lines.push(t);
    }
    const issue = {
      FromLinter: LINTER,
      Text: `${f.rule}: ${f.message}`,
      Severity: f.severity,
      SourceLines: lines,
      Replacement: replacement(f, src)
    };
    if (f.endLine > f.line) issue.LineRange = { From: f.line, To: f.endLine };
    issue.Pos = { Filename: f.file, Offset: f.offset ?? 0, Line: f.line, Column: f.column };
    issue.ExpectNoLint = false;
    issue.ExpectedNoLintLinter = "";
    return issue;
  });
  const report = {
    Issues: issues,
    Report: { Linters: [{ Name: LINTER, Enabled: true, EnabledByDefault: true }] }
  };
  return JSON.stringify(report) + "\n";
}
function replacement(f, src) {
  const fix = f.fixes?.[0];
  if (!fix || fix.edits.length !== 1) return null;
  const e = fix.edits[0];
  if (e.file !== f.file) return null;
  const r = editRange(src, e);
  if (!r || r.startLine !== r.endLine || e.newText.includes("\n")) return null;
  return { NeedOnlyDelete: false, NewLines: null, Inline: { StartCol: r.startColumn - 1, Length: e.endOffset - e.offset, NewString: e.newText } };
}

// src/report/html.ts
function h(text) {
  return escapeHtml(sanitizeTerminal(text, true));
}
var CSS = `
:root{--crit:#b3001b;--high:#d9480f;--med:#b08900;--low:#1c7ed6;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--code:#f6f8fa}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px;border-bottom:1px solid var(--line)}h1{font-size:20px;margin:0 0 6px}
.badges span{display:inline-block;margin-right:8px;padding:2px 8px;border-radius:10px;color:#fff;font-weight:600;font-size:12px}
.b-critical{background:var(--crit)}.b-high{background:var(--high)}.b-medium{background:var(--med)}.b-low{background:var(--low)}
#filters{position:sticky;top:0;background:var(--bg);padding:10px 24px;border-bottom:1px solid var(--line);display:flex;gap:16px;flex-wrap:wrap;align-items:center;z-index:1}
#filters input[type=search]{min-width:260px;padding:4px 8px}main{padding:8px 24px 40px}
h2{font-size:17px;margin:22px 0 8px}h3{font-size:15px;margin:14px 0 6px}h3 a{font-weight:400;font-size:12px;margin-left:6px}
.finding{border:1px solid var(--line);border-left:4px solid var(--muted);border-radius:6px;margin:8px 0;padding:8px 12px}
.finding.critical{border-left-color:var(--crit)}.finding.high{border-left-color:var(--high)}.finding.medium{border-left-color:var(--med)}.finding.low{border-left-color:var(--low)}
.loc{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;color:var(--muted)}.msg{margin:4px 0}
.conf{font-size:12px;color:var(--muted)}ul.related{margin:4px 0;padding-left:18px;font-size:13px}
pre.frame{tab-size:4;background:var(--code);border-radius:4px;padding:6px 0;margin:6px 0 2px;overflow-x:auto;font:12px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace}
pre.frame span{display:block;padding:0 10px;white-space:pre}pre.frame span.hit{background:#fff1c2}pre.frame i{font-style:normal;color:var(--muted);display:inline-block;min-width:4em;text-align:right;margin-right:12px;user-select:none}
.fix{font-size:12px;color:#1a7f37}#shown{color:var(--muted)}.empty{color:var(--muted);font-style:italic}
`;
var SCRIPT = `
(function(){
  var q=document.getElementById('q'),rule=document.getElementById('rule'),boxes=document.querySelectorAll('input[data-sev]');
  var items=document.querySelectorAll('.finding'),groups=document.querySelectorAll('[data-group]'),shown=document.getElementById('shown');
  function apply(){
    var text=q.value.toLowerCase(),r=rule.value,sev={},n=0;
    boxes.forEach(function(b){sev[b.getAttribute('data-sev')]=b.checked;});
    items.forEach(function(el){
      var ok=sev[el.getAttribute('data-severity')]&&(!r||el.getAttribute('data-rule')===r)&&(!text||el.getAttribute('data-text').indexOf(text)>=0);
      el.hidden=!ok;if(ok)n++;
    });
    groups.forEach(function(g){g.hidden=!g.querySelector('.finding:not([hidden])');});
    shown.textContent='showing '+n+' of '+items.length;
  }
  // A link can preselect filters: #q=text&rule=id&sev=critical,high
  var params={};location.hash.replace(/^#/,'').split('&').forEach(function(kv){var i=kv.indexOf('=');if(i>0)params[kv.slice(0,i)]=decodeURIComponent(kv.slice(i+1));});
  if(params.q)q.value=params.q;
  if(params.rule)rule.value=params.rule;
  if(params.sev){var want=params.sev.split(',');boxes.forEach(function(b){b.checked=want.indexOf(b.getAttribute('data-sev'))>=0;});}
  q.addEventListener('input',apply);rule.addEventListener('change',apply);boxes.forEach(function(b){b.addEventListener('change',apply);});
  apply();
})();
`;
function format4(findings, rules, opts = {}) {
  const lookup = ruleLookup(rules);
  const src = new Sources(opts.source);
  const counts = summaryCounts(findings);
  const title = opts.title ?? "deferguard report";
  const ruleIds = [...new Set(findings.map((f) => f.rule))].sort();
  const out = [];
  out.push(
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>"
  );
  out.push(
    "<header>",
    `<h1>${h(title)}</h1>`,
    `<div>${h(summaryLine(findings))} — deferguard ${h(toolVersion(opts))}${opts.timestamp ? ` — ${h(opts.timestamp)}` : ""}</div>`,
    `<div class="badges">${SEVERITIES.map((s) => `<span class="b-${s}">${counts[s]} ${s}</span>`).join("")}</div>`,
    "</header>"
  );
  out.push(
    '<div id="filters">',
    SEVERITIES.map((s) => `<label><input type="checkbox" data-sev="${s}" checked> ${s}</label>`).join(" "),
    `<label>rule <select id="rule"><option value="">all rules</option>${ruleIds.map((r) => `<option value="${h(r)}">${h(r)}</option>`).join("")}</select></label>`,
    '<input type="search" id="q" placeholder="filter by text, file or rule" aria-label="filter by text">',
    '<span id="shown"></span>',
    "</div>"
  );
  out.push("<main>");
  if (findings.length === 0) out.push('<p class="empty">No findings.</p>');
  for (const sev of SEVERITIES) {
    const list2 = findings.filter((f) => f.severity === sev);
    if (list2.length === 0) continue;
    out.push(`<section data-group="${sev}">`, `<h2>${h(sev[0].toUpperCase() + sev.slice(1))} (${list2.length})</h2>`);
    for (const id of [...new Set(list2.map((f) => f.rule))].sort()) {
      const meta = lookup(id, sev);
      const group = list2.filter((f) => f.rule === id);
      out.push(`<div data-group="${sev}/${h(id)}">`, `<h3>${h(id)} (${group.length}) <a href="${h(meta.docUrl)}" rel="noreferrer">docs</a></h3>`);
      if (meta.summary !== id) out.push(`<p class="conf">${h(meta.summary)}</p>`);
      for (const f of group) out.push(findingHtml(f, src, opts));
      out.push("</div>");
    }
    out.push("</section>");
  }
  out.push("</main>", `<script>${SCRIPT}</script>`, "</body>", "</html>");
  return out.join("\n") + "\n";
}
function findingHtml(f, src, opts) {
  const loc = `${f.file}:${f.line}:${f.column}`;
  const locHtml = opts.linkBase ? `<a href="${h(`${opts.linkBase.endsWith("/") ? opts.linkBase : opts.linkBase + "/"}${encodePathForUri(f.file)}#L${f.line}`)}" rel="noreferrer">${h(loc)}</a>` : h(loc);
  const text = `${f.file} ${f.rule} ${f.message} ${f.related.map((r) => r.message).join(" ")}`.toLowerCase();
  const parts = [
    `<article class="finding ${f.severity}" data-severity="${f.severity}" data-rule="${h(f.rule)}" data-text="${h(text)}">`,
    `<div class="loc">${locHtml}</div>`,
    `<div class="msg">${h(f.message)}${f.confidence !== "high" ? ` <span class="conf">(confidence: ${f.confidence})</span>` : ""}</div>`
  ];
  const frame = [];
  for (let l = Math.max(1, f.line - 2); l <= f.line + 2; l++) {
    const t = src.line(f.file, l);
    if (t === void 0) continue;
    const hit = l >= f.line && l <= Math.max(f.line, f.endLine);
    frame.push(`<span${hit ? ' class="hit"' : ""}><i>${l}</i>${h(t)}</span>`);
  }
  if (frame.length > 0) parts.push(`<pre class="frame">${frame.join("")}</pre>`);
  if (f.related.length > 0) {
    parts.push(`<ul class="related">${f.related.map((r) => `<li><span class="loc">${h(`${r.file}:${r.line}:${r.column}`)}</span> ${h(r.message)}</li>`).join("")}</ul>`);
  }
  for (const fix of f.fixes ?? []) parts.push(`<div class="fix">suggested fix: ${h(fix.message)}</div>`);
  parts.push("</article>");
  return parts.join("");
}

// src/report/json.ts
var JSON_REPORT_VERSION = 1;
function format5(findings, rules, opts = {}) {
  const lookup = ruleLookup(rules);
  const byRule = {};
  for (const f of findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  const report = {
    version: JSON_REPORT_VERSION,
    tool: { name: toolName(opts), version: toolVersion(opts), ...opts.timestamp ? { timestamp: opts.timestamp } : {} },
    findings: findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      confidence: f.confidence,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      message: f.message,
      related: f.related.map((r) => ({ file: r.file, line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn, message: r.message })),
      fixes: (f.fixes ?? []).map((x) => ({
        message: x.message,
        edits: x.edits.map((e) => ({ file: e.file, offset: e.offset, endOffset: e.endOffset, newText: e.newText }))
      })),
      fingerprint: f.fingerprint ?? null,
      docUrl: lookup(f.rule, f.severity).docUrl
    })),
    summary: {
      total: findings.length,
      bySeverity: summaryCounts(findings),
      byRule: Object.fromEntries(Object.entries(byRule).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0))
    }
  };
  return toJson(report);
}

// src/report/junit.ts
function format6(findings, rules, opts = {}) {
  const lookup = ruleLookup(rules);
  const byFile = /* @__PURE__ */ new Map();
  for (const f of findings) {
    let l = byFile.get(f.file);
    if (!l) byFile.set(f.file, l = []);
    l.push(f);
  }
  const ts = opts.timestamp ? ` timestamp="${escapeXml(opts.timestamp)}"` : "";
  const total = Math.max(1, findings.length);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="deferguard" tests="${total}" failures="${findings.length}" errors="0">`];
  if (findings.length === 0) {
    out.push(`  <testsuite name="deferguard" tests="1" failures="0" errors="0"${ts}>`);
    out.push('    <testcase name="no findings" classname="deferguard"></testcase>');
    out.push("  </testsuite>");
  }
  for (const file of [...byFile.keys()].sort()) {
    const list2 = byFile.get(file);
    out.push(`  <testsuite name="${escapeXml(file)}" tests="${list2.length}" failures="${list2.length}" errors="0"${ts}>`);
    for (const f of list2) {
      const name = `${f.rule}: ${f.file}:${f.line}:${f.column}`;
      const body = [
        `${f.severity} [${f.rule}] ${f.message}`,
        `at ${f.file}:${f.line}:${f.column}`,
        ...f.related.map((r) => `  ${r.file}:${r.line}:${r.column}: ${r.message}`),
        `docs: ${lookup(f.rule, f.severity).docUrl}`
      ].join("\n");
      out.push(`    <testcase name="${escapeXml(name)}" classname="${escapeXml(f.file)}">`);
      out.push(`      <failure message="${escapeXml(f.message)}" type="${escapeXml(f.severity)}">${escapeXml(body)}</failure>`);
      out.push("    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
}

// src/report/markdown.ts
function url(base, file, line) {
  const u = `${base.endsWith("/") ? base : base + "/"}${encodePathForUri(file)}#L${line}`;
  return u.replace(/[()\s<>]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}
function format7(findings, rules, opts = {}) {
  const lookup = ruleLookup(rules);
  const out = [`## ${escapeMarkdown(opts.title ?? "deferguard")}`, "", `**${escapeMarkdown(summaryLine(findings))}**`];
  for (const sev of SEVERITIES) {
    const list2 = findings.filter((f) => f.severity === sev);
    if (list2.length === 0) continue;
    out.push("", `### ${sev[0].toUpperCase()}${sev.slice(1)} (${list2.length})`, "", "| Location | Rule | Message |", "| --- | --- | --- |");
    for (const f of list2) {
      const locText = escapeMarkdown(`${f.file}:${f.line}:${f.column}`);
      const loc = opts.linkBase ? `[${locText}](${url(opts.linkBase, f.file, f.line)})` : locText;
      const rule = `[${escapeMarkdown(f.rule)}](${lookup(f.rule, f.severity).docUrl.replace(/[()\s<>]/g, encodeURIComponent)})`;
      const related = f.related.map((r) => `<br>↳ ${escapeMarkdown(`${r.file}:${r.line}:${r.column}: ${r.message}`)}`).join("");
      const conf = f.confidence === "high" ? "" : ` *(confidence: ${f.confidence})*`;
      out.push(`| ${loc} | ${rule} | ${escapeMarkdown(f.message)}${conf}${related} |`);
    }
  }
  return out.join("\n") + "\n";
}

// src/report/rdjson.ts
function level2(s) {
  return s === "critical" || s === "high" ? "ERROR" : s === "medium" ? "WARNING" : "INFO";
}
function range(s) {
  return { start: { line: s.line, column: s.column }, end: { line: s.endLine, column: s.endColumn } };
}
function format8(findings, rules, opts = {}) {
  const lookup = ruleLookup(rules);
  const src = new Sources(opts.source);
  const diagnostics = findings.map((f) => {
    const d = {
      message: f.message,
      location: { path: f.file, range: range(f) },
      severity: level2(f.severity),
      source: { name: toolName(opts), url: TOOL_URI },
      code: { value: f.rule, url: lookup(f.rule, f.severity).docUrl }
    };
    const suggestions = [];
    for (const fix of f.fixes ?? []) {
      for (const e of fix.edits) {
        if (e.file !== f.file) continue;
        const r = editRange(src, e);
        if (!r) continue;
        suggestions.push({ range: { start: { line: r.startLine, column: r.startColumn }, end: { line: r.endLine, column: r.endColumn } }, text: e.newText });
      }
    }
    if (suggestions.length > 0) d.suggestions = suggestions;
    if (f.related.length > 0) {
      d.related_locations = f.related.map((r) => ({ message: r.message, location: { path: r.file, range: range(r) } }));
    }
    return d;
  });
  return toJson({ source: { name: toolName(opts), url: TOOL_URI }, severity: "WARNING", diagnostics });
}

// src/report/sarif.ts
var SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
var SRCROOT = "SRCROOT";
function sarifLevel(s) {
  return s === "critical" || s === "high" ? "error" : s === "medium" ? "warning" : "note";
}
function pascal(id) {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}
function ruleDescriptor(r) {
  return {
    id: r.id,
    name: pascal(r.id),
    shortDescription: { text: r.summary },
    fullDescription: { text: r.summary },
    help: {
      text: `${r.summary} Documentation: ${r.docUrl}`,
      markdown: `${r.summary.replace(/[\\`*_[\]<>]/g, (c) => "\\" + c)}

See the [rule documentation](${r.docUrl}).`
    },
    helpUri: r.docUrl,
    defaultConfiguration: { enabled: r.enabledByDefault, level: sarifLevel(r.severity) },
    properties: {
      tags: [r.category, "deferguard"].filter((t, i, a) => t !== "" && a.indexOf(t) === i),
      precision: "high",
      "problem.severity": r.severity === "low" ? "recommendation" : sarifLevel(r.severity),
      severity: r.severity,
      fixable: r.fixable
    }
  };
}
function format9(findings, rules, opts = {}) {
  const src = new Sources(opts.source);
  const lookup = ruleLookup(rules);
  const ordered = [...rules];
  const index = new Map(ordered.map((r, i) => [r.id, i]));
  const extra = [...new Set(findings.map((f) => f.rule).filter((id) => !index.has(id)))].sort();
  for (const id of extra) {
    index.set(id, ordered.length);
    ordered.push(lookup(id, findings.find((f) => f.rule === id).severity));
  }
  const region = (s) => {
    const startColumn = s.column16 ?? src.column16(s.file, s.line, s.column);
    const endColumn = s.endColumn16 ?? src.column16(s.file, s.endLine, s.endColumn);
    const r = { startLine: Math.max(1, s.line), startColumn: Math.max(1, startColumn) };
    if (s.endLine >= s.line && s.endLine > 0) {
      r.endLine = s.endLine;
      if (s.endLine > s.line || endColumn >= startColumn) r.endColumn = Math.max(1, endColumn);
    }
    const snippet = src.line(s.file, s.line);
    if (snippet !== void 0) r.snippet = { text: snippet };
    return r;
  };
  const artifact = (file) => ({ uri: file.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT });
  const replacement2 = (e) => {
    const r = editRange(src, e);
    const deletedRegion = r ? { startLine: r.startLine, startColumn: src.column16(e.file, r.startLine, r.startColumn), endLine: r.endLine, endColumn: src.column16(e.file, r.endLine, r.endColumn) } : { byteOffset: e.offset, byteLength: e.endOffset - e.offset };
    return { deletedRegion, insertedContent: { text: e.newText } };
  };
  const results = findings.map((f) => {
    const result = {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule),
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: artifact(f.file), region: region(f) } }]
    };
    if (f.related.length > 0) {
      result.relatedLocations = f.related.map((r, i) => ({
        id: i + 1,
        physicalLocation: { artifactLocation: artifact(r.file), region: region(r) },
        message: { text: r.message }
      }));
    }
    const pf = sarifPartialFingerprints(f);
    if (Object.keys(pf).length > 0) result.partialFingerprints = pf;
    if (f.fixes && f.fixes.length > 0) {
      result.fixes = f.fixes.map((x) => {
        const byFile = /* @__PURE__ */ new Map();
        for (const e of x.edits) {
          let l = byFile.get(e.file);
          if (!l) byFile.set(e.file, l = []);
          l.push(e);
        }
        return {
          description: { text: x.message },
          artifactChanges: [...byFile.entries()].map(([file, edits]) => ({
            artifactLocation: artifact(file),
            replacements: [...edits].sort((a, b) => a.offset - b.offset).map(replacement2)
          }))
        };
      });
    }
    result.properties = { severity: f.severity, confidence: f.confidence };
    return result;
  });
  const run2 = {
    tool: {
      driver: {
        name: toolName(opts),
        version: toolVersion(opts),
        semanticVersion: toolVersion(opts),
        informationUri: TOOL_URI,
        rules: ordered.map(ruleDescriptor)
      }
    },
    originalUriBaseIds: {
      [SRCROOT]: opts.rootUri ? { uri: opts.rootUri.endsWith("/") ? opts.rootUri : opts.rootUri + "/" } : { description: { text: "The root of the analysed Go module; result paths are relative to it." } }
    },
    columnKind: "utf16CodeUnits",
    results
  };
  if (opts.timestamp) run2.invocations = [{ executionSuccessful: true, endTimeUtc: opts.timestamp }];
  return toJson({ $schema: SARIF_SCHEMA, version: "2.1.0", runs: [run2] });
}

// src/report/text.ts
var COLOURS = { critical: "\x1B[1;31m", high: "\x1B[31m", medium: "\x1B[33m", low: "\x1B[36m" };
var DIM = "\x1B[2m";
var BOLD = "\x1B[1m";
var RESET = "\x1B[0m";
function format10(findings, _rules, opts = {}) {
  const tty = !!opts.tty;
  const src = new Sources(opts.source);
  const paint = (code, s) => tty ? code + s + RESET : s;
  const out = [];
  for (const f of findings) {
    const loc = `${sanitizeTerminal(f.file)}:${f.line}:${f.column}`;
    out.push(`${paint(BOLD, loc)}: ${paint(COLOURS[f.severity], f.severity)} [${sanitizeTerminal(f.rule)}] ${sanitizeTerminal(f.message)}`);
    if (tty) out.push(...codeFrame(src, f, paint));
    for (const r of f.related) {
      out.push(`    ${paint(DIM, `${sanitizeTerminal(r.file)}:${r.line}:${r.column}`)}: ${sanitizeTerminal(r.message)}`);
    }
  }
  out.push(tty && findings.length > 0 ? paint(BOLD, summaryLine(findings)) : summaryLine(findings));
  return out.join("\n") + "\n";
}
function codeFrame(src, f, paint) {
  const text = src.line(f.file, f.line);
  if (text === void 0) return [];
  const safe = sanitizeTerminal(text);
  const gutter = String(f.line).padStart(5) + " | ";
  const bytes = Buffer.from(text, "utf8");
  const before = bytes.subarray(0, Math.max(0, f.column - 1)).toString("utf8");
  const endCol = f.endLine === f.line ? f.endColumn : bytes.length + 1;
  const span = bytes.subarray(Math.max(0, f.column - 1), Math.max(f.column - 1, endCol - 1)).toString("utf8");
  const pad = sanitizeTerminal(before).replace(/[^\t]/g, " ");
  const marks = "^" + "~".repeat(Math.max(0, [...sanitizeTerminal(span)].length - 1));
  return [paint(DIM, gutter) + safe, paint(DIM, " ".repeat(gutter.length - 2) + "| ") + pad + paint(COLOURS[f.severity], marks)];
}

// src/report/index.ts
var FORMATS = {
  text: format10,
  json: format5,
  sarif: format9,
  github: format2,
  checkstyle: format,
  junit: format6,
  rdjson: format8,
  "golangci-json": format3,
  markdown: format7,
  html: format4
};
function formatNames() {
  return Object.keys(FORMATS).sort();
}
var UnknownFormatError = class extends Error {
  constructor(name) {
    super(`unknown output format "${name}": use one of ${formatNames().join(", ")}`);
    this.name = "UnknownFormatError";
  }
};
function render(formatName, findings, rules, opts = {}) {
  const f = Object.hasOwn(FORMATS, formatName) ? FORMATS[formatName] : void 0;
  if (!f) throw new UnknownFormatError(formatName);
  return f(findings, rules, opts);
}

// src/cli/progress.ts
function progressWanted(stream, env) {
  if (!stream.isTTY) return false;
  if (env.CI && env.CI !== "false" && env.CI !== "0") return false;
  if (env.TERM === "dumb") return false;
  return true;
}
function formatElapsed(ms) {
  const s = Math.floor(ms / 1e3);
  if (s < 60) return `${(ms / 1e3).toFixed(1)}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}
var ProgressLine = class {
  constructor(sink, now = Date.now, intervalMs = 100) {
    this.sink = sink;
    this.now = now;
    this.intervalMs = intervalMs;
    this.start = now();
  }
  sink;
  now;
  intervalMs;
  last = 0;
  shown = false;
  start;
  update(p, force = false) {
    const t = this.now();
    if (!force && t - this.last < this.intervalMs && p.done < p.total) return;
    this.last = t;
    const cached = p.cached > 0 ? ` (${p.cached} cached)` : "";
    let line = `deferguard: ${p.done}/${p.total} packages${cached}, ${p.findings} finding${p.findings === 1 ? "" : "s"} so far, ${formatElapsed(t - this.start)}`;
    const width = (this.sink.columns ?? 80) - 1;
    if (line.length > width && width > 10) line = line.slice(0, width);
    this.sink.write(`\r${line}\x1B[K`);
    this.shown = true;
  }
  /** Clears the line (before the report is printed). */
  done() {
    if (this.shown) this.sink.write("\r\x1B[K");
    this.shown = false;
  }
};

// src/cli/args.ts
var UsageError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "UsageError";
  }
};
var FlagReader = class {
  constructor(args) {
    this.args = args;
  }
  args;
  i = -1;
  eq = -1;
  /** The current argument as given. */
  arg = "";
  /** The flag name of the current argument (`--format` for `--format=json`). */
  name = "";
  /** Moves to the next argument; false at the end. */
  next() {
    if (++this.i >= this.args.length) return false;
    this.arg = this.args[this.i];
    this.eq = this.arg.startsWith("--") ? this.arg.indexOf("=") : -1;
    this.name = this.eq > 0 ? this.arg.slice(0, this.eq) : this.arg;
    return true;
  }
  /** The flag's value: after `=`, or the next argument. */
  value() {
    if (this.eq > 0) return this.arg.slice(this.eq + 1);
    const v = this.args[++this.i];
    if (v === void 0) throw new UsageError(`flag ${this.name} needs a value`);
    return v;
  }
  /** A value that names a file. */
  path() {
    const v = this.value();
    if (v.trim() === "") throw new UsageError(`flag ${this.name} needs a file name`);
    return v;
  }
  /** Whether the value was given inline (`--flag=value`). */
  hasInlineValue() {
    return this.eq > 0;
  }
  /** For boolean flags: `--flag=x` is an error. */
  noValue() {
    if (this.eq > 0) throw new UsageError(`flag ${this.name} takes no value`);
  }
};

// src/cli/check.ts
var USAGE = `usage: deferguard [check] [flags] [PATTERN...]

Analyses the Go packages matching the patterns (default ./...) for hazards around defer,
recover and goroutine lifetimes. Run it in a module (or a directory inside one), or point
at one with -C. Relative paths in flags are relative to that directory.

flags:
  -C, --dir DIR              run as if started in DIR
  --config FILE              configuration file (default: .deferguard.yml found upward
                             from the first analysed path, then in $HOME)
  --format NAME[=FILE]       output format, repeatable: ${formatNames().join(", ")}
                             (default text to standard output; =FILE writes to a file)
  --fail-on SEVERITY         exit 1 when a finding is at or above: critical, high (default), medium, low, none
  --min-confidence LEVEL     report only findings of at least this confidence: low (default), medium, high
  --enable ID,...            also run these rules
  --disable ID,...           do not run these rules
  --enable-all               run every rule, including the ones off by default
  --jobs N                   worker threads (default: one per 1.5 usable cores)
  --tags a,b                 build tags
  --no-tests                 skip _test.go files
  --baseline FILE            report only findings not accepted in FILE; list the entries now fixed
  --write-baseline FILE      accept every current finding: write them to FILE
  --new-from-rev REV         report only findings on lines changed since git revision REV
  --new-from-merge-base REF  report only findings on lines changed since the merge base of REF and HEAD
  --new-from-patch FILE      report only findings on lines a unified diff adds or changes
  --fix                      apply the safe suggested fixes in place
  --diff                     print the suggested fixes as a unified diff instead of a report
  --report-unused-ignores    report suppression directives that matched no finding
  --cache-dir DIR            cache directory (default $XDG_CACHE_HOME/deferguard or ~/.cache/deferguard)
  --no-cache                 neither read nor write the cache
  --no-color                 plain text output even on a terminal (also NO_COLOR=1 or CI=true)
  --no-progress              no progress line on a terminal
  -v, --verbose              also print loader, type-checker and cache notes

exit codes: 0 no finding at or above the gate, 1 findings at or above it, 2 usage or
configuration error (also an unwritable output file, or a pattern that matches nothing), 3
internal error (a rule or the analysis failed, a file or directory could not be read, or a fix
would have produced code that does not parse; the other findings are still reported).
`;
function list(v) {
  return v.split(",").map((x) => x.trim()).filter((x) => x !== "");
}
function parseCheckArgs(args) {
  const out = {
    dir: void 0,
    patterns: [],
    formats: [],
    formatsGiven: false,
    failOn: "high",
    failOnGiven: false,
    minConfidence: void 0,
    enable: [],
    disable: [],
    enableAll: false,
    jobs: void 0,
    tags: [],
    color: true,
    tests: true,
    testsGiven: false,
    verbose: false,
    help: false,
    config: void 0,
    baseline: void 0,
    writeBaseline: void 0,
    newFromRev: void 0,
    newFromMergeBase: void 0,
    newFromPatch: void 0,
    fix: false,
    diff: false,
    reportUnusedIgnores: false,
    cacheDir: void 0,
    cache: true,
    progress: true
  };
  const r = new FlagReader(args);
  while (r.next()) {
    const a = r.arg;
    const name = r.name;
    switch (name) {
      case "-h":
      case "--help":
        out.help = true;
        break;
      case "-C":
      case "--dir":
        out.dir = r.value();
        break;
      case "--config":
        out.config = r.path();
        break;
      case "--format": {
        const v = r.value();
        const k = v.indexOf("=");
        const fname = k >= 0 ? v.slice(0, k) : v;
        const file = k >= 0 ? v.slice(k + 1) : void 0;
        if (!Object.hasOwn(FORMATS, fname)) throw new UsageError(`unknown output format "${fname}": use one of ${formatNames().join(", ")}`);
        if (file === "") throw new UsageError(`--format ${fname}=: the file name is empty`);
        const same = file !== void 0 ? out.formats.find((f) => f.file !== void 0 && resolve(f.file) === resolve(file)) : void 0;
        if (same) throw new UsageError(`--format ${same.name}=${same.file} and --format ${fname}=${file} write the same file: give each report its own file`);
        out.formats.push({ name: fname, file });
        out.formatsGiven = true;
        break;
      }
      case "--fail-on":
        try {
          out.failOn = parseFailOn(r.value());
          out.failOnGiven = true;
        } catch (e) {
          throw new UsageError(e.message);
        }
        break;
      case "--min-confidence":
        try {
          out.minConfidence = parseConfidence(r.value());
        } catch (e) {
          throw new UsageError(e.message);
        }
        break;
      case "--enable":
        out.enable.push(...list(r.value()));
        break;
      case "--disable":
        out.disable.push(...list(r.value()));
        break;
      case "--enable-all":
        r.noValue();
        out.enableAll = true;
        break;
      case "--jobs": {
        const v = r.value();
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) throw new UsageError(`invalid --jobs value "${v}": use a whole number from 1 to 256`);
        out.jobs = Number(v);
        break;
      }
      case "--tags":
        out.tags.push(...list(r.value()));
        break;
      case "--no-color":
        r.noValue();
        out.color = false;
        break;
      case "--no-tests":
        r.noValue();
        out.tests = false;
        out.testsGiven = true;
        break;
      case "--baseline":
        out.baseline = r.path();
        break;
      case "--write-baseline":
        out.writeBaseline = r.path();
        break;
      case "--new-from-rev":
        out.newFromRev = r.value();
        break;
      case "--new-from-merge-base":
        out.newFromMergeBase = r.value();
        break;
      case "--new-from-patch":
        out.newFromPatch = r.path();
        break;
      case "--fix":
        r.noValue();
        out.fix = true;
        break;
      case "--diff":
        r.noValue();
        out.diff = true;
        break;
      case "--report-unused-ignores":
        r.noValue();
        out.reportUnusedIgnores = true;
        break;
      case "--cache-dir":
        out.cacheDir = r.path();
        break;
      case "--no-cache":
        r.noValue();
        out.cache = false;
        break;
      case "--no-progress":
        r.noValue();
        out.progress = false;
        break;
      case "-v":
      case "--verbose":
        out.verbose = true;
        break;
      default:
        if (a.startsWith("-")) throw new UsageError(`unknown flag ${a}`);
        out.patterns.push(a);
    }
  }
  if (out.formats.length === 0 && !out.diff) out.formats.push({ name: "text", file: void 0 });
  if (out.formats.filter((f) => f.file === void 0).length > 1) {
    throw new UsageError("only one --format can write to standard output; give the others a file (--format sarif=out.sarif)");
  }
  if (out.diff && out.formats.some((f) => f.file === void 0)) {
    throw new UsageError("--diff prints the fixes to standard output; give every --format a file (--format json=report.json)");
  }
  const scopes = [out.newFromRev, out.newFromMergeBase, out.newFromPatch].filter((x) => x !== void 0);
  if (scopes.length > 1) throw new UsageError("use only one of --new-from-rev, --new-from-merge-base and --new-from-patch");
  if (out.newFromRev !== void 0 && out.newFromRev.trim() === "") throw new UsageError("--new-from-rev needs a revision");
  if (out.newFromMergeBase !== void 0 && out.newFromMergeBase.trim() === "") throw new UsageError("--new-from-merge-base needs a ref");
  if (!out.cache && out.cacheDir !== void 0) throw new UsageError("--no-cache and --cache-dir contradict each other");
  return out;
}
function selectRules(a, cfg) {
  const known = new Set(analyzers.map((x) => x.meta.id));
  for (const id of [...a.enable, ...a.disable]) {
    if (!known.has(id)) throw new UsageError(`unknown rule "${id}": run "deferguard rules" for the list`);
  }
  const on = new Set(a.enableAll || cfg?.enableAll ? known : defaultEnabled());
  for (const [id, s] of Object.entries(cfg?.rules ?? {})) {
    if (s.enabled === true) on.add(id);
    else if (s.enabled === false) on.delete(id);
  }
  for (const id of a.enable) on.add(id);
  for (const id of a.disable) on.delete(id);
  return analyzers.map((x) => x.meta.id).filter((id) => on.has(id));
}
function allRuleMetas(overrides = {}) {
  return [...analyzers.map((a) => a.meta), SYNTAX_ERROR_RULE, INTERNAL_ERROR_RULE, DIRECTIVE_RULE].map(
    (m) => overrides[m.id] ? { ...m, severity: overrides[m.id] } : m
  );
}
function colorWanted(isTTY, flag, env) {
  if (!isTTY || !flag) return false;
  if (env.NO_COLOR !== void 0 && env.NO_COLOR !== "") return false;
  if (env.CI && env.CI !== "false" && env.CI !== "0") return false;
  if (env.TERM === "dumb") return false;
  return true;
}
function configStart(cwd, patterns) {
  const first = patterns[0];
  if (first === void 0) return cwd;
  if (!(first.startsWith(".") || first.startsWith("/"))) return cwd;
  const p = first.replace(/\/\.\.\.$/, "").replace(/^\.\.\.$/, ".");
  return resolve(cwd, p === "" ? "." : p);
}
function resolveConfig(cwd, a, env = process.env) {
  const known = [...analyzers.map((x) => x.meta.id)];
  if (a.config !== void 0) return loadConfig(resolve(cwd, a.config), known);
  const home = env.HOME ?? "";
  const file = findConfig(configStart(cwd, a.patterns), home);
  return file ? loadConfig(file, known) : void 0;
}
function plural(n, one, many = one + "s") {
  return `${n} ${n === 1 ? one : many}`;
}
function describeCache(s, dir) {
  return `cache ${dir}: ${s.hits} hit${s.hits === 1 ? "" : "s"}, ${s.misses} miss${s.misses === 1 ? "" : "es"}${s.invalid ? `, ${s.invalid} unusable entr${s.invalid === 1 ? "y" : "ies"} replaced` : ""}, ${s.writes} written`;
}
async function run(args) {
  const err = (s) => process.stderr.write(`deferguard: ${s}
`);
  let a;
  try {
    a = parseCheckArgs(args);
    if (a.help) {
      process.stdout.write(USAGE);
      return 0;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`deferguard: ${e.message}

${USAGE}`);
      return 2;
    }
    throw e;
  }
  const cwd = resolve(a.dir ?? ".");
  const at = (p) => resolve(cwd, p);
  if (a.dir !== void 0) {
    let isDirectory = false;
    try {
      isDirectory = statSync(cwd).isDirectory();
    } catch {
    }
    if (!isDirectory) {
      process.stderr.write(`deferguard: -C ${a.dir}: ${existsSync(cwd) ? "not a directory" : "no such directory"}
`);
      return 2;
    }
  }
  let cfg;
  let enable;
  let exclude;
  try {
    cfg = resolveConfig(cwd, a);
    enable = selectRules(a, cfg);
    try {
      exclude = new Excluder({ globs: cfg?.exclude ?? [], defaults: cfg?.excludeDefaults ?? true });
    } catch (e) {
      if (e instanceof GlobError) throw new UsageError(`${cfg?.file ?? "configuration"}: exclude: ${e.message}`);
      throw e;
    }
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
  const failOn = a.failOnGiven ? a.failOn : cfg?.failOn ?? "high";
  const minConfidence = a.minConfidence ?? cfg?.minConfidence ?? "low";
  const tags = a.tags.length > 0 ? a.tags : cfg?.tags ?? [];
  const tests = a.testsGiven ? a.tests : cfg?.tests ?? true;
  const reportUnused = a.reportUnusedIgnores || (cfg?.reportUnusedIgnores ?? false);
  const baselinePath = a.baseline !== void 0 ? at(a.baseline) : cfg?.baseline !== void 0 && cfg.file ? resolve(dirname(cfg.file), cfg.baseline) : void 0;
  const overrides = {};
  for (const [id, s] of Object.entries(cfg?.rules ?? {})) if (s.severity) overrides[id] = s.severity;
  if (a.verbose) err(`note: configuration: ${cfg?.file ?? "none (built-in defaults)"}`);
  let baseline;
  let patch;
  try {
    for (const f of a.formats) if (f.file !== void 0) checkWritable(at(f.file), `the ${f.name} report`, f.file);
    if (a.writeBaseline !== void 0) checkWritable(at(a.writeBaseline), "the baseline", a.writeBaseline);
    if (baselinePath !== void 0 && a.writeBaseline === void 0) baseline = readBaselineFile(baselinePath);
    if (a.newFromPatch !== void 0) {
      let text;
      try {
        text = readFileSync2(at(a.newFromPatch), "utf8");
      } catch (e) {
        throw new UsageError(`cannot read the patch ${a.newFromPatch}: ${e.code === "ENOENT" ? "no such file" : e.message}`);
      }
      patch = parseUnifiedDiff(text);
    }
  } catch (e) {
    if (e instanceof OutputError || e instanceof BaselineError || e instanceof UsageError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
  const cache = a.cache ? new AnalysisCache(a.cacheDir !== void 0 ? at(a.cacheDir) : defaultCacheDir()) : void 0;
  const progress = a.progress && progressWanted(process.stderr, process.env) ? new ProgressLine({ isTTY: true, columns: process.stderr.columns, write: (s) => process.stderr.write(s) }) : void 0;
  let result;
  try {
    result = await analyze({
      cwd,
      patterns: a.patterns,
      tags,
      jobs: a.jobs,
      registry: REGISTRY_URL,
      enable,
      tests,
      options: cfg?.ruleOptions,
      exclude,
      knownRules: analyzers.map((x) => x.meta.id),
      cache,
      toolVersion: version(),
      ...progress ? { onProgress: (p) => progress.update(p) } : {}
    });
  } catch (e) {
    progress?.done();
    if (e instanceof DriverError) {
      err(e.message);
      return 3;
    }
    throw e;
  }
  progress?.done();
  for (const w of result.warnings) err(`warning: ${w}`);
  for (const e of result.loadErrors) err(`warning: ${e}`);
  const unread = [...new Set([...result.loadErrors, ...result.notes].filter(isReadFailure))].sort();
  for (const n of result.notes) if (isReadFailure(n) && !result.loadErrors.includes(n)) err(`warning: ${n}`);
  if (a.verbose) {
    for (const n of result.notes) err(`note: ${n}`);
    err(`note: ${plural(result.packages, "package")}, ${plural(result.files, "file")} via ${result.via}; ${result.excludedFiles} excluded; ${result.suppressed} suppressed`);
    if (result.fallbackReason) err(`note: packages found without go list: ${result.fallbackReason}`);
    if (cache && result.cache) err(`note: ${describeCache(result.cache, cache.dir)}`);
    if (result.bodies.total > 0) err(`note: ${result.bodies.pruned} of ${plural(result.bodies.total, "function body", "function bodies")} held nothing the enabled rules look at and were not analysed`);
  }
  for (const w of cache?.warnings ?? []) err(`warning: ${w}`);
  if (result.packages === 0) {
    err(`no Go packages matched ${(a.patterns.length ? a.patterns : ["./..."]).join(" ")} in ${cwd}`);
    if (result.loadErrors.some((e) => e.startsWith("pattern "))) return 2;
  }
  const root = result.root;
  const original = /* @__PURE__ */ new Map();
  const bytesOf = (file) => {
    let b = original.get(file);
    if (b === void 0) {
      try {
        b = readFileSync2(isAbsolute(file) ? file : join(root, file));
      } catch {
        b = null;
      }
      original.set(file, b);
    }
    return b ?? void 0;
  };
  const source = (file) => bytesOf(file)?.toString("utf8");
  const lineCache = /* @__PURE__ */ new Map();
  const lines = (file) => {
    if (!lineCache.has(file)) {
      const t = source(file);
      lineCache.set(file, t === void 0 ? void 0 : splitLines(t));
    }
    return lineCache.get(file);
  };
  let findings = filterByConfidence(result.findings, minConfidence).map((f) => overrides[f.rule] ? { ...f, severity: overrides[f.rule] } : f);
  const dirSeverity = overrides[DIRECTIVE_RULE.id] ?? DIRECTIVE_RULE.severity;
  findings.push(...diagnosticsToFindings(result.directiveProblems, dirSeverity));
  if (reportUnused) findings.push(...diagnosticsToFindings(result.unusedIgnores, dirSeverity));
  findings = computeFingerprints(findings, lines);
  if (a.writeBaseline !== void 0) {
    baseline = createBaseline(findings, version());
    try {
      writeFileAtomic(at(a.writeBaseline), serializeBaseline(baseline), "the baseline", a.writeBaseline);
    } catch (e) {
      err(e.message);
      return 2;
    }
    err(`baseline: wrote ${plural(baseline.entries.length, "accepted finding")} to ${a.writeBaseline}`);
  }
  if (baseline) {
    const r = applyBaseline(findings, baseline);
    findings = r.fresh;
    if (a.writeBaseline === void 0) reportBaseline(err, baselinePath, r.baselined.length, r.fixed);
  }
  try {
    if (a.newFromRev !== void 0) patch = await changesSinceRev(a.newFromRev, { cwd: root });
    else if (a.newFromMergeBase !== void 0) patch = await changesSinceMergeBase(a.newFromMergeBase, { cwd: root });
  } catch (e) {
    if (e instanceof DiffError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
  if (patch) {
    const s = scopeToDiff(findings, patch);
    findings = s.kept;
    if (a.verbose) err(`note: ${plural(s.dropped.length, "finding")} outside the changed lines not reported`);
  }
  findings.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0) || x.line - y.line || x.column - y.column || (x.rule < y.rule ? -1 : x.rule > y.rule ? 1 : 0));
  let brokenFixes = false;
  if (a.fix || a.diff) {
    const fixable = new Set(analyzers.filter((x) => x.meta.fixable).map((x) => x.meta.id));
    const plan = planFixes(findings, (r) => fixable.has(r), bytesOf);
    brokenFixes = plan.broken.length > 0;
    for (const b of plan.broken) {
      err(`error: the fixes for ${b.file} would not parse (${b.error}); the file is not changed. Fixes of: ${b.findings.map((f) => `${f.rule} at line ${f.line}`).join(", ")}`);
    }
    if (a.verbose) for (const s of plan.skipped) err(`note: fix of ${s.finding.rule} at ${s.finding.file}:${s.finding.line} not applied: ${s.reason}`);
    if (a.diff) {
      process.stdout.write(plan.files.map((f) => unifiedDiff(f.file, f.before.toString("utf8"), f.after.toString("utf8"))).join(""));
    }
    if (a.fix) {
      const code = writeFixes(plan, root, err);
      if (code !== 0) return code;
      const fixed = new Set(plan.files.flatMap((f) => f.fixed));
      findings = findings.filter((f) => !fixed.has(f));
    }
  }
  const rules = allRuleMetas(overrides);
  const tty = colorWanted(process.stdout.isTTY, a.color, process.env);
  for (const f of a.formats) {
    const text = render(f.name, findings, rules, {
      toolVersion: version(),
      source,
      tty: f.file === void 0 && f.name === "text" ? tty : false,
      rootUri: pathToFileURL(root + "/").href
    });
    if (f.file === void 0) process.stdout.write(text);
    else {
      try {
        writeFileAtomic(at(f.file), text, `the ${f.name} report`, f.file);
      } catch (e) {
        err(e.message);
        return 2;
      }
    }
  }
  if (a.diff && !a.formatsGiven) err(summaryLine(findings));
  if (unread.length > 0) {
    err(`error: ${plural(unread.length, "file or directory", "files or directories")} could not be read and ${unread.length === 1 ? "was" : "were"} not analysed (see the warnings above); the findings of everything else are reported`);
  }
  if (brokenFixes || unread.length > 0 || findings.some((f) => f.rule === INTERNAL_ERROR_RULE.id)) return 3;
  return applyGate(findings, failOn).failed ? 1 : 0;
}
function reportBaseline(err, file, accepted, fixed) {
  const head = `baseline ${file}: ${plural(accepted, "accepted finding")} still present`;
  if (fixed.length === 0) {
    err(`${head}, none fixed`);
    return;
  }
  err(`${head}; ${plural(fixed.length, "entry", "entries")} fixed since it was written (shrink it with --write-baseline):`);
  for (const e of fixed) err(`  fixed: ${e.file}:${e.line}: [${e.rule}] ${e.message}`);
}
function writeFixes(plan, root, err) {
  let n = 0;
  for (const f of plan.files) {
    try {
      writeFileAtomic(isAbsolute(f.file) ? f.file : join(root, f.file), f.after, "the fixed file", f.file);
    } catch (e) {
      err(e.message);
      return 2;
    }
    n += f.fixed.length;
  }
  if (n > 0) err(`fixed ${plural(n, "finding")} in ${plural(plan.files.length, "file")}`);
  return 0;
}

export {
  BaselineError,
  readBaselineFile,
  applyBaseline,
  parseUnifiedDiff,
  scopeToDiff,
  computeFingerprints,
  splitLines,
  summaryLine,
  FORMATS,
  formatNames,
  render,
  UsageError,
  FlagReader,
  parseCheckArgs,
  selectRules,
  allRuleMetas,
  colorWanted,
  configStart,
  resolveConfig,
  run
};
