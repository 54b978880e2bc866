// deferguard watch --pprof URL: samples a running Go service over time, optionally drives bounded
// load, and reports goroutine leaks (exit 1), goroutines stuck in deferred calls or blocked long,
// and GC pauses; with --source, joins what it saw with the static findings of that module.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FetchError } from '../runtime/fetch.js';
import { LoadError, MAX_CONCURRENCY, MAX_RPS } from '../runtime/load.js';
import { watch, WatchError, type WatchOptions } from '../runtime/watch.js';
import { renderWatchJson, renderWatchText } from '../runtime/watch-render.js';
import { renderWatchHtml } from '../runtime/html.js';
import { sourceAccess, sourceDir, staticJoin } from './source.js';

const USAGE = `usage: deferguard watch --pprof URL [flags]

Samples a running Go service's net/http/pprof (and expvar / Prometheus) over time and reports
goroutine groups that keep growing, goroutines stuck inside deferred calls or blocked for long,
and GC pause percentiles. Exit status 1 when a leak is found (for a CI soak stage).

flags:
  --pprof URL            base URL of the service's net/http/pprof (http://127.0.0.1:6060)
  --vars URL             expvar URL (default: <pprof>/debug/vars, used when served)
  --metrics URL          Prometheus URL with the Go collector's metrics
  --duration D           how long to watch (default 30s; Go durations: 500ms, 10s, 2m)
  --interval I           time between samples (default 1s)
  --load URL             drive GET load at URL during the first 3/4 of the watch
  --rps N                requests per second (default 20, at most ${MAX_RPS})
  --concurrency N        requests in flight at most (default 4, at most ${MAX_CONCURRENCY})
  --load-timeout D       deadline of each load request (default 5s)
  --source DIR           module root: relative paths, and the static findings to join with
  --format text|json|html  output format (default text)
  -o, --output FILE      write the report to FILE instead of standard output
  --min-growth N         smallest growth reported as a leak (default 5 goroutines)
  --min-minutes N        "blocked for a long time" threshold in minutes (default 1)
  --timeout D            deadline of each request to the service (default 10s)

exit codes: 0 no leak, 1 leak found, 2 usage error or the service could not be read.
`;

/** Parses a Go duration (`300ms`, `1.5s`, `2m`, `1m30s`) into milliseconds. */
export function parseDuration(s: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    const v = Number(m[1]);
    ms += v * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  return Math.round(ms);
}

interface Flags {
  pprof?: string;
  vars?: string;
  metrics?: string;
  durationMs: number;
  intervalMs: number;
  load?: string;
  rps: number;
  concurrency: number;
  loadTimeoutMs: number;
  source?: string;
  format: 'text' | 'json' | 'html';
  output?: string;
  minGrowth: number;
  minMinutes: number;
  timeoutMs: number;
}

const MAX_DURATION_MS = 24 * 3_600_000;

