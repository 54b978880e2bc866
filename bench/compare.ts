// npm run bench:compare -- --base REV [--rounds N] [--jobs N] [--json] [pattern ...]
//
// The working tree's deferguard against an earlier revision of itself on $(go env GOROOT)/src,
// cold (no cache): REV is checked out into a temporary git worktree and built there, then the two
// builds run (1) alone, alternating, and (2) side by side in pairs, started together, so that both
// see the same machine even when its speed drifts. Reports wall time, CPU time (user + system)
// and peak RSS of every run (from /usr/bin/time -v), the medians, the ratios, and whether the two
// builds gave byte-identical JSON reports. Not part of npm test.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

const USAGE = `usage: npm run bench:compare -- --base REV [--rounds N] [--jobs N] [--json] [pattern ...]

  --base REV   the revision to compare with (required)
  --rounds N   alternating runs and pairs of each (default 3)
  --jobs N     passed to both builds (default: their own default)
  --json       print the results as one JSON object
  pattern      package patterns in GOROOT/src (default ./...)
`;

interface Options {
  base: string;
  rounds: number;
  jobs?: number;
  json: boolean;
  patterns: string[];
}

function parseArgs(argv: string[]): Options {
  const o: Options = { base: '', rounds: 3, json: false, patterns: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--base') o.base = val();
    else if (a === '--rounds') o.rounds = Math.max(1, Number(val()) | 0);
    else if (a === '--jobs') o.jobs = Math.max(1, Number(val()) | 0);
    else if (a === '--json') o.json = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (a.startsWith('-')) throw new Error(`unknown argument ${a}\n${USAGE}`);
    else o.patterns.push(a);
  }
  if (!o.base) throw new Error(`--base is required\n${USAGE}`);
  if (o.patterns.length === 0) o.patterns = ['./...'];
  return o;
}

interface Run {
  build: 'base' | 'head';
  mode: 'alone' | 'pair';
  wallS: number;
  cpuS: number;
  peakMB: number;
}

/** /usr/bin/time -v figures: wall, user + system CPU, peak RSS. */
function timeFigures(stderr: string): { wallS: number; cpuS: number; peakMB: number } {
  const num = (re: RegExp) => Number(re.exec(stderr)?.[1] ?? NaN);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(stderr);
  const wallS = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  return {
    wallS,
    cpuS: num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/),
    peakMB: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024,
  };
}

function checkArgs(o: Options): string[] {
  return ['check', '--no-cache', '--format', 'json', '--fail-on', 'none', ...(o.jobs ? ['--jobs', String(o.jobs)] : []), ...o.patterns];
}

/** Runs one build under /usr/bin/time -v; resolves with its figures and report. */
function runOnce(repo: string, o: Options, cwd: string): Promise<{ figures: ReturnType<typeof timeFigures>; report: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('/usr/bin/time', ['-v', process.execPath, join(repo, 'bin/deferguard.js'), ...checkArgs(o)], { cwd });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) reject(new Error(`${repo}: deferguard exited with ${code}: ${err.slice(-2000)}`));
      else resolve({ figures: timeFigures(err), report: out });
    });
  });
}

/** The findings of a JSON report, without the fields that name the tool's version. */
function findingsOf(report: string): string {
  return JSON.stringify((JSON.parse(report) as { findings: unknown }).findings);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const repo = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  const corpus = join(goroot, 'src');
  const log = (s: string) => process.stderr.write(`bench:compare: ${s}\n`);
  const sha = execFileSync('git', ['rev-parse', '--short', o.base], { cwd: repo, encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'deferguard-compare-'));
  const baseRepo = join(dir, 'base');
  try {
    log(`building ${sha} in ${baseRepo}`);
    execFileSync('git', ['worktree', 'add', '--detach', '-q', baseRepo, o.base], { cwd: repo, stdio: 'inherit' });
    if (!existsSync(join(baseRepo, 'node_modules'))) symlinkSync(join(repo, 'node_modules'), join(baseRepo, 'node_modules'));
    const tsc = spawnSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: baseRepo, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`building ${sha} failed: ${tsc.stdout}${tsc.stderr}`);
    const runs: Run[] = [];
    const reports: Record<'base' | 'head', string> = { base: '', head: '' };
    for (let r = 0; r < o.rounds; r++) {
      log(`round ${r + 1} of ${o.rounds}: alone, then a pair`);
      for (const build of ['base', 'head'] as const) {
        const x = await runOnce(build === 'base' ? baseRepo : repo, o, corpus);
        runs.push({ build, mode: 'alone', ...x.figures });
        reports[build] = x.report;
      }
      const [b, h] = await Promise.all([runOnce(baseRepo, o, corpus), runOnce(repo, o, corpus)]);
      runs.push({ build: 'base', mode: 'pair', ...b.figures }, { build: 'head', mode: 'pair', ...h.figures });
    }
    const identical = findingsOf(reports.base) === findingsOf(reports.head);
    const summary = (['alone', 'pair'] as const).map((mode) => {
      const pick = (build: 'base' | 'head', k: 'wallS' | 'cpuS' | 'peakMB') => median(runs.filter((x) => x.build === build && x.mode === mode).map((x) => x[k]));
      return {
        mode,
        base: { wallS: pick('base', 'wallS'), cpuS: pick('base', 'cpuS'), peakMB: pick('base', 'peakMB') },
        head: { wallS: pick('head', 'wallS'), cpuS: pick('head', 'cpuS'), peakMB: pick('head', 'peakMB') },
      };
    });
    const result = {
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', memGB: Math.round(totalmem() / 2 ** 30), node: process.version },
      corpus: corpus,
      base: sha,
      head: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim(),
      dirty: execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: repo, encoding: 'utf8' }).trim() !== '',
      runs,
      summary: summary.map((s) => ({ ...s, wallRatio: s.base.wallS / s.head.wallS, cpuRatio: s.base.cpuS / s.head.cpuS })),
      identicalFindings: identical,
    };
    if (o.json) {
      process.stdout.write(JSON.stringify(result) + '\n');
      return;
    }
    const f = (n: number) => n.toFixed(1);
    process.stdout.write(`${result.base} (base) vs ${result.head}${result.dirty ? ' + uncommitted changes' : ''} (head) on ${corpus}, ${o.rounds} rounds\n\n`);
    process.stdout.write('| mode | build | wall s (median) | CPU s (median) | peak MB (median) | runs: wall s |\n|---|---|---:|---:|---:|---|\n');
    for (const s of result.summary) {
      for (const build of ['base', 'head'] as const) {
        const all = runs.filter((x) => x.build === build && x.mode === s.mode).map((x) => f(x.wallS)).join(', ');
        process.stdout.write(`| ${s.mode} | ${build} | ${f(s[build].wallS)} | ${f(s[build].cpuS)} | ${Math.round(s[build].peakMB)} | ${all} |\n`);
      }
    }
    process.stdout.write('\n');
    for (const s of result.summary) process.stdout.write(`${s.mode}: head is ${s.wallRatio.toFixed(2)}x as fast as base (wall), ${s.cpuRatio.toFixed(2)}x (CPU)\n`);
    process.stdout.write(`findings ${identical ? 'identical' : 'DIFFER'}\n`);
    if (!identical) process.exitCode = 1;
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', baseRepo], { cwd: repo });
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:compare: ${(e as Error).message}\n`);
  process.exit(2);
});
