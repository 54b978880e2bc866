// exit-skips-defer confidence, which the fixture harness (messages only) does not check: a
// pending *os.File close alone is low; with other cleanup pending it is not even listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analysis/driver.js';
import { REGISTRY_URL } from '../../src/rules/index.js';
import { tempModule } from '../cli/harness.js';

test('exit-skips-defer: a file close alone is low confidence; other cleanup is high and named alone', async () => {
  const src = [
    'package main',
    '',
    'import (',
    '\t"log"',
    '\t"os"',
    ')',
    '',
    'func main() {',
    '\tf, err := os.Open("config.json")',
    '\tif err != nil {',
    '\t\tlog.Fatal(err)',
    '\t}',
    '\tdefer f.Close()',
    '\tif len(os.Args) > 2 {',
    '\t\tlog.Fatal("too many arguments")',
    '\t}',
    '\tdefer os.RemoveAll("/tmp/work")',
    '\tif len(os.Args) > 1 {',
    '\t\tos.Exit(2)',
    '\t}',
    '}',
    '',
  ].join('\n');
  const m = tempModule({ 'main.go': src });
  try {
    const r = await analyze({ cwd: m.dir, registry: REGISTRY_URL, enable: ['exit-skips-defer'], jobs: 1, useGo: false });
    const got = r.findings.map((f) => ({ line: f.line, confidence: f.confidence, close: f.message.includes('f.Close()'), remove: f.message.includes('os.RemoveAll') }));
    assert.deepEqual(got, [
      { line: 15, confidence: 'low', close: true, remove: false },
      { line: 19, confidence: 'high', close: false, remove: true },
    ]);
  } finally {
    m.cleanup();
  }
});
