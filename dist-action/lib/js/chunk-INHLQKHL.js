import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);
import {
  BaselineError,
  FORMATS,
  FlagReader,
  UsageError,
  allRuleMetas,
  applyBaseline,
  computeFingerprints,
  formatNames,
  parseUnifiedDiff,
  readBaselineFile,
  render,
  resolveConfig,
  scopeToDiff,
  selectRules,
  splitLines,
  summaryLine
} from "./chunk-KWUW6WFM.js";
import {
  OutputError,
  checkWritable,
  writeFileAtomic
} from "./chunk-7L5MEL2Z.js";
import {
  Excluder,
  GlobError
} from "./chunk-FX5DOGEO.js";
import {
  ConfigError,
  DEFAULT_GOLANGCI_SEVERITIES,
  DEFAULT_ROUTING,
  GolangciError,
  dedupeAgainst,
  golangciRuleMetas,
  issuesToFindings,
  routeFindings,
  runGolangci
} from "./chunk-5QQ3GILN.js";
import {
  version
} from "./chunk-ZIPXODVD.js";
import {
  AnalysisCache,
  DriverError,
  analyze,
  countBySeverity,
  defaultCacheDir,
  filterByConfidence,
  parseFailOn
} from "./chunk-PVR3H62W.js";
import "./chunk-AZ45K3LI.js";
import {
  DIRECTIVE_RULE,
  INTERNAL_ERROR_RULE,
  diagnosticsToFindings
} from "./chunk-ZBIIT5WW.js";
import "./chunk-C3WIRZWW.js";
import "./chunk-BEBMU46B.js";
import {
  REGISTRY_URL,
  analyzers
} from "./chunk-BNGGAWJJ.js";
import {
  SEVERITIES,
  compareFindings,
  docUrl,
  isSeverity,
  severityRank
} from "./chunk-X2CHC4MP.js";
import "./chunk-YTCJ642O.js";
import "./chunk-BXUJ5AUT.js";

