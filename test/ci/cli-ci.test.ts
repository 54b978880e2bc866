// `deferguard ci` end to end: a temp git repository with a base and a head commit, a pull
// request event payload, the local GitHub stand-in and a local webhook receiver, all on
// 127.0.0.1. The command runs in this process (test/cli/harness.ts) with GitHub's variables set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCiArgs, routingWithFailOn } from '../../src/cli/ci.js';
import { DEFAULT_ROUTING } from '../../src/ci/route.js';
import { baseEnv, runCli, type CliResult } from '../cli/harness.js';
import { FakeGitHub } from './fake-github.js';

const TOKEN = 'ghs_e2eWriteToken0123456789abcdefXYZ';
const RO_TOKEN = 'ghs_e2eReadOnlyToken0123456789abcdef';
const REPO = 'octo/widgets';
const HOOK_SECRET = 'T000/B000/hook-secret-path-9f8e7d';

let hasGit = true;
try {
  execFileSync('git', ['--version'], { stdio: 'ignore' });
} catch {
  hasGit = false;
}
const skip = hasGit ? false : 'git is not installed';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' }).trim();
}

// The base: one pre-existing finding (defer in a loop) and a correctly checked open.
const BASE_GO = `package main

import "os"

func old(names []string) {
	for _, n := range names {
		f, _ := os.Open(n)
		defer f.Close()
	}
}

func read(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return nil
}

func main() {}
`;

// The head: the old finding stays; a new function adds two findings on new lines (line 25:
// critical defer-before-error-check and high defer-in-loop); deleting the error check in read
// creates a critical finding on the untouched "defer f.Close()" line.
const HEAD_GO = `package main

import "os"

func old(names []string) {
	for _, n := range names {
		f, _ := os.Open(n)
		defer f.Close()
	}
}

func read(name string) error {
	f, err := os.Open(name)
	defer f.Close()
	return err
}

func main() {}

// added by the pull request

func added(names []string) {
	for _, n := range names {
		f, err := os.Open(n)
		defer f.Close()
		if err != nil {
			return
		}
	}
}
`;

interface Repo {
  root: string;
  dir: string;
  home: string;
  base: string;
  head: string;
}

const cleanup: string[] = [];

function makeRepo(config = ''): Repo {
  const root = mkdtempSync(join(tmpdir(), 'dg-ci-e2e-'));
  cleanup.push(root);
  const repo = join(root, 'repo');
  const dir = join(repo, 'svc');
  const home = join(root, 'home');
  mkdirSync(dir, { recursive: true });
  mkdirSync(home);
  git(repo, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'go.mod'), 'module example.com/svc\n\ngo 1.22\n');
  writeFileSync(join(dir, 'main.go'), BASE_GO);
  if (config) writeFileSync(join(dir, '.deferguard.yml'), config);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'base');
  const base = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'checkout', '-q', '-b', 'feature');
  writeFileSync(join(dir, 'main.go'), HEAD_GO);
  git(repo, 'commit', '-q', '-am', 'feature');
  const head = git(repo, 'rev-parse', 'HEAD');
  return { root, dir, home, base, head };
}

