// The same-package call graph, on small packages with a fake TypeInfo that resolves calls by name
// (top-level functions, methods by method name, imported package selectors), so these tests do not
// depend on the type checker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as ast from '../../src/syntax/ast.js';
import { parseFile } from '../../src/syntax/parser.js';
import { unparen } from '../../src/syntax/nodes.js';
import type { Callee, Obj, TypeInfo } from '../../src/types/api.js';
import { buildCallGraph, type CallGraph, type FuncNode } from '../../src/types/callgraph.js';
import { checkPackage } from '../../src/types/check.js';

/** Resolves `f(...)` to a top-level func f, `x.m(...)` to a method m of the files, `pkg.F(...)` to an import. */
function fakeInfo(files: ast.File[]): TypeInfo {
  const funcs = new Map<string, ast.FuncDecl>();
  const methods = new Map<string, ast.FuncDecl>();
  const imports = new Map<string, string>();
  for (const f of files) {
    for (const d of f.decls ?? []) {
      if (d.kind !== 'FuncDecl') continue;
      if (d.recv) {
        if (!methods.has(d.name.name)) methods.set(d.name.name, d);
      } else funcs.set(d.name.name, d);
    }
    for (const imp of f.imports) {
      const path = JSON.parse(imp.path.value) as string;
      imports.set(imp.name ? imp.name.name : path.slice(path.lastIndexOf('/') + 1), path);
    }
  }
  const funcObj = (decl: ast.FuncDecl): Obj => ({ kind: 'func', name: decl.name.name, pkg: 'p', type: undefined, decl: decl.name, funcDecl: decl });
  return {
    typeOf: () => undefined,
    isType: () => false,
    objectOf(id) {
      const d = funcs.get(id.name) ?? methods.get(id.name);
      return d ? funcObj(d) : undefined;
    },
    callee(call): Callee | undefined {
      const f = unparen(call.fun);
      if (f.kind === 'Ident') {
        if (f.name === 'panic') return { kind: 'builtin', name: 'builtin panic', pkg: '', short: 'panic' };
        const d = funcs.get(f.name);
        return d ? { kind: 'func', name: `p.${f.name}`, pkg: 'p', short: f.name, decl: d } : undefined;
      }
      if (f.kind === 'SelectorExpr') {
        const x = unparen(f.x);
        if (x.kind === 'Ident' && imports.has(x.name)) {
          const path = imports.get(x.name)!;
          return { kind: 'func', name: `${path}.${f.sel.name}`, pkg: path, short: f.sel.name };
        }
        if (x.kind === 'Ident' && x.name === 't') {
          return { kind: 'method', name: `(*testing.T).${f.sel.name}`, pkg: 'testing', short: f.sel.name };
        }
        const d = methods.get(f.sel.name);
        return d ? { kind: 'method', name: `(p.T).${f.sel.name}`, pkg: 'p', short: f.sel.name, decl: d } : undefined;
      }
      return undefined;
    },
  };
}

function graph(...sources: string[]): { cg: CallGraph; fn: (name: string) => FuncNode; files: ast.File[] } {
  const files = sources.map((src, i) => {
    const r = parseFile(`f${i}.go`, src);
    assert.deepEqual(r.errors, [], 'test source parses');
    return r.file;
  });
  const cg = buildCallGraph(files, fakeInfo(files));
  const fn = (name: string) => {
    const n = cg.nodes.find((x) => x.name === name);
    assert.ok(n, `function ${name} in the graph (have ${cg.nodes.map((x) => x.name).join(', ')})`);
    return n;
  };
  // Invariant: in and out lists agree.
  for (const n of cg.nodes) {
    for (const e of n.out) assert.ok(e.caller === n && e.callee.in.includes(e));
    for (const e of n.in) assert.ok(e.callee === n && e.caller.out.includes(e));
  }
  return { cg, fn, files };
}

const edges = (n: FuncNode) => n.out.map((e) => `${e.kind} ${e.callee.name}`);

