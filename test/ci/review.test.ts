import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { parseDiffHunks, inOneHunk } from '../../src/ci/diff.js';
import { GitHubClient } from '../../src/ci/github.js';
import { commentFingerprint, planReview, syncReview } from '../../src/ci/review.js';
import { FakeGitHub } from './fake-github.js';
import { addedLinesDiff, finding } from './helpers.js';

const TOKEN = 'test-token-review-0001';
const REPO = 'octo/widgets';
const SHA = 'c'.repeat(40);

test('diff hunks: added and context lines of the head side, hunk boundaries', () => {
  const d = parseDiffHunks(
    'diff --git a/p/x.go b/p/x.go\nindex 1..2 100644\n--- a/p/x.go\n+++ b/p/x.go\n@@ -1,4 +1,5 @@\n a\n-b\n+B\n+C\n c\n d\n@@ -20,2 +21,2 @@ func f() {\n x\n-y\n+Y\n\\ No newline at end of file\n' +
      'diff --git a/gone.go b/gone.go\n--- a/gone.go\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n',
  );
  const f = d.get('p/x.go')!;
  assert.deepEqual([...f.added].sort((a, b) => a - b), [2, 3, 22]);
  assert.deepEqual([...f.hunkOf.keys()].sort((a, b) => a - b), [1, 2, 3, 4, 5, 21, 22]);
  assert.equal(inOneHunk(f, 1, 5), true);
  assert.equal(inOneHunk(f, 5, 21), false);
  assert.equal(inOneHunk(f, 6, 6), false);
  assert.equal(d.has('gone.go'), false);
});

test('plan: only lines in the diff get inline comments, on the RIGHT side', () => {
  const changed = parseDiffHunks(addedLinesDiff('a.go', 10, 12));
  const plan = planReview([finding({ file: 'a.go', line: 11 }), finding({ file: 'a.go', line: 40 }), finding({ file: 'b.go', line: 11 })], { changed });
  assert.equal(plan.inline.length, 1);
  assert.deepEqual({ ...plan.inline[0]!.comment, body: undefined }, { path: 'a.go', line: 11, side: 'RIGHT', body: undefined });
  assert.deepEqual(plan.offDiff.map((f) => `${f.file}:${f.line}`), ['a.go:40', 'b.go:11']);
  assert.equal(plan.current.size, 3);
});

test('comment body: marker, badge, rule link, related locations, escaped message', () => {
  const changed = parseDiffHunks(addedLinesDiff('a.go', 1, 5));
  const f = finding({
    file: 'a.go',
    line: 3,
    severity: 'critical',
    confidence: 'medium',
    fingerprint: 'fp-123',
    message: 'file `f` from os.Open stays open; ping @alice <img src=x onerror=alert(1)> | *bold*',
    related: [{ file: 'a.go', line: 2, column: 1, endLine: 2, endColumn: 5, message: 'opened here by @bob' }],
  });
  const body = planReview([f], { changed, links: { serverUrl: 'https://github.com', repository: REPO, sha: SHA } }).inline[0]!.comment.body;
  assert.ok(body.startsWith('<!-- deferguard:fp=fp-123 -->\n'));
  assert.equal(commentFingerprint(body), 'fp-123');
  assert.match(body, /🔴 \*\*Critical\*\* · \[`defer-in-loop`\]\(https:\/\/github\.com\/deferguard\/deferguard\/blob\/main\/docs\/rules\/defer-in-loop\.md\) · medium confidence/);
  assert.ok(body.includes('file `f` from os.Open stays open; ping @\u200Balice \\<img src=x onerror=alert(1)\\> \\| \\*bold\\*'));
  assert.ok(!/@alice|@bob/.test(body), 'mentions are neutralised');
  assert.ok(!/(^|[^\\])<img/.test(body), 'no raw HTML');
  assert.ok(body.includes(`[\`a.go:2\`](https://github.com/${REPO}/blob/${SHA}/a.go#L2): opened here by @\u200Bbob`));
});

test('a fingerprint cannot close the marker early', () => {
  const changed = parseDiffHunks(addedLinesDiff('a.go', 1, 5));
  const body = planReview([finding({ file: 'a.go', line: 1, fingerprint: 'x --> <b>hi</b>' })], { changed }).inline[0]!.comment.body;
  assert.equal(body.split('\n')[0], '<!-- deferguard:fp=x_--___b_hi_/b_ -->');
});

