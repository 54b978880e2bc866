// Analysis of an in-memory file set: no file system, no worker threads, no Node API. The browser
// playground analyses what is typed into it this way, and the language server uses the same
// steps to turn unit results into the findings a file shows. Files are grouped into packages by
// directory the way go/build does it (file name suffixes, build constraints, _test files and
// external test packages), for one build context (linux/amd64 unless told otherwise).
import type { BuildContext } from '../syntax/constraint.js';
import { fileNameMismatch, headerAllows, readFileHeader, releaseTagsFor } from '../syntax/constraint.js';
import { parseFile } from '../syntax/parser.js';
import { encodeUtf8 } from '../syntax/source.js';
import { DEFAULT_MODULE_GO, effectiveGoVersion, languageVersion } from '../load/goversion.js';
import type { Finding } from '../findings/model.js';
import { dedupe } from '../findings/gate.js';
import { applySuppressions, type Directive, type DirectiveDiagnostic } from '../findings/suppress.js';
import type { Analyzer } from './analyzer.js';
import { Engine, INTERNAL_ERROR_RULE, type EngineConfig, type PackageTable, type SourceReader, type Unit, type UnitFile, type UnitResult } from './core.js';
import { defaultRuleOptions, type RuleOptions } from './options.js';

export interface AnalyzeFilesOptions {
  /** File texts (or bytes) by path relative to the module root, slash-separated ("main.go", "pkg/x.go"). */
  files: ReadonlyMap<string, string | Uint8Array>;
  /** The module path (`module` line of go.mod), e.g. "example.com/play". */
  modulePath: string;
  /** The module's `go` directive ("1.22" or "go1.22"); go1.16 when absent, as Go does. */
  goVersion?: string;
  /** Every analyzer that may run (the rule registry); the enabled ones are picked by id. */
  analyzers: readonly Analyzer[];
  /** Ids of the rules to run. */
  enable: readonly string[];
  options?: RuleOptions;
  /** Analyse _test.go files too (default true). */
  tests?: boolean;
  /** Honour //deferguard:ignore and //nolint directives (default true). */
  suppress?: boolean;
  goos?: string;
  goarch?: string;
  tags?: string[];
}

export interface AnalyzeFilesResult {
  /** Sorted, deduplicated findings that survived the suppressions. */
  findings: Finding[];
  suppressed: number;
  /** Malformed suppression directives (missing reason, unknown rule, no rule). */
  directiveProblems: DirectiveDiagnostic[];
  /** Files left out, and why (build constraints, file name, mixed package names). */
  ignored: { path: string; reason: string }[];
  /** Type-checker notes. */
  notes: string[];
  /** Analysis units, by key (import path; external tests with a `_test` suffix). */
  units: string[];
}

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/;

/** The build context used when none is given: linux/amd64, gc, cgo on, release tags up to goVersion. */
export function memoryBuildContext(opts: { goos?: string; goarch?: string; tags?: string[]; goVersion?: string } = {}): BuildContext {
  return {
    goos: opts.goos ?? 'linux',
    goarch: opts.goarch ?? 'amd64',
    compiler: 'gc',
    cgoEnabled: true,
    buildTags: opts.tags ?? [],
    toolTags: [],
    releaseTags: releaseTagsFor(opts.goVersion ?? 'go1.26'),
  };
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function checkPath(path: string): void {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new InputError(`file path "${path}" must be relative to the module root, slash-separated, without "." or ".." segments`);
  }
}

export interface PlannedFiles {
  units: Unit[];
  table: PackageTable;
  ignored: { path: string; reason: string }[];
}

