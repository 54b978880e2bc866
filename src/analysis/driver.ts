// The driver: loads packages, splits them into analysis units (a package with its in-package
// tests; its external tests apart), analyses the units in worker threads (or in this thread for
// --jobs 1), applies suppression directives, and returns the findings in a deterministic order.
// With a cache, units whose inputs are unchanged since an earlier run are not analysed again.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadPackages, type LoadOptions } from '../load/loader.js';
import { DEFAULT_MODULE_GO, languageVersion } from '../load/goversion.js';
import type { Package } from '../load/package.js';
import type { Finding } from '../findings/model.js';
import { dedupe } from '../findings/gate.js';
import { applySuppressions, type Directive, type DirectiveDiagnostic } from '../findings/suppress.js';
import type { Excluder } from '../load/exclude.js';
import { createHash } from 'node:crypto';
import { FileHashes, toolStamp, unitKey, type AnalysisCache, type CacheStats } from './cache.js';
import { Engine, INTERNAL_ERROR_RULE, SYNTAX_ERROR_RULE, type EngineConfig, type PackageTable, type Unit, type UnitFile, type UnitResult } from './engine.js';
import { defaultRuleOptions, type RuleOptions } from './options.js';
import type { FromWorker, ToWorker } from './worker.js';

export interface AnalyzeOptions {
  cwd?: string;
  patterns?: string[];
  tags?: string[];
  /** Worker threads; 1 analyses in this thread. Default: defaultJobs(). */
  jobs?: number;
  /** URL of the module exporting `analyzers`. */
  registry: string;
  /** Rule ids to run. */
  enable: string[];
  options?: RuleOptions;
  /** Analyse _test.go files too (default true). */
  tests?: boolean;
  /** Honour //deferguard:ignore and //nolint directives (default true). */
  suppress?: boolean;
  /** Passed to the loader (use of the go command, environment). */
  useGo?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Files whose findings (and suppression directives) are dropped; units with only such files are skipped. */
  exclude?: Excluder;
  /** Every rule id, for unknown-rule diagnostics of //deferguard:ignore and unused-suppression checks. */
  knownRules?: string[];
  /** Reuse and store per-unit results. */
  cache?: AnalysisCache;
  /** Tool version, part of the cache key. */
  toolVersion?: string;
  /** Called after each unit (analysed or from the cache). */
  onProgress?: (p: Progress) => void;
  /**
   * Old-generation heap limit of each worker thread in MB (default DEFAULT_WORKER_HEAP_MB, or
   * DEFERGUARD_WORKER_HEAP_MB from the environment; 0 for V8's own limit). See runInWorkers.
   */
  workerHeapMb?: number;
  /** Empty the function bodies no enabled rule needs (default true; DEFERGUARD_PRUNE=0 turns it off). See analysis/prune.ts. */
  prune?: boolean;
}

export interface Progress {
  done: number;
  total: number;
  /** Findings so far (before suppressions and exclusions). */
  findings: number;
  cached: number;
}

export interface AnalyzeResult {
  /** Absolute directory that all paths are relative to. */
  root: string;
  /** Why the packages were found by deferguard's own discovery rather than go list (verbose note). */
  fallbackReason?: string;
  findings: Finding[];
  suppressed: number;
  /** Problems loading packages or files (not findings). */
  loadErrors: string[];
  notes: string[];
  packages: number;
  files: number;
  via: 'go list' | 'deferguard';
  /** Suppression directives that suppressed nothing (explicit ones only; see applySuppressions). */
  unusedIgnores: DirectiveDiagnostic[];
  /** Malformed suppression directives: missing reason, unknown rule, no rule. */
  directiveProblems: DirectiveDiagnostic[];
  /** Files left out by the exclude settings. */
  excludedFiles: number;
  /** Problems with the settings of the run (such as a malformed environment variable); the run went on with defaults. */
  warnings: string[];
  /** Function bodies of the analysed units, and how many were emptied as needed by no enabled rule (analysis/prune.ts). */
  bodies: { total: number; pruned: number };
  cache?: CacheStats;
}

export class DriverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriverError';
  }
}

