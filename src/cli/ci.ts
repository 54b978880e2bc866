// deferguard ci [flags] [PATTERN...]: everything a CI job needs in one command. Reads the CI
// environment, analyses, keeps what the change introduced (changed lines, and findings whose
// fingerprint is absent at the merge base), applies the baseline, writes the local reports, then
// delivers: pull request review, sticky summary, step summary, annotations, outputs, labels and
// alerts, routed by severity. Wiring only; the parts live in src/ci.
// Exit codes: 0 no `fail` route fired, 1 one did, 2 usage or configuration error, 3 internal error.
import { readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AnalysisCache, defaultCacheDir } from '../analysis/cache.js';
import { analyze, DriverError } from '../analysis/driver.js';
import { INTERNAL_ERROR_RULE } from '../analysis/engine.js';
import { AlertConfigError, parseWebhookTargets } from '../ci/alerts.js';
import type { WebhookTarget } from '../ci/alerts.js';
import { ArtifactError } from '../ci/artifact.js';
import { deliver, deliverPhaseOne, deliverPhaseTwo } from '../ci/deliver.js';
import type { DeliveryInput, DeliveryReport } from '../ci/deliver.js';
import { CiEnvError, readCiEnv } from '../ci/env.js';
import type { CiContext, GitHubContext } from '../ci/env.js';
import { addWorktree, diffText, mergeBase, repoRoot, resolveCommit } from '../ci/git.js';
import { GitHubClient } from '../ci/github.js';
import { dedupeAgainst, DEFAULT_GOLANGCI_SEVERITIES, GolangciError, golangciRuleMetas, issuesToFindings, runGolangci } from '../ci/golangci.js';
import type { GolangciSeverities } from '../ci/golangci.js';
import { Redactor, redactingLogger, stderrLogger } from '../ci/redact.js';
import { DEFAULT_ROUTING } from '../ci/route.js';
import type { Routing } from '../ci/route.js';
import { prefixPaths, relativeChanges, scopeToChange } from '../ci/scope.js';
import { ConfigError, type Config } from '../config/config.js';
import { applyBaseline, BaselineError, readBaselineFile, type Baseline } from '../findings/baseline.js';
import { parseUnifiedDiff } from '../findings/diff.js';
import { computeFingerprints, splitLines } from '../findings/fingerprint.js';
import { filterByConfidence, GateError, parseFailOn, type FailOn } from '../findings/gate.js';
import { compareFindings, severityRank, type Finding, type RuleMeta, type Severity } from '../findings/model.js';
import { diagnosticsToFindings, DIRECTIVE_RULE } from '../findings/suppress.js';
import { Excluder, GlobError } from '../load/exclude.js';
import { summaryLine } from '../report/common.js';
import { formatNames, FORMATS, render } from '../report/index.js';
import { analyzers, REGISTRY_URL } from '../rules/index.js';
import { allRuleMetas, resolveConfig, selectRules, UsageError } from './check.js';
import { version } from './main.js';
import { checkWritable, OutputError, writeFileAtomic } from './output.js';
import { FlagReader } from './args.js';