/** Groups files into packages and analysis units (a package with its in-package tests; external tests apart). */
export function planFiles(files: ReadonlyMap<string, Uint8Array>, opts: { modulePath: string; goVersion?: string; tests?: boolean; ctx?: BuildContext }): PlannedFiles {
  const moduleGo = (opts.goVersion && languageVersion(opts.goVersion.replace(/^go/, ''))) || DEFAULT_MODULE_GO;
  const ctx = opts.ctx ?? memoryBuildContext({ goVersion: 'go1.26' });
  const tests = opts.tests !== false;
  const ignored: { path: string; reason: string }[] = [];
  type Member = UnitFile & { pkgName: string; kind: 'go' | 'test' | 'xtest' };
  const byDir = new Map<string, Member[]>();
  for (const path of [...files.keys()].sort()) {
    checkPath(path);
    const name = baseOf(path);
    if (!name.endsWith('.go')) continue;
    if (name.startsWith('_') || name.startsWith('.')) {
      ignored.push({ path, reason: `file name starts with ${name[0]}` });
      continue;
    }
    const bad = fileNameMismatch(name, ctx);
    if (bad) {
      ignored.push({ path, reason: `file name suffix ${bad} does not match ${ctx.goos}/${ctx.goarch}` });
      continue;
    }
    const bytes = files.get(path)!;
    const verdict = headerAllows(readFileHeader(bytes), ctx);
    if (!verdict.ok) {
      ignored.push({ path, reason: verdict.error ?? verdict.reason });
      continue;
    }
    const test = name.endsWith('_test.go');
    if (test && !tests) continue;
    const parsed = parseFile(path, bytes, { mode: 'imports' });
    const f = parsed.file;
    // A file without a package clause still becomes a member, so that its syntax error is reported.
    const pkgName = f.name.name || '';
    let generated = false;
    for (const g of f.comments ?? []) {
      if (f.package >= 0 && g.list[0]!.slash > f.package) break;
      if (g.list.some((c) => GENERATED.test(c.text))) {
        generated = true;
        break;
      }
    }
    const kind = test && pkgName.endsWith('_test') ? 'xtest' : test ? 'test' : 'go';
    const dir = dirOf(path);
    let list = byDir.get(dir);
    if (!list) byDir.set(dir, (list = []));
    list.push({ path, absPath: path, name, goVersion: effectiveGoVersion(verdict.goVersion, moduleGo), generated, test, pkgName, kind });
  }
  const units: Unit[] = [];
  const table: PackageTable = {};
  const strip = (m: Member): UnitFile => ({ path: m.path, absPath: m.absPath, name: m.name, goVersion: m.goVersion, generated: m.generated, test: m.test });
  for (const [dir, members] of [...byDir].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const importPath = dir === '.' ? opts.modulePath : opts.modulePath ? `${opts.modulePath}/${dir}` : dir;
    const first = members.find((m) => m.kind !== 'xtest' && m.pkgName) ?? members.find((m) => m.pkgName);
    const pkgName = first ? (first.kind === 'xtest' ? first.pkgName.slice(0, -5) : first.pkgName) : 'main';
    const own: Member[] = [];
    const xtest: Member[] = [];
    for (const m of members) {
      if (m.kind === 'xtest' && m.pkgName === `${pkgName}_test`) xtest.push(m);
      else if (m.pkgName === '' || m.pkgName === pkgName) own.push(m);
      else ignored.push({ path: m.path, reason: `package ${m.pkgName}, but ${first!.path} is in package ${pkgName}` });
    }
    const nonTest = own.filter((m) => m.kind === 'go');
    if (nonTest.length > 0) table[importPath] = { name: pkgName, files: nonTest.map(strip) };
    if (own.length > 0) {
      units.push({ key: importPath, importPath, name: pkgName, dir, modulePath: opts.modulePath, moduleGoVersion: moduleGo, files: own.map(strip) });
    }
    if (xtest.length > 0) {
      units.push({ key: `${importPath}_test`, importPath: `${importPath}_test`, name: `${pkgName}_test`, dir, modulePath: opts.modulePath, moduleGoVersion: moduleGo, files: xtest.map(strip) });
    }
  }
  units.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { units, table, ignored };
}

/** A reader over a map of file bytes keyed by UnitFile.absPath. */
export function mapReader(files: ReadonlyMap<string, Uint8Array>): SourceReader {
  return {
    read(f, maxBytes) {
      const b = files.get(f.absPath);
      if (!b) return { ok: false, error: `${f.path}: cannot read: no such file` };
      if (b.length > maxBytes) return { ok: false, error: `${f.path}: file is ${b.length} bytes, over the ${maxBytes}-byte limit; skipped` };
      return { ok: true, bytes: b };
    },
  };
}

