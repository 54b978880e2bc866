// The playground's examples: one per registered rule, each cut from the rule's fixtures, and each
// reporting its rule when analysed the way the playground analyses (one file, every rule on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectExamples, excerpt, stripWants } from '../../scripts/playground-examples.js';
import { analyzeSource } from '../../src/playground/analyze.js';
import { analyzers } from '../../src/rules/index.js';

test('every registered rule has a playground example that reports it', { timeout: 120_000 }, () => {
  const examples = collectExamples();
  const ids = analyzers.map((a) => a.meta.id);
  assert.deepEqual(examples.map((e) => e.rule), ids, 'one example per rule, in registry order');
  for (const ex of examples) {
    assert.doesNotMatch(ex.source, /\/\/\s*want\s/, `${ex.rule}: want comments are removed`);
    assert.match(ex.source, /^package \w+\n/, `${ex.rule}: a whole Go file`);
    assert.match(ex.from, new RegExp(`^testdata/rules/${ex.rule}/`), `${ex.rule}: cut from its own fixtures`);
    const r = analyzeSource(ex.source, { goVersion: ex.goVersion, ...(ex.options ? { options: ex.options } : {}) });
    const own = r.findings.filter((f) => f.rule === ex.rule);
    assert.ok(own.length > 0, `${ex.rule}: the example (from ${ex.from}) reports no finding of its rule; got ${JSON.stringify(r.findings.map((f) => f.rule))}`);
    assert.ok(!r.findings.some((f) => f.rule === 'syntax-error' || f.rule === 'internal-error'), `${ex.rule}: ${JSON.stringify(r.findings.filter((f) => f.rule.endsWith('error')))}`);
  }
});

test('stripWants and excerpt keep the flagged function and what it uses', () => {
  const src = [
    'package p',
    '',
    'import (',
    '\t"fmt"',
    '\t"os"',
    ')',
    '',
    'type T struct{ n int }',
    '',
    'func (t *T) Inc() { t.n++ }',
    '',
    'func unrelated() { fmt.Println("x") }',
    '',
    '// flagged is the one with a finding.',
    'func flagged(t *T) {',
    '\tdefer os.Exit(1) // want "something"',
    '\tt.Inc()',
    '}',
    '',
  ].join('\n');
  const clean = stripWants(src);
  assert.ok(!clean.includes('want'));
  const cut = excerpt(clean, [16]);
  // Declarations stay in source order; unrelated() and the fmt import are gone.
  assert.equal(cut, 'package p\n\nimport "os"\n\ntype T struct{ n int }\n\nfunc (t *T) Inc() { t.n++ }\n\n// flagged is the one with a finding.\nfunc flagged(t *T) {\n\tdefer os.Exit(1)\n\tt.Inc()\n}\n');
  assert.equal(excerpt(clean, [1]), undefined, 'no function holds the line');
});
