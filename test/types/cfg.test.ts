// The control-flow graph: block structure of small functions (as readable dumps), the path queries
// the flow-sensitive rules use, loop-exit decisions, positions, and, with Go installed, invariants
// over every function and function literal of a sample of $GOROOT/src.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type * as ast from '../../src/syntax/ast.js';
import { DEFAULT_MAX_NESTING, parseFile } from '../../src/syntax/parser.js';
import { end, inspect, pos, unparen } from '../../src/syntax/nodes.js';
import { buildCFG, CFGQueryError, formatCFG, nodeContains, type CFG } from '../../src/types/cfg.js';

// ---- helpers ----

interface Fn {
  cfg: CFG;
  file: ast.File;
  text: (n: ast.Node) => string;
  dump: string;
  /** The first statement whose source text is exactly s (searching CFG entries, then every statement). */
  stmt: (s: string) => ast.Node;
}

/** Calls named exit(...) or x.Exit/x.Fatal(...) do not return. */
const mayReturn = (call: ast.CallExpr): boolean => {
  const f = unparen(call.fun);
  if (f.kind === 'Ident') return f.name !== 'exit';
  if (f.kind === 'SelectorExpr') return !['Exit', 'Fatal'].includes(f.sel.name);
  return true;
};

/** Builds the CFG of `func f() { <body> }`. */
function fn(body: string): Fn {
  const src = `package p\n\nfunc f() {\n${body}\n}\n`;
  const r = parseFile('f.go', src);
  assert.deepEqual(r.errors, [], `test source parses:\n${src}`);
  const decl = r.file.decls![0] as ast.FuncDecl;
  const cfg = buildCFG(decl.body!, { mayReturn });
  const textOf = (n: ast.Node) => r.source.text(pos(n), end(n));
  const stmt = (s: string): ast.Node => {
    for (const ref of cfg.entries()) if (textOf(ref.node) === s) return ref.node;
    let found: ast.Node | null = null;
    inspect(decl.body!, (x) => {
      if (!found && textOf(x) === s) found = x;
      return !found;
    });
    assert.ok(found, `statement ${JSON.stringify(s)} found`);
    return found;
  };
  checkInvariants(cfg);
  return { cfg, file: r.file, text: textOf, dump: formatCFG(cfg, (a, b) => r.source.text(a, b)), stmt };
}

/** Structural invariants every CFG must satisfy. */
function checkInvariants(cfg: CFG): void {
  const { blocks, entry, exit } = cfg;
  assert.equal(entry.id, 0);
  assert.equal(entry.kind, 'entry');
  assert.equal(exit.kind, 'exit');
  assert.equal(exit.id, blocks.length - 1);
  assert.equal(exit.succs.length, 0, 'exit has no successors');
  blocks.forEach((b, i) => {
    assert.equal(b.id, i, 'ids are indexes');
    for (const s of b.succs) assert.equal(s.preds.filter((p) => p === b).length, b.succs.filter((x) => x === s).length, `pred/succ symmetry .${b.id}->.${s.id}`);
    for (const p of b.preds) assert.ok(p.succs.includes(b), `succ/pred symmetry .${p.id}->.${b.id}`);
    if (b.noReturn) {
      assert.equal(b.succs.length, 0, 'a no-return block has no successors');
      assert.ok(b.noReturnCall && b.nodes.some((n) => n.kind === 'ExprStmt' && unparen(n.x) === b.noReturnCall));
    }
    if (b.term === 'return') assert.deepEqual(b.succs, [exit], 'a return goes to exit');
    if (b.term === 'branch') assert.ok(b.succs.length >= 1 && b.control, 'a branch has a control statement');
    if (b.kind === 'unreachable') assert.equal(b.preds.length, 0, 'unreachable blocks have no predecessors');
    if (b !== entry && b.preds.length === 0) assert.equal(b.live, false);
  });
  const seen = new Set<ast.Node>();
  for (const b of blocks) for (const n of b.nodes) {
    assert.ok(!seen.has(n), 'a node is in one block only');
    seen.add(n);
    assert.notEqual(n.kind, 'FuncLit', 'literal bodies are not entered');
  }
  for (const r of cfg.returns) {
    const ref = cfg.locate(r)!;
    assert.equal(ref.block.nodes[ref.block.nodes.length - 1], r, 'a return ends its block');
    assert.deepEqual(ref.block.succs, [exit]);
  }
  const order = cfg.blockOrder();
  assert.equal(order.length, blocks.length);
  assert.equal(new Set(order).size, blocks.length);
}

