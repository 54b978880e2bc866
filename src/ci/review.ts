// Pull request review: inline comments on the lines of the diff, capped per review, each
// with a hidden fingerprint marker so a re-run updates its comments instead of duplicating
// them and deletes the ones whose finding is gone.

import { compareFindings, docUrl as defaultDocUrl } from '../findings/model.js';
import type { Finding, RuleMeta, Severity } from '../findings/model.js';
import { inOneHunk } from './diff.js';
import type { ChangedLines } from './diff.js';
import { fingerprintsOf } from './fingerprint.js';
import type { GitHubClient, InlineComment, ReviewComment, ReviewEvent } from './github.js';
import { encodePath, fencedBlock, hiddenMarker, inlineCode, renderMessage } from './markdown.js';

export const MAX_INLINE_COMMENTS = 30;

export const SEVERITY_BADGE: Record<Severity, string> = {
  critical: '🔴 **Critical**',
  high: '🟠 **High**',
  medium: '🟡 **Medium**',
  low: '🔵 **Low**',
};

export interface LinkContext {
  serverUrl: string;
  repository: string;
  /** Head commit the links point at. */
  sha: string;
}

export interface ReviewPlanOptions {
  changed: ChangedLines;
  /** Rule metadata by id, for doc links and titles. */
  rules?: ReadonlyMap<string, RuleMeta>;
  /** Head-version bytes of a file (relative path), for ```suggestion``` blocks. */
  readSource?: (path: string) => Uint8Array | undefined;
  links?: LinkContext;
}

export interface PlannedComment {
  fingerprint: string;
  finding: Finding;
  comment: InlineComment;
  /** The comment carries a ```suggestion``` block. */
  suggestion: boolean;
}

export interface ReviewPlan {
  /** Findings whose line is in the diff, in deterministic order. */
  inline: PlannedComment[];
  /** Findings whose line is not shown in the diff (summary only). */
  offDiff: Finding[];
  /** Fingerprints of every finding given: comments carrying any other fingerprint are outdated. */
  current: Set<string>;
}

const MARKER_RE = /^<!-- deferguard:fp=([A-Za-z0-9:._\-/+]+) -->/;

/** The fingerprint of a comment deferguard wrote, or undefined for anybody else's. */
export function commentFingerprint(body: string): string | undefined {
  return MARKER_RE.exec(body)?.[1];
}

export function planReview(findings: readonly Finding[], opts: ReviewPlanOptions): ReviewPlan {
  const sorted = [...findings].sort(compareFindings);
  const fps = fingerprintsOf(sorted);
  const plan: ReviewPlan = { inline: [], offDiff: [], current: new Set(fps) };
  const seenLines = new Set<string>();
  sorted.forEach((f, i) => {
    const file = opts.changed.get(f.file);
    if (!file || !file.hunkOf.has(f.line)) {
      plan.offDiff.push(f);
      return;
    }
    let start = f.line;
    let end = f.line;
    let suggestion: string | undefined;
    const fix = singleFileFix(f);
    const src = fix ? opts.readSource?.(f.file) : undefined;
    if (fix && src) {
      const touched = editedLines(src, fix);
      if (touched) {
        const s = Math.min(start, touched[0]);
        const e = Math.max(end, touched[1]);
        if (inOneHunk(file, s, e)) {
          start = s;
          end = e;
          suggestion = applyToLines(src, fix, start, end);
        }
      }
    }
    const key = `${f.file}:${start}:${end}:${fps[i]}`;
    if (seenLines.has(key)) return;
    seenLines.add(key);
    const comment: InlineComment = { path: f.file, line: end, side: 'RIGHT', body: commentBody(f, fps[i]!, opts, suggestion) };
    if (start < end) {
      comment.start_line = start;
      comment.start_side = 'RIGHT';
    }
    plan.inline.push({ fingerprint: fps[i]!, finding: f, comment, suggestion: suggestion !== undefined });
  });
  return plan;
}

