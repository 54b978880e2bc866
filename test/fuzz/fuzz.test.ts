// Hostile source: mutated real Go files (GOROOT/src, or the repository's fixtures without Go) go
// through the parser and every rule; nothing may throw, hang or point outside the file. The full
// run (100,000+ cases) is `npm run fuzz`; this is a fixed-seed slice of it plus proofs that the
// harness itself catches a throw and a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCase, caseSeed, Rng } from './mutate.js';
import { corpusOf, listCorpus } from './corpus.js';
import { runFuzz, type FuzzReport } from './runner.js';

const corpus = listCorpus();
const COUNT = Number(process.env.DEFERGUARD_FUZZ_COUNT ?? 2000);
const BASE = 20240611;

function describe(r: FuzzReport): string {
  return r.failures
    .map((f) => `${f.kind} seed ${f.seed} (${f.file}; ${f.ops.join('; ')}): ${f.problem.split('\n').slice(0, 6).join('\n')}\n  replay: npm run fuzz -- --replay ${f.seed}`)
    .join('\n');
}

test('mutations are deterministic: a seed always builds the same bytes', () => {
  const c = corpusOf(corpus.files);
  for (let i = 0; i < 40; i++) {
    const s = caseSeed(BASE, i);
    const a = buildCase(s, c);
    const b = buildCase(s, c);
    assert.equal(a.file, b.file);
    assert.deepEqual(a.ops, b.ops);
    assert.ok(Buffer.from(a.bytes).equals(Buffer.from(b.bytes)), `seed ${s} built different bytes`);
  }
  assert.notEqual(caseSeed(BASE, 0), caseSeed(BASE, 1));
  const r = new Rng(1);
  const xs = Array.from({ length: 1000 }, () => r.int(10));
  assert.equal(new Set(xs).size, 10, 'the generator covers its range');
});

test(`fuzz: ${COUNT} mutated files from ${corpus.origin} never crash or hang the parser or a rule`, { timeout: 240_000 }, async () => {
  assert.ok(corpus.files.length > 10, `corpus ${corpus.origin} has Go files`);
  const r = await runFuzz({ corpus: corpus.files, baseSeed: BASE, count: COUNT, jobs: 2, caseTimeoutMs: 30_000, timeBudgetMs: 200_000 });
  assert.equal(r.failures.length, 0, describe(r));
  assert.ok(r.run >= Math.min(COUNT, 500), `ran ${r.run} cases`);
  // The mix reaches the rules (mutations that keep the file parseable) and the error paths.
  assert.ok(r.rulesRan > r.run * 0.2, `rules ran on ${r.rulesRan} of ${r.run} cases`);
  assert.ok(r.run - r.parsedClean > r.run * 0.2, `${r.run - r.parsedClean} of ${r.run} cases had syntax errors`);
  assert.ok(r.findings > 0, 'the rules found something in the mutated files');
});

test('the harness reports a case that throws and cuts off one that hangs, with replayable seeds', { timeout: 120_000 }, async () => {
  const seeds = [caseSeed(7, 0), caseSeed(7, 1), caseSeed(7, 2), caseSeed(7, 3)];
  const r = await runFuzz({
    corpus: corpus.files.slice(0, 50), baseSeed: 7, count: 0, seeds, jobs: 1, caseTimeoutMs: 3000,
    inject: { throwSeeds: [seeds[1]!], hangSeeds: [seeds[2]!] },
  });
  assert.equal(r.run, 4, 'every case is accounted for, including the one cut off');
  assert.deepEqual(
    r.failures.map((f) => [f.kind, f.seed]).sort((a, b) => Number(a[1]) - Number(b[1])),
    [['crash', seeds[1]], ['hang', seeds[2]]].sort((a, b) => Number(a[1]) - Number(b[1])),
  );
  const crash = r.failures.find((f) => f.kind === 'crash')!;
  assert.match(crash.problem, /injected failure/);
  assert.ok(crash.file.endsWith('.go') && crash.ops.length > 0, 'a failure names its corpus file and operators');
  assert.match(r.failures.find((f) => f.kind === 'hang')!.problem, /no answer within 3000 ms/);
});
