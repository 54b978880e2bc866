import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConstraintError,
  constraintGoVersion,
  evalConstraint,
  fileNameMismatch,
  formatConstraint,
  headerAllows,
  isGoBuild,
  isPlusBuild,
  matchTag,
  parseConstraint,
  parseExpr,
  readFileHeader,
  releaseTagsFor,
  type BuildContext,
} from '../../src/syntax/constraint.js';

const linux: BuildContext = {
  goos: 'linux',
  goarch: 'amd64',
  compiler: 'gc',
  cgoEnabled: true,
  buildTags: [],
  toolTags: ['amd64.v1'],
  releaseTags: releaseTagsFor('go1.22'),
};
const ctx = (over: Partial<BuildContext>): BuildContext => ({ ...linux, ...over });

test('go:build line recognition', () => {
  const yes = ['//go:build linux', '//go:build  linux ', '//go:build\tlinux', '//go:build', '//go:build linux\n'];
  const no = ['//go:buildlinux', '// go:build linux', '/*go:build linux*/', '//go:build linux\nx', ' //go:build linux'];
  for (const l of yes) assert.equal(isGoBuild(l), true, l);
  for (const l of no) assert.equal(isGoBuild(l), false, l);
  assert.equal(isPlusBuild('// +build linux'), true);
  assert.equal(isPlusBuild('//+build linux'), true);
  assert.equal(isPlusBuild('// +build'), true);
  assert.equal(isPlusBuild('// +buildlinux'), false);
  assert.equal(isPlusBuild('/* +build linux */'), false);
});

test('go:build parsing: precedence and canonical form', () => {
  const table: [string, string][] = [
    ['a', 'a'],
    ['a && b || c', '(a && b) || c'],
    ['a || b && c', 'a || (b && c)'],
    ['(a || b) && c', '(a || b) && c'],
    ['!a && !(b || c)', '!a && !(b || c)'],
    ['((a))', 'a'],
    ['a && (b && c)', 'a && b && c'],
    ['go1.21 && (linux || darwin)', 'go1.21 && (linux || darwin)'],
    ['x.y_z && 386', 'x.y_z && 386'],
    ['!(!a)', '!!a'],
  ];
  for (const [src, want] of table) assert.equal(formatConstraint(parseExpr(src)), want, src);
  // and binds tighter than or: a || b && c is a || (b && c)
  const x = parseExpr('a || b && c');
  assert.equal(x.op, 'or');
  assert.equal(x.op === 'or' && x.y.op, 'and');
});

test('go:build syntax errors', () => {
  const bad: [string, RegExp][] = [
    ['', /unexpected end of expression/],
    ['a &&', /unexpected end of expression/],
    ['a & b', /invalid syntax at &/],
    ['a | b', /invalid syntax at \|/],
    ['(a', /missing close paren/],
    ['(a || b', /missing close paren/],
    ['a)', /unexpected token \)/],
    ['a b', /unexpected token b/],
    ['!!a', /double negation not allowed/],
    ['a && $', /invalid syntax at \$/],
    ['&&', /invalid syntax|unexpected token/],
  ];
  for (const [src, re] of bad) {
    assert.throws(() => parseExpr(src), (e: unknown) => e instanceof ConstraintError && re.test(e.message), src);
  }
  assert.throws(() => parseConstraint('// just a comment'), /not a build constraint/);
  const deep = Array(1200).fill('a').join(' || ');
  assert.throws(() => parseExpr(deep), /build expression too large/);
});

test('+build lines: spaces are OR, commas AND, bad terms become ignore', () => {
  const table: [string, string][] = [
    ['// +build linux darwin', 'linux || darwin'],
    ['// +build linux,amd64 !cgo', '(linux && amd64) || !cgo'],
    ['// +build !windows,!plan9', '!windows && !plan9'],
    ['// +build', 'ignore'],
    ['// +build !!x', 'ignore'],
    ['// +build ! linux', 'ignore || linux'],
    ['// +build a$b', 'ignore'],
  ];
  for (const [src, want] of table) assert.equal(formatConstraint(parseConstraint(src)), want, src);
  const many = '// +build ' + Array(102).fill('a').join(' ');
  assert.throws(() => parseConstraint(many), /too complex/);
});

test('evaluation against a context', () => {
  const ev = (expr: string, c: BuildContext): boolean => evalConstraint(parseExpr(expr), (t) => matchTag(c, t));
  const table: [string, BuildContext, boolean][] = [
    ['linux', linux, true],
    ['windows', linux, false],
    ['linux && amd64', linux, true],
    ['linux && arm64', linux, false],
    ['!windows', linux, true],
    ['unix', linux, true],
    ['unix', ctx({ goos: 'windows' }), false],
    ['unix', ctx({ goos: 'js', goarch: 'wasm' }), false],
    ['unix', ctx({ goos: 'darwin' }), true],
    ['linux', ctx({ goos: 'android' }), true],
    ['darwin', ctx({ goos: 'ios' }), true],
    ['solaris', ctx({ goos: 'illumos' }), true],
    ['cgo', linux, true],
    ['cgo', ctx({ cgoEnabled: false }), false],
    ['gc', linux, true],
    ['gccgo', linux, false],
    ['go1.21', linux, true],
    ['go1.22', linux, true],
    ['go1.23', linux, false],
    ['integration', linux, false],
    ['integration', ctx({ buildTags: ['integration'] }), true],
    ['amd64.v1', linux, true],
    ['amd64.v3', linux, false],
    ['ignore', linux, false],
    ['boringcrypto', ctx({ toolTags: ['goexperiment.boringcrypto'] }), true],
    ['(linux || darwin) && !cgo', linux, false],
  ];
  for (const [expr, c, want] of table) assert.equal(ev(expr, c), want, `${expr} on ${c.goos}/${c.goarch}`);
});

