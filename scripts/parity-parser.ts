// npm run parity:parser -- [dir|file.go ...] [--json] [--limit N] [--sample K]
//
// Checks deferguard's Go parser against go/parser, file by file: the canonical dump
// (docs/parser-dump.md) of both trees must be identical on every file go/parser accepts, and
// every file go/parser rejects must be rejected by ours too. The Go side is tools/gohelper, run
// once over all files; ours runs in a worker thread (a parse over 5 s is stopped and counted as a
// difference). Only hashes are compared; full dumps are produced for the reported examples only.
// Exit status: 0 when there is no difference, 1 when there is, 2 when the check could not run.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { buildGoHelper, findGo, goEnv, goFullDumps, type GoInfo } from './gohelper.js';
import type { ParityAnswer, ParityJob } from './parity-worker.js';

const USAGE = `usage: npm run parity:parser -- [dir|file.go ...] [--json] [--limit N] [--sample K]

Compares deferguard's parser with go/parser on every .go file under the given directories
(default: $(go env GOROOT)/src). Directories whose name starts with "." are skipped.

  --json       print one JSON object instead of the summary
  --sample K   check every K-th file of the sorted list (K >= 1)
  --limit N    check at most N files (after --sample)
`;

export const PARSE_TIMEOUT_MS = 5000;
const MAX_EXAMPLES = 20;

export type MismatchKind = 'different' | 'onlyOursRejected' | 'onlyGoRejected';

export interface ParityReport {
  compared: number;
  identical: number;
  different: number;
  bothRejected: number;
  onlyOursRejected: number;
  onlyGoRejected: number;
  examples: { file: string; kind: MismatchKind; detail: string }[];
}

interface Options {
  roots: string[];
  json: boolean;
  limit: number;
  sample: number;
}

class UsageError extends Error {}

function parseArgs(args: string[]): Options {
  const o: Options = { roots: [], json: false, limit: Infinity, sample: 1 };
  const num = (flag: string, v: string | undefined): number => {
    if (v === undefined || !/^[1-9][0-9]*$/.test(v)) throw new UsageError(`${flag} needs a positive integer, got ${v ?? 'nothing'}`);
    return Number(v);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    if (flag === '--json') o.json = true;
    else if (flag === '--limit') o.limit = num('--limit', inline ?? args[++i]);
    else if (flag === '--sample') o.sample = num('--sample', inline ?? args[++i]);
    else if (flag === '-h' || flag === '--help') throw new UsageError('');
    else if (a.startsWith('-')) throw new UsageError(`unknown flag ${a}`);
    else o.roots.push(a);
  }
  return o;
}

/** All .go files under the roots (or the roots themselves), absolute, sorted, without duplicates. */
export function collectGoFiles(roots: string[]): string[] {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, d.name);
      if (d.isDirectory()) {
        if (!d.name.startsWith('.')) walk(p);
      } else if (d.isFile() && d.name.endsWith('.go')) out.add(p);
    }
  };
  for (const r of roots) {
    const abs = resolve(r);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new UsageError(`no such file or directory: ${r}`);
    }
    if (st.isDirectory()) walk(abs);
    else if (st.isFile()) out.add(abs);
    else throw new UsageError(`not a file or directory: ${r}`);
  }
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A path for messages: relative to the working directory when inside it, else to GOROOT, else absolute. */
function displayPath(abs: string, goroot: string): string {
  const rel = relative(process.cwd(), abs);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  const g = relative(goroot, abs);
  if (g && !g.startsWith('..') && !isAbsolute(g)) return '$GOROOT/' + g.split(sep).join('/');
  return abs;
}

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

