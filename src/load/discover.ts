// Package discovery without a Go toolchain: finds the module (or workspace), expands package
// patterns (`./...`, `./dir/...`, `dir`, import paths, a list of .go files) the way the go
// command does, and loads each matching directory.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { BuildContext } from '../syntax/constraint.js';
import { DEFAULT_MAX_FILE_SIZE, isDir, isFile, listDir, realPath } from './files.js';
import { GoModError, parseGoMod, parseGoWork } from './gomod.js';
import { examineGoFile, hasBuildableGo, loadDir, type ModuleRef, type Package, type PackageFile } from './package.js';
import { effectiveGoVersion, OUTSIDE_MODULE_GO } from './goversion.js';

export interface Workspace {
  /** The directory of go.work, or "" without a workspace. */
  workDir: string;
  /** Main modules: one for a plain module, the `use` list for a workspace. */
  modules: ModuleRef[];
  /** go.mod / go.work problems; loading goes on with what could be read. */
  errors: string[];
}

function toSlash(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** The nearest directory at or above dir holding the named file, or "". */
export function findUp(dir: string, file: string): string {
  let d = resolve(dir);
  for (;;) {
    if (isFile(join(d, file))) return d;
    const up = dirname(d);
    if (up === d) return '';
    d = up;
  }
}

/** Reads go.mod in dir into a module reference; errors are appended (with the module-relative file name). */
export function readModule(dir: string, display: string, errors: string[]): ModuleRef {
  const file = join(dir, 'go.mod');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    errors.push(`${display}: cannot read: ${(e as Error).message}`);
    return { path: '', dir, goVersion: '' };
  }
  try {
    const m = parseGoMod(text, display);
    if (!m.module) errors.push(`${display}: no module declaration in go.mod`);
    return { path: m.module?.path ?? '', dir, goVersion: m.go?.version ?? '' };
  } catch (e) {
    if (!(e instanceof GoModError)) throw e;
    errors.push(e.message);
    // Keep what a lax read can still tell (the module path and go version) so loading can go on.
    try {
      const lax = parseGoMod(text, display, { strict: false });
      return { path: lax.module?.path ?? '', dir, goVersion: lax.go?.version ?? '' };
    } catch {
      const mm = /^\s*module\s+"?([^\s"]+)"?/m.exec(text);
      const gm = /^\s*go\s+(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(text);
      return { path: mm?.[1] ?? '', dir, goVersion: gm?.[1] ?? '' };
    }
  }
}

/**
 * The main modules for a working directory: the module containing it, or the modules of the
 * go.work above it (unless GOWORK=off). Without either, the directory itself with no module path.
 */
export function findWorkspace(cwd: string, env: NodeJS.ProcessEnv = process.env): Workspace {
  const errors: string[] = [];
  const modRoot = findUp(cwd, 'go.mod');
  const gowork = env.GOWORK;
  let workFile = '';
  if (gowork === 'off') workFile = '';
  else if (gowork && gowork !== '') workFile = resolve(cwd, gowork);
  else {
    const wd = findUp(cwd, 'go.work');
    if (wd) workFile = join(wd, 'go.work');
  }
  if (workFile) {
    const workDir = dirname(workFile);
    try {
      const w = parseGoWork(readFileSync(workFile, 'utf8'), 'go.work');
      const modules: ModuleRef[] = [];
      for (const u of w.use) {
        const d = resolve(workDir, u.path);
        if (!isFile(join(d, 'go.mod'))) {
          errors.push(`go.work:${u.line}: use ${u.path}: no go.mod in that directory`);
          continue;
        }
        modules.push(readModule(d, toSlash(join(u.path, 'go.mod')), errors));
      }
      if (modules.length) return { workDir, modules, errors };
    } catch (e) {
      errors.push(e instanceof GoModError ? e.message : `go.work: ${(e as Error).message}`);
    }
  }
  if (modRoot) return { workDir: '', modules: [readModule(modRoot, 'go.mod', errors)], errors };
  errors.push(`no go.mod found in ${cwd} or any parent directory; import paths are directories relative to it`);
  return { workDir: '', modules: [{ path: '', dir: resolve(cwd), goVersion: OUTSIDE_MODULE_GO }], errors };
}

/** The import path prefix of a module's packages ("" for the standard library module `std`). */
export function importPrefix(m: ModuleRef): string {
  return m.path === 'std' ? '' : m.path;
}

