// Cross-check of defer-not-open-coded against the compiler: with go on PATH, build the fixture
// with -gcflags=-d=defer, which prints how each defer is compiled, and compare the functions the
// compiler could not open-code with the functions the rule reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/analysis/driver.js';
import { parseFile } from '../../src/syntax/parser.js';
import { end, inspect, pos } from '../../src/syntax/nodes.js';
import { REGISTRY_URL } from '../../src/rules/index.js';

const DIR = new URL('../../testdata/rules/defer-not-open-coded/', import.meta.url).pathname;
const goAvailable = spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;

/** "file:line" of the innermost function (decl or literal) enclosing each line. */
function functionsByLine(file: string): (line: number) => string {
  const { file: f, source } = parseFile(file, readFileSync(join(DIR, file)));
  const fns: { from: number; to: number; key: string }[] = [];
  inspect(f, (n) => {
    if (n.kind === 'FuncDecl' || n.kind === 'FuncLit') {
      const from = source.position(pos(n)).line;
      fns.push({ from, to: source.position(end(n)).line, key: `${file}:${from}` });
    }
  });
  return (line) => {
    let best: { from: number; to: number; key: string } | undefined;
    for (const x of fns) if (x.from <= line && line <= x.to && (!best || x.from >= best.from)) best = x;
    return best?.key ?? '?';
  };
}

test('defer-not-open-coded agrees with the compiler on its fixture', { skip: goAvailable ? false : 'go is not on PATH: the compiler cross-check is skipped' }, async () => {
  const r = spawnSync('go', ['build', '-o', '/dev/null', '-gcflags=-d=defer', '.'], {
    cwd: DIR,
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local', GOWORK: 'off', GOFLAGS: '-mod=mod' },
  });
  assert.equal(r.status, 0, r.stderr);
  const lookup = new Map<string, (line: number) => string>();
  const fnOf = (file: string, line: number) => {
    if (!lookup.has(file)) lookup.set(file, functionsByLine(file));
    return lookup.get(file)!(line);
  };
  const compiler = new Set<string>();
  let seen = 0;
  for (const m of r.stderr.matchAll(/^\.\/(\S+\.go):(\d+):\d+: (open-coded|stack-allocated|heap-allocated) defer$/gm)) {
    seen++;
    if (m[3] !== 'open-coded') compiler.add(fnOf(m[1]!, Number(m[2])));
  }
  assert.ok(seen > 20, `expected the compiler's defer report, got:\n${r.stderr}`);
  const res = await analyze({ cwd: DIR, registry: REGISTRY_URL, enable: ['defer-not-open-coded'], jobs: 1, useGo: false });
  const ours = new Set(res.findings.map((f) => fnOf(f.file, f.line)));
  assert.deepEqual([...ours].sort(), [...compiler].sort());
});
