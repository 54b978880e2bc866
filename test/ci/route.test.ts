import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ROUTING, parseRouting, routeFindings } from '../../src/ci/route.js';
import { finding } from './helpers.js';

const crit = finding({ file: 'a.go', line: 1, severity: 'critical' });
const high = finding({ file: 'a.go', line: 2, severity: 'high' });
const med = finding({ file: 'a.go', line: 3, severity: 'medium' });
const low = finding({ file: 'a.go', line: 4, severity: 'low' });

test('default routing: critical fails, comments and alerts; high comments and labels; medium and low summary only', () => {
  const r = routeFindings([low, med, high, crit], DEFAULT_ROUTING);
  assert.deepEqual(r.failing, [crit]);
  assert.deepEqual(r.comment, [crit, high]);
  assert.deepEqual(r.alert, [crit]);
  assert.deepEqual(r.labels, ['needs-review']);
  assert.deepEqual(r.all, [crit, high, med, low]);
  assert.deepEqual(routeFindings([med, low]).labels, []);
  assert.deepEqual(routeFindings([med, low]).failing, []);
});

test('configured routes replace the defaults per severity', () => {
  const routing = parseRouting({ high: ['fail', 'comment', 'label:deferguard', 'label:needs-review'], medium: 'comment' });
  assert.deepEqual(routing.critical, DEFAULT_ROUTING.critical);
  const r = routeFindings([crit, high, med], routing);
  assert.deepEqual(r.failing, [crit, high]);
  assert.deepEqual(r.comment, [crit, high, med]);
  assert.deepEqual(r.labels, ['deferguard', 'needs-review']);
  assert.deepEqual(parseRouting({ critical: ['summary'] }).critical, { fail: false, comment: false, alert: false, labels: [] });
});

test('bad routing configuration is a clear error', () => {
  assert.throws(() => parseRouting({ severe: ['fail'] }), /ci\.routes: unknown severity "severe"; expected one of critical, high, medium, low/);
  assert.throws(() => parseRouting({ high: ['page-someone'] }), /ci\.routes\.high: unknown action "page-someone"/);
  assert.throws(() => parseRouting({ high: ['label:'] }), /invalid label/);
  assert.throws(() => parseRouting({ high: 3 }), /must be a list of actions/);
  assert.throws(() => parseRouting(['fail']), /must be a map from severity/);
});
