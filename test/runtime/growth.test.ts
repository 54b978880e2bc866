import { test } from 'node:test';
import assert from 'node:assert/strict';
import { growth, kendallTau, pearson } from '../../src/runtime/growth.js';

test('Kendall tau-b and Pearson on known series', () => {
  assert.equal(kendallTau([1, 2, 3, 4]), 1);
  assert.equal(kendallTau([4, 3, 2, 1]), -1);
  assert.equal(kendallTau([2, 2, 2, 2]), 0);
  // 1 discordant pair out of 6: (5 - 1) / 6
  assert.ok(Math.abs(kendallTau([1, 3, 2, 4]) - 4 / 6) < 1e-9);
  assert.ok(Math.abs(pearson([1, 2, 3], [2, 4, 6])! - 1) < 1e-12);
  assert.equal(pearson([1, 2, 3], [5, 5, 5]), null);
});

test('a group growing with the requests, then flat after the load, is a leak', () => {
  const counts = [0, 8, 17, 24, 33, 41, 50, 50, 50];
  const requests = [0, 10, 20, 30, 40, 50, 60, 60, 60];
  const v = growth({ counts, requests, activeEnd: 6 });
  assert.equal(v.growing, true, v.reason);
  assert.equal(v.increase, 50);
  assert.equal(v.per100Requests, 83.33);
  assert.ok(v.requestCorrelation! > 0.99);
});

test('load-driven goroutines that drain after the load are not a leak', () => {
  const v = growth({ counts: [0, 8, 9, 8, 9, 8, 9, 1, 0], requests: [0, 10, 20, 30, 40, 50, 60, 60, 60], activeEnd: 6 });
  assert.equal(v.growing, false);
  assert.match(v.reason, /grew by 0 \(from 0 to 0, peak 9\)/);
});

test('a pool that fills early and stays flat is not a leak', () => {
  const v = growth({ counts: [0, 16, 32, 32, 32, 32, 32, 32, 32], requests: [0, 10, 20, 30, 40, 50, 60, 60, 60], activeEnd: 6 });
  assert.equal(v.growing, false);
  assert.match(v.reason, /stopped growing/);
});

test('one noisy spike is not a trend', () => {
  const v = growth({ counts: [3, 3, 40, 3, 4, 3, 3, 9, 9] });
  assert.equal(v.growing, false);
  assert.match(v.reason, /no steady trend|drained/);
});

test('growth over time without load, and too few samples', () => {
  assert.equal(growth({ counts: [10, 12, 15, 17, 19, 22, 25] }).growing, true);
  const few = growth({ counts: [0, 100] });
  assert.equal(few.growing, false);
  assert.match(few.reason, /only 2 samples/);
  assert.equal(growth({ counts: [0, 1, 2, 3, 4, 5] }, { minIncrease: 10 }).growing, false);
});

test('growth that does not follow the requests is reported as such', () => {
  // Requests stop half way, goroutines keep growing at the same pace: driven by time, not requests.
  const v = growth(
    { counts: [0, 10, 20, 30, 40, 50, 60, 70, 80], requests: [0, 40, 80, 80, 80, 80, 80, 80, 80], activeEnd: 8 },
    { minRequestCorrelation: 0.95 },
  );
  assert.equal(v.growing, false);
  assert.match(v.reason, /does not follow the requests/);
});
