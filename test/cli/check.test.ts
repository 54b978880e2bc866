// deferguard check / rules / explain: exit codes, formats, rule selection, documentation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCheckArgs, selectRules, UsageError } from '../../src/cli/check.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// No user configuration or cache leaks into these runs.
const isolated = mkdtempSync(join(tmpdir(), 'deferguard-check-home-'));
process.on('exit', () => rmSync(isolated, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e',
      "import { main } from './src/cli/main.ts'; process.exitCode = await main(process.argv.slice(1));", '--', ...args],
    { cwd: root, encoding: 'utf8', env: { ...process.env, DEFERGUARD_NO_GO: '1', NO_COLOR: '1', HOME: isolated, XDG_CACHE_HOME: join(isolated, 'cache') } },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withModule(files: Record<string, string>, fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'deferguard-check-'));
  try {
    writeFileSync(join(dir, 'go.mod'), 'module example.com/m\n\ngo 1.22\n');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, dirname(name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const LOOP = 'package p\n\nimport "os"\n\nfunc Each(ps []string) {\n\tfor _, p := range ps {\n\t\tf, _ := os.Open(p)\n\t\tdefer f.Close()\n\t}\n}\n';
const CLEAN = 'package q\n\nfunc Q() {\n\tdefer Q()\n}\n';

test('check: text output, exit 1 at the gate, 0 below it or with --fail-on none', () => {
  withModule({ 'p/p.go': LOOP, 'q/q.go': CLEAN }, (dir) => {
    const r = cli('check', '-C', dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^p\/p\.go:8:3: high \[defer-in-loop\] file f from os\.Open on line 7 stays open until Each returns/m);
    assert.match(r.stdout, /^    p\/p\.go:7:11: f acquired here$/m);
    assert.match(r.stdout, /^1 finding/m);
    assert.equal(cli('-C', dir, '--fail-on', 'critical').status, 0);
    assert.equal(cli('-C', dir, '--fail-on', 'none', './q/...').status, 0);
  });
});

test('check: json keeps the documented finding keys; several formats at once; rule selection', () => {
  withModule({ 'p/p.go': LOOP, 'q/q.go': CLEAN }, (dir) => {
    const sarif = join(dir, 'out.sarif');
    const r = cli('-C', dir, '--format', 'json', '--format', `sarif=${sarif}`, '--enable', 'unnecessary-defer', '--jobs', '2');
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { findings: Record<string, unknown>[] };
    assert.deepEqual(report.findings.map((f) => [f.rule, f.file, f.line]), [['defer-in-loop', 'p/p.go', 8], ['unnecessary-defer', 'q/q.go', 4]]);
    for (const k of ['rule', 'severity', 'confidence', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'related']) {
      assert.ok(k in report.findings[0]!, `finding has ${k}`);
    }
    const s = JSON.parse(readFileSync(sarif, 'utf8')) as { runs: { results: unknown[] }[] };
    assert.equal(s.runs[0]!.results.length, 2);
    const off = cli('-C', dir, '--disable', 'defer-in-loop', '--format', 'json');
    assert.equal(off.status, 0, off.stderr);
    assert.deepEqual(JSON.parse(off.stdout).findings, []);
  });
});

test('check: --min-confidence and min-confidence: drop findings below the level, gate included', () => {
  const PANIC = 'package r\n\nimport "sync"\n\nfunc Dec(mu *sync.Mutex, n *int) {\n\tmu.Lock()\n\t*n--\n\tif *n < 0 {\n\t\tpanic("negative")\n\t}\n\tmu.Unlock()\n}\n';
  withModule({ 'p/p.go': LOOP, 'r/r.go': PANIC }, (dir) => {
    const rules = (args: string[]) => {
      const r = cli('-C', dir, '--format', 'json', ...args);
      return { status: r.status, rules: (JSON.parse(r.stdout) as { findings: { rule: string; confidence: string }[] }).findings.map((f) => `${f.rule}:${f.confidence}`) };
    };
    assert.deepEqual(rules([]).rules, ['defer-in-loop:high', 'lock-leaked-on-return:low']);
    assert.deepEqual(rules(['--min-confidence', 'medium']).rules, ['defer-in-loop:high']);
    // The gate sees only what is reported: the low-confidence lock (high severity) no longer fails the run.
    assert.equal(cli('-C', dir, '--min-confidence', 'medium', './r/...').status, 0);
    assert.equal(cli('-C', dir, './r/...').status, 1);
    writeFileSync(join(dir, '.deferguard.yml'), 'min-confidence: high\n');
    assert.deepEqual(rules([]).rules, ['defer-in-loop:high']);
    assert.deepEqual(rules(['--min-confidence', 'low']).rules, ['defer-in-loop:high', 'lock-leaked-on-return:low']);
    writeFileSync(join(dir, '.deferguard.yml'), 'min-confidence: sure\n');
    const bad = cli('-C', dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /\.deferguard\.yml:1:\d+: min-confidence: must be one of low, medium, high/);
  });
});

test('check: usage errors exit 2 with a clear message', () => {
  const cases: [string[], RegExp][] = [
    [['--bogus'], /unknown flag --bogus/],
    [['--enable', 'no-such-rule'], /unknown rule "no-such-rule"/],
    [['--fail-on', 'severe'], /invalid --fail-on value "severe"/],
    [['--min-confidence', 'sure'], /invalid --min-confidence value "sure": use one of low, medium, high/],
    [['--format', 'yaml'], /unknown output format "yaml"/],
    [['--jobs', '0'], /invalid --jobs value "0"/],
    [['--format', 'json', '--format', 'sarif'], /only one --format can write to standard output/],
    [['--format', 'text=out.txt', '--format', 'json=./out.txt'], /--format text=out.txt and --format json=.\/out.txt write the same file/],
  ];
  for (const [args, re] of cases) {
    assert.throws(() => {
      const a = parseCheckArgs(args);
      selectRules(a);
    }, (e: unknown) => e instanceof UsageError && re.test(e.message));
  }
  const r = cli('check', '--jobs', 'x');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /invalid --jobs value "x"/);
  const missing = cli('check', '-C', '/nonexistent/deferguard-dir');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /-C \/nonexistent\/deferguard-dir: no such directory/);
});

