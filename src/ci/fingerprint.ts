// Identity of a finding for CI markers. Findings normally carry the fingerprint computed by
// the findings layer; this fallback keeps CI delivery working when one is missing.

import { createHash } from 'node:crypto';
import type { Finding } from '../findings/model.js';

/** Characters allowed in a marker; anything else is replaced so it cannot end the HTML comment. */
export function sanitizeFingerprint(fp: string): string {
  return fp.replace(/[^A-Za-z0-9:._\-/+]/g, '_').slice(0, 128);
}

/**
 * A fingerprint for every finding, in input order. Without a fingerprint of its own, a
 * finding is identified by rule, file and message (not the line, which moves with unrelated
 * edits), plus an occurrence number among identical ones.
 */
export function fingerprintsOf(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const base = f.fingerprint
      ? sanitizeFingerprint(f.fingerprint)
      : createHash('sha256').update(`${f.rule}\0${f.file}\0${f.message}`).digest('hex').slice(0, 16);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}.${n}`;
  });
}