function singleFileFix(f: Finding): { offset: number; endOffset: number; newText: string }[] | undefined {
  const fix = f.fixes?.[0];
  if (!fix || fix.edits.length === 0 || fix.edits.some((e) => e.file !== f.file)) return undefined;
  const edits = [...fix.edits].sort((a, b) => a.offset - b.offset || a.endOffset - b.endOffset);
  for (let i = 0; i < edits.length; i++) {
    const e = edits[i]!;
    if (!(Number.isInteger(e.offset) && Number.isInteger(e.endOffset) && 0 <= e.offset && e.offset <= e.endOffset)) return undefined;
    if (i > 0 && e.offset < edits[i - 1]!.endOffset) return undefined; // overlapping edits
  }
  return edits;
}

function lineStarts(src: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === 10) starts.push(i + 1);
  return starts;
}

/** 1-based first and last line the edits change, or undefined when they fall outside the file. */
function editedLines(src: Uint8Array, edits: { offset: number; endOffset: number }[]): [number, number] | undefined {
  const starts = lineStarts(src);
  const lineOf = (off: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  let first = Infinity;
  let last = -Infinity;
  for (const e of edits) {
    if (e.endOffset > src.length) return undefined;
    first = Math.min(first, lineOf(e.offset));
    // An edit ending right after a newline does not touch the next line.
    const endLine = e.endOffset > e.offset && src[e.endOffset - 1] === 10 ? lineOf(e.endOffset - 1) : lineOf(e.endOffset);
    last = Math.max(last, endLine);
  }
  return [first, last];
}

/** The text of lines [start, end] with the edits applied (without the final newline). */
function applyToLines(src: Uint8Array, edits: { offset: number; endOffset: number; newText: string }[], start: number, end: number): string | undefined {
  const starts = lineStarts(src);
  const from = starts[start - 1];
  if (from === undefined) return undefined;
  const nextStart = starts[end];
  const to = nextStart === undefined ? src.length : nextStart - 1; // exclude the newline
  const buf = Buffer.from(src.buffer, src.byteOffset, src.byteLength);
  let out = '';
  let pos = from;
  for (const e of edits) {
    if (e.offset < from || e.endOffset > Math.min(src.length, to + 1)) return undefined;
    out += buf.subarray(pos, e.offset).toString('utf8') + e.newText;
    pos = e.endOffset;
  }
  if (pos <= to) out += buf.subarray(pos, to).toString('utf8');
  else if (out.endsWith('\n')) out = out.slice(0, -1); // the last edit consumed the range's newline
  return out.replace(/\r$/gm, '');
}

function locationLink(file: string, line: number, links: LinkContext | undefined): string {
  const text = `${file}:${line}`;
  if (!links) return inlineCode(text);
  return `[${inlineCode(text)}](${links.serverUrl}/${links.repository}/blob/${links.sha}/${encodePath(file)}#L${line})`;
}

export function commentBody(f: Finding, fingerprint: string, opts: Pick<ReviewPlanOptions, 'rules' | 'links'>, suggestion: string | undefined): string {
  const meta = opts.rules?.get(f.rule);
  const url = meta?.docUrl ?? defaultDocUrl(f.rule);
  const head = [SEVERITY_BADGE[f.severity], `[${inlineCode(f.rule)}](${url.replace(/[\s()<>]/g, encodeURIComponent)})`];
  if (f.confidence !== 'high') head.push(`${f.confidence} confidence`);
  const parts = [hiddenMarker('fp', fingerprint), head.join(' · '), '', renderMessage(f.message)];
  if (f.related.length > 0) {
    parts.push('', '<details><summary>Related locations</summary>', '');
    for (const r of f.related) parts.push(`- ${locationLink(r.file, r.line, opts.links)}: ${renderMessage(r.message)}`);
    parts.push('', '</details>');
  }
  if (suggestion !== undefined) {
    const fixMessage = f.fixes?.[0]?.message;
    parts.push('', fixMessage ? `Suggested fix: ${renderMessage(fixMessage)}` : 'Suggested fix:', '');
    parts.push(suggestion === '' ? '```suggestion\n```' : fencedBlock('suggestion', suggestion));
  }
  return parts.join('\n') + '\n';
}

// ---- posting ----

export interface SyncOptions {
  repo: string;
  pr: number;
  /** Head commit of the pull request. */
  commitId: string;
  maxInline?: number;
  /** REQUEST_CHANGES when a new inline comment is for one of these fingerprints. */
  requestChangesFor?: ReadonlySet<string>;
  links?: LinkContext;
  /** Only comments written by this login are updated or deleted (when known). */
  botLogin?: string;
}

export interface SyncResult {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Findings in the diff that did not fit in this review; listed in its body. */
  overflow: Finding[];
  reviewId: number | undefined;
  event: ReviewEvent | undefined;
}

/**
 * Makes the pull request's deferguard comments match the plan: existing comments for the
 * same fingerprint are updated in place (when their text changed), new ones are posted as one
 * review of at most maxInline comments, comments for findings that are gone are deleted.
 */
export async function syncReview(client: GitHubClient, plan: ReviewPlan, opts: SyncOptions): Promise<SyncResult> {
  const max = opts.maxInline ?? MAX_INLINE_COMMENTS;
  const existing = await client.listReviewComments(opts.repo, opts.pr);
  const ours = new Map<string, ReviewComment[]>();
  for (const c of [...existing].sort((a, b) => a.id - b.id)) {
    if (c.in_reply_to_id !== undefined && c.in_reply_to_id !== null) continue;
    if (opts.botLogin && c.user?.login !== opts.botLogin) continue;
    const fp = commentFingerprint(c.body ?? '');
    if (fp === undefined) continue;
    const list = ours.get(fp) ?? [];
    list.push(c);
    ours.set(fp, list);
  }
  const result: SyncResult = { created: 0, updated: 0, unchanged: 0, deleted: 0, overflow: [], reviewId: undefined, event: undefined };
  const fresh: PlannedComment[] = [];
  for (const p of plan.inline) {
    const have = ours.get(p.fingerprint);
    if (!have) {
      fresh.push(p);
      continue;
    }
    const keep = have[0]!;
    if (keep.body === p.comment.body) result.unchanged++;
    else {
      await client.updateReviewComment(opts.repo, keep.id, p.comment.body);
      result.updated++;
    }
  }
  // Outdated: the finding is gone. Duplicates of one fingerprint: keep the oldest.
  const toDelete: number[] = [];
  for (const [fp, list] of ours) {
    if (!plan.current.has(fp)) toDelete.push(...list.map((c) => c.id));
    else toDelete.push(...list.slice(1).map((c) => c.id));
  }
  for (const id of toDelete.sort((a, b) => a - b)) {
    await client.deleteReviewComment(opts.repo, id);
    result.deleted++;
  }
  const posted = fresh.slice(0, max);
  result.overflow = fresh.slice(max).map((p) => p.finding);
  if (posted.length > 0) {
    const event: ReviewEvent = posted.some((p) => opts.requestChangesFor?.has(p.fingerprint)) ? 'REQUEST_CHANGES' : 'COMMENT';
    const review = await client.createReview(opts.repo, opts.pr, {
      commitId: opts.commitId,
      event,
      body: reviewBody(posted.length, result.overflow, opts.links, max),
      comments: posted.map((p) => p.comment),
    });
    result.created = posted.length;
    result.reviewId = review.id;
    result.event = event;
  }
  return result;
}

export function reviewBody(inlineCount: number, overflow: readonly Finding[], links?: LinkContext, max = MAX_INLINE_COMMENTS): string {
  const parts = [hiddenMarker('review'), `**deferguard** commented on ${inlineCount} finding${inlineCount === 1 ? '' : 's'} in the changed lines.`];
  if (overflow.length > 0) {
    parts.push(
      '',
      `<details><summary>${overflow.length} more finding${overflow.length === 1 ? '' : 's'} in the changed lines (not commented inline: at most ${max} per review)</summary>`,
      '',
    );
    for (const f of overflow) parts.push(`- ${SEVERITY_BADGE[f.severity]} ${inlineCode(f.rule)} ${locationLink(f.file, f.line, links)}: ${renderMessage(f.message)}`);
    parts.push('', '</details>');
  }
  return parts.join('\n') + '\n';
}
