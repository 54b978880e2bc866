// npm run bench -- [--json] [--corpus goroot|modcache|both] [--rounds N] [--tools list] [--skip-scaling]
//
// deferguard against the Go linters that cover the same ground, side by side in one run:
//   go vet (defers, loopclosure, lostcancel, httpresponse), staticcheck (SA2001, SA2003, SA5001,
//   SA5003, SA9001, SA9010), revive (defer), go-critic (deferInLoop, exitAfterDefer, badLock) and
//   golangci-lint running those linters. The peers are installed with `go install` at pinned
//   versions into a temporary GOBIN (kept between runs under the system temp dir).
// Corpora: $(go env GOROOT)/src (module std) and real third-party modules from the module proxy
// (copied out of the module cache into a writable temp dir). Each tool runs cold (empty build and
// analysis caches) and warm (the caches of the cold run), rounds alternate between the tools, and
// the fastest round counts. Wall time and peak RSS (from /usr/bin/time -v) are reported, plus
// deferguard's scaling with corpus size and --jobs. Not part of npm test.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';

const USAGE = `usage: npm run bench -- [--json] [--corpus goroot|modcache|both] [--rounds N] [--tools t1,t2] [--skip-scaling]

  --corpus      goroot (default), modcache, or both
  --rounds N    alternating rounds per tool (default 1; the fastest counts)
  --tools       subset of: deferguard,govet,staticcheck,revive,gocritic,golangci-lint
  --skip-scaling  do not measure deferguard at 1/8, 1/4, 1/2 of the corpus and --jobs 1 vs 2
  --json        print the results as one JSON object (ratios included)
`;

const PEERS = {
  staticcheck: { pkg: 'honnef.co/go/tools/cmd/staticcheck', version: 'v0.8.2', bin: 'staticcheck' },
  // v1.17 depends on a module the Go module proxy refuses to serve; v1.16.0 installs cleanly.
  revive: { pkg: 'github.com/mgechev/revive', version: 'v1.16.0', bin: 'revive' },
  gocritic: { pkg: 'github.com/go-critic/go-critic/cmd/gocritic', version: 'v0.15.0', bin: 'gocritic' },
  'golangci-lint': { pkg: 'github.com/golangci/golangci-lint/v2/cmd/golangci-lint', version: 'v2.15.0', bin: 'golangci-lint' },
} as const;

/** Third-party modules for the module-cache corpus (real, widely used, with defer-heavy code). */
const MODULES = [
  'github.com/gin-gonic/gin@v1.10.0',
  'github.com/sirupsen/logrus@v1.9.3',
  'go.uber.org/zap@v1.27.0',
  'github.com/spf13/cobra@v1.8.1',
  'github.com/gorilla/mux@v1.8.1',
  'github.com/jackc/pgx/v5@v5.7.1',
];

const TOOLS = ['deferguard', 'govet', 'staticcheck', 'revive', 'gocritic', 'golangci-lint'] as const;
type Tool = (typeof TOOLS)[number];

