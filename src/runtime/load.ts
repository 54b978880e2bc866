// A bounded load driver for `deferguard watch --load URL`: GET requests at a fixed rate, never
// more than `concurrency` in flight (a request that would exceed it is skipped and counted, not
// queued), each with its own deadline and a cap on the body it reads, for a fixed duration.
import http from 'node:http';
import https from 'node:https';

export const MAX_RPS = 2000;
export const MAX_CONCURRENCY = 256;
/** Bytes of a response body read before the rest is dropped. */
export const LOAD_BODY_CAP = 1 << 20;

export interface LoadOptions {
  url: string;
  rps: number;
  concurrency: number;
  durationMs: number;
  /** Deadline of each request (default 5 s). */
  timeoutMs?: number;
}

export interface LoadStats {
  /** Requests started. */
  sent: number;
  /** Requests that received a complete response (any status). */
  completed: number;
  /** Requests that failed: refused, reset, timed out. */
  failed: number;
  timedOut: number;
  /** Requests not started because `concurrency` were already in flight. */
  skipped: number;
  /** Requests still in flight when the load phase ended, aborted then. */
  aborted: number;
  inFlight: number;
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
  /** First error message seen (for the report). */
  firstError?: string;
}

export interface LoadRun {
  /** Live counters (read them while the load runs). */
  stats: LoadStats;
  /** Resolves when the duration is over (requests still in flight are then aborted). */
  done: Promise<LoadStats>;
  /** Stops early; in-flight requests are aborted. */
  stop(): void;
}

export class LoadError extends Error {}

/** Checks the options; returns a message for the first bad one. */
export function checkLoadOptions(o: LoadOptions): string | undefined {
  let u: URL;
  try {
    u = new URL(o.url);
  } catch {
    return `--load: invalid URL ${JSON.stringify(o.url)}`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `--load: unsupported URL scheme ${u.protocol} (use http or https)`;
  if (!Number.isFinite(o.rps) || o.rps <= 0 || o.rps > MAX_RPS) return `--rps must be between 1 and ${MAX_RPS}, got ${o.rps}`;
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1 || o.concurrency > MAX_CONCURRENCY) {
    return `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${o.concurrency}`;
  }
  if (!(o.durationMs > 0)) return 'the load duration must be positive';
  return undefined;
}

/** Starts the load. Throws LoadError for bad options. */
export function startLoad(o: LoadOptions): LoadRun {
  const bad = checkLoadOptions(o);
  if (bad) throw new LoadError(bad);
  const u = new URL(o.url);
  const client = u.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const timeoutMs = o.timeoutMs ?? 5000;
  const stats: LoadStats = { sent: 0, completed: 0, failed: 0, timedOut: 0, skipped: 0, aborted: 0, inFlight: 0, statuses: {} };
  const live = new Map<http.ClientRequest, () => void>();
  const start = Date.now();
  let stopped = false;
  let resolveDone!: (s: LoadStats) => void;
  const done = new Promise<LoadStats>((r) => (resolveDone = r));
  let tick: NodeJS.Timeout | undefined;
  let endTimer: NodeJS.Timeout | undefined;

  const fail = (message: string, timeout: boolean) => {
    stats.failed++;
    if (timeout) stats.timedOut++;
    stats.firstError ??= message;
  };
  const maybeDone = () => {
    if (stopped && stats.inFlight === 0) {
      agent.destroy();
      resolveDone(stats);
    }
  };
  const fire = () => {
    if (stats.inFlight >= o.concurrency) {
      stats.skipped++;
      return;
    }
    stats.sent++;
    stats.inFlight++;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      live.delete(req);
      stats.inFlight--;
      maybeDone();
    };
    const req = client.get(u, { agent, headers: { 'user-agent': 'deferguard-watch' } }, (res) => {
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > LOAD_BODY_CAP) res.destroy();
      });
      res.on('end', () => {
        stats.completed++;
        const k = String(res.statusCode ?? 0);
        stats.statuses[k] = (stats.statuses[k] ?? 0) + 1;
        finish();
      });
      res.on('close', () => {
        if (!finished) {
          if (size > LOAD_BODY_CAP) {
            stats.completed++;
            const k = String(res.statusCode ?? 0);
            stats.statuses[k] = (stats.statuses[k] ?? 0) + 1;
          } else fail(`${o.url}: connection closed during the response`, false);
          finish();
        }
      });
    });
    live.set(req, finish);
    const timer = setTimeout(() => {
      if (finished) return;
      fail(`${o.url}: no complete response within ${timeoutMs} ms`, true);
      req.destroy();
      finish();
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (finished) return;
      fail(e.code === 'ECONNREFUSED' ? `${o.url}: connection refused` : `${o.url}: ${e.message}`, false);
      finish();
    });
  };

  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (tick) clearInterval(tick);
    if (endTimer) clearTimeout(endTimer);
    for (const [r, finish] of [...live]) {
      stats.aborted++;
      finish();
      r.destroy();
    }
    maybeDone();
  };

  // Fire on a fixed schedule: request k at start + k/rps; a timer every 10 ms catches up.
  let due = 0;
  const step = () => {
    const should = Math.min(Math.floor(((Date.now() - start) * o.rps) / 1000) + 1, Math.ceil((o.durationMs * o.rps) / 1000));
    while (due < should && !stopped) {
      due++;
      fire();
    }
  };
  tick = setInterval(step, Math.max(1, Math.min(10, Math.floor(1000 / o.rps))));
  step();
  // At the end of the duration, requests still in flight are aborted: the load phase is over.
  endTimer = setTimeout(stop, o.durationMs);
  return { stats, done, stop };
}