function joinImport(prefix: string, rel: string): string {
  if (rel === '' || rel === '.') return prefix;
  return prefix === '' ? rel : `${prefix}/${rel}`;
}

// ---------------------------------------------------------------------------------------------
// Pattern matching (the go command's `...` rules, including its treatment of vendor directories)

const VENDOR_CHAR = '\u0000';

function replaceVendor(x: string, repl: string): string {
  if (!x.includes('vendor')) return x;
  const elem = x.split('/');
  for (let i = 0; i < elem.length - 1; i++) if (elem[i] === 'vendor') elem[i] = repl;
  return elem.join('/');
}

/**
 * A matcher for an import path pattern: `...` matches any string, `x/...` also matches `x`,
 * and a wildcard never matches a non-final `vendor` element unless the pattern spells it.
 */
export function matchPattern(pattern: string, opts: { vendor?: boolean } = {}): (name: string) => boolean {
  if (pattern.includes(VENDOR_CHAR) || pattern.includes('\\')) return () => false;
  const quote = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let re = opts.vendor ? quote(pattern) : replaceVendor(quote(pattern), VENDOR_CHAR);
  const dots = '\\.\\.\\.';
  if (!opts.vendor && re.endsWith(`/${VENDOR_CHAR}/${dots}`)) {
    re = re.slice(0, -(`/${VENDOR_CHAR}/${dots}`.length)) + `(/vendor|/${VENDOR_CHAR}/${dots})`;
  } else if (!opts.vendor && re === `${VENDOR_CHAR}/${dots}`) {
    re = `(/vendor|/${VENDOR_CHAR}/${dots})`;
  } else if (re.endsWith(`/${dots}`)) {
    re = re.slice(0, -(`/${dots}`.length)) + `(/${dots})?`;
  }
  re = re.split(dots).join(opts.vendor ? '.*' : `[^${VENDOR_CHAR}]*`);
  const rx = new RegExp(`^${re}$`, 's');
  return (name) => !name.includes(VENDOR_CHAR) && rx.test(opts.vendor ? name : replaceVendor(name, VENDOR_CHAR));
}

/** Whether a pattern names directories on disk (as opposed to import paths). */
export function isLocalPattern(p: string): boolean {
  return p === '.' || p === '..' || p.startsWith('./') || p.startsWith('../') || isAbsolute(p) || p.startsWith('.' + sep) || p.startsWith('..' + sep);
}

// ---------------------------------------------------------------------------------------------
// Discovery

export interface DiscoverOptions {
  /** Working directory patterns are relative to (default: process.cwd()). */
  cwd?: string;
  /** Package patterns (default `./...`). */
  patterns?: string[];
  ctx: BuildContext;
  /** Descend into vendor directories in `...` patterns (default false, as the go command). */
  vendor?: boolean;
  maxFileSize?: number;
  env?: NodeJS.ProcessEnv;
  /** Use this workspace instead of looking for go.mod/go.work. */
  workspace?: Workspace;
  /** Also load the main modules' packages that the found ones import, marked depOnly (as `go list -deps`). */
  deps?: boolean;
}

export interface DiscoverResult {
  /** Directory paths in packages are relative to this (the main module's root, or the workspace directory). */
  root: string;
  workspace: Workspace;
  packages: Package[];
  /** Problems with files, directories, patterns or module files; the rest loaded regardless. */
  errors: string[];
  /** Informational notes (ignored symlinks, ...). */
  notes: string[];
}

interface Walker {
  modules: ModuleRef[];
  root: string;
  opts: DiscoverOptions;
  errors: string[];
  notes: string[];
  seen: Map<string, Package | null>;
}

function moduleFor(w: Walker, absDir: string): ModuleRef | null {
  let best: ModuleRef | null = null;
  for (const m of w.modules) {
    const rel = relative(m.dir, absDir);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
      if (!best || m.dir.length > best.dir.length) best = m;
    }
  }
  return best;
}

function relToRoot(w: Walker, absDir: string): string {
  const rel = toSlash(relative(w.root, absDir));
  return rel === '' ? '.' : rel;
}

function loadAt(w: Walker, absDir: string): Package | null {
  const hit = w.seen.get(absDir);
  if (hit !== undefined) return hit;
  const mod = moduleFor(w, absDir);
  const relDir = relToRoot(w, absDir);
  const importPath = mod ? joinImport(importPrefix(mod), toSlash(relative(mod.dir, absDir))) : relDir;
  const pkg = loadDir(absDir, { ctx: w.opts.ctx, maxFileSize: w.opts.maxFileSize, relDir, importPath, module: mod }, w.errors);
  w.seen.set(absDir, pkg);
  return pkg;
}

