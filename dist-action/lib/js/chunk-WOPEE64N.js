import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  OutputError,
  writeFileAtomic
} from "./chunk-7L5MEL2Z.js";
import {
  CONFIG_NAMES,
  starterConfig
} from "./chunk-5QQ3GILN.js";
import "./chunk-AZ45K3LI.js";
import "./chunk-C3WIRZWW.js";
import {
  ruleMetas
} from "./chunk-BNGGAWJJ.js";
import "./chunk-X2CHC4MP.js";
import "./chunk-YTCJ642O.js";
import "./chunk-BXUJ5AUT.js";

// src/cli/init.ts
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
var USAGE = `usage: deferguard init [-C DIR] [--force]

Writes a commented starter configuration, .deferguard.yml, to the current directory (or DIR):
every rule with its default severity, the severity gate, excludes, the blocking-call and
handler additions, the ban list and the baseline, each explained.

flags:
  -C, --dir DIR   write the file in DIR
  --force         replace an existing configuration file
  --stdout        print the configuration instead of writing it

exit codes: 0 written, 2 usage error, or a configuration already exists (use --force), or the
file cannot be written.
`;
async function run(args) {
  let dir = ".";
  let force = false;
  let stdout = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-h" || a === "--help") {
      process.stdout.write(USAGE);
      return 0;
    } else if (a === "--force") force = true;
    else if (a === "--stdout") stdout = true;
    else if (a === "-C" || a === "--dir") {
      const v = args[++i];
      if (v === void 0) return usage(`flag ${a} needs a value`);
      dir = v;
    } else if (a.startsWith("--dir=")) dir = a.slice("--dir=".length);
    else return usage(a.startsWith("-") ? `unknown flag ${a}` : `unexpected argument "${a}"`);
  }
  const text = starterConfig(ruleMetas());
  if (stdout) {
    process.stdout.write(text);
    return 0;
  }
  const target = resolve(dir);
  try {
    if (!statSync(target).isDirectory()) return fail(`${dir} is not a directory`);
  } catch {
    return fail(`directory ${dir} does not exist`);
  }
  const existing = CONFIG_NAMES.map((n) => join(target, n)).find((p) => existsSync(p));
  if (existing && !force) return fail(`${existing} already exists; use --force to replace it`);
  const file = existing ?? join(target, CONFIG_NAMES[0]);
  try {
    writeFileAtomic(file, text, "the configuration");
  } catch (e) {
    if (e instanceof OutputError) return fail(e.message);
    throw e;
  }
  process.stderr.write(`deferguard: wrote ${file}
`);
  return 0;
}
function usage(msg) {
  process.stderr.write(`deferguard init: ${msg}

${USAGE}`);
  return 2;
}
function fail(msg) {
  process.stderr.write(`deferguard init: ${msg}
`);
  return 2;
}
export {
  run
};
