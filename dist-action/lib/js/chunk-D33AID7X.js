import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  DriverError,
  analyze
} from "./chunk-PVR3H62W.js";
import {
  parseFile
} from "./chunk-BEBMU46B.js";
import {
  REGISTRY_URL,
  analyzers
} from "./chunk-BNGGAWJJ.js";
import {
  docUrl,
  severityRank
} from "./chunk-X2CHC4MP.js";
import {
  end,
  forEachChild,
  pos
} from "./chunk-YTCJ642O.js";

// src/runtime/group.ts
var BLOCK_KINDS = [
  [/^chan (receive|send)( \(nil chan\))?$/, "chan"],
  [/^select( \(no cases\))?$/, "select"],
  [/^(sync\.(RW)?Mutex\.R?Lock|semacquire)$/, "mutex"],
  [/^sync\.WaitGroup\.Wait$/, "waitgroup"],
  [/^sync\.Cond\.Wait$/, "cond"],
  [/^IO wait$/, "io"],
  [/^sleep$/, "sleep"],
  [/^(chan receive|chan send|select|sync\.WaitGroup\.Wait|synctest\.Wait|synctest\.Run)/, "other"]
];
function blockKind(state, frames = []) {
  if (state === "semacquire") {
    if (frames.some((f) => f.func === "sync.(*WaitGroup).Wait")) return "waitgroup";
    if (frames.some((f) => f.func === "sync.(*Cond).Wait")) return "cond";
  }
  for (const [re, kind] of BLOCK_KINDS) if (re.test(state)) return kind;
  return void 0;
}
function guessGoroot(frames) {
  let fallback;
  for (const f of frames) {
    if (f.func.startsWith("runtime.") || f.func === "panic") {
      const m = /^(.*)\/src\/runtime\/[^/]+\.(go|s)$/.exec(f.file);
      if (m && m[1] !== "") return m[1];
    }
    if (fallback === void 0 && looksStdPackage(funcPackage(f.func))) {
      const pkg = funcPackage(f.func);
      const i = f.file.lastIndexOf(`/src/${pkg}/`);
      if (i > 0 && f.file.indexOf("/", i + `/src/${pkg}/`.length) < 0) fallback = f.file.slice(0, i);
    }
  }
  return fallback;
}
function funcPackage(func) {
  const slash = func.lastIndexOf("/");
  const dot = func.indexOf(".", slash + 1);
  return dot < 0 ? func : func.slice(0, dot);
}
function looksStdPackage(pkg) {
  return pkg !== "main" && pkg !== "" && !pkg.split("/")[0].includes(".") && !pkg.includes("_test");
}
function isStdFrame(f, goroot) {
  if (f.func === "?" || f.func === "panic") return true;
  if (f.func.startsWith("runtime.") || f.func.startsWith("internal/") || f.func.startsWith("runtime/")) return true;
  if (goroot !== void 0 && f.file.startsWith(`${goroot}/src/`)) return true;
  const absolute = f.file.startsWith("/") || /^[A-Za-z]:[\\/]/.test(f.file);
  if (goroot !== void 0 && absolute) return false;
  return looksStdPackage(funcPackage(f.func));
}
var POINTER_MIN = 65536;
function argShape(args, sim) {
  if (args === void 0 || sim === "any") return "";
  if (sim === "exact") return args;
  return args.replace(/0x[0-9a-fA-F]+\??/g, (v) => {
    const n = parseInt(v.replace("?", ""), 16);
    return n >= POINTER_MIN ? "*" : v.replace("?", "");
  });
}
function frameKey(f, sim) {
  return `${f.func}\0${f.file}:${f.line}\0${argShape(f.args, sim)}`;
}
function mergeArgs(a, b) {
  if (a === b) return a;
  if (a === void 0 || b === void 0) return a ?? b;
  const pa = a.split(", ");
  const pb = b.split(", ");
  if (pa.length !== pb.length) return "*";
  return pa.map((x, i) => x === pb[i] ? x : "*").join(", ");
}
function sameLabels(a, b) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
var DEFER_RUNNERS = /* @__PURE__ */ new Set(["panic", "runtime.gopanic", "runtime.deferreturn", "runtime.runOpenDeferFrame", "runtime.deferCallSave"]);
function findStuckDefer(frames, opts = {}) {
  const goroot = opts.goroot;
  const callerAfter = (j) => {
    for (let k = j; k < frames.length; k++) {
      const f = frames[k];
      if (!DEFER_RUNNERS.has(f.func) && !f.func.startsWith("runtime.")) return f;
    }
    return void 0;
  };
  const deferredAt = (i) => {
    const f = frames[i];
    if (!isStdFrame(f, goroot)) return f;
    for (let k = i; k >= 0; k--) if (!isStdFrame(frames[k], goroot)) return frames[k];
    return f;
  };
  const result = (i, caller, via, confirmed) => ({
    file: caller.file,
    line: caller.line,
    deferred: deferredAt(i),
    caller,
    via,
    confirmed
  });
  for (let i = 0; i + 1 < frames.length; i++) {
    const f = frames[i];
    const next = frames[i + 1];
    if (DEFER_RUNNERS.has(f.func)) continue;
    if (/\.deferwrap\d+$/.test(f.func)) {
      const caller = callerAfter(i + 1);
      if (caller) return result(i > 0 ? i - 1 : i, caller, "deferwrap", true);
    }
    if (DEFER_RUNNERS.has(next.func)) {
      const caller = callerAfter(i + 2);
      if (caller && !f.func.startsWith("runtime.")) {
        return result(i, caller, next.func === "panic" || next.func === "runtime.gopanic" ? "panic" : "deferreturn", true);
      }
    }
    if (isStdFrame(next, goroot)) continue;
    const text = opts.sourceLine?.(next.file, next.line);
    if (text !== void 0) {
      if (text.trim() === "}") return result(i, next, "exit", true);
    } else if (f.func.startsWith(`${next.func}.func`) && /^\d+(\.\d+)*$/.test(f.func.slice(next.func.length + 5))) {
      return result(i, next, "exit", false);
    }
  }
  return void 0;
}
function samplesFromTraceback(dump) {
  return dump.goroutines.map((g) => {
    const s = {
      count: 1,
      ids: [g.id],
      state: g.state,
      leaked: g.leaked,
      locked: g.lockedToThread,
      minutes: g.waitMinutes,
      frames: g.frames,
      elided: g.elided
    };
    if (g.labels) s.labels = g.labels;
    if (g.createdBy) s.createdBy = g.createdBy;
    return s;
  });
}
function samplesFromProfile(dump) {
  const leaked = dump.profile === "goroutineleak";
  return dump.groups.map((g) => {
    const s = {
      count: g.count,
      ids: [],
      state: leaked ? "leaked" : "",
      leaked,
      locked: false,
      minutes: 0,
      frames: g.frames,
      elided: false
    };
    if (g.labels) s.labels = g.labels;
    return s;
  });
}
function analyze2(dump, opts = {}) {
  const sim = opts.similarity ?? "any";
  const samples = dump.format === "traceback" ? samplesFromTraceback(dump) : samplesFromProfile(dump);
  const goroot = opts.goroot ?? guessGoroot(samples.flatMap((s) => s.frames));
  const o = { ...opts, similarity: sim };
  if (goroot !== void 0) o.goroot = goroot;
  const minLong = opts.minBlockedMinutes ?? 1;
  const byKey = /* @__PURE__ */ new Map();
  const order = [];
  for (const s of samples) {
    const cb = s.createdBy ? `${s.createdBy.func}\0${s.createdBy.file}:${s.createdBy.line}` : "";
    const labelKey = dump.format === "debug1" ? JSON.stringify(s.labels ?? null) : "";
    const key = [s.state, cb, labelKey, ...s.frames.map((f) => frameKey(f, sim))].join("");
    let g = byKey.get(key);
    if (!g) {
      g = {
        index: 0,
        count: 0,
        state: s.state,
        leaked: 0,
        lockedToThread: 0,
        ids: [],
        minutes: { min: s.minutes, max: s.minutes },
        frames: s.frames.map((f) => ({ ...f })),
        blockedLong: false,
        elided: false
      };
      if (s.labels) g.labels = s.labels;
      if (s.createdBy) {
        g.createdBy = s.createdBy;
        g.createdAt = { file: s.createdBy.file, line: s.createdBy.line };
      }
      byKey.set(key, g);
      order.push(key);
    } else {
      g.frames.forEach((f, i) => {
        const merged = mergeArgs(f.args, s.frames[i].args);
        if (merged !== void 0) f.args = merged;
        if (f.pcOffset !== s.frames[i].pcOffset) delete f.pcOffset;
      });
      if (!sameLabels(g.labels, s.labels)) g.labelsMixed = true;
    }
    g.count += s.count;
    g.ids.push(...s.ids);
    if (s.leaked) g.leaked += s.count;
    if (s.locked) g.lockedToThread += s.count;
    g.minutes.min = Math.min(g.minutes.min, s.minutes);
    g.minutes.max = Math.max(g.minutes.max, s.minutes);
    g.elided ||= s.elided;
  }
  const groups = [];
  for (const key of order) {
    const g = byKey.get(key);
    if (g.labelsMixed) delete g.labels;
    delete g.labelsMixed;
    g.ids.sort((a, b) => a - b);
    const top = g.frames.find((f) => !isStdFrame(f, goroot));
    if (top) g.topUserFrame = top;
    const kind = blockKind(g.state, g.frames);
    if (kind) g.blocked = kind;
    g.blockedLong = kind !== void 0 && g.minutes.max >= minLong && g.minutes.max > 0;
    const sd = findStuckDefer(g.frames, o);
    if (sd) g.stuckDefer = sd;
    groups.push(g);
  }
  groups.sort(
    (a, b) => b.count - a.count || cmp(a.state, b.state) || cmp(a.topUserFrame?.func ?? a.frames[0]?.func ?? "", b.topUserFrame?.func ?? b.frames[0]?.func ?? "") || (a.ids[0] ?? 0) - (b.ids[0] ?? 0) || cmp(JSON.stringify(a.frames), JSON.stringify(b.frames))
  );
  groups.forEach((g, i) => g.index = i + 1);
  const out = {
    format: dump.format,
    kind: dump.format === "traceback" ? dump.kind : dump.profile,
    total: dump.format === "traceback" ? dump.goroutines.length : dump.total,
    groups,
    panics: dump.format === "traceback" ? dump.panics : [],
    truncated: dump.truncated
  };
  if (goroot !== void 0) out.goroot = goroot;
  if (dump.format === "traceback") {
    if (dump.signal) out.signal = dump.signal;
    if (dump.fatalError) out.fatalError = dump.fatalError;
    if (dump.testTimeout) out.testTimeout = dump.testTimeout;
  }
  return out;
}
function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// src/runtime/goroutines.ts
var DumpParseError = class extends Error {
};
var HEADER_RE = /^goroutine (\d+)(?: gp=\S+)?(?: m=\S+)?(?: mp=\S+)?\s*\[(.*)\]:?\s*$/;
var FILE_RE = /^\s+(.*?):(\d+)(?: \+0x([0-9a-fA-F]+))?(?: fp=0x[0-9a-fA-F]+ sp=0x[0-9a-fA-F]+ pc=0x[0-9a-fA-F]+)?\s*$/;
var CREATED_RE = /^created by (\S.*?)(?: in goroutine (\d+))?\s*$/;
var ANCESTOR_RE = /^\[originating from goroutine (\d+)\]:\s*$/;
var ELIDED_RE = /^\.\.\.(\d+) frames elided\.\.\.\s*$/;
var ADDITIONAL_ELIDED = "...additional frames elided...";
var PROFILE_HEADER_RE = /^(\w[\w.-]*) profile: total (\d+)\s*$/;
function parseDump(text) {
  const first = firstNonBlankLine(text);
  if (first !== void 0 && PROFILE_HEADER_RE.test(first)) return parseProfile(text);
  const dump = parseTraceback(text);
  if (dump.goroutines.length === 0) {
    const hint = first === void 0 ? "the input is empty" : `it starts with ${JSON.stringify(first.slice(0, 80))}`;
    throw new DumpParseError(
      `not a goroutine dump: no "goroutine N [state]:" header and no "goroutine profile: total N" line (${hint})`
    );
  }
  return dump;
}
function firstNonBlankLine(text) {
  for (const raw of splitLines(text)) {
    if (raw.trim() !== "") return raw.trim();
  }
  return void 0;
}
function splitLines(text) {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) if (lines[i].endsWith("\r")) lines[i] = lines[i].slice(0, -1);
  return lines;
}
function splitCall(s) {
  const t = s.trimEnd();
  if (!t.endsWith(")")) return void 0;
  let depth = 0;
  for (let i = t.length - 1; i >= 0; i--) {
    const c = t[i];
    if (c === ")") depth++;
    else if (c === "(") {
      depth--;
      if (depth === 0) {
        const func = t.slice(0, i);
        if (func === "" || /\s/.test(func)) return void 0;
        return { func, args: t.slice(i + 1, -1) };
      }
    }
  }
  return void 0;
}
function parseHeaderStatus(inner) {
  let rest = inner;
  let labels;
  const li = rest.indexOf(" labels:{");
  if (li >= 0 && rest.endsWith("}")) {
    labels = parseLabelSet(rest.slice(li + " labels:".length));
    rest = rest.slice(0, li);
  }
  const parts = rest.split(", ");
  let state = parts[0].trim();
  let leaked = false;
  let durable = false;
  for (; ; ) {
    if (state.endsWith(" (leaked)")) {
      leaked = true;
      state = state.slice(0, -" (leaked)".length);
    } else if (state.endsWith(" (scan)")) {
      state = state.slice(0, -" (scan)".length);
    } else if (state.endsWith(" (durable)")) {
      durable = true;
      state = state.slice(0, -" (durable)".length);
    } else break;
  }
  if (state === "leaked") leaked = true;
  const info = { state, waitMinutes: 0, lockedToThread: false, leaked, durable };
  for (const p of parts.slice(1)) {
    const part = p.trim();
    let m;
    if (m = /^(\d+) minutes?$/.exec(part)) info.waitMinutes = Number(m[1]);
    else if (part === "locked to thread") info.lockedToThread = true;
    else if (m = /^synctest bubble (\d+)$/.exec(part)) info.bubble = Number(m[1]);
  }
  if (labels) info.labels = labels;
  return info;
}
function parseLabelSet(text) {
  const s = text.trim();
  if (!s.startsWith("{") || !s.endsWith("}")) return void 0;
  const out = {};
  let i = 1;
  const end2 = s.length - 1;
  const skipSpace = () => {
    while (i < end2 && (s[i] === " " || s[i] === "	")) i++;
  };
  skipSpace();
  while (i < end2) {
    const key = readQuoted(s, i);
    if (!key) return void 0;
    i = key.next;
    skipSpace();
    if (s[i] !== ":") return void 0;
    i++;
    skipSpace();
    const value = readQuoted(s, i);
    if (!value) return void 0;
    i = value.next;
    out[key.value] = value.value;
    skipSpace();
    if (s[i] === ",") {
      i++;
      skipSpace();
    } else if (i < end2) return void 0;
  }
  return out;
}
function readQuoted(s, i) {
  if (s[i] !== '"') return void 0;
  let out = "";
  let j = i + 1;
  while (j < s.length) {
    const c = s[j];
    if (c === '"') return { value: out, next: j + 1 };
    if (c !== "\\") {
      out += c;
      j++;
      continue;
    }
    const e = s[j + 1];
    if (e === void 0) return void 0;
    const simple = { n: "\n", t: "	", r: "\r", '"': '"', "\\": "\\", "'": "'", a: "\x07", b: "\b", f: "\f", v: "\v" };
    if (simple[e] !== void 0) {
      out += simple[e];
      j += 2;
    } else if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = s.slice(j + 2, j + 2 + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) return void 0;
      out += e === "x" ? String.fromCharCode(parseInt(hex, 16)) : String.fromCodePoint(parseInt(hex, 16));
      j += 2 + n;
    } else if (/[0-7]/.test(e)) {
      const oct = s.slice(j + 1, j + 4);
      if (!/^[0-7]{3}$/.test(oct)) return void 0;
      out += String.fromCharCode(parseInt(oct, 8));
      j += 4;
    } else return void 0;
  }
  return void 0;
}
function parseFileLine(line) {
  if (!(line.startsWith("	") || line.startsWith(" "))) return void 0;
  const m = FILE_RE.exec(line);
  if (!m || m[1] === "") return void 0;
  const out = { file: m[1], line: Number(m[2]) };
  if (m[3] !== void 0) out.pcOffset = parseInt(m[3], 16);
  return out;
}
function parseTraceback(text) {
  const lines = splitLines(text);
  const dump = { format: "traceback", kind: "stacks", goroutines: [], panics: [], truncated: false };
  let g;
  let target;
  let runningTests;
  const finish = () => {
    if (g) dump.goroutines.push(g);
    g = void 0;
    target = void 0;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const header = HEADER_RE.exec(line);
    if (header) {
      finish();
      const info = parseHeaderStatus(header[2]);
      g = {
        id: Number(header[1]),
        state: info.state,
        waitMinutes: info.waitMinutes,
        lockedToThread: info.lockedToThread,
        leaked: info.leaked,
        frames: [],
        ancestors: [],
        elided: false,
        line: i + 1
      };
      if (info.durable) g.durable = true;
      if (info.bubble !== void 0) g.bubble = info.bubble;
      if (info.labels) g.labels = info.labels;
      target = g;
      continue;
    }
    if (!g || !target) {
      const t = line.trim();
      let m;
      if (m = /^panic: test timed out after (\S+)/.exec(t)) {
        dump.testTimeout = { after: m[1], running: [] };
        runningTests = dump.testTimeout.running;
        dump.panics.push(t.slice("panic: ".length));
      } else if (runningTests && /^\S.* \([^)]*\)$/.test(t) && line.startsWith("		")) {
        runningTests.push(t.replace(/ \([^)]*\)$/, ""));
      } else if (t.startsWith("panic: ")) {
        dump.panics.push(t.slice("panic: ".length));
      } else if (t.startsWith("fatal error: ")) {
        dump.fatalError ??= t.slice("fatal error: ".length);
      } else if (m = /^(SIG[A-Z0-9]+: .+)$/.exec(t)) {
        dump.signal ??= m[1];
      } else if (m = /^\[signal (SIG[A-Z0-9]+: .*?)(?: code=.*)?\]$/.exec(t)) {
        dump.signal ??= m[1];
      }
      continue;
    }
    if (line.trim() === "") {
      finish();
      continue;
    }
    const anc = ANCESTOR_RE.exec(line);
    if (anc) {
      const a = { id: Number(anc[1]), frames: [], elided: false };
      g.ancestors.push(a);
      target = a;
      continue;
    }
    if (line.trim() === ADDITIONAL_ELIDED) {
      target.elided = true;
      continue;
    }
    const el = ELIDED_RE.exec(line.trim());
    if (el) {
      target.elided = true;
      target.elidedCount = (target.elidedCount ?? 0) + Number(el[1]);
      continue;
    }
    if (/^\s*goroutine running on other thread; stack unavailable/.test(line)) {
      g.stackUnavailable = true;
      continue;
    }
    const created = CREATED_RE.exec(line);
    if (created) {
      const loc3 = i + 1 < lines.length ? parseFileLine(lines[i + 1]) : void 0;
      if (!loc3) {
        if (atEnd(lines, i + 1)) dump.truncated = true;
        continue;
      }
      i++;
      const cb = { func: created[1], file: loc3.file, line: loc3.line };
      if (loc3.pcOffset !== void 0) cb.pcOffset = loc3.pcOffset;
      if (created[2] !== void 0) cb.goroutine = Number(created[2]);
      target.createdBy = cb;
      continue;
    }
    if (line.startsWith("	") || line.startsWith(" ")) continue;
    const call = splitCall(line);
    if (!call) continue;
    const next = lines[i + 1];
    const loc2 = next !== void 0 ? parseFileLine(next) : void 0;
    if (!loc2) {
      if (atEnd(lines, i + 1)) dump.truncated = true;
      continue;
    }
    i++;
    const frame = { func: call.func, file: loc2.file, line: loc2.line };
    if (loc2.pcOffset !== void 0) frame.pcOffset = loc2.pcOffset;
    if (call.args === "...") frame.inlined = true;
    else frame.args = call.args;
    target.frames.push(frame);
  }
  if (g && g.frames.length === 0 && g.ancestors.length === 0 && !g.stackUnavailable && atEnd(lines, g.line)) {
    dump.truncated = true;
  }
  finish();
  dump.kind = dump.testTimeout ? "test-timeout" : dump.signal && !dump.panics.length ? "signal" : dump.panics.length ? "panic" : dump.fatalError ? "fatal" : "stacks";
  return dump;
}
function atEnd(lines, from) {
  for (let j = from; j < lines.length; j++) if (lines[j].trim() !== "") return false;
  return true;
}
function parseProfile(text) {
  const lines = splitLines(text);
  let i = 0;
  while (i < lines.length && lines[i].trim() === "") i++;
  const head = PROFILE_HEADER_RE.exec((lines[i] ?? "").trim());
  if (!head) {
    throw new DumpParseError(
      `not a pprof debug=1 profile: expected "goroutine profile: total N" on the first line, got ${JSON.stringify((lines[i] ?? "").slice(0, 80))}`
    );
  }
  const dump = { format: "debug1", profile: head[1], total: Number(head[2]), groups: [], truncated: false };
  let grp;
  for (i++; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    let m;
    if (m = /^(\d+) @((?: 0x[0-9a-fA-F]+)*)\s*$/.exec(t)) {
      grp = { count: Number(m[1]), pcs: m[2].trim() === "" ? [] : m[2].trim().split(/\s+/), frames: [], line: i + 1 };
      dump.groups.push(grp);
      continue;
    }
    if (!grp) continue;
    if (t.startsWith("# labels:")) {
      const labels = parseLabelSet(t.slice("# labels:".length));
      if (labels) grp.labels = labels;
      continue;
    }
    if (t.startsWith("#")) {
      const fields = t.slice(1).split("	").map((f) => f.trim()).filter((f) => f !== "");
      if (fields.length >= 3 && /^0x[0-9a-fA-F]+$/.test(fields[0])) {
        const fm = /^(.*)\+0x([0-9a-fA-F]+)$/.exec(fields[1]);
        const lm = /^(.*):(\d+)$/.exec(fields.slice(2).join("	"));
        if (fm && lm) {
          grp.frames.push({ func: fm[1], file: lm[1], line: Number(lm[2]), pcOffset: parseInt(fm[2], 16), pc: fields[0] });
          continue;
        }
      }
      if (fields.length >= 1 && /^0x[0-9a-fA-F]+$/.test(fields[0]) && fields.length === 1) {
        grp.frames.push({ func: "?", file: "", line: 0, pc: fields[0] });
      }
      continue;
    }
    if (t === "") grp = void 0;
  }
  if (dump.groups.length > 0) {
    const last = dump.groups[dump.groups.length - 1];
    if (last.frames.length === 0 || !text.endsWith("\n")) dump.truncated = true;
  }
  return dump;
}

