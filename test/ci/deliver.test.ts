import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactError, ARTIFACT_FILE } from '../../src/ci/artifact.js';
import { deliver, deliverPhaseOne, deliverPhaseTwo, FORK_NOTICE } from '../../src/ci/deliver.js';
import type { GitHubContext } from '../../src/ci/env.js';
import type { Finding } from '../../src/findings/model.js';
import { FakeGitHub, captureLogger } from './fake-github.js';
import { addedLinesDiff, finding } from './helpers.js';

const TOKEN = 'write-token-0123456789abcdef';
const RO_TOKEN = 'readonly-token-0123456789abcdef';
const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);
const REPO = 'octo/widgets';

let gh: FakeGitHub;
let hooks: Server;
let hookUrl = '';
const hookHits: unknown[] = [];
let dir = '';

before(async () => {
  gh = new FakeGitHub({ token: TOKEN, readOnlyToken: RO_TOKEN, diff: addedLinesDiff('pkg/a.go', 1, 200) + addedLinesDiff('pkg/b.go', 1, 20) });
  await gh.start();
  hooks = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      hookHits.push(JSON.parse(raw));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks/secret-webhook-path-42`;
});
after(async () => {
  await gh.stop();
  hooks.close();
});
beforeEach(() => {
  gh.requests.length = 0;
  gh.reviewComments.clear();
  gh.issueComments.clear();
  gh.reviews.length = 0;
  gh.labels.clear();
  gh.checkRuns.clear();
  gh.failures = [];
  hookHits.length = 0;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = mkdtempSync(join(tmpdir(), 'dg-ci-'));
});

function ctx(over: Partial<GitHubContext> = {}, fork = false): GitHubContext {
  return {
    provider: 'github',
    eventName: 'pull_request',
    repository: REPO,
    sha: 'f'.repeat(40),
    ref: 'refs/pull/7/merge',
    apiUrl: gh.url,
    serverUrl: 'https://github.com',
    token: TOKEN,
    runId: '42',
    runUrl: `https://github.com/${REPO}/actions/runs/42`,
    stepSummaryPath: join(dir, 'summary.md'),
    outputPath: join(dir, 'output'),
    workspace: undefined,
    pullRequest: { number: 7, headSha: HEAD, baseSha: BASE, headRef: 'feat', baseRef: 'main', headRepo: fork ? 'someone/widgets' : REPO, baseRepo: REPO, isFork: fork },
    workflowRun: undefined,
    beforeSha: undefined,
    ...over,
  };
}

/** 120 findings: 2 critical, 40 high, the rest medium. */
function manyFindings(): Finding[] {
  return Array.from({ length: 120 }, (_, i) =>
    finding({ file: 'pkg/a.go', line: i + 1, severity: i < 2 ? 'critical' : i < 42 ? 'high' : 'medium', fingerprint: `fp${i}`, message: `finding ${i}` }),
  );
}

function noSleep() {
  return async () => {};
}