/**
 * Walks a tree as the go command does for `...` patterns, collecting matching packages. `local` is
 * true for directory patterns (`./...`), false for import path patterns (`example.com/m/...`).
 */
function walk(w: Walker, start: string, match: (importPath: string, absDir: string) => boolean, local: boolean, out: Map<string, Package>): void {
  const visited = new Set<string>();
  const visit = (absDir: string, isStart: boolean): void => {
    const real = realPath(absDir) ?? absDir;
    if (visited.has(real)) {
      w.errors.push(`${relToRoot(w, absDir)}: directory loop through a symbolic link; not entered again`);
      return;
    }
    visited.add(real);
    const base = absDir.slice(absDir.lastIndexOf(sep) + 1);
    if (!isStart) {
      if (base.startsWith('.') || base.startsWith('_') || base === 'testdata') return;
      // Stop at nested modules, unless the nested module is itself a main module (workspace).
      if (isFile(join(absDir, 'go.mod')) && !w.modules.some((m) => m.dir === absDir)) return;
    }
    const mod = moduleFor(w, absDir);
    const importPath = mod ? joinImport(importPrefix(mod), toSlash(relative(mod.dir, absDir))) : relToRoot(w, absDir);
    const isStdRoot = mod?.path === 'std' && absDir === mod.dir;
    // Like the go command: the documentation-only package builtin is never matched by a wildcard;
    // an import path wildcard also skips runtime/cgo when cgo is off (a directory wildcard does not).
    const skipStd = mod?.path === 'std' && (importPath === 'builtin' || (!local && importPath === 'runtime/cgo' && !w.opts.ctx.cgoEnabled));
    if (!isStdRoot && !skipStd && match(importPath, absDir)) {
      const pkg = loadAt(w, absDir);
      if (pkg && hasBuildableGo(pkg, local) && !out.has(absDir)) out.set(absDir, pkg);
    }
    if (base === 'vendor' && !isStart && !w.opts.vendor) return;
    const listing = listDir(absDir, relToRoot(w, absDir));
    if (!listing.ok) {
      if (!isStart || !w.seen.has(absDir)) w.errors.push(listing.error);
      return;
    }
    for (const e of listing.entries) {
      if (!e.isDir) continue;
      if (e.isSymlink) {
        w.notes.push(`ignoring symlink ${relToRoot(w, join(absDir, e.name))}`);
        continue;
      }
      visit(join(absDir, e.name), false);
    }
  };
  visit(start, true);
}

/** Finds and loads the packages matching the patterns. */
export function discover(opts: DiscoverOptions): DiscoverResult {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const ws = opts.workspace ?? findWorkspace(cwd, opts.env);
  const root = ws.workDir || (moduleForDir(ws.modules, cwd)?.dir ?? ws.modules[0]!.dir);
  const w: Walker = { modules: ws.modules, root, opts: { ...opts, maxFileSize: opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE }, errors: [...ws.errors], notes: [], seen: new Map() };
  const patterns = opts.patterns && opts.patterns.length ? opts.patterns : ['./...'];
  const out = new Map<string, Package>();
  const extra: Package[] = [];

  const goFiles = patterns.filter((p) => p.endsWith('.go'));
  if (goFiles.length) {
    if (goFiles.length !== patterns.length) {
      w.errors.push('cannot mix .go files and package patterns in one list');
    } else {
      const p = loadFiles(w, cwd, goFiles);
      if (p) extra.push(p);
    }
    return finish(w, root, ws, out, extra);
  }

  for (const pat of patterns) {
    if (isLocalPattern(pat) || (!pat.includes('...') && isDir(resolve(cwd, pat)) && !importable(ws.modules, pat))) {
      localPattern(w, cwd, pat, out);
      continue;
    }
    // An import path pattern: map it onto the main module(s) that can contain it.
    let handled = false;
    for (const m of ws.modules) {
      const prefix = importPrefix(m);
      const lit = pat.includes('...') ? pat.slice(0, pat.indexOf('...')) : pat;
      const within = prefix === '' ? true : lit === prefix || lit.startsWith(prefix + '/') || (pat.includes('...') && prefix.startsWith(lit));
      if (!within) continue;
      handled = true;
      const match = matchPattern(pat, { vendor: opts.vendor });
      if (pat.includes('...')) {
        const before = lit.slice(0, lit.lastIndexOf('/') + 1);
        let startRel = prefix === '' ? before : before.length > prefix.length ? before.slice(prefix.length + 1) : '';
        startRel = startRel.replace(/\/$/, '');
        const start = join(m.dir, ...startRel.split('/').filter(Boolean));
        if (isDir(start)) walk(w, start, match, false, out);
      } else {
        const rel = prefix === '' ? pat : pat.slice(prefix.length + 1);
        const abs = join(m.dir, ...rel.split('/').filter(Boolean));
        if (!isDir(abs)) {
          w.errors.push(`package ${pat}: no directory ${relToRoot(w, abs)} in module ${m.path || '(none)'}`);
          continue;
        }
        const pkg = loadAt(w, abs);
        if (pkg) out.set(abs, pkg);
      }
    }
    if (!handled) {
      w.errors.push(`pattern ${pat}: not in the main module${ws.modules.length > 1 ? 's' : ''} (${ws.modules.map((m) => m.path || '(no module)').join(', ')}); dependencies are loaded with the go command only`);
    }
  }
  return finish(w, root, ws, out, extra);
}