const text = (body: string) => fn(body).dump;

// ---- block structure ----

const STRUCTURE: { name: string; body: string; dump: string }[] = [
  {
    name: 'straight line, defer and go are ordinary entries; fall-off end reaches exit',
    body: `	x := 1\n	defer g(x)\n	go h()\n	x++`,
    dump: `
.0 entry -> 1
  x := 1
  defer g(x)
  go h()
  x++
.1 exit`,
  },
  {
    name: 'if / else if / else chain',
    body: `	if a := f(); a > 0 {\n		p()\n	} else if a < 0 {\n		n()\n	} else {\n		z()\n	}\n	done()`,
    dump: `
.0 entry -> 1 2
  a := f()
  a > 0
.1 if.then -> 3
  p()
.2 if.else -> 4 5
  a < 0
.3 if.done -> 7
  done()
.4 if.then -> 6
  n()
.5 if.else -> 6
  z()
.6 if.done -> 3
.7 exit`,
  },
  {
    name: 'return, then dead code in an unreachable block',
    body: `	if c {\n		return\n	}\n	return\n	dead()`,
    dump: `
.0 entry -> 1 2
  c
.1 if.then (return) -> 5
  return
.2 if.done (return) -> 5
  return
.3 unreachable (dead) -> 2
.4 unreachable (dead) -> 5
  dead()
.5 exit`,
  },
  {
    name: 'three-clause for: condition in the header, post block, continue goes to post',
    body: `	for i := 0; i < n; i++ {\n		if skip(i) {\n			continue\n		}\n		use(i)\n	}`,
    dump: `
.0 entry -> 1
  i := 0
.1 for.loop -> 2 4
  i < n
.2 for.body -> 5 6
  skip(i)
.3 for.post -> 1
  i++
.4 for.done -> 8
.5 if.then -> 3
  continue
.6 if.done -> 3
  use(i)
.7 unreachable (dead) -> 6
.8 exit`,
  },
  {
    name: 'for {} has no exit edge: the code after it and the exit are dead',
    body: `	for {\n		work()\n	}\n	after()`,
    dump: `
.0 entry -> 1
.1 for.loop -> 2
.2 for.body -> 1
  work()
.3 for.done (dead) -> 4
  after()
.4 exit (dead)`,
  },
  {
    name: 'for true {} is like for {}, a break leaves it',
    body: `	for true {\n		if x {\n			break\n		}\n	}`,
    dump: `
.0 entry -> 1
.1 for.loop -> 2
  true
.2 for.body -> 4 5
  x
.3 for.done -> 7
.4 if.then -> 3
  break
.5 if.done -> 1
.6 unreachable (dead) -> 5
.7 exit`,
  },
  {
    name: 'range over a map: operand once, key and value at the start of each iteration',
    body: `	for k, v := range m {\n		use(k, v)\n	}`,
    dump: `
.0 entry -> 1
  m
.1 range.loop -> 2 3
.2 range.body -> 1
  k
  v
  use(k, v)
.3 range.done -> 4
.4 exit`,
  },
  {
    name: 'range over an int, a channel and a func iterator have the same shape',
    body: `	for range 3 {\n	}\n	for x := range ch {\n		_ = x\n	}\n	for y := range seq {\n		_ = y\n	}`,
    dump: `
.0 entry -> 1
  3
.1 range.loop -> 2 3
.2 range.body -> 1
.3 range.done -> 4
  ch
.4 range.loop -> 5 6
.5 range.body -> 4
  x
  _ = x
.6 range.done -> 7
  seq
.7 range.loop -> 8 9
.8 range.body -> 7
  y
  _ = y
.9 range.done -> 10
.10 exit`,
  },
  {
    name: 'switch: cases tested in order, default (in the middle) last, fallthrough to the next body in source order',
    body: `	switch x := f(); x {\n	case 1, 2:\n		a()\n		fallthrough\n	default:\n		d()\n	case 3:\n		c()\n	}`,
    dump: `
.0 entry -> 1 5
  x := f()
  x
  1
  2
.1 switch.case -> 2
  a()
  fallthrough
.2 switch.case -> 4
  d()
.3 switch.case -> 4
  c()
.4 switch.done -> 8
.5 switch.next -> 3 6
  3
.6 switch.next -> 2
.7 unreachable (dead) -> 4
.8 exit`,
  },
  {
    name: 'switch without default: the last failed test goes to done; break inside a case leaves the switch',
    body: `	switch {\n	case a:\n		if b {\n			break\n		}\n		g()\n	}`,
    dump: `
.0 entry -> 1 3
  a
.1 switch.case -> 4 5
  b
.2 switch.done -> 7
.3 switch.next -> 2
.4 if.then -> 2
  break
.5 if.done -> 2
  g()
.6 unreachable (dead) -> 5
.7 exit`,
  },
  {
    name: 'type switch: assign statement, then type lists',
    body: `	switch v := y.(type) {\n	case int:\n		use(v)\n	case nil, string:\n	}`,
    dump: `
.0 entry -> 1 4
  v := y.(type)
  int
.1 switch.case -> 3
  use(v)
.2 switch.case -> 3
.3 switch.done -> 6
.4 switch.next -> 2 5
  nil
  string
.5 switch.next -> 3
.6 exit`,
  },
  {
    name: 'select: one successor per clause, the comm first in its case; empty select blocks forever',
    body: `	select {\n	case ch <- 1:\n	case v, ok := <-in:\n		use(v, ok)\n	default:\n		return\n	}\n	select {}\n	dead()`,
    dump: `
.0 entry -> 1 2 3
.1 select.case -> 4
  ch <- 1
.2 select.case -> 4
  v, ok := <-in
  use(v, ok)
.3 select.case (return) -> 7
  return
.4 select.done (forever)
.5 unreachable (dead) -> 4
.6 unreachable (dead) -> 7
  dead()
.7 exit`,
  },
  {
    name: 'labeled break and continue reach the outer loop; unlabeled break in select stays in the select',
    body: `outer:\n	for {\n		for {\n			select {\n			case <-a:\n				break\n			case <-b:\n				break outer\n			case <-c:\n				continue outer\n			}\n		}\n	}`,
    dump: `
.0 entry -> 1
.1 label -> 2
.2 for.loop -> 3
.3 for.body -> 5
.4 for.done -> 15
.5 for.loop -> 6
.6 for.body -> 8 9 10
.7 for.done (dead) -> 2
.8 select.case -> 11
  <-a
  break
.9 select.case -> 4
  <-b
  break outer
.10 select.case -> 2
  <-c
  continue outer
.11 select.done -> 5
.12 unreachable (dead) -> 11
.13 unreachable (dead) -> 11
.14 unreachable (dead) -> 11
.15 exit`,
  },
  {
    name: 'goto forward skips code; goto backward makes a cycle',
    body: `	goto L\n	skipped()\nL:\n	b()\n	if c {\n		goto L\n	}`,
    dump: `
.0 entry -> 1
  goto L
.1 label -> 3 4
  b()
  c
.2 unreachable (dead) -> 1
  skipped()
.3 if.then -> 1
  goto L
.4 if.done -> 6
.5 unreachable (dead) -> 4
.6 exit`,
  },
  {
    name: 'panic and no-return calls end their block with no successors',
    body: `	if a {\n		panic("boom")\n	}\n	defer cleanup()\n	if b {\n		os.Exit(1)\n	}\n	exit(2)\n	after()`,
    dump: `
.0 entry -> 1 2
  a
.1 if.then (panic)
  panic("boom")
.2 if.done -> 4 5
  defer cleanup()
  b
.3 unreachable (dead) -> 2
.4 if.then (noreturn)
  os.Exit(1)
.5 if.done (noreturn)
  exit(2)
.6 unreachable (dead) -> 5
.7 unreachable (dead) -> 8
  after()
.8 exit (dead)`,
  },
  {
    name: 'function literals are expression parts, not entered; nested blocks and empty statements vanish',
    body: `	defer func() {\n		return\n	}()\n	go func() { for {} }()\n	{\n		;\n		g := func() { panic(1) }\n		_ = g\n	}`,
    dump: `
.0 entry -> 1
  defer func() {; return; }()
  go func() { for {} }()
  g := func() { panic(1) }
  _ = g
.1 exit`,
  },
  {
    name: 'deferred and launched exits are not exits here',
    body: `	defer os.Exit(1)\n	go log.Fatal("x")\n	f()`,
    dump: `
.0 entry -> 1
  defer os.Exit(1)
  go log.Fatal("x")
  f()
.1 exit`,
  },
];

