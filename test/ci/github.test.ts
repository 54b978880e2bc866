import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitHubApiError, GitHubClient, nextLink, parseRepo, GITHUB_API_VERSION } from '../../src/ci/github.js';
import { FakeGitHub, captureLogger, recordingSleep } from './fake-github.js';

const TOKEN = 'ghs_' + 'S3cr3tT0ken'.repeat(3);
const REPO = 'octo/widgets';

let gh: FakeGitHub;
before(async () => {
  gh = new FakeGitHub({ token: TOKEN, readOnlyToken: 'ghs_readonlyReadonlyReadonly01' });
  await gh.start();
});
after(() => gh.stop());
beforeEach(() => {
  gh.requests.length = 0;
  gh.failures = [];
  gh.reviewComments.clear();
  gh.issueComments.clear();
});

function client(extra: Partial<ConstructorParameters<typeof GitHubClient>[0]> = {}) {
  const s = recordingSleep();
  const cap = captureLogger();
  const c = new GitHubClient({ token: TOKEN, apiUrl: gh.url, sleep: s.sleep, logger: cap.logger, retry: { retries: 3, baseDelayMs: 10, maxDelayMs: 100 }, ...extra });
  return { c, delays: s.delays, logs: cap.lines };
}

test('sends auth, user agent, API version and accept headers', async () => {
  const { c } = client({ userAgent: 'deferguard-test' });
  await c.getPull(REPO, 7);
  const r = gh.requests[0]!;
  assert.equal(r.headers.authorization, `Bearer ${TOKEN}`);
  assert.equal(r.headers['user-agent'], 'deferguard-test');
  assert.equal(r.headers['x-github-api-version'], GITHUB_API_VERSION);
  assert.equal(r.headers.accept, 'application/vnd.github+json');
});

test('pagination follows Link rel="next" until the last page', async () => {
  for (let i = 0; i < 5; i++) gh.addIssueComment(`comment ${i}`);
  const { c } = client();
  const all = await c.listIssueComments(REPO, 7);
  assert.deepEqual(all.map((x) => x.body), ['comment 0', 'comment 1', 'comment 2', 'comment 3', 'comment 4']);
  assert.deepEqual(gh.requests.map((r) => r.url), [
    '/repos/octo/widgets/issues/7/comments?per_page=100',
    '/repos/octo/widgets/issues/7/comments?per_page=100&page=2',
    '/repos/octo/widgets/issues/7/comments?per_page=100&page=3',
  ]);
});

test('nextLink parses several relations and ignores others', () => {
  assert.equal(nextLink('<https://a/x?page=1>; rel="prev", <https://a/x?page=3>; rel="next", <https://a/x?page=9>; rel="last"'), 'https://a/x?page=3');
  assert.equal(nextLink('<https://a/x?page=9>; rel="last"'), undefined);
  assert.equal(nextLink(null), undefined);
});

test('a Link header to another host is refused and the token is not sent there', async () => {
  let hits = 0;
  const evil = createServer((_req, res) => {
    hits++;
    res.end('[]');
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/steal`;
  const api = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', link: `<${evilUrl}>; rel="next"` });
    res.end('[{"id":1}]');
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  try {
    const c = new GitHubClient({ token: TOKEN, apiUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}` });
    await assert.rejects(c.listIssueComments(REPO, 1), /refusing to send credentials to another host/);
    assert.equal(hits, 0);
  } finally {
    api.close();
    evil.close();
  }
});

test('5xx responses are retried with exponential back-off', async () => {
  gh.failures.push({ path: /\/pulls\/7$/, status: 502, times: 2 });
  const { c, delays } = client();
  const pr = await c.getPull(REPO, 7);
  assert.equal(pr.number, 7);
  assert.equal(gh.requests.length, 3);
  assert.deepEqual(delays, [10, 20]);
});

test('5xx retries are bounded', async () => {
  gh.failures.push({ path: /\/pulls\/7$/, status: 503, times: 10 });
  const { c, delays } = client();
  await assert.rejects(c.getPull(REPO, 7), (e: unknown) => e instanceof GitHubApiError && e.status === 503 && e.kind === 'server');
  assert.equal(gh.requests.length, 4);
  assert.deepEqual(delays, [10, 20, 40]);
});

