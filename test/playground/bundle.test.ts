// The analyser bundled for the browser: no Node built-in may be pulled in, and the bundle must
// run where Node's globals (Buffer, process, require) do not exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { bundleForBrowser } from '../../scripts/playground.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const STDLIB = readFileSync(join(ROOT, 'data/stdlib-api.json'), 'utf8');

test('the browser entry bundles without any Node built-in', { timeout: 60_000 }, async () => {
  for (const entry of ['src/playground/analyze.ts', 'playground/app.ts']) {
    const b = await bundleForBrowser(join(ROOT, entry));
    assert.deepEqual(b.nodeImports, [], `${entry} pulls in Node built-ins`);
    const inputs = Object.keys(b.metafile.inputs);
    assert.ok(inputs.some((p) => p.endsWith('src/analysis/core.ts')), 'the engine is in the bundle');
    assert.ok(inputs.some((p) => p.endsWith('src/rules/index.ts')), 'the rules are in the bundle');
    for (const nodeOnly of ['src/load/files.ts', 'src/analysis/driver.ts', 'src/analysis/engine.ts', 'src/config/config.ts']) {
      assert.ok(!inputs.some((p) => p.endsWith(nodeOnly)), `${entry} includes ${nodeOnly}`);
    }
  }
});

test('the guard names a Node built-in when one is imported', { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dg-bundle-'));
  try {
    writeFileSync(join(dir, 'entry.ts'), "import { readFileSync } from 'node:fs';\nimport '" + join(ROOT, 'src/analysis/engine.ts') + "';\nexport const x = readFileSync;\n");
    const b = await bundleForBrowser(join(dir, 'entry.ts'));
    const paths = b.nodeImports.map((x) => x.path);
    assert.ok(paths.includes('node:fs'), JSON.stringify(b.nodeImports));
    assert.ok(b.nodeImports.some((x) => x.importer === 'src/load/files.ts'), 'the disk reader of engine.ts is caught too');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundled analyser runs without Node globals and finds a defer in a loop', { timeout: 60_000 }, async () => {
  const b = await bundleForBrowser(join(ROOT, 'src/playground/analyze.ts'), { __DEFERGUARD_STDLIB__: JSON.stringify(STDLIB) }, false, 'deferguard');
  const sandbox = { TextEncoder, TextDecoder, performance, URL, console };
  const api = runInNewContext(`${b.code}\n;deferguard`, sandbox) as {
    analyzeSource: (src: string, opts?: { goVersion?: string }) => { findings: { rule: string; line: number; message: string }[] };
  };
  assert.equal(runInNewContext('typeof Buffer + typeof process + typeof require', sandbox), 'undefinedundefinedundefined');
  const src = [
    'package main',
    '',
    'import "os"',
    '',
    '// readAll opens every file; the defers pile up.',
    'func readAll(paths []string) {',
    '\tfor _, p := range paths {',
    '\t\tf, err := os.Open(p)',
    '\t\tif err != nil {',
    '\t\t\treturn',
    '\t\t}',
    '\t\tdefer f.Close()',
    '\t}',
    '}',
    '',
  ].join('\n');
  const r = api.analyzeSource(src);
  const got = r.findings.map((f) => `${f.rule}:${f.line}`);
  assert.ok(got.includes('defer-in-loop:12'), JSON.stringify(r.findings));
  // The standard-library data was used: os.Open is known to return a file.
  assert.match(r.findings.find((f) => f.rule === 'defer-in-loop')!.message, /file f from os\.Open/);
  assert.ok(!got.some((g) => g.startsWith('internal-error')), JSON.stringify(r.findings));
});
