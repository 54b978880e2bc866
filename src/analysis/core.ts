// Analysis of one unit (a package, or a package's external tests) inside one thread: read and
// parse its files, type-check them (falling back to "unknown"), and run the enabled analyzers,
// each isolated so that a rule that throws costs one internal-error finding and nothing else.
// This module needs no file system: files come through a SourceReader (the disk in the driver,
// open editor buffers in the language server, a map of texts in the browser).
import type * as ast from '../syntax/ast.js';
import { declarationsOf } from '../syntax/declarations.js';
import { DEFAULT_MAX_NESTING, parseFile } from '../syntax/parser.js';
import { bytesContain, type SourceFile } from '../syntax/source.js';
import type { TypeInfo } from '../types/api.js';
import { unknownTypeInfo } from '../types/unknown.js';
import type { Finding, RuleMeta } from '../findings/model.js';
import { docUrl } from '../findings/model.js';
import { collectDirectives, type Directive, type DirectiveDiagnostic } from '../findings/suppress.js';
import type { Analyzer, PackageInfo, PassFile } from './analyzer.js';
import { Inspector, type FileInspector, type NodeOf } from './inspector.js';
import { deferredNamesIn, latin1Text } from './deferred-names.js';
import { rewriteSpawns, spawnersIn, spawnersInFiles, type Spawners } from './spawners.js';

const SPAWNER_HINT = 'func()) {';

/** A cheap byte test before the spawner regex: gofmt writes the parameter as `(fn func()) {`. */
function mayDeclareSpawner(bytes: Uint8Array): boolean {
  return bytesContain(bytes, SPAWNER_HINT);
}
import { checkPackage, Universe } from '../types/check.js';
import type { RuleOptions } from './options.js';
import { PackageContext, PassImpl, spanOf } from './pass.js';
import { combinedNeeds, pruneBodies, type CombinedNeeds } from './prune.js';

export const SYNTAX_ERROR_RULE: RuleMeta = {
  id: 'syntax-error',
  severity: 'high',
  summary: 'A Go file that does not parse; the rules skip it.',
  enabledByDefault: true,
  fixable: false,
  category: 'tool',
  docUrl: docUrl('syntax-error'),
};

export const INTERNAL_ERROR_RULE: RuleMeta = {
  id: 'internal-error',
  severity: 'low',
  summary: 'A rule failed on a package; its other findings and all other rules are unaffected.',
  enabledByDefault: true,
  fixable: false,
  category: 'tool',
  docUrl: docUrl('internal-error'),
};

export interface UnitFile {
  /** Path relative to the module root. */
  path: string;
  absPath: string;
  name: string;
  goVersion: string;
  generated: boolean;
  test: boolean;
}

/** One analysis unit, plain data so that it can be posted to a worker. */
export interface Unit {
  /** Unique key (import path, with a "_test" suffix for external tests). */
  key: string;
  importPath: string;
  name: string;
  dir: string;
  modulePath: string;
  moduleGoVersion: string;
  files: UnitFile[];
}

/** The module's own packages (non-test files), for the type checker's importer. */
/**
 * The module's packages the type checker may import: their non-test files, their imports, and
 * their test files (read only for package-crossing text questions, such as who defers what).
 */
export type PackageTable = Record<string, { name: string; files: UnitFile[]; imports?: string[]; testFiles?: UnitFile[] }>;

export interface EngineConfig {
  root: string;
  /** URL of a module exporting `analyzers: Analyzer[]`. */
  registry: string;
  /** Ids of the analyzers to run. */
  enable: string[];
  options: RuleOptions;
  table: PackageTable;
  maxFileSize?: number;
  /** Every rule id deferguard knows; //deferguard:ignore naming another id gets a diagnostic. */
  knownRules?: string[];
  /** Empty the function bodies no enabled rule needs before analysis (default true; see analysis/prune.ts). */
  prune?: boolean;
}

export interface UnitResult {
  key: string;
  findings: Finding[];
  directives: Directive[];
  /** Problems with suppression directives (missing reason, unknown rule, no rule). */
  diagnostics?: DirectiveDiagnostic[];
  /** Type-checker errors and notes (not findings). */
  notes: string[];
  /** Function bodies with statements, and how many of them were emptied as needed by no rule. */
  bodies?: { total: number; pruned: number };
}

