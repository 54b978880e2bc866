import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyGate, countBySeverity, dedupe, filterByConfidence, parseConfidence, parseFailOn, sortFindings } from '../../src/findings/gate.js';
import type { Confidence, Finding, Severity } from '../../src/findings/model.js';

function f(severity: Severity, file: string, line: number, extra: Partial<Finding> = {}): Finding {
  return { rule: 'r', severity, confidence: 'high', message: 'm', related: [], file, line, column: 1, endLine: line, endColumn: 2, ...extra };
}

test('severity gate', () => {
  const fs = [f('low', 'a.go', 1), f('medium', 'a.go', 2), f('high', 'a.go', 3)];
  assert.deepEqual(applyGate(fs, 'high').blocking.map((x) => x.line), [3]);
  assert.equal(applyGate(fs, 'critical').failed, false);
  assert.equal(applyGate(fs, 'low').blocking.length, 3);
  assert.equal(applyGate(fs, 'none').failed, false);
  assert.equal(parseFailOn(' HIGH '), 'high');
  assert.throws(() => parseFailOn('severe'), /invalid --fail-on value "severe": use one of critical, high, medium, low, none/);
  assert.deepEqual(countBySeverity(fs), { critical: 0, high: 1, medium: 1, low: 1 });
});

test('confidence filter', () => {
  const c = (confidence: Confidence, line: number) => f('high', 'a.go', line, { confidence });
  assert.deepEqual(filterByConfidence([c('low', 1), c('medium', 2), c('high', 3)], 'medium').map((x) => x.line), [2, 3]);
  assert.throws(() => parseConfidence('sure'), /invalid --min-confidence value "sure": use one of low, medium, high/);
});

test('dedupe merges duplicates, keeps the strongest and sorts', () => {
  const rel = { file: 'a.go', line: 1, column: 1, endLine: 1, endColumn: 2, message: 'opened here' };
  const out = dedupe([
    f('medium', 'b.go', 5, { confidence: 'low' }),
    f('low', 'a.go', 9),
    f('high', 'b.go', 5, { related: [rel] }),
    f('medium', 'b.go', 5, { related: [rel] }),
  ]);
  assert.deepEqual(out.map((x) => [x.file, x.line, x.severity, x.confidence, x.related.length]), [
    ['a.go', 9, 'low', 'high', 0],
    ['b.go', 5, 'high', 'high', 1],
  ]);
  const a = sortFindings([f('low', 'b.go', 1), f('low', 'a.go', 2), f('low', 'a.go', 1, { rule: 'z' }), f('low', 'a.go', 1)]);
  assert.deepEqual(a.map((x) => `${x.file}:${x.line}:${x.rule}`), ['a.go:1:r', 'a.go:1:z', 'a.go:2:r', 'b.go:1:r']);
});
