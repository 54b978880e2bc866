// npm run quality:scan -- [--json] [--corpus goroot|modules|both] [--sample N] [--rule id,...]
//                         [--out DIR] [--determinism] [--jobs N]
//
// Detection quality on real code: runs `deferguard check --enable-all --format json --fail-on none
// --no-cache` over $(go env GOROOT)/src and over a fixed list of third-party modules at pinned
// versions (fetched with `go mod download -json`, copied out of the module cache into a writable
// temporary directory), then prints the number of findings per rule and corpus and a
// deterministic sample per rule for hand triage: the first N findings ordered by the SHA-256 of
// "<unit>\0<fingerprint>", so the same code gives the same sample on every machine and run.
// --determinism runs every unit twice and compares the two JSON reports byte for byte.
// Results of the last run are kept in docs/quality.md ("Detection quality on real code").
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const USAGE = `usage: npm run quality:scan -- [--json] [--corpus goroot|modules|both] [--sample N] [--rule id,...] [--out DIR] [--determinism] [--jobs N]

  --corpus       goroot, modules, or both (default both)
  --sample N     findings sampled per rule and corpus (default 20; 0 for counts only)
  --rule ids     print samples only for these rules (counts are always complete)
  --out DIR      also write each unit's raw JSON report to DIR/<unit>.json
  --determinism  run every unit twice and compare the JSON reports byte for byte
  --jobs N       worker threads passed to deferguard (default: its own default, the core count)
  --json         print the results as one JSON object
`;

/**
 * Third-party modules: popular, with defer-, lock- and goroutine-heavy code. Pinned so that the
 * counts and samples can be reproduced; most versions match the ones the per-rule triage used.
 */
export const MODULES = [
  'github.com/gin-gonic/gin@v1.12.0',
  'github.com/labstack/echo/v4@v4.13.3',
  'go.uber.org/zap@v1.28.0',
  'github.com/sirupsen/logrus@v1.10.2',
  'github.com/spf13/cobra@v1.10.2',
  'github.com/jackc/pgx/v5@v5.13.0',
  'google.golang.org/grpc@v1.85.0',
  'github.com/prometheus/client_golang@v1.25.0',
  'github.com/nats-io/nats.go@v1.28.0',
  'github.com/quic-go/quic-go@v0.59.0',
  'golang.org/x/net@v0.60.0',
  'go.etcd.io/etcd/client/v3@v3.5.17',
] as const;

interface Options {
  json: boolean;
  corpus: 'goroot' | 'modules' | 'both';
  sample: number;
  rules: string[] | undefined;
  out: string | undefined;
  determinism: boolean;
  jobs: number | undefined;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { json: false, corpus: 'both', sample: 20, rules: undefined, out: undefined, determinism: false, jobs: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const count = (v: string): number => {
      if (!/^\d+$/.test(v)) throw new UsageError(`${a} needs a whole number, got ${JSON.stringify(v)}`);
      return Number(v);
    };
    if (a === '--json') o.json = true;
    else if (a === '--corpus') {
      const v = val();
      if (v !== 'goroot' && v !== 'modules' && v !== 'both') throw new UsageError('--corpus must be goroot, modules or both');
      o.corpus = v;
    } else if (a === '--sample') o.sample = count(val());
    else if (a === '--rule') o.rules = val().split(',').filter(Boolean);
    else if (a === '--out') o.out = val();
    else if (a === '--determinism') o.determinism = true;
    else if (a === '--jobs') {
      const n = count(val());
      if (n < 1) throw new UsageError('--jobs must be at least 1');
      o.jobs = n;
    } else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new UsageError(`unknown argument ${a}`);
  }
  return o;
}

class UsageError extends Error {}

const repo = new URL('..', import.meta.url).pathname;
const work = join(tmpdir(), 'deferguard-quality');

function log(msg: string): void {
  process.stderr.write(`quality-scan: ${msg}\n`);
}

function goEnv(name: string): string {
  return execFileSync('go', ['env', name], { encoding: 'utf8' }).trim();
}

