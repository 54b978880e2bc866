import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  parseFile
} from "./chunk-BEBMU46B.js";
import "./chunk-YTCJ642O.js";
import "./chunk-BXUJ5AUT.js";

// src/cli/ast.ts
import { readFileSync } from "node:fs";
var USAGE = `usage: deferguard ast <file.go> [--summary]

Prints the syntax tree of a Go file as JSON. Positions are "line:column" (1-based; the column
counts bytes, as go/token does); a position that is absent is null.

flags:
  --summary   print the number of nodes of each kind instead of the tree
`;
function isNode(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v) && typeof v.kind === "string";
}
function treeToJson(file, source) {
  const conv = (v, owner, field) => {
    if (v === null || v === void 0) return null;
    if (Array.isArray(v)) return v.map((x, i) => conv(x, owner, `${field}[${i}]`));
    if (typeof v === "number") {
      if (owner === "ChanType" && field === "dir") return v;
      if (v < 0) return null;
      const p = source.position(v);
      return `${p.line}:${p.column}`;
    }
    if (typeof v === "string" || typeof v === "boolean") return v;
    if (isNode(v)) {
      const out = { kind: v.kind };
      for (const key of Object.keys(v)) {
        if (key === "kind" || v.kind === "File" && key === "imports") continue;
        out[key] = conv(v[key], v.kind, key);
      }
      return out;
    }
    return String(v);
  };
  return conv(file, "File", "");
}
function countKinds(file) {
  const counts = /* @__PURE__ */ new Map();
  const seen = /* @__PURE__ */ new Set();
  const visit = (v) => {
    if (typeof v !== "object" || v === null) return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    if (seen.has(v)) return;
    seen.add(v);
    if (isNode(v)) counts.set(v.kind, (counts.get(v.kind) ?? 0) + 1);
    for (const [key, x] of Object.entries(v)) {
      if (key === "imports" && isNode(v) && v.kind === "File") continue;
      visit(x);
    }
  };
  visit(file);
  return new Map([...counts].sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
async function run(args) {
  let summary = false;
  const files = [];
  for (const a of args) {
    if (a === "--summary") summary = true;
    else if (a === "-h" || a === "--help") {
      process.stdout.write(USAGE);
      return 0;
    } else if (a.startsWith("-") && a !== "-") {
      process.stderr.write(`deferguard ast: unknown flag ${a}

${USAGE}`);
      return 2;
    } else files.push(a);
  }
  if (files.length !== 1) {
    process.stderr.write(`deferguard ast: expected one Go file, got ${files.length}

${USAGE}`);
    return 2;
  }
  const name = files[0];
  let bytes;
  try {
    bytes = readFileSync(name === "-" ? 0 : name);
  } catch (e) {
    const err = e;
    const why = err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "is a directory" : err.message;
    process.stderr.write(`deferguard ast: cannot read ${name}: ${why}
`);
    return 2;
  }
  const { file, errors, source } = parseFile(name, bytes);
  if (summary) {
    const counts = countKinds(file);
    let total = 0;
    const width = Math.max(5, ...[...counts.keys()].map((k) => k.length));
    const lines = [];
    for (const [kind, n] of counts) {
      lines.push(`${kind.padEnd(width)} ${String(n).padStart(7)}`);
      total += n;
    }
    lines.push(`${"total".padEnd(width)} ${String(total).padStart(7)}`);
    const nlines = source.lineStarts.length - (bytes.length === 0 || bytes[bytes.length - 1] === 10 ? 1 : 0);
    process.stdout.write(`${name}: ${nlines} lines, ${bytes.length} bytes
${lines.join("\n")}
`);
  } else {
    process.stdout.write(JSON.stringify(treeToJson(file, source), null, 2) + "\n");
  }
  for (const e of errors) process.stderr.write(`${name}:${e.line}:${e.column}: ${e.message}
`);
  return errors.length > 0 ? 1 : 0;
}
export {
  countKinds,
  run,
  treeToJson
};
