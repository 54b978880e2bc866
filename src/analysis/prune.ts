// Body pruning: most function bodies of a package hold nothing a rule looks at (no defer, go,
// recover or lock call) and matter to no function that does. Their statements are dropped right
// after parsing, so that type checking, the call graph, the CFGs and every rule walk only the
// bodies that can matter; the declarations (signatures, receivers) stay.
//
// Which bodies matter is computed per package from what the enabled analyzers declare
// (Analyzer.needs), by syntax alone:
//   - subjects: bodies containing one of the subject node kinds or identifiers;
//   - watched names: names that a subject defers (`defer s.f()`, `defer hook()`), the names of
//     functions containing a watched identifier (such as recover) and of the functions naming
//     those: every body mentioning one is kept, since rules ask package-wide questions about them
//     (is the field ever set, is the function or its caller ever deferred or used as a value);
//     the functions a deferred variable is assigned from are kept too (`stop := start(); defer
//     stop()`: can start return nil?);
//   - goroutines: a function or method named in a go statement of a kept body is kept (rules look
//     into what a goroutine runs: its recover, its sends, its Done);
//   - callees: a function or method named in a kept body is kept when its body (or one it names,
//     transitively) contains a source (a kind or identifier whose effect reaches callers: an exit,
//     a blocking call, a lock, a channel operation...).
// Everything is by name, so the approximation only ever keeps more than needed. When an enabled
// analyzer declares no needs, nothing is pruned.
import type * as ast from '../syntax/ast.js';
import { forEachChild, returnedSelector } from '../syntax/nodes.js';
import type { Analyzer, BodyNeeds } from './analyzer.js';
import type { RuleOptions } from './options.js';

/** The union of the enabled analyzers' needs, or undefined when one of them declares none. */
export function combinedNeeds(analyzers: readonly Analyzer[], options: RuleOptions): CombinedNeeds | undefined {
  const out: CombinedNeeds = {
    subjectKinds: new Set(),
    subjectNames: new Set(),
    subjectPatterns: [],
    sourceKinds: new Set(),
    sourceNames: new Set(),
    receive: false,
    watchDeferred: false,
    watchContaining: new Set(),
    watchReturnedChans: false,
    watchChanFields: false,
  };
  for (const a of analyzers) {
    if (!a.needs) return undefined;
    const n: BodyNeeds = a.needs(options);
    for (const k of n.subjects.kinds ?? []) out.subjectKinds.add(k);
    for (const k of n.subjects.names ?? []) out.subjectNames.add(k);
    out.subjectPatterns.push(...(n.subjects.patterns ?? []));
    for (const k of n.sources?.kinds ?? []) out.sourceKinds.add(k);
    for (const k of n.sources?.names ?? []) out.sourceNames.add(k);
    if (n.sources?.receive || n.subjects.receive) out.receive = true;
    if (n.subjects.receive) out.subjectReceive = true;
    if (n.watch?.deferred) out.watchDeferred = true;
    for (const k of n.watch?.containing ?? []) out.watchContaining.add(k);
    if (n.watch?.returnedChans) out.watchReturnedChans = true;
    if (n.watch?.chanFields) out.watchChanFields = true;
  }
  // A subject is a source too: what it does reaches whoever calls it.
  for (const k of out.subjectKinds) out.sourceKinds.add(k);
  for (const k of out.subjectNames) out.sourceNames.add(k);
  return out;
}

export interface CombinedNeeds {
  subjectKinds: Set<string>;
  subjectNames: Set<string>;
  /** Subject identifiers given as patterns (ban-list wildcards). */
  subjectPatterns: RegExp[];
  subjectReceive?: boolean;
  sourceKinds: Set<string>;
  sourceNames: Set<string>;
  /** Channel receives (`<-ch`) are sources. */
  receive: boolean;
  watchDeferred: boolean;
  watchContaining: Set<string>;
  watchReturnedChans: boolean;
  watchChanFields: boolean;
}