const PKG = `package p

import (
	"log"
	"os"
)

var handler = func() { helper() }

type T struct{}

func (T) m()  { helper() }
func (*T) pm() {}

func init() {}
func init() {}

func helper() {}

func main() {
	helper()
	var v T
	v.m()
	defer helper()
	go helper()
	func() {
		func() { helper() }()
	}()
	defer func() { recover() }()
	go func() { v.pm() }()
	run(func() { log.Print("x") })
	run(helper)
	f := helper
	_ = f
	os.Exit(0)
}

func run(f func()) { f() }
`;

test('nodes: declarations, methods, literals named by their enclosing function, package-level literals, repeated init', () => {
  const { cg } = graph(PKG);
  assert.deepEqual(cg.nodes.map((n) => n.name), [
    '(T).m', '(*T).pm', 'init', 'init#2', 'helper', 'main', 'run',
    'init$1', 'main$1', 'main$1$1', 'main$2', 'main$3', 'main$4',
  ]);
  const lit = cg.nodes.find((n) => n.name === 'main$1$1')!;
  assert.equal(lit.parent!.name, 'main$1');
  assert.equal(lit.lit!.kind, 'FuncLit');
  assert.equal(cg.nodeOf(lit.lit!), lit);
  assert.equal(cg.nodes.find((n) => n.name === 'init$1')!.parent, null);
});

test('edges: static calls, defer and go sites, literal uses, function values', () => {
  const { fn } = graph(PKG);
  assert.deepEqual(edges(fn('main')), [
    'call helper',
    'call (T).m',
    'defer helper',
    'go helper',
    'call main$1',
    'defer main$2',
    'go main$3',
    'call run',
    'value main$4',
    'call run',
    'value helper',
    'value helper',
  ]);
  assert.deepEqual(edges(fn('main$1')), ['call main$1$1']);
  assert.deepEqual(edges(fn('main$1$1')), ['call helper']);
  assert.deepEqual(edges(fn('main$3')), ['call (*T).pm']);
  assert.deepEqual(edges(fn('run')), [], 'a call of a parameter is not static');
  assert.deepEqual(edges(fn('init$1')), ['call helper'], 'a package-level literal has its own calls');
});

test('callers and callees, filtered by edge kind', () => {
  const { cg, fn } = graph(PKG);
  assert.deepEqual(cg.callees(fn('main')).map((n) => n.name), ['helper', '(T).m', 'main$1', 'main$2', 'main$3', 'run', 'main$4']);
  assert.deepEqual(cg.callees(fn('main'), ['defer', 'go']).map((n) => n.name), ['helper', 'main$2', 'main$3']);
  assert.deepEqual(cg.callers(fn('helper')).map((n) => n.name), ['(T).m', 'main', 'init$1', 'main$1$1']);
  assert.deepEqual(cg.callers(fn('helper'), ['value']).map((n) => n.name), ['main']);
  assert.deepEqual(cg.callers(fn('main')), []);
});

const CHAIN = `package p

func a() { b(); x() }
func b() { if cond { c() } }
func c() { d() }
func d() { lock() }
func lock() {}
func x() { go lock() }
func loop1() { loop2() }
func loop2() { loop1() }
`;

test('findPath: shortest call path, bounded depth, chosen edge kinds, formatted for messages', () => {
  const { cg, fn } = graph(CHAIN);
  const toLock = (n: FuncNode) => n.name === 'lock';
  const p = cg.findPath(fn('a'), toLock)!;
  assert.equal(cg.formatPath(p), 'a → b → c → d → lock');
  assert.equal(p.edges.length, 4);
  assert.equal(p.edges[0]!.site.kind, 'CallExpr');
  assert.equal(cg.findPath(fn('a'), toLock, { maxDepth: 3 }), null, 'too deep');
  assert.equal(cg.formatPath(cg.findPath(fn('a'), toLock, { follow: ['call', 'go'] })!), 'a → x → lock', 'through the go statement when asked');
  assert.equal(cg.findPath(fn('loop1'), toLock), null, 'cycles terminate');
  assert.equal(cg.formatPath(cg.findPath(fn('loop1'), (n) => n.name === 'loop1')!), 'loop1 → loop2 → loop1', 'recursion is found');
  assert.equal(cg.findPath(fn('lock'), toLock), null, 'the start itself is not a match');
});

