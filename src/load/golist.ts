// The `go list` bridge: with a Go toolchain on PATH, `go list -e -json` decides exact package
// membership (and, on request, the dependencies' directories). Runs with a timeout and an output
// cap; any failure is reported as a reason so the caller can fall back to deferguard's own loader.
import { spawnSync } from 'node:child_process';

export interface GoListError {
  Pos?: string;
  Err: string;
  ImportStack?: string[];
}

export interface GoListModule {
  Path: string;
  Version?: string;
  Dir?: string;
  GoMod?: string;
  GoVersion?: string;
  Main?: boolean;
  Replace?: GoListModule;
}

/** The subset of `go list -json` output deferguard reads. */
export interface GoListPackage {
  Dir: string;
  ImportPath: string;
  Name?: string;
  Root?: string;
  Goroot?: boolean;
  Standard?: boolean;
  DepOnly?: boolean;
  Incomplete?: boolean;
  GoFiles?: string[];
  CgoFiles?: string[];
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
  IgnoredGoFiles?: string[];
  InvalidGoFiles?: string[];
  Imports?: string[];
  TestImports?: string[];
  XTestImports?: string[];
  Deps?: string[];
  Module?: GoListModule;
  Error?: GoListError;
  DepsErrors?: GoListError[];
}

export interface GoListOptions {
  /** Directory to run in (the module root or the user's working directory). */
  cwd: string;
  patterns: string[];
  tags?: string[];
  /** Also list every dependency (`-deps`), marked DepOnly. */
  deps?: boolean;
  goBin?: string;
  /** Default 60 s. */
  timeoutMs?: number;
  /** Cap on stdout (default 512 MB). */
  maxOutputBytes?: number;
  env?: NodeJS.ProcessEnv;
  goos?: string;
  goarch?: string;
  cgo?: boolean;
}

export type GoListResult =
  | { ok: true; packages: GoListPackage[]; stderr: string; command: string }
  | { ok: false; reason: string; command: string };

/** Splits the concatenated JSON objects `go list -json` prints into values. */
export function parseJsonStream(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inStr) {
      if (c === 92) i++; // backslash
      else if (c === 34) inStr = false;
      continue;
    }
    if (c === 34) inStr = true;
    else if (c === 123 || c === 91) {
      if (depth === 0) start = i;
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth < 0) throw new Error(`unbalanced JSON at offset ${i}`);
      if (depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
    } else if (depth === 0 && c !== 32 && c !== 10 && c !== 13 && c !== 9) {
      throw new Error(`unexpected character ${JSON.stringify(text[i])} at offset ${i} between JSON values`);
    }
  }
  if (depth !== 0 || inStr) throw new Error('truncated JSON output');
  return out;
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/** Runs `go list -e -json [-deps] [-tags ...] <patterns>`. Never throws. */
export function runGoList(opts: GoListOptions): GoListResult {
  const goBin = opts.goBin ?? 'go';
  const args = ['list', '-e', '-json'];
  if (opts.deps) args.push('-deps');
  if (opts.tags && opts.tags.length) args.push(`-tags=${opts.tags.join(',')}`);
  args.push('--', ...opts.patterns);
  const command = [goBin, ...args].map(quoteArg).join(' ');
  const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env) };
  // Never let a go.mod's toolchain line trigger a toolchain download behind the user's back.
  if (!env.GOTOOLCHAIN) env.GOTOOLCHAIN = 'local';
  if (opts.goos) env.GOOS = opts.goos;
  if (opts.goarch) env.GOARCH = opts.goarch;
  if (opts.cgo !== undefined) env.CGO_ENABLED = opts.cgo ? '1' : '0';
  const timeout = opts.timeoutMs ?? 60_000;
  const maxBuffer = opts.maxOutputBytes ?? 512 * 1024 * 1024;
  const r = spawnSync(goBin, args, { cwd: opts.cwd, env, encoding: 'utf8', timeout, maxBuffer, killSignal: 'SIGKILL' });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, reason: `${goBin} not found on PATH`, command };
    if (code === 'ETIMEDOUT') return { ok: false, reason: `${command} timed out after ${timeout} ms`, command };
    if (code === 'ENOBUFS') return { ok: false, reason: `${command} printed more than ${maxBuffer} bytes`, command };
    return { ok: false, reason: `${command} failed to run: ${r.error.message}`, command };
  }
  if (r.signal) return { ok: false, reason: `${command} was killed by ${r.signal}`, command };
  if (r.status !== 0) {
    const msg = r.stderr.trim().split('\n').slice(0, 3).join('; ');
    return { ok: false, reason: `${command} exited with status ${r.status}${msg ? `: ${msg}` : ''}`, command };
  }
  let values: unknown[];
  try {
    values = parseJsonStream(r.stdout);
  } catch (e) {
    return { ok: false, reason: `${command}: cannot read its JSON output: ${(e as Error).message}`, command };
  }
  const packages: GoListPackage[] = [];
  for (const v of values) {
    if (v === null || typeof v !== 'object' || typeof (v as GoListPackage).ImportPath !== 'string' || typeof (v as GoListPackage).Dir !== 'string') {
      // A package that does not exist on disk has no Dir; keep it only when it carries an error.
      const p = v as Partial<GoListPackage>;
      if (p && typeof p.ImportPath === 'string' && p.Error) packages.push({ Dir: '', ...p } as GoListPackage);
      continue;
    }
    packages.push(v as GoListPackage);
  }
  return { ok: true, packages, stderr: r.stderr, command };
}
