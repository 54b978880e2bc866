// The language server behind `deferguard lsp`: diagnostics for the Go files open in an editor,
// updated as the user types. Each module (the directory of the nearest go.mod) is loaded once;
// an edit re-analyses only the package (and the external test package) of the edited file, after
// a short pause in typing, reading open documents from the editor's buffers and every other file
// from disk. Findings become diagnostics with severity, rule id, a link to the rule's doc and the
// related locations; code actions offer the rule's safe fix and a //deferguard:ignore comment on
// the line above. `.deferguard.yml` is read like `deferguard check` reads it and is reloaded when
// it changes.
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type InitializeResult,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Engine, diskReader, type EngineConfig, type SourceReader, type Unit, type UnitResult } from '../analysis/engine.js';
import { planUnits } from '../analysis/driver.js';
import { collectResults, unitCrashFinding } from '../analysis/memory.js';
import { defaultRuleOptions, type RuleOptions } from '../analysis/options.js';
import { CONFIG_NAMES, ConfigError, findConfig, loadConfig, type Config } from '../config/config.js';
import { docUrl, type Finding, type RuleMeta, type Severity } from '../findings/model.js';
import { DIRECTIVE_RULE, diagnosticsToFindings } from '../findings/suppress.js';
import { Excluder, GlobError } from '../load/exclude.js';
import { loadPackages } from '../load/loader.js';
import { analyzers, defaultEnabled, REGISTRY_URL } from '../rules/index.js';
import { INTERNAL_ERROR_RULE, SYNTAX_ERROR_RULE } from '../analysis/core.js';
import { ByteText, findingKey, ignoreDirective, lspSeverity, rangesMeet, spanRange } from './convert.js';

export interface ServerOptions {
  /** Pause after the last edit before analysing (ms). */
  debounceMs: number;
  /** Use the go command to list packages when it is installed. */
  useGo: boolean;
  env: NodeJS.ProcessEnv;
}

interface Settings {
  enable: string[];
  options: RuleOptions;
  overrides: Record<string, Severity>;
  excluder: Excluder;
  tests: boolean;
  tags: string[];
  reportUnusedIgnores: boolean;
  configFile: string | null;
}

/** What was analysed for one file: the text the offsets refer to and the findings shown. */
interface Published {
  version: number | null;
  text: ByteText;
  findings: Finding[];
}

interface ModuleState {
  /** The directory holding go.mod (or the file's own directory outside a module). */
  dir: string;
  /** Directory the loaded paths are relative to (a go.work directory, or dir). */
  root: string;
  units: Unit[];
  byFile: Map<string, Unit[]>;
  table: EngineConfig['table'];
  settings: Settings;
  engine: Engine | undefined;
  loaded: boolean;
  dirty: Set<string>;
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
}

const KNOWN_RULES = analyzers.map((a) => a.meta.id);
const META = new Map<string, RuleMeta>([...analyzers.map((a) => [a.meta.id, a.meta] as const), [SYNTAX_ERROR_RULE.id, SYNTAX_ERROR_RULE], [INTERNAL_ERROR_RULE.id, INTERNAL_ERROR_RULE], [DIRECTIVE_RULE.id, DIRECTIVE_RULE]]);

