// The result cache in real runs: misses then hits with identical reports, invalidation when a
// file of the package or of a module-internal dependency changes or when the rule set changes,
// corrupt entries ignored and rewritten, --no-cache and --cache-dir. Also the terminal
// behaviour of the text report (colour and code frames) and the progress line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { colorWanted } from '../../src/cli/check.js';
import { ProgressLine, progressWanted } from '../../src/cli/progress.js';
import { render } from '../../src/report/index.js';
import type { Finding } from '../../src/findings/model.js';
import { tempModule } from './harness.js';

const LOOP = (pkg: string, extra = '') => `package ${pkg}\n\nimport "os"\n${extra}\nfunc Each(ps []string) {\n\tfor _, p := range ps {\n\t\tf, _ := os.Open(p)\n\t\tdefer f.Close()\n\t}\n}\n`;
const DEP = 'package q\n\n// Wait blocks.\nfunc Wait() {}\n';
const USER = 'package p\n\nimport "example.com/m/q"\n\nfunc Use() {\n\tdefer q.Wait()\n}\n' ;

function stats(stderr: string): { hits: number; misses: number; invalid: number; written: number } {
  const m = /cache .*: (\d+) hits?, (\d+) miss(?:es)?(?:, (\d+) unusable entr(?:y|ies) replaced)?, (\d+) written/.exec(stderr);
  assert.ok(m, stderr);
  return { hits: Number(m[1]), misses: Number(m[2]), invalid: Number(m[3] ?? 0), written: Number(m[4]) };
}