// src/runtime/render.ts
function makeRelativizer(sourceDir2, exists) {
  const root = sourceDir2.replace(/\\/g, "/").replace(/\/+$/, "");
  const cache = /* @__PURE__ */ new Map();
  return (file) => {
    const hit = cache.get(file);
    if (hit !== void 0) return hit;
    const f = file.replace(/\\/g, "/");
    let out = file;
    if (root !== "" && f.startsWith(`${root}/`)) out = f.slice(root.length + 1);
    else {
      const parts = f.split("/");
      for (let i = 1; i < parts.length; i++) {
        const tail = parts.slice(i).join("/");
        if (tail !== "" && exists(tail)) {
          out = tail;
          break;
        }
      }
    }
    cache.set(file, out);
    return out;
  };
}
function mapFrame(f, rel) {
  return { ...f, file: rel(f.file) };
}
function relativizeAnalysis(a, rel) {
  const groups = a.groups.map((g) => {
    const out = { ...g, frames: g.frames.map((f) => mapFrame(f, rel)) };
    if (g.createdBy) out.createdBy = mapFrame(g.createdBy, rel);
    if (g.createdAt) out.createdAt = mapFrame(g.createdAt, rel);
    if (g.topUserFrame) out.topUserFrame = mapFrame(g.topUserFrame, rel);
    if (g.stuckDefer) {
      out.stuckDefer = {
        ...mapFrame(g.stuckDefer, rel),
        deferred: mapFrame(g.stuckDefer.deferred, rel),
        caller: mapFrame(g.stuckDefer.caller, rel)
      };
    }
    return out;
  });
  return { ...a, groups };
}
var loc = (l) => `${l.file}:${l.line}`;
var plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
function frameText(f) {
  return f.inlined ? `${f.func}(...)` : `${f.func}(${f.args ?? ""})`;
}
function minutesText(g) {
  if (g.minutes.max === 0) return "";
  return g.minutes.min === g.minutes.max ? plural(g.minutes.max, "minute") : `${g.minutes.min}-${g.minutes.max} minutes`;
}
function stateText(g) {
  const parts = [g.state || (g.leaked ? "leaked" : "unknown state")];
  if (g.leaked && g.state !== "leaked") parts[0] += " (leaked)";
  const m = minutesText(g);
  if (m) parts.push(m);
  if (g.lockedToThread) parts.push(g.lockedToThread === g.count ? "locked to thread" : `${g.lockedToThread} locked to thread`);
  return parts.join(", ");
}
function creatorText(c) {
  if (!c) return "";
  return `created at ${loc(c)} by ${c.func}`;
}
function idsText(ids, max = 12) {
  if (ids.length === 0) return "";
  const shown = ids.slice(0, max).join(" ");
  return ids.length > max ? `${shown} ... (+${ids.length - max})` : shown;
}
function matchLines(ms, indent) {
  return (ms ?? []).map((m) => `${indent}confirmed at run time: ${m.rule} (${m.severity}) at ${m.file}:${m.line} ${m.docUrl}`);
}
function renderText(a, opts = {}) {
  const maxFrames = opts.maxFrames ?? 10;
  const out = [];
  for (const p of a.panics) out.push(`panic: ${p}`);
  if (a.fatalError) out.push(`fatal error: ${a.fatalError}`);
  if (a.signal) out.push(`signal: ${a.signal}`);
  if (a.testTimeout) {
    out.push(`test timed out after ${a.testTimeout.after}${a.testTimeout.running.length ? `; running: ${a.testTimeout.running.join(", ")}` : ""}`);
  }
  const what = a.format === "debug1" ? `pprof ${a.kind} profile (debug=1)` : describeKind(a.kind);
  out.push(`${plural(a.total, "goroutine")} in ${plural(a.groups.length, "group")} (${what})${a.truncated ? "; the dump is truncated" : ""}`);
  out.push("");
  for (const g of a.groups) {
    const head = [`#${g.index}`, plural(g.count, "goroutine"), `[${stateText(g)}]`];
    const c = creatorText(g.createdBy);
    if (c) head.push(c);
    out.push(head.join("  "));
    out.push(...matchLines(opts.matches?.get(g.index), "    "));
    if (g.ids.length) out.push(`    ids: ${idsText(g.ids)}`);
    if (g.labels && Object.keys(g.labels).length) {
      out.push(`    labels: ${Object.entries(g.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ")}`);
    }
    const shown = maxFrames > 0 ? g.frames.slice(0, maxFrames) : g.frames;
    const width = Math.min(70, Math.max(0, ...shown.map((f) => frameText(f).length)));
    for (const f of shown) {
      const mark = g.topUserFrame === f || g.topUserFrame && f.func === g.topUserFrame.func && f.line === g.topUserFrame.line && f.file === g.topUserFrame.file ? ">" : " ";
      out.push(`  ${mark} ${frameText(f).padEnd(width)}  ${loc(f)}`);
    }
    if (shown.length < g.frames.length) out.push(`    ... ${plural(g.frames.length - shown.length, "more frame")}`);
    if (g.elided) out.push("    ... frames elided by the runtime");
    out.push("");
  }
  const long = a.groups.filter((g) => g.blockedLong).sort((x, y) => y.minutes.max - x.minutes.max || x.index - y.index);
  if (long.length) {
    out.push("Blocked for a long time:");
    for (const g of long) {
      const where = g.topUserFrame ? `${g.topUserFrame.func} at ${loc(g.topUserFrame)}` : g.frames[0] ? loc(g.frames[0]) : "";
      const c = g.createdAt ? ` (created at ${loc(g.createdAt)})` : "";
      out.push(`  #${g.index}  ${plural(g.count, "goroutine")}  ${g.state} for ${minutesText(g)}  in ${where}${c}`);
    }
    out.push("");
  }
  const stuck = a.groups.filter((g) => g.stuckDefer);
  if (stuck.length) {
    out.push("Stuck inside a deferred call:");
    for (const g of stuck) {
      const s = g.stuckDefer;
      const how = s.via === "panic" ? `while panicking at ${loc(s)}` : s.via === "exit" ? `at its exit ${loc(s)}${s.confirmed ? "" : " (likely: a closure called by the function that encloses it)"}` : `at ${loc(s)} (${s.via === "deferwrap" ? "deferred call with arguments" : "runtime.deferreturn"})`;
      const blockedAt = g.frames[0] ? `; ${g.state || "blocked"} at ${loc(g.topUserFrame ?? g.frames[0])}` : "";
      out.push(`  #${g.index}  ${plural(g.count, "goroutine")}  ${s.deferred.func} deferred by ${s.caller.func}, running ${how}${blockedAt}`);
      out.push(...matchLines(opts.matches?.get(g.index)?.filter((m) => m.via === "stuckDefer"), "      "));
    }
    out.push("");
  }
  const leaked = a.groups.filter((g) => g.leaked > 0);
  if (leaked.length) {
    out.push("Leaked (reported by the goroutine leak detector):");
    for (const g of leaked) {
      const where = g.topUserFrame ? `${g.topUserFrame.func} at ${loc(g.topUserFrame)}` : "";
      const c = g.createdAt ? ` (created at ${loc(g.createdAt)})` : "";
      out.push(`  #${g.index}  ${plural(g.leaked, "goroutine")}  ${where}${c}`);
    }
    out.push("");
  }
  while (out.length && out[out.length - 1] === "") out.pop();
  return out.join("\n") + "\n";
}
function describeKind(kind) {
  switch (kind) {
    case "panic":
      return "panic traceback";
    case "signal":
      return "signal dump";
    case "fatal":
      return "fatal error traceback";
    case "test-timeout":
      return "go test timeout dump";
    default:
      return "goroutine stacks, debug=2";
  }
}
function renderJson(a, matches) {
  const doc = {
    format: a.format,
    kind: a.kind,
    total: a.total,
    truncated: a.truncated,
    panics: a.panics,
    signal: a.signal ?? null,
    fatalError: a.fatalError ?? null,
    testTimeout: a.testTimeout ?? null,
    goroot: a.goroot ?? null,
    groups: a.groups.map((g) => ({
      index: g.index,
      count: g.count,
      state: g.state,
      leaked: g.leaked,
      lockedToThread: g.lockedToThread,
      minutes: g.minutes,
      blocked: g.blocked ?? null,
      blockedLong: g.blockedLong,
      ids: g.ids,
      labels: g.labels ?? null,
      createdBy: g.createdBy ?? null,
      createdAt: g.createdAt ?? null,
      topUserFrame: g.topUserFrame ?? null,
      stuckDefer: g.stuckDefer ?? null,
      finding: matches?.get(g.index)?.[0]?.rule ?? null,
      findings: (matches?.get(g.index) ?? []).map((m) => ({ rule: m.rule, severity: m.severity, file: m.file, line: m.line, via: m.via, docUrl: m.docUrl })),
      elided: g.elided,
      frames: g.frames
    }))
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

// src/cli/source.ts
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

// src/runtime/correlate.ts
var GOROUTINE_RULES = /* @__PURE__ */ new Set([
  "goroutine-blocked-send",
  "goroutine-outside-recover",
  "waitgroup-done-path",
  "defer-close-chan-with-sender",
  "loop-var-capture"
]);
var DEFER_RULES = /* @__PURE__ */ new Set([
  "defer-blocking-call",
  "lock-reentry-under-defer",
  "defer-lock-mismatch",
  "defer-call-chain",
  "defer-in-infinite-loop",
  "lock-leaked-on-return"
]);
var MAX_CONTAINING_SPAN = 30;
function toMatch(f, via) {
  return { rule: f.rule, severity: f.severity, file: f.file, line: f.line, message: f.message, docUrl: docUrl(f.rule), via };
}
function cmp2(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function shortName(func) {
  const i = func.lastIndexOf(".");
  return i < 0 ? func : func.slice(i + 1);
}
function makeCorrelator(findings, readSource) {
  const byFile = /* @__PURE__ */ new Map();
  for (const f of findings) {
    let list = byFile.get(f.file);
    if (!list) byFile.set(f.file, list = []);
    list.push(f);
  }
  const funcCache = /* @__PURE__ */ new Map();
  const functionsOf = (file) => {
    const hit = funcCache.get(file);
    if (hit) return hit;
    const text = readSource(file);
    const out = [];
    if (text !== void 0) {
      const { file: tree, source } = parseFile(file, text);
      const lineAt = (off) => source.position(off).line;
      const visit = (n, current) => {
        let cur = current;
        if (n.kind === "FuncDecl" && n.body || n.kind === "FuncLit") {
          cur = { startLine: lineAt(pos(n)), endLine: lineAt(end(n) - 1), defers: [] };
          out.push(cur);
        } else if (n.kind === "DeferStmt" && cur) {
          cur.defers.push({ line: lineAt(n.defer), text: source.text(pos(n.call), end(n.call)) });
        }
        forEachChild(n, (c) => visit(c, cur));
      };
      visit(tree, void 0);
    }
    funcCache.set(file, out);
    return out;
  };
  const forCreation = (loc2) => {
    const scored = [];
    for (const f of byFile.get(loc2.file) ?? []) {
      let score = 0;
      if (f.line === loc2.line) score = 4;
      else if (f.related.some((r) => r.file === loc2.file && r.line === loc2.line)) score = 3;
      else if (f.line <= loc2.line && loc2.line <= f.endLine && f.endLine - f.line <= MAX_CONTAINING_SPAN) score = 2;
      else if (f.related.some((r) => r.file === loc2.file && r.line <= loc2.line && loc2.line <= r.endLine && r.endLine - r.line <= MAX_CONTAINING_SPAN)) score = 1;
      if (score === 0) continue;
      if (GOROUTINE_RULES.has(f.rule)) score += 10;
      scored.push({ f, score });
    }
    return rank(scored).map((f) => toMatch(f, "createdAt"));
  };
  const forStuckDefer = (loc2, deferredFunc) => {
    let fn;
    for (const r of functionsOf(loc2.file)) {
      if (r.startLine <= loc2.line && loc2.line <= r.endLine && (!fn || r.endLine - r.startLine <= fn.endLine - fn.startLine)) fn = r;
    }
    if (!fn) return [];
    const name = deferredFunc ? shortName(deferredFunc) : void 0;
    const scored = [];
    for (const f of byFile.get(loc2.file) ?? []) {
      const d = fn.defers.find((x) => x.line === f.line);
      if (!d) continue;
      let score = 1;
      if (DEFER_RULES.has(f.rule)) score += 10;
      if (name && !/^func\d+$/.test(name) && new RegExp(`\\b${name.replace(/[^\w]/g, "")}\\b`).test(d.text)) score += 5;
      scored.push({ f, score });
    }
    return rank(scored).map((f) => toMatch(f, "stuckDefer"));
  };
  return {
    forCreation,
    forStuckDefer,
    forGroup(keys) {
      const out = [];
      if (keys.stuckDefer) out.push(...forStuckDefer(keys.stuckDefer, keys.stuckDefer.deferred?.func));
      if (keys.createdAt) out.push(...forCreation(keys.createdAt));
      const seen = /* @__PURE__ */ new Set();
      return out.filter((m) => {
        const k = `${m.rule}\0${m.file}:${m.line}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    }
  };
}
function rank(scored) {
  return scored.sort(
    (a, b) => b.score - a.score || severityRank(b.f.severity) - severityRank(a.f.severity) || cmp2(a.f.rule, b.f.rule) || a.f.line - b.f.line || cmp2(a.f.message, b.f.message)
  ).map((x) => x.f);
}

// src/cli/source.ts
function isFile(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
function sourceDir(dir) {
  const abs = resolve(dir);
  try {
    if (statSync(abs).isDirectory()) return abs;
  } catch {
  }
  return { error: `--source ${dir}: not a directory` };
}
function sourceAccess(dir) {
  const rel = makeRelativizer(dir, (tail) => isFile(join(dir, tail)));
  const texts = /* @__PURE__ */ new Map();
  const read = (relFile) => {
    const path = isAbsolute(relFile) ? relFile : join(dir, relFile);
    if (path !== dir && !path.startsWith(dir + sep)) return void 0;
    if (!texts.has(path)) {
      try {
        texts.set(path, readFileSync(path, "utf8"));
      } catch {
        texts.set(path, void 0);
      }
    }
    return texts.get(path);
  };
  const lines = /* @__PURE__ */ new Map();
  const sourceLine = (file, line) => {
    const r = rel(file);
    if (!lines.has(r)) lines.set(r, read(r)?.split("\n"));
    return lines.get(r)?.[line - 1];
  };
  return { dir, rel, sourceLine, read };
}
async function staticJoin(access, patterns = []) {
  const warnings = [];
  let findings = [];
  try {
    const result = await analyze({
      cwd: access.dir,
      patterns,
      registry: REGISTRY_URL,
      enable: analyzers.map((a) => a.meta.id)
    });
    for (const e of result.loadErrors) warnings.push(e);
    findings = result.findings.map((f) => {
      const abs = join(result.root, f.file);
      const r = relative(access.dir, abs).split(sep).join("/");
      const related = f.related.map((x) => ({ ...x, file: relative(access.dir, join(result.root, x.file)).split(sep).join("/") }));
      return { ...f, file: r, related };
    });
  } catch (e) {
    if (!(e instanceof DriverError)) throw e;
    warnings.push(`static analysis of ${access.dir} failed: ${e.message}`);
  }
  return { findings, correlator: makeCorrelator(findings, access.read), warnings };
}

export {
  isStdFrame,
  analyze2 as analyze,
  DumpParseError,
  parseDump,
  relativizeAnalysis,
  renderText,
  renderJson,
  sourceDir,
  sourceAccess,
  staticJoin
};
