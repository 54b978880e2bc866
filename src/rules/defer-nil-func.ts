// defer-nil-func: deferring a function value that can be nil. The defer statement evaluates the
// function value and stores it; a nil value does not fail there. It fails when the deferred calls
// run as the function returns: a run-time panic (nil pointer dereference) at exit, after the body
// has done its work and possibly while another panic is already unwinding.
import type * as ast from '../syntax/ast.js';
import { end as nodeEnd, forEachChild, inspect, pos as nodePos, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import type { Type } from '../types/api.js';
import type { Block, CFG } from '../types/cfg.js';
import { nodeContains, walkNode } from '../types/cfg.js';
import { endsFlow, innermostFuncBody, lockCall, lockStmt, bodyNeeds, callGraphOf, otherModuleFunc, enclosingFuncDecl, fieldStores, selectorFieldKey, declaringStructType, cfgOf, definingValue, funcName, isNilIdent, lineOf, sameExpr, sameVar, textOf, walkSameFunc, type FieldStore, type FuncNode } from './helpers.js';

const ID = 'defer-nil-func';

function under(t: Type | undefined): Type | undefined {
  return t?.kind === 'named' ? t.underlying() : t;
}

function isNil(pass: Pass, e: ast.Expr): boolean {
  const x = unparen(e);
  if (x.kind !== 'Ident' || x.name !== 'nil') return false;
  const o = pass.types.objectOf(x);
  return !o || o.kind === 'nil';
}

/** Whether cond, when true (`want` true) or false (`want` false), implies `subject != nil`. */
function impliesNonNil(pass: Pass, cond: ast.Expr, subject: ast.Expr, want: boolean, ok?: ast.Ident): boolean {
  const c = unparen(cond);
  if (c.kind === 'UnaryExpr' && c.op === '!') return impliesNonNil(pass, c.x, subject, !want, ok);
  // The comma-ok result of the lookup that gave the subject: `if ok`, `if !ok { return }`.
  if (ok && c.kind === 'Ident' && sameVar(pass, c, ok)) return want;
  if (c.kind === 'BinaryExpr') {
    if (c.op === '&&' && want) return impliesNonNil(pass, c.x, subject, true, ok) || impliesNonNil(pass, c.y, subject, true, ok);
    if (c.op === '||' && !want) return impliesNonNil(pass, c.x, subject, false, ok) || impliesNonNil(pass, c.y, subject, false, ok);
    if (c.op === '!=' || c.op === '==') {
      const other = isNil(pass, c.y) ? c.x : isNil(pass, c.x) ? c.y : undefined;
      if (!other || !sameExpr(other, subject)) return false;
      return c.op === '!=' ? want : !want;
    }
  }
  return false;
}

/** Whether a CFG entry assigns the subject (or a nested statement of it does), outside function literals. */
function assigns(n: ast.Node, isSubject: (e: ast.Expr) => boolean): boolean {
  let found = false;
  walkNode(n, (x) => {
    if (found) return false;
    if (x.kind === 'AssignStmt' && x.lhs.some((l) => isSubject(l))) found = true;
    else if (x.kind === 'ValueSpec' && x.names.some((l) => isSubject(l))) found = true;
    else if (x.kind === 'UnaryExpr' && x.op === '&' && isSubject(x.x)) found = true;
    else if (x.kind === 'Ident' && n === x && isSubject(x)) found = true; // a range key/value entry
    return !found;
  });
  return found;
}

/**
 * Whether the defer can be reached from `start` on a path where the subject stays nil: no entry on
 * it assigns the subject, no branch taken implies it is non-nil, and no loop it enters assigns it.
 */
function nilPathTo(pass: Pass, g: CFG, start: { block: Block; index: number }, d: ast.DeferStmt, subject: ast.Expr, isSubject: (e: ast.Expr) => boolean, zeroTrips = false, ok?: ast.Ident): boolean {
  const assigning = new Set<Block>();
  for (const b of g.blocks) if (b.nodes.some((n) => assigns(n, isSubject))) assigning.add(b);
  const loopAssigns = new Set<Block>();
  for (const info of g.loops.values()) {
    // With zeroTrips, a range may run no iteration at all: its assignment does not count (`for _, s
    // := range steps { undo = s.Apply() }` with no steps), unless the function tests the length of
    // what it ranges over (`if len(xs) == 0 { return }`).
    if (zeroTrips && info.stmt.kind === 'RangeStmt' && !lengthTested(g, info.stmt)) continue;
    for (const m of info.members) {
      if (assigning.has(m)) {
        loopAssigns.add(info.header);
        break;
      }
    }
  }
  const seen = new Set<Block>();
  const queue: { block: Block; index: number }[] = [start];
  while (queue.length > 0) {
    const { block, index } = queue.shift()!;
    let blocked = false;
    for (let i = index; i < block.nodes.length; i++) {
      const n = block.nodes[i]!;
      if (n === d) return true;
      if (assigns(n, isSubject)) {
        blocked = true;
        break;
      }
    }
    if (blocked) continue;
    const control = block.term === 'branch' ? block.control : null;
    const cond = control?.kind === 'IfStmt' ? control.cond : null;
    block.succs.forEach((s, k) => {
      if (cond && k <= 1 && impliesNonNil(pass, cond, subject, k === 0, ok)) return;
      if (loopAssigns.has(s) || seen.has(s)) return;
      seen.add(s);
      queue.push({ block: s, index: 0 });
    });
  }
  return false;
}

function isBlank(e: ast.Expr): boolean {
  const x = unparen(e);
  return x.kind === 'Ident' && x.name === '_';
}

/**
 * For a call of a same-package function whose only result is a func: a `return nil` in its own
 * body (not in a literal's), the path on which the caller gets a nil func.
 */
function nilReturnOf(pass: Pass, call: ast.CallExpr, index = 0): ast.ReturnStmt | undefined {
  let callee = callGraphOf(pass).calleeOf(call)?.decl;
  // A function or method of another package of the module, read from its source (`release, err :=
  // e.Leases.Acquire(key)` with Acquire in the module's lease package).
  if (!callee) {
    const c = pass.types.callee(call);
    if (c && otherModuleFunc(pass, c)) callee = pass.moduleFunc(c.pkg, c.short, c.recv?.name, 'nil');
  }
  if (!callee?.body) return undefined;
  // The result types, one per value (`(before, after func())` is two).
  const types: ast.Expr[] = [];
  for (const f of callee.type.results?.list ?? []) for (let k = 0; k < Math.max(1, f.names?.length ?? 0); k++) if (f.type) types.push(f.type);
  const rt = types[index];
  if (!rt || (under(pass.types.typeOf(rt))?.kind !== 'signature' && unparen(rt).kind !== 'FuncType')) return undefined;
  const named = (t: ast.Expr, name: string): boolean => {
    const tt = pass.types.typeOf(t);
    return (tt?.kind === 'named' && tt.name === name && !tt.pkg) || (tt?.kind === 'basic' && tt.name === name) || (unparen(t).kind === 'Ident' && (unparen(t) as ast.Ident).name === name);
  };
  // With an ok flag, the flag says whether the func is there.
  if (types.length > 1 && types.some((t) => named(t, 'bool'))) return undefined;
  // With an error, `return nil, err` is the failure its caller checks first; only a return that
  // gives a nil func with a nil error (`if m.Disabled { return nil, nil }`) hands the caller,
  // past its error check, nothing to call.
  const errorSlots = new Set(types.flatMap((t, k) => (named(t, 'error') ? [k] : [])));
  const nilLiteral = (e: ast.Expr) => unparen(e).kind === 'Ident' && (unparen(e) as ast.Ident).name === 'nil';
  let ret: ast.ReturnStmt | undefined;
  // A return right after a call that ends the process or panics (`klog.Exitf(...); return nil`)
  // is never taken.
  const dead = new Set<ast.Node>();
  walkSameFunc(callee.body, (x) => {
    const list = x.kind === 'BlockStmt' ? x.list : x.kind === 'CaseClause' || x.kind === 'CommClause' ? x.body : null;
    list?.forEach((st, k) => {
      const prev = k > 0 ? list[k - 1] : undefined;
      if (st.kind === 'ReturnStmt' && prev?.kind === 'ExprStmt' && unparen(prev.x).kind === 'CallExpr' && endsFlow(pass, unparen(prev.x) as ast.CallExpr)) dead.add(st);
    });
    return true;
  });
  walkSameFunc(callee.body, (x) => {
    if (ret) return false;
    if (x.kind !== 'ReturnStmt' || dead.has(x)) return x.kind !== 'ReturnStmt';
    const r = x.results?.length === types.length ? x.results[index] : undefined;
    // The other results of that return give no sign of a failure either (`return
    // r.before[name], r.after[name]`; not `return nil, nil, newHandlerError(...)`).
    const silent = (e: ast.Expr) => isNil(pass, e) || mapLookup(pass, e);
    if (r && silent(r) && x.results!.every((o, k) => k === index || (errorSlots.has(k) ? nilLiteral(o) : silent(o) || under(pass.types.typeOf(o))?.kind === 'signature'))) ret = x;
    return !ret;
  });
  return ret;
}

/** When a call's func result is nil: "the map lookup r.after[name] that r.hooksFor returns on line 37 misses", "startTrace takes its `return nil` on line 12". */
function whenNil(pass: Pass, file: PassFile, call: ast.CallExpr, ret: ast.ReturnStmt, value: ast.Expr): string {
  const callee = textOf(file, call.fun);
  const own = pass.fileOf(ret);
  // Read from another package's source: no line of ours to point at.
  if (!own) return `${callee} takes a \`return ${(ret.results ?? []).map((r) => (unparen(r).kind === 'Ident' ? (unparen(r) as ast.Ident).name : '...')).join(', ')}\` in its package`;
  const rf = own;
  return mapLookup(pass, value)
    ? `the map lookup ${textOf(rf, value)} that ${callee} returns on line ${lineOf(rf, ret)} misses`
    : `${callee} takes its \`return nil\` on line ${lineOf(rf, ret)}`;
}

/** Whether an expression is a single-value map lookup (`r.acks[topic]`): the zero value, nil for a func, when the key is missing. */
function mapLookup(pass: Pass, e: ast.Expr): boolean {
  const x = unparen(e);
  return x.kind === 'IndexExpr' && under(pass.types.typeOf(x.x))?.kind === 'map';
}

/** Whether a branch of the function tests `len(x)` of the range's operand (`if len(xs) == 0 { return }`). */
function lengthTested(g: CFG, r: ast.RangeStmt): boolean {
  let found = false;
  for (const b of g.blocks) {
    const c = b.term === 'branch' ? b.control : null;
    const cond = c?.kind === 'IfStmt' ? c.cond : c?.kind === 'ForStmt' ? c.cond : null;
    if (!cond || found) continue;
    walkNode(cond, (x) => {
      if (found) return false;
      if (x.kind === 'CallExpr' && unparen(x.fun).kind === 'Ident' && (unparen(x.fun) as ast.Ident).name === 'len' && x.args?.[0] && sameExpr(x.args[0], r.x)) found = true;
      return !found;
    });
  }
  return found;
}

interface Source {
  /** Where the nil value starts: after this CFG entry, or at the function entry. */
  after: ast.Node | null;
  /** The message part: "cleanup is nil on a path from its declaration on line 12 to this defer". */
  says: string;
  related: { node: ast.Node; message: string } | undefined;
  /** What to do instead. */
  fix: string;
  /** Lower than high when the nil path depends on what another function does with its arguments. */
  confidence?: 'medium';
  /** The comma-ok result of the lookup: branches on it tell whether the value is there. */
  ok?: ast.Ident;
}

function assignFix(v: ast.Ident): string {
  return `assign ${v.name} on every path (e.g. to a no-op func) or guard the defer with \`if ${v.name} != nil\``;
}

/** How a local func variable can hold nil at the defer, or undefined when it cannot (or we cannot tell). */
function nilSource(pass: Pass, file: PassFile, fn: FuncNode, v: ast.Ident, d: ast.DeferStmt): Source | undefined {
  const obj = pass.types.objectOf(v);
  if (obj && obj.kind !== 'var') return undefined;
  if (obj && obj.varKind !== 'local' && obj.varKind !== 'result') return undefined;
  if (obj?.type && under(obj.type)?.kind !== 'signature') return undefined;
  // Named results start as nil.
  for (const f of fn.type.results?.list ?? []) {
    for (const n of f.names ?? []) {
      if (n.name === v.name && (obj ? obj.decl === n : true)) {
        return { after: null, says: `${v.name} is nil on a path from the start of ${funcName(file, fn)} (a named result starts as nil) to this defer`, related: { node: n, message: `${v.name} declared here` }, fix: assignFix(v) };
      }
    }
  }
  // The declaration: `var v func()` / `var v func() = nil`, or `v := m[k]` (single-value map lookup).
  const decl = obj?.decl;
  let found: Source | undefined;
  walkSameFunc(fn.body!, (x) => {
    if (nodePos(x) >= nodePos(d)) return false;
    if (x.kind === 'DeclStmt' && x.decl.kind === 'GenDecl' && x.decl.tok === 'var') {
      for (const s of x.decl.specs ?? []) {
        if (s.kind !== 'ValueSpec') continue;
        const i = s.names.findIndex((n) => (decl ? n === decl : n.name === v.name));
        if (i < 0) continue;
        const val = s.values?.[i];
        // `var ctx, cancel = testContext(t)`: one call gives every name its value.
        const multi = !!s.values && s.values.length === 1 && s.names.length > 1;
        if ((val && !isNil(pass, val)) || multi) {
          found = undefined;
          continue;
        }
        if (!decl && !(s.type && unparen(s.type).kind === 'FuncType')) continue; // without types, only an explicit func type
        found = { after: x, says: `${v.name} is nil on a path from its declaration on line ${lineOf(file, x)} to this defer`, related: { node: s.names[i]!, message: `${v.name} declared without a value here` }, fix: assignFix(v) };
      }
    } else if (x.kind === 'AssignStmt' && x.tok === ':=' && decl) {
      const i = x.lhs.findIndex((l) => l === decl);
      if (i >= 0) {
        const val = x.lhs.length === x.rhs.length ? unparen(x.rhs[i]!) : undefined;
        // `f, _ := m[k]` / `f, _ := v.(func())`: the ok result thrown away; `f, ok := ...`: kept,
        // and the paths that test it are followed.
        const okId = i === 0 && x.lhs.length === 2 && x.rhs.length === 1 && unparen(x.lhs[1]!).kind === 'Ident' && !isBlank(x.lhs[1]!) ? (unparen(x.lhs[1]!) as ast.Ident) : undefined;
        const blankOk = i === 0 && x.lhs.length === 2 && x.rhs.length === 1 && (isBlank(x.lhs[1]!) || okId) ? unparen(x.rhs[0]!) : undefined;
        const lookup = val ?? (blankOk?.kind === 'IndexExpr' ? blankOk : undefined);
        if (lookup?.kind === 'IndexExpr' && under(pass.types.typeOf(lookup.x))?.kind === 'map') {
          const text = textOf(file, lookup);
          found = { after: x, says: `${v.name} is nil when the map lookup ${text} on line ${lineOf(file, x)} misses`, related: { node: lookup, message: `${v.name} from ${text}, nil when the key is missing` }, fix: `look it up with \`${v.name}, ok := ${text}\` and defer ${v.name}() only when ok`, ...(okId ? { ok: okId } : {}) };
        } else if (blankOk?.kind === 'TypeAssertExpr' && blankOk.type) {
          const text = textOf(file, blankOk);
          found = { after: x, says: `${v.name} is nil when the type assertion ${text} on line ${lineOf(file, x)} fails${okId ? '' : ' (its ok result is discarded)'}`, related: { node: blankOk, message: `${v.name} from ${text}, nil when the value is not a ${textOf(file, blankOk.type)}` }, fix: `defer ${v.name}() only when ${okId ? okId.name : 'the ok result'} is true`, ...(okId ? { ok: okId } : {}) };
        } else if ((val?.kind === 'CallExpr' && x.lhs.length === 1) || (x.lhs.length > 1 && x.rhs.length === 1 && unparen(x.rhs[0]!).kind === 'CallExpr')) {
          const call = (val ?? unparen(x.rhs[0]!)) as ast.CallExpr;
          const nilRet = nilReturnOf(pass, call, x.lhs.length > 1 ? i : 0);
          const retVal = nilRet?.results?.[x.lhs.length > 1 ? i : 0];
          found = nilRet && retVal
            ? {
                after: x,
                says: `${v.name} is nil when ${whenNil(pass, file, call, nilRet, retVal)}`,
                related: { node: nilRet, message: `${textOf(file, call.fun)} returns a nil func here` },
                fix: `make ${textOf(file, call.fun)} return a no-op func instead of nil, or guard the defer with \`if ${v.name} != nil\``,
                confidence: 'medium',
              }
            : undefined;
        } else found = undefined;
      }
    }
    return true;
  });
  return found;
}

/** Whether the variable's address is taken or a function literal assigns it (then any path may have set it). */
function escapes(pass: Pass, fn: FuncNode, v: ast.Ident): boolean {
  let out = false;
  const isV = (e: ast.Expr) => {
    const x = unparen(e);
    return x.kind === 'Ident' && sameVar(pass, x, v);
  };
  inspect(fn.body!, (x) => {
    if (out) return false;
    if (x.kind === 'UnaryExpr' && x.op === '&' && isV(x.x)) out = true;
    if (x.kind === 'FuncLit') {
      inspect(x.body, (y) => {
        if (y.kind === 'AssignStmt' && y.lhs.some(isV)) out = true;
        return !out;
      });
      return false;
    }
    return !out;
  });
  return out;
}

function checkLocal(pass: Pass, file: PassFile, fn: FuncNode, d: ast.DeferStmt, v: ast.Ident): void {
  const src = nilSource(pass, file, fn, v, d);
  if (!src || escapes(pass, fn, v)) return;
  const g = cfgOf(pass, fn);
  if (!g) return;
  let start: { block: Block; index: number };
  if (src.after) {
    const ref = g.locate(src.after);
    if (!ref) return;
    start = { block: ref.block, index: ref.index + 1 };
  } else start = { block: g.entry, index: 0 };
  const isSubject = (e: ast.Expr): boolean => {
    const x = unparen(e);
    return x.kind === 'Ident' && sameVar(pass, x, v);
  };
  let zeroTrip = false;
  if (!nilPathTo(pass, g, start, d, v, isSubject, false, src.ok)) {
    if (!nilPathTo(pass, g, start, d, v, isSubject, true, src.ok)) return;
    zeroTrip = true;
  }
  const typed = !!pass.types.objectOf(v);
  const says = zeroTrip ? `${src.says.replace(/ to this defer$/, '')} when a loop that assigns it runs no iteration` : src.says;
  pass.report({
    node: d,
    file,
    message: `${says}, and a nil func value deferred here panics with a nil pointer dereference when the deferred calls run as ${funcName(file, fn)} returns (the defer statement itself does not fail); ${src.fix}`,
    confidence: typed && !zeroTrip ? src.confidence ?? 'high' : 'medium',
    ...(src.related ? { related: [src.related] } : {}),
  });
}

/** `defer m[k]()` on a map of funcs, unguarded. */
function checkMapCall(pass: Pass, file: PassFile, fn: FuncNode, d: ast.DeferStmt, ix: ast.IndexExpr): void {
  if (under(pass.types.typeOf(ix.x))?.kind !== 'map') return;
  // A comma-ok lookup of the same key anywhere before in the function counts as a check.
  let okLookup = false;
  walkSameFunc(fn.body!, (x) => {
    if (okLookup || nodePos(x) >= nodePos(d)) return false;
    if (x.kind === 'AssignStmt' && x.lhs.length === 2 && x.rhs.length === 1 && sameExpr(x.rhs[0]!, ix)) okLookup = true;
    return !okLookup;
  });
  if (okLookup) return;
  const g = cfgOf(pass, fn);
  if (!g) return;
  const isSubject = (e: ast.Expr) => sameExpr(e, ix);
  if (!nilPathTo(pass, g, { block: g.entry, index: 0 }, d, ix, isSubject)) return;
  const call = textOf(file, d.call);
  const m = textOf(file, ix.x);
  const k = textOf(file, ix.index);
  pass.report({
    node: d,
    file,
    message: `the function in ${call} is nil when ${k} is not a key of ${m}, and a nil func value deferred here panics with a nil pointer dereference when the deferred calls run as ${funcName(file, fn)} returns; look it up with \`f, ok := ${textOf(file, ix)}\` and defer f() only when ok`,
  });
}

interface FieldOwner {
  /** The struct type declaring the field. */
  name: string;
  pkg: string;
}

/** The named struct type of this package that declares field `f` of a func type, reached from type t (through pointers and embedding). */
function fieldOwner(pass: Pass, t: Type | undefined, f: string, depth = 0): FieldOwner | undefined {
  if (!t || depth > 4) return undefined;
  if (t.kind === 'pointer') t = t.elem;
  if (t.kind !== 'named') return undefined;
  const u = t.underlying();
  if (u?.kind !== 'struct') return undefined;
  for (const fld of u.fields) {
    if (fld.name === f && !fld.embedded) {
      return under(fld.type)?.kind === 'signature' && t.pkg === pass.pkg.importPath ? { name: t.name, pkg: t.pkg } : undefined;
    }
  }
  for (const fld of u.fields) {
    if (!fld.embedded) continue;
    const o = fieldOwner(pass, fld.type, f, depth + 1);
    if (o) return o;
  }
  return undefined;
}

const fieldSetCache = new WeakMap<readonly PassFile[], Set<string>>();

/**
 * Fields that the package sets somewhere: assigned through a selector, named in a composite
 * literal, or with their address taken. Each as `pkg.Type.field` when the struct type is known,
 * else as `?field` (any type with that field name counts as set: erring towards "set").
 */
function fieldsSet(pass: Pass): Set<string> {
  let s = fieldSetCache.get(pass.files);
  if (s) return s;
  s = new Set<string>();
  const set = s;
  const addSel = (e: ast.SelectorExpr): void => {
    const owner = declaringStructType(pass.types.typeOf(e.x), e.sel.name);
    set.add(owner ? `${owner}.${e.sel.name}` : `?${e.sel.name}`);
  };
  for (const file of pass.files) {
    inspect(file.file, (x) => {
      if (x.kind === 'AssignStmt') {
        for (const l of x.lhs) {
          const e = unparen(l);
          if (e.kind === 'SelectorExpr') addSel(e);
        }
      } else if (x.kind === 'UnaryExpr' && x.op === '&') {
        const e = unparen(x.x);
        if (e.kind === 'SelectorExpr') addSel(e);
      } else if (x.kind === 'CompositeLit') {
        const t = pass.types.typeOf(x);
        const named = t?.kind === 'named' ? `${t.pkg}.${t.name}` : undefined;
        const u = under(t);
        for (const el of x.elts ?? []) {
          if (el.kind === 'KeyValueExpr') {
            if (el.key.kind === 'Ident') set.add(named && u?.kind === 'struct' ? `${named}.${el.key.name}` : `?${el.key.name}`);
          } else if (u?.kind === 'struct') {
            // Positional literal: every field of its type is set.
            for (const f of u.fields) set.add(named ? `${named}.${f.name}` : `?${f.name}`);
            break;
          } else if (!u) {
            set.add('*');
            break;
          }
        }
      }
      return true;
    });
  }
  fieldSetCache.set(pass.files, s);
  return s;
}

function exportedName(n: string): boolean {
  return /^\p{Lu}/u.test(n);
}

/**
 * `st := &stage{name: n}; defer st.onDone()`: a local built by a keyed composite literal that
 * leaves the func field out, and used before the defer only to read its other fields. The field
 * is nil when the defer statement evaluates it.
 */
function checkLiteralField(pass: Pass, file: PassFile, fn: FuncNode, d: ast.DeferStmt, sel: ast.SelectorExpr): boolean {
  const x = unparen(sel.x);
  if (x.kind !== 'Ident') return false;
  const o = pass.types.objectOf(x);
  if (!o || o.kind !== 'var' || o.varKind !== 'local' || !o.decl) return false;
  let v = definingValue(pass, x);
  if (v && unparen(v).kind === 'UnaryExpr' && (unparen(v) as ast.UnaryExpr).op === '&') v = (unparen(v) as ast.UnaryExpr).x;
  const lit = v ? unparen(v) : undefined;
  if (lit?.kind !== 'CompositeLit' || !lit.type) return false;
  const st = under(pass.types.typeOf(lit));
  const f = sel.sel.name;
  const field = st?.kind === 'struct' ? st.fields.find((fl) => fl.name === f && !fl.embedded) : undefined;
  if (!field || under(field.type)?.kind !== 'signature') return false;
  if ((lit.elts ?? []).some((e) => e.kind !== 'KeyValueExpr' || (e.key.kind === 'Ident' && e.key.name === f))) return false;
  // Every other use of the variable must be a read of another field (a method or a call taking
  // it could set the field; so could a function literal).
  const reads = new Set<ast.Node>([x, o.decl]);
  const fields = new Set(st!.kind === 'struct' ? st!.fields.filter((fl) => !fl.embedded).map((fl) => fl.name) : []);
  inspect(fn.body!, (y) => {
    if (y.kind === 'SelectorExpr' && y.sel.name !== f && fields.has(y.sel.name)) {
      const b = unparen(y.x);
      if (b.kind === 'Ident' && pass.types.objectOf(b) === o) reads.add(b);
    }
    return true;
  });
  let other = false;
  inspect(fn.body!, (y) => {
    if (other) return false;
    if (y.kind === 'Ident' && !reads.has(y) && pass.types.objectOf(y) === o) other = true;
    return !other;
  });
  if (other) return false;
  const def = pass.fileOf(lit) ?? file;
  pass.report({
    node: d,
    file,
    message: `${x.name} is built on line ${lineOf(def, lit)} by a composite literal that leaves its func field ${f} out, and nothing sets ${textOf(file, sel)} before this defer, so the deferred ${textOf(file, d.call)} calls a nil func and panics with a nil pointer dereference when ${funcName(file, fn)} returns; set ${f} in the literal or guard the defer with \`if ${textOf(file, sel)} != nil\``,
    related: [{ node: lit, message: `${x.name} built here without ${f}` }],
  });
  return true;
}

/**
 * `defer j.cleanup()` where j ranges over a local slice or array built by a composite literal of
 * keyed struct literals, one of which leaves the func field out (`jobs := []job{{name: "meta",
 * run: ..., cleanup: ...}, {name: "routes", run: ...}}`): for that element the field is nil. The
 * loop body must not assign the field.
 */
function checkRangedLiteralField(pass: Pass, file: PassFile, fn: FuncNode, d: ast.DeferStmt, sel: ast.SelectorExpr): boolean {
  const x = unparen(sel.x);
  if (x.kind !== 'Ident') return false;
  const o = pass.types.objectOf(x);
  if (!o || o.kind !== 'var' || !o.decl) return false;
  const declFile = pass.fileOf(o.decl);
  if (!declFile) return false;
  let loop: ast.RangeStmt | undefined;
  inspect(declFile.file, (y) => {
    if (loop) return false;
    if (nodePos(y) > nodePos(o.decl!) || nodeEnd(y) <= nodePos(o.decl!)) return false;
    if (y.kind === 'RangeStmt' && y.value && unparen(y.value) === o.decl) loop = y;
    return !loop;
  });
  const range = loop as ast.RangeStmt | undefined;
  if (!range) return false;
  const coll = unparen(range.x);
  if (coll.kind !== 'Ident') return false;
  const v = definingValue(pass, coll);
  const lit = v ? unparen(v) : undefined;
  if (lit?.kind !== 'CompositeLit') return false;
  const f = sel.sel.name;
  const et = pass.types.typeOf(x);
  const st = under(et?.kind === 'pointer' ? et.elem : et);
  const field = st?.kind === 'struct' ? st.fields.find((fl) => fl.name === f && !fl.embedded) : undefined;
  if (!field || under(field.type)?.kind !== 'signature') return false;
  let missing: ast.CompositeLit | undefined;
  for (const e of lit.elts ?? []) {
    let el = unparen(e.kind === 'KeyValueExpr' ? e.value : e);
    if (el.kind === 'UnaryExpr' && el.op === '&') el = unparen(el.x);
    if (el.kind !== 'CompositeLit') return false;
    const elts = el.elts ?? [];
    if (elts.length > 0 && elts.some((k) => k.kind !== 'KeyValueExpr')) return false;
    if (!missing && !elts.some((k) => k.kind === 'KeyValueExpr' && k.key.kind === 'Ident' && k.key.name === f)) missing = el;
  }
  if (!missing) return false;
  // The loop body sets the field, or hands the element to something that may.
  let set = false;
  inspect(range.body, (y) => {
    if (set) return false;
    if (y.kind === 'AssignStmt' && y.lhs.some((l) => unparen(l).kind === 'SelectorExpr' && (unparen(l) as ast.SelectorExpr).sel.name === f)) set = true;
    if (y.kind === 'UnaryExpr' && y.op === '&' && unparen(y.x).kind === 'Ident' && pass.types.objectOf(unparen(y.x) as ast.Ident) === o) set = true;
    return !set;
  });
  if (set) return false;
  const def = pass.fileOf(missing) ?? file;
  pass.report({
    node: d,
    file,
    message: `${x.name} ranges over ${coll.name}, whose element on line ${lineOf(def, missing)} leaves its func field ${f} out, so for that element the deferred ${textOf(file, d.call)} calls a nil func and panics with a nil pointer dereference when ${funcName(file, fn)} returns; give every element a ${f} or guard the defer with \`if ${textOf(file, sel)} != nil\``,
    related: [{ node: missing, message: `element without ${f}` }],
  });
  return true;
}

const nilTestCache = new WeakMap<readonly PassFile[], Map<string, ast.Node>>();

/** `x == nil` / `x != nil`: the operand compared with nil, if one side is nil. */
/**
 * The test guarding the field's stores, when each one copies a value under an `if` that checks
 * that same value against nil (`if cfg.OnDrained != nil { s.onDrained = cfg.OnDrained }`), with no
 * else that stores it too.
 */
function storedOnlyIfNonNil(pass: Pass, key: string): ast.IfStmt | undefined {
  const fs = fieldStores(pass);
  const stores = fs.stores.get(key) ?? [];
  if (stores.length === 0 || fs.addressed.has(key)) return undefined;
  let first: ast.IfStmt | undefined;
  for (const st of stores) {
    if (st.literal || !st.value) return undefined;
    const body = innermostFuncBody(st.file, st.value);
    if (!body) return undefined;
    let guard: ast.IfStmt | undefined;
    walkSameFunc(body, (x) => {
      if (guard) return false;
      if (x.kind === 'IfStmt' && !x.else && nodePos(x.body) <= nodePos(st.value!) && nodePos(st.value!) < nodeEnd(x.body)) {
        const v = nilCompared(pass, unparen(x.cond));
        if (v && (unparen(x.cond) as ast.BinaryExpr).op === '!=' && sameExpr(v, st.value!)) guard = x;
      }
      return true;
    });
    if (!guard) return undefined;
    first ??= guard;
  }
  return first;
}

function nilCompared(pass: Pass, e: ast.Node): ast.Expr | undefined {
  if (e.kind !== 'BinaryExpr' || (e.op !== '==' && e.op !== '!=')) return undefined;
  const [a, b] = [unparen(e.x), unparen(e.y)];
  return isNilIdent(pass, b) ? a : isNilIdent(pass, a) ? b : undefined;
}

/**
 * The func fields the package compares with nil somewhere (`if c.onEvict != nil`, or through a
 * local copy: `cb := c.onEvict; if cb != nil`), by declaring struct type and name, each with the
 * first comparison found.
 */
function nilTestedFields(pass: Pass): Map<string, ast.Node> {
  let m = nilTestCache.get(pass.files);
  if (m) return m;
  const out = new Map<string, ast.Node>();
  const copies = new Map<unknown, string>();
  const keyOf = (e: ast.SelectorExpr): string | undefined => {
    const o = declaringStructType(pass.types.typeOf(e.x), e.sel.name);
    return o ? `${o}.${e.sel.name}` : undefined;
  };
  for (const file of pass.files) {
    inspect(file.file, (x) => {
      if (x.kind === 'AssignStmt' && x.tok === ':=' && x.lhs.length === 1 && x.rhs.length === 1 && x.lhs[0]!.kind === 'Ident') {
        const r = unparen(x.rhs[0]!);
        const k = r.kind === 'SelectorExpr' ? keyOf(r) : undefined;
        const o = pass.types.objectOf(x.lhs[0] as ast.Ident);
        if (k && o) copies.set(o, k);
      }
      return true;
    });
  }
  // `if opts.Logf == nil { opts.Logf = noop }`: a default filled in, after which it is not nil.
  const defaults = new Set<ast.Node>();
  for (const file of pass.files) {
    inspect(file.file, (x) => {
      if (x.kind === 'IfStmt' && x.cond.kind === 'BinaryExpr' && x.cond.op === '==') {
        const v = nilCompared(pass, x.cond);
        const name = v?.kind === 'SelectorExpr' ? v.sel.name : v?.kind === 'Ident' ? v.name : undefined;
        if (!name) return true;
        walkSameFunc(x.body, (y) => {
          if (y.kind === 'AssignStmt' && y.lhs.some((l) => {
            const u = unparen(l);
            return (u.kind === 'SelectorExpr' && u.sel.name === name) || (u.kind === 'Ident' && u.name === name);
          })) defaults.add(x.cond);
          return true;
        });
      }
      return true;
    });
  }
  // Functions of the package that test a func parameter against nil (`func callHook(h func(net.Addr),
  // a net.Addr) { if h == nil { return }; h(a) }`): handing them a field (`callHook(px.OnConnect,
  // addr)`) tests that field.
  const testedParams = new Map<ast.FuncDecl, number[]>();
  for (const file of pass.files) {
    for (const d of file.file.decls ?? []) {
      if (d.kind !== 'FuncDecl' || !d.body) continue;
      const params: unknown[] = [];
      for (const f of d.type.params.list ?? []) for (const n of f.names?.length ? f.names : [null]) params.push(n ? pass.types.objectOf(n) : undefined);
      if (!params.some((o) => o)) continue;
      const idx = new Set<number>();
      inspect(d.body, (x) => {
        const v = defaults.has(x) ? undefined : nilCompared(pass, x);
        if (v?.kind === 'Ident') {
          const i = params.indexOf(pass.types.objectOf(v));
          if (i >= 0) idx.add(i);
        }
        return true;
      });
      if (idx.size > 0) testedParams.set(d, [...idx]);
    }
  }
  for (const file of pass.files) {
    inspect(file.file, (x) => {
      if (x.kind === 'CallExpr' && testedParams.size > 0) {
        const d = pass.types.callee(x)?.decl;
        for (const i of (d && testedParams.get(d)) ?? []) {
          const a = x.args?.[i] ? unparen(x.args[i]!) : undefined;
          const k = a?.kind === 'SelectorExpr' ? keyOf(a) : undefined;
          if (k && !out.has(k)) out.set(k, x);
        }
      }
      const v = defaults.has(x) ? undefined : nilCompared(pass, x);
      if (!v) return true;
      const k = v.kind === 'SelectorExpr' ? keyOf(v) : v.kind === 'Ident' ? copies.get(pass.types.objectOf(v) ?? v) : undefined;
      if (k && !out.has(k)) out.set(k, x);
      return true;
    });
  }
  nilTestCache.set(pass.files, (m = out));
  return m;
}

const nilStoresCache = new WeakMap<readonly PassFile[], Map<string, boolean>>();
const nilStoresSeen = new WeakMap<readonly PassFile[], Set<string>>();

/** Whether some store into the field may put nil there (see checkNilTestedField); true when none is seen. */
function mayStoreNil(pass: Pass, key: string): boolean {
  let m = nilStoresCache.get(pass.files);
  if (!m) {
    const out = new Map<string, boolean>();
    const nilable = (v: ast.Expr): boolean => {
      const u = unparen(v);
      if (u.kind === 'FuncLit') return false;
      if (u.kind === 'Ident') {
        if (u.name === 'nil') return true;
        const o = pass.types.objectOf(u);
        if (!o) return true;
        if (o.kind === 'func') return false;
        // A parameter, or a local that holds one, may be nil; a local from a call
        // (`ctx, cancel := context.WithCancel(ctx)`) is not judged nil.
        if (o.varKind === 'param') return true;
        const def = definingValue(pass, u);
        return !def || (unparen(def).kind === 'Ident' && nilable(def));
      }
      // `opts.OnDone`, `cfg.hook`: copied from another field, which may be unset.
      if (u.kind === 'SelectorExpr') return declaringStructType(pass.types.typeOf(u.x), u.sel.name) !== undefined || pass.types.typeOf(u.x) === undefined;
      return false;
    };
    // Evidence that the field is optional: a keyed literal given a value that may be nil (`&cache{
    // onEvict: onEvict}` with a parameter), or a constructor of the struct (a function that
    // builds it with a literal) that stores such a value or stores only under a condition (`if
    // cfg.Metrics { s.flush = flushMetrics }`), or a functional option (a literal taking the
    // struct, `func(c *LRU) { c.onEvict = fn }`: applied or not). Stores in other methods (a
    // setter, Prepare) are the struct's life cycle, not its options.
    const add = (k: string | undefined, optional: boolean): void => {
      if (!k) return;
      out.set(k, (out.get(k) ?? false) || optional);
    };
    const keyOf = (u: ast.SelectorExpr): string | undefined => {
      const o = declaringStructType(pass.types.typeOf(u.x), u.sel.name);
      return o ? `${o}.${u.sel.name}` : undefined;
    };
    const seen = new Set<string>();
    // The struct types a function literal takes as a parameter (`func(c *LRU[K, V]) { c.onEvict =
    // fn }`, a functional option): a store there happens only if the option is applied.
    const optionOf = (lit: ast.FuncLit): Set<string> => {
      const out = new Set<string>();
      for (const f of lit.type.params?.list ?? []) {
        for (const n of f.names ?? []) {
          let t = pass.types.objectOf(n)?.type;
          if (t?.kind === 'pointer') t = t.elem;
          if (t?.kind === 'named') out.add(`${t.pkg}.${t.name}`);
        }
      }
      return out;
    };
    const visit = (x: ast.Node, conditional: boolean, builds: ReadonlySet<string>, options: ReadonlySet<string> = new Set()): void => {
      if (x.kind === 'AssignStmt') {
        x.lhs.forEach((l, i) => {
          const u = unparen(l);
          if (u.kind !== 'SelectorExpr') return;
          const k = keyOf(u);
          if (!k) return;
          seen.add(k);
          const v = x.rhs.length === x.lhs.length ? x.rhs[i] : undefined;
          const owner = k.slice(0, k.lastIndexOf('.'));
          if (builds.has(owner)) add(k, conditional || !v || nilable(v));
          else if (options.has(owner)) add(k, true);
        });
      } else if (x.kind === 'CompositeLit') {
        const t = pass.types.typeOf(x);
        const named = t?.kind === 'named' ? `${t.pkg}.${t.name}` : undefined;
        if (named) {
          for (const el of x.elts ?? []) {
            if (el.kind !== 'KeyValueExpr' || el.key.kind !== 'Ident') continue;
            seen.add(`${named}.${el.key.name}`);
            add(`${named}.${el.key.name}`, nilable(el.value));
          }
        }
      }
      const nested = conditional || x.kind === 'IfStmt' || x.kind === 'CaseClause' || x.kind === 'CommClause';
      forEachChild(x, (c) => {
        if (c.kind === 'FuncDecl') visit(c, false, built(c), fluentOf(c));
        else if (c.kind === 'FuncLit') visit(c, false, builds, optionOf(c));
        else visit(c, nested, builds, options);
      });
    };
    // A fluent setter (`func (s *Syncer) WithAfterSync(fn func()) *Syncer { s.afterSync = fn;
    // return s }`) is an option too: the field is set only if its user calls it.
    const fluentOf = (fd: ast.FuncDecl): Set<string> => {
      const out = new Set<string>();
      const recv = fd.recv?.list?.[0];
      const res = fd.type.results?.list ?? [];
      if (!recv?.type || res.length !== 1 || (res[0]!.names?.length ?? 0) > 1) return out;
      const rt = pass.types.typeOf(recv.type);
      const named = rt?.kind === 'pointer' ? rt.elem : rt;
      const resT = res[0]!.type ? pass.types.typeOf(res[0]!.type) : undefined;
      const same = (a: typeof rt, b: typeof rt) => !!a && !!b && (a === b || (a.kind === 'pointer' && b.kind === 'pointer' && a.elem === b.elem));
      if (named?.kind === 'named' && same(rt, resT)) out.add(`${named.pkg}.${named.name}`);
      return out;
    };
    // The named struct types a function builds with a composite literal.
    const built = (fd: ast.FuncDecl): Set<string> => {
      const out = new Set<string>();
      if (fd.body) {
        inspect(fd.body, (y) => {
          if (y.kind === 'CompositeLit') {
            const t = pass.types.typeOf(y);
            if (t?.kind === 'named') out.add(`${t.pkg}.${t.name}`);
          }
          return true;
        });
      }
      return out;
    };
    for (const file of pass.files) visit(file.file, false, new Set());
    // A field no function of the package stores into is set by its users (an exported hook).
    for (const k of [...out.keys()]) if (!seen.has(k)) out.delete(k);
    nilStoresSeen.set(pass.files, seen);
    nilStoresCache.set(pass.files, (m = out));
  }
  // Never stored here: its users set it (an exported hook), so it may be nil.
  if (!nilStoresSeen.get(pass.files)?.has(key)) return true;
  return m.get(key) ?? false;
}

/**
 * Whether the deferred field's owner is a local variable set from a call of a function of this
 * package that assigns that field (`h := c.Hooks.withDefaults()`, where withDefaults does `if
 * h.Release == nil { h.Release = func() {} }; return h`): a defaulting step.
 */
function defaultedBy(pass: Pass, sel: ast.SelectorExpr): boolean {
  const owner = unparen(sel.x);
  if (owner.kind !== 'Ident') return false;
  const o = pass.types.objectOf(owner);
  if (!o || o.kind !== 'var' || o.varKind !== 'local') return false;
  const v = definingValue(pass, owner);
  const call = v ? unparen(v) : undefined;
  if (call?.kind !== 'CallExpr') return false;
  const decl = pass.types.callee(call)?.decl;
  if (!decl?.body) return false;
  let sets = false;
  walkSameFunc(decl.body, (x) => {
    if (sets) return false;
    if (x.kind === 'AssignStmt' && x.lhs.some((l) => {
      const u = unparen(l);
      return u.kind === 'SelectorExpr' && u.sel.name === sel.sel.name;
    }) && x.rhs.every((r) => !isNil(pass, r))) sets = true;
    return !sets;
  });
  return sets;
}

/**
 * `defer c.onEvict(k, v)` where the package itself tests c.onEvict against nil elsewhere: by its
 * own account the field can be nil (an optional hook), and this defer does not check it.
 */
function checkNilTestedField(pass: Pass, file: PassFile, fn: FuncNode, d: ast.DeferStmt, sel: ast.SelectorExpr, owner: FieldOwner): void {
  const key = `${owner.pkg}.${owner.name}.${sel.sel.name}`;
  const tested = nilTestedFields(pass).get(key);
  // Or the field's own comment says it may be left unset (`// OnLost, if set by the embedding
  // program, is called when ...`), for a field of this package.
  const documented = tested ? undefined : owner.pkg === pass.pkg.importPath ? optionalByDoc(pass, owner.name, sel.sel.name) : undefined;
  // Or the package stores into the field only in a plain setter (`func (s *Scheduler)
  // OnHandover(fn func()) { s.afterHandover = fn }`): nil until someone calls it.
  const setter = tested || documented || owner.pkg !== pass.pkg.importPath || exportedName(sel.sel.name) ? undefined : setterOnly(pass, key);
  // Or the field is set only in composite literals, and a constructor returns a literal that
  // leaves it out (`NewPooled` sets closeFn, `NewDirect` does not).
  const omits = documented || setter || owner.pkg !== pass.pkg.importPath || exportedName(sel.sel.name) ? undefined : constructorOmitting(pass, owner, sel.sel.name);
  // Or a sibling hook of the same struct is tested against nil (`if p.OnChange != nil {
  // p.OnChange(r) }`) while this one, which nothing in the package stores either, is not: the
  // hooks are optional together.
  const sibling = tested || documented || setter || omits ? undefined : siblingHookTested(pass, owner, sel.sel.name);
  // Or every store copies a value only when it is not nil (`if cfg.OnDrained != nil {
  // s.onDrained = cfg.OnDrained }`): left nil otherwise, on purpose.
  const copied = tested || documented || setter || omits || sibling || owner.pkg !== pass.pkg.importPath ? undefined : storedOnlyIfNonNil(pass, key);
  const test = tested ?? documented ?? setter ?? omits?.lit ?? sibling?.test ?? copied;
  if (!test) return;
  // Only a field that can be given nil: stored from a parameter (an optional hook passed in) or
  // nil itself, or never stored here (an exported field its users set). A field the package only
  // ever fills with literals, functions or cancel funcs is nil merely before it is initialised,
  // which is what its nil test is about (badger's `sw.done` before Prepare).
  // A setter stores whatever its caller passes, nil included.
  // A field the package tests against nil and stores only in a plain setter counts too.
  if (!setter && !omits && !mayStoreNil(pass, key) && !(tested && owner.pkg === pass.pkg.importPath && !exportedName(sel.sel.name) && setterOnly(pass, key))) return;
  // The value comes from a package function that fills the field in (`h := c.Hooks.withDefaults()`
  // with `if h.Release == nil { h.Release = func() {} }` in withDefaults): defaulted on the way.
  if (defaultedBy(pass, sel)) return;
  // Any test of the field in this function (a guard around the defer, an early return, a
  // default assigned when it is nil) counts as handling it here.
  let handled = false;
  walkSameFunc(fn.body!, (x) => {
    if (handled) return false;
    // Set in this function before the defer (`g.evalCancel = cancel; defer g.evalCancel()`).
    if (x.kind === 'AssignStmt' && nodePos(x) < nodePos(d) && x.lhs.some((l) => {
      const u = unparen(l);
      return u.kind === 'SelectorExpr' && u.sel.name === sel.sel.name;
    })) {
      handled = true;
      return false;
    }

    const v = nilCompared(pass, x);
    if (v?.kind === 'SelectorExpr' && v.sel.name === sel.sel.name) handled = true;
    else if (v?.kind === 'Ident') {
      const def = definingValue(pass, v);
      if (def && unparen(def).kind === 'SelectorExpr' && (unparen(def) as ast.SelectorExpr).sel.name === sel.sel.name) handled = true;
    }
    return !handled;
  });
  if (handled) return;
  // A literal built after the enclosing function tested the field (`if cfg.Observe == nil {
  // return act }; return func(...) { defer cfg.Observe(...) }`): the closure only exists when
  // the hook is set.
  if (fn.kind === 'FuncLit') {
    const outer = enclosingFuncDecl(file, fn);
    if (outer?.body) {
      walkSameFunc(outer.body, (x) => {
        if (handled || nodePos(x) >= nodePos(fn)) return false;
        const v = nilCompared(pass, x);
        if (v?.kind === 'SelectorExpr' && v.sel.name === sel.sel.name && textOf(file, v) === textOf(file, sel)) handled = true;
        return !handled;
      });
      if (handled) return;
    }
  }
  // A defer under a condition (`if pconn.isClientConn { defer pconn.internalStateHook() }`): the
  // condition may be what guarantees the hook (net/http: "always set for conns created by
  // NewClientConn").
  let conditional = false;
  walkSameFunc(fn.body!, (x) => {
    if (conditional) return false;
    if ((x.kind === 'IfStmt' || x.kind === 'CaseClause' || x.kind === 'CommClause') && nodePos(x) < nodePos(d) && nodeEnd(x) > nodePos(d)) conditional = true;
    return !conditional;
  });
  if (conditional) return;
  const tf = pass.fileOf(test) ?? file;
  if (setter) {
    const name = setter.name.name;
    pass.report({
      node: d,
      file,
      confidence: 'medium',
      message: `${owner.name}.${sel.sel.name} is set only by ${owner.name}.${name} (line ${lineOf(tf, setter)}${tf !== file ? ` of ${tf.path}` : ''}), so it is nil until someone calls that, but ${funcName(file, fn)} defers ${textOf(file, d.call)} without a check: when it is nil the deferred call panics with a nil pointer dereference as ${funcName(file, fn)} returns; guard the defer with \`if ${textOf(file, sel)} != nil\` or give the field a no-op default where ${owner.name} is built`,
    });
    return;
  }
  if (omits) {
    const name = omits.decl.name.name;
    pass.report({
      node: d,
      file,
      confidence: 'medium',
      message: `${owner.name}.${sel.sel.name} is set only in composite literals, and ${name} (line ${lineOf(tf, omits.lit)}${tf !== file ? ` of ${tf.path}` : ''}) returns a ${owner.name} whose literal leaves ${sel.sel.name} out, so for a ${owner.name} made by ${name} the deferred ${textOf(file, d.call)} calls a nil func and panics with a nil pointer dereference as ${funcName(file, fn)} returns; give ${sel.sel.name} a no-op value in ${name} or guard the defer with \`if ${textOf(file, sel)} != nil\``,
    });
    return;
  }
  if (sibling) {
    pass.report({
      node: d,
      file,
      confidence: 'medium',
      message: `${owner.name}.${sel.sel.name} is a hook nothing in package ${pass.pkg.name} sets, like ${owner.name}.${sibling.field}, which the package tests against nil before calling it (line ${lineOf(tf, test)}${tf !== file ? ` of ${tf.path}` : ''}), but ${funcName(file, fn)} defers ${textOf(file, d.call)} without a check: when it is left unset the deferred call panics with a nil pointer dereference as ${funcName(file, fn)} returns; guard the defer with \`if ${textOf(file, sel)} != nil\``,
    });
    return;
  }
  if (copied) {
    pass.report({
      node: d,
      file,
      confidence: 'medium',
      message: `${owner.name}.${sel.sel.name} is set only when the value copied into it is not nil (\`if ${textOf(tf, copied.cond)}\` on line ${lineOf(tf, copied)}${tf !== file ? ` of ${tf.path}` : ''}), so it stays nil otherwise, but ${funcName(file, fn)} defers ${textOf(file, d.call)} without a check: when it is nil the deferred call panics with a nil pointer dereference as ${funcName(file, fn)} returns; guard the defer with \`if ${textOf(file, sel)} != nil\` or give the field a no-op default where ${owner.name} is built`,
    });
    return;
  }
  if (documented) {
    pass.report({
      node: d,
      file,
      confidence: 'medium',
      message: `${test.kind === 'TypeSpec' ? `the comment on type ${owner.name} (line ${lineOf(tf, test)}${tf !== file ? ` of ${tf.path}` : ''}) says its func fields, ${sel.sel.name} among them, may be left unset` : `the comment on ${owner.name}.${sel.sel.name} (line ${lineOf(tf, test)}${tf !== file ? ` of ${tf.path}` : ''}) says it may be left unset`}, and ${storedOnlyByOptions(pass, key) ? 'only a functional option sets it' : storedOnlyBySetters(pass, key) ? 'only a setter its users may never call sets it' : `nothing in package ${pass.pkg.name} sets it`}, but ${funcName(file, fn)} defers ${textOf(file, d.call)} without a check: when it is nil the deferred call panics with a nil pointer dereference as ${funcName(file, fn)} returns; guard the defer with \`if ${textOf(file, sel)} != nil\``,
    });
    return;
  }
  pass.report({
    node: d,
    file,
    confidence: 'medium',
    message: `the package tests ${owner.name}.${sel.sel.name} against nil (line ${lineOf(tf, test)}${tf !== file ? ` of ${tf.path}` : ''}), so it can be nil, but ${funcName(file, fn)} defers ${textOf(file, d.call)} without a check: when it is nil the deferred call panics with a nil pointer dereference as ${funcName(file, fn)} returns; guard the defer with \`if ${textOf(file, sel)} != nil\``,
  });
}

/**
 * A constructor of the package (a function, outside tests, that returns a keyed composite literal
 * of the owner type, `return &Session{conn: c, log: l}`) whose literal leaves a func field out,
 * when every store into that field is a keyed literal element (no assignment, no address taken):
 * a value it makes keeps the field nil for good.
 */
function constructorOmitting(pass: Pass, owner: FieldOwner, field: string): { decl: ast.FuncDecl; lit: ast.CompositeLit } | undefined {
  const key = `${owner.pkg}.${owner.name}.${field}`;
  const fs = fieldStores(pass);
  const stores = fs.stores.get(key);
  if (!stores?.length || fs.addressed.has(key) || stores.some((st) => !st.literal || !st.value || isNil(pass, st.value))) return undefined;
  for (const file of pass.files) {
    if (file.test) continue;
    for (const decl of file.file.decls ?? []) {
      if (decl.kind !== 'FuncDecl' || !decl.body) continue;
      let found: ast.CompositeLit | undefined;
      walkSameFunc(decl.body, (x) => {
        if (found) return false;
        if (x.kind !== 'ReturnStmt') return true;
        for (const r of x.results ?? []) {
          let e = unparen(r);
          if (e.kind === 'UnaryExpr' && e.op === '&') e = unparen(e.x);
          if (e.kind !== 'CompositeLit' || !e.elts?.length || !e.elts.every((el) => el.kind === 'KeyValueExpr')) continue;
          const t = pass.types.typeOf(e);
          if (t?.kind !== 'named' || t.pkg !== owner.pkg || t.name !== owner.name) continue;
          if (!e.elts.some((el) => el.kind === 'KeyValueExpr' && unparen(el.key).kind === 'Ident' && (unparen(el.key) as ast.Ident).name === field)) found = e;
        }
        return false;
      });
      if (found) return { decl, lit: found };
    }
  }
  return undefined;
}

/**
 * The hook registration method that is the package's only store into a field (`func (s *T)
 * OnX(fn func()) { s.x = fn }`: a method named `On...` or `Register...`, or `Set...` for a field
 * named as a hook, whose one statement assigns a parameter to the receiver's field), when there
 * is such a method and no other store (assignment, keyed composite literal, address).
 */
function setterOnly(pass: Pass, key: string): ast.FuncDecl | undefined {
  const fs = fieldStores(pass);
  const stores = fs.stores.get(key);
  const only = stores?.length === 1 ? stores[0]! : undefined;
  if (fs.addressed.has(key) || !only) return undefined;
  const set = plainSetter(pass, only, false);
  if (!set) return undefined;
  // A hook registration (`OnStop`, `RegisterCleanup`), or a `Set...` setter of a field named as a
  // hook (`SetOnExit` storing `onExit`, `SetAfterStart` storing `afterStart`), which its users may
  // never call; a `setX` that the package's own set-up calls fills in what is needed later.
  const name = set.decl.name.name;
  if (!/^(?:[oO]n|[rR]egister)(?:[A-Z_]|$)/.test(name) && !(HOOK_NAME.test(set.field) && /^[sS]et[A-Z]/.test(name))) return undefined;
  return set.decl;
}

/**
 * The method a store into a field belongs to when it is a plain setter: a method whose one
 * statement (besides a lock taken and released around it) assigns its parameter to the field on
 * its receiver (`func (s *Scheduler) OnHandover(fn func()) { s.afterHandover = fn }`), perhaps
 * followed, with `chaining`, by `return` of the receiver (`func (c *Clock) WithOnClose(fn
 * func(Result)) *Clock { c.onClose = fn; return c }`). With the field's name.
 */
function plainSetter(pass: Pass, st: FieldStore, chaining: boolean): { decl: ast.FuncDecl; field: string } | undefined {
  if (st.literal || !st.value) return undefined;
  const fd = enclosingFuncDecl(st.file, st.value);
  const recv = fd?.recv?.list?.[0]?.names?.[0]?.name;
  if (!fd || !recv) return undefined;
  const isLocking = (x: ast.Stmt): boolean => !!(x.kind === 'DeferStmt' ? lockCall(pass, x.call) : lockStmt(pass, x));
  const rest = (fd.body?.list ?? []).filter((x) => !isLocking(x));
  const last = rest[rest.length - 1];
  const rv = chaining && rest.length === 2 && last?.kind === 'ReturnStmt' && last.results?.length === 1 ? unparen(last.results[0]!) : undefined;
  if (rest.length !== 1 && !(rv?.kind === 'Ident' && rv.name === recv)) return undefined;
  const a = rest[0]!;
  if (a.kind !== 'AssignStmt' || a.lhs.length !== 1 || a.rhs.length !== 1 || unparen(a.rhs[0]!) !== unparen(st.value)) return undefined;
  const l = unparen(a.lhs[0]!);
  const r = unparen(st.value);
  if (l.kind !== 'SelectorExpr' || unparen(l.x).kind !== 'Ident' || (unparen(l.x) as ast.Ident).name !== recv) return undefined;
  if (r.kind !== 'Ident' || !(fd.type.params.list ?? []).some((f) => (f.names ?? []).some((n) => n.name === r.name))) return undefined;
  return { decl: fd, field: l.sel.name };
}

/**
 * Whether every store into the field is made by a functional option, a literal returned by a
 * function of the package (`func WithCloseHook(fn func()) Option { return func(s *Stage) {
 * s.onClose = fn } }`): set only when a caller passes that option.
 */
function storedOnlyByOptions(pass: Pass, key: string): boolean {
  const fs = fieldStores(pass);
  const stores = fs.stores.get(key) ?? [];
  if (stores.length === 0 || fs.addressed.has(key)) return false;
  return stores.every((st) => {
    if (st.literal || !st.value) return false;
    const at = nodePos(st.value);
    const fd = enclosingFuncDecl(st.file, st.value);
    let inOption = false;
    walkSameFunc(fd?.body ?? st.value, (x) => {
      if (x.kind === 'ReturnStmt') {
        for (const r of x.results ?? []) {
          const u = unparen(r);
          if (u.kind === 'FuncLit' && nodePos(u) <= at && at < nodeEnd(u)) inOption = true;
        }
      }
      return !inOption;
    });
    return inOption;
  });
}

/**
 * Whether every store into the field is a setter's one statement: a method of the struct that
 * assigns its parameter to the field on its receiver, and perhaps returns the receiver for
 * chaining (`func (c *Clock) WithOnClose(fn func(Result)) *Clock { c.onClose = fn; return c }`):
 * set only when a user calls it.
 */
function storedOnlyBySetters(pass: Pass, key: string): boolean {
  const fs = fieldStores(pass);
  const stores = fs.stores.get(key) ?? [];
  if (stores.length === 0 || fs.addressed.has(key)) return false;
  return stores.every((st) => !!plainSetter(pass, st, true));
}

/** Names of func fields that are hooks: `OnDone`, `onEvict`, `AfterSync`, `BeforeSave`, `ProgressHook`, `doneCallback`. */
const HOOK_NAME = /^(?:[Oo]n|[Aa]fter|[Bb]efore)[A-Z]|(?:Hook|Callback)$/;

/**
 * A func field of the same struct type of this package, named as a hook like `field`, that the
 * package tests against nil, when the package stores into neither (`OnChange` tested before each
 * call, `OnDone` never): the struct's hooks are there for its users to set, or not.
 */
function siblingHookTested(pass: Pass, owner: FieldOwner, field: string): { field: string; test: ast.Node } | undefined {
  if (owner.pkg !== pass.pkg.importPath || !HOOK_NAME.test(field)) return undefined;
  const key = `${owner.pkg}.${owner.name}.${field}`;
  const set = fieldsSet(pass);
  if (set.has(key) || set.has(`?${field}`) || set.has('*') || !mayStoreNil(pass, key)) return undefined;
  const tested = nilTestedFields(pass);
  for (const [k, test] of tested) {
    const prefix = `${owner.pkg}.${owner.name}.`;
    if (!k.startsWith(prefix)) continue;
    const other = k.slice(prefix.length);
    if (other === field || other.includes('.') || !HOOK_NAME.test(other) || set.has(k)) continue;
    return { field: other, test };
  }
  return undefined;
}

/** Words of a field comment that say the field may stay nil: "if set", "optional", "may be nil". */
const OPTIONAL_DOC = /\b(?:if (?:it is |it's )?(?:set|non-nil|not nil|provided|given|present)|when (?:it is |it's )?(?:set|non-nil|provided)|optional(?:ly)?|(?:may|can|might) be (?:nil|left nil|unset|left unset)|nil (?:means|disables|to disable|for none)|if any)\b/i;

/** A type's comment calling its func fields optional as a group, within one sentence. */
const TYPE_OPTIONAL_DOC = /\b(?:callbacks|hooks|handlers|funcs|functions|func fields)\b[^.]*\b(?:are (?:all )?optional|may be (?:nil|left nil|unset)|can be (?:nil|left nil|unset))\b/i;

/**
 * The comment of a func field of a struct type of this package that calls it optional (see
 * OPTIONAL_DOC), when the package never stores into the field: it is there for its users to set.
 */
function optionalByDoc(pass: Pass, typeName: string, field: string): ast.Node | undefined {
  const key = `${pass.pkg.importPath}.${typeName}.${field}`;
  if (!mayStoreNil(pass, key) || (fieldsSet(pass).has(key) && !storedOnlyByOptions(pass, key) && !storedOnlyBySetters(pass, key))) return undefined;
  for (const file of pass.files) {
    for (const d of file.file.decls ?? []) {
      if (d.kind !== 'GenDecl' || d.tok !== 'type') continue;
      for (const spec of d.specs ?? []) {
        if (spec.kind !== 'TypeSpec' || spec.name.name !== typeName || spec.type.kind !== 'StructType') continue;
        for (const f of spec.type.fields.list ?? []) {
          if (!(f.names ?? []).some((n) => n.name === field)) continue;
          const text = [f.doc, f.comment].flatMap((g) => g?.list ?? []).map((c) => c.text).join(' ');
          if (OPTIONAL_DOC.test(text)) return f;
          // Or the type's own comment says so of its func fields together (`// Both callbacks
          // are optional.`, `// Any of the hooks may be nil.`).
          const typeText = [spec.doc, d.specs?.length === 1 ? d.doc : null].flatMap((g) => g?.list ?? []).map((c) => c.text.replace(/^\/\/\s?/, '')).join(' ');
          return TYPE_OPTIONAL_DOC.test(typeText) ? spec : undefined;
        }
      }
    }
  }
  return undefined;
}

/** `defer s.f()` where f is a func field that nothing in the package ever sets. */
/**
 * `var h hookSet; if scratch { ...; h.after = func() {...} }; defer h.after()`: a struct value of
 * this function, zero when declared, whose func field only some paths set. Nothing else can set
 * it: the variable is not a pointer, its address is not taken, and no method is called on it.
 */
function checkLocalStructField(pass: Pass, file: PassFile, fn: FuncNode, d: ast.DeferStmt, sel: ast.SelectorExpr): boolean {
  const root = unparen(sel.x);
  if (root.kind !== 'Ident' || !fn.body) return false;
  const o = pass.types.objectOf(root);
  if (!o || o.kind !== 'var' || o.varKind !== 'local' || !o.decl || under(o.type)?.kind !== 'struct') return false;
  if (nodePos(o.decl) < nodePos(fn.body) || nodePos(o.decl) >= nodeEnd(fn.body)) return false;
  // Declared zero: `var h T`, or from a literal that leaves the field out (not a range variable,
  // a parameter or a copy of another value).
  const def = definingValue(pass, root);
  if (def) {
    const cl = unparen(def);
    if (cl.kind !== 'CompositeLit' || (cl.elts ?? []).some((e) => e.kind !== 'KeyValueExpr' || (e.key.kind === 'Ident' && e.key.name === sel.sel.name))) return false;
  } else {
    let zero = false;
    walkSameFunc(fn.body, (x) => {
      if (x.kind === 'ValueSpec' && !x.values?.length && x.names.includes(o.decl as ast.Ident)) zero = true;
      return !zero;
    });
    if (!zero) return false;
  }
  const field = sel.sel.name;
  let other = false;
  const stores: ast.AssignStmt[] = [];
  const bases = new Set<ast.Node>();
  walkNode(fn.body, (x) => {
    if (other) return false;
    if (x.kind === 'AssignStmt') {
      for (const l of x.lhs) {
        const u = unparen(l);
        if (u.kind === 'SelectorExpr' && u.sel.name === field && unparen(u.x).kind === 'Ident' && pass.types.objectOf(unparen(u.x) as ast.Ident) === o) stores.push(x);
        // The whole variable replaced.
        if (u.kind === 'Ident' && u !== root && pass.types.objectOf(u) === o && nodePos(u) !== nodePos(o.decl!)) other = true;
      }
    }
    if (x.kind === 'UnaryExpr' && x.op === '&' && unparen(x.x).kind === 'Ident' && pass.types.objectOf(unparen(x.x) as ast.Ident) === o) other = true;
    if (x.kind === 'SelectorExpr' && unparen(x.x).kind === 'Ident' && pass.types.objectOf(unparen(x.x) as ast.Ident) === o) {
      bases.add(unparen(x.x));
      // A method called on it (`h.init()`) may set the field through a pointer receiver.
      const t = pass.types.typeOf(x);
      if (t?.kind === 'signature' && !(under(pass.types.typeOf(x.x)) as { fields?: { name: string }[] } | undefined)?.fields?.some((f) => f.name === x.sel.name)) other = true;
    }
    return !other;
  });
  if (other || stores.length === 0) return false;
  // Any nil test of the field in the function handles it there.
  let tested = false;
  walkSameFunc(fn.body, (x) => {
    const v = tested ? undefined : nilCompared(pass, x);
    if (v?.kind === 'SelectorExpr' && v.sel.name === field) tested = true;
    return !tested;
  });
  if (tested) return false;
  // A store made in a function literal (a callback, `once.Do`) is out of the CFG's sight.
  let own = 0;
  walkSameFunc(fn.body, (x) => {
    if (x.kind === 'AssignStmt' && stores.includes(x)) own++;
    return true;
  });
  if (own !== stores.length) return false;
  const cfg = cfgOf(pass, fn);
  if (!cfg || !cfg.locate(d)) return false;
  const storeSet = new Set<ast.Node>(stores);
  const path = cfg.findPath(cfg.entry, d, { avoid: (n) => nodeContains(n, (x) => storeSet.has(x)) });
  if (!path) return false;
  pass.report({
    node: d,
    file,
    confidence: 'medium',
    message: `${textOf(file, sel)} is set only on some paths (line ${lineOf(file, stores[0]!)}), and ${textOf(file, root)} starts with a nil ${field}, so on a path that skips the store the deferred ${textOf(file, d.call)} calls a nil func and panics with a nil pointer dereference when ${funcName(file, fn)} returns; give ${field} a no-op value where ${textOf(file, root)} is declared or guard the defer with \`if ${textOf(file, sel)} != nil\``,
    related: [{ node: stores[0]!, message: `${textOf(file, sel)} set here, on some paths only` }],
  });
  return true;
}

function checkField(pass: Pass, file: PassFile, fn: FuncNode, d: ast.DeferStmt, sel: ast.SelectorExpr): void {
  const c = pass.types.callee(d.call);
  if (!c || c.kind !== 'funcvalue') return;
  if (checkLiteralField(pass, file, fn, d, sel)) return;
  if (checkRangedLiteralField(pass, file, fn, d, sel)) return;
  if (checkLocalStructField(pass, file, fn, d, sel)) return;
  const f = sel.sel.name;
  const owner = fieldOwner(pass, pass.types.typeOf(sel.x), f);
  if (!owner) return;
  if (exportedName(f) && pass.pkg.name !== 'main') {
    checkNilTestedField(pass, file, fn, d, sel, owner);
    return;
  }
  const set = fieldsSet(pass);
  if (set.has(`${owner.pkg}.${owner.name}.${f}`) || set.has(`?${f}`) || set.has('*')) {
    if (checkSetOnSomePaths(pass, file, fn, d, sel, `${owner.pkg}.${owner.name}.${f}`)) return;
    checkNilTestedField(pass, file, fn, d, sel, owner);
    return;
  }
  pass.report({
    node: d,
    file,
    message: `field ${f} of ${owner.name} is never set in package ${pass.pkg.name}, so ${textOf(file, sel)} is always nil and the deferred ${textOf(file, d.call)} panics with a nil pointer dereference when ${funcName(file, fn)} returns; set the field where ${owner.name} is built or guard the defer with \`if ${textOf(file, sel)} != nil\``,
  });
}

/**
 * `if l := w.pool.Get(); l != nil { w.release = l.Return } else if w.strict { return }; defer
 * w.release()`: an unexported func field that only this function stores into (no literal sets
 * it, no address is taken), and a path from the function's entry to the defer that passes none
 * of those stores. On that path, on the first call at least, the field holds its zero value.
 */
function checkSetOnSomePaths(pass: Pass, file: PassFile, fn: FuncNode, d: ast.DeferStmt, sel: ast.SelectorExpr, key: string): boolean {
  if (!fn.body || exportedName(sel.sel.name)) return false;
  const fs = fieldStores(pass);
  const stores = fs.stores.get(key) ?? [];
  if (stores.length === 0 || fs.addressed.has(key)) return false;
  const inFn = (n: ast.Node | null) => !!n && nodePos(fn) <= nodePos(n) && nodePos(n) < nodeEnd(fn);
  if (stores.some((st) => st.literal || st.file !== file || !inFn(st.value) || (st.value && isNil(pass, st.value)))) return false;
  // Only through the deferring variable itself (`w.release = ...`, with w the receiver or the
  // same local): a store through another value is another struct.
  const root = unparen(sel.x);
  if (root.kind !== 'Ident') return false;
  const cfg = cfgOf(pass, fn);
  if (!cfg) return false;
  const storesField = (n: ast.Node): boolean => {
    let hit = false;
    walkNode(n, (x) => {
      if (hit || x.kind === 'FuncLit') return false;
      if (x.kind === 'AssignStmt') {
        for (const l of x.lhs) {
          const t = unparen(l);
          if (t.kind === 'SelectorExpr' && t.sel.name === sel.sel.name && selectorFieldKey(pass, t) === key) hit = true;
        }
      }
      return !hit;
    });
    return hit;
  };
  const path = cfg.findPath(cfg.entry, d, { avoid: storesField });
  if (!path) return false;
  const first = stores[0]!.value!;
  pass.report({
    node: d,
    file,
    confidence: 'medium',
    message: `${textOf(file, sel)} is set only by ${funcName(file, fn)} itself (line ${lineOf(file, first)}), and a path reaches this defer without passing that store, so on a first call that takes it the field is still nil and the deferred ${textOf(file, d.call)} panics with a nil pointer dereference when ${funcName(file, fn)} returns; set the field where ${textOf(file, root)} is built or guard the defer with \`if ${textOf(file, sel)} != nil\``,
    related: [{ node: first, message: `${textOf(file, sel)} set here, on some paths only` }],
  });
  return true;
}

/** `defer hook()` on a package-level func variable that is declared without a value and never assigned in the package. */
function checkPackageVar(pass: Pass, file: PassFile, fn: FuncNode, d: ast.DeferStmt, v: ast.Ident): boolean {
  const o = pass.types.objectOf(v);
  if (!o || o.kind !== 'var' || o.varKind !== 'package' || o.pkg !== pass.pkg.importPath || !o.decl) return o?.varKind === 'package';
  if (under(o.type)?.kind !== 'signature') return true;
  if (exportedName(v.name) && pass.pkg.name !== 'main') return true;
  let hasValue = false;
  let assigned = false;
  for (const pf of pass.files) {
    inspect(pf.file, (x) => {
      if (assigned) return false;
      if (x.kind === 'ValueSpec' && x.names.includes(o.decl!)) {
        const i = x.names.indexOf(o.decl!);
        if (x.values?.[i] && !isNil(pass, x.values[i]!)) hasValue = true;
        if (x.values && x.values.length === 1 && x.names.length > 1) hasValue = true;
      }
      const isV = (e: ast.Expr) => {
        const y = unparen(e);
        return y.kind === 'Ident' && y.name === v.name && pass.types.objectOf(y) === o;
      };
      if (x.kind === 'AssignStmt' && x.lhs.some(isV)) assigned = true;
      if (x.kind === 'UnaryExpr' && x.op === '&' && isV(x.x)) assigned = true;
      return !assigned;
    });
  }
  if (hasValue || assigned) return true;
  pass.report({
    node: d,
    file,
    message: `package variable ${v.name} is declared without a value and never assigned in package ${pass.pkg.name}, so the deferred ${textOf(file, d.call)} panics with a nil pointer dereference when ${funcName(file, fn)} returns; give ${v.name} a no-op default or guard the defer with \`if ${v.name} != nil\``,
    related: [{ node: o.decl, message: `${v.name} declared here` }],
  });
  return true;
}

/**
 * `defer startProfiler(path)()`: the function the call returns is deferred as it comes, and the
 * callee (a function of the package whose only result is a func) has a `return nil`.
 */
function checkCallResult(pass: Pass, file: PassFile, fn: FuncNode, d: ast.DeferStmt, call: ast.CallExpr): void {
  const nilRet = nilReturnOf(pass, call);
  const r = nilRet?.results?.[0];
  if (!nilRet || !r) return;
  const callee = textOf(file, call.fun);
  const rf = pass.fileOf(nilRet) ?? file;
  pass.report({
    node: d,
    file,
    confidence: 'medium',
    message: `defer ${textOf(file, d.call)} defers the function ${callee} returns, which is nil when ${whenNil(pass, file, call, nilRet, r)}: the defer statement accepts the nil func, and the deferred call panics with a nil pointer dereference as ${funcName(file, fn)} returns; make ${callee} return a no-op func instead of nil, or keep its result and guard the defer with a nil check`,
    related: [{ node: nilRet, file: rf, message: `${callee} returns a nil func here` }],
  });
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    file.inspector.preorder(['FuncDecl', 'FuncLit'], (fn) => {
      if (!fn.body || !file.inspector.contains(fn, ['DeferStmt'])) return;
      walkSameFunc(fn.body, (x) => {
        if (x.kind !== 'DeferStmt') return true;
        const fun = unparen(x.call.fun);
        if (fun.kind === 'Ident') {
          if (checkPackageVar(pass, file, fn, x, fun)) return true;
          checkLocal(pass, file, fn, x, fun);
        } else if (fun.kind === 'IndexExpr') checkMapCall(pass, file, fn, x, fun);
        else if (fun.kind === 'SelectorExpr') checkField(pass, file, fn, x, fun);
        else if (fun.kind === 'CallExpr') checkCallResult(pass, file, fn, x, fun);
        return true;
      });
    });
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'medium',
    summary: 'A deferred function value that can be nil: the defer statement accepts it, and the call panics when the function returns.',
    enabledByDefault: true,
    fixable: false,
    category: 'lifetime',
    docUrl: docUrl(ID),
  },
  // Whether a deferred field or package variable is ever set is asked of every body naming it.
  needs: (o) => bodyNeeds(o, { kinds: ['DeferStmt'] }, { deferred: true }),
  run,
};
