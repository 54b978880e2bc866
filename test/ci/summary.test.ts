import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubClient } from '../../src/ci/github.js';
import { escapeMarkdownText, inlineCode, renderMessage, tableCell } from '../../src/ci/markdown.js';
import { appendOutputs, formatOutputs, outputValues, renderStepSummary, renderStickySummary, upsertStickySummary } from '../../src/ci/summary.js';
import { FakeGitHub } from './fake-github.js';
import { finding } from './helpers.js';

test('markdown escaping of source-derived text', () => {
  assert.equal(escapeMarkdownText('*a* _b_ [c](d) <b>x</b> a|b ~~s~~ `t` !x &amp;'), '\\*a\\* \\_b\\_ \\[c\\](d) \\<b\\>x\\</b\\> a\\|b \\~\\~s\\~\\~ \\`t\\` \\!x \\&amp;');
  assert.equal(escapeMarkdownText('- item'), '\\- item');
  assert.equal(escapeMarkdownText('1. item'), '1\\. item');
  assert.equal(escapeMarkdownText('hi @octocat and @org/team, see #12; mail a@b.c'), 'hi @\u200Boctocat and @\u200Borg/team, see \\#\u200B12; mail a@b.c');
  assert.equal(escapeMarkdownText('two\nlines'), 'two lines');
  assert.equal(inlineCode('a`b'), '``a`b``');
  assert.equal(inlineCode('`x'), '`` `x ``');
  assert.equal(renderMessage('call `mu.Unlock()` on *T'), 'call `mu.Unlock()` on \\*T');
  assert.equal(renderMessage('unbalanced `tick'), 'unbalanced \\`tick');
  // In tables, pipes are escaped even inside code spans (GFM splits cells first).
  assert.equal(tableCell('a | b `x|y`'), 'a \\| b `x\\|y`');
});

const links = { serverUrl: 'https://github.com', repository: 'octo/widgets', sha: 'd'.repeat(40) };

test('step summary: counts and a table of all findings, escaped', () => {
  const md = renderStepSummary({
    findings: [
      finding({ file: 'b.go', line: 3, severity: 'medium', rule: 'defer-nil-func', message: 'cleanup | may be nil <b>' }),
      finding({ file: 'a.go', line: 9, severity: 'critical', rule: 'defer-lock-mismatch', message: 'mu locked twice' }),
    ],
    baselined: 4,
    fixed: 2,
    failed: true,
    failing: 1,
    links,
  });
  const lines = md.split('\n');
  assert.equal(lines[0], '## ❌ deferguard: 1 finding fails the check');
  assert.ok(md.includes('| 🔴 **Critical** | 1 |\n| 🟠 **High** | 0 |\n| 🟡 **Medium** | 1 |\n| 🔵 **Low** | 0 |'));
  assert.ok(md.includes('4 baselined (accepted earlier, not reported) · 2 fixed since the baseline'));
  const rows = lines.filter((l) => l.startsWith('| 🔴') || l.startsWith('| 🟡')).slice(2);
  assert.deepEqual(rows, [
    `| 🔴 **Critical** | \`defer-lock-mismatch\` | [\`a.go:9\`](https://github.com/octo/widgets/blob/${'d'.repeat(40)}/a.go#L9) | mu locked twice |`,
    `| 🟡 **Medium** | \`defer-nil-func\` | [\`b.go:3\`](https://github.com/octo/widgets/blob/${'d'.repeat(40)}/b.go#L3) | cleanup \\| may be nil \\<b\\> |`,
  ]);
  // Every table row has exactly the 4 cells: unescaped pipes only at cell borders.
  for (const row of lines.filter((l) => l.startsWith('| 🔴 **Critical** | `') || l.startsWith('| 🟡 **Medium** | `'))) {
    assert.equal(row.replace(/\\\|/g, '').split('|').length, 6, row);
  }
});

test('sticky summary: marker first, notice, and the same bytes for the same input', () => {
  const input = { findings: [finding({ file: 'a.go', line: 1 })], failed: false, notice: 'fork: @someone cannot write', key: 'linux' };
  const a = renderStickySummary(input);
  assert.ok(a.startsWith('<!-- deferguard:summary=linux -->\n### ⚠️ deferguard: 1 finding, none blocking'));
  assert.ok(a.includes('> [!NOTE]\n> fork: @\u200Bsomeone cannot write'));
  assert.equal(renderStickySummary(input), a);
  assert.ok(renderStickySummary({ findings: [], failed: false }).includes('### ✅ deferguard: no new findings'));
});