/** The first differing line of two dumps, with the chain of enclosing nodes and a little context. */
export function firstDifference(goDump: string, ourDump: string): string {
  const a = goDump.split('\n');
  const b = ourDump.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return 'dumps are identical';
  // Enclosing lines: walking back, each line less indented than the last one kept.
  const anc: number[] = [];
  let ind = indentOf(a[i] ?? b[i] ?? '');
  for (let j = i - 1; j >= 0 && ind > 0; j--) {
    const k = indentOf(a[j]!);
    if (k < ind) {
      anc.unshift(j);
      ind = k;
    }
  }
  // Render "decls: [" followed by its element "FuncDecl" as "decls[3] FuncDecl".
  const path: string[] = [];
  for (let n = 0; n < anc.length; n++) {
    const line = a[anc[n]!]!.trim();
    if (!line.endsWith(': [')) {
      path.push(line.replace(': ', ' '));
      continue;
    }
    const elem = n + 1 < anc.length ? anc[n + 1]! : i;
    const elemIndent = indentOf(a[anc[n + 1]!] ?? a[i] ?? b[i] ?? '');
    let index = -1;
    for (let r = anc[n]! + 1; r <= elem && r < a.length; r++) if (indentOf(a[r]!) === elemIndent) index++;
    const name = line.slice(0, -3);
    if (n + 1 < anc.length) {
      path.push(`${name}[${index}] ${a[elem]!.trim()}`);
      n++;
    } else {
      path.push(`${name}[${index}]`);
    }
  }
  const show = (lines: string[], at: number): string => (at < lines.length ? JSON.stringify(lines[at]!.trim()) : '(end of dump)');
  return [
    `first difference at dump line ${i + 1} (go ${a.length - 1} lines, ours ${b.length - 1} lines)`,
    `in: ${path.join(' > ')}`,
    `go:   ${show(a, i)}`,
    `ours: ${show(b, i)}`,
  ].join('\n');
}

interface GoLine {
  status: string;
  hash: string;
}

type OurAnswer = Extract<ParityAnswer, { type: 'result' }>;

/** Runs our parser in a worker thread, one file at a time, with a timeout per file. */
class OurParser {
  private worker: Worker | undefined;
  private pending: { path: string; resolve: (a: OurAnswer) => void; timer: NodeJS.Timeout } | undefined;

  /** Starts a worker and waits until it has loaded the parser; rejects if it cannot. */
  private start(): Promise<Worker> {
    return new Promise((resolveStart, rejectStart) => {
      // The worker is TypeScript: load it through tsx's loader, registered in the worker itself
      // (a worker does not apply the parent's --import hooks to its own entry module).
      const entry = new URL('./parity-worker.ts', import.meta.url).href;
      const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`
        + `.catch((e) => { throw e; });`;
      const w = new Worker(boot, { eval: true });
      let ready = false;
      w.on('message', (m: ParityAnswer) => {
        if (m.type === 'ready') {
          ready = true;
          resolveStart(w);
        } else if (this.pending?.path === m.path) this.answer(m);
      });
      w.on('error', (e) => {
        // An error the worker did not catch (such as a stack overflow while posting): the worker
        // is gone; answer for the pending file and start afresh for the next one.
        if (this.worker === w) this.worker = undefined;
        if (!ready) rejectStart(new Error(`the parser worker could not start: ${e.message}`));
        else if (this.pending) this.answer(failed(this.pending.path, `worker died: ${e.message}`));
      });
      w.on('exit', (code) => {
        if (this.worker === w) this.worker = undefined;
        if (!ready) rejectStart(new Error(`the parser worker exited with code ${code} before it was ready`));
        else if (this.pending) this.answer(failed(this.pending.path, `worker exited with code ${code}`));
      });
    });
  }

  private answer(a: OurAnswer): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    p.resolve(a);
  }

  async parse(path: string, full = false): Promise<OurAnswer> {
    this.worker ??= await this.start();
    const w = this.worker;
    return new Promise((resolveAnswer) => {
      const timer = setTimeout(() => {
        this.worker = undefined;
        void w.terminate();
        this.answer({ ...failed(path, `parse did not finish within ${PARSE_TIMEOUT_MS / 1000} s (stopped)`), parseMs: PARSE_TIMEOUT_MS });
      }, PARSE_TIMEOUT_MS);
      this.pending = { path, resolve: resolveAnswer, timer };
      w.postMessage({ path, full } satisfies ParityJob);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

function failed(path: string, error: string): OurAnswer {
  return { type: 'result', path, status: 'threw', hash: '-', error, bytes: 0, parseMs: 0 };
}

/** Streams `gohelper parse` over the files; calls onLine for each answer, in file order. */
function runGoHelper(exe: string, files: string[], onLine: (path: string, line: GoLine) => void): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(exe, ['parse'], { stdio: ['pipe', 'pipe', 'pipe'], env: goEnv() });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', (e) => reject(new Error(`cannot run ${exe}: ${e.message}`)));
    const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
    rl.on('line', (line) => {
      const [status, hash, ...rest] = line.split('\t');
      onLine(rest.join('\t'), { status: status ?? '', hash: hash ?? '' });
    });
    const closed = new Promise<void>((res) => rl.on('close', () => res()));
    child.on('close', (code, signal) => {
      void closed.then(() => {
        if (code === 0) resolveRun();
        else reject(new Error(`gohelper parse failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
      });
    });
    child.stdin.on('error', () => { /* reported through the exit status */ });
    child.stdin.end(files.join('\n') + '\n');
  });
}

