import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  DriverError,
  analyze
} from "./chunk-PVR3H62W.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-ZBIIT5WW.js";
import "./chunk-C3WIRZWW.js";
import {
  parseFile
} from "./chunk-BEBMU46B.js";
import {
  REGISTRY_URL,
  analyzers
} from "./chunk-BNGGAWJJ.js";
import {
  docUrl
} from "./chunk-X2CHC4MP.js";
import {
  forEachChild,
  loopingLabels
} from "./chunk-YTCJ642O.js";
import "./chunk-BXUJ5AUT.js";

// src/cli/cost.ts
import { spawn } from "node:child_process";
import { devNull } from "node:os";
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute as isAbsolute2, join, resolve as resolve2 } from "node:path";

// src/runtime/cost.ts
import { isAbsolute, relative, resolve, sep } from "node:path";
var LINE_RE = /^(.+?):(\d+):(\d+): (open-coded|stack-allocated|heap-allocated) defer(?: in function (\S+))?\s*$/;
function parseDeferOutput(output) {
  const defers = [];
  const other = [];
  let pkg = null;
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line === "") continue;
    if (line.startsWith("# ")) {
      pkg = line.slice(2).trim();
      continue;
    }
    const m = LINE_RE.exec(line);
    if (!m) {
      other.push(line);
      continue;
    }
    const kind = m[4] === "open-coded" ? "open-coded" : m[4] === "stack-allocated" ? "stack" : "heap";
    defers.push({ path: m[1], line: Number(m[2]), column: Number(m[3]), kind, func: m[5] ?? null, pkg });
  }
  return { defers, other };
}
function deferSites(filename, text) {
  const { file, source } = parseFile(filename, text);
  const out = [];
  const recvName = (d) => {
    const t = d.recv?.list?.[0]?.type;
    if (!t) return "";
    let x = t;
    let star = false;
    if (x.kind === "StarExpr") {
      star = true;
      x = x.x;
    }
    if (x.kind === "IndexExpr" || x.kind === "IndexListExpr") x = x.x;
    const name = x.kind === "Ident" ? x.name : "?";
    return star ? `(*${name}).` : `${name}.`;
  };
  let looping = /* @__PURE__ */ new Set();
  const visitBody = (body, name) => {
    const outer = looping;
    looping = loopingLabels(body);
    visit(body, name, { n: 0 }, false);
    looping = outer;
  };
  const visit = (n, fn, lits, loop) => {
    if (n.kind === "FuncDecl") {
      if (!n.body) return;
      visitBody(n.body, `${recvName(n)}${n.name.name}`);
      return;
    }
    if (n.kind === "FuncLit") {
      lits.n++;
      visitBody(n.body, fn ? `${fn}.func${lits.n}` : `glob..func${lits.n}`);
      return;
    }
    if (n.kind === "DeferStmt") out.push({ line: source.position(n.defer).line, func: fn, inLoop: loop });
    const inLoop = loop || n.kind === "ForStmt" || n.kind === "RangeStmt";
    if (n.kind === "BlockStmt" && looping.size > 0) {
      let l = inLoop;
      for (const st of n.list ?? []) {
        if (st.kind === "LabeledStmt" && looping.has(st.label.name)) l = true;
        visit(st, fn, lits, l);
      }
      return;
    }
    forEachChild(n, (c) => visit(c, fn, lits, inLoop));
  };
  visit(file, "", { n: 0 }, false);
  return out;
}
function buildCostReport(output, opts) {
  const { defers: raw, other } = parseDeferOutput(output);
  const sitesCache = /* @__PURE__ */ new Map();
  const sites = (file) => {
    let s = sitesCache.get(file);
    if (!s) {
      const text = opts.read(file);
      s = text === void 0 ? [] : deferSites(file, text);
      sitesCache.set(file, s);
    }
    return s;
  };
  const seen = /* @__PURE__ */ new Set();
  const defers = [];
  for (const r of raw) {
    const abs = isAbsolute(r.path) ? r.path : resolve(opts.cwd, r.path);
    let file = relative(opts.root, abs).split(sep).join("/");
    if (file.startsWith("../")) file = abs;
    const key = `${file}:${r.line}:${r.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const site = sites(file).find((s) => s.line === r.line);
    const findings = opts.findings.filter((f) => f.file === file && f.line === r.line).map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, docUrl: docUrl(f.rule) })).sort((a, b) => a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
    defers.push({ file, line: r.line, column: r.column, kind: r.kind, package: r.pkg, func: r.func ?? site?.func ?? null, inLoop: site?.inLoop ?? false, findings });
  }
  const order = { heap: 0, stack: 1, "open-coded": 2 };
  defers.sort((a, b) => order[a.kind] - order[b.kind] || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column);
  return {
    defers,
    summary: {
      openCoded: defers.filter((d) => d.kind === "open-coded").length,
      stack: defers.filter((d) => d.kind === "stack").length,
      heap: defers.filter((d) => d.kind === "heap").length,
      heapInLoops: defers.filter((d) => d.kind === "heap" && d.inLoop).length
    },
    otherOutput: other
  };
}
var KIND_TEXT = {
  heap: "heap-allocated: a runtime allocation each time the defer statement runs (in a loop: per iteration)",
  stack: "stack-allocated: a defer record on the stack, run by the runtime at return",
  "open-coded": "open-coded: inlined at the function exits, about the cost of a call"
};
function renderCostText(r) {
  const s = r.summary;
  const out = [];
  const total = r.defers.length;
  out.push(`${total} defer${total === 1 ? "" : "s"}: ${s.openCoded} open-coded, ${s.stack} stack-allocated, ${s.heap} heap-allocated${s.heap ? ` (${s.heapInLoops} in loops)` : ""}`);
  for (const kind of ["heap", "stack", "open-coded"]) {
    const list = r.defers.filter((d) => d.kind === kind);
    if (!list.length) continue;
    out.push("", `${KIND_TEXT[kind]}:`);
    for (const d of list) {
      const extra = [d.func ? `in ${d.func}` : "", d.inLoop ? "inside a loop" : ""].filter(Boolean).join(", ");
      out.push(`  ${d.file}:${d.line}:${d.column}${extra ? `  ${extra}` : ""}`);
      for (const f of d.findings) out.push(`      ${f.rule} (${f.severity}): ${f.message}`);
    }
  }
  return out.join("\n") + "\n";
}
function renderCostJson(r) {
  return JSON.stringify({ summary: r.summary, defers: r.defers, otherOutput: r.otherOutput }, null, 2) + "\n";
}

// src/cli/cost.ts
var USAGE = `usage: deferguard cost [flags] [PATTERN...]

Builds the packages matching the patterns (default ./...) with go build -gcflags=-d=defer (the
binaries are discarded) and lists each defer as the compiler compiled it: open-coded (about the
cost of a call), stack-allocated, or heap-allocated (an allocation per execution: defers in
loops), with the static findings at the same line. Needs the go command.

flags:
  -C, --dir DIR          run in DIR (a module or a directory inside one)
  --format text|json     output format (default text)
  --tags a,b             build tags
  --no-findings          do not run the static analysis

exit codes: 0 listed, 2 usage error, go missing, or the build failed.
`;
function parseArgs(args) {
  const f = { dir: ".", patterns: [], format: "text", tags: [], findings: true };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const value = () => eq > 0 ? a.slice(eq + 1) : args[++i];
    switch (name) {
      case "-C":
      case "--dir": {
        const v = value();
        if (!v) return `${name} needs a directory`;
        f.dir = v;
        break;
      }
      case "--format": {
        const v = value();
        if (v !== "text" && v !== "json") return `--format must be text or json, got ${JSON.stringify(v ?? "")}`;
        f.format = v;
        break;
      }
      case "--tags": {
        const v = value();
        if (v === void 0) return "--tags needs a value";
        f.tags.push(...v.split(",").map((x) => x.trim()).filter(Boolean));
        break;
      }
      case "--no-findings":
        f.findings = false;
        break;
      default:
        if (a.startsWith("-")) return `unknown flag ${a}`;
        f.patterns.push(a);
    }
  }
  return f;
}
function goBuild(cwd, args) {
  return new Promise((done) => {
    let stderr = "";
    let settled = false;
    const finish = (r) => {
      if (!settled) {
        settled = true;
        done(r);
      }
    };
    const p = spawn("go", args, { cwd, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, GOFLAGS: process.env.GOFLAGS ?? "" } });
    p.stderr.setEncoding("utf8");
    p.stderr.on("data", (c) => {
      if (stderr.length < 64 << 20) stderr += c;
    });
    p.on("error", (e) => finish({ code: null, stderr: e.message, missing: e.code === "ENOENT" }));
    p.on("close", (code) => finish({ code, stderr, missing: false }));
  });
}
function moduleRoot(dir) {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, "go.mod"))) return d;
    if (dirname(d) === d) return dir;
  }
}
async function run(args) {
  if (args.includes("-h") || args.includes("--help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const flags = parseArgs(args);
  if (typeof flags === "string") {
    process.stderr.write(`deferguard cost: ${flags}

${USAGE}`);
    return 2;
  }
  const cwd = resolve2(flags.dir);
  const patterns = flags.patterns.length ? flags.patterns : ["./..."];
  const buildArgs = ["build", "-gcflags=-d=defer", "-o", devNull, ...flags.tags.length ? ["-tags", flags.tags.join(",")] : [], ...patterns];
  const analysis = flags.findings ? analyze({ cwd, patterns: flags.patterns, tags: flags.tags, registry: REGISTRY_URL, enable: analyzers.map((a) => a.meta.id) }).catch((e) => {
    if (e instanceof DriverError) return e;
    throw e;
  }) : void 0;
  const go = await goBuild(cwd, buildArgs);
  if (go.missing) {
    await analysis;
    process.stderr.write("deferguard cost: the go command is not installed or not on PATH; cost reads the Go compiler's own classification of each defer (go build -gcflags=-d=defer), so it needs Go (https://go.dev/dl/)\n");
    return 2;
  }
  if (go.code !== 0) {
    await analysis;
    const lines = go.stderr.split("\n").filter((l) => l && !/: (open-coded|stack-allocated|heap-allocated) defer/.test(l));
    process.stderr.write(`deferguard cost: go ${buildArgs.join(" ")} failed in ${cwd} (exit ${go.code}):
${lines.slice(0, 40).join("\n")}
`);
    return 2;
  }
  let findings = [];
  let root = moduleRoot(cwd);
  const result = await analysis;
  if (result instanceof DriverError) process.stderr.write(`deferguard cost: warning: static analysis failed, defers are listed without findings: ${result.message}
`);
  else if (result) {
    findings = result.findings;
    root = result.root;
  }
  const read = (file) => {
    try {
      return readFileSync(isAbsolute2(file) ? file : join(root, file), "utf8");
    } catch {
      return void 0;
    }
  };
  const report = buildCostReport(go.stderr, { cwd, root, findings, read });
  process.stdout.write(flags.format === "json" ? renderCostJson(report) : renderCostText(report));
  return 0;
}
export {
  run
};
