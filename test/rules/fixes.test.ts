// Suggested fixes, checked against golden files: the rule runs alone over its fixture module,
// the first fix of every finding in the named file is applied, and the result must equal
// `<file>.golden` byte for byte and still parse. Add a row per fixable rule and fixture file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/analysis/driver.js';
import { parseFile } from '../../src/syntax/parser.js';
import { REGISTRY_URL } from '../../src/rules/index.js';
import type { Finding } from '../../src/findings/model.js';

const ROOT = new URL('../../testdata/rules/', import.meta.url).pathname;

interface Case {
  rule: string;
  /** Module directory under testdata/rules. */
  module: string;
  /** File inside the module, as findings name it. */
  file: string;
  /** How many findings of the file carry a fix (guards against a fix silently disappearing). */
  fixes: number;
}

const CASES: Case[] = [
  { rule: 'goroutine-blocked-send', module: 'goroutine-blocked-send', file: 'blocked.go', fixes: 9 },
  { rule: 'lock-leaked-on-return', module: 'lock-leaked-on-return/basic', file: 'positive.go', fixes: 9 },
];

interface Edit {
  offset: number;
  endOffset: number;
  newText: string;
}

/** Applies non-overlapping byte-offset edits to a buffer; overlapping edits are an error. */
export function applyEdits(src: Buffer, edits: readonly Edit[]): Buffer {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.endOffset - b.endOffset);
  const parts: Buffer[] = [];
  let at = 0;
  for (const e of sorted) {
    if (e.offset < at) throw new Error(`overlapping edits at byte ${e.offset}`);
    if (e.endOffset < e.offset || e.endOffset > src.length) throw new Error(`edit [${e.offset}, ${e.endOffset}) is outside the file`);
    parts.push(src.subarray(at, e.offset), Buffer.from(e.newText, 'utf8'));
    at = e.endOffset;
  }
  parts.push(src.subarray(at));
  return Buffer.concat(parts);
}

function fixEdits(findings: readonly Finding[], file: string): Edit[] {
  const edits: Edit[] = [];
  for (const f of findings) {
    const fix = f.fixes?.[0];
    if (!fix) continue;
    for (const e of fix.edits) {
      assert.equal(e.file, file, `a fix of ${f.file}:${f.line} edits another file (${e.file})`);
      edits.push(e);
    }
  }
  return edits;
}

for (const c of CASES) {
  test(`fixes of ${c.rule} in ${c.module}/${c.file} match the golden file`, async () => {
    const dir = join(ROOT, c.module);
    const r = await analyze({ cwd: dir, registry: REGISTRY_URL, enable: [c.rule], jobs: 1, useGo: false });
    const mine = r.findings.filter((f) => f.rule === c.rule && f.file === c.file);
    assert.equal(mine.filter((f) => (f.fixes?.length ?? 0) > 0).length, c.fixes, 'findings with a fix');
    const src = readFileSync(join(dir, c.file));
    const out = applyEdits(src, fixEdits(mine, c.file));
    const goldenPath = join(dir, `${c.file}.golden`);
    if (process.env.DEFERGUARD_UPDATE_GOLDEN === '1') writeFileSync(goldenPath, out);
    assert.ok(existsSync(goldenPath), `${c.module}/${c.file}.golden is missing (run with DEFERGUARD_UPDATE_GOLDEN=1 to create it, then review it)`);
    assert.equal(out.toString('utf8'), readFileSync(goldenPath, 'utf8'));
    assert.deepEqual(parseFile(c.file, out).errors, [], 'the fixed file still parses');
    // The fixed code no longer has the findings that carried a fix.
    const tmp = mkdtempSync(join(tmpdir(), 'deferguard-fix-'));
    try {
      copyFileSync(join(dir, 'go.mod'), join(tmp, 'go.mod'));
      writeFileSync(join(tmp, c.file), out);
      const again = await analyze({ cwd: tmp, registry: REGISTRY_URL, enable: [c.rule], jobs: 1, useGo: false });
      const fixedLines = new Set(mine.filter((f) => f.fixes?.length).map((f) => f.line));
      assert.deepEqual(again.findings.filter((f) => f.file === c.file && fixedLines.has(f.line)).map((f) => `${f.line}: ${f.message}`), []);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}

test('applyEdits applies in offset order and rejects overlaps', () => {
  const src = Buffer.from('make(chan int) make(chan T, 0)');
  assert.equal(applyEdits(src, [{ offset: 28, endOffset: 29, newText: '1' }, { offset: 13, endOffset: 13, newText: ', 1' }]).toString(), 'make(chan int, 1) make(chan T, 1)');
  assert.throws(() => applyEdits(src, [{ offset: 2, endOffset: 6, newText: '' }, { offset: 4, endOffset: 5, newText: '' }]), /overlapping/);
  assert.throws(() => applyEdits(src, [{ offset: 2, endOffset: 99, newText: '' }]), /outside/);
});
