// exit-skips-defer: os.Exit, log.Fatal and the Fatal families of the common loggers end the process
// at once; deferred calls already registered in the function never run (files stay unflushed,
// temporary files stay on disk, buffered logs are lost). Found on the control-flow graph: an exit on
// a path where a defer has run, directly or through a same-package helper that always exits.
import type * as ast from '../syntax/ast.js';
import { forEachChild, pos as nodePos, unparen } from '../syntax/nodes.js';
import { NOPOS } from '../syntax/ast.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import type { CallGraph } from '../types/callgraph.js';
import type { CFG } from '../types/cfg.js';
import { docUrl } from '../findings/model.js';
import { HARMLESS_AT_EXIT } from './catalog.js';
import { callName, exitGraph, fileOfExitCall, nameWords, funcName, isRecoverCall, lineOf, processExit, sameExpr, textOf, definingValue, deferNeeds, walkSameFunc, type FuncNode } from './helpers.js';

const ID = 'exit-skips-defer';

interface ExitSite {
  call: ast.CallExpr;
  /** The bodies of the helpers the exit goes through (`fail := func(err error) { w.Flush(); os.Exit(1) }`). */
  through?: ast.Node[];
  /** What ends the process: `log.Fatal`, or `fatalf → log.Fatalf` through helpers. */
  shown: string;
  /** For a helper that exits only on some calls: when (`fatalIf exits depending on its err argument`). */
  when?: string;
  typed: boolean;
}

function exitSite(pass: Pass, file: PassFile, g: CallGraph, call: ast.CallExpr): ExitSite | undefined {
  const direct = processExit(pass, file, call);
  if (direct) return { call, shown: direct.name, typed: direct.typed };
  const target = g.calleeOf(call);
  if (!target) return undefined;
  const fun = unparen(call.fun);
  // A literal called in place is code of this function (its exits are found as calls of their own).
  if (target.lit && fun.kind !== 'Ident') return undefined;
  const chain = g.exitChain(target);
  if (!chain) return target.decl ? conditionalExit(pass, file, call, target.decl) : undefined;
  const endFile = fileOfExitCall(pass, chain.call);
  const end = endFile ? processExit(pass, endFile, chain.call) : undefined;
  if (!end) return undefined;
  // A literal held by a local variable (`fatal := func(...) {...; os.Exit(1)}`) goes by the variable's name.
  const names = chain.nodes.map((n, i) => (i === 0 && target.lit && fun.kind === 'Ident' ? `${fun.name} (the function literal on line ${lineOf(file, target.lit)})` : n.name));
  const through = chain.nodes.map((n) => n.body).filter((b): b is ast.BlockStmt => !!b);
  return { call, shown: `${names.join(' → ')} → ${end.name}`, typed: end.typed, through };
}

/**
 * A same-package helper that exits when its argument says so (`fatalIf(err, "open store")` with
 * `if err == nil { return }; ...; os.Exit(1)`, or `if err != nil { ...; log.Fatal(err) }`): an
 * `if` of its own top-level statements tests one of its parameters and either holds the exit or
 * returns, with the exit after it. At the call, the process ends whenever that argument is set.
 */
