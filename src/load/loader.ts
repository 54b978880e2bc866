// Loading packages for analysis: `go list` when a toolchain is available (exact membership), else
// deferguard's own discovery. Either way every package comes back in the same shape, with
// per-file effective Go versions, and directories relative to the module (or workspace) root.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { BuildContext } from '../syntax/constraint.js';
import { resolveContext } from './context.js';
import { discover, findWorkspace, type Workspace } from './discover.js';
import { DEFAULT_MAX_FILE_SIZE } from './files.js';
import { runGoList, type GoListPackage } from './golist.js';
import { effectiveGoVersion } from './goversion.js';
import { examineGoFile, type FileKind, type ModuleRef, type Package, type PackageFile } from './package.js';

export interface LoadOptions {
  /** Working directory (default process.cwd()). */
  cwd?: string;
  /** Package patterns (default `./...`). */
  patterns?: string[];
  /** Build tags (`--tags`). */
  tags?: string[];
  goos?: string;
  goarch?: string;
  cgo?: boolean;
  /** Include vendor directories in `...` patterns (own loader only; go list never does). */
  vendor?: boolean;
  /** Use the go command when available (default true). */
  useGo?: boolean;
  goBin?: string;
  /** go list timeout (default 60 s). */
  timeoutMs?: number;
  maxOutputBytes?: number;
  maxFileSize?: number;
  /** Also load dependencies' directories through go list (`-deps`). */
  deps?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface LoadResult {
  /** Absolute directory that package and file paths are relative to. */
  root: string;
  workspace: Workspace;
  /** Which loader decided membership. */
  via: 'go list' | 'deferguard';
  /** Why go list was not used (for a verbose log); "" when it was. */
  fallbackReason: string;
  context: BuildContext;
  packages: Package[];
  /** Per-file, per-directory and module-file problems; everything else still loaded. */
  errors: string[];
  notes: string[];
}

function toSlash(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function relOrAbs(root: string, abs: string): string {
  const rel = relative(root, abs);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return toSlash(abs);
  return toSlash(rel);
}

/** Loads the packages matching opts.patterns. Never throws for bad input: problems land in `errors`. */
export function loadPackages(opts: LoadOptions = {}): LoadResult {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const env = opts.env ?? process.env;
  const patterns = opts.patterns && opts.patterns.length ? opts.patterns : ['./...'];
  const useGo = opts.useGo !== false && env.DEFERGUARD_NO_GO !== '1';
  const resolved = resolveContext({ goos: opts.goos, goarch: opts.goarch, cgo: opts.cgo, tags: opts.tags, useGo, goBin: opts.goBin }, env);
  const ctx = resolved.ctx;
  const workspace = findWorkspace(cwd, env);
  const root = workspace.workDir || moduleRootFor(workspace, cwd);
  let fallbackReason = '';
  if (!useGo) fallbackReason = 'use of the go command is disabled';
  else if (resolved.from !== 'go') fallbackReason = resolved.note;
  else if (opts.vendor) fallbackReason = 'vendor directories were requested, which go list does not walk';
  else {
    const r = runGoList({
      cwd,
      patterns,
      tags: opts.tags,
      // The module's own packages that the named ones import come along (marked DepOnly), so
      // that a package's findings do not depend on which others were named: `check ./app` knows
      // the types of ./lib that app imports. Other dependencies stay out, as without -deps.
      deps: opts.deps ?? true,
      goBin: opts.goBin,
      timeoutMs: opts.timeoutMs,
      maxOutputBytes: opts.maxOutputBytes,
      env,
      goos: opts.goos,
      goarch: opts.goarch,
      cgo: opts.cgo,
    });
    // Outside any module, or at a go.work root above its modules, go list matches nothing and
    // only warns: our own discovery knows these layouts.
    const OUTSIDE = /does not contain (main module|modules listed in go\.work)|go\.mod file not found/;
    const outside =
      r.ok &&
      r.packages.every((p) => !(p.GoFiles?.length || p.CgoFiles?.length || p.TestGoFiles?.length || p.XTestGoFiles?.length)) &&
      (OUTSIDE.test(r.stderr) || r.packages.some((p) => OUTSIDE.test(p.Error?.Err ?? '')));
    if (r.ok && !outside) {
      const errors = [...workspace.errors.filter((e) => !e.startsWith('no go.mod found'))];
      const wanted = opts.deps ? r.packages : r.packages.filter((p) => !p.DepOnly || p.Module?.Main === true);
      const packages = wanted.map((p) => fromGoList(p, root, workspace, ctx, opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, errors));
      packages.sort((a, b) => (a.importPath < b.importPath ? -1 : a.importPath > b.importPath ? 1 : 0));
      const notes = r.stderr
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      return { root, workspace, via: 'go list', fallbackReason: '', context: ctx, packages, errors: [...new Set(errors)], notes };
    }
    fallbackReason = r.ok ? `${r.command}: ${[r.stderr.trim().split('\n')[0], ...r.packages.map((p) => p.Error?.Err ?? '')].find((x) => x) ?? ''}` : r.reason;
  }
  const d = discover({ cwd, patterns, ctx, vendor: opts.vendor, maxFileSize: opts.maxFileSize, env, workspace, deps: opts.deps ?? true });
  return { root: d.root, workspace, via: 'deferguard', fallbackReason, context: ctx, packages: d.packages, errors: d.errors, notes: d.notes };
}

/** The main module whose directory holds dir (the innermost), or null. */
function moduleContaining(ws: Workspace, dir: string): ModuleRef | null {
  let best: ModuleRef | null = null;
  for (const m of ws.modules) {
    const rel = relative(m.dir, dir);
    if ((rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) && (!best || m.dir.length > best.dir.length)) best = m;
  }
  return best;
}

function moduleRootFor(ws: Workspace, cwd: string): string {
  let best: ModuleRef | null = null;
  for (const m of ws.modules) {
    const rel = relative(m.dir, cwd);
    if ((rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) && (!best || m.dir.length > best.dir.length)) best = m;
  }
  return (best ?? ws.modules[0]!).dir;
}

function fromGoList(p: GoListPackage, root: string, ws: Workspace, ctx: BuildContext, maxFileSize: number, errors: string[]): Package {
  const absDir = p.Dir;
  const dir = absDir ? relOrAbs(root, absDir) : '';
  let module: ModuleRef | null = null;
  if (p.Module) {
    module = { path: p.Module.Path, dir: p.Module.Dir ?? '', goVersion: p.Module.GoVersion ?? '' };
  } else if (p.Standard || p.Goroot) {
    const std = ws.modules.find((m) => m.path === 'std' || m.path === 'cmd');
    module = std ?? null;
  } else if (p.ImportPath === 'command-line-arguments' && absDir) {
    // Files named on the command line: go list gives no module, but the go command builds them
    // with the language version of the module around them.
    module = moduleContaining(ws, absDir);
  }
  const pkgErrors: string[] = [];
  if (p.Error?.Err) {
    // A file go list could not open (a dangling symlink, no permission): the same "cannot read"
    // problem, with a module-relative path, as our own loading reports (the run exits 3).
    const open = /^open (\/.+\.go): (.+)$/.exec(p.Error.Err);
    pkgErrors.push(open ? `${relOrAbs(root, open[1]!)}: cannot read: ${open[2]}` : p.Error.Err);
  }
  for (const e of p.DepsErrors ?? []) pkgErrors.push(`dependency: ${e.Err}`);
  const lists: [FileKind, string[]][] = [
    ['go', p.GoFiles ?? []],
    ['cgo', p.CgoFiles ?? []],
    ['test', p.TestGoFiles ?? []],
    ['xtest', p.XTestGoFiles ?? []],
  ];
  const files: PackageFile[] = [];
  for (const [kind, names] of lists) {
    for (const name of names) {
      const rel = dir === '.' ? name : `${dir}/${name}`;
      // go list decided membership; read the header for the file's own facts (version, generated, imports).
      const facts = examineGoFile(join(absDir, name), rel, name, ctx, maxFileSize, true);
      if (facts.invalid) {
        errors.push(facts.reason);
        continue;
      }
      files.push({
        name,
        path: rel,
        kind,
        goVersion: effectiveGoVersion(facts.buildVersion, module?.goVersion),
        buildVersion: facts.buildVersion,
        generated: facts.generated,
        imports: facts.imports,
      });
    }
  }
  return {
    dir,
    absDir,
    importPath: p.ImportPath,
    name: p.Name ?? '',
    goFiles: p.GoFiles ?? [],
    cgoFiles: p.CgoFiles ?? [],
    testGoFiles: p.TestGoFiles ?? [],
    xTestGoFiles: p.XTestGoFiles ?? [],
    ignoredFiles: (p.IgnoredGoFiles ?? []).map((name) => {
      // go list does not say why; our own check usually can.
      const own = absDir ? examineGoFile(join(absDir, name), dir === '.' ? name : `${dir}/${name}`, name, ctx, maxFileSize) : null;
      return { name, reason: own && !own.ok && !own.invalid ? own.reason : 'excluded by build constraints, file name or cgo setting (go list)' };
    }),
    invalidFiles: (p.InvalidGoFiles ?? []).map((name) => {
      // Our own check gives the file and position go list's package error leaves out.
      const own = absDir ? examineGoFile(join(absDir, name), dir === '.' ? name : `${dir}/${name}`, name, ctx, maxFileSize) : null;
      return { name, reason: own && !own.ok && own.invalid ? own.reason : p.Error?.Err ?? 'invalid Go file (go list)' };
    }),
    imports: p.Imports ?? [],
    testImports: p.TestImports ?? [],
    xTestImports: p.XTestImports ?? [],
    files,
    module,
    errors: pkgErrors,
    depOnly: p.DepOnly === true,
    standard: p.Standard === true,
  };
}