test('check: a pattern that names nothing exits 2; a module with no package is not an error', () => {
  withModule({ 'p/p.go': LOOP }, (dir) => {
    const r = cli('check', '-C', dir, '--fail-on', 'none', './nosuch/...');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /pattern \.\/nosuch\/\.\.\.: .*does not exist|no such file/);
    assert.match(r.stderr, /no Go packages matched \.\/nosuch\/\.\.\./);
    const ok = cli('check', '-C', dir, '--fail-on', 'none', './p/...');
    assert.equal(ok.status, 0);
  });
  withModule({}, (dir) => {
    const r = cli('check', '-C', dir, './...');
    assert.equal(r.status, 0);
    assert.match(r.stderr, /no Go packages matched \.\/\.\.\./);
  });
});

test('rule selection: defaults, --enable-all, --disable', () => {
  const base = { enable: [], disable: [], enableAll: false };
  assert.ok(selectRules(base).includes('defer-in-loop'));
  assert.ok(!selectRules(base).includes('unnecessary-defer'));
  assert.ok(selectRules({ ...base, enableAll: true }).includes('unnecessary-defer'));
  assert.ok(!selectRules({ ...base, enableAll: true, disable: ['defer-in-loop'] }).includes('defer-in-loop'));
});

test('rules lists the catalogue as JSON; explain prints a rule doc and rejects unknown ids', () => {
  const r = cli('rules', '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { id: string; severity: string; enabled: boolean; summary: string }[];
  const loop = rows.find((x) => x.id === 'defer-in-loop')!;
  assert.deepEqual(Object.keys(loop), ['id', 'severity', 'enabled', 'summary']);
  assert.equal(loop.severity, 'high');
  assert.equal(rows.find((x) => x.id === 'defer-not-open-coded')!.enabled, false);
  const e = cli('explain', 'defer-in-infinite-loop');
  assert.equal(e.status, 0, e.stderr);
  assert.match(e.stdout, /^# defer-in-infinite-loop/);
  const bad = cli('explain', 'defer-in');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown rule "defer-in" \(did you mean defer-in-loop, defer-in-infinite-loop/);
});

test('check: a standard output that cannot be written is reported, exit 2, no stack trace', { skip: process.platform !== 'linux' ? 'needs /dev/full' : false }, () => {
  withModule({ 'p/p.go': LOOP }, (dir) => {
    const run = (stdout: 'pipe' | number) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e',
          "import { main } from './src/cli/main.ts'; process.exitCode = await main(process.argv.slice(1));", '--', 'check', '-C', dir, '--no-cache'],
        { cwd: root, encoding: 'utf8', stdio: ['ignore', stdout, 'pipe'], env: { ...process.env, DEFERGUARD_NO_GO: '1', NO_COLOR: '1', HOME: isolated, XDG_CACHE_HOME: join(isolated, 'cache') } },
      );
    const full = openSync('/dev/full', 'w');
    try {
      const r = run(full);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /cannot write to standard output: no space left on the device/);
      assert.doesNotMatch(r.stderr, /at writeSync|node:events/);
    } finally {
      closeSync(full);
    }
  });
});
