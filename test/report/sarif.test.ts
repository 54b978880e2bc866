import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { format } from '../../src/report/sarif.js';
import { FINDINGS, RULES, source } from './fixtures.js';

const sarif = () => JSON.parse(format(FINDINGS, RULES, { source, toolVersion: '0.1.0', rootUri: 'file:///work/repo' }));

test('SARIF 2.1.0 structure: rules metadata, results, UTF-16 columns, fingerprints, fixes', () => {
  const log = sarif();
  assert.equal(log.version, '2.1.0');
  assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
  const run = log.runs[0];
  assert.equal(run.columnKind, 'utf16CodeUnits');
  assert.deepEqual(run.originalUriBaseIds, { SRCROOT: { uri: 'file:///work/repo/' } });
  const rules = run.tool.driver.rules;
  assert.deepEqual(rules.map((r: { id: string }) => r.id), ['defer-in-loop', 'exit-skips-defer', 'recover-ineffective', 'custom,rule:with%chars']);
  const r0 = rules[0];
  assert.equal(r0.name, 'DeferInLoop');
  assert.equal(r0.helpUri, 'https://github.com/deferguard/deferguard/blob/main/docs/rules/defer-in-loop.md');
  assert.match(r0.help.text, /holds resources/);
  assert.match(r0.help.markdown, /\[rule documentation\]\(https:/);
  assert.deepEqual(r0.defaultConfiguration, { enabled: true, level: 'error' });
  assert.deepEqual(r0.properties.tags, ['lifetime', 'deferguard']);

  const [a, b, c, d] = run.results;
  assert.equal(a.ruleId, 'defer-in-loop');
  assert.equal(a.ruleIndex, 0);
  assert.equal(a.level, 'error');
  assert.deepEqual(a.locations[0].physicalLocation.artifactLocation, { uri: 'cmd/server/main.go', uriBaseId: 'SRCROOT' });
  assert.deepEqual(a.partialFingerprints, { 'deferguard/v1': '0123456789abcdef0123456789abcdef' });
  assert.equal(a.relatedLocations[0].message.text, 'opened here');
  assert.equal(a.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, 'func() { defer f.Close() }()');
  assert.deepEqual(a.fixes[0].artifactChanges[0].replacements[0].deletedRegion, { startLine: 8, startColumn: 3, endLine: 8, endColumn: 18 });
  assert.equal(b.partialFingerprints, undefined);
  assert.equal(c.level, 'warning');
  // 'func g() { s := "日本"; defer recover() }': byte columns 27..42 are UTF-16 columns 23..38 (two 3-byte runes).
  const reg = c.locations[0].physicalLocation.region;
  assert.deepEqual([reg.startLine, reg.startColumn, reg.endLine, reg.endColumn], [3, 23, 3, 38]);
  assert.equal(reg.snippet.text, 'func g() { s := "日本"; defer recover() }');
  assert.equal(c.locations[0].physicalLocation.artifactLocation.uri, 'pkg/x/%C3%BCtf.go');
  assert.equal(d.level, 'note');
  assert.equal(d.ruleIndex, 3);
  assert.equal(d.locations[0].physicalLocation.artifactLocation.uri, 'weird%2C%20name%3A%25.go');
  // Precomputed UTF-16 columns on the finding win over the source.
  const pre = JSON.parse(format([{ ...FINDINGS[2]!, column16: 5, endColumn16: 9 }], RULES, { source }));
  assert.deepEqual([pre.runs[0].results[0].locations[0].physicalLocation.region.startColumn, pre.runs[0].results[0].locations[0].physicalLocation.region.endColumn], [5, 9]);
  // Without a root URI the base id is still declared.
  assert.ok(JSON.parse(format([], RULES)).runs[0].originalUriBaseIds.SRCROOT.description.text);
});

/** The SARIF multitool's native binary, or a reason it cannot be used here. */
function multitool(): string | { skip: string } {
  let exe: string;
  try {
    exe = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
  } catch (e) {
    return { skip: `@microsoft/sarif-multitool is not installed (${(e as Error).message.split('\n')[0]})` };
  }
  try {
    accessSync(exe, constants.X_OK);
  } catch {
    return { skip: `${exe} is not executable` };
  }
  const r = spawnSync(exe, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error || r.status !== 0) return { skip: `the SARIF multitool does not run on this machine: ${r.error?.message ?? r.stderr}` };
  return exe;
}

const tool = multitool();

test('the SARIF multitool validates our output (SARIF and GitHub rules)', { skip: typeof tool === 'string' ? false : tool.skip, timeout: 120_000 }, () => {
  const exe = tool as string;
  const dir = mkdtempSync(join(tmpdir(), 'dg-sarif-'));
  try {
    const files = {
      'full.sarif': format(FINDINGS, RULES, { source, toolVersion: '0.1.0', rootUri: 'file:///work/repo', timestamp: '2024-05-01T12:00:00Z' }),
      'nosource.sarif': format(FINDINGS, RULES, { toolVersion: '0.1.0' }),
      'empty.sarif': format([], RULES, {}),
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    // A deliberately broken log proves the validator reports errors.
    const badUri = JSON.parse(files['full.sarif']);
    badUri.runs[0].tool.driver.rules[0].helpUri = 'not a uri';
    writeFileSync(join(dir, 'baduri.sarif'), JSON.stringify(badUri, null, 1));
    const broken = JSON.parse(files['full.sarif']);
    delete broken.runs[0].results[0].message;
    broken.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
    writeFileSync(join(dir, 'broken.sarif'), JSON.stringify(broken, null, 1));

    const validate = (name: string) => {
      const out = join(dir, name + '.result.sarif');
      // No "Note" level: those rules fetch URIs over the network.
      const schema = join(dirname(exe), 'sarif-2.1.0.json');
      const r = spawnSync(exe, ['validate', join(dir, name), '-o', out, '-j', schema, '--rule-kind', 'Gh;Sarif', '--level', 'Error;Warning'], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.error, undefined);
      const log = JSON.parse(readFileSync(out, 'utf8'));
      return (log.runs[0].results ?? []).map((x: { ruleId: string; level?: string; message: { text?: string; arguments?: string[] } }) => `${x.level ?? 'warning'} ${x.ruleId}: ${x.message.text ?? (x.message.arguments ?? []).join(' | ')}`);
    };
    for (const name of Object.keys(files)) assert.deepEqual(validate(name), [], `${name} validates cleanly`);
    assert.ok(validate('baduri.sarif').join('\n').includes('SARIF1002'), 'the validator catches an invalid helpUri');
    const problems = validate('broken.sarif').join('\n');
    for (const rule of ['JSON1002', 'JSON1008']) assert.ok(problems.includes(rule), `the validator catches ${rule} in a broken log:\n${problems}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
