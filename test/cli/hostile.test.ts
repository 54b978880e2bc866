// Hostile input and faults end to end through `deferguard check`: files that are not UTF-8, hold
// NUL bytes, are 50 MB, nest 100,000 parentheses, loop through symbolic links or cannot be read,
// and output paths that cannot be written. Each bad file gets its own clear message, every other
// file is still analysed and reported, the exit code says the run was incomplete, and no output
// write leaves a partial or temporary file behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempModule, type TempModule } from './harness.js';
import { OutputError, writeFileAtomic } from '../../src/cli/output.js';

const REPO = new URL('../..', import.meta.url).pathname;

const GOOD = `package m

import "os"

func F(names []string) {
	for _, n := range names {
		f, _ := os.Open(n)
		defer f.Close()
	}
}
`;

/** A module with one file that has a finding and one hostile file or directory of each kind. */
function hostileModule(): TempModule {
  const m = tempModule({
    'good.go': GOOD,
    'latin1/l.go': 'package latin1\n\n// caf\xe9\nfunc G() { s := "\xff\xfe"; _ = s }\n',
    'nul/n.go': 'package nul\n\nfunc G() { \u0000 }\n',
    'loop/ok.go': 'package loop\n\nfunc G() {}\n',
  });
  // Non-UTF-8 bytes must reach the file as bytes, not as UTF-8 encoded code points.
  writeFileSync(join(m.dir, 'latin1/l.go'), Buffer.from('package latin1\n\n// caf\xe9\nfunc G() { s := "\xff\xfe"; _ = s }\n', 'latin1'));
  mkdirSync(join(m.dir, 'big'));
  writeFileSync(join(m.dir, 'big/big.go'), 'package big\n\nvar X = "' + 'a'.repeat(50 * 1024 * 1024) + '"\n');
  mkdirSync(join(m.dir, 'deep'));
  writeFileSync(join(m.dir, 'deep/deep.go'), 'package deep\n\nvar X = ' + '('.repeat(100_000) + '1' + ')'.repeat(100_000) + '\n');
  symlinkSync('b.go', join(m.dir, 'loop/a.go'));
  symlinkSync('a.go', join(m.dir, 'loop/b.go'));
  symlinkSync('../loop', join(m.dir, 'loop/self'));
  return m;
}

test('hostile files: each gets a clear per-file error, the rest is analysed, exit 3, the same with --jobs 1 and 2', { timeout: 120_000 }, async () => {
  const m = hostileModule();
  try {
    const one = await m.run('--no-cache', '--fail-on', 'none');
    const two = await m.run('--no-cache', '--fail-on', 'none', '--jobs', '2');
    for (const r of [one, two]) {
      assert.equal(r.status, 3, r.stderr);
      // The good file is analysed and reported.
      assert.match(r.stdout, /^good\.go:8:3: high \[defer-in-loop\] file f from os\.Open on line 7/m);
      // Not UTF-8, NUL, nesting: syntax errors naming the file, line and column.
      assert.match(r.stdout, /^latin1\/l\.go:3:7: high \[syntax-error\] syntax error: illegal UTF-8 encoding/m);
      assert.match(r.stdout, /^nul\/n\.go:3:12: high \[syntax-error\] syntax error: illegal character NUL/m);
      assert.match(r.stdout, /^deep\/deep\.go:3:\d+: high \[syntax-error\] the file nests deeper than deferguard analyses \(more than 1000 levels of parentheses, blocks or calls\); the Go compiler may accept it, but the file is not analysed/m);
      // Too large and symlink loops: warnings naming each file, then the incomplete-run error.
      assert.match(r.stderr, /warning: big\/big\.go: file is 52428824 bytes, over the 20971520-byte limit; skipped/);
      assert.match(r.stderr, /warning: loop\/a\.go: cannot read: too many levels of symbolic links/);
      assert.match(r.stderr, /warning: loop\/b\.go: cannot read: too many levels of symbolic links/);
      assert.match(r.stderr, /error: 3 files or directories could not be read and were not analysed/);
      assert.doesNotMatch(r.stderr + r.stdout, /internal error|Error:|\n\s+at /, 'no crash or stack trace');
    }
    assert.equal(two.stdout, one.stdout, 'worker threads and the main thread report the same bytes');
    // The same run through JSON: every finding is there, and the bad files are named.
    const j = await m.run('--no-cache', '--fail-on', 'none', '--format', 'json');
    const files = new Set((JSON.parse(j.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file));
    assert.deepEqual([...files].sort(), ['deep/deep.go', 'good.go', 'latin1/l.go', 'nul/n.go']);
  } finally {
    m.cleanup();
  }
});

/** How to run the CLI as an unprivileged user: directly when not root, else through setpriv. */
function unprivileged(): { prefix: string[] } | { skip: string } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const r = spawnSync('setpriv', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return { skip: 'running as root and setpriv is not available: permission tests need a non-root uid' };
  return { prefix: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] };
}

