// The finding model shared by rules, filters, reports, CI delivery and runtime correlation.

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type Confidence = 'high' | 'medium' | 'low';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** Higher is more severe: critical 4 ... low 1. */
export function severityRank(s: Severity): number {
  return 4 - SEVERITIES.indexOf(s);
}

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

/** A source range. Lines and columns are 1-based; columns count bytes (as go vet prints them). */
export interface Span {
  /** Path relative to the module root, with forward slashes. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The same columns in UTF-16 code units (SARIF, LSP, GitHub). */
  column16?: number;
  endColumn16?: number;
  /** Byte offsets, when known. */
  offset?: number;
  endOffset?: number;
}

export interface RelatedLocation extends Span {
  message: string;
}

/** A replacement of bytes [offset, endOffset) of file by newText. */
export interface TextEdit {
  file: string;
  offset: number;
  endOffset: number;
  newText: string;
}

export interface SuggestedFix {
  message: string;
  edits: TextEdit[];
}

export interface Finding extends Span {
  rule: string;
  severity: Severity;
  confidence: Confidence;
  message: string;
  related: RelatedLocation[];
  fixes?: SuggestedFix[];
  /** Stable identity across unrelated edits (set by findings/fingerprint). */
  fingerprint?: string;
}

export interface RuleMeta {
  id: string;
  severity: Severity;
  summary: string;
  /** Off-by-default rules (cost and style) are false. */
  enabledByDefault: boolean;
  fixable: boolean;
  category: string;
  docUrl: string;
}

export const DOC_BASE_URL = 'https://github.com/deferguard/deferguard/blob/main/docs/rules/';

export function docUrl(ruleId: string): string {
  return `${DOC_BASE_URL}${ruleId}.md`;
}

/** Deterministic order: file, line, column, rule, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}
