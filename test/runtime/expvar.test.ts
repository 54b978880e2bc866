import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExpvarError, newPauses, parseExpvar, PAUSE_RING, percentiles, type MemStats } from '../../src/runtime/expvar.js';

/** Simulates the runtime's ring: GC cycle k writes PauseNs[(k+255)%256]. */
function ringAfter(numGC: number, pauseOf: (gc: number) => number): Pick<MemStats, 'NumGC' | 'PauseNs' | 'PauseEnd'> {
  const PauseNs = new Array<number>(PAUSE_RING).fill(0);
  const PauseEnd = new Array<number>(PAUSE_RING).fill(0);
  for (let k = 1; k <= numGC; k++) {
    PauseNs[(k + PAUSE_RING - 1) % PAUSE_RING] = pauseOf(k);
    PauseEnd[(k + PAUSE_RING - 1) % PAUSE_RING] = 1_700_000_000_000_000_000 + k * 1e9;
  }
  return { NumGC: numGC, PauseNs, PauseEnd };
}
const pause = (k: number) => 1000 + ((k * 7919) % 5000);

test('new pauses between polls, across the ring wrap', () => {
  for (const [prev, now] of [[0, 0], [0, 5], [5, 9], [250, 262], [0, 256], [300, 556], [511, 512]] as const) {
    const r = newPauses(prev, ringAfter(now, pause));
    assert.equal(r.lost, 0, `${prev}->${now}`);
    assert.equal(r.reset, false);
    assert.deepEqual(r.pauses.map((p) => p.gc), Array.from({ length: now - prev }, (_, i) => prev + 1 + i));
    assert.deepEqual(r.pauses.map((p) => p.ns), r.pauses.map((p) => pause(p.gc)));
    for (const p of r.pauses) assert.equal(p.end, 1_700_000_000_000_000_000 + p.gc * 1e9);
  }
});

test('more than 256 cycles between polls: the latest 256 and how many were lost', () => {
  const r = newPauses(10, ringAfter(1000, pause));
  assert.equal(r.pauses.length, 256);
  assert.equal(r.lost, 1000 - 10 - 256);
  assert.equal(r.pauses[0]!.gc, 745);
  assert.equal(r.pauses[255]!.gc, 1000);
  assert.deepEqual(r.pauses.map((p) => p.ns), r.pauses.map((p) => pause(p.gc)));
});

test('NumGC going down means a restart', () => {
  const r = newPauses(900, ringAfter(3, pause));
  assert.equal(r.reset, true);
  assert.deepEqual(r.pauses.map((p) => p.gc), [1, 2, 3]);
});

test('parseExpvar reads memstats and rejects what is not expvar', () => {
  const ring = ringAfter(300, pause);
  const body = JSON.stringify({
    cmdline: ['/srv/app', '-port=8080'],
    memstats: { Alloc: 1234, HeapAlloc: 1234, NumGC: 300, PauseTotalNs: 99, GCCPUFraction: 0.0012, PauseNs: ring.PauseNs, PauseEnd: ring.PauseEnd, BySize: [] },
    requests: 17,
  });
  const s = parseExpvar(body);
  assert.equal(s.memstats.NumGC, 300);
  assert.equal(s.memstats.GCCPUFraction, 0.0012);
  assert.equal(s.memstats.Sys, 0);
  assert.deepEqual(s.cmdline, ['/srv/app', '-port=8080']);
  assert.deepEqual(s.vars, { requests: 17 });
  assert.deepEqual(newPauses(298, s.memstats).pauses.map((p) => p.gc), [299, 300]);
  assert.throws(() => parseExpvar('<html>'), (e: unknown) => e instanceof ExpvarError && /invalid JSON/.test((e as Error).message));
  assert.throws(() => parseExpvar('{"cmdline":[]}'), /no "memstats" object \(keys: cmdline\)/);
  assert.throws(() => parseExpvar('{"memstats":{"NumGC":"x"}}'), /memstats\.NumGC is not a number/);
  assert.throws(() => parseExpvar('{"memstats":{"NumGC":1,"PauseNs":[1]}}'), /PauseNs must be an array of 256/);
});

test('percentiles use nearest rank', () => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100 shuffled order
  assert.deepEqual(percentiles(values), { count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
  assert.deepEqual(percentiles([7]), { count: 1, p50: 7, p90: 7, p99: 7, max: 7 });
  assert.deepEqual(percentiles([]), { count: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  assert.deepEqual(percentiles([1, 2, 3, 1000]), { count: 4, p50: 2, p90: 1000, p99: 1000, max: 1000 });
});
