// A small GitHub REST client over fetch: auth, API version, pagination, bounded retries,
// rate limits, timeouts and a response size cap. The token never appears in an error or log.

import { backoffDelay, DEFAULT_RETRY, fetchOnce, networkErrorReason, realSleep, ResponseTooLargeError } from './http.js';
import type { FetchLike, RetryPolicy, Sleep } from './http.js';
import { Redactor, redactingLogger, silentLogger } from './redact.js';
import type { Logger } from './redact.js';

export const GITHUB_API_VERSION = '2022-11-28';

export interface GitHubClientOptions {
  token: string;
  /** API base, e.g. https://api.github.com or https://ghe.example.com/api/v3 (GITHUB_API_URL). */
  apiUrl?: string;
  userAgent?: string;
  fetch?: FetchLike;
  sleep?: Sleep;
  /** Milliseconds since the epoch; for rate-limit reset times. */
  now?: () => number;
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Longest single wait for a rate limit; a longer limit fails at once with a clear error. */
  maxRateLimitWaitMs?: number;
  /** How many times one request may wait for a rate limit. */
  maxRateLimitRetries?: number;
  maxResponseBytes?: number;
  /** Upper bound of pages followed by one paginated listing. */
  maxPages?: number;
  logger?: Logger;
  redactor?: Redactor;
}

export type ErrorKind = 'permission' | 'not-found' | 'rate-limit' | 'validation' | 'server' | 'network' | 'too-large' | 'other';

export class GitHubApiError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
    readonly status: number | undefined,
    readonly method: string,
    readonly endpoint: string,
    readonly apiMessage: string | undefined,
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }

  /** The token may not write here (fork pull requests, read-only permissions). */
  get writeDenied(): boolean {
    return this.kind === 'permission';
  }
}

export function isWriteDenied(err: unknown): boolean {
  return err instanceof GitHubApiError && err.writeDenied;
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  data: T;
  text: string;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  accept?: string;
}

/** "owner/name" split and checked, so it can be put into a path safely. */
export interface RepoRef {
  owner: string;
  repo: string;
}

export function parseRepo(fullName: string): RepoRef {
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec(fullName.trim());
  if (!m || m[2] === '.' || m[2] === '..') throw new Error(`not a GitHub repository name (owner/name): ${JSON.stringify(fullName)}`);
  return { owner: m[1]!, repo: m[2]! };
}

// ---- payload shapes (only the fields deferguard reads) ----

export interface ReviewComment {
  id: number;
  body: string;
  path: string;
  line: number | null;
  original_line?: number | null;
  side?: string;
  start_line?: number | null;
  commit_id?: string;
  user?: { login: string; type?: string } | null;
  in_reply_to_id?: number;
}

export interface IssueComment {
  id: number;
  body: string;
  user?: { login: string; type?: string } | null;
}

export interface InlineComment {
  path: string;
  line: number;
  side: 'RIGHT' | 'LEFT';
  start_line?: number;
  start_side?: 'RIGHT' | 'LEFT';
  body: string;
}

export type ReviewEvent = 'COMMENT' | 'REQUEST_CHANGES' | 'APPROVE';

export interface PullFile {
  filename: string;
  status: string;
  previous_filename?: string;
  patch?: string;
}

export interface PullRequestInfo {
  number: number;
  state: string;
  head: { sha: string; ref: string; repo: { full_name: string } | null };
  base: { sha: string; ref: string; repo: { full_name: string } };
}

export type AnnotationLevel = 'notice' | 'warning' | 'failure';

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: AnnotationLevel;
  message: string;
  title?: string;
  raw_details?: string;
}

export type CheckConclusion = 'success' | 'failure' | 'neutral' | 'action_required';

export interface CheckRunInput {
  name: string;
  headSha: string;
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  text?: string;
  annotations: CheckAnnotation[];
  detailsUrl?: string;
}

/** GitHub's limit of annotations per check-run create/update call. */
export const ANNOTATIONS_PER_CALL = 50;

