// The analysis cache: per-unit results (findings, suppression directives, notes) stored under a
// content-addressed key. The key covers everything the result depends on: the bytes of the
// unit's files and of every module-internal package it imports (transitively), the enabled
// rules and their options, the build context (Go version, GOOS/GOARCH, tags), the file list
// decided by the loader, and the tool itself (version plus the size and modification time of
// its own code and data). A changed input gives a new key; stale entries are simply never read.
//
// Entries are JSON files written atomically (temp file + rename). An entry that cannot be read
// or parsed, or whose contents do not match its key, is ignored and rewritten by the run.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../findings/model.js';
import type { Directive, DirectiveDiagnostic } from '../findings/suppress.js';
import type { Unit, UnitResult } from './engine.js';
import { deferredNamesIn } from './deferred-names.js';

/** Bumped when the entry layout or the meaning of a key changes. */
export const CACHE_FORMAT = 1;

/** `--cache-dir`, else `$XDG_CACHE_HOME/deferguard`, else `~/.cache/deferguard`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && xdg.trim() !== '' && xdg.startsWith('/')) return join(xdg, 'deferguard');
  return join(env.HOME && env.HOME !== '' ? env.HOME : homedir(), '.cache', 'deferguard');
}

function sha(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(p);
    h.update('\u0000');
  }
  return h.digest('hex');
}

let toolStampMemo: string | undefined;

/**
 * Identifies the running deferguard: its version and the path, size and modification time of
 * every file of its own code (src or dist) and data, so an edited rule never reuses old results.
 */
export function toolStamp(version: string): string {
  if (toolStampMemo !== undefined) return toolStampMemo;
  const here = dirname(fileURLToPath(import.meta.url)); // .../src/analysis or .../dist/analysis
  const codeRoot = dirname(here);
  const pkgRoot = dirname(codeRoot);
  const parts = [`format ${CACHE_FORMAT}`, `version ${version}`];
  const walk = (dir: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < 6) walk(p, depth + 1);
      } else if (/\.(ts|js|json|txt|gz)$/.test(n)) {
        parts.push(`${p.slice(pkgRoot.length)} ${st.size} ${Math.floor(st.mtimeMs)}`);
      }
    }
  };
  walk(codeRoot, 0);
  walk(join(pkgRoot, 'data'), 0);
  toolStampMemo = sha(parts);
  return toolStampMemo;
}

/** Hashes of file contents, each file read once per run. */
/**
 * Creates a directory and its missing parents one level at a time. (Node's recursive mkdir never
 * returns on some pseudo file systems, such as a path under /proc.)
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = dir;
  for (;;) {
    try {
      if (!statSync(d).isDirectory()) throw Object.assign(new Error(`${d} is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.push(d);
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

export class FileHashes {
  private readonly memo = new Map<string, { hash: string; names: Set<string>; recover: boolean }>();

  private entry(absPath: string): { hash: string; names: Set<string>; recover: boolean } {
    let e = this.memo.get(absPath);
    if (e === undefined) {
      try {
        const bytes = readFileSync(absPath);
        e = { hash: createHash('sha256').update(bytes).digest('hex'), names: deferredNamesIn(bytes), recover: bytes.includes('recover') };
      } catch {
        e = { hash: '', names: new Set(), recover: false };
      }
      this.memo.set(absPath, e);
    }
    return e;
  }

  /** sha256 of the file's bytes, or a marker for an unreadable file (its analysis is not cached). */
  of(absPath: string): string | undefined {
    const h = this.entry(absPath).hash;
    return h === '' ? undefined : h;
  }

  /** The names the file defers (see deferredNamesIn). */
  deferredNames(absPath: string): ReadonlySet<string> {
    return this.entry(absPath).names;
  }

  /** Whether the file's text says "recover". */
  mentionsRecover(absPath: string): boolean {
    return this.entry(absPath).recover;
  }
}

export interface KeyInputs {
  /** toolStamp(), the enabled rules, options and build context, already joined by the caller. */
  settings: string;
  unit: Unit;
  /** Files of the module-internal packages the unit imports, transitively (for the type checker). */
  depFiles: readonly { path: string; absPath: string }[];
  hashes: FileHashes;
  /**
   * A digest of the names deferred anywhere in the module (rules ask whether another package
   * defers a recovering helper): part of the key of units whose text says "recover".
   */
  moduleDeferred?: () => string;
}

