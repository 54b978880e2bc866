// Dot imports in the type resolver: a standard-library package (answered from the API index) and
// a module package (read from source) put their exported names, and only those, in the file's
// scope; each dot-imported package is looked at once per file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as ast from '../../src/syntax/ast.js';
import { inspect } from '../../src/syntax/nodes.js';
import { parseFile } from '../../src/syntax/parser.js';
import { checkPackage, type ImportedSource } from '../../src/types/check.js';

function calls(file: ast.File): ast.CallExpr[] {
  const out: ast.CallExpr[] = [];
  inspect(file, (n) => {
    if (n.kind === 'CallExpr') out.push(n);
  });
  return out;
}

function parsed(name: string, text: string): { file: ast.File; source: ReturnType<typeof parseFile>['source'] } {
  const r = parseFile(name, text);
  assert.deepEqual(r.errors, []);
  return { file: r.file, source: r.source };
}

const q = parsed(
  'q.go',
  ['package q', '', 'func Exported() int { return helper() }', '', 'func helper() int { return 1 }', ''].join('\n'),
);

function check(text: string) {
  const p = parsed('p.go', text);
  const importer = (path: string): ImportedSource | undefined => (path === 'example.com/m/q' ? { name: 'q', files: [q.file] } : undefined);
  const r = checkPackage({ path: 'example.com/m/p', name: 'p', files: [{ file: p.file, source: p.source }], importer });
  return calls(p.file).map((c) => r.info.callee(c)?.name ?? null);
}

test('a dot-imported standard-library package resolves its functions by their bare names', () => {
  const got = check(['package p', '', 'import . "strings"', '', 'func f() bool { return Contains(ToUpper("a"), "A") }', ''].join('\n'));
  assert.deepEqual(got, ['strings.Contains', 'strings.ToUpper']);
});

test('a dot-imported module package gives its exported names, not its unexported ones', () => {
  const got = check(['package p', '', 'import . "example.com/m/q"', '', 'func f() int { return Exported() + helper() }', ''].join('\n'));
  assert.deepEqual(got, ['example.com/m/q.Exported', null]);
});

test('two dot imports in one file, one of each kind, and a package-level name of the importer', () => {
  const got = check(
    ['package p', '', 'import (', '\t. "path"', '\t. "example.com/m/q"', ')', '', 'func own() string { return "" }', '', 'func f() string { _ = Exported(); return Base(Clean(own())) }', ''].join('\n'),
  );
  assert.deepEqual(got, ['example.com/m/q.Exported', 'path.Base', 'path.Clean', 'example.com/m/p.own']);
});