test('pull request: review, sticky summary, label, check run in batches of 50, step summary, outputs, alert', async () => {
  const cap = captureLogger();
  let log = '';
  const findings = manyFindings();
  const report = await deliver(
    ctx(),
    { findings, checkRunName: 'deferguard', webhooks: [{ name: 'oncall', url: hookUrl, format: 'slack', severities: ['critical'] }], sarifPath: 'deferguard.sarif', baselined: 3, fixed: 1 },
    { sleep: noSleep(), logger: cap.logger, writeLog: (s) => (log += s) },
  );
  assert.deepEqual(report.errors, []);
  assert.equal(report.fallback, undefined);
  assert.equal(report.failed, true);
  // 42 findings are routed to comments: 30 inline, 12 listed in the review body.
  assert.equal(report.review!.created, 30);
  assert.equal(report.review!.overflow.length, 12);
  assert.equal(gh.reviews.length, 1);
  assert.equal(gh.reviews[0]!.comments.length, 30);
  assert.equal(report.summary!.action, 'created');
  assert.deepEqual([...gh.labels], ['needs-review']);
  // Check run: 120 annotations = create with 50, then two updates (50, 20).
  const runs = [...gh.checkRuns.values()];
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.conclusion, 'failure');
  assert.equal(runs[0]!.head_sha, HEAD);
  assert.equal(runs[0]!.annotations.length, 120);
  assert.equal(runs[0]!.calls, 3);
  const checkCalls = gh.requests.filter((r) => r.url.includes('/check-runs'));
  assert.deepEqual(checkCalls.map((r) => [r.method, (r.body as { output: { annotations: unknown[] } }).output.annotations.length]), [['POST', 50], ['PATCH', 50], ['PATCH', 20]]);
  assert.deepEqual(report.checkRun, { id: runs[0]!.id, calls: 3 });
  // No workflow-command annotations when posting worked.
  assert.equal(log, '');
  const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
  assert.ok(summary.startsWith('## ❌ deferguard: 2 findings fail the check'));
  assert.equal(summary.split('\n').filter((l) => l.startsWith('| ') && l.includes('`pkg/a.go:')).length, 120);
  const out = readFileSync(join(dir, 'output'), 'utf8');
  assert.match(out, /^critical<<(\S+)\n2\n\1\n/);
  assert.match(out, /\nresult<<(\S+)\nfail\n\1\n/);
  assert.match(out, /\nsarif-path<<(\S+)\ndeferguard\.sarif\n\1\n/);
  assert.equal(report.alerts.length, 1);
  assert.equal(hookHits.length, 1);
  assert.match(JSON.stringify(hookHits[0]), /2 critical findings in octo\/widgets #7/);
  // The token and the webhook URL appear nowhere in what was logged, written, sent or returned.
  const everything = [cap.lines.join('\n'), log, summary, out, JSON.stringify(report), JSON.stringify(hookHits), gh.allRequestText()].join('\n');
  for (const secret of [TOKEN, 'secret-webhook-path-42']) assert.ok(!everything.includes(secret), `${secret.slice(0, 6)}… leaked`);
  assert.ok(cap.lines.some((l) => l.startsWith('debug POST /repos/octo/widgets/pulls/7/reviews')), 'requests were logged');

  // Second run with one critical finding fixed: comments updated or deleted, no duplicates.
  gh.requests.length = 0;
  const again = await deliver(ctx(), { findings: findings.slice(1) }, { sleep: noSleep(), writeLog: () => {} });
  assert.equal(again.review!.deleted, 1);
  assert.equal(again.review!.created, 12, 'the findings that overflowed the first review are posted now');
  assert.equal(again.review!.unchanged, 29);
  assert.equal(again.summary!.action, 'updated');
  assert.equal([...gh.issueComments.values()].length, 1);
  assert.equal(gh.reviewComments.size, 41);
  const bodies = [...gh.reviewComments.values()].map((c) => c.body.split('\n')[0]);
  assert.equal(new Set(bodies).size, bodies.length, 'one comment per fingerprint');
});

test('fork pull request: nothing is written; annotations, notice and step summary instead', async () => {
  let log = '';
  const report = await deliver(ctx({}, true), { findings: manyFindings().slice(0, 3) }, { writeLog: (s) => (log += s) });
  assert.equal(report.fallback, FORK_NOTICE);
  assert.equal(gh.requests.length, 0);
  assert.equal(report.annotationsPrinted, 3);
  const lines = log.trimEnd().split('\n');
  assert.match(lines[0]!, /^::notice title=deferguard::This pull request comes from a fork/);
  assert.equal(lines[1], '::error file=pkg/a.go,line=1,col=2,endColumn=10,title=deferguard defer-in-loop (critical)::finding 0');
  assert.equal(lines.length, 4);
  assert.ok(readFileSync(join(dir, 'summary.md'), 'utf8').includes('> [!NOTE]\n> This pull request comes from a fork'));
});

test('a token that cannot write (403 Resource not accessible by integration) falls back', async () => {
  let log = '';
  const cap = captureLogger();
  const report = await deliver(ctx({ token: RO_TOKEN }), { findings: manyFindings().slice(0, 5), checkRunName: 'deferguard' }, { writeLog: (s) => (log += s), logger: cap.logger });
  assert.match(report.fallback!, /may not write to this pull request/);
  assert.deepEqual(report.errors, []);
  const writes = gh.requests.filter((r) => r.method !== 'GET');
  assert.deepEqual(writes.map((r) => `${r.method} ${r.url}`), [`POST /repos/${REPO}/pulls/7/reviews`], 'stops writing after the first 403');
  assert.equal(report.annotationsPrinted, 5);
  assert.ok(log.startsWith('::notice title=deferguard::The workflow token may not write'));
  assert.ok(readFileSync(join(dir, 'summary.md'), 'utf8').includes('may not write to this pull request'));
  const everything = [log, cap.lines.join('\n'), JSON.stringify(report), readFileSync(join(dir, 'summary.md'), 'utf8')].join('\n');
  assert.ok(!everything.includes(RO_TOKEN));
});