/**
 * The default old-generation limit of a worker, in MB. A worker's live data stays small (the
 * imported declarations plus one package: about 150 MB on all of GOROOT/src), but V8 sizes its
 * heap for the machine's memory and lets garbage grow to several times the live set before a full
 * collection; a limit makes it collect sooner, which roughly halves the peak memory of a run.
 */
export const DEFAULT_WORKER_HEAP_MB = 1024;

/**
 * The young generation of a limited worker, in MB. Trees and type maps of a package live for the
 * package's analysis, longer than V8's default nursery lets them: with a larger one fewer of them
 * are promoted and collected again as old objects (about 9% faster on GOROOT/src, for about
 * 60 MB more peak memory per worker).
 */
export const WORKER_YOUNG_MB = 96;

/** The worker heap limit from the options or the environment (DEFERGUARD_WORKER_HEAP_MB). */
export function workerHeapLimit(opt: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (opt !== undefined) return Math.max(0, Math.floor(opt));
  const v = env.DEFERGUARD_WORKER_HEAP_MB;
  if (v !== undefined && /^\d+$/.test(v.trim())) return Number(v.trim());
  return DEFAULT_WORKER_HEAP_MB;
}

/** What is wrong with DEFERGUARD_WORKER_HEAP_MB, if it is set and not a whole number of MB. */
export function workerHeapProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env.DEFERGUARD_WORKER_HEAP_MB;
  if (v === undefined || v.trim() === '' || /^\d+$/.test(v.trim())) return undefined;
  return `DEFERGUARD_WORKER_HEAP_MB=${JSON.stringify(v)} is not a whole number of megabytes (0 for no limit); using ${DEFAULT_WORKER_HEAP_MB}`;
}

/**
 * The CPUs this process may use: the cores it can run on, capped by a cgroup CPU quota (as
 * containers and CI runners set it), rounded up. No quota: the cores.
 */
export function usableCpus(cores: number = availableParallelism(), cpuMax: string | undefined = readCpuMax()): number {
  const m = cpuMax?.trim().match(/^(\d+)\s+(\d+)$/);
  if (!m) return Math.max(1, cores);
  const quota = Number(m[1]);
  const period = Number(m[2]);
  if (!(quota > 0 && period > 0)) return Math.max(1, cores);
  return Math.max(1, Math.min(cores, Math.ceil(quota / period)));
}

/** The CPU quota as "quota period": cgroup v2's cpu.max, else cgroup v1's CFS files (-1 or "max": none). */
function readCpuMax(): string | undefined {
  const read = (p: string): string | undefined => {
    try {
      return readFileSync(p, 'utf8').trim();
    } catch {
      return undefined;
    }
  };
  const v2 = read('/sys/fs/cgroup/cpu.max');
  if (v2 !== undefined) return v2;
  const quota = read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us');
  const period = read('/sys/fs/cgroup/cpu/cpu.cfs_period_us');
  return quota !== undefined && period !== undefined ? `${quota} ${period}` : undefined;
}

/**
 * The default number of worker threads: one per 1.5 usable CPUs, at least one. One analysis thread
 * keeps about 1.5 cores busy (V8's collector and compiler threads run beside it), so a worker per
 * core makes them compete: on 2 cores, two workers took about a fifth longer than one on
 * GOROOT/src (docs/benchmarks.md).
 */
export function defaultJobs(cpus: number = usableCpus()): number {
  return Math.max(1, Math.floor((cpus * 2) / 3));
}

function unitFiles(p: Package, kinds: ReadonlySet<string>): UnitFile[] {
  return p.files
    .filter((f) => kinds.has(f.kind))
    .map((f) => ({
      path: f.path,
      absPath: join(p.absDir, f.name),
      name: f.name,
      goVersion: f.goVersion,
      generated: f.generated,
      test: f.kind === 'test' || f.kind === 'xtest',
    }));
}

