import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  DumpParseError,
  analyze,
  isStdFrame,
  parseDump,
  sourceAccess,
  sourceDir,
  staticJoin
} from "./chunk-D33AID7X.js";
import "./chunk-PVR3H62W.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-ZBIIT5WW.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-BEBMU46B.js";
import "./chunk-BNGGAWJJ.js";
import "./chunk-X2CHC4MP.js";
import "./chunk-YTCJ642O.js";
import "./chunk-BXUJ5AUT.js";

// src/cli/watch.ts
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";

// src/runtime/fetch.ts
import http from "node:http";
import https from "node:https";

// src/runtime/expvar.ts
var PAUSE_RING = 256;
var ExpvarError = class extends Error {
};
var NUMERIC_FIELDS = [
  "Alloc",
  "TotalAlloc",
  "Sys",
  "Mallocs",
  "Frees",
  "HeapAlloc",
  "HeapSys",
  "HeapInuse",
  "HeapObjects",
  "StackInuse",
  "NextGC",
  "LastGC",
  "PauseTotalNs",
  "NumGC",
  "NumForcedGC",
  "GCCPUFraction"
];
function parseExpvar(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e2) {
    const start = text.trimStart().slice(0, 60);
    throw new ExpvarError(`not an expvar /debug/vars response: invalid JSON (${e2.message}); body starts with ${JSON.stringify(start)}`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new ExpvarError("not an expvar /debug/vars response: expected a JSON object");
  }
  const obj = doc;
  const ms = obj.memstats;
  if (ms === null || typeof ms !== "object" || Array.isArray(ms)) {
    throw new ExpvarError(
      `not a Go expvar endpoint: no "memstats" object (keys: ${Object.keys(obj).slice(0, 10).join(", ") || "none"})`
    );
  }
  const m = ms;
  const memstats = { raw: m };
  for (const k of NUMERIC_FIELDS) {
    const v = m[k];
    if (v === void 0) memstats[k] = 0;
    else if (typeof v === "number" && Number.isFinite(v)) memstats[k] = v;
    else throw new ExpvarError(`memstats.${k} is not a number: ${JSON.stringify(v)}`);
  }
  for (const k of ["PauseNs", "PauseEnd"]) {
    const v = m[k];
    if (!Array.isArray(v) || v.length !== PAUSE_RING || !v.every((x) => typeof x === "number")) {
      throw new ExpvarError(`memstats.${k} must be an array of ${PAUSE_RING} numbers`);
    }
    memstats[k] = v;
  }
  const vars = {};
  for (const [k, v] of Object.entries(obj)) if (k !== "memstats" && k !== "cmdline") vars[k] = v;
  const out = { memstats, vars };
  if (Array.isArray(obj.cmdline) && obj.cmdline.every((x) => typeof x === "string")) out.cmdline = obj.cmdline;
  return out;
}
function newPauses(prevNumGC, m) {
  let prev = prevNumGC;
  let reset = false;
  if (m.NumGC < prev) {
    prev = 0;
    reset = true;
  }
  const fresh = m.NumGC - prev;
  const kept = Math.min(fresh, PAUSE_RING);
  const pauses = [];
  for (let gc = m.NumGC - kept + 1; gc <= m.NumGC; gc++) {
    const i = (gc + PAUSE_RING - 1) % PAUSE_RING;
    pauses.push({ gc, ns: m.PauseNs[i] ?? 0, end: m.PauseEnd[i] ?? 0 });
  }
  return { pauses, lost: fresh - kept, reset };
}
function percentiles(values) {
  const n = values.length;
  if (n === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const s = [...values].sort((a, b) => a - b);
  const at = (p) => s[Math.max(0, Math.ceil(p / 100 * n) - 1)];
  return { count: n, p50: at(50), p90: at(90), p99: at(99), max: s[n - 1] };
}

// src/runtime/prom.ts
var NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
var TYPES = /* @__PURE__ */ new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
function parsePromFloat(s) {
  const t = s.trim();
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && !/^[+-]?0x[0-9a-fA-F]+$/.test(t)) return void 0;
  const v = Number(t);
  return Number.isNaN(v) ? void 0 : v;
}
function unescapeHelp(s) {
  return s.replace(/\\(\\|n)/g, (_, c) => c === "n" ? "\n" : "\\");
}
function parseLabels(s, i) {
  const labels = {};
  i++;
  for (; ; ) {
    while (s[i] === " " || s[i] === "	") i++;
    if (s[i] === "}") return { labels, next: i + 1 };
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(s.slice(i));
    if (!m) return `bad label name at column ${i + 1}`;
    const name = m[0];
    i += name.length;
    while (s[i] === " ") i++;
    if (s[i] !== "=") return `expected '=' after label ${name}`;
    i++;
    while (s[i] === " ") i++;
    if (s[i] !== '"') return `expected '"' to open the value of label ${name}`;
    i++;
    let v = "";
    for (; ; ) {
      const c = s[i];
      if (c === void 0) return `unterminated value of label ${name}`;
      if (c === '"') break;
      if (c === "\\") {
        const e2 = s[i + 1];
        if (e2 === "n") v += "\n";
        else if (e2 === "\\" || e2 === '"') v += e2;
        else if (e2 === void 0) return `unterminated value of label ${name}`;
        else v += `\\${e2}`;
        i += 2;
        continue;
      }
      v += c;
      i++;
    }
    i++;
    if (Object.prototype.hasOwnProperty.call(labels, name)) return `duplicate label ${name}`;
    labels[name] = v;
    while (s[i] === " " || s[i] === "	") i++;
    if (s[i] === ",") i++;
    else if (s[i] !== "}") return `expected ',' or '}' after label ${name}`;
  }
}
function familyNameFor(sample, types) {
  for (const suffix of ["_bucket", "_sum", "_count", "_created"]) {
    if (!sample.endsWith(suffix)) continue;
    const base = sample.slice(0, -suffix.length);
    const t = types.get(base);
    if (t === "histogram" || t === "summary" && suffix !== "_bucket") return base;
  }
  return sample;
}
function parsePrometheus(text) {
  const families = /* @__PURE__ */ new Map();
  const types = /* @__PURE__ */ new Map();
  const errors = [];
  const family = (name) => {
    let f = families.get(name);
    if (!f) {
      f = { name, type: types.get(name) ?? "untyped", samples: [] };
      families.set(name, f);
    }
    return f;
  };
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].replace(/\r$/, "");
    const t = line.trim();
    if (t === "") continue;
    if (t.startsWith("#")) {
      const m = /^#\s*(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s+(.*))?$/.exec(t);
      if (!m) continue;
      const name2 = m[2];
      if (m[1] === "TYPE") {
        const ty = (m[3] ?? "").trim();
        if (!TYPES.has(ty)) {
          errors.push({ line: n + 1, message: `unknown metric type ${JSON.stringify(m[3] ?? "")} for ${name2}` });
          continue;
        }
        types.set(name2, ty);
        family(name2).type = ty;
      } else {
        family(name2).help = unescapeHelp(m[3] ?? "");
      }
      continue;
    }
    const nm = NAME_RE.exec(t);
    if (!nm) {
      errors.push({ line: n + 1, message: `not a metric line: ${JSON.stringify(t.slice(0, 60))}` });
      continue;
    }
    const name = nm[0];
    let i = name.length;
    let labels = {};
    if (t[i] === "{") {
      const r = parseLabels(t, i);
      if (typeof r === "string") {
        errors.push({ line: n + 1, message: `${name}: ${r}` });
        continue;
      }
      labels = r.labels;
      i = r.next;
    }
    const rest = t.slice(i).trim().split(/\s+/);
    const value = rest[0] !== void 0 ? parsePromFloat(rest[0]) : void 0;
    if (value === void 0 || rest.length > 2) {
      errors.push({ line: n + 1, message: `${name}: bad value ${JSON.stringify(t.slice(i).trim())}` });
      continue;
    }
    const sample = { name, labels, value };
    if (rest[1] !== void 0) {
      if (!/^-?\d+$/.test(rest[1])) {
        errors.push({ line: n + 1, message: `${name}: bad timestamp ${JSON.stringify(rest[1])}` });
        continue;
      }
      sample.timestamp = Number(rest[1]);
    }
    family(familyNameFor(name, types)).samples.push(sample);
  }
  return { families: [...families.values()], errors };
}
function findFamily(families, name) {
  return families.find((f) => f.name === name);
}
function goGoroutines(families) {
  return findFamily(families, "go_goroutines")?.samples.find((s) => s.name === "go_goroutines")?.value;
}
function summaries(f) {
  const out = /* @__PURE__ */ new Map();
  for (const s of f.samples) {
    const { quantile, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    let v = out.get(key);
    if (!v) {
      v = { labels: rest, quantiles: [] };
      out.set(key, v);
    }
    if (s.name === f.name && quantile !== void 0) {
      const q = parsePromFloat(quantile);
      if (q !== void 0) v.quantiles.push({ quantile: q, value: s.value });
    } else if (s.name === `${f.name}_sum`) v.sum = s.value;
    else if (s.name === `${f.name}_count`) v.count = s.value;
  }
  for (const v of out.values()) v.quantiles.sort((a, b) => a.quantile - b.quantile);
  return [...out.values()];
}
function gcDurationSeconds(families) {
  const f = findFamily(families, "go_gc_duration_seconds");
  if (!f) return void 0;
  return summaries(f)[0];
}
function looksLikeGoMetrics(families) {
  return families.some((f) => f.name === "go_goroutines" || f.name === "go_gc_duration_seconds" || f.name === "go_info");
}

// src/runtime/fetch.ts
var FetchError = class extends Error {
  constructor(code, url, message, status) {
    super(message);
    this.code = code;
    this.url = url;
    this.status = status;
  }
  code;
  url;
  status;
};
var DEFAULT_TIMEOUT_MS = 1e4;
var DEFAULT_MAX_BYTES = 32 << 20;
function fetchText(url, opts = {}) {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let u;
  try {
    u = new URL(url);
  } catch {
    return Promise.reject(new FetchError("bad-url", url, `invalid URL ${JSON.stringify(url)}`));
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    return Promise.reject(new FetchError("bad-url", url, `unsupported URL scheme ${u.protocol} in ${url} (use http or https)`));
  }
  const client = u.protocol === "https:" ? https : http;
  return new Promise((resolve2, reject) => {
    let settled = false;
    const fail = (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const req = client.get(u, { headers: { "accept-encoding": "identity", ...opts.headers } }, (res) => {
      const status = res.statusCode ?? 0;
      const contentType = String(res.headers["content-type"] ?? "");
      const declared = Number(res.headers["content-length"]);
      if (status >= 200 && status < 300 && Number.isFinite(declared) && declared > maxBytes) {
        fail(new FetchError("too-large", url, `${url} announced ${declared} bytes, more than the ${maxBytes}-byte limit`));
        return;
      }
      const chunks = [];
      let size = 0;
      const ok = status >= 200 && status < 300;
      const keep = ok ? maxBytes : 4096;
      res.on("data", (chunk) => {
        size += chunk.length;
        if (ok && size > maxBytes) {
          fail(new FetchError("too-large", url, `${url} sent more than ${maxBytes} bytes; stopped reading`));
          return;
        }
        if (size - chunk.length < keep) chunks.push(chunk);
      });
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const body = Buffer.concat(chunks).toString("utf8");
        if (!ok) {
          const snippet = body.replace(/\s+/g, " ").trim().slice(0, 200);
          reject(
            new FetchError("status", url, `${url} answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ""}${snippet ? `: ${snippet}` : ""}`, status)
          );
          return;
        }
        resolve2({ url, status, contentType, body });
      });
      res.on("error", (e2) => fail(new FetchError("network", url, `reading ${url}: ${e2.message}`)));
      res.on("aborted", () => fail(new FetchError("network", url, `${url} closed the connection before the body was complete`)));
    });
    const timer = setTimeout(() => {
      fail(new FetchError("timeout", url, `${url} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on("error", (e2) => {
      if (settled) return;
      const hostPort = `${u.hostname}:${u.port || (u.protocol === "https:" ? 443 : 80)}`;
      if (e2.code === "ECONNREFUSED") fail(new FetchError("refused", url, `cannot connect to ${hostPort}: connection refused (is the service running and the port right?)`));
      else if (e2.code === "ENOTFOUND" || e2.code === "EAI_AGAIN") fail(new FetchError("network", url, `cannot resolve host ${u.hostname} for ${url}`));
      else if (e2.code === "ECONNRESET") fail(new FetchError("network", url, `${hostPort} reset the connection for ${url}`));
      else fail(new FetchError("network", url, `request to ${url} failed: ${e2.message}`));
    });
  });
}
function describeBody(r) {
  const start = r.body.trimStart().slice(0, 60);
  return `${r.contentType || "no content type"}, body starts with ${JSON.stringify(start)}`;
}
function endpoint(base, path) {
  return base.replace(/\/+$/, "") + path;
}
async function fetchGoroutines(base, opts = {}) {
  const debug = opts.debug ?? 2;
  const profile = opts.profile ?? "goroutine";
  const url = endpoint(base, `/debug/pprof/${profile}?debug=${debug}`);
  const result = await fetchText(url, opts);
  let dump;
  try {
    dump = parseDump(result.body);
  } catch (e2) {
    if (e2 instanceof DumpParseError) {
      throw new FetchError("not-go", url, `${url} is not a Go ${profile} profile (${describeBody(result)})`);
    }
    throw e2;
  }
  if (debug === 1 && dump.format !== "debug1") {
    throw new FetchError("not-go", url, `${url} did not return a debug=1 ${profile} profile (${describeBody(result)})`);
  }
  return { result, dump };
}
async function fetchMetrics(base, opts = {}) {
  const url = endpoint(base, opts.path ?? "/metrics");
  const result = await fetchText(url, opts);
  const metrics = parsePrometheus(result.body);
  if (!looksLikeGoMetrics(metrics.families)) {
    throw new FetchError(
      "not-go",
      url,
      `${url} has no Go runtime metrics (go_goroutines, go_gc_duration_seconds); ${metrics.families.length} metric families, ${metrics.errors.length} unparsable lines (${describeBody(result)})`
    );
  }
  return { result, metrics };
}

// src/runtime/load.ts
import http2 from "node:http";
import https2 from "node:https";
var MAX_RPS = 2e3;
var MAX_CONCURRENCY = 256;
var LOAD_BODY_CAP = 1 << 20;
var LoadError = class extends Error {
};
function checkLoadOptions(o) {
  let u;
  try {
    u = new URL(o.url);
  } catch {
    return `--load: invalid URL ${JSON.stringify(o.url)}`;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return `--load: unsupported URL scheme ${u.protocol} (use http or https)`;
  if (!Number.isFinite(o.rps) || o.rps <= 0 || o.rps > MAX_RPS) return `--rps must be between 1 and ${MAX_RPS}, got ${o.rps}`;
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1 || o.concurrency > MAX_CONCURRENCY) {
    return `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${o.concurrency}`;
  }
  if (!(o.durationMs > 0)) return "the load duration must be positive";
  return void 0;
}
function startLoad(o) {
  const bad = checkLoadOptions(o);
  if (bad) throw new LoadError(bad);
  const u = new URL(o.url);
  const client = u.protocol === "https:" ? https2 : http2;
  const agent = new client.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const timeoutMs = o.timeoutMs ?? 5e3;
  const stats = { sent: 0, completed: 0, failed: 0, timedOut: 0, skipped: 0, aborted: 0, inFlight: 0, statuses: {} };
  const live = /* @__PURE__ */ new Map();
  const start = Date.now();
  let stopped = false;
  let resolveDone;
  const done = new Promise((r) => resolveDone = r);
  let tick;
  let endTimer;
  const fail = (message, timeout) => {
    stats.failed++;
    if (timeout) stats.timedOut++;
    stats.firstError ??= message;
  };
  const maybeDone = () => {
    if (stopped && stats.inFlight === 0) {
      agent.destroy();
      resolveDone(stats);
    }
  };
  const fire = () => {
    if (stats.inFlight >= o.concurrency) {
      stats.skipped++;
      return;
    }
    stats.sent++;
    stats.inFlight++;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      live.delete(req);
      stats.inFlight--;
      maybeDone();
    };
    const req = client.get(u, { agent, headers: { "user-agent": "deferguard-watch" } }, (res) => {
      let size = 0;
      res.on("data", (chunk) => {
        size += chunk.length;
        if (size > LOAD_BODY_CAP) res.destroy();
      });
      res.on("end", () => {
        stats.completed++;
        const k = String(res.statusCode ?? 0);
        stats.statuses[k] = (stats.statuses[k] ?? 0) + 1;
        finish();
      });
      res.on("close", () => {
        if (!finished) {
          if (size > LOAD_BODY_CAP) {
            stats.completed++;
            const k = String(res.statusCode ?? 0);
            stats.statuses[k] = (stats.statuses[k] ?? 0) + 1;
          } else fail(`${o.url}: connection closed during the response`, false);
          finish();
        }
      });
    });
    live.set(req, finish);
    const timer = setTimeout(() => {
      if (finished) return;
      fail(`${o.url}: no complete response within ${timeoutMs} ms`, true);
      req.destroy();
      finish();
    }, timeoutMs);
    req.on("error", (e2) => {
      if (finished) return;
      fail(e2.code === "ECONNREFUSED" ? `${o.url}: connection refused` : `${o.url}: ${e2.message}`, false);
      finish();
    });
  };
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (tick) clearInterval(tick);
    if (endTimer) clearTimeout(endTimer);
    for (const [r, finish] of [...live]) {
      stats.aborted++;
      finish();
      r.destroy();
    }
    maybeDone();
  };
  let due = 0;
  const step = () => {
    const should = Math.min(Math.floor((Date.now() - start) * o.rps / 1e3) + 1, Math.ceil(o.durationMs * o.rps / 1e3));
    while (due < should && !stopped) {
      due++;
      fire();
    }
  };
  tick = setInterval(step, Math.max(1, Math.min(10, Math.floor(1e3 / o.rps))));
  step();
  endTimer = setTimeout(stop, o.durationMs);
  return { stats, done, stop };
}

// src/runtime/growth.ts
var GROWTH_DEFAULTS = {
  minIncrease: 5,
  minTau: 0.6,
  minKeep: 0.75,
  minLateShare: 0.25,
  minRequestCorrelation: 0.7,
  minSamples: 4
};
function kendallTau(values) {
  const n = values.length;
  let concordant = 0;
  let discordant = 0;
  let tiesY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = values[j] - values[i];
      if (d > 0) concordant++;
      else if (d < 0) discordant++;
      else tiesY++;
    }
  }
  const pairs = n * (n - 1) / 2;
  const denom = Math.sqrt(pairs * (pairs - tiesY));
  return denom === 0 ? 0 : (concordant - discordant) / denom;
}
function pearson(xs, ys) {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}
var round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
function growth(input, options = {}) {
  const o = { ...GROWTH_DEFAULTS, ...options };
  const c = input.counts;
  const n = c.length;
  const first = c[0] ?? 0;
  const last = c[n - 1] ?? 0;
  const max = n ? Math.max(...c) : 0;
  const tau = n >= 2 ? kendallTau(c) : 0;
  const base = { first, last, max, increase: last - first, tau: round(tau), requestCorrelation: null, per100Requests: null };
  const no = (reason) => ({ ...base, growing: false, reason });
  if (n < o.minSamples) return no(`only ${n} samples (at least ${o.minSamples} are needed)`);
  const activeEnd = Math.min(n - 1, Math.max(1, input.activeEnd ?? n - 1));
  const req = input.requests && input.requests.length === n ? input.requests : void 0;
  if (req) {
    const active = c.slice(0, activeEnd + 1);
    const sent = req.slice(0, activeEnd + 1);
    const r = pearson(sent, active);
    base.requestCorrelation = r === null ? null : round(r);
    const dr = sent[sent.length - 1] - sent[0];
    if (dr > 0) base.per100Requests = round((active[active.length - 1] - active[0]) * 100 / dr);
  }
  if (last - first < o.minIncrease) return no(`grew by ${last - first} (from ${first} to ${last}, peak ${max}); at least ${o.minIncrease} is needed`);
  if (tau < o.minTau) return no(`no steady trend (Kendall tau ${round(tau)} < ${o.minTau})`);
  if (last < o.minKeep * max) return no(`drained: ended at ${last} after a peak of ${max}`);
  const mid = Math.floor(activeEnd / 2);
  const early = c[mid] - c[0];
  const late = c[activeEnd] - c[mid];
  if (late <= 0 || early > 0 && late < o.minLateShare * early) {
    return no(`stopped growing: +${early} in the first half, +${late} in the second half${req ? " of the load" : ""}`);
  }
  if (req && base.requestCorrelation !== null && base.requestCorrelation < o.minRequestCorrelation) {
    return no(`does not follow the requests sent (correlation ${base.requestCorrelation} < ${o.minRequestCorrelation})`);
  }
  const evidence = [`grew from ${first} to ${last}`, `Kendall tau ${round(tau)}`];
  if (base.requestCorrelation !== null) evidence.push(`correlation with requests ${base.requestCorrelation}`);
  if (base.per100Requests !== null) evidence.push(`${base.per100Requests} per 100 requests`);
  return { ...base, growing: true, reason: evidence.join(", ") };
}

// src/runtime/watch.ts
var WatchError = class extends Error {
};
var WRAPPER_RE = /\.(deferwrap|gowrap)\d+$/;
function stackKey(frames, goroot) {
  const user = frames.filter((f) => !isStdFrame(f, goroot) && !WRAPPER_RE.test(f.func));
  const use = user.length ? user : frames.filter((f) => !f.func.startsWith("runtime.") && !f.func.startsWith("internal/") && !WRAPPER_RE.test(f.func));
  return use.map((f) => `${f.func} ${f.file}:${f.line}`).join("\n");
}
function snapshot(a, tMs, sent) {
  const byKey = /* @__PURE__ */ new Map();
  for (const g of a.groups) {
    const k = stackKey(g.frames, a.goroot);
    byKey.set(k, (byKey.get(k) ?? 0) + g.count);
  }
  return { tMs, total: a.total, sent, byKey, analysis: a };
}
var sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
async function fetchExpvarAt(url, opts) {
  const result = await fetchText(url, opts);
  try {
    return parseExpvar(result.body);
  } catch (e2) {
    if (e2 instanceof ExpvarError) throw new FetchError("not-go", url, `${url}: ${e2.message}`);
    throw e2;
  }
}
function mapLoc(l, rel) {
  return rel ? { ...l, file: rel(l.file) } : l;
}
function mapFrame(f, rel) {
  if (!f) return null;
  return rel ? { ...f, file: rel(f.file) } : f;
}
function mapStuck(s, rel) {
  if (!s) return null;
  if (!rel) return s;
  return { ...s, file: rel(s.file), deferred: { ...s.deferred, file: rel(s.deferred.file) }, caller: { ...s.caller, file: rel(s.caller.file) } };
}
async function watch(o) {
  if (!(o.durationMs > 0) || !(o.intervalMs > 0)) throw new WatchError("duration and interval must be positive");
  if (o.intervalMs > o.durationMs) throw new WatchError("the interval is longer than the duration: no sample would be taken in between");
  const fo = o.fetch ?? {};
  const groupOpts = { ...o.sourceLine ? { sourceLine: o.sourceLine } : {}, minBlockedMinutes: o.minBlockedMinutes ?? 1 };
  const notes = [];
  const started = Date.now();
  const since = () => Date.now() - started;
  const first = await fetchGoroutines(o.pprof, { ...fo, debug: 2 });
  const snaps = [snapshot(analyze(first.dump, groupOpts), 0, o.load ? 0 : null)];
  const varsUrl = o.vars ?? endpoint(o.pprof, "/debug/vars");
  let varsOk = true;
  let prevNumGC = 0;
  const pauses = [];
  let cycles = 0;
  let lost = 0;
  const pollVars = async (initial) => {
    if (!varsOk) return;
    try {
      const snap = await fetchExpvarAt(varsUrl, fo);
      const m = snap.memstats;
      if (initial) prevNumGC = m.NumGC;
      else {
        const np = newPauses(prevNumGC, m);
        prevNumGC = m.NumGC;
        cycles += np.pauses.length + np.lost;
        lost += np.lost;
        for (const p of np.pauses) pauses.push({ tMs: Math.max(0, Math.round(p.end / 1e6 - started)), ns: p.ns });
        if (np.reset) notes.push("expvar NumGC went down during the watch: the service restarted");
      }
    } catch (e2) {
      if (!(e2 instanceof FetchError)) throw e2;
      if (o.vars !== void 0 && initial) throw e2;
      if (initial) notes.push(`expvar not used: ${e2.message}`);
      else notes.push(`expvar poll failed: ${e2.message}`);
      if (initial) varsOk = false;
    }
  };
  await pollVars(true);
  let promStart;
  if (o.metrics !== void 0) promStart = gcDurationSeconds((await fetchMetrics(o.metrics, { ...fo, path: "" })).metrics.families);
  let load;
  const loadMs = o.load ? Math.max(o.intervalMs, Math.round(o.durationMs * (o.loadShare ?? 0.75))) : 0;
  if (o.load) load = startLoad({ ...o.load, durationMs: loadMs });
  let loadEndSample = null;
  let failures = 0;
  for (let i = 1; ; i++) {
    const at = i * o.intervalMs;
    if (at >= o.durationMs) break;
    await sleep(at - since());
    const sent = load ? load.stats.sent : null;
    const loadRunning = load !== void 0 && since() <= loadMs;
    try {
      const { dump } = await fetchGoroutines(o.pprof, { ...fo, debug: 1 });
      snaps.push(snapshot(analyze(dump, groupOpts), since(), sent));
      if (loadRunning) loadEndSample = snaps.length - 1;
    } catch (e2) {
      if (!(e2 instanceof FetchError)) throw e2;
      failures++;
      notes.push(`sample at ${at} ms failed: ${e2.message}`);
      if (e2.code === "refused" && failures >= 3) {
        load?.stop();
        throw new WatchError(`the service stopped answering during the watch: ${e2.message}`);
      }
    }
    await pollVars(false);
    o.onSample?.({ index: snaps.length - 1, tMs: since(), total: snaps[snaps.length - 1].total, ...sent !== null ? { sent } : {} });
  }
  await sleep(o.durationMs - since());
  load?.stop();
  const loadStats = load ? await load.done : void 0;
  const last = await fetchGoroutines(o.pprof, { ...fo, debug: 2 });
  const lastAnalysis = analyze(last.dump, groupOpts);
  snaps.push(snapshot(lastAnalysis, since(), loadStats ? loadStats.sent : null));
  await pollVars(false);
  let promEnd;
  let promGoroutines = null;
  if (o.metrics !== void 0) {
    const fams = (await fetchMetrics(o.metrics, { ...fo, path: "" })).metrics.families;
    promEnd = gcDurationSeconds(fams);
    promGoroutines = goGoroutines(fams) ?? null;
  }
  let leakAnalysis;
  try {
    const lk = await fetchGoroutines(o.pprof, { ...fo, debug: 2, profile: "goroutineleak" });
    leakAnalysis = analyze(lk.dump, groupOpts);
  } catch (e2) {
    if (!(e2 instanceof FetchError)) throw e2;
    if (e2.code !== "status" && e2.code !== "not-go") notes.push(`goroutineleak profile: ${e2.message}`);
  }
  const correlator = o.correlator ? await o.correlator : void 0;
  return buildReport({
    o: { pprof: o.pprof, durationMs: o.durationMs, intervalMs: o.intervalMs, load: o.load, rel: o.rel, growth: o.growth, correlator },
    started,
    snaps,
    lastAnalysis,
    leakAnalysis,
    loadStats,
    loadEndSample,
    notes,
    gc: {
      source: varsOk ? "expvar" : promEnd ? "prometheus" : null,
      cycles,
      lost,
      pauses: percentiles(pauses.map((p) => p.ns)),
      timeline: pauses,
      prometheus: promEnd ? {
        quantiles: promEnd.quantiles.map((q) => ({ quantile: q.quantile, seconds: q.value })),
        count: (promEnd.count ?? 0) - (promStart?.count ?? 0),
        sum: (promEnd.sum ?? 0) - (promStart?.sum ?? 0)
      } : null
    },
    promGoroutines
  });
}
function buildReport(b) {
  const { o, snaps } = b;
  const rel = o.rel;
  const corr = o.correlator;
  const label = /* @__PURE__ */ new Map();
  const labelFrom = (a) => {
    const local = /* @__PURE__ */ new Map();
    for (const g of a.groups) {
      const k = stackKey(g.frames, a.goroot);
      const had = local.get(k);
      if (!had || g.count > had.count) local.set(k, g);
    }
    for (const [k, g] of local) if (!label.has(k)) label.set(k, g);
  };
  labelFrom(b.lastAnalysis);
  labelFrom(snaps[0].analysis);
  for (const s of snaps) labelFrom(s.analysis);
  const keys = /* @__PURE__ */ new Set();
  for (const s of snaps) for (const k of s.byKey.keys()) keys.add(k);
  const requests = o.load ? snaps.map((s) => s.sent ?? 0) : void 0;
  const groups = [];
  for (const key of keys) {
    const series = snaps.map((s) => s.byKey.get(key) ?? 0);
    const g = label.get(key);
    const createdAt = g.createdAt ? mapLoc(g.createdAt, rel) : null;
    const stuckDefer = mapStuck(g.stuckDefer, rel);
    const verdict = growth({ counts: series, requests, activeEnd: b.loadEndSample ?? void 0 }, o.growth);
    const matches = corr ? corr.forGroup({ createdAt: createdAt ?? void 0, stuckDefer: stuckDefer ?? void 0 }) : [];
    groups.push({
      key,
      createdAt,
      state: g.state || "unknown (seen only in debug=1 samples)",
      count: series[series.length - 1],
      topUserFrame: mapFrame(g.topUserFrame, rel),
      stuckDefer,
      blocked: g.blocked ?? null,
      series,
      verdict,
      matches
    });
  }
  groups.sort((x, y) => Number(y.verdict.growing) - Number(x.verdict.growing) || y.count - x.count || Math.max(...y.series) - Math.max(...x.series) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  const leaks = [];
  const toLeak = (g, detectedBy, verdict, series) => {
    const m = g.matches[0];
    return {
      createdAt: g.createdAt,
      count: g.count,
      state: g.state,
      finding: m ? m.rule : null,
      findingAt: m ? { file: m.file, line: m.line } : null,
      docUrl: m ? m.docUrl : null,
      message: m ? m.message : null,
      detectedBy,
      topUserFrame: g.topUserFrame,
      stuckDefer: g.stuckDefer,
      growth: verdict,
      series
    };
  };
  for (const g of groups) if (g.verdict.growing) leaks.push(toLeak(g, "growth", g.verdict, g.series));
  if (b.leakAnalysis) {
    for (const g of b.leakAnalysis.groups) {
      if (g.leaked === 0) continue;
      const createdAt = g.createdAt ? mapLoc(g.createdAt, rel) : null;
      const stuckDefer = mapStuck(g.stuckDefer, rel);
      const matches = corr ? corr.forGroup({ createdAt: createdAt ?? void 0, stuckDefer: stuckDefer ?? void 0 }) : [];
      const already = leaks.find((l) => l.createdAt && createdAt && l.createdAt.file === createdAt.file && l.createdAt.line === createdAt.line);
      if (already) continue;
      leaks.push(toLeak({ createdAt, count: g.leaked, state: g.state, topUserFrame: mapFrame(g.topUserFrame, rel), stuckDefer, matches }, "leak-profile", null, []));
    }
  }
  const blockedLong = [];
  const stuckDefers = [];
  for (const g of b.lastAnalysis.groups) {
    const createdAt = g.createdAt ? mapLoc(g.createdAt, rel) : null;
    if (g.blockedLong) {
      const top = mapFrame(g.topUserFrame ?? g.frames[0], rel);
      blockedLong.push({
        count: g.count,
        state: g.state,
        minutes: g.minutes.max,
        where: top ? { file: top.file, line: top.line } : null,
        func: top ? top.func : null,
        createdAt,
        matches: corr && createdAt ? corr.forCreation(createdAt) : []
      });
    }
    if (g.stuckDefer) {
      const s = mapStuck(g.stuckDefer, rel);
      stuckDefers.push({
        count: g.count,
        state: g.state,
        deferred: s.deferred.func,
        caller: s.caller.func,
        at: { file: s.file, line: s.line },
        via: s.via,
        confirmed: s.confirmed,
        createdAt,
        matches: corr ? corr.forStuckDefer(s, s.deferred.func) : []
      });
    }
  }
  blockedLong.sort((x, y) => y.minutes - x.minutes || y.count - x.count);
  const ls = b.loadStats;
  return {
    pprof: o.pprof,
    durationMs: o.durationMs,
    intervalMs: o.intervalMs,
    startedAt: new Date(b.started).toISOString(),
    samples: snaps.map((s) => ({ tMs: s.tMs, total: s.total, sent: s.sent })),
    loadEndSample: b.loadEndSample,
    load: ls && o.load ? { url: o.load.url, rps: o.load.rps, concurrency: o.load.concurrency, ...ls, statuses: { ...ls.statuses } } : null,
    leaks,
    groups,
    blockedLong,
    stuckDefers,
    gc: b.gc,
    goroutineleak: b.leakAnalysis ? "served" : "not served",
    promGoroutines: b.promGoroutines,
    notes: b.notes
  };
}

// src/runtime/watch-render.ts
var loc = (l) => l ? `${l.file}:${l.line}` : "unknown site";
var plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
function fmtNs(ns) {
  if (ns < 1e3) return `${Math.round(ns)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(ns < 1e4 ? 1 : 0)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 1)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}
function fmtMs(ms) {
  return ms < 1e3 ? `${ms} ms` : `${(ms / 1e3).toFixed(1)} s`;
}
function confirmed(m) {
  return `confirmed at run time: ${m.rule} (${m.severity}) at ${m.file}:${m.line}`;
}
function loadSummary(r) {
  const l = r.load;
  if (!l) return void 0;
  const statuses = Object.entries(l.statuses).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v}`).join(", ");
  const parts = [`${l.sent} sent`, `${l.completed} answered${statuses ? ` (${statuses})` : ""}`, `${l.failed} failed${l.timedOut ? ` (${l.timedOut} timed out)` : ""}`];
  if (l.skipped) parts.push(`${l.skipped} skipped at the concurrency limit`);
  if (l.aborted) parts.push(`${l.aborted} aborted at the end of the load phase`);
  return `load: GET ${l.url} at ${l.rps} rps, concurrency ${l.concurrency}: ${parts.join(", ")}${l.firstError ? `; first error: ${l.firstError}` : ""}`;
}
function leakTitle(l) {
  return `${plural(l.count, "goroutine")} [${l.state}] created at ${loc(l.createdAt)}`;
}
function renderWatchText(r) {
  const out = [];
  const n = r.samples.length;
  out.push(`deferguard watch ${r.pprof}: ${plural(n, "sample")} over ${fmtMs(r.durationMs)} (every ${fmtMs(r.intervalMs)})`);
  const ls = loadSummary(r);
  if (ls) out.push(ls);
  if (n) out.push(`goroutines: ${r.samples[0].total} at the start, ${r.samples[n - 1].total} at the end`);
  out.push("");
  if (r.leaks.length) {
    out.push(`Leaks (${r.leaks.length}):`);
    for (const l of r.leaks) {
      out.push(`  ${leakTitle(l)}`);
      if (l.detectedBy === "growth" && l.growth) out.push(`      ${l.growth.reason}`);
      else out.push("      reported by the goroutine leak detector (goroutineleak profile)");
      if (l.stuckDefer) out.push(`      stuck in deferred ${l.stuckDefer.deferred.func} of ${l.stuckDefer.caller.func} at ${loc(l.stuckDefer)}`);
      else if (l.topUserFrame) out.push(`      in ${l.topUserFrame.func} at ${loc(l.topUserFrame)}`);
      if (l.finding) {
        out.push(`      confirmed at run time: ${l.finding} at ${loc(l.findingAt)}: ${l.message ?? ""}`);
        out.push(`      ${l.docUrl}`);
      } else out.push("      no static finding at this site");
    }
    out.push("");
  }
  if (r.stuckDefers.length) {
    out.push("Stuck inside a deferred call (at the end):");
    for (const s of r.stuckDefers) {
      const how = s.via === "panic" ? `while panicking at ${loc(s.at)}` : `at ${s.via === "exit" ? "its exit " : ""}${loc(s.at)}`;
      out.push(`  ${plural(s.count, "goroutine")}  ${s.deferred} deferred by ${s.caller}, running ${how}${s.confirmed ? "" : " (likely)"}; ${s.state || "running"}`);
      for (const m of s.matches.slice(0, 1)) out.push(`      ${confirmed(m)}`);
    }
    out.push("");
  }
  if (r.blockedLong.length) {
    out.push("Blocked for a long time (at the end):");
    for (const b of r.blockedLong) {
      out.push(`  ${plural(b.count, "goroutine")}  ${b.state} for ${plural(b.minutes, "minute")} in ${b.func ?? "?"} at ${loc(b.where)}${b.createdAt ? ` (created at ${loc(b.createdAt)})` : ""}`);
      for (const m of b.matches.slice(0, 1)) out.push(`      ${confirmed(m)}`);
    }
    out.push("");
  }
  const others = r.groups.filter((g) => !g.verdict.growing && Math.max(...g.series) >= 2).slice(0, 8);
  if (others.length) {
    out.push("Other groups (not leaks):");
    for (const g of others) {
      const where = g.topUserFrame ? `${g.topUserFrame.func} at ${loc(g.topUserFrame)}` : g.key.split("\n")[0] ?? "";
      out.push(`  ${String(g.count).padStart(5)}  [${g.state}]  ${where}: ${g.verdict.reason}`);
    }
    out.push("");
  }
  const gc = r.gc;
  if (gc.source === "expvar") {
    const p = gc.pauses;
    out.push(
      p.count ? `GC pauses (expvar, ${plural(gc.cycles, "cycle")}${gc.lost ? `, ${gc.lost} overwritten in the ring` : ""}): p50 ${fmtNs(p.p50)}, p90 ${fmtNs(p.p90)}, p99 ${fmtNs(p.p99)}, max ${fmtNs(p.max)}` : "GC pauses (expvar): no GC cycle during the watch"
    );
  }
  if (gc.prometheus) {
    const q = gc.prometheus.quantiles.map((x) => `q${x.quantile} ${fmtNs(x.seconds * 1e9)}`).join(", ");
    out.push(`GC pauses (Prometheus go_gc_duration_seconds, ${plural(gc.prometheus.count, "cycle")} during the watch): ${q || "no quantiles"}`);
  }
  if (!gc.source) out.push("GC pauses: no expvar or Prometheus endpoint was read");
  out.push(`goroutineleak profile: ${r.goroutineleak}`);
  for (const note of r.notes) out.push(`note: ${note}`);
  out.push("");
  out.push(r.leaks.length ? `${plural(r.leaks.length, "leak")} found.` : "No leak found.");
  return out.join("\n") + "\n";
}
function renderWatchJson(r) {
  const doc = {
    pprof: r.pprof,
    startedAt: r.startedAt,
    durationMs: r.durationMs,
    intervalMs: r.intervalMs,
    load: r.load,
    leaks: r.leaks.map((l) => ({
      createdAt: l.createdAt,
      count: l.count,
      state: l.state,
      finding: l.finding,
      findingAt: l.findingAt,
      docUrl: l.docUrl,
      message: l.message,
      detectedBy: l.detectedBy,
      topUserFrame: l.topUserFrame,
      stuckDefer: l.stuckDefer ? { file: l.stuckDefer.file, line: l.stuckDefer.line, deferred: l.stuckDefer.deferred.func, caller: l.stuckDefer.caller.func, via: l.stuckDefer.via } : null,
      growth: l.growth,
      series: l.series
    })),
    stuckDefers: r.stuckDefers.map((s) => ({ ...s, finding: s.matches[0]?.rule ?? null, matches: void 0 })),
    blockedLong: r.blockedLong.map((b) => ({ ...b, finding: b.matches[0]?.rule ?? null, matches: void 0 })),
    groups: r.groups.map((g) => ({
      createdAt: g.createdAt,
      state: g.state,
      count: g.count,
      topUserFrame: g.topUserFrame,
      growing: g.verdict.growing,
      reason: g.verdict.reason,
      finding: g.matches[0]?.rule ?? null,
      series: g.series
    })),
    samples: r.samples,
    loadEndSample: r.loadEndSample,
    gc: r.gc,
    goroutineleak: r.goroutineleak,
    promGoroutines: r.promGoroutines,
    notes: r.notes
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

// src/runtime/html.ts
function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
var e = escapeHtml;
var loc2 = (l) => l ? `${l.file}:${l.line}` : "unknown site";
var PALETTE = ["#d62728", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
function niceMax(max) {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}
function fmtTick(v) {
  return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1);
}
function svgChart(opts) {
  const W = opts.width ?? 1e3;
  const H = opts.height ?? 360;
  const m = { l: 70, r: 20, t: 36, b: 50 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const all = opts.series.flatMap((s) => s.points);
  const xMax = niceMax(Math.max(0, ...all.map((p) => p.x)));
  const yMax = niceMax(Math.max(0, ...all.map((p) => p.y)));
  const X = (x) => m.l + x / xMax * pw;
  const Y = (y) => m.t + ph - y / yMax * ph;
  const yf = opts.yFormat ?? fmtTick;
  const parts = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${e(opts.title)}">`);
  parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(`<text x="${m.l}" y="22" class="ct">${e(opts.title)}</text>`);
  for (let i = 0; i <= 5; i++) {
    const yv = yMax * i / 5;
    const y = Y(yv).toFixed(1);
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.l - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" class="tk">${e(yf(yv))}</text>`);
    const xv = xMax * i / 5;
    const x = X(xv).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${m.t + ph}" y2="${m.t + ph + 5}" stroke="#888"/>`);
    parts.push(`<text x="${x}" y="${m.t + ph + 18}" text-anchor="middle" class="tk">${e(fmtTick(xv))}</text>`);
  }
  parts.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${m.t + ph}" stroke="#888"/>`);
  parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${m.t + ph}" y2="${m.t + ph}" stroke="#888"/>`);
  parts.push(`<text x="${m.l + pw / 2}" y="${H - 8}" text-anchor="middle" class="al">${e(opts.xLabel)}</text>`);
  parts.push(`<text x="16" y="${m.t + ph / 2}" text-anchor="middle" transform="rotate(-90 16 ${m.t + ph / 2})" class="al">${e(opts.yLabel)}</text>`);
  if (all.length === 0) {
    parts.push(`<text x="${m.l + pw / 2}" y="${m.t + ph / 2}" text-anchor="middle" class="empty">no data</text>`);
  }
  for (const s of opts.series) {
    if (opts.dots) {
      for (const p of s.points) parts.push(`<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="3.5" fill="${s.color}"><title>${e(`${s.name}: ${yf(p.y)} at ${fmtTick(p.x)}`)}</title></circle>`);
    } else if (s.points.length) {
      const d = s.points.map((p, i) => `${i ? "L" : "M"}${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(" ");
      parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 4"' : ""}><title>${e(s.name)}</title></path>`);
    }
  }
  opts.series.forEach((s, i) => {
    const y = m.t + 12 + i * 18;
    parts.push(`<line x1="${m.l + 12}" x2="${m.l + 36}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="3"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    parts.push(`<text x="${m.l + 42}" y="${y}" dominant-baseline="middle" class="lg">${e(s.name.length > 110 ? `${s.name.slice(0, 107)}...` : s.name)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}
var CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1b1b1b;background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#555}.verdict{font-size:16px;font-weight:600;padding:8px 12px;border-radius:6px;display:inline-block;margin:10px 0}
.bad{background:#fde2e1;color:#8a1c17}.good{background:#e3f4e4;color:#1f5e24}
table{border-collapse:collapse;background:#fff;width:100%;max-width:1200px}td,th{border:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}code{font:12.5px ui-monospace,Menlo,Consolas,monospace}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;margin:8px 0;max-width:1000px}
.chart svg{width:100%;height:auto;display:block}
.ct{font-size:15px;font-weight:600}.tk{font-size:11px;fill:#555}.al{font-size:12px;fill:#333}.lg{font-size:12px;fill:#222}.empty{font-size:14px;fill:#888}
.ok{color:#1f5e24;font-weight:600}.muted{color:#777}
`;
function renderWatchHtml(r) {
  const t = r.samples.map((s) => s.tMs / 1e3);
  const leaky = new Set(r.leaks.map((l) => l.series.join(",") + loc2(l.createdAt)));
  const chosen = r.groups.filter((g) => Math.max(...g.series) > 0).slice(0, 7);
  const series = chosen.map((g, i) => {
    const isLeak = leaky.has(g.series.join(",") + loc2(g.createdAt)) || g.verdict.growing;
    const where = g.createdAt ? `created at ${loc2(g.createdAt)}` : g.topUserFrame ? `${g.topUserFrame.func}` : g.key.split("\n")[0] ?? "";
    return {
      name: `${isLeak ? "LEAK " : ""}[${g.state}] ${where}`,
      points: g.series.map((y, j) => ({ x: t[j], y })),
      color: PALETTE[i % PALETTE.length]
    };
  });
  series.push({ name: "all goroutines", points: r.samples.map((s, j) => ({ x: t[j], y: s.total })), color: "#555", dashed: true });
  const goroutineChart = svgChart({ title: "Goroutines per group over time", series, xLabel: "seconds since the start of the watch", yLabel: "goroutines" });
  const gcChart = svgChart({
    title: r.gc.pauses.count ? `GC pauses (p50 ${fmtNs(r.gc.pauses.p50)}, p99 ${fmtNs(r.gc.pauses.p99)}, max ${fmtNs(r.gc.pauses.max)})` : "GC pauses (no GC cycle seen through expvar)",
    series: [{ name: "stop-the-world pause", points: r.gc.timeline.map((p) => ({ x: p.tMs / 1e3, y: p.ns / 1e3 })), color: "#1f77b4" }],
    xLabel: "seconds since the start of the watch",
    yLabel: "pause (µs)",
    dots: true,
    height: 280
  });
  const rows = [];
  for (const l of r.leaks) {
    const finding = l.finding ? `<span class="ok">confirmed at run time</span>: <a href="${e(l.docUrl ?? "")}"><code>${e(l.finding)}</code></a> at <code>${e(loc2(l.findingAt))}</code><br><span class="muted">${e(l.message ?? "")}</span>` : '<span class="muted">no static finding at this site</span>';
    const where = l.stuckDefer ? `stuck in deferred <code>${e(l.stuckDefer.deferred.func)}</code> of <code>${e(l.stuckDefer.caller.func)}</code> at <code>${e(loc2(l.stuckDefer))}</code>` : l.topUserFrame ? `<code>${e(l.topUserFrame.func)}</code> at <code>${e(loc2(l.topUserFrame))}</code>` : "";
    rows.push(
      `<tr><td>${e(String(l.count))}</td><td>${e(l.state)}</td><td><code>${e(loc2(l.createdAt))}</code></td><td>${where}</td><td>${e(l.growth ? l.growth.reason : "goroutine leak detector")}</td><td>${finding}</td></tr>`
    );
  }
  const leaksTable = r.leaks.length ? `<table><tr><th>count</th><th>state</th><th>created at</th><th>where</th><th>evidence</th><th>static finding</th></tr>${rows.join("\n")}</table>` : '<p class="ok">No goroutine group grew during the watch.</p>';
  const stuck = r.stuckDefers.length ? `<table><tr><th>count</th><th>deferred call</th><th>deferred by</th><th>at</th><th>static finding</th></tr>${r.stuckDefers.map(
    (s) => `<tr><td>${s.count}</td><td><code>${e(s.deferred)}</code></td><td><code>${e(s.caller)}</code></td><td><code>${e(loc2(s.at))}</code> (${e(s.via)})</td><td>${s.matches[0] ? `<a href="${e(s.matches[0].docUrl)}"><code>${e(s.matches[0].rule)}</code></a>` : ""}</td></tr>`
  ).join("\n")}</table>` : '<p class="muted">None at the end of the watch.</p>';
  const blocked = r.blockedLong.length ? `<table><tr><th>count</th><th>state</th><th>minutes</th><th>where</th><th>created at</th></tr>${r.blockedLong.map((b) => `<tr><td>${b.count}</td><td>${e(b.state)}</td><td>${b.minutes}</td><td><code>${e(b.func ?? "")}</code> <code>${e(loc2(b.where))}</code></td><td><code>${e(loc2(b.createdAt))}</code></td></tr>`).join("\n")}</table>` : '<p class="muted">None at the end of the watch.</p>';
  const first = r.samples[0];
  const last = r.samples[r.samples.length - 1];
  const verdict = r.leaks.length ? `<div class="verdict bad">${r.leaks.length} leak${r.leaks.length === 1 ? "" : "s"} found: ${e(r.leaks.map(leakTitle).join("; "))}</div>` : '<div class="verdict good">No leak found</div>';
  const ls = loadSummary(r);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>deferguard watch: ${e(r.pprof)}</title><style>${CSS}</style></head>
<body>
<h1>deferguard watch</h1>
<div class="meta">${e(r.pprof)} · ${r.samples.length} samples over ${(r.durationMs / 1e3).toFixed(1)} s (every ${r.intervalMs} ms) · started ${e(r.startedAt)}</div>
${ls ? `<div class="meta">${e(ls)}</div>` : ""}
${first && last ? `<div class="meta">goroutines: ${first.total} at the start, ${last.total} at the end</div>` : ""}
${verdict}
<div class="chart">${goroutineChart}</div>
<h2>Leaks</h2>
${leaksTable}
<h2>Stuck inside a deferred call</h2>
${stuck}
<h2>Blocked for a long time</h2>
${blocked}
<h2>GC pauses</h2>
<div class="chart">${gcChart}</div>
${r.gc.prometheus ? `<p>Prometheus <code>go_gc_duration_seconds</code>: ${e(r.gc.prometheus.quantiles.map((q) => `q${q.quantile} ${fmtNs(q.seconds * 1e9)}`).join(", "))}</p>` : ""}
<p class="muted">goroutineleak profile: ${e(r.goroutineleak)}</p>
${r.notes.length ? `<h2>Notes</h2><ul>${r.notes.map((n) => `<li>${e(n)}</li>`).join("")}</ul>` : ""}
</body></html>
`;
}

// src/cli/watch.ts
var USAGE = `usage: deferguard watch --pprof URL [flags]

Samples a running Go service's net/http/pprof (and expvar / Prometheus) over time and reports
goroutine groups that keep growing, goroutines stuck inside deferred calls or blocked for long,
and GC pause percentiles. Exit status 1 when a leak is found (for a CI soak stage).

flags:
  --pprof URL            base URL of the service's net/http/pprof (http://127.0.0.1:6060)
  --vars URL             expvar URL (default: <pprof>/debug/vars, used when served)
  --metrics URL          Prometheus URL with the Go collector's metrics
  --duration D           how long to watch (default 30s; Go durations: 500ms, 10s, 2m)
  --interval I           time between samples (default 1s)
  --load URL             drive GET load at URL during the first 3/4 of the watch
  --rps N                requests per second (default 20, at most ${MAX_RPS})
  --concurrency N        requests in flight at most (default 4, at most ${MAX_CONCURRENCY})
  --load-timeout D       deadline of each load request (default 5s)
  --source DIR           module root: relative paths, and the static findings to join with
  --format text|json|html  output format (default text)
  -o, --output FILE      write the report to FILE instead of standard output
  --min-growth N         smallest growth reported as a leak (default 5 goroutines)
  --min-minutes N        "blocked for a long time" threshold in minutes (default 1)
  --timeout D            deadline of each request to the service (default 10s)

exit codes: 0 no leak, 1 leak found, 2 usage error or the service could not be read.
`;
function parseDuration(s) {
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(s)) return void 0;
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    const v = Number(m[1]);
    ms += v * { ms: 1, s: 1e3, m: 6e4, h: 36e5 }[m[2]];
  }
  return Math.round(ms);
}
var MAX_DURATION_MS = 24 * 36e5;
function parseArgs(args) {
  const f = { durationMs: 3e4, intervalMs: 1e3, rps: 20, concurrency: 4, loadTimeoutMs: 5e3, format: "text", minGrowth: 5, minMinutes: 1, timeoutMs: 1e4 };
  let rpsSet = false;
  let concSet = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const value = () => eq > 0 ? a.slice(eq + 1) : args[++i];
    const need = () => {
      const v = value();
      if (v === void 0 || v === "") throw new Error(`${name} needs a value`);
      return v;
    };
    const duration = () => {
      const v = need();
      const ms = parseDuration(v);
      if (ms === void 0 || ms <= 0) throw new Error(`${name}: invalid duration ${JSON.stringify(v)} (use e.g. 500ms, 10s, 2m)`);
      if (ms > MAX_DURATION_MS) throw new Error(`${name}: ${v} is longer than 24h`);
      return ms;
    };
    const whole = () => {
      const v = need();
      if (!/^\d+$/.test(v)) throw new Error(`${name} needs a whole number, got ${JSON.stringify(v)}`);
      return Number(v);
    };
    switch (name) {
      case "--pprof":
        f.pprof = need();
        break;
      case "--vars":
        f.vars = need();
        break;
      case "--metrics":
        f.metrics = need();
        break;
      case "--duration":
        f.durationMs = duration();
        break;
      case "--interval":
        f.intervalMs = duration();
        break;
      case "--load":
        f.load = need();
        break;
      case "--rps":
        f.rps = whole();
        rpsSet = true;
        break;
      case "--concurrency":
        f.concurrency = whole();
        concSet = true;
        break;
      case "--load-timeout":
        f.loadTimeoutMs = duration();
        break;
      case "--source":
        f.source = need();
        break;
      case "--format": {
        const v = need();
        if (v !== "text" && v !== "json" && v !== "html") throw new Error(`--format must be text, json or html, got ${JSON.stringify(v)}`);
        f.format = v;
        break;
      }
      case "-o":
      case "--output":
        f.output = need();
        break;
      case "--min-growth":
        f.minGrowth = Math.max(1, whole());
        break;
      case "--min-minutes":
        f.minMinutes = whole();
        break;
      case "--timeout":
        f.timeoutMs = duration();
        break;
      default:
        throw new Error(a.startsWith("-") ? `unknown flag ${a}` : `unexpected argument ${JSON.stringify(a)}`);
    }
  }
  if (f.pprof === void 0) throw new Error("--pprof URL is required (the base URL of the service's net/http/pprof)");
  for (const [flag, url] of [["--pprof", f.pprof], ["--vars", f.vars], ["--metrics", f.metrics], ["--load", f.load]]) {
    if (url === void 0) continue;
    let u;
    try {
      u = new URL(url);
    } catch {
      throw new Error(`${flag}: invalid URL ${JSON.stringify(url)}`);
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error(`${flag}: unsupported URL scheme ${u.protocol} (use http or https)`);
  }
  if ((rpsSet || concSet) && f.load === void 0) throw new Error("--rps and --concurrency need --load URL");
  if (f.rps < 1 || f.rps > MAX_RPS) throw new Error(`--rps must be between 1 and ${MAX_RPS}`);
  if (f.concurrency < 1 || f.concurrency > MAX_CONCURRENCY) throw new Error(`--concurrency must be between 1 and ${MAX_CONCURRENCY}`);
  if (f.intervalMs > f.durationMs) throw new Error("--interval is longer than --duration");
  if (f.durationMs / f.intervalMs > 1e5) throw new Error("too many samples: use a longer --interval");
  return f;
}
async function run(args) {
  if (args.includes("-h") || args.includes("--help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  let flags;
  try {
    flags = parseArgs(args);
  } catch (e2) {
    process.stderr.write(`deferguard watch: ${e2.message}

${USAGE}`);
    return 2;
  }
  const opts = {
    pprof: flags.pprof,
    durationMs: flags.durationMs,
    intervalMs: flags.intervalMs,
    fetch: { timeoutMs: flags.timeoutMs },
    minBlockedMinutes: flags.minMinutes,
    growth: { minIncrease: flags.minGrowth }
  };
  if (flags.vars !== void 0) opts.vars = flags.vars;
  if (flags.metrics !== void 0) opts.metrics = flags.metrics;
  if (flags.load !== void 0) opts.load = { url: flags.load, rps: flags.rps, concurrency: flags.concurrency, timeoutMs: flags.loadTimeoutMs };
  if (flags.source !== void 0) {
    const dir = sourceDir(flags.source);
    if (typeof dir !== "string") {
      process.stderr.write(`deferguard watch: ${dir.error}
`);
      return 2;
    }
    const access = sourceAccess(dir);
    opts.rel = access.rel;
    opts.sourceLine = access.sourceLine;
    opts.correlator = staticJoin(access).then((j) => {
      for (const w of j.warnings) process.stderr.write(`deferguard watch: warning: ${w}
`);
      return j.correlator;
    });
  }
  let report;
  try {
    report = await watch(opts);
  } catch (e2) {
    if (e2 instanceof FetchError || e2 instanceof WatchError || e2 instanceof LoadError) {
      process.stderr.write(`deferguard watch: ${e2.message}
`);
      return 2;
    }
    throw e2;
  }
  const text = flags.format === "json" ? renderWatchJson(report) : flags.format === "html" ? renderWatchHtml(report) : renderWatchText(report);
  if (flags.output !== void 0) {
    try {
      writeFileSync(resolve(flags.output), text);
    } catch (e2) {
      process.stderr.write(`deferguard watch: cannot write ${flags.output}: ${e2.message}
`);
      return 2;
    }
  } else process.stdout.write(text);
  return report.leaks.length ? 1 : 0;
}
export {
  parseDuration,
  run
};
