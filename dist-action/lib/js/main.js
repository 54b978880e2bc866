import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  main,
  version
} from "./chunk-ZIPXODVD.js";
import "./chunk-BXUJ5AUT.js";

// src/cli/action.ts
import { spawn } from "node:child_process";
var ActionInputError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "ActionInputError";
  }
};
function input(env, name) {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
function boolInput(env, name, dflt) {
  const v = input(env, name).toLowerCase();
  if (v === "") return dflt;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new ActionInputError(`input ${name} must be true or false, not "${input(env, name)}"`);
}
function actionPlan(env, bundled = version()) {
  const args = ["ci"];
  const wd = input(env, "working-directory");
  if (wd !== "" && wd !== ".") args.push("-C", wd);
  const config = input(env, "config");
  if (config) args.push("--config", config);
  const failOn = input(env, "fail-on");
  if (failOn) args.push("--fail-on", failOn);
  if (!boolInput(env, "only-new", true)) args.push("--only-new=false");
  const baseline = input(env, "baseline");
  if (baseline) args.push("--baseline", baseline);
  const phase = input(env, "phase") || "all";
  if (phase !== "all" && phase !== "analyse" && phase !== "analyze" && phase !== "post") {
    throw new ActionInputError(`input phase must be all, analyse or post, not "${phase}"`);
  }
  if (phase !== "post") {
    const sarif = input(env, "sarif");
    if (sarif) args.push("--sarif", sarif);
    if (boolInput(env, "golangci-lint", false)) args.push("--with-golangci-lint");
  }
  const mode = input(env, "comment-mode");
  if (mode) args.push("--comment-mode", mode);
  const key = input(env, "summary-key") || (wd !== "" && wd !== "." ? wd.replace(/[^A-Za-z0-9._/-]/g, "-").slice(0, 100) : "");
  if (key) args.push("--summary-key", key);
  const checkRun = input(env, "check-run");
  if (checkRun) args.push("--check-run", checkRun);
  if (phase !== "all") {
    const artifact = input(env, "artifact");
    if (!artifact) throw new ActionInputError(`input phase ${phase} needs the artifact input (a directory)`);
    args.push("--phase", phase, "--artifact", artifact);
  }
  if (phase !== "post") {
    for (const p of input(env, "paths").split(/\s+/)) if (p !== "") args.push(p);
  }
  const v = input(env, "version").replace(/^v(?=\d)/, "");
  if (v !== "" && v !== "bundled" && !/^(?:latest|\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.test(v)) {
    throw new ActionInputError(`input version must be a release like 1.2.3, latest or bundled, not "${input(env, "version")}"`);
  }
  return { args, version: v === "" || v === "bundled" || v === bundled ? void 0 : v };
}
function defaultNpx(args, env) {
  return new Promise((resolve) => {
    const child = spawn("npx", args, { stdio: "inherit", env });
    child.on("error", (e) => {
      process.stderr.write(`deferguard action: cannot run npx: ${e.message}
`);
      resolve(3);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 3 : 0)));
  });
}
async function runAction(env, deps) {
  const stderr = deps.stderr ?? ((s) => void process.stderr.write(s));
  let plan;
  try {
    plan = actionPlan(env);
  } catch (e) {
    if (e instanceof ActionInputError) {
      stderr(`deferguard action: ${e.message}
`);
      return 2;
    }
    throw e;
  }
  if (plan.version === void 0) return deps.main(plan.args);
  stderr(`deferguard action: running deferguard ${plan.version} from npm (this action bundles ${version()})
`);
  return (deps.spawnNpx ?? defaultNpx)(["--yes", `deferguard@${plan.version}`, ...plan.args], env);
}

// src/cli/action-main.ts
var argv = process.argv.slice(2);
try {
  process.exitCode = argv.length > 0 ? await main(argv) : await runAction(process.env, { main });
} catch (err) {
  process.stderr.write(`deferguard: internal error: ${err instanceof Error && err.stack ? err.stack : String(err)}
`);
  process.exitCode = 3;
}