test('sticky summary stays under the GitHub comment limit', () => {
  const many = Array.from({ length: 3000 }, (_, i) => finding({ file: `pkg/file${i}.go`, line: i + 1, message: 'x'.repeat(60) }));
  const body = renderStickySummary({ findings: many, failed: false });
  assert.ok(body.length <= 65_536, `length ${body.length}`);
  assert.match(body, /… and \d+ more \(see the workflow run's step summary\)\./);
  assert.ok(body.trimEnd().endsWith('</details>'));
});

test('GITHUB_OUTPUT: multiline-safe delimiters, deterministic', () => {
  const values = outputValues({ counts: { critical: 1, high: 2, medium: 0, low: 3 }, sarifPath: 'out/deferguard.sarif', failed: true });
  assert.deepEqual(values, { critical: '1', high: '2', medium: '0', low: '3', total: '6', 'sarif-path': 'out/deferguard.sarif', result: 'fail' });
  const text = formatOutputs({ result: 'pass', note: 'line1\nEOF\nline3' });
  const m = /^result<<(\S+)\npass\n\1\nnote<<(\S+)\nline1\nEOF\nline3\n\2\n$/.exec(text);
  assert.ok(m, text);
  assert.equal(formatOutputs({ result: 'pass', note: 'line1\nEOF\nline3' }), text);
  // The delimiter depends on the value, so a value cannot carry the delimiter that ends it
  // (it would have to contain a hash of itself); each value gets its own.
  const delims = ['v', 'w', `a\n${/^x<<(\S+)\n/.exec(formatOutputs({ x: 'v' }))![1]}\nb`].map((v) => /^x<<(\S+)\n/.exec(formatOutputs({ x: v }))![1]!);
  assert.equal(new Set(delims).size, 3);
  assert.ok(!delims[2]!.includes('\n'));
  assert.throws(() => formatOutputs({ 'bad name': 'x' }), /invalid output name/);
  const dir = mkdtempSync(join(tmpdir(), 'dg-out-'));
  try {
    appendOutputs(join(dir, 'out'), values);
    appendOutputs(join(dir, 'out'), { extra: '1' });
    const written = readFileSync(join(dir, 'out'), 'utf8');
    assert.ok(written.startsWith('critical<<deferguard_'));
    assert.ok(written.includes('\nextra<<deferguard_'));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

const TOKEN = 'test-token-summary-01';
let gh: FakeGitHub;
before(async () => {
  gh = new FakeGitHub({ token: TOKEN });
  await gh.start();
});
after(() => gh.stop());

test('sticky summary is created once, then updated in place; others\' comments are untouched', async () => {
  const client = new GitHubClient({ token: TOKEN, apiUrl: gh.url });
  for (let i = 0; i < 3; i++) gh.addIssueComment(`chatter ${i}`);
  gh.addIssueComment('I quote it: <!-- deferguard:summary --> here'); // not at the start: not ours
  const first = await upsertStickySummary(client, 'octo/widgets', 7, renderStickySummary({ findings: [], failed: false }));
  assert.equal(first.action, 'created');
  const second = await upsertStickySummary(client, 'octo/widgets', 7, renderStickySummary({ findings: [finding({ file: 'a.go', line: 1 })], failed: false }));
  assert.deepEqual(second, { action: 'updated', id: first.id });
  const third = await upsertStickySummary(client, 'octo/widgets', 7, renderStickySummary({ findings: [finding({ file: 'a.go', line: 1 })], failed: false }));
  assert.deepEqual(third, { action: 'unchanged', id: first.id });
  const ours = [...gh.issueComments.values()].filter((c) => c.body.startsWith('<!-- deferguard:summary -->'));
  assert.equal(ours.length, 1);
  assert.equal(gh.issueComments.size, 5);
  const writes = gh.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`);
  assert.deepEqual(writes, ['POST /repos/octo/widgets/issues/7/comments', `PATCH /repos/octo/widgets/issues/comments/${first.id}`]);
});
