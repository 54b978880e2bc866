import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildContext } from '../../src/syntax/constraint.js';
import { releaseTagsFor } from '../../src/syntax/constraint.js';
import { discover, findWorkspace, matchPattern } from '../../src/load/discover.js';
import { loadPackages } from '../../src/load/loader.js';
import { compareGoVersions, effectiveGoVersion, OUTSIDE_MODULE_GO } from '../../src/load/goversion.js';
import { parseJsonStream } from '../../src/load/golist.js';
import { splitTags } from '../../src/load/context.js';

const fixtures = new URL('../../testdata/load/', import.meta.url).pathname;
const basic = join(fixtures, 'basic');

const linux: BuildContext = {
  goos: 'linux',
  goarch: 'amd64',
  compiler: 'gc',
  cgoEnabled: true,
  buildTags: [],
  toolTags: ['amd64.v1'],
  releaseTags: releaseTagsFor('go1.26'),
};

function summary(pkgs: { importPath: string; dir: string; name: string; goFiles: string[]; cgoFiles: string[]; testGoFiles: string[]; xTestGoFiles: string[] }[]) {
  return pkgs.map((p) => ({ path: p.importPath, dir: p.dir, name: p.name, go: p.goFiles, cgo: p.cgoFiles, test: p.testGoFiles, xtest: p.xTestGoFiles }));
}

test('./... on a fixture module: suffixes, constraints, tests, skipped directories', () => {
  const r = discover({ cwd: basic, ctx: linux });
  assert.deepEqual(r.errors, []);
  assert.equal(r.root, basic);
  assert.deepEqual(summary(r.packages), [
    { path: 'example.com/basic', dir: '.', name: 'main', go: ['main.go'], cgo: [], test: [], xtest: [] },
    { path: 'example.com/basic/cgo', dir: 'cgo', name: 'cgo', go: ['pure.go'], cgo: ['c.go'], test: [], xtest: [] },
    { path: 'example.com/basic/cmd/tool', dir: 'cmd/tool', name: 'main', go: ['main.go'], cgo: [], test: [], xtest: [] },
    {
      path: 'example.com/basic/lib',
      dir: 'lib',
      name: 'lib',
      go: ['legacy_doc.go', 'lib.go', 'lib_linux.go', 'loops.go', 'old.go', 'table.go', 'word_amd64.go'],
      cgo: [],
      test: ['lib_test.go'],
      xtest: ['ext_test.go'],
    },
    { path: 'example.com/basic/onlytests', dir: 'onlytests', name: 'onlytests', go: [], cgo: [], test: ['x_test.go'], xtest: [] },
  ]);
  const lib = r.packages.find((p) => p.name === 'lib')!;
  const reasons = Object.fromEntries(lib.ignoredFiles.map((f) => [f.name, f.reason]));
  assert.equal(reasons['lib_windows.go'], 'file name suffix _windows does not match linux/amd64');
  assert.equal(reasons['word_linux_386.go'], 'file name suffix _linux_386 does not match linux/amd64');
  assert.equal(reasons['gen_tool.go'], '//go:build ignore is not satisfied');
  assert.equal(reasons['legacy.go'], '// +build !linux is not satisfied');
  assert.equal(reasons['tagged.go'], '//go:build integration is not satisfied');
  assert.equal(reasons['_draft.go'], 'file name starts with _');
  assert.deepEqual(lib.imports, ['strings']);
  assert.deepEqual(lib.xTestImports, ['example.com/basic/lib', 'testing']);
  // Effective Go versions: module says 1.21; a //go:build go1.22 line raises it; go1.18 is raised to go1.21.
  const v = Object.fromEntries(lib.files.map((f) => [f.name, f.goVersion]));
  assert.equal(v['lib.go'], 'go1.21');
  assert.equal(v['loops.go'], 'go1.22');
  assert.equal(v['old.go'], 'go1.21');
  assert.equal(lib.files.find((f) => f.name === 'old.go')!.buildVersion, 'go1.18');
  assert.deepEqual(lib.files.filter((f) => f.generated).map((f) => f.path), ['lib/table.go']);
  assert.deepEqual(lib.files.map((f) => f.kind), ['go', 'go', 'go', 'go', 'go', 'go', 'go', 'test', 'xtest']);
});