test('network errors are retried', async () => {
  gh.failures.push({ path: /\/pulls\/7$/, status: 0, destroy: true, times: 1 });
  const { c } = client();
  assert.equal((await c.getPull(REPO, 7)).number, 7);
  assert.equal(gh.requests.length, 2);
});

test('429 with Retry-After waits that long, then succeeds', async () => {
  gh.failures.push({ path: /\/pulls\/7$/, status: 429, headers: { 'retry-after': '2' }, body: { message: 'You have exceeded a secondary rate limit' } });
  const { c, delays } = client();
  assert.equal((await c.getPull(REPO, 7)).number, 7);
  assert.deepEqual(delays, [2000]);
});

test('429 with a small Retry-After really waits (real timer)', async () => {
  gh.failures.push({ path: /\/pulls\/7$/, status: 429, headers: { 'retry-after': '0.05' } });
  const c = new GitHubClient({ token: TOKEN, apiUrl: gh.url });
  const t0 = performance.now();
  await c.getPull(REPO, 7);
  assert.ok(performance.now() - t0 >= 45, 'waited for Retry-After');
  assert.equal(gh.requests.length, 2);
});

test('403 with x-ratelimit-remaining 0 waits until x-ratelimit-reset (bounded)', async () => {
  const now = 1_700_000_000_000;
  gh.failures.push({ path: /\/pulls\/7$/, status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 5) }, body: { message: 'API rate limit exceeded' } });
  const { c, delays } = client({ now: () => now });
  await c.getPull(REPO, 7);
  assert.deepEqual(delays, [6000]);

  gh.failures.push({ path: /\/pulls\/7$/, status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 3600) } });
  const { c: c2, delays: d2 } = client({ now: () => now, maxRateLimitWaitMs: 60_000 });
  await assert.rejects(c2.getPull(REPO, 7), /rate limited; the limit resets in 3601 s/);
  assert.deepEqual(d2, []);
});

test('403 "Resource not accessible by integration" is a write denial, not retried', async () => {
  const c = new GitHubClient({ token: 'ghs_readonlyReadonlyReadonly01', apiUrl: gh.url });
  await assert.rejects(c.createIssueComment(REPO, 7, 'hi'), (e: unknown) => {
    assert.ok(e instanceof GitHubApiError);
    assert.equal(e.writeDenied, true);
    assert.equal(e.status, 403);
    assert.match(e.message, /POST \/repos\/octo\/widgets\/issues\/7\/comments: 403 Resource not accessible by integration/);
    return true;
  });
  assert.equal(gh.requests.length, 1);
});

test('diff media type, and 406/422 fall back to the paginated files endpoint', async () => {
  const diff = 'diff --git a/x.go b/x.go\n--- a/x.go\n+++ b/x.go\n@@ -1 +1 @@\n-a\n+b\n';
  for (const status of [200, 406, 422]) {
    const fake = new FakeGitHub({
      token: TOKEN,
      diff,
      diffStatus: status,
      files: [
        { filename: 'a.go', status: 'modified', patch: '@@ -1,2 +1,2 @@\n x\n-y\n+z' },
        { filename: 'img.png', status: 'added' },
        { filename: 'new.go', status: 'added', patch: '@@ -0,0 +1 @@\n+package p' },
        { filename: 'gone.go', status: 'removed', patch: '@@ -1 +0,0 @@\n-package p' },
        { filename: 'moved.go', status: 'renamed', previous_filename: 'old.go', patch: '@@ -3 +3 @@\n-a\n+b' },
      ],
    });
    await fake.start();
    try {
      const c = new GitHubClient({ token: TOKEN, apiUrl: fake.url });
      const r = await c.getPullDiff(REPO, 7);
      if (status === 200) {
        assert.equal(r.source, 'diff');
        assert.equal(r.diff, diff);
        assert.equal(fake.requests[0]!.headers.accept, 'application/vnd.github.v3.diff');
        continue;
      }
      assert.equal(r.source, 'files');
      assert.deepEqual(r.filesWithoutPatch, ['img.png']);
      assert.equal(
        r.diff,
        'diff --git a/a.go b/a.go\n--- a/a.go\n+++ b/a.go\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n' +
          'diff --git a/new.go b/new.go\n--- /dev/null\n+++ b/new.go\n@@ -0,0 +1 @@\n+package p\n' +
          'diff --git a/gone.go b/gone.go\n--- a/gone.go\n+++ /dev/null\n@@ -1 +0,0 @@\n-package p\n' +
          'diff --git a/old.go b/moved.go\n--- a/old.go\n+++ b/moved.go\n@@ -3 +3 @@\n-a\n+b\n',
      );
      // the files list is paginated (page size 2 in the fake): 3 pages
      assert.deepEqual(fake.requests.map((q) => q.url.replace(/\?.*/, '')), ['/repos/octo/widgets/pulls/7', ...Array(3).fill('/repos/octo/widgets/pulls/7/files')]);
    } finally {
      await fake.stop();
    }
  }
});

