// lock-leaked-on-return: `mu.Lock()` without a deferred unlock, and a path from the lock to a
// return (or to the end of the function) that passes no matching unlock. The mutex stays held
// after the function returns; the next Lock deadlocks.
import type * as ast from '../syntax/ast.js';
import { end as nodeEnd, pos as nodePos, unparen } from '../syntax/nodes.js';
import type { Analyzer, EditInput, FixInput, Pass, PassFile } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { buildCFG, exprStmtCall, isPanicCall, nodeContains, walkNode, type Block, type CFG } from '../types/cfg.js';
import type { CallEdge } from '../types/callgraph.js';
import { UNLOCK_FOR, type LockMethod } from './catalog.js';
import {
  declaringStructType, nameWords, relocksUnderSameGuard, methodsNamed, callGraphOf,
  callsMethodNamed, callText, sourceMentions, cfgOf, formatPath, pathInCallee, funcName, lineOf, lockCall, lockCallsIn, lockStmt, packageCallsIn, returnOfPath, rootIdent, sameExpr, samePath,
  enclosingFuncDecl, exhaustiveSwitchMisses, stmtListOf, guardConds, listHolding, requestHandler, searchCallees, textOf, varPath, type FuncNode, type LockCall, type VarPath, bodyNeeds, LOCK_NAMES,
} from './helpers.js';

const ID = 'lock-leaked-on-return';

const ACQUIRE_WORDS = new Set(['lock', 'rlock', 'locked', 'locks', 'acquire', 'acquires', 'trylock']);
// "returns with the lock held", "Returns with c.mu locked" (not a note such as "BUG: return in
// case with lock held"), or "the caller must unlock".
const ACQUIRE_DOC = /\breturns\s+(?:\w+\s+){0,2}with\b[^.]*\b(held|locked)\b|\bcaller\b[^.]*\b(must|should|is responsible)\b[^.]*\b(unlock|release)/i;

/**
 * A function that returns with the lock held on purpose: named like lock/acquire, or documented
 * so. A name that says only "acquire" (`Pool.Acquire` of a connection) counts only when the
 * function never unlocks the mutex itself (checked per lock below): one that unlocks on its other
 * paths and returns an error with it held has no such purpose.
 */
function intentionalAcquire(fn: FuncNode): boolean {
  if (fn.kind !== 'FuncDecl') return false;
  if (nameWords(fn.name.name).some((w) => ACQUIRE_WORDS.has(w) && w !== 'acquire' && w !== 'acquires')) return true;
  const doc = fn.doc?.list.map((c) => c.text).join('\n') ?? '';
  return ACQUIRE_DOC.test(doc);
}

interface Mutex {
  expr: ast.Expr;
  path: VarPath | undefined;
}

function sameMutex(pass: Pass, m: Mutex, e: ast.Expr): boolean {
  if (m.path) {
    const p = varPath(pass, e);
    return !!p && samePath(m.path, p);
  }
  return sameExpr(m.expr, e);
}

/** A lock call in fn's own code (literals excluded) releasing m with `unlock`. */
function unlocksIn(pass: Pass, n: ast.Node, m: Mutex, unlock: LockMethod): LockCall | undefined {
  return lockCallsIn(pass, n).find((l) => l.method === unlock && sameMutex(pass, m, l.mutex));
}

/** Whether a same-package function (through its callees) unlocks the mutex it sees as `path`. */
function calleeUnlocks(pass: Pass, call: ast.CallExpr, path: VarPath, unlock: LockMethod): boolean {
  return !!searchCallees(pass, call, path, (fn, p) => {
    const body = fn.body;
    if (!body) return undefined;
    const calls = lockCallsIn(pass, body);
    const same = (l: LockCall) => {
      const lp = varPath(pass, l.mutex);
      return !!lp && samePath(lp, p);
    };
    const hit = calls.find((l) => l.method === unlock && same(l));
    // A callee whose first use of the mutex takes it (`g.mu.RLock(); ...; g.mu.RUnlock()` in a
    // lookup helper) is balanced: it releases nothing its caller holds. One that starts by
    // unlocking (`resetTransportAndUnlock`) releases the caller's lock, whatever it does later.
    const first = calls.filter(same).sort((a, b) => nodePos(a.call) - nodePos(b.call))[0];
    if (hit && first && (first.method === 'Lock' || first.method === 'RLock')) return undefined;
    return hit ?? undefined;
  });
}

/** Calls that take a value over (back to a pool, onto a queue): a locked value given to one goes with its lock. */
const TAKES_OVER = /^(put|release|recycle|free|enqueue|push|submit|handoff|handOff)/i;

/** Whether a node passes the mutex (or its address) to a call we cannot see into: it may be unlocked there. */
function handsOff(pass: Pass, n: ast.Node, m: Mutex): boolean {
  let found = false;
  // The value that holds the mutex (`c` for `c.mu`, or `c` itself with an embedded mutex): sent
  // on a channel or given back to a pool with the lock held (wireguard's staged packet containers,
  // unlocked by the worker that receives them), the lock goes with it.
  const owner = rootIdent(m.expr);
  const isOwner = (e: ast.Expr): boolean => {
    const u = unparen(e);
    return !!owner && u.kind === 'Ident' && u.name === owner.name && pass.types.objectOf(u) === pass.types.objectOf(owner);
  };
  walkNode(n, (x) => {
    if (found || x.kind === 'FuncLit') return false;
    if (x.kind === 'SendStmt' && isOwner(x.value)) found = true;
    if (x.kind === 'CallExpr') {
      for (const a of x.args ?? []) {
        if (sameMutex(pass, m, a)) found = true;
        // The unlock method value handed over (`once.Do(mu.Unlock)`, `defer unlock.Do(p.mu.Unlock)`):
        // whoever gets it releases the lock (neo4j's driver releases its pool lock once this way).
        const u = unparen(a);
        if (u.kind === 'SelectorExpr' && (u.sel.name === 'Unlock' || u.sel.name === 'RUnlock') && sameMutex(pass, m, u.x)) found = true;
      }
      const f = unparen(x.fun);
      const name = f.kind === 'Ident' ? f.name : f.kind === 'SelectorExpr' ? f.sel.name : '';
      if (TAKES_OVER.test(name) && (x.args ?? []).some(isOwner)) found = true;
    }
    // `lock = &c.rlock` or `return &c.mu`: the held mutex itself goes to whoever unlocks it later.
    if (x.kind === 'UnaryExpr' && x.op === '&' && sameMutex(pass, m, x.x)) found = true;
    return !found;
  });
  return found;
}

