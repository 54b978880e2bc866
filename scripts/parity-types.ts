// npm run parity:types -- [dir ...] [--json] [--sample K] [--limit N] [--tags a,b]
//
// Checks deferguard's callee resolution (src/types/check.ts, TypeInfo.callee) against go/types,
// call by call (naming in docs/parity-types.md). Packages are loaded with src/load (go list);
// the Go side is `gohelper calls`, run once over all package directories; ours type-checks each
// package in a worker thread (a package over 120 s is stopped and its calls count as
// unanswered), importing dependencies from source through src/load/importer.ts.
// Reports precision (agreed / answered) and coverage (answered / calls), with examples grouped
// by a rough cause (the kind of Go's callee and the shape of the call's Fun).
// Exit status: 0 when the check ran, 2 when it could not run.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { loadPackages } from '../src/load/loader.js';
import type { Package } from '../src/load/package.js';
import { splitTags } from '../src/load/context.js';
import type { BuildContext } from '../src/syntax/constraint.js';
import { SourceFile } from '../src/syntax/source.js';
import { buildGoHelper, findGo, goEnv, type GoInfo } from './gohelper.js';
import { compareFile, type CallOutcome, type Outcome } from './parity-types-naming.js';
import type { TypesAnswer, TypesInit, TypesJob } from './parity-types-worker.js';

const USAGE = `usage: npm run parity:types -- [dir ...] [--json] [--sample K] [--limit N] [--tags a,b]

Compares deferguard's callee resolution with go/types on every call expression of the packages
under the given directories (default: $(go env GOROOT)/src; each directory is loaded as "./..."
with go list, non-test files only). GOOS, GOARCH and CGO_ENABLED come from the environment
(CGO_ENABLED defaults to 0).

  --json       print one JSON object instead of the summary
  --sample K   check every K-th package of the sorted list (K >= 1)
  --limit N    check at most N packages (after --sample)
  --tags a,b   build tags for both sides

DEFERGUARD_PARITY_CHECKER=<module> checks that module's checkPackage instead of src/types/check.ts.
`

export const CHECK_TIMEOUT_MS = 120_000;
const MAX_EXAMPLES = 30;
const SNIPPET_MAX = 140;

export interface Example {
  kind: 'disagreed' | 'unanswered' | 'oursOnly';
  /** file:line:col of the call's "(", the file relative to the working directory or $GOROOT. */
  at: string;
  snippet: string;
  go: string | null;
  ours: string | null;
  cause: string;
}

export interface TypesParityReport {
  packages: number;
  files: number;
  /** Go records: calls whose callee go/types names. */
  calls: number;
  /** Go records that ours also answered (not a conversion). */
  answered: number;
  agreed: number;
  precision: number;
  coverage: number;
  /** Our answers at calls go/types did not name (should be about 0). */
  oursOnly: number;
  /** Counts per rough cause. */
  causes: { disagreed: Record<string, number>; unanswered: Record<string, number>; oursOnly: Record<string, number> };
  /** Up to 30 of each kind (disagreed, unanswered, ours only), spread over the causes, most frequent first. */
  examples: Example[];
  /** Packages our checker threw on or did not finish (their calls count as unanswered). */
  failedPackages: { package: string; error: string }[];
  /** Packages whose file lists differ between go/build (gohelper) and src/load. */
  fileMismatches: { package: string; detail: string }[];
  /** Type errors reported per side (an error-free corpus should have none on the Go side). */
  typeErrors: { go: number; ours: number; goFirst: string[]; oursFirst: string[] };
  seconds: { ours: number; oursParse: number; go: number; wall: number };
}

export interface Options {
  roots: string[];
  json: boolean;
  limit: number;
  sample: number;
  tags: string[];
}

class UsageError extends Error {}

export function parseArgs(args: string[]): Options {
  const o: Options = { roots: [], json: false, limit: Infinity, sample: 1, tags: [] };
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
    else if (flag === '--tags') {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError('--tags needs a value');
      o.tags = splitTags(v);
    } else if (flag === '-h' || flag === '--help') throw new UsageError('');
    else if (a.startsWith('-')) throw new UsageError(`unknown flag ${a}`);
    else o.roots.push(a);
  }
  return o;
}

/** A path for messages: relative to the working directory when inside it, else to GOROOT, else absolute. */
function displayPath(abs: string, goroot: string): string {
  const rel = relative(process.cwd(), abs);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  const g = relative(goroot, abs);
  if (g && !g.startsWith('..') && !isAbsolute(g)) return '$GOROOT/' + g.split(sep).join('/');
  return abs;
}