interface Body {
  decl: ast.FuncDecl;
  body: ast.BlockStmt;
  subject: boolean;
  source: boolean;
  /** Every identifier in the body (selector names included). */
  names: Set<string>;
  /** Names this body defers (`defer f()`, `defer x.m()`). */
  deferred: string[];
  /** Every identifier inside the body's defer statements (deferred literals included). */
  inDefer: Set<string>;
  /** Every identifier inside the body's go statements: what the goroutines run. */
  inGo: Set<string>;
  /** `v := f(...)` / `v = x.f(...)`: the function names each variable is assigned from. */
  assignedFrom: Map<string, string[]> | undefined;
  /** Defers a call chain (`defer s.current().Close()`): what its other calls change is asked. */
  chainDefer: boolean;
  /** Kept as a callee of such a function: how many more calls deep its own callees are kept. */
  chainDepth: number;
  kept: boolean;
  /** Kept as code that runs deferred: every function it names is kept too. */
  deferredCode: boolean;
  /**
   * Calls one of its own parameters (`func (e *Engine) withRun(id string, fn func(*Run) error)
   * error { ...; return fn(r) }`): what it runs depends on what its callers pass.
   */
  callsParam: boolean;
  /** Fields this body assigns a selector (`e.resolve = e.get`: ['resolve', 'get']), which may be a method value. */
  assignedFields: [string, string][] | undefined;
  /**
   * Holds a positional literal of a named type (`&plugin{name, func() {}}`): it sets fields
   * without naming them, so a watched field name cannot find it.
   */
  positional: boolean;
  /**
   * Channel fields the body tells something about (`s.ch = make(chan T)`, `T{ch: make(...)}`, a
   * send on `x.ch` in a select, a loop receiving from it): what deferred code's sends and receives
   * on such a field can wait for is asked package-wide.
   */
  chanFields: string[] | undefined;
  /** Fields set to a source as a value (`&app{exit: os.Exit}`, `a.exit = os.Exit`): calls through them are that source. */
  sourceAliases?: string[];
  /** Channel fields the body sends on, receives from or ranges over (`s.done <- x`, `<-s.done`). */
  chanUses: string[] | undefined;
  /** The same, inside the body's defer statements. */
  deferChanUses: string[] | undefined;
  /**
   * The named types of keyed literals the body returns (`return &Session{conn: c}`): a
   * constructor, which leaves out whatever field its literal does not name.
   */
  returnsLit: string[] | undefined;
}

export interface PruneStats {
  /** Function declarations with a body. */
  bodies: number;
  /** Bodies whose statements were dropped. */
  pruned: number;
  /**
   * Nothing is left for a rule to look at: every body was dropped and no subject appears outside
   * the function bodies either (package-level initializers, function literals in them).
   */
  empty: boolean;
}

/** Whether a subject of `needs` occurs in `n` (identifiers, node kinds, receives). */
function hasSubject(n: ast.Node, needs: CombinedNeeds): boolean {
  const patterns = needs.subjectPatterns;
  let found = false;
  const visit = (x: ast.Node): void => {
    if (found) return;
    const k = x.kind;
    if (k === 'Ident') {
      const name = (x as ast.Ident).name;
      if (needs.subjectNames.has(name) || (patterns.length > 0 && patterns.some((p) => p.test(name)))) found = true;
      return;
    }
    if (needs.subjectKinds.has(k) || (needs.subjectReceive === true && k === 'UnaryExpr' && (x as ast.UnaryExpr).op === '<-')) {
      found = true;
      return;
    }
    forEachChild(x, visit);
  };
  visit(n);
  return found;
}

/** Whether a subject occurs in the files outside the bodies of their function declarations. */
function subjectOutsideBodies(files: readonly ast.File[], needs: CombinedNeeds): boolean {
  for (const f of files) {
    for (const d of f.decls ?? []) {
      if (d.kind === 'FuncDecl') {
        // Receiver, type parameters and signature: types only, but a subject name may be a type's.
        if (d.recv && hasSubject(d.recv, needs)) return true;
        if (hasSubject(d.type, needs)) return true;
      } else if (hasSubject(d, needs)) return true;
    }
  }
  return false;
}

