// The checked-in GitHub Action bundle (dist-action/) is what `npm run bundle` builds from the
// current sources, byte for byte, and it runs on its own: copied out of the repository, with
// worker threads, finding its data files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHECKED_IN = join(ROOT, 'dist-action');

function files(dir: string): string[] {
  const out: string[] = [];
  (function walk(d: string) {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  })(dir);
  return out;
}

function bundleInto(dir: string): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), dir], { cwd: ROOT, stdio: 'pipe' });
}

test('dist-action is current: a fresh build gives the same files and bytes (run npm run bundle after changing src/)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'dg-bundle-'));
  try {
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    bundleInto(a);
    bundleInto(b);
    // Deterministic: two builds of the same sources are identical.
    assert.deepEqual(files(a), files(b));
    for (const f of files(a)) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `two builds differ in ${f}`);
    assert.ok(existsSync(CHECKED_IN), 'dist-action/ is missing: run npm run bundle and commit it');
    const fresh = files(a);
    const have = files(CHECKED_IN);
    assert.deepEqual(have, fresh, 'dist-action/ has other files than a fresh build: run npm run bundle and commit dist-action/');
    const stale = fresh.filter((f) => !readFileSync(join(a, f)).equals(readFileSync(join(CHECKED_IN, f))));
    assert.deepEqual(stale, [], 'dist-action/ is out of date: run npm run bundle and commit dist-action/');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('the bundle runs outside the repository: worker threads, the standard-library data, the action entry', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'dg-bundle-run-'));
  try {
    const copy = join(tmp, 'action');
    cpSync(CHECKED_IN, copy, { recursive: true });
    const mod = join(tmp, 'mod');
    mkdirSync(mod);
    writeFileSync(join(mod, 'go.mod'), 'module example.com/m\n\ngo 1.22\n');
    writeFileSync(join(mod, 'main.go'), 'package main\n\nimport "os"\n\nfunc main() {\n\tfor _, n := range os.Args {\n\t\tf, err := os.Open(n)\n\t\tif err != nil {\n\t\t\treturn\n\t\t}\n\t\tdefer f.Close()\n\t}\n}\n');
    const env = { ...process.env, DEFERGUARD_NO_GO: '1', HOME: tmp, XDG_CACHE_HOME: join(tmp, 'cache'), CI: undefined, GITHUB_ACTIONS: undefined, NO_COLOR: '1' };
    const r = spawnSync(process.execPath, [join(copy, 'index.js'), 'check', '--jobs', '2', '-v', '--format', 'json', '-C', mod], { env, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /standard-library API data|type checking failed/);
    const report = JSON.parse(r.stdout) as { findings: { rule: string; line: number; message: string }[] };
    assert.deepEqual(report.findings.map((f) => `${f.line}:${f.rule}`), ['11:defer-in-loop']);
    // The type checker knew os.Open returns a file (the message names it).
    assert.match(report.findings[0]!.message, /os\.Open/);

    // No arguments: the action, driven by INPUT_* variables (outside GitHub: the generic mode).
    const out = join(tmp, 'out.sarif');
    const act = spawnSync(process.execPath, [join(copy, 'index.js')], {
      env: { ...env, 'INPUT_WORKING-DIRECTORY': mod, INPUT_SARIF: out, 'INPUT_FAIL-ON': 'none', 'INPUT_ONLY-NEW': 'false' },
      encoding: 'utf8',
    });
    assert.equal(act.status, 0, act.stderr);
    assert.match(act.stdout, /main\.go:11:\d+: high \[defer-in-loop\]/);
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { runs: { results: unknown[] }[] }).runs[0]!.results.length, 1);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
