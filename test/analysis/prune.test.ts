// Body pruning: which function bodies are emptied before analysis, and the proof that it changes
// nothing: every rule gives the same findings on real packages with and without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type * as ast from '../../src/syntax/ast.js';
import { parseFile } from '../../src/syntax/parser.js';
import { combinedNeeds, pruneBodies } from '../../src/analysis/prune.js';
import { defaultRuleOptions, parseRuleOptions } from '../../src/analysis/options.js';
import { analyze } from '../../src/analysis/driver.js';
import { analyzers, REGISTRY_URL } from '../../src/rules/index.js';
import type { Analyzer } from '../../src/analysis/analyzer.js';
import { tempModule } from '../cli/harness.js';

/** Parses the files, prunes them for the rules given, and returns the names of the functions whose bodies survive. */
function kept(files: Record<string, string>, rules: readonly Analyzer[] = analyzers, options = defaultRuleOptions()): string[] {
  const parsed = Object.entries(files).map(([name, text]) => parseFile(name, text).file);
  const needs = combinedNeeds(rules, options);
  assert.ok(needs, 'every rule declares its needs');
  pruneBodies(parsed, needs);
  const out: string[] = [];
  for (const f of parsed) {
    for (const d of f.decls ?? []) {
      if (d.kind !== 'FuncDecl' || !d.body) continue;
      const name = d.recv ? `${recvName(d)}.${d.name.name}` : d.name.name;
      if (d.body.list !== null) out.push(name);
    }
  }
  return out.sort();
}

function recvName(d: ast.FuncDecl): string {
  let t = d.recv!.list![0]!.type!;
  if (t.kind === 'StarExpr') t = t.x;
  return t.kind === 'Ident' ? t.name : '?';
}

test('bodies with a defer, go, recover or lock call are kept, and what a goroutine runs; the rest are emptied', () => {
  const src = `package p

import ("os"; "sync")

var mu sync.Mutex

func withDefer() { f, _ := os.Open("x"); defer f.Close() }
func withGo() { go pure(1) }
func withRecover() { _ = recover() }
func withLock() { mu.Lock(); mu.Unlock() }
func pure(x int) int { return x * 2 }
func alsoPure() string { return "x" }
`;
  // pure is kept as what the goroutine of withGo runs (does it recover, send, call Done?).
  assert.deepEqual(kept({ 'p.go': src }), ['pure', 'withDefer', 'withGo', 'withLock', 'withRecover']);
});

test('a callee is kept when its body, or one it calls, exits, blocks, locks or uses a channel', () => {
  const src = `package p

import ("os"; "sync"; "time")

var mu sync.Mutex

func subject() {
	defer cleanup()
	step1()
	compute()
}
func cleanup() { println("bye") }
func step1() { step2() }
func step2() { os.Exit(1) }
func compute() int { return helper() + 1 }
func helper() int { return 2 }
func unrelated() { time.Sleep(1) }
`;
  // cleanup is deferred code (kept whatever it holds); step1 reaches an exit through step2;
  // compute and helper reach nothing that matters; unrelated is named by no kept body.
  assert.deepEqual(kept({ 'p.go': src }), ['cleanup', 'step1', 'step2', 'subject']);
});

test('a callee that calls one of its own parameters is kept when a kept body names it', () => {
  const src = `package p

import "sync"

type engine struct{ mu sync.Mutex }

func (e *engine) withRun(id string, fn func(string) error) error { return fn(id) }

func (e *engine) plain(id string) string { return id + "!" }

func (e *engine) cancel(id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.withRun(id, func(s string) error { _ = e.plain(s); return nil })
}

func unused(fn func()) { fn() }
`;
  // withRun runs what cancel passes it; plain matters to no rule; unused is named by no kept body.
  assert.deepEqual(kept({ 'p.go': src }), ['engine.cancel', 'engine.withRun']);
});

test('a body that assigns a func field which a kept body calls is kept (the field may hold a method value)', () => {
  const src = `package p

import "sync"

type registry struct {
	mu     sync.Mutex
	lookup func(string) int
	size   int
}

func newRegistry() *registry {
	r := &registry{}
	r.lookup = r.get
	return r
}

func resize(r *registry) { r.size = 2 }

func (r *registry) get(name string) int { r.mu.Lock(); defer r.mu.Unlock(); return len(name) }

func (r *registry) bump(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lookup(name)
}
`;
  // resize assigns a field nobody calls: dropped.
  assert.deepEqual(kept({ 'p.go': src }), ['newRegistry', 'registry.bump', 'registry.get']);
});

test('every body that names a deferred field or variable, or a function with a recover, is kept', () => {
  const src = `package p

type S struct{ hook func() }

var onExit func()

func (s *S) run() { defer s.hook() }
func (s *S) set() { s.hook = func() {} }
func install() { onExit = func() {} }
func later() { defer onExit() }
func handle() { if r := recover(); r != nil { println(r) } }
func register() { use(handle) }
func use(f func()) { f() }
func other() int { return 1 }
`;
  // use runs what register passes it (a function with a recover).
  assert.deepEqual(kept({ 'p.go': src }), ['S.run', 'S.set', 'handle', 'install', 'later', 'register', 'use']);
});

