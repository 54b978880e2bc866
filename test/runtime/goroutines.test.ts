import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  DumpParseError,
  parseDump,
  parseHeaderStatus,
  parseLabelSet,
  parseProfile,
  parseTraceback,
  splitCall,
  type Goroutine,
} from '../../src/runtime/goroutines.js';

const DUMPS = new URL('../../testdata/runtime/dumps/', import.meta.url);
const SCENARIOS = new URL('../../testdata/runtime/progs/cmd/scenarios/scenarios.go', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, DUMPS), 'utf8');
const scenarioLines = readFileSync(SCENARIOS, 'utf8').split('\n');
const headerCount = (text: string) => (text.match(/^goroutine \d+ .*\[.*\]:$/gm) ?? []).length;

function byTopFunc(gs: Goroutine[], func: string): Goroutine[] {
  return gs.filter((g) => g.frames.some((f) => f.func === func));
}

test('debug=2 profile: every goroutine, frames pointing at the real source lines', () => {
  const text = read('goroutine-debug2.txt');
  const d = parseTraceback(text);
  assert.equal(d.kind, 'stacks');
  assert.equal(d.truncated, false);
  assert.equal(d.goroutines.length, headerCount(text));
  // Each frame in scenarios.go names a line of that file whose text fits the function.
  const leaks = byTopFunc(d.goroutines, 'main.startLeaks.func1');
  assert.equal(leaks.length, 3);
  for (const g of leaks) {
    assert.equal(g.state, 'chan send');
    assert.equal(g.leaked, false);
    assert.match(scenarioLines[g.frames[0]!.line - 1]!, /results <- v \* v/);
    assert.equal(g.createdBy?.func, 'main.startLeaks');
    assert.equal(g.createdBy?.goroutine, 1);
    assert.match(scenarioLines[g.createdBy!.line - 1]!, /go func\(v int\)/);
    assert.ok(g.frames[0]!.pcOffset! > 0);
    assert.match(g.frames[0]!.args!, /^0x[0-2]$/);
  }
  const [locked] = d.goroutines.filter((g) => g.lockedToThread);
  assert.ok(locked && /^main\.startAll\.func\d+$/.test(locked.frames[0]!.func));
  const [gen] = byTopFunc(d.goroutines, 'main.(*Pool[...]).worker');
  assert.ok(gen);
  assert.equal(gen.frames[0]!.inlined, true);
  assert.equal(gen.frames[0]!.pcOffset, undefined);
  const [deep] = byTopFunc(d.goroutines, 'main.recurse');
  assert.ok(deep && deep.elided && deep.elidedCount! > 0);
  assert.equal(deep.frames.length, 100);
  const [mutex] = d.goroutines.filter((g) => g.state === 'sync.Mutex.Lock');
  assert.ok(mutex && mutex.frames.some((f) => f.func === 'sync.(*Mutex).Lock'));
  assert.ok(d.goroutines.some((g) => g.state === 'IO wait'));
  const [panicking] = byTopFunc(d.goroutines, 'main.recoverAndReport');
  assert.deepEqual(
    panicking!.frames.map((f) => f.func),
    ['main.recoverAndReport.func1', 'panic', 'main.recoverAndReport'],
  );
});

test('goroutineleak debug=2 marks leaked goroutines, debug=1 names the profile', () => {
  const d2 = parseTraceback(read('goroutineleak-debug2.txt'));
  const leaked = d2.goroutines.filter((g) => g.leaked);
  assert.ok(byTopFunc(leaked, 'main.startLeaks.func1').length === 3);
  for (const g of leaked) assert.doesNotMatch(g.state, /leaked/);
  const d1 = parseDump(read('goroutineleak-debug1.txt'));
  assert.equal(d1.format, 'debug1');
  if (d1.format !== 'debug1') return;
  assert.equal(d1.profile, 'goroutineleak');
  assert.equal(d1.groups.reduce((n, g) => n + g.count, 0), d1.total);
  assert.equal(d1.total, leaked.length);
});

