// The analysis framework: inspector queries, the driver's units, syntax errors, crash isolation,
// suppressions, deterministic order and the same output from one thread or two workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as ast from '../../src/syntax/ast.js';
import { parseFile } from '../../src/syntax/parser.js';
import { inspect } from '../../src/syntax/nodes.js';
import { Inspector, NODE_KINDS } from '../../src/analysis/inspector.js';
import { analysisOrder, analyze, defaultJobs, DEFAULT_WORKER_HEAP_MB, usableCpus, workerHeapLimit, workerHeapProblem } from '../../src/analysis/driver.js';
import type { PackageTable, Unit } from '../../src/analysis/core.js';
import { defaultEnabled } from '../../src/rules/index.js';
import { parseRuleOptions, OptionsError } from '../../src/analysis/options.js';

const REGISTRY = new URL('./registry.fixture.ts', import.meta.url).href;

const SRC = `package p

func f(xs []int) {
	defer g()
	for range xs {
		func() {
			defer g()
		}()
	}
}

func g() {}
`;

test('inspector preorder visits the requested kinds in source order, like a full walk', () => {
  const { file } = parseFile('x.go', SRC);
  const ins = new Inspector(file);
  const want: string[] = [];
  inspect(file, (n) => void ((n.kind === 'DeferStmt' || n.kind === 'FuncLit') && want.push(n.kind)));
  const got: string[] = [];
  ins.preorder(['DeferStmt', 'FuncLit'], (n) => got.push(n.kind));
  assert.deepEqual(got, want);
  assert.deepEqual(got, ['DeferStmt', 'FuncLit', 'DeferStmt']);
  let all = 0;
  ins.preorder(null, () => all++);
  let walked = 0;
  inspect(file, () => void walked++);
  assert.equal(all, walked);
  assert.throws(() => ins.preorder(['Nope' as ast.NodeKind], () => {}), /unknown node kind/);
});

test('inspector contains tells which functions hold a kind of node, nested literals included; has finds every node', () => {
  const src = 'package p\n\nfunc a() { defer b() }\n\nfunc b() { go func() { defer b() }() }\n\nfunc c() { _ = 1 }\n';
  const { file } = parseFile('y.go', src);
  const ins = new Inspector(file);
  const fns = new Map<string, ast.FuncDecl>();
  for (const d of file.decls ?? []) if (d.kind === 'FuncDecl') fns.set(d.name.name, d);
  assert.equal(ins.contains(fns.get('a')!, ['DeferStmt']), true);
  assert.equal(ins.contains(fns.get('a')!, ['GoStmt']), false);
  assert.equal(ins.contains(fns.get('b')!, ['DeferStmt']), true, 'through the nested literal');
  assert.equal(ins.contains(fns.get('b')!, ['GoStmt', 'SendStmt']), true);
  assert.equal(ins.contains(fns.get('c')!, ['DeferStmt', 'GoStmt']), false);
  let nodes = 0;
  inspect(file, (n) => {
    nodes++;
    assert.ok(ins.has(n));
  });
  assert.ok(nodes > 20);
  assert.equal(ins.has(parseFile('z.go', src).file), false);
});

test('inspector withStack gives the enclosing nodes and can prune', () => {
  const { file } = parseFile('x.go', SRC);
  const ins = new Inspector(file);
  const stacks: string[] = [];
  ins.withStack(['DeferStmt'], (_d, stack) => void stacks.push(stack.map((n) => n.kind).join('>')));
  assert.deepEqual(stacks, [
    'File>FuncDecl>BlockStmt>DeferStmt',
    'File>FuncDecl>BlockStmt>RangeStmt>BlockStmt>ExprStmt>CallExpr>FuncLit>BlockStmt>DeferStmt',
  ]);
  const seen: string[] = [];
  ins.withStack(['FuncLit', 'DeferStmt'], (n) => {
    seen.push(n.kind);
    return n.kind !== 'FuncLit'; // do not enter function literals
  });
  assert.deepEqual(seen, ['DeferStmt', 'FuncLit']);
});