function scanBody(decl: ast.FuncDecl, body: ast.BlockStmt, needs: CombinedNeeds): Body {
  const names = new Set<string>();
  const inDefer = new Set<string>();
  const inGo = new Set<string>();
  const deferred: string[] = [];
  let subject = false;
  let source = false;
  let positional = false;
  let deferDepth = 0;
  let goDepth = 0;
  let assignedFrom: Map<string, string[]> | undefined;
  let chainDefer = false;
  let callsParam = false;
  let assignedFields: [string, string][] | undefined;
  let sourceAliases: string[] | undefined;
  let chanFields: string[] | undefined;
  let chanUses: string[] | undefined;
  let deferChanUses: string[] | undefined;
  const useChan = (f: string | undefined): void => {
    if (!f) return;
    (chanUses ??= []).push(f);
    if (deferDepth > 0) (deferChanUses ??= []).push(f);
  };
  const watchChans = needs.watchChanFields;
  let selectDepth = 0;
  let loopDepth = 0;
  const isChanMake = (e: ast.Expr | undefined): boolean => {
    while (e?.kind === 'ParenExpr') e = e.x;
    return e?.kind === 'CallExpr' && e.fun.kind === 'Ident' && e.fun.name === 'make' && e.args?.[0]?.kind === 'ChanType';
  };
  const fieldName = (e: ast.Expr): string | undefined => {
    while (e.kind === 'ParenExpr') e = e.x;
    return e.kind === 'SelectorExpr' ? e.sel.name : undefined;
  };
  let returnsLit: string[] | undefined;
  const litType = (c: ast.CompositeLit): string | undefined => {
    let t = c.type;
    if (t && (t.kind === 'IndexExpr' || t.kind === 'IndexListExpr')) t = t.x;
    return t?.kind === 'Ident' ? t.name : t?.kind === 'SelectorExpr' ? t.sel.name : undefined;
  };
  const params = new Set<string>();
  for (const f of decl.type.params?.list ?? []) for (const n of f.names ?? []) params.add(n.name);
  const patterns = needs.subjectPatterns;
  const fromCall = (lhs: readonly ast.Expr[], rhs: readonly ast.Expr[] | null | undefined): void => {
    if (!rhs || rhs.length !== 1 || rhs[0]!.kind !== 'CallExpr') return;
    let f: ast.Expr = rhs[0]!.fun;
    if (f.kind === 'IndexExpr' || f.kind === 'IndexListExpr') f = f.x;
    const callee = f.kind === 'Ident' ? f.name : f.kind === 'SelectorExpr' ? f.sel.name : undefined;
    const v = lhs[0];
    if (!callee || v?.kind !== 'Ident') return;
    assignedFrom ??= new Map();
    const list = assignedFrom.get(v.name);
    if (list) list.push(callee);
    else assignedFrom.set(v.name, [callee]);
  };
  const visit = (n: ast.Node): void => {
    const k = n.kind;
    if (k === 'Ident') {
      const name = (n as ast.Ident).name;
      names.add(name);
      if (deferDepth > 0) inDefer.add(name);
      if (goDepth > 0) inGo.add(name);
      if (needs.subjectNames.has(name) || (patterns.length > 0 && patterns.some((p) => p.test(name)))) subject = true;
      if (needs.sourceNames.has(name)) source = true;
      return;
    }
    if (needs.subjectKinds.has(k)) subject = true;
    if (needs.sourceKinds.has(k)) source = true;
    if (k === 'CallExpr') {
      const f = (n as ast.CallExpr).fun;
      if (f.kind === 'Ident' && params.has(f.name)) callsParam = true;
    } else if (k === 'KeyValueExpr') {
      const kv = n as ast.KeyValueExpr;
      const v = kv.value.kind === 'SelectorExpr' ? kv.value.sel.name : kv.value.kind === 'Ident' ? kv.value.name : undefined;
      if (kv.key.kind === 'Ident' && v !== undefined && needs.sourceNames.has(v)) (sourceAliases ??= []).push(kv.key.name);
    } else if (k === 'AssignStmt' && (n as ast.AssignStmt).tok === '=') {
      const a = n as ast.AssignStmt;
      if (a.lhs.length === a.rhs.length) {
        for (let i = 0; i < a.lhs.length; i++) {
          const l = a.lhs[i]!;
          if (l.kind !== 'SelectorExpr') continue;
          const r = a.rhs[i]!;
          if (r.kind === 'SelectorExpr' && needs.sourceNames.has(r.sel.name)) (sourceAliases ??= []).push(l.sel.name);
          if (r.kind === 'SelectorExpr') (assignedFields ??= []).push([l.sel.name, r.sel.name]);
          else if (r.kind === 'CallExpr' && watchChans && isChanMake(r)) (chanFields ??= []).push(l.sel.name);
        }
      }
    }
    if (watchChans) {
      switch (k) {
        case 'KeyValueExpr': {
          const kv = n as ast.KeyValueExpr;
          if (kv.value.kind === 'CallExpr' && kv.key.kind === 'Ident' && isChanMake(kv.value)) (chanFields ??= []).push(kv.key.name);
          break;
        }
        case 'SendStmt': {
          const f = fieldName((n as ast.SendStmt).chan);
          useChan(f);
          if (f && selectDepth > 0) (chanFields ??= []).push(f);
          break;
        }
        case 'RangeStmt': {
          const f = fieldName((n as ast.RangeStmt).x);
          useChan(f);
          if (f) (chanFields ??= []).push(f);
          break;
        }
        case 'UnaryExpr':
          if ((n as ast.UnaryExpr).op === '<-') {
            const f = fieldName((n as ast.UnaryExpr).x);
            useChan(f);
            if (f && loopDepth > 0) (chanFields ??= []).push(f);
          }
          break;
        case 'SelectStmt':
          selectDepth++;
          forEachChild(n, visit);
          selectDepth--;
          return;
        case 'ForStmt':
          loopDepth++;
          forEachChild(n, visit);
          loopDepth--;
          return;
      }
    }
    if (k === 'CompositeLit') {
      const c = n as ast.CompositeLit;
      const t = c.type;
      if (!positional && t && (t.kind === 'Ident' || t.kind === 'SelectorExpr' || t.kind === 'IndexExpr' || t.kind === 'IndexListExpr') && (c.elts?.length ?? 0) > 0 && c.elts![0]!.kind !== 'KeyValueExpr') positional = true;
    } else if (k === 'ReturnStmt' && needs.watchDeferred) {
      for (const r of (n as ast.ReturnStmt).results ?? []) {
        let e: ast.Expr = r;
        while (e.kind === 'ParenExpr') e = e.x;
        if (e.kind === 'UnaryExpr' && e.op === '&') e = e.x;
        if (e.kind === 'CompositeLit' && e.elts?.length && e.elts[0]!.kind === 'KeyValueExpr') {
          const name = litType(e);
          if (name) (returnsLit ??= []).push(name);
        }
      }
    }
    if (needs.watchDeferred) {
      if (k === 'AssignStmt') fromCall((n as ast.AssignStmt).lhs, (n as ast.AssignStmt).rhs);
      else if (k === 'ValueSpec') fromCall((n as ast.ValueSpec).names, (n as ast.ValueSpec).values);
    }
    if (k === 'UnaryExpr' && (n as ast.UnaryExpr).op === '<-') {
      if (needs.receive) source = true;
      if (needs.subjectReceive) subject = true;
    } else if (k === 'DeferStmt') {
      let f: ast.Expr = (n as ast.DeferStmt).call.fun;
      while (f.kind === 'ParenExpr') f = f.x;
      if (f.kind === 'IndexExpr' || f.kind === 'IndexListExpr') f = f.x;
      if (f.kind === 'Ident') deferred.push(f.name);
      else if (f.kind === 'SelectorExpr') {
        deferred.push(f.sel.name);
        let r: ast.Expr = f.x;
        while (r.kind === 'ParenExpr') r = r.x;
        // `defer e.w.Flush()`: what the package stores in the field is asked too.
        if (r.kind === 'SelectorExpr') deferred.push(r.sel.name);
        if (r.kind === 'CallExpr') chainDefer = true;
      }
      deferDepth++;
      forEachChild(n, visit);
      deferDepth--;
      return;
    } else if (k === 'GoStmt') {
      goDepth++;
      forEachChild(n, visit);
      goDepth--;
      return;
    }
    forEachChild(n, visit);
  };
  visit(body);
  return { decl, body, subject, source, names, deferred, inDefer, inGo, assignedFrom, chainDefer, chainDepth: 0, kept: false, deferredCode: false, positional, callsParam, assignedFields, returnsLit, chanFields, chanUses, deferChanUses, ...(sourceAliases ? { sourceAliases } : {}) };
}