interface Options {
  json: boolean;
  corpus: 'goroot' | 'modcache' | 'both';
  rounds: number;
  tools: Tool[];
  scaling: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { json: false, corpus: 'goroot', rounds: 1, tools: [...TOOLS], scaling: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--json') o.json = true;
    else if (a === '--corpus') {
      const v = val();
      if (v !== 'goroot' && v !== 'modcache' && v !== 'both') throw new Error('--corpus must be goroot, modcache or both');
      o.corpus = v;
    } else if (a === '--rounds') o.rounds = Math.max(1, Number(val()) | 0);
    else if (a === '--tools') {
      const ts = val().split(',');
      for (const t of ts) if (!(TOOLS as readonly string[]).includes(t)) throw new Error(`unknown tool ${t}`);
      o.tools = ts as Tool[];
    } else if (a === '--skip-scaling') o.scaling = false;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  return o;
}

const repo = new URL('..', import.meta.url).pathname;
const work = join(tmpdir(), 'deferguard-bench');
const gobin = join(work, 'bin');

function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

function goEnv(name: string): string {
  return execFileSync('go', ['env', name], { encoding: 'utf8' }).trim();
}

function install(tool: keyof typeof PEERS): string {
  const p = PEERS[tool];
  const bin = join(gobin, p.bin);
  const stamp = join(gobin, `${p.bin}.version`);
  if (existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8') === p.version) return bin;
  log(`installing ${p.pkg}@${p.version} (go install, once)`);
  mkdirSync(gobin, { recursive: true });
  const r = spawnSync('go', ['install', `${p.pkg}@${p.version}`], { env: { ...process.env, GOBIN: gobin, GOFLAGS: '' }, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`go install ${p.pkg}@${p.version} failed`);
  writeFileSync(stamp, p.version);
  return bin;
}

interface Measure {
  wallS: number;
  maxRssMB: number;
  exit: number;
}

/** Runs a command under /usr/bin/time -v; returns wall time and peak RSS. */
function measure(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Measure {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wallS = (performance.now() - t0) / 1000;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const exitM = /Exit status: (\d+)/.exec(r.stderr ?? '');
  const exit = exitM ? Number(exitM[1]) : (r.status ?? -1);
  return { wallS, maxRssMB: m ? Number(m[1]) / 1024 : NaN, exit };
}

interface Corpus {
  name: string;
  /** Directories to run in (each a module root) with the patterns to pass. */
  units: { dir: string; patterns: string[] }[];
  packages: number;
  megabytes: number;
}

function countGo(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      if (n === 'testdata' || n.startsWith('.') || n.startsWith('_')) continue;
      const p = join(d, n);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else if (n.endsWith('.go')) {
        files++;
        bytes += s.size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

function gorootCorpus(): Corpus {
  const src = join(goEnv('GOROOT'), 'src');
  const { bytes } = countGo(src);
  const pkgs = execFileSync('go', ['list', './...'], { cwd: src, encoding: 'utf8' }).trim().split('\n').length;
  return { name: 'GOROOT/src', units: [{ dir: src, patterns: ['./...'] }], packages: pkgs, megabytes: bytes / 1e6 };
}

function modcacheCorpus(): Corpus {
  const dir = join(work, 'modules');
  if (!existsSync(join(dir, '.ready'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const m of MODULES) {
      log(`fetching ${m}`);
      const out = execFileSync('go', ['mod', 'download', '-json', m], { encoding: 'utf8', cwd: work });
      const info = JSON.parse(out) as { Dir: string; Path: string; Version: string };
      const dest = join(dir, `${info.Path.replace(/\//g, '_')}@${info.Version}`);
      cpSync(info.Dir, dest, { recursive: true });
      const chmodAll = (d: string) => {
        chmodSync(d, 0o755);
        for (const n of readdirSync(d)) {
          const p = join(d, n);
          if (statSync(p).isDirectory()) chmodAll(p);
          else chmodSync(p, 0o644);
        }
      };
      chmodAll(dest);
      execFileSync('go', ['mod', 'download'], { cwd: dest, stdio: 'ignore' });
    }
    writeFileSync(join(dir, '.ready'), '');
  }
  const units = readdirSync(dir).filter((n) => !n.startsWith('.')).sort().map((n) => ({ dir: join(dir, n), patterns: ['./...'] }));
  let bytes = 0;
  let packages = 0;
  for (const u of units) {
    bytes += countGo(u.dir).bytes;
    packages += execFileSync('go', ['list', '-e', './...'], { cwd: u.dir, encoding: 'utf8' }).trim().split('\n').length;
  }
  return { name: 'module cache', units, packages, megabytes: bytes / 1e6 };
}

/** Command line and environment of one tool run; `cache` is the tool's cache root for this mode. */
function command(tool: Tool, cache: string, patterns: string[], extra: string[] = []): { cmd: string; args: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GOCACHE: join(cache, 'go-build'),
    XDG_CACHE_HOME: join(cache, 'xdg'),
    GOLANGCI_LINT_CACHE: join(cache, 'golangci'),
    GOFLAGS: '-buildvcs=false',
    GOTOOLCHAIN: 'local',
  };
  switch (tool) {
    case 'deferguard':
      return {
        cmd: process.execPath,
        args: [
          join(repo, 'bin/deferguard.js'), 'check', '--format', 'json', '--fail-on', 'none',
          ...(extra.includes('--no-cache') ? [] : ['--cache-dir', join(cache, 'deferguard')]),
          ...extra, ...patterns,
        ],
        env,
      };
    case 'govet':
      return { cmd: 'go', args: ['vet', '-defers', '-loopclosure', '-lostcancel', '-httpresponse', ...patterns], env };
    case 'staticcheck':
      return { cmd: join(gobin, 'staticcheck'), args: ['-checks', 'SA2001,SA2003,SA5001,SA5003,SA9001,SA9010', ...patterns], env };
    case 'revive': {
      const cfg = join(work, 'revive.toml');
      writeFileSync(cfg, '[rule.defer]\n');
      return { cmd: join(gobin, 'revive'), args: ['-config', cfg, ...patterns], env };
    }
    case 'gocritic':
      return { cmd: join(gobin, 'gocritic'), args: ['check', '-enable', 'deferInLoop,exitAfterDefer,badLock', ...patterns], env };
    case 'golangci-lint': {
      const cfg = join(work, 'golangci.yml');
      writeFileSync(
        cfg,
        [
          'version: "2"',
          'linters:',
          '  default: none',
          '  enable: [govet, staticcheck, revive, gocritic]',
          '  settings:',
          '    govet:',
          '      disable-all: true',
          '      enable: [defers, loopclosure, lostcancel, httpresponse]',
          '    staticcheck:',
          '      checks: [SA2001, SA2003, SA5001, SA5003, SA9001, SA9010]',
          '    revive:',
          '      rules: [{name: defer}]',
          '    gocritic:',
          '      disable-all: true',
          '      enabled-checks: [deferInLoop, exitAfterDefer, badLock]',
          'issues:',
          '  max-issues-per-linter: 0',
          '  max-same-issues: 0',
          '',
        ].join('\n'),
      );
      return { cmd: join(gobin, 'golangci-lint'), args: ['run', '--config', cfg, '--output.text.path', '/dev/null', ...patterns], env };
    }
  }
}

interface Row {
  corpus: string;
  tool: Tool;
  coldS: number;
  warmS: number;
  coldRssMB: number;
  warmRssMB: number;
  exit: number;
}

function runTool(tool: Tool, corpus: Corpus, rounds: number): Row {
  let best: Row | undefined;
  for (let r = 0; r < rounds; r++) {
    const cache = mkdtempSync(join(tmpdir(), `dgb-${tool}-`));
    try {
      let cold = 0, warm = 0, coldRss = 0, warmRss = 0, exit = 0;
      for (const u of corpus.units) {
        const c = command(tool, cache, u.patterns, tool === 'deferguard' ? ['--no-cache'] : []);
        // deferguard's cold run must fill the cache for the warm run: run once without --no-cache.
        const coldCmd = tool === 'deferguard' ? command(tool, cache, u.patterns) : c;
        const m1 = measure(coldCmd.cmd, coldCmd.args, u.dir, coldCmd.env);
        const m2 = measure(c.cmd, tool === 'deferguard' ? command(tool, cache, u.patterns).args : c.args, u.dir, c.env);
        cold += m1.wallS;
        warm += m2.wallS;
        coldRss = Math.max(coldRss, m1.maxRssMB);
        warmRss = Math.max(warmRss, m2.maxRssMB);
        if (m1.exit > exit) exit = m1.exit;
      }
      const row: Row = { corpus: corpus.name, tool, coldS: cold, warmS: warm, coldRssMB: coldRss, warmRssMB: warmRss, exit };
      if (!best || row.coldS < best.coldS) best = row;
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  }
  return best!;
}

interface ScalingRow {
  fraction: string;
  packages: number;
  seconds: number;
}

function scaling(corpus: Corpus): { sizes: ScalingRow[]; jobs1: number; jobs2: number } {
  const u = corpus.units[0]!;
  const dirs = execFileSync('go', ['list', '-f', '{{.Dir}}', './...'], { cwd: u.dir, encoding: 'utf8' }).trim().split('\n').sort();
  const rel = dirs.map((d) => './' + (relative(u.dir, d) || '.'));
  const sizes: ScalingRow[] = [];
  for (const [label, frac] of [['1/8', 8], ['1/4', 4], ['1/2', 2], ['all', 1]] as const) {
    const pick = rel.filter((_, i) => i % frac === 0);
    const cache = mkdtempSync(join(tmpdir(), 'dgb-scale-'));
    const c = command('deferguard', cache, pick, ['--no-cache']);
    const m = measure(c.cmd, c.args, u.dir, c.env);
    rmSync(cache, { recursive: true, force: true });
    if (m.exit >= 2) throw new Error(`deferguard exited ${m.exit} on the ${label} corpus`);
    sizes.push({ fraction: label, packages: pick.length, seconds: m.wallS });
  }
  const jobs = (n: number) => {
    const cache = mkdtempSync(join(tmpdir(), 'dgb-jobs-'));
    const c = command('deferguard', cache, u.patterns, ['--no-cache', '--jobs', String(n)]);
    const m = measure(c.cmd, c.args, u.dir, c.env);
    rmSync(cache, { recursive: true, force: true });
    if (m.exit >= 2) throw new Error(`deferguard --jobs ${n} exited ${m.exit}`);
    return m.wallS;
  };
  return { sizes, jobs1: jobs(1), jobs2: jobs(2) };
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(work, { recursive: true });
  for (const t of o.tools) if (t !== 'deferguard' && t !== 'govet') install(t);
  const corpora: Corpus[] = [];
  if (o.corpus !== 'modcache') corpora.push(gorootCorpus());
  if (o.corpus !== 'goroot') corpora.push(modcacheCorpus());

  const rows: Row[] = [];
  for (const c of corpora) {
    log(`${c.name}: ${c.packages} packages, ${c.megabytes.toFixed(1)} MB of Go`);
    for (const t of o.tools) {
      log(`  ${t} (cold, then warm)`);
      rows.push(runTool(t, c, o.rounds));
    }
  }
  const scale = o.scaling && o.tools.includes('deferguard') && corpora[0] ? scaling(corpora[0]) : undefined;

  const ratios: Record<string, Record<string, number>> = {};
  for (const c of corpora) {
    const dg = rows.find((r) => r.corpus === c.name && r.tool === 'deferguard');
    if (!dg) continue;
    ratios[c.name] = {};
    for (const r of rows) if (r.corpus === c.name && r.tool !== 'deferguard') ratios[c.name]![`${r.tool}/deferguard cold`] = r.coldS / dg.coldS;
    for (const r of rows) if (r.corpus === c.name && r.tool !== 'deferguard') ratios[c.name]![`${r.tool}/deferguard warm`] = r.warmS / dg.warmS;
  }
  const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? '', memGB: Math.round(totalmem() / 2 ** 30), node: process.version, go: execFileSync('go', ['version'], { encoding: 'utf8' }).trim() };
  const result = { machine, corpora: corpora.map((c) => ({ name: c.name, packages: c.packages, megabytes: Number(c.megabytes.toFixed(1)) })), rows, ratios, scaling: scale };
  if (o.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const lines = ['| corpus | tool | cold s | warm s | cold peak MB | warm peak MB | exit |', '|---|---|---:|---:|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.corpus} | ${r.tool} | ${r.coldS.toFixed(1)} | ${r.warmS.toFixed(1)} | ${r.coldRssMB.toFixed(0)} | ${r.warmRssMB.toFixed(0)} | ${r.exit} |`);
  process.stdout.write(lines.join('\n') + '\n\n');
  for (const [c, rs] of Object.entries(ratios)) {
    process.stdout.write(`${c}: ` + Object.entries(rs).map(([k, v]) => `${k} = ${v.toFixed(1)}x`).join(', ') + '\n');
  }
  if (scale) {
    process.stdout.write('\nscaling (deferguard, cold): ' + scale.sizes.map((s) => `${s.fraction} (${s.packages} pkgs) ${s.seconds.toFixed(1)} s`).join(', ') + '\n');
    process.stdout.write(`--jobs 1: ${scale.jobs1.toFixed(1)} s, --jobs 2: ${scale.jobs2.toFixed(1)} s\n`);
  }
  process.stdout.write(`\nmachine: ${machine.cpus} cores ${machine.model}, ${machine.memGB} GB, ${machine.node}, ${machine.go}\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exit(2);
}
