// Finding messages are single lines, whatever code a rule quotes in them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneLine } from '../../src/analysis/pass.js';
import { tempModule } from '../cli/harness.js';

test('oneLine folds line breaks and the indentation after them', () => {
  assert.equal(oneLine('defer mu.Lock() is fine'), 'defer mu.Lock() is fine');
  assert.equal(oneLine('deferred func() {\n\t\tif err != nil {\n\t\t\tlog.Print(err)\n\t\t}\n\t}() runs'), 'deferred func() { if err != nil { log.Print(err) } }() runs');
  assert.equal(oneLine('a \r\n  b'), 'a b');
});

test('a rule quoting a deferred call written over several lines reports one line', async () => {
  const m = tempModule({
    'm.go': [
      'package m',
      '',
      'import "sync"',
      '',
      'func f(mu *sync.Mutex) {',
      '\tmu.Lock()',
      '\tdefer mu.',
      '\t\tLock()',
      '}',
      '',
    ].join('\n'),
  });
  try {
    const r = await m.run('--format', 'json', '--no-cache', '--fail-on', 'none');
    const findings = (JSON.parse(r.stdout) as { findings: { rule: string; message: string }[] }).findings.filter((f) => f.rule === 'defer-lock-mismatch');
    assert.equal(findings.length, 1, r.stdout);
    assert.ok(!findings[0]!.message.includes('\n'), findings[0]!.message);
    assert.match(findings[0]!.message, /the deferred mu\. Lock\(\)/);
  } finally {
    m.cleanup();
  }
});
