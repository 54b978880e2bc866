// One directory → one package, the way go/build's Import decides: file name rules, build
// constraints, cgo, test and external test files, the package name, imports, and the
// effective Go version and generated-code marker of each file.
import { join } from 'node:path';
import { fileNameMismatch, headerAllows, readFileHeader, type BuildContext } from '../syntax/constraint.js';
import { parseFile } from '../syntax/parser.js';
import { DEFAULT_MAX_FILE_SIZE, listDir, readFileLimited } from './files.js';
import { unquoteGo } from './gomod.js';
import { effectiveGoVersion } from './goversion.js';

export type FileKind = 'go' | 'cgo' | 'test' | 'xtest';

export interface PackageFile {
  /** Base name. */
  name: string;
  /** Path relative to the module root (slash-separated), or absolute outside the module. */
  path: string;
  kind: FileKind;
  /** Effective language version of the file (e.g. "go1.22"). */
  goVersion: string;
  /** The minimum version implied by the file's //go:build line ("" for none). */
  buildVersion: string;
  /** The file carries the `// Code generated ... DO NOT EDIT.` marker. */
  generated: boolean;
  /** Import paths in source order. */
  imports: string[];
}

export interface IgnoredFile {
  name: string;
  reason: string;
}

export interface ModuleRef {
  /** Module path ("" when loading outside a module). */
  path: string;
  /** Absolute root directory. */
  dir: string;
  /** The `go` directive (e.g. "1.22"), or "" when absent. */
  goVersion: string;
}

export interface Package {
  /** Directory relative to the module root ("." for the root), slash-separated; absolute outside it. */
  dir: string;
  /** Absolute directory. */
  absDir: string;
  importPath: string;
  name: string;
  goFiles: string[];
  cgoFiles: string[];
  testGoFiles: string[];
  xTestGoFiles: string[];
  /** Go files excluded by file name, build constraints, cgo settings or a `documentation` package clause. */
  ignoredFiles: IgnoredFile[];
  /** Go files that could not be used (unreadable, too large, malformed constraint, no package clause). */
  invalidFiles: IgnoredFile[];
  imports: string[];
  testImports: string[];
  xTestImports: string[];
  /** Every member file (go, cgo, test, xtest), in that order. */
  files: PackageFile[];
  module: ModuleRef | null;
  /** Package-level problems (mixed package names, no buildable files, cgo in tests). */
  errors: string[];
  /** Loaded only as a dependency of the requested packages. */
  depOnly: boolean;
  /** Part of the standard library. */
  standard: boolean;
}

export interface DirLoadOptions {
  ctx: BuildContext;
  maxFileSize?: number;
  /** Module-relative directory used in paths and messages. */
  relDir: string;
  importPath: string;
  module: ModuleRef | null;
}

const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/;

