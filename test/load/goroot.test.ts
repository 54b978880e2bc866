// Differential tests: deferguard's own loader against `go list` on $GOROOT/src (the std and cmd
// modules) and on the fixture modules. Skipped, with a message, when no Go toolchain is on PATH.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discover } from '../../src/load/discover.js';
import { runGoList } from '../../src/load/golist.js';
import { resolveContext, resetContextCache } from '../../src/load/context.js';
import { loadPackages } from '../../src/load/loader.js';

const goEnv = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' });
const goroot = goEnv.status === 0 ? goEnv.stdout.trim() : '';
const skip = goroot ? false : 'go is not on PATH: differential loader tests against go list skipped';

interface Cmp {
  packages: number;
  files: number;
  differences: string[];
}

function compare(dir: string, patterns: string[], over: { goos?: string; goarch?: string; cgo?: boolean; tags?: string[] } = {}): Cmp {
  resetContextCache();
  const env = { ...process.env, GOWORK: 'off', GOFLAGS: '' };
  const { ctx, from } = resolveContext({ ...over }, env);
  assert.equal(from, 'go');
  const gl = runGoList({ cwd: dir, patterns, tags: over.tags, goos: over.goos, goarch: over.goarch, cgo: over.cgo, env, timeoutMs: 40_000 });
  assert.ok(gl.ok, gl.ok ? '' : gl.reason);
  const ours = discover({ cwd: dir, patterns, ctx, env });
  const differences: string[] = [];
  const a = new Map(gl.packages.map((p) => [p.ImportPath, p]));
  const b = new Map(ours.packages.map((p) => [p.importPath, p]));
  for (const k of a.keys()) if (!b.has(k)) differences.push(`only go list: ${k}`);
  for (const k of b.keys()) if (!a.has(k)) differences.push(`only deferguard: ${k}`);
  let files = 0;
  for (const [k, p] of a) {
    const q = b.get(k);
    if (!q) continue;
    const pairs: [string, string[] | undefined, string[]][] = [
      ['GoFiles', p.GoFiles, q.goFiles],
      ['CgoFiles', p.CgoFiles, q.cgoFiles],
      ['TestGoFiles', p.TestGoFiles, q.testGoFiles],
      ['XTestGoFiles', p.XTestGoFiles, q.xTestGoFiles],
    ];
    for (const [field, want, got] of pairs) {
      files += got.length;
      if (JSON.stringify(want ?? []) !== JSON.stringify(got)) differences.push(`${k} ${field}: go list ${JSON.stringify(want ?? [])}, deferguard ${JSON.stringify(got)}`);
    }
    if ((p.Name ?? '') !== q.name) differences.push(`${k} name: go list ${p.Name}, deferguard ${q.name}`);
  }
  return { packages: a.size, files, differences };
}

test('GOROOT/src (module std), ./... : same packages and files as go list', { skip, timeout: 60_000 }, () => {
  const r = compare(join(goroot, 'src'), ['./...']);
  assert.deepEqual(r.differences, []);
  assert.ok(r.packages > 200 && r.files > 2000, `compared ${r.packages} packages, ${r.files} files`);
});

test('GOROOT/src/cmd (module cmd, nested in std), ./... : same as go list', { skip, timeout: 60_000 }, () => {
  const r = compare(join(goroot, 'src', 'cmd'), ['./...']);
  assert.deepEqual(r.differences, []);
  assert.ok(r.packages > 100, `compared ${r.packages} packages`);
});

test('GOROOT/src for windows/arm64 without cgo, import path patterns: same as go list', { skip, timeout: 60_000 }, () => {
  const r = compare(join(goroot, 'src'), ['net/...', 'runtime/...', 'crypto/...', 'os/...'], { goos: 'windows', goarch: 'arm64', cgo: false });
  assert.deepEqual(r.differences, []);
  assert.ok(r.packages > 50, `compared ${r.packages} packages`);
});