function prEvent(r: Repo, opts: { fork?: boolean; baseSha?: string } = {}): string {
  const p = join(r.root, `event-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    p,
    JSON.stringify({
      action: 'synchronize',
      number: 7,
      pull_request: {
        number: 7,
        head: { sha: r.head, ref: 'feature', repo: { full_name: opts.fork ? 'someone/widgets' : REPO } },
        base: { sha: opts.baseSha ?? r.base, ref: 'main', repo: { full_name: REPO } },
      },
    }),
  );
  return p;
}

function ghEnv(r: Repo, gh: FakeGitHub, over: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const run = mkdtempSync(join(r.root, 'run-'));
  return {
    ...baseEnv(r.home),
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: prEvent(r),
    GITHUB_REPOSITORY: REPO,
    GITHUB_SHA: r.head,
    GITHUB_REF: 'refs/pull/7/merge',
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '99',
    GITHUB_STEP_SUMMARY: join(run, 'summary.md'),
    GITHUB_OUTPUT: join(run, 'output'),
    INPUT_TOKEN: undefined,
    'INPUT_GITHUB-TOKEN': undefined,
    HOOK_URL: undefined,
    ...over,
  };
}

function outputs(path: string): Record<string, string> {
  const text = readFileSync(path, 'utf8');
  const out: Record<string, string> = {};
  const re = /^([A-Za-z_][A-Za-z0-9_-]*)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]!] = m[3]!;
  return out;
}

function secretsAbsent(texts: string[], secrets: string[]): void {
  for (const t of texts) for (const s of secrets) assert.ok(!t.includes(s), `a secret was printed: ${s.slice(0, 8)}… in ${t.slice(0, 200)}`);
}

function ci(r: Repo, env: Record<string, string | undefined>, ...args: string[]): Promise<CliResult> {
  return runCli(['ci', '-C', r.dir, '--jobs', '1', ...args], env);
}

let gh: FakeGitHub;
let hooks: Server;
let hookUrl = '';
const hookHits: { path: string; body: unknown }[] = [];
let hookFailuresLeft = 0;

before(async () => {
  gh = new FakeGitHub({ token: TOKEN, readOnlyToken: RO_TOKEN, repo: REPO, pr: 7, pageSize: 2 });
  await gh.start();
  hooks = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      if (hookFailuresLeft > 0) {
        hookFailuresLeft--;
        res.writeHead(503, { 'retry-after': '0' }).end('busy');
        return;
      }
      hookHits.push({ path: req.url ?? '', body: JSON.parse(raw) });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/services/${HOOK_SECRET}`;
});

