// Alert webhooks: Slack-compatible ({"text", "blocks"}) and generic JSON, chosen per severity,
// with retries and back-off. Webhook URLs are secrets: they never appear in logs or errors.

import { SEVERITIES, compareFindings, isSeverity, severityRank } from '../findings/model.js';
import type { Finding, Severity } from '../findings/model.js';
import { backoffDelay, fetchOnce, networkErrorReason, realSleep } from './http.js';
import type { FetchLike, RetryPolicy, Sleep } from './http.js';
import { Redactor, redactingLogger, silentLogger } from './redact.js';
import type { Logger } from './redact.js';

export interface WebhookTarget {
  /** A name for logs (the URL is never logged). */
  name: string;
  url: string;
  format: 'slack' | 'json';
  /** Severities sent to this webhook. */
  severities: Severity[];
}

export class AlertConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertConfigError';
  }
}

/**
 * Reads webhook targets from configuration: a list of
 * `{ name, url | url-env, format: slack|json, severities: [..] | min-severity }`.
 * `url-env` names an environment variable (so the URL can stay a CI secret).
 */
export function parseWebhookTargets(value: unknown, env: Record<string, string | undefined> = process.env, where = 'ci.alerts'): WebhookTarget[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new AlertConfigError(`${where} must be a list of webhooks`);
  return value.map((v, i) => {
    const at = `${where}[${i}]`;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new AlertConfigError(`${at} must be a map`);
    const o = v as Record<string, unknown>;
    const name = typeof o.name === 'string' && o.name.trim() ? o.name.trim() : `webhook ${i + 1}`;
    let url: string | undefined;
    if (typeof o['url-env'] === 'string') {
      url = env[o['url-env']];
      if (!url) throw new AlertConfigError(`${at} (${name}): environment variable ${o['url-env']} is not set`);
    } else if (typeof o.url === 'string') url = o.url;
    else throw new AlertConfigError(`${at} (${name}): needs url or url-env`);
    try {
      const u = new URL(url);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
    } catch {
      throw new AlertConfigError(`${at} (${name}): the webhook URL is not an http(s) URL`);
    }
    const format = o.format ?? 'json';
    if (format !== 'slack' && format !== 'json') throw new AlertConfigError(`${at} (${name}): format must be slack or json`);
    let severities: Severity[];
    if (Array.isArray(o.severities)) {
      severities = o.severities.map((s) => {
        if (typeof s !== 'string' || !isSeverity(s)) throw new AlertConfigError(`${at} (${name}): unknown severity ${JSON.stringify(s)}`);
        return s;
      });
    } else if (typeof o['min-severity'] === 'string') {
      const min = o['min-severity'];
      if (!isSeverity(min)) throw new AlertConfigError(`${at} (${name}): unknown min-severity ${JSON.stringify(min)}`);
      severities = SEVERITIES.filter((s) => severityRank(s) >= severityRank(min));
    } else severities = ['critical'];
    return { name, url, format, severities };
  });
}

export interface AlertContext {
  repository?: string;
  pullRequest?: number;
  pullRequestUrl?: string;
  sha?: string;
  runUrl?: string;
  /** Builds a browser link to file:line, when known. */
  fileUrl?: (file: string, line: number) => string;
}

const SLACK_MAX_LISTED = 20;

/** Slack mrkdwn: only &, < and > are special; escaping < also stops <!channel> and <@U..> mentions. */
export function escapeSlack(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function title(findings: readonly Finding[], ctx: AlertContext): string {
  const where = ctx.repository ? `${ctx.repository}${ctx.pullRequest ? ` #${ctx.pullRequest}` : ''}` : 'this change';
  const worst = SEVERITIES.find((s) => findings.some((f) => f.severity === s)) ?? 'low';
  return `deferguard: ${plural(findings.length, `${worst === 'critical' ? 'critical ' : ''}finding`)} in ${where}`;
}

export function slackPayload(findings: readonly Finding[], ctx: AlertContext): { text: string; blocks: unknown[] } {
  const sorted = [...findings].sort(compareFindings);
  const text = escapeSlack(title(sorted, ctx));
  const lines = sorted.slice(0, SLACK_MAX_LISTED).map((f) => {
    const loc = `${f.file}:${f.line}`;
    const locText = ctx.fileUrl ? `<${ctx.fileUrl(f.file, f.line).replace(/[<>|]/g, encodeURIComponent)}|${escapeSlack(loc)}>` : escapeSlack(loc);
    return `• *${f.severity}* \`${escapeSlack(f.rule)}\` ${locText}: ${escapeSlack(f.message.replace(/\s+/g, ' '))}`;
  });
  if (sorted.length > SLACK_MAX_LISTED) lines.push(`… and ${sorted.length - SLACK_MAX_LISTED} more`);
  // A section's text is limited to 3000 characters: split the list over several sections.
  const sections: string[] = [];
  let cur = '';
  for (const l of lines) {
    const clipped = l.length > 2900 ? l.slice(0, 2900) + '…' : l;
    if (cur && cur.length + clipped.length + 1 > 2900) {
      sections.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n${clipped}` : clipped;
  }
  if (cur) sections.push(cur);
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: title(sorted, ctx).slice(0, 150) } }];
  for (const s of sections) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: s } });
  const links: string[] = [];
  if (ctx.pullRequestUrl) links.push(`<${ctx.pullRequestUrl}|Pull request>`);
  if (ctx.runUrl) links.push(`<${ctx.runUrl}|Workflow run>`);
  if (ctx.sha) links.push(`commit \`${escapeSlack(ctx.sha.slice(0, 12))}\``);
  if (links.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: links.join(' · ') }] });
  return { text, blocks };
}