/** Splits loaded packages into units; also returns the importer's table of module packages. */
export function planUnits(packages: readonly Package[], tests = true): { units: Unit[]; table: PackageTable } {
  const table: PackageTable = {};
  const units: Unit[] = [];
  const own = new Set(['go', 'cgo']);
  const withTests = new Set(tests ? ['go', 'cgo', 'test'] : ['go', 'cgo']);
  for (const p of packages) {
    if (p.standard && !p.module) continue;
    const files = unitFiles(p, own);
    const testFiles = unitFiles(p, new Set(['test', 'xtest']));
    if (files.length > 0 || testFiles.length > 0) table[p.importPath] = { name: p.name, files, imports: p.imports, ...(testFiles.length > 0 ? { testFiles } : {}) };
    if (p.depOnly) continue;
    const modulePath = p.module?.path ?? '';
    const moduleGoVersion = (p.module?.goVersion && languageVersion(p.module.goVersion)) || DEFAULT_MODULE_GO;
    const main = unitFiles(p, withTests);
    if (main.length > 0) {
      units.push({ key: p.importPath, importPath: p.importPath, name: p.name, dir: p.dir, modulePath, moduleGoVersion, files: main });
    }
    if (tests) {
      const x = unitFiles(p, new Set(['xtest']));
      if (x.length > 0) {
        units.push({ key: `${p.importPath}_test`, importPath: `${p.importPath}_test`, name: `${p.name}_test`, dir: p.dir, modulePath, moduleGoVersion, files: x });
      }
    }
  }
  units.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { units, table };
}

/**
 * The order to analyse units in: every unit after the module packages it imports, its tests'
 * imports included, depth first in import path order (a cycle through tests is cut where it
 * closes), and a package's external tests after the package. An engine keeps the declarations
 * of what it analysed for later importers, so in this order most imports of the module's own
 * packages need no second parse. The findings do not depend on the order.
 */
export function analysisOrder(units: readonly Unit[], table: PackageTable, testImports: ReadonlyMap<string, readonly string[]> = new Map()): Unit[] {
  const sorted = [...units].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const byKey = new Map(sorted.map((u) => [u.key, u]));
  // External tests are units of their own ("p_test") with no entry in the table.
  const base = (key: string) => (key.endsWith('_test') && !(key in table) ? key.slice(0, -'_test'.length) : undefined);
  const out: Unit[] = [];
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const b = base(key);
    if (b !== undefined) visit(b);
    for (const i of table[key]?.imports ?? []) visit(i);
    for (const i of testImports.get(key) ?? []) visit(i);
    const u = byKey.get(key);
    if (u) out.push(u);
  };
  for (const u of sorted) visit(u.key);
  return out;
}

/** Per unit key, the imports of its test files (in-package tests for a package's unit, external tests for "p_test"). */
export function testImportsOf(packages: readonly Package[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const p of packages) {
    if (p.testImports.length > 0) m.set(p.importPath, p.testImports);
    if (p.xTestImports.length > 0) m.set(`${p.importPath}_test`, p.xTestImports);
  }
  return m;
}

/** The way to start the worker: the compiled file, or the TypeScript source through tsx. */
function startWorker(config: EngineConfig, heapMb: number): Worker {
  const limits = heapMb > 0 ? { resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_MB } } : {};
  if (import.meta.url.endsWith('.ts')) {
    // Under a TypeScript loader (tests, tsx): the worker registers tsx itself, since a worker does
    // not apply the parent's --import hooks to its own entry module.
    const entry = new URL('./worker.ts', import.meta.url).href;
    const api = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(boot, { eval: true, workerData: config, ...limits });
  }
  return new Worker(new URL('./worker.js', import.meta.url), { workerData: config, ...limits });
}

function crashFinding(unit: Unit, error: string): Finding {
  const file = unit.files[0]?.path ?? unit.dir;
  return {
    rule: INTERNAL_ERROR_RULE.id,
    severity: INTERNAL_ERROR_RULE.severity,
    confidence: 'high',
    message: `analysis of package ${unit.importPath} failed: ${error}; its findings are missing`,
    related: [],
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
  };
}

/**
 * Runs units on `jobs` workers; a worker that dies is replaced and its unit reported as failed.
 * Workers run with an old-generation limit of `heapMb` (0: V8's default). A worker that runs out
 * of memory under that limit is replaced by one without it, which analyses the unit again: the
 * limit trades nothing but an extra collection now and then, never a result.
 */
