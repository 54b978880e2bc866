import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, findConfig, parseConfig, starterConfig, TOP_KEYS } from '../../src/config/config.js';

const RULES = ['defer-in-loop', 'defer-blocking-call', 'unnecessary-defer'];

function err(text: string): ConfigError {
  try {
    parseConfig(text, '.deferguard.yml', RULES);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e;
  }
  assert.fail('expected a ConfigError');
}

test('an empty file gives the defaults', () => {
  const c = parseConfig('', 'x.yml', RULES);
  assert.equal(c.excludeDefaults, true);
  assert.deepEqual(c.rules, {});
  assert.equal(c.failOn, undefined);
});

test('rules accept on, off, a severity, or a mapping', () => {
  const c = parseConfig(
    'rules:\n  defer-in-loop: off\n  unnecessary-defer: on\n  defer-blocking-call:\n    severity: critical\n    options: {depth: 2}\n',
    'x.yml',
    RULES,
  );
  assert.deepEqual(c.rules['defer-in-loop'], { enabled: false });
  assert.deepEqual(c.rules['unnecessary-defer'], { enabled: true });
  assert.equal(c.rules['defer-blocking-call']!.severity, 'critical');
  assert.deepEqual(c.ruleOptions.rules['defer-blocking-call'], { depth: 2 });
});

test('an unknown top-level key names the file, line, column and key, with a suggestion', () => {
  const e = err('version: 1\nfail-on: high\nexlude:\n  - "gen/**"\n');
  assert.equal(e.line, 3);
  assert.equal(e.column, 1);
  assert.equal(e.key, 'exlude');
  assert.match(e.message, /^\.deferguard\.yml:3:1: exlude: unknown key \(did you mean exclude\?\)/);
});

test('an unknown rule id is an error on its own line', () => {
  const e = err('rules:\n  defer-in-lop: high\n');
  assert.equal(e.line, 2);
  assert.equal(e.key, 'rules.defer-in-lop');
  assert.match(e.message, /did you mean defer-in-loop/);
});

test('bad values are errors with the key path', () => {
  assert.match(err('fail-on: severe\n').message, /:1:10: fail-on: must be one of critical, high, medium, low, none/);
  assert.match(err('exclude: vendor\n').message, /exclude: must be a list of strings/);
  assert.match(err('rules:\n  defer-in-loop: loud\n').message, /:2:18: rules\.defer-in-loop: must be on, off/);
  assert.match(err('banned-calls:\n  - name: os.RemoveAll\n    context: sometimes\n').message, /:3:14: banned-calls\[0\]\.context: must be one of defer, defer-in-loop/);
  assert.match(err('banned-calls:\n  - context: defer\n').message, /banned-calls\[0\]\.name: is required/);
  assert.match(err('ci:\n  routes:\n    critical: [explode]\n').message, /ci\.routes/);
  assert.match(err('version: 2\n').message, /version: must be 1/);
});

test('invalid YAML is reported with its position', () => {
  const e = err('rules:\n  defer-in-loop: [high\n');
  assert.match(e.message, /invalid YAML/);
  assert.ok(e.line >= 2);
});

test('duplicate keys are rejected', () => {
  assert.match(err('fail-on: high\nfail-on: low\n').message, /invalid YAML/);
});

test('the ban list becomes rule options', () => {
  const c = parseConfig('banned-calls:\n  - name: time.Sleep\n    context: handler\n    severity: high\n    reason: use a timer\n', 'x.yml', RULES);
  assert.deepEqual(c.ruleOptions.banned, [{ name: 'time.Sleep', context: 'handler', severity: 'high', reason: 'use a timer' }]);
});

test('the config is found upward from the analysed path, then in $HOME', () => {
  const root = mkdtempSync(join(tmpdir(), 'dg-config-'));
  const home = join(root, 'home');
  const mod = join(root, 'work', 'mod', 'pkg');
  mkdirSync(home, { recursive: true });
  mkdirSync(mod, { recursive: true });
  assert.equal(findConfig(mod, home), undefined);
  writeFileSync(join(home, '.deferguard.yml'), 'version: 1\n');
  assert.equal(findConfig(mod, home), join(home, '.deferguard.yml'));
  writeFileSync(join(root, 'work', '.deferguard.yml'), 'version: 1\n');
  assert.equal(findConfig(mod, home), join(root, 'work', '.deferguard.yml'));
});

test('the starter config parses back and enables what the defaults enable', () => {
  const text = starterConfig([
    { id: 'defer-in-loop', severity: 'high', enabledByDefault: true, summary: 'defer directly in a loop' },
    { id: 'unnecessary-defer', severity: 'low', enabledByDefault: false, summary: 'defer as the last statement' },
  ]);
  const c = parseConfig(text, 'x.yml', RULES);
  assert.deepEqual(c.rules['defer-in-loop'], { enabled: true, severity: 'high' });
  assert.equal(c.rules['unnecessary-defer'], undefined);
  assert.equal(c.failOn, 'high');
});

test('the JSON Schema shipped for editors has exactly the keys the validator knows', () => {
  const schema = JSON.parse(readFileSync(new URL('../../schema/deferguard.schema.json', import.meta.url), 'utf8')) as { properties: Record<string, unknown> };
  assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(TOP_KEYS).sort());
});
