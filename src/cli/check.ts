// deferguard [check] [PATTERN...]: analyse Go packages and report findings in one or more formats.
// Wiring only: configuration, rule selection, the driver (with cache and progress), severity
// overrides, suppression diagnostics, fingerprints, baseline, diff scoping, fixes and reports.
// Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or configuration error, 3 internal error.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AnalysisCache, defaultCacheDir, type CacheStats } from '../analysis/cache.js';
import { analyze, DriverError, type AnalyzeResult } from '../analysis/driver.js';
import { INTERNAL_ERROR_RULE, SYNTAX_ERROR_RULE } from '../analysis/engine.js';
import { ConfigError, findConfig, loadConfig, type Config } from '../config/config.js';
import { applyBaseline, BaselineError, createBaseline, readBaselineFile, serializeBaseline, type Baseline, type BaselineEntry } from '../findings/baseline.js';
import { changesSinceMergeBase, changesSinceRev, DiffError, parseUnifiedDiff, scopeToDiff, type FileDiff } from '../findings/diff.js';
import { computeFingerprints, splitLines } from '../findings/fingerprint.js';
import { planFixes, unifiedDiff, type FixPlan } from '../findings/fix.js';
import { applyGate, filterByConfidence, GateError, parseConfidence, parseFailOn, type FailOn } from '../findings/gate.js';
import type { Confidence, Finding, RuleMeta, Severity } from '../findings/model.js';
import { diagnosticsToFindings, DIRECTIVE_RULE } from '../findings/suppress.js';
import { Excluder, GlobError } from '../load/exclude.js';
import { isReadFailure } from '../load/files.js';
import { summaryLine } from '../report/common.js';
import { formatNames, FORMATS, render } from '../report/index.js';
import { analyzers, defaultEnabled, REGISTRY_URL } from '../rules/index.js';
import { version } from './main.js';
import { checkWritable, OutputError, writeFileAtomic } from './output.js';
import { ProgressLine, progressWanted } from './progress.js';
import { FlagReader, UsageError } from './args.js';

const USAGE = `usage: deferguard [check] [flags] [PATTERN...]

Analyses the Go packages matching the patterns (default ./...) for hazards around defer,
recover and goroutine lifetimes. Run it in a module (or a directory inside one), or point
at one with -C. Relative paths in flags are relative to that directory.

flags:
  -C, --dir DIR              run as if started in DIR
  --config FILE              configuration file (default: .deferguard.yml found upward
                             from the first analysed path, then in $HOME)
  --format NAME[=FILE]       output format, repeatable: ${formatNames().join(', ')}
                             (default text to standard output; =FILE writes to a file)
  --fail-on SEVERITY         exit 1 when a finding is at or above: critical, high (default), medium, low, none
  --min-confidence LEVEL     report only findings of at least this confidence: low (default), medium, high
  --enable ID,...            also run these rules
  --disable ID,...           do not run these rules
  --enable-all               run every rule, including the ones off by default
  --jobs N                   worker threads (default: one per 1.5 usable cores)
  --tags a,b                 build tags
  --no-tests                 skip _test.go files
  --baseline FILE            report only findings not accepted in FILE; list the entries now fixed
  --write-baseline FILE      accept every current finding: write them to FILE
  --new-from-rev REV         report only findings on lines changed since git revision REV
  --new-from-merge-base REF  report only findings on lines changed since the merge base of REF and HEAD
  --new-from-patch FILE      report only findings on lines a unified diff adds or changes
  --fix                      apply the safe suggested fixes in place
  --diff                     print the suggested fixes as a unified diff instead of a report
  --report-unused-ignores    report suppression directives that matched no finding
  --cache-dir DIR            cache directory (default $XDG_CACHE_HOME/deferguard or ~/.cache/deferguard)
  --no-cache                 neither read nor write the cache
  --no-color                 plain text output even on a terminal (also NO_COLOR=1 or CI=true)
  --no-progress              no progress line on a terminal
  -v, --verbose              also print loader, type-checker and cache notes

exit codes: 0 no finding at or above the gate, 1 findings at or above it, 2 usage or
configuration error (also an unwritable output file, or a pattern that matches nothing), 3
internal error (a rule or the analysis failed, a file or directory could not be read, or a fix
would have produced code that does not parse; the other findings are still reported).
`;

