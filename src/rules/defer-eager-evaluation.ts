// defer-eager-evaluation: a deferred call's function value, receiver and arguments are evaluated at
// the defer statement, not when the call runs. Reported where the code clearly wants exit-time
// values: (a) time.Since / time.Now in the arguments; (b) an error variable passed as an argument
// and assigned again after the defer; (c) a receiver or argument variable reassigned after the
// defer; (d) a func variable reassigned after `defer fn()`.
import type * as ast from '../syntax/ast.js';
import { end as nodeEnd, forEachChild, pos as nodePos, unparen } from '../syntax/nodes.js';
import type { Analyzer, FixInput, Pass, PassFile } from '../analysis/analyzer.js';
import type { Callee } from '../types/api.js';
import type { Type } from '../types/api.js';
import { docUrl, type Confidence } from '../findings/model.js';
import {
  callName, callText, listHolding, enclosingFunc, funcName, isErrorTyped, lineOf, mentions, sameExpr, sameVar, textOf, walkSameFunc, type FuncNode, deferNeeds,
} from './helpers.js';
import type { CFG } from '../types/cfg.js';

const ID = 'defer-eager-evaluation';

/** Calls whose value in a deferred call's arguments is fixed at the defer statement, not at exit. */
export const CLOCK_CALLS: readonly string[] = ['time.Since', 'time.Now', 'time.Until'];

interface Write {
  /** The statement or range key/value that writes the variable. */
  node: ast.Node;
  /** Writes nil. */
  nil: boolean;
  /** The new value comes from a call (a fresh file, connection, cleanup...), not a copy of another variable. */
  fresh: boolean;
  /** The new value is a call given the old one (`r = r.WithContext(ctx)`, `l = wrap(l)`): the same thing, wrapped. */
  derived?: boolean;
  /** Written inside this function literal, handed to a call that runs it (`h.withData(virt, func(dc net.Conn) ... { n, err = ... })`). */
  via?: ast.FuncLit;
}

function isNil(pass: Pass, e: ast.Expr | undefined): boolean {
  if (!e) return false;
  const x = unparen(e);
  if (x.kind !== 'Ident' || x.name !== 'nil') return false;
  const o = pass.types.objectOf(x);
  return !o || o.kind === 'nil';
}

function namedResultIndex(fn: FuncNode): Map<string, { index: number; count: number }> {
  const out = new Map<string, { index: number; count: number }>();
  let i = 0;
  const fields = fn.type.results?.list ?? [];
  let count = 0;
  for (const f of fields) count += f.names?.length ?? 1;
  for (const f of fields) {
    for (const n of f.names ?? []) out.set(n.name, { index: i++, count });
    if (!f.names) i++;
  }
  return out;
}


/** Writes of the variable `v` in fn's body (not in nested function literals), in source order. */
/** Writes per function and variable: many defers of one function mention the same variable. */
const writesCache = new WeakMap<FuncNode, Map<unknown, Write[]>>();

function writesOf(pass: Pass, fn: FuncNode, v: ast.Ident): Write[] {
  const key: unknown = pass.types.objectOf(v) ?? `name:${v.name}`;
  let byVar = writesCache.get(fn);
  if (!byVar) writesCache.set(fn, (byVar = new Map()));
  let w = byVar.get(key);
  if (!w) byVar.set(key, (w = computeWritesOf(pass, fn, v)));
  return w;
}

/**
 * Whether a call hands on the variable's value itself: as an argument (`wrap(l)`, `&l`, `l[:n]`,
 * `*l`) or as the receiver of the method called (`l.With(...)`), possibly through a chain.
 */
function continuesValue(pass: Pass, call: ast.CallExpr, v: ast.Ident): boolean {
  const isV = (e: ast.Expr): boolean => {
    let x = unparen(e);
    for (;;) {
      if (x.kind === 'UnaryExpr' && x.op === '&') x = unparen(x.x);
      else if (x.kind === 'StarExpr') x = unparen(x.x);
      else if (x.kind === 'SliceExpr') x = unparen(x.x);
      else break;
    }
    return x.kind === 'Ident' && sameVar(pass, x, v);
  };
  if ((call.args ?? []).some(isV)) return true;
  // The old value's identity handed on unchanged (`client.LoadContainer(ctx, container.ID())`,
  // `open(f.Name())`): the same thing fetched again, not a new key (`r.id + 1`).
  const readOff = (e: ast.Expr): boolean => {
    let x = unparen(e);
    let read = false;
    for (;;) {
      if (x.kind === 'SelectorExpr') x = unparen(x.x);
      else if (x.kind === 'CallExpr' && (x.args ?? []).length === 0 && unparen(x.fun).kind === 'SelectorExpr') x = unparen((unparen(x.fun) as ast.SelectorExpr).x);
      else break;
      read = true;
    }
    return read && x.kind === 'Ident' && sameVar(pass, x, v);
  };
  if ((call.args ?? []).some(readOff)) return true;
  const f = unparen(call.fun);
  if (f.kind === 'SelectorExpr') {
    const x = unparen(f.x);
    if (isV(x)) return true;
    if (x.kind === 'CallExpr') return continuesValue(pass, x, v);
    // `l = l.inner.Next()`: a value reached from the old one.
    if (x.kind === 'SelectorExpr') {
      let r: ast.Expr = x;
      while (r.kind === 'SelectorExpr') r = unparen(r.x);
      return isV(r);
    }
  }
  // A call that itself hands the old value on (`slices.DeleteFunc(slices.Clone(conns), bad)`,
  // `T(l.Next())`).
  return (call.args ?? []).some((a) => unparen(a).kind === 'CallExpr' && continuesValue(pass, unparen(a) as ast.CallExpr, v));
}