function moduleForDir(mods: ModuleRef[], dir: string): ModuleRef | null {
  let best: ModuleRef | null = null;
  for (const m of mods) {
    const rel = relative(m.dir, dir);
    if ((rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) && (!best || m.dir.length > best.dir.length)) best = m;
  }
  return best;
}

function importable(mods: ModuleRef[], pat: string): boolean {
  return mods.some((m) => m.path !== '' && (pat === m.path || pat.startsWith(m.path + '/')));
}

function localPattern(w: Walker, cwd: string, pat: string, out: Map<string, Package>): void {
  const i = pat.indexOf('...');
  if (i < 0) {
    const abs = resolve(cwd, pat);
    if (!isDir(abs)) {
      w.errors.push(`pattern ${pat}: directory ${relToRoot(w, abs)} does not exist`);
      return;
    }
    const mod = moduleFor(w, abs);
    if (!mod) {
      w.errors.push(`pattern ${pat}: directory ${abs} is outside the main module${w.modules.length > 1 ? 's' : ''}`);
      return;
    }
    const inner = nestedModuleRoot(mod.dir, abs);
    if (inner) {
      w.errors.push(`pattern ${pat}: directory ${relToRoot(w, abs)} is in another module (${relToRoot(w, join(inner, 'go.mod'))}), not in the main module ${mod.path || '(no module)'}`);
      return;
    }
    const pkg = loadAt(w, abs);
    if (pkg) out.set(abs, pkg);
    return;
  }
  // Split at the directory holding the first wildcard; match the rest on slash paths.
  const lit = pat.slice(0, i);
  const startLit = lit.slice(0, lit.lastIndexOf('/') + 1) || '.';
  const start = resolve(cwd, startLit);
  if (!isDir(start)) {
    w.errors.push(`pattern ${pat}: directory ${relToRoot(w, start)} does not exist`);
    return;
  }
  const absPat = toSlash(start).replace(/\/$/, '') + '/' + pat.slice(lit.lastIndexOf('/') + 1);
  const m = matchPattern(absPat, { vendor: w.opts.vendor });
  walk(w, start, (_ip, absDir) => m(toSlash(absDir)), true, out);
}

/** The innermost directory strictly below modRoot, at or above dir, that holds its own go.mod ("" if none). */
function nestedModuleRoot(modRoot: string, dir: string): string {
  let d = dir;
  while (d !== modRoot && d.length > modRoot.length) {
    if (isFile(join(d, 'go.mod'))) return d;
    d = dirname(d);
  }
  return '';
}

