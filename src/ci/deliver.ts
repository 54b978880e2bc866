// Delivery of one run's findings in CI: routing, PR review, sticky summary, labels, check
// run, step summary, outputs, alerts, and the fork-safe fallbacks. `deferguard ci` wires
// these functions to flags and configuration.

import { compareFindings } from '../findings/model.js';
import type { Finding, RuleMeta } from '../findings/model.js';
import { sendAlerts } from './alerts.js';
import type { AlertResult, WebhookTarget } from './alerts.js';
import { checkAnnotations, workflowCommands } from './annotations.js';
import { readArtifact, verifyArtifact, writeArtifact } from './artifact.js';
import { parseDiffHunks } from './diff.js';
import { blobUrl, headSha } from './env.js';
import type { CiContext, GitHubContext } from './env.js';
import { fingerprintsOf } from './fingerprint.js';
import { GitHubClient, isWriteDenied } from './github.js';
import type { FetchLike, Sleep } from './http.js';
import { Redactor, redactingLogger, silentLogger } from './redact.js';
import type { Logger } from './redact.js';
import { planReview, syncReview } from './review.js';
import type { LinkContext, SyncResult } from './review.js';
import { DEFAULT_ROUTING, routeFindings } from './route.js';
import type { Routing } from './route.js';
import { appendOutputs, appendStepSummary, countBySeverity, outputValues, renderStepSummary, renderStickySummary, upsertStickySummary } from './summary.js';
import type { SeverityCounts, StickyResult } from './summary.js';

export interface DeliveryInput {
  /** Findings this run reports (after suppressions, baseline and diff scoping). */
  findings: readonly Finding[];
  baselined?: number;
  fixed?: number;
  routing?: Routing;
  rules?: ReadonlyMap<string, RuleMeta>;
  /** Head-version bytes of a file, for suggestions. */
  readSource?: (path: string) => Uint8Array | undefined;
  /** The pull request's unified diff when known locally; otherwise it is fetched from the API. */
  diff?: string;
  sarifPath?: string;
  webhooks?: readonly WebhookTarget[];
  /** Create a check run with this name (needs checks: write). */
  checkRunName?: string;
  maxInline?: number;
  /** Review event REQUEST_CHANGES when a failing finding gets a new inline comment. */
  requestChanges?: boolean;
  /** Distinguishes several deferguard jobs' summaries on one pull request. */
  summaryKey?: string;
  /** Workflow-command annotations in the log: always, only when posting is impossible (default), never. */
  annotations?: 'always' | 'fallback' | 'never';
  /** local: write summaries and outputs only, post nothing (phase 1 of the fork mode). */
  mode?: 'post' | 'local';
  /**
   * Pull request comments: review (inline comments and the sticky summary, the default),
   * summary (the sticky summary only), off (no comments; labels, check run and alerts still).
   */
  commentMode?: 'review' | 'summary' | 'off';
}

export interface DeliveryDeps {
  /** A client to use; by default one is made from the context's token and API URL. */
  client?: GitHubClient;
  fetch?: FetchLike;
  sleep?: Sleep;
  logger?: Logger;
  /** Where workflow commands go (the job log); defaults to process.stdout. */
  writeLog?: (text: string) => void;
}

export interface DeliveryReport {
  failed: boolean;
  counts: SeverityCounts;
  review?: SyncResult;
  summary?: StickyResult;
  labels: string[];
  checkRun?: { id: number; calls: number };
  alerts: AlertResult[];
  /** Why results could not be posted to the pull request, when they could not. */
  fallback?: string;
  annotationsPrinted: number;
  outputs: Record<string, string>;
  /** Delivery steps that failed (secrets removed); the findings themselves are unaffected. */
  errors: string[];
}

export const FORK_NOTICE =
  'This pull request comes from a fork, so the workflow token cannot comment on it. Findings are shown as annotations and in the job summary. To get review comments, run deferguard in two phases (pull_request writes an artifact, workflow_run posts it).';
const DENIED_NOTICE =
  'The workflow token may not write to this pull request (Resource not accessible by integration). Findings are shown as annotations and in the job summary; grant pull-requests: write and checks: write, or use the two-phase mode.';

function makeClient(ctx: GitHubContext, deps: DeliveryDeps, redactor: Redactor): GitHubClient | undefined {
  if (deps.client) return deps.client;
  if (!ctx.token) return undefined;
  return new GitHubClient({
    token: ctx.token,
    apiUrl: ctx.apiUrl,
    userAgent: 'deferguard-ci',
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
    redactor,
  });
}