export interface DiffResult {
  /** A unified diff (from the diff media type, or rebuilt from the files endpoint). */
  diff: string;
  source: 'diff' | 'files';
  /** Files the files endpoint listed without a patch (binary or too large). */
  filesWithoutPatch: string[];
}

const DIFF_MEDIA_TYPE = 'application/vnd.github.v3.diff';

export class GitHubClient {
  readonly apiUrl: string;
  private readonly apiOrigin: string;
  private readonly token: string;
  private readonly userAgent: string;
  private readonly fetchImpl: FetchLike;
  private readonly sleep: Sleep;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly maxRateLimitWaitMs: number;
  private readonly maxRateLimitRetries: number;
  private readonly maxResponseBytes: number;
  private readonly maxPages: number;
  readonly redactor: Redactor;
  private readonly log: Logger;

  constructor(opts: GitHubClientOptions) {
    if (!opts.token) throw new Error('a GitHub token is required (GITHUB_TOKEN or the github-token input)');
    const api = (opts.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    let origin: string;
    try {
      const u = new URL(api);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('bad protocol');
      origin = u.origin;
    } catch {
      throw new Error(`GitHub API URL is not an http(s) URL: ${JSON.stringify(api)}`);
    }
    this.apiUrl = api;
    this.apiOrigin = origin;
    this.token = opts.token;
    this.userAgent = opts.userAgent ?? 'deferguard';
    this.fetchImpl = opts.fetch ?? fetch;
    this.sleep = opts.sleep ?? realSleep;
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.maxRateLimitWaitMs = opts.maxRateLimitWaitMs ?? 60_000;
    this.maxRateLimitRetries = opts.maxRateLimitRetries ?? 3;
    this.maxResponseBytes = opts.maxResponseBytes ?? 20 * 1024 * 1024;
    this.maxPages = opts.maxPages ?? 100;
    this.redactor = opts.redactor ?? new Redactor();
    this.redactor.add(this.token);
    this.log = redactingLogger(opts.logger ?? silentLogger, this.redactor);
  }

  // ---- core ----

  private url(path: string, query?: RequestOptions['query']): string {
    const u = new URL(path.startsWith('http') ? path : this.apiUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** Endpoint as shown in messages: method-relative path, no origin, no secrets. */
  private describe(url: string): string {
    const u = new URL(url);
    const base = new URL(this.apiUrl).pathname.replace(/\/+$/, '');
    const p = u.pathname.startsWith(base) ? u.pathname.slice(base.length) : u.pathname;
    return this.redactor.redact(p + u.search);
  }

  private fail(kind: ErrorKind, status: number | undefined, method: string, url: string, detail: string, apiMessage?: string): GitHubApiError {
    const endpoint = this.describe(url);
    const msg = this.redactor.redact(`GitHub API ${method} ${endpoint}: ${detail}`);
    return new GitHubApiError(msg, kind, status, method, endpoint, apiMessage && this.redactor.redact(apiMessage));
  }

  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    return this.requestUrl<T>(method, this.url(path, opts.query), opts);
  }

  private async requestUrl<T>(method: string, url: string, opts: RequestOptions): Promise<ApiResponse<T>> {
    if (new URL(url).origin !== this.apiOrigin) {
      // Never send the token to a host other than the API (a forged Link header, a redirect).
      throw this.fail('other', undefined, method, url, `refusing to send credentials to another host`);
    }
    const headers: Record<string, string> = {
      Accept: opts.accept ?? 'application/vnd.github+json',
      Authorization: `Bearer ${this.token}`,
      'User-Agent': this.userAgent,
      'X-GitHub-Api-Version': GITHUB_API_VERSION,
    };
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json; charset=utf-8';
    }
    let errorRetries = 0;
    let rateRetries = 0;
    for (;;) {
      let res;
      try {
        this.log.debug(`${method} ${this.describe(url)}`);
        res = await fetchOnce(this.fetchImpl, url, { method, headers, body }, this.timeoutMs, this.maxResponseBytes);
      } catch (err) {
        if (err instanceof ResponseTooLargeError) {
          throw this.fail('too-large', undefined, method, url, `response larger than ${this.maxResponseBytes} bytes`);
        }
        const reason = networkErrorReason(err);
        if (errorRetries < this.retry.retries) {
          errorRetries++;
          const wait = backoffDelay(this.retry, errorRetries);
          this.log.warn(`${method} ${this.describe(url)} failed (${reason}); retry ${errorRetries}/${this.retry.retries} in ${wait} ms`);
          await this.sleep(wait);
          continue;
        }
        throw this.fail('network', undefined, method, url, `${reason} (after ${errorRetries + 1} attempts)`);
      }
      const text = res.body.toString('utf8');
      const status = res.status;
      if (status >= 200 && status < 300) {
        let data: unknown = undefined;
        const type = res.headers.get('content-type') ?? '';
        if (text.length > 0 && type.includes('json')) {
          try {
            data = JSON.parse(text);
          } catch {
            throw this.fail('other', status, method, url, 'response is not valid JSON');
          }
        } else {
          data = text;
        }
        return { status, headers: res.headers, data: data as T, text };
      }
      const apiMessage = apiErrorMessage(text);
      const rate = this.rateLimitWait(status, res.headers, apiMessage);
      if (rate !== undefined) {
        if (rate > this.maxRateLimitWaitMs) {
          throw this.fail('rate-limit', status, method, url, `rate limited; the limit resets in ${Math.ceil(rate / 1000)} s, longer than the ${Math.ceil(this.maxRateLimitWaitMs / 1000)} s deferguard waits`, apiMessage);
        }
        if (rateRetries >= this.maxRateLimitRetries) {
          throw this.fail('rate-limit', status, method, url, `still rate limited after ${rateRetries} waits`, apiMessage);
        }
        rateRetries++;
        this.log.warn(`${method} ${this.describe(url)} rate limited (${status}); waiting ${rate} ms`);
        await this.sleep(rate);
        continue;
      }
      if (status >= 500 && errorRetries < this.retry.retries) {
        errorRetries++;
        const wait = backoffDelay(this.retry, errorRetries);
        this.log.warn(`${method} ${this.describe(url)} returned ${status}; retry ${errorRetries}/${this.retry.retries} in ${wait} ms`);
        await this.sleep(wait);
        continue;
      }
      throw this.fail(errorKind(status, apiMessage), status, method, url, `${status}${apiMessage ? ` ${apiMessage}` : ''}`, apiMessage);
    }
  }

  /** Milliseconds to wait when the response is a rate limit, else undefined. */
  private rateLimitWait(status: number, headers: Headers, apiMessage: string | undefined): number | undefined {
    if (status !== 429 && status !== 403) return undefined;
    const retryAfter = headers.get('retry-after');
    const remaining = headers.get('x-ratelimit-remaining');
    const reset = headers.get('x-ratelimit-reset');
    const secondary = apiMessage !== undefined && /rate limit/i.test(apiMessage);
    if (status === 403 && retryAfter === null && remaining !== '0' && !secondary) return undefined;
    if (retryAfter !== null) {
      const secs = Number(retryAfter);
      if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs * 1000);
      const date = Date.parse(retryAfter);
      if (Number.isFinite(date)) return Math.max(0, date - this.now());
    }
    if (remaining === '0' && reset !== null && Number.isFinite(Number(reset))) {
      return Math.max(0, Number(reset) * 1000 - this.now()) + 1000;
    }
    // Secondary limit without a hint: GitHub asks for at least a minute.
    return status === 429 || secondary ? 60_000 : undefined;
  }