/** Bytes of a file, or why it cannot be read ("<path>: cannot read: ..."). */
export type ReadOutcome = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/** Where the engine gets file contents from. */
export interface SourceReader {
  read(file: UnitFile, maxBytes: number): ReadOutcome;
}

/** Same limit as the loader's (load/files.ts), repeated here so that this module stays free of Node APIs. */
export const ENGINE_MAX_FILE_SIZE = 20 * 1024 * 1024;

export class EngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

/** Loads the analyzers of a registry module and picks the enabled ones, in the order given. */
export async function loadAnalyzers(registry: string, enable: readonly string[]): Promise<Analyzer[]> {
  const mod = (await import(registry)) as { analyzers?: unknown };
  if (!Array.isArray(mod.analyzers)) throw new EngineError(`${registry} does not export a list named analyzers`);
  const all = mod.analyzers as Analyzer[];
  const byId = new Map(all.map((a) => [a.meta.id, a]));
  return enable.map((id) => {
    const a = byId.get(id);
    if (!a) throw new EngineError(`unknown rule "${id}"`);
    return a;
  });
}

/** Remembers the last file whose inspector a rule used, to name it when the rule throws. */
class TrackedInspector implements FileInspector {
  constructor(private readonly inner: Inspector, private readonly file: PassFile, private readonly track: { current: PassFile | undefined }) {}
  preorder<K extends ast.NodeKind>(kinds: readonly K[] | null, fn: (n: NodeOf<K>) => void): void {
    this.track.current = this.file;
    this.inner.preorder(kinds, fn);
  }
  withStack<K extends ast.NodeKind>(kinds: readonly K[] | null, fn: (n: NodeOf<K>, stack: readonly ast.Node[]) => boolean | void): void {
    this.track.current = this.file;
    this.inner.withStack(kinds, fn);
  }
  has(node: ast.Node): boolean {
    return this.inner.has(node);
  }
  contains(fn: ast.FuncDecl | ast.FuncLit, kinds: readonly ast.NodeKind[]): boolean {
    return this.inner.contains(fn, kinds);
  }
}

interface Parsed {
  file: ast.File;
  source: SourceFile;
}

export class Engine {
  /** Imported packages, checked once per thread and shared by all units. */
  private readonly universe: Universe;
  private readonly knownRules: ReadonlySet<string> | undefined;

  /** Module packages the type checker has imported (and cached) so far. */
  readonly importedPackages = new Set<string>();

  /**
   * Drops packages whose source changed from the type checker's cache, so the next analysis reads
   * them again (an editor calls this after an edit instead of starting from an empty cache).
   */
  forget(importPaths: Iterable<string>): void {
    for (const p of importPaths) {
      this.universe.forget(p);
      this.declarations.delete(p);
      this.importedPackages.delete(p);
      this.packageTexts.delete(p);
      for (const k of [...this.moduleFuncs.keys()]) if (k.startsWith(`${p}\0`)) this.moduleFuncs.delete(k);
    }
  }

  protected constructor(
    readonly cfg: EngineConfig,
    readonly analyzers: Analyzer[],
    private readonly reader: SourceReader,
  ) {
    this.universe = new Universe((p) => this.importPackage(p));
    this.knownRules = cfg.knownRules ? new Set(cfg.knownRules) : undefined;
    this.needs = combinedNeeds(analyzers, cfg.options);
    this.prune = cfg.prune !== false;
  }

  /** What the enabled analyzers need of function bodies; undefined when one of them does not say. */
  private readonly needs: CombinedNeeds | undefined;
  private readonly prune: boolean;

  readonly notes: string[] = [];

  /** An engine running the enabled analyzers of the registry module `cfg.registry`. */
  static async create(cfg: EngineConfig, reader: SourceReader): Promise<Engine> {
    return new Engine(cfg, await loadAnalyzers(cfg.registry, cfg.enable), reader);
  }

