// The GitHub Action's inputs become a `deferguard ci` command line; another release than the
// bundled one runs through npx; bad inputs are exit 2 with the input named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { actionPlan, runAction } from '../../src/cli/action.js';
import { parseCiArgs } from '../../src/cli/ci.js';
import { version } from '../../src/cli/main.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('inputs map to ci flags, and the result parses as a ci command line', () => {
  const env = {
    'INPUT_WORKING-DIRECTORY': 'services/api',
    INPUT_CONFIG: '.deferguard.yml',
    'INPUT_FAIL-ON': 'high',
    'INPUT_ONLY-NEW': 'false',
    INPUT_SARIF: 'deferguard.sarif',
    'INPUT_COMMENT-MODE': 'summary',
    'INPUT_GOLANGCI-LINT': 'true',
    INPUT_PATHS: './cmd/...\n  ./internal/...',
    INPUT_TOKEN: 'ghs_secretTokenValue0123456789',
  };
  const plan = actionPlan(env, '0.1.0');
  assert.equal(plan.version, undefined);
  assert.deepEqual(plan.args, [
    'ci', '-C', 'services/api', '--config', '.deferguard.yml', '--fail-on', 'high', '--only-new=false', '--sarif', 'deferguard.sarif',
    '--with-golangci-lint', '--comment-mode', 'summary', '--summary-key', 'services/api', './cmd/...', './internal/...',
  ]);
  assert.ok(!plan.args.join(' ').includes('ghs_'), 'the token never goes on the command line');
  const a = parseCiArgs(plan.args.slice(1));
  assert.deepEqual([a.dir, a.failOn, a.onlyNew, a.golangci, a.commentMode, a.patterns], ['services/api', 'high', false, true, 'summary', ['./cmd/...', './internal/...']]);
});

test('two-phase inputs; the post phase drops analysis inputs; bad inputs are named', () => {
  assert.deepEqual(actionPlan({ INPUT_PHASE: 'analyse', INPUT_ARTIFACT: 'dg', INPUT_SARIF: 'x.sarif' }, '0.1.0').args, ['ci', '--sarif', 'x.sarif', '--phase', 'analyse', '--artifact', 'dg']);
  assert.deepEqual(actionPlan({ INPUT_PHASE: 'post', INPUT_ARTIFACT: 'dg', INPUT_SARIF: 'x.sarif', INPUT_PATHS: './...' }, '0.1.0').args, ['ci', '--phase', 'post', '--artifact', 'dg']);
  assert.throws(() => actionPlan({ INPUT_PHASE: 'post' }), /input phase post needs the artifact input/);
  assert.throws(() => actionPlan({ 'INPUT_ONLY-NEW': 'maybe' }), /input only-new must be true or false/);
  assert.throws(() => actionPlan({ INPUT_VERSION: '1.2; rm -rf /' }), /input version must be a release/);
  assert.equal(actionPlan({ INPUT_VERSION: `v${version()}` }).version, undefined);
  assert.equal(actionPlan({ INPUT_VERSION: 'bundled' }).version, undefined);
  assert.equal(actionPlan({ INPUT_VERSION: '9.9.9' }).version, '9.9.9');
});

test('runAction: the bundled command, or npx for another version; exit codes pass through', async () => {
  const calls: string[][] = [];
  const main = async (argv: string[]) => (calls.push(argv), 1);
  assert.equal(await runAction({ 'INPUT_FAIL-ON': 'critical' }, { main, stderr: () => {} }), 1);
  assert.deepEqual(calls, [['ci', '--fail-on', 'critical']]);
  const errs: string[] = [];
  assert.equal(await runAction({ 'INPUT_COMMENT-MODE': 'loud', 'INPUT_ONLY-NEW': 'nope' }, { main, stderr: (s) => errs.push(s) }), 2);
  assert.match(errs.join(''), /input only-new must be true or false, not "nope"/);

  // A fake npx on PATH records its arguments and environment.
  const dir = mkdtempSync(join(tmpdir(), 'dg-npx-'));
  try {
    writeFileSync(join(dir, 'npx'), `#!/bin/sh\necho "$*" > "${dir}/args"\necho "$INPUT_TOKEN" > "${dir}/token"\nexit 7\n`);
    chmodSync(join(dir, 'npx'), 0o755);
    const env = { PATH: `${dir}:${process.env.PATH}`, INPUT_VERSION: '9.9.9', 'INPUT_FAIL-ON': 'high', INPUT_TOKEN: 'ghs_secretTokenValue0123456789' };
    assert.equal(await runAction(env, { main, stderr: () => {} }), 7);
    assert.equal(readFileSync(join(dir, 'args'), 'utf8').trim(), '--yes deferguard@9.9.9 ci --fail-on high');
    assert.equal(readFileSync(join(dir, 'token'), 'utf8').trim(), 'ghs_secretTokenValue0123456789', 'the token reaches the other release through the environment');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('action.yml: node20 entry in dist-action, every input the adapter reads, the documented outputs', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    runs: { using: string; main: string };
    inputs: Record<string, { description: string; default?: string; required?: boolean }>;
    outputs: Record<string, { description: string }>;
  };
  assert.equal(action.runs.using, 'node20');
  assert.equal(action.runs.main, 'dist-action/index.js');
  const adapter = readFileSync(join(ROOT, 'src', 'cli', 'action.ts'), 'utf8');
  const read = [...adapter.matchAll(/input\(env, '([a-z-]+)'\)|boolInput\(env, '([a-z-]+)'/g)].map((m) => m[1] ?? m[2]!);
  const declared = Object.keys(action.inputs).sort();
  for (const name of new Set(read)) assert.ok(declared.includes(name), `action.yml does not declare the input ${name}`);
  for (const name of declared) assert.ok(name === 'token' || read.includes(name), `the input ${name} is declared but not used`);
  for (const [name, i] of Object.entries(action.inputs)) assert.ok(i.description.length > 10, `input ${name} needs a description`);
  assert.equal(action.inputs.token!.default, '${{ github.token }}');
  assert.deepEqual(Object.keys(action.outputs).sort(), ['critical', 'high', 'low', 'medium', 'result', 'sarif-path', 'total']);
});