/** The cache key of a unit, or undefined when a file cannot be read (then it is not cached). */
export function unitKey(k: KeyInputs): string | undefined {
  const parts = [k.settings, `unit ${k.unit.key} ${k.unit.importPath} ${k.unit.name} ${k.unit.dir} ${k.unit.modulePath} ${k.unit.moduleGoVersion}`];
  let recover = false;
  for (const f of k.unit.files) {
    const h = k.hashes.of(f.absPath);
    if (h === undefined) return undefined;
    parts.push(`file ${f.path} ${f.name} ${f.goVersion} ${f.generated} ${f.test} ${h}`);
    if (k.hashes.mentionsRecover(f.absPath)) recover = true;
  }
  if (recover && k.moduleDeferred) parts.push(`module-defers ${k.moduleDeferred()}`);
  for (const f of [...k.depFiles].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const h = k.hashes.of(f.absPath);
    if (h === undefined) return undefined;
    parts.push(`dep ${f.path} ${h}`);
  }
  return sha(parts);
}

interface Entry {
  format: number;
  key: string;
  result: { findings: Finding[]; directives: Directive[]; diagnostics: DirectiveDiagnostic[]; notes: string[] };
}

function isArray(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

/** Structural check of a stored entry: anything unexpected makes it a miss. */
function validEntry(v: unknown, key: string): v is Entry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Partial<Entry>;
  if (e.format !== CACHE_FORMAT || e.key !== key || typeof e.result !== 'object' || e.result === null) return false;
  const r = e.result;
  if (!isArray(r.findings) || !isArray(r.directives) || !isArray(r.diagnostics) || !isArray(r.notes)) return false;
  for (const f of r.findings) {
    if (typeof f !== 'object' || f === null) return false;
    const x = f as Partial<Finding>;
    if (typeof x.rule !== 'string' || typeof x.file !== 'string' || typeof x.line !== 'number' || typeof x.column !== 'number' ||
      typeof x.message !== 'string' || typeof x.severity !== 'string' || !isArray(x.related)) return false;
  }
  for (const d of r.directives) {
    if (typeof d !== 'object' || d === null) return false;
    const x = d as Partial<Directive>;
    if (typeof x.file !== 'string' || typeof x.fromLine !== 'number' || typeof x.toLine !== 'number' || (x.rules !== 'all' && !isArray(x.rules))) return false;
  }
  return r.notes.every((n) => typeof n === 'string');
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Entries that existed but could not be used (corrupt, truncated, wrong shape). */
  invalid: number;
  writes: number;
  /** Entries that could not be written (the run goes on without them). */
  writeErrors: number;
}

export class AnalysisCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, invalid: 0, writes: 0, writeErrors: 0 };
  private warned = false;
  readonly warnings: string[] = [];

  constructor(readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, `v${CACHE_FORMAT}`, key.slice(0, 2), `${key}.json`);
  }

  get(key: string, unitKey: string): UnitResult | undefined {
    let text: string;
    try {
      text = readFileSync(this.path(key), 'utf8');
    } catch {
      this.stats.misses++;
      return undefined;
    }
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      v = undefined;
    }
    if (!validEntry(v, key)) {
      this.stats.invalid++;
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    return { key: unitKey, findings: v.result.findings, directives: v.result.directives, diagnostics: v.result.diagnostics, notes: v.result.notes };
  }

  put(key: string, r: UnitResult): void {
    const p = this.path(key);
    const entry: Entry = { format: CACHE_FORMAT, key, result: { findings: r.findings, directives: r.directives, diagnostics: r.diagnostics ?? [], notes: r.notes } };
    const tmp = `${p}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      makeDirs(dirname(p));
      writeFileSync(tmp, JSON.stringify(entry));
      renameSync(tmp, p);
      this.stats.writes++;
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing was written
      }
      this.stats.writeErrors++;
      if (!this.warned) {
        this.warned = true;
        this.warnings.push(`cannot write to the cache in ${this.dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; results are not cached`);
      }
    }
  }
}
