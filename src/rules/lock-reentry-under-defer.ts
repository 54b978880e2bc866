// lock-reentry-under-defer: while a mutex is held until the function returns (`mu.Lock(); defer
// mu.Unlock()`), the function locks the same mutex again, directly or through same-package
// callees. sync.Mutex is not reentrant: the goroutine deadlocks on itself.
import type * as ast from '../syntax/ast.js';
import { end as nodeEnd, pos as nodePos, unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile, RelatedInput } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { walkNode, type Block, type CFG } from '../types/cfg.js';
import type { FuncNode as GraphNode } from '../types/callgraph.js';
import { UNLOCK_FOR, type LockMethod } from './catalog.js';
import {
  assignsVar, callsMethodNamed, guardConds, plainLiteralText, relocksUnderSameGuard, skippedForCall, type CallTrail, callText, sourceMentions, cfgOf, hasDefer, funcName, lineOf, lockCall, lockCallsIn, lockStmt, packageCallsIn, sameExpr, samePath, searchCallees, textOf, varPath, walkSameFunc,
  type FuncNode, type LockCall, type VarPath, bodyNeeds, LOCK_NAMES,
} from './helpers.js';

const ID = 'lock-reentry-under-defer';
const MAX_DEPTH = 3;

interface Held {
  stmt: ast.ExprStmt;
  lock: LockCall;
  unlock: LockMethod;
  path: VarPath | undefined;
  deferStmt: ast.DeferStmt;
  /** Tests of the lock's own guard whose body unlocks (see sameGuardUnlocks). */
  guarded: Set<ast.Node>;
}

function sameMutex(pass: Pass, h: { lock: LockCall; path: VarPath | undefined }, e: ast.Expr): boolean {
  if (h.path) {
    const p = varPath(pass, e);
    return !!p && samePath(h.path, p);
  }
  return sameExpr(h.lock.mutex, e);
}

/** The defer statement that releases the lock at function exit (`defer mu.Unlock()` or a deferred literal that unlocks it). */
function deferredUnlock(pass: Pass, cfg: CFG, h: { lock: LockCall; path: VarPath | undefined }, unlock: LockMethod): ast.DeferStmt | undefined {
  for (const d of cfg.defers) {
    const fun = unparen(d.call.fun);
    let hit = false;
    if (fun.kind === 'FuncLit') {
      // A literal that takes the mutex itself before unlocking it (`defer func() { mu.Lock();
      // ...; mu.Unlock() }()`) is a critical section of its own, not the release of this lock.
      let relocked = false;
      walkNode(fun.body, (x) => {
        if (hit || relocked) return false;
        if (x.kind === 'CallExpr') {
          const l = lockCall(pass, x);
          if (l && sameMutex(pass, h, l.mutex)) {
            if (l.method === unlock) hit = true;
            else if (l.method === 'Lock' || l.method === 'RLock') relocked = true;
          }
        }
        return !hit && !relocked;
      });
    } else {
      const l = lockCall(pass, d.call);
      hit = !!l && l.method === unlock && sameMutex(pass, h, l.mutex);
    }
    if (hit) return d;
  }
  return undefined;
}

/** Entries reachable from `from` (exclusive) without passing an entry matching `stop`; the stopping entries are not included. */
function reachedEntries(cfg: CFG, from: ast.Node, stop: (n: ast.Node) => boolean): ast.Node[] {
  const at = cfg.locate(from);
  if (!at) return [];
  const out: ast.Node[] = [];
  const seen = new Set<Block>();
  const scan = (b: Block, i: number): boolean => {
    for (; i < b.nodes.length; i++) {
      const n = b.nodes[i]!;
      if (stop(n)) return false;
      out.push(n);
    }
    return true;
  };
  const queue: Block[] = [];
  if (scan(at.block, at.index + 1)) queue.push(...at.block.succs);
  while (queue.length > 0) {
    const b = queue.shift()!;
    if (seen.has(b)) continue;
    seen.add(b);
    if (scan(b, 0)) queue.push(...b.succs);
  }
  return out;
}

