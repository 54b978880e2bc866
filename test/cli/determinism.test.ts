// Determinism: the same input gives the same bytes in every output format, run after run, and
// whether the packages are analysed on the main thread (--jobs 1) or in worker threads (--jobs 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempModule } from './harness.js';
import { formatNames } from '../../src/report/index.js';

const FIXTURES = new URL('../../testdata/rules', import.meta.url).pathname;

test('every format, twice, with --jobs 1 and --jobs 2: byte-identical outputs', { timeout: 180_000 }, async () => {
  const m = tempModule({ 'broken/b.go': 'package broken\n\nfunc F( {\n' });
  try {
    // Several real packages: the rule fixtures (findings of many rules), plus one that does not parse.
    for (const dir of readdirSync(FIXTURES).sort()) cpSync(join(FIXTURES, dir), join(m.dir, 'pkgs', dir), { recursive: true, filter: (p) => !p.endsWith('.golden') && !p.endsWith('go.mod') });
    const names = formatNames();
    const outputs: Record<string, Buffer>[] = [];
    for (const [i, jobs] of [[0, '1'], [1, '1'], [2, '2'], [3, '2']] as const) {
      const r = await m.run('--no-cache', '--enable-all', '--fail-on', 'none', '--jobs', jobs, ...names.map((n) => `--format=${n}=out${i}.${n}`));
      assert.ok(r.status === 0 || r.status === 3, r.stderr);
      outputs.push(Object.fromEntries(names.map((n) => [n, readFileSync(join(m.dir, `out${i}.${n}`))])));
    }
    const json = JSON.parse(outputs[0]!.json!.toString('utf8')) as { findings: { rule: string; file: string }[] };
    assert.ok(new Set(json.findings.map((f) => f.rule)).size >= 5, 'findings of several rules');
    assert.ok(json.findings.some((f) => f.rule === 'syntax-error' && f.file === 'broken/b.go'), 'the broken package is reported too');
    for (const n of names) {
      for (let i = 1; i < outputs.length; i++) {
        assert.ok(outputs[i]![n]!.equals(outputs[0]![n]!), `${n}: run ${i} (--jobs ${i < 2 ? 1 : 2}) differs from run 0 (--jobs 1)`);
      }
    }
  } finally {
    m.cleanup();
  }
});
