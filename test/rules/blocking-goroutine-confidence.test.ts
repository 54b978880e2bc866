// defer-blocking-call confidence in goroutines, which the fixture harness (messages only) does
// not check: a deferred wait in a goroutine nobody waits for only keeps that goroutine alive
// (medium); with a Done (or an event's Fire) deferred before it, whoever waits on it waits too
// (high); a plain function is high.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analysis/driver.js';
import { REGISTRY_URL } from '../../src/rules/index.js';
import { tempModule } from '../cli/harness.js';

test('defer-blocking-call: a deferred network call in a goroutine nobody waits for is medium confidence', async () => {
  const src = [
    'package p', //                                          1
    '',
    'import (',
    '\t"net/http"',
    '\t"sync"', //                                            5
    ')',
    '',
    'func notify(url string) { http.Get(url) }',
    '',
    'func detached(url string, work func()) {', //           10
    '\tgo func() {',
    '\t\tdefer notify(url)',
    '\t\twork()',
    '\t}()',
    '}', //                                                   15
    '',
    'func joined(url string, work func()) {',
    '\tvar wg sync.WaitGroup',
    '\twg.Add(1)',
    '\tgo func() {', //                                       20
    '\t\tdefer wg.Done()',
    '\t\tdefer notify(url)',
    '\t\twork()',
    '\t}()',
    '\twg.Wait()', //                                         25
    '}',
    '',
    'func direct(url string, work func()) {',
    '\tdefer notify(url)',
    '\twork()', //                                            30
    '}',
    '',
    'type event struct{ ch chan struct{} }',
    '',
    'func (e *event) Fire() { close(e.ch) }', //              35
    '',
    'func announced(url string, done *event, work func()) {',
    '\tgo func() {',
    '\t\tdefer done.Fire()',
    '\t\tdefer notify(url)', //                              40
    '\t\twork()',
    '\t}()',
    '}',
    '',
  ].join('\n');
  const m = tempModule({ 'p.go': src });
  try {
    const r = await analyze({ cwd: m.dir, registry: REGISTRY_URL, enable: ['defer-blocking-call'], jobs: 1, useGo: false });
    const got = r.findings.map((f) => ({ line: f.line, confidence: f.confidence, goroutine: /the goroutine running/.test(f.message) }));
    assert.deepEqual(got, [
      { line: 12, confidence: 'medium', goroutine: true },
      { line: 22, confidence: 'high', goroutine: false },
      { line: 29, confidence: 'high', goroutine: false },
      { line: 40, confidence: 'high', goroutine: false },
    ]);
  } finally {
    m.cleanup();
  }
});
