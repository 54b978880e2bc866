// --fix and --diff: golden files (the fixture module is copied to a temp dir, fixed in place and
// compared byte for byte), a diff that patch(1) applies to the same result, fixes that would
// break the code are refused, and output files are written atomically.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyEdits, FixError, planFixes, unifiedDiff } from '../../src/findings/fix.js';
import type { Finding } from '../../src/findings/model.js';
import { writeFileAtomic, OutputError } from '../../src/cli/output.js';
import { baseEnv, runCli } from './harness.js';

const FIXTURE = fileURLToPath(new URL('../../testdata/cli/fix/', import.meta.url));

function copyFixture(): { dir: string; env: Record<string, string | undefined>; cleanup: () => void } {
  const base = mkdtempSync(join(tmpdir(), 'deferguard-fix-'));
  const dir = join(base, 'mod');
  cpSync(FIXTURE, dir, { recursive: true });
  return { dir, env: baseEnv(base), cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

test('--fix rewrites the fixture to the golden files and reports only what is left', async () => {
  const m = copyFixture();
  try {
    const r = await runCli(['check', '-C', m.dir, '--jobs', '1', '--fix', '--format', 'json'], m.env);
    assert.equal(r.status, 1, r.stderr); // defer-in-loop has no fix and is high
    for (const f of ['store/store.go', 'store/trace.go']) {
      assert.equal(readFileSync(join(m.dir, f), 'utf8'), readFileSync(join(FIXTURE, `${f}.golden`), 'utf8'), `${f} matches its golden file`);
    }
    const left = JSON.parse(r.stdout).findings as Finding[];
    assert.deepEqual(left.map((f) => [f.rule, f.file, f.line]), [['defer-in-loop', 'store/store.go', 35]]);
    assert.match(r.stderr, /fixed 3 findings in 2 files/);
    // No temp files are left behind next to the fixed sources.
    assert.deepEqual(readdirSync(join(m.dir, 'store')).filter((n) => n.endsWith('.tmp')), []);
    // A second run finds nothing more to fix and changes nothing.
    const again = await runCli(['check', '-C', m.dir, '--jobs', '1', '--fix'], m.env);
    assert.doesNotMatch(again.stderr, /fixed/);
    assert.equal(readFileSync(join(m.dir, 'store/trace.go'), 'utf8'), readFileSync(join(FIXTURE, 'store/trace.go.golden'), 'utf8'));
  } finally {
    m.cleanup();
  }
});

test('--diff prints the golden unified diff, changes no file, and patch applies it', async () => {
  const m = copyFixture();
  try {
    const before = readFileSync(join(m.dir, 'store/store.go'), 'utf8');
    const r = await runCli(['check', '-C', m.dir, '--jobs', '1', '--diff'], m.env);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, readFileSync(join(FIXTURE, 'fix.diff.golden'), 'utf8'));
    assert.equal(readFileSync(join(m.dir, 'store/store.go'), 'utf8'), before);
    assert.match(r.stderr, /4 findings: 1 critical, 3 high/);
    const p = spawnSync('patch', ['-s', '-p1'], { cwd: m.dir, input: r.stdout, encoding: 'utf8' });
    if (!p.error) {
      assert.equal(p.status, 0, p.stderr);
      assert.equal(readFileSync(join(m.dir, 'store/store.go'), 'utf8'), readFileSync(join(FIXTURE, 'store/store.go.golden'), 'utf8'));
    }
    const both = await runCli(['check', '-C', m.dir, '--diff', '--format', 'json'], m.env);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /--diff prints the fixes to standard output/);
  } finally {
    m.cleanup();
  }
});

const SRC = 'package p\n\nfunc f() {\n\tdefer g()\n}\n\nfunc g() {}\n';

function finding(rule: string, offset: number, endOffset: number, newText: string, line = 4): Finding {
  return {
    rule, severity: 'high', confidence: 'high', message: 'm', related: [], file: 'p.go', line, column: 2, endLine: line, endColumn: 2,
    fixes: [{ message: 'fix', edits: [{ file: 'p.go', offset, endOffset, newText }] }],
  };
}

test('planFixes refuses a fix whose result does not parse, skips overlaps and unfixable rules', () => {
  const src = Buffer.from(SRC);
  const at = SRC.indexOf('defer g()');
  const fixable = (r: string) => r !== 'not-fixable';
  // Deleting the closing brace breaks the file: nothing is planned for it.
  const brace = SRC.indexOf('}');
  const broken = planFixes([finding('r', brace, brace + 1, '')], fixable, () => src);
  assert.equal(broken.files.length, 0);
  assert.equal(broken.broken.length, 1);
  assert.equal(broken.broken[0]!.file, 'p.go');
  // Removing "defer " is fine; a second fix overlapping it is skipped; an unfixable rule is skipped.
  const ok = planFixes([finding('r', at, at + 6, ''), finding('r', at + 2, at + 4, 'x'), finding('not-fixable', 0, 0, '// x\n')], fixable, () => src);
  assert.equal(ok.files.length, 1);
  assert.equal(ok.files[0]!.after.toString(), SRC.replace('defer g()', 'g()'));
  assert.deepEqual(ok.skipped.map((s) => s.reason), ['rule not-fixable does not offer safe fixes', 'the fix overlaps another fix in the same place; run again to apply it']);
  // An edit past the end of the file (the file changed since the analysis) is skipped.
  const stale = planFixes([finding('r', 10, 10_000, '')], fixable, () => src);
  assert.equal(stale.files.length, 0);
  assert.match(stale.skipped[0]!.reason, /outside the file/);
  assert.throws(() => applyEdits(src, [{ offset: 5, endOffset: 8, newText: '' }, { offset: 6, endOffset: 7, newText: '' }]), FixError);
});