function computeWritesOf(pass: Pass, fn: FuncNode, v: ast.Ident): Write[] {
  const out: Write[] = [];
  if (!fn.body) return out;
  const decl = pass.types.objectOf(v)?.decl;
  const same = (e: ast.Expr | null): e is ast.Ident => {
    if (!e) return false;
    const x = unparen(e);
    return x.kind === 'Ident' && sameVar(pass, x, v);
  };
  const results = namedResultIndex(fn);
  const asResult = results.get(v.name);
  const resultObj = asResult !== undefined;
  walkSameFunc(fn.body, (x) => {
    switch (x.kind) {
      case 'AssignStmt': {
        x.lhs.forEach((l, i) => {
          if (!same(l)) return;
          const id = unparen(l) as ast.Ident;
          // `v := ...` declaring v (a new variable each time it runs) is not a reassignment.
          if (x.tok === ':=' && (decl ? id === decl : true)) return;
          const v1 = x.lhs.length === x.rhs.length ? x.rhs[i] : x.rhs.length === 1 ? x.rhs[0] : undefined;
          // A call that takes the old value (l = wrap(l), dir = filepath.Join(dir, "x")) derives from it, not a fresh value.
          const call = !!v1 && unparen(v1).kind === 'CallExpr';
          // Only the old value itself handed to the call (`l = wrap(l)`, `r = r.WithContext(ctx)`,
          // `buf = append(buf, b...)`), or its identity (`c = load(c.ID())`), continues it; a new
          // key computed from it (`r, err = s.openReader(r.id + 1)`) makes a new value.
          const fresh = call && !continuesValue(pass, unparen(v1!) as ast.CallExpr, v);
          // A value computed from the old one (`buf = buf[:n]`, `l = wrap(l)`) continues it; for a
          // reslice the deferred call's old header still names the same memory.
          const derived = !!v1 && !fresh && mentions(pass, v1, v);
          out.push({ node: x, nil: x.lhs.length === x.rhs.length && isNil(pass, v1), fresh, derived });
        });
        break;
      }
      case 'IncDecStmt':
        if (same(x.x)) out.push({ node: x, nil: false, fresh: false });
        break;
      case 'RangeStmt':
        if (x.tok === '=') for (const k of [x.key, x.value]) if (same(k)) out.push({ node: k!, nil: false, fresh: false });
        break;
      case 'ReturnStmt': {
        // `return ..., e` assigns the named results before deferred calls run.
        if (!resultObj || !x.results || x.results.length === 0) break;
        const o = pass.types.objectOf(v);
        if (o && o.varKind !== 'result' && !(decl && isTopLevelRedecl(fn, decl))) break;
        if (x.results.length === asResult.count) {
          const r = x.results[asResult.index]!;
          if (same(r)) break;
          out.push({ node: x, nil: isNil(pass, r), fresh: unparen(r).kind === 'CallExpr' });
        } else out.push({ node: x, nil: false, fresh: true });
        break;
      }
    }
    return true;
  });
  // A callback handed to a call (`return h.withData(virt, func(dc net.Conn) (int64, error) { n,
  // err = fsys.Store(host, dc, limit); ... })`) runs before that call returns, usually: its
  // writes of the variable happen where the call is. Not a literal started as a goroutine or
  // deferred, and not one stored for later.
  for (const lit of callbacksOf(fn)) {
    walkSameFunc(lit.body, (x) => {
      if (x.kind === 'AssignStmt') {
        x.lhs.forEach((l, i) => {
          if (!same(l) || x.tok === ':=') return;
          const v1 = x.lhs.length === x.rhs.length ? x.rhs[i] : x.rhs.length === 1 ? x.rhs[0] : undefined;
          const fresh = !!v1 && unparen(v1).kind === 'CallExpr' && !mentions(pass, v1, v);
          out.push({ node: x, nil: x.lhs.length === x.rhs.length && isNil(pass, v1), fresh, derived: !!v1 && !fresh && mentions(pass, v1, v), via: lit });
        });
      } else if (x.kind === 'IncDecStmt' && same(x.x)) out.push({ node: x, nil: false, fresh: false, via: lit });
      return true;
    });
  }
  return out;
}

const callbacksCache = new WeakMap<FuncNode, ast.FuncLit[]>();

/** The function literals a function's own code hands to calls as arguments (not go or defer statements). */
function callbacksOf(fn: FuncNode): ast.FuncLit[] {
  let out = callbacksCache.get(fn);
  if (out) return out;
  out = [];
  const list = out;
  if (fn.body) {
    walkSameFunc(fn.body, (x) => {
      if (x.kind === 'GoStmt' || x.kind === 'DeferStmt') return false;
      if (x.kind === 'CallExpr') for (const a of x.args ?? []) if (unparen(a).kind === 'FuncLit') list.push(unparen(a) as ast.FuncLit);
      return true;
    });
  }
  callbacksCache.set(fn, out);
  return out;
}

/** `x, err := f()` directly in the body: it reuses a result or parameter of that name. */
function isTopLevelRedecl(fn: FuncNode, decl: ast.Ident): boolean {
  return (fn.body?.list ?? []).some((s) => s.kind === 'AssignStmt' && s.tok === ':=' && s.lhs.includes(decl));
}

/** Whether a defer statement's call mentions the variable (as receiver, function or argument). */
function deferMentions(pass: Pass, d: ast.DeferStmt, v: ast.Ident): boolean {
  let found = false;
  walkSameFunc(d, (x) => {
    if (found) return false;
    if (x.kind === 'Ident' && sameVar(pass, x, v)) found = true;
    return !found;
  });
  return found;
}

/**
 * The CFG entries after which the new value is taken care of: other defers mentioning v, and calls
 * of the same function as the deferred one that mention v (`cancel()` after `ctx, cancel = ...`,
 * `f.Close()` after `f, err = os.Open(b)`), also inside function literals (their entry counts).
 */
function handlingEntries(pass: Pass, cfg: CFG, fn: FuncNode, d: ast.DeferStmt, v: ast.Ident): ast.Node[] {
  const out: ast.Node[] = [];
  for (const x of cfg.defers) if (x !== d && deferMentions(pass, x, v)) out.push(x);
  const mentionsV = (c: ast.CallExpr): boolean => mentions(pass, c, v);
  const walk = (n: ast.Node, top: ast.FuncLit | null): void => {
    if (n.kind === 'CallExpr' && n !== d.call && sameExpr(n.fun, d.call.fun) && mentionsV(n)) {
      const e = cfg.locate(top ?? n)?.node;
      if (e) out.push(e);
    }
    const nextTop = top ?? (n.kind === 'FuncLit' ? n : null);
    forEachChild(n, (c) => walk(c, nextTop));
  };
  if (fn.body) walk(fn.body, null);
  return out;
}