test('other contexts: windows/arm64, tags, cgo off', () => {
  const win = discover({ cwd: basic, ctx: { ...linux, goos: 'windows', goarch: 'arm64', cgoEnabled: false, toolTags: [] } });
  const lib = win.packages.find((p) => p.name === 'lib')!;
  assert.deepEqual(lib.goFiles, ['legacy.go', 'legacy_doc.go', 'lib.go', 'lib_windows.go', 'loops.go', 'table.go', 'word_arm64.go']);
  assert.deepEqual(lib.testGoFiles, ['lib_test.go', 'lib_windows_test.go']);
  assert.ok(win.packages.some((p) => p.importPath === 'example.com/basic/excluded'));
  const cgo = win.packages.find((p) => p.name === 'cgo')!;
  assert.deepEqual(cgo.cgoFiles, []);
  assert.equal(cgo.ignoredFiles.find((f) => f.name === 'c.go')?.reason, 'imports "C" and cgo is disabled');
  const tagged = discover({ cwd: basic, ctx: { ...linux, buildTags: ['integration'] }, patterns: ['./lib'] });
  assert.ok(tagged.packages[0]!.goFiles.includes('tagged.go'));
});

test('patterns: dir, ./dir/..., import paths, files, vendor', () => {
  const names = (patterns: string[], extra: { vendor?: boolean; cwd?: string } = {}) =>
    discover({ cwd: extra.cwd ?? basic, ctx: linux, patterns, vendor: extra.vendor }).packages.map((p) => p.importPath);
  assert.deepEqual(names(['./lib']), ['example.com/basic/lib']);
  assert.deepEqual(names(['lib']), ['example.com/basic/lib']);
  assert.deepEqual(names(['./cmd/...']), ['example.com/basic/cmd/tool']);
  assert.deepEqual(names(['example.com/basic/c...']), ['example.com/basic/cgo', 'example.com/basic/cmd/tool']);
  assert.deepEqual(names(['example.com/basic/lib']), ['example.com/basic/lib']);
  assert.deepEqual(names(['./...'], { cwd: join(basic, 'lib') }), ['example.com/basic/lib']);
  assert.deepEqual(names(['./...'], { vendor: true }).filter((p) => p.includes('vendor')), ['example.com/basic/vendor/example.com/v']);
  const files = discover({ cwd: basic, ctx: linux, patterns: ['lib/lib.go', 'lib/lib_windows.go', 'lib/ext_test.go'] });
  assert.equal(files.packages.length, 1);
  assert.equal(files.packages[0]!.importPath, 'command-line-arguments');
  assert.deepEqual(files.packages[0]!.goFiles, ['lib.go', 'lib_windows.go']);
  assert.deepEqual(files.packages[0]!.xTestGoFiles, ['ext_test.go']);
  // An explicit directory whose files are all excluded is still reported, with the reason.
  const ex = discover({ cwd: basic, ctx: linux, patterns: ['./excluded'] });
  assert.deepEqual(ex.packages[0]!.errors, ['build constraints exclude all Go files in excluded']);
  // Errors for what cannot be loaded, not crashes.
  assert.match(discover({ cwd: basic, ctx: linux, patterns: ['./nope'] }).errors[0]!, /pattern \.\/nope: directory nope does not exist/);
  assert.match(discover({ cwd: basic, ctx: linux, patterns: ['./nested'] }).errors[0]!, /is in another module \(nested\/go\.mod\)/);
  assert.match(discover({ cwd: basic, ctx: linux, patterns: ['golang.org/x/tools/...'] }).errors[0]!, /not in the main module \(example\.com\/basic\)/);
  assert.match(discover({ cwd: basic, ctx: linux, patterns: ['lib/lib.go', './cgo'] }).errors[0]!, /cannot mix \.go files and package patterns/);
});