test('inspector queries agree with a plain walk on real files, for every kind and pairs of kinds', () => {
  const dir = new URL('../../testdata/rules/', import.meta.url);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.go')).sort().slice(0, 40);
  assert.ok(files.length >= 20);
  for (const name of files) {
    const { file } = parseFile(name, readFileSync(new URL(name, dir)));
    // A File root is sized from its length; a declaration root starts small and grows.
    const roots: ast.Node[] = [file, ...(file.decls ?? []).filter((d) => d.kind === 'FuncDecl')];
    for (const root of roots) {
      const ins = new Inspector(root);
      const walked: { n: ast.Node; stack: string }[] = [];
      const stack: ast.Node[] = [];
      inspect(root, (n) => {
        while (stack.length > 0 && !within(stack[stack.length - 1]!, n)) stack.pop();
        stack.push(n);
        walked.push({ n, stack: stack.map((x) => x.kind).join('>') });
      });
      assert.equal(ins.size, walked.length, name);
      for (let i = 0; i < NODE_KINDS.length; i++) {
        const kinds = [NODE_KINDS[i]!, NODE_KINDS[(i * 7 + 3) % NODE_KINDS.length]!];
        for (const ks of [[kinds[0]!], kinds]) {
          const want = walked.filter((w) => ks.includes(w.n.kind));
          const got: ast.Node[] = [];
          ins.preorder(ks, (n) => void got.push(n));
          assert.deepEqual(got, want.map((w) => w.n), `${name} preorder ${ks.join(',')}`);
          const stacks: string[] = [];
          ins.withStack(ks, (_n, st) => void stacks.push(st.map((x) => x.kind).join('>')));
          assert.deepEqual(stacks, want.map((w) => w.stack), `${name} withStack ${ks.join(',')}`);
        }
      }
      for (const w of walked) assert.ok(ins.has(w.n));
    }
  }
  // The parent test of the stack above: a node lies under the last one whose subtree holds it.
  function within(anc: ast.Node, n: ast.Node): boolean {
    let found = false;
    inspect(anc, (x) => {
      if (found) return false;
      if (x === n && x !== anc) found = true;
      return !found;
    });
    return found;
  }
});

