import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../src/findings/model.js';
import { buildCostReport, deferSites, parseDeferOutput, renderCostText } from '../../src/runtime/cost.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const hasGo = spawnSync('go', ['version']).status === 0;

const SRC = `package p

type S struct{}

func (s *S) M(xs []int) {
	defer println("a")
	for range xs {
		defer println("b")
	}
}

var f = func() {
	defer println("c")
}
`;

const OUTPUT = `# example.com/m/p
./p.go:6:2: stack-allocated defer
./p.go:8:3: heap-allocated defer in function (*S).M
./p.go:13:2: open-coded defer
./p.go:99:1: undefined: x
`;

test('parses the compiler lines, with or without the function name', () => {
  const { defers, other } = parseDeferOutput(OUTPUT);
  assert.deepEqual(defers.map((d) => [d.path, d.line, d.column, d.kind, d.func, d.pkg]), [
    ['./p.go', 6, 2, 'stack', null, 'example.com/m/p'],
    ['./p.go', 8, 3, 'heap', '(*S).M', 'example.com/m/p'],
    ['./p.go', 13, 2, 'open-coded', null, 'example.com/m/p'],
  ]);
  assert.deepEqual(other, ['./p.go:99:1: undefined: x']);
});

test('defer sites know their function and loops', () => {
  assert.deepEqual(deferSites('p.go', SRC), [
    { line: 6, func: '(*S).M', inLoop: false },
    { line: 8, func: '(*S).M', inLoop: true },
    { line: 13, func: 'glob..func1', inLoop: false },
  ]);
});

test('report joins findings at the same line and puts heap defers first', () => {
  const finding: Finding = {
    rule: 'defer-in-loop', severity: 'high', confidence: 'high', message: 'piles up', file: 'p/p.go', line: 8, column: 3, endLine: 8, endColumn: 20, related: [],
  };
  const r = buildCostReport(OUTPUT, { cwd: '/m/p', root: '/m', findings: [finding], read: (f) => (f === 'p/p.go' ? SRC : undefined) });
  assert.deepEqual(r.summary, { openCoded: 1, stack: 1, heap: 1, heapInLoops: 1 });
  assert.equal(r.defers[0]!.kind, 'heap');
  assert.equal(r.defers[0]!.file, 'p/p.go');
  assert.equal(r.defers[0]!.inLoop, true);
  assert.deepEqual(r.defers[0]!.findings.map((f) => f.rule), ['defer-in-loop']);
  const text = renderCostText(r);
  assert.match(text, /^3 defers: 1 open-coded, 1 stack-allocated, 1 heap-allocated \(1 in loops\)$/m);
  assert.match(text, /p\/p\.go:8:3 {2}in \(\*S\)\.M, inside a loop\n {6}defer-in-loop \(high\): piles up/);
});

function deferguard(args: string[], env?: NodeJS.ProcessEnv) {
  const code = `import { main } from './src/cli/main.ts'; process.exitCode = await main(${JSON.stringify(args)});`;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: env ?? process.env });
}

test('deferguard cost on a fixture module (needs go)', { skip: hasGo ? false : 'go is not installed', timeout: 180_000 }, () => {
  const r = deferguard(['cost', '-C', 'testdata/rules/defer-not-open-coded', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { summary: { heap: number; heapInLoops: number }; defers: { file: string; line: number; kind: string; inLoop: boolean; findings: { rule: string }[] }[] };
  assert.ok(doc.summary.heap >= 1);
  assert.equal(doc.summary.heap, doc.summary.heapInLoops, 'in this fixture every heap-allocated defer is in a loop');
  const heap = doc.defers.find((d) => d.kind === 'heap')!;
  assert.equal(heap.file, 'positive.go');
  assert.ok(heap.findings.some((f) => f.rule === 'defer-in-loop'), JSON.stringify(heap));
});

test('deferguard cost without go says so, exit 2', () => {
  const r = deferguard(['cost', '-C', 'testdata/runtime/services', '--no-findings'], { ...process.env, PATH: '/nonexistent' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /go command is not installed or not on PATH/);
});