export function jsonPayload(findings: readonly Finding[], ctx: AlertContext): Record<string, unknown> {
  const sorted = [...findings].sort(compareFindings);
  return {
    source: 'deferguard',
    title: title(sorted, ctx),
    repository: ctx.repository ?? null,
    pullRequest: ctx.pullRequest ?? null,
    sha: ctx.sha ?? null,
    runUrl: ctx.runUrl ?? null,
    counts: Object.fromEntries(SEVERITIES.map((s) => [s, sorted.filter((f) => f.severity === s).length])),
    findings: sorted.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      confidence: f.confidence,
      file: f.file,
      line: f.line,
      column: f.column,
      message: f.message,
      ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
    })),
  };
}

export interface SendOptions {
  fetch?: FetchLike;
  sleep?: Sleep;
  retry?: RetryPolicy;
  timeoutMs?: number;
  logger?: Logger;
  redactor?: Redactor;
}

export interface AlertResult {
  name: string;
  sent: number;
  ok: boolean;
  attempts: number;
  /** Why it failed, free of secrets. */
  error?: string;
}

const ALERT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 1000, maxDelayMs: 10_000 };

/** POSTs a JSON payload; retries network errors, 5xx and 429 (honouring Retry-After, bounded). */
export async function postWebhook(target: WebhookTarget, payload: unknown, opts: SendOptions = {}): Promise<{ ok: boolean; attempts: number; error?: string }> {
  const redactor = opts.redactor ?? new Redactor();
  redactor.addUrl(target.url);
  const log = redactingLogger(opts.logger ?? silentLogger, redactor);
  const retry = opts.retry ?? ALERT_RETRY;
  const sleep = opts.sleep ?? realSleep;
  const body = JSON.stringify(payload);
  let lastError = '';
  for (let attempt = 1; ; attempt++) {
    let wait: number | undefined;
    try {
      const res = await fetchOnce(
        opts.fetch ?? fetch,
        target.url,
        { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'deferguard' }, body },
        opts.timeoutMs ?? 15_000,
        64 * 1024,
      );
      if (res.status >= 200 && res.status < 300) return { ok: true, attempts: attempt };
      lastError = `HTTP ${res.status}${res.body.length ? `: ${res.body.toString('utf8').replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
      if (res.status === 429) {
        // No header is not "retry at once" (Number(null) is 0): back off as for a 5xx.
        const header = res.headers.get('retry-after');
        const ra = header === null || header.trim() === '' ? NaN : Number(header);
        wait = Math.min(retry.maxDelayMs, Number.isFinite(ra) && ra >= 0 ? ra * 1000 : backoffDelay(retry, attempt));
      } else if (res.status >= 500) wait = backoffDelay(retry, attempt);
      else return { ok: false, attempts: attempt, error: redactor.redact(`webhook ${target.name}: ${lastError}`) };
    } catch (err) {
      lastError = networkErrorReason(err);
      wait = backoffDelay(retry, attempt);
    }
    if (attempt > retry.retries) return { ok: false, attempts: attempt, error: redactor.redact(`webhook ${target.name}: ${lastError} (after ${attempt} attempts)`) };
    log.warn(`webhook ${target.name}: ${lastError}; retry ${attempt}/${retry.retries} in ${wait} ms`);
    await sleep(wait);
  }
}

/**
 * Sends each target the findings of its severities (one message per target). A failing
 * webhook is reported, never thrown: alerts must not break the CI job.
 */
export async function sendAlerts(findings: readonly Finding[], targets: readonly WebhookTarget[], ctx: AlertContext, opts: SendOptions = {}): Promise<AlertResult[]> {
  const results: AlertResult[] = [];
  const redactor = opts.redactor ?? new Redactor();
  for (const t of targets) redactor.addUrl(t.url);
  const log = redactingLogger(opts.logger ?? silentLogger, redactor);
  for (const t of targets) {
    const chosen = findings.filter((f) => t.severities.includes(f.severity));
    if (chosen.length === 0) continue;
    const payload = t.format === 'slack' ? slackPayload(chosen, ctx) : jsonPayload(chosen, ctx);
    const r = await postWebhook(t, payload, { ...opts, redactor });
    if (r.ok) log.info(`alert sent to ${t.name}: ${plural(chosen.length, 'finding')}`);
    else log.warn(`alert to ${t.name} failed: ${r.error}`);
    results.push({ name: t.name, sent: chosen.length, ok: r.ok, attempts: r.attempts, ...(r.error ? { error: r.error } : {}) });
  }
  return results;
}
