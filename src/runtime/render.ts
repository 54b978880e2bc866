// Text and JSON views of a goroutine dump analysis (`deferguard stacks`), and the mapping of
// frame paths to paths relative to a source directory.
import type { Analysis, Group, Location } from './group.js';
import type { CreatedBy, Frame } from './goroutines.js';
import type { StaticMatch } from './correlate.js';

/**
 * Maps a path printed in a dump to a path relative to `sourceDir` (forward slashes). A path under
 * `sourceDir` loses the prefix; otherwise, when the dump comes from another checkout or a
 * -trimpath build, the longest tail of the path that exists under `sourceDir` is used. Paths that
 * match nothing (the standard library, dependencies) are returned unchanged.
 */
export function makeRelativizer(sourceDir: string, exists: (rel: string) => boolean): (file: string) => string {
  const root = sourceDir.replace(/\\/g, '/').replace(/\/+$/, '');
  const cache = new Map<string, string>();
  return (file: string) => {
    const hit = cache.get(file);
    if (hit !== undefined) return hit;
    const f = file.replace(/\\/g, '/');
    let out = file;
    if (root !== '' && f.startsWith(`${root}/`)) out = f.slice(root.length + 1);
    else {
      const parts = f.split('/');
      for (let i = 1; i < parts.length; i++) {
        const tail = parts.slice(i).join('/');
        if (tail !== '' && exists(tail)) {
          out = tail;
          break;
        }
      }
    }
    cache.set(file, out);
    return out;
  };
}

function mapFrame<T extends { file: string }>(f: T, rel: (file: string) => string): T {
  return { ...f, file: rel(f.file) };
}

/** A copy of the analysis with every path passed through `rel`. */
export function relativizeAnalysis(a: Analysis, rel: (file: string) => string): Analysis {
  const groups = a.groups.map((g): Group => {
    const out: Group = { ...g, frames: g.frames.map((f) => mapFrame(f, rel)) };
    if (g.createdBy) out.createdBy = mapFrame(g.createdBy, rel);
    if (g.createdAt) out.createdAt = mapFrame(g.createdAt, rel);
    if (g.topUserFrame) out.topUserFrame = mapFrame(g.topUserFrame, rel);
    if (g.stuckDefer) {
      out.stuckDefer = {
        ...mapFrame(g.stuckDefer, rel),
        deferred: mapFrame(g.stuckDefer.deferred, rel),
        caller: mapFrame(g.stuckDefer.caller, rel),
      };
    }
    return out;
  });
  return { ...a, groups };
}

