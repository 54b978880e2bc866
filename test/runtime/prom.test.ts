import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  findFamily,
  gcDurationSeconds,
  goGoroutines,
  histograms,
  looksLikeGoMetrics,
  parsePrometheus,
  parsePromFloat,
} from '../../src/runtime/prom.js';

// The shape client_golang's Go collector and promhttp produce.
const GO_METRICS = `# HELP go_gc_duration_seconds A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles.
# TYPE go_gc_duration_seconds summary
go_gc_duration_seconds{quantile="0"} 2.5e-05
go_gc_duration_seconds{quantile="0.25"} 4.1e-05
go_gc_duration_seconds{quantile="0.5"} 5.6e-05
go_gc_duration_seconds{quantile="0.75"} 8.9e-05
go_gc_duration_seconds{quantile="1"} 0.000512
go_gc_duration_seconds_sum 0.0123
go_gc_duration_seconds_count 188
# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 42
# HELP go_info Information about the Go environment.
# TYPE go_info gauge
go_info{version="go1.26.0"} 1
# HELP http_request_duration_seconds Latency.\\nSecond line with a \\\\ backslash.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{handler="/a",le="0.1"} 3
http_request_duration_seconds_bucket{handler="/a",le="+Inf"} 5
http_request_duration_seconds_bucket{handler="/a",le="0.5"} 4
http_request_duration_seconds_sum{handler="/a"} 1.7
http_request_duration_seconds_count{handler="/a"} 5
# TYPE odd gauge
odd{path="C:\\\\dir",quote="say \\"hi\\"",nl="a\\nb"} NaN 1700000000000
odd{path="x"} -Inf
odd{path="y"} +Inf
`;

test('Go collector metrics: goroutines and GC pause quantiles', () => {
  const r = parsePrometheus(GO_METRICS);
  assert.deepEqual(r.errors, []);
  assert.equal(goGoroutines(r.families), 42);
  const gc = gcDurationSeconds(r.families)!;
  assert.deepEqual(gc.quantiles.map((q) => q.quantile), [0, 0.25, 0.5, 0.75, 1]);
  assert.equal(gc.quantiles[4]!.value, 0.000512);
  assert.equal(gc.sum, 0.0123);
  assert.equal(gc.count, 188);
  assert.equal(findFamily(r.families, 'go_gc_duration_seconds')!.type, 'summary');
  assert.equal(findFamily(r.families, 'go_gc_duration_seconds_sum'), undefined);
  assert.ok(looksLikeGoMetrics(r.families));
});

test('histograms, help escapes, label escapes, NaN/Inf and timestamps', () => {
  const r = parsePrometheus(GO_METRICS);
  const h = findFamily(r.families, 'http_request_duration_seconds')!;
  assert.equal(h.help, 'Latency.\nSecond line with a \\ backslash.');
  const [series] = histograms(h);
  assert.deepEqual(series!.labels, { handler: '/a' });
  assert.deepEqual(series!.buckets, [
    { le: 0.1, count: 3 },
    { le: 0.5, count: 4 },
    { le: Infinity, count: 5 },
  ]);
  assert.equal(series!.count, 5);
  const odd = findFamily(r.families, 'odd')!;
  assert.deepEqual(odd.samples[0]!.labels, { path: 'C:\\dir', quote: 'say "hi"', nl: 'a\nb' });
  assert.ok(Number.isNaN(odd.samples[0]!.value));
  assert.equal(odd.samples[0]!.timestamp, 1700000000000);
  assert.equal(odd.samples[1]!.value, -Infinity);
  assert.equal(odd.samples[2]!.value, Infinity);
});

test('bad lines are reported with their line numbers and skipped', () => {
  const r = parsePrometheus('ok 1\n{x="1"} 2\nbad{x="1} 3\nv{a="1"} notanumber\nw 1 2 3\n# TYPE t nonsense\nlast 4\n');
  assert.deepEqual(r.errors.map((e) => e.line), [2, 3, 4, 5, 6]);
  assert.match(r.errors[1]!.message, /unterminated value of label x/);
  assert.deepEqual(r.families.map((f) => f.name), ['ok', 'last']);
  assert.equal(looksLikeGoMetrics(r.families), false);
  assert.equal(parsePromFloat('1e3'), 1000);
  assert.equal(parsePromFloat('abc'), undefined);
});
