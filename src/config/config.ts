// The configuration file `.deferguard.yml`: where it is found, its schema, and validation that
// names the file, line and key of every problem (never a silent default).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import { isSeverity, type Confidence, type Severity } from '../findings/model.js';
import { closest } from '../findings/suggest.js';
import { BANNED_CONTEXTS, defaultRuleOptions, type RuleOptions } from '../analysis/options.js';
import { parseRouting, type Routing } from '../ci/route.js';
import { parseGolangciSeverities, type GolangciSeverities } from '../ci/golangci.js';

export const CONFIG_NAMES = ['.deferguard.yml', '.deferguard.yaml'];

export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
  options?: Record<string, unknown>;
}

export interface Config {
  /** The file it came from, or null for the built-in defaults. */
  file: string | null;
  rules: Record<string, RuleSetting>;
  enableAll: boolean;
  /** Globs (relative to the module root) of files not to analyse. */
  exclude: string[];
  /** Skip `vendor/`, `testdata/` and generated files (default true). */
  excludeDefaults: boolean;
  tests: boolean;
  tags: string[];
  failOn: Severity | 'none' | undefined;
  /** Findings below this confidence are not reported. */
  minConfidence: Confidence | undefined;
  baseline: string | undefined;
  reportUnusedIgnores: boolean;
  /** Options for rules (ban list, blocking-call additions, handler types). */
  ruleOptions: RuleOptions;
  ci: { routes: Routing | undefined; alerts: unknown; commentMode: 'review' | 'summary' | 'off' | undefined; golangciLint?: GolangciSeverities };
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly key: string,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${key ? `${key}: ` : ''}${reason}`);
    this.name = 'ConfigError';
  }
}

export function defaultConfig(): Config {
  return {
    file: null,
    rules: {},
    enableAll: false,
    exclude: [],
    excludeDefaults: true,
    tests: true,
    tags: [],
    failOn: undefined,
    minConfidence: undefined,
    baseline: undefined,
    reportUnusedIgnores: false,
    ruleOptions: defaultRuleOptions(),
    ci: { routes: undefined, alerts: undefined, commentMode: undefined },
  };
}

/** The config file for an analysis starting at `start`: searched upward, then in $HOME. */
export function findConfig(start: string, home = homedir()): string | undefined {
  let dir = resolve(start);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  for (;;) {
    for (const n of CONFIG_NAMES) {
      const p = join(dir, n);
      if (existsSync(p)) return p;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  for (const n of CONFIG_NAMES) {
    const p = join(home, n);
    if (home && existsSync(p)) return p;
  }
  return undefined;
}

/** Reads and validates a config file. Throws ConfigError with file, line and key. */
export function loadConfig(file: string, knownRules: readonly string[]): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, 0, 0, '', `cannot read the configuration: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseConfig(text, file, knownRules);
}

type Where = (node: YamlNode | null | undefined, key: string, reason: string) => ConfigError;

export const TOP_KEYS: Record<string, string> = {
  version: 'schema version (1)',
  rules: 'rule settings by id',
  'enable-all': 'enable every rule, including those off by default',
  exclude: 'globs of files not to analyse',
  'exclude-defaults': 'skip vendor/, testdata/ and generated files',
  tests: 'analyse _test.go files',
  tags: 'build tags',
  'fail-on': 'severity gate',
  'min-confidence': 'report only findings of at least this confidence',
  baseline: 'baseline file',
  'report-unused-ignores': 'report suppressions that matched nothing',
  'blocking-calls': 'additions to the blocking-call catalogue',
  handlers: 'additional request-handler parameter types',
  'banned-calls': 'the team ban list',
  ci: 'CI delivery settings',
};

