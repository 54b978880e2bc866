// reviewdog diagnostic format (rdjson), with suggestions from safe fixes.
import type { Finding, RuleMeta, Severity, Span } from '../findings/model.js';
import { editRange, ruleLookup, Sources, toJson, TOOL_URI, toolName, type ReportOptions } from './common.js';

function level(s: Severity): 'ERROR' | 'WARNING' | 'INFO' {
  return s === 'critical' || s === 'high' ? 'ERROR' : s === 'medium' ? 'WARNING' : 'INFO';
}

/** rdjson positions: 1-based lines, 1-based columns counting UTF-8 bytes; range end is exclusive. */
function range(s: Span) {
  return { start: { line: s.line, column: s.column }, end: { line: s.endLine, column: s.endColumn } };
}

export function format(findings: readonly Finding[], rules: readonly RuleMeta[], opts: ReportOptions = {}): string {
  const lookup = ruleLookup(rules);
  const src = new Sources(opts.source);
  const diagnostics = findings.map((f) => {
    const d: Record<string, unknown> = {
      message: f.message,
      location: { path: f.file, range: range(f) },
      severity: level(f.severity),
      source: { name: toolName(opts), url: TOOL_URI },
      code: { value: f.rule, url: lookup(f.rule, f.severity).docUrl },
    };
    // Suggestions apply to the diagnostic's file; reviewdog takes one text per range.
    const suggestions = [];
    for (const fix of f.fixes ?? []) {
      for (const e of fix.edits) {
        if (e.file !== f.file) continue;
        const r = editRange(src, e);
        if (!r) continue;
        suggestions.push({ range: { start: { line: r.startLine, column: r.startColumn }, end: { line: r.endLine, column: r.endColumn } }, text: e.newText });
      }
    }
    if (suggestions.length > 0) d.suggestions = suggestions;
    if (f.related.length > 0) {
      d.related_locations = f.related.map((r) => ({ message: r.message, location: { path: r.file, range: range(r) } }));
    }
    return d;
  });
  return toJson({ source: { name: toolName(opts), url: TOOL_URI }, severity: 'WARNING', diagnostics });
}
