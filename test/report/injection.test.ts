// Untrusted source text in every output: a Go fixture whose flagged line carries HTML, markdown,
// @mentions, workflow commands (`::set-output`, `%0A`, a raw newline followed by `::error::`) and
// raw terminal escapes in a string literal and a comment, and a file whose name carries some of
// the same. The findings (whose messages quote the deferred call) go through every report format
// and every CI renderer; no raw injection may survive in any of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempModule } from '../cli/harness.js';
import { formatNames, render } from '../../src/report/index.js';
import { allRuleMetas } from '../../src/cli/check.js';
import type { Finding } from '../../src/findings/model.js';
import { workflowCommands, checkAnnotations } from '../../src/ci/annotations.js';
import { renderStepSummary, renderStickySummary } from '../../src/ci/summary.js';
import { planReview, reviewBody } from '../../src/ci/review.js';
import { parseDiffHunks } from '../../src/ci/diff.js';
import { jsonPayload, slackPayload } from '../../src/ci/alerts.js';

const ESC = '\u001b';
const BEL = '\u0007';
// A raw string literal may hold any byte but a backquote: real newlines and control characters.
const EVIL = `<img src=x onerror=alert(1)> <script>x()</script> **bold** [click](http://evil.example) @admin #1 ::set-output name=ok::1 %0A::error::pwned${'\n'}::error file=x::raw newline${ESC}]8;;http://evil.example${BEL}link${ESC}]8;;${BEL} ${ESC}[2J${ESC}[31mRED |a|b| </details> -->`;

// Messages are single lines (a call written over several lines is quoted in short), so the
// literal a message quotes has its newline folded; the raw newline stays in the source.
const EVIL_LINE = EVIL.replace(/\n/g, ' ');
const SOURCE = `package m

import (
	"fmt"
	"os"
	"time"
)

func F(names []string) {
	for _, n := range names {
		f, _ := os.Open(n)
		defer fmt.Println(\`${EVIL_LINE}\`, f.Close(), time.Now()) // ${EVIL_LINE}
		defer fmt.Println(\`${EVIL}\`)
	}
}
`;
const EVIL_NAME = `evil_<b>x<i>%0A::warning::pwned_${ESC}[1m.go`;