interface AfterQuery {
  pass: Pass;
  cfg: CFG | undefined;
  fn: FuncNode;
  d: ast.DeferStmt;
  v: ast.Ident;
  keepNil: boolean;
  freshOnly: boolean;
  /** Leave out writes that wrap the old value (`r = s.Errors.WithError(r, err)`). */
  skipDerived?: boolean;
}

/**
 * `ctx, cancel := ...; defer cancel(); ...; ctx, cancel = context.WithCancel(ctx)`: the new
 * context is a child of the one the deferred cancel ends, and cancelling a parent cancels its
 * children, so the new cancel function not being called at exit loses nothing.
 */
function childOfCancelled(pass: Pass, fn: FuncNode, cancel: ast.Ident, write: ast.Node): boolean {
  if (write.kind !== 'AssignStmt' || write.lhs.length !== 2 || write.rhs.length !== 1) return false;
  const call = unparen(write.rhs[0]!);
  if (call.kind !== 'CallExpr' || !call.args?.length) return false;
  const c = callName(pass, pass.fileOf(write)!, call);
  if (!c || !/^context\.With(Cancel|CancelCause|Timeout|TimeoutCause|Deadline|DeadlineCause)$/.test(c.name)) return false;
  const parent = unparen(call.args[0]!);
  const newCtx = unparen(write.lhs[0]!);
  if (parent.kind !== 'Ident' || newCtx.kind !== 'Ident' || !sameVar(pass, parent, newCtx)) return false;
  // The parent variable was assigned together with the deferred cancel (`ctx, cancel := ...`).
  const decl = pass.types.objectOf(cancel)?.decl;
  if (!decl || !fn.body) return false;
  let together = false;
  walkSameFunc(fn.body, (x) => {
    if (together) return false;
    if (x.kind === 'AssignStmt' && x.lhs.length === 2 && x.lhs[1] === decl) {
      const first = unparen(x.lhs[0]!);
      together = first.kind === 'Ident' && sameVar(pass, first, parent);
    }
    return !together;
  });
  return together;
}

/**
 * The first write of v that can run after the defer statement and then reach the end of the
 * function without that defer running again, without v being declared anew (a `var`/`:=` in a
 * loop body makes a new variable each iteration), and with no other defer of v or call of the same
 * function on v after it (the new value is taken care of: `defer cancel(); ctx, cancel = ...; defer
 * cancel()`, or `cancel()` called explicitly).
 */
function writeAfter(q: AfterQuery): Write | undefined {
  const { pass, cfg, fn, d, v } = q;
  const candidates = writesOf(pass, fn, v).filter((w) => !(w.nil && !q.keepNil) && !(q.freshOnly && !w.fresh) && !(q.skipDerived && w.derived));
  // No write to consider (the common case): nothing else needs computing.
  if (candidates.length === 0) return undefined;
  const decl = pass.types.objectOf(v)?.decl;
  const declEntry = decl && cfg ? cfg.locate(decl)?.node : undefined;
  const blocked = (n: ast.Node) => n === d || n === declEntry;
  const handled = cfg ? handlingEntries(pass, cfg, fn, d, v) : [];
  // Another defer of v between this one and the write answers for the write (one report, not one per defer).
  const redefers = new Set<ast.Node>(cfg ? cfg.defers.filter((x) => x !== d && deferMentions(pass, x, v)) : []);
  const toWrite = (n: ast.Node) => blocked(n) || redefers.has(n);
  for (const w of candidates) {
    if (!cfg) {
      if (nodePos(w.node) > nodePos(d)) return w;
      continue;
    }
    const ref = cfg.locate(w.via ?? w.node);
    if (!ref) continue;
    try {
      if (!cfg.pathExists(d, ref.node, toWrite)) continue;
      // The deferred call runs when the function returns or panics, not when the process exits
      // (`err = ...; log.Fatal(err)`): a write on such a path is never seen by anyone.
      if (ref.node.kind !== 'ReturnStmt' && !cfg.pathExists(ref.node, 'exit', blocked) && !cfg.pathExists(ref.node, 'panic', blocked)) continue;
      // A write ahead of the defer in a loop body (`conn, err = dial(); ...; defer conn.Close()`
      // on each retry): the new value is deferred in its turn when the loop comes round to the
      // defer again. The pile-up is defer-in-loop's finding.
      if (nodePos(w.node) < nodePos(d) && cfg.canReach(ref.node, d)) continue;
      // Handled by a release after the write. For a fresh value (a new connection, a new
      // ticker), one that comes before it in the text and is reached only through the loop
      // around both (`conn.Close(); conn, err = reconnect()` on a failed send, then again only
      // if a later send fails) leaves the new value open on the paths that never come round.
      if (handled.some((o) => o === ref.node || ((!w.fresh || nodePos(o) > nodePos(ref.node)) && cfg.canReach(ref.node, o)))) continue;
      return w;
    } catch {
      continue;
    }
  }
  return undefined;
}

/** The advice to defer a closure around the call, spelled out when the call fits on one line. */
function closureOf(text: string): string {
  return text.includes('(...)') || text === 'the call' || text.includes('{...}') ? 'defer func() { ... }() around the call' : `defer func() { ${text} }()`;
}

function underlying(t: Type | undefined): Type | undefined {
  return t?.kind === 'named' ? t.underlying() : t;
}

