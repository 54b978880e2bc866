// deferguard ast: the tree as JSON with line:col positions, node counts, syntax errors on stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e',
      "import { main } from './src/cli/main.ts'; process.exitCode = await main(process.argv.slice(1));", ...args],
    { cwd: root, encoding: 'utf8' },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withFile(src: string, fn: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'deferguard-ast-'));
  try {
    const p = join(dir, 'x.go');
    writeFileSync(p, src);
    fn(p);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('ast prints the tree as JSON with line:col positions and null for absent ones', () => {
  withFile('package p\n\nfunc f(c chan<- int) {\n\tdefer close(c)\n}\n', (p) => {
    const r = cli('ast', p);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const tree = JSON.parse(r.stdout);
    assert.equal(tree.kind, 'File');
    assert.equal(tree.package, '1:1');
    assert.equal(tree.name.namePos, '1:9');
    assert.equal('imports' in tree, false);
    const fn = tree.decls[0];
    assert.equal(fn.kind, 'FuncDecl');
    const defer = fn.body.list[0];
    assert.deepEqual([defer.kind, defer.defer, defer.call.fun.name, defer.call.lparen, defer.call.ellipsis], ['DeferStmt', '4:2', 'close', '4:13', null]);
    const chan = fn.type.params.list[0].type;
    assert.deepEqual([chan.kind, chan.dir, chan.begin, chan.arrow], ['ChanType', 1, '3:10', '3:14']);
  });
});

test('ast --summary counts nodes per kind, sorted by kind', () => {
  const r = cli('ast', 'examples/hello/main.go', '--summary');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^examples\/hello\/main\.go: \d+ lines, \d+ bytes$/);
  const counts = new Map(lines.slice(1).map((l) => { const [k, n] = l.trim().split(/\s+/); return [k!, Number(n)]; }));
  assert.equal(counts.get('File'), 1);
  assert.equal(counts.get('DeferStmt'), 3);
  assert.equal(counts.get('FuncDecl'), 3);
  const kinds = [...counts.keys()].filter((k) => k !== 'total');
  assert.deepEqual(kinds, [...kinds].sort());
  assert.equal(counts.get('total'), kinds.reduce((s, k) => s + counts.get(k)!, 0));
});

test('ast reports syntax errors as file:line:col: message on stderr and exits 1', () => {
  withFile('package p\n\nfunc f() {\n\tx := \n}\n', (p) => {
    const r = cli('ast', p);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: \\S.*$`, 'm'));
  });
});

test('ast rejects bad usage and unreadable files with a clear message', () => {
  let r = cli('ast');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /expected one Go file, got 0/);
  r = cli('ast', 'no/such/file.go');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot read no\/such\/file\.go: no such file/);
  r = cli('ast', 'examples/hello/main.go', '--bogus');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown flag --bogus/);
});
