// Severity and confidence of the goroutine rules, which the fixture harness (messages only) does
// not check: critical inside request handlers, medium confidence when a leak is in test code or
// only follows from an early exit of a receive loop, and a fix only for single-result goroutines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/analysis/driver.js';
import { REGISTRY_URL } from '../../src/rules/index.js';

const FIXTURE = new URL('../../testdata/rules/goroutine-blocked-send/', import.meta.url).pathname;

test('goroutine-blocked-send: critical in handlers, high elsewhere, medium for receive-loop exits', async () => {
  const r = await analyze({ cwd: FIXTURE, registry: REGISTRY_URL, enable: ['goroutine-blocked-send'], jobs: 1, useGo: false });
  const by = (fn: string) => {
    const f = r.findings.find((x) => x.message.startsWith(`${fn} makes `));
    assert.ok(f, `a finding for ${fn}`);
    return { severity: f.severity, confidence: f.confidence, fix: (f.fixes?.length ?? 0) > 0 };
  };
  assert.deepEqual(by('handler'), { severity: 'critical', confidence: 'high', fix: true });
  assert.deepEqual(by('Status'), { severity: 'critical', confidence: 'high', fix: true });
  assert.deepEqual(by('status'), { severity: 'high', confidence: 'high', fix: true });
  assert.deepEqual(by('lookup'), { severity: 'high', confidence: 'high', fix: true });
  assert.deepEqual(by('twoSends'), { severity: 'high', confidence: 'high', fix: false });
  assert.deepEqual(by('firstErr'), { severity: 'high', confidence: 'medium', fix: false });
});

test('goroutine-blocked-send: a leak in a _test.go file has medium confidence', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deferguard-leak-'));
  try {
    copyFileSync(join(FIXTURE, 'go.mod'), join(dir, 'go.mod'));
    mkdirSync(join(dir, 'p'));
    writeFileSync(join(dir, 'p', 'p.go'), 'package p\n');
    writeFileSync(
      join(dir, 'p', 'p_test.go'),
      [
        'package p',
        '',
        'import (',
        '\t"testing"',
        '\t"time"',
        ')',
        '',
        'func TestX(t *testing.T) {',
        '\tc := make(chan int)',
        '\tgo func() { c <- 1 }()',
        '\tselect {',
        '\tcase <-c:',
        '\tcase <-time.After(time.Second):',
        '\t\tt.Error("timeout")',
        '\t}',
        '}',
        '',
      ].join('\n'),
    );
    const r = await analyze({ cwd: dir, registry: REGISTRY_URL, enable: ['goroutine-blocked-send'], jobs: 1, useGo: false });
    assert.deepEqual(r.findings.map((f) => [f.file, f.line, f.confidence]), [['p/p_test.go', 9, 'medium']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('defer-close-chan-with-sender and signal-skips-defer keep their catalogue severities', async () => {
  const close = await analyze({ cwd: new URL('../../testdata/rules/defer-close-chan-with-sender/', import.meta.url).pathname, registry: REGISTRY_URL, enable: ['defer-close-chan-with-sender'], jobs: 1, useGo: false });
  assert.ok(close.findings.length > 0);
  assert.ok(close.findings.every((f) => f.severity === 'critical'));
  const sig = await analyze({ cwd: new URL('../../testdata/rules/signal-skips-defer/', import.meta.url).pathname, registry: REGISTRY_URL, enable: ['signal-skips-defer'], jobs: 1, useGo: false });
  const conf = Object.fromEntries(sig.findings.map((f) => [f.file, f.confidence]));
  assert.equal(conf['cmd/grpcserve/main.go'], 'medium', 'a Serve method matched by its type name');
  assert.equal(conf['cmd/listen/main.go'], 'high');
  assert.ok(sig.findings.every((f) => f.severity === 'medium'));
});