async function runInWorkers(config: EngineConfig, units: Unit[], jobs: number, notes: Set<string>, onResult: (r: UnitResult) => void, heapMb: number): Promise<UnitResult[]> {
  const queue = [...units].sort((a, b) => b.files.length - a.files.length || (a.key < b.key ? -1 : 1));
  const retried = new Set<string>();
  // Units to analyse again after running out of memory under the limit: only a worker without
  // the limit takes them, so a limited worker that is still running cannot pick one up first.
  const again: Unit[] = [];
  const results: UnitResult[] = [];
  const push = (r: UnitResult) => {
    results.push(r);
    onResult(r);
  };
  let fatal: string | undefined;

  const runOne = (limit: number): Promise<void> =>
    new Promise((done) => {
      let pending: Unit | undefined;
      let finished = false;
      const w = startWorker(config, limit);
      const next = () => {
        if (fatal !== undefined) pending = undefined;
        else pending = (limit === 0 ? again.shift() : undefined) ?? queue.shift();
        if (!pending) {
          finished = true;
          void w.terminate().then(() => done());
          return;
        }
        w.postMessage({ type: 'unit', unit: pending } satisfies ToWorker);
      };
      const fail = (error: string, outOfMemory = false) => {
        if (finished) return;
        finished = true;
        let nextLimit = limit;
        if (outOfMemory && limit > 0) {
          // Out of memory under the limit: try again without it (once per unit).
          nextLimit = 0;
          notes.add(`a worker ran out of memory under its ${limit} MB heap limit${pending ? ` analysing ${pending.importPath}` : ''}; carrying on without the limit (set DEFERGUARD_WORKER_HEAP_MB to change it)`);
          if (pending && !retried.has(pending.key)) {
            retried.add(pending.key);
            again.push(pending);
            pending = undefined;
          }
        }
        if (pending) push({ key: pending.key, findings: [crashFinding(pending, error)], directives: [], notes: [] });
        void w.terminate();
        // Carry on with a fresh worker for what is left.
        if ((queue.length > 0 || again.length > 0) && fatal === undefined) void runOne(nextLimit).then(done);
        else done();
      };
      w.on('message', (m: FromWorker) => {
        switch (m.type) {
          case 'ready':
            for (const n of m.notes) notes.add(n);
            next();
            break;
          case 'fatal':
            fatal = m.error;
            finished = true;
            void w.terminate().then(() => done());
            break;
          case 'result':
            push(m.result);
            next();
            break;
          case 'failed':
            if (pending) push({ key: pending.key, findings: [crashFinding(pending, m.error)], directives: [], notes: [] });
            next();
            break;
        }
      });
      w.on('error', (e) => fail(`worker stopped: ${e.message}`, (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'));
      w.on('exit', (code) => {
        if (!finished) fail(`worker exited with code ${code}`);
      });
    });

  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, () => runOne(heapMb)));
  if (fatal !== undefined) throw new DriverError(fatal);
  return results;
}

/** Module-internal packages a unit depends on, transitively, with their files (for the cache key). */
function depFilesOf(unit: Unit, byPath: ReadonlyMap<string, Package>, table: PackageTable): UnitFile[] {
  const own = byPath.get(unit.importPath.endsWith('_test') && !byPath.has(unit.importPath) ? unit.importPath.slice(0, -5) : unit.importPath);
  const start = !own ? [] : unit.key.endsWith('_test') && unit.importPath !== own.importPath ? own.xTestImports : [...own.imports, ...own.testImports];
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const ip = stack.pop()!;
    if (seen.has(ip) || !table[ip]) continue;
    seen.add(ip);
    const p = byPath.get(ip);
    if (p) stack.push(...p.imports);
  }
  seen.delete(unit.importPath);
  return [...seen].sort().flatMap((ip) => table[ip]!.files);
}