// src/cli/ci.ts
import { readFileSync as readFileSync3, realpathSync as realpathSync2 } from "node:fs";
import { isAbsolute, join as join3, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

// src/ci/http.ts
var realSleep = (ms) => new Promise((resolve2) => setTimeout(resolve2, Math.max(0, ms)));
var DEFAULT_RETRY = { retries: 3, baseDelayMs: 500, maxDelayMs: 8e3 };
function backoffDelay(policy, attempt) {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}
var ResponseTooLargeError = class extends Error {
  constructor(limit) {
    super(`response larger than ${limit} bytes`);
    this.limit = limit;
    this.name = "ResponseTooLargeError";
  }
  limit;
};
var TimeoutError = class extends Error {
  constructor(timeoutMs) {
    super(`no response within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
    this.name = "TimeoutError";
  }
  timeoutMs;
};
async function fetchOnce(fetchImpl, url, init, timeoutMs, maxBytes) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetchImpl(url, { ...init, signal: controller.signal, redirect: "manual" });
    const declared = Number(res.headers.get("content-length") ?? "");
    if (Number.isFinite(declared) && declared > maxBytes) {
      controller.abort();
      throw new ResponseTooLargeError(maxBytes);
    }
    const chunks = [];
    let total = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (; ; ) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          controller.abort();
          await reader.cancel().catch(() => {
          });
          throw new ResponseTooLargeError(maxBytes);
        }
        chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      }
    }
    return { status: res.status, headers: res.headers, body: Buffer.concat(chunks) };
  } catch (err) {
    if (controller.signal.aborted && !(err instanceof ResponseTooLargeError)) throw new TimeoutError(timeoutMs);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
function networkErrorReason(err) {
  if (err instanceof TimeoutError) return err.message;
  if (err instanceof Error) {
    const cause = err.cause;
    if (cause?.code) return `${err.message} (${cause.code})`;
    return err.message;
  }
  return String(err);
}

// src/ci/redact.ts
var REDACTED = "***";
var SECRET_PARAMS = /([?&](?:token|access_token|key|api_key|apikey|sig|signature|secret|code)=)[^&#\s]+/gi;
var URL_CREDENTIALS = /\b(https?:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi;
var TOKEN_SHAPES = /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,})\b/g;
var WEBHOOK_PATHS = /\b(https?:\/\/(?:hooks\.slack\.com|[a-z0-9.-]*discord(?:app)?\.com\/api\/webhooks))\/[^\s"'<>]+/gi;
var Redactor = class {
  secrets = /* @__PURE__ */ new Set();
  constructor(secrets = []) {
    for (const s of secrets) this.add(s);
  }
  /** Registers a secret. Short strings are ignored: redacting "a" would destroy every message. */
  add(secret) {
    if (!secret || secret.length < 6) return;
    this.secrets.add(secret);
    const enc = encodeURIComponent(secret);
    if (enc !== secret) this.secrets.add(enc);
    this.secrets.add(Buffer.from(secret, "utf8").toString("base64"));
  }
  /** Registers a webhook URL: the whole URL, and its path (which carries the secret). */
  addUrl(url) {
    if (!url) return;
    this.add(url);
    try {
      const u = new URL(url);
      if (u.pathname.length > 1) this.add(u.pathname + u.search);
      if (u.password) this.add(u.password);
      if (u.username) this.add(u.username);
    } catch {
    }
  }
  redact(text2) {
    let out = text2;
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
    return out.replace(WEBHOOK_PATHS, `$1/${REDACTED}`).replace(URL_CREDENTIALS, `$1${REDACTED}@`).replace(SECRET_PARAMS, `$1${REDACTED}`).replace(TOKEN_SHAPES, REDACTED);
  }
  /** A URL safe to show: origin and path, secrets removed. */
  describeUrl(url) {
    return this.redact(url);
  }
};
function redactingLogger(inner, redactor) {
  return {
    info: (m) => inner.info(redactor.redact(m)),
    warn: (m) => inner.warn(redactor.redact(m)),
    debug: (m) => inner.debug(redactor.redact(m))
  };
}
var silentLogger = { info() {
}, warn() {
}, debug() {
} };
function stderrLogger(debug = process.env.DEFERGUARD_DEBUG !== void 0) {
  return {
    info: (m) => process.stderr.write(`deferguard: ${m}
`),
    warn: (m) => process.stderr.write(`deferguard: warning: ${m}
`),
    debug: (m) => {
      if (debug) process.stderr.write(`deferguard: debug: ${m}
`);
    }
  };
}

// src/ci/alerts.ts
var AlertConfigError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "AlertConfigError";
  }
};
function parseWebhookTargets(value, env = process.env, where = "ci.alerts") {
  if (value === void 0 || value === null) return [];
  if (!Array.isArray(value)) throw new AlertConfigError(`${where} must be a list of webhooks`);
  return value.map((v, i) => {
    const at = `${where}[${i}]`;
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new AlertConfigError(`${at} must be a map`);
    const o = v;
    const name = typeof o.name === "string" && o.name.trim() ? o.name.trim() : `webhook ${i + 1}`;
    let url;
    if (typeof o["url-env"] === "string") {
      url = env[o["url-env"]];
      if (!url) throw new AlertConfigError(`${at} (${name}): environment variable ${o["url-env"]} is not set`);
    } else if (typeof o.url === "string") url = o.url;
    else throw new AlertConfigError(`${at} (${name}): needs url or url-env`);
    try {
      const u = new URL(url);
      if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error();
    } catch {
      throw new AlertConfigError(`${at} (${name}): the webhook URL is not an http(s) URL`);
    }
    const format = o.format ?? "json";
    if (format !== "slack" && format !== "json") throw new AlertConfigError(`${at} (${name}): format must be slack or json`);
    let severities;
    if (Array.isArray(o.severities)) {
      severities = o.severities.map((s) => {
        if (typeof s !== "string" || !isSeverity(s)) throw new AlertConfigError(`${at} (${name}): unknown severity ${JSON.stringify(s)}`);
        return s;
      });
    } else if (typeof o["min-severity"] === "string") {
      const min = o["min-severity"];
      if (!isSeverity(min)) throw new AlertConfigError(`${at} (${name}): unknown min-severity ${JSON.stringify(min)}`);
      severities = SEVERITIES.filter((s) => severityRank(s) >= severityRank(min));
    } else severities = ["critical"];
    return { name, url, format, severities };
  });
}
var SLACK_MAX_LISTED = 20;
function escapeSlack(text2) {
  return text2.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
function title(findings, ctx) {
  const where = ctx.repository ? `${ctx.repository}${ctx.pullRequest ? ` #${ctx.pullRequest}` : ""}` : "this change";
  const worst = SEVERITIES.find((s) => findings.some((f) => f.severity === s)) ?? "low";
  return `deferguard: ${plural(findings.length, `${worst === "critical" ? "critical " : ""}finding`)} in ${where}`;
}
function slackPayload(findings, ctx) {
  const sorted = [...findings].sort(compareFindings);
  const text2 = escapeSlack(title(sorted, ctx));
  const lines = sorted.slice(0, SLACK_MAX_LISTED).map((f) => {
    const loc = `${f.file}:${f.line}`;
    const locText = ctx.fileUrl ? `<${ctx.fileUrl(f.file, f.line).replace(/[<>|]/g, encodeURIComponent)}|${escapeSlack(loc)}>` : escapeSlack(loc);
    return `• *${f.severity}* \`${escapeSlack(f.rule)}\` ${locText}: ${escapeSlack(f.message.replace(/\s+/g, " "))}`;
  });
  if (sorted.length > SLACK_MAX_LISTED) lines.push(`… and ${sorted.length - SLACK_MAX_LISTED} more`);
  const sections = [];
  let cur = "";
  for (const l of lines) {
    const clipped = l.length > 2900 ? l.slice(0, 2900) + "…" : l;
    if (cur && cur.length + clipped.length + 1 > 2900) {
      sections.push(cur);
      cur = "";
    }
    cur = cur ? `${cur}
${clipped}` : clipped;
  }
  if (cur) sections.push(cur);
  const blocks = [{ type: "header", text: { type: "plain_text", text: title(sorted, ctx).slice(0, 150) } }];
  for (const s of sections) blocks.push({ type: "section", text: { type: "mrkdwn", text: s } });
  const links = [];
  if (ctx.pullRequestUrl) links.push(`<${ctx.pullRequestUrl}|Pull request>`);
  if (ctx.runUrl) links.push(`<${ctx.runUrl}|Workflow run>`);
  if (ctx.sha) links.push(`commit \`${escapeSlack(ctx.sha.slice(0, 12))}\``);
  if (links.length) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: links.join(" · ") }] });
  return { text: text2, blocks };
}
function jsonPayload(findings, ctx) {
  const sorted = [...findings].sort(compareFindings);
  return {
    source: "deferguard",
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
      ...f.fingerprint ? { fingerprint: f.fingerprint } : {}
    }))
  };
}
var ALERT_RETRY = { retries: 3, baseDelayMs: 1e3, maxDelayMs: 1e4 };
async function postWebhook(target, payload, opts = {}) {
  const redactor = opts.redactor ?? new Redactor();
  redactor.addUrl(target.url);
  const log = redactingLogger(opts.logger ?? silentLogger, redactor);
  const retry = opts.retry ?? ALERT_RETRY;
  const sleep = opts.sleep ?? realSleep;
  const body = JSON.stringify(payload);
  let lastError = "";
  for (let attempt = 1; ; attempt++) {
    let wait;
    try {
      const res = await fetchOnce(
        opts.fetch ?? fetch,
        target.url,
        { method: "POST", headers: { "Content-Type": "application/json; charset=utf-8", "User-Agent": "deferguard" }, body },
        opts.timeoutMs ?? 15e3,
        64 * 1024
      );
      if (res.status >= 200 && res.status < 300) return { ok: true, attempts: attempt };
      lastError = `HTTP ${res.status}${res.body.length ? `: ${res.body.toString("utf8").replace(/\s+/g, " ").slice(0, 200)}` : ""}`;
      if (res.status === 429) {
        const header = res.headers.get("retry-after");
        const ra = header === null || header.trim() === "" ? NaN : Number(header);
        wait = Math.min(retry.maxDelayMs, Number.isFinite(ra) && ra >= 0 ? ra * 1e3 : backoffDelay(retry, attempt));
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
async function sendAlerts(findings, targets, ctx, opts = {}) {
  const results = [];
  const redactor = opts.redactor ?? new Redactor();
  for (const t of targets) redactor.addUrl(t.url);
  const log = redactingLogger(opts.logger ?? silentLogger, redactor);
  for (const t of targets) {
    const chosen = findings.filter((f) => t.severities.includes(f.severity));
    if (chosen.length === 0) continue;
    const payload = t.format === "slack" ? slackPayload(chosen, ctx) : jsonPayload(chosen, ctx);
    const r = await postWebhook(t, payload, { ...opts, redactor });
    if (r.ok) log.info(`alert sent to ${t.name}: ${plural(chosen.length, "finding")}`);
    else log.warn(`alert to ${t.name} failed: ${r.error}`);
    results.push({ name: t.name, sent: chosen.length, ok: r.ok, attempts: r.attempts, ...r.error ? { error: r.error } : {} });
  }
  return results;
}

// src/ci/artifact.ts
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// src/ci/github.ts
var GITHUB_API_VERSION = "2022-11-28";
var GitHubApiError = class extends Error {
  constructor(message, kind, status, method, endpoint, apiMessage) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.method = method;
    this.endpoint = endpoint;
    this.apiMessage = apiMessage;
    this.name = "GitHubApiError";
  }
  kind;
  status;
  method;
  endpoint;
  apiMessage;
  /** The token may not write here (fork pull requests, read-only permissions). */
  get writeDenied() {
    return this.kind === "permission";
  }
};
function isWriteDenied(err) {
  return err instanceof GitHubApiError && err.writeDenied;
}
function parseRepo(fullName) {
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec(fullName.trim());
  if (!m || m[2] === "." || m[2] === "..") throw new Error(`not a GitHub repository name (owner/name): ${JSON.stringify(fullName)}`);
  return { owner: m[1], repo: m[2] };
}
var ANNOTATIONS_PER_CALL = 50;
var DIFF_MEDIA_TYPE = "application/vnd.github.v3.diff";
var GitHubClient = class {
  apiUrl;
  apiOrigin;
  token;
  userAgent;
  fetchImpl;
  sleep;
  now;
  timeoutMs;
  retry;
  maxRateLimitWaitMs;
  maxRateLimitRetries;
  maxResponseBytes;
  maxPages;
  redactor;
  log;
  constructor(opts) {
    if (!opts.token) throw new Error("a GitHub token is required (GITHUB_TOKEN or the github-token input)");
    const api = (opts.apiUrl ?? "https://api.github.com").replace(/\/+$/, "");
    let origin;
    try {
      const u = new URL(api);
      if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error("bad protocol");
      origin = u.origin;
    } catch {
      throw new Error(`GitHub API URL is not an http(s) URL: ${JSON.stringify(api)}`);
    }
    this.apiUrl = api;
    this.apiOrigin = origin;
    this.token = opts.token;
    this.userAgent = opts.userAgent ?? "deferguard";
    this.fetchImpl = opts.fetch ?? fetch;
    this.sleep = opts.sleep ?? realSleep;
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? 3e4;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.maxRateLimitWaitMs = opts.maxRateLimitWaitMs ?? 6e4;
    this.maxRateLimitRetries = opts.maxRateLimitRetries ?? 3;
    this.maxResponseBytes = opts.maxResponseBytes ?? 20 * 1024 * 1024;
    this.maxPages = opts.maxPages ?? 100;
    this.redactor = opts.redactor ?? new Redactor();
    this.redactor.add(this.token);
    this.log = redactingLogger(opts.logger ?? silentLogger, this.redactor);
  }
  // ---- core ----
  url(path, query) {
    const u = new URL(path.startsWith("http") ? path : this.apiUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== void 0) u.searchParams.set(k, String(v));
    return u.toString();
  }
  /** Endpoint as shown in messages: method-relative path, no origin, no secrets. */
  describe(url) {
    const u = new URL(url);
    const base = new URL(this.apiUrl).pathname.replace(/\/+$/, "");
    const p = u.pathname.startsWith(base) ? u.pathname.slice(base.length) : u.pathname;
    return this.redactor.redact(p + u.search);
  }
  fail(kind, status, method, url, detail, apiMessage) {
    const endpoint = this.describe(url);
    const msg = this.redactor.redact(`GitHub API ${method} ${endpoint}: ${detail}`);
    return new GitHubApiError(msg, kind, status, method, endpoint, apiMessage && this.redactor.redact(apiMessage));
  }
  async request(method, path, opts = {}) {
    return this.requestUrl(method, this.url(path, opts.query), opts);
  }
  async requestUrl(method, url, opts) {
    if (new URL(url).origin !== this.apiOrigin) {
      throw this.fail("other", void 0, method, url, `refusing to send credentials to another host`);
    }
    const headers = {
      Accept: opts.accept ?? "application/vnd.github+json",
      Authorization: `Bearer ${this.token}`,
      "User-Agent": this.userAgent,
      "X-GitHub-Api-Version": GITHUB_API_VERSION
    };
    let body;
    if (opts.body !== void 0) {
      body = JSON.stringify(opts.body);
      headers["Content-Type"] = "application/json; charset=utf-8";
    }
    let errorRetries = 0;
    let rateRetries = 0;
    for (; ; ) {
      let res;
      try {
        this.log.debug(`${method} ${this.describe(url)}`);
        res = await fetchOnce(this.fetchImpl, url, { method, headers, body }, this.timeoutMs, this.maxResponseBytes);
      } catch (err) {
        if (err instanceof ResponseTooLargeError) {
          throw this.fail("too-large", void 0, method, url, `response larger than ${this.maxResponseBytes} bytes`);
        }
        const reason = networkErrorReason(err);
        if (errorRetries < this.retry.retries) {
          errorRetries++;
          const wait = backoffDelay(this.retry, errorRetries);
          this.log.warn(`${method} ${this.describe(url)} failed (${reason}); retry ${errorRetries}/${this.retry.retries} in ${wait} ms`);
          await this.sleep(wait);
          continue;
        }
        throw this.fail("network", void 0, method, url, `${reason} (after ${errorRetries + 1} attempts)`);
      }
      const text2 = res.body.toString("utf8");
      const status = res.status;
      if (status >= 200 && status < 300) {
        let data = void 0;
        const type = res.headers.get("content-type") ?? "";
        if (text2.length > 0 && type.includes("json")) {
          try {
            data = JSON.parse(text2);
          } catch {
            throw this.fail("other", status, method, url, "response is not valid JSON");
          }
        } else {
          data = text2;
        }
        return { status, headers: res.headers, data, text: text2 };
      }
      const apiMessage = apiErrorMessage(text2);
      const rate = this.rateLimitWait(status, res.headers, apiMessage);
      if (rate !== void 0) {
        if (rate > this.maxRateLimitWaitMs) {
          throw this.fail("rate-limit", status, method, url, `rate limited; the limit resets in ${Math.ceil(rate / 1e3)} s, longer than the ${Math.ceil(this.maxRateLimitWaitMs / 1e3)} s deferguard waits`, apiMessage);
        }
        if (rateRetries >= this.maxRateLimitRetries) {
          throw this.fail("rate-limit", status, method, url, `still rate limited after ${rateRetries} waits`, apiMessage);
        }
        rateRetries++;
        this.log.warn(`${method} ${this.describe(url)} rate limited (${status}); waiting ${rate} ms`);
        await this.sleep(rate);
        continue;
      }
      if (status >= 500 && errorRetries < this.retry.retries) {
        errorRetries++;
        const wait = backoffDelay(this.retry, errorRetries);
        this.log.warn(`${method} ${this.describe(url)} returned ${status}; retry ${errorRetries}/${this.retry.retries} in ${wait} ms`);
        await this.sleep(wait);
        continue;
      }
      throw this.fail(errorKind(status, apiMessage), status, method, url, `${status}${apiMessage ? ` ${apiMessage}` : ""}`, apiMessage);
    }
  }
  /** Milliseconds to wait when the response is a rate limit, else undefined. */
  rateLimitWait(status, headers, apiMessage) {
    if (status !== 429 && status !== 403) return void 0;
    const retryAfter = headers.get("retry-after");
    const remaining = headers.get("x-ratelimit-remaining");
    const reset = headers.get("x-ratelimit-reset");
    const secondary = apiMessage !== void 0 && /rate limit/i.test(apiMessage);
    if (status === 403 && retryAfter === null && remaining !== "0" && !secondary) return void 0;
    if (retryAfter !== null) {
      const secs = Number(retryAfter);
      if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs * 1e3);
      const date = Date.parse(retryAfter);
      if (Number.isFinite(date)) return Math.max(0, date - this.now());
    }
    if (remaining === "0" && reset !== null && Number.isFinite(Number(reset))) {
      return Math.max(0, Number(reset) * 1e3 - this.now()) + 1e3;
    }
    return status === 429 || secondary ? 6e4 : void 0;
  }
  /** Every item of a paginated listing, following `Link: <...>; rel="next"` on the API host only. */
  async paginate(path, query = {}) {
    const items = [];
    let url = this.url(path, { per_page: 100, ...query });
    for (let page = 0; url !== void 0; page++) {
      if (page >= this.maxPages) {
        this.log.warn(`stopped listing ${this.describe(url)} after ${this.maxPages} pages`);
        break;
      }
      const res = await this.requestUrl("GET", url, {});
      if (!Array.isArray(res.data)) throw this.fail("other", res.status, "GET", url, "expected a JSON array");
      items.push(...res.data);
      url = nextLink(res.headers.get("link"));
    }
    return items;
  }
  // ---- pull requests ----
  repoPath(repo) {
    const r = parseRepo(repo);
    return `/repos/${encodeURIComponent(r.owner)}/${encodeURIComponent(r.repo)}`;
  }
  async getPull(repo, pr) {
    return (await this.request("GET", `${this.repoPath(repo)}/pulls/${num(pr)}`)).data;
  }
  /**
   * The pull request's unified diff. When GitHub refuses the diff media type (406 or 422:
   * too many files or lines), the diff is rebuilt from the paginated files endpoint.
   */
  async getPullDiff(repo, pr) {
    try {
      const res = await this.request("GET", `${this.repoPath(repo)}/pulls/${num(pr)}`, { accept: DIFF_MEDIA_TYPE });
      return { diff: res.text, source: "diff", filesWithoutPatch: [] };
    } catch (err) {
      if (!(err instanceof GitHubApiError) || err.status !== 406 && err.status !== 422) throw err;
      this.log.info(`the pull request diff is too large for the diff API (${err.status}); reading the files list instead`);
    }
    const files = await this.listPullFiles(repo, pr);
    const parts = [];
    const missing = [];
    for (const f of files) {
      if (f.patch === void 0) {
        if (f.status !== "removed") missing.push(f.filename);
        continue;
      }
      const from = f.status === "added" ? "/dev/null" : `a/${f.previous_filename ?? f.filename}`;
      const to = f.status === "removed" ? "/dev/null" : `b/${f.filename}`;
      parts.push(`diff --git a/${f.previous_filename ?? f.filename} b/${f.filename}
--- ${from}
+++ ${to}
${f.patch.endsWith("\n") ? f.patch : f.patch + "\n"}`);
    }
    return { diff: parts.join(""), source: "files", filesWithoutPatch: missing.sort() };
  }
  listPullFiles(repo, pr) {
    return this.paginate(`${this.repoPath(repo)}/pulls/${num(pr)}/files`);
  }
  listReviewComments(repo, pr) {
    return this.paginate(`${this.repoPath(repo)}/pulls/${num(pr)}/comments`);
  }
  async createReviewComment(repo, pr, commitId, c) {
    return (await this.request("POST", `${this.repoPath(repo)}/pulls/${num(pr)}/comments`, { body: { ...c, commit_id: commitId } })).data;
  }
  async updateReviewComment(repo, id, body) {
    return (await this.request("PATCH", `${this.repoPath(repo)}/pulls/comments/${num(id)}`, { body: { body } })).data;
  }
  async deleteReviewComment(repo, id) {
    await this.request("DELETE", `${this.repoPath(repo)}/pulls/comments/${num(id)}`);
  }
  async createReview(repo, pr, review) {
    const res = await this.request("POST", `${this.repoPath(repo)}/pulls/${num(pr)}/reviews`, {
      body: { commit_id: review.commitId, body: review.body, event: review.event, comments: review.comments }
    });
    return res.data;
  }
  // ---- issues ----
  listIssueComments(repo, issue) {
    return this.paginate(`${this.repoPath(repo)}/issues/${num(issue)}/comments`);
  }
  async createIssueComment(repo, issue, body) {
    return (await this.request("POST", `${this.repoPath(repo)}/issues/${num(issue)}/comments`, { body: { body } })).data;
  }
  async updateIssueComment(repo, id, body) {
    return (await this.request("PATCH", `${this.repoPath(repo)}/issues/comments/${num(id)}`, { body: { body } })).data;
  }
  async addLabels(repo, issue, labels) {
    if (labels.length === 0) return;
    await this.request("POST", `${this.repoPath(repo)}/issues/${num(issue)}/labels`, { body: { labels } });
  }
  // ---- check runs ----
  /**
   * Creates a completed check run. GitHub takes at most 50 annotations per call: the first
   * 50 go with the create call, the rest with one update call per 50.
   */
  async createCheckRun(repo, input) {
    const batches = [];
    for (let i = 0; i < input.annotations.length; i += ANNOTATIONS_PER_CALL) batches.push(input.annotations.slice(i, i + ANNOTATIONS_PER_CALL));
    const output = (annotations) => ({
      title: input.title,
      summary: truncateUtf16(input.summary, 65535),
      ...input.text !== void 0 ? { text: truncateUtf16(input.text, 65535) } : {},
      annotations
    });
    const created = await this.request("POST", `${this.repoPath(repo)}/check-runs`, {
      body: {
        name: input.name,
        head_sha: input.headSha,
        status: "completed",
        conclusion: input.conclusion,
        ...input.detailsUrl ? { details_url: input.detailsUrl } : {},
        output: output(batches[0] ?? [])
      }
    });
    const id = created.data.id;
    for (const batch of batches.slice(1)) {
      await this.request("PATCH", `${this.repoPath(repo)}/check-runs/${num(id)}`, { body: { output: output(batch) } });
    }
    return { id, calls: Math.max(1, batches.length) };
  }
};
function num(n) {
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`not a valid GitHub id or number: ${n}`);
  return String(n);
}
function apiErrorMessage(text2) {
  if (!text2) return void 0;
  try {
    const j = JSON.parse(text2);
    if (typeof j.message === "string") {
      let msg = j.message;
      if (Array.isArray(j.errors) && j.errors.length > 0) {
        const details = j.errors.map((e) => typeof e === "string" ? e : typeof e.message === "string" ? e.message : e.code).filter((s) => typeof s === "string" && s.length > 0);
        if (details.length) msg += ` (${details.join("; ")})`;
      }
      return msg.slice(0, 500);
    }
  } catch {
  }
  return text2.replace(/\s+/g, " ").trim().slice(0, 200) || void 0;
}
function errorKind(status, apiMessage) {
  if (status === 403 && apiMessage && /not accessible by|must have (?:admin|push|write)/i.test(apiMessage)) return "permission";
  if (status === 401 || status === 403) return "permission";
  if (status === 404) return "not-found";
  if (status === 422) return "validation";
  if (status >= 500) return "server";
  return "other";
}
function nextLink(header) {
  if (!header) return void 0;
  for (const part of header.split(",")) {
    const m = /^\s*<([^>]+)>(.*)$/.exec(part);
    if (!m) continue;
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2]);
    if (rel && rel[1].trim().split(/\s+/).includes("next")) return m[1];
  }
  return void 0;
}
function truncateUtf16(s, max) {
  return s.length <= max ? s : s.slice(0, max - 20) + "\n\n… (truncated)";
}

