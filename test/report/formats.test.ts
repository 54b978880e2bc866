import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMATS, formatNames, render } from '../../src/report/index.js';
import { escapeData, escapeProperty } from '../../src/report/github.js';
import { FINDINGS, NASTY, RULES, source } from './fixtures.js';

const OPTS = { source, toolVersion: '0.1.0' };

test('every format renders the fixtures deterministically and without raw control characters', () => {
  assert.deepEqual(formatNames(), ['checkstyle', 'github', 'golangci-json', 'html', 'json', 'junit', 'markdown', 'rdjson', 'sarif', 'text']);
  for (const name of formatNames()) {
    const a = render(name, FINDINGS, RULES, OPTS);
    const b = render(name, [...FINDINGS], [...RULES], OPTS);
    assert.equal(a, b, `${name} is deterministic`);
    assert.ok(a.endsWith('\n'), `${name} ends with a newline`);
    assert.ok(!a.includes('\x1b'), `${name} contains no raw ESC`);
    assert.ok(!/\d{4}-\d\d-\d\dT\d\d:/.test(a), `${name} has no timestamp unless asked`);
    // The empty report is valid too.
    assert.ok(render(name, [], RULES, OPTS).length > 0);
  }
  assert.throws(() => render('yaml', [], []), /unknown output format "yaml": use one of checkstyle, github/);
  assert.throws(() => render('__proto__', [], []), /unknown output format/);
});