/** Delivers findings for the current CI context. Never throws for a failed delivery step. */
export async function deliver(ctx: CiContext, input: DeliveryInput, deps: DeliveryDeps = {}): Promise<DeliveryReport> {
  const redactor = deps.client?.redactor ?? new Redactor();
  if (ctx.provider === 'github') redactor.add(ctx.token);
  for (const w of input.webhooks ?? []) redactor.addUrl(w.url);
  const log = redactingLogger(deps.logger ?? silentLogger, redactor);
  const writeLog = deps.writeLog ?? ((s: string) => void process.stdout.write(s));
  const routed = routeFindings(input.findings, input.routing ?? DEFAULT_ROUTING);
  const report: DeliveryReport = {
    failed: routed.failing.length > 0,
    counts: countBySeverity(routed.all),
    labels: [],
    alerts: [],
    annotationsPrinted: 0,
    outputs: {},
    errors: [],
  };
  const step = async (what: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      if (isWriteDenied(err)) {
        report.fallback ??= DENIED_NOTICE;
        log.warn(`${what}: ${redactor.redact((err as Error).message)}`);
        return;
      }
      const msg = redactor.redact(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      report.errors.push(msg);
      log.warn(msg);
    }
  };

  const gh = ctx.provider === 'github' ? ctx : undefined;
  const sha = gh ? headSha(gh) : undefined;
  const links: LinkContext | undefined = gh && sha ? { serverUrl: gh.serverUrl, repository: gh.repository, sha } : undefined;
  const pr = gh?.pullRequest;
  const post = input.mode !== 'local';
  const client = gh && post ? makeClient(gh, deps, redactor) : undefined;

  if (gh && post && pr && pr.isFork && gh.eventName === 'pull_request') report.fallback = FORK_NOTICE;
  else if (gh && post && pr && !client) report.fallback = 'No GitHub token (GITHUB_TOKEN or the github-token input): findings are shown as annotations and in the job summary only.';

  const commentMode = input.commentMode ?? 'review';
  if (gh && client && pr && !report.fallback) {
    if (commentMode === 'review') await step('pull request review', async () => {
      const diff = input.diff ?? (await client.getPullDiff(gh.repository, pr.number)).diff;
      const plan = planReview(routed.comment, {
        changed: parseDiffHunks(diff),
        ...(input.rules ? { rules: input.rules } : {}),
        ...(input.readSource ? { readSource: input.readSource } : {}),
        ...(links ? { links } : {}),
      });
      const failingFps = new Set<string>();
      if (input.requestChanges) {
        const failing = new Set(routed.failing);
        plan.inline.forEach((p) => failing.has(p.finding) && failingFps.add(p.fingerprint));
      }
      report.review = await syncReview(client, plan, {
        repo: gh.repository,
        pr: pr.number,
        commitId: pr.headSha,
        ...(input.maxInline !== undefined ? { maxInline: input.maxInline } : {}),
        requestChangesFor: failingFps,
        ...(links ? { links } : {}),
      });
    });
    if (!report.fallback && commentMode !== 'off') {
      await step('summary comment', async () => {
        const body = renderStickySummary(summaryInput(input, routed.all, report, links, gh.runUrl));
        report.summary = await upsertStickySummary(client, gh.repository, pr.number, body, input.summaryKey ? { key: input.summaryKey } : {});
      });
    }
    if (!report.fallback && routed.labels.length > 0) {
      await step('labels', async () => {
        await client.addLabels(gh.repository, pr.number, routed.labels);
        report.labels = routed.labels;
      });
    }
  }
  if (gh && client && sha && input.checkRunName && !report.fallback) {
    await step('check run', async () => {
      report.checkRun = await client.createCheckRun(gh.repository, {
        name: input.checkRunName!,
        headSha: sha,
        conclusion: report.failed ? 'failure' : routed.all.length > 0 ? 'neutral' : 'success',
        title: report.failed ? `${routed.failing.length} blocking finding${routed.failing.length === 1 ? '' : 's'}` : `${routed.all.length} finding${routed.all.length === 1 ? '' : 's'}`,
        summary: renderStepSummary(summaryInput(input, routed.all, report, links, gh.runUrl)),
        annotations: checkAnnotations(routed.all),
        ...(gh.runUrl ? { detailsUrl: gh.runUrl } : {}),
      });
    });
  }

  const annotations = input.annotations ?? 'fallback';
  if (gh && (annotations === 'always' || (annotations === 'fallback' && (report.fallback !== undefined || !post)))) {
    if (report.fallback) writeLog(`::notice title=deferguard::${report.fallback.replace(/%/g, '%25').replace(/\r?\n/g, '%0A')}\n`);
    writeLog(workflowCommands(routed.all));
    report.annotationsPrinted = routed.all.length;
  }
  if (report.fallback) log.info(report.fallback);

  if (gh?.stepSummaryPath) {
    await step('step summary', async () => appendStepSummary(gh.stepSummaryPath!, renderStepSummary(summaryInput(input, routed.all, report, links, undefined))));
  }
  report.outputs = outputValues({ counts: report.counts, failed: report.failed, ...(input.sarifPath !== undefined ? { sarifPath: input.sarifPath } : {}) });
  if (gh?.outputPath) await step('outputs', async () => appendOutputs(gh.outputPath!, report.outputs));

  if (post && routed.alert.length > 0 && input.webhooks && input.webhooks.length > 0) {
    report.alerts = await sendAlerts(routed.alert, input.webhooks, {
      ...(gh ? { repository: gh.repository, runUrl: gh.runUrl, fileUrl: (f: string, l: number) => blobUrl(gh, sha!, f, l) } : {}),
      ...(pr ? { pullRequest: pr.number, pullRequestUrl: `${gh!.serverUrl}/${gh!.repository}/pull/${pr.number}` } : {}),
      ...(sha ? { sha } : {}),
    }, {
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      logger: log,
      redactor,
    });
    for (const a of report.alerts) if (!a.ok && a.error) report.errors.push(a.error);
  }
  return report;
}

