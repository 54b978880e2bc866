// The golangci-lint bridge for `deferguard ci --with-golangci-lint`: runs golangci-lint with JSON
// output (v1 `--out-format json`, v2 `--output.json.path stdout`), turns its issues into
// findings with severities from the configuration, and drops issues on lines where deferguard
// already reports something, so one problem gets one comment.

import { execFile } from 'node:child_process';
import { isAbsolute, relative, sep } from 'node:path';
import { isSeverity } from '../findings/model.js';
import type { Finding, RuleMeta, Severity } from '../findings/model.js';

/** Rule ids of bridged issues are `golangci-lint/<linter>`. */
export const GOLANGCI_RULE_PREFIX = 'golangci-lint/';

export interface GolangciSeverities {
  /** Severity of an issue no other setting covers. */
  default: Severity;
  /** By golangci-lint's own issue severity (`error`, `warning`...; lower case). */
  severities: Record<string, Severity>;
  /** By linter name; wins over `severities`. */
  linters: Record<string, Severity>;
}

export const DEFAULT_GOLANGCI_SEVERITIES: GolangciSeverities = { default: 'medium', severities: {}, linters: {} };

export class GolangciError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GolangciError';
  }
}

function severityMap(v: unknown, where: string): Record<string, Severity> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new GolangciError(`${where} must be a map from name to severity (critical, high, medium, low)`);
  const out: Record<string, Severity> = {};
  for (const [k, s] of Object.entries(v as Record<string, unknown>)) {
    if (typeof s !== 'string' || !isSeverity(s)) throw new GolangciError(`${where}.${k}: ${JSON.stringify(s)} is not a severity; use critical, high, medium or low`);
    out[k.toLowerCase()] = s;
  }
  return out;
}

/**
 * Reads `ci.golangci-lint` from the configuration:
 * `{ default: medium, severities: { error: high }, linters: { errcheck: high } }`.
 */
export function parseGolangciSeverities(value: unknown, where = 'ci.golangci-lint'): GolangciSeverities {
  if (value === undefined || value === null) return structuredClone(DEFAULT_GOLANGCI_SEVERITIES);
  if (typeof value !== 'object' || Array.isArray(value)) throw new GolangciError(`${where} must be a map with default, severities, linters`);
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k !== 'default' && k !== 'severities' && k !== 'linters') throw new GolangciError(`${where}: unknown key ${JSON.stringify(k)}; known: default, severities, linters`);
  }
  let def: Severity = 'medium';
  if (o.default !== undefined) {
    if (typeof o.default !== 'string' || !isSeverity(o.default)) throw new GolangciError(`${where}.default: ${JSON.stringify(o.default)} is not a severity; use critical, high, medium or low`);
    def = o.default;
  }
  return { default: def, severities: severityMap(o.severities, `${where}.severities`), linters: severityMap(o.linters, `${where}.linters`) };
}

// ---- golangci-lint JSON ----

