// Worker thread of the fuzz runner: builds each case from its seed and checks it. Runs apart from
// the main thread so that a case that hangs can be cut off by terminating the worker.
import { parentPort, workerData } from 'node:worker_threads';
import { CaseChecker, type CaseOutcome } from './check-case.js';
import { buildCase } from './mutate.js';
import { corpusOf } from './corpus.js';

export interface WorkerSetup {
  corpus: string[];
  scratch: string;
  /** Test hooks that prove the harness catches failures: seeds whose case throws or never ends. */
  inject?: { throwSeeds?: number[]; hangSeeds?: number[] };
}

export type FromFuzzWorker = { type: 'ready' } | { type: 'result'; outcome: CaseOutcome } | { type: 'fatal'; error: string };

const port = parentPort;
if (!port) throw new Error('test/fuzz/worker.ts must run in a worker thread');
const setup = workerData as WorkerSetup;

try {
  const checker = await CaseChecker.create(setup.scratch);
  const corpus = corpusOf(setup.corpus);
  port.on('message', (m: { seed: number }) => {
    let outcome: CaseOutcome;
    try {
      if (setup.inject?.hangSeeds?.includes(m.seed)) for (;;) { /* a case that never ends */ }
      if (setup.inject?.throwSeeds?.includes(m.seed)) throw new Error('injected failure');
      outcome = checker.check(buildCase(m.seed, corpus));
    } catch (e) {
      outcome = { seed: m.seed, status: 'crash', problem: `case threw: ${(e as Error)?.stack ?? String(e)}`, parseErrors: 0, rulesRan: false, findings: 0, bytes: 0, ms: 0 };
    }
    port.postMessage({ type: 'result', outcome } satisfies FromFuzzWorker);
  });
  port.postMessage({ type: 'ready' } satisfies FromFuzzWorker);
} catch (e) {
  port.postMessage({ type: 'fatal', error: (e as Error)?.stack ?? String(e) } satisfies FromFuzzWorker);
}