/** A Lock/RLock of the mutex `path` in fn reachable from its entry without an unlock of it first. */
/**
 * Whether, in the callee the search is in, every way to the call site first unlocks the mutex:
 * `o.mu.Unlock(); o.checkState(); o.mu.Lock()` in a function that runs with o.mu held calls
 * checkState with the lock released.
 */
function releasedBefore(pass: Pass, trail: CallTrail & { path?: VarPath }, site: ast.CallExpr): boolean {
  const g = trail.funcs[trail.funcs.length - 1];
  const path = trail.path;
  if (!g || !path || !g.body) return false;
  // Most functions on the way unlock nothing: no CFG needed for them.
  let unlocks = unlockingBodies.get(g.body);
  if (unlocks === undefined) unlockingBodies.set(g.body, (unlocks = callsMethodNamed(g.body, UNLOCKS)));
  if (!unlocks) return false;
  const f = (g.decl ?? g.lit)!;
  const cfg = cfgOf(pass, f);
  if (!cfg) return false;
  const at = nodePos(site);
  const holds = (n: ast.Node) => nodePos(n) <= at && at < nodeEnd(n);
  const releases = (n: ast.Node) => n.kind !== 'DeferStmt' && !holds(n) && lockCallsIn(pass, n).some((l) => (l.method === 'Unlock' || l.method === 'RUnlock') && samePathOf(pass, l.mutex, path));
  if (!cfg.blocks.some((b) => b.nodes.some(holds))) return false;
  return !cfg.pathExists(cfg.entry, holds, releases);
}

function locksOnEntry(pass: Pass, fn: GraphNode, path: VarPath, trail: CallTrail): LockCall | undefined {
  if (!fn.body) return undefined;
  // `c = parent` in the callee: its c.mu is another mutex from then on.
  if (path.decl && !path.global && assignsVar(pass, fn.body, path.decl)) return undefined;
  let locks = lockCallsIn(pass, fn.body).filter((l) => (l.method === 'Lock' || l.method === 'RLock') && samePathOf(pass, l.mutex, path) && !skippedForCall(trail, l.call));
  if (locks.length === 0) return undefined;
  // `defer c.mu.Lock(); c.mu.Unlock(); return callback()`: the callee lets go of the caller's lock
  // around a callback and takes it back as it returns, which the caller expects. Its deferred
  // lock is no second lock.
  const deferredLocks = new Set<ast.CallExpr>();
  walkSameFunc(fn.body, (x) => {
    if (x.kind === 'DeferStmt') for (const l of lockCallsIn(pass, x)) deferredLocks.add(l.call);
    return true;
  });
  if (deferredLocks.size > 0) {
    const unlocksItself = lockCallsIn(pass, fn.body).some((l) => (l.method === 'Unlock' || l.method === 'RUnlock') && !deferredLocks.has(l.call) && samePathOf(pass, l.mutex, path));
    if (unlocksItself) locks = locks.filter((l) => !deferredLocks.has(l.call));
    if (locks.length === 0) return undefined;
  }
  const f = (fn.decl ?? fn.lit)!;
  // `if release { o.mu.Unlock() }; ...; if release { o.mu.Lock() }` in a function that runs with
  // o.mu held: the lock takes back what the same test let go of (rclone's RWFileHandle._readAt).
  const file = pass.fileOf(f);
  if (file) locks = locks.filter((l) => !relocksUnderSameGuard(pass, file, f, l.call, (u) => (u.method === 'Unlock' || u.method === 'RUnlock') && samePathOf(pass, u.mutex, path)));
  if (locks.length === 0) return undefined;
  const cfg = cfgOf(pass, f);
  if (!cfg) return undefined;
  const releases = (n: ast.Node) => n.kind !== 'DeferStmt' && lockCallsIn(pass, n).some((l) => (l.method === 'Unlock' || l.method === 'RUnlock') && samePathOf(pass, l.mutex, path));
  for (const l of locks) {
    const target = (n: ast.Node) => lockCallsIn(pass, n).some((x) => x.call === l.call) && !(n.kind === 'GoStmt');
    if (cfg.pathExists(cfg.entry, target, releases)) return l;
  }
  return undefined;
}

