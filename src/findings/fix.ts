// Applying suggested fixes: the first fix of each finding from a fixable rule, all edits within
// the finding's own file, non-overlapping with the fixes already taken. The result of each file
// is parsed again, and a file whose fixed text does not parse is left alone (never written).
// Also renders the changes as a unified diff (`--diff`).
import { parseFile } from '../syntax/parser.js';
import type { Finding, TextEdit } from './model.js';

export interface FileFix {
  /** Module-relative path. */
  file: string;
  before: Buffer;
  after: Buffer;
  /** Findings whose fix is included. */
  fixed: Finding[];
}

export interface FixSkip {
  finding: Finding;
  reason: string;
}

export interface FixPlan {
  files: FileFix[];
  /** Findings with a fix that was not applied, and why. */
  skipped: FixSkip[];
  /** Files whose fixed text would not parse: nothing is changed in them. */
  broken: { file: string; error: string; findings: Finding[] }[];
}

export class FixError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixError';
  }
}

/** Applies sorted, non-overlapping byte edits. Throws FixError on overlap or out-of-range edits. */
export function applyEdits(src: Buffer, edits: readonly Pick<TextEdit, 'offset' | 'endOffset' | 'newText'>[]): Buffer {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.endOffset - b.endOffset);
  const parts: Buffer[] = [];
  // New lines follow the file's own line endings: a CRLF file gets CRLF lines.
  const nl = src.indexOf('\n');
  const crlf = nl > 0 && src[nl - 1] === 13;
  let at = 0;
  for (const e of sorted) {
    if (e.offset < at) throw new FixError(`overlapping edits at byte ${e.offset}`);
    if (e.endOffset < e.offset || e.endOffset > src.length) throw new FixError(`edit [${e.offset}, ${e.endOffset}) is outside the file (${src.length} bytes)`);
    const text = crlf ? e.newText.replace(/\r?\n/g, '\r\n') : e.newText;
    parts.push(src.subarray(at, e.offset), Buffer.from(text, 'utf8'));
    at = e.endOffset;
  }
  parts.push(src.subarray(at));
  return Buffer.concat(parts);
}

function overlaps(a: { offset: number; endOffset: number }, b: { offset: number; endOffset: number }): boolean {
  // Two insertions at the same point conflict too (their order would be arbitrary).
  if (a.offset === b.offset) return true;
  return a.offset < b.endOffset && b.offset < a.endOffset;
}

/**
 * Plans the fixes of `findings` (already in their reporting order). `fixable` says which rules'
 * fixes are safe to apply; `read` returns a file's current bytes (undefined when unreadable).
 */
export function planFixes(findings: readonly Finding[], fixable: (rule: string) => boolean, read: (file: string) => Buffer | undefined): FixPlan {
  const byFile = new Map<string, { finding: Finding; edits: TextEdit[] }[]>();
  const skipped: FixSkip[] = [];
  for (const f of findings) {
    const fix = f.fixes?.[0];
    if (!fix) continue;
    if (!fixable(f.rule)) {
      skipped.push({ finding: f, reason: `rule ${f.rule} does not offer safe fixes` });
      continue;
    }
    if (fix.edits.length === 0) continue;
    if (fix.edits.some((e) => e.file !== f.file)) {
      skipped.push({ finding: f, reason: 'the fix edits another file' });
      continue;
    }
    let list = byFile.get(f.file);
    if (!list) byFile.set(f.file, (list = []));
    list.push({ finding: f, edits: fix.edits });
  }
  const files: FileFix[] = [];
  const broken: FixPlan['broken'] = [];
  for (const file of [...byFile.keys()].sort()) {
    const before = read(file);
    const list = byFile.get(file)!;
    if (!before) {
      for (const x of list) skipped.push({ finding: x.finding, reason: `${file} cannot be read` });
      continue;
    }
    const taken: TextEdit[] = [];
    const fixed: Finding[] = [];
    for (const x of list) {
      const bad = x.edits.find((e) => e.offset < 0 || e.endOffset < e.offset || e.endOffset > before.length);
      if (bad) {
        skipped.push({ finding: x.finding, reason: `an edit is outside the file (was it changed since the analysis?)` });
        continue;
      }
      const self = x.edits.some((e, i) => x.edits.some((o, j) => j !== i && overlaps(e, o)));
      if (self || x.edits.some((e) => taken.some((t) => overlaps(e, t)))) {
        skipped.push({ finding: x.finding, reason: 'the fix overlaps another fix in the same place; run again to apply it' });
        continue;
      }
      taken.push(...x.edits);
      fixed.push(x.finding);
    }
    if (fixed.length === 0) continue;
    const after = applyEdits(before, taken);
    const wasOk = parseFile(file, before).errors.length === 0;
    const errs = parseFile(file, after).errors;
    if (errs.length > 0 && wasOk) {
      broken.push({ file, error: errs[0]!.message, findings: fixed });
      continue;
    }
    if (!wasOk) {
      for (const x of fixed) skipped.push({ finding: x, reason: `${file} does not parse; it is not changed` });
      continue;
    }
    files.push({ file, before, after, fixed });
  }
  return { files, skipped, broken };
}

