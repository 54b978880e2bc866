// The watch HTML report: one self-contained file (no external resource, no script) whose text from
// the service is escaped, with SVG charts; rendered in headless Chromium when it is installed (the
// screenshot is kept in DEFERGUARD_SCREENSHOT_DIR when set, for a person to look at).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { escapeHtml, renderWatchHtml } from '../../src/runtime/html.js';
import { growth } from '../../src/runtime/growth.js';
import type { WatchReport } from '../../src/runtime/watch.js';

const EVIL = '<script>alert(1)</script>';

function report(): WatchReport {
  const t = Array.from({ length: 13 }, (_, i) => i * 250);
  const leak = t.map((_, i) => Math.min(i, 9) * 12);
  const pool = t.map((_, i) => (i === 0 ? 0 : i < 10 ? 8 : 1));
  const requests = t.map((_, i) => Math.min(i, 9) * 12);
  const v = growth({ counts: leak, requests, activeEnd: 9 });
  return {
    pprof: `http://127.0.0.1:6060/?x=${EVIL}`,
    durationMs: 3000,
    intervalMs: 250,
    startedAt: '2026-01-02T03:04:05.000Z',
    samples: t.map((tMs, i) => ({ tMs, total: 4 + leak[i]! + pool[i]!, sent: requests[i]! })),
    loadEndSample: 9,
    load: { url: 'http://127.0.0.1:6060/work', rps: 50, concurrency: 8, sent: 108, completed: 108, failed: 0, timedOut: 0, skipped: 0, aborted: 0, inFlight: 0, statuses: { '504': 108 } },
    leaks: [{
      createdAt: { file: 'svc/handler.go', line: 27 }, count: 108, state: 'chan send', finding: 'goroutine-blocked-send',
      findingAt: { file: 'svc/handler.go', line: 26 }, docUrl: 'https://example.invalid/docs/rules/goroutine-blocked-send.md',
      message: `handle makes ch unbuffered ${EVIL}`, detectedBy: 'growth', topUserFrame: { func: `main.handle.func1${EVIL}`, file: 'svc/handler.go', line: 28 },
      stuckDefer: null, growth: v, series: leak,
    }],
    groups: [
      { key: 'main.handle.func1 svc/handler.go:28', createdAt: { file: 'svc/handler.go', line: 27 }, state: 'chan send', count: 108, topUserFrame: { func: 'main.handle.func1', file: 'svc/handler.go', line: 28 }, stuckDefer: null, blocked: 'chan', series: leak, verdict: v, matches: [] },
      { key: 'main.lookup svc/handler.go:19', createdAt: null, state: `sleep ${EVIL}`, count: 1, topUserFrame: { func: 'main.lookup', file: 'svc/handler.go', line: 19 }, stuckDefer: null, blocked: 'sleep', series: pool, verdict: growth({ counts: pool }), matches: [] },
    ],
    blockedLong: [{ count: 2, state: 'select', minutes: 12, where: { file: 'svc/loop.go', line: 40 }, func: 'main.loop', createdAt: null, matches: [] }],
    stuckDefers: [],
    gc: { source: 'expvar', cycles: 6, lost: 0, pauses: { count: 6, p50: 60_000, p90: 120_000, p99: 250_000, max: 250_000 }, timeline: [300, 700, 1200, 1800, 2300, 2900].map((tMs, i) => ({ tMs, ns: [60_000, 40_000, 120_000, 250_000, 55_000, 70_000][i]! })), prometheus: null },
    goroutineleak: 'not served',
    promGoroutines: null,
    notes: [`expvar poll failed: ${EVIL}`],
  };
}

test('escapes service text and loads nothing from outside', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  const html = renderWatchHtml(report());
  assert.ok(!html.includes(EVIL), 'raw markup from the service reached the page');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.doesNotMatch(html, /<script|<link|<img|src=|url\(|@import/i);
  assert.equal((html.match(/<svg /g) ?? []).length, 2, 'goroutine and GC charts');
  assert.match(html, /1 leak found/);
  assert.match(html, /confirmed at run time/);
  assert.match(html, /<path d="M/); // the lines are drawn
  assert.equal((html.match(/<circle /g) ?? []).length, 6, 'one dot per GC pause');
});

function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}
const chromium = findChromium();

test('renders in headless Chromium to a non-trivial screenshot', { skip: chromium ? false : 'chromium is not installed (apt-get install chromium)', timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dg-watch-html-'));
  try {
    const page = join(dir, 'watch.html');
    writeFileSync(page, renderWatchHtml(report()));
    const png = join(dir, 'watch.png');
    const profile = mkdtempSync(join(dir, 'profile-'));
    const r = spawnSync(chromium!, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', `--user-data-dir=${profile}`, '--hide-scrollbars', `--screenshot=${png}`, '--window-size=1200,1600', pathToFileURL(page).href,
    ], { encoding: 'utf8', timeout: 90_000 });
    assert.equal(r.error, undefined, `chromium failed to start: ${r.error?.message}`);
    assert.ok(existsSync(png), `no screenshot: ${r.stderr.slice(-500)}`);
    const bytes = readFileSync(png);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // PNG IHDR: width and height, then a size that only a page with content reaches.
    assert.equal(bytes.readUInt32BE(16), 1200);
    assert.equal(bytes.readUInt32BE(20), 1600);
    assert.ok(statSync(png).size > 40_000, `screenshot only ${statSync(png).size} bytes`);
    const keep = process.env.DEFERGUARD_SCREENSHOT_DIR;
    if (keep) {
      mkdirSync(keep, { recursive: true });
      copyFileSync(png, join(keep, 'watch-report.png'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