const USAGE = `usage: deferguard ci [flags] [PATTERN...]

Runs deferguard in a CI job and delivers the results. On GitHub Actions it reads the event
(GITHUB_EVENT_NAME, GITHUB_EVENT_PATH), the repository, GITHUB_TOKEN and GITHUB_API_URL, and
posts a pull request review with inline comments on changed lines, one summary comment updated
in place, a job summary table, annotations and step outputs. Elsewhere it analyses, scopes to
the change against --base, writes the reports and sends alerts.

Only what the change introduced is reported: findings on lines it adds or changes, and findings
whose fingerprint does not occur when the merge base is analysed (from a temporary git
worktree). Local reports are written before anything is sent over the network.

flags:
  -C, --dir DIR              run as if started in DIR (the Go module)
  --config FILE              configuration file (default: .deferguard.yml found upward)
  --fail-on SEVERITY         fail (exit 1) on findings at or above: critical, high, medium, low, none
                             (default: the ci.routes of the configuration; critical fails)
  --only-new BOOL            report only what the change introduced (default true)
  --base REV                 compare against the merge base of REV and HEAD (default: the pull
                             request's base, the commit before a push, or CI_MERGE_REQUEST_DIFF_BASE_SHA)
  --no-base-analysis         scope by the changed lines only; do not analyse the merge base
  --baseline FILE            leave out the findings accepted in FILE
  --sarif FILE               write SARIF 2.1.0 to FILE (paths relative to the repository root)
  --json FILE                write the JSON report to FILE
  --format NAME=FILE         another report, repeatable: ${formatNames().join(', ')}
  --comment-mode MODE        review (inline comments + summary), summary, off (default: configuration, else review)
  --annotations WHEN         workflow-command annotations: always, fallback (when comments cannot
                             be posted; the default on pull requests), never
  --check-run NAME           also create a check run NAME with annotations (needs checks: write)
  --summary-key KEY          tells apart the summary comments of several deferguard jobs on one pull request
  --request-changes          request changes when a failing finding gets a new inline comment
  --with-golangci-lint       also run golangci-lint (JSON output) and route its issues the same way
  --golangci-lint PATH       the golangci-lint executable (default: golangci-lint on PATH)
  --phase PHASE              all (default); analyse: write --artifact DIR for a fork pull request
                             (no posting); post: in a workflow_run job, post the artifact in DIR
  --artifact DIR             the artifact directory of the two-phase mode
  --jobs N                   worker threads (default: one per 1.5 usable cores)
  --tags a,b                 build tags
  --no-cache                 neither read nor write the analysis cache
  -v, --verbose              also print scoping and delivery notes

The token is read from GITHUB_TOKEN (or the action's token input), never from a flag.

exit codes: 0 no finding routed to fail, 1 at least one (ci.routes: critical by default),
2 usage or configuration error, 3 internal error (analysis or golangci-lint failed).
`;

export interface CiArgs {
  dir: string | undefined;
  patterns: string[];
  config: string | undefined;
  failOn: FailOn | undefined;
  onlyNew: boolean;
  base: string | undefined;
  baseAnalysis: boolean;
  baseline: string | undefined;
  sarif: string | undefined;
  json: string | undefined;
  formats: { name: string; file: string }[];
  commentMode: 'review' | 'summary' | 'off' | undefined;
  annotations: 'always' | 'fallback' | 'never' | undefined;
  checkRun: string | undefined;
  summaryKey: string | undefined;
  requestChanges: boolean;
  golangci: boolean;
  golangciPath: string | undefined;
  phase: 'all' | 'analyse' | 'post';
  artifact: string | undefined;
  /** Undefined: the driver's default (defaultJobs). */
  jobs: number | undefined;
  tags: string[];
  cache: boolean;
  verbose: boolean;
  help: boolean;
}

function bool(v: string, flag: string): boolean {
  const s = v.trim().toLowerCase();
  if (s === 'true' || s === '1' || s === 'yes' || s === 'on') return true;
  if (s === 'false' || s === '0' || s === 'no' || s === 'off') return false;
  throw new UsageError(`${flag} takes true or false, not "${v}"`);
}

