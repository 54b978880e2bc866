// The sticky pull request summary (one comment, found by a hidden marker and updated in
// place), the GITHUB_STEP_SUMMARY table of all findings, and GITHUB_OUTPUT outputs.

import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { SEVERITIES, compareFindings } from '../findings/model.js';
import type { Finding, Severity } from '../findings/model.js';
import { countBySeverity } from '../findings/gate.js';
import type { GitHubClient } from './github.js';
import { encodePath, escapeMarkdownText, hiddenMarker, inlineCode, link, tableCell } from './markdown.js';
import { SEVERITY_BADGE } from './review.js';
import type { LinkContext } from './review.js';

export type SeverityCounts = Record<Severity, number>;

export { countBySeverity };

export interface SummaryInput {
  /** Findings reported by this run (new: after the baseline). */
  findings: readonly Finding[];
  /** Findings matched by the baseline (accepted, not reported). */
  baselined?: number;
  /** Baseline entries no longer found (fixed since the baseline was written). */
  fixed?: number;
  /** The check fails. */
  failed: boolean;
  /** Findings that made it fail. */
  failing?: number;
  links?: LinkContext;
  runUrl?: string;
  /** A notice shown at the top (for example: why comments could not be posted). */
  notice?: string;
  /** Distinguishes the summaries of several jobs on one pull request. */
  key?: string;
}

const GITHUB_COMMENT_LIMIT = 65_536;
/** GitHub rejects a step summary over 1 MiB; stay well below it. */
const STEP_SUMMARY_LIMIT = 900 * 1024;

function summaryMarker(key?: string): string {
  return hiddenMarker('summary', key);
}

function location(f: Finding, links: LinkContext | undefined): string {
  const text = inlineCode(`${f.file}:${f.line}`, { table: true });
  return links ? `[${text}](${links.serverUrl}/${links.repository}/blob/${links.sha}/${encodePath(f.file)}#L${f.line})` : text;
}

function findingRow(f: Finding, links: LinkContext | undefined): string {
  return `| ${SEVERITY_BADGE[f.severity]} | ${inlineCode(f.rule, { table: true })} | ${location(f, links)} | ${tableCell(f.message)} |`;
}

/** Table rows that fit in `budget` characters; the rest are counted. */
function rowsWithin(findings: readonly Finding[], links: LinkContext | undefined, budget: number): { rows: string[]; omitted: number } {
  const rows: string[] = [];
  let used = 0;
  for (const f of findings) {
    const r = findingRow(f, links);
    if (used + r.length + 1 > budget) return { rows, omitted: findings.length - rows.length };
    rows.push(r);
    used += r.length + 1;
  }
  return { rows, omitted: 0 };
}

function headline(input: SummaryInput): string {
  const n = input.findings.length;
  if (input.failed) {
    const k = input.failing ?? n;
    return `### ❌ deferguard: ${k} finding${k === 1 ? '' : 's'} fail${k === 1 ? 's' : ''} the check`;
  }
  return n === 0 ? '### ✅ deferguard: no new findings' : `### ⚠️ deferguard: ${n} finding${n === 1 ? '' : 's'}, none blocking`;
}

function countsTable(input: SummaryInput): string[] {
  const c = countBySeverity(input.findings);
  const lines = ['| Severity | Findings |', '|---|---:|'];
  for (const s of SEVERITIES) lines.push(`| ${SEVERITY_BADGE[s]} | ${c[s]} |`);
  const extra: string[] = [];
  if (input.baselined !== undefined) extra.push(`${input.baselined} baselined (accepted earlier, not reported)`);
  if (input.fixed !== undefined) extra.push(`${input.fixed} fixed since the baseline`);
  if (extra.length) lines.push('', extra.join(' · '));
  return lines;
}