test('unifiedDiff: minimal hunks that patch applies, including a missing final newline', () => {
  const cases: [string, string][] = [
    ['a\nb\nc\n', 'a\nB\nc\n'],
    ['a\nb\nc', 'a\nb\nc\nd'],
    [Array.from({ length: 40 }, (_, i) => `l${i}\n`).join(''), Array.from({ length: 40 }, (_, i) => (i === 3 || i === 30 ? `x${i}\n` : `l${i}\n`)).join('')],
    ['x\n', ''],
    ['', 'new\n'],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'deferguard-udiff-'));
  try {
    for (const [a, b] of cases) {
      const d = unifiedDiff('f.txt', a, b);
      writeFileSync(join(dir, 'f.txt'), a);
      const p = spawnSync('patch', ['-s', '-p1'], { cwd: dir, input: d, encoding: 'utf8' });
      if (p.error) continue; // no patch(1) on this machine
      assert.equal(p.status, 0, `${d}\n${p.stderr}`);
      assert.equal(readFileSync(join(dir, 'f.txt'), 'utf8'), b, d);
    }
    // Two distant changes give two hunks with 3 lines of context each.
    const d = unifiedDiff('f.txt', cases[2]![0], cases[2]![1]);
    assert.deepEqual(d.split('\n').filter((l) => l.startsWith('@@')), ['@@ -1,7 +1,7 @@', '@@ -28,7 +28,7 @@']);
    assert.equal(unifiedDiff('f.txt', 'same\n', 'same\n'), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('output files: an unwritable path is exit 2 before any analysis; writes are atomic', async () => {
  const m = copyFixture();
  try {
    const r = await runCli(['check', '-C', m.dir, '--jobs', '1', '--format', 'sarif=no/such/dir/out.sarif'], m.env);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot write the sarif report to no\/such\/dir\/out\.sarif: the directory does not exist/);
    assert.equal(r.stdout, '');
    const wb = await runCli(['check', '-C', m.dir, '--write-baseline', 'store'], m.env);
    assert.equal(wb.status, 2);
    assert.match(wb.stderr, /cannot write the baseline to store: it is a directory/);
    // A file in the way is replaced whole; a failed write leaves the old content and no temp file.
    const target = join(m.dir, 'report.txt');
    writeFileSync(target, 'old');
    writeFileAtomic(target, 'new content');
    assert.equal(readFileSync(target, 'utf8'), 'new content');
    // A rename that fails (the target is a non-empty directory) leaves no temp file behind.
    assert.throws(() => writeFileAtomic(join(m.dir, 'store'), 'x'), (e: unknown) => e instanceof OutputError && /it is a directory|ENOTEMPTY|EISDIR/.test(e.message));
    assert.deepEqual(readdirSync(m.dir).filter((n) => n.endsWith('.tmp')), []);
    if (process.getuid?.() !== 0) {
      const ro = join(m.dir, 'ro');
      cpSync(join(m.dir, 'store'), ro, { recursive: true });
      writeFileSync(join(ro, 'out.json'), 'previous');
      chmodSync(ro, 0o555);
      try {
        assert.throws(() => writeFileAtomic(join(ro, 'out.json'), 'x'.repeat(100_000)), (e: unknown) => e instanceof OutputError && /permission denied/.test(e.message));
        assert.equal(readFileSync(join(ro, 'out.json'), 'utf8'), 'previous');
        assert.deepEqual(readdirSync(ro).filter((n) => n.endsWith('.tmp')), []);
        const cli = await runCli(['check', '-C', m.dir, '--format', 'json=ro/out.json'], m.env);
        assert.equal(cli.status, 2);
        assert.match(cli.stderr, /permission denied/);
      } finally {
        chmodSync(ro, 0o755);
      }
    }
    assert.ok(!existsSync(join(m.dir, 'no')));
  } finally {
    m.cleanup();
  }
});

test('applyEdits keeps a CRLF file CRLF: inserted lines get the same line ending', () => {
  const src = Buffer.from('package p\r\n\r\nfunc f() {\r\n\tmu.Lock()\r\n}\r\n');
  const at = src.indexOf('}');
  const out = applyEdits(src, [{ offset: at, endOffset: at, newText: 'defer mu.Unlock()\n' }]).toString();
  assert.equal(out, 'package p\r\n\r\nfunc f() {\r\n\tmu.Lock()\r\ndefer mu.Unlock()\r\n}\r\n');
  // An LF file is left LF.
  const lf = Buffer.from('a\nb\n');
  assert.equal(applyEdits(lf, [{ offset: 2, endOffset: 2, newText: 'x\n' }]).toString(), 'a\nx\nb\n');
});