export async function runParity(opts: Options, go: GoInfo): Promise<ParityReport & { seconds: { ours: number; go: number; wall: number }; bytes: number }> {
  const roots = opts.roots.length > 0 ? opts.roots : [join(go.goroot, 'src')];
  let files = collectGoFiles(roots);
  if (opts.sample > 1) files = files.filter((_, i) => i % opts.sample === 0);
  if (files.length > opts.limit) files = files.slice(0, opts.limit);
  const exe = buildGoHelper(go);

  const report: ParityReport = {
    compared: files.length, identical: 0, different: 0, bothRejected: 0, onlyOursRejected: 0, onlyGoRejected: 0, examples: [],
  };
  // Mismatches kept for examples (at most MAX_EXAMPLES, in file order); details are filled in later.
  const found: { path: string; kind: MismatchKind; detail: string; needsDump: boolean; needsGoError: boolean }[] = [];
  const goAnswers = new Map<string, GoLine>();
  const ours = new Map<string, OurAnswer>();
  let bytes = 0;
  let oursMs = 0;

  const settle = (path: string): void => {
    const g = goAnswers.get(path);
    const o = ours.get(path);
    if (!g || !o) return;
    goAnswers.delete(path);
    ours.delete(path);
    let kind: MismatchKind | undefined;
    let detail = '';
    let needsDump = false;
    let needsGoError = false;
    if (o.status === 'threw') {
      kind = 'different';
      detail = `our parser failed: ${o.error}`;
    } else if (g.status === 'ok' && o.status === 'ok') {
      if (g.hash === o.hash) report.identical++;
      else {
        kind = 'different';
        needsDump = true;
      }
    } else if (g.status === 'err' && o.status === 'err') report.bothRejected++;
    else if (o.status === 'err') {
      kind = 'onlyOursRejected';
      detail = `ours: ${o.error}`;
    } else {
      kind = 'onlyGoRejected';
      needsGoError = true;
    }
    if (kind) {
      report[kind]++;
      if (found.length < MAX_EXAMPLES) found.push({ path, kind, detail, needsDump, needsGoError });
    }
  };

  const t0 = performance.now();
  let goSeconds = 0;
  const goDone = runGoHelper(exe, files, (path, line) => {
    goAnswers.set(path, line);
    settle(path);
  }).then(() => { goSeconds = (performance.now() - t0) / 1000; });
  // Keep a helper failure from going unhandled while our side is still running.
  goDone.catch(() => {});

  const parser = new OurParser();
  try {
    for (const path of files) {
      const a = await parser.parse(path);
      bytes += a.bytes;
      oursMs += a.parseMs;
      ours.set(path, a);
      settle(path);
    }
    await goDone;
    const wall = (performance.now() - t0) / 1000;
    if (goAnswers.size > 0 || ours.size > 0) {
      const odd = [...goAnswers.keys(), ...ours.keys()].slice(0, 3).join(', ');
      throw new Error(`gohelper and our parser answered for different files (for instance ${odd})`);
    }

    // Details of the examples: Go's full dumps and error messages, and our dump, for those files only.
    const needGo = found.filter((f) => f.needsDump || f.needsGoError).map((f) => f.path);
    const goFull = goFullDumps(exe, needGo);
    for (const f of found) {
      const g = goFull.get(f.path);
      if (f.needsGoError) {
        f.detail = `go: ${g?.errors[0] ?? '(no message)'}${(g?.errors.length ?? 0) > 1 ? ` (and ${g!.errors.length - 1} more)` : ''}`;
      } else if (f.needsDump) {
        const a = await parser.parse(f.path, true);
        f.detail = a.dump !== undefined ? firstDifference(g?.dump ?? '', a.dump) : `dumps differ (hashes); redoing our dump failed: ${a.error}`;
      }
      report.examples.push({ file: displayPath(f.path, go.goroot), kind: f.kind, detail: f.detail });
    }
    return { ...report, seconds: { ours: oursMs / 1000, go: goSeconds, wall }, bytes };
  } finally {
    await parser.close();
  }
}