/**
 * The func-typed field names of each struct type the files declare, by type name: a field of a
 * `func(...)` type, or of a func type the files declare (`type Hook func()`).
 */
function structFieldsOf(files: readonly ast.File[]): Map<string, Set<string>> {
  const funcTypes = new Set<string>();
  const specs: ast.TypeSpec[] = [];
  for (const f of files) {
    for (const d of f.decls ?? []) {
      if (d.kind !== 'GenDecl' || d.tok !== 'type') continue;
      for (const spec of d.specs ?? []) {
        if (spec.kind !== 'TypeSpec') continue;
        if (spec.type.kind === 'FuncType') funcTypes.add(spec.name.name);
        else if (spec.type.kind === 'StructType') specs.push(spec);
      }
    }
  }
  const out = new Map<string, Set<string>>();
  for (const spec of specs) {
    const names = new Set<string>();
    for (const fl of (spec.type as ast.StructType).fields.list ?? []) {
      const t = fl.type;
      if (t?.kind !== 'FuncType' && !(t?.kind === 'Ident' && funcTypes.has(t.name))) continue;
      for (const n of fl.names ?? []) names.add(n.name);
    }
    if (names.size > 0) out.set(spec.name.name, names);
  }
  return out;
}

/**
 * Package variables holding a source as a value (`var exit = os.Exit`, swapped out by tests): a
 * call through one is that source, so the variable's name is one too.
 */
