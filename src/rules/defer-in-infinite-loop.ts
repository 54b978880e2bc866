// defer-in-infinite-loop: a defer in a loop that never ends. The deferred calls never run, and
// each iteration adds one more record that stays in memory.
import type { Analyzer, Pass } from '../analysis/analyzer.js';
import { docUrl } from '../findings/model.js';
import { deferNeeds, enclosingFunc, endlessEnclosingLoops, funcName, lineOf, runsAtMostOnce, textOf } from './helpers.js';

const ID = 'defer-in-infinite-loop';

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