test('the diff API refusing a large diff (422) falls back to the files endpoint', async () => {
  const fake = new FakeGitHub({ token: TOKEN, diffStatus: 422, files: [{ filename: 'pkg/a.go', status: 'modified', patch: '@@ -1,0 +1,3 @@\n+a\n+b\n+c' }] });
  await fake.start();
  try {
    const report = await deliver(ctx({ apiUrl: fake.url }), { findings: [finding({ file: 'pkg/a.go', line: 2, fingerprint: 'x' }), finding({ file: 'pkg/a.go', line: 9, fingerprint: 'y' })] }, { writeLog: () => {} });
    assert.deepEqual(report.errors, []);
    assert.equal(report.review!.created, 1);
    assert.ok(fake.requests.some((r) => r.url.startsWith('/repos/octo/widgets/pulls/7/files')));
    assert.equal((fake.reviews[0]!.comments[0] as { line: number }).line, 2);
  } finally {
    await fake.stop();
  }
});

test('failed delivery steps are reported without the token and do not stop the others', async () => {
  gh.failures.push({ method: 'POST', path: /\/reviews$/, status: 500, times: 10, body: { message: `server error for ${TOKEN}` } });
  const cap = captureLogger();
  const report = await deliver(ctx(), { findings: manyFindings().slice(0, 3) }, { sleep: noSleep(), logger: cap.logger, writeLog: () => {} });
  assert.equal(report.errors.length, 1);
  assert.match(report.errors[0]!, /^pull request review: GitHub API POST \/repos\/octo\/widgets\/pulls\/7\/reviews: 500 server error for \*\*\*/);
  assert.equal(report.summary!.action, 'created', 'the summary is still posted');
  const all = [JSON.stringify(report), cap.lines.join('\n')].join('\n');
  assert.ok(!all.includes(TOKEN));
  assert.ok(cap.lines.some((l) => l.includes('retry 3/3')));
});

test('two-phase mode: phase 1 writes the artifact and posts nothing; phase 2 verifies and posts', async () => {
  const art = join(dir, 'artifact');
  const src = Buffer.from('package p\n\nfunc f() {\n\tmu.Lock()\n\tdefer mu.Lock()\n}\n');
  const off = src.indexOf('defer mu.Lock()') + 'defer mu.'.length;
  const findings = [
    finding({ file: 'pkg/b.go', line: 5, severity: 'critical', rule: 'defer-lock-mismatch', message: 'mu is locked again at exit', fixes: [{ message: 'unlock', edits: [{ file: 'pkg/b.go', offset: off, endOffset: off + 4, newText: 'Unlock' }] }] }),
    finding({ file: 'pkg/a.go', line: 3, severity: 'high' }),
  ];
  let log1 = '';
  const p1 = await deliverPhaseOne(ctx({ token: RO_TOKEN }, true), { findings, readSource: (p) => (p === 'pkg/b.go' ? src : undefined) }, art, { writeLog: (s) => (log1 += s) });
  assert.deepEqual(p1.artifactFiles, [ARTIFACT_FILE, 'pr.diff']);
  assert.equal(gh.requests.filter((r) => r.method !== 'GET').length, 0);
  assert.equal(p1.annotationsPrinted, 2, 'phase 1 annotates the log');
  assert.ok(existsSync(join(dir, 'summary.md')));
  const stored = JSON.parse(readFileSync(join(art, ARTIFACT_FILE), 'utf8'));
  assert.equal(stored.pullRequest, 7);
  assert.equal(stored.headSha, HEAD);
  assert.deepEqual(Object.keys(stored.sources), ['pkg/b.go']);
  assert.ok(!JSON.stringify(stored).includes(RO_TOKEN));

  const runCtx = ctx({ eventName: 'workflow_run', pullRequest: undefined, workflowRun: { id: 9, event: 'pull_request', headSha: HEAD, headBranch: 'feat', headRepo: 'someone/widgets', conclusion: 'success', pullRequests: [] } });
  const p2 = await deliverPhaseTwo(runCtx, art, {}, { writeLog: () => {}, sleep: noSleep() });
  assert.deepEqual(p2.errors, []);
  assert.equal(p2.review!.created, 2);
  const suggestion = gh.reviews[0]!.comments.map((c) => (c as { body: string }).body).find((b) => b.includes('```suggestion'));
  assert.ok(suggestion?.includes('```suggestion\n\tdefer mu.Unlock()\n```'), 'suggestions work from the artifact sources');
  assert.equal(gh.reviews[0]!.commit_id, HEAD);
  assert.equal(p2.summary!.action, 'created');
});

