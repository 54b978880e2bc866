import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { FetchError, fetchExpvar, fetchGoroutines, fetchMetrics, fetchText } from '../../src/runtime/fetch.js';

const DUMPS = new URL('../../testdata/runtime/dumps/', import.meta.url);
const debug1 = readFileSync(new URL('goroutine-debug1.txt', DUMPS), 'utf8');
const debug2 = readFileSync(new URL('goroutine-debug2.txt', DUMPS), 'utf8');

let server: http.Server;
let base = '';
const open = new Set<import('node:net').Socket>();

before(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/ok':
        res.end('hello');
        return;
      case '/fail':
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('boom: database unavailable');
        return;
      case '/hang':
        return; // never answers
      case '/slow': // headers at once, then a trickle that outlasts the deadline
        res.writeHead(200);
        res.write('a');
        setTimeout(() => res.end('b'), 2000).unref();
        return;
      case '/huge-declared':
        res.writeHead(200, { 'content-length': String(10 << 20) });
        res.write('x'.repeat(1024));
        return;
      case '/huge-chunked': {
        res.writeHead(200);
        const chunk = 'y'.repeat(64 << 10);
        let n = 0;
        const push = () => {
          while (n < 200 && res.write(chunk)) n++;
          if (n < 200) res.once('drain', push);
          else res.end();
        };
        push();
        return;
      }
      case '/debug/pprof/goroutine':
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(url.searchParams.get('debug') === '1' ? debug1 : debug2);
        return;
      case '/html/debug/pprof/goroutine':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Login</title>');
        return;
      case '/debug/vars':
        res.end(JSON.stringify({ memstats: { NumGC: 2, PauseNs: new Array(256).fill(5), PauseEnd: new Array(256).fill(9) } }));
        return;
      case '/metrics':
        res.end('# TYPE go_goroutines gauge\ngo_goroutines 12\n');
        return;
      case '/other/metrics':
        res.end('# TYPE node_load1 gauge\nnode_load1 0.5\n');
        return;
      default:
        res.writeHead(404);
        res.end('404 page not found');
    }
  });
  server.on('connection', (s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  for (const s of open) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

async function rejectsWith(p: Promise<unknown>, code: string, re: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof FetchError, String(e));
    assert.equal(e.code, code);
    assert.match(e.message, re);
    return true;
  });
}

test('a plain GET', async () => {
  const r = await fetchText(`${base}/ok`);
  assert.equal(r.status, 200);
  assert.equal(r.body, 'hello');
});

test('non-2xx gives the status and the start of the body', async () => {
  await rejectsWith(fetchText(`${base}/fail`), 'status', /answered HTTP 500 Internal Server Error: boom: database unavailable/);
});

test('a server that never answers, and one that is too slow, hit the deadline', async () => {
  const t0 = Date.now();
  await rejectsWith(fetchText(`${base}/hang`, { timeoutMs: 200 }), 'timeout', /did not answer within 200 ms/);
  await rejectsWith(fetchText(`${base}/slow`, { timeoutMs: 300 }), 'timeout', /within 300 ms/);
  assert.ok(Date.now() - t0 < 1900, 'the deadline cut the requests short');
});

test('bodies over the cap are refused, declared or streamed', async () => {
  await rejectsWith(fetchText(`${base}/huge-declared`, { maxBytes: 1 << 20 }), 'too-large', /announced 10485760 bytes, more than the 1048576-byte limit/);
  await rejectsWith(fetchText(`${base}/huge-chunked`, { maxBytes: 1 << 20 }), 'too-large', /sent more than 1048576 bytes/);
});

test('connection refused and bad URLs', async () => {
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  await rejectsWith(fetchText(`http://127.0.0.1:${port}/x`), 'refused', new RegExp(`cannot connect to 127.0.0.1:${port}: connection refused`));
  await rejectsWith(fetchText('not a url'), 'bad-url', /invalid URL/);
  await rejectsWith(fetchText('ftp://127.0.0.1/x'), 'bad-url', /unsupported URL scheme ftp:/);
});

test('Go endpoints: goroutine profiles, expvar, metrics; and what is not one', async () => {
  const d2 = await fetchGoroutines(base);
  assert.equal(d2.dump.format, 'traceback');
  const d1 = await fetchGoroutines(base, { debug: 1 });
  assert.equal(d1.dump.format, 'debug1');
  await rejectsWith(fetchGoroutines(`${base}/html`, { debug: 1 }), 'not-go', /is not a Go goroutine profile \(text\/html, body starts with "<!doctype html>/);
  const v = await fetchExpvar(base);
  assert.equal(v.snapshot.memstats.NumGC, 2);
  await rejectsWith(fetchExpvar(`${base}/ok`), 'status', /HTTP 404/);
  const m = await fetchMetrics(base);
  assert.equal(m.metrics.families[0]!.name, 'go_goroutines');
  await rejectsWith(fetchMetrics(`${base}/other`), 'not-go', /has no Go runtime metrics/);
});