after(async () => {
  await gh.stop();
  hooks.close();
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

function resetGitHub(opts: Partial<FakeGitHub['opts']> = {}): void {
  gh.requests.length = 0;
  gh.reviewComments.clear();
  gh.issueComments.clear();
  gh.reviews.length = 0;
  gh.labels.clear();
  gh.checkRuns.clear();
  gh.failures = [];
  Object.assign(gh.opts, { diff: '', diffStatus: 200, files: [] }, opts);
}

test('flags: defaults, --fail-on routing, phases need an artifact', () => {
  const a = parseCiArgs([]);
  assert.equal(a.onlyNew, true);
  assert.equal(a.phase, 'all');
  assert.equal(parseCiArgs(['--only-new=false']).onlyNew, false);
  assert.throws(() => parseCiArgs(['--phase', 'post']), /--phase post needs --artifact DIR/);
  assert.throws(() => parseCiArgs(['--comment-mode', 'loud']), /review, summary or off/);
  assert.throws(() => parseCiArgs(['--format', 'sarif']), /give a file/);
  assert.throws(() => parseCiArgs(['--token', 'x']), /unknown flag --token/);
  const r = routingWithFailOn(DEFAULT_ROUTING, 'high');
  assert.deepEqual([r.critical.fail, r.high.fail, r.medium.fail, r.low.fail], [true, true, false, false]);
  assert.equal(routingWithFailOn(DEFAULT_ROUTING, 'none').critical.fail, false);
  assert.equal(routingWithFailOn(DEFAULT_ROUTING, undefined), DEFAULT_ROUTING);
});

test('pull request: review on changed lines, sticky summary, outputs, alert, SARIF first; a second run updates', { skip }, async () => {
  const r = makeRepo('ci:\n  alerts:\n    - name: oncall\n      url-env: HOOK_URL\n      format: slack\n');
  resetGitHub({ headSha: r.head, baseSha: r.base });
  hookHits.length = 0;
  hookFailuresLeft = 1;
  // A label failure whose message quotes the token: the warning must not.
  gh.failures.push({ method: 'POST', path: /\/labels$/, status: 400, body: { message: `label rejected for ${TOKEN}` } });
  // A secondary rate limit on the first listing of review comments.
  gh.failures.push({ method: 'GET', path: /\/pulls\/7\/comments$/, status: 429, headers: { 'retry-after': '0' }, body: { message: 'You have exceeded a secondary rate limit' } });
  const env = ghEnv(r, gh, { HOOK_URL: hookUrl });
  const sarif = join(r.root, 'out', 'deferguard.sarif');
  mkdirSync(join(r.root, 'out'));
  // Local reports exist before the first write to GitHub.
  const reportsAtWrite: boolean[] = [];
  gh.onRequest = (q) => {
    if (q.method !== 'GET') reportsAtWrite.push(existsSync(sarif) && existsSync(join(r.root, 'out', 'report.json')));
  };
  const res = await ci(r, env, '--sarif', sarif, '--json', join(r.root, 'out', 'report.json'), '-v');
  gh.onRequest = undefined;
  assert.equal(res.status, 1, res.stderr);
  assert.ok(reportsAtWrite.length > 0 && reportsAtWrite.every(Boolean), 'SARIF and JSON were written before the first write request');

  // Scoping: the old defer-in-loop (line 8) is not reported; the three new ones are.
  const json = JSON.parse(readFileSync(join(r.root, 'out', 'report.json'), 'utf8')) as { findings: { file: string; line: number; rule: string }[] };
  const got = json.findings.map((f) => `${f.file}:${f.line}:${f.rule}`).sort();
  assert.deepEqual(got, ['svc/main.go:14:defer-before-error-check', 'svc/main.go:25:defer-before-error-check', 'svc/main.go:25:defer-in-loop']);
  assert.match(res.stderr, /merge base [0-9a-f]{12}: 1 finding/);

  // SARIF: repository-relative paths, written although delivery had failures.
  const s = JSON.parse(readFileSync(sarif, 'utf8')) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  assert.deepEqual([...new Set(s.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri))], ['svc/main.go']);

  // Inline comments only on lines the pull request added (line 14 is untouched: summary only).
  const inline = [...gh.reviewComments.values()].map((c) => `${c.path}:${c.line}`).sort();
  assert.deepEqual(inline, ['svc/main.go:25', 'svc/main.go:25']);
  assert.equal(gh.reviews.length, 1);
  assert.equal(gh.issueComments.size, 1);
  const summary = [...gh.issueComments.values()][0]!.body;
  assert.match(summary, /svc\/main\.go:14/);
  // The rate-limited listing was retried.
  assert.equal(gh.requests.filter((q) => q.method === 'GET' && q.url.startsWith(`/repos/${REPO}/pulls/7/comments`)).length, 2);

  // Step summary, outputs, alert (after one 503).
  const step = readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8');
  assert.match(step, /\| Severity \| Rule \| Location \| Message \|/);
  assert.equal((step.match(/defer-before-error-check/g) ?? []).length >= 2, true);
  const out = outputs(env.GITHUB_OUTPUT!);
  assert.deepEqual({ c: out.critical, h: out.high, m: out.medium, t: out.total, r: out.result, s: out['sarif-path'] }, { c: '2', h: '1', m: '0', t: '3', r: 'fail', s: sarif });
  assert.equal(hookHits.length, 1);
  assert.match(JSON.stringify(hookHits[0]!.body), /defer-before-error-check/);
  assert.match(res.stderr, /label rejected for \*\*\*/);

  // Secrets: not in anything printed or written.
  secretsAbsent([res.stdout, res.stderr, step, readFileSync(env.GITHUB_OUTPUT!, 'utf8'), readFileSync(sarif, 'utf8')], [TOKEN, HOOK_SECRET, hookUrl]);

  // Second run on the same head: comments updated in place, nothing duplicated.
  const reviewsBefore = gh.reviews.length;
  const ids = [...gh.reviewComments.keys()].sort();
  const res2 = await ci(r, ghEnv(r, gh, { HOOK_URL: hookUrl }));
  assert.equal(res2.status, 1, res2.stderr);
  assert.deepEqual([...gh.reviewComments.keys()].sort(), ids);
  assert.equal(gh.reviews.length, reviewsBefore);
  assert.equal(gh.issueComments.size, 1);
  assert.match(res2.stderr, /review: 0 created/);
  assert.deepEqual([...gh.labels], ['needs-review']);
  secretsAbsent([res2.stdout, res2.stderr], [TOKEN, HOOK_SECRET]);
});

test('read-only token (403 on writes): annotations and job summary instead of comments', { skip }, async () => {
  const r = makeRepo();
  resetGitHub({ headSha: r.head, baseSha: r.base });
  const env = ghEnv(r, gh, { GITHUB_TOKEN: RO_TOKEN });
  const res = await ci(r, env);
  assert.equal(res.status, 1, res.stderr);
  assert.equal(gh.reviewComments.size, 0);
  assert.equal(gh.issueComments.size, 0);
  assert.ok(gh.requests.some((q) => q.method === 'POST'), 'a write was attempted');
  assert.match(res.stdout, /::notice title=deferguard::The workflow token may not write/);
  assert.match(res.stdout, /::error file=svc\/main\.go,line=25,/);
  assert.match(res.stdout, /::error file=svc\/main\.go,line=14,/);
  const step = readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8');
  assert.match(step, /may not write to this pull request/);
  assert.equal(outputs(env.GITHUB_OUTPUT!).result, 'fail');
  secretsAbsent([res.stdout, res.stderr, step], [RO_TOKEN]);
});

test('fork pull request: no posting attempted, annotations and summary', { skip }, async () => {
  const r = makeRepo();
  resetGitHub({ headSha: r.head, baseSha: r.base });
  const env = ghEnv(r, gh, { GITHUB_TOKEN: RO_TOKEN });
  env.GITHUB_EVENT_PATH = prEvent(r, { fork: true });
  const res = await ci(r, env, '--fail-on', 'none');
  assert.equal(res.status, 0, res.stderr);
  assert.equal(gh.requests.filter((q) => q.method !== 'GET').length, 0);
  assert.match(res.stdout, /::notice title=deferguard::This pull request comes from a fork/);
  assert.equal((res.stdout.match(/^::error /gm) ?? []).length, 3);
  assert.equal(outputs(env.GITHUB_OUTPUT!).result, 'pass');
});

test('base not in the clone: the API diff, and the files endpoint when the diff is refused (422)', { skip }, async () => {
  const r = makeRepo();
  const missing = 'c'.repeat(40);
  // What GitHub's files endpoint returns for this change (the new function only).
  const patch = '@@ -18,0 +19,12 @@ func main() {}\n+\n+// added by the pull request\n+\n+func added(names []string) {\n+\tfor _, n := range names {\n+\t\tf, err := os.Open(n)\n+\t\tdefer f.Close()\n+\t\tif err != nil {\n+\t\t\treturn\n+\t\t}\n+\t}\n+}';
  resetGitHub({ headSha: r.head, baseSha: missing, diffStatus: 422, files: [{ filename: 'svc/main.go', status: 'modified', patch }] });
  const env = ghEnv(r, gh);
  env.GITHUB_EVENT_PATH = prEvent(r, { baseSha: missing });
  const res = await ci(r, env, '-v', '--json', join(r.root, 'r.json'));
  assert.equal(res.status, 1, res.stderr);
  assert.match(res.stderr, /changes: the pull request diff from the API \(files endpoint\)/);
  const diffCalls = gh.requests.filter((q) => q.url === `/repos/${REPO}/pulls/7` && String(q.headers.accept).includes('diff'));
  assert.equal(diffCalls.length, 1, 'the diff media type was asked once, then the files endpoint');
  assert.ok(gh.requests.some((q) => q.url.startsWith(`/repos/${REPO}/pulls/7/files`)));
  // Without the base, scoping is by changed lines only: line 14 (untouched) is not reported.
  const json = JSON.parse(readFileSync(join(r.root, 'r.json'), 'utf8')) as { findings: { line: number }[] };
  assert.deepEqual(json.findings.map((f) => f.line), [25, 25]);
  assert.deepEqual([...gh.reviewComments.values()].map((c) => c.line), [25, 25]);
});

test('generic CI: --base scoping, text report, exit code from routing; bad config is exit 2', { skip }, async () => {
  const r = makeRepo();
  const env = { ...baseEnv(r.home), GITHUB_ACTIONS: undefined, CI: 'true', GITHUB_TOKEN: undefined };
  const res = await ci(r, env, '--base', 'main', '--fail-on', 'critical');
  assert.equal(res.status, 1, res.stderr);
  assert.match(res.stdout, /svc\/main\.go:25:3: critical \[defer-before-error-check\]/);
  assert.doesNotMatch(res.stdout, /svc\/main\.go:8:/);
  const all = await ci(r, env, '--only-new=false', '--fail-on', 'none');
  assert.equal(all.status, 0);
  assert.match(all.stdout, /svc\/main\.go:8:\d+: high \[defer-in-loop\]/);
  writeFileSync(join(r.dir, '.deferguard.yml'), 'ci:\n  routes:\n    critical: [explode]\n');
  const bad = await ci(r, env);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /\.deferguard\.yml:3:\d+: ci\.routes/);
  rmSync(join(r.dir, '.deferguard.yml'));
  const noRev = await ci(r, env, '--base', 'no-such-branch');
  assert.equal(noRev.status, 1);
  assert.match(noRev.stderr, /every finding is reported/);
});

