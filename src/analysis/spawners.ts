// Goroutines started through a helper: a function or method of the module whose whole body is
// `go fn()` on its own func parameter (`func spawn(fn func()) { go fn() }`, `func (e *Executor)
// launch(fn func()) { go fn() }`, a package's `conc.Go`). A call of such a helper with a function
// literal, as a statement (`spawn(func() { ... })`), is rewritten to the go statement it amounts
// to (`go func() { ... }()`) right after parsing, so every rule sees the goroutine. Helpers that
// do more (recover, count in a WaitGroup, label) are left alone: what they add matters to the
// rules, and a plain go statement would lose it.
import type * as ast from '../syntax/ast.js';
import { end as nodeEnd, forEachChild, pos as nodePos, unparen } from '../syntax/nodes.js';

/** gofmt's layout of a plain spawner: receiver (optional), name, one `func()` parameter, `go p()`. */
const SPAWNER = /^func[ \t]+(\([^)\n]*\)[ \t]*)?(\w+)[ \t]*\([ \t]*(\w+)[ \t]+func\(\)[ \t]*\)[ \t]*\{[ \t]*\n[ \t]*go[ \t]+\3\(\)[ \t]*\n\}/gm;

export interface Spawners {
  /** Package-level functions. */
  funcs: Set<string>;
  /** Methods (called as `x.name(...)`). */
  methods: Set<string>;
  /**
   * Spawners of this package whose goroutine is a literal of their own around the call (`go
   * func() { defer func() { recover() ... }(); fn() }()`), by name: the literal.
   */
  wrappers?: Map<string, ast.FuncLit>;
}

/**
 * The spawners a package's parsed files declare: whose body ends in `go fn()` on a `func()`
 * parameter, or `go func() { defer ...; ...; fn() }()` (only defers before the call), after at
 * most two statements of book-keeping that do not touch fn (`sv.inflight.Add(1)`, `p.sem <- struct{}{}`).
 */
export function spawnersInFiles(files: readonly ast.File[], into: Spawners = { funcs: new Set(), methods: new Set() }): Spawners {
  for (const f of files) {
    for (const d of f.decls ?? []) {
      const body = d.kind === 'FuncDecl' ? d.body?.list : undefined;
      if (d.kind !== 'FuncDecl' || !body || body.length === 0 || body.length > 3) continue;
      const st = body[body.length - 1]!;
      if (st.kind !== 'GoStmt') continue;
      const params = d.type.params?.list ?? [];
      let p: string | undefined;
      for (const fl of params) {
        const t = fl.type;
        if (t?.kind === 'FuncType' && (t.params?.list?.length ?? 0) === 0 && !t.results && fl.names?.length === 1) p = fl.names[0]!.name;
      }
      if (!p || st.call.args?.length) continue;
      // Book-keeping before the go statement (`sv.inflight.Add(1)`, a semaphore slot taken with
      // `p.sem <- struct{}{}`): plain calls, sends and assignments that do not touch fn.
      const mentionsP = (n: ast.Node): boolean => {
        let found = false;
        const visit = (x: ast.Node): void => {
          if (found) return;
          if (x.kind === 'Ident' && x.name === p) found = true;
          else forEachChild(x, visit);
        };
        visit(n);
        return found;
      };
      if (!body.slice(0, -1).every((x) => (x.kind === 'ExprStmt' || x.kind === 'AssignStmt' || x.kind === 'IncDecStmt' || x.kind === 'SendStmt') && !mentionsP(x))) continue;
      const isCallOfP = (e: ast.Expr): boolean => e.kind === 'CallExpr' && unparen(e.fun).kind === 'Ident' && (unparen(e.fun) as ast.Ident).name === p && !e.args?.length;
      const fun = unparen(st.call.fun);
      const set = d.recv ? into.methods : into.funcs;
      if (fun.kind === 'Ident' && fun.name === p) set.add(d.name.name);
      else if (fun.kind === 'FuncLit') {
        const list = fun.body.list ?? [];
        const last = list[list.length - 1];
        if (!last || last.kind !== 'ExprStmt' || !isCallOfP(unparen(last.x)) || !list.slice(0, -1).every((x) => x.kind === 'DeferStmt')) continue;
        set.add(d.name.name);
        (into.wrappers ??= new Map()).set(d.name.name, fun);
      }
    }
  }
  return into;
}