function module(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'deferguard-driver-'));
  writeFileSync(join(dir, 'go.mod'), 'module example.com/m\n\ngo 1.22\n');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, dirname(name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const MODULE = {
  'a/a.go': 'package a\n\nfunc A() {\n\tdefer B()\n}\n\nfunc B() {}\n',
  'a/a_test.go': 'package a\n\nfunc helper() {\n\tdefer B()\n}\n',
  'a/x_test.go': 'package a_test\n\nfunc ext() {\n\tdefer func() {}()\n}\n',
  'b/b.go': 'package b\n\nfunc boom() {\n\tdefer boom()\n}\n',
  'c/ok.go': 'package c\n\nfunc C() {\n\tdefer C() //deferguard:ignore every-defer recursion is intended here\n\tdefer C()\n}\n',
  'c/bad.go': 'package c\n\nfunc broken( {\n',
  'd/é.go': 'package d\n\nfunc D() { /* é */ defer D() }\n',
};

test('driver: findings, syntax errors, crash isolation, suppressions; jobs 1 and 2 agree byte for byte', async () => {
  const dir = module(MODULE);
  try {
    const run = (jobs: number) => analyze({ cwd: dir, registry: REGISTRY, enable: ['every-defer', 'throws'], jobs, useGo: false });
    const one = await run(1);
    const two = await run(2);
    const again = await run(2);
    assert.equal(JSON.stringify(two.findings), JSON.stringify(one.findings));
    assert.equal(JSON.stringify(again.findings), JSON.stringify(two.findings));
    const lines = one.findings.map((f) => `${f.file}:${f.line}:${f.column} [${f.rule}] ${f.message}`);
    assert.deepEqual(lines, [
      'a/a.go:4:2 [every-defer] defer at depth 4 in example.com/m/a',
      'a/a_test.go:4:2 [every-defer] defer at depth 4 in example.com/m/a',
      'a/x_test.go:4:2 [every-defer] defer at depth 4 in example.com/m/a_test',
      'b/b.go:1:1 [internal-error] rule throws failed on b/b.go: boom found; its findings for package example.com/m/b are dropped',
      'b/b.go:4:2 [every-defer] defer at depth 4 in example.com/m/b',
      "c/bad.go:3:14 [syntax-error] syntax error: expected ')', found '{' (the file is not analysed)",
      "c/bad.go:4:1 [syntax-error] syntax error: missing ',' in parameter list (the file is not analysed)",
      'c/ok.go:5:2 [every-defer] defer at depth 4 in example.com/m/c',
      'd/é.go:3:21 [every-defer] defer at depth 4 in example.com/m/d',
    ]);
    assert.equal(one.suppressed, 1);
    const syntax = one.findings.find((f) => f.rule === 'syntax-error')!;
    assert.equal(syntax.severity, 'high');
    // UTF-16 columns differ from byte columns after a non-ASCII character.
    const d = one.findings.find((f) => f.file === 'd/é.go')!;
    // "func D() { /* é */ defer": é is 2 bytes but 1 UTF-16 unit; line 3 starts at byte 11.
    assert.equal(d.column, 21);
    assert.equal(d.column16, 20);
    assert.equal(d.offset, 31);
    assert.equal(one.packages, 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('driver: a worker out of memory under its heap limit is replaced by one without it, and nothing is lost', async () => {
  const dir = module({
    'a/a.go': 'package a\n\nfunc hog() { defer hog() }\n',
    'b/b.go': 'package b\n\nfunc B() { defer B() }\n',
    'c/c.go': 'package c\n\nfunc C() { defer C() }\n',
  });
  try {
    const run = (jobs: number, workerHeapMb: number) => analyze({ cwd: dir, registry: REGISTRY, enable: ['every-defer', 'hog'], jobs, useGo: false, workerHeapMb });
    const reference = await run(1, 0);
    const limited = await run(2, 64);
    const lines = limited.findings.map((f) => `${f.file}:${f.line} [${f.rule}] ${f.message}`);
    assert.deepEqual(lines, [
      'a/a.go:1 [hog] held 200 blocks in example.com/m/a',
      'a/a.go:3 [every-defer] defer at depth 4 in example.com/m/a',
      'b/b.go:3 [every-defer] defer at depth 4 in example.com/m/b',
      'c/c.go:3 [every-defer] defer at depth 4 in example.com/m/c',
    ]);
    assert.equal(JSON.stringify(limited.findings), JSON.stringify(reference.findings));
    // The limit was hit (and said so), and the unit was analysed again without it.
    assert.ok(limited.notes.some((n) => /ran out of memory under its 64 MB heap limit analysing example.com\/m\/a;/.test(n)), limited.notes.join('\n'));
    assert.ok(!reference.notes.some((n) => /ran out of memory/.test(n)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('driver: the worker heap limit comes from the options, then DEFERGUARD_WORKER_HEAP_MB, then the default', () => {
  assert.equal(workerHeapLimit(256, { DEFERGUARD_WORKER_HEAP_MB: '64' }), 256);
  assert.equal(workerHeapLimit(undefined, { DEFERGUARD_WORKER_HEAP_MB: '64' }), 64);
  assert.equal(workerHeapLimit(undefined, { DEFERGUARD_WORKER_HEAP_MB: '0' }), 0);
  assert.equal(workerHeapLimit(undefined, { DEFERGUARD_WORKER_HEAP_MB: 'lots' }), DEFAULT_WORKER_HEAP_MB);
  assert.equal(workerHeapLimit(undefined, {}), DEFAULT_WORKER_HEAP_MB);
  assert.equal(workerHeapProblem({ DEFERGUARD_WORKER_HEAP_MB: '512' }), undefined);
  assert.equal(workerHeapProblem({}), undefined);
  assert.match(workerHeapProblem({ DEFERGUARD_WORKER_HEAP_MB: '1g' }) ?? '', /DEFERGUARD_WORKER_HEAP_MB="1g" is not a whole number of megabytes \(0 for no limit\); using 1024/);
});

test('driver: an unknown rule id is an error, not a crash', async () => {
  const dir = module({ 'a.go': 'package a\n' });
  try {
    await assert.rejects(analyze({ cwd: dir, registry: REGISTRY, enable: ['nope'], jobs: 1, useGo: false }), /unknown rule "nope"/);
    await assert.rejects(analyze({ cwd: dir, registry: REGISTRY, enable: ['nope'], jobs: 2, useGo: false }), /unknown rule "nope"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rule options are validated with the place of the problem', () => {
  const o = parseRuleOptions({ banned: [{ name: 'time.Sleep', context: 'defer', severity: 'high', reason: 'slow' }], blockingCalls: ['x.Y'] }, 'deferguard.json');
  assert.equal(o.banned[0]!.context, 'defer');
  assert.deepEqual(o.blockingCalls, ['x.Y']);
  assert.throws(() => parseRuleOptions({ banned: [{ name: 'x', context: 'never' }] }, 'f.json'), /f\.json: banned\[0\]: context must be one of/);
  assert.throws(() => parseRuleOptions({ bogus: 1 }, 'f.json'), OptionsError);
});

test('driver: default workers are one per 1.5 usable CPUs, and a cgroup CPU quota caps the CPUs', () => {
  assert.deepEqual([1, 2, 3, 4, 6, 8, 16].map((c) => defaultJobs(c)), [1, 1, 2, 2, 4, 5, 10]);
  // cgroup v2 cpu.max: "quota period" (rounded up), "max" for none; v1's -1 for none.
  assert.equal(usableCpus(8, '150000 100000\n'), 2);
  assert.equal(usableCpus(8, '400000 100000'), 4);
  assert.equal(usableCpus(2, '800000 100000'), 2);
  assert.equal(usableCpus(8, 'max 100000'), 8);
  assert.equal(usableCpus(8, '-1 100000'), 8);
  assert.equal(usableCpus(8, undefined), 8);
  assert.equal(usableCpus(0, undefined), 1);
});

test('driver: units are analysed after the module packages they and their tests import, external tests after their package', () => {
  const unit = (key: string): Unit => ({ key, importPath: key, name: key, dir: key, modulePath: 'm', moduleGoVersion: 'go1.22', files: [] });
  const table: PackageTable = {
    'm/app': { name: 'app', files: [], imports: ['fmt', 'm/lib', 'm/util'] },
    'm/lib': { name: 'lib', files: [], imports: ['m/util', 'm/zdep'] },
    'm/util': { name: 'util', files: [], imports: [] },
    // Only a dependency (not analysed), but its own imports still come first.
    'm/zdep': { name: 'zdep', files: [], imports: ['m/base'] },
    'm/base': { name: 'base', files: [], imports: [] },
    // Imported only by tests.
    'm/testkit': { name: 'testkit', files: [], imports: ['m/util'] },
    // An import cycle (go list reports it as an error) must not hang or lose a unit.
    'm/c1': { name: 'c1', files: [], imports: ['m/c2'] },
    'm/c2': { name: 'c2', files: [], imports: ['m/c1'] },
  };
  const units = ['m/app', 'm/base', 'm/c1', 'm/c2', 'm/lib', 'm/testkit', 'm/util'].map(unit);
  units.push(unit('m/lib_test'), unit('m/orphan_test'));
  // app's in-package tests import testkit; lib's external tests import app (a cycle through tests).
  const tests = new Map([
    ['m/app', ['m/testkit']],
    ['m/lib_test', ['m/app', 'm/lib']],
  ]);
  const order = analysisOrder([...units].reverse(), table, tests).map((u) => u.key);
  assert.deepEqual(order, ['m/util', 'm/base', 'm/lib', 'm/testkit', 'm/app', 'm/c2', 'm/c1', 'm/lib_test', 'm/orphan_test']);
  assert.deepEqual(analysisOrder(units, table, tests).map((u) => u.key), order);
  // Without the tests' imports, testkit comes in import path order, after app.
  assert.deepEqual(
    analysisOrder(units, table).map((u) => u.key),
    ['m/util', 'm/base', 'm/lib', 'm/app', 'm/c2', 'm/c1', 'm/lib_test', 'm/orphan_test', 'm/testkit'],
  );
});

test('driver: a package analysed before its importers serves their imports with the same findings as a fresh read', async () => {
  // app's findings need lib's declarations (the result types of lib.Open and the Close method);
  // lib is analysed first in a run of ./..., and read anew when app is checked alone.
  const dir = module({
    'lib/lib.go': [
      'package lib',
      '',
      'import "os"',
      '',
      '// File wraps an os.File.',
      'type File struct{ f *os.File }',
      '',
      'var tables = map[string][]int{"a": {1, 2}}',
      '',
      'var opener = func(name string) (*os.File, error) { return os.Open(name) }',
      '',
      '// Open opens a file.',
      'func Open(name string) (*File, error) {',
      '\tf, err := opener(name)',
      '\tif err != nil {',
      '\t\treturn nil, err',
      '\t}',
      '\tdefer func() { _ = tables }()',
      '\treturn &File{f: f}, nil',
      '}',
      '',
      'func (f *File) Close() error { return f.f.Close() }',
      '',
      'func (f *File) Write(p []byte) (int, error) { return f.f.Write(p) }',
      '',
    ].join('\n'),
    'app/app.go': [
      'package app',
      '',
      'import "example.com/m/lib"',
      '',
      'func Save(name string, data []byte) error {',
      '\tf, err := lib.Open(name)',
      '\tdefer f.Close()',
      '\tif err != nil {',
      '\t\treturn err',
      '\t}',
      '\t_, err = f.Write(data)',
      '\treturn err',
      '}',
      '',
    ].join('\n'),
  });
  try {
    const registry = new URL('../../src/rules/index.ts', import.meta.url).href;
    const enable = defaultEnabled();
    const all = await analyze({ cwd: dir, registry, enable, jobs: 1, useGo: false });
    const alone = await analyze({ cwd: dir, patterns: ['./app'], registry, enable, jobs: 1, useGo: false });
    const appOf = (r: typeof all) => JSON.stringify(r.findings.filter((f) => f.file.startsWith('app/')));
    assert.equal(appOf(all), appOf(alone));
    assert.ok(all.findings.some((f) => f.file === 'app/app.go' && f.rule === 'defer-before-error-check'), JSON.stringify(all.findings));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