  /** An engine running `analyzers` as given (no registry module is imported: for bundles). */
  static withAnalyzers(cfg: EngineConfig, analyzers: Analyzer[], reader: SourceReader): Engine {
    return new Engine(cfg, analyzers, reader);
  }

  private read(f: UnitFile, mode: 'full' | 'declarations' = 'full'): { parsed?: Parsed & { errors: { offset: number; message: string }[] }; error?: string } {
    const r = this.reader.read(f, this.cfg.maxFileSize ?? ENGINE_MAX_FILE_SIZE);
    if (!r.ok) return { error: r.error };
    // Imported packages need neither bodies nor comments.
    const p = parseFile(f.path, r.bytes, mode === 'full' ? {} : { mode, comments: false });
    return { parsed: { file: p.file, source: p.source, errors: p.errors } };
  }

  private readonly textMatches = new Map<string, boolean>();

  /**
   * Declarations of module packages analysed in this thread, reduced from their full trees, kept
   * for the first later import instead of a second (declarations-only) parse of the same files.
   */
  private readonly declarations = new Map<string, ast.File[]>();
  private importedByTable: Set<string> | undefined;

  /** Whether some package of the table imports `path` (only those are worth keeping). */
  private importedSomewhere(path: string): boolean {
    if (!this.importedByTable) {
      this.importedByTable = new Set();
      for (const e of Object.values(this.cfg.table)) for (const i of e.imports ?? []) this.importedByTable.add(i);
    }
    return this.importedByTable.has(path);
  }

  /**
   * After a unit's analysis: its non-test trees, when they are exactly the files the importer
   * would read and all parsed cleanly, reduced to declarations and kept for the next import.
   */
  private keepDeclarations(unit: Unit, own: { f: UnitFile; file: ast.File }[], clean: boolean): void {
    if (!clean || !this.importedSomewhere(unit.importPath)) return;
    const entry = this.cfg.table[unit.importPath];
    if (!entry || entry.files.length !== own.length) return;
    const byPath = new Map(own.map((o) => [o.f.path, o.file]));
    const files: ast.File[] = [];
    // In the importer's order (GoFiles, then CgoFiles).
    for (const f of entry.files) {
      const file = byPath.get(f.path);
      if (!file) return;
      files.push(file);
    }
    // Copies: the analysed trees' nodes must not outlive the analysis (per-function caches hang on them).
    this.declarations.set(unit.importPath, files.map(declarationsOf));
  }

  /** Answers of moduleFunc, by package, function and needle: the declaration, or null. */
  private readonly moduleFuncs = new Map<string, ast.FuncDecl | null>();
  /** Source text of module packages looked into by moduleFunc (a few at a time). */
  private readonly packageTexts = new Map<string, { file: UnitFile; text: string }[]>();

  /**
   * The declaration of a function or method of another module package, with its body. The file
   * that declares it is found by its text and parsed alone; with a needle, a declaration whose
   * text does not contain it is not parsed at all (undefined).
   */
  private moduleFunc(pkg: string, name: string, recv?: string, needle?: string): ast.FuncDecl | undefined {
    const key = `${pkg}\0${recv ?? ''}\0${name}\0${needle ?? ''}`;
    const known = this.moduleFuncs.get(key);
    if (known !== undefined) return known ?? undefined;
    let found: ast.FuncDecl | null = null;
    const entry = this.cfg.table[pkg];
    if (entry) {
      let texts = this.packageTexts.get(pkg);
      if (!texts) {
        texts = [];
        for (const f of entry.files) {
          const r = this.reader.read(f, this.cfg.maxFileSize ?? ENGINE_MAX_FILE_SIZE);
          if (r.ok) texts.push({ file: f, text: latin1Text(r.bytes) });
        }
        if (this.packageTexts.size >= 8) this.packageTexts.delete(this.packageTexts.keys().next().value!);
        this.packageTexts.set(pkg, texts);
      }
      const esc = name.replace(/[$]/g, '\\$&');
      const header = new RegExp(recv ? `^func\\s*\\([^)]*\\b${recv.replace(/[$]/g, '\\$&')}\\b[^)]*\\)\\s*${esc}\\s*[[(]` : `^func\\s+${esc}\\s*[[(]`, 'm');
      for (const { file, text } of texts) {
        const m = header.exec(text);
        if (!m) continue;
        if (needle) {
          // The declaration ends at the first closing brace in column 0 (gofmt's layout); before
          // the next `func` at the latest, whose doc comment is not this function's text.
          const close = text.indexOf('\n}', m.index + 1);
          const next = text.indexOf('\nfunc ', m.index + 1);
          const end = close >= 0 && (next < 0 || close < next) ? close + 2 : next;
          if (!text.slice(m.index, end < 0 ? undefined : end).includes(needle)) break;
        }
        for (const d of this.read(file).parsed?.file.decls ?? []) {
          if (d.kind !== 'FuncDecl' || !d.body || d.name.name !== name) continue;
          let t = d.recv?.list?.[0]?.type;
          while (t && (t.kind === 'StarExpr' || t.kind === 'ParenExpr' || t.kind === 'IndexExpr' || t.kind === 'IndexListExpr')) t = t.x;
          const rn = t?.kind === 'Ident' ? t.name : '';
          if (rn === (recv ?? '')) found = d;
        }
        break;
      }
    }
    this.moduleFuncs.set(key, found);
    return found ?? undefined;
  }