  /** Every item of a paginated listing, following `Link: <...>; rel="next"` on the API host only. */
  async paginate<T>(path: string, query: RequestOptions['query'] = {}): Promise<T[]> {
    const items: T[] = [];
    let url: string | undefined = this.url(path, { per_page: 100, ...query });
    for (let page = 0; url !== undefined; page++) {
      if (page >= this.maxPages) {
        this.log.warn(`stopped listing ${this.describe(url)} after ${this.maxPages} pages`);
        break;
      }
      const res: ApiResponse<unknown> = await this.requestUrl<unknown>('GET', url, {});
      if (!Array.isArray(res.data)) throw this.fail('other', res.status, 'GET', url, 'expected a JSON array');
      items.push(...(res.data as T[]));
      url = nextLink(res.headers.get('link'));
    }
    return items;
  }

  // ---- pull requests ----

  private repoPath(repo: string): string {
    const r = parseRepo(repo);
    return `/repos/${encodeURIComponent(r.owner)}/${encodeURIComponent(r.repo)}`;
  }

  async getPull(repo: string, pr: number): Promise<PullRequestInfo> {
    return (await this.request<PullRequestInfo>('GET', `${this.repoPath(repo)}/pulls/${num(pr)}`)).data;
  }

  /**
   * The pull request's unified diff. When GitHub refuses the diff media type (406 or 422:
   * too many files or lines), the diff is rebuilt from the paginated files endpoint.
   */
  async getPullDiff(repo: string, pr: number): Promise<DiffResult> {
    try {
      const res = await this.request<string>('GET', `${this.repoPath(repo)}/pulls/${num(pr)}`, { accept: DIFF_MEDIA_TYPE });
      return { diff: res.text, source: 'diff', filesWithoutPatch: [] };
    } catch (err) {
      if (!(err instanceof GitHubApiError) || (err.status !== 406 && err.status !== 422)) throw err;
      this.log.info(`the pull request diff is too large for the diff API (${err.status}); reading the files list instead`);
    }
    const files = await this.listPullFiles(repo, pr);
    const parts: string[] = [];
    const missing: string[] = [];
    for (const f of files) {
      if (f.patch === undefined) {
        if (f.status !== 'removed') missing.push(f.filename);
        continue;
      }
      const from = f.status === 'added' ? '/dev/null' : `a/${f.previous_filename ?? f.filename}`;
      const to = f.status === 'removed' ? '/dev/null' : `b/${f.filename}`;
      parts.push(`diff --git a/${f.previous_filename ?? f.filename} b/${f.filename}\n--- ${from}\n+++ ${to}\n${f.patch.endsWith('\n') ? f.patch : f.patch + '\n'}`);
    }
    return { diff: parts.join(''), source: 'files', filesWithoutPatch: missing.sort() };
  }