/** `defer call` rewritten to run everything at exit. */
function closureFix(file: PassFile, d: ast.DeferStmt): FixInput[] {
  const text = textOf(file, d.call);
  if (/\brecover\s*\(/.test(text) || text.includes('\n')) return [];
  return [{ message: `Evaluate at exit: defer func() { ${text} }()`, edits: [{ node: d.call, newText: `func() { ${text} }()` }] }];
}

/** (a) A clock reading in the arguments (outside function literals). */
function clockCall(pass: Pass, file: PassFile, call: ast.CallExpr): { call: ast.CallExpr; name: string; typed: boolean } | undefined {
  const c = pass.types.callee(call);
  let found: { call: ast.CallExpr; name: string; typed: boolean } | undefined;
  // A method expression (`(*Registry).markFlushed(r, time.Now())`) takes the receiver first.
  const f = unparen(call.fun);
  const shift = c?.kind === 'method' && f.kind === 'SelectorExpr' && pass.types.isType(f.x) ? 1 : 0;
  (call.args ?? []).forEach((arg, j) => {
    if (found) return;
    const i = j - shift;
    const direct = unparen(arg);
    const visit = (x: ast.Node): boolean => {
      if (found || x.kind === 'FuncLit') return false;
      if (x.kind === 'CompositeLit') {
        // `Op{Start: time.Now()}` into a time.Time field (or element) is the start-time idiom too.
        for (const e of x.elts ?? []) {
          const v = unparen(e.kind === 'KeyValueExpr' ? e.value : e);
          if (v.kind === 'CallExpr' && callName(pass, file, v)?.name === 'time.Now' && slotIsConcrete(pass, x, e)) continue;
          if (visit(e)) walkSameFunc(e, visit);
        }
        return false;
      }
      if (x.kind !== 'CallExpr') return true;
      const n = callName(pass, file, x);
      if (!n || !CLOCK_CALLS.includes(n.name)) return true;
      if (n.name === 'time.Now' && x === direct) {
        // defer observe(time.Now()) into a time.Time parameter is the start-time idiom; only
        // flag a bare time.Now() that a formatting or logging call takes as any value.
        const p = paramType(c?.sig, i);
        if (!p || (!isInterface(p) && !endTimeSlot(c!.short, c!.sig!, i) && !storesTime(pass, c!, i))) return false;
      }
      found = { call: x, name: n.name, typed: n.typed };
      return false;
    };
    if (visit(direct)) walkSameFunc(direct, visit);
  });
  return found;
}

/** Whether the field or element of composite literal `lit` that `e` fills has a known, non-interface type. */
function slotIsConcrete(pass: Pass, lit: ast.CompositeLit, e: ast.Expr): boolean {
  const u = underlying(pass.types.typeOf(lit));
  let slot: Type | undefined;
  if (u?.kind === 'struct') {
    if (e.kind === 'KeyValueExpr') {
      const k = unparen(e.key);
      slot = k.kind === 'Ident' ? u.fields.find((f) => f.name === k.name)?.type : undefined;
    } else {
      slot = u.fields[(lit.elts ?? []).indexOf(e)]?.type;
    }
  } else if (u?.kind === 'slice' || u?.kind === 'array') slot = u.elem;
  else if (u?.kind === 'map') slot = u.elem;
  return !!slot && !isInterface(slot);
}

/**
 * A time.Time parameter that asks for the end of the operation, not its start: the parameter is
 * named so (`end`, `finishedAt`), or the function is an end-at method (`span.FinishAt(t)`,
 * `EndAt`, `StopAt`), or a setter named for something that has happened (`MarkListed`,
 * `RecordUploaded`). `defer span.FinishAt(time.Now())` then records the start time as the end.
 * A start-time parameter (`defer track(time.Now(), "op")`) is the measuring idiom.
 */
function endTimeSlot(callee: string, sig: { params: { name: string }[]; variadic: boolean }, i: number): boolean {
  const name = sig.params[Math.min(i, sig.params.length - 1)]?.name ?? '';
  if (/^(start|begin|since|from|t0|began)/i.test(name) || /Start(ed)?(At|Time)?$/.test(name)) return false;
  // Also the far end of a window (`observeWindow(name, from, to time.Time)`, `until`, `t1`).
  if (/^(end|finish|stop|done|completed?|closed?)(ed)?(At|Time|Ts)?$/i.test(name) || /^(to|until|till|t1)$/.test(name)) return true;
  // `FinishAt`, `End`, `recordEnd`, `markDone`, `setFinishedAt`: the callee records when it ended.
  if (/^(Finish|End|Stop|Complete|Close|Done)(At|Time|With)?$/.test(callee) || /^(finish(ed)?|end(ed)?|stop(ped)?|complete(d)?|done)(At|Time)?$/.test(callee) || /(Finish(ed)?|End(ed)?|Stop(ped)?|Complete(d)?|Done)(At|Time)?$/.test(callee)) return true;
  // `MarkListed(prefix, at)`, `RecordUploaded(key, t)`: a setter named for something that has
  // happened stores when it did, at the end (not `MarkStarted`, and not a measuring `Timed`).
  return /^(Mark|Record|Note|Set)[A-Z]\w*[a-z]ed(At|Time)?$/.test(callee) && !/Start(ed)?(At|Time)?$/.test(callee);
}

/**
 * A callee of the module that only stores the time it is given (`func (s *Session)
 * MarkActive(t time.Time) { s.lastActive.Store(t.UnixNano()) }`): deferring it can only mean to
 * record the time at exit. A callee that measures from it (`time.Since(t)`, `now.Sub(t)`) takes a
 * start time, the measuring idiom.
 */
function storesTime(pass: Pass, c: Callee, i: number): boolean {
  // Another package's declaration here has no body (imports are read for their declarations).
  const decl = c.pkg === pass.pkg.importPath ? c.decl : c.pkg && (c.kind === 'func' || c.kind === 'method') ? pass.moduleFunc(c.pkg, c.short, c.recv?.name) : undefined;
  if (!decl?.body) return false;
  const names = (decl.type.params?.list ?? []).flatMap((f) => (f.names?.length ? f.names.map((n) => n.name) : ['_']));
  const name = names[i];
  if (!name || name === '_') return false;
  // Named for a start (`Begin(at)`, `MarkStarted`, a `start` parameter, a `began` field): the
  // start-time idiom after all.
  const START = /^(start|begin|began|since|from|t0|created?)|Start(ed)?|Begin|Began|Created/;
  if (START.test(c.short) || START.test(name)) return false;
  let stores = 0;
  let other = false;
  const isParam = (e: ast.Expr): boolean => {
    let x = unparen(e);
    // `t.UnixNano()`, `t.UTC()`: the same instant in another form.
    while (x.kind === 'CallExpr' && unparen(x.fun).kind === 'SelectorExpr' && !(x.args?.length)) x = unparen((unparen(x.fun) as ast.SelectorExpr).x);
    return x.kind === 'Ident' && x.name === name;
  };
  const visit = (n: ast.Node): void => {
    if (other) return;
    if (n.kind === 'AssignStmt' && n.rhs.length === n.lhs.length) {
      n.rhs.forEach((r, k) => {
        const l = unparen(n.lhs[k]!);
        if (isParam(r) && (l.kind === 'SelectorExpr' || l.kind === 'IndexExpr')) {
          if (l.kind === 'SelectorExpr' && START.test(l.sel.name)) other = true;
          stores++;
        }
        else visit(r);
      });
      return;
    }
    // `s.last.Store(t)`, or keyed (`p.lastRun.Store(name, at)`, `cache.Set(key, t)`): the time is the value stored.
    if (n.kind === 'CallExpr' && (n.args?.length === 1 || n.args?.length === 2) && isParam(n.args[n.args.length - 1]!) && !(n.args.length === 2 && isParam(n.args[0]!))) {
      const f = unparen(n.fun);
      if (f.kind === 'SelectorExpr' && /^(Store|Set|Swap)$/.test(f.sel.name)) {
        if (n.args.length === 2) visit(n.args[0]!);
        stores++;
        return;
      }
    }
    if (n.kind === 'Ident' && n.name === name) {
      other = true;
      return;
    }
    forEachChild(n, visit);
  };
  visit(decl.body);
  return stores > 0 && !other;
}

function paramType(sig: { params: { type: Type }[]; variadic: boolean } | undefined, i: number): Type | undefined {
  if (!sig || sig.params.length === 0) return undefined;
  if (i < sig.params.length - 1 || !sig.variadic) return sig.params[i]?.type;
  const last = sig.params[sig.params.length - 1]!.type;
  return last.kind === 'slice' ? last.elem : last;
}

function isInterface(t: Type): boolean {
  return underlying(t)?.kind === 'interface';
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    file.inspector.withStack(['DeferStmt'], (d, stack) => {
      const fn = enclosingFunc(stack);
      if (!fn?.body) return;
      const fname = funcName(file, fn);
      // A call written over several lines is shown in short; the closure advice then stays generic.
      const raw = textOf(file, d.call);
      const text = raw.includes('\n') ? callText(file, d.call) : raw;
      const deferLine = lineOf(file, d);
      const fun = unparen(d.call.fun);
      // (a), also for the arguments of a deferred literal (`defer func(d time.Duration) {...}(time.Since(start))`)
      const clock = clockCall(pass, file, d.call);
      if (clock) {
        const what = textOf(file, clock.call);
        pass.report({
          node: clock.call,
          file,
          message: fun.kind === 'FuncLit'
            ? `${what}, an argument of the deferred function literal on line ${deferLine}, is evaluated at the defer statement, not when ${fname} returns, so it measures ${clock.name === 'time.Now' ? 'the start, not the end' : 'almost nothing'}; compute it inside the literal, which runs at exit`
            : `${what} in defer ${text} is evaluated at the defer statement on line ${deferLine}, not when ${fname} returns, so it measures ${clock.name === 'time.Now' ? 'the start, not the end' : 'almost nothing'}; defer a closure so it runs at exit: ${closureOf(text)}`,
          confidence: clock.typed ? 'high' : 'medium',
          fixes: fun.kind === 'FuncLit' ? [] : closureFix(file, d),
        });
        return;
      }
      if (fun.kind === 'FuncLit') {
        checkArgs(pass, file, fn, fname, d, text, deferLine);
        return;
      }
      const cfg = pass.cfg(fn);

      // (d) defer fn() with fn a func variable reassigned later.
      if (fun.kind === 'Ident') {
        const o = pass.types.objectOf(fun);
        if (o && o.kind !== 'var') return checkArgs(pass, file, fn, fname, d, text, deferLine, cfg);
        const w = writeAfter({ pass, cfg, fn, d, v: fun, keepNil: true, freshOnly: false });
        // `defer undo(); undo = nil` on the very next statement: nothing ran in between that the
        // nil could be meant to disarm; it only drops the reference (caddy's run command).
        const list = w?.nil ? listHolding(fn.body, d) : [];
        const next = list[list.indexOf(d) + 1];
        const dropsRef = !!w?.nil && !!next && nodePos(next) <= nodePos(w.node) && nodePos(w.node) < nodeEnd(next) && next.kind === 'AssignStmt';
        if (w && !dropsRef && !childOfCancelled(pass, fn, fun, w.node)) {
          const wl = lineOf(file, w.node);
          pass.report({
            node: d,
            file,
            message: `defer ${text} calls the function ${fun.name} holds at the defer statement on line ${deferLine}; ${fun.name} is ${w.nil ? 'set to nil' : 'reassigned'} on line ${wl}, which does not change the deferred call${w.nil ? '' : ', so the new function is never called'}; to call the value ${fun.name} has at exit, ${closureOf(text)}`,
            confidence: o ? 'high' : 'medium',
            related: [{ node: w.node, message: `${fun.name} reassigned here` }],
            fixes: closureFix(file, d),
          });
          return;
        }
        return checkArgs(pass, file, fn, fname, d, text, deferLine, cfg);
      }

      // (d) through a func field: `defer h.after()` takes the function the field holds now; a
      // later `h.after = func() {...}` does not change the deferred call.
      if (fun.kind === 'SelectorExpr' && pass.types.callee(d.call)?.kind === 'funcvalue') {
        const w = fieldWrittenAfter(pass, cfg, fn, d, fun);
        if (w) {
          const ft = textOf(file, fun);
          pass.report({
            node: d,
            file,
            message: `defer ${text} calls the function ${ft} holds at the defer statement on line ${deferLine}; ${ft} is assigned again on line ${lineOf(file, w)}, which does not change the deferred call, so the new function is never called; to call the value ${ft} has at exit, ${closureOf(text)}`,
            related: [{ node: w, message: `${ft} assigned again here` }],
            fixes: closureFix(file, d),
          });
          return;
        }
      }

      // (c) receiver variable reassigned later.
      if (fun.kind === 'SelectorExpr') {
        const x = unparen(fun.x);
        // `defer resp.Body.Close()`: the field is read through the pointer at the defer statement,
        // so a later `resp, err = c.Get(...)` leaves the new response's Body unclosed.
        const root = x.kind === 'SelectorExpr' ? fieldPathRoot(pass, x) : undefined;
        if (root) {
          const w = writeAfter({ pass, cfg, fn, d, v: root, keepNil: false, freshOnly: true });
          // The new value is returned to the caller, who closes it (`resp, err = client.Do(req);
          // ...; return resp, nil`): nothing leaks here.
          if (w && !returnedAfter(pass, fn, root, w.node)) {
            const wl = lineOf(file, w.node);
            const recv = textOf(file, x);
            pass.report({
              node: d,
              file,
              message: `defer ${text} reads ${recv} at the defer statement on line ${deferLine}; ${root.name} is reassigned on line ${wl}, so the deferred ${fun.sel.name} still acts on the old ${recv}, and the ${recv} of the ${root.name} assigned on line ${wl} ${fun.sel.name === 'Close' ? 'is never closed' : `gets no ${fun.sel.name}`}; defer a separate ${fun.sel.name} for the new value (or use a new variable)`,
              confidence: 'high',
              related: [{ node: w.node, message: `${root.name} reassigned here` }],
            });
            return;
          }
        }
        if (x.kind === 'Ident' && isReceiverVar(pass, file, x, d.call)) {
          const w = writeAfter({ pass, cfg, fn, d, v: x, keepNil: false, freshOnly: true });
          if (w && !returnedAfter(pass, fn, x, w.node)) {
            const wl = lineOf(file, w.node);
            pass.report({
              node: d,
              file,
              message: `defer ${text} uses the value ${x.name} has at the defer statement on line ${deferLine}; ${x.name} is reassigned on line ${wl}, so the deferred ${fun.sel.name} still acts on the old ${x.name} and the value assigned on line ${wl} ${fun.sel.name === 'Close' ? 'is never closed' : `gets no ${fun.sel.name}`}; defer a separate ${fun.sel.name} for the new value (or use a new variable)`,
              confidence: pass.types.objectOf(x) ? 'high' : 'medium',
              related: [{ node: w.node, message: `${x.name} reassigned here` }],
            });
            return;
          }
        }
      }
      checkArgs(pass, file, fn, fname, d, text, deferLine, cfg);
    });
  }
}