export function parseCiArgs(args: readonly string[]): CiArgs {
  const out: CiArgs = {
    dir: undefined, patterns: [], config: undefined, failOn: undefined, onlyNew: true, base: undefined, baseAnalysis: true,
    baseline: undefined, sarif: undefined, json: undefined, formats: [], commentMode: undefined, annotations: undefined,
    checkRun: undefined, summaryKey: undefined, requestChanges: false, golangci: false, golangciPath: undefined,
    phase: 'all', artifact: undefined, jobs: undefined, tags: [], cache: true, verbose: false, help: false,
  };
  const r = new FlagReader(args);
  while (r.next()) {
    const a = r.arg;
    const name = r.name;
    switch (name) {
      case '-h': case '--help': out.help = true; break;
      case '-C': case '--dir': out.dir = r.path(); break;
      case '--config': out.config = r.path(); break;
      case '--fail-on':
        try {
          out.failOn = parseFailOn(r.value());
        } catch (e) {
          throw new UsageError((e as GateError).message);
        }
        break;
      case '--only-new': out.onlyNew = r.hasInlineValue() ? bool(r.value(), name) : true; break;
      case '--all-findings': r.noValue(); out.onlyNew = false; break;
      case '--base': {
        const v = r.value().trim();
        if (v === '' || v.startsWith('-')) throw new UsageError(`--base needs a git revision`);
        out.base = v;
        break;
      }
      case '--no-base-analysis': r.noValue(); out.baseAnalysis = false; break;
      case '--baseline': out.baseline = r.path(); break;
      case '--sarif': out.sarif = r.path(); break;
      case '--json': out.json = r.path(); break;
      case '--format': {
        const v = r.value();
        const k = v.indexOf('=');
        const fname = k >= 0 ? v.slice(0, k) : v;
        if (!Object.hasOwn(FORMATS, fname)) throw new UsageError(`unknown output format "${fname}": use one of ${formatNames().join(', ')}`);
        if (k < 0 || v.slice(k + 1).trim() === '') throw new UsageError(`--format ${fname}: give a file (--format ${fname}=FILE); standard output is the job log`);
        out.formats.push({ name: fname, file: v.slice(k + 1) });
        break;
      }
      case '--comment-mode': {
        const v = r.value().trim();
        if (v !== 'review' && v !== 'summary' && v !== 'off') throw new UsageError(`--comment-mode must be review, summary or off, not "${v}"`);
        out.commentMode = v;
        break;
      }
      case '--annotations': {
        const v = r.value().trim();
        if (v !== 'always' && v !== 'fallback' && v !== 'never') throw new UsageError(`--annotations must be always, fallback or never, not "${v}"`);
        out.annotations = v;
        break;
      }
      case '--check-run': {
        const v = r.value().trim();
        if (v === '') throw new UsageError('--check-run needs a name');
        out.checkRun = v;
        break;
      }
      case '--summary-key': {
        const v = r.value().trim();
        if (!/^[A-Za-z0-9._\/-]{1,100}$/.test(v)) throw new UsageError(`--summary-key takes letters, digits and . _ / - (at most 100), not "${v}"`);
        out.summaryKey = v;
        break;
      }
      case '--request-changes': r.noValue(); out.requestChanges = true; break;
      case '--with-golangci-lint': out.golangci = r.hasInlineValue() ? bool(r.value(), name) : true; break;
      case '--golangci-lint': out.golangciPath = r.path(); out.golangci = true; break;
      case '--phase': {
        const v = r.value().trim();
        if (v === 'analyze') out.phase = 'analyse';
        else if (v === 'all' || v === 'analyse' || v === 'post') out.phase = v;
        else throw new UsageError(`--phase must be all, analyse or post, not "${v}"`);
        break;
      }
      case '--artifact': out.artifact = r.path(); break;
      case '--jobs': {
        const v = r.value();
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) throw new UsageError(`invalid --jobs value "${v}": use a whole number from 1 to 256`);
        out.jobs = Number(v);
        break;
      }
      case '--tags': out.tags.push(...v2list(r.value())); break;
      case '--no-cache': r.noValue(); out.cache = false; break;
      case '-v': case '--verbose': out.verbose = true; break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown flag ${a}`);
        out.patterns.push(a);
    }
  }
  if (out.phase !== 'all' && out.artifact === undefined) throw new UsageError(`--phase ${out.phase} needs --artifact DIR`);
  if (out.phase === 'all' && out.artifact !== undefined) throw new UsageError('--artifact belongs to the two-phase mode: add --phase analyse or --phase post');
  return out;
}

function v2list(v: string): string[] {
  return v.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

/** Routing with the fail action set by --fail-on: severities at or above it fail, the others do not. */
export function routingWithFailOn(routing: Routing, failOn: FailOn | undefined): Routing {
  if (failOn === undefined) return routing;
  const out = structuredClone(routing);
  for (const s of Object.keys(out) as Severity[]) out[s].fail = failOn !== 'none' && severityRank(s) >= severityRank(failOn);
  return out;
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

interface Analysis {
  root: string;
  findings: Finding[];
  internalError: boolean;
}

interface AnalysisSettings {
  patterns: string[];
  tags: string[];
  /** Undefined: the driver's default (defaultJobs). */
  jobs: number | undefined;
  enable: string[];
  tests: boolean;
  cfg: Config | undefined;
  exclude: Excluder;
  overrides: Record<string, Severity>;
  cache: AnalysisCache | undefined;
  golangci: { map: GolangciSeverities; executable: string | undefined } | undefined;
}

/** Analyses the module at `cwd` (head or the base worktree) into fingerprinted findings. */
async function analyseTree(cwd: string, s: AnalysisSettings, warn: (m: string) => void, label: string): Promise<Analysis> {
  const result = await analyze({
    cwd, patterns: s.patterns, tags: s.tags, jobs: s.jobs, registry: REGISTRY_URL, enable: s.enable, tests: s.tests,
    options: s.cfg?.ruleOptions, exclude: s.exclude, knownRules: analyzers.map((x) => x.meta.id), cache: s.cache, toolVersion: version(),
  });
  for (const w of result.warnings) warn(`${label}: ${w}`);
  for (const e of result.loadErrors) warn(`${label}: ${e}`);
  const root = result.root;
  const lineCache = new Map<string, string[] | undefined>();
  const lines = (file: string) => {
    if (!lineCache.has(file)) {
      let t: string | undefined;
      try {
        t = readFileSync(isAbsolute(file) ? file : join(root, file), 'utf8');
      } catch {
        t = undefined;
      }
      lineCache.set(file, t === undefined ? undefined : splitLines(t));
    }
    return lineCache.get(file);
  };
  // The configuration's min-confidence applies here as in `check`.
  let findings: Finding[] = filterByConfidence(result.findings, s.cfg?.minConfidence ?? 'low').map((f) => (s.overrides[f.rule] ? { ...f, severity: s.overrides[f.rule]! } : f));
  findings.push(...diagnosticsToFindings(result.directiveProblems, s.overrides[DIRECTIVE_RULE.id] ?? DIRECTIVE_RULE.severity));
  const internalError = findings.some((f) => f.rule === INTERNAL_ERROR_RULE.id);
  if (s.golangci) {
    const run = await runGolangci({ cwd, patterns: s.patterns, ...(s.golangci.executable ? { executable: s.golangci.executable } : {}) });
    const { findings: bridged, outside } = issuesToFindings(run.issues, s.golangci.map, root, cwd);
    if (outside.length > 0) warn(`${label}: ${plural(outside.length, 'golangci-lint issue')} outside ${root} left out`);
    const d = dedupeAgainst(bridged, findings);
    findings.push(...d.kept);
  }
  findings = computeFingerprints(findings, lines);
  return { root, findings, internalError };
}

export async function run(args: string[]): Promise<number> {
  const redactor = new Redactor();
  const write = (s: string) => process.stderr.write(redactor.redact(s));
  const err = (s: string) => write(`deferguard: ${s}\n`);
  const warn = (s: string) => err(`warning: ${s}`);
  let a: CiArgs;
  try {
    a = parseCiArgs(args);
    if (a.help) {
      process.stdout.write(USAGE);
      return 0;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`deferguard ci: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  const note = (s: string) => {
    if (a.verbose) err(`note: ${s}`);
  };
  const cwd = resolve(a.dir ?? '.');
  const at = (p: string) => resolve(cwd, p);

  // The CI environment.
  let ctx: CiContext;
  try {
    ctx = readCiEnv(process.env);
  } catch (e) {
    if (e instanceof CiEnvError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
  const gh: GitHubContext | undefined = ctx.provider === 'github' ? ctx : undefined;
  redactor.add(gh?.token);

  // Configuration, routing and alert targets.
  let cfg: Config | undefined;
  let enable: string[];
  let exclude: Excluder;
  let webhooks: WebhookTarget[];
  try {
    cfg = resolveConfig(cwd, { config: a.config, patterns: a.patterns });
    enable = selectRules({ enable: [], disable: [], enableAll: false }, cfg);
    try {
      exclude = new Excluder({ globs: cfg?.exclude ?? [], defaults: cfg?.excludeDefaults ?? true });
    } catch (e) {
      if (e instanceof GlobError) throw new UsageError(`${cfg?.file ?? 'configuration'}: exclude: ${e.message}`);
      throw e;
    }
    webhooks = parseWebhookTargets(cfg?.ci.alerts, process.env);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError || e instanceof AlertConfigError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
  for (const w of webhooks) redactor.addUrl(w.url);
  const routing = routingWithFailOn(cfg?.ci.routes ?? DEFAULT_ROUTING, a.failOn);
  const commentMode = a.commentMode ?? cfg?.ci.commentMode ?? 'review';
  const logger = redactingLogger(stderrLogger(a.verbose || process.env.DEFERGUARD_DEBUG !== undefined), redactor);
  note(`configuration: ${cfg?.file ?? 'none (built-in defaults)'}`);

  const client = gh?.token
    ? new GitHubClient({ token: gh.token, apiUrl: gh.apiUrl, userAgent: `deferguard/${version()}`, logger, redactor })
    : undefined;
  const deliveryBase = {
    routing,
    ...(webhooks.length > 0 ? { webhooks } : {}),
    ...(a.checkRun ? { checkRunName: a.checkRun } : {}),
    ...(a.requestChanges ? { requestChanges: true } : {}),
    ...(a.summaryKey ? { summaryKey: a.summaryKey } : {}),
    commentMode,
  } satisfies Partial<DeliveryInput>;

  // Phase 2 of the fork mode: post an artifact; nothing is analysed here.
  if (a.phase === 'post') {
    if (!gh) {
      err('--phase post runs in a GitHub Actions workflow_run job (GITHUB_ACTIONS is not true)');
      return 2;
    }
    let report: DeliveryReport;
    try {
      report = await deliverPhaseTwo(gh, at(a.artifact!), { ...deliveryBase, ...(a.annotations ? { annotations: a.annotations } : {}), rules: ruleMap(allRuleMetas()) }, { ...(client ? { client } : {}), logger });
    } catch (e) {
      if (e instanceof ArtifactError) {
        err(`the artifact cannot be posted: ${e.message}`);
        return 2;
      }
      err(`${e instanceof Error ? e.message : String(e)}`);
      return 2;
    }
    return finish(report, err, warn, false);
  }

  // Inputs that must be valid before a long analysis.
  const overrides: Record<string, Severity> = {};
  for (const [id, s] of Object.entries(cfg?.rules ?? {})) if (s.severity) overrides[id] = s.severity;
  const baselinePath = a.baseline !== undefined ? at(a.baseline) : cfg?.baseline !== undefined && cfg.file ? resolve(cfg.file, '..', cfg.baseline) : undefined;
  let baseline: Baseline | undefined;
  const outputs: { name: string; file: string }[] = [
    ...(a.sarif !== undefined ? [{ name: 'sarif', file: a.sarif }] : []),
    ...(a.json !== undefined ? [{ name: 'json', file: a.json }] : []),
    ...a.formats,
  ];
  try {
    for (const o of outputs) checkWritable(at(o.file), `the ${o.name} report`, o.file);
    if (baselinePath !== undefined) baseline = readBaselineFile(baselinePath);
  } catch (e) {
    if (e instanceof OutputError || e instanceof BaselineError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
  if (a.phase === 'analyse' && !gh?.pullRequest) {
    err(`--phase analyse runs in a pull_request job; this is ${gh ? `a ${gh.eventName || 'unknown'} event` : 'not GitHub Actions'}`);
    return 2;
  }

  const golangciMap = cfg?.ci.golangciLint ?? DEFAULT_GOLANGCI_SEVERITIES;
  const settings: AnalysisSettings = {
    patterns: a.patterns,
    tags: a.tags.length > 0 ? a.tags : (cfg?.tags ?? []),
    jobs: a.jobs,
    enable,
    tests: cfg?.tests ?? true,
    cfg,
    exclude,
    overrides,
    cache: a.cache ? new AnalysisCache(defaultCacheDir()) : undefined,
    golangci: a.golangci ? { map: golangciMap, executable: a.golangciPath } : undefined,
  };

  // The head: the checked-out tree.
  let head: Analysis;
  try {
    head = await analyseTree(cwd, settings, warn, 'head');
  } catch (e) {
    if (e instanceof GolangciError) {
      err(e.message);
      return /not on PATH/.test(e.message) ? 2 : 3;
    }
    if (e instanceof DriverError) {
      err(e.message);
      return 3;
    }
    throw e;
  }
  const moduleRoot = head.root;
  let findings = head.findings;
  let baselined: number | undefined;
  let fixed: number | undefined;
  if (baseline) {
    const r = applyBaseline(findings, baseline);
    findings = r.fresh;
    baselined = r.baselined.length;
    fixed = r.fixed.length;
    note(`baseline ${relative(cwd, baselinePath!) || baselinePath}: ${plural(baselined, 'accepted finding')} left out, ${plural(fixed, 'entry', 'entries')} fixed`);
  }

  // Where the repository is, and what the change is.
  const top = await repoRoot(moduleRoot);
  const prefix = top ? relative(top, realpathSync(moduleRoot)).split(sep).join('/') : '';
  let diff: string | undefined;
  let baseFingerprints: Set<string> | undefined;
  if (a.onlyNew) {
    const baseRev = a.base ?? gh?.pullRequest?.baseSha ?? gh?.beforeSha ?? (process.env.CI_MERGE_REQUEST_DIFF_BASE_SHA || undefined);
    let mb: string | undefined;
    if (top && baseRev) {
      const baseCommit = await resolveCommit(baseRev, top);
      const headCommit = await resolveCommit('HEAD', top);
      if (!baseCommit) note(`the base ${baseRev} is not in the local clone (fetch-depth: 0 makes it available)`);
      else if (headCommit) {
        mb = await mergeBase(baseCommit, headCommit, top);
        if (!mb) note(`no merge base of ${baseRev} and HEAD in the local clone (history too shallow?)`);
      }
      if (mb && gh?.pullRequest && headCommit && headCommit !== gh.pullRequest.headSha) {
        note(`HEAD is ${headCommit.slice(0, 12)}, not the pull request head ${gh.pullRequest.headSha.slice(0, 12)}; check out the head commit so line numbers match the review`);
      }
    }
    if (mb) {
      try {
        diff = await diffText(mb, undefined, top!);
        note(`changes: git diff against the merge base ${mb.slice(0, 12)}`);
      } catch (e) {
        warn(`git diff against ${mb.slice(0, 12)} failed: ${(e as Error).message}`);
      }
      if (a.baseAnalysis) {
        try {
          baseFingerprints = await analyseBase(mb, top!, prefix, cwd, settings, warn);
          note(`merge base ${mb.slice(0, 12)}: ${plural(baseFingerprints.size, 'finding')}`);
        } catch (e) {
          warn(`the merge base ${mb.slice(0, 12)} could not be analysed (${(e as Error).message}); scoping by changed lines only`);
        }
      }
    }
    if (diff === undefined && gh?.pullRequest && client) {
      try {
        const d = await client.getPullDiff(gh.repository, gh.pullRequest.number);
        diff = d.diff;
        note(`changes: the pull request diff from the API (${d.source === 'files' ? 'files endpoint' : 'diff media type'})`);
        if (d.filesWithoutPatch.length > 0) note(`files without a patch in the API (binary or too large): ${d.filesWithoutPatch.join(', ')}`);
      } catch (e) {
        warn(`cannot read the pull request diff: ${(e as Error).message}`);
      }
    }
    if (diff === undefined && baseFingerprints === undefined) {
      warn('cannot tell what the change introduced (no base revision in the clone and no pull request diff): every finding is reported');
    } else {
      const changes = diff !== undefined ? relativeChanges(parseUnifiedDiff(diff), prefix) : undefined;
      const s = scopeToChange(findings, { ...(changes ? { changes } : {}), ...(baseFingerprints ? { baseFingerprints } : {}) });
      findings = s.kept;
      note(`${plural(s.kept.length, 'new finding')}, ${plural(s.dropped.length, 'finding')} that the change did not introduce left out`);
    }
  }

  // Paths relative to the repository root from here on: GitHub places comments by them.
  const reportRoot = top ?? moduleRoot;
  findings = prefixPaths(findings, prefix).sort(compareFindings);
  const rules = [...allRuleMetas(overrides), ...golangciRuleMetas(findings, golangciMap)];

  // Local outputs first: they exist even when every network delivery fails.
  const readSource = (file: string): Buffer | undefined => {
    try {
      return readFileSync(join(reportRoot, file));
    } catch {
      return undefined;
    }
  };
  for (const o of outputs) {
    const text = render(o.name, findings, rules, {
      toolVersion: version(),
      source: (f) => readSource(f)?.toString('utf8'),
      tty: false,
      rootUri: pathToFileURL(reportRoot + '/').href,
    });
    try {
      writeFileAtomic(at(o.file), text, `the ${o.name} report`, o.file);
    } catch (e) {
      err((e as Error).message);
      return 2;
    }
  }
  process.stdout.write(redactor.redact(render('text', findings, rules, { toolVersion: version(), source: (f) => readSource(f)?.toString('utf8'), tty: false })));
  if (findings.length === 0) err(summaryLine(findings));

  const input: DeliveryInput = {
    ...deliveryBase,
    findings,
    rules: ruleMap(rules),
    readSource,
    ...(diff !== undefined ? { diff } : {}),
    ...(a.sarif !== undefined ? { sarifPath: at(a.sarif) } : {}),
    ...(baselined !== undefined ? { baselined } : {}),
    ...(fixed !== undefined ? { fixed } : {}),
    annotations: a.annotations ?? (gh?.pullRequest && commentMode !== 'off' ? 'fallback' : 'always'),
  };
  const writeLog = (s: string) => void process.stdout.write(redactor.redact(s));
  let report: DeliveryReport;
  if (a.phase === 'analyse') {
    try {
      const r = await deliverPhaseOne(gh!, input, at(a.artifact!), { ...(client ? { client } : {}), logger, writeLog });
      err(`artifact: wrote ${r.artifactFiles.join(', ')} to ${a.artifact}; upload it for the workflow_run job (deferguard ci --phase post)`);
      report = r;
    } catch (e) {
      err(`the artifact could not be written: ${(e as Error).message}`);
      return 3;
    }
  } else {
    report = await deliver(ctx, input, { ...(client ? { client } : {}), logger, writeLog });
  }
  return finish(report, err, warn, head.internalError);
}

async function analyseBase(mb: string, top: string, prefix: string, cwd: string, settings: AnalysisSettings, warn: (m: string) => void): Promise<Set<string>> {
  const tree = await addWorktree(mb, top);
  try {
    // The same directory inside the base tree; the module root may not exist there yet.
    const relCwd = relative(top, realpathSync(cwd));
    const baseCwd = join(tree.dir, relCwd);
    const base = await analyseTree(baseCwd, settings, (m) => warn(m), 'merge base');
    const baseRel = relative(tree.dir, realpathSync(base.root)).split(sep).join('/');
    if (baseRel !== prefix) throw new Error(`the module root is ${baseRel || '.'} at the base but ${prefix || '.'} now`);
    return new Set(base.findings.map((f) => f.fingerprint).filter((x): x is string => !!x));
  } finally {
    await tree.remove();
  }
}

function ruleMap(rules: readonly RuleMeta[]): Map<string, RuleMeta> {
  return new Map(rules.map((r) => [r.id, r]));
}

function finish(report: DeliveryReport, err: (s: string) => void, warn: (s: string) => void, internal: boolean): number {
  const c = report.counts;
  const parts: string[] = [];
  if (report.review) parts.push(`review: ${report.review.created} created, ${report.review.updated} updated, ${report.review.deleted} removed`);
  if (report.summary) parts.push(`summary comment ${report.summary.action}`);
  if (report.labels.length > 0) parts.push(`labels ${report.labels.join(', ')}`);
  if (report.checkRun) parts.push(`check run ${report.checkRun.id}`);
  if (report.annotationsPrinted > 0) parts.push(`${plural(report.annotationsPrinted, 'annotation')}`);
  const sent = report.alerts.filter((x) => x.ok).length;
  if (report.alerts.length > 0) parts.push(`alerts ${sent}/${report.alerts.length} sent`);
  err(`${c.critical} critical, ${c.high} high, ${c.medium} medium, ${c.low} low; result ${report.failed ? 'fail' : 'pass'}${parts.length ? ` (${parts.join('; ')})` : ''}`);
  for (const e of report.errors) warn(e);
  if (report.failed) return 1;
  return internal ? 3 : 0;
}