/** One analysed module root. */
interface Unit {
  /** Stable name: "GOROOT/src" or the module path. */
  name: string;
  corpus: 'goroot' | 'modules';
  version: string;
  dir: string;
}

function gorootUnit(): Unit {
  const v = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  return { name: 'GOROOT/src', corpus: 'goroot', version: v, dir: join(goEnv('GOROOT'), 'src') };
}

function chmodAll(d: string): void {
  chmodSync(d, 0o755);
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) chmodAll(p);
    else chmodSync(p, 0o644);
  }
}

/**
 * Replacements by local directories (etcd's `go.etcd.io/etcd/api/v3 => ../../api`) point outside the
 * copied module; they do not apply to the module's users either, so drop them and let the
 * required versions come from the proxy.
 */
function dropLocalReplaces(dir: string): void {
  const mod = JSON.parse(execFileSync('go', ['mod', 'edit', '-json'], { cwd: dir, encoding: 'utf8' })) as { Replace?: { Old: { Path: string; Version?: string }; New: { Path: string; Version?: string } }[] | null };
  const local = (mod.Replace ?? []).filter((r) => r.New.Path.startsWith('./') || r.New.Path.startsWith('../'));
  if (local.length === 0) return;
  execFileSync('go', ['mod', 'edit', ...local.map((r) => `-dropreplace=${r.Old.Path}${r.Old.Version ? '@' + r.Old.Version : ''}`)], { cwd: dir });
  log(`  dropped ${local.length} replacement(s) by local directories: ${local.map((r) => r.Old.Path).join(', ')}`);
}

/** Fetches the pinned modules (once) into writable copies; their dependencies go to the module cache. */
function moduleUnits(): Unit[] {
  const dir = join(work, 'modules');
  mkdirSync(dir, { recursive: true });
  const units: Unit[] = [];
  for (const m of MODULES) {
    const at = m.lastIndexOf('@');
    const path = m.slice(0, at);
    const version = m.slice(at + 1);
    const dest = join(dir, `${path.replace(/\//g, '_')}@${version}`);
    if (!existsSync(join(dest, '.ready'))) {
      log(`fetching ${m}`);
      rmSync(dest, { recursive: true, force: true });
      const out = execFileSync('go', ['mod', 'download', '-json', m], { encoding: 'utf8', cwd: dir });
      const info = JSON.parse(out) as { Dir?: string; Error?: string };
      if (!info.Dir) throw new Error(`go mod download ${m}: ${info.Error ?? 'no directory'}`);
      cpSync(info.Dir, dest, { recursive: true });
      chmodAll(dest);
      dropLocalReplaces(dest);
      // Dependencies, so that imported packages resolve as they do for the module's own users.
      const r = spawnSync('go', ['mod', 'download'], { cwd: dest, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      if (r.status !== 0) log(`warning: go mod download in ${m} failed: ${(r.stderr ?? '').trim().split('\n')[0]}`);
      writeFileSync(join(dest, '.ready'), '');
    }
    units.push({ name: path, corpus: 'modules', version, dir: dest });
  }
  return units;
}

interface RawFinding {
  rule: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  column: number;
  message: string;
  fingerprint: string;
}

interface UnitResult {
  unit: Unit;
  exit: number;
  findings: RawFinding[];
  wallS: number;
  /** Byte-identical second run (only with --determinism). */
  identical?: boolean;
  bytes: number;
}

/** An empty configuration, so that no .deferguard.yml of the machine changes the rules' options. */
function emptyConfig(): string {
  mkdirSync(work, { recursive: true });
  const p = join(work, 'empty.deferguard.yml');
  writeFileSync(p, '# quality scan: every option at its default\n');
  return p;
}

function runOnce(u: Unit, o: Options, config: string, outFile: string): { exit: number; wallS: number; stderr: string } {
  const args = [join(repo, 'bin/deferguard.js'), 'check', '--enable-all', '--format', `json=${outFile}`, '--fail-on', 'none', '--no-cache', '--no-progress', '--config', config];
  if (o.jobs !== undefined) args.push('--jobs', String(o.jobs));
  args.push('./...');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: u.dir, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, GOFLAGS: '-buildvcs=false', NO_COLOR: '1' } });
  return { exit: r.status ?? -1, wallS: (performance.now() - t0) / 1000, stderr: r.stderr ?? '' };
}