// src/ci/artifact.ts
var ARTIFACT_VERSION = 1;
var ARTIFACT_FILE = "deferguard-ci.json";
var ARTIFACT_DIFF = "pr.diff";
var MAX_JSON_BYTES = 50 * 1024 * 1024;
var MAX_DIFF_BYTES = 50 * 1024 * 1024;
var MAX_FINDINGS = 5e4;
var MAX_SOURCE_BYTES = 1024 * 1024;
var MAX_SOURCES_TOTAL = 8 * 1024 * 1024;
var ArtifactError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "ArtifactError";
  }
};
function writeArtifact(dir, a, readSource) {
  const sources = {};
  let total = 0;
  const files = [...new Set(a.findings.filter((f) => f.fixes && f.fixes.length > 0).map((f) => f.file))].sort();
  for (const file of files) {
    const bytes = readSource?.(file);
    if (!bytes || bytes.length > MAX_SOURCE_BYTES || total + bytes.length > MAX_SOURCES_TOTAL) continue;
    sources[file] = Buffer.from(bytes).toString("utf8");
    total += bytes.length;
  }
  mkdirSync(dir, { recursive: true });
  const { diff, ...rest } = a;
  const json = { version: ARTIFACT_VERSION, ...rest, sources };
  writeFileSync(join(dir, ARTIFACT_FILE), JSON.stringify(json, null, 1) + "\n");
  writeFileSync(join(dir, ARTIFACT_DIFF), diff);
  return [ARTIFACT_FILE, ARTIFACT_DIFF];
}
var SHA = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;
var RULE = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,99}$/;
function relPath(v, where) {
  if (typeof v !== "string" || v === "" || v.length > 1e3 || v.startsWith("/") || /^[A-Za-z]:/.test(v) || v.includes("\\") || v.includes("\0") || v.split("/").some((s) => s === ".." || s === "")) {
    throw new ArtifactError(`${where}: not a relative path: ${JSON.stringify(v)?.slice(0, 200)}`);
  }
  return v;
}
function posInt(v, where, zeroOk = false) {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < (zeroOk ? 0 : 1)) throw new ArtifactError(`${where}: expected a ${zeroOk ? "non-negative" : "positive"} integer, got ${JSON.stringify(v)}`);
  return v;
}
function text(v, where, max = 1e4) {
  if (typeof v !== "string" || v.length > max) throw new ArtifactError(`${where}: expected a string of at most ${max} characters`);
  return v;
}
function span(o, where, extra) {
  const line = posInt(o.line, `${where}.line`);
  const column = posInt(o.column, `${where}.column`);
  const endLine = o.endLine === void 0 ? line : posInt(o.endLine, `${where}.endLine`);
  const endColumn = o.endColumn === void 0 ? column : posInt(o.endColumn, `${where}.endColumn`);
  const s = { ...extra, file: relPath(o.file, `${where}.file`), line, column, endLine, endColumn, message: "" };
  if (o.column16 !== void 0) s.column16 = posInt(o.column16, `${where}.column16`);
  if (o.endColumn16 !== void 0) s.endColumn16 = posInt(o.endColumn16, `${where}.endColumn16`);
  return s;
}
function obj(v, where) {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new ArtifactError(`${where}: expected an object`);
  return v;
}
function finding(v, where) {
  const o = obj(v, where);
  const rule = text(o.rule, `${where}.rule`, 100);
  if (!RULE.test(rule)) throw new ArtifactError(`${where}.rule: invalid rule id ${JSON.stringify(rule)}`);
  if (typeof o.severity !== "string" || !isSeverity(o.severity)) throw new ArtifactError(`${where}.severity: invalid severity`);
  const confidence = o.confidence === void 0 ? "high" : o.confidence;
  if (confidence !== "high" && confidence !== "medium" && confidence !== "low") throw new ArtifactError(`${where}.confidence: invalid confidence`);
  const s = span(o, where, {});
  const related = o.related === void 0 ? [] : o.related;
  if (!Array.isArray(related) || related.length > 100) throw new ArtifactError(`${where}.related: expected a list of at most 100 locations`);
  const f = {
    ...s,
    rule,
    severity: o.severity,
    confidence,
    message: text(o.message, `${where}.message`),
    related: related.map((r, i) => {
      const ro = obj(r, `${where}.related[${i}]`);
      return { ...span(ro, `${where}.related[${i}]`, {}), message: text(ro.message, `${where}.related[${i}].message`) };
    })
  };
  if (o.fingerprint !== void 0) f.fingerprint = text(o.fingerprint, `${where}.fingerprint`, 200);
  if (o.fixes !== void 0) {
    if (!Array.isArray(o.fixes) || o.fixes.length > 10) throw new ArtifactError(`${where}.fixes: expected a list of at most 10 fixes`);
    f.fixes = o.fixes.map((x, i) => {
      const fo = obj(x, `${where}.fixes[${i}]`);
      if (!Array.isArray(fo.edits) || fo.edits.length > 100) throw new ArtifactError(`${where}.fixes[${i}].edits: expected a list of at most 100 edits`);
      return {
        message: text(fo.message, `${where}.fixes[${i}].message`),
        edits: fo.edits.map((e, j) => {
          const eo = obj(e, `${where}.fixes[${i}].edits[${j}]`);
          const at = `${where}.fixes[${i}].edits[${j}]`;
          const offset = posInt(eo.offset, `${at}.offset`, true);
          const endOffset = posInt(eo.endOffset, `${at}.endOffset`, true);
          if (endOffset < offset) throw new ArtifactError(`${at}: endOffset before offset`);
          return { file: relPath(eo.file, `${at}.file`), offset, endOffset, newText: text(eo.newText, `${at}.newText`, 1e5) };
        })
      };
    });
  }
  return f;
}
function readCapped(path, max) {
  let size;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new ArtifactError(`cannot read ${path}: ${err.code ?? err.message}`);
  }
  if (size > max) throw new ArtifactError(`${path} is ${size} bytes, more than the ${max} allowed`);
  return readFileSync(path, "utf8");
}
function readArtifact(dir) {
  const file = join(dir, ARTIFACT_FILE);
  let raw;
  try {
    raw = JSON.parse(readCapped(file, MAX_JSON_BYTES));
  } catch (err) {
    if (err instanceof ArtifactError) throw err;
    throw new ArtifactError(`${file} is not valid JSON: ${err.message}`);
  }
  const o = obj(raw, ARTIFACT_FILE);
  if (o.version !== ARTIFACT_VERSION) throw new ArtifactError(`${ARTIFACT_FILE}: unsupported version ${JSON.stringify(o.version)} (this deferguard reads version ${ARTIFACT_VERSION})`);
  const repository = text(o.repository, `${ARTIFACT_FILE}.repository`, 200);
  try {
    parseRepo(repository);
  } catch {
    throw new ArtifactError(`${ARTIFACT_FILE}.repository: not owner/name`);
  }
  const headSha2 = text(o.headSha, `${ARTIFACT_FILE}.headSha`, 64);
  const baseSha = text(o.baseSha, `${ARTIFACT_FILE}.baseSha`, 64);
  if (!SHA.test(headSha2) || !SHA.test(baseSha)) throw new ArtifactError(`${ARTIFACT_FILE}: headSha and baseSha must be full commit hashes`);
  if (!Array.isArray(o.findings) || o.findings.length > MAX_FINDINGS) throw new ArtifactError(`${ARTIFACT_FILE}.findings: expected a list of at most ${MAX_FINDINGS} findings`);
  const sources = {};
  if (o.sources !== void 0) {
    let total = 0;
    for (const [k, v] of Object.entries(obj(o.sources, `${ARTIFACT_FILE}.sources`))) {
      const t = text(v, `${ARTIFACT_FILE}.sources[${JSON.stringify(k)}]`, MAX_SOURCE_BYTES);
      total += t.length;
      if (total > MAX_SOURCES_TOTAL) throw new ArtifactError(`${ARTIFACT_FILE}.sources: more than ${MAX_SOURCES_TOTAL} bytes`);
      sources[relPath(k, `${ARTIFACT_FILE}.sources key`)] = t;
    }
  }
  const a = {
    version: ARTIFACT_VERSION,
    repository,
    pullRequest: posInt(o.pullRequest, `${ARTIFACT_FILE}.pullRequest`),
    headSha: headSha2,
    baseSha,
    findings: o.findings.map((f, i) => finding(f, `${ARTIFACT_FILE}.findings[${i}]`)),
    diff: readCapped(join(dir, ARTIFACT_DIFF), MAX_DIFF_BYTES),
    sources
  };
  if (o.baselined !== void 0) a.baselined = posInt(o.baselined, `${ARTIFACT_FILE}.baselined`, true);
  if (o.fixed !== void 0) a.fixed = posInt(o.fixed, `${ARTIFACT_FILE}.fixed`, true);
  return a;
}
async function verifyArtifact(a, run2, repository, client) {
  if (a.repository.toLowerCase() !== repository.toLowerCase()) {
    throw new ArtifactError(`the artifact is for ${a.repository}, not ${repository}`);
  }
  if (a.headSha !== run2.headSha) {
    throw new ArtifactError(`the artifact was made for commit ${a.headSha.slice(0, 12)}, but the workflow run is for ${run2.headSha.slice(0, 12)}`);
  }
  if (run2.pullRequests.length > 0 && !run2.pullRequests.includes(a.pullRequest)) {
    throw new ArtifactError(`pull request #${a.pullRequest} is not among the workflow run's pull requests (${run2.pullRequests.map((n) => `#${n}`).join(", ")})`);
  }
  const pr = await client.getPull(repository, a.pullRequest);
  if (pr.head.sha !== a.headSha) {
    throw new ArtifactError(`pull request #${a.pullRequest} is now at ${pr.head.sha.slice(0, 12)}, not the analysed ${a.headSha.slice(0, 12)}; a newer run will post its results`);
  }
  if (pr.base.repo.full_name.toLowerCase() !== repository.toLowerCase()) {
    throw new ArtifactError(`pull request #${a.pullRequest} targets ${pr.base.repo.full_name}, not ${repository}`);
  }
}

// src/ci/annotations.ts
var COMMAND_LEVEL = { critical: "error", high: "error", medium: "warning", low: "notice" };
var CHECK_LEVEL = { critical: "failure", high: "failure", medium: "warning", low: "notice" };
function escapeCommandData(s) {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
function escapeCommandProperty(s) {
  return escapeCommandData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
function workflowCommand(f) {
  const props = [
    ["file", f.file],
    ["line", f.line]
  ];
  if (f.endLine > f.line) props.push(["endLine", f.endLine]);
  else {
    props.push(["col", f.column16 ?? f.column]);
    if (f.endLine === f.line && (f.endColumn16 ?? f.endColumn) > (f.column16 ?? f.column)) props.push(["endColumn", f.endColumn16 ?? f.endColumn]);
  }
  props.push(["title", `deferguard ${f.rule} (${f.severity})`]);
  const p = props.map(([k, v]) => `${k}=${escapeCommandProperty(String(v))}`).join(",");
  return `::${COMMAND_LEVEL[f.severity]} ${p}::${escapeCommandData(f.message)}`;
}
function workflowCommands(findings) {
  return [...findings].sort(compareFindings).map((f) => workflowCommand(f) + "\n").join("");
}
function visibleControls(s) {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
function checkAnnotations(findings) {
  return [...findings].sort(compareFindings).map((f) => {
    const a = {
      path: f.file,
      start_line: f.line,
      end_line: Math.max(f.line, f.endLine),
      annotation_level: CHECK_LEVEL[f.severity],
      message: visibleControls(f.message).slice(0, 64 * 1024),
      title: `${f.rule} (${f.severity})`
    };
    if (f.endLine <= f.line) {
      a.start_column = f.column16 ?? f.column;
      a.end_column = Math.max(a.start_column, f.endColumn16 ?? f.endColumn);
    }
    if (f.related.length > 0) a.raw_details = f.related.map((r) => visibleControls(`${r.file}:${r.line}: ${r.message}`)).join("\n").slice(0, 64 * 1024);
    return a;
  });
}

// src/ci/diff.ts
function unquote(p) {
  if (p.startsWith('"') && p.endsWith('"')) {
    const bytes = [];
    const s = p.slice(1, -1);
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c !== "\\") {
        bytes.push(...Buffer.from(c, "utf8"));
        continue;
      }
      const n = s[++i];
      if (/[0-7]/.test(n)) {
        bytes.push(parseInt(s.slice(i, i + 3), 8));
        i += 2;
      } else bytes.push({ n: 10, t: 9, r: 13, '"': 34, "\\": 92, a: 7, b: 8, f: 12, v: 11 }[n] ?? n.charCodeAt(0));
    }
    return Buffer.from(bytes).toString("utf8");
  }
  return p;
}
function stripPrefix(p) {
  const u = unquote(p.split("	")[0].trimEnd());
  if (u === "/dev/null") return void 0;
  return u.replace(/^[ab]\//, "");
}
function parseDiffHunks(diff) {
  const files = /* @__PURE__ */ new Map();
  let current;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  let hunk = -1;
  const lines = diff.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (oldLeft > 0 || newLeft > 0) {
      const c = line[0];
      if (c === "+" && newLeft > 0) {
        current?.added.add(newLine);
        current?.hunkOf.set(newLine, hunk);
        newLine++;
        newLeft--;
        continue;
      }
      if (c === "-" && oldLeft > 0) {
        oldLeft--;
        continue;
      }
      if ((c === " " || line === "") && newLeft > 0 && oldLeft > 0) {
        current?.hunkOf.set(newLine, hunk);
        newLine++;
        newLeft--;
        oldLeft--;
        continue;
      }
      if (c === "\\") continue;
      oldLeft = newLeft = 0;
    }
    if (line.startsWith("+++ ")) {
      const p = stripPrefix(line.slice(4));
      if (p === void 0) {
        current = void 0;
      } else {
        current = files.get(p) ?? { path: p, added: /* @__PURE__ */ new Set(), hunkOf: /* @__PURE__ */ new Map() };
        files.set(p, current);
      }
      continue;
    }
    const h = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (h) {
      oldLeft = h[2] === void 0 ? 1 : Number(h[2]);
      newLine = Number(h[3]);
      newLeft = h[4] === void 0 ? 1 : Number(h[4]);
      hunk++;
    }
  }
  return files;
}
function inOneHunk(file, start, end) {
  if (!file) return false;
  const h = file.hunkOf.get(start);
  if (h === void 0) return false;
  for (let l = start + 1; l <= end; l++) if (file.hunkOf.get(l) !== h) return false;
  return true;
}

// src/ci/env.ts
import { readFileSync as readFileSync2 } from "node:fs";
var CiEnvError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "CiEnvError";
  }
};
var SHA2 = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;
function truthy(v) {
  return v !== void 0 && v !== "" && v !== "0" && v.toLowerCase() !== "false";
}
function actionInput(env, name) {
  const v = env[`INPUT_${name.toUpperCase()}`];
  return v !== void 0 && v.trim() !== "" ? v.trim() : void 0;
}
function readCiEnv(env = process.env, opts = {}) {
  if (env.GITHUB_ACTIONS !== "true") {
    return {
      provider: "generic",
      ci: truthy(env.CI),
      sha: env.CI_COMMIT_SHA ?? env.GIT_COMMIT ?? env.BUILD_SOURCEVERSION ?? void 0,
      ref: env.CI_COMMIT_REF_NAME ?? env.GIT_BRANCH ?? void 0
    };
  }
  const readFile = opts.readFile ?? ((p) => readFileSync2(p, "utf8"));
  const repository = env.GITHUB_REPOSITORY ?? "";
  if (!repository) throw new CiEnvError("GITHUB_REPOSITORY is not set; is this running inside a GitHub Actions job?");
  try {
    parseRepo(repository);
  } catch {
    throw new CiEnvError(`GITHUB_REPOSITORY is not owner/name: ${JSON.stringify(repository)}`);
  }
  const eventName = env.GITHUB_EVENT_NAME ?? "";
  let payload = {};
  const eventPath = env.GITHUB_EVENT_PATH;
  if (eventPath) {
    let text2;
    try {
      text2 = readFile(eventPath);
    } catch (err) {
      throw new CiEnvError(`cannot read the event payload GITHUB_EVENT_PATH=${eventPath}: ${err.message}`);
    }
    try {
      const parsed = JSON.parse(text2);
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not a JSON object");
      payload = parsed;
    } catch (err) {
      throw new CiEnvError(`the event payload ${eventPath} is not valid JSON: ${err.message}`);
    }
  }
  const serverUrl = (env.GITHUB_SERVER_URL ?? "https://github.com").replace(/\/+$/, "");
  const runId = env.GITHUB_RUN_ID || void 0;
  const token = opts.token || actionInput(env, "github-token") || actionInput(env, "token") || env.GITHUB_TOKEN || void 0;
  const ctx = {
    provider: "github",
    eventName,
    repository,
    sha: env.GITHUB_SHA ?? "",
    ref: env.GITHUB_REF || void 0,
    apiUrl: (env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, ""),
    serverUrl,
    token,
    runId,
    runUrl: runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : void 0,
    stepSummaryPath: env.GITHUB_STEP_SUMMARY || void 0,
    outputPath: env.GITHUB_OUTPUT || void 0,
    workspace: env.GITHUB_WORKSPACE || void 0,
    pullRequest: void 0,
    workflowRun: void 0,
    beforeSha: void 0
  };
  if (eventName === "pull_request" || eventName === "pull_request_target" || eventName === "pull_request_review") {
    ctx.pullRequest = readPullRequest(payload.pull_request, eventPath ?? "(no GITHUB_EVENT_PATH)", repository);
  } else if (eventName === "push") {
    const before = typeof payload.before === "string" ? payload.before : void 0;
    ctx.beforeSha = before && SHA2.test(before) && !/^0+$/.test(before) ? before : void 0;
  } else if (eventName === "workflow_run") {
    ctx.workflowRun = readWorkflowRun(payload.workflow_run, eventPath ?? "(no GITHUB_EVENT_PATH)");
  }
  return ctx;
}
function obj2(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? v : void 0;
}
function str(v) {
  return typeof v === "string" ? v : void 0;
}
function readPullRequest(v, where, repository) {
  const pr = obj2(v);
  const head = obj2(pr?.head);
  const base = obj2(pr?.base);
  const number = pr?.number;
  if (!pr || !head || !base || typeof number !== "number" || !Number.isSafeInteger(number) || number <= 0) {
    throw new CiEnvError(`the event payload ${where} has no valid pull_request (number, head, base)`);
  }
  const headSha2 = str(head.sha) ?? "";
  const baseSha = str(base.sha) ?? "";
  if (!SHA2.test(headSha2) || !SHA2.test(baseSha)) throw new CiEnvError(`the pull_request in ${where} has no valid head.sha/base.sha`);
  const headRepo = str(obj2(head.repo)?.full_name);
  const baseRepo = str(obj2(base.repo)?.full_name) ?? repository;
  return {
    number,
    headSha: headSha2,
    baseSha,
    headRef: str(head.ref) ?? "",
    baseRef: str(base.ref) ?? "",
    headRepo,
    baseRepo,
    // A deleted head repository can only have been a fork.
    isFork: headRepo === void 0 || headRepo.toLowerCase() !== baseRepo.toLowerCase()
  };
}
function readWorkflowRun(v, where) {
  const run2 = obj2(v);
  const id = run2?.id;
  const headSha2 = str(run2?.head_sha) ?? "";
  if (!run2 || typeof id !== "number" || !SHA2.test(headSha2)) throw new CiEnvError(`the event payload ${where} has no valid workflow_run (id, head_sha)`);
  const prs = Array.isArray(run2.pull_requests) ? run2.pull_requests : [];
  return {
    id,
    event: str(run2.event) ?? "",
    headSha: headSha2,
    headBranch: str(run2.head_branch),
    headRepo: str(obj2(run2.head_repository)?.full_name),
    conclusion: str(run2.conclusion) ?? void 0,
    pullRequests: prs.map((p) => obj2(p)?.number).filter((n) => typeof n === "number" && Number.isSafeInteger(n) && n > 0)
  };
}
function headSha(ctx) {
  return ctx.pullRequest?.headSha ?? ctx.workflowRun?.headSha ?? ctx.sha;
}
function blobUrl(ctx, sha, path, line, endLine) {
  const anchor = line ? `#L${line}${endLine && endLine > line ? `-L${endLine}` : ""}` : "";
  return `${ctx.serverUrl}/${ctx.repository}/blob/${sha}/${path.split("/").map(encodeURIComponent).join("/")}${anchor}`;
}

