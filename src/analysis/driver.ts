// The driver: loads packages, splits them into analysis units (a package with its in-package
// tests; its external tests apart), analyses the units in worker threads (or in this thread for
// --jobs 1), applies suppression directives, and returns the findings in a deterministic order.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadPackages, type LoadOptions } from '../load/loader.js';
import { DEFAULT_MODULE_GO, languageVersion } from '../load/goversion.js';
import type { Package } from '../load/package.js';
import type { Finding } from '../findings/model.js';
import { dedupe } from '../findings/gate.js';
import { applySuppressions, type Directive } from '../findings/suppress.js';
import { Engine, INTERNAL_ERROR_RULE, type EngineConfig, type PackageTable, type Unit, type UnitFile, type UnitResult } from './engine.js';
import { defaultRuleOptions, type RuleOptions } from './options.js';
import type { FromWorker, ToWorker } from './worker.js';

export interface AnalyzeOptions {
  cwd?: string;
  patterns?: string[];
  tags?: string[];
  /** Worker threads; 1 analyses in this thread. Default: the number of cores. */
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
}

export interface AnalyzeResult {
  /** Absolute directory that all paths are relative to. */
  root: string;
  findings: Finding[];
  suppressed: number;
  /** Problems loading packages or files (not findings). */
  loadErrors: string[];
  notes: string[];
  packages: number;
  files: number;
  via: 'go list' | 'deferguard';
}

export class DriverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriverError';
  }
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
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
    if (files.length > 0) table[p.importPath] = { name: p.name, files };
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

/** The way to start the worker: the compiled file, or the TypeScript source through tsx. */
function startWorker(config: EngineConfig): Worker {
  if (import.meta.url.endsWith('.ts')) {
    // Under a TypeScript loader (tests, tsx): the worker registers tsx itself, since a worker does
    // not apply the parent's --import hooks to its own entry module.
    const entry = new URL('./worker.ts', import.meta.url).href;
    const api = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(boot, { eval: true, workerData: config });
  }
  return new Worker(new URL('./worker.js', import.meta.url), { workerData: config });
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

/** Runs units on `jobs` workers; a worker that dies is replaced and its unit reported as failed. */
async function runInWorkers(config: EngineConfig, units: Unit[], jobs: number, notes: Set<string>): Promise<UnitResult[]> {
  const queue = [...units].sort((a, b) => b.files.length - a.files.length || (a.key < b.key ? -1 : 1));
  const results: UnitResult[] = [];
  let fatal: string | undefined;

  const runOne = (): Promise<void> =>
    new Promise((done) => {
      let pending: Unit | undefined;
      let finished = false;
      const w = startWorker(config);
      const next = () => {
        if (fatal !== undefined) pending = undefined;
        else pending = queue.shift();
        if (!pending) {
          finished = true;
          void w.terminate().then(() => done());
          return;
        }
        w.postMessage({ type: 'unit', unit: pending } satisfies ToWorker);
      };
      const fail = (error: string) => {
        if (finished) return;
        finished = true;
        if (pending) results.push({ key: pending.key, findings: [crashFinding(pending, error)], directives: [], notes: [] });
        void w.terminate();
        // Carry on with a fresh worker for what is left.
        if (queue.length > 0 && fatal === undefined) void runOne().then(done);
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
            results.push(m.result);
            next();
            break;
          case 'failed':
            if (pending) results.push({ key: pending.key, findings: [crashFinding(pending, m.error)], directives: [], notes: [] });
            next();
            break;
        }
      });
      w.on('error', (e) => fail(`worker stopped: ${e.message}`));
      w.on('exit', (code) => {
        if (!finished) fail(`worker exited with code ${code}`);
      });
    });

  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, () => runOne()));
  if (fatal !== undefined) throw new DriverError(fatal);
  return results;
}

/** Loads, analyses and returns sorted findings. Bad configuration throws DriverError. */
export async function analyze(opts: AnalyzeOptions): Promise<AnalyzeResult> {
  const loadOpts: LoadOptions = { cwd: opts.cwd, patterns: opts.patterns, tags: opts.tags, useGo: opts.useGo, env: opts.env };
  const loaded = loadPackages(loadOpts);
  const tests = opts.tests !== false;
  const { units, table } = planUnits(loaded.packages, tests);
  const config: EngineConfig = {
    root: loaded.root,
    registry: opts.registry,
    enable: opts.enable,
    options: opts.options ?? defaultRuleOptions(),
    table,
  };
  const jobs = Math.max(1, Math.floor(opts.jobs ?? defaultJobs()));
  const notes = new Set<string>();
  let results: UnitResult[];
  if (jobs === 1 || units.length <= 1) {
    let engine: Engine;
    try {
      engine = await Engine.create(config);
    } catch (e) {
      throw new DriverError((e as Error).message);
    }
    for (const n of engine.notes) notes.add(n);
    results = [];
    for (const u of units) {
      try {
        results.push(engine.analyze(u));
      } catch (e) {
        results.push({ key: u.key, findings: [crashFinding(u, (e as Error).message)], directives: [], notes: [] });
      }
    }
  } else {
    results = await runInWorkers(config, units, jobs, notes);
  }
  let findings: Finding[] = [];
  const directives: Directive[] = [];
  for (const r of results) {
    findings.push(...r.findings);
    directives.push(...r.directives);
    for (const n of r.notes) notes.add(n);
  }
  let suppressed = 0;
  if (opts.suppress !== false) {
    const s = applySuppressions(findings, directives);
    findings = s.kept;
    suppressed = s.suppressed.length;
  }
  // Deterministic order (file, line, column, rule, message, then the rest); exact repeats merged.
  findings = dedupe(findings);
  return {
    root: loaded.root,
    findings,
    suppressed,
    loadErrors: [...loaded.errors, ...loaded.packages.flatMap((p) => p.errors.map((e) => `${p.dir}: ${e}`))],
    notes: [...notes].sort(),
    packages: units.length,
    files: units.reduce((n, u) => n + u.files.length, 0),
    via: loaded.via,
  };
}