for (const c of STRUCTURE) {
  test(`cfg structure: ${c.name}`, () => {
    assert.equal(text(c.body), c.dump.slice(1) + '\n');
  });
}

test('defers, go statements, returns and loops are recorded in source order', () => {
  const f = fn(`	defer a()\n	for {\n		defer b()\n		if x {\n			return\n		}\n	}\n	for range s {\n		go c()\n	}\n	defer d()\n	return`);
  assert.deepEqual(f.cfg.defers.map(f.text), ['defer a()', 'defer b()', 'defer d()']);
  assert.deepEqual(f.cfg.gos.map(f.text), ['go c()']);
  assert.deepEqual(f.cfg.returns.map(f.text), ['return', 'return']);
  assert.deepEqual([...f.cfg.loops.keys()].map((l) => l.kind), ['ForStmt', 'RangeStmt']);
});

test('invalid branches are reported as problems, the graph stays well formed', () => {
  const f = fn(`	goto nowhere\n	if x {\n		fallthrough\n	}`);
  assert.deepEqual(f.cfg.problems, [
    'fallthrough at offset 46 is not at the end of a switch case followed by another case',
    'label nowhere is used but not defined',
  ]);
  // Parsed with syntax errors (break outside a loop is accepted by the parser; duplicate label).
  const r = parseFile('g.go', 'package p\nfunc g() {\n\tbreak\n\tcontinue L\nL:\nL:\n}\n');
  const g = buildCFG((r.file.decls![0] as ast.FuncDecl).body!);
  checkInvariants(g);
  assert.deepEqual(g.problems, [
    'break at offset 22 has no enclosing target',
    'continue L at offset 29 has no enclosing target',
    'label L defined more than once',
  ]);
});