function conditionalExit(pass: Pass, file: PassFile, call: ast.CallExpr, decl: ast.FuncDecl): ExitSite | undefined {
  const list = decl.body?.list ?? [];
  const declFile = pass.fileOf(decl);
  // A helper for the purpose returns nothing: a command that returns an error (`cmdPut(c, args)
  // error`) and exits deep in one branch is another matter.
  // And it is small (`fatalIf` is a test, a message and the exit): a long worker that checks its
  // input first is not called for its exit.
  if (!declFile || list.length === 0 || list.length > 4 || (decl.type.results?.list ?? []).length > 0) return undefined;
  const paramNames = (decl.type.params.list ?? []).flatMap((f) => (f.names ?? []).map((n) => n.name));
  const params = new Set(paramNames);
  const testsParam = (cond: ast.Expr): string | undefined => {
    let hit: string | undefined;
    walkSameFunc(cond, (x) => {
      if (!hit && x.kind === 'Ident' && params.has(x.name)) hit = x.name;
      return !hit;
    });
    return hit;
  };
  // An exit as a statement of the list itself (not nested in a further branch).
  const exitIn = (stmts: readonly ast.Stmt[]): { name: string; typed: boolean } | undefined => {
    for (const st of stmts) {
      const x = st.kind === 'ExprStmt' ? unparen(st.x) : undefined;
      const e = x?.kind === 'CallExpr' ? processExit(pass, declFile, x) : undefined;
      if (e) return e;
    }
    return undefined;
  };
  for (let i = 0; i < list.length; i++) {
    const st = list[i]!;
    if (st.kind !== 'IfStmt') continue;
    const param = testsParam(st.cond);
    if (!param) continue;
    // A constant argument settles the test at the call (`exitUnlessOK(nil)`, `maybeExit(0)`): not
    // evaluated here, so not taken for an exit.
    const idx = paramNames.indexOf(param);
    const arg = idx >= 0 ? call.args?.[idx] : undefined;
    const a = arg ? unparen(arg) : undefined;
    if (!a || a.kind === 'BasicLit' || (a.kind === 'Ident' && ['nil', 'true', 'false'].includes(a.name))) return undefined;
    const body = st.body.list ?? [];
    const last = body[body.length - 1];
    // `if err != nil { ...; os.Exit(1) }`, or `if err == nil { return }` with the exit after it.
    const exit = exitIn(body) ?? (last?.kind === 'ReturnStmt' ? exitIn(list.slice(i + 1)) : undefined);
    if (!exit) continue;
    const name = funcName(declFile, decl);
    return { call, shown: `${name} → ${exit.name}`, when: `${name} exits depending on its ${param} argument`, typed: exit.typed, through: [decl.body!] };
  }
  return undefined;
}

/**
 * Closing an *os.File at exit: the kernel closes the descriptor when the process ends and the
 * file buffers nothing in user space, so nothing is lost today. Still the textbook case of this
 * rule, and cleanup added to it later would be skipped too: reported, with low confidence, when
 * nothing else is pending.
 */
/** Closes of descriptors the kernel releases when the process ends: files, connections, listeners (and HTTP response bodies, below). */
const KERNEL_CLOSES: ReadonlySet<string> = new Set([
  '(*os.File).Close',
  '(net.Conn).Close',
  '(net.Listener).Close',
  '(net.PacketConn).Close',
  ...['TCPConn', 'UDPConn', 'UnixConn', 'IPConn', 'TCPListener', 'UnixListener'].map((t) => `(*net.${t}).Close`),
]);

/**
 * database/sql releases whose loss at exit costs nothing either: the kernel closes the pool's
 * connections, and the server ends each session, rolling back a transaction left open (a pending
 * Commit is another matter: it is not listed).
 */
const SESSION_CLOSES: ReadonlySet<string> = new Set([
  '(*database/sql.DB).Close',
  '(*database/sql.Conn).Close',
  '(*database/sql.Rows).Close',
  '(*database/sql.Stmt).Close',
  '(*database/sql.Tx).Rollback',
]);

function closesSession(pass: Pass, d: ast.DeferStmt): boolean {
  let any = false;
  deferredCallsAll(d, (call) => {
    if (SESSION_CLOSES.has(pass.types.callee(call)?.name ?? '')) any = true;
    return true;
  });
  return any;
}

function closesOsFile(pass: Pass, call: ast.CallExpr): boolean {
  const callee = pass.types.callee(call)?.name ?? '';
  if (KERNEL_CLOSES.has(callee) || SESSION_CLOSES.has(callee)) return true;
  // `resp.Body.Close()` of an HTTP response (or of a value whose type we cannot see): the body is
  // a read stream over a connection the kernel closes; nothing written is lost.
  const f = unparen(call.fun);
  if (f.kind !== 'SelectorExpr' || f.sel.name !== 'Close' || (call.args?.length ?? 0) > 0) return false;
  const body = unparen(f.x);
  if (body.kind !== 'SelectorExpr' || body.sel.name !== 'Body') return false;
  let t = pass.types.typeOf(body.x);
  if (t?.kind === 'pointer') t = t.elem;
  return !t || (t.kind === 'typeparam' && t.name === '?') || (t.kind === 'named' && t.pkg === 'net/http' && t.name === 'Response');
}

