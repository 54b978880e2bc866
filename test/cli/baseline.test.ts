// Baseline round trip (fingerprints survive lines moving), diff scoping against a real git
// repository and a patch file, and suppression directives (reasons, unused ones).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../src/findings/model.js';
import { tempModule } from './harness.js';

const TWO = 'package p\n\nimport "os"\n\nfunc A(ps []string) {\n\tfor _, p := range ps {\n\t\tf, _ := os.Open(p)\n\t\tdefer f.Close()\n\t}\n}\n\nfunc B(ps []string) {\n\tfor _, p := range ps {\n\t\tg, _ := os.Open(p)\n\t\tdefer g.Close()\n\t}\n}\n';

function found(stdout: string): [string, number][] {
  return (JSON.parse(stdout).findings as Finding[]).map((f) => [f.file, f.line]);
}

test('baseline: written, survives moved lines, reports new findings and fixed entries', async () => {
  const m = tempModule({ 'p/p.go': TWO });
  try {
    let r = await m.run('--write-baseline', 'dg-baseline.json', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /baseline: wrote 2 accepted findings to dg-baseline\.json/);
    assert.deepEqual(found(r.stdout), []);
    const b = JSON.parse(readFileSync(join(m.dir, 'dg-baseline.json'), 'utf8')) as { version: number; entries: { line: number; fingerprint: string }[] };
    assert.equal(b.version, 1);
    assert.deepEqual(b.entries.map((e) => e.line), [8, 15]);
    // Unrelated edits move both findings down five lines: still accepted.
    const moved = TWO.replace('import "os"\n', 'import "os"\n\n// A comment\n// that pushes\n// everything\n// down.\n');
    m.write('p/p.go', moved);
    r = await m.run('--baseline', 'dg-baseline.json', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(found(r.stdout), []);
    assert.match(r.stderr, /2 accepted findings still present, none fixed/);
    // Without the baseline both are there, at their new lines.
    r = await m.run('--format', 'json');
    assert.deepEqual(found(r.stdout), [['p/p.go', 13], ['p/p.go', 20]]);
    // Fix B's loop and add a new one: the new one is reported, B's entry is listed as fixed.
    const next = moved.replace('\t\tdefer g.Close()\n', '\t\tg.Close()\n') + '\nfunc C(ps []string) {\n\tfor _, p := range ps {\n\t\th, _ := os.Open(p)\n\t\tdefer h.Close()\n\t}\n}\n';
    m.write('p/p.go', next);
    r = await m.run('--baseline', 'dg-baseline.json', '--format', 'json');
    assert.equal(r.status, 1);
    assert.deepEqual(found(r.stdout), [['p/p.go', 27]]);
    assert.match(r.stderr, /1 accepted finding still present; 1 entry fixed since it was written/);
    assert.match(r.stderr, /fixed: p\/p\.go:15: \[defer-in-loop\] file g from os\.Open/);
    // The baseline can come from the configuration (relative to the config file).
    m.write('.deferguard.yml', 'baseline: dg-baseline.json\n');
    r = await m.run('--format', 'json');
    assert.deepEqual(found(r.stdout), [['p/p.go', 27]]);
    // A missing or broken baseline is an error, exit 2.
    r = await m.run('--baseline', 'nope.json');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /baseline file .*nope\.json does not exist \(create it with --write-baseline\)/);
    m.write('bad.json', '{"version": 7, "entries": []}');
    r = await m.run('--baseline', 'bad.json');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unsupported baseline version 7/);
  } finally {
    m.cleanup();
  }
});

function git(dir: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
}

const hasGit = spawnSync('git', ['--version']).status === 0;