const FALL_OFF: [string, string, boolean][] = [
  ['empty body', ``, true],
  ['if without else', `	if x {\n		return\n	}`, true],
  ['if/else both return', `	if x {\n		return\n	} else {\n		return\n	}`, false],
  ['panic', `	panic(1)`, false],
  ['for {} without break', `	for {\n	}`, false],
  ['for {} with a break', `	for {\n		break\n	}`, true],
  ['switch with default, all cases return', `	switch {\n	case a:\n		return\n	default:\n		return\n	}`, false],
  ['switch without default', `	switch {\n	case a:\n		return\n	}`, true],
  ['select, all cases return', `	select {\n	case <-c:\n		return\n	}`, false],
  ['empty select', `	select {}`, false],
  ['goto backward', `L:\n	goto L`, false],
];

for (const [name, body, live] of FALL_OFF) {
  test(`fallOff: ${name} -> end reachable: ${live}`, () => {
    const f = fn(body);
    assert.equal(f.cfg.fallOff.live, live);
    assert.ok(f.cfg.fallOff.succs.includes(f.cfg.exit));
  });
}

// ---- path queries ----

const isCall = (name: string) => (n: ast.Node) =>
  nodeContains(n, (x) => {
    if (x.kind !== 'CallExpr') return false;
    const f = unparen(x.fun);
    return (f.kind === 'SelectorExpr' ? f.sel.name : f.kind === 'Ident' ? f.name : '') === name;
  });

