// The evaluation-semantics rules beyond their fixtures: suggested fixes applied to the source give
// the intended code, versions decide loop-variable sharing, and without type information the rules
// lower their confidence or stay silent instead of guessing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Analyzer, PassFile } from '../../src/analysis/analyzer.js';
import { Inspector } from '../../src/analysis/inspector.js';
import { defaultRuleOptions } from '../../src/analysis/options.js';
import { PackageContext, PassImpl } from '../../src/analysis/pass.js';
import type { Finding } from '../../src/findings/model.js';
import { parseFile } from '../../src/syntax/parser.js';
import { checkPackage } from '../../src/types/check.js';
import { unknownTypeInfo } from '../../src/types/unknown.js';
import { analyzer as loopVarCapture } from '../../src/rules/loop-var-capture.js';
import { analyzer as eager } from '../../src/rules/defer-eager-evaluation.js';
import { analyzer as chain } from '../../src/rules/defer-call-chain.js';
import { analyzer as ineffective } from '../../src/rules/defer-ineffective-return.js';
import { analyzer as funcResult } from '../../src/rules/defer-func-result-not-called.js';
import { goVersionAtLeast } from '../../src/rules/helpers.js';

/** Runs one analyzer over one file of package example.com/p, with or without type information. */
function runRule(a: Analyzer, src: string, opts: { goVersion?: string; types?: boolean } = {}): { findings: Finding[]; src: string } {
  const goVersion = opts.goVersion ?? 'go1.22';
  const { file, source, errors } = parseFile('p.go', new TextEncoder().encode(src));
  assert.deepEqual(errors, [], 'test source parses');
  const info = opts.types === false ? unknownTypeInfo() : checkPackage({ path: 'example.com/p', name: 'p', files: [{ file, source, goVersion }] }).info;
  const pf: PassFile = { path: 'p.go', name: 'p.go', file, source, goVersion, generated: false, test: false, inspector: new Inspector(file) };
  const pkg = { importPath: 'example.com/p', name: 'p', dir: '.', moduleRoot: '/m', modulePath: 'example.com/p', moduleGoVersion: goVersion };
  const ctx = new PackageContext(pkg, [pf], info, opts.types !== false, defaultRuleOptions());
  const pass = new PassImpl(a.meta, ctx);
  a.run(pass);
  return { findings: pass.findings, src };
}

/** Applies the first fix of a finding (byte offsets; the sources here are ASCII). */
function applyFix(src: string, f: Finding): string {
  const fix = f.fixes?.[0];
  assert.ok(fix, `finding has a fix: ${f.message}`);
  let out = src;
  for (const e of [...fix.edits].sort((x, y) => y.offset - x.offset)) out = out.slice(0, e.offset) + e.newText + out.slice(e.endOffset);
  return out;
}

const LOOP = `package p

import "fmt"

func f(n int) {
	for i := 0; i < n; i++ {
		defer func() { fmt.Println(i) }()
	}
}
`;

test('loop-var-capture: a loop variable declared by the header is shared before go1.22 only', () => {
  assert.equal(runRule(loopVarCapture, LOOP, { goVersion: 'go1.21' }).findings.length, 1);
  assert.equal(runRule(loopVarCapture, LOOP, { goVersion: 'go1.16' }).findings.length, 1);
  assert.equal(runRule(loopVarCapture, LOOP, { goVersion: 'go1.22' }).findings.length, 0);
  assert.equal(runRule(loopVarCapture, LOOP, { goVersion: 'go1.26' }).findings.length, 0);
});

test('loop-var-capture: high confidence with types, medium by name, and a copy silences it either way', () => {
  const typed = runRule(loopVarCapture, LOOP, { goVersion: 'go1.21' }).findings;
  assert.equal(typed[0]!.confidence, 'high');
  assert.equal(typed[0]!.line, 7);
  assert.deepEqual(typed[0]!.related.map((r) => r.line), [6, 7]);
  const untyped = runRule(loopVarCapture, LOOP, { goVersion: 'go1.21', types: false }).findings;
  assert.equal(untyped.length, 1);
  assert.equal(untyped[0]!.confidence, 'medium');
  const copied = LOOP.replace('\t\tdefer func()', '\t\ti := i\n\t\tdefer func()');
  assert.equal(runRule(loopVarCapture, copied, { goVersion: 'go1.21' }).findings.length, 0);
  assert.equal(runRule(loopVarCapture, copied, { goVersion: 'go1.21', types: false }).findings.length, 0);
});

test('defer-func-result-not-called: the fix calls the returned function', () => {
  const src = `package p

func trace(s string) func() { return func() {} }

func g() {
	defer trace("g")
}
`;
  const { findings } = runRule(funcResult, src);
  assert.equal(findings.length, 1);
  assert.match(applyFix(src, findings[0]!), /\tdefer trace\("g"\)\(\)\n/);
  // Without types the signature is unknown: silent.
  assert.equal(runRule(funcResult, src, { types: false }).findings.length, 0);
});

test('defer-eager-evaluation: the fix defers a closure that evaluates at exit', () => {
  const src = `package p

import (
	"log"
	"time"
)

func g() {
	start := time.Now()
	defer log.Printf("took %v", time.Since(start))
}
`;
  const { findings } = runRule(eager, src);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.confidence, 'high');
  assert.match(applyFix(src, findings[0]!), /\tdefer func\(\) \{ log\.Printf\("took %v", time\.Since\(start\)\) \}\(\)\n/);
});

test('defer-eager-evaluation: an error set by a later return is seen only through a closure', () => {
  const src = `package p

func finish(err error) {}
func step() error { return nil }

func g() (err error) {
	defer finish(err)
	return step()
}

func h() (err error) {
	defer func() { finish(err) }()
	return step()
}
`;
  const { findings } = runRule(eager, src);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.line, 7);
  assert.match(findings[0]!.message, /set again by the return statement on line 8/);
});

test('defer-ineffective-return: without types a named result cannot be told from a local, so no guess', () => {
  const src = `package p

import "os"

func g(f *os.File) error {
	var err error
	defer func() { err = f.Close() }()
	return err
}
`;
  assert.equal(runRule(ineffective, src).findings.length, 1);
  assert.equal(runRule(ineffective, src, { types: false }).findings.length, 0);
});

test('defer-call-chain: confidence drops when the inner call is not resolved', () => {
  const src = `package p

type S struct{}

func (s *S) Shutdown() *S { return s }
func (s *S) Wait()        {}

func g(s *S) {
	defer s.Shutdown().Wait()
}
`;
  assert.equal(runRule(chain, src).findings[0]?.confidence, 'high');
  assert.equal(runRule(chain, src, { types: false }).findings[0]?.confidence, 'medium');
});

test('goVersionAtLeast reads language versions with and without patch', () => {
  assert.equal(goVersionAtLeast('go1.22', 1, 22), true);
  assert.equal(goVersionAtLeast('go1.21.9', 1, 22), false);
  assert.equal(goVersionAtLeast('1.23rc1', 1, 22), true);
  assert.equal(goVersionAtLeast('go2.0', 1, 22), true);
  assert.equal(goVersionAtLeast('', 1, 22), false);
});