test('pattern matching follows the go command', () => {
  const m = matchPattern('example.com/m/...');
  assert.equal(m('example.com/m'), true);
  assert.equal(m('example.com/m/a/b'), true);
  assert.equal(m('example.com/mm'), false);
  assert.equal(m('example.com/m/vendor'), true, 'a trailing vendor element matches');
  assert.equal(m('example.com/m/vendor/x'), false, 'wildcards do not match inside vendor');
  assert.equal(matchPattern('example.com/m/vendor/...')('example.com/m/vendor/x'), true);
  assert.equal(matchPattern('net/...')('net/http'), true);
  assert.equal(matchPattern('n...t')('net'), true);
  assert.equal(matchPattern('n...t')('nest/x'), false);
});

test('workspaces and module versions', () => {
  const ws = findWorkspace(join(fixtures, 'work'), {});
  assert.deepEqual(ws.modules.map((m) => [m.path, m.goVersion]), [['example.com/a', '1.22'], ['example.com/b', '1.20']]);
  const r = discover({ cwd: join(fixtures, 'work'), ctx: linux, env: {} });
  assert.deepEqual(r.packages.map((p) => [p.importPath, p.dir, p.files[0]!.goVersion]), [
    ['example.com/a', 'a', 'go1.22'],
    ['example.com/b', 'b', 'go1.20'],
  ]);
  // GOWORK=off: the module containing the directory only.
  const off = findWorkspace(join(fixtures, 'work', 'a'), { GOWORK: 'off' });
  assert.deepEqual(off.modules.map((m) => m.path), ['example.com/a']);
  // No go directive: go1.16.
  const old = discover({ cwd: join(fixtures, 'nomod-version'), ctx: linux, env: { GOWORK: 'off' } });
  assert.equal(old.packages[0]!.files[0]!.goVersion, 'go1.16');
});

