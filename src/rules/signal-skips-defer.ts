// signal-skips-defer: main registers deferred cleanup and then blocks serving (ListenAndServe,
// Serve, `select {}`, an endless loop) in a program that never handles SIGTERM or SIGINT. When
// the process is stopped (Kubernetes sends SIGTERM on pod termination) the default action kills
// it at once: main never returns and its deferred calls never run.
import type * as ast from '../syntax/ast.js';
import { unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile, RelatedInput } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { walkNode, type Block, type CFG, type LoopInfo } from '../types/cfg.js';
import { under } from '../types/check.js';
import { HARMLESS_AT_EXIT, RELEASED_BY_KERNEL, SERVE_CALLS, SERVE_METHODS, SIGNAL_HANDLERS } from './catalog.js';
import { bareName, bodyNeeds, callName, callText, callsRecoverDirectly, cfgOf, definingValue, isTrueConst, lineOf, textOf, type FuncNode } from './helpers.js';

const ID = 'signal-skips-defer';
const MAX_DEPTH = 3;

/** Whether package main handles termination signals anywhere (an os/signal import, or a known handler call). */
function handlesSignals(pass: Pass): boolean {
  const other = onlyOtherSignals(pass);
  for (const f of pass.files) {
    if (f.file.imports.some((s) => s.path.value.slice(1, -1) === 'os/signal') && !other) return true;
  }
  let found = false;
  for (const f of pass.files) {
    f.inspector.preorder(['CallExpr'], (call) => {
      if (found) return;
      const c = callName(pass, f, call);
      if (!c) return;
      if ((SIGNAL_HANDLERS.has(c.name) && !(other && c.name.startsWith('os/signal.'))) || (!c.typed && /^Setup(Signal)(Handler|Context)$/.test(c.short))) found = true;
    });
    if (found) return true;
  }
  // A helper package of the module that main imports installs the handler
  // (`ctx := signals.SetupSignalContext()` with signal.Notify in package signals).
  // Only a call that asks for a termination signal, relays every signal (`signal.Notify(c)`), or
  // names them through a list (`sigs...`): a SIGHUP reloader elsewhere handles nothing here.
  return pass.importedTextMatches(/\bsignal\.Notify(?:Context)?\s*\((?:\s*[\w.]+\s*\)|[^)]*(?:\bSIGTERM\b|\bSIGINT\b|\bInterrupt\b|\bKill\b|\.\.\.))/);
}

/**
 * Whether every signal.Notify / signal.NotifyContext call of package main names its signals, and
 * none of them is SIGTERM, SIGINT, os.Interrupt or os.Kill (`signal.Notify(hup, syscall.SIGHUP)`
 * to reload): termination signals still kill the process. False when there is no such call (the
 * package uses os/signal some other way) or a call relays every signal or names them through a
 * variable.
 */
function onlyOtherSignals(pass: Pass): boolean {
  let calls = 0;
  let terminates = false;
  for (const f of pass.files) {
    f.inspector.preorder(['CallExpr'], (call) => {
      if (terminates) return;
      const c = callName(pass, f, call);
      if (c?.name !== 'os/signal.Notify' && c?.name !== 'os/signal.NotifyContext') return;
      calls++;
      const sigs = (call.args ?? []).slice(1);
      if (sigs.length === 0 || call.ellipsis !== -1) {
        terminates = true;
        return;
      }
      for (const a of sigs) {
        const x = unparen(a);
        const name = x.kind === 'SelectorExpr' ? x.sel.name : x.kind === 'Ident' ? x.name : '';
        if (!/^(SIG[A-Z0-9]+|Interrupt|Kill)$/.test(name) || /^(SIGTERM|SIGINT|SIGQUIT|Interrupt|Kill)$/.test(name)) terminates = true;
      }
    });
  }
  return calls > 0 && !terminates;
}