/** Whether the deferred call, or for a deferred literal every call it makes (at least one), is `ok`. */
function deferredCallsAll(d: ast.DeferStmt, ok: (call: ast.CallExpr) => boolean): boolean {
  const fun = unparen(d.call.fun);
  if (fun.kind !== 'FuncLit') return ok(d.call);
  let all = true;
  let any = false;
  walkSameFunc(fun.body, (x) => {
    if (!all) return false;
    if (x.kind === 'CallExpr') {
      any = true;
      if (!ok(x)) all = false;
    }
    return true;
  });
  return all && any;
}

/** Whether a deferred call (or every call of a deferred literal) only closes *os.Files. */
function onlyClosesFiles(pass: Pass, d: ast.DeferStmt): boolean {
  return deferredCallsAll(d, (call) => closesOsFile(pass, call));
}

/** Whether skipping this deferred call at process exit loses nothing (unlocks, cancels, Done, timer stops, a recover). */
/**
 * Func values whose only job ends with the process: the stop function of context.AfterFunc (it
 * unregisters a callback) and of iter.Pull/Pull2 (it ends a paused iterator).
 */
const HARMLESS_FUNC_SOURCES: ReadonlySet<string> = new Set(['context.AfterFunc', 'iter.Pull', 'iter.Pull2']);

function harmlessFuncValue(pass: Pass, call: ast.CallExpr): boolean {
  const f = unparen(call.fun);
  if (f.kind !== 'Ident') return false;
  // `stop := context.AfterFunc(...)`, `next, stop := iter.Pull(seq)` (nobody defers next).
  const v = definingValue(pass, f);
  const r = v ? unparen(v) : undefined;
  const name = r?.kind === 'CallExpr' ? pass.types.callee(r)?.name : undefined;
  return name !== undefined && HARMLESS_FUNC_SOURCES.has(name);
}

/**
 * A panic handler (`defer func() { if r := recover(); r != nil { log.Print(r); ... } }()`, or a
 * package function such as testify's `recoverAndFailOnPanic(t)`): everything it does besides
 * calling recover runs under a test of the recovered value or takes that value as an argument
 * (`failOnPanic(t, r)`). At an exit no panic is in flight, so skipping it loses nothing.
 */
function panicHandler(pass: Pass, d: ast.DeferStmt): boolean {
  const fun = unparen(d.call.fun);
  const body = fun.kind === 'FuncLit' ? fun.body : pass.types.callee(d.call)?.decl?.body;
  if (!body) return false;
  const recovered = new Set<string>();
  let recovers = false;
  let other = false;
  const isRecover = (e: ast.Expr | null | undefined): boolean => {
    const x = e ? unparen(e) : undefined;
    return x?.kind === 'CallExpr' && unparen(x.fun).kind === 'Ident' && (unparen(x.fun) as ast.Ident).name === 'recover' && isRecoverCall(pass, x);
  };
  const testsRecovered = (c: ast.Expr): boolean => {
    const x = unparen(c);
    if (x.kind !== 'BinaryExpr') return false;
    if (x.op === '&&') return testsRecovered(x.x) || testsRecovered(x.y);
    if (x.op !== '!=') return false;
    const side = (e: ast.Expr) => isRecover(e) || (unparen(e).kind === 'Ident' && recovered.has((unparen(e) as ast.Ident).name));
    return side(x.x) || side(x.y);
  };
  const visit = (n: ast.Node): void => {
    if (other) return;
    if (n.kind === 'FuncLit') return;
    if (n.kind === 'AssignStmt' && n.rhs.length === 1 && isRecover(n.rhs[0])) {
      recovers = true;
      for (const l of n.lhs) if (unparen(l).kind === 'Ident') recovered.add((unparen(l) as ast.Ident).name);
      return;
    }
    if (n.kind === 'ValueSpec' && n.values?.length === 1 && isRecover(n.values[0])) {
      recovers = true;
      for (const id of n.names) recovered.add(id.name);
      return;
    }
    if (n.kind === 'IfStmt') {
      if (n.init) visit(n.init);
      if (testsRecovered(n.cond)) {
        recovers = true;
        if (n.else) visit(n.else);
        return;
      }
    }
    if (n.kind === 'CallExpr') {
      if (isRecover(n)) {
        recovers = true;
        return;
      }
      const f = unparen(n.fun);
      // Handing the recovered value on (`failOnPanic(t, r)`), or marking a test helper.
      if ((n.args ?? []).some((a) => unparen(a).kind === 'Ident' && recovered.has((unparen(a) as ast.Ident).name))) return;
      if (f.kind === 'SelectorExpr' && f.sel.name === 'Helper' && (n.args ?? []).length === 0) return;
      other = true;
      return;
    }
    forEachChild(n, visit);
  };
  for (const st of body.list ?? []) visit(st);
  return recovers && !other;
}

