// Types of cgo's pseudo-package "C" whose kind the name gives away: a value of a struct type
// (`type prog C.struct_bpf_program`) is never nil, so deferring a method on it before the error
// check is no nil dereference; a pointer to one still is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PassFile } from '../../src/analysis/analyzer.js';
import { Inspector } from '../../src/analysis/inspector.js';
import { defaultRuleOptions } from '../../src/analysis/options.js';
import { PackageContext, PassImpl } from '../../src/analysis/pass.js';
import { parseFile } from '../../src/syntax/parser.js';
import { checkPackage } from '../../src/types/check.js';
import { analyzer } from '../../src/rules/defer-before-error-check.js';

function findings(src: string): string[] {
  const { file, source, errors } = parseFile('p.go', new TextEncoder().encode(src));
  assert.deepEqual(errors, []);
  const goVersion = 'go1.22';
  const info = checkPackage({ path: 'example.com/p', name: 'p', files: [{ file, source, goVersion }] }).info;
  const pf: PassFile = { path: 'p.go', name: 'p.go', file, source, goVersion, generated: false, test: false, inspector: new Inspector(file) };
  const pkg = { importPath: 'example.com/p', name: 'p', dir: '.', moduleRoot: '/m', modulePath: 'example.com/p', moduleGoVersion: goVersion };
  const pass = new PassImpl(analyzer.meta, new PackageContext(pkg, [pf], info, true, defaultRuleOptions()));
  analyzer.run(pass);
  return pass.findings.map((f) => `${f.line}: ${f.message}`);
}

const SRC = (result: string) => `package p

// struct prog { int n; };
import "C"

import "errors"

type prog C.struct_prog

func (p *prog) free() {}

func compile(s string) (${result}, error) {
	if s == "" {
		return ${result === 'prog' ? 'prog{}' : 'nil'}, errors.New("empty")
	}
	return ${result === 'prog' ? 'prog{}' : '&prog{}'}, nil
}

func Compile(s string) error {
	p, err := compile(s)
	defer p.free()
	if err != nil {
		return err
	}
	return nil
}
`;

test('a value of a C struct type is never nil: no finding', () => {
  assert.deepEqual(findings(SRC('prog')), []);
});

test('a pointer to a C struct type can be nil: reported', () => {
  const got = findings(SRC('*prog'));
  assert.equal(got.length, 1);
  assert.match(got[0]!, /^21: p from compile on line 20 is used by the deferred p\.free\(\) before err is checked/);
});