test('suggestion block when the fix lies within the commented lines', () => {
  const src = Buffer.from('package p\n\nfunc f() {\n\tmu.Lock()\n\tdefer mu.Lock()\n}\n');
  const changed = parseDiffHunks(addedLinesDiff('a.go', 1, 6));
  const off = src.indexOf('defer mu.Lock()') + 'defer mu.'.length;
  const f = finding({ file: 'a.go', line: 5, rule: 'defer-lock-mismatch', fixes: [{ message: 'unlock instead', edits: [{ file: 'a.go', offset: off, endOffset: off + 4, newText: 'Unlock' }] }] });
  const p = planReview([f], { changed, readSource: () => src }).inline[0]!;
  assert.equal(p.suggestion, true);
  assert.equal(p.comment.line, 5);
  assert.equal(p.comment.start_line, undefined);
  assert.ok(p.comment.body.includes('Suggested fix: unlock instead\n\n```suggestion\n\tdefer mu.Unlock()\n```'));
});

test('a fix inserting a line after the finding widens the comment to a multi-line range', () => {
  const src = Buffer.from('package p\n\nfunc f() {\n\tmu.Lock()\n\twork()\n}\n');
  const changed = parseDiffHunks(addedLinesDiff('a.go', 1, 6));
  const at = src.indexOf('\twork()');
  const f = finding({ file: 'a.go', line: 4, rule: 'lock-leaked-on-return', fixes: [{ message: 'defer the unlock', edits: [{ file: 'a.go', offset: at, endOffset: at, newText: '\tdefer mu.Unlock()\n' }] }] });
  const c = planReview([f], { changed, readSource: () => src }).inline[0]!.comment;
  assert.equal(c.start_line, 4);
  assert.equal(c.start_side, 'RIGHT');
  assert.equal(c.line, 5);
  assert.ok(c.body.includes('```suggestion\n\tmu.Lock()\n\tdefer mu.Unlock()\n\twork()\n```'));
});

test('no suggestion when the fix touches another file or lines outside the diff', () => {
  const src = Buffer.from('l1\nl2\nl3\nl4\nl5\nl6\n');
  const changed = parseDiffHunks(addedLinesDiff('a.go', 2, 3));
  const outside = finding({ file: 'a.go', line: 2, fixes: [{ message: 'm', edits: [{ file: 'a.go', offset: 15, endOffset: 17, newText: 'X' }] }] });
  const other = finding({ file: 'a.go', line: 3, fixes: [{ message: 'm', edits: [{ file: 'b.go', offset: 0, endOffset: 1, newText: 'X' }] }] });
  const plan = planReview([outside, other], { changed, readSource: () => src });
  assert.deepEqual(plan.inline.map((p) => [p.comment.line, p.comment.start_line, p.suggestion]), [[2, undefined, false], [3, undefined, false]]);
  assert.ok(!plan.inline[0]!.comment.body.includes('suggestion'));
});

test('a suggestion containing backticks gets a longer fence', () => {
  const src = Buffer.from('x := 1\n');
  const changed = parseDiffHunks(addedLinesDiff('a.go', 1, 1));
  const f = finding({ file: 'a.go', line: 1, fixes: [{ message: 'm', edits: [{ file: 'a.go', offset: 0, endOffset: 6, newText: 's := ```raw```' }] }] });
  const body = planReview([f], { changed, readSource: () => src }).inline[0]!.comment.body;
  assert.ok(body.includes('````suggestion\ns := ```raw```\n````'));
});

// ---- against the local GitHub stand-in ----

let gh: FakeGitHub;
let client: GitHubClient;
before(async () => {
  gh = new FakeGitHub({ token: TOKEN });
  await gh.start();
  client = new GitHubClient({ token: TOKEN, apiUrl: gh.url, sleep: async () => {} });
});
after(() => gh.stop());
beforeEach(() => {
  gh.requests.length = 0;
  gh.reviewComments.clear();
  gh.reviews.length = 0;
});