function harmless(pass: Pass, file: PassFile, d: ast.DeferStmt): boolean {
  const harmlessCall = (call: ast.CallExpr): boolean => {
    const n: ast.Node = call;
    if (closesOsFile(pass, call)) return false;
    if (isRecoverCall(pass, n)) return true;
    // close(ch): nobody is left to see the channel closed once the process has ended.
    const f = unparen(call.fun);
    if (f.kind === 'Ident' && f.name === 'close' && pass.types.callee(call)?.kind === 'builtin') return true;
    const t = pass.types.typeOf(call.fun);
    if (t?.kind === 'named' && HARMLESS_AT_EXIT.has(`${t.pkg}.${t.name}`)) return true;
    const c = callName(pass, file, call);
    if (c && HARMLESS_AT_EXIT.has(c.name)) return true;
    if (harmlessFuncValue(pass, call)) return true;
    // Without types: `cancel()` and `mu.Unlock()` by name.
    if (!c?.typed && c && (c.name === 'cancel' || ['Unlock', 'RUnlock', 'Done'].includes(c.short))) return true;
    return false;
  };
  // A deferred exit: the process ends either way.
  if (processExit(pass, file, d.call)) return true;
  if (panicHandler(pass, d)) return true;
  return deferredCallsAll(d, harmlessCall);
}

/** `defer logger.Sync()` on a zap Logger or SugaredLogger. */
function syncsZap(pass: Pass, file: PassFile, d: ast.DeferStmt): boolean {
  const c = callName(pass, file, d.call);
  return c?.name === '(*go.uber.org/zap.Logger).Sync' || c?.name === '(*go.uber.org/zap.SugaredLogger).Sync';
}

/** Whether a call has the same function and arguments (names, fields, literals) as another. */
function sameCall(a: ast.CallExpr, b: ast.CallExpr): boolean {
  const aa = a.args ?? [];
  const ba = b.args ?? [];
  return sameExpr(a.fun, b.fun) && aa.length === ba.length && aa.every((x, i) => sameExpr(x, ba[i]!));
}

/** Whether a CFG entry calls (outside function literals) what the deferred call calls. */
function runsSameCall(n: ast.Node, deferred: ast.CallExpr): boolean {
  if (unparen(deferred.fun).kind === 'FuncLit' || n.kind === 'DeferStmt' || n.kind === 'GoStmt') return false;
  let found = false;
  walkSameFunc(n, (x) => {
    if (found) return false;
    if (x.kind === 'CallExpr' && sameCall(x, deferred)) found = true;
    return !found;
  });
  if (!found && n.kind === 'ExprStmt' && unparen(n.x).kind === 'CallExpr') found = sameCall(unparen(n.x) as ast.CallExpr, deferred);
  return found;
}

/** The defers of the function that may have run before `exit`: on the CFG, or textually before it in an enclosing block. */
function pendingDefers(cfg: CFG | undefined, fn: FuncNode, stack: readonly ast.Node[], defers: ast.DeferStmt[], exit: ast.CallExpr): ast.DeferStmt[] {
  if (cfg) {
    const at = cfg.locate(exit);
    if (!at) return [];
    // A path on which the same cleanup is called by hand before the exit (`out.Flush();
    // os.Exit(1)`) loses nothing.
    return defers.filter((d) => cfg.isEntry(d) && cfg.findPath(d, at.node, { avoid: (n) => n !== at.node && runsSameCall(n, d.call) }) !== null);
  }
  // Without a graph: a defer statement earlier in a block that encloses the exit.
  const out: ast.DeferStmt[] = [];
  for (let i = stack.length - 1; i > 0; i--) {
    const n = stack[i]!;
    const parent = stack[i - 1]!;
    if (parent === fn) break;
    const list = parent.kind === 'BlockStmt' ? parent.list : parent.kind === 'CaseClause' || parent.kind === 'CommClause' ? parent.body : null;
    const idx = list ? list.indexOf(n as ast.Stmt) : -1;
    if (!list || idx < 0) continue;
    for (let j = 0; j < idx; j++) {
      let s = list[j]!;
      while (s.kind === 'LabeledStmt') s = s.stmt;
      if (s.kind === 'DeferStmt' && defers.includes(s)) out.push(s);
    }
  }
  return out;
}

