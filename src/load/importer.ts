// Reading imported packages from source, for the type resolver: an import path, seen from the
// importing package, is resolved to a directory (vendor directories first, then directories
// known from `go list -deps`, then GOROOT/src), the directory's files are chosen as go/build
// does for the build context (no tests), and each file is parsed in full. Parsed packages are
// cached, least recently used dropped first beyond a size budget.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type * as ast from '../syntax/ast.js';
import type { BuildContext } from '../syntax/constraint.js';
import { parseFile } from '../syntax/parser.js';
import type { SourceFile } from '../syntax/source.js';
import { DEFAULT_MAX_FILE_SIZE, readFileLimited } from './files.js';
import { loadDir } from './package.js';

/** A package read from source: what a type checker needs to import it. */
export interface SourcePackage {
  /** Canonical import path (with a vendor prefix when found in a vendor directory). */
  path: string;
  /** Absolute directory. */
  dir: string;
  /** Package name from the package clauses. */
  name: string;
  /** Parsed member files (GoFiles then CgoFiles, as go/build orders them). */
  files: ast.File[];
  sources: SourceFile[];
  /** Files that could not be read, syntax errors (first per file), package-level problems. */
  errors: string[];
}

export interface SourceImporterOptions {
  ctx: BuildContext;
  /** GOROOT, for standard-library imports ("" for none). */
  goroot?: string;
  /** Known package directories by canonical import path (such as go list -deps output); consulted before GOROOT. */
  dirs?: ReadonlyMap<string, string>;
  maxFileSize?: number;
  /** Source bytes of parsed packages to keep in memory; least recently used dropped first. Default 48 MB. */
  cacheBytes?: number;
}

/** The shape a checker's importer returns. */
export type ImportFn = (importPath: string) => { name: string; files: ast.File[] } | undefined;

function firstElem(path: string): string {
  const i = path.indexOf('/');
  return i < 0 ? path : path.slice(0, i);
}

/** Whether an import path belongs to the standard library's tree (no dot in its first element). */
export function isStdPath(path: string): boolean {
  return path !== '' && !firstElem(path).includes('.');
}

export class SourceImporter {
  private readonly ctx: BuildContext;
  private readonly goroot: string;
  private readonly dirs: ReadonlyMap<string, string>;
  private readonly maxFileSize: number;
  private readonly budget: number;
  private readonly cache = new Map<string, { pkg: SourcePackage | null; bytes: number }>();
  private cachedBytes = 0;
  private readonly dirExists = new Map<string, boolean>();
  /** Packages parsed so far (cache misses), for statistics. */
  loads = 0;

  constructor(opts: SourceImporterOptions) {
    this.ctx = opts.ctx;
    this.goroot = opts.goroot ?? '';
    this.dirs = opts.dirs ?? new Map();
    this.maxFileSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    this.budget = opts.cacheBytes ?? 48 * 1024 * 1024;
  }

  /**
   * The canonical path and directory of `importPath` imported from the package `fromPath`, or
   * undefined when it cannot be found. Like the go command, a vendor directory gets the first
   * chance: GOROOT/src/vendor for standard-library importers, GOROOT/src/cmd/vendor for cmd.
   */
  resolve(importPath: string, fromPath: string): { path: string; dir: string } | undefined {
    if (importPath === '' || importPath === 'C' || importPath.startsWith('.') || importPath.startsWith('/')) return undefined;
    const candidates: string[] = [];
    if (!isStdPath(importPath)) {
      const v = this.vendorContext(fromPath);
      if (v === 'cmd') candidates.push(`cmd/vendor/${importPath}`);
      else if (v === 'std') candidates.push(`vendor/${importPath}`);
    }
    candidates.push(importPath);
    for (const c of candidates) {
      const known = this.dirs.get(c);
      if (known !== undefined) return { path: c, dir: known };
      if (this.goroot && isStdPath(c)) {
        const dir = join(this.goroot, 'src', ...c.split('/'));
        if (this.isDir(dir)) return { path: c, dir };
      }
    }
    return undefined;
  }

  private isDir(dir: string): boolean {
    let ok = this.dirExists.get(dir);
    if (ok === undefined) {
      try {
        ok = statSync(dir).isDirectory();
      } catch {
        ok = false;
      }
      this.dirExists.set(dir, ok);
    }
    return ok;
  }

  /**
   * Which vendor directory imports from `fromPath` see: "cmd" (GOROOT/src/cmd/vendor), "std"
   * (GOROOT/src/vendor) or "module" (none). The importers of all packages of one context resolve
   * every import path alike, so one of them can serve the whole context.
   */
  vendorContext(fromPath: string): 'std' | 'cmd' | 'module' {
    if (fromPath === 'cmd' || fromPath.startsWith('cmd/')) return 'cmd';
    return isStdPath(fromPath) ? 'std' : 'module';
  }

  /** The package `importPath` as seen from `fromPath`, parsed; undefined when not found or empty. */
  load(importPath: string, fromPath: string): SourcePackage | undefined {
    const r = this.resolve(importPath, fromPath);
    if (!r) return undefined;
    return this.loadResolved(r.path, r.dir) ?? undefined;
  }

  /** An importer for a checker, for imports made by the package `fromPath`. */
  importerFor(fromPath: string): ImportFn {
    return (importPath) => {
      const p = this.load(importPath, fromPath);
      return p ? { name: p.name, files: p.files } : undefined;
    };
  }

  private loadResolved(path: string, dir: string): SourcePackage | null {
    const key = `${path}\0${dir}`;
    const hit = this.cache.get(key);
    if (hit) {
      // Most recently used last.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.pkg;
    }
    this.loads++;
    const errors: string[] = [];
    const listed = loadDir(dir, { ctx: this.ctx, relDir: dir, importPath: path, module: null, maxFileSize: this.maxFileSize }, errors);
    let pkg: SourcePackage | null = null;
    let bytes = 0;
    if (listed) {
      const members = listed.files.filter((f) => f.kind === 'go' || f.kind === 'cgo');
      if (members.length > 0) {
        pkg = { path, dir, name: listed.name, files: [], sources: [], errors: [...errors, ...listed.errors] };
        for (const m of members) {
          const abs = join(dir, m.name);
          const read = readFileLimited(abs, abs, this.maxFileSize);
          if (!read.ok) {
            pkg.errors.push(read.error);
            continue;
          }
          bytes += read.bytes.length;
          const parsed = parseFile(abs, read.bytes, { mode: 'full' });
          const e = parsed.errors[0];
          if (e) pkg.errors.push(`${abs}:${e.line}:${e.column}: ${e.message}`);
          pkg.files.push(parsed.file);
          pkg.sources.push(parsed.source);
        }
      }
    }
    this.cache.set(key, { pkg, bytes });
    this.cachedBytes += bytes;
    for (const [k, v] of this.cache) {
      if (this.cachedBytes <= this.budget || k === key) break;
      this.cache.delete(k);
      this.cachedBytes -= v.bytes;
    }
    return pkg;
  }
}
