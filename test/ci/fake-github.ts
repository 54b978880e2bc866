// A local stand-in for the GitHub REST endpoints deferguard's CI delivery uses. It keeps
// state (comments, reviews, labels, check runs), records every request exactly, paginates
// with Link headers, and can be told to fail requests in specific ways.

import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. /repos/o/r/pulls/1/comments?per_page=100 */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  rawBody: string;
}

export interface InjectedFailure {
  method?: string;
  /** Matched against the path (without query). */
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Close the connection without a response (a network error). */
  destroy?: boolean;
}

export interface StoredComment {
  id: number;
  body: string;
  path?: string;
  line?: number;
  side?: string;
  start_line?: number;
  start_side?: string;
  commit_id?: string;
  user: { login: string };
  in_reply_to_id?: number;
}

export interface FakeOptions {
  token: string;
  /** A token that may read but not write (fork pull requests): writes get 403. */
  readOnlyToken?: string;
  pageSize?: number;
  repo?: string;
  pr?: number;
  headSha?: string;
  baseSha?: string;
  diff?: string;
  /** Status for the diff media type (406/422 to force the files endpoint). */
  diffStatus?: number;
  files?: { filename: string; status: string; patch?: string; previous_filename?: string }[];
  botLogin?: string;
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly reviewComments = new Map<number, StoredComment>();
  readonly issueComments = new Map<number, StoredComment>();
  readonly reviews: { id: number; event: string; body: string; commit_id: string; comments: unknown[] }[] = [];
  readonly labels = new Set<string>();
  readonly checkRuns = new Map<number, { id: number; name: string; head_sha: string; conclusion: string; annotations: unknown[]; calls: number }>();
  failures: InjectedFailure[] = [];
  /** Called for every request as it arrives (after it is recorded), e.g. to check local state at that moment. */
  onRequest: ((r: RecordedRequest) => void) | undefined;
  private nextId = 1000;
  private server: Server | undefined;
  url = '';
  readonly opts: Required<Omit<FakeOptions, 'readOnlyToken'>> & { readOnlyToken: string | undefined };