/** A deferred call that matters at exit: not a context cancel, an unlock, a recover handler or a Done. */
function isCleanup(pass: Pass, file: PassFile, d: ast.DeferStmt): boolean {
  const fun = unparen(d.call.fun);
  if (fun.kind === 'FuncLit') return !deferredRecoverOnly(pass, fun);
  const t = pass.types.typeOf(fun);
  if (t?.kind === 'named' && HARMLESS_AT_EXIT.has(`${t.pkg}.${t.name}`)) return false;
  const c = callName(pass, file, d.call);
  if (!c) return true;
  if (c.typed && HARMLESS_AT_EXIT.has(c.name)) return false;
  if (!c.typed && fun.kind === 'Ident' && /^(cancel|stop)$/i.test(fun.name)) return false;
  if (['Unlock', 'RUnlock', 'Done'].includes(c.short)) return false;
  // Closing what the kernel releases anyway (a read-only file, a listener) is not lost.
  if (c.short === 'Close' && fun.kind === 'SelectorExpr' && unparen(fun.x).kind === 'Ident') {
    const v = definingValue(pass, unparen(fun.x) as ast.Ident);
    const src = v && unparen(v).kind === 'CallExpr' ? callName(pass, file, unparen(v) as ast.CallExpr) : undefined;
    if (src && RELEASED_BY_KERNEL.has(src.name) && !unixSocket(pass, unparen(v!) as ast.CallExpr, src.name)) return false;
  }
  // A deferred panic handler (`defer handlePanic()`) is not cleanup.
  const decl = pass.types.callee(d.call)?.decl;
  return !(decl && callsRecoverDirectly(pass, decl));
}

/** `net.Listen("unix", path)`: a listener whose Close unlinks its socket file. */
function unixSocket(pass: Pass, call: ast.CallExpr, name: string): boolean {
  const i = name === '(*net.ListenConfig).Listen' ? 1 : 0;
  const a = call.args?.[i];
  if (!a || !name.includes('Listen')) return false;
  const x = unparen(a);
  let text: string | undefined;
  if (x.kind === 'BasicLit' && x.tokKind === 'STRING') text = x.value.slice(1, -1);
  else if (x.kind === 'Ident') {
    const v = definingValue(pass, x);
    const y = v ? unparen(v) : undefined;
    if (y?.kind === 'BasicLit' && y.tokKind === 'STRING') text = y.value.slice(1, -1);
  }
  return text !== undefined && text.startsWith('unix');
}

/** A deferred literal whose only work is recovering. */
function deferredRecoverOnly(pass: Pass, lit: ast.FuncLit): boolean {
  const stmts = lit.body.list ?? [];
  let recovers = false;
  walkNode(lit.body, (x) => {
    if (x.kind === 'CallExpr' && unparen(x.fun).kind === 'Ident' && (unparen(x.fun) as ast.Ident).name === 'recover') recovers = true;
  });
  return recovers && stmts.length <= 2;
}

interface Serving {
  /** What blocks: "net/http.ListenAndServe", "select {}", "the endless for loop". */
  what: string;
  /** The node to report at, in main. */
  node: ast.Node;
  /** The CFG target in main: an entry or a block. */
  at: ast.Node | Block;
  /** "main → run" when found through helpers. */
  via: string;
  byName: boolean;
}

/** A call that serves until the process ends. */
function servingCall(pass: Pass, file: PassFile, call: ast.CallExpr): { name: string; byName: boolean } | undefined {
  const c = callName(pass, file, call);
  if (!c) return undefined;
  if (SERVE_CALLS.has(c.name)) return { name: c.name, byName: false };
  if (!SERVE_METHODS.has(c.short) || unparen(call.fun).kind !== 'SelectorExpr') return undefined;
  const callee = pass.types.callee(call);
  // `srv.Serve(ln)` on any type, given a net.Listener: it accepts until the listener closes.
  if (callee?.recv && c.short === 'Serve' && (call.args ?? []).some((a) => isListener(pass, a))) return { name: c.name, byName: true };
  if (callee?.recv) return callee.recv.name === 'Server' ? { name: c.name, byName: true } : undefined;
  return c.typed ? undefined : { name: c.name, byName: true };
}

function isListener(pass: Pass, e: ast.Expr): boolean {
  const t = pass.types.typeOf(e);
  const n = t?.kind === 'pointer' ? t.elem : t;
  return n?.kind === 'named' && n.pkg === 'net' && (n.name === 'Listener' || n.name === 'TCPListener' || n.name === 'UnixListener');
}