/**
 * The success path of a function whose last result is an error or a bool: `return v, nil`,
 * `return v, true`, or the variable that the releasing `if` tests (`if !ok { mu.Unlock() }; return
 * c, ok`, `if err != nil { mu.Unlock() }; return t, err`): on the path that kept the lock it holds
 * the success value.
 */
function successReturn(fn: FuncNode, ret: ast.ReturnStmt, unlocks: readonly LockCall[]): boolean {
  const results = fn.type.results?.list ?? [];
  const last = results[results.length - 1]?.type;
  if (!last || last.kind !== 'Ident' || (last.name !== 'error' && last.name !== 'bool')) return false;
  // A bool is a success flag only in the comma-ok form (`(v T, ok bool)`), not as the answer of a predicate.
  if (last.name === 'bool' && results.reduce((n, f) => n + Math.max(1, f.names?.length ?? 0), 0) < 2) return false;
  const r = ret.results?.[ret.results.length - 1];
  const v = r && unparen(r);
  if (!v || v.kind !== 'Ident') return false;
  if (v.name === (last.name === 'error' ? 'nil' : 'true')) return true;
  let tested = false;
  walkNode(fn.body!, (x) => {
    if (tested || x.kind === 'FuncLit') return false;
    if (
      x.kind === 'IfStmt' &&
      nodeContains(x.cond, (y) => y.kind === 'Ident' && y.name === v.name) &&
      unlocks.some((u) => nodePos(x.body) <= nodePos(u.call) && nodePos(u.call) < nodeEnd(x.body))
    ) {
      tested = true;
    }
    return !tested;
  });
  return tested;
}

/**
 * Whether the function releases the lock right before a success return (`r.mu.Unlock(); return
 * nil`): its success paths then give the lock back, not hand it over.
 */
function releasesOnSuccess(fn: FuncNode, unlocks: readonly LockCall[]): boolean {
  let found = false;
  walkNode(fn.body!, (x) => {
    if (found || x.kind === 'FuncLit') return false;
    // A definite success (`return nil`, `return v, true`), not a variable the release tested.
    const last = x.kind === 'ReturnStmt' ? x.results?.[x.results.length - 1] : undefined;
    const definite = last && unparen(last).kind === 'Ident' && ['nil', 'true'].includes((unparen(last) as ast.Ident).name);
    if (x.kind === 'ReturnStmt' && definite && successReturn(fn, x, unlocks)) {
      const list = listHolding(fn.body!, x);
      for (const st of list.slice(0, list.indexOf(x))) {
        if (st.kind === 'ExprStmt' && unlocks.some((u) => u.call === unparen(st.x))) found = true;
      }
    }
    return !found;
  });
  return found;
}

/** For an unlock method and a mutex field name: the guard fields of the releasing functions ('' for an unguarded release). */
type Releasers = Map<string, Map<string, Set<string>>>;
const releaserIndex = new WeakMap<readonly PassFile[], Releasers>();

/** The field names tested by a condition (`rs.closemuScanHold`, `tx.writable && ...`). */
function condFields(cond: ast.Expr): string[] {
  const out: string[] = [];
  const c = unparen(cond);
  if (c.kind === 'SelectorExpr') out.push(c.sel.name);
  else if (c.kind === 'BinaryExpr' && c.op === '&&') out.push(...condFields(c.x), ...condFields(c.y));
  return out;
}

/** The lock calls of each function declaration of the package (files that mention Lock), made once per package. */
const packageLockCallsCache = new WeakMap<readonly PassFile[], { decl: ast.FuncDecl; calls: LockCall[] }[]>();

function packageLockCalls(pass: Pass): { decl: ast.FuncDecl; calls: LockCall[] }[] {
  let out = packageLockCallsCache.get(pass.files);
  if (!out) {
    out = [];
    for (const f of pass.files) {
      if (!sourceMentions(f, 'Lock')) continue;
      for (const d of f.file.decls ?? []) if (d.kind === 'FuncDecl' && d.body) out.push({ decl: d, calls: lockCallsIn(pass, d.body) });
    }
    packageLockCallsCache.set(pass.files, out);
  }
  return out;
}

/** The nodes of a function body (not of nested literals) that contain `n` and that `pick` accepts, outermost first. */
function around(body: ast.BlockStmt, n: ast.Node, pick: (x: ast.Node, at: number) => boolean): ast.Node[] {
  const at = nodePos(n);
  const out: ast.Node[] = [];
  walkNode(body, (x) => {
    if (nodePos(x) > at || nodeEnd(x) <= at || x.kind === 'FuncLit') return false;
    if (pick(x, at)) out.push(x);
    return true;
  });
  return out;
}

/** The if statements whose body holds the node. */
function ifsAround(body: ast.BlockStmt, n: ast.Node): ast.IfStmt[] {
  return around(body, n, (x, at) => x.kind === 'IfStmt' && nodePos(x.body) <= at && at < nodeEnd(x.body)) as ast.IfStmt[];
}

/**
 * The functions of the package that release a mutex field with `unlock` without locking it
 * themselves (`func (tx *Tx) close() { tx.db.rwlock.Unlock() }`): the lock is taken in one place
 * and handed over to be released in another. Returns the fields that guard such releases
 * (`if rs.closemuScanHold { rs.closemu.RUnlock() }`), with '' for a release under no such guard,
 * or undefined when nothing releases the field that way.
 */