function toSlash(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** The directory of the nearest go.mod above `dir`, or undefined. */
export function moduleDirOf(dir: string): string | undefined {
  for (let d = dir; ; ) {
    if (existsSync(join(d, 'go.mod'))) return d;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** Rule selection as `deferguard check` does it without flags: defaults (or all), then the configuration. */
function selectRules(cfg: Config | undefined): string[] {
  const on = new Set(cfg?.enableAll ? KNOWN_RULES : defaultEnabled());
  for (const [id, s] of Object.entries(cfg?.rules ?? {})) {
    if (s.enabled === true) on.add(id);
    else if (s.enabled === false) on.delete(id);
  }
  return KNOWN_RULES.filter((id) => on.has(id));
}

export class DeferguardServer {
  readonly documents = new TextDocuments(TextDocument);
  private readonly modules = new Map<string, ModuleState>();
  private readonly published = new Map<string, Published>();
  /** Config files with an error shown as a diagnostic (cleared when fixed). */
  private readonly configProblems = new Set<string>();
  private watchRegistration = false;

  constructor(
    private readonly conn: Connection,
    private readonly opts: ServerOptions,
  ) {
    conn.onInitialize((p): InitializeResult => {
      this.watchRegistration = p.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
      return {
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        },
        serverInfo: { name: 'deferguard' },
      };
    });
    conn.onInitialized(() => {
      if (this.watchRegistration) {
        void conn.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/.deferguard.{yml,yaml}' }, { globPattern: '**/*.go' }, { globPattern: '**/go.{mod,work}' }],
        });
      }
    });
    this.documents.onDidOpen((e) => this.touch(e.document.uri));
    this.documents.onDidChangeContent((e) => this.touch(e.document.uri));
    this.documents.onDidClose((e) => {
      // Keep the package's diagnostics (they describe the file on disk); re-read it from disk.
      this.touch(e.document.uri);
    });
    conn.onDidChangeWatchedFiles((p) => {
      for (const ch of p.changes) this.fileChanged(ch.uri, ch.type);
    });
    conn.onCodeAction((p) => this.codeActions(p));
    this.documents.listen(conn);
  }

  private log(msg: string): void {
    this.conn.console.log(msg);
  }

  /** Absolute path of a file: URI, or undefined for other schemes. */
  private pathOf(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }

  /** Reads open documents from the editor, everything else from disk. */
  private readonly reader: SourceReader = {
    read: (f, maxBytes) => {
      const doc = this.documents.get(pathToFileURL(f.absPath).href);
      if (doc) {
        const bytes = new TextEncoder().encode(doc.getText());
        if (bytes.length > maxBytes) return { ok: false, error: `${f.path}: file is ${bytes.length} bytes, over the ${maxBytes}-byte limit; skipped` };
        return { ok: true, bytes };
      }
      return diskReader.read(f, maxBytes);
    },
  };

  private settingsFor(dir: string): Settings {
    let cfg: Config | undefined;
    const file = findConfig(dir, this.opts.env.HOME ?? '');
    if (file) {
      try {
        cfg = loadConfig(file, KNOWN_RULES);
        this.clearConfigProblem(file);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        this.reportConfigProblem(file, e.line, e.column, e.message);
        cfg = undefined;
      }
    }
    let excluder: Excluder;
    try {
      excluder = new Excluder({ globs: cfg?.exclude ?? [], defaults: cfg?.excludeDefaults ?? true });
    } catch (e) {
      if (!(e instanceof GlobError) || !file) throw e;
      this.reportConfigProblem(file, 1, 1, `${file}: exclude: ${e.message}`);
      excluder = new Excluder({ globs: [], defaults: cfg?.excludeDefaults ?? true });
    }
    const overrides: Record<string, Severity> = {};
    for (const [id, s] of Object.entries(cfg?.rules ?? {})) if (s.severity) overrides[id] = s.severity;
    return {
      enable: selectRules(cfg),
      options: cfg?.ruleOptions ?? defaultRuleOptions(),
      overrides,
      excluder,
      tests: cfg?.tests ?? true,
      tags: cfg?.tags ?? [],
      reportUnusedIgnores: cfg?.reportUnusedIgnores ?? false,
      configFile: cfg?.file ?? null,
    };
  }

  private reportConfigProblem(file: string, line: number, column: number, message: string): void {
    this.configProblems.add(file);
    const l = Math.max(0, line - 1);
    const c = Math.max(0, column - 1);
    void this.conn.sendDiagnostics({
      uri: pathToFileURL(file).href,
      diagnostics: [{ range: { start: { line: l, character: c }, end: { line: l, character: c + 1 } }, severity: DiagnosticSeverity.Error, source: 'deferguard', message: `${message} (deferguard keeps using the built-in defaults until this is fixed)` }],
    });
    void this.conn.window.showErrorMessage(`deferguard: ${message}`);
  }

  private clearConfigProblem(file: string): void {
    if (!this.configProblems.delete(file)) return;
    void this.conn.sendDiagnostics({ uri: pathToFileURL(file).href, diagnostics: [] });
  }

  private moduleFor(path: string): ModuleState {
    const dir = moduleDirOf(dirname(path)) ?? dirname(path);
    let m = this.modules.get(dir);
    if (!m) {
      m = { dir, root: dir, units: [], byFile: new Map(), table: {}, settings: this.settingsFor(dir), engine: undefined, loaded: false, dirty: new Set(), timer: undefined, running: undefined };
      this.modules.set(dir, m);
    }
    return m;
  }

  /** (Re)lists the module's packages from disk. */
  private load(m: ModuleState): void {
    const t0 = performance.now();
    const loaded = loadPackages({ cwd: m.dir, patterns: ['./...'], tags: m.settings.tags, useGo: this.opts.useGo, env: this.opts.env });
    const planned = planUnits(loaded.packages, m.settings.tests);
    m.root = loaded.root;
    m.units = planned.units;
    m.table = planned.table;
    m.byFile = new Map();
    for (const u of planned.units) {
      for (const f of u.files) {
        let list = m.byFile.get(f.path);
        if (!list) m.byFile.set(f.path, (list = []));
        list.push(u);
      }
    }
    m.engine = undefined;
    m.loaded = true;
    this.log(`deferguard: ${m.dir}: ${planned.units.length} packages via ${loaded.via} in ${Math.round(performance.now() - t0)} ms`);
  }

  /** A Go file changed (typed, opened, closed): analyse its package after the pause. */
  private touch(uri: string): void {
    const path = this.pathOf(uri);
    if (!path || !path.endsWith('.go')) return;
    const m = this.moduleFor(path);
    m.dirty.add(path);
    this.schedule(m);
  }

  private schedule(m: ModuleState): void {
    if (m.timer) clearTimeout(m.timer);
    m.timer = setTimeout(() => {
      m.timer = undefined;
      void this.flush(m);
    }, this.opts.debounceMs);
  }

  private fileChanged(uri: string, type: FileChangeType): void {
    const path = this.pathOf(uri);
    if (!path) return;
    const name = basename(path);
    if (CONFIG_NAMES.includes(name)) {
      // The configuration may apply to any module below its directory (or all, from $HOME).
      for (const m of this.modules.values()) {
        m.settings = this.settingsFor(m.dir);
        m.engine = undefined;
        m.loaded = false; // tests and tags may have changed
        for (const d of this.documents.all()) {
          const p = this.pathOf(d.uri);
          if (p && p.endsWith('.go') && this.moduleFor(p) === m) m.dirty.add(p);
        }
        for (const f of this.published.keys()) {
          const p = this.pathOf(f);
          if (p && this.moduleFor(p) === m) m.dirty.add(p);
        }
        this.schedule(m);
      }
      return;
    }
    if (name === 'go.mod' || name === 'go.work' || (name.endsWith('.go') && type !== FileChangeType.Changed)) {
      for (const m of this.modules.values()) {
        if (path === m.dir || path.startsWith(m.dir + sep)) {
          m.loaded = false;
          if (name.endsWith('.go')) m.dirty.add(path);
          this.schedule(m);
        }
      }
      return;
    }
    if (name.endsWith('.go') && !this.documents.get(uri)) {
      // Saved or changed on disk while not open: its package may show other findings now.
      const m = [...this.modules.values()].find((x) => path.startsWith(x.dir + sep));
      if (m) {
        m.dirty.add(path);
        this.schedule(m);
      }
    }
  }

  /** Analyses the packages of the module's changed files and publishes their diagnostics. */
  private async flush(m: ModuleState): Promise<void> {
    if (m.running) {
      await m.running;
      if (m.dirty.size > 0 && !m.timer) return this.flush(m);
      return;
    }
    const run = this.analyseDirty(m).catch((e: unknown) => {
      this.log(`deferguard: analysis failed: ${(e as Error)?.stack ?? String(e)}`);
      void this.conn.window.showErrorMessage(`deferguard: analysis failed: ${(e as Error)?.message ?? String(e)}`);
    });
    m.running = run;
    await run;
    m.running = undefined;
  }

  private unitsOf(m: ModuleState, paths: Iterable<string>): { units: Unit[]; missing: string[] } {
    const units = new Map<string, Unit>();
    const missing: string[] = [];
    for (const p of paths) {
      const rel = toSlash(relative(m.root, p));
      const us = m.byFile.get(rel);
      if (us) for (const u of us) units.set(u.key, u);
      else missing.push(p);
    }
    return { units: [...units.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)), missing };
  }

  private async analyseDirty(m: ModuleState): Promise<void> {
    const dirty = [...m.dirty];
    m.dirty.clear();
    if (dirty.length === 0) return;
    if (!m.loaded) this.load(m);
    let { units, missing } = this.unitsOf(m, dirty);
    if (missing.some((p) => existsSync(p) || this.documents.get(pathToFileURL(p).href))) {
      // A file the last listing did not have (new, or moved between packages): list again.
      this.load(m);
      ({ units, missing } = this.unitsOf(m, dirty));
    }
    // Files that belong to no package (excluded by build constraints, deleted): nothing to show.
    for (const p of missing) this.publish(pathToFileURL(p).href, [], null);
    if (units.length === 0) return;
    // The type checker caches the packages it imported: an edited package is read afresh (the
    // rest of the cache, e.g. the standard library, is kept).
    const changed = new Set(units.map((u) => u.importPath.replace(/_test$/, '')));
    if (m.engine) m.engine.forget(changed);
    const s = m.settings;
    if (!m.engine) {
      m.engine = await Engine.create(
        { root: m.root, registry: REGISTRY_URL, enable: s.enable, options: s.options, table: m.table, knownRules: KNOWN_RULES },
        this.reader,
      );
    }
    // The texts the findings' offsets refer to: what the engine reads now.
    const versions = new Map<string, number | null>();
    for (const u of units) {
      for (const f of u.files) {
        const uri = pathToFileURL(f.absPath).href;
        versions.set(uri, this.documents.get(uri)?.version ?? null);
      }
    }
    const texts = new Map<string, ByteText>();
    for (const u of units) {
      for (const f of u.files) {
        const r = this.reader.read(f, Number.MAX_SAFE_INTEGER);
        if (r.ok) texts.set(f.path, new ByteText(r.bytes));
      }
    }
    const results: UnitResult[] = [];
    for (const u of units) {
      try {
        results.push(m.engine.analyze(u));
      } catch (e) {
        results.push({ key: u.key, findings: [unitCrashFinding(u, (e as Error)?.message ?? String(e))], directives: [], notes: [] });
      }
    }
    const excluded = (file: string) => {
      const f = units.flatMap((u) => u.files).find((x) => x.path === file);
      return s.excluder.excludes(file, f?.generated ?? false);
    };
    const kept = results.map((r) => ({ ...r, findings: r.findings.filter((f) => !excluded(f.file)), directives: r.directives.filter((d) => !excluded(d.file)), diagnostics: (r.diagnostics ?? []).filter((d) => !excluded(d.file)) }));
    const c = collectResults(kept, { enable: s.enable, knownRules: KNOWN_RULES });
    const dirSeverity = s.overrides[DIRECTIVE_RULE.id] ?? DIRECTIVE_RULE.severity;
    const findings = [...c.findings.map((f) => (s.overrides[f.rule] ? { ...f, severity: s.overrides[f.rule]! } : f)), ...diagnosticsToFindings(c.directiveProblems, dirSeverity)];
    const byFile = new Map<string, Finding[]>();
    for (const u of units) for (const f of u.files) if (!excluded(f.path)) byFile.set(f.path, []);
    for (const f of findings) byFile.get(f.file)?.push(f);
    for (const [file, list] of byFile) {
      const uri = pathToFileURL(isAbsolute(file) ? file : join(m.root, file)).href;
      const text = texts.get(file);
      this.published.set(uri, { version: versions.get(uri) ?? null, text: text ?? new ByteText(''), findings: list });
      this.publish(uri, list.map((f) => this.diagnostic(m, f)), versions.get(uri) ?? null);
    }
  }

  private publish(uri: string, diagnostics: Diagnostic[], version: number | null): void {
    if (diagnostics.length === 0 && !this.published.has(uri) && !this.documents.get(uri)) return;
    if (diagnostics.length === 0 && !this.documents.get(uri)) this.published.delete(uri);
    void this.conn.sendDiagnostics({ uri, diagnostics, ...(version !== null ? { version } : {}) });
  }

  private diagnostic(m: ModuleState, f: Finding): Diagnostic {
    const meta = META.get(f.rule);
    const related: DiagnosticRelatedInformation[] = f.related.map((r) => ({
      location: { uri: pathToFileURL(isAbsolute(r.file) ? r.file : join(m.root, r.file)).href, range: spanRange(r) },
      message: r.message,
    }));
    const d: Diagnostic = {
      range: spanRange(f),
      severity: lspSeverity(f.severity),
      code: f.rule,
      codeDescription: { href: meta?.docUrl ?? docUrl(f.rule) },
      source: 'deferguard',
      message: `${f.message} [${f.severity}${f.confidence !== 'high' ? `, ${f.confidence} confidence` : ''}]`,
    };
    if (related.length > 0) d.relatedInformation = related;
    if (f.fixes?.length && meta?.fixable) d.data = { fixable: true };
    return d;
  }

  /** Quick fixes for the diagnostics in the request: the rule's safe fix, and an ignore comment. */
  private codeActions(p: CodeActionParams): CodeAction[] {
    const uri = p.textDocument.uri;
    const doc = this.documents.get(uri);
    const pub = this.published.get(uri);
    if (!doc) return [];
    const current = new ByteText(doc.getText());
    const actions: CodeAction[] = [];
    const diags = p.context.diagnostics.filter((d) => d.source === 'deferguard' && typeof d.code === 'string');
    const seenIgnore = new Set<string>();
    for (const d of diags) {
      const rule = d.code as string;
      const fresh = pub && pub.version === doc.version;
      const finding = fresh ? pub.findings.find((f) => findingKey(f) === findingKey({ rule, range: d.range }) && rangesMeet(spanRange(f), d.range)) : undefined;
      const meta = META.get(rule);
      if (finding && meta?.fixable) {
        for (const [i, fix] of (finding.fixes ?? []).entries()) {
          const own = fix.edits.filter((e) => e.file === finding.file);
          if (own.length === 0 || own.length !== fix.edits.length) continue;
          const edits: LspTextEdit[] = own.map((e) => ({ range: { start: pub!.text.position(e.offset), end: pub!.text.position(e.endOffset) }, newText: e.newText }));
          actions.push({ title: `deferguard: ${fix.message}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: i === 0, edit: { changes: { [uri]: edits } } });
        }
      }
      // The ignore comment goes on the line above the finding's first line.
      if (rule === DIRECTIVE_RULE.id || rule === SYNTAX_ERROR_RULE.id) continue;
      const line = d.range.start.line;
      if (seenIgnore.has(`${rule}@${line}`)) continue;
      seenIgnore.add(`${rule}@${line}`);
      actions.push({
        title: `deferguard: ignore ${rule} on this line (//deferguard:ignore)`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { changes: { [uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: ignoreDirective(current.lineText(line), rule) }] } },
      });
    }
    return actions.filter((a) => a.diagnostics!.some((d) => rangesMeet(d.range, p.range)));
  }
}
