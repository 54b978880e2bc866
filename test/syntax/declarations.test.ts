// Declarations-only parsing skips function bodies at the byte level; the declarations it gives
// must be those of a full parse (with the bodies' statements left out), on tricky input and on
// real files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseFile } from '../../src/syntax/parser.js';
import { forEachChild } from '../../src/syntax/nodes.js';
import { declarationsOf } from '../../src/syntax/declarations.js';
import type * as ast from '../../src/syntax/ast.js';

/**
 * The file's declarations as JSON, function bodies reduced to their braces and composite literals
 * (but [...]T{...}) to their type and braces.
 */
function decls(name: string, src: Uint8Array | string, mode: 'full' | 'declarations'): string {
  const r = parseFile(name, src, { mode, comments: false });
  const reduce = (n: ast.Node): void => {
    if (n.kind === 'FuncDecl' || n.kind === 'FuncLit') {
      if (n.body) n.body.list = null;
    } else if (n.kind === 'CompositeLit' && n.type && !(n.type.kind === 'ArrayType' && n.type.len?.kind === 'Ellipsis')) {
      n.elts = null;
      n.incomplete = true;
    }
    forEachChild(n, reduce);
  };
  for (const d of r.file.decls ?? []) reduce(d);
  return JSON.stringify({ decls: r.file.decls, imports: r.file.imports });
}

test('bodies with braces in strings, runes, raw strings and comments are skipped to the right brace', () => {
  const src = [
    'package p',
    '',
    'func a() { s := "}{\\"}"; r := \'}\'; q := \'\\\'\'; _ = `}',
    '{`; /* } */ // }',
    '\tif true { _ = s + string(r) + string(q) }',
    '}',
    '',
    'func (t *T) b(x int) (int, error) { return x, nil }',
    'type T struct{ f func() }',
    'func c() {}',
    'var v = func() int { return 1 }()',
    'var w = map[string][]int{"}": {1, 2}, "{": nil}',
    'var a = [...]string{"x", "}", `{`}',
    'var t = T{f: func() { _ = "}" }}',
    '',
  ].join('\n');
  const full = parseFile('p.go', src);
  assert.deepEqual(full.errors, []);
  assert.equal(decls('p.go', src, 'declarations'), decls('p.go', src, 'full'));
  // [...]T keeps its elements: they give the array's length.
  const d = parseFile('p.go', src, { mode: 'declarations' });
  const value = (name: string): ast.Expr | undefined => {
    for (const g of d.file.decls ?? []) {
      if (g.kind !== 'GenDecl') continue;
      for (const sp of g.specs ?? []) if (sp.kind === 'ValueSpec' && sp.names[0]?.name === name) return sp.values?.[0];
    }
    return undefined;
  };
  const w = value('w');
  const a = value('a');
  assert.ok(w?.kind === 'CompositeLit' && w.elts === null && w.incomplete);
  assert.ok(a?.kind === 'CompositeLit' && a.elts?.length === 3 && !a.incomplete);
});

test('a body that never closes ends at EOF with an error, as a full parse does', () => {
  const r = parseFile('p.go', 'package p\n\nfunc a() { if x { \n', { mode: 'declarations' });
  assert.ok(r.errors.length > 0);
  assert.equal(r.file.decls?.length, 1);
});

const goroot = (() => {
  const r = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
})();

test('declarations of every 10th GOROOT file match a full parse', { skip: goroot ? false : 'go is not installed (needed for GOROOT/src)' }, () => {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (e === 'testdata') continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.go')) files.push(p);
    }
  };
  walk(join(goroot, 'src'));
  let compared = 0;
  for (let i = 0; i < files.length; i += 10) {
    const bytes = readFileSync(files[i]!);
    if (parseFile(files[i]!, bytes).errors.length > 0) continue;
    assert.equal(decls(files[i]!, bytes, 'declarations'), decls(files[i]!, bytes, 'full'), files[i]);
    compared++;
  }
  assert.ok(compared > 500, `compared ${compared} files`);
});

function nodesOf(file: ast.File): Set<object> {
  const seen = new Set<object>();
  const walk = (n: ast.Node): void => {
    seen.add(n);
    forEachChild(n, walk);
  };
  for (const d of file.decls ?? []) walk(d);
  return seen;
}

// declarationsOf gives of a full tree (comments included) exactly the tree of a declarations-only
// parse without comments, so an importer can use it instead of parsing again; the copy shares no
// node with the full tree, which stays as it was.
function reducedJSON(name: string, src: Uint8Array | string): string {
  const full = parseFile(name, src);
  const before = JSON.stringify(full.file);
  const decls = declarationsOf(full.file);
  assert.equal(JSON.stringify(full.file), before, `${name}: the full tree changed`);
  const original = nodesOf(full.file);
  for (const n of nodesOf(decls)) assert.ok(!original.has(n), `${name}: a ${(n as ast.Node).kind} node is shared`);
  for (const s of decls.imports) assert.ok(!original.has(s), `${name}: an import spec is shared`);
  // As in a parse, the file's import list holds the specs of its import declarations.
  const specs = (decls.decls ?? []).flatMap((d) => (d.kind === 'GenDecl' ? (d.specs ?? []).filter((x) => x.kind === 'ImportSpec') : []));
  assert.deepEqual(
    decls.imports.map((s) => specs.indexOf(s)),
    decls.imports.map((_, i) => i),
    `${name}: the import list is not the declarations' specs`,
  );
  return JSON.stringify(decls);
}

function declarationsJSON(name: string, src: Uint8Array | string): string {
  return JSON.stringify(parseFile(name, src, { mode: 'declarations', comments: false }).file);
}

test('a full tree reduced to declarations equals a declarations-only parse, comments and literals included', () => {
  const src = [
    '// Package p is documented.',
    'package p',
    '',
    'import (',
    '\t// the doc of an import',
    '\t"fmt" // a trailing comment',
    ')',
    '',
    '// T has a doc.',
    'type T struct {',
    '\t// f is documented',
    '\tf func() // and commented',
    '\tg [len([]int{1, 2})]byte',
    '}',
    '',
    '// M is a method.',
    'func (t *T) M(x int /* inline */) (n int, err error) {',
    '\tdefer func() { _ = recover() }()',
    '\treturn x, fmt.Errorf("%v", []string{"a"})',
    '}',
    '',
    'var (',
    '\t// v is a func value',
    '\tv = func() int { return 1 }()',
    '\tw = map[string][]int{"}": {1, 2}}',
    '\ta = [...]func() int{func() int { return 2 }, nil}',
    '\tb = [...][]int{{1}, {2, 3}}',
    ')',
    '',
    'const c = iota // trailing',
    '',
    'func external()',
    '',
  ].join('\n');
  assert.deepEqual(parseFile('p.go', src).errors, []);
  assert.equal(reducedJSON('p.go', src), declarationsJSON('p.go', src));
});

test('every 10th GOROOT file reduced from a full parse equals its declarations-only parse', { skip: goroot ? false : 'go is not installed (needed for GOROOT/src)' }, () => {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (e === 'testdata') continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.go')) files.push(p);
    }
  };
  walk(join(goroot, 'src'));
  let compared = 0;
  for (let i = 5; i < files.length; i += 10) {
    const bytes = readFileSync(files[i]!);
    if (parseFile(files[i]!, bytes).errors.length > 0) continue;
    assert.equal(reducedJSON(files[i]!, bytes), declarationsJSON(files[i]!, bytes), files[i]);
    compared++;
  }
  assert.ok(compared > 500, `compared ${compared} files`);
});