test('debug=1 profile: counts, PCs, tab-aligned frames, labels', () => {
  const text = read('goroutine-debug1.txt');
  const d = parseProfile(text);
  assert.equal(d.profile, 'goroutine');
  assert.equal(d.groups.reduce((n, g) => n + g.count, 0), d.total);
  assert.equal(d.groups.length, (text.match(/^\d+ @/gm) ?? []).length);
  const labelled = d.groups.filter((g) => g.labels);
  assert.equal(labelled.length, 1);
  assert.deepEqual(labelled[0]!.labels, { handler: 'orders', tenant: 'acme "east"' });
  const leak = d.groups.find((g) => g.frames[0]?.func === 'main.startLeaks.func1');
  assert.equal(leak?.count, 3);
  assert.match(leak!.frames[0]!.pc!, /^0x[0-9a-f]+$/);
  assert.ok(leak!.pcs.length >= leak!.frames.length);
  for (const g of d.groups) for (const f of g.frames) assert.ok(f.file.endsWith('.go') || f.file.endsWith('.s'), f.file);
});

test('panic, ancestors, SIGQUIT and test-timeout preambles', () => {
  const p = parseTraceback(read('panic-gotraceback-all.txt'));
  assert.equal(p.kind, 'panic');
  assert.deepEqual(p.panics, ['cannot process order 42: inventory unavailable']);
  assert.equal(p.goroutines[0]!.state, 'running');

  const a = parseTraceback(read('panic-tracebackancestors.txt'));
  const withAnc = a.goroutines.filter((g) => g.ancestors.length > 0);
  assert.ok(withAnc.length > 0);
  for (const g of withAnc) {
    assert.equal(g.ancestors[0]!.id, g.createdBy!.goroutine);
    assert.ok(g.ancestors[0]!.frames.length > 0);
    assert.ok(g.ancestors[0]!.frames.every((f) => f.inlined));
  }

  const q = parseTraceback(read('sigquit.txt'));
  assert.equal(q.kind, 'signal');
  assert.equal(q.signal, 'SIGQUIT: quit');
  assert.ok(q.goroutines.some((g) => g.id === 0));
  assert.ok(q.goroutines.some((g) => g.frames.some((f) => f.func === 'runtime.goexit')));
  const text = read('sigquit.txt');
  assert.equal(q.goroutines.length, headerCount(text));

  const t = parseTraceback(read('test-timeout.txt'));
  assert.equal(t.kind, 'test-timeout');
  assert.equal(t.testTimeout?.after, '2s');
  assert.deepEqual(t.testTimeout?.running, ['TestHangsOnWaitGroup']);
  assert.ok(t.goroutines.some((g) => g.state === 'sync.WaitGroup.Wait'));
});

test('hand-written Go 1.19/1.20 samples: created by without goroutine, minutes, additional frames elided', () => {
  const d = parseTraceback(read('handwritten-go1.20-panic.txt'));
  assert.equal(d.signal, 'SIGSEGV: segmentation violation');
  const consume = byTopFunc(d.goroutines, 'main.(*Server).consume');
  assert.deepEqual(consume.map((g) => g.waitMinutes), [12, 15]);
  for (const g of consume) {
    assert.equal(g.createdBy?.func, 'main.(*Server).Start');
    assert.equal(g.createdBy?.goroutine, undefined);
    assert.equal(g.createdBy?.line, 30);
  }
  const sig = byTopFunc(d.goroutines, 'main.signalLoop')[0]!;
  assert.equal(sig.waitMinutes, 1440);
  assert.equal(sig.lockedToThread, true);
  const old = parseTraceback(read('handwritten-go1.19-stacks.txt'));
  const deep = old.goroutines.find((g) => g.id === 19)!;
  assert.equal(deep.elided, true);
  assert.equal(deep.elidedCount, undefined);
  assert.equal(deep.frames.length, 100);
  assert.equal(deep.createdBy?.line, 20);
});

test('header status variants', () => {
  assert.deepEqual(parseHeaderStatus('chan send (leaked)'), {
    state: 'chan send',
    waitMinutes: 0,
    lockedToThread: false,
    leaked: true,
    durable: false,
  });
  const h = parseHeaderStatus('chan receive (scan), 42 minutes, locked to thread');
  assert.equal(h.state, 'chan receive');
  assert.equal(h.waitMinutes, 42);
  assert.equal(h.lockedToThread, true);
  const b = parseHeaderStatus('select (durable), synctest bubble 3');
  assert.equal(b.state, 'select');
  assert.equal(b.durable, true);
  assert.equal(b.bubble, 3);
  assert.equal(parseHeaderStatus('GC worker (idle)').state, 'GC worker (idle)');
  assert.equal(parseHeaderStatus('chan receive (nil chan)').state, 'chan receive (nil chan)');
  const l = parseHeaderStatus('IO wait, 3 minutes labels:{"path": "/a, b", "x": "q\\"z"}');
  assert.equal(l.state, 'IO wait');
  assert.equal(l.waitMinutes, 3);
  assert.deepEqual(l.labels, { path: '/a, b', x: 'q"z' });
});