function releasersOf(pass: Pass, mutex: ast.Expr, unlock: LockMethod): Set<string> | undefined {
  const e = unparen(mutex);
  if (e.kind !== 'SelectorExpr') return undefined;
  let index = releaserIndex.get(pass.files);
  if (!index) {
    index = new Map();
    const field = (l: LockCall): string | undefined => {
      const x = unparen(l.mutex);
      return x.kind === 'SelectorExpr' ? x.sel.name : undefined;
    };
    for (const { decl: d, calls } of packageLockCalls(pass)) {
      for (const l of calls) {
        if (l.method !== 'Unlock' && l.method !== 'RUnlock') continue;
        const name = field(l);
        if (!name) continue;
        // A function that takes the mutex itself, in either mode (a mismatched `RLock(); defer
        // Unlock()` is defer-lock-mismatch's finding), releases its own lock, not a caller's.
        if (calls.some((k) => (k.method === 'Lock' || k.method === 'RLock') && field(k) === name)) continue;
        let byField = index.get(l.method);
        if (!byField) index.set(l.method, (byField = new Map()));
        let guards = byField.get(name);
        if (!guards) byField.set(name, (guards = new Set()));
        // The fields tested by the if statements around the release.
        const conds = ifsAround(d.body!, l.call).flatMap((x) => condFields(x.cond));
        if (conds.length === 0) guards.add('');
        for (const c of conds) guards.add(c);
      }
    }
    releaserIndex.set(pass.files, index);
  }
  return index.get(unlock)?.get(e.sel.name);
}

/** For a mutex field (`pkg.Type.field`): the functions of the package that take it and keep it, and those that release it without taking it. */
const signalIndex = new WeakMap<readonly PassFile[], Map<string, { holders: Set<ast.FuncDecl>; releasers: Set<ast.FuncDecl> }>>();

/**
 * Whether a mutex field is a signal handed between functions (`wait sync.Mutex // held while
 * fired == false`): a function of the package other than `self` takes it and never releases it
 * (`allocUnlockNote` ending with `un.wait.Lock()`), and another releases it without taking it
 * (the callback that fires). A function waiting for the signal may leave it held for the releaser
 * to free; it is not a critical section each function must leave as it found it. Fields are told
 * apart by the struct type that declares them.
 */
function signalMutex(pass: Pass, mutex: ast.Expr, self: FuncNode): boolean {
  const keyOf = (e: ast.Expr): string | undefined => {
    const x = unparen(e);
    if (x.kind !== 'SelectorExpr') return undefined;
    const owner = declaringStructType(pass.types.typeOf(x.x), x.sel.name);
    return owner ? `${owner}.${x.sel.name}` : undefined;
  };
  const key = keyOf(mutex);
  if (!key) return false;
  let index = signalIndex.get(pass.files);
  if (!index) {
    index = new Map();
    for (const { decl: d, calls } of packageLockCalls(pass)) {
      // Lock helpers (`func (s *Stock) lock() { s.mu.Lock() }`, `lockShard`, a one-statement
      // unlock) split an ordinary critical section; they are no signal.
      if ((d.body!.list?.length ?? 0) < 2 || intentionalAcquire(d)) continue;
      const keys = calls.map((l) => keyOf(l.mutex));
      calls.forEach((l, i) => {
        const k = keys[i];
        if (!k) return;
        const locking = l.method === 'Lock' || l.method === 'RLock';
        const other = calls.some((o, j) => keys[j] === k && (o.method === 'Lock' || o.method === 'RLock') !== locking);
        if (other) return;
        // A signal is given under a test (`if !n.fired { n.fired = true; n.wait.Unlock() }`):
        // an unconditional release is the end of someone's critical section.
        if (!locking && ifsAround(d.body!, l.call).length === 0) return;
        let e = index!.get(k);
        if (!e) index!.set(k, (e = { holders: new Set(), releasers: new Set() }));
        (locking ? e.holders : e.releasers).add(d);
      });
    }
    signalIndex.set(pass.files, index);
  }
  const e = index.get(key);
  if (!e) return false;
  return [...e.holders].some((d) => d !== self) && [...e.releasers].some((d) => d !== self);
}

/** Whether a path sets one of the fields to true (`rs.closemuScanHold = true`): a marker that the lock stays held. */
function setsMarker(path: readonly Block[], fields: ReadonlySet<string>): boolean {
  for (const b of path) {
    for (const n of b.nodes) {
      if (n.kind !== 'AssignStmt' || n.tok !== '=' || n.lhs.length !== n.rhs.length) continue;
      for (let i = 0; i < n.lhs.length; i++) {
        const l = unparen(n.lhs[i]!);
        const r = unparen(n.rhs[i]!);
        if (l.kind === 'SelectorExpr' && fields.has(l.sel.name) && r.kind === 'Ident' && r.name === 'true') return true;
      }
    }
  }
  return false;
}

/**
 * Boolean variables set to true right after the lock, in the same statement list (`mu.Lock();
 * lockHeld = true`): a later `if lockHeld { mu.Unlock() }` tests whether this lock was taken.
 */
function flagsSetAfter(fn: FuncNode, stmt: ast.Node): string[] {
  const out: string[] = [];
  const stmts = listHolding(fn.body!, stmt as ast.Stmt);
  for (let i = stmts.indexOf(stmt as ast.Stmt) + 1; i < stmts.length; i++) {
    const s = stmts[i]!;
    if (s.kind !== 'AssignStmt') break;
    if (s.lhs.length === 1 && s.rhs.length === 1) {
      const l = unparen(s.lhs[0]!);
      const r = unparen(s.rhs[0]!);
      if (l.kind === 'Ident' && r.kind === 'Ident' && r.name === 'true') out.push(l.name);
    }
  }
  return out;
}

/** Whether a function around the literal defers a release of the mutex (in a deferred literal or call). */
function releasedByEnclosingDefer(pass: Pass, file: PassFile, lit: ast.FuncLit, m: Mutex, unlock: LockMethod): boolean {
  const at = nodePos(lit);
  let found = false;
  const visit = (body: ast.BlockStmt): void => {
    walkNode(body, (x) => {
      if (found) return false;
      if (x === lit) return false;
      if (x.kind === 'DeferStmt') {
        const f = unparen(x.call.fun);
        const l = f.kind === 'FuncLit' ? undefined : lockCall(pass, x.call);
        if (f.kind === 'FuncLit' ? unlocksIn(pass, f.body, m, unlock) : l?.method === unlock && sameMutex(pass, m, l.mutex)) found = true;
        return false;
      }
      // Only literals on the way to this one are functions around it.
      if (x.kind === 'FuncLit') {
        if (nodePos(x) <= at && at < nodeEnd(x)) visit(x.body);
        return false;
      }
      return true;
    });
  };
  const decl = enclosingFuncDecl(file, lit);
  if (decl?.body) visit(decl.body);
  return found;
}

