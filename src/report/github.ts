// GitHub Actions workflow commands (::error file=...::message), one per finding, with the
// runner's escaping so that text from the code can neither break out of the command nor
// inject another one (::set-output, ::add-mask, %0A).
import type { Finding, RuleMeta, Severity } from '../findings/model.js';
import { Sources, summaryLine, type ReportOptions } from './common.js';

/**
 * Escapes the message part (data) of a workflow command. Other control characters (ESC
 * sequences that would recolour or rewrite the log) are shown as visible \xNN escapes.
 */
export function escapeData(s: string): string {
  return s
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Escapes a property value (file=, title=) of a workflow command. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function commandFor(s: Severity): 'error' | 'warning' | 'notice' {
  return s === 'critical' || s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'notice';
}

/** Columns are UTF-16 code units, as GitHub counts them (taken from the finding or computed from the source). */
export function format(findings: readonly Finding[], _rules: readonly RuleMeta[], opts: ReportOptions = {}): string {
  const src = new Sources(opts.source);
  const out: string[] = [];
  for (const f of findings) {
    const col = f.column16 ?? src.column16(f.file, f.line, f.column);
    const endCol = f.endColumn16 ?? src.column16(f.file, f.endLine, f.endColumn);
    const props = [
      `file=${escapeProperty(f.file)}`,
      `line=${f.line}`,
      `col=${col}`,
      `endLine=${Math.max(f.line, f.endLine)}`,
    ];
    if (f.endLine === f.line && endCol >= col) props.push(`endColumn=${endCol}`);
    props.push(`title=${escapeProperty(`deferguard ${f.severity} [${f.rule}]`)}`);
    const related = f.related.map((r) => `\n  ${r.file}:${r.line}:${r.column}: ${r.message}`).join('');
    out.push(`::${commandFor(f.severity)} ${props.join(',')}::${escapeData(f.message + related)}`);
  }
  out.push(escapeData(`deferguard: ${summaryLine(findings)}`));
  return out.join('\n') + '\n';
}