const EXITS = `package p

import (
	"log"
	"os"
	"testing"
)

func direct()           { os.Exit(1) }
func fatalf(s string)   { log.Fatalf("%s", s) }
func bothBranches(c bool) {
	if c {
		log.Fatal("a")
	} else {
		os.Exit(2)
	}
}
func oneBranch(c bool) {
	if c {
		os.Exit(1)
	}
}
func viaHelper()        { cleanup(); fatalf("x") }
func viaTwo()           { viaHelper() }
func cleanup()          {}
func panics()           { panic("x") }
func exitOrPanic(c bool) {
	if c {
		panic("x")
	}
	os.Exit(1)
}
func deferred()         { defer os.Exit(1) }
func launched()         { go direct() }
func inLiteral()        { func() { os.Exit(1) }() }
func literalValue()     { f := func() { os.Exit(1) }; _ = f }
func blocks()           { select {} }
func loopsThenExit()    { for i := 0; i < 3; i++ { cleanup() }; direct() }
func endless()          { for { cleanup() } }
func recA(c bool)       { if c { recB(c) }; os.Exit(1) }
func recB(c bool)       { recA(c) }
func testFail(t *testing.T) { t.FailNow() }
func afterExitHelper()  { defer cleanup(); viaTwo(); cleanup() }
`;

const EXIT_TABLE: [string, boolean][] = [
  ['direct', true],
  ['fatalf', true],
  ['bothBranches', true],
  ['oneBranch', false],
  ['viaHelper', true],
  ['viaTwo', true],
  ['cleanup', false],
  ['panics', false],
  ['exitOrPanic', false],
  ['deferred', false],
  ['launched', false],
  ['inLiteral', true],
  ['literalValue', false],
  ['blocks', false],
  ['loopsThenExit', true],
  ['endless', false],
  ['recA', true],
  ['recB', true],
  ['testFail', true],
  ['afterExitHelper', true],
];

for (const [name, want] of EXIT_TABLE) {
  test(`alwaysExits(${name}) = ${want}`, () => {
    const { cg, fn } = graph(EXITS);
    assert.equal(cg.alwaysExits(fn(name)), want);
  });
}

test('exit chain names the helpers down to the terminating call', () => {
  const { cg, fn } = graph(EXITS);
  const chain = cg.exitChain(fn('viaTwo'))!;
  assert.deepEqual(chain.nodes.map((n) => n.name), ['viaTwo', 'viaHelper', 'fatalf']);
  const sel = unparen(chain.call.fun);
  assert.ok(sel.kind === 'SelectorExpr' && sel.sel.name === 'Fatalf');
  assert.equal(cg.exitChain(fn('oneBranch')), undefined);
  assert.equal(cg.exitWitness(fn('inLiteral'))!.helper!.name, 'inLiteral$1');
});

test('cfg(fn) treats calls of always-exiting helpers as no-return; the noReturn option replaces the default list', () => {
  const { cg, fn, files } = graph(EXITS);
  const g = cg.cfg(fn('afterExitHelper'))!;
  const blk = g.blocks.find((b) => b.noReturn)!;
  assert.equal(blk.term, 'noreturn');
  assert.equal(g.exit.live, false, 'the helper never returns, so neither does the caller');
  assert.equal(cg.cfg(fn('afterExitHelper')), g, 'cached');
  assert.equal(cg.cfg(fn('oneBranch'))!.exit.live, true);
  // With a custom list where only log.Fatal* exits, os.Exit returns.
  const custom = buildCallGraph(files, fakeInfo(files), { noReturn: (_c, callee) => !!callee && callee.name.startsWith('log.Fatal') });
  const by = (name: string) => custom.nodes.find((n) => n.name === name)!;
  assert.equal(custom.alwaysExits(by('direct')), false);
  assert.equal(custom.alwaysExits(by('viaTwo')), true);
  assert.equal(custom.alwaysExits(by('bothBranches')), false);
});

test('calls spread over several files resolve; a call to a function of a file not given makes no edge', () => {
  const a = `package p\n\nfunc a() { b(); missing() }\n`;
  const b = `package p\n\nimport "os"\n\nfunc b() { os.Exit(3) }\n`;
  const { cg, fn } = graph(a, b);
  assert.deepEqual(edges(fn('a')), ['call b']);
  assert.equal(cg.alwaysExits(fn('a')), true);
  assert.equal(fn('b').file, cg.nodes.find((n) => n.name === 'b')!.file);
});