function samePathOf(pass: Pass, e: ast.Expr, p: VarPath): boolean {
  const q = varPath(pass, e);
  return !!q && samePath(q, p);
}

function describe(h: Held, again: LockMethod): string {
  if (h.lock.method === 'RLock' && again === 'RLock') {
    return 'a recursive read lock deadlocks as soon as another goroutine calls Lock between the two RLocks';
  }
  return 'sync mutexes are not reentrant, so the goroutine deadlocks on itself';
}

const LOCKS: ReadonlySet<string> = new Set(['Lock', 'RLock']);
const UNLOCKS: ReadonlySet<string> = new Set(['Unlock', 'RUnlock']);
const unlockingBodies = new WeakMap<ast.Node, boolean>();

/**
 * The conditions of if statements that test the same condition as one guarding the lock and
 * unlock it in their body: `if doLock { s.RLock() }; ...; if doLock { s.RUnlock() }`. A path
 * through such a test takes the unlocking side, as the lock's side was taken.
 */
function sameGuardUnlocks(pass: Pass, file: PassFile, fn: FuncNode, lockStmtNode: ast.Node, h: { lock: LockCall; path: VarPath | undefined }, unlock: LockMethod): Set<ast.Node> {
  const out = new Set<ast.Node>();
  const guards = guardConds(fn, lockStmtNode).map((c) => textOf(file, c));
  if (guards.length === 0 || !fn.body) return out;
  walkNode(fn.body, (x) => {
    if (x.kind === 'FuncLit') return false;
    if (x.kind === 'IfStmt' && nodePos(x.cond) > nodePos(lockStmtNode) && guards.includes(textOf(file, x.cond))) {
      if (lockCallsIn(pass, x.body).some((l) => l.method === unlock && sameMutex(pass, h, l.mutex))) out.add(x.cond);
    }
    return true;
  });
  return out;
}

/** The `x == literal` tests among the conditions (also on either side of `&&`), as expression text → literal text. */
function equalityTests(file: PassFile, conds: readonly ast.Expr[]): Map<string, string> {
  const out = new Map<string, string>();
  const add = (c: ast.Expr): void => {
    const x = unparen(c);
    // A boolean flag and its negation (`if hold { mu.Lock() ... }` and `if !hold { mu.Lock() }`).
    if (x.kind === 'Ident' || x.kind === 'SelectorExpr') {
      out.set(textOf(file, x), 'true');
      return;
    }
    if (x.kind === 'UnaryExpr' && x.op === '!') {
      const y = unparen(x.x);
      if (y.kind === 'Ident' || y.kind === 'SelectorExpr') out.set(textOf(file, y), 'false');
      return;
    }
    if (x.kind !== 'BinaryExpr') return;
    if (x.op === '&&') {
      add(x.x);
      add(x.y);
      return;
    }
    if (x.op !== '==') return;
    const l = unparen(x.x);
    const r = unparen(x.y);
    const plain = (e: ast.Expr) => e.kind === 'BasicLit' && plainLiteralText(e.value);
    if (plain(r) && !plain(l)) out.set(textOf(file, l), (r as ast.BasicLit).value);
    else if (plain(l) && !plain(r)) out.set(textOf(file, r), (l as ast.BasicLit).value);
  };
  for (const c of conds) add(c);
  return out;
}

/** Whether two sets of equality tests cannot hold together: the same expression compared with two different literals. */
function exclusive(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  for (const [e, v] of a) {
    const w = b.get(e);
    if (w !== undefined && w !== v) return true;
  }
  return false;
}

/**
 * Whether `n` is reached from the lock only through the back edge of a loop that holds the
 * deferred unlock: every path from the lock to `n` passes that loop's header.
 */
function nextIterationOnly(cfg: CFG, deferStmt: ast.DeferStmt, lock: ast.Node, n: ast.Node): boolean {
  const at = cfg.locate(deferStmt);
  const target = cfg.locate(n);
  if (!at || !target) return false;
  for (const l of cfg.loopsContaining(at.block)) {
    if (!cfg.loopsContaining(target.block).includes(l)) continue;
    if (cfg.findPath(lock, n, { avoidBlock: (b) => b === l.header }) === null) return true;
  }
  return false;
}

