// What a change introduced: findings on the lines it adds or changes, and findings whose
// fingerprint does not occur in the analysis of the merge base (a change can create a finding
// on a line it never touched, e.g. by deleting the error check above a defer).

import { scopeToDiff } from '../findings/diff.js';
import type { FileDiff } from '../findings/diff.js';
import type { Finding } from '../findings/model.js';

export type NewReason = 'changed-line' | 'absent-at-base';

export interface ScopeInput {
  /** Changed lines per file (paths as in the findings); undefined when no diff is known. */
  changes?: Map<string, FileDiff>;
  /** Fingerprints of the findings at the merge base; undefined when the base was not analysed. */
  baseFingerprints?: ReadonlySet<string>;
}

export interface ScopeResult {
  kept: Finding[];
  dropped: Finding[];
  /** Why each kept finding counts as new (both reasons when both hold: changed-line first). */
  reasons: Map<Finding, NewReason[]>;
}

/**
 * Keeps the findings the change introduced. With neither a diff nor a base analysis every
 * finding is kept (nothing to compare against).
 */
export function scopeToChange(findings: readonly Finding[], input: ScopeInput): ScopeResult {
  const reasons = new Map<Finding, NewReason[]>();
  if (!input.changes && !input.baseFingerprints) {
    return { kept: [...findings], dropped: [], reasons };
  }
  const onChanged = input.changes ? new Set(scopeToDiff(findings, input.changes).kept) : new Set<Finding>();
  const kept: Finding[] = [];
  const dropped: Finding[] = [];
  for (const f of findings) {
    const r: NewReason[] = [];
    if (onChanged.has(f)) r.push('changed-line');
    // A finding without a fingerprint cannot be matched at the base: it counts as new.
    if (input.baseFingerprints && (!f.fingerprint || !input.baseFingerprints.has(f.fingerprint))) r.push('absent-at-base');
    if (r.length > 0) {
      kept.push(f);
      reasons.set(f, r);
    } else dropped.push(f);
  }
  return { kept, dropped, reasons };
}

/** Rewrites paths relative to the module root into paths relative to the repository root. */
export function prefixPaths(findings: readonly Finding[], prefix: string): Finding[] {
  const p = prefix.replace(/^\.\/?/, '').replace(/\/+$/, '');
  if (p === '') return [...findings];
  const at = (file: string) => `${p}/${file}`;
  return findings.map((f) => ({
    ...f,
    file: at(f.file),
    related: f.related.map((r) => ({ ...r, file: at(r.file) })),
    ...(f.fixes ? { fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, file: at(e.file) })) })) } : {}),
  }));
}

/** Restricts a repository-wide diff to one directory and makes its paths relative to it. */
export function relativeChanges(changes: Map<string, FileDiff>, prefix: string): Map<string, FileDiff> {
  const p = prefix.replace(/^\.\/?/, '').replace(/\/+$/, '');
  if (p === '') return changes;
  const out = new Map<string, FileDiff>();
  for (const [path, d] of changes) {
    if (path.startsWith(p + '/')) out.set(path.slice(p.length + 1), d);
  }
  return out;
}