/** The serving call in a function's own flow (not in go statements, defers or literals), following same-package calls. */
function servesIn(pass: Pass, file: PassFile, fn: FuncNode, depth: number, seen: Set<FuncNode>): { call?: ast.CallExpr; name: string; byName: boolean; path: string[] } | undefined {
  if (!fn.body || seen.has(fn)) return undefined;
  seen.add(fn);
  let found: ReturnType<typeof servesIn>;
  walkNode(fn.body, (x) => {
    if (found) return false;
    if (x.kind === 'GoStmt' || x.kind === 'DeferStmt' || x.kind === 'FuncLit') return false;
    if (x.kind !== 'CallExpr') return true;
    const s = servingCall(pass, file, x);
    if (s) {
      found = { call: x, ...s, path: [] };
      return false;
    }
    const decl = pass.types.callee(x)?.decl;
    if (decl && depth < MAX_DEPTH) {
      const inner = servesIn(pass, pass.fileOf(decl) ?? file, decl, depth + 1, seen);
      if (inner) found = { ...inner, call: x, path: [decl.name.name, ...inner.path] };
    }
    return !found;
  });
  if (found) return found;
  // A helper that never returns: an endless loop (`func acceptLoop(ln) { for { c, err :=
  // ln.Accept(); ...; go handle(c) } }`) or a `select {}` on every path.
  const g = cfgOf(pass, fn);
  if (g && !g.canReach(g.entry, g.exit)) {
    for (const info of g.loops.values()) if (endlessFor(pass, g, info)) return { name: 'an endless for loop', byName: false, path: [] };
    if (g.blocks.some((b) => b.live && b.term === 'forever')) return { name: 'select {}', byName: false, path: [] };
  }
  return undefined;
}

/** A live `for {}` / `for true {}` loop that nothing leaves. */
function endlessFor(pass: Pass, g: CFG, info: LoopInfo): boolean {
  const st = info.stmt;
  return st.kind === 'ForStmt' && (!st.cond || isTrueConst(pass, st.cond)) && info.header.live && !g.loopCanExit(st);
}

/** The first place main blocks for good, reachable from `from`. */
/** Whether `x` is a local channel variable of main that no code of main (literals included) closes or hands to a call. */
function neverClosedChan(pass: Pass, main: ast.FuncDecl, x: ast.Expr): boolean {
  const id = unparen(x);
  // A ticker's channel (`for range t.C` with t from time.NewTicker, `for range time.Tick(d)`): the
  // runtime never closes it, Stop included.
  if (id.kind === 'SelectorExpr' && id.sel.name === 'C') {
    const t = pass.types.typeOf(id.x);
    const named = t?.kind === 'pointer' ? t.elem : t;
    if (named?.kind === 'named' && named.pkg === 'time' && named.name === 'Ticker') return true;
  }
  if (id.kind === 'CallExpr' && pass.types.callee(id)?.name === 'time.Tick') return true;
  if (id.kind !== 'Ident' || !main.body) return false;
  const o = pass.types.objectOf(id);
  if (!o || o.kind !== 'var' || o.varKind !== 'local') return false;
  if (under(pass.types.typeOf(id))?.kind !== 'chan') return false;
  let escapes = false;
  walkNode(main.body, (y) => {
    if (escapes) return false;
    if (y.kind === 'CallExpr') {
      const f = unparen(y.fun);
      const handedTo = (y.args ?? []).some((a) => {
        const u = unparen(a);
        return u.kind === 'Ident' && pass.types.objectOf(u) === o;
      });
      // signal.Notify keeps the channel and never closes it; any other call might.
      if (handedTo && !(callName(pass, pass.fileOf(main)!, y)?.name === 'os/signal.Notify')) escapes = true;
      if (f.kind === 'Ident' && f.name === 'close' && handedTo) escapes = true;
    }
    if (y.kind === 'AssignStmt' && y.rhs.some((r) => unparen(r).kind === 'Ident' && pass.types.objectOf(unparen(r) as ast.Ident) === o)) escapes = true;
    return !escapes;
  });
  return !escapes;
}