test('minimum Go version implied by an expression', () => {
  const table: [string, string][] = [
    ['linux', ''],
    ['go1.21', 'go1.21'],
    ['go1', 'go1'],
    ['go1.21 && linux', 'go1.21'],
    ['go1.21 && go1.22', 'go1.22'],
    ['go1.21 || go1.22', 'go1.21'],
    ['go1.21 || linux', ''],
    ['!go1.21', ''],
    ['!go1.21 && go1.18', 'go1.18'],
    ['!(go1.18 || linux)', ''],
    ['!(!go1.20)', 'go1.20'],
    ['!(!go1.20 || !go1.22)', 'go1.22'],
    ['go1.x', ''],
    ['(go1.19 && linux) || (go1.20 && darwin)', 'go1.19'],
  ];
  for (const [expr, want] of table) assert.equal(constraintGoVersion(parseExpr(expr)), want, expr);
});

test('file header: where constraints are honoured', () => {
  const h1 = readFileHeader('// Copyright 2024\n\n//go:build linux\n\npackage p\n');
  assert.equal(h1.goBuild, '//go:build linux');
  assert.equal(h1.goBuildLine, 3);
  // A //go:build line directly above the package clause still counts (go/build does not require the blank line).
  assert.equal(readFileHeader('//go:build linux\npackage p\n').goBuild, '//go:build linux');
  // After the package clause it is just a comment.
  assert.equal(readFileHeader('package p\n\n//go:build linux\n').goBuild, null);
  // Inside a /* */ comment it does not count.
  assert.equal(readFileHeader('/*\n//go:build linux\n*/\n\npackage p\n').goBuild, null);
  // After a /* */ comment it still counts.
  assert.equal(readFileHeader('/* license */\n//go:build linux\n\npackage p\n').goBuild, '//go:build linux');
  assert.match(readFileHeader('//go:build a\n//go:build b\n\npackage p\n').error ?? '', /multiple \/\/go:build comments \(lines 1 and 2\)/);

  // +build lines count only when a blank line separates them from the package clause.
  assert.deepEqual(readFileHeader('// +build linux\n\npackage p\n').plusBuild, ['// +build linux']);
  assert.deepEqual(readFileHeader('// +build linux\npackage p\n').plusBuild, []);
  assert.deepEqual(readFileHeader('// +build linux\n// Package p does things.\npackage p\n').plusBuild, []);
  assert.deepEqual(readFileHeader('// +build a\n// +build b\n\n// Package p.\npackage p\n').plusBuild, ['// +build a', '// +build b']);
  // With a //go:build line, +build lines are ignored.
  const both = readFileHeader('//go:build linux\n// +build windows\n\npackage p\n');
  assert.deepEqual(both.plusBuild, []);
  assert.equal(headerAllows(both, linux).ok, true);
  // CRLF line endings.
  assert.equal(readFileHeader('//go:build linux\r\n\r\npackage p\r\n').goBuild, '//go:build linux');
});

test('header verdicts', () => {
  const v = (src: string, c = linux) => headerAllows(readFileHeader(src), c);
  assert.equal(v('//go:build windows\n\npackage p').ok, false);
  assert.match(v('//go:build windows\n\npackage p').reason, /windows is not satisfied/);
  assert.equal(v('// +build linux\n// +build arm64\n\npackage p').ok, false, '+build lines are ANDed');
  assert.equal(v('// +build linux darwin\n\npackage p').ok, true);
  assert.equal(v('//go:build ignore\n\npackage main').ok, false);
  const bad = v('//go:build linux &&\n\npackage p');
  assert.equal(bad.ok, false);
  assert.match(bad.error ?? '', /line 1: parsing \/\/go:build line: unexpected end of expression/);
  assert.equal(v('//go:build go1.18 && linux\n\npackage p').goVersion, 'go1.18');
  assert.equal(v('package p').ok, true);
});

test('file name suffixes', () => {
  const table: [string, BuildContext, string | null][] = [
    ['x_linux.go', linux, null],
    ['x_windows.go', linux, '_windows'],
    ['x_amd64.go', linux, null],
    ['x_arm64.go', linux, '_arm64'],
    ['x_linux_amd64.go', linux, null],
    ['x_linux_arm64.go', linux, '_linux_arm64'],
    ['x_windows_amd64_test.go', linux, '_windows_amd64'],
    ['x_windows_test.go', linux, '_windows'],
    ['linux.go', ctx({ goos: 'windows' }), null],
    ['windows_test.go', linux, null],
    ['x_unix.go', ctx({ goos: 'windows' }), null],
    ['x_linux.go', ctx({ goos: 'android' }), null],
    ['x_solaris.go', ctx({ goos: 'illumos' }), null],
    ['x_foo_linux.s', ctx({ goos: 'darwin' }), '_linux'],
    ['x_linux.pb.go', ctx({ goos: 'darwin' }), '_linux'],
    ['x.linux.go', ctx({ goos: 'darwin' }), null],
    ['_linux.go', ctx({ goos: 'darwin' }), '_linux'],
    ['x_test.go', linux, null],
  ];
  for (const [name, c, want] of table) assert.equal(fileNameMismatch(name, c), want, `${name} on ${c.goos}/${c.goarch}`);
});