/** Loads, analyses and returns sorted findings. Bad configuration throws DriverError. */
export async function analyze(opts: AnalyzeOptions): Promise<AnalyzeResult> {
  const loadOpts: LoadOptions = { cwd: opts.cwd, patterns: opts.patterns, tags: opts.tags, useGo: opts.useGo, env: opts.env };
  const loaded = loadPackages(loadOpts);
  const tests = opts.tests !== false;
  const planned = planUnits(loaded.packages, tests);
  const table = planned.table;
  const ex = opts.exclude;
  let excludedFiles = 0;
  const excluded = new Set<string>();
  const units = planned.units.filter((u) => {
    if (!ex) return true;
    let kept = 0;
    for (const f of u.files) {
      if (ex.excludes(f.path, f.generated)) {
        excluded.add(f.path);
      } else kept++;
    }
    return kept > 0;
  });
  excludedFiles = excluded.size;
  const config: EngineConfig = {
    root: loaded.root,
    registry: opts.registry,
    enable: opts.enable,
    options: opts.options ?? defaultRuleOptions(),
    table,
    ...(opts.knownRules ? { knownRules: opts.knownRules } : {}),
    prune: opts.prune ?? (opts.env ?? process.env).DEFERGUARD_PRUNE !== '0',
  };
  const jobs = Math.max(1, Math.floor(opts.jobs ?? defaultJobs()));
  const notes = new Set<string>();
  let results: UnitResult[] = [];

  // The cache: look every unit up first; only the misses are analysed.
  const cache = opts.cache;
  const keys = new Map<string, string>();
  let todo = analysisOrder(units, table, testImportsOf(loaded.packages));
  let found = 0;
  let done = 0;
  let cached = 0;
  const progress = (r: UnitResult) => {
    done++;
    found += r.findings.length;
    opts.onProgress?.({ done, total: units.length, findings: found, cached });
  };
  if (cache) {
    const settings = JSON.stringify({
      tool: toolStamp(opts.toolVersion ?? ''),
      enable: opts.enable,
      options: config.options,
      knownRules: opts.knownRules ?? null,
      context: loaded.context,
      via: loaded.via,
      root: loaded.root,
    });
    const hashes = new FileHashes();
    let moduleDigest: string | undefined;
    const moduleDeferred = (): string => {
      if (moduleDigest === undefined) {
        const names = new Set<string>();
        for (const entry of Object.values(table)) for (const f of [...entry.files, ...(entry.testFiles ?? [])]) for (const n of hashes.deferredNames(f.absPath)) names.add(n);
        moduleDigest = createHash('sha256').update([...names].sort().join('\n')).digest('hex');
      }
      return moduleDigest;
    };
    const byPath = new Map(loaded.packages.map((p) => [p.importPath, p]));
    const ordered = todo;
    todo = [];
    for (const u of ordered) {
      const key = unitKey({ settings, unit: u, depFiles: depFilesOf(u, byPath, table), hashes, moduleDeferred });
      const hit = key ? cache.get(key, u.key) : undefined;
      if (hit) {
        cached++;
        results.push(hit);
        progress(hit);
        continue;
      }
      if (key) keys.set(u.key, key);
      todo.push(u);
    }
  }
  const store = (r: UnitResult) => {
    const key = keys.get(r.key);
    // A crashed unit is not stored: the crash may be transient (memory, a killed worker).
    if (cache && key && !r.findings.some((f) => f.rule === INTERNAL_ERROR_RULE.id && /^analysis of package /.test(f.message))) cache.put(key, r);
    progress(r);
  };

  if (todo.length === 0) {
    // everything came from the cache
  } else if (jobs === 1 || todo.length <= 1) {
    let engine: Engine;
    try {
      engine = await Engine.create(config);
    } catch (e) {
      throw new DriverError((e as Error).message);
    }
    for (const n of engine.notes) notes.add(n);
    for (const u of todo) {
      let r: UnitResult;
      try {
        r = engine.analyze(u);
      } catch (e) {
        r = { key: u.key, findings: [crashFinding(u, (e as Error).message)], directives: [], notes: [] };
      }
      results.push(r);
      store(r);
    }
  } else {
    results.push(...(await runInWorkers(config, todo, jobs, notes, store, workerHeapLimit(opts.workerHeapMb, opts.env ?? process.env))));
  }
  results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let findings: Finding[] = [];
  const directives: Directive[] = [];
  const problems: DirectiveDiagnostic[] = [];
  const bodies = { total: 0, pruned: 0 };
  for (const r of results) {
    bodies.total += r.bodies?.total ?? 0;
    bodies.pruned += r.bodies?.pruned ?? 0;
    findings.push(...r.findings);
    directives.push(...r.directives);
    problems.push(...(r.diagnostics ?? []));
    for (const n of r.notes) notes.add(n);
  }
  findings.push(...invalidFileFindings(loaded.packages));
  if (ex) {
    const keep = (file: string) => !excluded.has(file) && !ex.excludes(file);
    findings = findings.filter((f) => keep(f.file));
    const d = directives.filter((x) => keep(x.file));
    directives.length = 0;
    directives.push(...d);
    const p = problems.filter((x) => keep(x.file));
    problems.length = 0;
    problems.push(...p);
  }
  let suppressed = 0;
  let unusedIgnores: DirectiveDiagnostic[] = [];
  if (opts.suppress !== false) {
    const s = applySuppressions(findings, dedupeDirectives(directives), {
      enabledRules: new Set(opts.enable),
      ...(opts.knownRules ? { knownRules: new Set(opts.knownRules) } : {}),
    });
    findings = s.kept;
    suppressed = s.suppressed.length;
    unusedIgnores = sortDiagnostics(s.unused);
  }
  // Deterministic order (file, line, column, rule, message, then the rest); exact repeats merged.
  findings = dedupe(findings);
  return {
    root: loaded.root,
    findings,
    suppressed,
    loadErrors: [...loaded.errors, ...loaded.packages.flatMap((p) => p.errors.map((e) => (p.dir ? `${p.dir}: ${e}` : e)))],
    notes: [...notes].sort(),
    packages: units.length,
    files: units.reduce((n, u) => n + u.files.length, 0),
    via: loaded.via,
    ...(loaded.fallbackReason ? { fallbackReason: loaded.fallbackReason } : {}),
    unusedIgnores,
    directiveProblems: sortDiagnostics(problems),
    excludedFiles,
    warnings: opts.workerHeapMb === undefined ? [workerHeapProblem(opts.env ?? process.env)].filter((w): w is string => !!w) : [],
    bodies,
    ...(cache ? { cache: cache.stats } : {}),
  };
}

