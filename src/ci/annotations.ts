// Findings as GitHub annotations: workflow commands printed to the log (the fallback when
// the token cannot write) and check-run annotations.

import { compareFindings } from '../findings/model.js';
import type { Finding, Severity } from '../findings/model.js';
import type { AnnotationLevel, CheckAnnotation } from './github.js';

export type CommandLevel = 'error' | 'warning' | 'notice';

export const COMMAND_LEVEL: Record<Severity, CommandLevel> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice' };
export const CHECK_LEVEL: Record<Severity, AnnotationLevel> = { critical: 'failure', high: 'failure', medium: 'warning', low: 'notice' };

/**
 * Escaping of a workflow command's message: the runner's own escapes for %, CR and LF, and the
 * other control characters (ESC, BEL, C1) as visible \xNN, so that quoted source cannot recolour
 * or rewrite the job log.
 */
export function escapeCommandData(s: string): string {
  return s
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Escaping of a workflow command's property value. */
export function escapeCommandProperty(s: string): string {
  return escapeCommandData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=...,line=...::message` for one finding. */
export function workflowCommand(f: Finding): string {
  const props: [string, string | number][] = [
    ['file', f.file],
    ['line', f.line],
  ];
  if (f.endLine > f.line) props.push(['endLine', f.endLine]);
  else {
    props.push(['col', f.column16 ?? f.column]);
    if (f.endLine === f.line && (f.endColumn16 ?? f.endColumn) > (f.column16 ?? f.column)) props.push(['endColumn', f.endColumn16 ?? f.endColumn]);
  }
  props.push(['title', `deferguard ${f.rule} (${f.severity})`]);
  const p = props.map(([k, v]) => `${k}=${escapeCommandProperty(String(v))}`).join(',');
  return `::${COMMAND_LEVEL[f.severity]} ${p}::${escapeCommandData(f.message)}`;
}

export function workflowCommands(findings: readonly Finding[]): string {
  return [...findings].sort(compareFindings).map((f) => workflowCommand(f) + '\n').join('');
}

/** Control characters other than tab and newline as visible \xNN (the path is left as it is: it must match the file). */
function visibleControls(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Check-run annotations, in deterministic order. Columns only for single-line findings (GitHub's rule). */
export function checkAnnotations(findings: readonly Finding[]): CheckAnnotation[] {
  return [...findings].sort(compareFindings).map((f) => {
    const a: CheckAnnotation = {
      path: f.file,
      start_line: f.line,
      end_line: Math.max(f.line, f.endLine),
      annotation_level: CHECK_LEVEL[f.severity],
      message: visibleControls(f.message).slice(0, 64 * 1024),
      title: `${f.rule} (${f.severity})`,
    };
    if (f.endLine <= f.line) {
      a.start_column = f.column16 ?? f.column;
      a.end_column = Math.max(a.start_column, f.endColumn16 ?? f.endColumn);
    }
    if (f.related.length > 0) a.raw_details = f.related.map((r) => visibleControls(`${r.file}:${r.line}: ${r.message}`)).join('\n').slice(0, 64 * 1024);
    return a;
  });
}
