// The source importer: vendor directories by importer context, directories known from go list,
// GOROOT, file selection by build context, and the size-bounded cache. Uses a GOROOT-shaped tree
// in a temporary directory, so no Go toolchain is needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceImporter, isStdPath } from '../../src/load/importer.js';
import type { BuildContext } from '../../src/syntax/constraint.js';

const ctx: BuildContext = {
  goos: 'linux', goarch: 'amd64', compiler: 'gc', cgoEnabled: false, buildTags: [], toolTags: [], releaseTags: ['go1.21', 'go1.22'],
};

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'deferguard-importer-'));
  for (const [path, text] of Object.entries(files)) {
    const abs = join(root, ...path.split('/'));
    mkdirSync(join(abs, '..'), { recursive: true });
    writeFileSync(abs, text);
  }
  return root;
}

test('isStdPath: no dot in the first path element', () => {
  assert.equal(isStdPath('net/http'), true);
  assert.equal(isStdPath('vendor/golang.org/x/net/idna'), true);
  assert.equal(isStdPath('golang.org/x/net/idna'), false);
  assert.equal(isStdPath(''), false);
});

test('imports resolve through the vendor directory of the importer, go list directories, then GOROOT', () => {
  const root = tree({
    'goroot/src/fmt/print.go': 'package fmt\nfunc Println(a ...any) {}\n',
    'goroot/src/fmt/print_windows.go': 'package fmt\nfunc OnlyWindows() {}\n',
    'goroot/src/fmt/print_test.go': 'package fmt\nfunc TestX() {}\n',
    'goroot/src/fmt/other.go': '//go:build ignore\n\npackage main\n',
    'goroot/src/vendor/golang.org/x/net/idna/idna.go': 'package idna\nfunc ToASCII(s string) (string, error) { return s, nil }\n',
    'goroot/src/cmd/vendor/golang.org/x/net/idna/idna.go': 'package idna\nfunc CmdCopy() {}\n',
    'mod/q/q.go': 'package q\nfunc Q() {}\n',
  });
  try {
    const goroot = join(root, 'goroot');
    const imp = new SourceImporter({ ctx, goroot, dirs: new Map([['example.com/m/q', join(root, 'mod', 'q')]]) });
    assert.deepEqual(imp.resolve('golang.org/x/net/idna', 'net/http'), { path: 'vendor/golang.org/x/net/idna', dir: join(goroot, 'src', 'vendor', 'golang.org', 'x', 'net', 'idna') });
    assert.deepEqual(imp.resolve('golang.org/x/net/idna', 'cmd/go/internal/web'), { path: 'cmd/vendor/golang.org/x/net/idna', dir: join(goroot, 'src', 'cmd', 'vendor', 'golang.org', 'x', 'net', 'idna') });
    assert.equal(imp.resolve('golang.org/x/net/idna', 'example.com/m/p'), undefined);
    assert.deepEqual(imp.resolve('example.com/m/q', 'example.com/m/p'), { path: 'example.com/m/q', dir: join(root, 'mod', 'q') });
    assert.equal(imp.resolve('C', 'net'), undefined);
    assert.equal(imp.resolve('./rel', 'net'), undefined);
    assert.equal(imp.resolve('nosuch/pkg', 'net'), undefined);

    const fmt = imp.load('fmt', 'example.com/m/p');
    assert.ok(fmt);
    assert.equal(fmt.name, 'fmt');
    // Build constraints, file name suffixes and tests are applied as go/build does.
    assert.deepEqual(fmt.sources.map((s) => s.name.slice(s.name.lastIndexOf('/') + 1)), ['print.go']);
    assert.deepEqual(fmt.errors, []);
    assert.equal(fmt.files[0]!.decls?.length, 1, 'parsed in full, not only the header');

    const fromStd = imp.importerFor('net/http')('golang.org/x/net/idna');
    const fromCmd = imp.importerFor('cmd/go')('golang.org/x/net/idna');
    assert.equal(fromStd?.files[0]?.decls?.[0]?.kind === 'FuncDecl' && fromStd.files[0].decls[0].name.name, 'ToASCII');
    assert.equal(fromCmd?.files[0]?.decls?.[0]?.kind === 'FuncDecl' && fromCmd.files[0].decls[0].name.name, 'CmdCopy');
    assert.equal(imp.vendorContext('cmd/go'), 'cmd');
    assert.equal(imp.vendorContext('net/http'), 'std');
    assert.equal(imp.vendorContext('example.com/m/p'), 'module');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('parsed packages are cached within the size budget; syntax errors are reported, not thrown', () => {
  const root = tree({
    'goroot/src/a/a.go': 'package a\nfunc A() {}\n',
    'goroot/src/b/b.go': 'package b\nfunc B() {\n',
    'goroot/src/empty/README': 'no Go here\n',
  });
  try {
    const big = new SourceImporter({ ctx, goroot: join(root, 'goroot') });
    assert.ok(big.load('a', 'x'));
    assert.ok(big.load('a', 'y'));
    assert.equal(big.loads, 1);
    const b = big.load('b', 'x');
    assert.ok(b);
    assert.equal(b.errors.length, 1);
    assert.match(b.errors[0]!, /b\.go:3:1: /);
    assert.equal(big.load('empty', 'x'), undefined);

    const tiny = new SourceImporter({ ctx, goroot: join(root, 'goroot'), cacheBytes: 1 });
    tiny.load('a', 'x');
    tiny.load('b', 'x');
    tiny.load('a', 'x');
    assert.equal(tiny.loads, 3, 'a was dropped when b was loaded');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