// src/ci/fingerprint.ts
import { createHash } from "node:crypto";
function sanitizeFingerprint(fp) {
  return fp.replace(/[^A-Za-z0-9:._\-/+]/g, "_").slice(0, 128);
}
function fingerprintsOf(findings) {
  const seen = /* @__PURE__ */ new Map();
  return findings.map((f) => {
    const base = f.fingerprint ? sanitizeFingerprint(f.fingerprint) : createHash("sha256").update(`${f.rule}\0${f.file}\0${f.message}`).digest("hex").slice(0, 16);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}.${n}`;
  });
}

// src/ci/markdown.ts
var ZWSP = "​";
function neutralizeMentions(text2) {
  return text2.replace(/(^|[^A-Za-z0-9_`])([@#])(?=[A-Za-z0-9])/g, `$1$2${ZWSP}`);
}
function visibleControls2(text2) {
  return text2.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
function escapeMarkdownText(text2) {
  let out = text2.replace(/\r\n?|\n/g, " ");
  out = visibleControls2(out.replace(/[\\`*_[\]<>|~!&#]/g, (c) => `\\${c}`));
  out = out.replace(/^(\s*)([-+=])/, "$1\\$2").replace(/^(\s*\d+)([.)])/, "$1\\$2");
  return neutralizeMentions(out);
}
function inlineCode(text2, opts = {}) {
  let t = visibleControls2(text2.replace(/\r\n?|\n/g, " "));
  if (opts.table) t = t.replace(/\|/g, "\\|");
  let longest = 0;
  for (const m of t.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = "`".repeat(longest + 1);
  const pad = t.startsWith("`") || t.endsWith("`") || t.startsWith(" ") && t.endsWith(" ") && t.trim() !== "" ? " " : "";
  if (t === "") return escapeMarkdownText("");
  return `${fence}${pad}${t}${pad}${fence}`;
}
function renderMessage(message, opts = {}) {
  const parts = [];
  const text2 = message.replace(/\r\n?|\n/g, " ");
  let i = 0;
  let plainStart = 0;
  while (i < text2.length) {
    if (text2[i] !== "`") {
      i++;
      continue;
    }
    let j = i;
    while (text2[j] === "`") j++;
    const run2 = j - i;
    let k = j;
    let close = -1;
    while (k < text2.length) {
      if (text2[k] === "`") {
        let e = k;
        while (text2[e] === "`") e++;
        if (e - k === run2) {
          close = k;
          break;
        }
        k = e;
      } else k++;
    }
    if (close < 0) {
      i = j;
      continue;
    }
    if (i > plainStart) parts.push(escapeMarkdownText(text2.slice(plainStart, i)));
    parts.push(inlineCode(text2.slice(j, close), opts));
    i = close + run2;
    plainStart = i;
  }
  if (plainStart < text2.length) parts.push(escapeMarkdownText(text2.slice(plainStart)));
  return parts.join("");
}
function tableCell(text2) {
  return renderMessage(text2, { table: true });
}
function link(text2, url) {
  const safe = url.replace(/[\s()<>\\"]/g, (c) => encodeURIComponent(c));
  return `[${escapeMarkdownText(text2)}](${safe})`;
}
function fencedBlock(info, content) {
  let longest = 2;
  for (const m of content.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  const fence = "`".repeat(longest + 1);
  const body = content.endsWith("\n") ? content : content + "\n";
  return `${fence}${info}
${body}${fence}`;
}
function hiddenMarker(name, value) {
  const v = value === void 0 ? "" : `=${value.replace(/[^A-Za-z0-9:._\-/+]/g, "_")}`;
  return `<!-- deferguard:${name}${v} -->`;
}
function encodePath(path) {
  return path.split("/").map(encodeURIComponent).join("/");
}

// src/ci/review.ts
var MAX_INLINE_COMMENTS = 30;
var SEVERITY_BADGE = {
  critical: "🔴 **Critical**",
  high: "🟠 **High**",
  medium: "🟡 **Medium**",
  low: "🔵 **Low**"
};
var MARKER_RE = /^<!-- deferguard:fp=([A-Za-z0-9:._\-/+]+) -->/;
function commentFingerprint(body) {
  return MARKER_RE.exec(body)?.[1];
}
function planReview(findings, opts) {
  const sorted = [...findings].sort(compareFindings);
  const fps = fingerprintsOf(sorted);
  const plan = { inline: [], offDiff: [], current: new Set(fps) };
  const seenLines = /* @__PURE__ */ new Set();
  sorted.forEach((f, i) => {
    const file = opts.changed.get(f.file);
    if (!file || !file.hunkOf.has(f.line)) {
      plan.offDiff.push(f);
      return;
    }
    let start = f.line;
    let end = f.line;
    let suggestion;
    const fix = singleFileFix(f);
    const src = fix ? opts.readSource?.(f.file) : void 0;
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
    const comment = { path: f.file, line: end, side: "RIGHT", body: commentBody(f, fps[i], opts, suggestion) };
    if (start < end) {
      comment.start_line = start;
      comment.start_side = "RIGHT";
    }
    plan.inline.push({ fingerprint: fps[i], finding: f, comment, suggestion: suggestion !== void 0 });
  });
  return plan;
}
function singleFileFix(f) {
  const fix = f.fixes?.[0];
  if (!fix || fix.edits.length === 0 || fix.edits.some((e) => e.file !== f.file)) return void 0;
  const edits = [...fix.edits].sort((a, b) => a.offset - b.offset || a.endOffset - b.endOffset);
  for (let i = 0; i < edits.length; i++) {
    const e = edits[i];
    if (!(Number.isInteger(e.offset) && Number.isInteger(e.endOffset) && 0 <= e.offset && e.offset <= e.endOffset)) return void 0;
    if (i > 0 && e.offset < edits[i - 1].endOffset) return void 0;
  }
  return edits;
}
function lineStarts(src) {
  const starts = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === 10) starts.push(i + 1);
  return starts;
}
function editedLines(src, edits) {
  const starts = lineStarts(src);
  const lineOf = (off) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = lo + hi + 1 >> 1;
      if (starts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  let first = Infinity;
  let last = -Infinity;
  for (const e of edits) {
    if (e.endOffset > src.length) return void 0;
    first = Math.min(first, lineOf(e.offset));
    const endLine = e.endOffset > e.offset && src[e.endOffset - 1] === 10 ? lineOf(e.endOffset - 1) : lineOf(e.endOffset);
    last = Math.max(last, endLine);
  }
  return [first, last];
}
function applyToLines(src, edits, start, end) {
  const starts = lineStarts(src);
  const from = starts[start - 1];
  if (from === void 0) return void 0;
  const nextStart = starts[end];
  const to = nextStart === void 0 ? src.length : nextStart - 1;
  const buf = Buffer.from(src.buffer, src.byteOffset, src.byteLength);
  let out = "";
  let pos = from;
  for (const e of edits) {
    if (e.offset < from || e.endOffset > Math.min(src.length, to + 1)) return void 0;
    out += buf.subarray(pos, e.offset).toString("utf8") + e.newText;
    pos = e.endOffset;
  }
  if (pos <= to) out += buf.subarray(pos, to).toString("utf8");
  else if (out.endsWith("\n")) out = out.slice(0, -1);
  return out.replace(/\r$/gm, "");
}
function locationLink(file, line, links) {
  const text2 = `${file}:${line}`;
  if (!links) return inlineCode(text2);
  return `[${inlineCode(text2)}](${links.serverUrl}/${links.repository}/blob/${links.sha}/${encodePath(file)}#L${line})`;
}
function commentBody(f, fingerprint, opts, suggestion) {
  const meta = opts.rules?.get(f.rule);
  const url = meta?.docUrl ?? docUrl(f.rule);
  const head = [SEVERITY_BADGE[f.severity], `[${inlineCode(f.rule)}](${url.replace(/[\s()<>]/g, encodeURIComponent)})`];
  if (f.confidence !== "high") head.push(`${f.confidence} confidence`);
  const parts = [hiddenMarker("fp", fingerprint), head.join(" · "), "", renderMessage(f.message)];
  if (f.related.length > 0) {
    parts.push("", "<details><summary>Related locations</summary>", "");
    for (const r of f.related) parts.push(`- ${locationLink(r.file, r.line, opts.links)}: ${renderMessage(r.message)}`);
    parts.push("", "</details>");
  }
  if (suggestion !== void 0) {
    const fixMessage = f.fixes?.[0]?.message;
    parts.push("", fixMessage ? `Suggested fix: ${renderMessage(fixMessage)}` : "Suggested fix:", "");
    parts.push(suggestion === "" ? "```suggestion\n```" : fencedBlock("suggestion", suggestion));
  }
  return parts.join("\n") + "\n";
}
async function syncReview(client, plan, opts) {
  const max = opts.maxInline ?? MAX_INLINE_COMMENTS;
  const existing = await client.listReviewComments(opts.repo, opts.pr);
  const ours = /* @__PURE__ */ new Map();
  for (const c of [...existing].sort((a, b) => a.id - b.id)) {
    if (c.in_reply_to_id !== void 0 && c.in_reply_to_id !== null) continue;
    if (opts.botLogin && c.user?.login !== opts.botLogin) continue;
    const fp = commentFingerprint(c.body ?? "");
    if (fp === void 0) continue;
    const list = ours.get(fp) ?? [];
    list.push(c);
    ours.set(fp, list);
  }
  const result = { created: 0, updated: 0, unchanged: 0, deleted: 0, overflow: [], reviewId: void 0, event: void 0 };
  const fresh = [];
  for (const p of plan.inline) {
    const have = ours.get(p.fingerprint);
    if (!have) {
      fresh.push(p);
      continue;
    }
    const keep = have[0];
    if (keep.body === p.comment.body) result.unchanged++;
    else {
      await client.updateReviewComment(opts.repo, keep.id, p.comment.body);
      result.updated++;
    }
  }
  const toDelete = [];
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
    const event = posted.some((p) => opts.requestChangesFor?.has(p.fingerprint)) ? "REQUEST_CHANGES" : "COMMENT";
    const review = await client.createReview(opts.repo, opts.pr, {
      commitId: opts.commitId,
      event,
      body: reviewBody(posted.length, result.overflow, opts.links, max),
      comments: posted.map((p) => p.comment)
    });
    result.created = posted.length;
    result.reviewId = review.id;
    result.event = event;
  }
  return result;
}
function reviewBody(inlineCount, overflow, links, max = MAX_INLINE_COMMENTS) {
  const parts = [hiddenMarker("review"), `**deferguard** commented on ${inlineCount} finding${inlineCount === 1 ? "" : "s"} in the changed lines.`];
  if (overflow.length > 0) {
    parts.push(
      "",
      `<details><summary>${overflow.length} more finding${overflow.length === 1 ? "" : "s"} in the changed lines (not commented inline: at most ${max} per review)</summary>`,
      ""
    );
    for (const f of overflow) parts.push(`- ${SEVERITY_BADGE[f.severity]} ${inlineCode(f.rule)} ${locationLink(f.file, f.line, links)}: ${renderMessage(f.message)}`);
    parts.push("", "</details>");
  }
  return parts.join("\n") + "\n";
}

// src/ci/summary.ts
import { createHash as createHash2 } from "node:crypto";
import { appendFileSync } from "node:fs";
var GITHUB_COMMENT_LIMIT = 65536;
var STEP_SUMMARY_LIMIT = 900 * 1024;
function summaryMarker(key) {
  return hiddenMarker("summary", key);
}
function location(f, links) {
  const text2 = inlineCode(`${f.file}:${f.line}`, { table: true });
  return links ? `[${text2}](${links.serverUrl}/${links.repository}/blob/${links.sha}/${encodePath(f.file)}#L${f.line})` : text2;
}
function findingRow(f, links) {
  return `| ${SEVERITY_BADGE[f.severity]} | ${inlineCode(f.rule, { table: true })} | ${location(f, links)} | ${tableCell(f.message)} |`;
}
function rowsWithin(findings, links, budget) {
  const rows = [];
  let used = 0;
  for (const f of findings) {
    const r = findingRow(f, links);
    if (used + r.length + 1 > budget) return { rows, omitted: findings.length - rows.length };
    rows.push(r);
    used += r.length + 1;
  }
  return { rows, omitted: 0 };
}
function headline(input) {
  const n = input.findings.length;
  if (input.failed) {
    const k = input.failing ?? n;
    return `### ❌ deferguard: ${k} finding${k === 1 ? "" : "s"} fail${k === 1 ? "s" : ""} the check`;
  }
  return n === 0 ? "### ✅ deferguard: no new findings" : `### ⚠️ deferguard: ${n} finding${n === 1 ? "" : "s"}, none blocking`;
}
function countsTable(input) {
  const c = countBySeverity(input.findings);
  const lines = ["| Severity | Findings |", "|---|---:|"];
  for (const s of SEVERITIES) lines.push(`| ${SEVERITY_BADGE[s]} | ${c[s]} |`);
  const extra = [];
  if (input.baselined !== void 0) extra.push(`${input.baselined} baselined (accepted earlier, not reported)`);
  if (input.fixed !== void 0) extra.push(`${input.fixed} fixed since the baseline`);
  if (extra.length) lines.push("", extra.join(" · "));
  return lines;
}
function renderStickySummary(input) {
  const findings = [...input.findings].sort(compareFindings);
  const head = [summaryMarker(input.key), headline(input), ""];
  if (input.notice) head.push(`> [!NOTE]
> ${escapeMarkdownText(input.notice)}`, "");
  head.push(...countsTable(input));
  const tail = [];
  if (input.runUrl) tail.push("", link("Workflow run", input.runUrl));
  if (findings.length === 0) return [...head, ...tail].join("\n") + "\n";
  const open = ["", `<details><summary>All ${findings.length} finding${findings.length === 1 ? "" : "s"}</summary>`, "", "| Severity | Rule | Location | Message |", "|---|---|---|---|"];
  const fixed = [...head, ...open, "", "</details>", ...tail].join("\n").length + 200;
  const { rows, omitted } = rowsWithin(findings, input.links, GITHUB_COMMENT_LIMIT - fixed);
  const close = omitted > 0 ? ["", `… and ${omitted} more (see the workflow run's step summary).`, "", "</details>"] : ["", "</details>"];
  return [...head, ...open, ...rows, ...close, ...tail].join("\n") + "\n";
}
async function upsertStickySummary(client, repo, pr, body, opts = {}) {
  const marker = summaryMarker(opts.key);
  const comments = await client.listIssueComments(repo, pr);
  const mine = comments.filter((c) => (c.body ?? "").startsWith(marker) && (!opts.botLogin || c.user?.login === opts.botLogin)).sort((a, b) => a.id - b.id)[0];
  if (!mine) return { action: "created", id: (await client.createIssueComment(repo, pr, body)).id };
  if (mine.body === body) return { action: "unchanged", id: mine.id };
  await client.updateIssueComment(repo, mine.id, body);
  return { action: "updated", id: mine.id };
}
function renderStepSummary(input) {
  const findings = [...input.findings].sort(compareFindings);
  const lines = [headline(input).replace(/^### /, "## "), ""];
  if (input.notice) lines.push(`> [!NOTE]
> ${escapeMarkdownText(input.notice)}`, "");
  lines.push(...countsTable(input));
  if (findings.length > 0) {
    const { rows, omitted } = rowsWithin(findings, input.links, STEP_SUMMARY_LIMIT - lines.join("\n").length - 500);
    lines.push("", "| Severity | Rule | Location | Message |", "|---|---|---|---|", ...rows);
    if (omitted > 0) lines.push("", `… and ${omitted} more findings (the step summary is limited to 1 MiB; see the SARIF or JSON report).`);
  }
  return lines.join("\n") + "\n";
}
function appendStepSummary(path, markdown) {
  appendFileSync(path, markdown.endsWith("\n") ? markdown : markdown + "\n", "utf8");
}
function outputValues(o) {
  const out = {};
  for (const s of SEVERITIES) out[s] = String(o.counts[s]);
  out.total = String(SEVERITIES.reduce((n, s) => n + o.counts[s], 0));
  if (o.sarifPath !== void 0) out["sarif-path"] = o.sarifPath;
  out.result = o.failed ? "fail" : "pass";
  return out;
}
function formatOutputs(values) {
  let out = "";
  for (const name of Object.keys(values)) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new Error(`invalid output name ${JSON.stringify(name)}`);
    const value = values[name];
    let n = 0;
    let delim;
    do {
      delim = `deferguard_${createHash2("sha256").update(`${n++}\0${value}`).digest("hex").slice(0, 20)}`;
    } while (value.includes(delim));
    out += `${name}<<${delim}
${value}
${delim}
`;
  }
  return out;
}
function appendOutputs(path, values) {
  appendFileSync(path, formatOutputs(values), "utf8");
}

// src/ci/deliver.ts
var FORK_NOTICE = "This pull request comes from a fork, so the workflow token cannot comment on it. Findings are shown as annotations and in the job summary. To get review comments, run deferguard in two phases (pull_request writes an artifact, workflow_run posts it).";
var DENIED_NOTICE = "The workflow token may not write to this pull request (Resource not accessible by integration). Findings are shown as annotations and in the job summary; grant pull-requests: write and checks: write, or use the two-phase mode.";
function makeClient(ctx, deps, redactor) {
  if (deps.client) return deps.client;
  if (!ctx.token) return void 0;
  return new GitHubClient({
    token: ctx.token,
    apiUrl: ctx.apiUrl,
    userAgent: "deferguard-ci",
    ...deps.fetch ? { fetch: deps.fetch } : {},
    ...deps.sleep ? { sleep: deps.sleep } : {},
    ...deps.logger ? { logger: deps.logger } : {},
    redactor
  });
}
async function deliver(ctx, input, deps = {}) {
  const redactor = deps.client?.redactor ?? new Redactor();
  if (ctx.provider === "github") redactor.add(ctx.token);
  for (const w of input.webhooks ?? []) redactor.addUrl(w.url);
  const log = redactingLogger(deps.logger ?? silentLogger, redactor);
  const writeLog = deps.writeLog ?? ((s) => void process.stdout.write(s));
  const routed = routeFindings(input.findings, input.routing ?? DEFAULT_ROUTING);
  const report = {
    failed: routed.failing.length > 0,
    counts: countBySeverity(routed.all),
    labels: [],
    alerts: [],
    annotationsPrinted: 0,
    outputs: {},
    errors: []
  };
  const step = async (what, fn) => {
    try {
      await fn();
    } catch (err) {
      if (isWriteDenied(err)) {
        report.fallback ??= DENIED_NOTICE;
        log.warn(`${what}: ${redactor.redact(err.message)}`);
        return;
      }
      const msg = redactor.redact(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      report.errors.push(msg);
      log.warn(msg);
    }
  };
  const gh = ctx.provider === "github" ? ctx : void 0;
  const sha = gh ? headSha(gh) : void 0;
  const links = gh && sha ? { serverUrl: gh.serverUrl, repository: gh.repository, sha } : void 0;
  const pr = gh?.pullRequest;
  const post = input.mode !== "local";
  const client = gh && post ? makeClient(gh, deps, redactor) : void 0;
  if (gh && post && pr && pr.isFork && gh.eventName === "pull_request") report.fallback = FORK_NOTICE;
  else if (gh && post && pr && !client) report.fallback = "No GitHub token (GITHUB_TOKEN or the github-token input): findings are shown as annotations and in the job summary only.";
  const commentMode = input.commentMode ?? "review";
  if (gh && client && pr && !report.fallback) {
    if (commentMode === "review") await step("pull request review", async () => {
      const diff = input.diff ?? (await client.getPullDiff(gh.repository, pr.number)).diff;
      const plan = planReview(routed.comment, {
        changed: parseDiffHunks(diff),
        ...input.rules ? { rules: input.rules } : {},
        ...input.readSource ? { readSource: input.readSource } : {},
        ...links ? { links } : {}
      });
      const failingFps = /* @__PURE__ */ new Set();
      if (input.requestChanges) {
        const failing = new Set(routed.failing);
        plan.inline.forEach((p) => failing.has(p.finding) && failingFps.add(p.fingerprint));
      }
      report.review = await syncReview(client, plan, {
        repo: gh.repository,
        pr: pr.number,
        commitId: pr.headSha,
        ...input.maxInline !== void 0 ? { maxInline: input.maxInline } : {},
        requestChangesFor: failingFps,
        ...links ? { links } : {}
      });
    });
    if (!report.fallback && commentMode !== "off") {
      await step("summary comment", async () => {
        const body = renderStickySummary(summaryInput(input, routed.all, report, links, gh.runUrl));
        report.summary = await upsertStickySummary(client, gh.repository, pr.number, body, input.summaryKey ? { key: input.summaryKey } : {});
      });
    }
    if (!report.fallback && routed.labels.length > 0) {
      await step("labels", async () => {
        await client.addLabels(gh.repository, pr.number, routed.labels);
        report.labels = routed.labels;
      });
    }
  }
  if (gh && client && sha && input.checkRunName && !report.fallback) {
    await step("check run", async () => {
      report.checkRun = await client.createCheckRun(gh.repository, {
        name: input.checkRunName,
        headSha: sha,
        conclusion: report.failed ? "failure" : routed.all.length > 0 ? "neutral" : "success",
        title: report.failed ? `${routed.failing.length} blocking finding${routed.failing.length === 1 ? "" : "s"}` : `${routed.all.length} finding${routed.all.length === 1 ? "" : "s"}`,
        summary: renderStepSummary(summaryInput(input, routed.all, report, links, gh.runUrl)),
        annotations: checkAnnotations(routed.all),
        ...gh.runUrl ? { detailsUrl: gh.runUrl } : {}
      });
    });
  }
  const annotations = input.annotations ?? "fallback";
  if (gh && (annotations === "always" || annotations === "fallback" && (report.fallback !== void 0 || !post))) {
    if (report.fallback) writeLog(`::notice title=deferguard::${report.fallback.replace(/%/g, "%25").replace(/\r?\n/g, "%0A")}
`);
    writeLog(workflowCommands(routed.all));
    report.annotationsPrinted = routed.all.length;
  }
  if (report.fallback) log.info(report.fallback);
  if (gh?.stepSummaryPath) {
    await step("step summary", async () => appendStepSummary(gh.stepSummaryPath, renderStepSummary(summaryInput(input, routed.all, report, links, void 0))));
  }
  report.outputs = outputValues({ counts: report.counts, failed: report.failed, ...input.sarifPath !== void 0 ? { sarifPath: input.sarifPath } : {} });
  if (gh?.outputPath) await step("outputs", async () => appendOutputs(gh.outputPath, report.outputs));
  if (post && routed.alert.length > 0 && input.webhooks && input.webhooks.length > 0) {
    report.alerts = await sendAlerts(routed.alert, input.webhooks, {
      ...gh ? { repository: gh.repository, runUrl: gh.runUrl, fileUrl: (f, l) => blobUrl(gh, sha, f, l) } : {},
      ...pr ? { pullRequest: pr.number, pullRequestUrl: `${gh.serverUrl}/${gh.repository}/pull/${pr.number}` } : {},
      ...sha ? { sha } : {}
    }, {
      ...deps.fetch ? { fetch: deps.fetch } : {},
      ...deps.sleep ? { sleep: deps.sleep } : {},
      logger: log,
      redactor
    });
    for (const a of report.alerts) if (!a.ok && a.error) report.errors.push(a.error);
  }
  return report;
}
function summaryInput(input, all, report, links, runUrl) {
  const routing = input.routing ?? DEFAULT_ROUTING;
  const failingCount = all.filter((f) => routing[f.severity].fail).length;
  return {
    findings: all,
    failed: report.failed,
    failing: failingCount,
    ...input.baselined !== void 0 ? { baselined: input.baselined } : {},
    ...input.fixed !== void 0 ? { fixed: input.fixed } : {},
    ...links ? { links } : {},
    ...runUrl ? { runUrl } : {},
    ...report.fallback ? { notice: report.fallback } : {},
    ...input.summaryKey ? { key: input.summaryKey } : {}
  };
}
function withFingerprints(findings) {
  const sorted = [...findings].sort(compareFindings);
  const fps = fingerprintsOf(sorted);
  return sorted.map((f, i) => ({ ...f, fingerprint: fps[i] }));
}
async function deliverPhaseOne(ctx, input, dir, deps = {}) {
  const pr = ctx.pullRequest;
  if (!pr) throw new Error(`the two-phase mode's first phase runs on pull_request events, not ${ctx.eventName || "this event"}`);
  let diff = input.diff;
  if (diff === void 0) {
    const redactor = new Redactor([ctx.token]);
    const client = makeClient(ctx, deps, redactor);
    if (!client) throw new Error("no diff given and no token to fetch it with (GITHUB_TOKEN)");
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
      ...input.baselined !== void 0 ? { baselined: input.baselined } : {},
      ...input.fixed !== void 0 ? { fixed: input.fixed } : {},
      diff
    },
    input.readSource
  );
  const report = await deliver(ctx, { ...input, diff, mode: "local" }, deps);
  return { ...report, artifactFiles };
}
async function deliverPhaseTwo(ctx, dir, input, deps = {}) {
  const run2 = ctx.workflowRun;
  if (!run2) throw new Error(`the two-phase mode's second phase runs on workflow_run events, not ${ctx.eventName || "this event"}`);
  const redactor = deps.client?.redactor ?? new Redactor([ctx.token]);
  const client = makeClient(ctx, deps, redactor);
  if (!client) throw new Error("the second phase needs a token with pull-requests: write (GITHUB_TOKEN)");
  const a = readArtifact(dir);
  await verifyArtifact(a, run2, ctx.repository, client);
  const prCtx = {
    ...ctx,
    sha: a.headSha,
    pullRequest: { number: a.pullRequest, headSha: a.headSha, baseSha: a.baseSha, headRef: run2.headBranch ?? "", baseRef: "", headRepo: run2.headRepo, baseRepo: ctx.repository, isFork: false }
  };
  return deliver(
    prCtx,
    {
      ...input,
      findings: a.findings,
      diff: a.diff,
      readSource: (p) => a.sources[p] !== void 0 ? Buffer.from(a.sources[p], "utf8") : void 0,
      ...a.baselined !== void 0 ? { baselined: a.baselined } : {},
      ...a.fixed !== void 0 ? { fixed: a.fixed } : {}
    },
    { ...deps, client }
  );
}

// src/ci/git.ts
import { execFile } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as join2 } from "node:path";
var GitError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "GitError";
  }
};
function git(args, r) {
  const exe = r.git ?? "git";
  const timeout = r.timeoutMs ?? 12e4;
  return new Promise((resolve2, reject) => {
    execFile(
      exe,
      ["-c", "core.quotePath=false", ...args],
      { cwd: r.cwd, timeout, maxBuffer: 256 * 1024 * 1024, encoding: "utf8", env: { ...process.env, GIT_PAGER: "cat", LC_ALL: "C", GIT_TERMINAL_PROMPT: "0" } },
      (err, stdout, stderr) => {
        if (!err) return resolve2(stdout);
        const e = err;
        if (e.code === "ENOENT") return reject(new GitError(`cannot run ${exe}: not found on PATH`));
        if (e.killed) return reject(new GitError(`git ${args[0]} timed out after ${timeout} ms`));
        const first = String(stderr).trim().split("\n")[0] ?? "";
        reject(new GitError(`git ${args.join(" ")}: ${first || e.message}`));
      }
    );
  });
}
async function repoRoot(dir) {
  try {
    return realpathSync((await git(["rev-parse", "--show-toplevel"], { cwd: dir })).trim());
  } catch {
    return void 0;
  }
}
async function resolveCommit(rev, dir) {
  if (rev === "" || rev.startsWith("-")) return void 0;
  try {
    return (await git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], { cwd: dir })).trim() || void 0;
  } catch {
    return void 0;
  }
}
async function mergeBase(a, b, dir) {
  try {
    return (await git(["merge-base", a, b], { cwd: dir })).trim() || void 0;
  } catch {
    return void 0;
  }
}
function diffText(base, head, dir) {
  const revs = head === void 0 ? [base] : [base, head];
  return git(["diff", "--no-color", "--no-ext-diff", "--no-textconv", "-M", "--unified=0", "--src-prefix=a/", "--dst-prefix=b/", ...revs, "--"], { cwd: dir });
}
async function addWorktree(commit, repoDir) {
  const parent = mkdtempSync(join2(tmpdir(), "deferguard-base-"));
  const dir = join2(parent, "tree");
  try {
    await git(["worktree", "add", "--detach", "--quiet", dir, commit], { cwd: repoDir });
  } catch (e) {
    rmSync(parent, { recursive: true, force: true });
    throw e;
  }
  return {
    dir: realpathSync(dir),
    async remove() {
      try {
        await git(["worktree", "remove", "--force", dir], { cwd: repoDir });
      } catch {
      }
      rmSync(parent, { recursive: true, force: true });
      try {
        await git(["worktree", "prune"], { cwd: repoDir });
      } catch {
      }
    }
  };
}

// src/ci/scope.ts
function scopeToChange(findings, input) {
  const reasons = /* @__PURE__ */ new Map();
  if (!input.changes && !input.baseFingerprints) {
    return { kept: [...findings], dropped: [], reasons };
  }
  const onChanged = input.changes ? new Set(scopeToDiff(findings, input.changes).kept) : /* @__PURE__ */ new Set();
  const kept = [];
  const dropped = [];
  for (const f of findings) {
    const r = [];
    if (onChanged.has(f)) r.push("changed-line");
    if (input.baseFingerprints && (!f.fingerprint || !input.baseFingerprints.has(f.fingerprint))) r.push("absent-at-base");
    if (r.length > 0) {
      kept.push(f);
      reasons.set(f, r);
    } else dropped.push(f);
  }
  return { kept, dropped, reasons };
}
function prefixPaths(findings, prefix) {
  const p = prefix.replace(/^\.\/?/, "").replace(/\/+$/, "");
  if (p === "") return [...findings];
  const at = (file) => `${p}/${file}`;
  return findings.map((f) => ({
    ...f,
    file: at(f.file),
    related: f.related.map((r) => ({ ...r, file: at(r.file) })),
    ...f.fixes ? { fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, file: at(e.file) })) })) } : {}
  }));
}
function relativeChanges(changes, prefix) {
  const p = prefix.replace(/^\.\/?/, "").replace(/\/+$/, "");
  if (p === "") return changes;
  const out = /* @__PURE__ */ new Map();
  for (const [path, d] of changes) {
    if (path.startsWith(p + "/")) out.set(path.slice(p.length + 1), d);
  }
  return out;
}