function assertNoRawControl(name: string, out: string, allowSgr = false): void {
  const stripped = allowSgr ? out.replace(/\u001b\[[0-9;]*m/g, '') : out;
  assert.ok(!stripped.includes(ESC), `${name}: a raw ESC survived`);
  assert.ok(!stripped.includes(BEL), `${name}: a raw BEL survived`);
  assert.ok(!out.includes(`${ESC}[2J`) && !out.includes(`${ESC}[31mRED`) && !out.includes(`${ESC}]8;;`), `${name}: the fixture's terminal sequences survived`);
}

/** No tag from the source survives; in markdown a backslash-escaped `\\<` is shown as text, so it counts as escaped. */
function assertNoHtml(name: string, out: string, markdown = false): void {
  for (const raw of ['<img', '<script>x()', '<b>x']) {
    const live = markdown ? out.split(raw).slice(0, -1).some((before) => !before.endsWith('\\')) : out.includes(raw);
    assert.ok(!live, `${name}: raw ${raw} survived`);
  }
}

/** Markdown without its code spans (a code span opened before a tag shows the tag as text). */
function outsideCodeSpans(md: string): string {
  let out = '';
  let i = 0;
  while (i < md.length) {
    if (md[i] !== '`') {
      out += md[i++];
      continue;
    }
    let j = i;
    while (md[j] === '`') j++;
    const run = md.slice(i, j);
    let k = j;
    let close = -1;
    while (k < md.length) {
      const at = md.indexOf(run, k);
      if (at < 0) break;
      let e = at + run.length;
      if (md[e] !== '`' && md[at - 1] !== '`') {
        close = at;
        break;
      }
      while (md[e] === '`') e++;
      k = e;
    }
    if (close < 0) {
      out += run;
      i = j;
    } else {
      out += ' ';
      i = close + run.length;
    }
  }
  return out;
}

/** Markdown for GitHub: no raw HTML, no live link or mention from the source, no early end of our own markup. */
function assertSafeMarkdown(name: string, md: string): void {
  assertNoRawControl(name, md);
  const out = outsideCodeSpans(md);
  assertNoHtml(name, out, true);
  assert.ok(!/(^|[^\\])\[click\]\(http:\/\/evil/.test(out), `${name}: a live link from the source survived`);
  assert.ok(!/(^|\s)@admin/.test(out), `${name}: an @mention from the source survived`);
  assert.equal((out.match(/<details>/g) ?? []).length, (out.match(/<\/details>/g) ?? []).length, `${name}: a </details> from the source closed ours`);
  for (const line of out.split('\n')) assert.ok(!/^::/.test(line), `${name}: a line starts a workflow command: ${line}`);
}

/** Workflow commands: every line is one of ours, and the data cannot start another. */
function assertSafeCommands(name: string, out: string): void {
  assertNoRawControl(name, out);
  for (const line of out.split('\n')) {
    if (line === '' || /^deferguard: \d+ findings?/.test(line)) continue;
    assert.match(line, /^::(error|warning|notice) file=[^:\n]*::/, `${name}: a line that is not one of our commands: ${line}`);
    assert.ok(!line.includes('%0A::') || line.includes('%250A::'), `${name}: an encoded newline reached the runner: ${line}`);
    const props = line.slice(0, line.indexOf('::', 2));
    assert.ok(!props.slice(2).includes('::'), `${name}: a property broke out: ${line}`);
  }
}

test('source text with HTML, markdown, workflow commands and terminal escapes is escaped in every format and CI renderer', { timeout: 120_000 }, async () => {
  const m = tempModule({ 'a.go': SOURCE });
  try {
    writeFileSync(join(m.dir, EVIL_NAME), SOURCE.replace('func F', 'func G'));
    const names = formatNames();
    const r = await m.run('--no-cache', '--fail-on', 'none', ...names.map((n) => `--format=${n}=${n}.out`), '--format', 'text');
    assert.equal(r.status, 0, r.stderr);
    assertNoRawControl('text (standard output)', r.stdout);
    assertNoRawControl('standard error', r.stderr);
    const outs = Object.fromEntries(names.map((n) => [n, readFileSync(join(m.dir, `${n}.out`), 'utf8')]));

    // The findings really carry the hostile text (otherwise this test proves nothing).
    const findings = (JSON.parse(outs.json!) as { findings: Finding[] }).findings;
    const flagged = findings.filter((f) => f.rule === 'defer-eager-evaluation');
    assert.equal(flagged.length, 2, 'both files flagged');
    assert.ok(flagged.some((f) => f.file === EVIL_NAME), 'the hostile file name is reported');
    assert.ok(flagged.every((f) => f.message.includes('<img src=x') && f.message.includes('::set-output') && f.message.includes(ESC)), 'messages quote the hostile literal');
    assert.ok(findings.every((f) => !f.message.includes('\n')), 'messages are single lines');

    for (const [n, out] of Object.entries(outs)) {
      assertNoRawControl(n, out);
      if (n === 'html') assertNoHtml(n, out);
      if (n === 'markdown') assertSafeMarkdown(n, out);
      if (n === 'github') assertSafeCommands(n, out);
      if (n === 'checkstyle' || n === 'junit') {
        assertNoHtml(n, out);
        assert.ok(!/&#(x0*1b|0*27|x0*7|0*7);/i.test(out), `${n}: a control character reference (not allowed in XML 1.0)`);
      }
      if (['json', 'sarif', 'rdjson', 'golangci-json'].includes(n)) assert.doesNotThrow(() => JSON.parse(out), `${n} stays valid JSON`);
    }

    // The terminal format with colours on: only deferguard's own colour codes.
    const rules = allRuleMetas();
    const tty = render('text', findings, rules, { tty: true, source: (f) => (f === 'a.go' ? SOURCE : undefined) });
    assertNoRawControl('text (terminal)', tty, true);

    // CI renderers over the same findings.
    assertSafeCommands('workflow commands', workflowCommands(findings));
    for (const a of checkAnnotations(findings)) {
      assertNoRawControl('check-run annotation', JSON.stringify(a).replace(/\\u001b|\\u0007/g, ''));
      assertNoRawControl('check-run annotation message', a.message + (a.title ?? '') + (a.raw_details ?? ''));
    }
    const links = { serverUrl: 'https://github.com', repository: 'o/r', sha: 'a'.repeat(40) };
    const summary = { findings, failed: true, failing: findings.length, links };
    assertSafeMarkdown('step summary', renderStepSummary(summary));
    assertSafeMarkdown('sticky PR summary', renderStickySummary(summary));
    const diff = `diff --git a/a.go b/a.go\n--- a/a.go\n+++ b/a.go\n@@ -1,0 +1,14 @@\n${SOURCE.split('\n').slice(0, 14).map((l) => '+' + l).join('\n')}\n`;
    const plan = planReview(findings, { changed: parseDiffHunks(diff), links, rules: new Map(rules.map((x) => [x.id, x])) });
    assert.ok(plan.inline.length > 0, 'an inline comment is planned');
    for (const c of plan.inline) assertSafeMarkdown('PR review comment', c.comment.body);
    assertSafeMarkdown('PR review body', reviewBody(plan.inline.length, plan.offDiff, links));
    const slack = JSON.stringify(slackPayload(findings, { repository: 'o/r' }));
    assert.ok(!slack.includes('<img') && !slack.includes('<!channel') && !/\\u001b/.test(slack), 'Slack payload escaped');
    assertNoRawControl('JSON alert', JSON.stringify(jsonPayload(findings, { repository: 'o/r' })));
  } finally {
    m.cleanup();
  }
});
