// defer-close-unchecked-write: a deferred Close or Flush of something written (a file created or
// opened for writing, a buffered, compressing or archive writer) whose error is dropped, with no
// checked Close/Sync/Flush on the success path. The last writes fail at close: the data is lost
// and nobody is told.
import type * as ast from '../syntax/ast.js';
import { end as nodeEnd, inspect, pos as nodePos, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { WRITE_RESOURCES, type WriteResource } from './catalog.js';
import type { Callee, Type } from '../types/api.js';
import {
  boundCall, inModule, moduleWrapperOrigin, returnedQualifiedCalls, otherModuleFunc, recvTypeName, methodsNamed, fieldStores, literalFieldKey, selectorFieldKey, callName, definingValue, deferredCalls, funcName, lineOf, methodCallOn, sameExpr, sameVar, textOf, walkSameFunc, writeOrigin, type FuncNode, type WriteOrigin, bodyNeeds,
} from './helpers.js';

const ID = 'defer-close-unchecked-write';

/** A variable bound to a written resource by `x := ctor(...)`, `x, err = ctor(...)` or `var x = ctor(...)`. */
interface Binding {
  id: ast.Ident;
  origin: WriteOrigin;
  at: number;
}

/**
 * A call of a package helper that hands over what it created for writing: every return of its
 * own gives a write resource or nil (`func (e *Exporter) createOutput(name string) (*os.File,
 * error) { return os.Create(filepath.Join(e.dir, name)) }`, also through a local it returns).
 */
const helperOrigins = new WeakMap<ast.FuncDecl, WriteOrigin | null>();

/** What a package helper's every return hands over for writing (cached; null while being computed, so recursion stops). */
function helperInner(pass: Pass, file: PassFile, call: ast.CallExpr): WriteOrigin | undefined {
  const c = pass.types.callee(call);
  if (c?.pkg && c.pkg !== pass.pkg.importPath) return undefined;
  const decl = c?.decl;
  if (!decl?.body) return undefined;
  let inner = helperOrigins.get(decl);
  if (inner === undefined) {
    helperOrigins.set(decl, null);
    helperOrigins.set(decl, (inner = returnedOrigin(pass, pass.fileOf(decl) ?? file, decl) ?? null));
  }
  return inner ?? undefined;
}

function helperOrigin(pass: Pass, file: PassFile, e: ast.Expr): WriteOrigin | undefined {
  const call = unparen(e);
  if (call.kind !== 'CallExpr') return undefined;
  const c = pass.types.callee(call);
  // Another package's declarations are kept without their statements: read its source instead.
  if (c && otherModuleFunc(pass, c)) return moduleHelperOrigin(pass, file, call, c);
  const inner = helperInner(pass, file, call);
  if (!inner) return undefined;
  const helper = textOf(file, call.fun);
  return { ...inner, call, name: inner.wrapperType ? helper : `${helper} (${inner.name} inside)` };
}

/** What the module's own API hands out for writing: an `io.WriteCloser` whose Close finishes the writes. */
const MODULE_WRITER: WriteResource = { what: 'io.WriteCloser', verb: 'returned by', release: ['Close'], checked: ['Close'] };

/**
 * A call of the module's own code (a function, a method, or a method of one of its interfaces:
 * `w, err := s.Create(name)` with `type Sink interface { Create(name string) (io.WriteCloser,
 * error) }`), named for making a writer, whose first result is declared `io.WriteCloser`: a
 * writer whose Close is where its writes finish and fail. Not the standard library's
 * (`cmd.StdinPipe()` closes a pipe).
 */
function moduleWriterOrigin(pass: Pass, file: PassFile, e: ast.Expr): WriteOrigin | undefined {
  const call = unparen(e);
  if (call.kind !== 'CallExpr') return undefined;
  const c = pass.types.callee(call);
  if (!c || (c.kind !== 'func' && c.kind !== 'method' && c.kind !== 'interface') || !c.pkg || !inModule(pass, c.pkg)) return undefined;
  // Named for making a writer (`Create`, `OpenWriter`, `RawObjectWriter`, `NewWriter`): a log
  // stream or a key log handed out by another name is not judged by its type alone.
  if (!/Create|Open|Writer/.test(c.short)) return undefined;
  const t = c.sig?.results?.[0]?.type;
  if (t?.kind !== 'named' || t.pkg !== 'io' || t.name !== 'WriteCloser') return undefined;
  return { call, name: textOf(file, call.fun), res: MODULE_WRITER, typed: true };
}

/**
 * A struct of the package built around something opened for writing (`&gzFile{f: f, zw:
 * gzip.NewWriter(f)}` with `f, err := os.Create(path)`), when the type has a `Close` method that
 * returns an error and releases what it holds (calls Close, Flush or Sync): closing the wrapper
 * is where its writes fail. The wrapped origin, as a resource released by the wrapper's Close and
 * settled by its checked Close, Flush or Sync methods.
 */
/** A composite literal of a struct type of this package (`T{...}`, `&T{...}`, or a variable set to one), with its type. */
function packageStruct(pass: Pass, e: ast.Expr, throughVar: boolean): { lit: ast.CompositeLit; t: Extract<Type, { kind: 'named' }> } | undefined {
  let lit = unparen(e);
  if (throughVar && lit.kind === 'Ident') {
    const v = definingValue(pass, lit);
    if (!v) return undefined;
    lit = unparen(v);
  }
  if (lit.kind === 'UnaryExpr' && lit.op === '&') lit = unparen(lit.x);
  if (lit.kind !== 'CompositeLit') return undefined;
  const t = pass.types.typeOf(lit);
  if (t?.kind !== 'named' || t.pkg !== pass.pkg.importPath || t.underlying()?.kind !== 'struct') return undefined;
  return { lit, t };
}

function wrapperOrigin(pass: Pass, declFile: PassFile, r: ast.Expr): WriteOrigin | undefined {
  const ps = packageStruct(pass, r, true);
  if (!ps) return undefined;
  const { lit, t } = ps;
  let inner: WriteOrigin | undefined;
  for (const el of lit.elts ?? []) {
    let v = unparen(el.kind === 'KeyValueExpr' ? el.value : el);
    if (v.kind === 'Ident') v = definingValue(pass, v) ?? v;
    const o = writeOrigin(pass, declFile, v);
    if (o && o.res.wraps !== 'recv' && !inner) inner = o;
  }
  if (!inner) return undefined;
  // The struct also reads what it wraps (`r: bufio.NewReader(f)` beside `f: f`, a serial port or
  // another two-way device driven by request and reply): writes go out as they are made, and
  // closing it loses nothing.
  const reads = (lit.elts ?? []).some((el) => {
    const v = unparen(el.kind === 'KeyValueExpr' ? el.value : el);
    return v.kind === 'CallExpr' && ['bufio.NewReader', 'bufio.NewReaderSize', 'bufio.NewScanner'].includes(pass.types.callee(v)?.name ?? '');
  });
  if (reads) return undefined;
  const methods = wrapperMethods(pass, t.name);
  if (!methods.has('Close')) return undefined;
  const checked = ['Close', 'Flush', 'Sync'].filter((m) => methods.has(m));
  return {
    call: inner.call,
    name: t.name,
    typed: inner.typed,
    wrapperType: t.name,
    res: { what: `${t.name} wrapping the ${inner.res.what} ${inner.res.verb} ${inner.name},`, verb: 'returned by', release: ['Close'], checked },
  };
}

/**
 * A struct of the package that embeds a writer given in the literal (`mz := &meteredGzip{Writer:
 * gzip.NewWriter(w)}` with `type meteredGzip struct { *gzip.Writer; written int64 }`): its
 * promoted Close or Flush is the writer's, unless the struct declares that method itself.
 */
function embeddedOrigin(pass: Pass, file: PassFile, e: ast.Expr): WriteOrigin | undefined {
  const ps = packageStruct(pass, e, false);
  const u = ps?.t.underlying();
  if (!ps || u?.kind !== 'struct') return undefined;
  const { lit, t } = ps;
  for (const el of lit.elts ?? []) {
    if (el.kind !== 'KeyValueExpr' || el.key.kind !== 'Ident') continue;
    const key = el.key.name;
    if (!u.fields.some((f) => f.embedded && f.name === key)) continue;
    let v = unparen(el.value);
    if (v.kind === 'Ident') v = definingValue(pass, v) ?? v;
    const o = writeOrigin(pass, file, v);
    if (!o || o.res.wraps === 'recv') continue;
    // The struct's own Close or Flush hides the promoted one: that is a wrapper of its own.
    const release = o.res.release.filter((m) => !methodsNamed(pass, m).some((d) => recvTypeName(d) === t.name));
    if (release.length === 0) continue;
    return { ...o, wrapperType: t.name, res: { ...o.res, what: `${t.name} embedding the ${o.res.what}`, verb: `${o.res.verb}`, release } };
  }
  return undefined;
}

/** Whether every return statement of a function (not of its literals) ends with a literal nil, and there is one. */
function returnsOnlyNil(d: ast.FuncDecl): boolean {
  let returns = 0;
  let ok = true;
  walkSameFunc(d.body!, (x) => {
    if (!ok) return false;
    if (x.kind === 'ReturnStmt') {
      returns++;
      const last = x.results?.[x.results.length - 1];
      if (!last || unparen(last).kind !== 'Ident' || (unparen(last) as ast.Ident).name !== 'nil') ok = false;
    }
    return ok;
  });
  return ok && returns > 0;
}

/**
 * The methods of a struct type of the package that return an error and release what the type
 * holds (their body calls Close, Flush or Sync on something): Close, Flush, Sync by name.
 */
function wrapperMethods(pass: Pass, typeName: string): Set<string> {
  const out = new Set<string>();
  for (const name of ['Close', 'Flush', 'Sync']) {
    for (const d of methodsNamed(pass, name)) {
      if (!d.body || recvTypeName(d) !== typeName) continue;
      const res = d.type.results?.list ?? [];
      const last = res[res.length - 1]?.type;
      if (!last || unparen(last).kind !== 'Ident' || (unparen(last) as ast.Ident).name !== 'error') continue;
      // Every return gives nil (`if err := h.jsonFile.Close(); err != nil { log.Errorf(...) };
      // return nil`): the method handles the errors itself, and discarding its result loses nothing.
      if (returnsOnlyNil(d)) continue;
      let releases = false;
      inspect(d.body, (x) => {
        if (releases) return false;
        if (x.kind === 'CallExpr') {
          const mc = methodCallOn(x);
          if (mc && ['Close', 'Flush', 'Sync'].includes(mc.method)) releases = true;
        }
        return !releases;
      });
      if (releases) out.add(name);
    }
  }
  return out;
}

/**
 * A function of another package of the module (its body read by text) whose every return gives
 * `os.Create(...)`/`os.CreateTemp(...)` or nil (`fsx.CreateIn(dir, name)`). Only those two, written
 * as `os.` calls: the text has no types to tell more.
 */
/** Whether an open-flags expression names a write flag (`os.O_WRONLY|os.O_CREATE`), read by its text. */
function namesWriteFlag(e: ast.Expr): boolean {
  let found = false;
  inspect(e, (x) => {
    if (!found && x.kind === 'SelectorExpr' && /^O_(WRONLY|RDWR|APPEND|CREATE|TRUNC)$/.test(x.sel.name)) found = true;
    return !found;
  });
  return found;
}

function moduleHelperOrigin(pass: Pass, file: PassFile, call: ast.CallExpr, c: Callee): WriteOrigin | undefined {
  const d = pass.moduleFunc(c.pkg, c.short, c.recv?.name, 'os.');
  if (!d?.body) return undefined;
  const calls = returnedQualifiedCalls(d.body);
  let name: string | undefined;
  let ok = !!calls;
  for (const r of calls ?? []) {
    const n = r.qual === 'os' ? `os.${r.name}` : undefined;
    // `os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)`: write flags named in the call.
    const writes = n === 'os.OpenFile' && !!r.call.args?.[1] && namesWriteFlag(r.call.args[1]);
    if (!n || (n !== 'os.Create' && n !== 'os.CreateTemp' && !writes) || (name && name !== n)) ok = false;
    else name = n;
  }
  const res = ok && name ? WRITE_RESOURCES[name] : undefined;
  if (!res || !name) return undefined;
  return { call, name: `${textOf(file, call.fun)} (${name} inside)`, res, typed: false };
}

/** The write resource every return of the function's own gives (or nil), if one. */
function returnedOrigin(pass: Pass, declFile: PassFile, decl: ast.FuncDecl): WriteOrigin | undefined {
  // Only a function whose first result can hold a file or writer.
  const first = decl.type.results?.list?.[0]?.type;
  if (!first || (unparen(first).kind !== 'StarExpr' && unparen(first).kind !== 'SelectorExpr' && unparen(first).kind !== 'Ident')) return undefined;
  let inner: WriteOrigin | undefined;
  let ok = true;
  walkSameFunc(decl.body!, (x) => {
    if (!ok || x.kind !== 'ReturnStmt') return ok;
    const r = x.results?.[0] ? unparen(x.results[0]) : undefined;
    if (!r) {
      ok = false;
      return false;
    }
    if (r.kind === 'Ident' && r.name === 'nil') return true;
    const v = r.kind === 'Ident' ? definingValue(pass, r) : r;
    // Also what another helper of the package hands over (`return createFile(segmentPath(dir, id))`).
    const o = (v ? writeOrigin(pass, declFile, v) : undefined) ?? wrapperOrigin(pass, declFile, r) ?? embeddedOrigin(pass, declFile, r) ?? (v && unparen(v).kind === 'CallExpr' ? helperInner(pass, declFile, unparen(v) as ast.CallExpr) : undefined);
    if (!o || o.res.wraps === 'recv' || (inner && inner.name !== o.name)) ok = false;
    else {
      // What a wrapper wraps is the helper's business: only what it is matters here.
      const { under: _under, ...rest } = o;
      inner = rest;
    }
    return ok;
  });
  return ok ? inner : undefined;
}

/**
 * A call through a local function variable (`createFn := os.Create; if exclusive { createFn =
 * createExclusive }; f, err := createFn(path)`): the call as made through each function the
 * variable is given, when every assignment of it in the function (nested literals included)
 * names a function. Undefined for parameters, variables whose address is taken and any other
 * value.
 */
function funcVarCalls(pass: Pass, fn: FuncNode, call: ast.CallExpr): ast.CallExpr[] | undefined {
  const f = unparen(call.fun);
  if (f.kind !== 'Ident' || !fn.body) return undefined;
  const obj = pass.types.objectOf(f);
  if (obj?.kind !== 'var') return undefined;
  const values: ast.Expr[] = [];
  let other = false;
  const given = (names: readonly ast.Expr[], vals: readonly ast.Expr[] | null) =>
    names.forEach((l, i) => {
      const u = unparen(l);
      if (u.kind !== 'Ident' || pass.types.objectOf(u) !== obj) return;
      if (vals && vals.length === names.length) values.push(vals[i]!);
      else other = true;
    });
  inspect(fn.body, (x) => {
    if (other) return false;
    if (x.kind === 'AssignStmt') given(x.lhs, x.rhs);
    else if (x.kind === 'ValueSpec') given(x.names, x.values);
    else if (x.kind === 'UnaryExpr' && x.op === '&') {
      const u = unparen(x.x);
      if (u.kind === 'Ident' && pass.types.objectOf(u) === obj) other = true;
    }
    return !other;
  });
  if (other || values.length === 0) return undefined;
  const out: ast.CallExpr[] = [];
  for (const v of values) {
    const u = unparen(v);
    if (u.kind !== 'Ident' && u.kind !== 'SelectorExpr') return undefined;
    out.push({ ...call, fun: u });
  }
  return out;
}

/** What a call through a local function variable creates for writing, when every function it may hold creates it (see funcVarCalls). */
function funcVarOrigin(pass: Pass, file: PassFile, fn: FuncNode, e: ast.Expr): WriteOrigin | undefined {
  const call = unparen(e);
  if (call.kind !== 'CallExpr') return undefined;
  const calls = funcVarCalls(pass, fn, call);
  if (!calls) return undefined;
  let first: WriteOrigin | undefined;
  for (const c of calls) {
    const o = writeOrigin(pass, file, c) ?? helperOrigin(pass, file, c);
    if (!o) return undefined;
    first ??= o;
  }
  return first && { ...first, call, name: `${textOf(file, call.fun)} (${first.name})` };
}

function bindingsIn(pass: Pass, file: PassFile, fn: FuncNode): Binding[] {
  const out: Binding[] = [];
  // Names whose methods the function defers (`defer f.Close()`): only their helper calls are looked into.
  let deferredRecv: Set<string> | undefined;
  const deferredOn = (name: string): boolean => {
    if (!deferredRecv) {
      const names = new Set<string>();
      walkSameFunc(fn.body!, (x) => {
        if (x.kind === 'DeferStmt') {
          for (const dc of deferredCalls(x)) {
            // Also through a method value held in a variable (`closeFile := f.Close; defer closeFile()`).
          const m = methodCallOn(boundCall(pass, dc.call));
            const r = m ? unparen(m.recv) : undefined;
            if (r?.kind === 'Ident') names.add(r.name);
          }
          return false;
        }
        return true;
      });
      deferredRecv = names;
    }
    return deferredRecv.has(name);
  };
  const consider = (lhs: readonly ast.Expr[], rhs: readonly ast.Expr[] | null, at: number) => {
    if (!rhs || rhs.length !== 1) {
      // x, y := a(), b(): pairwise.
      if (rhs && rhs.length === lhs.length) rhs.forEach((r, i) => consider([lhs[i]!], [r], at));
      return;
    }
    const first = unparen(lhs[0]!);
    if (first.kind !== 'Ident' || first.name === '_') return;
    const origin = writeOrigin(pass, file, rhs[0]!) ?? (deferredOn(first.name) ? helperOrigin(pass, file, rhs[0]!) ?? embeddedOrigin(pass, file, rhs[0]!) ?? moduleWriterOrigin(pass, file, rhs[0]!) ?? moduleWrapperOrigin(pass, file, rhs[0]!) ?? funcVarOrigin(pass, file, fn, rhs[0]!) : undefined);
    if (origin) {
      out.push({ id: first, origin, at });
      return;
    }
    // Another name for a writer bound before (`var w io.WriteCloser = f`, `w := io.WriteCloser(f)`),
    // when the function never closes, syncs or flushes it under its first name.
    let src = unparen(rhs[0]!);
    if (src.kind === 'CallExpr' && src.args?.length === 1 && pass.types.callee(src)?.kind === 'conversion') src = unparen(src.args[0]!);
    if (src.kind === 'Ident' && deferredOn(first.name) && !deferredOn(src.name)) {
      const b = bindingAt(pass, out, src, at);
      if (b && !checkedIn(fn.body!, (r) => r.kind === 'Ident' && sameVar(pass, r, src as ast.Ident), ['Close', 'Sync', 'Flush'], undefined)) out.push({ id: first, origin: b.origin, at });
    }
  };
  walkSameFunc(fn.body!, (x) => {
    if (x.kind === 'AssignStmt') consider(x.lhs, x.rhs, nodePos(x));
    else if (x.kind === 'ValueSpec') consider(x.names, x.values, nodePos(x));
    return true;
  });
  return out;
}

/** The binding of `id` that is in effect at `at`: the last one before it for the same variable. */
function bindingAt(pass: Pass, bindings: readonly Binding[], id: ast.Ident, at: number): Binding | undefined {
  let found: Binding | undefined;
  for (const b of bindings) if (b.at < at && sameVar(pass, b.id, id)) found = b;
  return found;
}

/**
 * Whether the function (including literals other than `except`) calls one of `methods` on the
 * variable and uses the result: `return f.Close()`, `if err := f.Close(); ...`, `err = f.Sync()`.
 */
function checkedElsewhere(pass: Pass, fn: FuncNode, id: ast.Expr, methods: readonly string[], except: ast.CallExpr): boolean {
  const isTarget = (recv: ast.Expr) => samePath(pass, recv, id);
  if (!checkedIn(fn.body!, isTarget, methods, except)) return false;
  // A csv writer's Error() says nothing of the rows still in its buffer: it settles the question
  // only after an explicit Flush (`cw.Flush(); return cw.Error()`), not before the deferred one.
  // A Flush written as a call of its own (not `defer cw.Flush()` itself, whose run comes last) must
  // come before the Error that is checked, in the function or in a deferred literal (`defer func()
  // { w.Flush(); err = errors.Join(err, w.Error()) }()`).
  if (methods.length === 1 && methods[0] === 'Error') {
    const direct = new Set<ast.Node>();
    const flushes: number[] = [];
    const errors: number[] = [];
    inspect(fn.body!, (x) => {
      if (x.kind === 'DeferStmt' || x.kind === 'GoStmt') direct.add(x.call);
      else if (x.kind === 'CallExpr' && !direct.has(x)) {
        const m = methodCallOn(x);
        if (m && isTarget(unparen(m.recv))) {
          if (m.method === 'Flush') flushes.push(nodePos(x));
          else if (m.method === 'Error') errors.push(nodePos(x));
        }
      }
      return true;
    });
    return flushes.some((f) => errors.some((e) => f < e));
  }
  return true;
}

/** Whether `body` calls one of `methods` on what `isTarget` accepts and uses the result. */
function checkedIn(body: ast.Node, isTarget: (recv: ast.Expr) => boolean, methods: readonly string[], except: ast.CallExpr | undefined): boolean {
  let found = false;
  const dropped = new Set<ast.Node>();
  const visit = (n: ast.Node): boolean => {
    if (found) return false;
    if (n.kind === 'ExprStmt') dropped.add(unparen(n.x));
    // A deferred or go call's results are discarded too (another `defer f.Close()` checks nothing).
    else if (n.kind === 'DeferStmt' || n.kind === 'GoStmt') dropped.add(n.call);
    else if (n.kind === 'AssignStmt' && n.lhs.every((l) => l.kind === 'Ident' && l.name === '_')) for (const r of n.rhs) dropped.add(unparen(r));
    else if (n.kind === 'CallExpr' && n !== except && !dropped.has(n)) {
      const m = methodCallOn(n);
      if (m && methods.includes(m.method) && isTarget(unparen(m.recv))) found = true;
    }
    return !found;
  };
  // Pre-order, into function literals too: a statement is seen before the call it holds.
  inspect(body, visit);
  return found;
}

/**
 * The same variable, or the same field path on the same variable (`sp.file`, `e.w`): an
 * identifier by object, each selector by name.
 */
function samePath(pass: Pass, a: ast.Expr, b: ast.Expr): boolean {
  a = unparen(a);
  b = unparen(b);
  if (a.kind === 'Ident') return b.kind === 'Ident' && sameVar(pass, a, b);
  if (a.kind === 'SelectorExpr') return b.kind === 'SelectorExpr' && a.sel.name === b.sel.name && samePath(pass, a.x, b.x);
  return false;
}

/** `x.f` or `x.f.g` on a variable: the field path a deferred release can be called on. */
function fieldPath(e: ast.Expr): ast.SelectorExpr | undefined {
  const x = unparen(e);
  if (x.kind !== 'SelectorExpr') return undefined;
  let r: ast.Expr = unparen(x.x);
  while (r.kind === 'SelectorExpr') r = unparen(r.x);
  return r.kind === 'Ident' ? x : undefined;
}

/**
 * The binding of a field path in force at `at` inside the function: the last assignment to the
 * same path (`sp.file, err = os.Create(p)`), or a struct literal that sets the field, bound to
 * the path's variable (`rw := reportWriter{out: bufio.NewWriter(w)}`).
 */
function localFieldBinding(pass: Pass, file: PassFile, fn: FuncNode, path: ast.SelectorExpr, at: number): Binding | undefined {
  let found: Binding | undefined;
  const root = unparen(path.x);
  const consider = (lhs: readonly ast.Expr[], rhs: readonly ast.Expr[] | null | undefined, pos: number): void => {
    if (!rhs || pos >= at) return;
    lhs.forEach((l, i) => {
      const v = rhs.length === lhs.length ? rhs[i] : i === 0 && rhs.length === 1 ? rhs[0] : undefined;
      if (!v) return;
      if (samePath(pass, l, path)) {
        const o = writeOrigin(pass, file, v);
        found = o ? { id: path.sel, origin: o, at: pos } : undefined;
        return;
      }
      // A literal bound to the variable whose field the path names.
      if (root.kind !== 'Ident' || !samePath(pass, l, root)) return;
      let lit = unparen(v);
      if (lit.kind === 'UnaryExpr' && lit.op === '&') lit = unparen(lit.x);
      if (lit.kind !== 'CompositeLit') return;
      found = undefined;
      for (const e of lit.elts ?? []) {
        if (e.kind !== 'KeyValueExpr' || unparen(e.key).kind !== 'Ident' || (unparen(e.key) as ast.Ident).name !== path.sel.name) continue;
        const o = writeOrigin(pass, file, e.value);
        if (o) found = { id: path.sel, origin: o, at: pos };
      }
    });
  };
  walkSameFunc(fn.body!, (x) => {
    if (x.kind === 'AssignStmt') consider(x.lhs, x.rhs, nodePos(x));
    else if (x.kind === 'ValueSpec') consider(x.names, x.values, nodePos(x));
    return true;
  });
  return found;
}

interface FieldFacts {
  /** What every value the package stores in the field comes from, when they agree. */
  origin: WriteOrigin | undefined;
  /** The package releases the field with a checked call somewhere (a Close method returning its Flush). */
  checked: boolean;
}

const fieldFactsCache = new WeakMap<readonly PassFile[], Map<string, FieldFacts>>();

/**
 * What the package as a whole does with a struct field: what it stores in it (every assignment
 * and keyed literal of the field) and whether any function releases it with a checked call.
 */
function fieldFacts(pass: Pass, key: string, methods: (o: WriteOrigin) => readonly string[]): FieldFacts {
  let cache = fieldFactsCache.get(pass.files);
  if (!cache) fieldFactsCache.set(pass.files, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const all = fieldStores(pass);
  let origin: WriteOrigin | undefined;
  let agree = !all.addressed.has(key);
  const list = all.stores.get(key) ?? [];
  for (const { file, value } of list) {
    if (!agree) break;
    if (!value) {
      agree = false;
      break;
    }
    const u = unparen(value);
    if (u.kind === 'Ident' && u.name === 'nil') continue;
    const o = writeOrigin(pass, file, value);
    if (!o || (origin && origin.res !== o.res)) agree = false;
    else origin ??= o;
  }
  const o = agree && list.length > 0 ? origin : undefined;
  let checked = false;
  if (o) {
    const isField = (recv: ast.Expr): boolean => recv.kind === 'SelectorExpr' && recv.sel.name === key.slice(key.lastIndexOf('.') + 1) && selectorFieldKey(pass, recv) === key;
    for (const file of pass.files) {
      for (const d of file.file.decls ?? []) {
        if (d.kind === 'FuncDecl' && d.body && checkedIn(d.body, isField, methods(o), undefined)) checked = true;
      }
    }
  }
  const facts = { origin: o, checked };
  cache.set(key, facts);
  return facts;
}

/** Calls that only read from some of their arguments (by index): passing the file there writes nothing. */
const READ_ONLY_ARGS: Readonly<Record<string, readonly number[]>> = {
  'io.ReadAll': [0],
  'io.ReadFull': [0],
  'io.ReadAtLeast': [0],
  'io.Copy': [1],
  'io.CopyN': [1],
  'io.CopyBuffer': [1],
  'io.LimitReader': [0],
  'io.NewSectionReader': [0],
  'io.TeeReader': [0],
  'bufio.NewReader': [0],
  'bufio.NewReaderSize': [0],
  'bufio.NewScanner': [0],
  'encoding/json.NewDecoder': [0],
  'encoding/xml.NewDecoder': [0],
  'encoding/gob.NewDecoder': [0],
  'encoding/csv.NewReader': [0],
  'compress/gzip.NewReader': [0],
};

/** Methods whose call writes data through the resource. */
const WRITE_METHODS = /^(Write|WriteString|WriteAt|WriteByte|WriteRune|WriteTo|ReadFrom|WriteAll|WriteHeader|Create|CreateHeader|CreateRaw|CreatePart|CreateFormFile|CreateFormField|WriteField|Copy|AddFS|Encode)$/;

/**
 * Whether data is written through the variable in the function: a write method is called on it,
 * it is passed to a call (io.Copy(f, r), fmt.Fprintf(f, ...), gzip.NewWriter(f)), or it is stored
 * or returned. A file that is only created, stat'ed, passed by name or descriptor loses nothing at close.
 */
function writtenThrough(pass: Pass, fn: FuncNode, id: ast.Expr, origin: ast.CallExpr | undefined, wrapper?: string): boolean {
  let found = false;
  const isV = (e: ast.Expr): boolean => samePath(pass, e, id);
  // For a field path (`iw.bw`): a method of the package called on what holds the field
  // (`iw.add(e)`) whose body uses that field writes through it too.
  const idx = unparen(id);
  const holder = idx.kind === 'SelectorExpr' ? idx.x : undefined;
  const field = idx.kind === 'SelectorExpr' ? idx.sel.name : '';
  const usesField = (decl: ast.FuncDecl | undefined): boolean => {
    if (!decl?.body) return false;
    let uses = false;
    inspect(decl.body, (y) => {
      if (uses) return false;
      if (y.kind === 'SelectorExpr' && y.sel.name === field) uses = true;
      return !uses;
    });
    return uses;
  };
  inspect(fn.body!, (x) => {
    if (found) return false;
    if (x === origin) return false;
    if (x.kind === 'CallExpr') {
      const m = methodCallOn(x);
      if (m && isV(m.recv) && WRITE_METHODS.test(m.method)) found = true;
      // A wrapper of the package: its own methods other than the releases write (`w.Append(rec)`).
      else if (m && wrapper && isV(m.recv) && !['Close', 'Flush', 'Sync'].includes(m.method) && pass.types.callee(x)?.decl) found = true;
      else if (m && holder && samePath(pass, m.recv, holder) && usesField(pass.types.callee(x)?.decl)) found = true;
      else {
        // Passed to a call: it may write through it, unless the call only reads from that argument.
        const readOnly = READ_ONLY_ARGS[pass.types.callee(x)?.name ?? ''];
        if ((x.args ?? []).some((a, i) => isV(a) && !readOnly?.includes(i))) found = true;
      }
    } else if (x.kind === 'AssignStmt' && x.rhs.some(isV)) found = true;
    else if (x.kind === 'ValueSpec' && (x.values ?? []).some(isV)) found = true;
    else if (x.kind === 'ReturnStmt' && (x.results ?? []).some(isV)) found = true;
    else if (x.kind === 'CompositeLit' && (x.elts ?? []).some((e) => isV(e.kind === 'KeyValueExpr' ? e.value : e))) found = true;
    return !found;
  });
  return found;
}

/**
 * Whether the function deletes the file when it returns: a deferred `os.Remove(f.Name())` (or of
 * the path it was created with). Such a scratch file is read back through the same descriptor, if
 * at all; nothing written to it outlives the function.
 */
function removedAtExit(pass: Pass, file: PassFile, fn: FuncNode, id: ast.Ident, origin: ast.CallExpr): boolean {
  const created = origin.args?.[0];
  let found = false;
  walkSameFunc(fn.body!, (x) => {
    if (found || x.kind !== 'DeferStmt') return !found;
    for (const dc of deferredCalls(x)) {
      const c = callName(pass, file, dc.call);
      if (c?.name !== 'os.Remove' && c?.name !== 'os.RemoveAll') continue;
      const arg = dc.call.args?.[0] ? unparen(dc.call.args[0]) : undefined;
      if (!arg) continue;
      if (arg.kind === 'CallExpr') {
        const m = methodCallOn(arg);
        const recv = m ? unparen(m.recv) : undefined;
        if (m?.method === 'Name' && recv?.kind === 'Ident' && sameVar(pass, recv, id)) found = true;
      } else if (created && origin.args!.length >= 1 && c.name === 'os.Remove' && sameExpr(arg, created) && unparen(created).kind !== 'BasicLit') found = true;
    }
    return !found;
  });
  return found;
}

/** Whether an error-typed (or, without types, err-named) expression is compared with nil in cond. */
function testsErrorNotNil(pass: Pass, cond: ast.Expr): boolean {
  let found = false;
  inspect(cond, (x) => {
    if (found) return false;
    if (x.kind === 'BinaryExpr' && x.op === '!=') {
      const [a, b] = [unparen(x.x), unparen(x.y)];
      const other = b.kind === 'Ident' && b.name === 'nil' ? a : a.kind === 'Ident' && a.name === 'nil' ? b : undefined;
      if (other) {
        const t = pass.types.typeOf(other);
        if (t ? t.kind === 'named' && t.pkg === '' && t.name === 'error' : other.kind === 'Ident' && /err/i.test(other.name)) found = true;
      }
    }
    return !found;
  });
  return found;
}

/** Whether a call in a deferred literal runs only on failure: inside `if err != nil { ... }`. */
function onFailureOnly(pass: Pass, lit: ast.FuncLit, call: ast.CallExpr): boolean {
  let found = false;
  const at = nodePos(call);
  inspect(lit.body, (x) => {
    if (found) return false;
    if (x.kind === 'IfStmt' && nodePos(x.body) <= at && at < nodeEnd(x.body) && testsErrorNotNil(pass, x.cond)) found = true;
    return !found;
  });
  return found;
}

/**
 * Whether what the wrapper writes into is closed by a defer registered after this one, so it is
 * closed first (`defer zw.Close(); defer f.Close()`): defer-order-inverted reports that.
 */
function underClosedFirst(pass: Pass, fn: FuncNode, d: ast.DeferStmt, origin: WriteOrigin): boolean {
  const under = origin.under ? unparen(origin.under) : undefined;
  if (under?.kind !== 'Ident') return false;
  let found = false;
  walkSameFunc(fn.body!, (x) => {
    if (found) return false;
    if (x.kind !== 'DeferStmt') return true;
    if (nodePos(x) <= nodePos(d)) return false;
    for (const dc of deferredCalls(x)) {
      const m = methodCallOn(dc.call);
      const r = m ? unparen(m.recv) : undefined;
      if (m?.method === 'Close' && r?.kind === 'Ident' && sameVar(pass, r, under)) found = true;
    }
    return false;
  });
  return found;
}

function run(pass: Pass): void {
  const includeTests = pass.options.rules[ID]?.tests === true;
  for (const file of pass.files) {
    if (file.test && !includeTests) continue;
    file.inspector.preorder(['FuncDecl', 'FuncLit'], (fn) => {
      if (!fn.body || !file.inspector.contains(fn, ['DeferStmt'])) return;
      const bindings = bindingsIn(pass, file, fn);
      walkSameFunc(fn.body, (x) => {
        if (x.kind !== 'DeferStmt') return true;
        for (const dc of deferredCalls(x)) {
          if (!dc.discarded) continue;
          // Also through a method value held in a variable (`closeFile := f.Close; defer closeFile()`).
          const m = methodCallOn(boundCall(pass, dc.call));
          const recv = m ? unparen(m.recv) : undefined;
          if (m && recv?.kind === 'SelectorExpr') {
            checkField(pass, file, fn, x, dc, m.method, recv);
            continue;
          }
          if (!m || recv?.kind !== 'Ident') continue;
          const b = bindingAt(pass, bindings, recv, nodePos(x));
          if (!b || !b.origin.res.release.includes(m.method)) continue;
          if (dc.lit && onFailureOnly(pass, dc.lit, dc.call)) continue;
          if (!writtenThrough(pass, fn, recv, b.origin.call, b.origin.wrapperType)) continue;
          if (b.origin.res.what.endsWith('file') && removedAtExit(pass, file, fn, recv, b.origin.call)) continue;
          if (checkedElsewhere(pass, fn, recv, b.origin.res.checked, dc.call)) continue;
          // The wrapper's writes are flushed and checked on the success path, and only the order
          // of the defers loses the rest: that is defer-order-inverted's finding alone.
          if (underClosedFirst(pass, fn, x, b.origin) && checkedElsewhere(pass, fn, recv, ['Flush'], dc.call)) continue;
          report(pass, file, fn, x, dc.call, recv, b);
        }
        return true;
      });
    });
  }
}

/**
 * A deferred release of a field path (`defer sp.file.Close()`, `defer e.w.Flush()`): bound in the
 * function itself, or, for a field the whole package only ever fills with one kind of writer
 * and never releases with a checked call, by what the package stores in it (medium confidence).
 */
/** The methods that release some write resource (Close, Flush): nothing else is looked into. */
const RELEASES: ReadonlySet<string> = new Set(Object.values(WRITE_RESOURCES).flatMap((r) => r.release));

function checkField(pass: Pass, file: PassFile, fn: FuncNode, d: ast.DeferStmt, dc: ReturnType<typeof deferredCalls>[number], method: string, recv: ast.SelectorExpr): void {
  if (!RELEASES.has(method) || !fieldPath(recv)) return;
  let b = localFieldBinding(pass, file, fn, recv, nodePos(d));
  let packageWide = false;
  if (!b) {
    const key = selectorFieldKey(pass, recv);
    if (!key) return;
    const facts = fieldFacts(pass, key, (o) => o.res.checked);
    if (!facts.origin || facts.checked) return;
    b = { id: recv.sel, origin: facts.origin, at: 0 };
    packageWide = true;
  }
  if (!b.origin.res.release.includes(method)) return;
  if (dc.lit && onFailureOnly(pass, dc.lit, dc.call)) return;
  if (!writtenThrough(pass, fn, recv, packageWide ? undefined : b.origin.call)) return;
  if (checkedElsewhere(pass, fn, recv, b.origin.res.checked, dc.call)) return;
  report(pass, file, fn, d, dc.call, recv, b, packageWide);
}

function report(pass: Pass, file: PassFile, fn: FuncNode, d: ast.DeferStmt, call: ast.CallExpr, recv: ast.Ident | ast.SelectorExpr, b: Binding, packageWide = false): void {
  const { origin } = b;
  const v = { name: textOf(file, recv) };
  const res = origin.res;
  const callText = textOf(file, call);
  const line = lineOf(file, origin.call);
  const what = packageWide
    ? `${res.what} that the package stores in ${v.name} (${res.verb} ${origin.name} on line ${line}${pass.fileOf(origin.call) && pass.fileOf(origin.call) !== file ? ` of ${pass.fileOf(origin.call)!.path}` : ''})`
    : `${res.what} ${res.verb} ${origin.name} on line ${line}`;
  const fname = funcName(file, fn);
  let message: string;
  if (res.errorVia) {
    message = `deferred ${callText} discards the write errors of the ${what} (${res.errorVia}), so rows that fail to reach the underlying writer when ${fname} returns are lost silently; call ${v.name}.Flush() on the success path and check ${v.name}.Error()`;
  } else {
    const checks = res.checked.map((c) => `${v.name}.${c}()`).join(' or ');
    // A function with no results cannot hand the error back: it has to check it itself.
    const results = (fn.type.results?.list ?? []).length > 0;
    message = results
      ? `deferred ${callText} discards the error of the ${what}, so data that fails to reach its destination when ${fname} returns is lost silently; join the error into a named result with \`defer func() { err = errors.Join(err, ${callText}) }()\` or call ${checks} on the success path and check its error`
      : `deferred ${callText} discards the error of the ${what}, so data that fails to reach its destination when ${fname} returns is lost silently; ${fname} returns nothing, so call ${checks} on the success path and handle its error (log it or report it)`;
  }
  pass.report({
    node: d.call === call ? d : call,
    file,
    message,
    confidence: origin.typed && !packageWide ? 'high' : 'medium',
    related: [{ node: origin.call, message: `${v.name} is ${/^[aeiou]/i.test(res.what) ? 'an' : 'a'} ${res.what} ${res.verb} ${origin.name}` }],
  });
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'high',
    summary: 'A deferred Close or Flush of a file or writer opened for writing drops its error, so failed final writes are lost silently.',
    enabledByDefault: true,
    fixable: false,
    category: 'lifetime',
    docUrl: docUrl(ID),
  },
  needs: (o) => bodyNeeds(o, { kinds: ['DeferStmt'] }, { deferred: true }),
  run,
};