test('two-phase fork mode: analyse writes the artifact without posting; post publishes it from workflow_run', { skip }, async () => {
  const r = makeRepo();
  resetGitHub({ headSha: r.head, baseSha: r.base });
  const artifact = join(r.root, 'artifact');
  const env1 = ghEnv(r, gh, { GITHUB_TOKEN: RO_TOKEN });
  env1.GITHUB_EVENT_PATH = prEvent(r, { fork: true });
  const one = await ci(r, env1, '--phase', 'analyse', '--artifact', artifact);
  assert.equal(one.status, 1, one.stderr);
  assert.ok(existsSync(join(artifact, 'deferguard-ci.json')));
  assert.equal(gh.requests.filter((q) => q.method !== 'GET').length, 0);

  const runEvent = join(r.root, 'run-event.json');
  writeFileSync(runEvent, JSON.stringify({ workflow_run: { id: 5, event: 'pull_request', head_sha: r.head, head_branch: 'feature', head_repository: { full_name: 'someone/widgets' }, conclusion: 'success', pull_requests: [] } }));
  const env2 = ghEnv(r, gh, { GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: runEvent });
  const two = await runCli(['ci', '-C', r.dir, '--phase', 'post', '--artifact', artifact], env2);
  assert.equal(two.status, 1, two.stderr);
  assert.deepEqual([...gh.reviewComments.values()].map((c) => `${c.path}:${c.line}`), ['svc/main.go:25', 'svc/main.go:25']);
  assert.equal(gh.issueComments.size, 1);

  // A tampered artifact (another commit) is refused with exit 2.
  const f = join(artifact, 'deferguard-ci.json');
  writeFileSync(f, readFileSync(f, 'utf8').replace(r.head, 'd'.repeat(40)));
  const bad = await runCli(['ci', '-C', r.dir, '--phase', 'post', '--artifact', artifact], env2);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /the artifact cannot be posted: the artifact was made for commit dddddddddddd/);
});