test('code that runs deferred is kept with everything it names, transitively', () => {
  const src = `package p

type sub struct{}

func (s *sub) Unsubscribe() error { if s == nil { return nil }; return release() }
func release() error { return nil }
func open() *sub { return &sub{} }
func use() { s := open(); defer func() { _ = s.Unsubscribe() }() }
func plain() error { return release() }
`;
  // open is called, not deferred, and reaches nothing that matters.
  assert.deepEqual(kept({ 'p.go': src }), ['release', 'sub.Unsubscribe', 'use']);
});

test('ban-list names, wildcards included, make a body a subject of banned-call', () => {
  const banned = analyzers.filter((a) => a.meta.id === 'banned-call');
  const options = parseRuleOptions({ banned: [{ name: 'fmt.Print*', context: 'anywhere' }, { name: 'os.RemoveAll', context: 'defer' }] }, 'test');
  const src = `package p

import ("fmt"; "os")

func a() { fmt.Println("x") }
func b() { _ = os.RemoveAll("d") }
func c() { fmt.Sprint("x") }
`;
  assert.deepEqual(kept({ 'p.go': src }, banned, options), ['a', 'b']);
  // Without a ban list the rule needs no body at all.
  assert.deepEqual(kept({ 'p.go': src }, banned), []);
});

test('a package with nothing left for any rule is marked empty; a subject outside the bodies keeps it', () => {
  const needs = combinedNeeds(analyzers, defaultRuleOptions())!;
  const stats = (text: string) => pruneBodies([parseFile('p.go', text).file], needs);
  const plain = `package p

type T struct{ n int }

func (t *T) Get() int { return t.n }
func add(a, b int) int { return a + b }
`;
  // The field accessor's body stays (rules ask which field a call of it gives), and it does not
  // keep the package from being empty.
  const plainFile = parseFile('p.go', plain).file;
  assert.deepEqual(pruneBodies([plainFile], needs), { bodies: 2, pruned: 1, empty: true });
  const bodyOf = (name: string) => plainFile.decls!.find((d) => d.kind === 'FuncDecl' && d.name.name === name) as { body: { list: unknown[] | null } };
  assert.equal(bodyOf('Get').body.list?.length, 1);
  assert.equal(bodyOf('add').body.list, null);
  // A function literal in a package-level initializer is not a function declaration's body.
  const lit = `package p

import "os"

var open = func(names []string) {
	for _, n := range names {
		f, _ := os.Open(n)
		defer f.Close()
	}
}

func add(a, b int) int { return a + b }
`;
  assert.deepEqual(stats(lit), { bodies: 1, pruned: 1, empty: false });
  assert.equal(stats('package p\n\nfunc f() { defer println() }\n').empty, false);
});

test('an empty package still reports its syntax errors, and a package-level literal is still analysed', async () => {
  const m = tempModule({
    'a/a.go': 'package a\n\nfunc Add(a, b int) int { return a + b }\n',
    'a/b.go': 'package a\n\nfunc Broken( { return }\n',
    'b/b.go': `package b

import "os"

var Open = func(names []string) {
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			continue
		}
		defer f.Close()
	}
}

func Add(a, b int) int { return a + b }
`,
  });
  const r = await analyze({ cwd: m.dir, patterns: ['./...'], registry: REGISTRY_URL, enable: analyzers.map((a) => a.meta.id), jobs: 1, env: m.env, useGo: false });
  const got = r.findings.map((f) => `${f.file}:${f.line} ${f.rule}`);
  assert.ok(got.includes('a/b.go:3 syntax-error'), got.join('\n'));
  assert.ok(got.includes('b/b.go:11 defer-in-loop'), got.join('\n'));
});

test('nothing is pruned when an enabled analyzer does not declare its needs', () => {
  const blind: Analyzer = { meta: { ...analyzers[0]!.meta, id: 'blind' }, run() {} };
  assert.equal(combinedNeeds([...analyzers, blind], defaultRuleOptions()), undefined);
});

const goroot = (() => {
  const r = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
})();

test('every rule finds the same with and without pruning on real packages', { skip: goroot ? false : 'go is not installed (needed for GOROOT/src)' }, async () => {
  // Packages with defers, locks, goroutines, recovers, exits and channel plumbing, with their tests.
  const pkgs = ['sync', 'os/exec', 'net/http/httptest', 'testing', 'context', 'log', 'os/signal', 'text/template', 'internal/poll'];
  const all = analyzers.map((a) => a.meta.id);
  const run = (prune: boolean) => analyze({ cwd: join(goroot, 'src'), patterns: pkgs.map((p) => `./${p}`), registry: REGISTRY_URL, enable: all, jobs: 1, prune });
  const off = await run(false);
  const on = await run(true);
  assert.ok(off.findings.length > 20, `the packages have findings (${off.findings.length})`);
  assert.equal(JSON.stringify(on.findings), JSON.stringify(off.findings));
  // Pruning did happen: most bodies hold nothing any rule looks at.
  assert.equal(off.bodies.pruned, 0);
  assert.ok(on.bodies.pruned > on.bodies.total / 4, `pruned ${on.bodies.pruned} of ${on.bodies.total} bodies`);
});