test('first run posts one review; second run updates changed comments and deletes outdated ones', async () => {
  const changed = parseDiffHunks(addedLinesDiff('a.go', 1, 50));
  const f1 = finding({ file: 'a.go', line: 3, fingerprint: 'one' });
  const f2 = finding({ file: 'a.go', line: 8, fingerprint: 'two' });
  const f3 = finding({ file: 'a.go', line: 9, fingerprint: 'three' });
  // Someone else's comment and a reply to ours must be left alone.
  gh.addReviewComment({ body: 'looks fine to me', path: 'a.go', line: 3, user: { login: 'alice' } });
  const opts = { repo: REPO, pr: 7, commitId: SHA };

  const r1 = await syncReview(client, planReview([f1, f2, f3], { changed }), opts);
  assert.deepEqual({ c: r1.created, u: r1.updated, d: r1.deleted, same: r1.unchanged }, { c: 3, u: 0, d: 0, same: 0 });
  assert.equal(gh.reviews.length, 1);
  assert.equal(gh.reviews[0]!.event, 'COMMENT');
  assert.equal(gh.reviews[0]!.commit_id, SHA);
  assert.equal(gh.reviewComments.size, 4);
  const reply = gh.addReviewComment({ body: '<!-- deferguard:fp=three -->\n> quoted', path: 'a.go', line: 9, in_reply_to_id: 1, user: { login: 'alice' } });

  // Second run: f1 unchanged, f2's message changed, f3 fixed (gone).
  gh.requests.length = 0;
  const f2b = { ...f2, message: 'defer in loop, now worse' };
  const r2 = await syncReview(client, planReview([f1, f2b], { changed }), opts);
  assert.deepEqual({ c: r2.created, u: r2.updated, d: r2.deleted, same: r2.unchanged }, { c: 0, u: 1, d: 1, same: 1 });
  assert.equal(gh.reviews.length, 1, 'no second review when nothing is new');
  const writes = gh.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`);
  const idOf = (fp: string) => [...gh.reviewComments.values()].find((c) => c.body.startsWith(`<!-- deferguard:fp=${fp} -->`) && !c.in_reply_to_id)?.id;
  assert.equal(writes.length, 2);
  assert.equal(writes[0], `PATCH /repos/${REPO}/pulls/comments/${idOf('two')}`);
  assert.match(writes[1]!, new RegExp(`^DELETE /repos/${REPO}/pulls/comments/\\d+$`));
  assert.equal(idOf('three'), undefined);
  assert.ok(gh.reviewComments.has(reply.id), 'replies are kept');
  assert.ok([...gh.reviewComments.values()].some((c) => c.body === 'looks fine to me'));
  assert.ok(gh.reviewComments.get(idOf('two')!)!.body.includes('now worse'));
});

test('at most 30 inline comments per review; the rest are listed in the review body', async () => {
  const changed = parseDiffHunks(addedLinesDiff('a.go', 1, 100));
  const findings = Array.from({ length: 34 }, (_, i) => finding({ file: 'a.go', line: i + 1, fingerprint: `f${i}` }));
  const r = await syncReview(client, planReview(findings, { changed }), { repo: REPO, pr: 7, commitId: SHA });
  assert.equal(r.created, 30);
  assert.equal(r.overflow.length, 4);
  const review = gh.reviews[0]!;
  assert.equal(review.comments.length, 30);
  assert.match(review.body, /4 more findings in the changed lines/);
  for (const l of [31, 32, 33, 34]) assert.ok(review.body.includes(`a.go:${l}`), `line ${l} listed`);
  assert.ok(!review.body.includes('`a.go:30`'));
});

test('duplicated comments for one fingerprint are reduced to one', async () => {
  const changed = parseDiffHunks(addedLinesDiff('a.go', 1, 10));
  const f = finding({ file: 'a.go', line: 2, fingerprint: 'dup' });
  const plan = planReview([f], { changed });
  const a = gh.addReviewComment({ body: plan.inline[0]!.comment.body, path: 'a.go', line: 2 });
  const b = gh.addReviewComment({ body: plan.inline[0]!.comment.body, path: 'a.go', line: 2 });
  const r = await syncReview(client, plan, { repo: REPO, pr: 7, commitId: SHA });
  assert.deepEqual({ c: r.created, d: r.deleted, same: r.unchanged }, { c: 0, d: 1, same: 1 });
  assert.ok(gh.reviewComments.has(a.id));
  assert.ok(!gh.reviewComments.has(b.id));
});

test('REQUEST_CHANGES when a failing finding gets a new comment', async () => {
  const changed = parseDiffHunks(addedLinesDiff('a.go', 1, 10));
  const plan = planReview([finding({ file: 'a.go', line: 2, fingerprint: 'crit', severity: 'critical' })], { changed });
  const r = await syncReview(client, plan, { repo: REPO, pr: 7, commitId: SHA, requestChangesFor: new Set(['crit']) });
  assert.equal(r.event, 'REQUEST_CHANGES');
  assert.equal(gh.reviews[0]!.event, 'REQUEST_CHANGES');
});