// ---- golangci-lint bridge with a fake executable ----

function fakeGolangci(dir: string, version: string, headJson: unknown, baseJson: unknown): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'head.json'), JSON.stringify(headJson));
  writeFileSync(join(bin, 'base.json'), JSON.stringify(baseJson));
  const script = `#!/bin/sh
echo "$PWD $*" >> "${bin}/calls.log"
if [ "$1" = "--version" ]; then echo "golangci-lint has version ${version} built with go1.24.0 from abc on 2025-01-01"; exit 0; fi
if grep -q "func added" main.go; then cat "${bin}/head.json"; else cat "${bin}/base.json"; fi
echo "3 issues."
exit 1
`;
  writeFileSync(join(bin, 'golangci-lint'), script);
  chmodSync(join(bin, 'golangci-lint'), 0o755);
  return bin;
}

function issue(linter: string, line: number, text: string, severity = '') {
  return { FromLinter: linter, Text: text, Severity: severity, SourceLines: [], Pos: { Filename: 'main.go', Offset: 0, Line: line, Column: 2 } };
}

test('--with-golangci-lint: v2 JSON, severities from config, scoping and dedupe against our findings', { skip }, async () => {
  const r = makeRepo('ci:\n  golangci-lint:\n    linters:\n      errcheck: high\n');
  resetGitHub({ headSha: r.head, baseSha: r.base });
  const head = { Issues: [issue('errcheck', 25, 'Error return value of `f.Close` is not checked'), issue('govet', 23, 'loop variable n captured'), issue('unused', 5, 'func `old` is unused')] };
  const base = { Issues: [issue('unused', 5, 'func `old` is unused')] };
  const bin = fakeGolangci(r.root, 'v2.1.6', head, base);
  const env = ghEnv(r, gh, { PATH: `${bin}:${process.env.PATH}` });
  const res = await ci(r, env, '--with-golangci-lint', '--json', join(r.root, 'r.json'));
  assert.equal(res.status, 1, res.stderr);
  const calls = readFileSync(join(bin, 'calls.log'), 'utf8');
  assert.match(calls, /run --output\.json\.path stdout/);
  assert.equal((calls.match(/ run /g) ?? []).length, 2, 'run at the head and at the merge base');
  const json = JSON.parse(readFileSync(join(r.root, 'r.json'), 'utf8')) as { findings: { line: number; rule: string; severity: string }[] };
  const got = json.findings.map((f) => `${f.line}:${f.rule}:${f.severity}`).sort();
  // errcheck on line 25 is dropped (deferguard reports that line); unused at line 5 existed at the base.
  assert.deepEqual(got, ['14:defer-before-error-check:critical', '23:golangci-lint/govet:medium', '25:defer-before-error-check:critical', '25:defer-in-loop:high']);
  // govet is medium: summary only, no inline comment.
  assert.ok(![...gh.reviewComments.values()].some((c) => c.body.includes('govet')));
  assert.match([...gh.issueComments.values()][0]!.body, /golangci-lint\/govet/);
});

