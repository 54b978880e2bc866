import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  DumpParseError,
  analyze,
  parseDump,
  relativizeAnalysis,
  renderJson,
  renderText,
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

// src/cli/stacks.ts
import { readFileSync } from "node:fs";
var USAGE = `usage: deferguard stacks <file|-> [flags]

Analyses a goroutine dump: pprof goroutine?debug=2 or ?debug=1, goroutineleak, the output of a
panic with GOTRACEBACK=all, a SIGQUIT dump, or go test -timeout output. "-" reads stdin.

flags:
  --format text|json     output format (default text)
  --source DIR           module root: show paths relative to it, read its files to recognise
                         deferred calls that run at a function's closing brace, and analyse it
                         to join groups with the static findings at their go statement or defer
  --no-findings          with --source, skip the static analysis (no join)
  --similarity MODE      group goroutines whose arguments differ: any (default), similar
                         (same shape, any pointer value), exact
  --min-minutes N        "blocked for a long time" threshold in minutes (default 1)
  --frames N             frames shown per group in text output (default 10, 0 = all)
`;
function parseArgs(args) {
  const f = { format: "text", similarity: "any", minMinutes: 1, frames: 10, findings: true };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf("=");
    const name = a.startsWith("--") && eq > 0 ? a.slice(0, eq) : a;
    const value = () => a.startsWith("--") && eq > 0 ? a.slice(eq + 1) : args[++i];
    switch (name) {
      case "--format": {
        const v = value();
        if (v !== "text" && v !== "json") return `--format must be text or json, got ${JSON.stringify(v ?? "")}`;
        f.format = v;
        break;
      }
      case "--source": {
        const v = value();
        if (!v) return "--source needs a directory";
        f.source = v;
        break;
      }
      case "--similarity": {
        const v = value();
        if (v !== "any" && v !== "similar" && v !== "exact") return `--similarity must be any, similar or exact, got ${JSON.stringify(v ?? "")}`;
        f.similarity = v;
        break;
      }
      case "--min-minutes":
      case "--frames": {
        const v = value();
        if (v === void 0 || !/^\d+$/.test(v)) return `${name} needs a whole number, got ${JSON.stringify(v ?? "")}`;
        if (name === "--frames") f.frames = Number(v);
        else f.minMinutes = Number(v);
        break;
      }
      case "--no-findings":
        f.findings = false;
        break;
      default:
        if (a !== "-" && a.startsWith("-")) return `unknown flag ${a}`;
        if (f.input !== void 0) return `only one dump can be analysed at a time (got ${JSON.stringify(f.input)} and ${JSON.stringify(a)})`;
        f.input = a;
    }
  }
  return f;
}
async function readStdin() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return Buffer.concat(chunks).toString("utf8");
}
async function run(args) {
  if (args.includes("-h") || args.includes("--help")) {
    process.stdout.write(USAGE);
    return 0;
  }
  const flags = parseArgs(args);
  if (typeof flags === "string") {
    process.stderr.write(`deferguard stacks: ${flags}

${USAGE}`);
    return 2;
  }
  if (flags.input === void 0) {
    process.stderr.write(`deferguard stacks: missing the dump file (or - for stdin)

${USAGE}`);
    return 2;
  }
  let access;
  if (flags.source !== void 0) {
    const dir = sourceDir(flags.source);
    if (typeof dir !== "string") {
      process.stderr.write(`deferguard stacks: ${dir.error}
`);
      return 2;
    }
    access = sourceAccess(dir);
  }
  let text;
  try {
    text = flags.input === "-" ? await readStdin() : readFileSync(flags.input, "utf8");
  } catch (e) {
    process.stderr.write(`deferguard stacks: cannot read ${flags.input}: ${e.code ?? e.message}
`);
    return 2;
  }
  let dump;
  try {
    dump = parseDump(text);
  } catch (e) {
    if (e instanceof DumpParseError) {
      process.stderr.write(`deferguard stacks: ${flags.input === "-" ? "stdin" : flags.input}: ${e.message}
`);
      return 2;
    }
    throw e;
  }
  let analysis = analyze(dump, {
    similarity: flags.similarity,
    minBlockedMinutes: flags.minMinutes,
    ...access ? { sourceLine: access.sourceLine } : {}
  });
  let matches;
  if (access) {
    analysis = relativizeAnalysis(analysis, access.rel);
    if (flags.findings) {
      const join = await staticJoin(access);
      for (const w of join.warnings) process.stderr.write(`deferguard stacks: warning: ${w}
`);
      matches = /* @__PURE__ */ new Map();
      for (const g of analysis.groups) {
        const ms = join.correlator.forGroup({ createdAt: g.createdAt, stuckDefer: g.stuckDefer });
        if (ms.length) matches.set(g.index, ms);
      }
    }
  }
  process.stdout.write(
    flags.format === "json" ? renderJson(analysis, matches) : renderText(analysis, { maxFrames: flags.frames, ...matches ? { matches } : {} })
  );
  return 0;
}
export {
  run
};
