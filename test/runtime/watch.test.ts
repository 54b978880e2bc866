// deferguard watch against a fake service (a Node HTTP server that speaks pprof and expvar):
// a goroutine group that grows with the requests is a leak (exit 1, JSON leaks[]), a service
// whose goroutines do not grow is clean (exit 0), and unreachable, non-Go and silent endpoints
// are clear errors (exit 2) within the request deadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startLoad } from '../../src/runtime/load.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Fake {
  url: string;
  hits: () => number;
  close: () => Promise<void>;
}

function debug2(leaked: number): string {
  const out = ['goroutine 1 [IO wait]:', 'main.main()', '\t/src/app/main.go:20 +0x1', ''];
  for (let i = 0; i < leaked; i++) {
    out.push(`goroutine ${100 + i} [chan send]:`, 'main.handle.func1()', '\t/src/app/main.go:12 +0x2a', 'created by main.handle in goroutine 7', '\t/src/app/main.go:11 +0x9e', '');
  }
  return out.join('\n');
}

function debug1(leaked: number): string {
  const out = [`goroutine profile: total ${leaked + 1}`];
  if (leaked) out.push(`${leaked} @ 0x48 0x41 0x5204b6`, '#\t0x5204b5\tmain.handle.func1+0x2a\t/src/app/main.go:12', '');
  out.push('1 @ 0x48 0x41 0x520394', '#\t0x520393\tmain.main+0x1\t/src/app/main.go:20', '');
  return out.join('\n');
}

const ring = (n: number) => Array.from({ length: 256 }, (_, i) => (i < n ? 50_000 + i * 1000 : 0));

