// Plain text for terminals and logs: file:line:col: severity [rule] message, related locations
// indented below, a code frame and colours on a terminal, and a summary line.
import type { Finding, RuleMeta, Severity } from '../findings/model.js';
import { sanitizeTerminal, Sources, summaryLine, type ReportOptions } from './common.js';

const COLOURS: Record<Severity, string> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m' };
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

export function format(findings: readonly Finding[], _rules: readonly RuleMeta[], opts: ReportOptions = {}): string {
  const tty = !!opts.tty;
  const src = new Sources(opts.source);
  const paint = (code: string, s: string) => (tty ? code + s + RESET : s);
  const out: string[] = [];
  for (const f of findings) {
    const loc = `${sanitizeTerminal(f.file)}:${f.line}:${f.column}`;
    out.push(`${paint(BOLD, loc)}: ${paint(COLOURS[f.severity], f.severity)} [${sanitizeTerminal(f.rule)}] ${sanitizeTerminal(f.message)}`);
    if (tty) out.push(...codeFrame(src, f, paint));
    for (const r of f.related) {
      out.push(`    ${paint(DIM, `${sanitizeTerminal(r.file)}:${r.line}:${r.column}`)}: ${sanitizeTerminal(r.message)}`);
    }
  }
  out.push(tty && findings.length > 0 ? paint(BOLD, summaryLine(findings)) : summaryLine(findings));
  return out.join('\n') + '\n';
}

/** The flagged line with a gutter and carets under the flagged columns (tabs kept for alignment). */
function codeFrame(src: Sources, f: Finding, paint: (code: string, s: string) => string): string[] {
  const text = src.line(f.file, f.line);
  if (text === undefined) return [];
  const safe = sanitizeTerminal(text);
  const gutter = String(f.line).padStart(5) + ' | ';
  const bytes = Buffer.from(text, 'utf8');
  const before = bytes.subarray(0, Math.max(0, f.column - 1)).toString('utf8');
  const endCol = f.endLine === f.line ? f.endColumn : bytes.length + 1;
  const span = bytes.subarray(Math.max(0, f.column - 1), Math.max(f.column - 1, endCol - 1)).toString('utf8');
  const pad = sanitizeTerminal(before).replace(/[^\t]/g, ' ');
  const marks = '^' + '~'.repeat(Math.max(0, [...sanitizeTerminal(span)].length - 1));
  return [paint(DIM, gutter) + safe, paint(DIM, ' '.repeat(gutter.length - 2) + '| ') + pad + paint(COLOURS[f.severity], marks)];
}
