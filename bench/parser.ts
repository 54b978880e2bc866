// npm run bench:parser -- [dir|file.go ...] [--json] [--rounds N] [--limit N]
//
// Parser throughput of deferguard's parser against tree-sitter-go (native binding), in one process
// on the same files (default: every .go file under $(go env GOROOT)/src). Each side's time is its
// parse plus a full walk of the tree it built: every node of ours (a generic walk over the node
// objects), every node of tree-sitter's (named and anonymous, with a TreeCursor). Files are read
// into memory first; ours parses the bytes, tree-sitter the decoded string (each side's natural
// input). After a warm-up on a slice of the files, the two sides alternate for N rounds each over
// all files; the reported time of a side is its fastest round. Not part of npm test.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { parseFile as ParseFileFn } from '../src/syntax/parser.js';
import { collectGoFiles } from '../scripts/parity-parser.js';

// The parser is measured as users run it: the compiled JavaScript in dist/ (npm run build, which the
// npm script runs first), not the TypeScript source through a development loader.
const { parseFile } = (await import(new URL('../dist/syntax/parser.js', import.meta.url).href)) as { parseFile: typeof ParseFileFn };

const USAGE = `usage: npm run bench:parser -- [dir|file.go ...] [--json] [--rounds N] [--limit N]

  --json       print {"files","megabytes","oursMBps","treeSitterMBps","ratio"} as one JSON line
  --rounds N   timed rounds per side over all files, alternating (default 3; the fastest counts)
  --limit N    use only the first N files of the sorted list
`;

interface TSNode { readonly type: string }
interface TSCursor { gotoFirstChild(): boolean; gotoNextSibling(): boolean; gotoParent(): boolean }
interface TSTree { readonly rootNode: TSNode; walk(): TSCursor }
interface TSParser { setLanguage(lang: unknown): void; parse(input: string): TSTree }

function loadTreeSitter(): TSParser {
  const require = createRequire(import.meta.url);
  let Parser: new () => TSParser;
  let Go: unknown;
  try {
    Parser = require('tree-sitter') as new () => TSParser;
    Go = require('tree-sitter-go');
  } catch (e) {
    throw new Error(`cannot load the native tree-sitter binding or tree-sitter-go (npm ci installs both as devDependencies): ${(e as Error).message}`);
  }
  const p = new Parser();
  p.setLanguage(Go);
  return p;
}

/** Number of nodes in our tree: every object with a string kind, reached through every field. */
function walkOurs(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  if (Array.isArray(v)) {
    let n = 0;
    for (const x of v) n += walkOurs(x);
    return n;
  }
  const o = v as Record<string, unknown>;
  let n = typeof o.kind === 'string' ? 1 : 0;
  for (const k in o) {
    const x = o[k];
    if (typeof x === 'object' && x !== null) n += walkOurs(x);
  }
  return n;
}

/** Number of nodes in a tree-sitter tree, named and anonymous, in document order. */
function walkTreeSitter(tree: TSTree): number {
  const c = tree.walk();
  let n = 1;
  for (;;) {
    if (c.gotoFirstChild()) {
      n++;
      continue;
    }
    for (;;) {
      if (c.gotoNextSibling()) {
        n++;
        break;
      }
      if (!c.gotoParent()) return n;
    }
  }
}

interface Input {
  bytes: Uint8Array;
  text: string;
}

function runOurs(inputs: Input[]): { ms: number; nodes: number; errors: number } {
  let nodes = 0;
  let errors = 0;
  const t0 = performance.now();
  for (const inp of inputs) {
    const r = parseFile('bench.go', inp.bytes);
    nodes += walkOurs(r.file);
    if (r.errors.length > 0) errors++;
  }
  return { ms: performance.now() - t0, nodes, errors };
}

function runTreeSitter(p: TSParser, inputs: Input[]): { ms: number; nodes: number } {
  let nodes = 0;
  const t0 = performance.now();
  for (const inp of inputs) nodes += walkTreeSitter(p.parse(inp.text));
  return { ms: performance.now() - t0, nodes };
}

