// Stable finding fingerprints: an identity that survives edits elsewhere in the file (lines
// inserted or removed above move a finding but keep its fingerprint) and changes when the
// flagged line itself changes.
import { createHash } from 'node:crypto';
import type { Finding } from './model.js';

/** Returns the lines of a file (index 0 is line 1), or undefined when the file is not available. */
export type LineProvider = (file: string) => readonly string[] | undefined;

export interface FingerprintOptions {
  /** The name of the function enclosing a finding ("(*Server).Close", "main"), when known. */
  enclosingFunction?: (f: Finding) => string | undefined;
}

/** Version tag mixed into every hash and used as the SARIF partialFingerprints key. */
export const FINGERPRINT_VERSION = 'deferguard/v1';

/** Collapses every run of whitespace to one space and trims both ends. */
export function normaliseLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The text a fingerprint is anchored to: the normalised flagged line, or, when the source is
 * not available, the message with its digits masked (messages often quote line numbers).
 */
function anchorText(f: Finding, lines: LineProvider): string {
  const src = lines(f.file);
  if (src && f.line >= 1 && f.line <= src.length) return 'line:' + normaliseLine(src[f.line - 1]!);
  return 'msg:' + normaliseLine(f.message).replace(/[0-9]+/g, '#');
}

function hash(parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(p);
    h.update('\u0000');
  }
  return h.digest('hex').slice(0, 32);
}

/**
 * Returns copies of the findings with `fingerprint` set, in the input order. The fingerprint is
 * a hash of the rule id, the file, the normalised text of the flagged line, the enclosing
 * function (when given) and the occurrence index of the finding among findings that share all
 * of these (ordered by position), so two identical lines in one function stay distinct.
 */
export function computeFingerprints(findings: readonly Finding[], lines: LineProvider, opts: FingerprintOptions = {}): Finding[] {
  const keyed = findings.map((f, i) => {
    const fn = opts.enclosingFunction?.(f) ?? '';
    return { f, i, key: [f.rule, f.file, anchorText(f, lines), fn] };
  });
  const groups = new Map<string, typeof keyed>();
  for (const k of keyed) {
    const g = JSON.stringify(k.key);
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(k);
  }
  const out: Finding[] = new Array(findings.length);
  for (const list of groups.values()) {
    list.sort((a, b) => a.f.line - b.f.line || a.f.column - b.f.column || cmp(a.f.message, b.f.message) || a.i - b.i);
    list.forEach((k, occurrence) => {
      out[k.i] = { ...k.f, fingerprint: hash([FINGERPRINT_VERSION, ...k.key, String(occurrence)]) };
    });
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SARIF `result.partialFingerprints` for a fingerprinted finding ({} when it has none). */
export function sarifPartialFingerprints(f: Finding): Record<string, string> {
  return f.fingerprint ? { [FINGERPRINT_VERSION]: f.fingerprint } : {};
}

/** Splits file text into lines the way fingerprints expect (no newline, no trailing CR). */
export function splitLines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
