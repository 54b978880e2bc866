// Related locations carry their own messages, which the fixture harness (primary messages only)
// does not check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analysis/driver.js';
import { REGISTRY_URL } from '../../src/rules/index.js';
import { tempModule } from '../cli/harness.js';

test('recover-ineffective names the deferred caller once: a literal and a named function', async () => {
  const src = [
    'package related',
    '',
    'func helper() {',
    '\tif r := recover(); r != nil {',
    '\t\tprintln(r)',
    '\t}',
    '}',
    '',
    'func viaLiteral() {',
    '\tdefer func() {',
    '\t\thelper()',
    '\t}()',
    '}',
    '',
    'func cleanup() { helper() }',
    '',
    'func viaNamed() {',
    '\tdefer cleanup()',
    '}',
    '',
  ].join('\n');
  const m = tempModule({ 'p.go': src });
  try {
    const r = await analyze({ cwd: m.dir, registry: REGISTRY_URL, enable: ['recover-ineffective'], jobs: 1, useGo: false });
    const related = r.findings.flatMap((f) => f.related.map((x) => x.message)).sort();
    assert.deepEqual(related, ['called here from the deferred cleanup', 'called here from the deferred function literal on line 10']);
  } finally {
    m.cleanup();
  }
});