test('diff scoping: --new-from-rev, --new-from-merge-base and --new-from-patch keep findings on changed lines', { skip: hasGit ? false : 'git is not installed' }, async () => {
  const m = tempModule({ 'p/p.go': TWO });
  try {
    git(m.dir, 'init', '-q');
    git(m.dir, 'add', '.');
    git(m.dir, 'commit', '-q', '-m', 'base');
    git(m.dir, 'checkout', '-q', '-b', 'feature');
    // A new finding in an edited file, lines moved above the old ones, and a new untracked file.
    const edited = TWO.replace('import "os"\n', 'import "os"\n\n// moved\n') + '\nfunc C(ps []string) {\n\tfor _, p := range ps {\n\t\th, _ := os.Open(p)\n\t\tdefer h.Close()\n\t}\n}\n';
    m.write('p/p.go', edited);
    git(m.dir, 'commit', '-q', '-am', 'feature');
    m.write('q/q.go', TWO.replace('package p', 'package q'));
    let r = await m.run('--format', 'json');
    assert.equal(found(r.stdout).length, 5);
    r = await m.run('--new-from-rev', 'HEAD~1', '--format', 'json');
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(found(r.stdout), [['p/p.go', 24], ['q/q.go', 8], ['q/q.go', 15]]);
    r = await m.run('--new-from-rev', 'HEAD', '--format', 'json');
    assert.deepEqual(found(r.stdout), [['q/q.go', 8], ['q/q.go', 15]], 'committed changes are older than HEAD; the untracked file is new');
    r = await m.run('--new-from-merge-base', 'main', '--format', 'json');
    assert.deepEqual(found(r.stdout), [['p/p.go', 24], ['q/q.go', 8], ['q/q.go', 15]]);
    r = await m.run('--new-from-rev', 'no-such-rev');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown git revision "no-such-rev"/);
    // A patch file: only the lines it adds.
    const patch = spawnSync('git', ['diff', 'HEAD~1', 'HEAD'], { cwd: m.dir, encoding: 'utf8' }).stdout;
    m.write('change.patch', patch);
    r = await m.run('--new-from-patch', 'change.patch', '--format', 'json');
    assert.deepEqual(found(r.stdout), [['p/p.go', 24]]);
    r = await m.run('--new-from-patch', 'missing.patch');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read the patch missing\.patch: no such file/);
    r = await m.run('--new-from-patch', 'change.patch', '--new-from-rev', 'HEAD');
    assert.equal(r.status, 2);
  } finally {
    m.cleanup();
  }
});

test('suppressions: a directive without a reason is reported; --report-unused-ignores lists idle ones', async () => {
  const src = [
    'package p', '', 'import "os"', '',
    'func A(ps []string) {', '\tfor _, p := range ps {', '\t\tf, _ := os.Open(p)',
    '\t\tdefer f.Close() //deferguard:ignore defer-in-loop', // 8: no reason
    '\t}', '}', '',
    'func B(ps []string) {', '\tfor _, p := range ps {', '\t\tg, _ := os.Open(p)',
    '\t\t//nolint:defer-in-loop // bounded: at most three names', // 15
    '\t\tdefer g.Close()',
    '\t}', '}', '',
    'func C() {',
    '\t//deferguard:ignore defer-nil-func,defer-in-lop nothing to suppress here', // 21
    '\t_ = 1', '}', '',
  ].join('\n');
  const m = tempModule({ 'p/p.go': src });
  try {
    let r = await m.run('--format', 'json', '-v');
    assert.equal(r.status, 0, r.stderr); // both loops suppressed; directive problems are low
    const msgs = (s: string) => (JSON.parse(s).findings as Finding[]).map((f) => `${f.line} ${f.rule}: ${f.message}`);
    assert.deepEqual(msgs(r.stdout), [
      '8 suppression-directive: //deferguard:ignore defer-in-loop has no reason; add why the finding is acceptable after the rule list',
      '21 suppression-directive: //deferguard:ignore names unknown rule "defer-in-lop"; did you mean "defer-in-loop"?',
    ]);
    assert.match(r.stderr, /2 suppressed/);
    r = await m.run('--format', 'json', '--report-unused-ignores');
    assert.deepEqual(msgs(r.stdout).slice(2), ['21 suppression-directive: unused suppression for defer-nil-func: no such finding on lines 21-22']);
    // A used //nolint:<rule> is not reported; removing the loop makes it unused.
    m.write('p/p.go', src.replace('\t\tdefer g.Close()', '\t\tg.Close()'));
    r = await m.run('--format', 'json', '--report-unused-ignores');
    assert.ok(msgs(r.stdout).some((x) => x.startsWith('15 suppression-directive: unused suppression for defer-in-loop')), msgs(r.stdout).join('\n'));
    // The configuration can ask for it too.
    m.write('.deferguard.yml', 'report-unused-ignores: true\n');
    r = await m.run('--format', 'json');
    assert.equal(msgs(r.stdout).filter((x) => x.includes('unused suppression')).length, 2);
  } finally {
    m.cleanup();
  }
});
