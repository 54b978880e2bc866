// deferguard ast <file.go> [--summary]: prints the syntax tree of one Go file as JSON, with
// positions as "line:column" (1-based, byte columns as go/token counts them), or with --summary
// the number of nodes of each kind. Syntax errors go to stderr as file:line:col: message, exit 1.
import { readFileSync } from 'node:fs';
import type { File } from '../syntax/ast.js';
import { parseFile } from '../syntax/parser.js';
import type { SourceFile } from '../syntax/source.js';

const USAGE = `usage: deferguard ast <file.go> [--summary]

Prints the syntax tree of a Go file as JSON. Positions are "line:column" (1-based; the column
counts bytes, as go/token does); a position that is absent is null.

flags:
  --summary   print the number of nodes of each kind instead of the tree
`;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isNode(v: unknown): v is { kind: string } & Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { kind?: unknown }).kind === 'string';
}

/** The tree as plain JSON, positions turned into "line:col". File.imports (a repeat of import specs) is left out. */
export function treeToJson(file: File, source: SourceFile): Json {
  const conv = (v: unknown, owner: string, field: string): Json => {
    if (v === null || v === undefined) return null;
    if (Array.isArray(v)) return v.map((x, i) => conv(x, owner, `${field}[${i}]`));
    if (typeof v === 'number') {
      if (owner === 'ChanType' && field === 'dir') return v;
      if (v < 0) return null;
      const p = source.position(v);
      return `${p.line}:${p.column}`;
    }
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    if (isNode(v)) {
      const out: { [key: string]: Json } = { kind: v.kind };
      for (const key of Object.keys(v)) {
        if (key === 'kind' || (v.kind === 'File' && key === 'imports')) continue;
        out[key] = conv(v[key], v.kind, key);
      }
      return out;
    }
    return String(v);
  };
  return conv(file, 'File', '');
}

/** Number of nodes of each kind in the tree, kinds sorted by name. */
export function countKinds(file: File): Map<string, number> {
  const counts = new Map<string, number>();
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    // Comment groups are shared between File.comments and the doc/comment fields: count them once.
    if (seen.has(v)) return;
    seen.add(v);
    if (isNode(v)) counts.set(v.kind, (counts.get(v.kind) ?? 0) + 1);
    for (const [key, x] of Object.entries(v)) {
      if (key === 'imports' && isNode(v) && v.kind === 'File') continue;
      visit(x);
    }
  };
  visit(file);
  return new Map([...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

export async function run(args: string[]): Promise<number> {
  let summary = false;
  const files: string[] = [];
  for (const a of args) {
    if (a === '--summary') summary = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a.startsWith('-') && a !== '-') {
      process.stderr.write(`deferguard ast: unknown flag ${a}\n\n${USAGE}`);
      return 2;
    } else files.push(a);
  }
  if (files.length !== 1) {
    process.stderr.write(`deferguard ast: expected one Go file, got ${files.length}\n\n${USAGE}`);
    return 2;
  }
  const name = files[0]!;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(name === '-' ? 0 : name);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    process.stderr.write(`deferguard ast: cannot read ${name}: ${why}\n`);
    return 2;
  }
  const { file, errors, source } = parseFile(name, bytes);
  if (summary) {
    const counts = countKinds(file);
    let total = 0;
    const width = Math.max(5, ...[...counts.keys()].map((k) => k.length));
    const lines: string[] = [];
    for (const [kind, n] of counts) {
      lines.push(`${kind.padEnd(width)} ${String(n).padStart(7)}`);
      total += n;
    }
    lines.push(`${'total'.padEnd(width)} ${String(total).padStart(7)}`);
    const nlines = source.lineStarts.length - (bytes.length === 0 || bytes[bytes.length - 1] === 10 ? 1 : 0);
    process.stdout.write(`${name}: ${nlines} lines, ${bytes.length} bytes\n${lines.join('\n')}\n`);
  } else {
    process.stdout.write(JSON.stringify(treeToJson(file, source), null, 2) + '\n');
  }
  for (const e of errors) process.stderr.write(`${name}:${e.line}:${e.column}: ${e.message}\n`);
  return errors.length > 0 ? 1 : 0;
}
