// Related locations carry their own messages, which the fixture harness (primary messages only)
// does not check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/analysis/driver.js';
import { REGISTRY_URL } from '../../src/rules/index.js';

test('recover-ineffective names the deferred caller once: a literal and a named function', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deferguard-related-'));
  try {
    writeFileSync(join(dir, 'go.mod'), 'module example.com/related\n\ngo 1.22\n');
    writeFileSync(
      join(dir, 'p.go'),
      [
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
      ].join('\n'),
    );
    const r = await analyze({ cwd: dir, registry: REGISTRY_URL, enable: ['recover-ineffective'], jobs: 1, useGo: false });
    const related = r.findings.flatMap((f) => f.related.map((x) => x.message)).sort();
    assert.deepEqual(related, ['called here from the deferred cleanup', 'called here from the deferred function literal on line 10']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
