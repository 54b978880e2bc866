// defer-lock-mismatch: the deferred call does not undo the lock taken just before it on the same
// mutex: `mu.Lock(); defer mu.Lock()` (deadlock at exit), `mu.RLock(); defer mu.RLock()` (the read
// lock is never released), `mu.RLock(); defer mu.Unlock()` and `mu.Lock(); defer mu.RUnlock()`
// (fatal error: unlock of unlocked mutex; a fatal error cannot be recovered). Also a deferred
// Unlock (or RUnlock) after which the function unlocks the mutex itself and returns without
// locking it again: the deferred call then unlocks an unlocked mutex, the same fatal error.
import type * as ast from '../syntax/ast.js';
import { unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import type { LockMethod } from './catalog.js';
import { accessedField, boundCall, cfgOf, definingValue, deferNeeds, enclosingFunc, funcName, lineOf, listHolding, lockCall, lockCallsIn, refKey, sameRefKey, textOf, walkSameFunc, type FuncNode, type LockCall } from './helpers.js';
import { nodeContains } from '../types/cfg.js';

const ID = 'defer-lock-mismatch';

/**
 * The reference key of a mutex expression, also through an index that is a variable or a
 * literal (`s.parts[i]`, `locks[0]`): the same index expression names the same mutex here, as
 * long as the index is not assigned in between (the defer comes right after the lock).
 */
function mutexKey(pass: Pass, e: ast.Expr): string | undefined {
  const x = unparen(e);
  if (x.kind === 'IndexExpr') {
    const base = mutexKey(pass, x.x);
    const i = unparen(x.index);
    const idx = i.kind === 'BasicLit' ? i.value : i.kind === 'Ident' ? refKey(pass, i) : undefined;
    return base === undefined || idx === undefined ? undefined : `${base}[${idx}]`;
  }
  if (x.kind === 'SelectorExpr') {
    const base = mutexKey(pass, x.x);
    return base === undefined ? undefined : `${base}.${x.sel.name}`;
  }
  // `s.mutex()` returning `&s.mu`: the field itself, whichever call gave it.
  if (x.kind === 'CallExpr') {
    const field = accessedField(pass, x);
    const f = unparen(x.fun);
    const base = field && f.kind === 'SelectorExpr' ? mutexKey(pass, f.x) : undefined;
    return base === undefined ? undefined : `${base}.${field}`;
  }
  return refKey(pass, x);
}

/** What goes wrong when `deferred` runs at exit while the mutex is held by `held`; undefined when they match. */
function mismatch(held: LockMethod, deferred: LockMethod): { effect: string; fix: LockMethod } | undefined {
  if (held === 'Lock' && deferred === 'Lock') {
    return { effect: 'locks it a second time and deadlocks (sync mutexes are not reentrant)', fix: 'Unlock' };
  }
  if (held === 'RLock' && deferred === 'RLock') {
    return { effect: 'takes a second read lock, so neither read lock is ever released and every later Lock blocks forever', fix: 'RUnlock' };
  }
  if (held === 'RLock' && deferred === 'Unlock') {
    return { effect: 'releases a write lock that was never taken: "fatal error: sync: Unlock of unlocked RWMutex", which recover cannot stop', fix: 'RUnlock' };
  }
  if (held === 'Lock' && deferred === 'RUnlock') {
    return { effect: 'releases a read lock that was never taken: "fatal error: sync: RUnlock of unlocked RWMutex", which recover cannot stop', fix: 'Unlock' };
  }
  return undefined;
}

/** The statement lists enclosing the defer (innermost first), each with the index of the statement that holds it. */
function enclosingLists(stack: readonly ast.Node[]): { list: readonly ast.Stmt[]; index: number }[] {
  const out: { list: readonly ast.Stmt[]; index: number }[] = [];
  for (let i = stack.length - 1; i > 0; i--) {
    const n = stack[i]!;
    const parent = stack[i - 1]!;
    if (parent.kind === 'FuncDecl' || parent.kind === 'FuncLit') break;
    const list = parent.kind === 'BlockStmt' ? parent.list : parent.kind === 'CaseClause' || parent.kind === 'CommClause' ? parent.body : null;
    if (list) {
      const index = list.indexOf(n as ast.Stmt);
      if (index >= 0) out.push({ list, index });
    }
  }
  return out;
}

/**
 * The lock operation on the mutex that is in force where the defer runs: the last operation on it in
 * the statements before the defer, in its own list or an enclosing one. Undefined when there is none,
 * or when a statement before it operates on the mutex in a nested branch (the state is unclear).
 */
function lastOp(pass: Pass, stack: readonly ast.Node[], key: string): LockCall | undefined {
  for (const { list, index } of enclosingLists(stack)) {
    for (let i = index - 1; i >= 0; i--) {
      const ops = lockCallsIn(pass, list[i]!).filter((l) => sameRefKey(mutexKey(pass, l.mutex), key));
      if (ops.length === 0) continue;
      const st = list[i]!;
      // Only a plain statement `mu.Lock()` says for sure what is held; anything nested is ambiguous.
      if (ops.length === 1 && st.kind === 'ExprStmt' && unparen(st.x) === ops[0]!.call) return ops[0];
      return undefined;
    }
  }
  return undefined;
}

/**
 * Whether the function operates on the mutex again after the defer, on a path from it (then the
 * pairing may be deliberate). Another case of a switch that returns before it does not count.
 */
function usedAfter(pass: Pass, fn: FuncNode, d: ast.DeferStmt, key: string): boolean {
  if (!fn.body) return false;
  const later: ast.CallExpr[] = [];
  const after = d.call.rparen;
  walkSameFunc(fn.body, (x) => {
    if (x.kind === 'CallExpr' && x.lparen > after) {
      const l = lockCall(pass, x);
      if (l && sameRefKey(mutexKey(pass, l.mutex), key)) later.push(x);
    }
    return true;
  });
  if (later.length === 0) return false;
  const g = cfgOf(pass, fn);
  if (!g || !g.locate(d)) return true;
  return g.pathExists(d, (n) => n !== d && later.some((c) => nodeContains(n, (y) => y === c)));
}

/**
 * Whether a lock of unknown type is a handle returned by a call of code the resolver cannot see
 * (`lock, err := lockfile.GetLockFile(path)`, a `flock.New(path)`): file and process locks of
 * that kind take a read lock with RLock and release either kind with Unlock (they have no
 * RUnlock), so `lock.RLock(); defer lock.Unlock()` is their pairing. A sync.RWMutex is a field or
 * a variable of the code, whose type is known.
 */
function handleFromUnknownCall(pass: Pass, mutex: ast.Expr): boolean {
  const x = unparen(mutex);
  if (x.kind !== 'Ident') return false;
  const v = definingValue(pass, x);
  return !!v && unparen(v).kind === 'CallExpr' && !pass.types.typeOf(x);
}

function check(pass: Pass, file: PassFile, d: ast.DeferStmt, stack: readonly ast.Node[]): void {
  // Also through a method value held in a variable (`unlock := mu.Unlock; mu.RLock(); defer unlock()`).
  const call = boundCall(pass, d.call);
  const deferred = lockCall(pass, call);
  if (!deferred || deferred.method === 'TryLock' || deferred.method === 'TryRLock') return;
  const key = mutexKey(pass, deferred.mutex);
  if (key === undefined) return;
  const held = lastOp(pass, stack, key);
  if (!held || (held.method !== 'Lock' && held.method !== 'RLock')) return;
  const m = mismatch(held.method, deferred.method);
  if (!m) return;
  const fn = enclosingFunc(stack);
  if (!fn || usedAfter(pass, fn, d, key)) return;
  if (held.method === 'RLock' && deferred.method === 'Unlock' && !held.typed && handleFromUnknownCall(pass, deferred.mutex)) return;
  const mu = textOf(file, deferred.mutex);
  const fun = unparen(call.fun) as ast.SelectorExpr;
  const typed = held.typed && deferred.typed;
  pass.report({
    node: d,
    file,
    confidence: typed ? 'high' : 'medium',
    message: `${mu} is ${held.method === 'Lock' ? 'locked' : 'read-locked'} with ${held.method} on line ${lineOf(file, held.call)}, but the deferred ${textOf(file, d.call)}, run as ${funcName(file, fn)} returns, ${m.effect}; defer ${mu}.${m.fix}() instead`,
    related: [{ node: held.call, message: `${textOf(file, held.call)} takes the lock here` }],
    fixes: [{ message: `defer ${mu}.${m.fix}()`, edits: [{ node: fun.sel, newText: m.fix }] }],
  });
}

/** `defer mu.Unlock()` (or RUnlock) directly, with the mutex's key and the function around it. */
interface DeferredUnlock {
  deferred: LockCall;
  key: string;
  fn: FuncNode & { body: ast.BlockStmt };
}

function deferredUnlock(pass: Pass, d: ast.DeferStmt, stack: readonly ast.Node[]): DeferredUnlock | undefined {
  const deferred = lockCall(pass, boundCall(pass, d.call));
  if (!deferred || (deferred.method !== 'Unlock' && deferred.method !== 'RUnlock')) return undefined;
  const key = mutexKey(pass, deferred.mutex);
  const fn = enclosingFunc(stack);
  if (key === undefined || !fn?.body) return undefined;
  return { deferred, key, fn: fn as FuncNode & { body: ast.BlockStmt } };
}

/** The runtime's fatal error for this unlock of an unlocked mutex. */
function unlockedFatal(pass: Pass, unlock: LockCall): string {
  if (unlock.method === 'RUnlock') return 'RUnlock of unlocked RWMutex';
  return /RWMutex/.test(pass.types.callee(unlock.call)?.name ?? '') ? 'Unlock of unlocked RWMutex' : 'unlock of unlocked mutex';
}

/**
 * `mu.Lock(); defer mu.Unlock(); ...; if bad { mu.Unlock(); return }`: after the deferred unlock
 * is registered, an explicit unlock of the same mutex from which a return is reachable without
 * locking it again. The deferred call then unlocks an unlocked mutex as the function returns.
 */
function checkDoubleUnlock(pass: Pass, file: PassFile, d: ast.DeferStmt, u: DeferredUnlock): void {
  const { deferred, key, fn } = u;
  // Explicit releases of the same kind on the same mutex in the function's own code.
  const unlocks: ast.ExprStmt[] = [];
  walkSameFunc(fn.body, (x) => {
    if (x.kind === 'DeferStmt' || x.kind === 'GoStmt') return false;
    if (x.kind === 'ExprStmt') {
      const c = unparen(x.x);
      const l = c.kind === 'CallExpr' ? lockCall(pass, c) : undefined;
      if (l && l.method === deferred.method && sameRefKey(mutexKey(pass, l.mutex), key)) unlocks.push(x);
    }
    return true;
  });
  if (unlocks.length === 0) return;
  const g = cfgOf(pass, fn);
  if (!g || !g.locate(d)) return;
  const isRelock = (y: ast.Node): boolean => {
    if (y.kind !== 'CallExpr') return false;
    const l = lockCall(pass, y);
    return !!l && l.method !== 'Unlock' && l.method !== 'RUnlock' && sameRefKey(mutexKey(pass, l.mutex), key);
  };
  // A lock, or a deferred lock registered after the unlock (`mu.Unlock(); defer mu.Lock()`): it
  // runs first at exit, so the earlier deferred unlock finds the mutex locked.
  const relocks = (n: ast.Node): boolean => (n.kind === 'DeferStmt' ? isRelock(n.call) : nodeContains(n, isRelock));
  for (const u of unlocks) {
    // Reached from the defer with the mutex still held: no lock of it on the way (after a
    // relock, `mu.Lock(); ...; mu.Unlock()`, the explicit unlock balances that lock).
    if (!g.locate(u) || !g.pathExists(d, u, (n) => n !== u && relocks(n))) continue;
    // From the explicit unlock to a return with no Lock (or RLock, TryLock) of the mutex between.
    const path = g.findPath(u, 'exit', { avoid: (n) => n !== u && relocks(n) });
    if (!path) continue;
    const mu = textOf(file, deferred.mutex);
    const fatal = unlockedFatal(pass, deferred);
    const fname = funcName(file, fn);
    const what = deferred.method === 'RUnlock' ? 'read-unlocks' : 'unlocks';
    pass.report({
      node: u,
      file,
      confidence: deferred.typed ? 'high' : 'medium',
      message: `${textOf(file, u.x)} ${what} ${mu} here, and the deferred ${textOf(file, d.call)} (line ${lineOf(file, d)}) ${what} it again as ${fname} returns: "fatal error: sync: ${fatal}", which recover cannot stop; drop this explicit ${deferred.method} and let the defer release the lock, or lock ${mu} again before returning`,
      related: [{ node: d, message: `the deferred ${textOf(file, d.call)}` }],
    });
    return;
  }
}

/**
 * `if ok { mu.Lock() }; defer mu.Unlock()`: the function locks the mutex itself before the defer,
 * but a path from its start reaches the defer without any lock of it. On that path the deferred
 * unlock releases a mutex that is not locked. (A function that locks it nowhere before the defer
 * releases its caller's lock, on purpose.)
 */
function checkUnlockWithoutLock(pass: Pass, file: PassFile, d: ast.DeferStmt, u: DeferredUnlock): void {
  const { deferred, key, fn } = u;
  const want = deferred.method === 'Unlock' ? 'Lock' : 'RLock';
  // Any acquisition of the mutex counts on the way (TryLock in a condition, the other kind too).
  const acquires = (y: ast.Node): boolean => {
    if (y.kind !== 'CallExpr') return false;
    const l = lockCall(pass, y);
    return !!l && l.method !== 'Unlock' && l.method !== 'RUnlock' && sameRefKey(mutexKey(pass, l.mutex), key);
  };
  let first: LockCall | undefined;
  walkSameFunc(fn.body, (x) => {
    if (first || x.kind === 'DeferStmt' || x.kind === 'GoStmt' || x.kind === 'FuncLit') return false;
    if (x.kind === 'CallExpr' && x.lparen < d.defer) {
      const l = lockCall(pass, x);
      if (l && l.method === want && sameRefKey(mutexKey(pass, l.mutex), key)) first = l;
    }
    return !first;
  });
  if (!first) return;
  // `mu.Lock(); defer mu.Unlock()`, the common case: every path to the defer passes the lock.
  const list = listHolding(fn.body, d);
  const before = list[list.indexOf(d) - 1];
  if (before?.kind === 'ExprStmt' && acquires(unparen(before.x))) return;
  const g = cfgOf(pass, fn);
  if (!g || !g.locate(d) || !g.locate(first.call)) return;
  if (!g.findPath(g.entry, d, { avoid: (n) => nodeContains(n, acquires) })) return;
  const mu = textOf(file, deferred.mutex);
  const lockText = textOf(file, first.call);
  const fatal = unlockedFatal(pass, deferred);
  pass.report({
    node: d,
    file,
    confidence: deferred.typed ? 'high' : 'medium',
    message: `${lockText} on line ${lineOf(file, first.call)} runs only on some paths to the deferred ${textOf(file, d.call)}, and on the others ${mu} is not locked when ${funcName(file, fn)} returns, so the deferred call fails with "fatal error: sync: ${fatal}", which recover cannot stop; lock ${mu} on every path before the defer, or defer the ${deferred.method} right after the ${want} in the same branch`,
    related: [{ node: first.call, message: `${lockText}, taken only on some paths` }],
  });
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    file.inspector.withStack(['DeferStmt'], (d, stack) => {
      check(pass, file, d, stack);
      const u = deferredUnlock(pass, d, stack);
      if (!u) return;
      checkDoubleUnlock(pass, file, d, u);
      checkUnlockWithoutLock(pass, file, d, u);
    });
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'critical',
    summary: 'A deferred Lock, RLock, Unlock or RUnlock that does not undo the lock just taken on the same mutex, or a deferred unlock of a mutex the function already unlocked: deadlock or fatal error at exit.',
    enabledByDefault: true,
    fixable: true,
    category: 'locking',
    docUrl: docUrl(ID),
  },
  needs: deferNeeds,
  run,
};