  /**
   * Whether the text of a module package that `from` imports, directly or not, matches `re`
   * (`from` itself excluded). Each package is read once per pattern; only the module's own
   * packages are looked at (their files are part of `from`'s cache key).
   */
  private importedMatch(from: string, re: RegExp): boolean {
    const seen = new Set<string>([from]);
    const queue = [...(this.cfg.table[from]?.imports ?? [])];
    while (queue.length > 0) {
      const path = queue.pop()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const entry = this.cfg.table[path];
      if (!entry) continue;
      const key = `${path}\0${re.source}`;
      let hit = this.textMatches.get(key);
      if (hit === undefined) {
        hit = false;
        for (const f of entry.files) {
          const r = this.reader.read(f, this.cfg.maxFileSize ?? ENGINE_MAX_FILE_SIZE);
          if (r.ok && re.test(latin1Text(r.bytes))) {
            hit = true;
            break;
          }
        }
        this.textMatches.set(key, hit);
      }
      if (hit) return true;
      queue.push(...(entry.imports ?? []));
    }
    return false;
  }

  private deferredByPackage: Map<string, Set<string>> | undefined;

  /**
   * Names of the functions and methods deferred in the module's packages other than `except`
   * (`defer pkg.Name(`, `defer x.Name(`, `defer Name(`), by text. Each package's files are read
   * once per engine, and only when a rule asks.
   */
  private deferredNames(except: string): ReadonlySet<string> {
    if (!this.deferredByPackage) {
      this.deferredByPackage = new Map();
      for (const [path, entry] of Object.entries(this.cfg.table)) {
        const names = new Set<string>();
        // Tests defer helpers of other packages too (`defer testutil.FailOnPanic(t)`).
        for (const f of [...entry.files, ...(entry.testFiles ?? [])]) {
          const r = this.reader.read(f, this.cfg.maxFileSize ?? ENGINE_MAX_FILE_SIZE);
          if (r.ok) for (const n of deferredNamesIn(r.bytes)) names.add(n);
        }
        this.deferredByPackage.set(path, names);
      }
    }
    const out = new Set<string>();
    for (const [path, names] of this.deferredByPackage) {
      if (path === except || path === except.replace(/_test$/, '')) continue;
      for (const n of names) out.add(n);
    }
    return out;
  }

  /** Plain spawners of module packages (see spawners.ts), by import path. */
  private readonly spawnerCache = new Map<string, Spawners>();

  /** The plain spawners declared by the files of a module package (read once per engine). */
  private spawnersOf(path: string): Spawners | undefined {
    let s = this.spawnerCache.get(path);
    if (s) return s;
    const entry = this.cfg.table[path];
    if (!entry) return undefined;
    s = { funcs: new Set(), methods: new Set() };
    for (const f of entry.files) {
      const r = this.reader.read(f, this.cfg.maxFileSize ?? ENGINE_MAX_FILE_SIZE);
      if (r.ok && mayDeclareSpawner(r.bytes)) spawnersIn(latin1Text(r.bytes), s);
    }
    this.spawnerCache.set(path, s);
    return s;
  }

