import type { Finding, Severity } from '../../src/findings/model.js';

export function finding(p: Partial<Finding> & { file: string; line: number; rule?: string; severity?: Severity }): Finding {
  return {
    column: 2,
    endLine: p.line,
    endColumn: 10,
    rule: 'defer-in-loop',
    severity: 'high',
    confidence: 'high',
    message: `defer in loop at line ${p.line}`,
    related: [],
    ...p,
  };
}

/** A diff that adds lines [from, to] of file (a new file when from is 1). */
export function addedLinesDiff(file: string, from: number, to: number): string {
  const n = to - from + 1;
  const body = Array.from({ length: n }, (_, i) => `+line ${from + i}`).join('\n');
  return `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n@@ -${from},0 +${from},${n} @@\n${body}\n`;
}
