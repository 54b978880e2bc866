import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFile } from '../../src/syntax/parser.js';
import { applySuppressions, collectDirectives, diagnosticsToFindings, parseDirective } from '../../src/findings/suppress.js';
import type { Finding } from '../../src/findings/model.js';

function finding(rule: string, line: number, file = 'p/a.go'): Finding {
  return { rule, severity: 'high', confidence: 'high', message: `${rule} at ${line}`, related: [], file, line, column: 2, endLine: line, endColumn: 10 };
}

function lineOf(src: string, needle: string): number {
  const i = src.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `marker ${needle} not found`);
  return i + 1;
}

const KNOWN = new Set(['defer-in-loop', 'exit-skips-defer', 'recover-ineffective']);

function run(src: string, findings: Finding[], opts: { enabledRules?: Set<string> } = {}) {
  const { file, errors, source } = parseFile('p/a.go', src);
  assert.deepEqual(errors, [], 'fixture must parse');
  const { directives, diagnostics } = collectDirectives(source, file, { path: 'p/a.go', knownRules: KNOWN });
  const res = applySuppressions(findings, directives, { knownRules: KNOWN, ...opts });
  return { directives, diagnostics, ...res };
}

const SRC = `package p

import "os"

func trailing(files []string) {
	for _, f := range files {
		defer os.Remove(f) //deferguard:ignore defer-in-loop cleanup is bounded by len(files) // M1
		defer os.Remove(f) // M2 no directive here
	}
}

func above(files []string) {
	for _, f := range files {
		//deferguard:ignore defer-in-loop the loop runs at most twice
		defer os.Remove(f) // M3
		defer os.Remove(f) // M4
	}
}

func nodeScope(files []string) {
	//nolint:defer-in-loop // the whole loop is known to be short
	for _, f := range files { // M5
		defer os.Remove(f) // M6
	}
	defer os.Exit(1) // M7
}

func variants() {
	defer os.Exit(1) //nolint // M8
	defer os.Exit(1) //nolint:all // M9
	defer os.Exit(1) //nolint:deferguard // M10
	defer os.Exit(1) //nolint:errcheck,exit-skips-defer // M11
	defer os.Exit(1) //nolint:errcheck // M12
	defer os.Exit(1) // nolint // M13
	defer os.Exit(1) //nolint:Exit-Skips-Defer // M14
	defer os.Exit(1) //nolintfoo // M15
}
`;

test('suppression semantics table', () => {
  const cases: [marker: string, rule: string, suppressed: boolean, why: string][] = [
    ['M1', 'defer-in-loop', true, 'trailing //deferguard:ignore covers its line'],
    ['M2', 'defer-in-loop', false, 'the next line is not covered by a trailing directive'],
    ['M3', 'defer-in-loop', true, 'standalone directive on the line above'],
    ['M4', 'defer-in-loop', false, 'the standalone directive covers only the next statement'],
    ['M5', 'defer-in-loop', true, 'standalone //nolint covers the node starting on the next line'],
    ['M6', 'defer-in-loop', true, '... including the whole for statement body'],
    ['M7', 'exit-skips-defer', false, 'after the node the scope ends'],
    ['M8', 'exit-skips-defer', true, '//nolint suppresses every linter'],
    ['M9', 'exit-skips-defer', true, '//nolint:all'],
    ['M10', 'exit-skips-defer', true, '//nolint:deferguard names the whole tool'],
    ['M11', 'exit-skips-defer', true, 'rule ids act as linter names in a list'],
    ['M12', 'exit-skips-defer', false, 'another linter only'],
    ['M13', 'exit-skips-defer', false, '"// nolint" with a space is not a directive'],
    ['M14', 'exit-skips-defer', true, 'linter names are case-insensitive'],
    ['M15', 'exit-skips-defer', false, '//nolintfoo is not //nolint'],
  ];
  const findings = cases.map(([m, rule]) => finding(rule, lineOf(SRC, `// ${m}`)));
  const { kept, suppressed } = run(SRC, findings);
  for (const [i, [m, , want, why]] of cases.entries()) {
    const f = findings[i]!;
    assert.equal(suppressed.some((s) => s.finding === f), want, `${m}: ${why}`);
    assert.equal(kept.includes(f), !want, `${m}: kept`);
  }
  // A rule the directive does not name stays.
  const other = finding('recover-ineffective', lineOf(SRC, '// M1'));
  assert.equal(run(SRC, [other]).kept.length, 1);
});

test('directive parsing', () => {
  assert.deepEqual(parseDirective('deferguard:ignore a,b  because reasons'), { kind: 'ignore', rules: ['a', 'b'], explicit: true, reason: 'because reasons' });
  assert.deepEqual(parseDirective('nolint:errcheck,defer-in-loop // why'), { kind: 'nolint', rules: ['errcheck', 'defer-in-loop'], explicit: true, reason: 'why' });
  assert.deepEqual(parseDirective('nolint'), { kind: 'nolint', rules: 'all', explicit: false, reason: '' });
  assert.equal(parseDirective(' nolint'), undefined);
  assert.equal(parseDirective('deferguard:ignored x y'), undefined);
  assert.equal(parseDirective('nolintlint'), undefined);
});

