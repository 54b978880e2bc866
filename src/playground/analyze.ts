// The analysis as the browser playground runs it: one Go file, every rule, no file system. The
// bundle (npm run playground:build) embeds the standard-library API data in place of
// __DEFERGUARD_STDLIB__; under Node the data is read from data/stdlib-api.json as usual.
import { analyzeFiles } from '../analysis/memory.js';
import type { RuleOptions } from '../analysis/options.js';
import { parseRuleOptions } from '../analysis/options.js';
import { INTERNAL_ERROR_RULE, SYNTAX_ERROR_RULE } from '../analysis/core.js';
import type { Finding, RuleMeta } from '../findings/model.js';
import { DIRECTIVE_RULE, diagnosticsToFindings } from '../findings/suppress.js';
import { setStdlibSource } from '../types/stdlib.js';
import { analyzers } from '../rules/index.js';

declare const __DEFERGUARD_STDLIB__: string | undefined;

if (typeof __DEFERGUARD_STDLIB__ === 'string') setStdlibSource(__DEFERGUARD_STDLIB__);

export const PLAYGROUND_MODULE = 'example.com/play';
export const PLAYGROUND_FILE = 'main.go';

export interface PlaygroundResult {
  findings: Finding[];
  suppressed: number;
  /** Analysis time in milliseconds. */
  ms: number;
  /** Why the file was not analysed (build constraints), or "". */
  ignored: string;
}

/** Metadata of every rule, plus the tool's own (syntax errors, internal errors, directives). */
export function ruleMetas(): RuleMeta[] {
  return [...analyzers.map((a) => a.meta), SYNTAX_ERROR_RULE, INTERNAL_ERROR_RULE, DIRECTIVE_RULE];
}

/** Reads rule options from JSON text (the ban list and the other settings of .deferguard.yml's `options`). */
export function parseOptions(text: string): RuleOptions | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`rule options: not valid JSON: ${(e as Error).message}`);
  }
  return parseRuleOptions(value, 'rule options');
}

/** Analyses `source` as main.go of module example.com/play with every rule enabled. */
export function analyzeSource(source: string, opts: { goVersion?: string; options?: RuleOptions; rules?: readonly string[] } = {}): PlaygroundResult {
  const t0 = performance.now();
  const r = analyzeFiles({
    files: new Map([[PLAYGROUND_FILE, source]]),
    modulePath: PLAYGROUND_MODULE,
    goVersion: opts.goVersion ?? '1.22',
    analyzers,
    enable: opts.rules ?? analyzers.map((a) => a.meta.id),
    ...(opts.options ? { options: opts.options } : {}),
  });
  const findings = [...r.findings, ...diagnosticsToFindings(r.directiveProblems)];
  return { findings, suppressed: r.suppressed, ms: performance.now() - t0, ignored: r.ignored.map((x) => x.reason).join('; ') };
}