test('code outside any module has the toolchain\'s language version (GOPATH mode), not go1.16', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dg-nomod-'));
  try {
    mkdirSync(join(dir, 'pkg'));
    writeFileSync(join(dir, 'pkg', 'a.go'), 'package pkg\n\nfunc F() {}\n');
    const r = discover({ cwd: dir, ctx: linux, env: { GOWORK: 'off' } });
    assert.equal(r.packages[0]!.files[0]!.goVersion, OUTSIDE_MODULE_GO);
    assert.ok(r.errors.some((e) => e.startsWith('no go.mod found')));
    // The newest version this release knows: that of its standard library data.
    const api = JSON.parse(readFileSync(new URL('../../data/stdlib-api.json', import.meta.url), 'utf8')) as { go: string };
    assert.equal(OUTSIDE_MODULE_GO, api.go);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('effective Go version and version ordering', () => {
  assert.equal(effectiveGoVersion('', '1.22.3'), 'go1.22');
  assert.equal(effectiveGoVersion('go1.18', '1.22'), 'go1.21');
  assert.equal(effectiveGoVersion('go1.23', '1.20'), 'go1.23');
  assert.equal(effectiveGoVersion('', ''), 'go1.16');
  assert.equal(effectiveGoVersion('', null), 'go1.16');
  const sorted = ['1.22.0', '1.21', 'go1.21.1', '1.21rc1', '1.21beta1', '1.9', '1.21.0'].sort(compareGoVersions);
  assert.deepEqual(sorted, ['1.9', '1.21', '1.21beta1', '1.21rc1', '1.21.0', 'go1.21.1', '1.22.0']);
});

test('bad files and directories give per-file errors while the rest loads', () => {
  // Permission checks do not apply to root; those cases run only for other users.
  const perms = process.getuid?.() !== 0;
  const dir = mkdtempSync(join(tmpdir(), 'deferguard-load-'));
  try {
    writeFileSync(join(dir, 'go.mod'), 'module example.com/bad\n\ngo 1.22\n');
    mkdirSync(join(dir, 'p'));
    writeFileSync(join(dir, 'p', 'ok.go'), 'package p\n');
    writeFileSync(join(dir, 'p', 'big.go'), 'package p\n' + '// filler\n'.repeat(200));
    if (perms) {
      writeFileSync(join(dir, 'p', 'secret.go'), 'package p\n');
      chmodSync(join(dir, 'p', 'secret.go'), 0o000);
    }
    writeFileSync(join(dir, 'p', 'latin1.go'), Buffer.from([0x70, 0x61, 0x63, 0x6b, 0x61, 0x67, 0x65, 0x20, 0x70, 0x0a, 0x2f, 0x2f, 0xe9, 0x0a]));
    writeFileSync(join(dir, 'p', 'badbuild.go'), '//go:build linux &&\n\npackage p\n');
    symlinkSync('loop.go', join(dir, 'p', 'loop.go'));
    symlinkSync('..', join(dir, 'p', 'up'));
    mkdirSync(join(dir, 'locked'));
    writeFileSync(join(dir, 'locked', 'l.go'), 'package locked\n');
    if (perms) chmodSync(join(dir, 'locked'), 0o000);
    const r = discover({ cwd: dir, ctx: linux, maxFileSize: 1000, env: { GOWORK: 'off' } });
    chmodSync(join(dir, 'locked'), 0o755);
    const p = r.packages.find((x) => x.importPath === 'example.com/bad/p')!;
    assert.deepEqual(p.goFiles, ['latin1.go', 'ok.go']);
    const errs = r.errors.join('\n');
    assert.match(errs, /p\/big\.go: file is 2010 bytes, over the 1000-byte limit; skipped/);
    if (perms) assert.match(errs, /p\/secret\.go: cannot read: permission denied/);
    assert.match(errs, /p\/loop\.go: cannot read: too many levels of symbolic links/);
    assert.match(errs, /p\/badbuild\.go: line 1: parsing \/\/go:build line: unexpected end of expression/);
    if (perms) assert.match(errs, /locked: cannot list directory: permission denied/);
    else assert.ok(r.packages.some((x) => x.importPath === 'example.com/bad/locked'));
    assert.deepEqual(p.invalidFiles.map((f) => f.name), ['badbuild.go', 'big.go', 'loop.go', ...(perms ? ['secret.go'] : [])]);
    // The symlink back to the module root is not followed (no loop, no duplicate packages).
    assert.equal(r.packages.filter((x) => x.importPath.includes('/up')).length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('broken go.mod is reported and loading goes on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deferguard-load-'));
  try {
    writeFileSync(join(dir, 'go.mod'), 'module example.com/broken\n\ngo 1.22\nrequire nope\n');
    writeFileSync(join(dir, 'a.go'), 'package a\n');
    const r = loadPackages({ cwd: dir, useGo: false, goos: 'linux', goarch: 'amd64', env: { GOWORK: 'off' } });
    assert.equal(r.via, 'deferguard');
    assert.equal(r.fallbackReason, 'use of the go command is disabled');
    assert.match(r.errors.join('\n'), /go\.mod:4: usage: require module\/path v1\.2\.3/);
    assert.deepEqual(r.packages.map((p) => [p.importPath, p.files[0]!.goVersion]), [['example.com/broken', 'go1.22']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('go list bridge helpers', () => {
  assert.deepEqual(parseJsonStream('{"a": "}{"}\n{"b": [1, {"c": "\\""}]}\n'), [{ a: '}{' }, { b: [1, { c: '"' }] }]);
  assert.throws(() => parseJsonStream('{"a": 1'), /truncated JSON output/);
  assert.throws(() => parseJsonStream('x{}'), /unexpected character "x"/);
  assert.deepEqual(splitTags('a,b c,,d'), ['a', 'b', 'c', 'd']);
  const missing = loadPackages({ cwd: basic, goBin: 'deferguard-no-such-go', goos: 'linux', goarch: 'amd64', cgo: true, env: { ...process.env, GOWORK: 'off' } });
  assert.equal(missing.via, 'deferguard');
  assert.match(missing.fallbackReason, /deferguard-no-such-go: not found on PATH/);
  assert.equal(missing.packages.length, 5);
});
