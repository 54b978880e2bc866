// The written-resource matcher shared by defer-close-unchecked-write and defer-order-inverted:
// which constructor calls create something written, how os.OpenFile flag expressions evaluate, and
// what a wrapper writes into.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as ast from '../../src/syntax/ast.js';
import { parseFile } from '../../src/syntax/parser.js';
import { end, inspect, pos } from '../../src/syntax/nodes.js';
import { checkPackage } from '../../src/types/check.js';
import { unknownTypeInfo } from '../../src/types/unknown.js';
import { Inspector } from '../../src/analysis/inspector.js';
import type { Pass, PassFile } from '../../src/analysis/analyzer.js';
import { defaultRuleOptions } from '../../src/analysis/options.js';
import { isWriteOpen, writeOrigin } from '../../src/rules/helpers.js';

const SRC = `package p

import (
	"bufio"
	"compress/gzip"
	"database/sql"
	"os"
	"syscall"
)

const appendOnly = os.O_APPEND | os.O_CREATE

func f(db *sql.DB, flags int) {
	os.Create("a")
	os.Open("b")
	os.OpenFile("c", os.O_RDONLY, 0)
	os.OpenFile("d", os.O_WRONLY|os.O_TRUNC, 0)
	os.OpenFile("e", syscall.O_RDWR, 0)
	os.OpenFile("f", appendOnly, 0)
	os.OpenFile("g", 0, 0)
	os.OpenFile("h", 0x401, 0)
	os.OpenFile("i", flags, 0)
	os.OpenFile("j", os.O_RDWR&^os.O_RDWR, 0)
	bufio.NewWriter(os.Stdout)
	gzip.NewReader(os.Stdin)
	db.Begin()
}
`;

function setup(typed: boolean): { pass: Pass; file: PassFile; calls: ast.CallExpr[] } {
  const { file, source } = parseFile('p.go', SRC);
  const info = typed ? checkPackage({ path: 'example.com/p', name: 'p', files: [{ file, source, goVersion: 'go1.22' }] }).info : unknownTypeInfo();
  const pf: PassFile = { path: 'p.go', name: 'p.go', file, source, goVersion: 'go1.22', generated: false, test: false, inspector: new Inspector(file) };
  const pass = { files: [pf], types: info, typesKnown: typed, options: defaultRuleOptions(), fileOf: () => pf } as unknown as Pass;
  const calls: ast.CallExpr[] = [];
  const fn = file.decls!.find((d) => d.kind === 'FuncDecl')!;
  inspect(fn, (n) => {
    if (n.kind === 'ExprStmt' && n.x.kind === 'CallExpr') calls.push(n.x);
  });
  return { pass, file: pf, calls };
}

const EXPECTED: (string | undefined)[] = [
  'os.Create', undefined, undefined, 'os.OpenFile', 'os.OpenFile', 'os.OpenFile', undefined, 'os.OpenFile', undefined, undefined, 'bufio.NewWriter', undefined, undefined,
];

for (const typed of [true, false]) {
  test(`written resources are recognised ${typed ? 'with types' : 'from syntax only'}`, () => {
    const { pass, file, calls } = setup(typed);
    assert.equal(calls.length, EXPECTED.length);
    assert.deepEqual(calls.map((c) => writeOrigin(pass, file, c)?.name), EXPECTED);
    for (const c of calls) {
      const o = writeOrigin(pass, file, c);
      if (o) assert.equal(o.typed, typed);
    }
  });
}

test('wrappers name what they write into; a transaction is a dependent resource over its database', () => {
  const { pass, file, calls } = setup(true);
  const bw = writeOrigin(pass, file, calls[10]!)!;
  assert.equal(file.source.text(pos(bw.under!), end(bw.under!)), 'os.Stdout');
  assert.equal(writeOrigin(pass, file, calls[12]!), undefined, 'only asked for when dependent');
  const tx = writeOrigin(pass, file, calls[12]!, true)!;
  assert.equal(tx.name, '(*database/sql.DB).Begin');
  assert.equal(tx.under?.kind, 'Ident');
});

test('write opens: access mode or create/truncate/append bits', () => {
  assert.equal(isWriteOpen(0), false);
  assert.equal(isWriteOpen(0x80000), false, 'O_RDONLY|O_CLOEXEC');
  assert.equal(isWriteOpen(1), true);
  assert.equal(isWriteOpen(2), true);
  assert.equal(isWriteOpen(0x40), true);
  assert.equal(isWriteOpen(0x200), true);
  assert.equal(isWriteOpen(0x400), true);
});