/** The for and range statements of fn's own code (not of its literals) that contain the node. */
function loopsAround(body: ast.BlockStmt, target: ast.Node): ast.Node[] {
  return around(body, target, (x) => x.kind === 'ForStmt' || x.kind === 'RangeStmt');
}

/** Whether the entry releases the mutex: a direct unlock, a same-package callee that unlocks it, or a hand-off. */
function releases(pass: Pass, n: ast.Node, m: Mutex, unlock: LockMethod): boolean {
  if (unlocksIn(pass, n, m, unlock)) return true;
  if (handsOff(pass, n, m)) return true;
  if (m.path) {
    for (const call of packageCallsIn(pass, n)) if (calleeUnlocks(pass, call, m.path, unlock)) return true;
    // `go ac.resetTransportAndUnlock()`: the lock is handed to a goroutine that releases it (a
    // sync mutex may be unlocked by another goroutine than the one that locked it).
    if (n.kind === 'GoStmt' && calleeUnlocks(pass, n.call, m.path, unlock)) return true;
  }
  return false;
}

/** The declaration of the method `x.m` when x's type is declared in this package. */
function methodDecl(pass: Pass, sel: ast.SelectorExpr): ast.FuncDecl | undefined {
  const candidates = methodsNamed(pass, sel.sel.name);
  if (candidates.length === 0) return undefined;
  let t = pass.types.typeOf(sel.x);
  if (t?.kind === 'pointer') t = t.elem;
  if (t?.kind !== 'named' || t.pkg !== pass.pkg.importPath) return undefined;
  for (const d of candidates) {
    let r = unparen(d.recv!.list![0]!.type!);
    if (r.kind === 'StarExpr') r = unparen(r.x);
    if (r.kind === 'IndexExpr' || r.kind === 'IndexListExpr') r = unparen(r.x);
    if (r.kind === 'Ident' && r.name === t.name) return d;
  }
  return undefined;
}

/** Whether fn refers to (without calling) a same-package method that unlocks the mutex, e.g. to return it as the release function. */
function handsOutUnlock(pass: Pass, fn: FuncNode, path: VarPath, unlock: LockMethod): boolean {
  const called = new Set<ast.Node>();
  let found = false;
  walkNode(fn.body!, (x) => {
    if (found) return false;
    if (x.kind === 'CallExpr') called.add(unparen(x.fun));
    if (x.kind !== 'SelectorExpr' || called.has(x)) return true;
    const decl = methodDecl(pass, x);
    if (!decl?.body) return true;
    const fake: ast.CallExpr = { kind: 'CallExpr', fun: x, lparen: -1, args: [], ellipsis: -1, rparen: -1 };
    const p = pathInCallee(pass, fake, decl, path);
    if (p && lockCallsIn(pass, decl.body).some((l) => l.method === unlock && samePathOf(pass, l.mutex, p))) found = true;
    return !found;
  });
  return found;
}

function samePathOf(pass: Pass, e: ast.Expr, p: VarPath): boolean {
  const q = varPath(pass, e);
  return !!q && samePath(q, p);
}

/** Every unlock of the mutex anywhere in fn, function literals included. */
function allUnlocks(pass: Pass, fn: FuncNode, m: Mutex, unlock: LockMethod): { direct: LockCall[]; inLiterals: boolean } {
  const direct: LockCall[] = [];
  let inLiterals = false;
  const visit = (n: ast.Node, lit: boolean): void => {
    walkNode(n, (x) => {
      // A literal deferred in place runs at exit in this goroutine: its unlock is this
      // function's own (deferredReleases), not one handed to someone else.
      if (x.kind === 'DeferStmt' && unparen(x.call.fun).kind === 'FuncLit') {
        visit((unparen(x.call.fun) as ast.FuncLit).body, lit);
        return false;
      }
      if (x.kind === 'FuncLit' && x !== n) {
        // A literal that locks the mutex itself (`time.AfterFunc(d, func() { q.mu.Lock(); defer
        // q.mu.Unlock(); ... })`) releases its own lock, not the one taken here.
        if (!locksItself(pass, x, m, unlock)) visit(x.body, true);
        return false;
      }
      if (x.kind === 'CallExpr') {
        const l = lockCall(pass, x);
        if (l && l.method === unlock && sameMutex(pass, m, l.mutex)) {
          if (lit) inLiterals = true;
          else direct.push(l);
        }
      }
      return true;
    });
  };
  if (fn.body) visit(fn.body, false);
  return { direct, inLiterals };
}

/**
 * Whether a function literal's own code takes the lock that `unlock` releases, on the same
 * mutex, before it first releases it: its unlocks pair with its own lock. (One that unlocks
 * first, `func() { mu.Unlock(); cb(); mu.Lock() }`, releases the caller's lock for a while.)
 */
function locksItself(pass: Pass, lit: ast.FuncLit, m: Mutex, unlock: LockMethod): boolean {
  const lock = unlock === 'RUnlock' ? 'RLock' : 'Lock';
  let first: 'lock' | 'unlock' | undefined;
  walkNode(lit.body, (x) => {
    if (first || x.kind === 'FuncLit') return false;
    if (x.kind === 'CallExpr') {
      const l = lockCall(pass, x);
      if (l && (l.method === lock || l.method === unlock) && sameMutex(pass, m, l.mutex)) first = l.method === lock ? 'lock' : 'unlock';
    }
    return !first;
  });
  return first === 'lock';
}