/** The sticky summary comment body. Findings beyond GitHub's comment size are counted, not listed. */
export function renderStickySummary(input: SummaryInput): string {
  const findings = [...input.findings].sort(compareFindings);
  const head = [summaryMarker(input.key), headline(input), ''];
  if (input.notice) head.push(`> [!NOTE]\n> ${escapeMarkdownText(input.notice)}`, '');
  head.push(...countsTable(input));
  const tail: string[] = [];
  if (input.runUrl) tail.push('', link('Workflow run', input.runUrl));
  if (findings.length === 0) return [...head, ...tail].join('\n') + '\n';
  const open = ['', `<details><summary>All ${findings.length} finding${findings.length === 1 ? '' : 's'}</summary>`, '', '| Severity | Rule | Location | Message |', '|---|---|---|---|'];
  const fixed = [...head, ...open, '', '</details>', ...tail].join('\n').length + 200;
  const { rows, omitted } = rowsWithin(findings, input.links, GITHUB_COMMENT_LIMIT - fixed);
  const close = omitted > 0 ? ['', `… and ${omitted} more (see the workflow run's step summary).`, '', '</details>'] : ['', '</details>'];
  return [...head, ...open, ...rows, ...close, ...tail].join('\n') + '\n';
}

export interface StickyResult {
  action: 'created' | 'updated' | 'unchanged';
  id: number;
}

/** Creates the summary comment, or updates the one carrying the same marker. */
export async function upsertStickySummary(client: GitHubClient, repo: string, pr: number, body: string, opts: { key?: string; botLogin?: string } = {}): Promise<StickyResult> {
  const marker = summaryMarker(opts.key);
  const comments = await client.listIssueComments(repo, pr);
  const mine = comments
    .filter((c) => (c.body ?? '').startsWith(marker) && (!opts.botLogin || c.user?.login === opts.botLogin))
    .sort((a, b) => a.id - b.id)[0];
  if (!mine) return { action: 'created', id: (await client.createIssueComment(repo, pr, body)).id };
  if (mine.body === body) return { action: 'unchanged', id: mine.id };
  await client.updateIssueComment(repo, mine.id, body);
  return { action: 'updated', id: mine.id };
}

/** Markdown for GITHUB_STEP_SUMMARY: counts and a table of every finding. */
export function renderStepSummary(input: SummaryInput): string {
  const findings = [...input.findings].sort(compareFindings);
  const lines = [headline(input).replace(/^### /, '## '), ''];
  if (input.notice) lines.push(`> [!NOTE]\n> ${escapeMarkdownText(input.notice)}`, '');
  lines.push(...countsTable(input));
  if (findings.length > 0) {
    const { rows, omitted } = rowsWithin(findings, input.links, STEP_SUMMARY_LIMIT - lines.join('\n').length - 500);
    lines.push('', '| Severity | Rule | Location | Message |', '|---|---|---|---|', ...rows);
    if (omitted > 0) lines.push('', `… and ${omitted} more findings (the step summary is limited to 1 MiB; see the SARIF or JSON report).`);
  }
  return lines.join('\n') + '\n';
}

export function appendStepSummary(path: string, markdown: string): void {
  appendFileSync(path, markdown.endsWith('\n') ? markdown : markdown + '\n', 'utf8');
}

// ---- GITHUB_OUTPUT ----

export interface CiOutputs {
  counts: SeverityCounts;
  sarifPath?: string;
  failed: boolean;
}

/** Outputs for later steps: one per severity, total, sarif-path and result (pass/fail). */
export function outputValues(o: CiOutputs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of SEVERITIES) out[s] = String(o.counts[s]);
  out.total = String(SEVERITIES.reduce((n, s) => n + o.counts[s], 0));
  if (o.sarifPath !== undefined) out['sarif-path'] = o.sarifPath;
  out.result = o.failed ? 'fail' : 'pass';
  return out;
}

/**
 * GITHUB_OUTPUT lines in the multiline-safe `name<<DELIMITER` form. The delimiter is derived
 * from the value (deterministic) and checked not to occur in it.
 */
export function formatOutputs(values: Record<string, string>): string {
  let out = '';
  for (const name of Object.keys(values)) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new Error(`invalid output name ${JSON.stringify(name)}`);
    const value = values[name]!;
    let n = 0;
    let delim: string;
    do {
      delim = `deferguard_${createHash('sha256').update(`${n++}\0${value}`).digest('hex').slice(0, 20)}`;
    } while (value.includes(delim));
    out += `${name}<<${delim}\n${value}\n${delim}\n`;
  }
  return out;
}

export function appendOutputs(path: string, values: Record<string, string>): void {
  appendFileSync(path, formatOutputs(values), 'utf8');
}
