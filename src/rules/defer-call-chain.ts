// defer-call-chain: `defer a.B().C()`. A deferred call's receiver is evaluated at the defer
// statement, so `a.B()` runs now and only `C` waits for the function to return. `defer f()()`
// (f returns the func to defer) is the intended idiom and is not a chain.
import type * as ast from '../syntax/ast.js';
import { unparen } from '../syntax/nodes.js';
import type { Analyzer, Pass, PassFile } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { deferNeeds, enclosingFunc, funcName, textOf } from './helpers.js';

const ID = 'defer-call-chain';

/**
 * Begin/end pairs written on purpose as one chain: `defer trace.StartRegion(ctx, "x").End()`,
 * `defer prometheus.NewTimer(h).ObserveDuration()`, `defer profile.Start().Stop()`. The first call
 * is meant to run now. A chain whose inner call starts with one of these verbs and whose deferred
 * method is one of the matching ends is not reported.
 */
export const CHAIN_BEGIN_PREFIXES: readonly string[] = [
  'Start', 'Begin', 'New', 'Track', 'Trace', 'Time', 'Measure', 'Enter', 'Acquire', 'Lock', 'RLock', 'Open', 'Push', 'Span', 'Region', 'Task', 'Timer', 'Scope', 'Watch', 'Mark',
  'Subscribe', 'Register', 'Pause', 'Disable', 'Suspend', 'Hold', 'Pin',
];
export const CHAIN_END_METHODS: ReadonlySet<string> = new Set([
  'End', 'Stop', 'Finish', 'Done', 'ObserveDuration', 'Release', 'Unlock', 'RUnlock', 'Exit', 'Leave', 'Pop', 'Close', 'Record', 'Observe', 'Complete',
  'Unsubscribe', 'Unregister', 'Resume', 'Enable', 'Unpin',
]);

function calleeShort(pass: Pass, call: ast.CallExpr): string | undefined {
  const c = pass.types.callee(call);
  if (c) return c.short;
  const f = unparen(call.fun);
  if (f.kind === 'Ident') return f.name;
  if (f.kind === 'SelectorExpr') return f.sel.name;
  return undefined;
}

/** The call at the end of the receiver expression (`a.B()` in `a.B().C()`, also through `.f` and `[i]`). */
function receiverCall(pass: Pass, recv: ast.Expr): ast.CallExpr | undefined {
  let x = unparen(recv);
  for (;;) {
    if (x.kind === 'SelectorExpr') {
      // a.B().f.C(): the field access does not defer anything either.
      x = unparen(x.x);
      if (x.kind === 'CallExpr') break;
      return undefined;
    }
    if (x.kind === 'IndexExpr' || x.kind === 'StarExpr') {
      x = unparen(x.x);
      continue;
    }
    break;
  }
  if (x.kind !== 'CallExpr') return undefined;
  // A conversion T(x) evaluates nothing worth mentioning.
  const c = pass.types.callee(x);
  if (c?.kind === 'conversion' || pass.types.isType(x.fun)) return undefined;
  if (!c) {
    const f = unparen(x.fun);
    // Without types, `(*T)(p)` and `pkg.T(v)` look like calls; a parenthesized star or array type is a conversion.
    if (f.kind === 'StarExpr' || f.kind === 'ArrayType' || f.kind === 'MapType' || f.kind === 'ChanType' || f.kind === 'FuncType' || f.kind === 'InterfaceType') return undefined;
  }
  return x;
}

/**
 * Verbs that name an action with an effect (shut down, flush, commit...). A chain is reported only
 * when the call that runs early is such an action: accessors and builders (`br.Tx()`,
 * `s.Logger()`, `log.WithField(k, v)`) give the same value now as at exit, so evaluating them early
 * is harmless. A name matches when it is the verb or the verb followed by a capitalised word
 * (`Flush`, `FlushAll`; not `Logger` for `Log`).
 */
export const ACTION_VERBS: readonly string[] = [
  'Shutdown', 'Stop', 'Close', 'Flush', 'Start', 'Begin', 'Run', 'Exec', 'Execute', 'Send', 'Write', 'Commit', 'Rollback',
  'Release', 'Reset', 'Cancel', 'Wait', 'Drain', 'Finish', 'End', 'Kill', 'Terminate', 'Disconnect', 'Delete', 'Remove',
  'Save', 'Sync', 'Apply', 'Do', 'Process', 'Lock', 'Unlock', 'Acquire', 'Open', 'Connect', 'Dial', 'Listen', 'Serve',
  'Publish', 'Notify', 'Signal', 'Clear', 'Purge', 'Evict', 'Update', 'Set', 'Put', 'Push', 'Pop', 'Enqueue', 'Dequeue',
  'Submit', 'Trigger', 'Fire', 'Emit', 'Log', 'Print', 'Record', 'Observe', 'Stat', 'Load', 'Store', 'Swap', 'Restore',
  'Revert', 'Undo', 'Disable', 'Enable', 'Pause', 'Resume', 'Detach', 'Attach', 'Unregister', 'Register', 'Unsubscribe',
  'Subscribe', 'Abort', 'Exit', 'Quit', 'Halt', 'Dispose', 'Destroy', 'Free', 'Invalidate', 'Expire', 'Mark', 'Track',
];

function isAction(name: string): boolean {
  const n = name.charAt(0).toUpperCase() + name.slice(1);
  return ACTION_VERBS.some((v) => n === v || (n.startsWith(v) && /^[A-Z0-9_]/.test(n.charAt(v.length))));
}

/** The name with its first letter upper-cased: unexported helpers (`startSpan`, `release`) read like exported ones. */
function exported(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function isIdiom(innerName: string | undefined, outerName: string | undefined): boolean {
  if (!innerName || !outerName || !CHAIN_END_METHODS.has(exported(outerName))) return false;
  const inner = exported(innerName);
  return CHAIN_BEGIN_PREFIXES.some((p) => inner.startsWith(p));
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    file.inspector.withStack(['DeferStmt'], (d, stack) => {
      const fun = unparen(d.call.fun);
      if (fun.kind !== 'SelectorExpr') return;
      // A package-qualified function (pkg.F()) has no receiver.
      if (fun.x.kind === 'Ident') return;
      const inner = receiverCall(pass, fun.x);
      if (!inner) return;
      const innerName = calleeShort(pass, inner);
      const outerName = fun.sel.name;
      if (!innerName || !isAction(innerName) || isIdiom(innerName, outerName)) return;
      report(pass, file, d, inner, stack);
    });
  }
}

function report(pass: Pass, file: PassFile, d: ast.DeferStmt, inner: ast.CallExpr, stack: readonly ast.Node[]): void {
  const fn = enclosingFunc(stack);
  const fname = fn ? funcName(file, fn) : 'the function';
  const innerText = textOf(file, inner);
  const fun = unparen(d.call.fun) as ast.SelectorExpr;
  const typed = pass.types.callee(inner) !== undefined;
  pass.report({
    node: d,
    file,
    message: `in defer ${textOf(file, d.call)}, ${innerText} runs now, at the defer statement, and only ${fun.sel.name} waits until ${fname} returns; if ${innerText} should run at exit too, wrap the whole chain: defer func() { ${textOf(file, d.call)} }()`,
    confidence: typed ? 'high' : 'medium',
    related: [{ node: inner, message: `${innerText} is evaluated when the defer statement runs` }],
  });
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'low',
    summary: 'defer a.B().C(): a.B() runs at the defer statement; only C is deferred.',
    enabledByDefault: true,
    fixable: false,
    category: 'evaluation',
    docUrl: docUrl(ID),
  },
  needs: deferNeeds,
  run,
};