/** Whether the function returns the variable after `after` (`return resp, nil`), or it is a named result. */
function returnedAfter(pass: Pass, fn: FuncNode, v: ast.Ident, after: ast.Node): boolean {
  const o = pass.types.objectOf(v);
  if (!o || !fn.body) return false;
  if (o.kind === 'var' && o.varKind === 'result') return true;
  const at = nodeEnd(after);
  let found = false;
  walkSameFunc(fn.body, (x) => {
    if (found) return false;
    if (x.kind === 'ReturnStmt' && nodePos(x) >= at) {
      found = (x.results ?? []).some((r) => {
        const u = unparen(r);
        return u.kind === 'Ident' && pass.types.objectOf(u) === o;
      });
    }
    return !found;
  });
  return found;
}

/** Whether x in `x.M()` is a variable whose value (not its address) the deferred call captures. */
/**
 * The variable at the root of a field path (`resp` in `resp.Body`) when the root is a local
 * pointer variable and every step is a field: the path is read through the pointer at the defer
 * statement, so reassigning the root later does not change what the deferred call acts on.
 */
function fieldPathRoot(pass: Pass, e: ast.SelectorExpr): ast.Ident | undefined {
  let x: ast.Expr = e;
  while (x.kind === 'SelectorExpr') {
    let t = pass.types.typeOf(x.x);
    if (t?.kind === 'pointer') t = t.elem;
    const u = underlying(t);
    const name = x.sel.name;
    if (u?.kind !== 'struct' || !u.fields.some((f) => f.name === name)) return undefined;
    x = unparen(x.x);
  }
  if (x.kind !== 'Ident') return undefined;
  const o = pass.types.objectOf(x);
  if (!o || o.kind !== 'var' || (o.varKind !== 'local' && o.varKind !== 'param')) return undefined;
  return underlying(o.type)?.kind === 'pointer' ? x : undefined;
}