function entries(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

test('cache: miss then hit with the same report; an edit invalidates the package and its importers only', async () => {
  const m = tempModule({ 'p/p.go': USER, 'q/q.go': DEP, 'r/r.go': LOOP('r') });
  const cacheDir = join(m.env.XDG_CACHE_HOME!, 'deferguard');
  try {
    const cold = await m.run('--format', 'json', '-v');
    assert.deepEqual(stats(cold.stderr), { hits: 0, misses: 3, invalid: 0, written: 3 });
    assert.equal(entries(cacheDir).length, 3);
    const warm = await m.run('--format', 'json', '-v');
    assert.deepEqual(stats(warm.stderr), { hits: 3, misses: 0, invalid: 0, written: 0 });
    assert.equal(warm.stdout, cold.stdout);
    assert.equal(warm.status, cold.status);
    // Editing q (imported by p) re-analyses q and p, not r.
    m.write('q/q.go', DEP.replace('func Wait() {}', 'func Wait() {}\n\nfunc More() {}'));
    assert.deepEqual(stats((await m.run('-v')).stderr), { hits: 1, misses: 2, invalid: 0, written: 2 });
    // Editing r's finding away changes its result.
    m.write('r/r.go', LOOP('r').replace('\t\tdefer f.Close()', '\t\tf.Close()'));
    const edited = await m.run('--format', 'json', '-v');
    assert.deepEqual(stats(edited.stderr), { hits: 2, misses: 1, invalid: 0, written: 1 });
    assert.deepEqual(JSON.parse(edited.stdout).findings, []);
    // A different rule set is a different key.
    assert.deepEqual(stats((await m.run('-v', '--enable', 'unnecessary-defer')).stderr).misses, 3);
  } finally {
    m.cleanup();
  }
});

test('cache: a corrupt or truncated entry is ignored and rewritten; --no-cache and --cache-dir', async () => {
  const m = tempModule({ 'r/r.go': LOOP('r'), 's/s.go': LOOP('s') });
  const cacheDir = join(m.dir, 'my-cache');
  try {
    const cold = await m.run('--format', 'json', '-v', '--cache-dir', 'my-cache');
    const files = entries(cacheDir);
    assert.equal(files.length, 2);
    writeFileSync(files[0]!, readFileSync(files[0]!, 'utf8').slice(0, 40));
    writeFileSync(files[1]!, JSON.stringify({ format: 1, key: 'not-this-one', result: { findings: [], directives: [], diagnostics: [], notes: [] } }));
    const again = await m.run('--format', 'json', '-v', '--cache-dir', 'my-cache');
    assert.deepEqual(stats(again.stderr), { hits: 0, misses: 2, invalid: 2, written: 2 });
    assert.equal(again.stdout, cold.stdout, 'a bad entry never changes the report');
    assert.deepEqual(stats((await m.run('-v', '--cache-dir', 'my-cache')).stderr).hits, 2);
    // --no-cache neither reads nor writes.
    const none = await m.run('--format', 'json', '-v', '--no-cache');
    assert.doesNotMatch(none.stderr, /cache /);
    assert.equal(none.stdout, cold.stdout);
    assert.ok(!existsSync(join(m.env.XDG_CACHE_HOME!, 'deferguard')));
    // An unwritable cache location is a warning, not a failure.
    writeFileSync(join(m.dir, 'blocker'), 'a file where a directory should be');
    const blocked = await m.run('--format', 'json', '--cache-dir', 'blocker/sub');
    assert.equal(blocked.status, 1);
    assert.match(blocked.stderr, /warning: cannot write to the cache in .*blocker\/sub: (ENOTDIR|EEXIST)/);
    assert.equal(blocked.stdout, cold.stdout);
  } finally {
    m.cleanup();
  }
});

test('text output: colour and code frames on a terminal only; plain for CI, NO_COLOR, --no-color, pipes', () => {
  const tty = true;
  assert.equal(colorWanted(tty, true, {}), true);
  assert.equal(colorWanted(false, true, {}), false);
  assert.equal(colorWanted(undefined, true, {}), false);
  assert.equal(colorWanted(tty, false, {}), false);
  assert.equal(colorWanted(tty, true, { NO_COLOR: '1' }), false);
  assert.equal(colorWanted(tty, true, { CI: 'true' }), false);
  assert.equal(colorWanted(tty, true, { CI: 'false' }), true);
  assert.equal(colorWanted(tty, true, { TERM: 'dumb' }), false);
  const f: Finding = { rule: 'defer-in-loop', severity: 'high', confidence: 'high', message: 'm', related: [], file: 'a.go', line: 2, column: 2, endLine: 2, endColumn: 7 };
  const source = () => 'package a\n\tdefer x()\n';
  const coloured = render('text', [f], [], { tty: true, source });
  assert.match(coloured, /\x1b\[31mhigh\x1b\[0m/);
  assert.match(coloured, /\x1b\[2m    2 \| \x1b\[0m\tdefer x\(\)\n/);
  assert.match(coloured, /\x1b\[2m      \| \x1b\[0m\t\x1b\[31m\^~~~~\x1b\[0m/);
  const plain = render('text', [f], [], { tty: false, source });
  assert.equal(plain, 'a.go:2:2: high [defer-in-loop] m\n1 finding: 1 high\n');
});

test('check on a terminal: colour and code frames unless CI or NO_COLOR is set', async () => {
  const m = tempModule({ 'r/r.go': LOOP('r') });
  const was = process.stdout.isTTY;
  try {
    process.stdout.isTTY = true;
    const tty = await m.run('--no-progress');
    assert.match(tty.stdout, /\x1b\[31mhigh\x1b\[0m/);
    assert.match(tty.stdout, /^\x1b\[2m    8 \| \x1b\[0m\t\tdefer f\.Close\(\)$/m);
    for (const env of [{ CI: 'true' }, { NO_COLOR: '1' }]) {
      Object.assign(m.env, env);
      const plain = await m.run('--no-progress');
      assert.doesNotMatch(plain.stdout, /\x1b/);
      assert.doesNotMatch(plain.stdout, / \| /);
      Object.assign(m.env, { CI: undefined, NO_COLOR: undefined });
    }
    assert.doesNotMatch((await m.run('--no-color', '--no-progress')).stdout, /\x1b/);
  } finally {
    process.stdout.isTTY = was;
    m.cleanup();
  }
});

test('progress: shown on a terminal, silent in CI and pipes; throttled; cleared before the report', () => {
  assert.equal(progressWanted({ isTTY: true }, {}), true);
  assert.equal(progressWanted({ isTTY: false }, {}), false);
  assert.equal(progressWanted({ isTTY: true }, { CI: '1' }), false);
  const out: string[] = [];
  let now = 1000;
  const p = new ProgressLine({ isTTY: true, columns: 120, write: (s) => out.push(s) }, () => now, 100);
  p.update({ done: 1, total: 10, findings: 2, cached: 0 });
  now += 50;
  p.update({ done: 2, total: 10, findings: 3, cached: 0 }); // within 100 ms: skipped
  now += 1500;
  p.update({ done: 3, total: 10, findings: 4, cached: 1 });
  now += 10;
  p.update({ done: 10, total: 10, findings: 5, cached: 1 }); // the last one always shows
  p.done();
  assert.deepEqual(out, [
    '\rdeferguard: 1/10 packages, 2 findings so far, 0.0s\x1b[K',
    '\rdeferguard: 3/10 packages (1 cached), 4 findings so far, 1.6s\x1b[K',
    '\rdeferguard: 10/10 packages (1 cached), 5 findings so far, 1.6s\x1b[K',
    '\r\x1b[K',
  ]);
});

test('cache: a package whose recover depends on another package defer is re-analysed when that defer goes', async () => {
  const SAFE = 'package safe\n\n// Capture turns a panic into an error.\nfunc Capture(errp *error) {\n\tif v := recover(); v != nil {\n\t\t*errp = nil\n\t}\n}\n';
  const API = (deferred: boolean) => `package api\n\nimport "example.com/m/safe"\n\nfunc Run(job func() error) (err error) {\n\t${deferred ? 'defer ' : ''}safe.Capture(&err)\n\treturn job()\n}\n`;
  const OTHER = 'package other\n\nfunc Sum(a, b int) int { return a + b }\n';
  const m = tempModule({ 'safe/safe.go': SAFE, 'api/api.go': API(true), 'other/other.go': OTHER });
  try {
    const cold = await m.run('--format', 'json', '-v');
    assert.deepEqual(JSON.parse(cold.stdout).findings, [], 'api defers safe.Capture: its recover works');
    // api now calls Capture instead of deferring it: safe's recover is ineffective, and safe (whose
    // text says recover) is analysed again although none of its files or imports changed. other is not.
    m.write('api/api.go', API(false));
    const warm = await m.run('--format', 'json', '-v');
    assert.deepEqual(stats(warm.stderr), { hits: 1, misses: 2, invalid: 0, written: 2 });
    const findings = (JSON.parse(warm.stdout) as { findings: Finding[] }).findings;
    assert.deepEqual(findings.map((f) => `${f.rule} ${f.file}`), ['recover-ineffective safe/safe.go']);
  } finally {
    m.cleanup();
  }
});

test('a named package sees the module packages it imports, named or not', async () => {
  const LIB = 'package lib\n\n// Start begins something and returns its cleanup.\nfunc Start() func() { return func() {} }\n';
  const APP = 'package app\n\nimport "example.com/m/lib"\n\nfunc Run() {\n\tdefer lib.Start()\n}\n';
  const m = tempModule({ 'lib/lib.go': LIB, 'app/app.go': APP });
  try {
    const rule = (out: string) => (JSON.parse(out) as { findings: Finding[] }).findings.filter((f) => f.rule === 'defer-func-result-not-called').map((f) => f.file);
    assert.deepEqual(rule((await m.run('--format', 'json', '--no-cache', '--fail-on', 'none', './app')).stdout), ['app/app.go']);
    assert.deepEqual(rule((await m.run('--format', 'json', '--no-cache', '--fail-on', 'none', './...')).stdout), ['app/app.go']);
  } finally {
    m.cleanup();
  }
});

test('cache: a directory that cannot be made (under /proc) warns once and the run goes on', { skip: process.platform !== 'linux' ? 'needs /proc' : false, timeout: 60_000 }, async () => {
  const m = tempModule({ 'r/r.go': LOOP('r') });
  try {
    const r = await m.run('--format', 'json', '--cache-dir', '/proc/deferguard-cache-test/x');
    assert.equal(r.status, 1, r.stderr);
    assert.equal((r.stderr.match(/cannot write to the cache/g) ?? []).length, 1, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { findings: Finding[] }).findings.length, 1);
  } finally {
    m.cleanup();
  }
});
