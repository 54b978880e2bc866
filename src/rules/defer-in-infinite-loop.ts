// defer-in-infinite-loop: a defer in a loop that never ends. The deferred calls never run, and
// each iteration adds one more record that stays in memory.
import type { Analyzer, Pass } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import type * as ast from '../syntax/ast.js';
import { unparen } from '../syntax/nodes.js';
import type { PassFile } from '../analysis/analyzer.js';
import { callName, deferNeeds, enclosingFunc, endlessEnclosingLoops, funcName, lineOf, runsAtMostOnce, textOf, walkSameFunc, type LoopNode } from './helpers.js';

const ID = 'defer-in-infinite-loop';

const TEST_UNWINDS = /^\(\*?testing\.(common|T|B|F|TB)\)\.(Fatal|Fatalf|FailNow|Skip|Skipf|SkipNow)$/;

/**
 * A call in the loop body that leaves the loop by unwinding the goroutine, which runs deferred
 * calls: `panic(...)`, `runtime.Goexit()`, or a test's `t.Fatal`/`t.Skip` family (they call
 * Goexit). Such a loop does end, on that path, and the defers run then.
 */
function unwindingCall(pass: Pass, file: PassFile, loop: LoopNode): ast.CallExpr | undefined {
  let found: ast.CallExpr | undefined;
  walkSameFunc(loop.body, (x) => {
    if (found) return false;
    if (x.kind === 'DeferStmt' || x.kind === 'GoStmt') return false;
    if (x.kind !== 'CallExpr') return true;
    const fun = unparen(x.fun);
    if (fun.kind === 'Ident' && fun.name === 'panic' && pass.types.objectOf(fun)?.kind !== 'func') found = x;
    else {
      const c = callName(pass, file, x);
      if (c && (c.name === 'runtime.Goexit' || TEST_UNWINDS.test(c.name))) found = x;
    }
    return !found;
  });
  return found;
}

function run(pass: Pass): void {
  for (const file of pass.files) {
    file.inspector.withStack(['DeferStmt'], (d, stack) => {
      const endless = endlessEnclosingLoops(pass, file, stack);
      if (endless.length === 0) return;
      // Prefer a loop that surely never ends over one that ends when a channel is closed.
      const e = endless.find((x) => x.confidence === 'high') ?? endless[0]!;
      const fn = enclosingFunc(stack);
      // A loop that ends when its channel is closed runs a defer guarded to run once (`if
      // sess.pty != nil { continue }; sess.pty = &req; defer ...`) when it ends: nothing piles up.
      if (e.confidence !== 'high' && fn && runsAtMostOnce(pass, fn, d, e.loop, stack)) return;
      const fname = fn ? funcName(file, fn) : 'the function';
      const line = lineOf(file, e.loop);
      const deferred = textOf(file, d.call);
      const unwind = unwindingCall(pass, file, e.loop);
      if (unwind) {
        // The loop ends only by unwinding: the defers run then, but pile up until it happens.
        pass.report({
          node: d,
          file,
          confidence: 'medium',
          message: `the deferred ${deferred} runs only when the loop on line ${line} (${e.shape}) ends by unwinding the goroutine (${textOf(file, unwind.fun)} on line ${lineOf(file, unwind)}), since no break, return or goto leaves it; until then one deferred call per iteration accumulates and what each iteration acquired stays held; release at the end of the iteration or move the loop body into a function`,
          related: [{ node: e.loop, message: `loop that only unwinding ends (${e.shape})` }, { node: unwind, message: 'unwinds the goroutine, running the deferred calls' }],
        });
        return;
      }
      const message =
        e.confidence === 'high'
          ? `the deferred ${deferred} never runs: the loop on line ${line} (${e.shape}) has no break, return or goto leaving it, so ${fname} never returns and one deferred call per iteration accumulates in memory; release at the end of the iteration or move the loop body into a function`
          : `the deferred ${deferred} waits for the loop on line ${line} (${e.shape}) to end, which only closing the channel does (no break, return or goto leaves it), so one deferred call per received value accumulates until then; release at the end of the iteration or move the loop body into a function`;
      pass.report({
        node: d,
        file,
        confidence: e.confidence,
        message,
        related: [{ node: e.loop, message: `loop that does not end (${e.shape})` }],
      });
    });
  }
}

export const analyzer: Analyzer = {
  meta: {
    id: ID,
    severity: 'critical',
    summary: 'A defer in a loop that never ends (for {}, for true {}, range over a channel) with no break, return or goto leaving it: the deferred call never runs.',
    enabledByDefault: true,
    fixable: false,
    category: 'lifetime',
    docUrl: docUrl(ID),
  },
  needs: deferNeeds,
  run,
};