/**
 * Go files the loader could not take because their text is not Go source (UTF-16 or binary
 * content, a NUL byte): a syntax-error finding each, like a file that does not parse, rather than
 * a warning only. Files left out for other reasons (build constraints, unreadable) are not these.
 */
function invalidFileFindings(packages: readonly Package[]): Finding[] {
  const out: Finding[] = [];
  for (const p of packages) {
    if (p.depOnly) continue;
    for (const f of p.invalidFiles) {
      const m = /(?:^|:)(\d+):(\d+): (illegal UTF-8 encoding.*|illegal character NUL.*|invalid NUL character.*)$/.exec(f.reason);
      if (!m) continue;
      const file = p.dir === '.' || p.dir === '' ? f.name : `${p.dir}/${f.name}`;
      const line = Number(m[1]);
      const column = Number(m[2]);
      out.push({
        rule: SYNTAX_ERROR_RULE.id,
        severity: 'high',
        confidence: 'high',
        message: `syntax error: ${m[3]} (the file is not analysed)`,
        related: [],
        file,
        line,
        column,
        endLine: line,
        endColumn: column,
      });
    }
  }
  return out;
}

/** A file analysed in two units (a package and its test variant) gives its directives twice. */
function dedupeDirectives(ds: readonly Directive[]): Directive[] {
  const seen = new Map<string, Directive>();
  for (const d of ds) {
    const k = `${d.file}\u0000${d.line}\u0000${d.column}`;
    if (!seen.has(k)) seen.set(k, d);
  }
  return [...seen.values()];
}

function sortDiagnostics(ds: readonly DirectiveDiagnostic[]): DirectiveDiagnostic[] {
  const seen = new Map<string, DirectiveDiagnostic>();
  for (const d of ds) seen.set(`${d.file}\u0000${d.line}\u0000${d.column}\u0000${d.message}`, d);
  return [...seen.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}
