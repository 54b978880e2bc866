// Hostile endpoints, table-driven, against a raw TCP server on 127.0.0.1: the GitHub client, the
// alert webhooks and the runtime fetcher each meet a server that hangs, resets (before and in
// the middle of a body), trickles bytes (slowloris), answers 5xx or 429 with and without
// Retry-After, or sends oversized or malformed bodies. Each must end within its timeout, retry a
// bounded number of times with back-off, give a clear message, and never show the token or the
// webhook's secret path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { GitHubClient, GitHubApiError } from '../../src/ci/github.js';
import { postWebhook } from '../../src/ci/alerts.js';
import { fetchText, FetchError } from '../../src/runtime/fetch.js';
import type { Logger } from '../../src/ci/redact.js';

const TOKEN = 'ghs_' + 'Q'.repeat(36);
const HOOK_SECRET = 'T000/B000/XXXXXXXXXXXXSECRETPATH';

type Behaviour = 'hang' | 'reset' | 'reset-mid-body' | 'slowloris' | '500' | '429-retry-after' | '429-bare' | 'huge-declared' | 'huge-chunked' | 'bad-json' | 'ok';

function respond(sock: Socket, b: Behaviour): void {
  const head = (status: string, headers: Record<string, string | number>) =>
    `HTTP/1.1 ${status}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\nConnection: close\r\n\r\n`;
  switch (b) {
    case 'hang':
      return; // read the request, never answer
    case 'reset':
      sock.resetAndDestroy();
      return;
    case 'reset-mid-body':
      sock.write(head('200 OK', { 'Content-Type': 'application/json', 'Content-Length': 1000 }) + '{"partial":');
      setTimeout(() => sock.resetAndDestroy(), 20);
      return;
    case 'slowloris': {
      sock.write(head('200 OK', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }));
      const t = setInterval(() => {
        if (sock.destroyed) clearInterval(t);
        else sock.write('1\r\n \r\n');
      }, 50);
      sock.on('close', () => clearInterval(t));
      return;
    }
    case '500':
      sock.end(head('502 Bad Gateway', { 'Content-Type': 'text/plain', 'Content-Length': 11 }) + 'bad gateway');
      return;
    case '429-retry-after':
      sock.end(head('429 Too Many Requests', { 'Retry-After': 2, 'Content-Type': 'application/json', 'Content-Length': 2 }) + '{}');
      return;
    case '429-bare':
      sock.end(head('429 Too Many Requests', { 'Content-Type': 'application/json', 'Content-Length': 2 }) + '{}');
      return;
    case 'huge-declared':
      sock.end(head('200 OK', { 'Content-Type': 'application/json', 'Content-Length': 500_000_000 }) + '{');
      return;
    case 'huge-chunked': {
      sock.write(head('200 OK', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }));
      const chunk = 'x'.repeat(64 * 1024);
      const line = `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
      let sent = 0;
      const pump = () => {
        while (!sock.destroyed && sent < 400) {
          sent++;
          if (!sock.write(line)) return void sock.once('drain', pump);
        }
        if (!sock.destroyed) sock.end('0\r\n\r\n');
      };
      pump();
      sock.on('error', () => {});
      return;
    }
    case 'bad-json':
      sock.end(head('200 OK', { 'Content-Type': 'application/json', 'Content-Length': 14 }) + '{"unterminated');
      return;
    case 'ok':
      sock.end(head('200 OK', { 'Content-Type': 'application/json', 'Content-Length': 11 }) + '{"ok":true}');
      return;
  }
}

/** A server that answers the n-th request with plan[n] (the last entry repeats). */
async function serve(plan: Behaviour[]): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let n = 0;
  const socks = new Set<Socket>();
  const server: Server = createServer((sock) => {
    socks.add(sock);
    sock.on('error', () => {});
    sock.on('close', () => socks.delete(sock));
    let buf = '';
    sock.on('data', (d) => {
      if (buf === null) return;
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const len = Number(/content-length:\s*(\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
      if (buf.length < end + 4 + len) return;
      buf = null as unknown as string;
      respond(sock, plan[Math.min(n++, plan.length - 1)]!);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => n,
    close: () => new Promise((r) => {
      for (const s of socks) s.destroy();
      server.close(() => r());
    }),
  };
}

interface Case {
  plan: Behaviour[];
  /** Expected outcome: ok, or an error matching the pattern. */
  ok: boolean;
  error?: RegExp;
  /** Requests the server saw (the retry bound). */
  hits: number;
  /** Back-off delays asked of sleep(). */
  sleeps?: number[];
}

const RETRY = { retries: 2, baseDelayMs: 100, maxDelayMs: 5000 };

const TABLE: Record<string, Case> = {
  'hangs': { plan: ['hang'], ok: false, error: /no response within 300 ms/, hits: 3, sleeps: [100, 200] },
  'resets before answering': { plan: ['reset'], ok: false, error: /fetch failed|socket|ECONNRESET|other side closed/i, hits: 3, sleeps: [100, 200] },
  'resets in the middle of the body': { plan: ['reset-mid-body'], ok: false, error: /terminated|ECONNRESET|socket|closed|aborted/i, hits: 3, sleeps: [100, 200] },
  'trickles bytes (slowloris)': { plan: ['slowloris'], ok: false, error: /no response within 300 ms/, hits: 3, sleeps: [100, 200] },
  '5xx then recovers': { plan: ['500', '500', 'ok'], ok: true, hits: 3, sleeps: [100, 200] },
  '5xx for good': { plan: ['500'], ok: false, error: /502/, hits: 3 },
  '429 with Retry-After then ok': { plan: ['429-retry-after', 'ok'], ok: true, hits: 2, sleeps: [2000] },
  '429 without Retry-After backs off': { plan: ['429-bare', 'ok'], ok: true, hits: 2 },
  'declares an oversized body': { plan: ['huge-declared'], ok: false, error: /larger than 65536 bytes|more than the 65536-byte limit/, hits: 1 },
  'streams an oversized body': { plan: ['huge-chunked'], ok: false, error: /larger than 65536 bytes|more than 65536 bytes/, hits: 1 },
};

function collectingLogger(lines: string[]): Logger {
  return { info: (s) => void lines.push(s), warn: (s) => void lines.push(s), debug: (s) => void lines.push(s) };
}

for (const [name, c] of Object.entries(TABLE)) {
  test(`GitHub client, endpoint ${name}`, { timeout: 20_000 }, async () => {
    const srv = await serve(c.plan);
    const sleeps: number[] = [];
    const logs: string[] = [];
    try {
      const client = new GitHubClient({
        token: TOKEN, apiUrl: srv.url, timeoutMs: 300, retry: RETRY, maxResponseBytes: 65536, maxRateLimitWaitMs: 60_000,
        sleep: async (ms) => void sleeps.push(ms), logger: collectingLogger(logs),
      });
      let err: unknown;
      try {
        await client.request('GET', '/repos/o/r/pulls/1');
      } catch (e) {
        err = e;
      }
      if (c.ok) assert.equal(err, undefined, String(err));
      else {
        assert.ok(err instanceof GitHubApiError, `a GitHubApiError, not ${String(err)}`);
        assert.match(err.message, c.error!);
        assert.match(err.message, /^GitHub API GET /, 'the message says what was being done');
      }
      // 5xx for good is retried by the client's own policy; every other count is exact.
      if (name === '5xx for good') assert.ok(srv.hits() >= 2 && srv.hits() <= 1 + RETRY.retries + 1, `bounded retries, saw ${srv.hits()}`);
      else if (name === 'hangs' || name.startsWith('trickles')) {
        // An attempt cut off by the timeout may not have reached the server yet: count the client's attempts.
        assert.match((err as Error).message, /after 3 attempts/);
        assert.ok(srv.hits() <= 3, `bounded retries, saw ${srv.hits()}`);
      } else assert.equal(srv.hits(), c.hits);
      if (c.sleeps && name !== '429 without Retry-After backs off') assert.deepEqual(sleeps, c.sleeps);
      if (name === '429 without Retry-After backs off') assert.ok(sleeps.length === 1 && sleeps[0]! > 0, `waited ${sleeps.join(',')} ms before retrying a 429`);
      for (const text of [...logs, String((err as Error | undefined)?.message ?? '')]) assert.ok(!text.includes(TOKEN), `token leaked: ${text}`);
    } finally {
      await srv.close();
    }
  });

  test(`alert webhook, endpoint ${name}`, { timeout: 20_000 }, async () => {
    const srv = await serve(c.plan);
    const sleeps: number[] = [];
    const logs: string[] = [];
    try {
      const url = `${srv.url}/services/${HOOK_SECRET}`;
      const r = await postWebhook({ name: 'oncall', url, format: 'json', severities: ['critical'] }, { text: 'x' }, {
        timeoutMs: 300, retry: RETRY, sleep: async (ms) => void sleeps.push(ms), logger: collectingLogger(logs),
      });
      assert.equal(r.ok, c.ok, r.error);
      if (!c.ok) assert.match(r.error!, name === '5xx for good' ? /HTTP 502/ : c.error!);
      if (!c.ok) assert.match(r.error!, /^webhook oncall: /, 'the message names the webhook');
      const expectHits = name.startsWith('declares') || name.startsWith('streams') ? 3 : c.hits; // webhooks retry a body they could not read
      if (name === 'hangs' || name.startsWith('trickles')) {
        assert.match(r.error!, /after 3 attempts/);
        assert.ok(srv.hits() <= 3, `bounded retries, saw ${srv.hits()}`);
      } else assert.equal(srv.hits(), name === '5xx for good' ? 3 : expectHits);
      if (name === '429 with Retry-After then ok') assert.deepEqual(sleeps, [2000]);
      if (name === '429 without Retry-After backs off') assert.ok(sleeps.length === 1 && sleeps[0]! > 0, `waited ${sleeps.join(',')} ms before retrying a 429`);
      for (const text of [...logs, r.error ?? '']) {
        assert.ok(!text.includes(HOOK_SECRET) && !text.includes(url), `webhook secret leaked: ${text}`);
      }
    } finally {
      await srv.close();
    }
  });
}

test('GitHub client: a body that is not JSON is a clear error, not a crash', { timeout: 10_000 }, async () => {
  const srv = await serve(['bad-json']);
  try {
    const client = new GitHubClient({ token: TOKEN, apiUrl: srv.url, timeoutMs: 300, retry: RETRY, sleep: async () => {} });
    await assert.rejects(client.request('GET', '/repos/o/r/pulls/1'), (e: unknown) => {
      assert.ok(e instanceof GitHubApiError);
      assert.match(e.message, /GET .*pulls\/1: response is not valid JSON/);
      assert.ok(!e.message.includes(TOKEN));
      return true;
    });
  } finally {
    await srv.close();
  }
});

const RUNTIME: Record<string, { plan: Behaviour[]; code: FetchError['code'] }> = {
  'hangs': { plan: ['hang'], code: 'timeout' },
  'trickles bytes (slowloris)': { plan: ['slowloris'], code: 'timeout' },
  'resets before answering': { plan: ['reset'], code: 'network' },
  'resets in the middle of the body': { plan: ['reset-mid-body'], code: 'network' },
  'declares an oversized body': { plan: ['huge-declared'], code: 'too-large' },
  'streams an oversized body': { plan: ['huge-chunked'], code: 'too-large' },
  'answers 5xx': { plan: ['500'], code: 'status' },
};

for (const [name, c] of Object.entries(RUNTIME)) {
  test(`runtime fetch (watch), endpoint ${name}`, { timeout: 10_000 }, async () => {
    const srv = await serve(c.plan);
    try {
      const t0 = Date.now();
      await assert.rejects(fetchText(`${srv.url}/debug/pprof/goroutine?debug=1`, { timeoutMs: 300, maxBytes: 65536 }), (e: unknown) => {
        assert.ok(e instanceof FetchError, String(e));
        assert.equal(e.code, c.code, e.message);
        assert.match(e.message, /127\.0\.0\.1/, 'the message names the endpoint');
        return true;
      });
      assert.ok(Date.now() - t0 < 3000, 'ends within the timeout, not when the server gives up');
    } finally {
      await srv.close();
    }
  });
}