export interface GolangciIssue {
  linter: string;
  text: string;
  severity: string;
  file: string;
  line: number;
  column: number;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The JSON report in golangci-lint's standard output. v2 may print other text (statistics)
 * after the JSON object, so when the whole output is not JSON the object is cut out of it.
 */
export function parseGolangciJson(stdout: string): GolangciIssue[] {
  let doc: unknown;
  const text = stdout.trim();
  try {
    doc = JSON.parse(text);
  } catch {
    const start = text.search(/\{\s*"[Ii]ssues"\s*:/);
    if (start < 0) throw new GolangciError(`golangci-lint printed no JSON report (first output: ${JSON.stringify(text.slice(0, 200))})`);
    try {
      doc = JSON.parse(text.slice(start, objectEnd(text, start)));
    } catch (e) {
      throw new GolangciError(`golangci-lint's JSON report does not parse: ${(e as Error).message}`);
    }
  }
  const root = record(doc);
  if (!root) throw new GolangciError('golangci-lint\'s JSON report is not an object');
  const list = root.Issues ?? root.issues;
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) throw new GolangciError('golangci-lint\'s JSON report has no Issues list');
  const out: GolangciIssue[] = [];
  list.forEach((raw, i) => {
    const it = record(raw);
    const pos = record(it?.Pos);
    const file = pos?.Filename;
    const line = pos?.Line;
    if (!it || typeof file !== 'string' || file === '' || typeof line !== 'number' || !Number.isSafeInteger(line) || line < 1) {
      throw new GolangciError(`golangci-lint issue ${i + 1} has no Pos.Filename and Pos.Line`);
    }
    const column = typeof pos?.Column === 'number' && Number.isSafeInteger(pos.Column) && pos.Column > 0 ? pos.Column : 1;
    out.push({
      linter: typeof it.FromLinter === 'string' && it.FromLinter !== '' ? it.FromLinter : 'unknown',
      text: typeof it.Text === 'string' ? it.Text : '',
      severity: typeof it.Severity === 'string' ? it.Severity : '',
      file,
      line,
      column,
    });
  });
  return out;
}

/** The index just after the JSON object starting at `start` (braces outside strings balanced). */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

export function severityOf(issue: Pick<GolangciIssue, 'linter' | 'severity'>, map: GolangciSeverities): Severity {
  return map.linters[issue.linter.toLowerCase()] ?? map.severities[issue.severity.toLowerCase()] ?? map.default;
}

/**
 * Findings for golangci-lint issues, with paths relative to `root` (the module root).
 * golangci-lint prints paths relative to where it ran, or absolute ones: `cwd` resolves them.
 * Issues outside the root are left out (returned in `outside`).
 */
export function issuesToFindings(issues: readonly GolangciIssue[], map: GolangciSeverities, root: string, cwd = root): { findings: Finding[]; outside: GolangciIssue[] } {
  const findings: Finding[] = [];
  const outside: GolangciIssue[] = [];
  for (const is of issues) {
    const abs = isAbsolute(is.file) ? is.file : `${cwd}${sep}${is.file}`;
    const rel = relative(root, abs).split(sep).join('/');
    if (rel === '' || rel.startsWith('../') || rel === '..' || isAbsolute(rel)) {
      outside.push(is);
      continue;
    }
    const message = is.text.replace(/\s+$/, '') || `${is.linter} reported an issue`;
    findings.push({
      rule: GOLANGCI_RULE_PREFIX + is.linter,
      severity: severityOf(is, map),
      confidence: 'high',
      message,
      file: rel,
      line: is.line,
      column: is.column,
      endLine: is.line,
      endColumn: is.column,
      related: [],
    });
  }
  return { findings, outside };
}

/** Drops bridged findings on a line where one of deferguard's own findings is. */
export function dedupeAgainst(bridged: readonly Finding[], own: readonly Finding[]): { kept: Finding[]; dropped: Finding[] } {
  const taken = new Set(own.map((f) => `${f.file}\0${f.line}`));
  const kept: Finding[] = [];
  const dropped: Finding[] = [];
  for (const f of bridged) (taken.has(`${f.file}\0${f.line}`) ? dropped : kept).push(f);
  return { kept, dropped };
}

/** Rule metadata for the bridged linters, so reports and comments link to their docs. */
export function golangciRuleMetas(findings: readonly Finding[], map: GolangciSeverities): RuleMeta[] {
  const linters = [...new Set(findings.filter((f) => f.rule.startsWith(GOLANGCI_RULE_PREFIX)).map((f) => f.rule.slice(GOLANGCI_RULE_PREFIX.length)))].sort();
  return linters.map((l) => ({
    id: GOLANGCI_RULE_PREFIX + l,
    severity: map.linters[l.toLowerCase()] ?? map.default,
    summary: `reported by the ${l} linter of golangci-lint`,
    enabledByDefault: true,
    fixable: false,
    category: 'golangci-lint',
    docUrl: `https://golangci-lint.run/usage/linters/#${encodeURIComponent(l.toLowerCase())}`,
  }));
}

// ---- running it ----

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type Exec = (file: string, args: string[], opts: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }) => Promise<ExecResult>;