  listPullFiles(repo: string, pr: number): Promise<PullFile[]> {
    return this.paginate<PullFile>(`${this.repoPath(repo)}/pulls/${num(pr)}/files`);
  }

  listReviewComments(repo: string, pr: number): Promise<ReviewComment[]> {
    return this.paginate<ReviewComment>(`${this.repoPath(repo)}/pulls/${num(pr)}/comments`);
  }

  async createReviewComment(repo: string, pr: number, commitId: string, c: InlineComment): Promise<ReviewComment> {
    return (await this.request<ReviewComment>('POST', `${this.repoPath(repo)}/pulls/${num(pr)}/comments`, { body: { ...c, commit_id: commitId } })).data;
  }

  async updateReviewComment(repo: string, id: number, body: string): Promise<ReviewComment> {
    return (await this.request<ReviewComment>('PATCH', `${this.repoPath(repo)}/pulls/comments/${num(id)}`, { body: { body } })).data;
  }

  async deleteReviewComment(repo: string, id: number): Promise<void> {
    await this.request('DELETE', `${this.repoPath(repo)}/pulls/comments/${num(id)}`);
  }

  async createReview(repo: string, pr: number, review: { commitId: string; body: string; event: ReviewEvent; comments: InlineComment[] }): Promise<{ id: number }> {
    const res = await this.request<{ id: number }>('POST', `${this.repoPath(repo)}/pulls/${num(pr)}/reviews`, {
      body: { commit_id: review.commitId, body: review.body, event: review.event, comments: review.comments },
    });
    return res.data;
  }

