// Conversions between deferguard's findings (1-based lines, byte and UTF-16 columns, byte
// offsets) and the Language Server Protocol's shapes (0-based lines, UTF-16 characters).
import type { Finding, Severity, Span } from '../findings/model.js';

export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

/** DiagnosticSeverity: Error 1, Warning 2, Information 3, Hint 4. */
export function lspSeverity(s: Severity): 1 | 2 | 3 {
  switch (s) {
    case 'critical':
    case 'high':
      return 1;
    case 'medium':
      return 2;
    default:
      return 3;
  }
}

/** The range of a span (UTF-16 columns when the span has them). */
export function spanRange(s: Span): LspRange {
  return {
    start: { line: Math.max(0, s.line - 1), character: Math.max(0, (s.column16 ?? s.column) - 1) },
    end: { line: Math.max(0, s.endLine - 1), character: Math.max(0, (s.endColumn16 ?? s.endColumn) - 1) },
  };
}

/** A snapshot of a file's bytes that turns byte offsets into LSP positions. */
export class ByteText {
  private readonly starts: number[] = [0];
  readonly bytes: Uint8Array;
  constructor(text: string | Uint8Array) {
    this.bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    for (let i = 0; i < this.bytes.length; i++) if (this.bytes[i] === 0x0a) this.starts.push(i + 1);
  }

  /** Position of byte offset `off` (clamped to the file). */
  position(off: number): LspPosition {
    off = Math.max(0, Math.min(off, this.bytes.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= off) lo = mid;
      else hi = mid - 1;
    }
    const start = this.starts[lo]!;
    return { line: lo, character: new TextDecoder().decode(this.bytes.subarray(start, off)).length };
  }

  /** The text of 0-based line `line`, without its line break. */
  lineText(line: number): string {
    const start = this.starts[line];
    if (start === undefined) return '';
    const next = this.starts[line + 1];
    const end = next === undefined ? this.bytes.length : next - 1;
    return new TextDecoder().decode(this.bytes.subarray(start, end)).replace(/\r$/, '');
  }
}

/** The text to insert above `lineText` to suppress `rule` there (same indentation). */
export function ignoreDirective(lineText: string, rule: string, reason = '<why this is safe>'): string {
  const indent = /^[ \t]*/.exec(lineText)![0];
  return `${indent}//deferguard:ignore ${rule} ${reason}\n`;
}

/** Whether two ranges overlap or touch (an empty range at a diagnostic's edge counts). */
export function rangesMeet(a: LspRange, b: LspRange): boolean {
  const before = (p: LspPosition, q: LspPosition) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** A stable key for matching a diagnostic sent earlier with the finding it came from. */
export function findingKey(f: Pick<Finding, 'rule' | 'line' | 'column'> | { rule: string; range: LspRange }): string {
  if ('range' in f) return `${f.rule}@${f.range.start.line}`;
  return `${f.rule}@${f.line - 1}`;
}