/** Parses config text (YAML or JSON). */
export function parseConfig(text: string, file: string, knownRules: readonly string[]): Config {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at: Where = (node, key, reason) => {
    const off = node?.range?.[0] ?? 0;
    const p = lc.linePos(off);
    return new ConfigError(file, p.line, p.col, key, reason);
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const p = lc.linePos(e.pos[0]);
    throw new ConfigError(file, p.line, p.col, '', `invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const cfg = defaultConfig();
  cfg.file = file;
  const root = doc.contents as YamlNode | null;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return cfg;
  if (!isMap(root)) throw at(root, '', 'the configuration must be a mapping of keys such as rules, exclude, fail-on');

  for (const pair of root.items as Pair<YamlNode, YamlNode>[]) {
    const key = scalarKey(pair, at);
    const val = pair.value;
    if (!Object.hasOwn(TOP_KEYS, key)) {
      throw at(pair.key, key, `unknown key${suggest(key, Object.keys(TOP_KEYS))}; known keys: ${Object.keys(TOP_KEYS).join(', ')}`);
    }
    switch (key) {
      case 'version': {
        const v = scalar(val);
        if (v !== 1) throw at(val, key, 'must be 1');
        break;
      }
      case 'rules': cfg.rules = parseRules(val, knownRules, at); break;
      case 'enable-all': cfg.enableAll = bool(val, key, at); break;
      case 'exclude': cfg.exclude = stringList(val, key, at); break;
      case 'exclude-defaults': cfg.excludeDefaults = bool(val, key, at); break;
      case 'tests': cfg.tests = bool(val, key, at); break;
      case 'tags': cfg.tags = stringList(val, key, at); break;
      case 'fail-on': {
        const v = scalar(val);
        if (typeof v !== 'string' || (v !== 'none' && !isSeverity(v))) throw at(val, key, 'must be one of critical, high, medium, low, none');
        cfg.failOn = v as Severity | 'none';
        break;
      }
      case 'min-confidence': {
        const v = scalar(val);
        if (v !== 'low' && v !== 'medium' && v !== 'high') throw at(val, key, 'must be one of low, medium, high');
        cfg.minConfidence = v;
        break;
      }
      case 'baseline': cfg.baseline = str(val, key, at); break;
      case 'report-unused-ignores': cfg.reportUnusedIgnores = bool(val, key, at); break;
      case 'blocking-calls': cfg.ruleOptions.blockingCalls = stringList(val, key, at); break;
      case 'handlers': cfg.ruleOptions.handlers = stringList(val, key, at); break;
      case 'banned-calls': cfg.ruleOptions.banned = parseBanned(val, at); break;
      case 'ci': cfg.ci = parseCi(val, at); break;
    }
  }
  for (const [id, s] of Object.entries(cfg.rules)) if (s.options) cfg.ruleOptions.rules[id] = s.options;
  return cfg;
}

function scalarKey(pair: Pair<YamlNode, YamlNode>, at: Where): string {
  const k = pair.key;
  if (!isScalar(k) || typeof k.value !== 'string') throw at(k as YamlNode, '', 'keys must be plain strings');
  return k.value;
}

function scalar(n: YamlNode | null | undefined): unknown {
  return n && isScalar(n) ? n.value : undefined;
}

function bool(n: YamlNode | null | undefined, key: string, at: Where): boolean {
  const v = scalar(n);
  if (typeof v !== 'boolean') throw at(n, key, 'must be true or false');
  return v;
}

function str(n: YamlNode | null | undefined, key: string, at: Where): string {
  const v = scalar(n);
  if (typeof v !== 'string' || v.trim() === '') throw at(n, key, 'must be a non-empty string');
  return v;
}

function stringList(n: YamlNode | null | undefined, key: string, at: Where): string[] {
  if (!n || !isSeq(n)) throw at(n, key, 'must be a list of strings');
  return (n.items as YamlNode[]).map((it, i) => str(it, `${key}[${i}]`, at));
}

function parseRules(n: YamlNode | null | undefined, known: readonly string[], at: Where): Record<string, RuleSetting> {
  if (!n || !isMap(n)) throw at(n, 'rules', 'must be a mapping from rule id to on, off, a severity, or {enabled, severity, options}');
  const out: Record<string, RuleSetting> = {};
  for (const pair of n.items as Pair<YamlNode, YamlNode>[]) {
    const id = scalarKey(pair, at);
    const key = `rules.${id}`;
    if (!known.includes(id)) throw at(pair.key, key, `unknown rule${suggest(id, known)} (deferguard rules lists them)`);
    const v = pair.value;
    if (v && isMap(v)) {
      const s: RuleSetting = {};
      for (const p of v.items as Pair<YamlNode, YamlNode>[]) {
        const k = scalarKey(p, at);
        if (k === 'enabled') s.enabled = bool(p.value, `${key}.enabled`, at);
        else if (k === 'severity') {
          const sv = scalar(p.value);
          if (typeof sv !== 'string' || !isSeverity(sv)) throw at(p.value, `${key}.severity`, 'must be one of critical, high, medium, low');
          s.severity = sv;
        } else if (k === 'options') {
          const o = p.value;
          if (!o || !isMap(o)) throw at(o, `${key}.options`, 'must be a mapping');
          s.options = o.toJSON() as Record<string, unknown>;
        } else throw at(p.key, `${key}.${k}`, `unknown key${suggest(k, ['enabled', 'severity', 'options'])}; known: enabled, severity, options`);
      }
      out[id] = s;
      continue;
    }
    const sv = scalar(v);
    if (sv === 'off' || sv === false) out[id] = { enabled: false };
    else if (sv === 'on' || sv === true) out[id] = { enabled: true };
    else if (typeof sv === 'string' && isSeverity(sv)) out[id] = { enabled: true, severity: sv };
    else throw at(v, key, 'must be on, off, a severity (critical, high, medium, low) or {enabled, severity, options}');
  }
  return out;
}

function parseBanned(n: YamlNode | null | undefined, at: Where): RuleOptions['banned'] {
  if (!n || !isSeq(n)) throw at(n, 'banned-calls', 'must be a list of {name, context, severity, reason}');
  return (n.items as YamlNode[]).map((it, i) => {
    const key = `banned-calls[${i}]`;
    if (!isMap(it)) throw at(it, key, 'must be a mapping with name, context, severity, reason');
    const e: Record<string, YamlNode | null> = {};
    for (const p of it.items as Pair<YamlNode, YamlNode>[]) {
      const k = scalarKey(p, at);
      if (!['name', 'context', 'severity', 'reason'].includes(k)) throw at(p.key, `${key}.${k}`, `unknown key${suggest(k, ['name', 'context', 'severity', 'reason'])}`);
      e[k] = p.value;
    }
    if (!e.name) throw at(it, `${key}.name`, 'is required: a qualified name such as os.RemoveAll or (*database/sql.DB).Exec');
    const name = str(e.name, `${key}.name`, at);
    const context = e.context ? str(e.context, `${key}.context`, at) : 'anywhere';
    if (!(BANNED_CONTEXTS as readonly string[]).includes(context)) throw at(e.context, `${key}.context`, `must be one of ${BANNED_CONTEXTS.join(', ')}`);
    const severity = e.severity ? str(e.severity, `${key}.severity`, at) : 'medium';
    if (!isSeverity(severity)) throw at(e.severity, `${key}.severity`, 'must be one of critical, high, medium, low');
    const reason = e.reason ? str(e.reason, `${key}.reason`, at) : '';
    return { name, context: context as (typeof BANNED_CONTEXTS)[number], severity, reason };
  });
}

function parseCi(n: YamlNode | null | undefined, at: Where): Config['ci'] {
  const out: Config['ci'] = { routes: undefined, alerts: undefined, commentMode: undefined };
  if (!n || !isMap(n)) throw at(n, 'ci', 'must be a mapping with routes, alerts, comment-mode, golangci-lint');
  for (const p of n.items as Pair<YamlNode, YamlNode>[]) {
    const k = scalarKey(p, at);
    if (k === 'routes') {
      try {
        out.routes = parseRouting((p.value as YamlNode | null)?.toJSON(), 'ci.routes');
      } catch (e) {
        throw at(p.value, 'ci.routes', (e as Error).message);
      }
    } else if (k === 'alerts') {
      if (!p.value || !isSeq(p.value)) throw at(p.value, 'ci.alerts', 'must be a list of webhook targets');
      out.alerts = (p.value as YamlNode).toJSON();
    } else if (k === 'comment-mode') {
      const v = scalar(p.value);
      if (v !== 'review' && v !== 'summary' && v !== 'off') throw at(p.value, 'ci.comment-mode', 'must be review, summary or off');
      out.commentMode = v;
    } else if (k === 'golangci-lint') {
      try {
        out.golangciLint = parseGolangciSeverities((p.value as YamlNode | null)?.toJSON(), 'ci.golangci-lint');
      } catch (e) {
        throw at(p.value, 'ci.golangci-lint', (e as Error).message);
      }
    } else throw at(p.key, `ci.${k}`, `unknown key${suggest(k, ['routes', 'alerts', 'comment-mode', 'golangci-lint'])}; known: routes, alerts, comment-mode, golangci-lint`);
  }
  return out;
}

/** " (did you mean X?)" for a near miss, else "". */
function suggest(word: string, options: readonly string[]): string {
  const best = closest(word, options);
  return best ? ` (did you mean ${best}?)` : '';
}

/** A commented starter configuration (`deferguard init`). */
export function starterConfig(rules: readonly { id: string; severity: Severity; enabledByDefault: boolean; summary: string }[]): string {
  const lines = [
    '# deferguard configuration. Reference: deferguard explain <rule>, docs/configuration.md.',
    '# Editors: the JSON Schema is schema/deferguard.schema.json in the deferguard package.',
    'version: 1',
    '',
    '# Fail (exit code 1) on findings at or above this severity: critical, high, medium, low, none.',
    'fail-on: high',
    '',
    '# Rules: on, off, a severity (critical, high, medium, low), or {enabled, severity, options}.',
    'rules:',
  ];
  for (const r of [...rules].sort((a, b) => a.id.localeCompare(b.id))) {
    lines.push(`  # ${r.summary}`);
    lines.push(`  ${r.enabledByDefault ? '' : '# '}${r.id}: ${r.enabledByDefault ? r.severity : 'on'}`);
  }
  lines.push(
    '',
    '# Files not to analyse (globs relative to the module root). vendor/, testdata/ and generated',
    '# files (// Code generated ... DO NOT EDIT.) are skipped unless exclude-defaults is false.',
    'exclude: []',
    '',
    '# Calls that can block, added to the built-in catalogue (qualified names).',
    '# blocking-calls:',
    '#   - "(*example.com/db.Pool).Drain"',
    '',
    '# Request-handler parameter types, added to net/http, gin, echo, fiber, chi and gRPC.',
    '# handlers:',
    '#   - "*example.com/web.Context"',
    '',
    "# The team's ban list: context is defer, defer-in-loop, loop, handler or anywhere.",
    '# banned-calls:',
    '#   - name: os.RemoveAll',
    '#     context: defer',
    '#     severity: high',
    '#     reason: deferred recursive deletes have removed the wrong directory after a failed chdir',
    '',
    '# Accepted findings (write one with --write-baseline).',
    '# baseline: .deferguard-baseline.json',
    '',
  );
  return lines.join('\n');
}