  private rewriteSpawnerCalls(unit: Unit, good: readonly { file: ast.File; source: SourceFile }[]): void {
    // The package's own spawners from its trees (also those wrapping the call in a literal of their own).
    const own: Spawners = spawnersInFiles(good.map((g) => g.file));
    const ownEmpty = own.funcs.size === 0 && own.methods.size === 0;
    const imported = (path: string): Spawners | undefined => (path === unit.importPath ? own : this.spawnersOf(path));
    for (const g of good) {
      // Only a file of a package with spawners, or importing a module package that has some.
      const importsSpawner = (g.file.decls ?? []).some((d) => d.kind === 'GenDecl' && d.tok === 'import' && (d.specs ?? []).some((sp) => {
        if (sp.kind !== 'ImportSpec') return false;
        const path = sp.path.value.slice(1, -1);
        return !!this.cfg.table[path] && (this.spawnersOf(path)?.funcs.size ?? 0) > 0;
      }));
      if (!ownEmpty || importsSpawner) rewriteSpawns(g.file, own, imported);
    }
  }

  /** The type checker's importer: the module's own packages, parsed from source (the universe caches them). */
  private importPackage(importPath: string): { name: string; files: ast.File[] } | undefined {
    const entry = this.cfg.table[importPath];
    if (!entry) return undefined;
    this.importedPackages.add(importPath);
    const kept = this.declarations.get(importPath);
    if (kept) {
      this.declarations.delete(importPath);
      return { name: entry.name, files: kept };
    }
    const files: ast.File[] = [];
    for (const f of entry.files) {
      // Only declarations matter in an imported package: function bodies are skipped.
      const r = this.read(f, 'declarations');
      if (r.parsed) files.push(r.parsed.file);
    }
    return { name: entry.name, files };
  }

  private typeCheck(unit: Unit, files: PassFile[], notes: string[]): { info: TypeInfo; known: boolean } {
    if (files.length === 0) return { info: unknownTypeInfo(), known: false };
    try {
      const r = checkPackage({
        path: unit.importPath,
        name: unit.name,
        files: files.map((f) => ({ file: f.file, source: f.source, goVersion: f.goVersion })),
        universe: this.universe,
      });
      for (const e of r.errors.slice(0, 20)) notes.push(`${unit.importPath}: type check: ${e}`);
      return { info: r.info, known: true };
    } catch (e) {
      notes.push(`${unit.importPath}: type checking failed, analysing without types: ${(e as Error).message}`);
      return { info: unknownTypeInfo(), known: false };
    }
  }

  analyze(unit: Unit): UnitResult {
    const own: { f: UnitFile; file: ast.File }[] = [];
    const state = { clean: true };
    const r = this.analyzeUnit(unit, own, state);
    this.keepDeclarations(unit, own, state.clean);
    return r;
  }