const stubCache = new WeakMap<FuncNode, number>();

/**
 * Whether fn's own code, before `exit`, replaces what the process exit does, as tests do to
 * observe an exit: a stub helper (`exit.Stub()`, `exit.WithStub(f)`, `stubExit()`; not
 * `Unstub`), the exit function handed to a patcher (`monkey.Patch(os.Exit, fake)`), or an
 * assignment to an exit hook (`logger.ExitFunc = func(int) {}`, `osExit = fakeExit`). The exit
 * then most likely returns, and the defers run.
 */
function exitStubbedBefore(pass: Pass, file: PassFile, fn: FuncNode, exit: ast.CallExpr): boolean {
  if (!fn.body) return false;
  let first = stubCache.get(fn);
  if (first === undefined) {
    first = firstExitStub(pass, file, fn.body);
    stubCache.set(fn, first);
  }
  return first < nodePos(exit);
}

/** The position of the first stub of the exit in a body's own code (Infinity for none). */
function firstExitStub(pass: Pass, file: PassFile, body: ast.BlockStmt): number {
  let found = Infinity;
  const isExitValue = (e: ast.Expr): boolean => {
    const x = unparen(e);
    if (x.kind !== 'SelectorExpr' && x.kind !== 'Ident') return false;
    const probe: ast.CallExpr = { kind: 'CallExpr', fun: x, lparen: NOPOS, args: null, ellipsis: NOPOS, rparen: NOPOS };
    return processExit(pass, file, probe) !== undefined;
  };
  walkSameFunc(body, (x) => {
    if (found !== Infinity) return false;
    // What a defer or another goroutine does is not done before the exit.
    if (x.kind === 'DeferStmt' || x.kind === 'GoStmt') return false;
    if (x.kind === 'CallExpr') {
      // `exit.Stub()`, `stubExit()`, `testutil.StubOsExit()`: a stub, and of the exit (not `newStubServer()`).
      const words = textOf(file, x.fun).split('.').flatMap(nameWords);
      if ((words.includes('stub') && words.includes('exit')) || (x.args ?? []).some(isExitValue)) found = nodePos(x);
    } else if (x.kind === 'AssignStmt' && x.tok === '=' && x.rhs.length === x.lhs.length) {
      x.lhs.forEach((l, i) => {
        const t = unparen(l);
        const name = t.kind === 'SelectorExpr' ? t.sel.name : t.kind === 'Ident' ? t.name : '';
        const rhs = unparen(x.rhs[i]!);
        // A function put into an exit hook (not `exitCode = 2`), other than the real exit (`osExit = os.Exit` restores it).
        const fnValue = rhs.kind === 'FuncLit' || pass.types.typeOf(rhs)?.kind === 'signature';
        if (found === Infinity && nameWords(name).includes('exit') && fnValue && !isExitValue(rhs)) found = nodePos(x);
      });
    }
    return found === Infinity;
  });
  return found;
}

