import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeSlack, jsonPayload, parseWebhookTargets, sendAlerts, slackPayload } from '../../src/ci/alerts.js';
import { captureLogger, recordingSleep } from './fake-github.js';
import { finding } from './helpers.js';

interface Hit { path: string; body: unknown }
let server: Server;
let base = '';
const hits: Hit[] = [];
/** Status codes to answer with, in order; then 200. */
let script: { status: number; headers?: Record<string, string> }[] = [];

before(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', body: JSON.parse(raw) });
      const s = script.shift() ?? { status: 200 };
      res.writeHead(s.status, s.headers ?? {});
      res.end(s.status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const crit = finding({ file: 'a.go', line: 4, severity: 'critical', rule: 'defer-lock-mismatch', message: 'mu <!channel> & @here locked twice' });
const high = finding({ file: 'b.go', line: 9, severity: 'high' });

test('Slack payload: text and blocks, escaped so no <!channel> or links can be injected', () => {
  const p = slackPayload([crit], { repository: 'octo/widgets', pullRequest: 7, pullRequestUrl: 'https://github.com/octo/widgets/pull/7', fileUrl: (f, l) => `https://x/${f}#L${l}` });
  assert.equal(p.text, 'deferguard: 1 critical finding in octo/widgets #7');
  const section = (p.blocks[1] as { text: { text: string } }).text.text;
  assert.equal(section, '• *critical* `defer-lock-mismatch` <https://x/a.go#L4|a.go:4>: mu &lt;!channel&gt; &amp; @here locked twice');
  assert.equal(escapeSlack('<@U123>'), '&lt;@U123&gt;');
  assert.deepEqual((p.blocks[2] as { elements: { text: string }[] }).elements[0]!.text, '<https://github.com/octo/widgets/pull/7|Pull request>');
});

test('generic JSON payload', () => {
  const p = jsonPayload([high, crit], { repository: 'octo/widgets', sha: 'abc' });
  assert.deepEqual(p.counts, { critical: 1, high: 1, medium: 0, low: 0 });
  assert.deepEqual((p.findings as { file: string }[]).map((f) => f.file), ['a.go', 'b.go']);
});

test('each webhook gets its severities; 5xx and 429 are retried with back-off; no URL in logs', async () => {
  hits.length = 0;
  script = [{ status: 500 }, { status: 429, headers: { 'retry-after': '1' } }];
  const secretPath = '/services/T000/B000/XXXXsecretXXXX';
  const targets = parseWebhookTargets(
    [
      { name: 'slack-oncall', 'url-env': 'SLACK_URL', format: 'slack' },
      { name: 'audit', url: `${base}/audit?token=abcdef123456`, format: 'json', 'min-severity': 'high' },
    ],
    { SLACK_URL: `${base}${secretPath}` },
  );
  const s = recordingSleep();
  const cap = captureLogger();
  const results = await sendAlerts([crit, high], targets, { repository: 'octo/widgets' }, { sleep: s.sleep, logger: cap.logger, retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 5000 } });
  assert.deepEqual(results.map((r) => [r.name, r.sent, r.ok, r.attempts]), [['slack-oncall', 1, true, 3], ['audit', 2, true, 1]]);
  assert.deepEqual(s.delays, [5, 1000]);
  assert.deepEqual(hits.map((h) => h.path), [secretPath, secretPath, secretPath, '/audit?token=abcdef123456']);
  const logs = cap.lines.join('\n');
  assert.match(logs, /webhook slack-oncall: HTTP 500: no; retry 1\/3 in 5 ms/);
  assert.ok(!logs.includes('secret') && !logs.includes('abcdef123456') && !logs.includes(base), logs);
});

test('a webhook that keeps failing is reported, not thrown, and its URL is not in the error', async () => {
  hits.length = 0;
  script = [{ status: 503 }, { status: 503 }, { status: 503 }];
  const url = `${base}/hook/very-secret-path-123`;
  const results = await sendAlerts([crit], [{ name: 'ops', url, format: 'json', severities: ['critical'] }], {}, { sleep: async () => {}, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 1 } });
  assert.equal(results[0]!.ok, false);
  assert.equal(results[0]!.attempts, 3);
  assert.match(results[0]!.error!, /webhook ops: HTTP 503: no \(after 3 attempts\)/);
  assert.ok(!results[0]!.error!.includes('very-secret-path'));
  // 4xx other than 429 is not retried
  script = [{ status: 404 }];
  hits.length = 0;
  const r2 = await sendAlerts([crit], [{ name: 'ops', url, format: 'json', severities: ['critical'] }], {}, { sleep: async () => {} });
  assert.equal(r2[0]!.attempts, 1);
  assert.equal(hits.length, 1);
});

test('network errors are retried and reported without the URL', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const s = recordingSleep();
  const r = await sendAlerts([crit], [{ name: 'gone', url: `http://127.0.0.1:${port}/secret-hook-path`, format: 'slack', severities: ['critical'] }], {}, { sleep: s.sleep, retry: { retries: 2, baseDelayMs: 3, maxDelayMs: 100 } });
  assert.equal(r[0]!.ok, false);
  assert.deepEqual(s.delays, [3, 6]);
  assert.ok(!r[0]!.error!.includes('secret-hook-path'), r[0]!.error);
});

test('webhook configuration errors are clear and never quote the URL', () => {
  assert.throws(() => parseWebhookTargets([{ name: 'x', 'url-env': 'NOPE' }], {}), /environment variable NOPE is not set/);
  assert.throws(() => parseWebhookTargets([{ url: 'ftp://secret-host/x' }]), (e: unknown) => /not an http\(s\) URL/.test(String(e)) && !String(e).includes('secret-host'));
  assert.throws(() => parseWebhookTargets([{ url: 'https://h/x', format: 'teams' }]), /format must be slack or json/);
  assert.throws(() => parseWebhookTargets([{ url: 'https://h/x', severities: ['urgent'] }]), /unknown severity "urgent"/);
  assert.deepEqual(parseWebhookTargets([{ url: 'https://h/x' }])[0]!.severities, ['critical']);
});