export { UsageError };

export interface CheckArgs {
  dir: string | undefined;
  patterns: string[];
  formats: { name: string; file: string | undefined }[];
  /** True when --format was given (false: the default text report). */
  formatsGiven: boolean;
  failOn: FailOn;
  /** True when --fail-on was given (it then wins over the configuration). */
  failOnGiven: boolean;
  /** --min-confidence, when given (it then wins over the configuration). */
  minConfidence: Confidence | undefined;
  enable: string[];
  disable: string[];
  enableAll: boolean;
  /** Undefined: the driver's default (defaultJobs). */
  jobs: number | undefined;
  tags: string[];
  color: boolean;
  tests: boolean;
  /** True when --no-tests was given. */
  testsGiven: boolean;
  verbose: boolean;
  help: boolean;
  config: string | undefined;
  baseline: string | undefined;
  writeBaseline: string | undefined;
  newFromRev: string | undefined;
  newFromMergeBase: string | undefined;
  newFromPatch: string | undefined;
  fix: boolean;
  diff: boolean;
  reportUnusedIgnores: boolean;
  cacheDir: string | undefined;
  cache: boolean;
  progress: boolean;
}

function list(v: string): string[] {
  return v.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

export function parseCheckArgs(args: readonly string[]): CheckArgs {
  const out: CheckArgs = {
    dir: undefined, patterns: [], formats: [], formatsGiven: false, failOn: 'high', failOnGiven: false, minConfidence: undefined, enable: [], disable: [], enableAll: false,
    jobs: undefined, tags: [], color: true, tests: true, testsGiven: false, verbose: false, help: false,
    config: undefined, baseline: undefined, writeBaseline: undefined, newFromRev: undefined, newFromMergeBase: undefined, newFromPatch: undefined,
    fix: false, diff: false, reportUnusedIgnores: false, cacheDir: undefined, cache: true, progress: true,
  };
  const r = new FlagReader(args);
  while (r.next()) {
    const a = r.arg;
    const name = r.name;
    switch (name) {
      case '-h': case '--help': out.help = true; break;
      case '-C': case '--dir': out.dir = r.value(); break;
      case '--config': out.config = r.path(); break;
      case '--format': {
        const v = r.value();
        const k = v.indexOf('=');
        const fname = k >= 0 ? v.slice(0, k) : v;
        const file = k >= 0 ? v.slice(k + 1) : undefined;
        if (!Object.hasOwn(FORMATS, fname)) throw new UsageError(`unknown output format "${fname}": use one of ${formatNames().join(', ')}`);
        if (file === '') throw new UsageError(`--format ${fname}=: the file name is empty`);
        // Two reports into one file: the last would silently replace the others.
        const same = file !== undefined ? out.formats.find((f) => f.file !== undefined && resolve(f.file) === resolve(file)) : undefined;
        if (same) throw new UsageError(`--format ${same.name}=${same.file} and --format ${fname}=${file} write the same file: give each report its own file`);
        out.formats.push({ name: fname, file });
        out.formatsGiven = true;
        break;
      }
      case '--fail-on':
        try {
          out.failOn = parseFailOn(r.value());
          out.failOnGiven = true;
        } catch (e) {
          throw new UsageError((e as GateError).message);
        }
        break;
      case '--min-confidence':
        try {
          out.minConfidence = parseConfidence(r.value());
        } catch (e) {
          throw new UsageError((e as GateError).message);
        }
        break;
      case '--enable': out.enable.push(...list(r.value())); break;
      case '--disable': out.disable.push(...list(r.value())); break;
      case '--enable-all': r.noValue(); out.enableAll = true; break;
      case '--jobs': {
        const v = r.value();
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) throw new UsageError(`invalid --jobs value "${v}": use a whole number from 1 to 256`);
        out.jobs = Number(v);
        break;
      }
      case '--tags': out.tags.push(...list(r.value())); break;
      case '--no-color': r.noValue(); out.color = false; break;
      case '--no-tests': r.noValue(); out.tests = false; out.testsGiven = true; break;
      case '--baseline': out.baseline = r.path(); break;
      case '--write-baseline': out.writeBaseline = r.path(); break;
      case '--new-from-rev': out.newFromRev = r.value(); break;
      case '--new-from-merge-base': out.newFromMergeBase = r.value(); break;
      case '--new-from-patch': out.newFromPatch = r.path(); break;
      case '--fix': r.noValue(); out.fix = true; break;
      case '--diff': r.noValue(); out.diff = true; break;
      case '--report-unused-ignores': r.noValue(); out.reportUnusedIgnores = true; break;
      case '--cache-dir': out.cacheDir = r.path(); break;
      case '--no-cache': r.noValue(); out.cache = false; break;
      case '--no-progress': r.noValue(); out.progress = false; break;
      case '-v': case '--verbose': out.verbose = true; break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown flag ${a}`);
        out.patterns.push(a);
    }
  }
  if (out.formats.length === 0 && !out.diff) out.formats.push({ name: 'text', file: undefined });
  if (out.formats.filter((f) => f.file === undefined).length > 1) {
    throw new UsageError('only one --format can write to standard output; give the others a file (--format sarif=out.sarif)');
  }
  if (out.diff && out.formats.some((f) => f.file === undefined)) {
    throw new UsageError('--diff prints the fixes to standard output; give every --format a file (--format json=report.json)');
  }
  const scopes = [out.newFromRev, out.newFromMergeBase, out.newFromPatch].filter((x) => x !== undefined);
  if (scopes.length > 1) throw new UsageError('use only one of --new-from-rev, --new-from-merge-base and --new-from-patch');
  if (out.newFromRev !== undefined && out.newFromRev.trim() === '') throw new UsageError('--new-from-rev needs a revision');
  if (out.newFromMergeBase !== undefined && out.newFromMergeBase.trim() === '') throw new UsageError('--new-from-merge-base needs a ref');
  if (!out.cache && out.cacheDir !== undefined) throw new UsageError('--no-cache and --cache-dir contradict each other');
  return out;
}

/** The rule ids to run: defaults (or all), then the configuration's on/off, then --enable and --disable. */
export function selectRules(a: Pick<CheckArgs, 'enable' | 'disable' | 'enableAll'>, cfg?: Pick<Config, 'rules' | 'enableAll'>): string[] {
  const known = new Set(analyzers.map((x) => x.meta.id));
  for (const id of [...a.enable, ...a.disable]) {
    if (!known.has(id)) throw new UsageError(`unknown rule "${id}": run "deferguard rules" for the list`);
  }
  const on = new Set(a.enableAll || cfg?.enableAll ? known : defaultEnabled());
  for (const [id, s] of Object.entries(cfg?.rules ?? {})) {
    if (s.enabled === true) on.add(id);
    else if (s.enabled === false) on.delete(id);
  }
  for (const id of a.enable) on.add(id);
  for (const id of a.disable) on.delete(id);
  return analyzers.map((x) => x.meta.id).filter((id) => on.has(id));
}

/** Metadata of every rule a report may mention, with the configuration's severity overrides. */
export function allRuleMetas(overrides: Readonly<Record<string, Severity>> = {}): RuleMeta[] {
  return [...analyzers.map((a) => a.meta), SYNTAX_ERROR_RULE, INTERNAL_ERROR_RULE, DIRECTIVE_RULE].map((m) =>
    overrides[m.id] ? { ...m, severity: overrides[m.id]! } : m,
  );
}

/** Colours and code frames: a terminal, no --no-color, no NO_COLOR, no CI. */
export function colorWanted(isTTY: boolean | undefined, flag: boolean, env: NodeJS.ProcessEnv): boolean {
  if (!isTTY || !flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.CI && env.CI !== 'false' && env.CI !== '0') return false;
  if (env.TERM === 'dumb') return false;
  return true;
}

/** Where the configuration search starts: the first pattern that names a directory, else the working directory. */
export function configStart(cwd: string, patterns: readonly string[]): string {
  const first = patterns[0];
  if (first === undefined) return cwd;
  if (!(first.startsWith('.') || first.startsWith('/'))) return cwd; // an import path
  const p = first.replace(/\/\.\.\.$/, '').replace(/^\.\.\.$/, '.');
  return resolve(cwd, p === '' ? '.' : p);
}

/** The configuration for a run: --config, else found upward from the analysed path, else $HOME, else defaults. */
export function resolveConfig(cwd: string, a: Pick<CheckArgs, 'config' | 'patterns'>, env: NodeJS.ProcessEnv = process.env): Config | undefined {
  const known = [...analyzers.map((x) => x.meta.id)];
  if (a.config !== undefined) return loadConfig(resolve(cwd, a.config), known);
  const home = env.HOME ?? '';
  const file = findConfig(configStart(cwd, a.patterns), home);
  return file ? loadConfig(file, known) : undefined;
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

function describeCache(s: CacheStats, dir: string): string {
  return `cache ${dir}: ${s.hits} hit${s.hits === 1 ? '' : 's'}, ${s.misses} miss${s.misses === 1 ? '' : 'es'}${s.invalid ? `, ${s.invalid} unusable entr${s.invalid === 1 ? 'y' : 'ies'} replaced` : ''}, ${s.writes} written`;
}

export async function run(args: string[]): Promise<number> {
  const err = (s: string) => process.stderr.write(`deferguard: ${s}\n`);
  let a: CheckArgs;
  try {
    a = parseCheckArgs(args);
    if (a.help) {
      process.stdout.write(USAGE);
      return 0;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`deferguard: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  const cwd = resolve(a.dir ?? '.');
  const at = (p: string) => resolve(cwd, p);
  if (a.dir !== undefined) {
    // -C to a missing directory analyses nothing: that is a usage error, not a clean run.
    let isDirectory = false;
    try {
      isDirectory = statSync(cwd).isDirectory();
    } catch {
      // missing or unreadable
    }
    if (!isDirectory) {
      process.stderr.write(`deferguard: -C ${a.dir}: ${existsSync(cwd) ? 'not a directory' : 'no such directory'}\n`);
      return 2;
    }
  }

  // Configuration and the settings derived from it (flags win).
  let cfg: Config | undefined;
  let enable: string[];
  let exclude: Excluder;
  try {
    cfg = resolveConfig(cwd, a);
    enable = selectRules(a, cfg);
    try {
      exclude = new Excluder({ globs: cfg?.exclude ?? [], defaults: cfg?.excludeDefaults ?? true });
    } catch (e) {
      if (e instanceof GlobError) throw new UsageError(`${cfg?.file ?? 'configuration'}: exclude: ${e.message}`);
      throw e;
    }
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
  const failOn: FailOn = a.failOnGiven ? a.failOn : (cfg?.failOn ?? 'high');
  const minConfidence: Confidence = a.minConfidence ?? cfg?.minConfidence ?? 'low';
  const tags = a.tags.length > 0 ? a.tags : (cfg?.tags ?? []);
  const tests = a.testsGiven ? a.tests : (cfg?.tests ?? true);
  const reportUnused = a.reportUnusedIgnores || (cfg?.reportUnusedIgnores ?? false);
  const baselinePath = a.baseline !== undefined ? at(a.baseline) : cfg?.baseline !== undefined && cfg.file ? resolve(dirname(cfg.file), cfg.baseline) : undefined;
  const overrides: Record<string, Severity> = {};
  for (const [id, s] of Object.entries(cfg?.rules ?? {})) if (s.severity) overrides[id] = s.severity;
  if (a.verbose) err(`note: configuration: ${cfg?.file ?? 'none (built-in defaults)'}`);

  // Fail early, before a long analysis, on output files that cannot be written and inputs that are missing.
  let baseline: Baseline | undefined;
  let patch: Map<string, FileDiff> | undefined;
  try {
    for (const f of a.formats) if (f.file !== undefined) checkWritable(at(f.file), `the ${f.name} report`, f.file);
    if (a.writeBaseline !== undefined) checkWritable(at(a.writeBaseline), 'the baseline', a.writeBaseline);
    if (baselinePath !== undefined && a.writeBaseline === undefined) baseline = readBaselineFile(baselinePath);
    if (a.newFromPatch !== undefined) {
      let text: string;
      try {
        text = readFileSync(at(a.newFromPatch), 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read the patch ${a.newFromPatch}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      }
      patch = parseUnifiedDiff(text);
    }
  } catch (e) {
    if (e instanceof OutputError || e instanceof BaselineError || e instanceof UsageError) {
      err(e.message);
      return 2;
    }
    throw e;
  }

  const cache = a.cache ? new AnalysisCache(a.cacheDir !== undefined ? at(a.cacheDir) : defaultCacheDir()) : undefined;
  const progress = a.progress && progressWanted(process.stderr, process.env)
    ? new ProgressLine({ isTTY: true, columns: process.stderr.columns, write: (s) => process.stderr.write(s) })
    : undefined;
  let result: AnalyzeResult;
  try {
    result = await analyze({
      cwd, patterns: a.patterns, tags, jobs: a.jobs, registry: REGISTRY_URL, enable, tests,
      options: cfg?.ruleOptions, exclude, knownRules: analyzers.map((x) => x.meta.id), cache, toolVersion: version(),
      ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
    });
  } catch (e) {
    progress?.done();
    if (e instanceof DriverError) {
      err(e.message);
      return 3;
    }
    throw e;
  }
  progress?.done();
  for (const w of result.warnings) err(`warning: ${w}`);
  for (const e of result.loadErrors) err(`warning: ${e}`);
  // Files or directories that could not be read leave the analysis incomplete: named, then exit 3.
  const unread = [...new Set([...result.loadErrors, ...result.notes].filter(isReadFailure))].sort();
  for (const n of result.notes) if (isReadFailure(n) && !result.loadErrors.includes(n)) err(`warning: ${n}`);
  if (a.verbose) {
    for (const n of result.notes) err(`note: ${n}`);
    err(`note: ${plural(result.packages, 'package')}, ${plural(result.files, 'file')} via ${result.via}; ${result.excludedFiles} excluded; ${result.suppressed} suppressed`);
    if (result.fallbackReason) err(`note: packages found without go list: ${result.fallbackReason}`);
    if (cache && result.cache) err(`note: ${describeCache(result.cache, cache.dir)}`);
    if (result.bodies.total > 0) err(`note: ${result.bodies.pruned} of ${plural(result.bodies.total, 'function body', 'function bodies')} held nothing the enabled rules look at and were not analysed`);
  }
  for (const w of cache?.warnings ?? []) err(`warning: ${w}`);
  if (result.packages === 0) {
    err(`no Go packages matched ${(a.patterns.length ? a.patterns : ['./...']).join(' ')} in ${cwd}`);
    // A pattern that names nothing (a mistyped directory) is a usage error, as for go vet: a CI
    // step must not pass because it analysed nothing. An empty module (./... with no package) is not.
    if (result.loadErrors.some((e) => e.startsWith('pattern '))) return 2;
  }
  const root = result.root;
  const original = new Map<string, Buffer | null>();
  const bytesOf = (file: string): Buffer | undefined => {
    let b = original.get(file);
    if (b === undefined) {
      try {
        b = readFileSync(isAbsolute(file) ? file : join(root, file));
      } catch {
        b = null;
      }
      original.set(file, b);
    }
    return b ?? undefined;
  };
  const source = (file: string): string | undefined => bytesOf(file)?.toString('utf8');
  const lineCache = new Map<string, string[] | undefined>();
  const lines = (file: string) => {
    if (!lineCache.has(file)) {
      const t = source(file);
      lineCache.set(file, t === undefined ? undefined : splitLines(t));
    }
    return lineCache.get(file);
  };

  // Findings: severity overrides, suppression diagnostics, fingerprints.
  let findings: Finding[] = filterByConfidence(result.findings, minConfidence).map((f) => (overrides[f.rule] ? { ...f, severity: overrides[f.rule]! } : f));
  const dirSeverity = overrides[DIRECTIVE_RULE.id] ?? DIRECTIVE_RULE.severity;
  findings.push(...diagnosticsToFindings(result.directiveProblems, dirSeverity));
  if (reportUnused) findings.push(...diagnosticsToFindings(result.unusedIgnores, dirSeverity));
  findings = computeFingerprints(findings, lines);

  // Baseline.
  if (a.writeBaseline !== undefined) {
    baseline = createBaseline(findings, version());
    try {
      writeFileAtomic(at(a.writeBaseline), serializeBaseline(baseline), 'the baseline', a.writeBaseline);
    } catch (e) {
      err((e as Error).message);
      return 2;
    }
    err(`baseline: wrote ${plural(baseline.entries.length, 'accepted finding')} to ${a.writeBaseline}`);
  }
  if (baseline) {
    const r = applyBaseline(findings, baseline);
    findings = r.fresh;
    if (a.writeBaseline === undefined) reportBaseline(err, baselinePath!, r.baselined.length, r.fixed);
  }

  // Diff scoping.
  try {
    if (a.newFromRev !== undefined) patch = await changesSinceRev(a.newFromRev, { cwd: root });
    else if (a.newFromMergeBase !== undefined) patch = await changesSinceMergeBase(a.newFromMergeBase, { cwd: root });
  } catch (e) {
    if (e instanceof DiffError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
  if (patch) {
    const s = scopeToDiff(findings, patch);
    findings = s.kept;
    if (a.verbose) err(`note: ${plural(s.dropped.length, 'finding')} outside the changed lines not reported`);
  }
  findings.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0) || x.line - y.line || x.column - y.column || (x.rule < y.rule ? -1 : x.rule > y.rule ? 1 : 0));

  // Fixes.
  let brokenFixes = false;
  if (a.fix || a.diff) {
    const fixable = new Set(analyzers.filter((x) => x.meta.fixable).map((x) => x.meta.id));
    const plan = planFixes(findings, (r) => fixable.has(r), bytesOf);
    brokenFixes = plan.broken.length > 0;
    for (const b of plan.broken) {
      err(`error: the fixes for ${b.file} would not parse (${b.error}); the file is not changed. Fixes of: ${b.findings.map((f) => `${f.rule} at line ${f.line}`).join(', ')}`);
    }
    if (a.verbose) for (const s of plan.skipped) err(`note: fix of ${s.finding.rule} at ${s.finding.file}:${s.finding.line} not applied: ${s.reason}`);
    if (a.diff) {
      process.stdout.write(plan.files.map((f) => unifiedDiff(f.file, f.before.toString('utf8'), f.after.toString('utf8'))).join(''));
    }
    if (a.fix) {
      const code = writeFixes(plan, root, err);
      if (code !== 0) return code;
      const fixed = new Set(plan.files.flatMap((f) => f.fixed));
      findings = findings.filter((f) => !fixed.has(f));
    }
  }

  // Reports.
  const rules = allRuleMetas(overrides);
  const tty = colorWanted(process.stdout.isTTY, a.color, process.env);
  for (const f of a.formats) {
    const text = render(f.name, findings, rules, {
      toolVersion: version(),
      source,
      tty: f.file === undefined && f.name === 'text' ? tty : false,
      rootUri: pathToFileURL(root + '/').href,
    });
    if (f.file === undefined) process.stdout.write(text);
    else {
      try {
        writeFileAtomic(at(f.file), text, `the ${f.name} report`, f.file);
      } catch (e) {
        err((e as Error).message);
        return 2;
      }
    }
  }
  if (a.diff && !a.formatsGiven) err(summaryLine(findings));
  if (unread.length > 0) {
    err(`error: ${plural(unread.length, 'file or directory', 'files or directories')} could not be read and ${unread.length === 1 ? 'was' : 'were'} not analysed (see the warnings above); the findings of everything else are reported`);
  }
  if (brokenFixes || unread.length > 0 || findings.some((f) => f.rule === INTERNAL_ERROR_RULE.id)) return 3;
  return applyGate(findings, failOn).failed ? 1 : 0;
}

function reportBaseline(err: (s: string) => void, file: string, accepted: number, fixed: readonly BaselineEntry[]): void {
  const head = `baseline ${file}: ${plural(accepted, 'accepted finding')} still present`;
  if (fixed.length === 0) {
    err(`${head}, none fixed`);
    return;
  }
  err(`${head}; ${plural(fixed.length, 'entry', 'entries')} fixed since it was written (shrink it with --write-baseline):`);
  for (const e of fixed) err(`  fixed: ${e.file}:${e.line}: [${e.rule}] ${e.message}`);
}

function writeFixes(plan: FixPlan, root: string, err: (s: string) => void): number {
  let n = 0;
  for (const f of plan.files) {
    try {
      writeFileAtomic(isAbsolute(f.file) ? f.file : join(root, f.file), f.after, 'the fixed file', f.file);
    } catch (e) {
      err((e as Error).message);
      return 2;
    }
    n += f.fixed.length;
  }
  if (n > 0) err(`fixed ${plural(n, 'finding')} in ${plural(plan.files.length, 'file')}`);
  return 0;
}
