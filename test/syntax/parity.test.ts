// The parser parity harness (npm run parity:parser): deferguard's parser against go/parser.
// With Go installed it checks a deterministic sample of $GOROOT/src (every 25th file) and the
// harness's handling of files that differ, are rejected, throw or hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findGo, repoRoot } from '../../scripts/gohelper.js';
import { collectGoFiles, firstDifference, type ParityReport } from '../../scripts/parity-parser.js';

function parity(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; report: ParityReport; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/parity-parser.ts', '--json', ...args], {
    cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000,
  });
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `exactly one JSON line on stdout; got:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return { status: r.status, report: JSON.parse(lines[0]!) as ParityReport, stderr: r.stderr };
}

test('firstDifference names the first differing line and the nodes around it', () => {
  const go = 'File\n  decls: [\n    FuncDecl\n      name: Ident\n        name: "f"\n        namePos: 16\n    FuncDecl\n      name: Ident\n        name: "g"\n        namePos: 40\n  ]\n  package: 0\n';
  const ours = go.replace('namePos: 40', 'namePos: 41');
  const d = firstDifference(go, ours);
  assert.match(d, /^first difference at dump line 10 /);
  assert.match(d, /in: File > decls\[1\] FuncDecl > name Ident$/m);
  assert.match(d, /^go: {3}"namePos: 40"$/m);
  assert.match(d, /^ours: "namePos: 41"$/m);
  assert.match(firstDifference(go, go.replace('    FuncDecl\n      name: Ident\n        name: "g"\n        namePos: 40\n', '')), /in: File > decls\[1\]\ngo: {3}"FuncDecl"\nours: "\]"/);
  assert.match(firstDifference(go, go + 'extra\n'), /go: {3}\(end of dump\)|go: {3}""/);
  assert.equal(firstDifference(go, go), 'dumps are identical');
});

test('collectGoFiles walks directories in sorted order, skipping dot directories and other files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deferguard-collect-'));
  try {
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    mkdirSync(join(dir, '.git'));
    for (const f of ['z.go', 'a.go', 'a/b/c.go', 'a/x.go', 'a/readme.md', '.git/h.go']) writeFileSync(join(dir, f), 'package p\n');
    const got = collectGoFiles([dir, join(dir, 'z.go')]).map((p) => p.slice(dir.length + 1));
    assert.deepEqual(got, ['a.go', 'a/b/c.go', 'a/x.go', 'z.go']);
    assert.throws(() => collectGoFiles([join(dir, 'missing')]), /no such file or directory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parity on a sample of $GOROOT/src (every 25th file): no differences', (t) => {
  const go = findGo();
  if ('missing' in go) {
    t.skip(`go not on PATH: ${go.missing}`);
    return;
  }
  const { status, report, stderr } = parity(['--sample', '25']);
  assert.ok(report.compared > 250, `a few hundred files compared, got ${report.compared}`);
  assert.deepEqual(
    { different: report.different, onlyOursRejected: report.onlyOursRejected, onlyGoRejected: report.onlyGoRejected, examples: report.examples },
    { different: 0, onlyOursRejected: 0, onlyGoRejected: 0, examples: [] },
  );
  assert.equal(report.identical + report.bothRejected, report.compared);
  assert.ok(report.identical > 0);
  assert.equal(status, 0, stderr);
});

test('the harness reports differences, one-sided rejections, throws and hangs without stopping', (t) => {
  const go = findGo();
  if ('missing' in go) {
    t.skip(`go not on PATH: ${go.missing}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'deferguard-parity-'));
  try {
    const files: Record<string, string> = {
      'a_ok.go': 'package p\n\nfunc f() { defer g() }\n',
      'b_both_reject.go': 'package p\n\nfunc f( {\n',
      'c_shift.go': 'package p // SHIFT_HERE\n',
      'd_throw.go': 'package p // THROW_HERE\n',
      'e_hang.go': 'package p // HANG_HERE\n',
      'f_only_ours.go': 'package p // REJECT_HERE\n',
      'g_only_go.go': 'package p\n\nfunc f( { // ACCEPT_HERE\n',
      'h_after.go': 'package q\n\nvar x = 1\n',
    };
    for (const [name, src] of Object.entries(files)) writeFileSync(join(dir, name), src);
    const t0 = Date.now();
    const { status, report } = parity([dir], { DEFERGUARD_PARITY_PARSER: join(repoRoot, 'test/syntax/fixtures/faulty-parser.ts') });
    assert.ok(Date.now() - t0 < 60_000);
    assert.equal(status, 1);
    const { examples, ...counts } = report;
    assert.deepEqual(counts, { compared: 8, identical: 2, different: 3, bothRejected: 1, onlyOursRejected: 1, onlyGoRejected: 1 });
    const byFile = new Map(examples.map((e) => [e.file.replace(/^.*\//, ''), e]));
    assert.equal(byFile.get('c_shift.go')?.kind, 'different');
    assert.match(byFile.get('c_shift.go')!.detail, /in: File > name Ident\ngo: {3}"namePos: 8"\nours: "namePos: 9"/);
    assert.match(byFile.get('d_throw.go')!.detail, /our parser failed: RangeError: fixture parser gives up/);
    assert.match(byFile.get('e_hang.go')!.detail, /did not finish within 5 s/);
    assert.equal(byFile.get('f_only_ours.go')?.kind, 'onlyOursRejected');
    assert.match(byFile.get('f_only_ours.go')!.detail, /^ours: 1:1: fixture rejects this file$/);
    assert.equal(byFile.get('g_only_go.go')?.kind, 'onlyGoRejected');
    assert.match(byFile.get('g_only_go.go')!.detail, /^go: 3:9: /);
    assert.deepEqual([...byFile.keys()], ['c_shift.go', 'd_throw.go', 'e_hang.go', 'f_only_ours.go', 'g_only_go.go']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