function isReceiverVar(pass: Pass, file: PassFile, x: ast.Ident, call: ast.CallExpr): boolean {
  const o = pass.types.objectOf(x);
  if (o) {
    if (o.kind !== 'var') return false;
    const u = underlying(o.type);
    if (!u) return false;
    // A pointer method on an addressable struct variable takes &x: later assignments to x are seen.
    if (u.kind === 'pointer' || u.kind === 'interface' || u.kind === 'signature' || u.kind === 'map' || u.kind === 'chan') return true;
    const c = pass.types.callee(call);
    return c?.kind === 'method' && c.recv?.pointer === false;
  }
  // Without types: not a package name.
  return callName(pass, file, call)?.recv !== undefined;
}

/** Names of calls that release what their arguments name: close, remove, cleanup, release... */
export const RELEASING_CALL = /^(?:close|Close|remove|Remove|release|Release|cleanup|Cleanup|free|Free|stop|Stop|cancel|Cancel|shutdown|Shutdown|unlock|Unlock|delete|Delete|drop|Drop|destroy|Destroy|teardown|Teardown|put|Put)/;

/**
 * A function (not a method: a method releases its receiver, and its arguments are options such as a
 * context) whose name says it releases what its arguments name: os.Remove(name), closeDB(db).
 */
function releasingCall(pass: Pass, file: PassFile, call: ast.CallExpr): boolean {
  if (unparen(call.fun).kind === 'FuncLit') return false;
  const n = callName(pass, file, call);
  if (!n || n.recv !== undefined) return false;
  const c = pass.types.callee(call);
  if (c && (c.kind === 'method' || c.kind === 'interface')) return false;
  return RELEASING_CALL.test(n.short);
}

/** Without types: whether the name is a parameter or declared in the function's body. */
function isLocal(fn: FuncNode, x: ast.Ident): boolean {
  for (const f of [...(fn.type.params.list ?? []), ...(fn.type.results?.list ?? [])]) if (f.names?.some((n) => n.name === x.name)) return true;
  let found = false;
  walkSameFunc(fn.body!, (n) => {
    if (found) return false;
    if (n.kind === 'AssignStmt' && n.tok === ':=' && n.lhs.some((l) => l.kind === 'Ident' && l.name === x.name)) found = true;
    if (n.kind === 'ValueSpec' && n.names.some((i) => i.name === x.name)) found = true;
    return !found;
  });
  return found;
}

