import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  analyzers,
  ruleById
} from "./chunk-BNGGAWJJ.js";
import "./chunk-X2CHC4MP.js";
import "./chunk-YTCJ642O.js";
import "./chunk-BXUJ5AUT.js";

// src/cli/explain.ts
import { readFileSync } from "node:fs";
var DOCS = new URL("../../docs/rules/", import.meta.url);
async function run(args) {
  if (args.length !== 1 || args[0].startsWith("-")) {
    const help = args[0] === "-h" || args[0] === "--help";
    (help ? process.stdout : process.stderr).write('usage: deferguard explain <rule>\n\nPrints the documentation of a rule; "deferguard rules" lists them.\n');
    return help ? 0 : 2;
  }
  const id = args[0];
  if (!ruleById(id)) {
    const near = analyzers.map((a) => a.meta.id).filter((x) => x.includes(id) || id.includes(x));
    process.stderr.write(`deferguard explain: unknown rule "${id}"${near.length ? ` (did you mean ${near.join(", ")}?)` : ""}; "deferguard rules" lists them
`);
    return 2;
  }
  let text;
  try {
    text = readFileSync(new URL(`${id}.md`, DOCS), "utf8");
  } catch (e) {
    process.stderr.write(`deferguard explain: the documentation of ${id} is missing from this installation: ${e.message}
`);
    return 3;
  }
  process.stdout.write(text.endsWith("\n") ? text : text + "\n");
  return 0;
}
export {
  run
};
