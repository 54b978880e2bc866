// The CI environment: GitHub Actions (event payloads, repository, token, API and output
// files) or a generic CI, read once into a plain value.

import { readFileSync } from 'node:fs';
import { parseRepo } from './github.js';

export type Env = Record<string, string | undefined>;

export interface PullRequestRef {
  number: number;
  headSha: string;
  baseSha: string;
  headRef: string;
  baseRef: string;
  /** owner/name of the head repository; undefined when the fork was deleted. */
  headRepo: string | undefined;
  baseRepo: string;
  /** The head is in another repository: the workflow token is read-only there. */
  isFork: boolean;
}

export interface WorkflowRunRef {
  id: number;
  /** The event that triggered the run being followed (pull_request, push...). */
  event: string;
  headSha: string;
  headBranch: string | undefined;
  headRepo: string | undefined;
  conclusion: string | undefined;
  /** Pull requests GitHub associated with the run (empty for runs from forks). */
  pullRequests: number[];
}

export interface GitHubContext {
  provider: 'github';
  eventName: string;
  repository: string;
  sha: string;
  ref: string | undefined;
  apiUrl: string;
  serverUrl: string;
  token: string | undefined;
  runId: string | undefined;
  runUrl: string | undefined;
  stepSummaryPath: string | undefined;
  outputPath: string | undefined;
  workspace: string | undefined;
  pullRequest: PullRequestRef | undefined;
  workflowRun: WorkflowRunRef | undefined;
  /** push events: the commit before the push (all zeros for a new branch is dropped). */
  beforeSha: string | undefined;
}

export interface GenericContext {
  provider: 'generic';
  /** The CI variable is set: some CI, not a developer's terminal. */
  ci: boolean;
  sha: string | undefined;
  ref: string | undefined;
}

export type CiContext = GitHubContext | GenericContext;

export class CiEnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CiEnvError';
  }
}

export interface ReadEnvOptions {
  /** A token given explicitly (a flag or action input) wins over the environment. */
  token?: string;
  readFile?: (path: string) => string;
}

const SHA = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;