/** The defer statements of fn that release the mutex (directly, in a deferred literal, or through a same-package callee). */
function deferredReleases(pass: Pass, file: PassFile, fn: FuncNode, cfg: CFG, m: Mutex, unlock: LockMethod): Set<ast.DeferStmt> {
  const out = new Set<ast.DeferStmt>();
  let aliases: Set<string> | undefined;
  for (const d of cfg.defers) {
    const fun = unparen(d.call.fun);
    if (fun.kind === 'FuncLit') {
      let hit = false;
      walkNode(fun.body, (x) => {
        if (hit) return false;
        if (x.kind === 'CallExpr') {
          const l = lockCall(pass, x);
          if (l && l.method === unlock && sameMutex(pass, m, l.mutex)) hit = true;
          // The same value under another name (`expected, ok = next.(T)`, then `defer func() { if
          // expected != nil { expected.Unlock() } }()`): pgxmock's expectation search.
          else if (l && l.method === unlock) {
            aliases ??= aliasesOf(pass, fn, m.expr);
            const r = rootIdent(l.mutex);
            const owner = rootIdent(m.expr);
            if (r && owner && aliases.has(r.name) && textOf(file, l.mutex).replace(r.name, owner.name) === textOf(file, m.expr)) hit = true;
            // A parameter of the literal given the value (`defer func(fs *fileStore) { ...
            // fs.mu.Unlock() }(fs)`).
            const params = (fun.type.params?.list ?? []).flatMap((f) => f.names ?? []);
            const i = r ? params.findIndex((p) => p.name === r.name) : -1;
            const arg = i >= 0 ? d.call.args?.[i] : undefined;
            if (!hit && r && arg && textOf(file, l.mutex).replace(r.name, textOf(file, arg)) === textOf(file, m.expr)) hit = true;
          }
        }
        return !hit;
      });
      if (hit) out.add(d);
      continue;
    }
    if (releases(pass, d, m, unlock)) out.add(d);
  }
  return out;
}

/**
 * Local variables that the function sets from the value holding the mutex (`y = x`, `y, ok =
 * x.(T)`, `y := x`), for the mutex `x.mu` or `x` (embedded).
 */
function aliasesOf(pass: Pass, fn: FuncNode, mutex: ast.Expr): Set<string> {
  const out = new Set<string>();
  const owner = rootIdent(mutex);
  if (!owner || !fn.body) return out;
  const o = pass.types.objectOf(owner);
  walkNode(fn.body, (x) => {
    if (x.kind === 'FuncLit') return false;
    if (x.kind === 'AssignStmt' && x.rhs.length === 1) {
      let r = unparen(x.rhs[0]!);
      if (r.kind === 'TypeAssertExpr') r = unparen(r.x);
      const l = unparen(x.lhs[0]!);
      if (r.kind === 'Ident' && r.name === owner.name && pass.types.objectOf(r) === o && l.kind === 'Ident' && l.name !== owner.name) out.add(l.name);
    }
    return true;
  });
  return out;
}

/** The whole line of a statement that stands alone on its line (a trailing line comment allowed): [line start, next line start). */
function ownLine(file: PassFile, s: ast.Node): { start: number; end: number; indent: string } | undefined {
  const a = file.source.position(nodePos(s));
  const b = file.source.position(nodeEnd(s));
  if (a.line !== b.line) return undefined;
  const start = file.source.offsetOf(a.line, 1);
  const next = a.line < file.source.lineStarts.length ? file.source.lineStarts[a.line]! : file.source.size;
  const before = file.source.text(start, nodePos(s));
  const after = file.source.text(nodeEnd(s), next);
  if (!/^[ \t]*$/.test(before) || !/^[ \t]*(\/\/[^\n]*)?\r?\n?$/.test(after)) return undefined;
  return { start, end: next, indent: before };
}

/** Whether an unlock ends its path: followed only by a return, or by nothing up to the exit. */
function atPathEnd(cfg: CFG, stmt: ast.Node): boolean {
  const at = cfg.locate(stmt);
  if (!at || at.node !== stmt) return false;
  const rest = at.block.nodes.slice(at.index + 1);
  if (rest.length === 1 && rest[0]!.kind === 'ReturnStmt') return true;
  if (rest.length > 0) return false;
  // Empty blocks all the way to the exit.
  const seen = new Set<Block>();
  const stack = [...at.block.succs];
  while (stack.length > 0) {
    const b = stack.pop()!;
    if (seen.has(b)) continue;
    seen.add(b);
    if (b === cfg.exit) continue;
    if (b.nodes.length > 0 || b.succs.length === 0) return false;
    stack.push(...b.succs);
  }
  return seen.has(cfg.exit);
}

function fixFor(file: PassFile, cfg: CFG, lockS: ast.ExprStmt, lc: LockCall, unlock: LockMethod, unlocks: LockCall[]): FixInput | undefined {
  const lockLine = ownLine(file, lockS);
  if (!lockLine) return undefined;
  if (cfg.loopsContaining(cfg.locate(lockS)!.block).length > 0) return undefined;
  const edits: EditInput[] = [];
  const mu = textOf(file, lc.mutex);
  edits.push({ range: { pos: lockLine.end, end: lockLine.end }, newText: `${lockLine.indent}defer ${mu}.${unlock}()\n` });
  for (const u of unlocks) {
    const s = cfg.locate(u.call)?.node;
    if (!s || s.kind !== 'ExprStmt' || unparen(s.x) !== u.call || !atPathEnd(cfg, s)) return undefined;
    const line = ownLine(file, s);
    if (!line) return undefined;
    edits.push({ range: { pos: line.start, end: line.end }, newText: '' });
  }
  return { message: `defer ${mu}.${unlock}() right after the lock and drop the explicit unlocks at the ends of the paths`, edits };
}

const LOCKS: ReadonlySet<string> = new Set(['Lock', 'RLock']);

/**
 * Whether the lock statement locks the same mutex each time a loop comes back to it: the mutex
 * expression's root variable is not declared inside a loop around it (a range variable, or a
 * variable of the loop body, names a new mutex each iteration).
 */
function sameMutexEachTime(pass: Pass, cfg: CFG, stmt: ast.Node, mutex: ast.Expr): boolean {
  const root = rootIdent(mutex);
  if (!root) return false;
  const decl = pass.types.objectOf(root)?.decl;
  const at = cfg.locate(stmt);
  if (!decl || !at) return !!decl;
  // Also a mutex picked by an index the loop declares (`for _, i := range idx { s.shards[i].mu.Lock()
  // }`): each iteration locks another one.
  const indexVars: ast.Ident[] = [];
  walkNode(mutex, (x) => {
    if (x.kind === 'IndexExpr') walkNode(x.index, (y) => {
      if (y.kind === 'Ident') indexVars.push(y);
      return true;
    });
    return true;
  });
  const decls = [decl, ...indexVars.map((v) => pass.types.objectOf(v)?.decl).filter((d): d is ast.Ident => !!d)];
  for (const l of cfg.loopsContaining(at.block)) {
    if (decls.some((d) => nodePos(l.stmt) <= d.namePos && d.namePos < nodeEnd(l.stmt))) return false;
  }
  return true;
}