/** Runs a program; resolves with its exit code and output, rejects only when it cannot start. */
export const execProgram: Exec = (file, args, opts) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { cwd: opts.cwd, timeout: opts.timeoutMs, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', env: opts.env ?? process.env }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return reject(err);
      if (err && (err as { killed?: boolean }).killed) return resolve({ code: null, stdout: String(stdout), stderr: `timed out after ${opts.timeoutMs} ms` });
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });

/** The major version in `golangci-lint --version` output ("has version v2.1.6 built with ..."). */
export function parseGolangciVersion(output: string): { version: string; major: number } | undefined {
  const m = /version\s+v?(\d+)\.(\d+)(?:\.(\d+))?/i.exec(output);
  if (!m) return undefined;
  return { version: `${m[1]}.${m[2]}${m[3] !== undefined ? `.${m[3]}` : ''}`, major: Number(m[1]) };
}

export interface RunGolangciOptions {
  cwd: string;
  patterns: readonly string[];
  /** The executable (default golangci-lint, found on PATH). */
  executable?: string;
  timeoutMs?: number;
  exec?: Exec;
  env?: NodeJS.ProcessEnv;
}

export interface GolangciRun {
  version: string;
  major: number;
  args: string[];
  issues: GolangciIssue[];
}

function tail(s: string): string {
  const lines = s.trim().split('\n').filter((l) => l.trim() !== '');
  return lines.slice(-5).join(' | ').slice(0, 600);
}

/** Runs golangci-lint with JSON output in `cwd`. Throws GolangciError with a clear message. */
export async function runGolangci(opts: RunGolangciOptions): Promise<GolangciRun> {
  const exe = opts.executable ?? 'golangci-lint';
  const exec = opts.exec ?? execProgram;
  const timeoutMs = opts.timeoutMs ?? 15 * 60_000;
  const run = async (args: string[]) => {
    try {
      return await exec(exe, args, { cwd: opts.cwd, timeoutMs, ...(opts.env ? { env: opts.env } : {}) });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new GolangciError(`--with-golangci-lint: ${exe} is not on PATH; install it (https://golangci-lint.run/welcome/install/) or leave the option out`);
      }
      throw new GolangciError(`cannot run ${exe}: ${(e as Error).message}`);
    }
  };
  const v = await run(['--version']);
  const parsed = parseGolangciVersion(`${v.stdout}\n${v.stderr}`);
  if (v.code !== 0 || !parsed) {
    throw new GolangciError(`${exe} --version did not report a version (exit ${v.code ?? 'killed'}${tail(v.stderr) ? `: ${tail(v.stderr)}` : ''})`);
  }
  if (parsed.major < 1) throw new GolangciError(`golangci-lint ${parsed.version} is too old; deferguard reads the JSON of v1 and v2`);
  const patterns = opts.patterns.length > 0 ? [...opts.patterns] : ['./...'];
  const args = parsed.major >= 2 ? ['run', '--output.json.path', 'stdout', ...patterns] : ['run', '--out-format', 'json', ...patterns];
  const r = await run(args);
  // 0: no issues; 1: issues found. Anything else is a failure of golangci-lint itself.
  if (r.code !== 0 && r.code !== 1) {
    throw new GolangciError(`golangci-lint ${args.slice(0, 3).join(' ')} failed (exit ${r.code ?? 'killed'})${tail(r.stderr) ? `: ${tail(r.stderr)}` : ''}`);
  }
  let issues: GolangciIssue[];
  try {
    issues = parseGolangciJson(r.stdout);
  } catch (e) {
    throw new GolangciError(`${(e as Error).message}${tail(r.stderr) ? ` (stderr: ${tail(r.stderr)})` : ''}`);
  }
  return { version: parsed.version, major: parsed.major, args, issues };
}
