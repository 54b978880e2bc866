// Bounded HTTP GET for a service's debug endpoints: one deadline for connect + headers + body,
// a size cap enforced while streaming, and errors that say what went wrong and where.
import http from 'node:http';
import https from 'node:https';
import { parseExpvar, ExpvarError, type ExpvarSnapshot } from './expvar.js';
import { parseDump, DumpParseError, type Dump } from './goroutines.js';
import { looksLikeGoMetrics, parsePrometheus, type PromParseResult } from './prom.js';

export type FetchErrorCode = 'bad-url' | 'refused' | 'timeout' | 'status' | 'too-large' | 'network' | 'not-go';

export class FetchError extends Error {
  constructor(
    readonly code: FetchErrorCode,
    readonly url: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface FetchOptions {
  /** Whole request deadline in milliseconds (default 10 s). */
  timeoutMs?: number;
  /** Largest accepted body in bytes (default 32 MiB). */
  maxBytes?: number;
  headers?: Record<string, string>;
}

export interface FetchResult {
  url: string;
  status: number;
  contentType: string;
  body: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 32 << 20;

/** GET `url` as text, within the deadline and size cap. Rejects with a FetchError. */
export function fetchText(url: string, opts: FetchOptions = {}): Promise<FetchResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.reject(new FetchError('bad-url', url, `invalid URL ${JSON.stringify(url)}`));
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return Promise.reject(new FetchError('bad-url', url, `unsupported URL scheme ${u.protocol} in ${url} (use http or https)`));
  }
  const client = u.protocol === 'https:' ? https : http;
  return new Promise<FetchResult>((resolve, reject) => {
    let settled = false;
    const fail = (err: FetchError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const req = client.get(u, { headers: { 'accept-encoding': 'identity', ...opts.headers } }, (res) => {
      const status = res.statusCode ?? 0;
      const contentType = String(res.headers['content-type'] ?? '');
      const declared = Number(res.headers['content-length']);
      if (status >= 200 && status < 300 && Number.isFinite(declared) && declared > maxBytes) {
        fail(new FetchError('too-large', url, `${url} announced ${declared} bytes, more than the ${maxBytes}-byte limit`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const ok = status >= 200 && status < 300;
      const keep = ok ? maxBytes : 4096; // of an error page, the start is enough for the message
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (ok && size > maxBytes) {
          fail(new FetchError('too-large', url, `${url} sent more than ${maxBytes} bytes; stopped reading`));
          return;
        }
        if (size - chunk.length < keep) chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const body = Buffer.concat(chunks).toString('utf8');
        if (!ok) {
          const snippet = body.replace(/\s+/g, ' ').trim().slice(0, 200);
          reject(
            new FetchError('status', url, `${url} answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}${snippet ? `: ${snippet}` : ''}`, status),
          );
          return;
        }
        resolve({ url, status, contentType, body });
      });
      res.on('error', (e) => fail(new FetchError('network', url, `reading ${url}: ${e.message}`)));
      res.on('aborted', () => fail(new FetchError('network', url, `${url} closed the connection before the body was complete`)));
    });
    const timer = setTimeout(() => {
      fail(new FetchError('timeout', url, `${url} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (settled) return;
      const hostPort = `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
      if (e.code === 'ECONNREFUSED') fail(new FetchError('refused', url, `cannot connect to ${hostPort}: connection refused (is the service running and the port right?)`));
      else if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') fail(new FetchError('network', url, `cannot resolve host ${u.hostname} for ${url}`));
      else if (e.code === 'ECONNRESET') fail(new FetchError('network', url, `${hostPort} reset the connection for ${url}`));
      else fail(new FetchError('network', url, `request to ${url} failed: ${e.message}`));
    });
  });
}

function describeBody(r: FetchResult): string {
  const start = r.body.trimStart().slice(0, 60);
  return `${r.contentType || 'no content type'}, body starts with ${JSON.stringify(start)}`;
}

/** Joins a base URL (`http://host:6060`) and a path, keeping any path prefix of the base. */
export function endpoint(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

/**
 * GET `<base>/debug/pprof/<profile>?debug=<debug>` and parse it. A page that does not look like
 * a goroutine profile (an HTML index, a login page, a proxy's error) gives a `not-go` error.
 */
export async function fetchGoroutines(
  base: string,
  opts: FetchOptions & { debug?: 1 | 2; profile?: 'goroutine' | 'goroutineleak' } = {},
): Promise<{ result: FetchResult; dump: Dump }> {
  const debug = opts.debug ?? 2;
  const profile = opts.profile ?? 'goroutine';
  const url = endpoint(base, `/debug/pprof/${profile}?debug=${debug}`);
  const result = await fetchText(url, opts);
  let dump: Dump;
  try {
    dump = parseDump(result.body);
  } catch (e) {
    if (e instanceof DumpParseError) {
      throw new FetchError('not-go', url, `${url} is not a Go ${profile} profile (${describeBody(result)})`);
    }
    throw e;
  }
  if (debug === 1 && dump.format !== 'debug1') {
    throw new FetchError('not-go', url, `${url} did not return a debug=1 ${profile} profile (${describeBody(result)})`);
  }
  return { result, dump };
}

/** GET `<base>/debug/vars` and parse the memstats. */
export async function fetchExpvar(base: string, opts: FetchOptions = {}): Promise<{ result: FetchResult; snapshot: ExpvarSnapshot }> {
  const url = endpoint(base, '/debug/vars');
  const result = await fetchText(url, opts);
  try {
    return { result, snapshot: parseExpvar(result.body) };
  } catch (e) {
    if (e instanceof ExpvarError) throw new FetchError('not-go', url, `${url}: ${e.message}`);
    throw e;
  }
}

/** GET a Prometheus endpoint (default `<base>/metrics`) and check it carries the Go collector's metrics. */
export async function fetchMetrics(
  base: string,
  opts: FetchOptions & { path?: string } = {},
): Promise<{ result: FetchResult; metrics: PromParseResult }> {
  const url = endpoint(base, opts.path ?? '/metrics');
  const result = await fetchText(url, opts);
  const metrics = parsePrometheus(result.body);
  if (!looksLikeGoMetrics(metrics.families)) {
    throw new FetchError(
      'not-go',
      url,
      `${url} has no Go runtime metrics (go_goroutines, go_gc_duration_seconds); ${metrics.families.length} metric families, ${metrics.errors.length} unparsable lines (${describeBody(result)})`,
    );
  }
  return { result, metrics };
}
