import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseDump, parseTraceback } from '../../src/runtime/goroutines.js';
import { analyze, blockKind, findStuckDefer, guessGoroot, isStdFrame } from '../../src/runtime/group.js';

const DUMPS = new URL('../../testdata/runtime/dumps/', import.meta.url);
const PROGS = new URL('../../testdata/runtime/progs/', import.meta.url).pathname;
const read = (name: string) => readFileSync(new URL(name, DUMPS), 'utf8');
const scenario = readFileSync(`${PROGS}cmd/scenarios/scenarios.go`, 'utf8').split('\n');

/** Reads lines of the scenario program whatever checkout path the dump recorded. */
const sourceLine = (file: string, line: number): string | undefined => {
  const i = file.indexOf('/cmd/scenarios/');
  if (i < 0) return undefined;
  try {
    return readFileSync(PROGS + file.slice(i + 1), 'utf8').split('\n')[line - 1];
  } catch {
    return undefined;
  }
};

test('groups: counts add up, largest first, stable ranks', () => {
  const dump = parseTraceback(read('goroutine-debug2.txt'));
  const a = analyze(dump);
  assert.equal(a.total, dump.goroutines.length);
  assert.equal(a.groups.reduce((n, g) => n + g.count, 0), a.total);
  for (let i = 1; i < a.groups.length; i++) assert.ok(a.groups[i - 1]!.count >= a.groups[i]!.count);
  assert.deepEqual(a.groups.map((g) => g.index), a.groups.map((_, i) => i + 1));
  const first = a.groups[0]!;
  assert.equal(first.count, 3);
  assert.equal(first.state, 'chan send');
  assert.equal(first.blocked, 'chan');
  assert.equal(first.topUserFrame?.func, 'main.startLeaks.func1');
  assert.match(scenario[first.createdAt!.line - 1]!, /go func\(v int\)/);
  assert.equal(first.frames[0]!.args, '*'); // 0x0, 0x1, 0x2 differ
  assert.equal(a.goroot, /\t(\/\S*)\/src\/runtime\/\w+\.go:/.exec(read('goroutine-debug2.txt'))![1]);
  assert.equal(guessGoroot([{ func: 'sync.(*Mutex).Lock', file: '/opt/go1.22/src/sync/mutex.go', line: 1 }]), '/opt/go1.22');
  // Deterministic: same input, same output.
  assert.deepEqual(analyze(parseTraceback(read('goroutine-debug2.txt'))), a);
});

test('similarity: exact splits goroutines whose arguments differ', () => {
  const dump = parseTraceback(read('goroutine-debug2.txt'));
  const any = analyze(dump, { similarity: 'any' });
  const exact = analyze(dump, { similarity: 'exact' });
  const similar = analyze(dump, { similarity: 'similar' });
  const leakGroups = (a: typeof any) => a.groups.filter((g) => g.topUserFrame?.func === 'main.startLeaks.func1').length;
  assert.equal(leakGroups(any), 1);
  assert.equal(leakGroups(exact), 3); // arguments 0x0, 0x1, 0x2
  assert.equal(leakGroups(similar), 3); // small integers are values, not pointers
  assert.ok(exact.groups.length > any.groups.length);
});

test('top user frame skips runtime, internal and standard-library frames', () => {
  const a = analyze(parseTraceback(read('goroutine-debug2.txt')));
  const mutex = a.groups.find((g) => g.state === 'sync.Mutex.Lock')!;
  assert.equal(mutex.blocked, 'mutex');
  assert.equal(mutex.topUserFrame?.func, 'main.lockWaiter');
  const io = a.groups.find((g) => g.state === 'IO wait')!;
  assert.equal(io.blocked, 'io');
  assert.equal(io.topUserFrame?.func, 'main.acceptLoop');
  assert.equal(isStdFrame({ func: 'net/http.(*conn).serve', file: 'net/http/server.go', line: 1 }), true);
  assert.equal(isStdFrame({ func: 'github.com/a/b.F', file: 'github.com/a/b@v1.0.0/b.go', line: 1 }), false);
  assert.equal(isStdFrame({ func: 'myapp/internal/x.F', file: '/home/u/myapp/internal/x/x.go', line: 1 }, '/usr/local/go'), false);
  assert.equal(isStdFrame({ func: 'sync.(*WaitGroup).Wait', file: '/opt/go/src/sync/waitgroup.go', line: 1 }, '/opt/go'), true);
});

