// The fuzz runner: hands case seeds to worker threads, cuts off a case that runs past its time
// limit (the worker is terminated and replaced), stops at a case count or a time budget, and
// collects every crash and hang with the seed that rebuilds it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildCase, caseSeed } from './mutate.js';
import { corpusOf } from './corpus.js';
import type { CaseOutcome } from './check-case.js';
import type { FromFuzzWorker, WorkerSetup } from './worker.js';

export interface FuzzOptions {
  corpus: string[];
  baseSeed: number;
  /** Number of cases (seeds caseSeed(baseSeed, 0..count-1)), unless `seeds` is given. */
  count: number;
  /** Exact case seeds to run instead (replay). */
  seeds?: number[];
  /** Stop dispatching new cases after this long (ms). */
  timeBudgetMs?: number;
  /** A case running longer than this is a hang (ms). */
  caseTimeoutMs?: number;
  jobs?: number;
  inject?: WorkerSetup['inject'];
  onProgress?: (done: number, report: FuzzReport) => void;
}

export interface FuzzFailure {
  kind: 'crash' | 'hang';
  seed: number;
  file: string;
  ops: string[];
  problem: string;
}

export interface FuzzReport {
  baseSeed: number;
  run: number;
  parsedClean: number;
  rulesRan: number;
  findings: number;
  failures: FuzzFailure[];
  stoppedByTime: boolean;
  elapsedMs: number;
  slowest: { seed: number; ms: number; bytes: number }[];
}

function startWorker(setup: WorkerSetup): Worker {
  const entry = new URL('./worker.ts', import.meta.url).href;
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: setup, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const t0 = Date.now();
  const caseTimeout = opts.caseTimeoutMs ?? 10_000;
  const seeds = opts.seeds ?? Array.from({ length: opts.count }, (_, i) => caseSeed(opts.baseSeed, i));
  const report: FuzzReport = { baseSeed: opts.baseSeed, run: 0, parsedClean: 0, rulesRan: 0, findings: 0, failures: [], stoppedByTime: false, elapsedMs: 0, slowest: [] };
  const corpus = corpusOf(opts.corpus);
  const describe = (seed: number): { file: string; ops: string[] } => {
    try {
      const c = buildCase(seed, corpus);
      return { file: c.file, ops: c.ops };
    } catch (e) {
      return { file: '?', ops: [`(building the case threw: ${(e as Error).message})`] };
    }
  };
  let next = 0;
  const take = (): number | undefined => {
    if (opts.timeBudgetMs !== undefined && Date.now() - t0 > opts.timeBudgetMs) {
      if (next < seeds.length) report.stoppedByTime = true;
      return undefined;
    }
    return next < seeds.length ? seeds[next++] : undefined;
  };
  const record = (o: CaseOutcome) => {
    report.run++;
    if (o.parseErrors === 0) report.parsedClean++;
    if (o.rulesRan) report.rulesRan++;
    report.findings += o.findings;
    if (o.status === 'crash') report.failures.push({ kind: 'crash', seed: o.seed, ...describe(o.seed), problem: o.problem ?? '' });
    report.slowest.push({ seed: o.seed, ms: Math.round(o.ms), bytes: o.bytes });
    if (report.slowest.length > 20) {
      report.slowest.sort((a, b) => b.ms - a.ms);
      report.slowest.length = 5;
    }
    opts.onProgress?.(report.run, report);
  };

  const lane = (index: number): Promise<void> =>
    new Promise((done, fail) => {
      const scratch = mkdtempSync(join(tmpdir(), `deferguard-fuzz-${index}-`));
      let w: Worker;
      let current: number | undefined;
      let timer: NodeJS.Timeout | undefined;
      let ended = false;
      const finish = (err?: Error) => {
        if (ended) return;
        ended = true;
        if (timer) clearTimeout(timer);
        void w.terminate().finally(() => {
          rmSync(scratch, { recursive: true, force: true });
          if (err) fail(err);
          else done();
        });
      };
      const send = () => {
        current = take();
        if (current === undefined) return finish();
        const seed = current;
        timer = setTimeout(() => {
          // A hang: record it, drop this worker and carry on with a fresh one.
          report.run++;
          report.failures.push({ kind: 'hang', seed, ...describe(seed), problem: `no answer within ${caseTimeout} ms` });
          current = undefined;
          w.removeAllListeners();
          void w.terminate();
          spawn();
        }, caseTimeout);
        w.postMessage({ seed });
      };
      const spawn = () => {
        w = startWorker({ corpus: opts.corpus, scratch, ...(opts.inject ? { inject: opts.inject } : {}) });
        w.on('message', (m: FromFuzzWorker) => {
          if (m.type === 'ready') send();
          else if (m.type === 'fatal') finish(new Error(`fuzz worker could not start: ${m.error}`));
          else {
            if (timer) clearTimeout(timer);
            current = undefined;
            record(m.outcome);
            send();
          }
        });
        w.on('error', (e) => {
          // The worker itself died (out of memory, a stack overflow outside the case's try): a crash.
          if (timer) clearTimeout(timer);
          if (current !== undefined) {
            report.run++;
            report.failures.push({ kind: 'crash', seed: current, ...describe(current), problem: `worker died: ${e.message}` });
            current = undefined;
            w.removeAllListeners();
            spawn();
          } else finish(e);
        });
      };
      spawn();
    });

  const jobs = Math.max(1, Math.min(opts.jobs ?? 1, seeds.length || 1));
  await Promise.all(Array.from({ length: jobs }, (_, i) => lane(i)));
  report.failures.sort((a, b) => a.seed - b.seed);
  report.slowest.sort((a, b) => b.ms - a.ms);
  report.slowest.length = Math.min(5, report.slowest.length);
  report.elapsedMs = Date.now() - t0;
  return report;
}