function truthy(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** The action input a step receives as INPUT_<NAME> (GitHub keeps the hyphens). */
function actionInput(env: Env, name: string): string | undefined {
  const v = env[`INPUT_${name.toUpperCase()}`];
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

export function readCiEnv(env: Env = process.env, opts: ReadEnvOptions = {}): CiContext {
  if (env.GITHUB_ACTIONS !== 'true') {
    return {
      provider: 'generic',
      ci: truthy(env.CI),
      sha: env.CI_COMMIT_SHA ?? env.GIT_COMMIT ?? env.BUILD_SOURCEVERSION ?? undefined,
      ref: env.CI_COMMIT_REF_NAME ?? env.GIT_BRANCH ?? undefined,
    };
  }
  const readFile = opts.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const repository = env.GITHUB_REPOSITORY ?? '';
  if (!repository) throw new CiEnvError('GITHUB_REPOSITORY is not set; is this running inside a GitHub Actions job?');
  try {
    parseRepo(repository);
  } catch {
    throw new CiEnvError(`GITHUB_REPOSITORY is not owner/name: ${JSON.stringify(repository)}`);
  }
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  let payload: Record<string, unknown> = {};
  const eventPath = env.GITHUB_EVENT_PATH;
  if (eventPath) {
    let text: string;
    try {
      text = readFile(eventPath);
    } catch (err) {
      throw new CiEnvError(`cannot read the event payload GITHUB_EVENT_PATH=${eventPath}: ${(err as Error).message}`);
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
      payload = parsed as Record<string, unknown>;
    } catch (err) {
      throw new CiEnvError(`the event payload ${eventPath} is not valid JSON: ${(err as Error).message}`);
    }
  }
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
  const runId = env.GITHUB_RUN_ID || undefined;
  const token = opts.token || actionInput(env, 'github-token') || actionInput(env, 'token') || env.GITHUB_TOKEN || undefined;
  const ctx: GitHubContext = {
    provider: 'github',
    eventName,
    repository,
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF || undefined,
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl,
    token,
    runId,
    runUrl: runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : undefined,
    stepSummaryPath: env.GITHUB_STEP_SUMMARY || undefined,
    outputPath: env.GITHUB_OUTPUT || undefined,
    workspace: env.GITHUB_WORKSPACE || undefined,
    pullRequest: undefined,
    workflowRun: undefined,
    beforeSha: undefined,
  };
  if (eventName === 'pull_request' || eventName === 'pull_request_target' || eventName === 'pull_request_review') {
    ctx.pullRequest = readPullRequest(payload.pull_request, eventPath ?? '(no GITHUB_EVENT_PATH)', repository);
    // pull_request runs on a merge commit; comments and check runs belong to the head commit.
  } else if (eventName === 'push') {
    const before = typeof payload.before === 'string' ? payload.before : undefined;
    ctx.beforeSha = before && SHA.test(before) && !/^0+$/.test(before) ? before : undefined;
  } else if (eventName === 'workflow_run') {
    ctx.workflowRun = readWorkflowRun(payload.workflow_run, eventPath ?? '(no GITHUB_EVENT_PATH)');
  }
  return ctx;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function readPullRequest(v: unknown, where: string, repository: string): PullRequestRef {
  const pr = obj(v);
  const head = obj(pr?.head);
  const base = obj(pr?.base);
  const number = pr?.number;
  if (!pr || !head || !base || typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0) {
    throw new CiEnvError(`the event payload ${where} has no valid pull_request (number, head, base)`);
  }
  const headSha = str(head.sha) ?? '';
  const baseSha = str(base.sha) ?? '';
  if (!SHA.test(headSha) || !SHA.test(baseSha)) throw new CiEnvError(`the pull_request in ${where} has no valid head.sha/base.sha`);
  const headRepo = str(obj(head.repo)?.full_name);
  const baseRepo = str(obj(base.repo)?.full_name) ?? repository;
  return {
    number,
    headSha,
    baseSha,
    headRef: str(head.ref) ?? '',
    baseRef: str(base.ref) ?? '',
    headRepo,
    baseRepo,
    // A deleted head repository can only have been a fork.
    isFork: headRepo === undefined || headRepo.toLowerCase() !== baseRepo.toLowerCase(),
  };
}

function readWorkflowRun(v: unknown, where: string): WorkflowRunRef {
  const run = obj(v);
  const id = run?.id;
  const headSha = str(run?.head_sha) ?? '';
  if (!run || typeof id !== 'number' || !SHA.test(headSha)) throw new CiEnvError(`the event payload ${where} has no valid workflow_run (id, head_sha)`);
  const prs = Array.isArray(run.pull_requests) ? run.pull_requests : [];
  return {
    id,
    event: str(run.event) ?? '',
    headSha,
    headBranch: str(run.head_branch),
    headRepo: str(obj(run.head_repository)?.full_name),
    conclusion: str(run.conclusion) ?? undefined,
    pullRequests: prs.map((p) => obj(p)?.number).filter((n): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n > 0),
  };
}

/** The commit that comments, check runs and links should point at. */
export function headSha(ctx: GitHubContext): string {
  return ctx.pullRequest?.headSha ?? ctx.workflowRun?.headSha ?? ctx.sha;
}

/** Browser URL of a file at a commit, with an optional line anchor. */
export function blobUrl(ctx: Pick<GitHubContext, 'serverUrl' | 'repository'>, sha: string, path: string, line?: number, endLine?: number): string {
  const anchor = line ? `#L${line}${endLine && endLine > line ? `-L${endLine}` : ''}` : '';
  return `${ctx.serverUrl}/${ctx.repository}/blob/${sha}/${path.split('/').map(encodeURIComponent).join('/')}${anchor}`;
}