/** The plain spawners a Go file's text declares. */
export function spawnersIn(text: string, into: Spawners = { funcs: new Set(), methods: new Set() }): Spawners {
  if (!text.includes('go ')) return into;
  for (const m of text.matchAll(SPAWNER)) (m[1] ? into.methods : into.funcs).add(m[2]!);
  return into;
}

/** The local names a file gives its imports, by import path. */
function importNames(file: ast.File): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of file.decls ?? []) {
    if (d.kind !== 'GenDecl' || d.tok !== 'import') continue;
    for (const s of d.specs ?? []) {
      if (s.kind !== 'ImportSpec') continue;
      const path = s.path.value.slice(1, -1);
      const name = s.name?.name ?? path.slice(path.lastIndexOf('/') + 1);
      if (name !== '_' && name !== '.') out.set(name, path);
    }
  }
  return out;
}

/**
 * Rewrites the spawner calls of a file (`spawn(func() {...})`, `e.launch(func() {...})`,
 * `conc.Go(func() {...})`) into go statements. `own` are the spawners of the file's package;
 * `imported(path)` gives those of another package of the module. Returns how many were rewritten.
 */
export function rewriteSpawns(file: ast.File, own: Spawners, imported: (path: string) => Spawners | undefined): number {
  let imports: Map<string, string> | undefined;
  const isSpawner = (c: ast.CallExpr): boolean => {
    if ((c.args?.length ?? 0) !== 1 || unparen(c.args![0]!).kind !== 'FuncLit') return false;
    const f = unparen(c.fun);
    if (f.kind === 'Ident') return own.funcs.has(f.name);
    if (f.kind !== 'SelectorExpr') return false;
    const x = unparen(f.x);
    imports ??= importNames(file);
    const path = x.kind === 'Ident' ? imports.get(x.name) : undefined;
    if (path !== undefined) return imported(path)?.funcs.has(f.sel.name) ?? false;
    return own.methods.has(f.sel.name);
  };
  let n = 0;
  const fix = (list: ast.Stmt[] | null | undefined): void => {
    if (!list) return;
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      if (s.kind !== 'ExprStmt') continue;
      const c = unparen(s.x);
      if (c.kind !== 'CallExpr' || !isSpawner(c)) continue;
      const lit = unparen(c.args![0]!) as ast.FuncLit;
      // `go lit()`, spanning the helper's call in the source; the call's own text is the literal's.
      const at = nodeEnd(lit) - 1;
      const call: ast.CallExpr = { ...c, fun: lit, args: [], ellipsis: -1, lparen: at, rparen: at } as ast.CallExpr;
      const go: ast.GoStmt = { kind: 'GoStmt', go: nodePos(c), call };
      const f = unparen(c.fun);
      const wrapper = own.wrappers?.get(f.kind === 'Ident' ? f.name : f.kind === 'SelectorExpr' ? f.sel.name : '');
      // Only a call of this package's own helper (not another package's of the same name).
      if (wrapper && (f.kind === 'Ident' || !(imports?.has((unparen((f as ast.SelectorExpr).x) as ast.Ident).name ?? '')))) go.spawner = wrapper;
      list[i] = go;
      n++;
    }
  };
  const visit = (x: ast.Node): void => {
    if (x.kind === 'BlockStmt') fix(x.list);
    else if (x.kind === 'CaseClause' || x.kind === 'CommClause') fix(x.body);
    forEachChild(x, visit);
  };
  for (const d of file.decls ?? []) if (d.kind === 'FuncDecl' && d.body) visit(d.body);
  return n;
}
