import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DUMPS = 'testdata/runtime/dumps/';

function deferguard(args: string[], input?: string) {
  const code = `import { main } from './src/cli/main.ts'; process.exitCode = await main(${JSON.stringify(args)});`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
    input: input ?? '',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('text summary of a panic dump with paths relative to --source', () => {
  const r = deferguard(['stacks', `${DUMPS}panic-gotraceback-all.txt`, '--source', 'testdata/runtime/progs']);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /^panic: cannot process order 42: inventory unavailable\n/);
  assert.match(out, /^\d+ goroutines in \d+ groups \(panic traceback\)$/m);
  assert.match(out, /^#1  3 goroutines  \[chan send\]  created at cmd\/scenarios\/scenarios\.go:\d+ by main\.startLeaks$/m);
  assert.match(out, /^Stuck inside a deferred call:$/m);
  assert.match(out, /main\.recoverAndReport\.func1 deferred by main\.recoverAndReport, running while panicking at cmd\/scenarios\/scenarios\.go:\d+/);
  assert.match(out, /main\.wait deferred by main\.drainAll, running at its exit cmd\/scenarios\/scenarios\.go:\d+/);
  assert.doesNotMatch(out, /\/testdata\/runtime\/progs\//); // every program path made relative
  assert.match(out, /\/src\/runtime\//); // the standard library stays as printed
});

test('blocked-long section and stdin input', () => {
  const text = readFileSync(`${ROOT}${DUMPS}handwritten-go1.20-panic.txt`, 'utf8');
  const r = deferguard(['stacks', '-'], text);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Blocked for a long time:$/m);
  const section = r.stdout.split('Blocked for a long time:\n')[1]!.split('\n\n')[0]!.split('\n');
  assert.match(section[0]!, /select for 1440 minutes {2}in main\.signalLoop at \/home\/build\/svc\/signal\.go:14/);
  assert.match(section[1]!, /2 goroutines {2}chan receive for 12-15 minutes/);
});

test('JSON output is stable and carries the join keys', () => {
  const args = ['stacks', `${DUMPS}goroutine-debug2.txt`, '--format', 'json', '--source', 'testdata/runtime/progs'];
  const a = deferguard(args);
  const b = deferguard(args);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  const doc = JSON.parse(a.stdout) as { total: number; groups: { count: number; createdAt: { file: string; line: number } | null; stuckDefer: { file: string; line: number } | null }[] };
  assert.equal(doc.groups.reduce((n, g) => n + g.count, 0), doc.total);
  const src = readFileSync(`${ROOT}testdata/runtime/progs/cmd/scenarios/scenarios.go`, 'utf8').split('\n');
  for (const g of doc.groups) {
    if (g.createdAt && g.createdAt.file === 'cmd/scenarios/scenarios.go') assert.match(src[g.createdAt.line - 1]!, /\bgo\b/);
  }
  const exits = doc.groups.filter((g) => g.stuckDefer).map((g) => g.stuckDefer!);
  assert.equal(exits.length, 5);
  for (const s of exits) assert.equal(s.file, 'cmd/scenarios/scenarios.go');
});

test('debug=1 and goroutineleak profiles', () => {
  const r = deferguard(['stacks', `${DUMPS}goroutineleak-debug2.txt`]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Leaked \(reported by the goroutine leak detector\):$/m);
  assert.match(r.stdout, /\[chan send \(leaked\)\]/);
  const p = deferguard(['stacks', `${DUMPS}goroutine-debug1.txt`]);
  assert.equal(p.status, 0, p.stderr);
  assert.match(p.stdout, /\(pprof goroutine profile \(debug=1\)\)/);
  assert.match(p.stdout, /labels: handler="orders" tenant="acme \\"east\\""/);
});

test('bad input and flags give clear errors, exit 2', () => {
  const notDump = deferguard(['stacks', 'package.json']);
  assert.equal(notDump.status, 2);
  assert.match(notDump.stderr, /package\.json: not a goroutine dump/);
  const missing = deferguard(['stacks', 'no/such/file.txt']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read no\/such\/file\.txt: ENOENT/);
  assert.match(deferguard(['stacks', `${DUMPS}sigquit.txt`, '--format', 'xml']).stderr, /--format must be text or json, got "xml"/);
  assert.match(deferguard(['stacks']).stderr, /missing the dump file/);
  assert.match(deferguard(['stacks', `${DUMPS}sigquit.txt`, '--source', 'nope']).stderr, /--source nope: not a directory/);
  assert.equal(deferguard(['stacks', '--help']).status, 0);
});
