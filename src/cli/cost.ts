// deferguard cost [PATTERN...]: builds the packages with `go build -gcflags=-d=defer` (output
// discarded) and lists each defer as open-coded, stack- or heap-allocated, joined with the static
// findings at the same line.
import { spawn } from 'node:child_process';
import { devNull } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { analyze, DriverError } from '../analysis/driver.js';
import type { Finding } from '../findings/model.js';
import { analyzers, REGISTRY_URL } from '../rules/index.js';
import { buildCostReport, renderCostJson, renderCostText } from '../runtime/cost.js';

const USAGE = `usage: deferguard cost [flags] [PATTERN...]

Builds the packages matching the patterns (default ./...) with go build -gcflags=-d=defer (the
binaries are discarded) and lists each defer as the compiler compiled it: open-coded (about the
cost of a call), stack-allocated, or heap-allocated (an allocation per execution: defers in
loops), with the static findings at the same line. Needs the go command.

flags:
  -C, --dir DIR          run in DIR (a module or a directory inside one)
  --format text|json     output format (default text)
  --tags a,b             build tags
  --no-findings          do not run the static analysis

exit codes: 0 listed, 2 usage error, go missing, or the build failed.
`;

interface Flags {
  dir: string;
  patterns: string[];
  format: 'text' | 'json';
  tags: string[];
  findings: boolean;
}

function parseArgs(args: string[]): Flags | string {
  const f: Flags = { dir: '.', patterns: [], format: 'text', tags: [], findings: true };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (eq > 0 ? a.slice(eq + 1) : args[++i]);
    switch (name) {
      case '-C':
      case '--dir': {
        const v = value();
        if (!v) return `${name} needs a directory`;
        f.dir = v;
        break;
      }
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json') return `--format must be text or json, got ${JSON.stringify(v ?? '')}`;
        f.format = v;
        break;
      }
      case '--tags': {
        const v = value();
        if (v === undefined) return '--tags needs a value';
        f.tags.push(...v.split(',').map((x) => x.trim()).filter(Boolean));
        break;
      }
      case '--no-findings':
        f.findings = false;
        break;
      default:
        if (a.startsWith('-')) return `unknown flag ${a}`;
        f.patterns.push(a);
    }
  }
  return f;
}

interface GoRun {
  code: number | null;
  stderr: string;
  missing: boolean;
}

function goBuild(cwd: string, args: string[]): Promise<GoRun> {
  return new Promise((done) => {
    let stderr = '';
    let settled = false;
    const finish = (r: GoRun) => {
      if (!settled) {
        settled = true;
        done(r);
      }
    };
    const p = spawn('go', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GOFLAGS: process.env.GOFLAGS ?? '' } });
    p.stderr.setEncoding('utf8');
    p.stderr.on('data', (c: string) => {
      if (stderr.length < 64 << 20) stderr += c;
    });
    p.on('error', (e: NodeJS.ErrnoException) => finish({ code: null, stderr: e.message, missing: e.code === 'ENOENT' }));
    p.on('close', (code) => finish({ code, stderr, missing: false }));
  });
}

/** The nearest directory at or above `dir` with a go.mod (or `dir` itself). */
function moduleRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'go.mod'))) return d;
    if (dirname(d) === d) return dir;
  }
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const flags = parseArgs(args);
  if (typeof flags === 'string') {
    process.stderr.write(`deferguard cost: ${flags}\n\n${USAGE}`);
    return 2;
  }
  const cwd = resolve(flags.dir);
  const patterns = flags.patterns.length ? flags.patterns : ['./...'];
  const buildArgs = ['build', '-gcflags=-d=defer', '-o', devNull, ...(flags.tags.length ? ['-tags', flags.tags.join(',')] : []), ...patterns];
  const analysis = flags.findings
    ? analyze({ cwd, patterns: flags.patterns, tags: flags.tags, registry: REGISTRY_URL, enable: analyzers.map((a) => a.meta.id) }).catch((e: unknown) => {
        if (e instanceof DriverError) return e;
        throw e;
      })
    : undefined;
  const go = await goBuild(cwd, buildArgs);
  if (go.missing) {
    await analysis;
    process.stderr.write('deferguard cost: the go command is not installed or not on PATH; cost reads the Go compiler\'s own classification of each defer (go build -gcflags=-d=defer), so it needs Go (https://go.dev/dl/)\n');
    return 2;
  }
  if (go.code !== 0) {
    await analysis;
    const lines = go.stderr.split('\n').filter((l) => l && !/: (open-coded|stack-allocated|heap-allocated) defer/.test(l));
    process.stderr.write(`deferguard cost: go ${buildArgs.join(' ')} failed in ${cwd} (exit ${go.code}):\n${lines.slice(0, 40).join('\n')}\n`);
    return 2;
  }
  let findings: Finding[] = [];
  let root = moduleRoot(cwd);
  const result = await analysis;
  if (result instanceof DriverError) process.stderr.write(`deferguard cost: warning: static analysis failed, defers are listed without findings: ${result.message}\n`);
  else if (result) {
    findings = result.findings;
    root = result.root;
  }
  const read = (file: string): string | undefined => {
    try {
      return readFileSync(isAbsolute(file) ? file : join(root, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  const report = buildCostReport(go.stderr, { cwd, root, findings, read });
  process.stdout.write(flags.format === 'json' ? renderCostJson(report) : renderCostText(report));
  return 0;
}
