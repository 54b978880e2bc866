// Severity gate (--fail-on), confidence filter, de-duplication and deterministic order.
import { compareFindings, isSeverity, severityRank, SEVERITIES, type Confidence, type Finding, type Severity } from './model.js';

export const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low'];

/** Higher is more certain: high 3, medium 2, low 1. */
export function confidenceRank(c: Confidence): number {
  return 3 - CONFIDENCES.indexOf(c);
}

export class GateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GateError';
  }
}

/** The --fail-on value: a severity, or 'none' to never fail. */
export type FailOn = Severity | 'none';

export function parseFailOn(s: string): FailOn {
  const v = s.trim().toLowerCase();
  if (v === 'none' || isSeverity(v)) return v;
  throw new GateError(`invalid --fail-on value "${s}": use one of ${[...SEVERITIES, 'none'].join(', ')}`);
}

export function parseConfidence(s: string): Confidence {
  const v = s.trim().toLowerCase();
  if ((CONFIDENCES as readonly string[]).includes(v)) return v as Confidence;
  throw new GateError(`invalid --min-confidence value "${s}": use one of ${[...CONFIDENCES].reverse().join(', ')}`);
}

/** True when the finding is at or above the gate. */
export function atOrAbove(f: Finding, failOn: FailOn): boolean {
  return failOn !== 'none' && severityRank(f.severity) >= severityRank(failOn);
}

export interface GateResult {
  failed: boolean;
  /** Findings at or above the gate. */
  blocking: Finding[];
}

export function applyGate(findings: readonly Finding[], failOn: FailOn): GateResult {
  const blocking = findings.filter((f) => atOrAbove(f, failOn));
  return { failed: blocking.length > 0, blocking };
}

/** Keeps findings whose confidence is at least `min`. */
export function filterByConfidence(findings: readonly Finding[], min: Confidence): Finding[] {
  return findings.filter((f) => confidenceRank(f.confidence) >= confidenceRank(min));
}

/** Total order: file, line, column, rule, message, then end position, severity, fingerprint. */
export function compareFindingsTotal(a: Finding, b: Finding): number {
  return (
    compareFindings(a, b) ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn ||
    severityRank(b.severity) - severityRank(a.severity) ||
    confidenceRank(b.confidence) - confidenceRank(a.confidence) ||
    ((a.fingerprint ?? '') < (b.fingerprint ?? '') ? -1 : (a.fingerprint ?? '') > (b.fingerprint ?? '') ? 1 : 0)
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindingsTotal);
}

/**
 * Removes duplicates: same rule, file, start and message (e.g. one site reached through two
 * packages, or a test variant of a package). The kept copy has the highest severity and
 * confidence and the union of related locations and fixes. Output is sorted.
 */
export function dedupe(findings: readonly Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const f of sortFindings(findings)) {
    const key = JSON.stringify([f.rule, f.file, f.line, f.column, f.message]);
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, f);
      continue;
    }
    const related = [...prev.related];
    for (const r of f.related) {
      if (!related.some((x) => x.file === r.file && x.line === r.line && x.column === r.column && x.message === r.message)) related.push(r);
    }
    const fixes = [...(prev.fixes ?? [])];
    for (const fx of f.fixes ?? []) if (!fixes.some((x) => JSON.stringify(x) === JSON.stringify(fx))) fixes.push(fx);
    byKey.set(key, {
      ...prev,
      severity: severityRank(f.severity) > severityRank(prev.severity) ? f.severity : prev.severity,
      confidence: confidenceRank(f.confidence) > confidenceRank(prev.confidence) ? f.confidence : prev.confidence,
      related,
      ...(fixes.length > 0 ? { fixes } : {}),
    });
  }
  return sortFindings([...byKey.values()]);
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const out = { critical: 0, high: 0, medium: 0, low: 0 } as Record<Severity, number>;
  for (const f of findings) out[f.severity]++;
  return out;
}
