import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, unlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changesSinceMergeBase, changesSinceRev, parseUnifiedDiff, scopeToDiff, unquoteGitPath, DiffError } from '../../src/findings/diff.js';
import type { Finding } from '../../src/findings/model.js';

const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function lines(n: number, prefix: string): string {
  return Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`).join('\n') + '\n';
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
}

function finding(file: string, line: number): Finding {
  return { rule: 'r', severity: 'high', confidence: 'high', message: 'm', related: [], file, line, column: 1, endLine: line, endColumn: 2 };
}

/** A repository with a base commit and a working tree that edits, renames, deletes, adds and changes a binary. */
function makeRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dg-diff-'));
  git(dir, 'init', '-q', '-b', 'main');
  mkdirSync(join(dir, 'pkg'));
  writeFileSync(join(dir, 'pkg/edit.go'), lines(40, 'edit'));
  writeFileSync(join(dir, 'pkg/old name.go'), lines(30, 'ren'));
  writeFileSync(join(dir, 'gone.go'), lines(5, 'gone'));
  writeFileSync(join(dir, 'nonl.go'), 'a\nb\nc');
  writeFileSync(join(dir, 'blob.bin'), Buffer.from([0, 1, 2, 3, 0, 255]));
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'base');
  git(dir, 'checkout', '-q', '-b', 'feature');

  const edit = lines(40, 'edit').split('\n');
  edit[2] = 'edit 3 changed'; // line 3
  edit.splice(20, 0, 'inserted A', 'inserted B'); // new lines 21, 22
  edit.splice(35, 1); // delete old line 34 (now index 35)
  writeFileSync(join(dir, 'pkg/edit.go'), edit.join('\n'));
  git(dir, 'mv', 'pkg/old name.go', 'pkg/new name.go');
  const ren = lines(30, 'ren').replace('ren 10\n', 'ren 10 changed\n');
  writeFileSync(join(dir, 'pkg/new name.go'), ren);
  unlinkSync(join(dir, 'gone.go'));
  writeFileSync(join(dir, 'nonl.go'), 'a\nb\nc changed');
  writeFileSync(join(dir, 'blob.bin'), Buffer.from([0, 9, 9, 0]));
  writeFileSync(join(dir, 'added.go'), lines(3, 'added'));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'feature work');
  writeFileSync(join(dir, 'untracked.go'), lines(2, 'u'));
  return dir;
}

test('parses real git diff output: edits, rename, deletion, new file, binary, no newline', { skip: hasGit ? false : 'git is not installed' }, () => {
  const dir = makeRepo();
  try {
    const patch = git(dir, '-c', 'core.quotePath=true', 'diff', '--no-color', '-M', 'main', 'HEAD');
    assert.match(patch, /rename from pkg\/old name\.go/);
    assert.match(patch, /\\ No newline at end of file/);
    assert.match(patch, /Binary files/);
    const c = parseUnifiedDiff(patch);
    assert.deepEqual([...c.keys()].sort(), ['added.go', 'blob.bin', 'gone.go', 'nonl.go', 'pkg/edit.go', 'pkg/new name.go']);
    const edit = c.get('pkg/edit.go')!;
    assert.equal(edit.status, 'modified');
    assert.deepEqual([...edit.added].sort((a, b) => a - b), [3, 21, 22]);
    assert.deepEqual([...edit.deletedAfter].sort((a, b) => a - b), [2, 35], 'a replaced line and a removed line');
    const ren = c.get('pkg/new name.go')!;
    assert.equal(ren.status, 'renamed');
    assert.equal(ren.oldPath, 'pkg/old name.go');
    assert.deepEqual([...ren.added], [10]);
    const gone = c.get('gone.go')!;
    assert.equal(gone.status, 'deleted');
    assert.equal(gone.newPath, null);
    assert.equal(gone.added.size, 0);
    assert.deepEqual([...c.get('added.go')!.added], [1, 2, 3]);
    assert.equal(c.get('added.go')!.status, 'added');
    assert.deepEqual([...c.get('nonl.go')!.added], [3]);
    assert.equal(c.get('blob.bin')!.binary, true);

    const kept = scopeToDiff([finding('pkg/edit.go', 3), finding('pkg/edit.go', 4), finding('pkg/edit.go', 22), finding('pkg/new name.go', 10), finding('gone.go', 1), finding('other.go', 1)], c).kept;
    assert.deepEqual(kept.map((f) => `${f.file}:${f.line}`), ['pkg/edit.go:3', 'pkg/edit.go:22', 'pkg/new name.go:10']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('changes from git: --new-from-rev and --new-from-merge-base', { skip: hasGit ? false : 'git is not installed' }, async () => {
  const dir = makeRepo();
  try {
    const byRev = await changesSinceRev('main', { cwd: dir });
    assert.deepEqual([...byRev.get('pkg/edit.go')!.added].sort((a, b) => a - b), [3, 21, 22]);
    assert.ok(byRev.get('untracked.go')!.added.has(2), 'untracked files are new in full');
    assert.ok(byRev.has('pkg/new name.go'), 'unquoted path with a space');
    // Since HEAD: only the untracked file.
    const sinceHead = await changesSinceRev('HEAD', { cwd: dir });
    assert.deepEqual([...sinceHead.keys()], ['untracked.go']);
    // main moves on; the merge base is still the fork point.
    git(dir, 'checkout', '-q', 'main');
    writeFileSync(join(dir, 'main-only.go'), 'x\n');
    git(dir, 'add', 'main-only.go');
    git(dir, 'commit', '-q', '-m', 'main moves');
    git(dir, 'checkout', '-q', 'feature');
    const mb = await changesSinceMergeBase('main', { cwd: dir, includeUntracked: false });
    assert.ok(!mb.has('main-only.go'));
    assert.ok(mb.has('pkg/edit.go'));
    // Paths are relative to the directory git runs in.
    const sub = await changesSinceRev('main', { cwd: join(dir, 'pkg'), includeUntracked: false });
    assert.deepEqual([...sub.keys()].sort(), ['edit.go', 'new name.go']);
    await assert.rejects(changesSinceRev('no-such-branch', { cwd: dir }), /unknown git revision "no-such-branch"/);
    await assert.rejects(changesSinceRev('--output=x', { cwd: dir }), /invalid revision/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('not a git repository is a clear error', { skip: hasGit ? false : 'git is not installed' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dg-nogit-'));
  try {
    await assert.rejects(changesSinceRev('HEAD', { cwd: dir, git: 'git' }), (e: Error) => e instanceof DiffError && /is not inside a git repository/.test(e.message));
    await assert.rejects(changesSinceRev('HEAD', { cwd: dir, git: 'definitely-not-git-xyz' }), /not found on PATH/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('plain unified diffs, quoted paths and hunks without counts', () => {
  const patch = [
    '--- a/x.go\t2024-01-01 00:00:00',
    '+++ b/x.go\t2024-01-02 00:00:00',
    '@@ -1 +1 @@',
    '-old',
    '+new',
    '@@ -10,0 +11,2 @@ func f() {',
    '+-- looks like a header',
    '+++ also content',
    'diff --git "a/caf\\303\\251.go" "b/caf\\303\\251.go"',
    'index 1..2 100644',
    '--- "a/caf\\303\\251.go"',
    '+++ "b/caf\\303\\251.go"',
    '@@ -5,2 +5,2 @@',
    ' keep',
    '-gone',
    '+here',
    '\\ No newline at end of file',
    '',
  ].join('\n');
  const c = parseUnifiedDiff(patch);
  assert.deepEqual([...c.get('x.go')!.added], [1, 11, 12]);
  assert.deepEqual([...c.get('café.go')!.added], [6]);
  assert.equal(unquoteGitPath('"tab\\there"'), 'tab\there');
  assert.equal(unquoteGitPath('plain'), 'plain');
  assert.equal(parseUnifiedDiff('').size, 0);
});