test('text: plain lines, related locations, summary; colours and code frame only on a TTY', () => {
  const plain = FORMATS.text!(FINDINGS, RULES, OPTS);
  const lines = plain.split('\n');
  assert.equal(lines[0], 'cmd/server/main.go:8:3: critical [defer-in-loop] file f from os.Open on line 7 stays open until main returns');
  assert.equal(lines[1], '    cmd/server/main.go:7:3: opened here');
  assert.match(lines[2]!, /^cmd\/server\/main\.go:11:2: high \[exit-skips-defer\] close `f` .*\\x1b\[31mred\\x1b\[0m 100% done\\x0a::set-output/);
  assert.equal(lines.at(-2), '4 findings: 1 critical, 1 high, 1 medium, 1 low');
  assert.equal(FORMATS.text!([], RULES, OPTS), 'no findings\n');
  const tty = FORMATS.text!(FINDINGS, RULES, { ...OPTS, tty: true });
  assert.ok(tty.includes('\x1b[1;31mcritical\x1b[0m'), 'severity is coloured');
  assert.ok(tty.includes('\t\tdefer f.Close() // héllo <b>&amp;</b>'), 'code frame shows the line');
  assert.ok(tty.includes('\t\t\x1b[1;31m^~~~~~~~~~~~~~~\x1b[0m'), 'carets under the span, tabs kept');
  // Only our own colour codes: the message's ESC is shown escaped.
  assert.ok(!tty.includes('\x1b[31mred'));
});

test('json: versioned shape with the external finding keys', () => {
  const out = JSON.parse(FORMATS.json!(FINDINGS, RULES, OPTS));
  assert.equal(out.version, 1);
  assert.deepEqual(out.tool, { name: 'deferguard', version: '0.1.0' });
  assert.deepEqual(Object.keys(out.findings[0]).slice(0, 13), ['rule', 'severity', 'confidence', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'related', 'fixes', 'fingerprint', 'docUrl']);
  assert.deepEqual(out.findings[0].related, [{ file: 'cmd/server/main.go', line: 7, column: 3, endLine: 7, endColumn: 21, message: 'opened here' }]);
  assert.equal(out.findings[0].fixes[0].edits[0].newText, 'func() { defer f.Close() }()');
  assert.equal(out.findings[0].fingerprint, '0123456789abcdef0123456789abcdef');
  assert.equal(out.findings[1].fingerprint, null);
  assert.equal(out.findings[1].message, NASTY, 'JSON keeps the text exactly');
  assert.deepEqual(out.summary, { total: 4, bySeverity: { critical: 1, high: 1, medium: 1, low: 1 }, byRule: { 'custom,rule:with%chars': 1, 'defer-in-loop': 1, 'exit-skips-defer': 1, 'recover-ineffective': 1 } });
  assert.equal(JSON.parse(FORMATS.json!([], RULES, { ...OPTS, timestamp: '2024-05-01T00:00:00Z' })).tool.timestamp, '2024-05-01T00:00:00Z');
});

test('github: workflow commands with the runner escaping and UTF-16 columns; no injected command survives', () => {
  assert.equal(escapeData('a%b\r\nc'), 'a%25b%0D%0Ac');
  assert.equal(escapeProperty('a:b,c%d\n'), 'a%3Ab%2Cc%25d%0A');
  const out = FORMATS.github!(FINDINGS, RULES, OPTS);
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, 5, 'one line per finding plus the summary: newlines in text never start a line');
  assert.equal(lines[0], '::error file=cmd/server/main.go,line=8,col=3,endLine=8,endColumn=18,title=deferguard critical [defer-in-loop]::file f from os.Open on line 7 stays open until main returns%0A  cmd/server/main.go:7:3: opened here');
  assert.ok(lines[1]!.includes('100%25 done%0A::set-output name=x::y %250A::add-mask::z'));
  assert.ok(lines[1]!.includes('\\x1b[31mred'));
  assert.equal(lines[2]!.split('::')[1], 'warning file=pkg/x/ütf.go,line=3,col=23,endLine=3,endColumn=38,title=deferguard medium [recover-ineffective]');
  assert.equal(lines[3], '::notice file=weird%2C name%3A%25.go,line=1,col=1,endLine=1,endColumn=2,title=deferguard low [custom%2Crule%3Awith%25chars]::line1%0D%0Aline2');
  for (const l of lines.slice(0, 4)) assert.match(l, /^::(error|warning|notice) [^:]*::/, 'properties contain no raw "::"');
  assert.ok(!lines[4]!.startsWith('::'));
});

test('checkstyle and junit: escaped XML', () => {
  for (const name of ['checkstyle', 'junit']) {
    const out = FORMATS[name]!(FINDINGS, RULES, OPTS);
    assert.ok(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
    assert.ok(!out.includes('<script>'), `${name}: markup from messages is escaped`);
    assert.ok(out.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(out), `${name}: no characters XML 1.0 forbids`);
    // Every element that opens is closed (a cheap well-formedness check).
    const opened = [...out.matchAll(/<([a-z]+)[\s>]/g)].map((m) => m[1]);
    const closed = [...out.matchAll(/<\/([a-z]+)>/g)].map((m) => m[1]);
    assert.deepEqual(opened.sort(), closed.sort(), `${name}: balanced elements`);
  }
  const cs = FORMATS.checkstyle!(FINDINGS, RULES, OPTS);
  assert.ok(cs.includes('<file name="cmd/server/main.go">'));
  assert.ok(cs.includes('<error line="8" column="3" severity="error" message="file f from os.Open on line 7 stays open until main returns" source="deferguard.defer-in-loop"></error>'));
  const ju = FORMATS.junit!(FINDINGS, RULES, OPTS);
  assert.ok(ju.includes('<testsuites name="deferguard" tests="4" failures="4" errors="0">'));
  assert.ok(FORMATS.junit!([], RULES, OPTS).includes('<testcase name="no findings" classname="deferguard"></testcase>'));
});

test('rdjson: diagnostics with codes, related locations and suggestions', () => {
  const out = JSON.parse(FORMATS.rdjson!(FINDINGS, RULES, OPTS));
  assert.equal(out.source.name, 'deferguard');
  const d = out.diagnostics[0];
  assert.deepEqual(d.location, { path: 'cmd/server/main.go', range: { start: { line: 8, column: 3 }, end: { line: 8, column: 18 } } });
  assert.equal(d.severity, 'ERROR');
  assert.deepEqual(d.code, { value: 'defer-in-loop', url: 'https://github.com/deferguard/deferguard/blob/main/docs/rules/defer-in-loop.md' });
  assert.deepEqual(d.suggestions, [{ range: { start: { line: 8, column: 3 }, end: { line: 8, column: 18 } }, text: 'func() { defer f.Close() }()' }]);
  assert.equal(d.related_locations[0].message, 'opened here');
  assert.deepEqual(out.diagnostics.map((x: { severity: string }) => x.severity), ['ERROR', 'ERROR', 'WARNING', 'INFO']);
});

test('golangci-json: golangci-lint field names', () => {
  const text = FORMATS['golangci-json']!(FINDINGS, RULES, OPTS);
  const out = JSON.parse(text);
  assert.deepEqual(Object.keys(out), ['Issues', 'Report']);
  const i = out.Issues[0];
  assert.deepEqual(Object.keys(i), ['FromLinter', 'Text', 'Severity', 'SourceLines', 'Replacement', 'Pos', 'ExpectNoLint', 'ExpectedNoLintLinter']);
  assert.equal(i.FromLinter, 'deferguard');
  assert.equal(i.Text, 'defer-in-loop: file f from os.Open on line 7 stays open until main returns');
  assert.deepEqual(i.SourceLines, ['\t\tdefer f.Close() // héllo <b>&amp;</b>']);
  assert.deepEqual(i.Pos, { Filename: 'cmd/server/main.go', Offset: FINDINGS[0]!.offset, Line: 8, Column: 3 });
  assert.deepEqual(i.Replacement, { NeedOnlyDelete: false, NewLines: null, Inline: { StartCol: 2, Length: 15, NewString: 'func() { defer f.Close() }()' } });
  assert.equal(out.Issues[1].Replacement, null);
  assert.equal(out.Issues[3].Pos.Offset, 0);
  assert.deepEqual(out.Report.Linters, [{ Name: 'deferguard', Enabled: true, EnabledByDefault: true }]);
});

test('markdown: tables by severity; markup, HTML and mentions from code are neutralised', () => {
  const out = FORMATS.markdown!(FINDINGS, RULES, { ...OPTS, linkBase: 'https://example.com/o/r/blob/abc' });
  assert.ok(out.includes('### Critical (1)\n\n| Location | Rule | Message |\n| --- | --- | --- |\n'));
  const row = out.split('\n').find((l) => l.includes('exit\\-skips\\-defer'))!;
  assert.ok(row.includes('\\<script\\>alert\\(1\\)\\</script\\>'), 'HTML is escaped');
  assert.ok(row.includes('close \\`f\\` \\| '), 'backticks and pipes are escaped');
  assert.ok(row.includes('\\*\\*bold\\*\\* \\[x\\]\\(http://evil\\)'), 'emphasis and links are escaped');
  assert.ok(row.includes('@\u200boctocat') && row.includes('\\#\u200b12'), 'mentions and refs cannot ping or link');
  assert.ok(!row.includes('\n'));
  // Cells: exactly four unescaped pipes delimit three columns.
  assert.equal(row.replace(/\\\|/g, '').split('|').length, 5);
  assert.ok(out.includes('[cmd/server/main\\.go:8:3](https://example.com/o/r/blob/abc/cmd/server/main.go#L8)'));
  assert.ok(out.includes('(https://example.com/o/r/blob/abc/pkg/x/%C3%BCtf.go#L3)'));
});

test('html: self-contained and escaped', () => {
  const out = FORMATS.html!(FINDINGS, RULES, OPTS);
  assert.ok(out.startsWith('<!DOCTYPE html>'));
  assert.ok(!/\b(src|href)="(https?:)?\/\/[^"]*\.(js|css)/.test(out), 'no external scripts or styles');
  assert.ok(!/<link\b/.test(out) && !/<img\b/.test(out));
  assert.ok(out.includes(`content="default-src 'none'`));
  assert.equal(out.match(/<script>/g)!.length, 1, 'only our own script element');
  assert.ok(out.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(out.includes('// héllo &lt;b&gt;&amp;amp;&lt;/b&gt;'), 'source in code frames is escaped');
  assert.ok(out.includes('data-rule="custom,rule:with%chars"'));
  assert.ok(out.includes('deferred &lt;here&gt; | `x`'));
});
