// goroutine-blocked-send confidence when the goroutine watches the channel the parent leaves on,
// which the fixture harness (messages only) does not check: a send inside a select that also has
// a case on that channel is stranded only in a race (medium); a check made once before the send
// does not help (high).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analysis/driver.js';
import { REGISTRY_URL } from '../../src/rules/index.js';
import { tempModule } from '../cli/harness.js';

test('goroutine-blocked-send: a sender that selects on the same done channel is medium confidence', async () => {
  const src = [
    'package p', //                                          1
    '',
    'import (',
    '\t"errors"',
    '\t"time"', //                                            5
    ')',
    '',
    'func watchdog(work func() error) error {',
    '\tdone := make(chan struct{})',
    '\terrs := make(chan error)', //                          10
    '\tgo func() {',
    '\t\ttimeout := time.After(time.Second)',
    '\t\tfor {',
    '\t\t\tselect {',
    '\t\t\tcase <-done:', //                                  15
    '\t\t\t\treturn',
    '\t\t\tcase <-timeout:',
    '\t\t\t\terrs <- errors.New("timeout")',
    '\t\t\t\treturn',
    '\t\t\t}', //                                             20
    '\t\t}',
    '\t}()',
    '\tgo func() {',
    '\t\twork()',
    '\t\tclose(done)', //                                     25
    '\t}()',
    '\tselect {',
    '\tcase <-done:',
    '\t\treturn nil',
    '\tcase err := <-errs:', //                               30
    '\t\treturn err',
    '\t}',
    '}',
    '',
    'func checkedOnce(done chan struct{}, work func() error) error {', // 35
    '\terrs := make(chan error)',
    '\tgo func() {',
    '\t\tselect {',
    '\t\tcase <-done:',
    '\t\t\treturn', //                                        40
    '\t\tdefault:',
    '\t\t}',
    '\t\terrs <- work()',
    '\t}()',
    '\tselect {', //                                          45
    '\tcase <-done:',
    '\t\treturn nil',
    '\tcase err := <-errs:',
    '\t\treturn err',
    '\t}', //                                                 50
    '}',
    '',
  ].join('\n');
  const m = tempModule({ 'p.go': src });
  try {
    const r = await analyze({ cwd: m.dir, registry: REGISTRY_URL, enable: ['goroutine-blocked-send'], jobs: 1, useGo: false });
    const got = r.findings.map((f) => ({ line: f.line, confidence: f.confidence, watches: /it watches the same channel/.test(f.message) }));
    assert.deepEqual(got, [
      { line: 10, confidence: 'medium', watches: true },
      { line: 36, confidence: 'high', watches: false },
    ]);
  } finally {
    m.cleanup();
  }
});