function loadFiles(w: Walker, cwd: string, files: string[]): Package | null {
  const abs = files.map((f) => resolve(cwd, f));
  const dir = dirname(abs[0]!);
  if (abs.some((f) => dirname(f) !== dir)) {
    w.errors.push(`named files must all be in one directory; have ${[...new Set(abs.map((f) => relToRoot(w, dirname(f))))].join(' and ')}`);
    return null;
  }
  const mod = moduleFor(w, dir);
  const relDir = relToRoot(w, dir);
  const pkg: Package = {
    dir: relDir,
    absDir: dir,
    importPath: 'command-line-arguments',
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
    module: mod,
    errors: [],
    depOnly: false,
    standard: false,
  };
  const imps: Record<string, Set<string>> = { go: new Set(), cgo: new Set(), test: new Set(), xtest: new Set() };
  for (const f of abs) {
    const name = f.slice(dir.length + 1);
    const rel = relDir === '.' ? name : `${relDir}/${name}`;
    if (!isFile(f)) {
      const msg = `${rel}: no such file`;
      w.errors.push(msg);
      pkg.invalidFiles.push({ name, reason: msg });
      continue;
    }
    // Named files are taken as given: build constraints do not exclude them (as with the go command).
    const facts = examineGoFile(f, rel, name, w.opts.ctx, w.opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, true);
    if (!facts.ok && facts.invalid) {
      w.errors.push(facts.reason);
      pkg.invalidFiles.push({ name, reason: facts.reason });
      continue;
    }
    const isTest = name.endsWith('_test.go');
    const isXTest = isTest && facts.pkgName.endsWith('_test');
    const isCgo = !isTest && facts.imports.includes('C');
    const kind = isCgo ? 'cgo' : isXTest ? 'xtest' : isTest ? 'test' : 'go';
    const pkgName = isXTest ? facts.pkgName.slice(0, -5) : facts.pkgName;
    if (pkg.name === '') pkg.name = pkgName;
    else if (pkg.name !== pkgName && facts.pkgName) pkg.errors.push(`found packages ${pkg.name} and ${pkgName} in the named files`);
    for (const i of facts.imports) imps[kind]!.add(i);
    const file: PackageFile = {
      name,
      path: rel,
      kind,
      goVersion: effectiveGoVersion(facts.buildVersion, mod?.goVersion),
      buildVersion: facts.buildVersion,
      generated: facts.generated,
      imports: facts.imports,
    };
    pkg.files.push(file);
    ({ go: pkg.goFiles, cgo: pkg.cgoFiles, test: pkg.testGoFiles, xtest: pkg.xTestGoFiles })[kind].push(name);
  }
  const order = { go: 0, cgo: 1, test: 2, xtest: 3 };
  pkg.files.sort((a, b) => order[a.kind] - order[b.kind]);
  const sort = (s: Set<string>): string[] => [...s].sort();
  pkg.imports = sort(new Set([...imps.go!, ...imps.cgo!]));
  pkg.testImports = sort(imps.test!);
  pkg.xTestImports = sort(imps.xtest!);
  return pkg;
}

/**
 * The main modules' packages that the found ones import (transitively), marked depOnly: the type
 * checker reads their declarations, as `go list -deps` gives them. Imports of other modules and
 * of the standard library are not followed.
 */
function addModuleDeps(w: Walker, out: Map<string, Package>, extra: Package[]): void {
  const known = new Set([...out.values(), ...extra].map((p) => p.importPath));
  const queue = [...out.values(), ...extra].flatMap((p) => [...p.imports, ...p.testImports, ...p.xTestImports]);
  while (queue.length > 0) {
    const ip = queue.pop()!;
    if (known.has(ip)) continue;
    known.add(ip);
    for (const m of w.modules) {
      const prefix = importPrefix(m);
      if (prefix === '' || (ip !== prefix && !ip.startsWith(prefix + '/'))) continue;
      const abs = join(m.dir, ...(ip === prefix ? [] : ip.slice(prefix.length + 1).split('/')));
      if (out.has(abs) || !isDir(abs)) continue;
      const errors = w.errors.length;
      const pkg = loadAt(w, abs);
      // A dependency's own problems are its business: only the named packages report theirs.
      w.errors.length = errors;
      if (!pkg) continue;
      out.set(abs, { ...pkg, depOnly: true });
      queue.push(...pkg.imports);
      break;
    }
  }
}

function finish(w: Walker, root: string, ws: Workspace, out: Map<string, Package>, extra: Package[]): DiscoverResult {
  if (w.opts.deps) addModuleDeps(w, out, extra);
  const packages = [...out.values(), ...extra].sort((a, b) => (a.importPath < b.importPath ? -1 : a.importPath > b.importPath ? 1 : a.dir < b.dir ? -1 : 1));
  return { root, workspace: ws, packages, errors: [...new Set(w.errors)], notes: [...new Set(w.notes)] };
}