test('missing reason, unknown rule and empty rule list are diagnosed', () => {
  const src = `package p

func f() {
	defer g() //deferguard:ignore defer-in-loop
	defer g() //deferguard:ignore defer-in-lop typo in the id
	defer g() //deferguard:ignore
}

func g() {}
`;
  const { diagnostics, directives } = run(src, []);
  const byProblem = diagnostics.map((d) => `${d.line}:${d.problem}`);
  assert.deepEqual(byProblem, ['4:missing-reason', '5:unknown-rule', '6:no-rule']);
  assert.match(diagnostics[1]!.message, /did you mean "defer-in-loop"/);
  assert.equal(directives.length, 2, 'a directive without rules suppresses nothing');
  const asFindings = diagnosticsToFindings(diagnostics);
  assert.equal(asFindings[0]!.rule, 'suppression-directive');
  assert.equal(asFindings[0]!.line, 4);
});

test('unused suppressions are reported for explicit directives only', () => {
  const src = `package p

import "os"

func f() {
	defer os.Exit(1) //deferguard:ignore exit-skips-defer intended
	defer os.Exit(2) //deferguard:ignore defer-in-loop,exit-skips-defer reason
	defer os.Exit(3) //nolint:errcheck,recover-ineffective // other linter and an idle rule
	defer os.Exit(4) //nolint // generic: may be for another linter
	defer os.Exit(5) //nolint:deferguard // nothing here
	defer os.Exit(6) //nolint:errcheck // not ours
}
`;
  const findings = [finding('exit-skips-defer', 6), finding('exit-skips-defer', 7)];
  const { unused, kept } = run(src, findings);
  assert.equal(kept.length, 0);
  assert.deepEqual(unused.map((u) => [u.line, u.message]), [
    [7, 'unused suppression for defer-in-loop: no such finding on line 7'],
    [8, 'unused suppression for recover-ineffective: no such finding on line 8'],
    [10, 'unused suppression //nolint:deferguard // nothing here: no deferguard finding on line 10'],
  ]);
  // Rules that did not run are not reported as unused.
  const limited = run(src, findings, { enabledRules: new Set(['exit-skips-defer']) });
  assert.deepEqual(limited.unused.map((u) => u.line), [10]);
});

test('standalone directive followed by a doc comment covers the declaration', () => {
  const src = `package p

//nolint:recover-ineffective // deliberate
// helper does things.
func helper() {
	recover()
}

func other() {
	recover()
}
`;
  const inside = finding('recover-ineffective', 6);
  const outside = finding('recover-ineffective', 10);
  const { kept } = run(src, [inside, outside]);
  assert.deepEqual(kept, [outside]);
});

test("GoLand's //goland:noinspection GoDeferInLoop covers the loop rules", () => {
  assert.deepEqual(parseDirective('goland:noinspection GoDeferInLoop'), { kind: 'nolint', rules: ['defer-in-loop', 'defer-in-infinite-loop'], explicit: false, reason: '' });
  assert.deepEqual(parseDirective('goland:noinspection GoUnhandledErrorResult'), { kind: 'nolint', rules: [], explicit: false, reason: '' });
  const src = `package p

import "os"

func f(files []string) {
	for _, name := range files {
		//goland:noinspection GoDeferInLoop
		defer os.Remove(name) // L1
		//goland:noinspection GoUnhandledErrorResult
		defer os.Remove(name + ".bak") // L2
	}
}
`;
  const known = new Set([...KNOWN, 'defer-in-infinite-loop']);
  const { file, source } = parseFile('p/a.go', src);
  const { directives, diagnostics } = collectDirectives(source, file, { path: 'p/a.go', knownRules: known });
  assert.deepEqual(diagnostics, []);
  const fs = [finding('defer-in-loop', lineOf(src, '// L1')), finding('defer-in-loop', lineOf(src, '// L2'))];
  const res = applySuppressions(fs, directives, { knownRules: known });
  assert.deepEqual(res.kept, [fs[1]]);
  assert.deepEqual(res.unused, []);
});

test("staticcheck's //lint:ignore covers the deferguard rules that match its checks", () => {
  assert.deepEqual(parseDirective('lint:ignore SA5001 it is fine here'), { kind: 'nolint', rules: ['defer-before-error-check'], explicit: false, reason: 'it is fine here' });
  assert.deepEqual(parseDirective('lint:ignore SA1019,sa9001 old API, short loop'), { kind: 'nolint', rules: ['defer-in-loop'], explicit: false, reason: 'old API, short loop' });
  assert.deepEqual(parseDirective('lint:ignore ST1003 naming'), { kind: 'nolint', rules: [], explicit: false, reason: 'naming' });
  assert.equal(parseDirective('lint:file-ignore SA5001 whole file'), undefined);
  const src = `package p

import "os"

func f(files []string) {
	for _, name := range files {
		g, err := os.Open(name)
		defer g.Close() //lint:ignore SA5001 it's OK to ignore this here. // L1
		if err != nil {
			return
		}
		//lint:ignore SA9001 the loop runs at most twice
		defer os.Remove(name) // L2
		defer os.Remove(name) //lint:ignore SA5001 wrong check // L3
	}
}
`;
  const known = new Set([...KNOWN, 'defer-before-error-check']);
  const { file, source } = parseFile('p/a.go', src);
  const { directives, diagnostics } = collectDirectives(source, file, { path: 'p/a.go', knownRules: known });
  assert.deepEqual(diagnostics, []);
  const fs = [finding('defer-before-error-check', lineOf(src, '// L1')), finding('defer-in-loop', lineOf(src, '// L2')), finding('defer-in-loop', lineOf(src, '// L3'))];
  const res = applySuppressions(fs, directives, { knownRules: known });
  assert.deepEqual(res.kept, [fs[2]]);
  assert.deepEqual(res.unused, []);
});