/** (b) and (c) for arguments: an identifier argument written after the defer. */
/**
 * A message that says it reports the value from the start (`defer fmt.Println("started with", n)`,
 * `defer log.Printf("initial size %d", size)`): the early value is the point.
 */
function isContext(pass: Pass, x: ast.Expr): boolean {
  const t = pass.types.typeOf(x);
  return t?.kind === 'named' && t.pkg === 'context' && t.name === 'Context';
}

function saysSnapshot(call: ast.CallExpr): boolean {
  return (call.args ?? []).some((a) => {
    const x = unparen(a);
    return x.kind === 'BasicLit' && x.tokKind === 'STRING' && /\b(start(ed|ing)?|initial(ly)?|before|original(ly)?|old|prev(ious)?|was|were|began|begin(ning)?|entry|entering)\b/i.test(x.value);
  });
}

/**
 * A message that spells out the call of the function it is deferred in (`defer derrors.Wrap(&err,
 * "Getter.Info(%q, %q)", path, vers)` in Info): its parameters are shown as the caller passed
 * them, even when the function normalises one afterwards (`vers = resolved`).
 */
function describesOwnCall(fn: FuncNode, call: ast.CallExpr): boolean {
  if (fn.kind !== 'FuncDecl') return false;
  const name = fn.name.name;
  return (call.args ?? []).some((a) => {
    const x = unparen(a);
    return x.kind === 'BasicLit' && x.tokKind === 'STRING' && x.value.includes(`${name}(`) && new RegExp(`(^|[^A-Za-z0-9_])${name}\\(`).test(x.value);
  });
}

function deferredWithSameCall(pass: Pass, file: PassFile, fn: FuncNode, d: ast.DeferStmt, w: ast.AssignStmt, v: ast.Ident): boolean {
  const i = w.lhs.findIndex((l) => unparen(l).kind === 'Ident' && sameVar(pass, unparen(l) as ast.Ident, v));
  const src = i >= 0 && w.rhs.length === w.lhs.length ? unparen(w.rhs[i]!) : undefined;
  if (src?.kind !== 'Ident') return false;
  const name = callName(pass, file, d.call)?.name;
  let found = false;
  walkSameFunc(fn.body!, (x) => {
    if (found) return false;
    if (x.kind === 'DeferStmt' && x !== d && callName(pass, file, x.call)?.name === name) {
      found = (x.call.args ?? []).some((a) => unparen(a).kind === 'Ident' && sameVar(pass, unparen(a) as ast.Ident, src));
    }
    return !found;
  });
  return found;
}

/**
 * The deferred call undoes a call made just before it with the same argument, on the same receiver
 * (`m.locker.Lock(target); defer m.locker.Unlock(target)`, `reg.Acquire(id); defer reg.Release(id)`)
 * or to a function of the same package: the key handed to the first call is the one meant, even
 * when the variable is set again later (a named result, an id generated afterwards).
 */
function pairsWithCallBefore(pass: Pass, file: PassFile, fn: FuncNode, d: ast.DeferStmt, x: ast.Ident): boolean {
  const list = listHolding(fn.body!, d);
  const i = list.indexOf(d);
  const fun = unparen(d.call.fun);
  const owner = fun.kind === 'SelectorExpr' ? textOf(file, fun.x) : fun.kind === 'Ident' ? '' : undefined;
  if (owner === undefined) return false;
  for (let k = i - 1; k >= 0 && k >= i - 2; k--) {
    const s = list[k]!;
    const e = s.kind === 'ExprStmt' ? s.x : s.kind === 'AssignStmt' && s.rhs.length === 1 ? s.rhs[0]! : s.kind === 'IfStmt' && s.init?.kind === 'AssignStmt' && s.init.rhs.length === 1 ? s.init.rhs[0]! : undefined;
    const c = e && unparen(e);
    if (c?.kind !== 'CallExpr') continue;
    const f = unparen(c.fun);
    const o = f.kind === 'SelectorExpr' ? textOf(file, f.x) : f.kind === 'Ident' ? '' : undefined;
    if (o !== owner || (f.kind === 'Ident' && f.name === (fun as ast.Ident).name)) continue;
    if ((c.args ?? []).some((a) => unparen(a).kind === 'Ident' && sameVar(pass, unparen(a) as ast.Ident, x))) return true;
  }
  return false;
}

/**
 * A field of a local, parameter or receiver handed to the deferred call (`defer b.logf("drained
 * %d", b.count)`) that the function itself writes afterwards (`b.count++` in the loop that
 * follows) on a path to its end: the call reports the value of the defer statement. The first
 * such write, or undefined.
 */
function fieldWrittenAfter(pass: Pass, cfg: CFG | undefined, fn: FuncNode, d: ast.DeferStmt, arg: ast.SelectorExpr): ast.Node | undefined {
  if (!cfg || !fn.body) return undefined;
  let root: ast.Expr = arg;
  while (root.kind === 'SelectorExpr') root = unparen(root.x);
  if (root.kind !== 'Ident') return undefined;
  const o = pass.types.objectOf(root);
  if (!o || o.kind !== 'var' || (o.varKind !== 'local' && o.varKind !== 'param' && o.varKind !== 'recv')) return undefined;
  // Only fields of a struct (not a method value or a package's name).
  let t = pass.types.typeOf(arg.x);
  if (t?.kind === 'pointer') t = t.elem;
  const u = underlying(t);
  if (u?.kind !== 'struct' || !u.fields.some((f) => f.name === arg.sel.name)) return undefined;
  const writes: ast.Node[] = [];
  walkSameFunc(fn.body, (x) => {
    // A nil written later (`e.buffer = nil` once handed back): the deferred call has the value meant.
    if (x.kind === 'AssignStmt' && x.lhs.some((l, i) => sameExpr(l, arg) && !(x.lhs.length === x.rhs.length && isNil(pass, x.rhs[i])))) writes.push(x);
    else if (x.kind === 'IncDecStmt' && sameExpr(x.x, arg)) writes.push(x);
    // The root itself replaced: a different object's field, not this one changed.
    else if (x.kind === 'AssignStmt' && x.lhs.some((l) => unparen(l).kind === 'Ident' && sameVar(pass, unparen(l) as ast.Ident, root as ast.Ident))) writes.length = 0;
    return true;
  });
  for (const w of writes) {
    const ref = cfg.locate(w);
    if (!ref) continue;
    try {
      if (!cfg.pathExists(d, ref.node, (n) => n === d)) continue;
      if (nodePos(w) < nodePos(d) && cfg.canReach(ref.node, d)) continue;
      if (!cfg.pathExists(ref.node, 'exit', (n) => n === d)) continue;
      return w;
    } catch {
      continue;
    }
  }
  return undefined;
}