  constructor(opts: FakeOptions) {
    this.opts = {
      pageSize: 2,
      repo: 'octo/widgets',
      pr: 7,
      headSha: 'a'.repeat(40),
      baseSha: 'b'.repeat(40),
      diff: '',
      diffStatus: 200,
      files: [],
      botLogin: 'github-actions[bot]',
      readOnlyToken: undefined,
      ...opts,
    };
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  addReviewComment(c: Omit<StoredComment, 'id' | 'user'> & { user?: { login: string } }): StoredComment {
    const stored = { ...c, id: this.nextId++, user: c.user ?? { login: this.opts.botLogin } };
    this.reviewComments.set(stored.id, stored);
    return stored;
  }

  addIssueComment(body: string, login = 'someone'): StoredComment {
    const c = { id: this.nextId++, body, user: { login } };
    this.issueComments.set(c.id, c);
    return c;
  }

  /** Every byte the client sent, for secret checks. */
  allRequestText(): string {
    return this.requests.map((r) => `${r.method} ${r.url}\n${r.rawBody}`).join('\n');
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      ...headers,
    });
    res.end(text);
  }

  private page(res: ServerResponse, url: URL, items: unknown[]): void {
    const size = this.opts.pageSize;
    const page = Number(url.searchParams.get('page') ?? '1');
    const last = Math.max(1, Math.ceil(items.length / size));
    const slice = items.slice((page - 1) * size, page * size);
    const headers: Record<string, string> = {};
    const link = (p: number) => {
      const u = new URL(url.toString());
      u.searchParams.set('page', String(p));
      return `${this.url}${u.pathname}${u.search}`;
    };
    const parts: string[] = [];
    if (page < last) parts.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (page > 1) parts.unshift(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
    if (parts.length) headers.link = parts.join(', ');
    this.send(res, 200, slice, headers);
  }

  private handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    let body: unknown = undefined;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const method = req.method ?? 'GET';
    this.requests.push({ method, url: req.url ?? '', headers: { ...req.headers }, body, rawBody: raw });
    this.onRequest?.(this.requests[this.requests.length - 1]!);
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const fi = this.failures.findIndex((f) => (!f.method || f.method === method) && f.path.test(path));
    if (fi >= 0) {
      const f = this.failures[fi]!;
      f.times = (f.times ?? 1) - 1;
      if (f.times <= 0) this.failures.splice(fi, 1);
      if (f.destroy) {
        req.socket.destroy();
        return;
      }
      return this.send(res, f.status, f.body ?? { message: `injected ${f.status}` }, f.headers);
    }
    const auth = req.headers.authorization;
    const readOnly = this.opts.readOnlyToken !== undefined && auth === `Bearer ${this.opts.readOnlyToken}`;
    if (auth !== `Bearer ${this.opts.token}` && !readOnly) return this.send(res, 401, { message: 'Bad credentials' });
    if (readOnly && method !== 'GET') {
      return this.send(res, 403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' });
    }
    const { repo, pr } = this.opts;
    const base = `/repos/${repo}`;
    const body_ = (body ?? {}) as Record<string, unknown>;
    if (method === 'GET' && path === `${base}/pulls/${pr}`) {
      if ((req.headers.accept ?? '').includes('diff')) {
        if (this.opts.diffStatus !== 200) return this.send(res, this.opts.diffStatus, { message: 'Sorry, the diff exceeded the maximum number of files (300).' });
        return this.send(res, 200, this.opts.diff, { 'content-type': 'text/x-diff; charset=utf-8' });
      }
      return this.send(res, 200, {
        number: pr,
        state: 'open',
        head: { sha: this.opts.headSha, ref: 'feature', repo: { full_name: 'someone/widgets' } },
        base: { sha: this.opts.baseSha, ref: 'main', repo: { full_name: repo } },
      });
    }
    if (method === 'GET' && path === `${base}/pulls/${pr}/files`) return this.page(res, url, this.opts.files);
    if (method === 'GET' && path === `${base}/pulls/${pr}/comments`) return this.page(res, url, [...this.reviewComments.values()]);
    let m = new RegExp(`^${base}/pulls/comments/(\\d+)$`).exec(path);
    if (m) {
      const c = this.reviewComments.get(Number(m[1]));
      if (!c) return this.send(res, 404, { message: 'Not Found' });
      if (method === 'PATCH') {
        c.body = String(body_.body);
        return this.send(res, 200, c);
      }
      if (method === 'DELETE') {
        this.reviewComments.delete(c.id);
        res.writeHead(204).end();
        return;
      }
    }
    if (method === 'POST' && path === `${base}/pulls/${pr}/reviews`) {
      const comments = (body_.comments as Record<string, unknown>[]) ?? [];
      for (const c of comments) {
        if (typeof c.line !== 'number' || c.side !== 'RIGHT') return this.send(res, 422, { message: 'Validation Failed', errors: ['line must be part of the diff'] });
      }
      const review = { id: this.nextId++, event: String(body_.event), body: String(body_.body), commit_id: String(body_.commit_id), comments };
      this.reviews.push(review);
      for (const c of comments) this.addReviewComment({ ...(c as unknown as StoredComment), commit_id: review.commit_id });
      return this.send(res, 200, { id: review.id, state: body_.event === 'COMMENT' ? 'COMMENTED' : 'CHANGES_REQUESTED' });
    }
    if (method === 'GET' && path === `${base}/issues/${pr}/comments`) return this.page(res, url, [...this.issueComments.values()]);
    if (method === 'POST' && path === `${base}/issues/${pr}/comments`) {
      const c = { id: this.nextId++, body: String(body_.body), user: { login: this.opts.botLogin } };
      this.issueComments.set(c.id, c);
      return this.send(res, 201, c);
    }
    m = new RegExp(`^${base}/issues/comments/(\\d+)$`).exec(path);
    if (m && method === 'PATCH') {
      const c = this.issueComments.get(Number(m[1]));
      if (!c) return this.send(res, 404, { message: 'Not Found' });
      c.body = String(body_.body);
      return this.send(res, 200, c);
    }
    if (method === 'POST' && path === `${base}/issues/${pr}/labels`) {
      for (const l of body_.labels as string[]) this.labels.add(l);
      return this.send(res, 200, [...this.labels].map((name) => ({ name })));
    }
    if (method === 'POST' && path === `${base}/check-runs`) {
      const output = body_.output as { annotations: unknown[] };
      if (output.annotations.length > 50) return this.send(res, 422, { message: 'Only 50 annotations are allowed per request' });
      const run = { id: this.nextId++, name: String(body_.name), head_sha: String(body_.head_sha), conclusion: String(body_.conclusion), annotations: [...output.annotations], calls: 1 };
      this.checkRuns.set(run.id, run);
      return this.send(res, 201, { id: run.id });
    }
    m = new RegExp(`^${base}/check-runs/(\\d+)$`).exec(path);
    if (m && method === 'PATCH') {
      const run = this.checkRuns.get(Number(m[1]));
      if (!run) return this.send(res, 404, { message: 'Not Found' });
      const output = body_.output as { annotations: unknown[] };
      if (output.annotations.length > 50) return this.send(res, 422, { message: 'Only 50 annotations are allowed per request' });
      run.annotations.push(...output.annotations);
      run.calls++;
      return this.send(res, 200, { id: run.id });
    }
    this.send(res, 404, { message: `Not Found: ${method} ${path}` });
  }
}

/** Captures everything logged, for secret checks. */
export function captureLogger(): { lines: string[]; logger: { info(m: string): void; warn(m: string): void; debug(m: string): void } } {
  const lines: string[] = [];
  return { lines, logger: { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), debug: (m) => lines.push(`debug ${m}`) } };
}

/** A sleep that records the requested delays and returns at once. */
export function recordingSleep(): { delays: number[]; sleep: (ms: number) => Promise<void> } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}