function sortedUnique(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function joinRel(dir: string, name: string): string {
  return dir === '.' || dir === '' ? name : `${dir}/${name}`;
}

export interface FileFacts {
  name: string;
  ok: boolean;
  /** Why the file is not a member (ignored) or cannot be used (invalid). */
  reason: string;
  invalid: boolean;
  pkgName: string;
  imports: string[];
  buildVersion: string;
  generated: boolean;
  parseError: string;
}

/** Reads and classifies one Go file of a directory (everything but its package membership). */
export function examineGoFile(absPath: string, relPath: string, name: string, ctx: BuildContext, maxFileSize: number, useAllFiles = false): FileFacts {
  const facts: FileFacts = { name, ok: false, reason: '', invalid: false, pkgName: '', imports: [], buildVersion: '', generated: false, parseError: '' };
  const bad = useAllFiles ? null : fileNameMismatch(name, ctx);
  if (bad) {
    facts.reason = `file name suffix ${bad} does not match ${ctx.goos}/${ctx.goarch}`;
    return facts;
  }
  const r = readFileLimited(absPath, relPath, maxFileSize);
  if (!r.ok) {
    facts.reason = r.error;
    facts.invalid = true;
    return facts;
  }
  const verdict = headerAllows(readFileHeader(r.bytes), ctx);
  if (verdict.error) {
    facts.reason = `${relPath}: ${verdict.error}`;
    facts.invalid = true;
    return facts;
  }
  if (!verdict.ok && !useAllFiles) {
    facts.reason = verdict.reason;
    return facts;
  }
  facts.buildVersion = verdict.goVersion;
  const parsed = parseFile(relPath, r.bytes, { mode: 'imports' });
  const f = parsed.file;
  if (parsed.errors.length) {
    const e = parsed.errors[0]!;
    facts.parseError = `${relPath}:${e.line}:${e.column}: ${e.message}`;
  }
  facts.pkgName = f.name.name;
  if (!facts.pkgName) {
    facts.reason = facts.parseError || `${relPath}: expected 'package' clause`;
    facts.invalid = true;
    return facts;
  }
  for (const spec of f.imports) {
    const p = unquoteGo(spec.path.value);
    if (p !== null) facts.imports.push(p);
  }
  for (const g of f.comments ?? []) {
    if (f.package >= 0 && g.list[0]!.slash > f.package) break;
    if (g.list.some((c) => GENERATED.test(c.text))) {
      facts.generated = true;
      break;
    }
  }
  facts.ok = true;
  return facts;
}

/** Loads the package in absDir. Returns null when the directory cannot be listed (the error is in `errors`). */
export function loadDir(absDir: string, opts: DirLoadOptions, errors: string[]): Package | null {
  const { ctx, relDir, importPath, module } = opts;
  const maxFileSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const listing = listDir(absDir, relDir);
  if (!listing.ok) {
    errors.push(listing.error);
    return null;
  }
  const pkg: Package = {
    dir: relDir,
    absDir,
    importPath,
    name: '',
    goFiles: [],
    cgoFiles: [],
    testGoFiles: [],
    xTestGoFiles: [],
    ignoredFiles: [],
    invalidFiles: [],
    imports: [],
    testImports: [],
    xTestImports: [],
    files: [],
    module,
    errors: [],
    depOnly: false,
    standard: module?.path === 'std' || module?.path === 'cmd',
  };
  const imports = new Set<string>();
  const testImports = new Set<string>();
  const xTestImports = new Set<string>();
  const byKind: Record<FileKind, PackageFile[]> = { go: [], cgo: [], test: [], xtest: [] };
  let firstFile = '';
  for (const ent of listing.entries) {
    const name = ent.name;
    if (ent.isDir || !name.endsWith('.go')) continue;
    const rel = joinRel(relDir, name);
    if (name.startsWith('_') || name.startsWith('.')) {
      pkg.ignoredFiles.push({ name, reason: `file name starts with ${name[0]}` });
      continue;
    }
    if (ent.error) {
      const msg = `${rel}: cannot read: ${ent.error}`;
      pkg.invalidFiles.push({ name, reason: msg });
      errors.push(msg);
      continue;
    }
    if (!ent.isFile) continue;
    const facts = examineGoFile(join(absDir, name), rel, name, ctx, maxFileSize);
    if (!facts.ok) {
      if (facts.invalid) {
        pkg.invalidFiles.push({ name, reason: facts.reason });
        errors.push(facts.reason);
      } else pkg.ignoredFiles.push({ name, reason: facts.reason });
      continue;
    }
    if (facts.parseError) pkg.errors.push(facts.parseError);
    let pkgName = facts.pkgName;
    if (pkgName === 'documentation') {
      pkg.ignoredFiles.push({ name, reason: 'package documentation (a documentation-only file)' });
      continue;
    }
    const isTest = name.endsWith('_test.go');
    let isXTest = false;
    if (isTest && pkgName.endsWith('_test') && pkg.name !== pkgName) {
      isXTest = true;
      pkgName = pkgName.slice(0, -'_test'.length);
    }
    if (pkg.name === '') {
      pkg.name = pkgName;
      firstFile = name;
    } else if (pkgName !== pkg.name) {
      pkg.errors.push(`found packages ${pkg.name} (${firstFile}) and ${pkgName} (${name}) in ${relDir}`);
    }
    let isCgo = false;
    for (const imp of facts.imports) {
      if (imp !== 'C') continue;
      if (isTest) {
        pkg.errors.push(`use of cgo in test ${rel} not supported`);
        continue;
      }
      isCgo = true;
    }
    let kind: FileKind;
    if (isCgo) {
      if (!ctx.cgoEnabled) {
        pkg.ignoredFiles.push({ name, reason: 'imports "C" and cgo is disabled' });
        continue;
      }
      kind = 'cgo';
    } else kind = isXTest ? 'xtest' : isTest ? 'test' : 'go';
    const target = kind === 'xtest' ? xTestImports : kind === 'test' ? testImports : imports;
    for (const imp of facts.imports) target.add(imp);
    byKind[kind].push({
      name,
      path: rel,
      kind,
      goVersion: effectiveGoVersion(facts.buildVersion, module?.goVersion),
      buildVersion: facts.buildVersion,
      generated: facts.generated,
      imports: facts.imports,
    });
  }
  pkg.goFiles = byKind.go.map((f) => f.name);
  pkg.cgoFiles = byKind.cgo.map((f) => f.name);
  pkg.testGoFiles = byKind.test.map((f) => f.name);
  pkg.xTestGoFiles = byKind.xtest.map((f) => f.name);
  pkg.files = [...byKind.go, ...byKind.cgo, ...byKind.test, ...byKind.xtest];
  pkg.imports = sortedUnique(imports);
  pkg.testImports = sortedUnique(testImports);
  pkg.xTestImports = sortedUnique(xTestImports);
  if (pkg.files.length === 0) {
    if (pkg.ignoredFiles.some((f) => !f.name.startsWith('_') && !f.name.startsWith('.'))) pkg.errors.push(`build constraints exclude all Go files in ${relDir}`);
    else if (pkg.invalidFiles.length === 0) pkg.errors.push(`no Go files in ${relDir}`);
  }
  return pkg;
}

/**
 * Whether the go command's `...` pattern walk would report a package in this directory. For a
 * directory pattern (`./...`, local=true): a member file of any kind, or an invalid Go file. For an
 * import path pattern: any Go file passing the name rules, constraints and cgo setting, which also
 * counts files with a `documentation` package clause.
 */
export function hasBuildableGo(pkg: Package, local: boolean): boolean {
  if (pkg.files.length > 0 || pkg.invalidFiles.length > 0) return true;
  return !local && pkg.ignoredFiles.some((f) => f.reason.startsWith('package documentation'));
}