function withSourceAliases(files: readonly ast.File[], needs: CombinedNeeds): CombinedNeeds {
  let extra: Set<string> | undefined;
  for (const f of files) {
    for (const d of f.decls ?? []) {
      if (d.kind !== 'GenDecl' || d.tok !== 'var') continue;
      for (const spec of d.specs ?? []) {
        if (spec.kind !== 'ValueSpec' || !spec.values) continue;
        spec.names.forEach((id, i) => {
          let v = spec.values![i];
          while (v?.kind === 'ParenExpr') v = v.x;
          const name = v?.kind === 'SelectorExpr' ? v.sel.name : v?.kind === 'Ident' ? v.name : undefined;
          if (name !== undefined && needs.sourceNames.has(name) && !needs.sourceNames.has(id.name)) (extra ??= new Set()).add(id.name);
        });
      }
    }
  }
  if (!extra) return needs;
  return { ...needs, sourceNames: new Set([...needs.sourceNames, ...extra]) };
}

/**
 * Drops the statements of the function bodies of `files` (one package) that cannot matter to
 * the needs given: their BlockStmt keeps its braces and gets an empty list, as in a file parsed
 * for its declarations only.
 */
export function pruneBodies(files: readonly ast.File[], needsIn: CombinedNeeds): PruneStats {
  const needs = withSourceAliases(files, needsIn);
  const bodies: Body[] = [];
  for (const f of files) {
    for (const d of f.decls ?? []) {
      if (d.kind === 'FuncDecl' && d.body && d.body.list) bodies.push(scanBody(d, d.body, needs));
    }
  }
  // A field set to a source as a value makes calls through it (`a.exit(1)`) sources too.
  const aliases = new Set<string>();
  for (const b of bodies) for (const a of b.sourceAliases ?? []) aliases.add(a);
  if (aliases.size > 0) for (const b of bodies) if (!b.source) for (const a of aliases) if (b.names.has(a)) { b.source = true; break; }
  const byName = new Map<string, Body[]>();
  for (const b of bodies) {
    const list = byName.get(b.decl.name.name);
    if (list) list.push(b);
    else byName.set(b.decl.name.name, [b]);
  }
  // Bodies that contain a source or name a function whose body (transitively) does: a walk
  // back from the sources over "is named by" edges.
  const namedBy = new Map<Body, Body[]>();
  for (const b of bodies) {
    for (const n of b.names) {
      for (const t of byName.get(n) ?? []) {
        const list = namedBy.get(t);
        if (list) list.push(b);
        else namedBy.set(t, [b]);
      }
    }
  }
  const reaches = new Set<Body>();
  const back: Body[] = [];
  for (const b of bodies) {
    if (b.source) {
      reaches.add(b);
      back.push(b);
    }
  }
  while (back.length > 0) {
    for (const m of namedBy.get(back.pop()!) ?? []) {
      if (!reaches.has(m)) {
        reaches.add(m);
        back.push(m);
      }
    }
  }
  const watched = new Set<string>();
  for (const b of bodies) {
    for (const w of needs.watchContaining) {
      if (b.names.has(w)) {
        watched.add(b.decl.name.name);
        break;
      }
    }
  }
  // One level up: whether the callers of such a function are themselves deferred (or used as
  // values) is asked too, so the bodies naming those callers are kept as well.
  if (watched.size > 0) {
    const callers: string[] = [];
    for (const b of bodies) {
      if (watched.has(b.decl.name.name)) continue;
      for (const n of b.names) {
        if (watched.has(n)) {
          callers.push(b.decl.name.name);
          break;
        }
      }
    }
    for (const c of callers) watched.add(c);
  }
  // A subject that returns a channel (`func (f *Fetcher) startFetch(...) <-chan result`): how its
  // callers receive from it is asked, so the bodies naming it are kept.
  if (needs.watchReturnedChans) {
    for (const b of bodies) {
      if (b.subject && (b.decl.type.results?.list ?? []).some((r) => r.type?.kind === 'ChanType')) watched.add(b.decl.name.name);
    }
  }
  // Bodies by the fields they assign: a func field a kept body calls may hold a method value
  // put there elsewhere (`e.resolve = e.get`), which the call graph follows.
  const byAssignedField = new Map<string, Body[]>();
  for (const b of bodies) {
    for (const [f, value] of b.assignedFields ?? []) {
      // Only a selector naming a function or method of the package can be a method value here.
      if (!byName.has(value)) continue;
      const list = byAssignedField.get(f);
      if (list) list.push(b);
      else byAssignedField.set(f, [b]);
    }
  }
  const work: Body[] = [];
  // The channel fields deferred code sends on or receives from: each is asked about package-wide
  // (how it is made, whether a loop serves it, whether sends on it elsewhere have a way out).
  const deferredNames = new Set<string>();
  const keep = (b: Body, deferredCode = false) => {
    if (b.kept && (b.deferredCode || !deferredCode)) return;
    b.kept = true;
    b.deferredCode ||= deferredCode;
    if (needs.watchChanFields) for (const n of (b.deferredCode ? b.chanUses : b.deferChanUses) ?? []) deferredNames.add(n);
    work.push(b);
  };
  // The fields of the package's struct types, for constructors that return a keyed literal
  // (`return &Session{conn: c}`): one leaves out, unnamed, any field it does not give.
  const returning = needs.watchDeferred ? bodies.filter((b) => b.returnsLit) : [];
  const structFields = returning.length > 0 ? structFieldsOf(files) : undefined;
  const chanBodies = needs.watchChanFields ? bodies.filter((b) => b.chanFields) : [];
  for (const b of bodies) if (b.subject) keep(b);
  for (;;) {
    while (work.length > 0) {
      const b = work.pop()!;
      if (needs.watchDeferred) {
        for (const d of b.deferred) {
          watched.add(d);
          // `stop := startHeartbeat(...); defer stop()`: can the function it came from return nil?
          for (const c of b.assignedFrom?.get(d) ?? []) for (const t of byName.get(c) ?? []) keep(t);
        }
      }
      // Code that runs deferred is looked into whatever it contains (is the method nil-safe, does
      // it ask for its caller, does it flush...): every function it names is kept, transitively.
      for (const n of b.deferredCode ? b.names : b.inDefer) {
        for (const t of byName.get(n) ?? []) keep(t, true);
      }
      // A func field this body names (`e.resolve(id)`) may hold a method value put there elsewhere.
      if (byAssignedField.size > 0) for (const n of b.names) for (const t of byAssignedField.get(n) ?? []) if (!t.kept) keep(t);
      if (b.deferredCode) continue;
      // A deferred call chain: do the body's other calls change what its first call reads,
      // directly or through the methods they call (three calls deep)?
      if ((b.chainDefer || b.chainDepth > 0) && needs.watchDeferred) {
        const depth = b.chainDefer ? 3 : b.chainDepth - 1;
        for (const n of b.names) {
          for (const t of byName.get(n) ?? []) {
            if (depth > 0 && t.chainDepth < depth && !t.chainDefer) {
              t.chainDepth = depth;
              if (t.kept) work.push(t);
            }
            keep(t);
          }
        }
      }
      // What a goroutine started here runs is looked into (does it recover, send, call Done).
      for (const n of b.inGo) {
        for (const t of byName.get(n) ?? []) keep(t);
      }
      // A callee that calls what it is given runs what this body passes it (a literal, a method
      // value), whose effects the rules follow through it.
      for (const n of b.names) {
        for (const t of byName.get(n) ?? []) if (!t.kept && (reaches.has(t) || t.callsParam)) keep(t);
      }
    }
    let more = false;
    // A constructor returning a keyed literal of a type with a watched field, which it may leave
    // out (`defer s.closeFn()` and `return &Session{conn: c}`).
    if (structFields && watched.size > 0) {
      for (const b of returning) {
        if (b.kept) continue;
        if (b.returnsLit!.some((t) => [...(structFields.get(t) ?? [])].some((f) => watched.has(f)))) {
          keep(b);
          more = true;
        }
      }
    }
    for (const b of chanBodies) {
      if (!b.kept && b.chanFields!.some((f) => deferredNames.has(f))) {
        keep(b);
        more = true;
      }
    }
    // Bodies that mention a watched name (a new watched name can come from a body kept here).
    for (const b of bodies) {
      if (b.kept) continue;
      // A positional literal may set a watched field without naming it.
      if (b.positional && needs.watchDeferred && watched.size > 0) {
        keep(b);
        more = true;
        continue;
      }
      for (const n of b.names) {
        if (watched.has(n)) {
          keep(b);
          more = true;
          break;
        }
      }
    }
    if (!more) break;
  }
  let pruned = 0;
  let keptSmall = 0;
  for (const b of bodies) {
    if (b.kept) continue;
    // Where an exit (or another source) is stored in a field (`&app{exit: os.Exit}`): rules ask
    // package-wide what the field holds.
    if (b.sourceAliases) {
      keptSmall++;
      continue;
    }
    // A field accessor (`func (ix *Index) lock() *sync.Mutex { return &ix.mu }`) stays: rules ask
    // which field a call of it gives, and it costs next to nothing.
    if (returnedSelector(b.body)) {
      keptSmall++;
      continue;
    }
    b.body.list = null;
    pruned++;
  }
  return { bodies: bodies.length, pruned, empty: pruned + keptSmall === bodies.length && !subjectOutsideBodies(files, needs) };
}