function scanUnit(u: Unit, o: Options, config: string): UnitResult {
  const outDir = o.out ?? join(work, 'reports');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${u.name.replace(/\//g, '_')}.json`);
  log(`checking ${u.name}${u.corpus === 'modules' ? '@' + u.version : ''}`);
  const r = runOnce(u, o, config, file);
  if (r.exit !== 0) log(`  exit ${r.exit}: ${r.stderr.trim().split('\n').slice(0, 5).join(' | ')}`);
  if (!existsSync(file)) throw new Error(`deferguard wrote no report for ${u.name} (exit ${r.exit}): ${r.stderr.trim().slice(0, 400)}`);
  const text = readFileSync(file, 'utf8');
  const report = JSON.parse(text) as { findings: RawFinding[] };
  log(`  ${report.findings.length} findings in ${r.wallS.toFixed(1)} s`);
  const res: UnitResult = { unit: u, exit: r.exit, findings: report.findings, wallS: r.wallS, bytes: Buffer.byteLength(text) };
  if (o.determinism) {
    const again = `${file}.again`;
    runOnce(u, o, config, again);
    res.identical = existsSync(again) && readFileSync(again).equals(readFileSync(file));
    log(`  second run ${res.identical ? 'byte-identical' : 'DIFFERENT'}`);
    rmSync(again, { force: true });
  }
  return res;
}

/** The sampling key: stable across runs and machines for the same finding in the same unit. */
export function sampleKey(unit: string, fingerprint: string): string {
  return createHash('sha256').update(`${unit}\0${fingerprint}`).digest('hex');
}

export interface SampleEntry {
  unit: string;
  location: string;
  severity: string;
  confidence: string;
  message: string;
  fingerprint: string;
}

/** The first n findings by sampling key (ties, which need equal fingerprints, broken by location). */
export function pickSample(items: { unit: string; f: RawFinding }[], n: number): SampleEntry[] {
  const keyed = items.map((x) => ({ k: sampleKey(x.unit, x.f.fingerprint), loc: `${x.f.file}:${x.f.line}:${x.f.column}`, x }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.x.unit < b.x.unit ? -1 : a.x.unit > b.x.unit ? 1 : a.loc < b.loc ? -1 : a.loc > b.loc ? 1 : 0));
  return keyed.slice(0, n).map(({ x }) => ({
    unit: x.unit,
    location: `${x.f.file}:${x.f.line}`,
    severity: x.f.severity,
    confidence: x.f.confidence,
    message: x.f.message,
    fingerprint: x.f.fingerprint,
  }));
}

function ruleIds(): string[] {
  const out = execFileSync(process.execPath, [join(repo, 'bin/deferguard.js'), 'rules'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.split(/\s+/)[0] ?? '')
    .filter((id) => /^[a-z][a-z-]+$/.test(id))
    .sort();
}

interface Summary {
  goVersion: string;
  command: string;
  corpora: { name: string; corpus: string; version: string; findings: number; exit: number; identical?: boolean }[];
  rules: { id: string; goroot: number; modules: number; perModule: Record<string, number> }[];
  samples: Record<string, { goroot: SampleEntry[]; modules: SampleEntry[] }>;
  determinism?: boolean;
}

function summarize(results: UnitResult[], ids: string[], o: Options, goVersion: string): Summary {
  const rules = ids.map((id) => {
    const perModule: Record<string, number> = {};
    let goroot = 0;
    let modules = 0;
    for (const r of results) {
      const n = r.findings.filter((f) => f.rule === id).length;
      if (r.unit.corpus === 'goroot') goroot += n;
      else {
        modules += n;
        if (n > 0) perModule[r.unit.name] = n;
      }
    }
    return { id, goroot, modules, perModule };
  });
  const samples: Summary['samples'] = {};
  if (o.sample > 0)
    for (const id of ids) {
      if (o.rules && !o.rules.includes(id)) continue;
      const pick = (corpus: 'goroot' | 'modules') =>
        pickSample(
          results.filter((r) => r.unit.corpus === corpus).flatMap((r) => r.findings.filter((f) => f.rule === id).map((f) => ({ unit: r.unit.name, f }))),
          o.sample,
        );
      const s = { goroot: pick('goroot'), modules: pick('modules') };
      if (s.goroot.length + s.modules.length > 0) samples[id] = s;
    }
  const sum: Summary = {
    goVersion,
    command: 'deferguard check --enable-all --format json --fail-on none --no-cache ./...',
    corpora: results.map((r) => ({ name: r.unit.name, corpus: r.unit.corpus, version: r.unit.version, findings: r.findings.length, exit: r.exit, ...(r.identical !== undefined ? { identical: r.identical } : {}) })),
    rules,
    samples,
  };
  if (o.determinism) sum.determinism = results.every((r) => r.identical === true);
  return sum;
}

function printText(s: Summary, results: UnitResult[]): void {
  const w = (x: string) => process.stdout.write(x + '\n');
  w(`${s.command}   (${s.goVersion})`);
  w('');
  w('corpus                                         version         findings   wall');
  for (const r of results) w(`${r.unit.name.padEnd(46)} ${r.unit.version.padEnd(15)} ${String(r.findings.length).padStart(8)} ${r.wallS.toFixed(0).padStart(5)} s${r.exit !== 0 ? `  (exit ${r.exit})` : ''}${r.identical === undefined ? '' : r.identical ? '  identical' : '  DIFFERENT'}`);
  w('');
  w('rule                           GOROOT  modules  (per module)');
  for (const r of s.rules) {
    const per = Object.entries(r.perModule).map(([m, n]) => `${m.split('/').slice(-2).join('/')} ${n}`).join(', ');
    w(`${r.id.padEnd(30)} ${String(r.goroot).padStart(6)} ${String(r.modules).padStart(8)}  ${per}`);
  }
  if (s.determinism !== undefined) w(`\ndeterminism: ${s.determinism ? 'every unit gave byte-identical JSON twice' : 'SOME UNITS DIFFERED'}`);
  for (const [id, smp] of Object.entries(s.samples)) {
    for (const corpus of ['goroot', 'modules'] as const) {
      if (smp[corpus].length === 0) continue;
      w(`\n== ${id} — ${corpus} sample (${smp[corpus].length})`);
      for (const e of smp[corpus]) w(`${corpus === 'modules' ? e.unit + ' ' : ''}${e.location} [${e.severity}/${e.confidence}] ${e.message}`);
    }
  }
}

function main(): number {
  let o: Options;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`quality-scan: ${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  log('building (npm run build)');
  const b = spawnSync('npm', ['run', '-s', 'build'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  if (b.status !== 0) {
    log('build failed');
    return 1;
  }
  const ids = ruleIds();
  if (o.rules) for (const r of o.rules) if (!ids.includes(r)) {
    process.stderr.write(`quality-scan: unknown rule ${r}; known: ${ids.join(', ')}\n`);
    return 2;
  }
  const goVersion = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  const units: Unit[] = [];
  if (o.corpus !== 'modules') units.push(gorootUnit());
  if (o.corpus !== 'goroot') units.push(...moduleUnits());
  const config = emptyConfig();
  const results = units.map((u) => scanUnit(u, o, config));
  const s = summarize(results, ids, o, goVersion);
  if (o.json) process.stdout.write(JSON.stringify(s, null, 2) + '\n');
  else printText(s, results);
  return results.some((r) => r.exit !== 0) || s.determinism === false ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main();
