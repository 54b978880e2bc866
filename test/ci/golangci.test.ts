import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedupeAgainst, GolangciError, issuesToFindings, parseGolangciJson, parseGolangciSeverities, parseGolangciVersion, runGolangci, severityOf } from '../../src/ci/golangci.js';
import type { Exec } from '../../src/ci/golangci.js';
import { prefixPaths, relativeChanges, scopeToChange } from '../../src/ci/scope.js';
import { parseUnifiedDiff } from '../../src/findings/diff.js';
import { finding } from './helpers.js';

const V1 = '{"Issues":[{"FromLinter":"errcheck","Text":"Error return value is not checked","Severity":"","Pos":{"Filename":"pkg/a.go","Offset":10,"Line":12,"Column":9}}],"Report":{"Linters":[]}}';

test('JSON: v1 output, v2 output followed by statistics, no issues, broken output', () => {
  assert.deepEqual(parseGolangciJson(V1), [{ linter: 'errcheck', text: 'Error return value is not checked', severity: '', file: 'pkg/a.go', line: 12, column: 9 }]);
  const v2 = `${V1.replace('"Severity":""', '"Severity":"error"')}\n1 issues:\n* errcheck: 1\n`;
  assert.equal(parseGolangciJson(v2)[0]!.severity, 'error');
  assert.equal(parseGolangciJson(V1 + '0 issues.').length, 1, 'statistics on the same line');
  assert.deepEqual(parseGolangciJson('{"Issues":null,"Report":{}}'), []);
  assert.throws(() => parseGolangciJson('level=error msg="typechecking error"'), /printed no JSON report/);
  assert.throws(() => parseGolangciJson('{"Issues":[{"FromLinter":"x","Pos":{}}]}'), /issue 1 has no Pos/);
});

test('versions and severities: linter wins over issue severity, then the default', () => {
  assert.deepEqual(parseGolangciVersion('golangci-lint has version v2.1.6 built with go1.24.2 from eabc263 on 2025-05-04'), { version: '2.1.6', major: 2 });
  assert.deepEqual(parseGolangciVersion('golangci-lint has version 1.64.8 built with go1.24.1'), { version: '1.64.8', major: 1 });
  assert.equal(parseGolangciVersion('command not found'), undefined);
  const map = parseGolangciSeverities({ default: 'low', severities: { Error: 'high' }, linters: { GoSec: 'critical' } });
  assert.equal(severityOf({ linter: 'gosec', severity: 'error' }, map), 'critical');
  assert.equal(severityOf({ linter: 'errcheck', severity: 'error' }, map), 'high');
  assert.equal(severityOf({ linter: 'errcheck', severity: '' }, map), 'low');
  assert.equal(parseGolangciSeverities(undefined).default, 'medium');
  assert.throws(() => parseGolangciSeverities({ linters: { gosec: 'urgent' } }), /ci\.golangci-lint\.linters\.gosec: "urgent" is not a severity/);
  assert.throws(() => parseGolangciSeverities({ linter: {} }), /unknown key "linter"/);
});

test('findings: paths relative to the module root, issues outside it left out; dedupe by line', () => {
  const issues = parseGolangciJson('{"Issues":[' +
    '{"FromLinter":"govet","Text":"x","Pos":{"Filename":"/repo/svc/p/a.go","Line":3,"Column":1}},' +
    '{"FromLinter":"govet","Text":"y","Pos":{"Filename":"p/b.go","Line":4,"Column":2}},' +
    '{"FromLinter":"govet","Text":"z","Pos":{"Filename":"../other/c.go","Line":5,"Column":2}}]}');
  const { findings, outside } = issuesToFindings(issues, parseGolangciSeverities({}), '/repo/svc');
  assert.deepEqual(findings.map((f) => `${f.file}:${f.line}:${f.rule}:${f.severity}`), ['p/a.go:3:golangci-lint/govet:medium', 'p/b.go:4:golangci-lint/govet:medium']);
  assert.equal(outside.length, 1);
  const d = dedupeAgainst(findings, [finding({ file: 'p/a.go', line: 3 })]);
  assert.deepEqual(d.kept.map((f) => f.file), ['p/b.go']);
  assert.deepEqual(d.dropped.map((f) => f.file), ['p/a.go']);
});

test('running: v2 and v1 arguments, exit codes other than 0 and 1 are failures', async () => {
  const calls: string[][] = [];
  const fake = (version: string, code: number, stdout: string): Exec => async (_f, args) => {
    calls.push(args);
    if (args[0] === '--version') return { code: 0, stdout: `golangci-lint has version ${version} built with go1.24`, stderr: '' };
    return { code, stdout, stderr: code > 1 ? 'level=error msg="can\'t load config"' : '' };
  };
  const r2 = await runGolangci({ cwd: '/m', patterns: [], exec: fake('v2.0.0', 1, V1) });
  assert.deepEqual(r2.args, ['run', '--output.json.path', 'stdout', './...']);
  assert.equal(r2.issues.length, 1);
  const r1 = await runGolangci({ cwd: '/m', patterns: ['./cmd/...'], exec: fake('1.55.2', 0, V1) });
  assert.deepEqual(r1.args, ['run', '--out-format', 'json', './cmd/...']);
  await assert.rejects(runGolangci({ cwd: '/m', patterns: [], exec: fake('v2.0.0', 3, '') }), (e: Error) => e instanceof GolangciError && /failed \(exit 3\): level=error/.test(e.message));
  const missing: Exec = async () => {
    throw Object.assign(new Error('spawn golangci-lint ENOENT'), { code: 'ENOENT' });
  };
  await assert.rejects(runGolangci({ cwd: '/m', patterns: [], exec: missing }), /golangci-lint is not on PATH; install it/);
});

test('scope: changed lines or absent at the base; nothing to compare keeps all; repository paths', () => {
  const a = { ...finding({ file: 'p/a.go', line: 5 }), fingerprint: 'fa' };
  const b = { ...finding({ file: 'p/a.go', line: 9 }), fingerprint: 'fb' };
  const c = { ...finding({ file: 'p/a.go', line: 20 }), fingerprint: 'fc' };
  const changes = relativeChanges(parseUnifiedDiff('diff --git a/svc/p/a.go b/svc/p/a.go\n--- a/svc/p/a.go\n+++ b/svc/p/a.go\n@@ -5,0 +5,1 @@\n+x\n'), 'svc');
  assert.deepEqual([...changes.keys()], ['p/a.go']);
  const s = scopeToChange([a, b, c], { changes, baseFingerprints: new Set(['fa', 'fb']) });
  assert.deepEqual(s.kept, [a, c]);
  assert.deepEqual(s.reasons.get(a), ['changed-line']);
  assert.deepEqual(s.reasons.get(c), ['absent-at-base']);
  assert.deepEqual(scopeToChange([a, b], { changes }).kept, [a]);
  assert.deepEqual(scopeToChange([a, b], {}).kept, [a, b]);
  const withFix = { ...a, related: [{ ...a, message: 'r' }], fixes: [{ message: 'f', edits: [{ file: 'p/a.go', offset: 1, endOffset: 2, newText: '' }] }] };
  const [p] = prefixPaths([withFix], 'svc');
  assert.deepEqual([p!.file, p!.related[0]!.file, p!.fixes![0]!.edits[0]!.file], ['svc/p/a.go', 'svc/p/a.go', 'svc/p/a.go']);
  assert.equal(prefixPaths([a], '')[0]!.file, 'p/a.go');
});
