import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/findings/model.js';
import { makeCorrelator } from '../../src/runtime/correlate.js';

const SRC = `package main

import "sync"

func handle(ch chan int) {
	out := make(chan int)
	go func() {
		out <- 1
	}()
	var wg sync.WaitGroup
	defer wg.Wait()
	defer func() {
		<-ch
	}()
}

func other() {
	defer println("x")
}
`;

function finding(rule: string, line: number, related: { line: number; endLine?: number }[] = [], severity: Finding['severity'] = 'high'): Finding {
  return {
    rule, severity, confidence: 'high', message: `${rule} at ${line}`, file: 'svc/main.go', line, column: 2, endLine: line, endColumn: 10,
    related: related.map((r) => ({ file: 'svc/main.go', line: r.line, column: 1, endLine: r.endLine ?? r.line, endColumn: 1, message: 'related' })),
  };
}

const FINDINGS = [
  finding('goroutine-blocked-send', 6, [{ line: 8 }, { line: 7, endLine: 9 }], 'critical'),
  finding('defer-blocking-call', 11),
  finding('defer-blocking-call', 12),
  finding('unnecessary-defer', 18, [], 'low'),
];
const read = (f: string) => (f === 'svc/main.go' ? SRC : undefined);

test('creation site joins through a related location (the go statement)', () => {
  const c = makeCorrelator(FINDINGS, read);
  const m = c.forCreation({ file: 'svc/main.go', line: 7 });
  assert.equal(m[0]?.rule, 'goroutine-blocked-send');
  assert.equal(m[0]?.line, 6);
  assert.equal(m[0]?.via, 'createdAt');
  assert.match(m[0]!.docUrl, /goroutine-blocked-send\.md$/);
  assert.deepEqual(c.forCreation({ file: 'svc/main.go', line: 40 }), []);
  assert.deepEqual(c.forCreation({ file: 'other.go', line: 7 }), []);
});

test('a stuck defer joins the defer statements of the function that exits at that line', () => {
  const c = makeCorrelator(FINDINGS, read);
  // handle's closing brace is line 15; the deferred method is WaitGroup.Wait: the defer on line 11 first.
  const m = c.forStuckDefer({ file: 'svc/main.go', line: 15 }, 'sync.(*WaitGroup).Wait');
  assert.deepEqual(m.map((x) => x.line), [11, 12]);
  assert.equal(m[0]!.via, 'stuckDefer');
  // A closure: no name to match, both defers of handle are candidates; the function other() is not.
  const lit = c.forStuckDefer({ file: 'svc/main.go', line: 15 }, 'main.handle.func2');
  assert.deepEqual(lit.map((x) => x.line).sort(), [11, 12]);
  assert.ok(!lit.some((x) => x.line === 18));
  // other() exits on line 19: only its own defer.
  assert.deepEqual(c.forStuckDefer({ file: 'svc/main.go', line: 19 }).map((x) => x.rule), ['unnecessary-defer']);
  // Unknown file: nothing, no crash.
  assert.deepEqual(c.forStuckDefer({ file: 'missing.go', line: 3 }), []);
});

test('forGroup puts stuck-defer matches first and removes duplicates', () => {
  const c = makeCorrelator(FINDINGS, read);
  const m = c.forGroup({ createdAt: { file: 'svc/main.go', line: 7 }, stuckDefer: { file: 'svc/main.go', line: 15, deferred: { func: 'sync.(*WaitGroup).Wait' } } });
  assert.deepEqual(m.map((x) => `${x.via}:${x.rule}:${x.line}`), [
    'stuckDefer:defer-blocking-call:11',
    'stuckDefer:defer-blocking-call:12',
    'createdAt:goroutine-blocked-send:6',
  ]);
});
