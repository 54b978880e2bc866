// deferguard stacks --source joins goroutine groups with the static findings of the module: the
// creation site with goroutine-blocked-send, the stuck deferred wg.Wait with defer-blocking-call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DUMPS = 'testdata/runtime/services/dumps/';

function deferguard(args: string[]) {
  const code = `import { main } from './src/cli/main.ts'; process.exitCode = await main(${JSON.stringify(args)});`;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
}

interface Doc {
  groups: { count: number; state: string; createdAt: { file: string; line: number } | null; finding: string | null; findings: { rule: string; line: number; via: string }[] }[];
}

test('JSON: the leaked senders join goroutine-blocked-send through the go statement', { timeout: 120_000 }, () => {
  const r = deferguard(['stacks', `${DUMPS}leaky-debug2.txt`, '--source', 'testdata/runtime/services', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as Doc;
  const senders = doc.groups.find((g) => g.state === 'chan send')!;
  assert.deepEqual(senders.createdAt, { file: 'leaky/main.go', line: 27 });
  assert.equal(senders.finding, 'goroutine-blocked-send');
  assert.deepEqual(senders.findings.map((f) => [f.rule, f.line, f.via]), [['goroutine-blocked-send', 26, 'createdAt']]);
  for (const g of doc.groups) if (g !== senders) assert.equal(g.finding, null);
});

test('text: the stuck deferred wg.Wait is confirmed with defer-blocking-call; --no-findings skips the join', { timeout: 120_000 }, () => {
  const r = deferguard(['stacks', `${DUMPS}stuckdefer-debug2.txt`, '--source', 'testdata/runtime/services']);
  assert.equal(r.status, 0, r.stderr);
  const section = r.stdout.split('Stuck inside a deferred call:\n')[1] ?? '';
  assert.match(section, /sync\.\(\*WaitGroup\)\.Wait deferred by main\.handle, running at its exit stuckdefer\/main\.go:34/);
  assert.match(section, /confirmed at run time: defer-blocking-call \(critical\) at stuckdefer\/main\.go:32 https:\/\/\S+\/defer-blocking-call\.md/);
  const plain = deferguard(['stacks', `${DUMPS}stuckdefer-debug2.txt`, '--source', 'testdata/runtime/services', '--no-findings']);
  assert.equal(plain.status, 0, plain.stderr);
  assert.doesNotMatch(plain.stdout, /confirmed at run time/);
});