  private analyzeUnit(unit: Unit, own: { f: UnitFile; file: ast.File }[], state: { clean: boolean }): UnitResult {
    const findings: Finding[] = [];
    const directives: Directive[] = [];
    const diagnostics: DirectiveDiagnostic[] = [];
    const notes: string[] = [];
    const track: { current: PassFile | undefined } = { current: undefined };
    const files: PassFile[] = [];
    const good: { f: UnitFile; file: ast.File; source: SourceFile }[] = [];
    let bodies: UnitResult['bodies'];
    for (const f of [...unit.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      const r = this.read(f);
      if (!r.parsed) {
        state.clean = false;
        notes.push(r.error ?? `${f.path}: unreadable`);
        continue;
      }
      const { file, source, errors } = r.parsed;
      if (errors.length > 0) state.clean = false;
      else if (!f.test) own.push({ f, file });
      const d = collectDirectives(source, file, { path: f.path, knownRules: this.knownRules });
      directives.push(...d.directives);
      diagnostics.push(...d.diagnostics);
      if (errors.length > 0) {
        for (const e of errors) {
          const off = Math.max(0, Math.min(e.offset, source.size));
          findings.push({
            rule: SYNTAX_ERROR_RULE.id,
            severity: 'high',
            confidence: 'high',
            // Deep nesting is a limit of ours, not an error in the file (Go allows much more).
            message: /^exceeded max nesting depth/.test(e.message)
              ? `the file nests deeper than deferguard analyses (more than ${DEFAULT_MAX_NESTING} levels of parentheses, blocks or calls); the Go compiler may accept it, but the file is not analysed`
              : `syntax error: ${e.message} (the file is not analysed)`,
            related: [],
            ...spanOf({ path: f.path, source } as PassFile, { pos: off, end: off }),
          });
        }
        continue;
      }
      good.push({ f, file, source });
    }
    // Goroutines started through a plain helper (`spawn(func() {...})`) become go statements.
    this.rewriteSpawnerCalls(unit, good);
    // Bodies that no enabled rule can find anything in are emptied before anything walks them.
    if (this.needs && this.prune) {
      try {
        const s = pruneBodies(good.map((g) => g.file), this.needs);
        bodies = { total: s.bodies, pruned: s.pruned };
        // Nothing any enabled rule looks at is left: no walk, type check or rule would find
        // anything, so the package's analysis ends here (its syntax errors and directives stand).
        if (s.empty) return { key: unit.key, findings, directives, diagnostics, notes, bodies };
      } catch (e) {
        // A tree too deep to walk: nothing is pruned (the inspector below reports the file).
        if (!(e instanceof RangeError)) throw e;
      }
    }
    for (const { f, file, source } of good) {
      let inspector: Inspector;
      try {
        inspector = new Inspector(file);
      } catch (e) {
        // A tree nested deeper than the stack allows to walk: the file is skipped, like one that does not parse.
        if (!(e instanceof RangeError)) throw e;
        findings.push({
          rule: SYNTAX_ERROR_RULE.id,
          severity: 'high',
          confidence: 'high',
          message: 'the file nests too deeply to be analysed (the stack is exhausted) (the file is not analysed)',
          related: [],
          ...spanOf({ path: f.path, source } as PassFile, { pos: 0, end: 0 }),
        });
        continue;
      }
      const pf: PassFile = { path: f.path, name: f.name, file, source, goVersion: f.goVersion, generated: f.generated, test: f.test, inspector };
      pf.inspector = new TrackedInspector(inspector, pf, track);
      files.push(pf);
    }
    if (files.length === 0) return { key: unit.key, findings, directives, diagnostics, notes };
    const { info, known } = this.typeCheck(unit, files, notes);
    const pkg: PackageInfo = {
      importPath: unit.importPath,
      name: unit.name,
      dir: unit.dir,
      moduleRoot: this.cfg.root,
      modulePath: unit.modulePath,
      moduleGoVersion: unit.moduleGoVersion,
    };
    const ctx = new PackageContext(pkg, files, info, known, this.cfg.options, () => this.deferredNames(unit.importPath), (re) => this.importedMatch(unit.importPath, re), (p, n, r, x) => this.moduleFunc(p, n, r, x));
    for (const a of this.analyzers) {
      const pass = new PassImpl(a.meta, ctx);
      track.current = undefined;
      try {
        a.run(pass);
        findings.push(...pass.findings);
      } catch (e) {
        const where = track.current ?? files[0]!;
        const err = e as Error;
        findings.push({
          rule: INTERNAL_ERROR_RULE.id,
          severity: INTERNAL_ERROR_RULE.severity,
          confidence: 'high',
          message: `rule ${a.meta.id} failed on ${where.path}: ${err?.message ?? String(e)}; its findings for package ${unit.importPath} are dropped`,
          related: [],
          ...spanOf(where, { pos: 0, end: 0 }),
        });
      }
    }
    // The unit's full trees and type maps are not kept (analyze keeps a copy of its declarations for later importers).
    this.universe.forget(unit.importPath);
    return { key: unit.key, findings, directives, diagnostics, notes, ...(bodies ? { bodies } : {}) };
  }
}
