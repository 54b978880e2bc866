import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CiEnvError, blobUrl, headSha, readCiEnv } from '../../src/ci/env.js';

const HEAD = '1'.repeat(40);
const BASE = '2'.repeat(40);

function gha(event: string, payload: unknown, extra: Record<string, string> = {}) {
  const env = {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: '/event.json',
    GITHUB_REPOSITORY: 'octo/widgets',
    GITHUB_SHA: '3'.repeat(40),
    GITHUB_REF: 'refs/pull/7/merge',
    GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
    GITHUB_SERVER_URL: 'https://ghe.example.com',
    GITHUB_TOKEN: 'env-token-123456',
    GITHUB_RUN_ID: '99',
    GITHUB_STEP_SUMMARY: '/tmp/summary.md',
    GITHUB_OUTPUT: '/tmp/out',
    ...extra,
  };
  return readCiEnv(env, { readFile: () => JSON.stringify(payload) });
}

const pr = (headRepo: string | null) => ({
  pull_request: { number: 7, head: { sha: HEAD, ref: 'feat', repo: headRepo === null ? null : { full_name: headRepo } }, base: { sha: BASE, ref: 'main', repo: { full_name: 'octo/widgets' } } },
});

test('pull_request in the same repository', () => {
  const ctx = gha('pull_request', pr('octo/widgets'));
  assert.equal(ctx.provider, 'github');
  if (ctx.provider !== 'github') return;
  assert.deepEqual(ctx.pullRequest, { number: 7, headSha: HEAD, baseSha: BASE, headRef: 'feat', baseRef: 'main', headRepo: 'octo/widgets', baseRepo: 'octo/widgets', isFork: false });
  assert.equal(ctx.apiUrl, 'https://ghe.example.com/api/v3');
  assert.equal(ctx.token, 'env-token-123456');
  assert.equal(ctx.runUrl, 'https://ghe.example.com/octo/widgets/actions/runs/99');
  assert.equal(ctx.stepSummaryPath, '/tmp/summary.md');
  assert.equal(ctx.outputPath, '/tmp/out');
  assert.equal(headSha(ctx), HEAD, 'comments go to the head commit, not the merge commit');
  assert.equal(blobUrl(ctx, HEAD, 'dir/a b.go', 3, 5), `https://ghe.example.com/octo/widgets/blob/${HEAD}/dir/a%20b.go#L3-L5`);
});

test('fork pull requests are detected (other head repo, or a deleted fork)', () => {
  for (const [head, fork] of [['someone/widgets', true], [null, true], ['Octo/Widgets', false]] as const) {
    const ctx = gha('pull_request_target', pr(head));
    assert.equal(ctx.provider === 'github' && ctx.pullRequest?.isFork, fork, String(head));
  }
});

test('an explicit token or the action input wins over GITHUB_TOKEN', () => {
  const viaInput = gha('push', { before: BASE }, { 'INPUT_GITHUB-TOKEN': 'input-token-123456' });
  assert.equal(viaInput.provider === 'github' && viaInput.token, 'input-token-123456');
  const explicit = readCiEnv({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'o/r', GITHUB_TOKEN: 'env' }, { token: 'flag-token-123' });
  assert.equal(explicit.provider === 'github' && explicit.token, 'flag-token-123');
});

test('push and workflow_run payloads', () => {
  const push = gha('push', { before: BASE, after: HEAD });
  assert.equal(push.provider === 'github' && push.beforeSha, BASE);
  const newBranch = gha('push', { before: '0'.repeat(40) });
  assert.equal(newBranch.provider === 'github' && newBranch.beforeSha, undefined);
  const run = gha('workflow_run', { workflow_run: { id: 5, event: 'pull_request', head_sha: HEAD, head_branch: 'feat', head_repository: { full_name: 'someone/widgets' }, conclusion: 'success', pull_requests: [] } });
  assert.ok(run.provider === 'github');
  if (run.provider !== 'github') return;
  assert.deepEqual(run.workflowRun, { id: 5, event: 'pull_request', headSha: HEAD, headBranch: 'feat', headRepo: 'someone/widgets', conclusion: 'success', pullRequests: [] });
  assert.equal(headSha(run), HEAD);
});

test('generic mode outside GitHub Actions', () => {
  assert.deepEqual(readCiEnv({ CI: 'true', CI_COMMIT_SHA: 'abc' }), { provider: 'generic', ci: true, sha: 'abc', ref: undefined });
  assert.deepEqual(readCiEnv({}), { provider: 'generic', ci: false, sha: undefined, ref: undefined });
});

test('broken environments are clear errors', () => {
  assert.throws(() => readCiEnv({ GITHUB_ACTIONS: 'true' }), /GITHUB_REPOSITORY is not set/);
  assert.throws(() => readCiEnv({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'nope' }), /GITHUB_REPOSITORY is not owner\/name/);
  assert.throws(() => readCiEnv({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_PATH: '/x' }, { readFile: () => '{oops' }), CiEnvError);
  assert.throws(
    () => readCiEnv({ GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_PATH: '/missing' }, { readFile: () => { throw new Error('ENOENT'); } }),
    /cannot read the event payload GITHUB_EVENT_PATH=\/missing: ENOENT/,
  );
  assert.throws(() => gha('pull_request', { pull_request: { number: 'x' } }), /has no valid pull_request/);
  assert.throws(() => gha('workflow_run', { workflow_run: { id: 1, head_sha: 'short' } }), /has no valid workflow_run/);
});
