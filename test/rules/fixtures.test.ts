// Rule fixtures: every testdata/rules/<id>/ is a Go module (or holds several, one per
// subdirectory with its own go.mod, to test different Go versions). Lines carry
// `// want "regexp"` comments (several per line allowed); the rule alone is run over the module,
// every want must be matched by a finding of that rule on that line whose message matches, and
// no other finding of that rule may appear; the findings must be the same with body pruning off.
// With go on PATH, each module must also pass go vet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze } from '../../src/analysis/driver.js';
import { parseRuleOptions } from '../../src/analysis/options.js';
import { parseFile } from '../../src/syntax/parser.js';
import { analyzers, REGISTRY_URL } from '../../src/rules/index.js';
import type { Finding } from '../../src/findings/model.js';

const ROOT = new URL('../../testdata/rules/', import.meta.url).pathname;

interface Want {
  file: string;
  line: number;
  re: RegExp;
  matched: boolean;
}

/** Go string literals after "want" in a comment: "..." (with escapes) or `...`. */
export function parseWants(comment: string): string[] | undefined {
  const m = /^\/\/\s*want\s+(.*)$/.exec(comment);
  if (!m) return undefined;
  const out: string[] = [];
  let rest = m[1]!.trim();
  while (rest.length > 0) {
    if (rest[0] === '`') {
      const end = rest.indexOf('`', 1);
      if (end < 0) throw new Error(`unterminated raw string in ${comment}`);
      out.push(rest.slice(1, end));
      rest = rest.slice(end + 1).trim();
    } else if (rest[0] === '"') {
      let i = 1;
      while (i < rest.length && rest[i] !== '"') i += rest[i] === '\\' ? 2 : 1;
      if (i >= rest.length) throw new Error(`unterminated string in ${comment}`);
      out.push(JSON.parse(rest.slice(0, i + 1)) as string);
      rest = rest.slice(i + 1).trim();
    } else {
      throw new Error(`want expects Go string literals, got: ${rest}`);
    }
  }
  return out;
}

function goFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...goFiles(p));
    else if (name.endsWith('.go')) out.push(p);
  }
  return out;
}

function collectWants(moduleDir: string): Want[] {
  const wants: Want[] = [];
  for (const abs of goFiles(moduleDir)) {
    const file = relative(moduleDir, abs);
    const { file: f, source } = parseFile(file, readFileSync(abs));
    for (const g of f.comments ?? []) {
      for (const c of g.list) {
        const res = parseWants(c.text);
        if (!res) continue;
        const line = source.position(c.slash).line;
        for (const r of res) wants.push({ file, line, re: new RegExp(r), matched: false });
      }
    }
  }
  return wants;
}

/** The modules of a rule's fixture directory. */
function fixtureModules(ruleDir: string): string[] {
  if (existsSync(join(ruleDir, 'go.mod'))) return [ruleDir];
  return readdirSync(ruleDir)
    .sort()
    .map((n) => join(ruleDir, n))
    .filter((p) => statSync(p).isDirectory() && existsSync(join(p, 'go.mod')));
}

/** Checks findings against wants; returns the problems, one line each. */
export function matchWants(findings: readonly Finding[], wants: Want[]): string[] {
  const problems: string[] = [];
  for (const f of findings) {
    const w = wants.find((x) => !x.matched && x.file === f.file && x.line === f.line && x.re.test(f.message));
    if (w) w.matched = true;
    else problems.push(`${f.file}:${f.line}:${f.column}: unexpected finding: ${f.message}`);
  }
  for (const w of wants) if (!w.matched) problems.push(`${w.file}:${w.line}: no finding matching ${w.re}`);
  return problems;
}

const goAvailable = spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;

const ruleDirs = existsSync(ROOT) ? readdirSync(ROOT).sort().filter((n) => statSync(join(ROOT, n)).isDirectory()) : [];
const known = new Set(analyzers.map((a) => a.meta.id));

test('every fixture directory names a rule', () => {
  for (const id of ruleDirs) assert.ok(known.has(id), `testdata/rules/${id} does not match any rule id`);
});

for (const id of ruleDirs) {
  const modules = fixtureModules(join(ROOT, id));
  test(`fixtures of ${id}`, async (t) => {
    assert.ok(modules.length > 0, `testdata/rules/${id} has no go.mod (neither at its top nor in a subdirectory)`);
    for (const dir of modules) {
      await t.test(relative(ROOT, dir), async () => {
        const optsFile = [join(dir, 'deferguard.json'), join(ROOT, id, 'deferguard.json')].find((p) => existsSync(p));
        const options = optsFile ? parseRuleOptions(JSON.parse(readFileSync(optsFile, 'utf8')), relative(ROOT, optsFile)) : undefined;
        const r = await analyze({ cwd: dir, registry: REGISTRY_URL, enable: [id], jobs: 1, useGo: false, options });
        assert.deepEqual(r.loadErrors, [], 'the fixture module loads cleanly');
        const others = r.findings.filter((f) => f.rule !== id);
        assert.deepEqual(others.map((f) => `${f.file}:${f.line}: [${f.rule}] ${f.message}`), [], 'no syntax or internal errors');
        const wants = collectWants(dir);
        assert.ok(wants.length > 0, `${relative(ROOT, dir)} has no want comments`);
        assert.deepEqual(matchWants(r.findings.filter((f) => f.rule === id), wants), []);
        // The rule alone declares what it needs of the bodies: without pruning it finds exactly
        // the same, related locations and fixes included.
        const full = await analyze({ cwd: dir, registry: REGISTRY_URL, enable: [id], jobs: 1, useGo: false, options, prune: false });
        assert.equal(JSON.stringify(r.findings), JSON.stringify(full.findings), 'same findings without body pruning');
      });
    }
  });
}

test('fixture modules compile (go vet)', { skip: goAvailable ? false : 'go is not on PATH: fixture modules are not type-checked by go vet' }, async (t) => {
  for (const id of ruleDirs) {
    for (const dir of fixtureModules(join(ROOT, id))) {
      await t.test(relative(ROOT, dir), () => {
        // Only the atomic analyzer is enabled: vet still type-checks every package, while its own
        // checks that overlap deferguard's rules (defers, lostcancel, loopclosure, unreachable...) stay off.
        const r = spawnSync('go', ['vet', '-atomic', './...'], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, GOTOOLCHAIN: 'local', GOWORK: 'off', GOFLAGS: '-mod=mod' },
        });
        assert.equal(r.status, 0, `go vet failed in ${relative(ROOT, dir)}:\n${r.stderr}`);
      });
    }
  }
});

test('fixture files are gofmt-clean', { skip: goAvailable ? false : 'go is not on PATH: fixture formatting is not checked' }, () => {
  const r = spawnSync('gofmt', ['-l', ROOT], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '', `gofmt -l lists files that are not formatted:\n${r.stdout}`);
});

test('parseWants reads several literals of both kinds', () => {
  assert.deepEqual(parseWants('// want "a\\\\.b" `c"d`'), ['a\\.b', 'c"d']);
  assert.equal(parseWants('// wanted'), undefined);
  assert.throws(() => parseWants('// want x'), /Go string literals/);
});

test('matchWants reports unexpected and missing findings', () => {
  const f = { rule: 'r', severity: 'high', confidence: 'high', message: 'held', related: [], file: 'a.go', line: 3, column: 1, endLine: 3, endColumn: 2 } as Finding;
  const wants: Want[] = [{ file: 'a.go', line: 4, re: /held/, matched: false }];
  assert.deepEqual(matchWants([f], wants), ['a.go:3:1: unexpected finding: held', 'a.go:4: no finding matching /held/']);
});