const LOCK_CASES: { name: string; body: string; leak: boolean; panicLeak?: boolean }[] = [
  { name: 'unlock on the only path', body: `	mu.Lock()\n	x++\n	mu.Unlock()`, leak: false },
  { name: 'early return before unlock', body: `	mu.Lock()\n	if x > 0 {\n		return\n	}\n	mu.Unlock()`, leak: true },
  { name: 'unlock in both branches', body: `	mu.Lock()\n	if x > 0 {\n		mu.Unlock()\n		return\n	}\n	mu.Unlock()`, leak: false },
  { name: 'unlock only in one branch of a switch', body: `	mu.Lock()\n	switch x {\n	case 1:\n		mu.Unlock()\n	default:\n	}`, leak: true },
  { name: 'deferred unlock (the defer entry matches the predicate)', body: `	mu.Lock()\n	defer mu.Unlock()\n	if x {\n		return\n	}`, leak: false },
  { name: 'return inside a loop before the unlock', body: `	mu.Lock()\n	for _, v := range s {\n		if v {\n			return\n		}\n	}\n	mu.Unlock()`, leak: true },
  { name: 'panic path: no normal return leaks, but a panic path does', body: `	mu.Lock()\n	if bad {\n		panic("x")\n	}\n	mu.Unlock()`, leak: false, panicLeak: true },
  { name: 'os.Exit path is not a return', body: `	mu.Lock()\n	if bad {\n		os.Exit(1)\n	}\n	mu.Unlock()`, leak: false },
  { name: 'endless loop never returns', body: `	mu.Lock()\n	for {\n		work()\n	}`, leak: false },
  { name: 'goto jumps over the unlock', body: `	mu.Lock()\n	if x {\n		goto done\n	}\n	mu.Unlock()\ndone:\n	return`, leak: true },
];

for (const c of LOCK_CASES) {
  test(`pathExists/mustPass: ${c.name}`, () => {
    const f = fn(c.body);
    const lock = f.stmt('mu.Lock()');
    assert.equal(f.cfg.pathExists(lock, 'exit', isCall('Unlock')), c.leak, 'a return path avoiding Unlock');
    assert.equal(f.cfg.mustPass(lock, isCall('Unlock')), !c.leak, 'every return path passes Unlock');
    assert.equal(f.cfg.pathExists(lock, 'panic', isCall('Unlock')), c.panicLeak ?? false, 'a panic path avoiding Unlock');
  });
}

test('findPath returns the blocks of a shortest path; node targets and predicate targets', () => {
  const f = fn(`	wg.Add(1)\n	if err != nil {\n		return\n	}\n	wg.Done()\n	for {\n		wg.Wait()\n	}`);
  const add = f.stmt('wg.Add(1)');
  const path = f.cfg.findPath(add, 'exit', { avoid: isCall('Done') })!;
  assert.deepEqual(path.map((b) => b.kind), ['entry', 'if.then', 'exit']);
  assert.equal(f.cfg.pathExists(add, f.stmt('wg.Wait()')), true);
  assert.equal(f.cfg.pathExists(add, f.stmt('wg.Wait()'), isCall('Done')), false, 'Done is on every path to Wait');
  assert.equal(f.cfg.pathExists(f.stmt('wg.Wait()'), f.stmt('wg.Done()')), false, 'nothing after the loop');
  assert.equal(f.cfg.pathExists(f.stmt('wg.Wait()'), isCall('Wait')), true, 'Wait reaches itself around the loop');
  assert.equal(f.cfg.pathExists(f.cfg.entry, isCall('Add')), true, 'from a block start, inclusive');
  assert.equal(f.cfg.pathExists(add, isCall('Add')), false, 'from a node, exclusive');
  assert.equal(f.cfg.pathExists(add, 'end'), true);
  assert.equal(f.cfg.pathExists(add, 'noreturn'), false);
});

