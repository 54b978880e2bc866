// waitgroup-done-path confidence for a Done both deferred and explicit, which the fixture
// harness (messages only) does not check: an explicit Done after which the goroutine goes on with
// its loop reports other work the spawner added for (low); one before a return is the bug (high).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analysis/driver.js';
import { REGISTRY_URL } from '../../src/rules/index.js';
import { tempModule } from '../cli/harness.js';

test('waitgroup-done-path: a Done before the loop goes on is low confidence, one before a return high', async () => {
  const src = [
    'package p', //                                          1
    '',
    'import "sync"',
    '',
    'func relay(wg *sync.WaitGroup, acks <-chan int, out chan<- int) {', // 5
    '\twg.Add(2)',
    '\tgo func() {',
    '\t\tdefer wg.Done()',
    '\t\tfor {',
    '\t\t\tv, ok := <-acks', //                                10
    '\t\t\tif !ok {',
    '\t\t\t\tacks = nil',
    '\t\t\t\twg.Done()',
    '\t\t\t\tcontinue',
    '\t\t\t}', //                                              15
    '\t\t\tout <- v',
    '\t\t}',
    '\t}()',
    '}',
    '', //                                                     20
    'func work(wg *sync.WaitGroup, jobs []int) {',
    '\twg.Add(1)',
    '\tgo func() {',
    '\t\tdefer wg.Done()',
    '\t\tfor _, j := range jobs {', //                          25
    '\t\t\tif j < 0 {',
    '\t\t\t\twg.Done()',
    '\t\t\t\treturn',
    '\t\t\t}',
    '\t\t}', //                                                 30
    '\t}()',
    '}',
    '',
  ].join('\n');
  const m = tempModule({ 'p.go': src });
  try {
    const r = await analyze({ cwd: m.dir, registry: REGISTRY_URL, enable: ['waitgroup-done-path'], jobs: 1, useGo: false });
    const got = r.findings.map((f) => ({ line: f.line, severity: f.severity, confidence: f.confidence }));
    assert.deepEqual(got, [
      { line: 13, severity: 'critical', confidence: 'low' },
      { line: 27, severity: 'critical', confidence: 'high' },
    ]);
  } finally {
    m.cleanup();
  }
});