function run(pass: Pass): void {
  const g = exitGraph(pass);
  for (const file of pass.files) {
    file.inspector.withStack(['FuncDecl', 'FuncLit', 'CallExpr'], (call, stack) => {
      // Functions without a defer anywhere in them have nothing an exit could skip.
      if (call.kind !== 'CallExpr') {
        if (file.inspector.contains(call, ['DeferStmt'])) return true;
        // A literal called in place exits in the frame around it (see below): look inside it.
        const parent = stack[stack.length - 2];
        return call.kind === 'FuncLit' && parent?.kind === 'CallExpr' && unparen(parent.fun) === call;
      }
      // Find the enclosing function; an exit in a defer or go statement of it is not on its path.
      let fn: FuncNode | undefined;
      // Where the exit happens in fn's own code: the exit call, or the in-place call of the literal holding it.
      let via: ast.CallExpr = call;
      for (let i = stack.length - 2; i >= 0; i--) {
        const s = stack[i]!;
        if (s.kind === 'DeferStmt' || s.kind === 'GoStmt') return;
        if (s.kind === 'FuncDecl' || s.kind === 'FuncLit') {
          // A literal called in place (`func() { log.Print(x); os.Exit(1) }()`) exits in the frame
          // of the function around it: with no defers of its own, that function's defers are the
          // ones skipped.
          const parent = stack[i - 1];
          if (s.kind === 'FuncLit' && parent?.kind === 'CallExpr' && unparen(parent.fun) === s && !file.inspector.contains(s, ['DeferStmt'])) {
            via = parent;
            continue;
          }
          fn = s;
          break;
        }
      }
      if (!fn || !fn.body) return;
      const site = exitSite(pass, file, g, call);
      if (!site) return;
      const node = g.nodeOf(fn);
      const cfg = node ? g.cfg(node) : undefined;
      const defers: ast.DeferStmt[] = [];
      walkSameFunc(fn.body, (x) => {
        if (x.kind === 'DeferStmt') {
          if (!harmless(pass, file, x)) defers.push(x);
          return false;
        }
        return true;
      });
      if (defers.length === 0) return;
      let all = pendingDefers(cfg, fn, stack, defers, via);
      // zap writes and syncs a Fatal entry itself before exiting: a pending logger.Sync() loses nothing.
      if (site.shown.includes('go.uber.org/zap.')) all = all.filter((d) => !syncsZap(pass, file, d));
      // A helper that exits may run the cleanup itself first (`fail := func(err error) { w.Flush(); os.Exit(1) }`).
      if (site.through) all = all.filter((d) => !site.through!.some((b) => runsSameCall(b, d.call)));
      if (all.length === 0) return;
      // A stubbed exit returns, and the defers run.
      if (exitStubbedBefore(pass, file, fn, call)) return;
      // Closing files is shown only when nothing else is pending.
      const weighty = all.filter((d) => !onlyClosesFiles(pass, d));
      const filesOnly = weighty.length === 0;
      const pending = filesOnly ? all : weighty;
      const shownDefers = pending.slice(0, 3).map((d) => `${shortCall(file, d.call)} (line ${lineOf(file, d)})`);
      const more = pending.length > 3 ? ` and ${pending.length - 3} more` : '';
      const cost = filesOnly
        ? `; here that loses nothing yet (the kernel closes ${pending.length === 1 ? 'the descriptor' : 'the descriptors'} when the process ends${pending.some((d) => closesSession(pass, d)) ? ', and the database server ends the session, rolling back what was not committed' : ''}), but any cleanup added to ${pending.length === 1 ? 'it' : 'them'} later is skipped too`
        : '';
      pass.report({
        node: call,
        file,
        confidence: filesOnly ? 'low' : site.typed ? 'high' : 'medium',
        message: `${site.shown} ends the process here in ${funcName(file, fn)}${site.when ? ` (${site.when})` : ''} while the deferred ${shownDefers.join(', ')}${more} ${pending.length === 1 ? 'is' : 'are'} pending, so ${pending.length === 1 ? 'it never runs' : 'they never run'}${cost}; return an error and exit in the caller after the cleanup, or run the cleanup before exiting`,
        related: pending.map((d) => ({ node: d, message: `deferred here; skipped by the exit on line ${lineOf(file, call)}` })),
      });
    });
  }
}

/** A deferred call as the message shows it: its text, or for long ones `function literal` or `f(...)`. */
function shortCall(file: PassFile, call: ast.CallExpr): string {
  const text = textOf(file, call);
  if (text.length <= 60) return text;
  const fun = unparen(call.fun);
  const name = fun.kind === 'FuncLit' ? '' : textOf(file, fun);
  return fun.kind === 'FuncLit' || name.length > 60 ? 'function literal' : `${name}(...)`;
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'high',
    summary: 'os.Exit, log.Fatal or a logger\'s Fatal reached after a defer was registered: the deferred cleanup never runs.',
    enabledByDefault: true,
    fixable: false,
    category: 'panics',
    docUrl: docUrl(ID),
  },
  needs: deferNeeds,
  run,
};