test('fixture module: same as go list, with tags', { skip, timeout: 30_000 }, () => {
  const dir = new URL('../../testdata/load/basic', import.meta.url).pathname;
  for (const over of [{ goos: 'linux', goarch: 'amd64', cgo: true }, { goos: 'windows', goarch: 'arm64', cgo: false, tags: ['integration'] }]) {
    const r = compare(dir, ['./...'], over);
    assert.deepEqual(r.differences, [], JSON.stringify(over));
    assert.equal(r.packages, over.goos === 'linux' ? 5 : 6);
  }
});

test('loadPackages uses go list when available and keeps our per-file facts', { skip, timeout: 30_000 }, () => {
  const dir = new URL('../../testdata/load/basic', import.meta.url).pathname;
  const env = { ...process.env, GOWORK: 'off', GOFLAGS: '' };
  const viaGo = loadPackages({ cwd: dir, goos: 'linux', goarch: 'amd64', cgo: true, env });
  const own = loadPackages({ cwd: dir, goos: 'linux', goarch: 'amd64', cgo: true, env, useGo: false });
  assert.equal(viaGo.via, 'go list');
  assert.equal(own.via, 'deferguard');
  const strip = (r: typeof own) => r.packages.map((p) => ({ importPath: p.importPath, dir: p.dir, name: p.name, files: p.files, imports: p.imports }));
  assert.deepEqual(strip(viaGo), strip(own));
  const lib = viaGo.packages.find((p) => p.name === 'lib')!;
  assert.equal(lib.ignoredFiles.find((f) => f.name === 'tagged.go')?.reason, '//go:build integration is not satisfied');
  // Files named on the command line get the language version of the module around them, as
  // the go command builds them, from go list and from our own discovery alike.
  const named = loadPackages({ cwd: dir, patterns: ['lib/lib.go'], goos: 'linux', goarch: 'amd64', cgo: true, env });
  const namedOwn = loadPackages({ cwd: dir, patterns: ['lib/lib.go'], goos: 'linux', goarch: 'amd64', cgo: true, env, useGo: false });
  assert.equal(named.via, 'go list');
  assert.equal(named.packages[0]!.importPath, 'command-line-arguments');
  assert.deepEqual(named.packages[0]!.files.map((f) => f.goVersion), namedOwn.packages[0]!.files.map((f) => f.goVersion));
  assert.deepEqual(named.packages[0]!.files.map((f) => f.goVersion), [lib.files.find((f) => f.name === 'lib.go')!.goVersion]);
  // A pattern go list cannot load falls back with the reason kept.
  const bad = loadPackages({ cwd: dir, env: { ...env, GOFLAGS: '-mod=nonsense' } });
  assert.equal(bad.via, 'deferguard');
  assert.match(bad.fallbackReason, /exited with status/);
});

test('outside any module, and at a go.work root above its modules, loading falls back to our own discovery', { skip, timeout: 60_000 }, () => {
  const base = mkdtempSync(join(tmpdir(), 'deferguard-outside-'));
  try {
    writeFileSync(join(base, 'main.go'), 'package main\n\nfunc main() {}\n');
    const env = { ...process.env, GOWORK: '', GOFLAGS: '', GO111MODULE: '' };
    const r = loadPackages({ cwd: base, env });
    assert.equal(r.via, 'deferguard');
    assert.match(r.fallbackReason, /does not contain main module|go\.mod file not found/);
    assert.deepEqual(r.packages.map((p) => p.files.map((f) => f.name)), [['main.go']]);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('a file go list cannot open is a "cannot read" problem with a module-relative path', { skip, timeout: 60_000 }, () => {
  const base = mkdtempSync(join(tmpdir(), 'deferguard-dangling-'));
  try {
    writeFileSync(join(base, 'go.mod'), 'module example.com/d\n\ngo 1.22\n');
    mkdirSync(join(base, 'p'));
    writeFileSync(join(base, 'p', 'ok.go'), 'package p\n');
    symlinkSync(join(base, 'p', 'missing.go'), join(base, 'p', 'broken.go'));
    const r = loadPackages({ cwd: base, env: { ...process.env, GOWORK: 'off', GOFLAGS: '' } });
    assert.equal(r.via, 'go list');
    const errors = r.packages.flatMap((p) => p.errors);
    assert.ok(errors.some((e) => /^p\/broken\.go: cannot read: /.test(e)), JSON.stringify(errors));
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