function parseArgs(args: string[]): Flags | string {
  const f: Flags = { durationMs: 30_000, intervalMs: 1000, rps: 20, concurrency: 4, loadTimeoutMs: 5000, format: 'text', minGrowth: 5, minMinutes: 1, timeoutMs: 10_000 };
  let rpsSet = false;
  let concSet = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (eq > 0 ? a.slice(eq + 1) : args[++i]);
    const need = (): string => {
      const v = value();
      if (v === undefined || v === '') throw new Error(`${name} needs a value`);
      return v;
    };
    const duration = (): number => {
      const v = need();
      const ms = parseDuration(v);
      if (ms === undefined || ms <= 0) throw new Error(`${name}: invalid duration ${JSON.stringify(v)} (use e.g. 500ms, 10s, 2m)`);
      if (ms > MAX_DURATION_MS) throw new Error(`${name}: ${v} is longer than 24h`);
      return ms;
    };
    const whole = (): number => {
      const v = need();
      if (!/^\d+$/.test(v)) throw new Error(`${name} needs a whole number, got ${JSON.stringify(v)}`);
      return Number(v);
    };
    switch (name) {
      case '--pprof': f.pprof = need(); break;
      case '--vars': f.vars = need(); break;
      case '--metrics': f.metrics = need(); break;
      case '--duration': f.durationMs = duration(); break;
      case '--interval': f.intervalMs = duration(); break;
      case '--load': f.load = need(); break;
      case '--rps': f.rps = whole(); rpsSet = true; break;
      case '--concurrency': f.concurrency = whole(); concSet = true; break;
      case '--load-timeout': f.loadTimeoutMs = duration(); break;
      case '--source': f.source = need(); break;
      case '--format': {
        const v = need();
        if (v !== 'text' && v !== 'json' && v !== 'html') throw new Error(`--format must be text, json or html, got ${JSON.stringify(v)}`);
        f.format = v;
        break;
      }
      case '-o': case '--output': f.output = need(); break;
      case '--min-growth': f.minGrowth = Math.max(1, whole()); break;
      case '--min-minutes': f.minMinutes = whole(); break;
      case '--timeout': f.timeoutMs = duration(); break;
      default:
        throw new Error(a.startsWith('-') ? `unknown flag ${a}` : `unexpected argument ${JSON.stringify(a)}`);
    }
  }
  if (f.pprof === undefined) throw new Error('--pprof URL is required (the base URL of the service\'s net/http/pprof)');
  for (const [flag, url] of [['--pprof', f.pprof], ['--vars', f.vars], ['--metrics', f.metrics], ['--load', f.load]] as const) {
    if (url === undefined) continue;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new Error(`${flag}: invalid URL ${JSON.stringify(url)}`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${flag}: unsupported URL scheme ${u.protocol} (use http or https)`);
  }
  if ((rpsSet || concSet) && f.load === undefined) throw new Error('--rps and --concurrency need --load URL');
  if (f.rps < 1 || f.rps > MAX_RPS) throw new Error(`--rps must be between 1 and ${MAX_RPS}`);
  if (f.concurrency < 1 || f.concurrency > MAX_CONCURRENCY) throw new Error(`--concurrency must be between 1 and ${MAX_CONCURRENCY}`);
  if (f.intervalMs > f.durationMs) throw new Error('--interval is longer than --duration');
  if (f.durationMs / f.intervalMs > 100_000) throw new Error('too many samples: use a longer --interval');
  return f;
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  let flags: Flags;
  try {
    flags = parseArgs(args) as Flags;
  } catch (e) {
    process.stderr.write(`deferguard watch: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const opts: WatchOptions = {
    pprof: flags.pprof!,
    durationMs: flags.durationMs,
    intervalMs: flags.intervalMs,
    fetch: { timeoutMs: flags.timeoutMs },
    minBlockedMinutes: flags.minMinutes,
    growth: { minIncrease: flags.minGrowth },
  };
  if (flags.vars !== undefined) opts.vars = flags.vars;
  if (flags.metrics !== undefined) opts.metrics = flags.metrics;
  if (flags.load !== undefined) opts.load = { url: flags.load, rps: flags.rps, concurrency: flags.concurrency, timeoutMs: flags.loadTimeoutMs };
  // The static analysis runs while the service is sampled.
  if (flags.source !== undefined) {
    const dir = sourceDir(flags.source);
    if (typeof dir !== 'string') {
      process.stderr.write(`deferguard watch: ${dir.error}\n`);
      return 2;
    }
    const access = sourceAccess(dir);
    opts.rel = access.rel;
    opts.sourceLine = access.sourceLine;
    opts.correlator = staticJoin(access).then((j) => {
      for (const w of j.warnings) process.stderr.write(`deferguard watch: warning: ${w}\n`);
      return j.correlator;
    });
  }
  let report;
  try {
    report = await watch(opts);
  } catch (e) {
    if (e instanceof FetchError || e instanceof WatchError || e instanceof LoadError) {
      process.stderr.write(`deferguard watch: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const text = flags.format === 'json' ? renderWatchJson(report) : flags.format === 'html' ? renderWatchHtml(report) : renderWatchText(report);
  if (flags.output !== undefined) {
    try {
      writeFileSync(resolve(flags.output), text);
    } catch (e) {
      process.stderr.write(`deferguard watch: cannot write ${flags.output}: ${(e as Error).message}\n`);
      return 2;
    }
  } else process.stdout.write(text);
  return report.leaks.length ? 1 : 0;
}