test('long expression chains (as deep as the parser accepts) do not overflow the walk', () => {
  const chain = Array(990).fill('g()').join(' + '); // the parser's nesting bound (1000) counts each operand
  const { cg, fn } = graph(`package p\n\nfunc g() int { return 1 }\n\nfunc f() int { return ${chain} }\n`);
  assert.equal(fn('f').out.length, 990);
  assert.deepEqual(cg.callees(fn('f')).map((n) => n.name), ['g']);
});

test('robustness: call graphs of a few $GOROOT/src packages with the name-based resolver', (t) => {
  const r = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    t.skip('go not on PATH: no $GOROOT/src');
    return;
  }
  const root = r.stdout.trim();
  let funcs = 0;
  let edgeCount = 0;
  for (const pkg of ['sort', 'strings', 'bufio', 'flag', 'log', 'net/http/httptest', 'sync']) {
    const dir = join(root, 'src', pkg);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
      .sort()
      .map((f) => parseFile(f, readFileSync(join(dir, f))))
      .filter((p) => p.errors.length === 0)
      .map((p) => p.file);
    const cg = buildCallGraph(files, fakeInfo(files));
    funcs += cg.nodes.length;
    for (const n of cg.nodes) {
      edgeCount += n.out.length;
      for (const e of n.out) assert.ok(e.callee.in.includes(e));
      cg.alwaysExits(n);
      if (n.body) assert.ok(cg.cfg(n));
    }
    if (pkg === 'log') {
      const exiting = cg.nodes.filter((n) => cg.alwaysExits(n)).map((n) => n.name);
      assert.deepEqual(exiting, ['(*Logger).Fatal', '(*Logger).Fatalf', '(*Logger).Fatalln', 'Fatal', 'Fatalf', 'Fatalln']);
    }
  }
  t.diagnostic(`${funcs} functions and literals, ${edgeCount} edges`);
  assert.ok(funcs > 500);
  assert.ok(edgeCount > 500);
});

test('a local variable that only ever holds one function literal: calls through it reach the literal', () => {
  const src = `package p

import "sync"

func direct(mu *sync.Mutex) {
	bump := func() { mu.Lock() }
	bump()
	defer bump()
	go bump()
}

func recursive(n int) {
	var walk func(int)
	walk = func(k int) {
		if k > 0 {
			walk(k - 1)
		}
	}
	walk(n)
}

func reassigned(fast bool) {
	f := func() {}
	if fast {
		f = func() {}
	}
	f()
}

func addressed(set func(*func())) {
	f := func() {}
	set(&f)
	f()
}

func param(f func()) { f() }

type counter struct{ mu sync.Mutex }

func (c *counter) count() int { c.mu.Lock(); defer c.mu.Unlock(); return 0 }

func methodValue(c *counter) int {
	current := c.count
	return current()
}

func funcValue() {
	f := helper
	f()
}

func helper() {}
`;
  const r = parseFile('p.go', src);
  assert.deepEqual(r.errors, []);
  const { info } = checkPackage({ path: 'example.com/p', name: 'p', files: [{ file: r.file, source: r.source, goVersion: 'go1.22' }] });
  const cg = buildCallGraph([r.file], info);
  const out = (name: string) => cg.nodes.find((n) => n.name === name)!.out.map((e) => `${e.kind} ${e.callee.name}`);
  assert.deepEqual(out('direct'), ['value direct$1', 'call direct$1', 'defer direct$1', 'go direct$1']);
  assert.deepEqual(out('recursive'), ['value recursive$1', 'call recursive$1']);
  assert.deepEqual(out('recursive$1'), ['call recursive$1']);
  // Which literal runs is not known, or the variable may be changed through a pointer: no call edge.
  assert.deepEqual(out('reassigned'), ['value reassigned$1', 'value reassigned$2']);
  assert.deepEqual(out('addressed'), ['value addressed$1']);
  assert.deepEqual(out('param'), []);
  // A method or function of the package taken as a value into such a variable: calls reach it.
  assert.deepEqual(out('methodValue'), ['call (*counter).count']);
  assert.deepEqual(out('funcValue'), ['value helper', 'call helper']);
});