/**
 * Whether the same call was made before the lock, for its effect only, although it returns a
 * value (`c.load(x) // Ensure fromGoType is called outside of lock.`, then `mu.Lock(); defer
 * mu.Unlock()` and `typ := c.load(x)`): a warm-up of a cache, after which the call under the lock
 * finds the value and does not reach the lock again (cue's cuego). A call returning nothing or
 * only an error (`c.flush()`, `c.save()`) is no warm-up: doing it again does it again.
 */
function warmedUpBefore(pass: Pass, file: PassFile, body: ast.BlockStmt, lockStmtNode: ast.Node, call: ast.CallExpr): boolean {
  const text = textOf(file, call);
  let found = false;
  walkSameFunc(body, (x) => {
    if (found || nodePos(x) >= nodePos(lockStmtNode)) return false;
    if (x.kind !== 'ExprStmt') return true;
    const c = unparen(x.x);
    if (c.kind !== 'CallExpr' || textOf(file, c) !== text) return false;
    const t = pass.types.typeOf(c);
    const results = !t ? [] : t.kind === 'tuple' ? t.types : [t];
    if (results.some((r) => !(r.kind === 'named' && r.pkg === '' && r.name === 'error'))) found = true;
    return false;
  });
  return found;
}

function checkFunc(pass: Pass, file: PassFile, fn: FuncNode): void {
  // Only a function that locks and defers can hold a lock until it returns.
  if (!fn.body || !file.inspector.contains(fn, ['DeferStmt']) || !hasDefer(fn.body) || !callsMethodNamed(fn.body, LOCKS)) return;
  const cfg = cfgOf(pass, fn);
  if (!cfg) return;
  const held: Held[] = [];
  for (const ref of cfg.entries({ liveOnly: true })) {
    const lc = lockStmt(pass, ref.node);
    if (!lc || (lc.method !== 'Lock' && lc.method !== 'RLock')) continue;
    const unlock = UNLOCK_FOR[lc.method]!;
    const h = { lock: lc, path: varPath(pass, lc.mutex) };
    const d = deferredUnlock(pass, cfg, h, unlock);
    if (!d || nodePos(d) <= nodePos(ref.node)) continue;
    // The defer must be reached from this lock with the mutex still held: `mu.Lock(); f(); mu.Unlock()`
    // in a loop above a later `mu.Lock(); defer mu.Unlock()` is a critical section of its own.
    const guarded = sameGuardUnlocks(pass, file, fn, ref.node, h, unlock);
    const released = (n: ast.Node) => guarded.has(n) || (n.kind !== 'DeferStmt' && lockCallsIn(pass, n).some((l) => l.method === unlock && sameMutex(pass, h, l.mutex)));
    if (!cfg.pathExists(ref.node, d, released)) continue;
    held.push({ stmt: ref.node as ast.ExprStmt, lock: lc, unlock, path: h.path, deferStmt: d, guarded });
  }
  const fname = funcName(file, fn);
  for (const h of held) {
    if (h.path?.decl && !h.path.global && assignsVar(pass, fn.body, h.path.decl)) continue;
    const mu = textOf(file, h.lock.mutex);
    const lockLine = lineOf(file, h.stmt);
    const releases = (n: ast.Node) => h.guarded.has(n) || (n.kind !== 'DeferStmt' && lockCallsIn(pass, n).some((l) => (l.method === 'Unlock' || l.method === 'RUnlock') && sameMutex(pass, h, l.mutex)));
    const heldIntro = `${mu} is locked on line ${lockLine} and held until ${fname} returns (deferred unlock on line ${lineOf(file, h.deferStmt)})`;
    const related: RelatedInput[] = [
      { node: h.stmt, message: `${mu}.${h.lock.method}() takes the lock` },
      { node: h.deferStmt, message: 'the unlock runs only at function exit' },
    ];
    const confidence = h.lock.typed ? 'high' : 'medium';
    // The statement declaring the mutex's variable: going back through it (`b := newBroadcaster()`
    // in a loop body) reaches another instance, whose mutex is not the one held.
    const declAt = h.path?.decl && !h.path.global ? nodePos(h.path.decl) : -1;
    const redeclares = (n: ast.Node) => declAt >= 0 && (n.kind === 'AssignStmt' || n.kind === 'DeclStmt' || n.kind === 'RangeStmt') && nodePos(n) <= declAt && declAt < nodeEnd(n);
    const lockTests = equalityTests(file, guardConds(fn, h.stmt));
    for (const n of reachedEntries(cfg, h.stmt, (x) => releases(x) || redeclares(x))) {
      // A deferred call registered after the deferred unlock runs before it, with the lock held.
      if (n.kind === 'DeferStmt' && nodePos(n) < nodePos(h.deferStmt)) continue;
      if (n.kind === 'GoStmt' || n === h.stmt) continue;
      // Under `if code == "A"` the lock, under `if code == "B"` the call: never both.
      if (lockTests.size > 0 && exclusive(lockTests, equalityTests(file, guardConds(fn, n)))) continue;
      const direct = lockCallsIn(pass, n).find((l) => (l.method === 'Lock' || l.method === 'RLock') && sameMutex(pass, h, l.mutex));
      // The deferred unlock sits in a loop and the second lock comes only in a later iteration
      // (another case of the same switch, or earlier in the body): that is defer-in-loop's
      // finding (its next iteration deadlocks), reported there on the defer.
      if (direct && n.kind !== 'DeferStmt' && nextIterationOnly(cfg, h.deferStmt, h.stmt, n)) continue;
      if (direct && n.kind !== 'DeferStmt') {
        pass.report({
          node: direct.call,
          file,
          confidence,
          message: `${heldIntro}, but line ${lineOf(file, direct.call)} locks ${mu} again: ${describe(h, direct.method)}; remove the second lock or release the first before it`,
          related,
        });
        break;
      }
      if (!h.path) continue;
      let reported = false;
      for (const call of packageCallsIn(pass, n)) {
        if (warmedUpBefore(pass, file, fn.body, h.stmt, call)) continue;
        const chain = searchCallees(pass, call, h.path, (g, p, trail) => locksOnEntry(pass, g, p, trail), MAX_DEPTH, (_callee, site, trail) => !skippedForCall(trail, site) && !releasedBefore(pass, trail, site));
        if (!chain) continue;
        const inner = chain.found;
        const innerFile = pass.fileOf(inner.call) ?? file;
        const names = chain.funcs.map((g, i) => {
          const f = (g.decl ?? g.lit)!;
          const name = funcName(pass.fileOf(f) ?? file, f);
          // A literal reached through the local variable holding it: `bump (the function literal on line 9)`.
          const via = unparen(chain.calls[i]!.fun);
          return g.lit && via.kind === 'Ident' ? `${via.name} (${name})` : name;
        });
        const how = n.kind === 'DeferStmt' ? `the deferred ${callText(file, call)} (registered after the unlock, so it runs first)` : `${callText(file, call)} on line ${lineOf(file, call)}`;
        pass.report({
          node: call,
          file,
          confidence,
          message: `${heldIntro}, but ${how} locks it again (${[fname, ...names].join(' → ')} → ${callText(innerFile, inner.call)} on line ${lineOf(innerFile, inner.call)}): ${describe(h, inner.method)}; call a variant that expects the lock to be held, or release it before the call`,
          related: [...related, { node: inner.call, file: innerFile, message: `${callText(innerFile, inner.call)} locks the same mutex` }],
        });
        reported = true;
        break;
      }
      if (reported) break;
    }
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
    summary: 'While a mutex is held until function exit, the function locks the same mutex again (directly or through same-package callees): self-deadlock.',
    enabledByDefault: true,
    fixable: false,
    category: 'locking',
    docUrl: docUrl(ID),
  },
  needs: (o) => bodyNeeds(o, { kinds: ['DeferStmt'], names: [...LOCK_NAMES] }),
  run,
};