test('reachability: blocks after a node, canReach, dead code', () => {
  const f = fn(`	a()\n	if x {\n		return\n	}\n	b()\n	return\n	c()`);
  assert.equal(f.cfg.canReach(f.stmt('a()'), f.stmt('b()')), true);
  assert.equal(f.cfg.canReach(f.stmt('b()'), f.stmt('a()')), false);
  assert.equal(f.cfg.canReach(f.cfg.entry, f.stmt('c()')), false, 'dead code is unreachable');
  assert.equal(f.cfg.canReach(f.stmt('a()'), f.cfg.exit), true);
  const dead = f.cfg.locate(f.stmt('c()'))!.block;
  assert.equal(dead.kind, 'unreachable');
  assert.equal(dead.live, false);
  assert.deepEqual([...f.cfg.reachableBlocks(f.stmt('b()'))].map((b) => b.kind), ['exit']);
});

// ---- loops ----

const LOOP_CASES: { name: string; body: string; natural: boolean; exits: string[] }[] = [
  { name: 'for {} with nothing leaving', body: `	for {\n		work()\n	}`, natural: false, exits: [] },
  { name: 'for true {} with nothing leaving', body: `	for true {\n		work()\n	}`, natural: false, exits: [] },
  { name: 'for (true) {} with nothing leaving', body: `	for (true) {\n		work()\n	}`, natural: false, exits: [] },
  { name: 'for cond {} exits when the condition fails', body: `	for running {\n		work()\n	}`, natural: true, exits: [] },
  { name: 'three-clause for', body: `	for i := 0; i < n; i++ {\n	}`, natural: true, exits: [] },
  { name: 'range always ends by itself', body: `	for v := range ch {\n		use(v)\n	}`, natural: true, exits: [] },
  { name: 'break', body: `	for {\n		if done() {\n			break\n		}\n	}`, natural: false, exits: ['break'] },
  { name: 'return', body: `	for {\n		if done() {\n			return\n		}\n	}`, natural: false, exits: ['return'] },
  { name: 'break inside select targets the select', body: `	for {\n		select {\n		case <-ctx.Done():\n			break\n		case v := <-ch:\n			use(v)\n		}\n	}`, natural: false, exits: [] },
  { name: 'break inside switch targets the switch', body: `	for {\n		switch x {\n		case 1:\n			break\n		}\n	}`, natural: false, exits: [] },
  { name: 'break inside a nested for targets the nested for', body: `	for {\n		for {\n			break\n		}\n	}`, natural: false, exits: [] },
  { name: 'labeled break of the loop from inside select', body: `L:\n	for {\n		select {\n		case <-ctx.Done():\n			break L\n		}\n	}`, natural: false, exits: ['break L'] },
  { name: 'continue of the loop itself does not leave', body: `L:\n	for {\n		for {\n			continue L\n		}\n	}`, natural: false, exits: [] },
  { name: 'goto to a label after the loop', body: `	for {\n		if x {\n			goto out\n		}\n	}\nout:\n	return`, natural: false, exits: ['goto out'] },
  { name: 'goto to a label inside the loop body stays inside', body: `	for {\n	again:\n		if x {\n			goto again\n		}\n	}`, natural: false, exits: [] },
  { name: 'goto to the loop label leaves and re-enters', body: `top:\n	for {\n		goto top\n	}`, natural: false, exits: ['goto top'] },
  { name: 'panic and os.Exit are not exits', body: `	for {\n		if x {\n			panic(1)\n		}\n		if y {\n			os.Exit(1)\n		}\n	}`, natural: false, exits: [] },
  { name: 'a return in a function literal is not an exit', body: `	for {\n		func() {\n			return\n		}()\n	}`, natural: false, exits: [] },
  { name: 'a break after a return in the same block is dead, not an exit', body: `	for {\n		if x {\n			continue\n			break\n		}\n	}`, natural: false, exits: [] },
  { name: 'range over a channel left by return', body: `	for v := range ch {\n		if v {\n			return\n		}\n	}`, natural: true, exits: ['return'] },
];