test('stuck inside a deferred call: panic, exit (with sources), deferred call with a receiver, loop of defers', () => {
  const dump = parseTraceback(read('goroutine-debug2.txt'));
  const a = analyze(dump, { sourceLine });
  const stuck = new Map(a.groups.filter((g) => g.stuckDefer).map((g) => [g.stuckDefer!.caller.func, g.stuckDefer!]));
  assert.deepEqual([...stuck.keys()].sort(), [
    'main.abortJob',
    'main.closeWithFlush',
    'main.drainAll',
    'main.handlerWithDeferredWait',
    'main.recoverAndReport',
  ]);
  const rec = stuck.get('main.recoverAndReport')!;
  assert.equal(rec.via, 'panic');
  assert.equal(rec.deferred.func, 'main.recoverAndReport.func1');
  assert.match(scenario[rec.line - 1]!, /m\["x"\] = 1/); // where it panicked
  const abort = stuck.get('main.abortJob')!;
  assert.equal(abort.deferred.func, 'main.release');
  for (const name of ['main.closeWithFlush', 'main.drainAll', 'main.handlerWithDeferredWait']) {
    const s = stuck.get(name)!;
    assert.equal(s.via, 'exit');
    assert.equal(s.confirmed, true);
    assert.equal(scenario[s.line - 1]!.trim(), '}'); // the function's closing brace: the join key
  }
  assert.equal(stuck.get('main.handlerWithDeferredWait')!.deferred.func, 'sync.(*WaitGroup).Wait');

  // Without sources only the stack shape is available: panics are certain, a closure of the caller is a guess.
  const bare = analyze(dump);
  const bareStuck = bare.groups.filter((g) => g.stuckDefer).map((g) => [g.stuckDefer!.caller.func, g.stuckDefer!.confirmed]);
  assert.deepEqual(bareStuck.sort(), [
    ['main.abortJob', true],
    ['main.closeWithFlush', false],
    ['main.recoverAndReport', true],
  ]);
  // A goroutine that is simply running is not inside a defer.
  assert.equal(a.groups.find((g) => g.state === 'running')?.stuckDefer, undefined);
});

test('deferred-call shapes that the installed Go does not print: deferwrap and runtime.deferreturn', () => {
  const fr = (func: string, line = 10) => ({ func, file: '/app/x.go', line });
  const w = findStuckDefer([fr('runtime.gopark'), fr('main.flush', 3), fr('main.handle.deferwrap1', 20), fr('main.handle', 21)]);
  assert.equal(w?.via, 'deferwrap');
  assert.equal(w?.deferred.func, 'main.flush');
  assert.equal(w?.caller.func, 'main.handle');
  const r = findStuckDefer([fr('main.cleanup', 3), fr('runtime.deferreturn', 5), fr('main.serve', 40)]);
  assert.equal(r?.via, 'deferreturn');
  assert.equal(r?.line, 40);
  assert.equal(findStuckDefer([fr('main.helper'), fr('main.serve')]), undefined);
  // With sources, a call on an ordinary line is not a deferred call even for a closure.
  assert.equal(findStuckDefer([fr('main.serve.func1', 3), fr('main.serve', 9)], { sourceLine: () => '\tf()' }), undefined);
});

test('blocked for a long time, pre-1.20 semacquire and leaked groups', () => {
  const a = analyze(parseTraceback(read('handwritten-go1.20-panic.txt')));
  const long = a.groups.filter((g) => g.blockedLong);
  assert.equal(long.length, 4);
  const consume = long.find((g) => g.topUserFrame?.func === 'main.(*Server).consume')!;
  assert.deepEqual(consume.minutes, { min: 12, max: 15 });
  assert.equal(consume.count, 2);
  assert.equal(analyze(parseTraceback(read('handwritten-go1.20-panic.txt')), { minBlockedMinutes: 10 }).groups.filter((g) => g.blockedLong).length, 2);
  const old = analyze(parseTraceback(read('handwritten-go1.19-stacks.txt')));
  assert.equal(old.groups.find((g) => g.state === 'semacquire')?.blocked, 'waitgroup');
  assert.equal(blockKind('semacquire'), 'mutex');
  assert.equal(blockKind('running'), undefined);
  const leak = analyze(parseTraceback(read('goroutineleak-debug2.txt')));
  const leakedGroups = leak.groups.filter((g) => g.leaked > 0);
  assert.ok(leakedGroups.some((g) => g.topUserFrame?.func === 'main.startLeaks.func1' && g.leaked === 3));
});

test('debug=1 profiles group by stack and labels', () => {
  const d = parseDump(read('goroutine-debug1.txt'));
  const a = analyze(d);
  assert.equal(a.format, 'debug1');
  assert.equal(a.groups.reduce((n, g) => n + g.count, 0), a.total);
  assert.ok(a.groups.some((g) => g.labels?.handler === 'orders'));
  const rel = a.groups.find((g) => g.topUserFrame?.func === 'main.release')!;
  assert.equal(rel.stuckDefer?.via, 'panic');
  assert.equal(rel.stuckDefer?.caller.func, 'main.abortJob');
});
