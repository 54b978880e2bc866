// Baseline files: the findings a team has accepted. Applying a baseline splits current findings
// into new and baselined ones and lists the entries that no longer occur (fixed: burn-down).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { compareFindings, type Finding } from './model.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  file: string;
  /** Line at the time the baseline was written (informational; matching uses the fingerprint). */
  line: number;
  message: string;
}

export interface Baseline {
  version: number;
  tool: { name: string; version: string };
  entries: BaselineEntry[];
}

export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)
  );
}

/** Builds a baseline from fingerprinted findings (see computeFingerprints). */
export function createBaseline(findings: readonly Finding[], toolVersion: string): Baseline {
  const entries = [...findings].sort(compareFindings).map((f) => {
    if (!f.fingerprint) {
      throw new BaselineError(`finding ${f.rule} at ${f.file}:${f.line} has no fingerprint; compute fingerprints before writing a baseline`);
    }
    return { fingerprint: f.fingerprint, rule: f.rule, file: f.file, line: f.line, message: f.message };
  });
  entries.sort(compareEntries);
  return { version: BASELINE_VERSION, tool: { name: 'deferguard', version: toolVersion }, entries };
}

/** Stable text of a baseline: sorted entries, fixed key order, two-space indent, final newline. */
export function serializeBaseline(b: Baseline): string {
  const entries = [...b.entries].sort(compareEntries).map((e) => ({
    fingerprint: e.fingerprint, rule: e.rule, file: e.file, line: e.line, message: e.message,
  }));
  return JSON.stringify({ version: b.version, tool: { name: b.tool.name, version: b.tool.version }, entries }, null, 2) + '\n';
}

/** Parses and validates baseline text; `source` names the file in error messages. */
export function parseBaseline(text: string, source = 'baseline'): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new BaselineError(`${source}: expected a JSON object with "version" and "entries"`);
  const o = data as Record<string, unknown>;
  if (o.version !== BASELINE_VERSION) {
    throw new BaselineError(`${source}: unsupported baseline version ${JSON.stringify(o.version)} (this deferguard reads version ${BASELINE_VERSION})`);
  }
  if (!Array.isArray(o.entries)) throw new BaselineError(`${source}: "entries" must be an array`);
  const tool = (typeof o.tool === 'object' && o.tool !== null ? o.tool : {}) as Record<string, unknown>;
  const entries = o.entries.map((raw, i): BaselineEntry => {
    const where = `${source}: entries[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw new BaselineError(`${where} must be an object`);
    const e = raw as Record<string, unknown>;
    for (const k of ['fingerprint', 'rule', 'file'] as const) {
      if (typeof e[k] !== 'string' || e[k] === '') throw new BaselineError(`${where}: "${k}" must be a non-empty string`);
    }
    if (e.line !== undefined && (typeof e.line !== 'number' || !Number.isInteger(e.line) || e.line < 0)) {
      throw new BaselineError(`${where}: "line" must be a non-negative integer`);
    }
    if (e.message !== undefined && typeof e.message !== 'string') throw new BaselineError(`${where}: "message" must be a string`);
    return { fingerprint: e.fingerprint as string, rule: e.rule as string, file: e.file as string, line: (e.line as number | undefined) ?? 0, message: (e.message as string | undefined) ?? '' };
  });
  return {
    version: BASELINE_VERSION,
    tool: { name: typeof tool.name === 'string' ? tool.name : 'deferguard', version: typeof tool.version === 'string' ? tool.version : '' },
    entries,
  };
}

export function readBaselineFile(path: string): Baseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BaselineError(code === 'ENOENT' ? `baseline file ${path} does not exist (create it with --write-baseline)` : `cannot read baseline file ${path}: ${(e as Error).message}`);
  }
  return parseBaseline(text, path);
}

export function writeBaselineFile(path: string, b: Baseline): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, serializeBaseline(b));
  } catch (e) {
    throw new BaselineError(`cannot write baseline file ${path}: ${(e as Error).message}`);
  }
}

export interface BaselineResult {
  /** Findings not in the baseline. */
  fresh: Finding[];
  /** Findings the baseline accepts. */
  baselined: Finding[];
  /** Baseline entries with no current finding: fixed since the baseline was written. */
  fixed: BaselineEntry[];
}

/**
 * Matches findings to entries by fingerprint, counting duplicates (two entries with one
 * fingerprint accept two findings). Findings without a fingerprint are always fresh.
 */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): BaselineResult {
  const pool = new Map<string, BaselineEntry[]>();
  for (const e of [...baseline.entries].sort(compareEntries)) {
    let list = pool.get(e.fingerprint);
    if (!list) pool.set(e.fingerprint, (list = []));
    list.push(e);
  }
  const fresh: Finding[] = [];
  const baselined: Finding[] = [];
  for (const f of [...findings].sort(compareFindings)) {
    const list = f.fingerprint ? pool.get(f.fingerprint) : undefined;
    if (list && list.length > 0) {
      list.shift();
      baselined.push(f);
    } else {
      fresh.push(f);
    }
  }
  const fixed = [...pool.values()].flat().sort(compareEntries);
  return { fresh, baselined, fixed };
}