/** The env both sides run with: no workspace, no toolchain switch, cgo off unless asked. */
function parityEnv(): NodeJS.ProcessEnv {
  const env = goEnv();
  if (process.env.CGO_ENABLED !== undefined) env.CGO_ENABLED = process.env.CGO_ENABLED;
  return env;
}

interface Target {
  importPath: string;
  name: string;
  absDir: string;
  files: { abs: string; goVersion: string }[];
}

/** Loads the packages under the roots with src/load: the targets, every known directory, the context. */
export function loadTargets(roots: string[], tags: string[], env: NodeJS.ProcessEnv): { targets: Target[]; dirs: Map<string, string>; ctx: BuildContext; notes: string[] } {
  const seen = new Set<string>();
  const targets: Target[] = [];
  const dirs = new Map<string, string>();
  const notes: string[] = [];
  let ctx: BuildContext | undefined;
  for (const root of roots) {
    const abs = resolve(root);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new UsageError(`no such directory: ${root}`);
    }
    if (!st.isDirectory()) throw new UsageError(`not a directory: ${root}`);
    const r = loadPackages({ cwd: abs, patterns: ['./...'], deps: true, tags, env });
    ctx ??= r.context;
    if (r.via !== 'go list') notes.push(`${root}: loaded without go list (${r.fallbackReason}); imports outside GOROOT will not resolve`);
    for (const e of r.errors.slice(0, 3)) notes.push(`${root}: ${e}`);
    const mine: Target[] = [];
    for (const p of r.packages) {
      if (p.absDir) dirs.set(p.importPath, p.absDir);
      if (p.depOnly || seen.has(p.absDir)) continue;
      const members = p.files.filter((f) => f.kind === 'go' || f.kind === 'cgo');
      if (members.length === 0) continue;
      seen.add(p.absDir);
      mine.push(toTarget(p, members));
    }
    mine.sort((a, b) => (a.importPath < b.importPath ? -1 : a.importPath > b.importPath ? 1 : 0));
    targets.push(...mine);
  }
  if (!ctx) throw new UsageError('no directories to check');
  return { targets, dirs, ctx, notes };
}

function toTarget(p: Package, members: Package['files']): Target {
  return {
    importPath: p.importPath,
    name: p.name,
    absDir: p.absDir,
    files: members.map((f) => ({ abs: join(p.absDir, f.name), goVersion: f.goVersion })),
  };
}

interface GoPackage {
  dir: string;
  importPath: string;
  errors: number;
  firstError: string;
  files: Map<string, Map<number, string>>;
}

