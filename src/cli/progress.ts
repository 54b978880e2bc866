// Progress of a long run on a terminal: packages done, findings so far and elapsed time, on one
// self-overwriting line of standard error. Silent when stderr is not a terminal or in CI.

export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

/** True when progress may be shown: stderr is a terminal and no CI is detected. */
export function progressWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (!stream.isTTY) return false;
  if (env.CI && env.CI !== 'false' && env.CI !== '0') return false;
  if (env.TERM === 'dumb') return false;
  return true;
}

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export class ProgressLine {
  private last = 0;
  private shown = false;
  private readonly start: number;

  constructor(private readonly sink: ProgressSink, private readonly now: () => number = Date.now, private readonly intervalMs = 100) {
    this.start = now();
  }

  update(p: { done: number; total: number; findings: number; cached: number }, force = false): void {
    const t = this.now();
    if (!force && t - this.last < this.intervalMs && p.done < p.total) return;
    this.last = t;
    const cached = p.cached > 0 ? ` (${p.cached} cached)` : '';
    let line = `deferguard: ${p.done}/${p.total} packages${cached}, ${p.findings} finding${p.findings === 1 ? '' : 's'} so far, ${formatElapsed(t - this.start)}`;
    const width = (this.sink.columns ?? 80) - 1;
    if (line.length > width && width > 10) line = line.slice(0, width);
    this.sink.write(`\r${line}\x1b[K`);
    this.shown = true;
  }

  /** Clears the line (before the report is printed). */
  done(): void {
    if (this.shown) this.sink.write('\r\x1b[K');
    this.shown = false;
  }
}