function summaryInput(input: DeliveryInput, all: Finding[], report: DeliveryReport, links: LinkContext | undefined, runUrl: string | undefined) {
  const routing = input.routing ?? DEFAULT_ROUTING;
  const failingCount = all.filter((f) => routing[f.severity].fail).length;
  return {
    findings: all,
    failed: report.failed,
    failing: failingCount,
    ...(input.baselined !== undefined ? { baselined: input.baselined } : {}),
    ...(input.fixed !== undefined ? { fixed: input.fixed } : {}),
    ...(links ? { links } : {}),
    ...(runUrl ? { runUrl } : {}),
    ...(report.fallback ? { notice: report.fallback } : {}),
    ...(input.summaryKey ? { key: input.summaryKey } : {}),
  };
}

// ---- two-phase mode for fork pull requests ----

/** Findings in deterministic order, each with the fingerprint its review comment carries. */
function withFingerprints(findings: readonly Finding[]): Finding[] {
  const sorted = [...findings].sort(compareFindings);
  const fps = fingerprintsOf(sorted);
  return sorted.map((f, i) => ({ ...f, fingerprint: fps[i]! }));
}

/**
 * Phase 1 (pull_request job, read-only token): writes the artifact directory to upload, and
 * the step summary and outputs. Nothing is posted.
 */
export async function deliverPhaseOne(ctx: GitHubContext, input: DeliveryInput, dir: string, deps: DeliveryDeps = {}): Promise<DeliveryReport & { artifactFiles: string[] }> {
  const pr = ctx.pullRequest;
  if (!pr) throw new Error(`the two-phase mode's first phase runs on pull_request events, not ${ctx.eventName || 'this event'}`);
  let diff = input.diff;
  if (diff === undefined) {
    const redactor = new Redactor([ctx.token]);
    const client = makeClient(ctx, deps, redactor);
    if (!client) throw new Error('no diff given and no token to fetch it with (GITHUB_TOKEN)');
    diff = (await client.getPullDiff(ctx.repository, pr.number)).diff;
  }
  const artifactFiles = writeArtifact(
    dir,
    {
      repository: ctx.repository,
      pullRequest: pr.number,
      headSha: pr.headSha,
      baseSha: pr.baseSha,
      findings: withFingerprints(input.findings),
      ...(input.baselined !== undefined ? { baselined: input.baselined } : {}),
      ...(input.fixed !== undefined ? { fixed: input.fixed } : {}),
      diff,
    },
    input.readSource,
  );
  const report = await deliver(ctx, { ...input, diff, mode: 'local' }, deps);
  return { ...report, artifactFiles };
}

/**
 * Phase 2 (workflow_run job, write token): reads and verifies the artifact, then posts it as
 * if the pull request had been analysed here. Throws ArtifactError when the artifact does not
 * match the run or the pull request.
 */
export async function deliverPhaseTwo(ctx: GitHubContext, dir: string, input: Omit<DeliveryInput, 'findings' | 'diff' | 'readSource' | 'baselined' | 'fixed'>, deps: DeliveryDeps = {}): Promise<DeliveryReport> {
  const run = ctx.workflowRun;
  if (!run) throw new Error(`the two-phase mode's second phase runs on workflow_run events, not ${ctx.eventName || 'this event'}`);
  const redactor = deps.client?.redactor ?? new Redactor([ctx.token]);
  const client = makeClient(ctx, deps, redactor);
  if (!client) throw new Error('the second phase needs a token with pull-requests: write (GITHUB_TOKEN)');
  const a = readArtifact(dir);
  await verifyArtifact(a, run, ctx.repository, client);
  const prCtx: GitHubContext = {
    ...ctx,
    sha: a.headSha,
    pullRequest: { number: a.pullRequest, headSha: a.headSha, baseSha: a.baseSha, headRef: run.headBranch ?? '', baseRef: '', headRepo: run.headRepo, baseRepo: ctx.repository, isFork: false },
  };
  return deliver(
    prCtx,
    {
      ...input,
      findings: a.findings,
      diff: a.diff,
      readSource: (p) => (a.sources[p] !== undefined ? Buffer.from(a.sources[p]!, 'utf8') : undefined),
      ...(a.baselined !== undefined ? { baselined: a.baselined } : {}),
      ...(a.fixed !== undefined ? { fixed: a.fixed } : {}),
    },
    { ...deps, client },
  );
}