/** Streams `gohelper calls` over the directories; calls onPackage for each, in input order. */
function runGoHelper(exe: string, targets: Target[], tags: string[], env: NodeJS.ProcessEnv, signal: AbortSignal, onPackage: (p: GoPackage) => void): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const args = ['calls', ...(tags.length > 0 ? ['-tags', tags.join(',')] : [])];
    const child = spawn(exe, args, { stdio: ['pipe', 'pipe', 'pipe'], env, signal });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', (e) => reject(new Error(`cannot run ${exe}: ${e.message}`)));
    const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
    let cur: GoPackage | undefined;
    let file: Map<number, string> | undefined;
    rl.on('line', (line) => {
      if (line.startsWith('## ')) {
        if (cur) onPackage(cur);
        const [dir = '', importPath = '', n = '0', first = ''] = line.slice(3).split('\t');
        cur = { dir, importPath, errors: Number(n) || 0, firstError: first, files: new Map() };
        file = undefined;
      } else if (line.startsWith('### ')) {
        file = new Map();
        cur?.files.set(line.slice(4), file);
      } else if (file) {
        const tab = line.indexOf('\t');
        file.set(Number(line.slice(0, tab)), line.slice(tab + 1));
      }
    });
    const closed = new Promise<void>((res) => rl.on('close', () => {
      if (cur) onPackage(cur);
      res();
    }));
    child.on('close', (code, signal) => {
      void closed.then(() => {
        if (code === 0) resolveRun();
        else reject(new Error(`gohelper calls failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
      });
    });
    child.stdin.on('error', () => { /* reported through the exit status */ });
    child.stdin.end(targets.map((t) => `${t.absDir}\t${t.importPath}`).join('\n') + '\n');
  });
}

type OurResult = Extract<TypesAnswer, { type: 'result' }>;

/** Runs our checker in a worker thread, one package at a time, with a timeout per package. */
class OurChecker {
  private worker: Worker | undefined;
  private pending: { importPath: string; resolve: (a: OurResult) => void; timer: NodeJS.Timeout } | undefined;
  checker = '';

  constructor(private readonly init: TypesInit) {}

  private start(): Promise<Worker> {
    return new Promise((resolveStart, rejectStart) => {
      const entry = new URL('./parity-types-worker.ts', import.meta.url).href;
      const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`
        + `.catch((e) => { throw e; });`;
      const w = new Worker(boot, { eval: true, env: process.env, resourceLimits: { maxOldGenerationSizeMb: 6144 } });
      let ready = false;
      w.on('message', (m: TypesAnswer) => {
        if (m.type === 'ready') {
          ready = true;
          this.checker = m.checker;
          w.postMessage(this.init);
          resolveStart(w);
        } else if (m.type === 'fatal') {
          rejectStart(new Error(m.error));
          void w.terminate();
        } else if (this.pending?.importPath === m.importPath) this.answer(m);
      });
      w.on('error', (e) => {
        if (this.worker === w) this.worker = undefined;
        if (!ready) rejectStart(new Error(`the checker worker could not start: ${e.message}`));
        else if (this.pending) this.answer(failed(this.pending.importPath, `worker died: ${e.message}`));
      });
      w.on('exit', (code) => {
        if (this.worker === w) this.worker = undefined;
        if (!ready) rejectStart(new Error(`the checker worker exited with code ${code} before it was ready`));
        else if (this.pending) this.answer(failed(this.pending.importPath, `worker exited with code ${code}`));
      });
    });
  }

  private answer(a: OurResult): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    p.resolve(a);
  }

  async check(t: Target): Promise<OurResult> {
    this.worker ??= await this.start();
    const w = this.worker;
    return new Promise((resolveAnswer) => {
      const timer = setTimeout(() => {
        this.worker = undefined;
        void w.terminate();
        this.answer({ ...failed(t.importPath, `check did not finish within ${CHECK_TIMEOUT_MS / 1000} s (stopped)`), checkMs: CHECK_TIMEOUT_MS });
      }, CHECK_TIMEOUT_MS);
      this.pending = { importPath: t.importPath, resolve: resolveAnswer, timer };
      w.postMessage({ type: 'job', importPath: t.importPath, name: t.name, files: t.files } satisfies TypesJob);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

function failed(importPath: string, error: string): OurResult {
  return { type: 'result', importPath, files: [], errors: [], errorCount: 0, threw: error, checkMs: 0, parseMs: 0 };
}

/** Keeps per cause the first few outcomes, then picks examples round-robin over causes, most frequent first. */
class ExamplePicker {
  private readonly byCause = new Map<string, { n: number; items: { abs: string; o: CallOutcome }[] }>();

  add(abs: string, o: CallOutcome): void {
    let g = this.byCause.get(o.cause);
    if (!g) this.byCause.set(o.cause, (g = { n: 0, items: [] }));
    g.n++;
    if (g.items.length < MAX_EXAMPLES) g.items.push({ abs, o });
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [cause, g] of this.sortedCauses()) out[cause] = g.n;
    return out;
  }

  private sortedCauses(): [string, { n: number; items: { abs: string; o: CallOutcome }[] }][] {
    return [...this.byCause].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1));
  }

  pick(): { abs: string; o: CallOutcome }[] {
    const groups = this.sortedCauses().map(([, g]) => g.items);
    const out: { abs: string; o: CallOutcome }[] = [];
    for (let round = 0; out.length < MAX_EXAMPLES; round++) {
      let any = false;
      for (const items of groups) {
        if (round < items.length && out.length < MAX_EXAMPLES) {
          out.push(items[round]!);
          any = true;
        }
      }
      if (!any) break;
    }
    return out;
  }
}

export async function runTypesParity(opts: Options, go: GoInfo): Promise<TypesParityReport> {
  const env = parityEnv();
  const roots = opts.roots.length > 0 ? opts.roots : [join(go.goroot, 'src')];
  const loaded = loadTargets(roots, opts.tags, env);
  for (const n of loaded.notes) process.stderr.write(`parity:types: ${n}\n`);
  let targets = loaded.targets;
  if (opts.sample > 1) targets = targets.filter((_, i) => i % opts.sample === 0);
  if (targets.length > opts.limit) targets = targets.slice(0, opts.limit);
  const exe = buildGoHelper(go);

  const report: TypesParityReport = {
    packages: targets.length, files: 0, calls: 0, answered: 0, agreed: 0, precision: 0, coverage: 0, oursOnly: 0,
    causes: { disagreed: {}, unanswered: {}, oursOnly: {} },
    examples: [],
    failedPackages: [], fileMismatches: [],
    typeErrors: { go: 0, ours: 0, goFirst: [], oursFirst: [] },
    seconds: { ours: 0, oursParse: 0, go: 0, wall: 0 },
  };
  const pickers: Record<Exclude<Outcome, 'agreed'>, ExamplePicker> = {
    disagreed: new ExamplePicker(), unanswered: new ExamplePicker(), oursOnly: new ExamplePicker(),
  };
  const byDir = new Map(targets.map((t) => [t.absDir, t]));
  const goAnswers = new Map<string, GoPackage>();
  const ours = new Map<string, OurResult>();

  const settle = (dir: string): void => {
    const g = goAnswers.get(dir);
    const o = ours.get(dir);
    const t = byDir.get(dir);
    if (!g || !o || !t) return;
    goAnswers.delete(dir);
    ours.delete(dir);
    report.typeErrors.go += g.errors;
    if (g.firstError && report.typeErrors.goFirst.length < 5) report.typeErrors.goFirst.push(`${t.importPath}: ${g.firstError}`);
    report.typeErrors.ours += o.errorCount;
    for (const e of o.errors) if (report.typeErrors.oursFirst.length < 5) report.typeErrors.oursFirst.push(`${t.importPath}: ${e}`);
    if (o.threw) report.failedPackages.push({ package: t.importPath, error: o.threw });
    const ourFiles = new Set(t.files.map((f) => f.abs));
    const goFiles = new Set(g.files.keys());
    const onlyGo = [...goFiles].filter((f) => !ourFiles.has(f));
    const onlyOurs = [...ourFiles].filter((f) => !goFiles.has(f));
    if (onlyGo.length || onlyOurs.length) {
      const names = (xs: string[]) => xs.map((x) => x.slice(x.lastIndexOf('/') + 1)).join(' ');
      report.fileMismatches.push({
        package: t.importPath,
        detail: `${g.importPath === '-' ? `go/build: ${g.firstError}; ` : ''}only go/build: [${names(onlyGo)}], only src/load: [${names(onlyOurs)}]`,
      });
    }
    const ourCalls = new Map(o.files.map((f) => [f.abs, f.calls]));
    for (const [abs, records] of g.files) {
      report.files++;
      for (const out of compareFile(records, ourCalls.get(abs) ?? [])) {
        if (out.outcome !== 'oursOnly') report.calls++;
        if (out.outcome === 'agreed' || out.outcome === 'disagreed') report.answered++;
        if (out.outcome === 'agreed') report.agreed++;
        else if (out.outcome === 'oursOnly') {
          report.oursOnly++;
          pickers.oursOnly.add(abs, out);
        } else pickers[out.outcome].add(abs, out);
      }
    }
  };

  const t0 = performance.now();
  let goSeconds = 0;
  // Stops gohelper when our side fails, so that the error is reported without waiting for it.
  const stopGo = new AbortController();
  const goDone = runGoHelper(exe, targets, opts.tags, env, stopGo.signal, (p) => {
    goAnswers.set(p.dir, p);
    settle(p.dir);
  }).then(() => { goSeconds = (performance.now() - t0) / 1000; });
  goDone.catch(() => {});

  const checker = new OurChecker({ type: 'init', ctx: loaded.ctx, goroot: go.goroot, dirs: [...loaded.dirs] });
  try {
    for (const t of targets) {
      const a = await checker.check(t);
      report.seconds.ours += a.checkMs / 1000;
      report.seconds.oursParse += a.parseMs / 1000;
      ours.set(t.absDir, a);
      settle(t.absDir);
    }
    await goDone;
    report.seconds.go = goSeconds;
    report.seconds.wall = (performance.now() - t0) / 1000;
    if (goAnswers.size > 0 || ours.size > 0) {
      const odd = [...goAnswers.keys(), ...ours.keys()].slice(0, 3).join(', ');
      throw new Error(`gohelper and our checker answered for different packages (for instance ${odd})`);
    }
  } finally {
    stopGo.abort();
    await checker.close();
  }

  report.precision = report.answered ? report.agreed / report.answered : 0;
  report.coverage = report.calls ? report.answered / report.calls : 0;
  const sources = new Map<string, SourceFile>();
  const source = (abs: string): SourceFile => {
    let s = sources.get(abs);
    if (!s) sources.set(abs, (s = new SourceFile(abs, readFileSync(abs))));
    return s;
  };
  for (const kind of ['disagreed', 'unanswered', 'oursOnly'] as const) {
    report.causes[kind] = pickers[kind].counts();
    for (const { abs, o } of pickers[kind].pick()) {
      const s = source(abs);
      const p = s.position(o.offset);
      const line = s.lineText(p.line).trim();
      report.examples.push({
        kind,
        at: `${displayPath(abs, go.goroot)}:${p.line}:${p.column}`,
        snippet: line.length > SNIPPET_MAX ? line.slice(0, SNIPPET_MAX - 1) + '…' : line,
        go: o.go,
        ours: o.ours,
        cause: o.cause,
      });
    }
  }
  return report;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function summary(r: TypesParityReport, go: GoInfo, roots: string[]): string {
  const row = (label: string, n: number | string) => `  ${label.padEnd(22)} ${String(n).padStart(9)}`;
  const lines = [
    `type parity: deferguard callee resolution against go/types (${go.version}) on ${roots.join(', ')}`,
    row('packages', r.packages),
    row('files', r.files),
    row('calls (go/types named)', r.calls),
    row('answered by ours', r.answered),
    row('agreed', r.agreed),
    row('precision', pct(r.precision)),
    row('coverage', pct(r.coverage)),
    row('ours only', r.oursOnly),
    row('type errors (go/ours)', `${r.typeErrors.go}/${r.typeErrors.ours}`),
    `  our check ${r.seconds.ours.toFixed(1)} s (+ parse ${r.seconds.oursParse.toFixed(1)} s), gohelper ${r.seconds.go.toFixed(1)} s, wall ${r.seconds.wall.toFixed(1)} s`,
  ];
  const section = (title: string, causes: Record<string, number>, examples: Example[]) => {
    const total = Object.values(causes).reduce((a, b) => a + b, 0);
    if (total === 0) return;
    lines.push('', `${title} (${total}) by cause:`);
    for (const [c, n] of Object.entries(causes)) lines.push(`  ${String(n).padStart(7)}  ${c}`);
    lines.push(`examples:`);
    for (const e of examples) {
      lines.push(`- ${e.at} [${e.cause}]`, `    ${e.snippet}`, `    go:   ${e.go ?? '(none)'}`, `    ours: ${e.ours ?? '(none)'}`);
    }
  };
  section('disagreements', r.causes.disagreed, r.examples.filter((e) => e.kind === 'disagreed'));
  section('unanswered', r.causes.unanswered, r.examples.filter((e) => e.kind === 'unanswered'));
  section('answered by ours only', r.causes.oursOnly, r.examples.filter((e) => e.kind === 'oursOnly'));
  if (r.failedPackages.length) {
    lines.push('', `our checker failed on ${r.failedPackages.length} packages:`);
    for (const f of r.failedPackages.slice(0, 20)) lines.push(`- ${f.package}: ${f.error}`);
  }
  if (r.fileMismatches.length) {
    lines.push('', `file lists differ (go/build against src/load) in ${r.fileMismatches.length} packages:`);
    for (const f of r.fileMismatches.slice(0, 20)) lines.push(`- ${f.package}: ${f.detail}`);
  }
  if (r.typeErrors.goFirst.length) {
    lines.push('', 'first go/types errors:');
    for (const e of r.typeErrors.goFirst) lines.push(`- ${e}`);
  }
  return lines.join('\n') + '\n';
}

async function main(argv: string[]): Promise<number> {
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`parity:types: ${e.message}\n\n`);
      (e.message ? process.stderr : process.stdout).write(USAGE);
      return e.message ? 2 : 0;
    }
    throw e;
  }
  const go = findGo();
  if ('missing' in go) {
    process.stderr.write(`parity:types: needs the Go toolchain on PATH (${go.missing})\n`);
    return 2;
  }
  try {
    const r = await runTypesParity(opts, go);
    const roots = opts.roots.length > 0 ? opts.roots : [join(go.goroot, 'src')];
    if (opts.json) {
      const { seconds: _seconds, ...rest } = r;
      process.stdout.write(JSON.stringify(rest) + '\n');
    } else {
      process.stdout.write(summary(r, go, roots));
    }
    return 0;
  } catch (e) {
    process.stderr.write(`parity:types: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