test('frame names: generics, methods, closures, wrappers', () => {
  assert.deepEqual(splitCall('main.(*Pool[...]).worker(...)'), { func: 'main.(*Pool[...]).worker', args: '...' });
  assert.deepEqual(splitCall('example.com/m/p.Map[...].func1.gowrap1()'), { func: 'example.com/m/p.Map[...].func1.gowrap1', args: '' });
  assert.deepEqual(splitCall('panic({0x53e220?, 0x6897d0?})'), { func: 'panic', args: '{0x53e220?, 0x6897d0?}' });
  assert.deepEqual(splitCall('main.f.deferwrap1()'), { func: 'main.f.deferwrap1', args: '' });
  assert.equal(splitCall('not a frame line'), undefined);
  assert.equal(splitCall('created by main.main (x)'), undefined);
});

test('labels: both printings, escapes, rejects garbage', () => {
  assert.deepEqual(parseLabelSet('{"a":"1", "b":"x\\ty\\u00e9"}'), { a: '1', b: 'x\tyé' });
  assert.deepEqual(parseLabelSet('{}'), {});
  assert.equal(parseLabelSet('{"a" 1}'), undefined);
  assert.equal(parseLabelSet('not labels'), undefined);
});

test('tolerance: CRLF, noise lines, truncated input, gp/m fields, stack unavailable', () => {
  const text = [
    'some log line before the dump',
    'goroutine 1 gp=0xc000002380 m=0 mp=0x6c4e40 [running]:',
    '\tgoroutine running on other thread; stack unavailable',
    '',
    'goroutine 9 [chan receive, 3 minutes]:',
    'a line the parser does not know',
    'main.worker(0xc000010000)',
    '\t/src/app/worker.go:12 +0x2b fp=0xc000 sp=0xc000 pc=0x45',
    'created by main.main in goroutine 1',
    '\t/src/app/main.go:8 +0x1d',
    '',
    'goroutine 10 [select]:',
    'main.loop()',
  ].join('\r\n');
  const d = parseTraceback(text);
  assert.equal(d.goroutines.length, 3);
  assert.equal(d.goroutines[0]!.stackUnavailable, true);
  const w = d.goroutines[1]!;
  assert.deepEqual(w.frames, [{ func: 'main.worker', file: '/src/app/worker.go', line: 12, pcOffset: 0x2b, args: '0xc000010000' }]);
  assert.equal(w.waitMinutes, 3);
  assert.deepEqual(w.createdBy, { func: 'main.main', file: '/src/app/main.go', line: 8, pcOffset: 0x1d, goroutine: 1 });
  assert.equal(d.goroutines[2]!.frames.length, 0);
  assert.equal(d.truncated, true);

  // A real dump cut in half still yields every complete goroutine.
  const full = read('goroutine-debug2.txt');
  const cut = full.slice(0, Math.floor(full.length / 2));
  const half = parseTraceback(cut);
  assert.ok(half.goroutines.length > 3 && half.goroutines.length < headerCount(full));
  const whole = parseTraceback(full);
  for (const g of half.goroutines.slice(0, -1)) {
    assert.deepEqual(g, whole.goroutines.find((x) => x.id === g.id));
  }
});

test('parseDump picks the format and explains what is not a dump', () => {
  assert.equal(parseDump(read('goroutine-debug1.txt')).format, 'debug1');
  assert.equal(parseDump(read('goroutine-debug2.txt')).format, 'traceback');
  assert.throws(() => parseDump('<html><body>404</body></html>'), (e: unknown) => e instanceof DumpParseError && /not a goroutine dump.*<html>/.test((e as Error).message));
  assert.throws(() => parseDump(''), /the input is empty/);
});