for (const c of LOOP_CASES) {
  test(`loop exits: ${c.name}`, () => {
    const f = fn(c.body);
    const loops = [...f.cfg.loops.values()];
    // The outermost loop is the one under test.
    const loop = loops.reduce((a, b) => (pos(a.stmt) < pos(b.stmt) ? a : b));
    const r = f.cfg.loopExits(loop.stmt);
    assert.equal(r.natural, c.natural, 'natural exit');
    assert.deepEqual(r.exits.map((e) => (e.via ? f.text(e.via) : '(fall)')), c.exits);
    assert.equal(r.canExit, c.natural || c.exits.length > 0);
    assert.equal(f.cfg.loopCanExit(loop.stmt), r.canExit);
  });
}

test('loop helpers: labeled statements unwrap, loopsContaining is innermost first, errors are clear', () => {
  const f = fn(`L:\n	for {\n		for range s {\n			work()\n		}\n	}`);
  const labeled = f.file.decls![0]!.kind === 'FuncDecl' ? (f.file.decls![0] as ast.FuncDecl).body!.list![0]! : null;
  assert.equal(labeled!.kind, 'LabeledStmt');
  assert.equal(f.cfg.loop(labeled!)!.label, 'L');
  const inner = f.cfg.locate(f.stmt('work()'))!.block;
  assert.deepEqual(f.cfg.loopsContaining(inner).map((l) => l.stmt.kind), ['RangeStmt', 'ForStmt']);
  assert.throws(() => f.cfg.loopExits(f.stmt('work()') as ast.Stmt), CFGQueryError);
  const other = fn(`	x()`);
  assert.throws(() => other.cfg.pathExists(f.stmt('work()'), 'exit'), /not part of this function's control-flow graph/);
});

// ---- positions and order ----

test('locate: entries, nodes inside entries, and nodes inside literals or outside the body', () => {
  const f = fn(`	x := g(1)\n	if h(x) {\n		defer func() { k() }()\n	}`);
  const assign = f.stmt('x := g(1)');
  assert.deepEqual(f.cfg.locate(assign), { block: f.cfg.entry, index: 0, node: assign });
  const g1 = f.stmt('g(1)');
  assert.equal(f.cfg.locate(g1)!.node, assign, 'a call inside an assignment maps to the assignment');
  const cond = f.stmt('h(x)');
  assert.equal(f.cfg.locate(cond)!.index, 1, 'the condition is an entry of the block');
  const k = f.stmt('k()');
  assert.equal(f.cfg.locate(k), undefined, 'inside a function literal: another function');
  const lit = f.stmt('func() { k() }');
  assert.equal(f.cfg.locate(lit)!.node.kind, 'DeferStmt', 'the literal itself belongs to the defer');
  const ifStmt = f.stmt('if h(x) {\n\t\tdefer func() { k() }()\n\t}');
  assert.equal(f.cfg.locate(ifStmt), undefined, 'compound statements are not entries');
  assert.equal(f.cfg.locate(f.file.name), undefined, 'outside the body');
});

test('entries(): blocks in reverse postorder, dead blocks last', () => {
  const f = fn(`	a()\n	for i := 0; i < 3; i++ {\n		b()\n	}\n	c()\n	return\n	d()`);
  assert.deepEqual([...f.cfg.entries()].map((r) => f.text(r.node)), ['a()', 'i := 0', 'i < 3', 'b()', 'i++', 'c()', 'return', 'd()']);
  assert.deepEqual([...f.cfg.entries({ liveOnly: true })].map((r) => f.text(r.node)), ['a()', 'i := 0', 'i < 3', 'b()', 'i++', 'c()', 'return']);
});

test('nesting as deep as the parser accepts builds without overflowing; deeper trees give a clear error', () => {
  // Each level is two nesting steps of the parser (the statement and its block): just under its limit.
  const depth = DEFAULT_MAX_NESTING / 2 - 50;
  for (const open of ['if x {\n', 'for {\n', 'switch {\ncase true:\n', 'select {\ncase <-c:\n']) {
    const body = open.repeat(depth) + '\treturn\n' + '}\n'.repeat(depth);
    const f = fn(body);
    assert.equal(f.cfg.returns.length, 1);
    assert.equal(f.cfg.pathExists(f.cfg.entry, 'exit'), true, open);
  }
  // A hand-built tree far deeper than any parse: nested blocks 200000 levels deep.
  let inner: ast.BlockStmt = { kind: 'BlockStmt', lbrace: 0, list: null, rbrace: 0 };
  for (let i = 0; i < 200_000; i++) inner = { kind: 'BlockStmt', lbrace: 0, list: [inner], rbrace: 0 };
  assert.throws(() => buildCFG(inner), { name: 'CFGBuildError', message: /nested too deeply/ });
});

// ---- robustness over $GOROOT/src ----

function goroot(): string | null {
  const r = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return r.stdout.trim() || null;
}

function goFiles(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name === 'testdata') continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) goFiles(p, out);
    else if (name.endsWith('.go')) out.push(p);
  }
}