function summary(r: Awaited<ReturnType<typeof runParity>>, go: GoInfo, roots: string[]): string {
  const row = (label: string, n: number) => `  ${label.padEnd(20)} ${String(n).padStart(7)}`;
  const lines = [
    `parser parity: deferguard against go/parser (${go.version}) on ${roots.join(', ')}`,
    row('compared', r.compared),
    row('identical', r.identical),
    row('different', r.different),
    row('both rejected', r.bothRejected),
    row('only ours rejected', r.onlyOursRejected),
    row('only go rejected', r.onlyGoRejected),
    `  ${(r.bytes / 1e6).toFixed(1)} MB; our parse ${r.seconds.ours.toFixed(1)} s, gohelper (parse + dump + hash) ${r.seconds.go.toFixed(1)} s, wall ${r.seconds.wall.toFixed(1)} s`,
  ];
  const bad = r.different + r.onlyOursRejected + r.onlyGoRejected;
  if (r.examples.length > 0) {
    lines.push('', `first ${r.examples.length} of ${bad} mismatches:`);
    for (const e of r.examples) {
      lines.push(`- ${e.file} [${e.kind}]`);
      for (const d of e.detail.split('\n')) lines.push(`    ${d}`);
    }
  }
  lines.push('', bad === 0 ? 'OK: every file agrees with go/parser' : `FAIL: ${bad} files disagree with go/parser`);
  return lines.join('\n') + '\n';
}

async function main(argv: string[]): Promise<number> {
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`parity:parser: ${e.message}\n\n`);
      (e.message ? process.stderr : process.stdout).write(USAGE);
      return e.message ? 2 : 0;
    }
    throw e;
  }
  const go = findGo();
  if ('missing' in go) {
    process.stderr.write(`parity:parser: needs the Go toolchain on PATH (${go.missing})\n`);
    return 2;
  }
  try {
    const r = await runParity(opts, go);
    const roots = opts.roots.length > 0 ? opts.roots : [join(go.goroot, 'src')];
    if (opts.json) {
      const { compared, identical, different, bothRejected, onlyOursRejected, onlyGoRejected, examples } = r;
      process.stdout.write(JSON.stringify({ compared, identical, different, bothRejected, onlyOursRejected, onlyGoRejected, examples }) + '\n');
    } else {
      process.stdout.write(summary(r, go, roots));
    }
    return r.different + r.onlyOursRejected + r.onlyGoRejected === 0 ? 0 : 1;
  } catch (e) {
    process.stderr.write(`parity:parser: ${e instanceof UsageError ? e.message : e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