function checkArgs(pass: Pass, file: PassFile, fn: FuncNode, fname: string, d: ast.DeferStmt, text: string, deferLine: number, cfgIn?: CFG): void {
  const args = d.call.args ?? [];
  if (args.length === 0) return;
  const cfg = cfgIn ?? pass.cfg(fn);
  const releasing = releasingCall(pass, file, d.call);
  const seen = new Set<string>();
  for (const a of args) {
    const x = unparen(a);
    // A field the function goes on to change (`defer b.logf("drained %d", b.count)`, then
    // `b.count++`), handed to a named function or method that releases nothing.
    if (x.kind === 'SelectorExpr' && !releasing && unparen(d.call.fun).kind !== 'FuncLit' && !saysSnapshot(d.call) && !describesOwnCall(fn, d.call) && !isContext(pass, x) && isErrorTyped(pass, x) !== true) {
      const key = textOf(file, x);
      if (seen.has(key)) continue;
      seen.add(key);
      const w = fieldWrittenAfter(pass, cfg, fn, d, x);
      if (!w) continue;
      const wl = lineOf(file, w);
      pass.report({
        node: d,
        file,
        message: `defer ${text} receives ${key} as it is at the defer statement on line ${deferLine}; ${fname} changes ${key} on line ${wl}, so the deferred call reports the old value; if the value at exit is meant, defer a closure: ${closureOf(text)}`,
        confidence: 'medium' satisfies Confidence,
        related: [{ node: w, message: `${key} changed here` }],
      });
      continue;
    }
    if (x.kind !== 'Ident' || x.name === '_' || seen.has(x.name)) continue;
    seen.add(x.name);
    const o = pass.types.objectOf(x);
    if (o && o.kind !== 'var') continue;
    if (!o && (x.name === 'nil' || x.name === 'true' || x.name === 'false' || x.name === 'iota')) continue;
    const typed = isErrorTyped(pass, x);
    const isErr = typed === true || (typed === undefined && /^err$|Err$|^err[A-Z]/.test(x.name));
    // Other arguments: only what a releasing call takes (a file name to remove, a db to close), and
    // only locals: saving a package variable to restore it (defer func(old T) { v = old }(v)) and
    // passing a value to a literal's parameter are deliberate snapshots.
    if (!isErr && ((o && o.varKind === 'package') || (!o && !isLocal(fn, x)))) continue;
    // Any other value handed to a named function or method (`defer publish(id, status)`,
    // `defer log.Printf("n=%d", n)`) and changed afterwards: the call reports the value of the
    // defer statement. A function literal's parameter is the deliberate snapshot idiom.
    // A context handed over stays the one meant even when the variable is reused for later calls.
    if (!isErr && !releasing && (unparen(d.call.fun).kind === 'FuncLit' || saysSnapshot(d.call) || isContext(pass, x))) continue;
    // A parameter shown in a message that spells out the function's own call: the caller's value is meant.
    if (!isErr && !releasing && o?.varKind === 'param' && describesOwnCall(fn, d.call)) continue;
    // The key of the call the deferred one undoes (`l.Lock(id); defer l.Unlock(id)`): its value then is meant.
    if (!isErr && pairsWithCallBefore(pass, file, fn, d, x)) continue;
    // A nil written later (`return nil`) is no error the deferred call misses.
    // For other arguments, a value wrapped again (`r = r.WithContext(ctx)`) is still the same thing.
    const w = writeAfter({ pass, cfg, fn, d, v: x, keepNil: false, freshOnly: !isErr && releasing, skipDerived: !isErr && !releasing });
    if (!w) continue;
    // `data = decompressed` where decompressed has its own `defer pool.Put(decompressed)`: the new
    // value is taken care of by the same call.
    if (!isErr && w.node.kind === 'AssignStmt' && deferredWithSameCall(pass, file, fn, d, w.node, x)) continue;
    const wl = lineOf(file, w.node);
    const how = w.node.kind === 'ReturnStmt' ? `set again by the return statement on line ${wl}` : `assigned again on line ${wl}`;
    if (isErr) {
      pass.report({
        node: d,
        file,
        message: `defer ${text} receives ${x.name} as it is at the defer statement on line ${deferLine} (usually nil); ${x.name} is ${how}, so the deferred call never sees the error ${fname} ends with; defer a closure that reads it at exit: ${closureOf(text)}`,
        confidence: typed === true && o ? 'high' : 'medium',
        related: [{ node: w.node, message: `${x.name} ${w.node.kind === 'ReturnStmt' ? 'set' : 'assigned'} here` }],
        fixes: closureFix(file, d),
      });
    } else {
      pass.report({
        node: d,
        file,
        message: `defer ${text} receives ${x.name} as it is at the defer statement on line ${deferLine}; ${x.name} is ${how}, so the deferred call uses the old value; if the value at exit is meant, defer a closure: ${closureOf(text)}`,
        confidence: 'medium' satisfies Confidence,
        related: [{ node: w.node, message: `${x.name} ${w.node.kind === 'ReturnStmt' ? 'set' : 'assigned'} here` }],
      });
    }
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'high',
    summary: "A deferred call's arguments or receiver are evaluated at the defer statement, but the code wants their values at exit.",
    enabledByDefault: true,
    fixable: true,
    category: 'evaluation',
    docUrl: docUrl(ID),
  },
  needs: deferNeeds,
  run,
};