// src/cli/ci.ts
var USAGE = `usage: deferguard ci [flags] [PATTERN...]

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
  --format NAME=FILE         another report, repeatable: ${formatNames().join(", ")}
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
function bool(v, flag) {
  const s = v.trim().toLowerCase();
  if (s === "true" || s === "1" || s === "yes" || s === "on") return true;
  if (s === "false" || s === "0" || s === "no" || s === "off") return false;
  throw new UsageError(`${flag} takes true or false, not "${v}"`);
}
function parseCiArgs(args) {
  const out = {
    dir: void 0,
    patterns: [],
    config: void 0,
    failOn: void 0,
    onlyNew: true,
    base: void 0,
    baseAnalysis: true,
    baseline: void 0,
    sarif: void 0,
    json: void 0,
    formats: [],
    commentMode: void 0,
    annotations: void 0,
    checkRun: void 0,
    summaryKey: void 0,
    requestChanges: false,
    golangci: false,
    golangciPath: void 0,
    phase: "all",
    artifact: void 0,
    jobs: void 0,
    tags: [],
    cache: true,
    verbose: false,
    help: false
  };
  const r = new FlagReader(args);
  while (r.next()) {
    const a = r.arg;
    const name = r.name;
    switch (name) {
      case "-h":
      case "--help":
        out.help = true;
        break;
      case "-C":
      case "--dir":
        out.dir = r.path();
        break;
      case "--config":
        out.config = r.path();
        break;
      case "--fail-on":
        try {
          out.failOn = parseFailOn(r.value());
        } catch (e) {
          throw new UsageError(e.message);
        }
        break;
      case "--only-new":
        out.onlyNew = r.hasInlineValue() ? bool(r.value(), name) : true;
        break;
      case "--all-findings":
        r.noValue();
        out.onlyNew = false;
        break;
      case "--base": {
        const v = r.value().trim();
        if (v === "" || v.startsWith("-")) throw new UsageError(`--base needs a git revision`);
        out.base = v;
        break;
      }
      case "--no-base-analysis":
        r.noValue();
        out.baseAnalysis = false;
        break;
      case "--baseline":
        out.baseline = r.path();
        break;
      case "--sarif":
        out.sarif = r.path();
        break;
      case "--json":
        out.json = r.path();
        break;
      case "--format": {
        const v = r.value();
        const k = v.indexOf("=");
        const fname = k >= 0 ? v.slice(0, k) : v;
        if (!Object.hasOwn(FORMATS, fname)) throw new UsageError(`unknown output format "${fname}": use one of ${formatNames().join(", ")}`);
        if (k < 0 || v.slice(k + 1).trim() === "") throw new UsageError(`--format ${fname}: give a file (--format ${fname}=FILE); standard output is the job log`);
        out.formats.push({ name: fname, file: v.slice(k + 1) });
        break;
      }
      case "--comment-mode": {
        const v = r.value().trim();
        if (v !== "review" && v !== "summary" && v !== "off") throw new UsageError(`--comment-mode must be review, summary or off, not "${v}"`);
        out.commentMode = v;
        break;
      }
      case "--annotations": {
        const v = r.value().trim();
        if (v !== "always" && v !== "fallback" && v !== "never") throw new UsageError(`--annotations must be always, fallback or never, not "${v}"`);
        out.annotations = v;
        break;
      }
      case "--check-run": {
        const v = r.value().trim();
        if (v === "") throw new UsageError("--check-run needs a name");
        out.checkRun = v;
        break;
      }
      case "--summary-key": {
        const v = r.value().trim();
        if (!/^[A-Za-z0-9._\/-]{1,100}$/.test(v)) throw new UsageError(`--summary-key takes letters, digits and . _ / - (at most 100), not "${v}"`);
        out.summaryKey = v;
        break;
      }
      case "--request-changes":
        r.noValue();
        out.requestChanges = true;
        break;
      case "--with-golangci-lint":
        out.golangci = r.hasInlineValue() ? bool(r.value(), name) : true;
        break;
      case "--golangci-lint":
        out.golangciPath = r.path();
        out.golangci = true;
        break;
      case "--phase": {
        const v = r.value().trim();
        if (v === "analyze") out.phase = "analyse";
        else if (v === "all" || v === "analyse" || v === "post") out.phase = v;
        else throw new UsageError(`--phase must be all, analyse or post, not "${v}"`);
        break;
      }
      case "--artifact":
        out.artifact = r.path();
        break;
      case "--jobs": {
        const v = r.value();
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) throw new UsageError(`invalid --jobs value "${v}": use a whole number from 1 to 256`);
        out.jobs = Number(v);
        break;
      }
      case "--tags":
        out.tags.push(...v2list(r.value()));
        break;
      case "--no-cache":
        r.noValue();
        out.cache = false;
        break;
      case "-v":
      case "--verbose":
        out.verbose = true;
        break;
      default:
        if (a.startsWith("-")) throw new UsageError(`unknown flag ${a}`);
        out.patterns.push(a);
    }
  }
  if (out.phase !== "all" && out.artifact === void 0) throw new UsageError(`--phase ${out.phase} needs --artifact DIR`);
  if (out.phase === "all" && out.artifact !== void 0) throw new UsageError("--artifact belongs to the two-phase mode: add --phase analyse or --phase post");
  return out;
}
function v2list(v) {
  return v.split(",").map((x) => x.trim()).filter((x) => x !== "");
}
function routingWithFailOn(routing, failOn) {
  if (failOn === void 0) return routing;
  const out = structuredClone(routing);
  for (const s of Object.keys(out)) out[s].fail = failOn !== "none" && severityRank(s) >= severityRank(failOn);
  return out;
}
function plural2(n, one, many = one + "s") {
  return `${n} ${n === 1 ? one : many}`;
}
async function analyseTree(cwd, s, warn, label) {
  const result = await analyze({
    cwd,
    patterns: s.patterns,
    tags: s.tags,
    jobs: s.jobs,
    registry: REGISTRY_URL,
    enable: s.enable,
    tests: s.tests,
    options: s.cfg?.ruleOptions,
    exclude: s.exclude,
    knownRules: analyzers.map((x) => x.meta.id),
    cache: s.cache,
    toolVersion: version()
  });
  for (const w of result.warnings) warn(`${label}: ${w}`);
  for (const e of result.loadErrors) warn(`${label}: ${e}`);
  const root = result.root;
  const lineCache = /* @__PURE__ */ new Map();
  const lines = (file) => {
    if (!lineCache.has(file)) {
      let t;
      try {
        t = readFileSync3(isAbsolute(file) ? file : join3(root, file), "utf8");
      } catch {
        t = void 0;
      }
      lineCache.set(file, t === void 0 ? void 0 : splitLines(t));
    }
    return lineCache.get(file);
  };
  let findings = filterByConfidence(result.findings, s.cfg?.minConfidence ?? "low").map((f) => s.overrides[f.rule] ? { ...f, severity: s.overrides[f.rule] } : f);
  findings.push(...diagnosticsToFindings(result.directiveProblems, s.overrides[DIRECTIVE_RULE.id] ?? DIRECTIVE_RULE.severity));
  const internalError = findings.some((f) => f.rule === INTERNAL_ERROR_RULE.id);
  if (s.golangci) {
    const run2 = await runGolangci({ cwd, patterns: s.patterns, ...s.golangci.executable ? { executable: s.golangci.executable } : {} });
    const { findings: bridged, outside } = issuesToFindings(run2.issues, s.golangci.map, root, cwd);
    if (outside.length > 0) warn(`${label}: ${plural2(outside.length, "golangci-lint issue")} outside ${root} left out`);
    const d = dedupeAgainst(bridged, findings);
    findings.push(...d.kept);
  }
  findings = computeFingerprints(findings, lines);
  return { root, findings, internalError };
}
async function run(args) {
  const redactor = new Redactor();
  const write = (s) => process.stderr.write(redactor.redact(s));
  const err = (s) => write(`deferguard: ${s}