async function main(argv: string[]): Promise<number> {
  let json = false;
  let rounds = 3;
  let limit = Infinity;
  const roots: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = (): number => {
      const v = argv[++i];
      if (v === undefined || !/^[1-9][0-9]*$/.test(v)) throw new Error(`${a} needs a positive integer, got ${v ?? 'nothing'}`);
      return Number(v);
    };
    if (a === '--json') json = true;
    else if (a === '--rounds') rounds = num();
    else if (a === '--limit') limit = num();
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      return 0;
    } else if (a.startsWith('-')) throw new Error(`unknown flag ${a}\n\n${USAGE}`);
    else roots.push(a);
  }
  if (roots.length === 0) {
    let goroot: string;
    try {
      goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    } catch (e) {
      throw new Error(`no directory given and cannot run "go env GOROOT" (${(e as Error).message.split('\n')[0]}); pass directories of Go files`);
    }
    roots.push(join(goroot, 'src'));
  }
  let files = collectGoFiles(roots);
  if (files.length > limit) files = files.slice(0, limit);
  if (files.length === 0) throw new Error(`no .go files under ${roots.join(', ')}`);

  const ts = loadTreeSitter();
  const decoder = new TextDecoder();
  const inputs: Input[] = files.map((f) => {
    const bytes = readFileSync(f);
    return { bytes, text: decoder.decode(bytes) };
  });
  const totalBytes = inputs.reduce((s, x) => s + x.bytes.length, 0);
  const log = (s: string) => { if (!json) process.stderr.write(s + '\n'); };
  log(`${files.length} files, ${(totalBytes / 1e6).toFixed(1)} MB under ${roots.join(', ')}; ${rounds} rounds per side`);

  // Warm-up: both sides over every 10th file.
  const warm = inputs.filter((_, i) => i % 10 === 0);
  runOurs(warm);
  runTreeSitter(ts, warm);

  let bestOurs = Infinity;
  let bestTs = Infinity;
  let oursNodes = 0;
  let tsNodes = 0;
  let rejected = 0;
  for (let r = 0; r < rounds; r++) {
    const o = runOurs(inputs);
    const t = runTreeSitter(ts, inputs);
    bestOurs = Math.min(bestOurs, o.ms);
    bestTs = Math.min(bestTs, t.ms);
    oursNodes = o.nodes;
    tsNodes = t.nodes;
    rejected = o.errors;
    log(`round ${r + 1}: ours ${(o.ms / 1000).toFixed(2)} s, tree-sitter ${(t.ms / 1000).toFixed(2)} s`);
  }
  const mb = totalBytes / 1e6;
  const oursMBps = mb / (bestOurs / 1000);
  const treeSitterMBps = mb / (bestTs / 1000);
  const ratio = oursMBps / treeSitterMBps;
  const round2 = (x: number) => Math.round(x * 100) / 100;
  if (json) {
    process.stdout.write(JSON.stringify({ files: files.length, megabytes: round2(mb), oursMBps: round2(oursMBps), treeSitterMBps: round2(treeSitterMBps), ratio: round2(ratio) }) + '\n');
  } else {
    process.stdout.write(
      [
        `parser throughput on ${files.length} files, ${mb.toFixed(1)} MB (parse + full tree walk, fastest of ${rounds} rounds)`,
        `  deferguard     ${oursMBps.toFixed(1).padStart(8)} MB/s  ${(bestOurs / 1000).toFixed(2).padStart(7)} s  ${oursNodes} nodes, ${rejected} files with syntax errors`,
        `  tree-sitter-go ${treeSitterMBps.toFixed(1).padStart(8)} MB/s  ${(bestTs / 1000).toFixed(2).padStart(7)} s  ${tsNodes} nodes (named and anonymous)`,
        `  ratio          ${ratio.toFixed(2)}x`,
      ].join('\n') + '\n',
    );
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(`bench:parser: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