/**
 * An acquire helper (`func (c *Cache) lockShard(key string) (*shard, error)`) that returns an
 * error with the lock still held: by Go's convention its callers leave at once on an error, so a
 * caller whose error branch does not unlock leaves the mutex locked for good. Reported only when
 * such a caller is in the package.
 */
function checkAcquireFailure(pass: Pass, file: PassFile, fn: ast.FuncDecl, cfg: CFG, locks: readonly { stmt: ast.ExprStmt; lc: LockCall }[]): void {
  const results = fn.type.results?.list ?? [];
  const last = results[results.length - 1]?.type;
  if (!fn.body || last?.kind !== 'Ident' || last.name !== 'error') return;
  const failures: ast.ReturnStmt[] = [];
  walkNode(fn.body, (x) => {
    if (x.kind === 'FuncLit') return false;
    if (x.kind === 'ReturnStmt' && x.results?.length) {
      const r = unparen(x.results[x.results.length - 1]!);
      if (!(r.kind === 'Ident' && r.name === 'nil')) failures.push(x);
    }
    return true;
  });
  if (failures.length === 0) return;
  const node = callGraphOf(pass).nodeOf(fn);
  // Callers that leave on the error without unlocking, found first: most helpers have none, and
  // then no path needs following.
  const leaking: { e: CallEdge; file: PassFile; ret: ast.ReturnStmt }[] = [];
  for (const e of node?.in ?? []) {
    if (e.kind !== 'call' || e.site.kind !== 'CallExpr') continue;
    const cf = pass.fileOf(e.site);
    const ret = cf ? errorBranchKeeps(pass, cf, e.site as ast.CallExpr) : undefined;
    if (cf && ret) leaking.push({ e, file: cf, ret });
  }
  if (leaking.length === 0) return;
  for (const { stmt, lc } of locks) {
    const unlock = UNLOCK_FOR[lc.method]!;
    const m: Mutex = { expr: lc.mutex, path: varPath(pass, lc.mutex) };
    const deferred = deferredReleases(pass, file, fn, cfg, m, unlock);
    // A lock taken under a test (`if needLock { fs.mu.RLock() }`) is released under the same test.
    const guards = guardConds(fn, stmt).map((c) => textOf(file, c));
    const avoid = (n: ast.Node): boolean =>
      n !== stmt && ((guards.length > 0 && n.kind !== 'ExprStmt' && guards.includes(textOf(file, n))) || deferred.has(n as ast.DeferStmt) || releases(pass, n, m, unlock));
    const ret = failures.find((r) => cfg.pathExists(stmt, r, avoid));
    if (!ret) continue;
    for (const { e, file: cf, ret: leak } of leaking) {
      const mu = textOf(file, lc.mutex);
      const fname = funcName(file, fn);
      pass.report({
        node: stmt,
        file,
        confidence: lc.typed ? 'high' : 'medium',
        message: `${fname} returns ${textOf(file, unparen(ret.results![ret.results!.length - 1]!))} on line ${lineOf(file, ret)} with ${mu} still locked, and ${funcName(cf, e.caller.decl ?? e.caller.lit!)} (line ${lineOf(cf, leak)}${cf !== file ? ` of ${cf.path}` : ''}) leaves on that error without unlocking, as callers of a failed call do: ${mu} stays locked and the next ${mu}.${lc.method}() blocks forever; call ${mu}.${unlock}() before returning the error`,
        related: [{ node: ret, message: `returns the error with ${mu} held` }, { node: leak, file: cf, message: 'leaves on the error without unlocking' }],
      });
      break;
    }
  }
}

/**
 * For a call whose error result is tested right after (`sh, err := c.lockShard(key); if err !=
 * nil { return nil, false }`), the return of that error branch when the branch unlocks nothing
 * and calls nothing of the package.
 */
function errorBranchKeeps(pass: Pass, file: PassFile, call: ast.CallExpr): ast.ReturnStmt | undefined {
  const fn = enclosingFuncDecl(file, call);
  if (!fn?.body) return undefined;
  let out: ast.ReturnStmt | undefined;
  walkNode(fn.body, (x) => {
    if (out) return false;
    const list = stmtListOf(x);
    if (!list) return true;
    list.forEach((st, i) => {
      if (out) return;
      let assign: ast.Stmt | undefined;
      let test: ast.IfStmt | undefined;
      if (st.kind === 'IfStmt' && st.init?.kind === 'AssignStmt' && unparen(st.init.rhs[0]!) === call) [assign, test] = [st.init, st];
      else if (st.kind === 'AssignStmt' && st.rhs.length === 1 && unparen(st.rhs[0]!) === call && list[i + 1]?.kind === 'IfStmt') [assign, test] = [st, list[i + 1] as ast.IfStmt];
      if (!assign || !test || assign.kind !== 'AssignStmt') return;
      const errVar = unparen(assign.lhs[assign.lhs.length - 1]!);
      const c = unparen(test.cond);
      if (errVar.kind !== 'Ident' || c.kind !== 'BinaryExpr' || c.op !== '!=' || textOf(file, c.x) !== errVar.name || textOf(file, c.y) !== 'nil') return;
      if (lockCallsIn(pass, test.body).length > 0 || packageCallsIn(pass, test.body).length > 0) return;
      const r = test.body.list?.[test.body.list.length - 1];
      if (r?.kind === 'ReturnStmt') out = r;
    });
    return !out;
  });
  return out;
}

