// Versioned JSON report. The keys of each finding (rule ... related) are an external interface.
import type { Finding, RuleMeta } from '../findings/model.js';
import { ruleLookup, summaryCounts, toJson, toolName, toolVersion, type ReportOptions } from './common.js';

export const JSON_REPORT_VERSION = 1;

export function format(findings: readonly Finding[], rules: readonly RuleMeta[], opts: ReportOptions = {}): string {
  const lookup = ruleLookup(rules);
  const byRule: Record<string, number> = {};
  for (const f of findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  const report = {
    version: JSON_REPORT_VERSION,
    tool: { name: toolName(opts), version: toolVersion(opts), ...(opts.timestamp ? { timestamp: opts.timestamp } : {}) },
    findings: findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      confidence: f.confidence,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      message: f.message,
      related: f.related.map((r) => ({ file: r.file, line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn, message: r.message })),
      fixes: (f.fixes ?? []).map((x) => ({
        message: x.message,
        edits: x.edits.map((e) => ({ file: e.file, offset: e.offset, endOffset: e.endOffset, newText: e.newText })),
      })),
      fingerprint: f.fingerprint ?? null,
      docUrl: lookup(f.rule, f.severity).docUrl,
    })),
    summary: {
      total: findings.length,
      bySeverity: summaryCounts(findings),
      byRule: Object.fromEntries(Object.entries(byRule).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    },
  };
  return toJson(report);
}
