// Runs one fuzz case through the parser and the whole analysis engine (every rule, as a one-file
// package) and judges the outcome. A crash is anything that escapes or is only caught by a
// safety net: an exception, an "internal parser error", an internal-error finding (a rule threw),
// a type checker that threw, or a finding that points outside the file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFile } from '../../src/syntax/parser.js';
import { Engine, INTERNAL_ERROR_RULE, SYNTAX_ERROR_RULE, type Unit } from '../../src/analysis/engine.js';
import { defaultRuleOptions, type RuleOptions } from '../../src/analysis/options.js';
import { analyzers, REGISTRY_URL } from '../../src/rules/index.js';
import type { FuzzCase } from './mutate.js';

export interface CaseOutcome {
  seed: number;
  status: 'ok' | 'crash';
  /** What went wrong (crash only). */
  problem?: string;
  parseErrors: number;
  /** The file parsed, so every rule ran on it. */
  rulesRan: boolean;
  findings: number;
  bytes: number;
  ms: number;
}

/** Rule options that make the configurable rules do work too. */
export function fuzzRuleOptions(): RuleOptions {
  const o = defaultRuleOptions();
  o.banned.push(
    { name: 'os.RemoveAll', context: 'anywhere', severity: 'high', reason: 'fuzz' },
    { name: 'time.Sleep', context: 'defer', severity: 'medium', reason: 'fuzz' },
    { name: 'fmt.Println', context: 'loop', severity: 'low', reason: 'fuzz' },
  );
  o.blockingCalls.push('fmt.Println');
  return o;
}

function lineCount(b: Uint8Array): number {
  let n = 1;
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) n++;
  return n;
}

export class CaseChecker {
  private constructor(private readonly engine: Engine, private readonly dir: string) {}

  /** `dir` is a scratch directory the case files are written to (one checker per directory). */
  static async create(dir: string): Promise<CaseChecker> {
    mkdirSync(dir, { recursive: true });
    const engine = await Engine.create({
      root: dir,
      registry: REGISTRY_URL,
      enable: analyzers.map((a) => a.meta.id),
      options: fuzzRuleOptions(),
      table: {},
      knownRules: analyzers.map((a) => a.meta.id),
      maxFileSize: 64 * 1024 * 1024,
    });
    return new CaseChecker(engine, dir);
  }

  check(c: FuzzCase): CaseOutcome {
    const t0 = performance.now();
    const out: CaseOutcome = { seed: c.seed, status: 'ok', parseErrors: 0, rulesRan: false, findings: 0, bytes: c.bytes.length, ms: 0 };
    const crash = (problem: string): CaseOutcome => {
      out.status = 'crash';
      out.problem = problem;
      out.ms = performance.now() - t0;
      return out;
    };
    const name = c.test ? 'x_test.go' : 'x.go';
    // 1. The parser on its own.
    let errors: { message: string; line: number; column: number }[];
    try {
      errors = parseFile(name, c.bytes).errors;
    } catch (e) {
      return crash(`parseFile threw: ${(e as Error)?.stack ?? String(e)}`);
    }
    out.parseErrors = errors.length;
    const internal = errors.find((e) => e.message.startsWith('internal parser error'));
    if (internal) return crash(`parser: ${internal.line}:${internal.column}: ${internal.message}`);
    // 2. The engine: read, parse, directives, type check, every rule.
    const abs = join(this.dir, name);
    writeFileSync(abs, c.bytes);
    const unit: Unit = {
      key: 'fuzz/p',
      importPath: 'fuzz/p',
      name: 'p',
      dir: '.',
      modulePath: 'fuzz',
      moduleGoVersion: 'go1.22',
      files: [{ path: name, absPath: abs, name, goVersion: c.goVersion, generated: false, test: c.test }],
    };
    let r: ReturnType<Engine['analyze']>;
    try {
      r = this.engine.analyze(unit);
    } catch (e) {
      return crash(`engine threw: ${(e as Error)?.stack ?? String(e)}`);
    }
    out.rulesRan = !r.findings.some((f) => f.rule === SYNTAX_ERROR_RULE.id) && errors.length === 0;
    out.findings = r.findings.length;
    const ie = r.findings.find((f) => f.rule === INTERNAL_ERROR_RULE.id);
    if (ie) return crash(`${ie.file}:${ie.line}: ${ie.message}`);
    const tc = r.notes.find((n) => n.includes('type checking failed'));
    if (tc) return crash(tc);
    const lines = lineCount(c.bytes);
    for (const f of r.findings) {
      const bad = !(f.line >= 1 && f.line <= lines && f.column >= 1 && f.endLine >= f.line && f.endLine <= lines && f.endColumn >= 1);
      if (bad || typeof f.message !== 'string' || f.message === '') {
        return crash(`finding of ${f.rule} out of the file (${lines} lines): ${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${JSON.stringify(f.message)}`);
      }
    }
    out.ms = performance.now() - t0;
    return out;
  }
}