function blockingIn(pass: Pass, file: PassFile, main: ast.FuncDecl, g: CFG, from: ast.DeferStmt): Serving | undefined {
  for (const { block, node } of g.entries({ liveOnly: true })) {
    if (node.kind === 'GoStmt' || node.kind === 'DeferStmt') continue;
    let hit: Serving | undefined;
    walkNode(node, (x) => {
      if (hit) return false;
      if (x.kind === 'FuncLit') return false;
      if (x.kind !== 'CallExpr') return true;
      const s = servingCall(pass, file, x);
      if (s) hit = { what: s.name, node: x, at: node, via: '', byName: s.byName };
      else {
        const decl = pass.types.callee(x)?.decl;
        const inner = decl ? servesIn(pass, pass.fileOf(decl) ?? file, decl, 1, new Set([main])) : undefined;
        if (inner && decl) hit = { what: inner.name, node: x, at: node, via: ['main', decl.name.name, ...inner.path].join(' → '), byName: inner.byName };
      }
      return !hit;
    });
    if (hit && (g.canReach(from, node) || (block === g.locate(from)?.block && g.locate(from)!.index < g.locate(node)!.index))) return hit;
  }
  for (const b of g.blocks) {
    if (b.live && b.term === 'forever' && b.control && (g.locate(from)?.block === b || g.canReach(from, b))) return { what: 'select {}', node: b.control, at: b, via: '', byName: false };
  }
  for (const info of g.loops.values()) {
    const st = info.stmt;
    // A range over a channel of main's that nothing closes (`for range hup { reload() }` over a
    // channel given to signal.Notify): it never ends either.
    if (st.kind === 'RangeStmt' && neverClosedChan(pass, main, st.x) && info.header.live && g.loopExits(st).exits.length === 0 && g.canReach(from, info.header)) {
      return { what: `the endless range over ${textOf(file, st.x)}`, node: st, at: info.header, via: '', byName: false };
    }
    if (endlessFor(pass, g, info) && g.canReach(from, info.header)) {
      return { what: 'the endless for loop', node: st, at: info.header, via: '', byName: false };
    }
  }
  return undefined;
}

function run(pass: Pass): void {
  if (pass.pkg.name !== 'main') return;
  let handled: boolean | undefined;
  for (const file of pass.files) {
    if (file.test) continue;
    for (const d of file.file.decls ?? []) {
      if (d.kind !== 'FuncDecl' || d.recv || d.name.name !== 'main' || !d.body) continue;
      const g = cfgOf(pass, d);
      if (!g) continue;
      const cleanups = g.defers.filter((x) => isCleanup(pass, file, x) && g.locate(x));
      if (cleanups.length === 0) continue;
      handled ??= handlesSignals(pass);
      if (handled) return;
      for (const first of cleanups) {
        const s = blockingIn(pass, file, d, g, first);
        if (!s) continue;
        const registered = cleanups.filter((x) => x === first || g.canReach(x, s.at as ast.Node));
        const list = registered.slice(0, 2).map((x) => `${callText(file, x.call)} (line ${lineOf(file, x)})`).join(' and ');
        const more = registered.length > 2 ? ` and ${registered.length - 2} more` : '';
        const where = s.at === s.node || s.via === '' ? `${s.what} (line ${lineOf(file, s.node)})` : `${s.what} through ${s.via} (line ${lineOf(file, s.node)})`;
        const related: RelatedInput[] = registered.slice(0, 3).map((x) => ({ node: x, message: `deferred ${callText(file, x.call)} never runs when the process is killed` }));
        pass.report({
          node: s.node,
          file,
          confidence: s.byName ? 'medium' : 'high',
          message: `main defers ${list}${more} and then blocks in ${where}, but package main never handles SIGTERM or SIGINT: when the process is stopped (Kubernetes sends SIGTERM on pod termination) it dies at once and the deferred calls never run; catch the signal with signal.NotifyContext, shut down and return from main`,
          related,
        });
        return;
      }
    }
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'medium',
    summary: 'main defers cleanup and blocks serving, but never handles SIGTERM/SIGINT: on termination the defers never run.',
    enabledByDefault: true,
    fixable: false,
    category: 'panic',
    docUrl: docUrl(ID),
  },
  // A signal handler installed anywhere in package main counts.
  needs: (o) => bodyNeeds(o, { kinds: ['DeferStmt'], names: [...new Set([...SIGNAL_HANDLERS].map(bareName)), 'SetupSignalHandler', 'SetupSignalContext'] }),
  run,
};