test('phase 2 refuses artifacts that do not match the run or the pull request, or are malformed', async () => {
  const art = join(dir, 'artifact');
  await deliverPhaseOne(ctx({}, true), { findings: [finding({ file: 'pkg/a.go', line: 3 })], diff: addedLinesDiff('pkg/a.go', 1, 5) }, art, { writeLog: () => {} });
  const run = (sha: string, prs: number[] = []) => ctx({ eventName: 'workflow_run', pullRequest: undefined, workflowRun: { id: 9, event: 'pull_request', headSha: sha, headBranch: 'feat', headRepo: 'someone/widgets', conclusion: 'success', pullRequests: prs } });
  await assert.rejects(deliverPhaseTwo(run('c'.repeat(40)), art, {}), (e: unknown) => e instanceof ArtifactError && /made for commit aaaaaaaaaaaa, but the workflow run is for cccccccccccc/.test(e.message));
  await assert.rejects(deliverPhaseTwo(run(HEAD, [8]), art, {}), /pull request #7 is not among the workflow run's pull requests \(#8\)/);

  // The pull request moved on since the analysis.
  const moved = new FakeGitHub({ token: TOKEN, headSha: 'e'.repeat(40) });
  await moved.start();
  try {
    await assert.rejects(deliverPhaseTwo({ ...run(HEAD), apiUrl: moved.url }, art, {}), /pull request #7 is now at eeeeeeeeeeee, not the analysed aaaaaaaaaaaa/);
  } finally {
    await moved.stop();
  }

  const good = readFileSync(join(art, ARTIFACT_FILE), 'utf8');
  const tamper = (f: (o: Record<string, any>) => void) => {
    const o = JSON.parse(good);
    f(o);
    writeFileSync(join(art, ARTIFACT_FILE), JSON.stringify(o));
  };
  tamper((o) => (o.findings[0].file = '../../etc/passwd'));
  await assert.rejects(deliverPhaseTwo(run(HEAD), art, {}), /findings\[0\]\.file: not a relative path/);
  tamper((o) => (o.repository = 'evil/widgets'));
  await assert.rejects(deliverPhaseTwo(run(HEAD), art, {}), /the artifact is for evil\/widgets, not octo\/widgets/);
  tamper((o) => (o.findings[0].severity = 'apocalyptic'));
  await assert.rejects(deliverPhaseTwo(run(HEAD), art, {}), /findings\[0\]\.severity: invalid severity/);
  tamper((o) => (o.pullRequest = -1));
  await assert.rejects(deliverPhaseTwo(run(HEAD), art, {}), /pullRequest: expected a positive integer/);
  writeFileSync(join(art, ARTIFACT_FILE), '{not json');
  await assert.rejects(deliverPhaseTwo(run(HEAD), art, {}), /deferguard-ci\.json is not valid JSON/);
  rmSync(join(art, ARTIFACT_FILE));
  await assert.rejects(deliverPhaseTwo(run(HEAD), art, {}), /cannot read .*deferguard-ci\.json: ENOENT/);
  assert.equal(gh.requests.filter((r) => r.method !== 'GET').length, 0, 'nothing was posted');
});

test('generic CI: outputs computed, nothing posted, no crash', async () => {
  let log = '';
  const report = await deliver({ provider: 'generic', ci: true, sha: undefined, ref: undefined }, { findings: [finding({ file: 'a.go', line: 1, severity: 'critical' })] }, { writeLog: (s) => (log += s) });
  assert.equal(report.failed, true);
  assert.equal(report.outputs.result, 'fail');
  assert.equal(log, '');
});