// ---- unified diff ----

function splitKeep(text: string): string[] {
  // Lines with their newline, so a missing final newline is visible.
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const i = text.indexOf('\n', at);
    if (i < 0) {
      if (at < text.length) out.push(text.slice(at));
      return out;
    }
    out.push(text.slice(at, i + 1));
    at = i + 1;
  }
}

/** Longest-common-subsequence line diff (Myers' O(ND) greedy algorithm); returns an edit script. */
function diffLines(a: readonly string[], b: readonly string[]): ('=' | '-' | '+')[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    const nv = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!)) x = v[off + k + 1]!;
      else x = v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      nv[off + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = nv;
  }
  trace.push(v);
  // Backtrack.
  const script: ('=' | '-' | '+')[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0; d--) {
    const vv = trace[d]!;
    const k = x - y;
    let prevK: number;
    if (d === 0) {
      while (x > 0 && y > 0) {
        script.push('=');
        x--;
        y--;
      }
      break;
    }
    if (k === -d || (k !== d && vv[off + k - 1]! < vv[off + k + 1]!)) prevK = k + 1;
    else prevK = k - 1;
    const prevX = vv[off + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      script.push('=');
      x--;
      y--;
    }
    if (x === prevX) {
      script.push('+');
      y--;
    } else {
      script.push('-');
      x--;
    }
  }
  return script.reverse();
}

/** A unified diff of one file (`--- a/file`, `+++ b/file`, 3 lines of context), "" when equal. */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = splitKeep(before);
  const b = splitKeep(after);
  // Trim the common head and tail first: fixes are small, files may be large.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const mid = diffLines(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  const script: ('=' | '-' | '+')[] = [...Array<'='>(head).fill('='), ...mid, ...Array<'='>(tail).fill('=')];
  // Walk the script, building hunks.
  interface Row { op: '=' | '-' | '+'; text: string; ai: number; bi: number }
  const rows: Row[] = [];
  let ai = 0;
  let bi = 0;
  for (const op of script) {
    if (op === '=') rows.push({ op, text: a[ai]!, ai: ai++, bi: bi++ });
    else if (op === '-') rows.push({ op, text: a[ai]!, ai: ai++, bi });
    else rows.push({ op, text: b[bi]!, ai, bi: bi++ });
  }
  const out = [`--- a/${file}\n`, `+++ b/${file}\n`];
  let i = 0;
  while (i < rows.length) {
    if (rows[i]!.op === '=') {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    // Extend while the next change is within 2*context equal lines.
    for (;;) {
      while (end < rows.length && rows[end]!.op !== '=') end++;
      let j = end;
      while (j < rows.length && rows[j]!.op === '=') j++;
      if (j < rows.length && j - end <= 2 * context) {
        end = j;
        continue;
      }
      end = Math.min(rows.length, end + context);
      break;
    }
    const hunk = rows.slice(start, end);
    const aCount = hunk.filter((r) => r.op !== '+').length;
    const bCount = hunk.filter((r) => r.op !== '-').length;
    const aStart = aCount === 0 ? hunk[0]!.ai : hunk[0]!.ai + 1;
    const bStart = bCount === 0 ? hunk[0]!.bi : hunk[0]!.bi + 1;
    out.push(`@@ -${aStart}${aCount === 1 ? '' : ',' + aCount} +${bStart}${bCount === 1 ? '' : ',' + bCount} @@\n`);
    for (const r of hunk) {
      const sign = r.op === '=' ? ' ' : r.op;
      out.push(sign + r.text);
      if (!r.text.endsWith('\n')) out.push('\n\\ No newline at end of file\n');
    }
    start = end;
    i = end;
  }
  return out.join('');
}