const loc = (l: Location) => `${l.file}:${l.line}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function frameText(f: Frame): string {
  return f.inlined ? `${f.func}(...)` : `${f.func}(${f.args ?? ''})`;
}

function minutesText(g: Group): string {
  if (g.minutes.max === 0) return '';
  return g.minutes.min === g.minutes.max ? plural(g.minutes.max, 'minute') : `${g.minutes.min}-${g.minutes.max} minutes`;
}

function stateText(g: Group): string {
  const parts = [g.state || (g.leaked ? 'leaked' : 'unknown state')];
  if (g.leaked && g.state !== 'leaked') parts[0] += ' (leaked)';
  const m = minutesText(g);
  if (m) parts.push(m);
  if (g.lockedToThread) parts.push(g.lockedToThread === g.count ? 'locked to thread' : `${g.lockedToThread} locked to thread`);
  return parts.join(', ');
}

function creatorText(c: CreatedBy | undefined): string {
  if (!c) return '';
  return `created at ${loc(c)} by ${c.func}`;
}

function idsText(ids: number[], max = 12): string {
  if (ids.length === 0) return '';
  const shown = ids.slice(0, max).join(' ');
  return ids.length > max ? `${shown} ... (+${ids.length - max})` : shown;
}

export interface TextOptions {
  /** Frames shown per group before "... N more frames" (default 10; 0 = all). */
  maxFrames?: number;
  /** Static findings joined to each group, by group index (`deferguard stacks --source`). */
  matches?: ReadonlyMap<number, readonly StaticMatch[]>;
}

function matchLines(ms: readonly StaticMatch[] | undefined, indent: string): string[] {
  return (ms ?? []).map((m) => `${indent}confirmed at run time: ${m.rule} (${m.severity}) at ${m.file}:${m.line} ${m.docUrl}`);
}

/** A readable summary: headline, groups largest first, then blocked-long, stuck-in-defer and leaked sections. */
export function renderText(a: Analysis, opts: TextOptions = {}): string {
  const maxFrames = opts.maxFrames ?? 10;
  const out: string[] = [];
  for (const p of a.panics) out.push(`panic: ${p}`);
  if (a.fatalError) out.push(`fatal error: ${a.fatalError}`);
  if (a.signal) out.push(`signal: ${a.signal}`);
  if (a.testTimeout) {
    out.push(`test timed out after ${a.testTimeout.after}${a.testTimeout.running.length ? `; running: ${a.testTimeout.running.join(', ')}` : ''}`);
  }
  const what = a.format === 'debug1' ? `pprof ${a.kind} profile (debug=1)` : describeKind(a.kind);
  out.push(`${plural(a.total, 'goroutine')} in ${plural(a.groups.length, 'group')} (${what})${a.truncated ? '; the dump is truncated' : ''}`);
  out.push('');
  for (const g of a.groups) {
    const head = [`#${g.index}`, plural(g.count, 'goroutine'), `[${stateText(g)}]`];
    const c = creatorText(g.createdBy);
    if (c) head.push(c);
    out.push(head.join('  '));
    out.push(...matchLines(opts.matches?.get(g.index), '    '));
    if (g.ids.length) out.push(`    ids: ${idsText(g.ids)}`);
    if (g.labels && Object.keys(g.labels).length) {
      out.push(`    labels: ${Object.entries(g.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}`);
    }
    const shown = maxFrames > 0 ? g.frames.slice(0, maxFrames) : g.frames;
    const width = Math.min(70, Math.max(0, ...shown.map((f) => frameText(f).length)));
    for (const f of shown) {
      const mark = g.topUserFrame === f || (g.topUserFrame && f.func === g.topUserFrame.func && f.line === g.topUserFrame.line && f.file === g.topUserFrame.file) ? '>' : ' ';
      out.push(`  ${mark} ${frameText(f).padEnd(width)}  ${loc(f)}`);
    }
    if (shown.length < g.frames.length) out.push(`    ... ${plural(g.frames.length - shown.length, 'more frame')}`);
    if (g.elided) out.push('    ... frames elided by the runtime');
    out.push('');
  }

  const long = a.groups.filter((g) => g.blockedLong).sort((x, y) => y.minutes.max - x.minutes.max || x.index - y.index);
  if (long.length) {
    out.push('Blocked for a long time:');
    for (const g of long) {
      const where = g.topUserFrame ? `${g.topUserFrame.func} at ${loc(g.topUserFrame)}` : g.frames[0] ? loc(g.frames[0]) : '';
      const c = g.createdAt ? ` (created at ${loc(g.createdAt)})` : '';
      out.push(`  #${g.index}  ${plural(g.count, 'goroutine')}  ${g.state} for ${minutesText(g)}  in ${where}${c}`);
    }
    out.push('');
  }

  const stuck = a.groups.filter((g) => g.stuckDefer);
  if (stuck.length) {
    out.push('Stuck inside a deferred call:');
    for (const g of stuck) {
      const s = g.stuckDefer!;
      const how =
        s.via === 'panic'
          ? `while panicking at ${loc(s)}`
          : s.via === 'exit'
            ? `at its exit ${loc(s)}${s.confirmed ? '' : ' (likely: a closure called by the function that encloses it)'}`
            : `at ${loc(s)} (${s.via === 'deferwrap' ? 'deferred call with arguments' : 'runtime.deferreturn'})`;
      const blockedAt = g.frames[0] ? `; ${g.state || 'blocked'} at ${loc(g.topUserFrame ?? g.frames[0])}` : '';
      out.push(`  #${g.index}  ${plural(g.count, 'goroutine')}  ${s.deferred.func} deferred by ${s.caller.func}, running ${how}${blockedAt}`);
      out.push(...matchLines(opts.matches?.get(g.index)?.filter((m) => m.via === 'stuckDefer'), '      '));
    }
    out.push('');
  }

  const leaked = a.groups.filter((g) => g.leaked > 0);
  if (leaked.length) {
    out.push('Leaked (reported by the goroutine leak detector):');
    for (const g of leaked) {
      const where = g.topUserFrame ? `${g.topUserFrame.func} at ${loc(g.topUserFrame)}` : '';
      const c = g.createdAt ? ` (created at ${loc(g.createdAt)})` : '';
      out.push(`  #${g.index}  ${plural(g.leaked, 'goroutine')}  ${where}${c}`);
    }
    out.push('');
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n') + '\n';
}

function describeKind(kind: string): string {
  switch (kind) {
    case 'panic':
      return 'panic traceback';
    case 'signal':
      return 'signal dump';
    case 'fatal':
      return 'fatal error traceback';
    case 'test-timeout':
      return 'go test timeout dump';
    default:
      return 'goroutine stacks, debug=2';
  }
}

/**
 * The analysis as stable, pretty-printed JSON (keys in a fixed order, no timestamps). Each group's
 * `finding` is the id of the static rule joined to it (null without one or without `matches`).
 */
export function renderJson(a: Analysis, matches?: ReadonlyMap<number, readonly StaticMatch[]>): string {
  const doc = {
    format: a.format,
    kind: a.kind,
    total: a.total,
    truncated: a.truncated,
    panics: a.panics,
    signal: a.signal ?? null,
    fatalError: a.fatalError ?? null,
    testTimeout: a.testTimeout ?? null,
    goroot: a.goroot ?? null,
    groups: a.groups.map((g) => ({
      index: g.index,
      count: g.count,
      state: g.state,
      leaked: g.leaked,
      lockedToThread: g.lockedToThread,
      minutes: g.minutes,
      blocked: g.blocked ?? null,
      blockedLong: g.blockedLong,
      ids: g.ids,
      labels: g.labels ?? null,
      createdBy: g.createdBy ?? null,
      createdAt: g.createdAt ?? null,
      topUserFrame: g.topUserFrame ?? null,
      stuckDefer: g.stuckDefer ?? null,
      finding: matches?.get(g.index)?.[0]?.rule ?? null,
      findings: (matches?.get(g.index) ?? []).map((m) => ({ rule: m.rule, severity: m.severity, file: m.file, line: m.line, via: m.via, docUrl: m.docUrl })),
      elided: g.elided,
      frames: g.frames,
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
