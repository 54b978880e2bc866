// golangci-lint's JSON output shape (`--out-format json` / `--output.json.path`), so tools that
// read golangci-lint results (editors, reviewdog -f=golangci-lint, dashboards) read ours too.
import type { Finding, RuleMeta } from '../findings/model.js';
import { editRange, Sources, type ReportOptions } from './common.js';

export const LINTER = 'deferguard';

export function format(findings: readonly Finding[], _rules: readonly RuleMeta[], opts: ReportOptions = {}): string {
  const src = new Sources(opts.source);
  const issues = findings.map((f) => {
    const lines: string[] = [];
    for (let l = f.line; l <= Math.max(f.line, f.endLine); l++) {
      const t = src.line(f.file, l);
      if (t === undefined) break;
      lines.push(t);
    }
    const issue: Record<string, unknown> = {
      FromLinter: LINTER,
      Text: `${f.rule}: ${f.message}`,
      Severity: f.severity,
      SourceLines: lines,
      Replacement: replacement(f, src),
    };
    if (f.endLine > f.line) issue.LineRange = { From: f.line, To: f.endLine };
    issue.Pos = { Filename: f.file, Offset: f.offset ?? 0, Line: f.line, Column: f.column };
    issue.ExpectNoLint = false;
    issue.ExpectedNoLintLinter = '';
    return issue;
  });
  const report = {
    Issues: issues,
    Report: { Linters: [{ Name: LINTER, Enabled: true, EnabledByDefault: true }] },
  };
  return JSON.stringify(report) + '\n';
}

/**
 * golangci-lint's Replacement: Inline (0-based byte StartCol, byte Length, NewString) for a
 * single edit within one line of the finding's file; otherwise null (multi-line or
 * multi-file fixes have no faithful representation there).
 */
function replacement(f: Finding, src: Sources): Record<string, unknown> | null {
  const fix = f.fixes?.[0];
  if (!fix || fix.edits.length !== 1) return null;
  const e = fix.edits[0]!;
  if (e.file !== f.file) return null;
  const r = editRange(src, e);
  if (!r || r.startLine !== r.endLine || e.newText.includes('\n')) return null;
  return { NeedOnlyDelete: false, NewLines: null, Inline: { StartCol: r.startColumn - 1, Length: e.endOffset - e.offset, NewString: e.newText } };
}