function runChild(prefix: string[], args: string[], home: string): { status: number | null; stdout: string; stderr: string } {
  const script = "import { main } from './src/cli/main.ts'; process.exitCode = await main(process.argv.slice(1));";
  const cmd = [...prefix, process.execPath, '--import', 'tsx', '--input-type=module', '-e', script, '--', ...args];
  const r = spawnSync(cmd[0]!, cmd.slice(1), {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 90_000,
    env: { PATH: process.env.PATH, HOME: home, DEFERGUARD_NO_GO: '1', XDG_CACHE_HOME: join(home, '.cache') },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A world-readable temp tree (mkdtemp makes 0700 directories, which another uid cannot enter). */
function openTree(): string {
  const base = mkdtempSync(join(tmpdir(), 'deferguard-hostile-'));
  chmodSync(base, 0o755);
  return base;
}

test('unreadable file and directory: named as permission denied, the rest analysed, exit 3; an unwritable report directory is exit 2 with nothing left behind', { timeout: 120_000 }, (t) => {
  const how = unprivileged();
  if ('skip' in how) {
    t.skip(how.skip);
    return;
  }
  const base = openTree();
  try {
    const mod = join(base, 'mod');
    const home = join(base, 'home');
    mkdirSync(home, { mode: 0o777 });
    chmodSync(home, 0o777);
    mkdirSync(join(mod, 'locked'), { recursive: true });
    mkdirSync(join(mod, 'closed/sub'), { recursive: true });
    mkdirSync(join(mod, 'ro'));
    writeFileSync(join(mod, 'go.mod'), 'module example.com/m\n\ngo 1.22\n');
    writeFileSync(join(mod, 'good.go'), GOOD);
    writeFileSync(join(mod, 'locked/l.go'), 'package locked\n\nfunc G() {}\n');
    writeFileSync(join(mod, 'locked/ok.go'), 'package locked\n\nfunc H() {}\n');
    writeFileSync(join(mod, 'closed/sub/s.go'), 'package sub\n');
    for (const d of ['', 'locked', 'closed', 'ro']) chmodSync(join(mod, d), 0o755);
    chmodSync(join(mod, 'locked/l.go'), 0o000);
    chmodSync(join(mod, 'closed/sub'), 0o000);
    chmodSync(join(mod, 'ro'), 0o555);

    const r = runChild(how.prefix, ['check', '-C', mod, '--jobs', '1', '--fail-on', 'none'], home);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stdout, /^good\.go:8:3: high \[defer-in-loop\]/m);
    assert.match(r.stderr, /warning: locked\/l\.go: cannot read: permission denied/);
    assert.match(r.stderr, /warning: closed\/sub: cannot list directory: permission denied/);
    assert.match(r.stderr, /error: 2 files or directories could not be read/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');

    const w = runChild(how.prefix, ['check', '-C', mod, '--jobs', '1', '--fail-on', 'none', '--format', 'sarif=ro/out.sarif', '--format', 'text'], home);
    assert.equal(w.status, 2, w.stderr);
    assert.match(w.stderr, /cannot write the sarif report to ro\/out\.sarif: permission denied/);
    assert.deepEqual(readdirSync(join(mod, 'ro')), [], 'no report and no temp file in the read-only directory');
  } finally {
    spawnSync('chmod', ['-R', 'u+rwX', base]);
    rmSync(base, { recursive: true, force: true });
  }
});

test('a report to /dev/full is a clear exit-2 error and the device stays a device', { timeout: 60_000 }, async (t) => {
  if (!existsSync('/dev/full')) {
    t.skip('no /dev/full on this system');
    return;
  }
  const m = tempModule({ 'good.go': GOOD });
  try {
    const r = await m.run('--no-cache', '--format', 'json=/dev/full');
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /cannot write the json report to \/dev\/full: no space left on the device/);
    assert.ok(statSync('/dev/full').isCharacterDevice(), '/dev/full was not replaced by a regular file');
    assert.ok(!readdirSync('/dev').some((n) => n.startsWith('.full.')), 'no temp file next to the device');
  } finally {
    m.cleanup();
  }
});

test('atomic writes: a full file system leaves the old file intact and no temp file; a symbolic link is kept and its target replaced', (t) => {
  const base = mkdtempSync(join(tmpdir(), 'deferguard-write-'));
  try {
    // Through a symbolic link: the link stays, the target gets the new bytes.
    writeFileSync(join(base, 'real.json'), 'old');
    symlinkSync('real.json', join(base, 'link.json'));
    writeFileAtomic(join(base, 'link.json'), 'new');
    assert.ok(lstatSync(join(base, 'link.json')).isSymbolicLink());
    assert.equal(readFileSync(join(base, 'real.json'), 'utf8'), 'new');

    // A full disk: a 64 KiB tmpfs where one is allowed (root in a container), else skipped.
    const small = join(base, 'small');
    mkdirSync(small);
    const mount = process.getuid?.() === 0 ? spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', small]) : undefined;
    if (!mount || mount.error || mount.status !== 0) {
      t.diagnostic('skipped the full-disk part: cannot mount a small tmpfs here');
      return;
    }
    try {
      writeFileSync(join(small, 'report.sarif'), 'previous report');
      assert.throws(() => writeFileAtomic(join(small, 'report.sarif'), 'x'.repeat(512 * 1024), 'the sarif report', 'small/report.sarif'), (e: unknown) => {
        assert.ok(e instanceof OutputError);
        assert.equal(e.message, 'cannot write the sarif report to small/report.sarif: no space left on the device');
        return true;
      });
      assert.equal(readFileSync(join(small, 'report.sarif'), 'utf8'), 'previous report');
      assert.deepEqual(readdirSync(small), ['report.sarif'], 'the partial temp file is removed');
    } finally {
      spawnSync('umount', [small]);
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('a .go file saved as UTF-16 is a syntax-error finding, and the package is still analysed', async () => {
  const src = 'package p\n\nfunc F() {}\n';
  const m = tempModule({
    'p/ok.go': 'package p\n\nimport "os"\n\nfunc Each(ps []string) {\n\tfor _, p := range ps {\n\t\tf, _ := os.Open(p)\n\t\tdefer f.Close()\n\t}\n}\n',
    'u/u.go': src,
  });
  try {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(src, 'utf16le')]);
    writeFileSync(join(m.dir, 'p', 'wide.go'), utf16);
    writeFileSync(join(m.dir, 'u', 'u.go'), utf16);
    const r = await m.run('--format', 'json', '--no-cache');
    const found = (JSON.parse(r.stdout) as { findings: { rule: string; file: string; message: string }[] }).findings.map((f) => `${f.rule} ${f.file}`);
    assert.deepEqual(found.sort(), ['defer-in-loop p/ok.go', 'syntax-error p/wide.go', 'syntax-error u/u.go']);
    assert.equal(r.status, 1);
  } finally {
    m.cleanup();
  }
});
