// npm run fuzz [-- flags]: mutates real Go files from $(go env GOROOT)/src (byte flips, truncation,
// token deletion, duplication and swaps, deep nesting, huge literals, bad encodings, statement
// moves that keep the file parseable) and checks that the parser and every rule never throw, hang
// or report outside the file. Each case runs in a worker thread with a time limit.
//
//   --count N        cases (default 100000)        --seed S       base seed (default 1)
//   --time SECONDS   stop starting cases after this (default 3600)
//   --jobs N         worker threads (default 2)    --timeout MS   per-case limit (default 20000)
//   --corpus DIR     Go files to mutate (default GOROOT/src)
//   --replay SEED    run one case (a seed printed for a failure) and print what happened
//   --write FILE     with --replay: also write the mutated file
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listCorpus, corpusOf } from '../test/fuzz/corpus.js';
import { buildCase } from '../test/fuzz/mutate.js';
import { CaseChecker } from '../test/fuzz/check-case.js';
import { runFuzz } from '../test/fuzz/runner.js';

function flags(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`flag ${a} needs a value`);
    out[a.slice(2)] = v;
    i++;
  }
  return out;
}

function num(f: Record<string, string>, name: string, dflt: number): number {
  const v = f[name];
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) throw new Error(`--${name} needs a whole number, not "${v}"`);
  return Number(v);
}

async function main(): Promise<number> {
  let f: Record<string, string>;
  try {
    f = flags(process.argv.slice(2));
  } catch (e) {
    console.error(`fuzz: ${(e as Error).message}`);
    return 2;
  }
  const corpus = listCorpus({ ...(f.corpus ? { dir: f.corpus } : {}), maxBytes: 48 * 1024 });
  console.log(`corpus: ${corpus.files.length} Go files of at most 48 KiB under ${corpus.origin}`);
  if (f.replay !== undefined) {
    const seed = num(f, 'replay', 0);
    const c = buildCase(seed, corpusOf(corpus.files));
    console.log(`case ${seed}: ${c.file}, ${c.bytes.length} bytes, ${c.goVersion}${c.test ? ', test file' : ''}`);
    for (const op of c.ops) console.log(`  ${op}`);
    if (f.write) {
      writeFileSync(f.write, c.bytes);
      console.log(`wrote ${f.write}`);
    }
    const checker = await CaseChecker.create(join(tmpdir(), `deferguard-fuzz-replay-${process.pid}`));
    const o = checker.check(c);
    console.log(`${o.status}: ${o.parseErrors} syntax errors, rules ${o.rulesRan ? 'ran' : 'skipped'}, ${o.findings} findings, ${Math.round(o.ms)} ms`);
    if (o.problem) console.log(o.problem);
    return o.status === 'ok' ? 0 : 1;
  }
  const count = num(f, 'count', 100_000);
  const baseSeed = num(f, 'seed', 1);
  const jobs = num(f, 'jobs', 2);
  const started = Date.now();
  let last = 0;
  const r = await runFuzz({
    corpus: corpus.files, baseSeed, count, jobs,
    timeBudgetMs: num(f, 'time', 3600) * 1000,
    caseTimeoutMs: num(f, 'timeout', 20_000),
    onProgress: (done, rep) => {
      if (Date.now() - last > 10_000) {
        last = Date.now();
        console.log(`  ${done}/${count} cases, ${rep.failures.length} failures, ${Math.round((Date.now() - started) / 1000)} s`);
      }
    },
  });
  console.log(`seed ${baseSeed}: ${r.run} cases in ${(r.elapsedMs / 1000).toFixed(0)} s${r.stoppedByTime ? ' (stopped by the time budget)' : ''}`);
  console.log(`  ${r.parsedClean} parsed without errors, rules ran on ${r.rulesRan}, ${r.findings} findings`);
  console.log(`  slowest: ${r.slowest.map((s) => `seed ${s.seed} ${s.ms} ms (${s.bytes} bytes)`).join(', ')}`);
  console.log(`  failures: ${r.failures.length}`);
  for (const x of r.failures) {
    console.log(`\n${x.kind.toUpperCase()} seed ${x.seed}: ${x.file}`);
    for (const op of x.ops) console.log(`  ${op}`);
    console.log(`  ${x.problem.split('\n').slice(0, 12).join('\n  ')}`);
    console.log(`  replay: npm run fuzz -- --replay ${x.seed} --write /tmp/case.go`);
  }
  return r.failures.length === 0 ? 0 : 1;
}

main().then((c) => { process.exitCode = c; }, (e) => { console.error(e); process.exitCode = 2; });