  // ---- issues ----

  listIssueComments(repo: string, issue: number): Promise<IssueComment[]> {
    return this.paginate<IssueComment>(`${this.repoPath(repo)}/issues/${num(issue)}/comments`);
  }

  async createIssueComment(repo: string, issue: number, body: string): Promise<IssueComment> {
    return (await this.request<IssueComment>('POST', `${this.repoPath(repo)}/issues/${num(issue)}/comments`, { body: { body } })).data;
  }

  async updateIssueComment(repo: string, id: number, body: string): Promise<IssueComment> {
    return (await this.request<IssueComment>('PATCH', `${this.repoPath(repo)}/issues/comments/${num(id)}`, { body: { body } })).data;
  }

  async addLabels(repo: string, issue: number, labels: string[]): Promise<void> {
    if (labels.length === 0) return;
    await this.request('POST', `${this.repoPath(repo)}/issues/${num(issue)}/labels`, { body: { labels } });
  }

  // ---- check runs ----

  /**
   * Creates a completed check run. GitHub takes at most 50 annotations per call: the first
   * 50 go with the create call, the rest with one update call per 50.
   */
  async createCheckRun(repo: string, input: CheckRunInput): Promise<{ id: number; calls: number }> {
    const batches: CheckAnnotation[][] = [];
    for (let i = 0; i < input.annotations.length; i += ANNOTATIONS_PER_CALL) batches.push(input.annotations.slice(i, i + ANNOTATIONS_PER_CALL));
    const output = (annotations: CheckAnnotation[]) => ({
      title: input.title,
      summary: truncateUtf16(input.summary, 65_535),
      ...(input.text !== undefined ? { text: truncateUtf16(input.text, 65_535) } : {}),
      annotations,
    });
    const created = await this.request<{ id: number }>('POST', `${this.repoPath(repo)}/check-runs`, {
      body: {
        name: input.name,
        head_sha: input.headSha,
        status: 'completed',
        conclusion: input.conclusion,
        ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
        output: output(batches[0] ?? []),
      },
    });
    const id = created.data.id;
    for (const batch of batches.slice(1)) {
      await this.request('PATCH', `${this.repoPath(repo)}/check-runs/${num(id)}`, { body: { output: output(batch) } });
    }
    return { id, calls: Math.max(1, batches.length) };
  }
}

function num(n: number): string {
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`not a valid GitHub id or number: ${n}`);
  return String(n);
}

function apiErrorMessage(text: string): string | undefined {
  if (!text) return undefined;
  try {
    const j = JSON.parse(text) as { message?: unknown; errors?: unknown };
    if (typeof j.message === 'string') {
      let msg = j.message;
      if (Array.isArray(j.errors) && j.errors.length > 0) {
        const details = j.errors
          .map((e) => (typeof e === 'string' ? e : typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : (e as { code?: string }).code))
          .filter((s): s is string => typeof s === 'string' && s.length > 0);
        if (details.length) msg += ` (${details.join('; ')})`;
      }
      return msg.slice(0, 500);
    }
  } catch {
    // not JSON
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200) || undefined;
}

function errorKind(status: number, apiMessage: string | undefined): ErrorKind {
  if (status === 403 && apiMessage && /not accessible by|must have (?:admin|push|write)/i.test(apiMessage)) return 'permission';
  if (status === 401 || status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if (status === 422) return 'validation';
  if (status >= 500) return 'server';
  return 'other';
}

/** The rel="next" target of a Link header. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /^\s*<([^>]+)>(.*)$/.exec(part);
    if (!m) continue;
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2]!);
    if (rel && rel[1]!.trim().split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}

function truncateUtf16(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 20) + '\n\n… (truncated)';
}
