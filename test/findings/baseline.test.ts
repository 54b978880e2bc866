import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyBaseline, BaselineError, createBaseline, parseBaseline, readBaselineFile, serializeBaseline, writeBaselineFile } from '../../src/findings/baseline.js';
import type { Finding } from '../../src/findings/model.js';

function f(fp: string, line: number, rule = 'defer-in-loop', file = 'a.go'): Finding {
  return { rule, severity: 'high', confidence: 'high', message: `m${line}`, related: [], file, line, column: 1, endLine: line, endColumn: 2, fingerprint: fp };
}

test('baseline round trip: new, baselined and fixed entries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dg-baseline-'));
  try {
    const path = join(dir, 'sub', '.deferguard-baseline.json');
    const old = [f('aa', 10), f('bb', 20, 'exit-skips-defer', 'b.go'), f('cc', 30), f('cc', 31)];
    writeBaselineFile(path, createBaseline(old, '1.2.3'));
    const text = readFileSync(path, 'utf8');
    assert.ok(text.endsWith('\n'));
    const b = readBaselineFile(path);
    assert.equal(b.version, 1);
    assert.deepEqual(b.tool, { name: 'deferguard', version: '1.2.3' });
    assert.deepEqual(b.entries.map((e) => e.fingerprint), ['aa', 'cc', 'cc', 'bb']);
    assert.equal(serializeBaseline(b), text, 'serialisation is stable');

    // aa moved (same fingerprint), bb fixed, one of the two cc fixed, dd new.
    const now = [f('aa', 14), f('cc', 33), f('dd', 40)];
    const r = applyBaseline(now, b);
    assert.deepEqual(r.baselined.map((x) => x.fingerprint), ['aa', 'cc']);
    assert.deepEqual(r.fresh.map((x) => x.fingerprint), ['dd']);
    assert.deepEqual(r.fixed.map((e) => [e.fingerprint, e.file, e.line]), [['cc', 'a.go', 31], ['bb', 'b.go', 20]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad baselines give clear errors', () => {
  assert.throws(() => parseBaseline('{', 'x.json'), (e: Error) => e instanceof BaselineError && /x\.json: not valid JSON/.test(e.message));
  assert.throws(() => parseBaseline('{"version":2,"entries":[]}', 'x.json'), /unsupported baseline version 2/);
  assert.throws(() => parseBaseline('{"version":1,"entries":[{"rule":"r","file":"f"}]}', 'x.json'), /entries\[0\]: "fingerprint" must be a non-empty string/);
  assert.throws(() => parseBaseline('[]', 'x.json'), /expected a JSON object/);
  assert.throws(() => readBaselineFile('/nonexistent/dg.json'), /does not exist/);
  assert.throws(() => createBaseline([{ ...f('x', 1), fingerprint: undefined }], '1'), /no fingerprint/);
  const dir = mkdtempSync(join(tmpdir(), 'dg-baseline-'));
  try {
    writeFileSync(join(dir, 'b.json'), '{"version":1,"entries":"nope"}');
    assert.throws(() => readBaselineFile(join(dir, 'b.json')), /"entries" must be an array/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