`);
  const warn = (s) => err(`warning: ${s}`);
  let a;
  try {
    a = parseCiArgs(args);
    if (a.help) {
      process.stdout.write(USAGE);
      return 0;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`deferguard ci: ${e.message}

${USAGE}`);
      return 2;
    }
    throw e;
  }
  const note = (s) => {
    if (a.verbose) err(`note: ${s}`);
  };
  const cwd = resolve(a.dir ?? ".");
  const at = (p) => resolve(cwd, p);
  let ctx;
  try {
    ctx = readCiEnv(process.env);
  } catch (e) {
    if (e instanceof CiEnvError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
  const gh = ctx.provider === "github" ? ctx : void 0;
  redactor.add(gh?.token);
  let cfg;
  let enable;
  let exclude;
  let webhooks;
  try {
    cfg = resolveConfig(cwd, { config: a.config, patterns: a.patterns });
    enable = selectRules({ enable: [], disable: [], enableAll: false }, cfg);
    try {
      exclude = new Excluder({ globs: cfg?.exclude ?? [], defaults: cfg?.excludeDefaults ?? true });
    } catch (e) {
      if (e instanceof GlobError) throw new UsageError(`${cfg?.file ?? "configuration"}: exclude: ${e.message}`);
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
  const commentMode = a.commentMode ?? cfg?.ci.commentMode ?? "review";
  const logger = redactingLogger(stderrLogger(a.verbose || process.env.DEFERGUARD_DEBUG !== void 0), redactor);
  note(`configuration: ${cfg?.file ?? "none (built-in defaults)"}`);
  const client = gh?.token ? new GitHubClient({ token: gh.token, apiUrl: gh.apiUrl, userAgent: `deferguard/${version()}`, logger, redactor }) : void 0;
  const deliveryBase = {
    routing,
    ...webhooks.length > 0 ? { webhooks } : {},
    ...a.checkRun ? { checkRunName: a.checkRun } : {},
    ...a.requestChanges ? { requestChanges: true } : {},
    ...a.summaryKey ? { summaryKey: a.summaryKey } : {},
    commentMode
  };
  if (a.phase === "post") {
    if (!gh) {
      err("--phase post runs in a GitHub Actions workflow_run job (GITHUB_ACTIONS is not true)");
      return 2;
    }
    let report2;
    try {
      report2 = await deliverPhaseTwo(gh, at(a.artifact), { ...deliveryBase, ...a.annotations ? { annotations: a.annotations } : {}, rules: ruleMap(allRuleMetas()) }, { ...client ? { client } : {}, logger });
    } catch (e) {
      if (e instanceof ArtifactError) {
        err(`the artifact cannot be posted: ${e.message}`);
        return 2;
      }
      err(`${e instanceof Error ? e.message : String(e)}`);
      return 2;
    }
    return finish(report2, err, warn, false);
  }
  const overrides = {};
  for (const [id, s] of Object.entries(cfg?.rules ?? {})) if (s.severity) overrides[id] = s.severity;
  const baselinePath = a.baseline !== void 0 ? at(a.baseline) : cfg?.baseline !== void 0 && cfg.file ? resolve(cfg.file, "..", cfg.baseline) : void 0;
  let baseline;
  const outputs = [
    ...a.sarif !== void 0 ? [{ name: "sarif", file: a.sarif }] : [],
    ...a.json !== void 0 ? [{ name: "json", file: a.json }] : [],
    ...a.formats
  ];
  try {
    for (const o of outputs) checkWritable(at(o.file), `the ${o.name} report`, o.file);
    if (baselinePath !== void 0) baseline = readBaselineFile(baselinePath);
  } catch (e) {
    if (e instanceof OutputError || e instanceof BaselineError) {
      err(e.message);
      return 2;
    }
    throw e;
  }
  if (a.phase === "analyse" && !gh?.pullRequest) {
    err(`--phase analyse runs in a pull_request job; this is ${gh ? `a ${gh.eventName || "unknown"} event` : "not GitHub Actions"}`);
    return 2;
  }
  const golangciMap = cfg?.ci.golangciLint ?? DEFAULT_GOLANGCI_SEVERITIES;
  const settings = {
    patterns: a.patterns,
    tags: a.tags.length > 0 ? a.tags : cfg?.tags ?? [],
    jobs: a.jobs,
    enable,
    tests: cfg?.tests ?? true,
    cfg,
    exclude,
    overrides,
    cache: a.cache ? new AnalysisCache(defaultCacheDir()) : void 0,
    golangci: a.golangci ? { map: golangciMap, executable: a.golangciPath } : void 0
  };
  let head;
  try {
    head = await analyseTree(cwd, settings, warn, "head");
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
  let baselined;
  let fixed;
  if (baseline) {
    const r = applyBaseline(findings, baseline);
    findings = r.fresh;
    baselined = r.baselined.length;
    fixed = r.fixed.length;
    note(`baseline ${relative(cwd, baselinePath) || baselinePath}: ${plural2(baselined, "accepted finding")} left out, ${plural2(fixed, "entry", "entries")} fixed`);
  }
  const top = await repoRoot(moduleRoot);
  const prefix = top ? relative(top, realpathSync2(moduleRoot)).split(sep).join("/") : "";
  let diff;
  let baseFingerprints;
  if (a.onlyNew) {
    const baseRev = a.base ?? gh?.pullRequest?.baseSha ?? gh?.beforeSha ?? (process.env.CI_MERGE_REQUEST_DIFF_BASE_SHA || void 0);
    let mb;
    if (top && baseRev) {
      const baseCommit = await resolveCommit(baseRev, top);
      const headCommit = await resolveCommit("HEAD", top);
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
        diff = await diffText(mb, void 0, top);
        note(`changes: git diff against the merge base ${mb.slice(0, 12)}`);
      } catch (e) {
        warn(`git diff against ${mb.slice(0, 12)} failed: ${e.message}`);
      }
      if (a.baseAnalysis) {
        try {
          baseFingerprints = await analyseBase(mb, top, prefix, cwd, settings, warn);
          note(`merge base ${mb.slice(0, 12)}: ${plural2(baseFingerprints.size, "finding")}`);
        } catch (e) {
          warn(`the merge base ${mb.slice(0, 12)} could not be analysed (${e.message}); scoping by changed lines only`);
        }
      }
    }
    if (diff === void 0 && gh?.pullRequest && client) {
      try {
        const d = await client.getPullDiff(gh.repository, gh.pullRequest.number);
        diff = d.diff;
        note(`changes: the pull request diff from the API (${d.source === "files" ? "files endpoint" : "diff media type"})`);
        if (d.filesWithoutPatch.length > 0) note(`files without a patch in the API (binary or too large): ${d.filesWithoutPatch.join(", ")}`);
      } catch (e) {
        warn(`cannot read the pull request diff: ${e.message}`);
      }
    }
    if (diff === void 0 && baseFingerprints === void 0) {
      warn("cannot tell what the change introduced (no base revision in the clone and no pull request diff): every finding is reported");
    } else {
      const changes = diff !== void 0 ? relativeChanges(parseUnifiedDiff(diff), prefix) : void 0;
      const s = scopeToChange(findings, { ...changes ? { changes } : {}, ...baseFingerprints ? { baseFingerprints } : {} });
      findings = s.kept;
      note(`${plural2(s.kept.length, "new finding")}, ${plural2(s.dropped.length, "finding")} that the change did not introduce left out`);
    }
  }
  const reportRoot = top ?? moduleRoot;
  findings = prefixPaths(findings, prefix).sort(compareFindings);
  const rules = [...allRuleMetas(overrides), ...golangciRuleMetas(findings, golangciMap)];
  const readSource = (file) => {
    try {
      return readFileSync3(join3(reportRoot, file));
    } catch {
      return void 0;
    }
  };
  for (const o of outputs) {
    const text2 = render(o.name, findings, rules, {
      toolVersion: version(),
      source: (f) => readSource(f)?.toString("utf8"),
      tty: false,
      rootUri: pathToFileURL(reportRoot + "/").href
    });
    try {
      writeFileAtomic(at(o.file), text2, `the ${o.name} report`, o.file);
    } catch (e) {
      err(e.message);
      return 2;
    }
  }
  process.stdout.write(redactor.redact(render("text", findings, rules, { toolVersion: version(), source: (f) => readSource(f)?.toString("utf8"), tty: false })));
  if (findings.length === 0) err(summaryLine(findings));
  const input = {
    ...deliveryBase,
    findings,
    rules: ruleMap(rules),
    readSource,
    ...diff !== void 0 ? { diff } : {},
    ...a.sarif !== void 0 ? { sarifPath: at(a.sarif) } : {},
    ...baselined !== void 0 ? { baselined } : {},
    ...fixed !== void 0 ? { fixed } : {},
    annotations: a.annotations ?? (gh?.pullRequest && commentMode !== "off" ? "fallback" : "always")
  };
  const writeLog = (s) => void process.stdout.write(redactor.redact(s));
  let report;
  if (a.phase === "analyse") {
    try {
      const r = await deliverPhaseOne(gh, input, at(a.artifact), { ...client ? { client } : {}, logger, writeLog });
      err(`artifact: wrote ${r.artifactFiles.join(", ")} to ${a.artifact}; upload it for the workflow_run job (deferguard ci --phase post)`);
      report = r;
    } catch (e) {
      err(`the artifact could not be written: ${e.message}`);
      return 3;
    }
  } else {
    report = await deliver(ctx, input, { ...client ? { client } : {}, logger, writeLog });
  }
  return finish(report, err, warn, head.internalError);
}
async function analyseBase(mb, top, prefix, cwd, settings, warn) {
  const tree = await addWorktree(mb, top);
  try {
    const relCwd = relative(top, realpathSync2(cwd));
    const baseCwd = join3(tree.dir, relCwd);
    const base = await analyseTree(baseCwd, settings, (m) => warn(m), "merge base");
    const baseRel = relative(tree.dir, realpathSync2(base.root)).split(sep).join("/");
    if (baseRel !== prefix) throw new Error(`the module root is ${baseRel || "."} at the base but ${prefix || "."} now`);
    return new Set(base.findings.map((f) => f.fingerprint).filter((x) => !!x));
  } finally {
    await tree.remove();
  }
}
function ruleMap(rules) {
  return new Map(rules.map((r) => [r.id, r]));
}
function finish(report, err, warn, internal) {
  const c = report.counts;
  const parts = [];
  if (report.review) parts.push(`review: ${report.review.created} created, ${report.review.updated} updated, ${report.review.deleted} removed`);
  if (report.summary) parts.push(`summary comment ${report.summary.action}`);
  if (report.labels.length > 0) parts.push(`labels ${report.labels.join(", ")}`);
  if (report.checkRun) parts.push(`check run ${report.checkRun.id}`);
  if (report.annotationsPrinted > 0) parts.push(`${plural2(report.annotationsPrinted, "annotation")}`);
  const sent = report.alerts.filter((x) => x.ok).length;
  if (report.alerts.length > 0) parts.push(`alerts ${sent}/${report.alerts.length} sent`);
  err(`${c.critical} critical, ${c.high} high, ${c.medium} medium, ${c.low} low; result ${report.failed ? "fail" : "pass"}${parts.length ? ` (${parts.join("; ")})` : ""}`);
  for (const e of report.errors) warn(e);
  if (report.failed) return 1;
  return internal ? 3 : 0;
}
export {
  parseCiArgs,
  routingWithFailOn,
  run
};