/** A fake Go service: each request to / leaks one goroutine when `leaky`. */
async function fakeService(leaky: boolean): Promise<Fake> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const leaked = leaky ? hits : 0;
    if (u.pathname === '/debug/pprof/goroutine') {
      res.end(u.searchParams.get('debug') === '1' ? debug1(leaked) : debug2(leaked));
    } else if (u.pathname === '/debug/vars') {
      const numGC = Math.floor(hits / 5);
      const now = Date.now() * 1e6;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ cmdline: ['app'], memstats: { NumGC: numGC, PauseNs: ring(numGC), PauseEnd: ring(numGC).map((x) => (x ? now : 0)), PauseTotalNs: 0 } }));
    } else if (u.pathname === '/') {
      hits++;
      res.end('ok');
    } else {
      res.statusCode = 404;
      res.end('404 page not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

function deferguard(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  const code = `import { main } from './src/cli/main.ts'; process.exitCode = await main(${JSON.stringify(args)});`;
  const t0 = Date.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

test('a group growing with the requests is a leak: exit 1 and leaks[] in JSON', { timeout: 90_000 }, async () => {
  const svc = await fakeService(true);
  try {
    const r = await deferguard(['watch', '--pprof', svc.url, '--duration', '2s', '--interval', '150ms', '--load', `${svc.url}/`, '--rps', '40', '--concurrency', '2', '--format', 'json']);
    assert.equal(r.status, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      leaks: { createdAt: { file: string; line: number } | null; count: number; state: string; finding: string | null; growth: { requestCorrelation: number } }[];
      load: { sent: number; completed: number };
      gc: { source: string; cycles: number; pauses: { count: number; p50: number } };
    };
    assert.equal(doc.leaks.length, 1);
    const leak = doc.leaks[0]!;
    assert.deepEqual(leak.createdAt, { file: '/src/app/main.go', line: 11 });
    assert.equal(leak.state, 'chan send');
    assert.equal(leak.finding, null, 'no --source, no join');
    assert.ok(leak.count >= 20 && leak.count <= svc.hits(), `count ${leak.count}, hits ${svc.hits()}`);
    assert.ok(leak.growth.requestCorrelation > 0.9);
    // Requests aborted at the end of the load phase may have reached the server: completed <= hits <= sent.
    assert.ok(doc.load.sent > 20 && doc.load.completed <= svc.hits() && svc.hits() <= doc.load.sent, `${JSON.stringify(doc.load)}, hits ${svc.hits()}`);
    assert.equal(doc.gc.source, 'expvar');
    assert.ok(doc.gc.cycles >= 3 && doc.gc.pauses.count === doc.gc.cycles, JSON.stringify(doc.gc));
  } finally {
    await svc.close();
  }
});

test('a service whose goroutines do not grow is clean: exit 0, text report', { timeout: 90_000 }, async () => {
  const svc = await fakeService(false);
  try {
    const r = await deferguard(['watch', '--pprof', svc.url, '--duration', '1s', '--interval', '200ms', '--load', `${svc.url}/`, '--rps', '20']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^No leak found\.$/m);
    assert.match(r.stdout, /load: GET http:\/\/127\.0\.0\.1:\d+\/ at 20 rps, concurrency 4: \d+ sent/);
  } finally {
    await svc.close();
  }
});

test('unreachable, non-Go and silent endpoints are clear errors, exit 2, no hang', { timeout: 90_000 }, async () => {
  // A port that was just free: connection refused.
  const tmp = http.createServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
  const port = (tmp.address() as AddressInfo).port;
  await new Promise<void>((r) => tmp.close(() => r()));
  const refused = await deferguard(['watch', '--pprof', `http://127.0.0.1:${port}`, '--duration', '1s', '--interval', '100ms']);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, new RegExp(`cannot connect to 127\\.0\\.0\\.1:${port}: connection refused`));

  // An HTML page where pprof was expected.
  const html = http.createServer((_req, res) => { res.setHeader('content-type', 'text/html'); res.end('<!doctype html><title>Login</title>'); });
  await new Promise<void>((r) => html.listen(0, '127.0.0.1', r));
  // A server that accepts and never answers.
  const silent = http.createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const notGo = await deferguard(['watch', '--pprof', `http://127.0.0.1:${(html.address() as AddressInfo).port}`, '--duration', '1s', '--interval', '100ms']);
    assert.equal(notGo.status, 2);
    assert.match(notGo.stderr, /is not a Go goroutine profile \(text\/html, body starts with "<!doctype html><title>Login<\/title>"\)/);

    const hang = await deferguard(['watch', '--pprof', `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, '--duration', '5s', '--interval', '1s', '--timeout', '400ms']);
    assert.equal(hang.status, 2);
    assert.match(hang.stderr, /did not answer within 400 ms/);
    assert.ok(hang.ms < 15_000, `took ${hang.ms} ms`);
  } finally {
    html.closeAllConnections();
    silent.closeAllConnections();
    await new Promise<void>((r) => html.close(() => r()));
    await new Promise<void>((r) => silent.close(() => r()));
  }
});

test('usage errors: missing --pprof, bad duration, load flags without --load, bounds', async () => {
  const cases: [string[], RegExp][] = [
    [['watch'], /--pprof URL is required/],
    [['watch', '--pprof', 'http://127.0.0.1:1', '--duration', '10 seconds'], /--duration: invalid duration "10 seconds"/],
    [['watch', '--pprof', 'http://127.0.0.1:1', '--rps', '5'], /--rps and --concurrency need --load URL/],
    [['watch', '--pprof', 'http://127.0.0.1:1', '--load', 'http://127.0.0.1:1/', '--rps', '999999'], /--rps must be between 1 and 2000/],
    [['watch', '--pprof', 'ftp://127.0.0.1:1'], /--pprof: unsupported URL scheme ftp:/],
    [['watch', '--pprof', 'http://127.0.0.1:1', '--duration', '1s', '--interval', '2s'], /--interval is longer than --duration/],
    [['watch', '--pprof', 'http://127.0.0.1:1', '--format', 'xml'], /--format must be text, json or html/],
  ];
  for (const [args, re] of cases) {
    const r = await deferguard(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, re);
  }
});

test('the load driver keeps to its rate, its concurrency and its duration', { timeout: 30_000 }, async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((_req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => { inFlight--; res.end('ok'); }, 100);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const t0 = Date.now();
    const run = startLoad({ url, rps: 50, concurrency: 3, durationMs: 1000, timeoutMs: 1000 });
    const s = await run.done;
    const took = Date.now() - t0;
    assert.ok(took >= 950 && took < 2500, `took ${took} ms`);
    assert.ok(maxInFlight <= 3, `max in flight ${maxInFlight}`);
    // 3 in flight for 100 ms each: about 30 per second can be sent; the rest are skipped, not queued.
    assert.ok(s.sent <= 51 && s.sent >= 15, JSON.stringify(s));
    assert.ok(s.skipped > 0, JSON.stringify(s));
    assert.equal(s.sent, s.completed + s.failed + s.aborted);
    assert.equal(s.statuses['200'], s.completed);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