/** A finding for a unit whose analysis threw (the engine isolates rules; this is the last resort). */
export function unitCrashFinding(unit: Unit, error: string): Finding {
  return {
    rule: INTERNAL_ERROR_RULE.id,
    severity: INTERNAL_ERROR_RULE.severity,
    confidence: 'high',
    message: `analysis of package ${unit.importPath} failed: ${error}; its findings are missing`,
    related: [],
    file: unit.files[0]?.path ?? unit.dir,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
  };
}

export interface Collected {
  findings: Finding[];
  suppressed: number;
  directiveProblems: DirectiveDiagnostic[];
  notes: string[];
}

/** Merges unit results: suppressions applied, findings sorted and deduplicated, directive problems sorted. */
export function collectResults(results: readonly UnitResult[], opts: { enable: readonly string[]; knownRules?: readonly string[]; suppress?: boolean }): Collected {
  let findings: Finding[] = [];
  const directives = new Map<string, Directive>();
  const problems = new Map<string, DirectiveDiagnostic>();
  const notes = new Set<string>();
  for (const r of [...results].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    findings.push(...r.findings);
    // A file analysed in two units gives its directives twice.
    for (const d of r.directives) if (!directives.has(`${d.file}\u0000${d.line}\u0000${d.column}`)) directives.set(`${d.file}\u0000${d.line}\u0000${d.column}`, d);
    for (const d of r.diagnostics ?? []) problems.set(`${d.file}\u0000${d.line}\u0000${d.column}\u0000${d.message}`, d);
    for (const n of r.notes) notes.add(n);
  }
  let suppressed = 0;
  if (opts.suppress !== false) {
    const s = applySuppressions(findings, [...directives.values()], {
      enabledRules: new Set(opts.enable),
      ...(opts.knownRules ? { knownRules: new Set(opts.knownRules) } : {}),
    });
    findings = s.kept;
    suppressed = s.suppressed.length;
  }
  const directiveProblems = [...problems.values()].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
  return { findings: dedupe(findings), suppressed, directiveProblems, notes: [...notes].sort() };
}

/** Picks the enabled analyzers by id, in the order given; an unknown id is an InputError. */
export function pickAnalyzers(all: readonly Analyzer[], enable: readonly string[]): Analyzer[] {
  const byId = new Map(all.map((a) => [a.meta.id, a]));
  return enable.map((id) => {
    const a = byId.get(id);
    if (!a) throw new InputError(`unknown rule "${id}"`);
    return a;
  });
}

/** Analyses an in-memory module: every package its files form. Deterministic; needs no file system. */
export function analyzeFiles(opts: AnalyzeFilesOptions): AnalyzeFilesResult {
  const bytes = new Map<string, Uint8Array>();
  for (const [path, content] of opts.files) bytes.set(path, typeof content === 'string' ? encodeUtf8(content) : content);
  const ctx = memoryBuildContext({ goos: opts.goos, goarch: opts.goarch, tags: opts.tags });
  const planned = planFiles(bytes, { modulePath: opts.modulePath, goVersion: opts.goVersion, tests: opts.tests, ctx });
  const knownRules = opts.analyzers.map((a) => a.meta.id);
  const cfg: EngineConfig = {
    root: '.',
    registry: '',
    enable: [...opts.enable],
    options: opts.options ?? defaultRuleOptions(),
    table: planned.table,
    knownRules,
  };
  const engine = Engine.withAnalyzers(cfg, pickAnalyzers(opts.analyzers, opts.enable), mapReader(bytes));
  const results: UnitResult[] = [];
  for (const u of planned.units) {
    try {
      results.push(engine.analyze(u));
    } catch (e) {
      results.push({ key: u.key, findings: [unitCrashFinding(u, (e as Error)?.message ?? String(e))], directives: [], notes: [] });
    }
  }
  const c = collectResults(results, { enable: opts.enable, knownRules, suppress: opts.suppress });
  return { findings: c.findings, suppressed: c.suppressed, directiveProblems: c.directiveProblems, ignored: planned.ignored, notes: c.notes, units: planned.units.map((u) => u.key) };
}