test('responses above the size cap fail clearly', async () => {
  for (let i = 0; i < 4; i++) gh.addIssueComment('x'.repeat(400));
  const { c } = client({ maxResponseBytes: 500 });
  await assert.rejects(c.listIssueComments(REPO, 7), (e: unknown) => e instanceof GitHubApiError && e.kind === 'too-large' && /response larger than 500 bytes/.test(e.message));
});

test('a request that hangs times out and is retried, then fails clearly', async () => {
  const hang = createServer(() => {
    /* never answers */
  });
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
  try {
    const s = recordingSleep();
    const c = new GitHubClient({ token: TOKEN, apiUrl: `http://127.0.0.1:${(hang.address() as AddressInfo).port}`, timeoutMs: 50, sleep: s.sleep, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    await assert.rejects(c.getPull(REPO, 7), /no response within 50 ms \(after 2 attempts\)/);
  } finally {
    hang.closeAllConnections();
    hang.close();
  }
});

test('the token never appears in errors or logs, even when the server echoes it', async () => {
  // A token of no well-known shape: only the registered secret can redact it.
  const TOKEN = 'plain-secret-value-0123456789';
  const cap = captureLogger();
  const messages: string[] = [];
  // The server quotes the Authorization header back in its error message.
  const echo = createServer((req, res) => {
    res.writeHead(req.method === 'GET' ? 500 : 400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `bad header ${req.headers.authorization} for ${TOKEN}` }));
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  try {
    const c = new GitHubClient({ token: TOKEN, apiUrl: `http://127.0.0.1:${(echo.address() as AddressInfo).port}`, logger: cap.logger, sleep: async () => {}, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    for (const call of [() => c.getPull(REPO, 7), () => c.createIssueComment(REPO, 7, 'x'), () => c.listReviewComments(REPO, 7)]) {
      try {
        await call();
        assert.fail('expected an error');
      } catch (e) {
        messages.push(String(e), (e as Error).stack ?? '', JSON.stringify(e), (e as GitHubApiError).apiMessage ?? '');
      }
    }
  } finally {
    echo.close();
  }
  const all = [...messages, ...cap.lines].join('\n');
  assert.ok(all.includes('bad header Bearer ***'), 'the echoed message is kept, redacted');
  assert.ok(cap.lines.length >= 2, 'retries were logged');
  assert.ok(!all.includes(TOKEN), 'token leaked');
  assert.ok(!all.includes('0123456789'), 'part of the token leaked');
});

test('bad input gives clear errors', () => {
  assert.throws(() => new GitHubClient({ token: '' }), /a GitHub token is required/);
  assert.throws(() => new GitHubClient({ token: TOKEN, apiUrl: 'ftp://x' }), /not an http\(s\) URL/);
  assert.throws(() => parseRepo('octo/../x'), /not a GitHub repository name/);
  assert.throws(() => parseRepo('octo'), /not a GitHub repository name/);
  assert.deepEqual(parseRepo('octo/widgets.js'), { owner: 'octo', repo: 'widgets.js' });
});