test('robustness: every function and literal of a $GOROOT/src sample (every 20th file)', { timeout: 120_000 }, (t) => {
  const root = goroot();
  if (!root) {
    t.skip('go not on PATH: no $GOROOT/src to sample');
    return;
  }
  const all: string[] = [];
  goFiles(join(root, 'src'), all);
  const files = all.filter((_, i) => i % 20 === 0);
  let funcs = 0;
  let blocks = 0;
  let loops = 0;
  let buildMs = 0;
  let checked = 0;
  let withResults = 0;
  for (const path of files) {
    const r = parseFile(path, readFileSync(path));
    if (r.errors.length > 0) continue;
    checked++;
    const bodies: { body: ast.BlockStmt; results: boolean }[] = [];
    inspect(r.file, (n) => {
      if ((n.kind === 'FuncDecl' || n.kind === 'FuncLit') && n.body) {
        bodies.push({ body: n.body, results: (n.type.results?.list?.length ?? 0) > 0 });
      }
    });
    for (const { body, results } of bodies) {
      const t0 = performance.now();
      const cfg = buildCFG(body, { mayReturn: () => true });
      buildMs += performance.now() - t0;
      funcs++;
      blocks += cfg.blocks.length;
      checkInvariants(cfg);
      assert.deepEqual(cfg.problems, [], `${path}: valid Go gives no problems`);
      // The compiler accepted this function: with results, its body is a terminating statement
      // ("missing return" otherwise), so the end of the body cannot be reached.
      if (results) {
        withResults++;
        assert.equal(cfg.fallOff.live, false, `${path}: the end of a function with results at ${pos(body)} is unreachable`);
      }
      for (const l of cfg.loops.keys()) {
        loops++;
        cfg.loopExits(l);
      }
      // Every statement of the body (outside literals) that is not compound is an entry.
      walkStatements(body, (s) => assert.ok(cfg.isEntry(s), `${path}: ${s.kind} at ${pos(s)} is an entry`));
    }
  }
  t.diagnostic(`${checked} files, ${funcs} functions and literals (${withResults} with results), ${blocks} blocks, ${loops} loops, built in ${Math.round(buildMs)} ms`);
  assert.ok(checked > 250, `a few hundred files checked (${checked})`);
  assert.ok(funcs > 2000);
  assert.ok(withResults > 1000);
  assert.ok(buildMs < 20_000, `built in reasonable time (${Math.round(buildMs)} ms)`);
});

/** Calls f for every simple statement of a body that must be an entry (not entering literals). */
function walkStatements(body: ast.BlockStmt, f: (s: ast.Stmt) => void): void {
  const simple = new Set(['DeclStmt', 'ExprStmt', 'SendStmt', 'IncDecStmt', 'AssignStmt', 'GoStmt', 'DeferStmt', 'ReturnStmt', 'BranchStmt']);
  inspect(body, (n) => {
    if (n.kind === 'FuncLit') return false;
    if (simple.has(n.kind)) f(n as ast.Stmt);
    return true;
  });
}
