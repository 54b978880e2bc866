// defer-in-loop confidence in test files, which the fixture harness (messages only) does not
// check: a test ends soon after and often collects on purpose what it checks at the end, so a
// pile-up there is medium; the same code outside a test is high.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analysis/driver.js';
import { REGISTRY_URL } from '../../src/rules/index.js';
import { tempModule } from '../cli/harness.js';

const body = (name: string) => [
  `func ${name}(paths []string) int {`,
  '\tn := 0',
  '\tfor _, p := range paths {',
  '\t\tf, err := os.Open(p)',
  '\t\tif err != nil {',
  '\t\t\tcontinue',
  '\t\t}',
  '\t\tdefer f.Close()',
  '\t\tn++',
  '\t}',
  '\treturn n',
  '}',
];

test('defer-in-loop: medium in test files, high elsewhere', async () => {
  const m = tempModule({
    'p.go': ['package p', '', 'import "os"', '', ...body('count'), ''].join('\n'),
    'p_test.go': ['package p', '', 'import "os"', '', ...body('countInTest'), ''].join('\n'),
  });
  try {
    const r = await analyze({ cwd: m.dir, registry: REGISTRY_URL, enable: ['defer-in-loop'], jobs: 1, useGo: false });
    const got = r.findings.map((f) => ({ file: f.file, line: f.line, confidence: f.confidence }));
    assert.deepEqual(got, [
      { file: 'p.go', line: 12, confidence: 'high' },
      { file: 'p_test.go', line: 12, confidence: 'medium' },
    ]);
  } finally {
    m.cleanup();
  }
});