function checkFunc(pass: Pass, file: PassFile, fn: FuncNode): void {
  if (!fn.body || !callsMethodNamed(fn.body, LOCKS)) return;
  let cfg = cfgOf(pass, fn);
  if (!cfg) return;
  // A call of a module function that always panics (`web.Abort(401, "...")`) ends its path like a
  // panic of its own: whoever recovers it carries on with the lock held.
  let panicking = false;
  walkNode(fn.body, (x) => {
    if (panicking || x.kind === 'FuncLit') return false;
    const c = x.kind === 'ExprStmt' ? exprStmtCall(x) : null;
    if (c && !isPanicCall(c) && pass.alwaysPanics(c)) panicking = true;
    return !panicking;
  });
  if (panicking) {
    const g = callGraphOf(pass);
    cfg = buildCFG(fn.body, { mayReturn: (c) => g.mayReturn(c), panics: (c) => pass.alwaysPanics(c) });
  }
  const locks: { stmt: ast.ExprStmt; lc: LockCall }[] = [];
  for (const ref of cfg.entries({ liveOnly: true })) {
    const lc = lockStmt(pass, ref.node);
    if (lc && (lc.method === 'Lock' || lc.method === 'RLock')) locks.push({ stmt: ref.node as ast.ExprStmt, lc });
  }
  // A request handler never hands a held lock back to a caller, whatever it is called (LockAccount).
  if (locks.length === 0) return;
  if (intentionalAcquire(fn) && !requestHandler(pass, file, fn)) {
    if (fn.kind === 'FuncDecl') checkAcquireFailure(pass, file, fn, cfg, locks);
    return;
  }
  const fname = funcName(file, fn);
  for (const { stmt, lc } of locks) {
    const unlock = UNLOCK_FOR[lc.method]!;
    const m: Mutex = { expr: lc.mutex, path: varPath(pass, lc.mutex) };
    const { direct, inLiterals } = allUnlocks(pass, fn, m, unlock);
    // Never released here: an acquire helper. Released in a literal: handed to someone else to call.
    if (inLiterals) continue;
    if (direct.length === 0 && !(m.path && cfg.blocks.some((b) => b.nodes.some((n) => packageCallsIn(pass, n).length > 0 && releases(pass, n, m, unlock))))) continue;
    // A deferred release covers the paths that pass it. Registered before the lock on every way
    // to it, it covers everything; registered later (`mu.Lock(); if bad { return }; defer
    // mu.Unlock()`), the returns before it still leak.
    const deferred = deferredReleases(pass, file, fn, cfg, m, unlock);
    if (deferred.size > 0 && !cfg.pathExists(cfg.entry, stmt, (n) => n !== stmt && deferred.has(n as ast.DeferStmt))) continue;
    // Reached only after releasing the same mutex: the function re-acquires a lock its caller holds.
    if (!cfg.pathExists(cfg.entry, stmt, (n) => n !== stmt && releases(pass, n, m, unlock))) continue;
    // `if release { mu.Unlock() }; ...; if release { mu.Lock() }`: the same test let go of it first.
    if (relocksUnderSameGuard(pass, file, fn, lc.call, (u) => u.method === unlock && sameMutex(pass, m, u.mutex))) continue;
    // A method value that unlocks it is handed out (`return tx.dc, tx.closemuRUnlockRelease, nil`).
    if (m.path && handsOutUnlock(pass, fn, m.path, unlock)) continue;
    // A callback that keeps the lock between calls, released by a defer of the function around it
    // (`defer func() { if txLockHeld { vs.mu.Unlock() } }()`, then `stream(func(...) error {
    // vs.mu.Lock(); txLockHeld = true; ... })`).
    if (fn.kind === 'FuncLit' && releasedByEnclosingDefer(pass, file, fn, m, unlock)) continue;
    const guards = guardConds(fn, stmt).map((c) => textOf(file, c));
    // `if mu != nil { mu.Unlock() }` for a mutex pointer: after mu.Lock() succeeded mu is not nil
    // (centrifuge's optional per-channel publish locks).
    const muText = textOf(file, lc.mutex);
    for (const g of [`${muText} != nil`, `nil != ${muText}`]) if (textOf(file, fn.body).includes(g)) guards.push(g);
    // A flag set right after the lock and tested where the lock is released (`if lockHeld { mu.Unlock() }`).
    for (const flag of flagsSetAfter(fn, stmt)) {
      let releasing = false;
      walkNode(fn.body, (x) => {
        if (releasing || x.kind === 'FuncLit') return false;
        if (x.kind === 'IfStmt' && textOf(file, x.cond) === flag && unlocksIn(pass, x.body, m, unlock)) releasing = true;
        return !releasing;
      });
      if (releasing) guards.push(flag);
    }
    const avoid = (n: ast.Node): boolean => {
      if (n !== stmt && guards.length > 0 && n.kind !== 'ExprStmt' && guards.includes(textOf(file, n))) return true;
      return deferred.has(n as ast.DeferStmt) || releases(pass, n, m, unlock);
    };
    const mu = textOf(file, lc.mutex);
    const held = m.path ? formatPath(m.path) : mu;
    // A switch naming every constant of its tag's type matches one of them.
    const misses = exhaustiveSwitchMisses(pass, cfg);
    const avoidBlock = misses.size > 0 ? (b: Block) => misses.has(b) : undefined;
    // In a loop, a `continue` (or the end of the body) that comes back to the lock with the mutex
    // still held deadlocks on the next iteration, long before the function returns.
    // (A read lock taken again does not block by itself: only Lock is reported this way.)
    const again = lc.method === 'Lock' && sameMutexEachTime(pass, cfg, stmt, lc.mutex) ? cfg.findPath(stmt, stmt, { avoid: (n) => n !== stmt && avoid(n), avoidBlock }) : null;
    if (again) {
      const branch = again.flatMap((b) => b.nodes).find((n): n is ast.BranchStmt => n.kind === 'BranchStmt' && (n.tok === 'continue' || n.tok === 'goto'));
      const how = branch ? `the ${branch.tok} on line ${lineOf(file, branch)} goes` : 'the loop goes';
      pass.report({
        node: stmt,
        file,
        confidence: lc.typed ? 'high' : 'medium',
        message: `${mu}.${lc.method}() on line ${lineOf(file, stmt)} is not released before ${how} back to it: the next iteration's ${mu}.${lc.method}() blocks on the lock the goroutine still holds and deadlocks; call ${mu}.${unlock}() before the ${branch ? branch.tok : 'next iteration'}, or move the locked part into a function with defer ${mu}.${unlock}()`,
        related: [{ node: branch ?? stmt, message: branch ? `${branch.tok} with ${held} held` : 'locked again on the next iteration' }],
      });
      continue;
    }
    // Read locks taken in one loop and released by a later loop (`for ; pb.Next(); i++ { mu.RLock() }`,
    // then `for ; i > 0; i-- { mu.RUnlock() }`): the counts match, which paths cannot tell.
    if (lc.method === 'RLock' && direct.length > 0) {
      const mine = loopsAround(fn.body, stmt);
      const apart = (u: LockCall): boolean => {
        const theirs = loopsAround(fn.body!, u.call);
        return theirs.length > 0 && !theirs.some((l) => mine.includes(l));
      };
      if (mine.length > 0 && direct.every(apart)) continue;
    }
    const path = cfg.findPath(stmt, 'exit', { avoid, avoidBlock });
    // Locked again further on while still held (`m.Lock(); register(notify, m); m.Lock()`): the
    // mutex is a signal the goroutine waits on, released by whoever it registered; the first
    // Lock is theirs to undo.
    if (path && lc.method === 'Lock' && path.some((b) => b.nodes.some((n) => n !== stmt && lockCallsIn(pass, n).some((l) => l.call !== lc.call && l.method === 'Lock' && sameMutex(pass, m, l.mutex))))) continue;
    // That second Lock itself: the wait for the signal, after which the mutex is done with.
    if (path && lc.method === 'Lock' && locks.some((o) => o.stmt !== stmt && o.lc.method === 'Lock' && sameMutex(pass, m, o.lc.mutex) && cfg.pathExists(o.stmt, stmt, (n) => n !== o.stmt && releases(pass, n, m, unlock)))) continue;
    // Released on every failure path and kept only on the success path (`return t, nil`), with
    // another function of the package releasing it (a transaction's close): the lock is handed to
    // what the function returns, as in a database's begin-transaction.
    const releasers = path && direct.length > 0 ? releasersOf(pass, lc.mutex, unlock) : undefined;
    // Kept held under a marker that the releasing function tests (`rs.closemuScanHold = true`,
    // then `if rs.closemuScanHold { rs.closemu.RUnlock() }` in the next call).
    if (path && releasers && setsMarker(path, releasers)) continue;
    // A signal mutex: another function takes it and keeps it, and another releases it without
    // taking it. Waiting for the signal here may leave it held for the releaser to free.
    if (path && releasers && signalMutex(pass, lc.mutex, fn)) continue;
    // Unless a success return elsewhere releases it (`r.mu.Unlock(); return nil`): then the
    // success path that keeps it held forgot to.
    if (path && releasers && !releasesOnSuccess(fn, direct)) {
      const kept = new Set<ast.Node>();
      let p: Block[] | null = path;
      while (p) {
        const r = returnOfPath(p);
        if (!r || !successReturn(fn, r, direct)) break;
        kept.add(r);
        p = cfg.findPath(stmt, 'exit', { avoid: (n) => kept.has(n) || avoid(n), avoidBlock });
      }
      if (!p) continue;
    }
    if (!path) {
      // A panic with the lock held: whoever recovers it (net/http recovers every handler's
      // panic) carries on with the mutex locked for good.
      const toPanic = cfg.findPath(stmt, 'panic', { avoid, avoidBlock });
      const last = toPanic?.[toPanic.length - 1]?.nodes.at(-1);
      if (!toPanic || !last) continue;
      // It matters only if something recovers: high, not critical. A constant message
      // (`panic("unreachable")`) is an assertion that should never fire: low confidence.
      const call = last.kind === 'ExprStmt' ? unparen(last.x) : undefined;
      const arg = call?.kind === 'CallExpr' && isPanicCall(call) && call.args?.length === 1 ? unparen(call.args[0]!) : undefined;
      pass.report({
        node: stmt,
        file,
        severity: 'high',
        confidence: arg?.kind === 'BasicLit' ? 'low' : 'medium',
        message: `${mu}.${lc.method}() on line ${lineOf(file, stmt)} is not released before ${call?.kind === 'CallExpr' && !isPanicCall(call) ? `${textOf(file, call)} on line ${lineOf(file, last)}, which always panics` : `the panic on line ${lineOf(file, last)}`}: if anything recovers it (net/http recovers handler panics, and so do worker pools), ${held} stays locked and the next ${mu}.Lock() deadlocks; use defer ${mu}.${unlock}() right after the lock, which also runs when panicking`,
        related: [{ node: last, message: 'panics with the lock held' }],
      });
      continue;
    }
    const ret = returnOfPath(path);
    const where = ret ? `the return on line ${lineOf(file, ret)}` : `the end of ${fname}`;
    // With a deferred release further down, adding another would unlock twice: move that one up.
    const late = [...deferred][0];
    const fix = late ? undefined : fixFor(file, cfg, stmt, lc, unlock, direct);
    const remedy = late
      ? `move the defer ${callText(file, late.call)} on line ${lineOf(file, late)} up to right after the lock, or call ${mu}.${unlock}() on that path`
      : `call ${mu}.${unlock}() on that path or use defer ${mu}.${unlock}() right after the lock`;
    pass.report({
      node: stmt,
      file,
      confidence: lc.typed ? 'high' : 'medium',
      message: `${mu}.${lc.method}() on line ${lineOf(file, stmt)} is not released on the path to ${where}: ${fname} returns with ${held} still held, so the next ${mu}.Lock() deadlocks; ${remedy}`,
      related: [{ node: ret ?? fn.body, message: ret ? 'returns with the lock held' : 'end of the function, reached with the lock held' }],
      ...(fix ? { fixes: [fix] } : {}),
    });
  }
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    // Lock and RLock calls name "Lock": a file without the word has no function to check.
    if (!sourceMentions(file, 'Lock')) continue;
    file.inspector.preorder(['FuncDecl', 'FuncLit'], (fn) => checkFunc(pass, file, fn));
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'critical',
    summary: 'A mutex locked without a deferred unlock and a return (or the end of the function) reachable from the lock without passing an unlock.',
    enabledByDefault: true,
    fixable: true,
    category: 'locking',
    docUrl: docUrl(ID),
  },
  needs: (o) => bodyNeeds(o, { names: [...LOCK_NAMES] }),
  run,
};
