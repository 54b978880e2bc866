// Goroutines started through plain helpers: which declarations count as spawners, and which
// calls become go statements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as ast from '../../src/syntax/ast.js';
import { parseFile } from '../../src/syntax/parser.js';
import { rewriteSpawns, spawnersIn, spawnersInFiles } from '../../src/analysis/spawners.js';

const SRC = `package p

import "example.com/m/conc"

func spawn(fn func()) {
	go fn()
}

func (r *runner) launch(work func()) {
	go work()
}

// Counts before starting the goroutine: a spawner from the trees, not by text (the layout another
// package's spawners are found by).
func spawnCounted(n *int, fn func()) {
	*n++
	go fn()
}

func spawnSafe(fn func()) {
	go func() {
		defer func() { recover() }()
		fn()
	}()
}

type runner struct{}

func use(r *runner, f func()) {
	spawn(func() { println(1) })
	r.launch(func() { println(2) })
	conc.Go(func() { println(3) })
	spawn(f)
	spawnSafe(func() { println(4) })
	x := func() { spawn(func() { println(5) }) }
	_ = x
}
`;

test('a plain spawner is a function or method whose whole body is go on its func parameter', () => {
  const s = spawnersIn(SRC);
  assert.deepEqual([...s.funcs], ['spawn']);
  assert.deepEqual([...s.methods], ['launch']);
});

test('statement calls of spawners with a function literal become go statements', () => {
  const r = parseFile('p.go', SRC);
  assert.deepEqual(r.errors, []);
  const own = spawnersIn(SRC);
  const n = rewriteSpawns(r.file, own, (path) => (path === 'example.com/m/conc' ? { funcs: new Set(['Go']), methods: new Set() } : undefined));
  // spawn, r.launch, conc.Go and the one inside the literal; not spawn(f) or spawnSafe.
  assert.equal(n, 4);
  const use = r.file.decls!.find((d): d is ast.FuncDecl => d.kind === 'FuncDecl' && d.name.name === 'use')!;
  const kinds = use.body!.list!.map((s) => s.kind);
  assert.deepEqual(kinds, ['GoStmt', 'GoStmt', 'GoStmt', 'ExprStmt', 'ExprStmt', 'AssignStmt', 'AssignStmt']);
  const go = use.body!.list![0] as ast.GoStmt;
  assert.equal(go.call.fun.kind, 'FuncLit');
  // The go statement spans the helper's call in the source.
  assert.equal(SRC.slice(go.go, go.go + 6), 'spawn(');
});

test('from the trees: a helper whose goroutine wraps the call in a literal of its own is a spawner, marked with that literal', () => {
  const r = parseFile('p.go', SRC);
  const s = spawnersInFiles([r.file]);
  assert.deepEqual([...s.funcs].sort(), ['spawn', 'spawnCounted', 'spawnSafe']);
  assert.deepEqual([...s.methods], ['launch']);
  assert.deepEqual([...(s.wrappers?.keys() ?? [])], ['spawnSafe']);
  rewriteSpawns(r.file, s, () => undefined);
  const use = r.file.decls!.find((d): d is ast.FuncDecl => d.kind === 'FuncDecl' && d.name.name === 'use')!;
  const safe = use.body!.list![4] as ast.GoStmt;
  assert.equal(safe.kind, 'GoStmt');
  assert.equal(safe.spawner, s.wrappers!.get('spawnSafe'));
  assert.equal((use.body!.list![0] as ast.GoStmt).spawner, undefined);
});

test('book-keeping before the go statement is allowed when it does not touch the function', () => {
  const src = `package p

import "sync"

type tracker struct{ wg sync.WaitGroup; n int; sem chan struct{} }

func (t *tracker) async(fn func()) {
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		fn()
	}()
}

// A semaphore slot taken before the goroutine, given back by it.
func (t *tracker) bounded(fn func()) {
	t.sem <- struct{}{}
	go func() {
		defer func() { <-t.sem }()
		fn()
	}()
}

func (t *tracker) keep(fn func()) {
	t.n++
	_ = fn
	go fn()
}
`;
  const r = parseFile('p.go', src);
  assert.deepEqual(r.errors, []);
  const s = spawnersInFiles([r.file]);
  // keep stores fn before starting it: not a spawner.
  assert.deepEqual([...s.methods], ['async', 'bounded']);
  assert.ok(s.wrappers?.has('async'));
  assert.ok(s.wrappers?.has('bounded'));
});
