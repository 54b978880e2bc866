import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  analyzers
} from "./chunk-BNGGAWJJ.js";
import "./chunk-X2CHC4MP.js";
import "./chunk-YTCJ642O.js";
import "./chunk-BXUJ5AUT.js";

// src/cli/rules.ts
var USAGE = `usage: deferguard rules [--format text|json]

Lists every rule: id, default severity, whether it runs by default, and a one-line summary.
`;
async function run(args) {
  let format = "text";
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-h" || a === "--help") {
      process.stdout.write(USAGE);
      return 0;
    }
    if (a === "--format" || a.startsWith("--format=")) {
      format = a === "--format" ? args[++i] ?? "" : a.slice("--format=".length);
      if (format !== "text" && format !== "json") {
        process.stderr.write(`deferguard rules: unknown format "${format}": use text or json
`);
        return 2;
      }
      continue;
    }
    process.stderr.write(`deferguard rules: unexpected argument ${a}

${USAGE}`);
    return 2;
  }
  const rows = analyzers.map((x) => ({ id: x.meta.id, severity: x.meta.severity, enabled: x.meta.enabledByDefault, summary: x.meta.summary }));
  if (format === "json") {
    process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
    return 0;
  }
  const w = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) {
    process.stdout.write(`${r.id.padEnd(w)}  ${r.severity.padEnd(8)}  ${r.enabled ? "on " : "off"}  ${r.summary}
`);
  }
  return 0;
}
export {
  run
};
