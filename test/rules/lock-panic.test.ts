// lock-leaked-on-return on panic paths: severity and confidence, which the fixture harness
// (messages only) does not check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analysis/driver.js';
import { REGISTRY_URL } from '../../src/rules/index.js';
import { tempModule } from '../cli/harness.js';

test('lock-leaked-on-return: a panic with the lock held is high; medium, or low for a constant message', async () => {
  const src = [
    'package lockpanic',
    '',
    'import "sync"',
    '',
    'func get(mu *sync.Mutex, m map[string]int, k string) int {',
    '\tmu.Lock()',
    '\tv, ok := m[k]',
    '\tif !ok {',
    '\t\tpanic("missing " + k)',
    '\t}',
    '\tmu.Unlock()',
    '\treturn v',
    '}',
    '',
    'func dec(mu *sync.Mutex, n *int) {',
    '\tmu.Lock()',
    '\t*n--',
    '\tif *n < 0 {',
    '\t\tpanic("negative count")',
    '\t}',
    '\tmu.Unlock()',
    '}',
    '',
    'func early(mu *sync.Mutex, n *int) {',
    '\tmu.Lock()',
    '\tif *n < 0 {',
    '\t\treturn',
    '\t}',
    '\tif *n > 100 {',
    '\t\tpanic("too many")',
    '\t}',
    '\tmu.Unlock()',
    '}',
    '',
  ].join('\n');
  const m = tempModule({ 'p.go': src });
  try {
    const r = await analyze({ cwd: m.dir, registry: REGISTRY_URL, enable: ['lock-leaked-on-return'], jobs: 1, useGo: false });
    const got = r.findings.map((f) => ({ line: f.line, severity: f.severity, confidence: f.confidence, panic: f.message.includes('before the panic') }));
    assert.deepEqual(got, [
      { line: 6, severity: 'high', confidence: 'medium', panic: true },
      { line: 16, severity: 'high', confidence: 'low', panic: true },
      // A leaking return is the finding when there is one, at the rule's own severity.
      { line: 25, severity: 'critical', confidence: 'high', panic: false },
    ]);
  } finally {
    m.cleanup();
  }
});