test('--with-golangci-lint: v1 flags, linter severity routing to comments, missing executable is exit 2', { skip }, async () => {
  const r = makeRepo('ci:\n  golangci-lint:\n    default: low\n    linters:\n      gosec: high\n');
  resetGitHub({ headSha: r.head, baseSha: r.base });
  const head = { Issues: [issue('gosec', 23, 'G304: Potential file inclusion via variable', 'error'), issue('misspell', 20, 'spelling')] };
  const bin = fakeGolangci(r.root, '1.64.8', head, { Issues: null });
  const env = ghEnv(r, gh, { PATH: `${bin}:${process.env.PATH}` });
  const res = await ci(r, env, '--with-golangci-lint', '--json', join(r.root, 'r.json'));
  assert.equal(res.status, 1, res.stderr);
  assert.match(readFileSync(join(bin, 'calls.log'), 'utf8'), /run --out-format json/);
  const json = JSON.parse(readFileSync(join(r.root, 'r.json'), 'utf8')) as { findings: { line: number; rule: string; severity: string }[] };
  assert.ok(json.findings.some((f) => f.rule === 'golangci-lint/gosec' && f.severity === 'high' && f.line === 23));
  assert.ok(json.findings.some((f) => f.rule === 'golangci-lint/misspell' && f.severity === 'low'));
  assert.ok([...gh.reviewComments.values()].some((c) => c.line === 23 && c.body.includes('golangci-lint/gosec')));

  const noLint = await ci(r, env, '--with-golangci-lint', '--golangci-lint', join(r.root, 'nope', 'golangci-lint'));
  assert.equal(noLint.status, 2);
  assert.match(noLint.stderr, /is not on PATH; install it/);
});
