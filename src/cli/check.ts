// deferguard [check] [PATTERN...]: analyse Go packages and report findings in one or more formats.
// Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error, 3 internal error.
import { readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, defaultJobs, DriverError } from '../analysis/driver.js';
import { INTERNAL_ERROR_RULE, SYNTAX_ERROR_RULE } from '../analysis/engine.js';
import { applyGate, GateError, parseFailOn, type FailOn } from '../findings/gate.js';
import type { RuleMeta } from '../findings/model.js';
import { formatNames, FORMATS, render } from '../report/index.js';
import { analyzers, defaultEnabled, REGISTRY_URL } from '../rules/index.js';
import { version } from './main.js';

const USAGE = `usage: deferguard [check] [flags] [PATTERN...]

Analyses the Go packages matching the patterns (default ./...) for hazards around defer,
recover and goroutine lifetimes. Run it in a module (or a directory inside one), or point
at one with -C.

flags:
  -C, --dir DIR            run as if started in DIR
  --format NAME[=FILE]     output format, repeatable: ${formatNames().join(', ')}
                           (default text to standard output; =FILE writes to a file)
  --fail-on SEVERITY       exit 1 when a finding is at or above: critical, high (default), medium, low, none
  --enable ID,...          also run these rules
  --disable ID,...         do not run these rules
  --enable-all             run every rule, including the ones off by default
  --jobs N                 worker threads (default: number of cores)
  --tags a,b               build tags
  --no-color               plain text output even on a terminal
  --no-tests               skip _test.go files
  -v, --verbose            also print loader and type-checker notes

exit codes: 0 no finding at or above the gate, 1 findings at or above it, 2 usage error,
3 internal error (a rule or the analysis failed; the other findings are still reported).
`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CheckArgs {
  dir: string | undefined;
  patterns: string[];
  formats: { name: string; file: string | undefined }[];
  failOn: FailOn;
  enable: string[];
  disable: string[];
  enableAll: boolean;
  jobs: number;
  tags: string[];
  color: boolean;
  tests: boolean;
  verbose: boolean;
  help: boolean;
}

function list(v: string): string[] {
  return v.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

export function parseCheckArgs(args: readonly string[]): CheckArgs {
  const out: CheckArgs = {
    dir: undefined, patterns: [], formats: [], failOn: 'high', enable: [], disable: [], enableAll: false,
    jobs: defaultJobs(), tags: [], color: true, tests: true, verbose: false, help: false,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw new UsageError(`flag ${name} needs a value`);
      return v;
    };
    switch (name) {
      case '-h': case '--help': out.help = true; break;
      case '-C': case '--dir': out.dir = value(); break;
      case '--format': {
        const v = value();
        const k = v.indexOf('=');
        const fname = k >= 0 ? v.slice(0, k) : v;
        const file = k >= 0 ? v.slice(k + 1) : undefined;
        if (!Object.hasOwn(FORMATS, fname)) throw new UsageError(`unknown output format "${fname}": use one of ${formatNames().join(', ')}`);
        if (file === '') throw new UsageError(`--format ${fname}=: the file name is empty`);
        out.formats.push({ name: fname, file });
        break;
      }
      case '--fail-on':
        try {
          out.failOn = parseFailOn(value());
        } catch (e) {
          throw new UsageError((e as GateError).message);
        }
        break;
      case '--enable': out.enable.push(...list(value())); break;
      case '--disable': out.disable.push(...list(value())); break;
      case '--enable-all': out.enableAll = true; break;
      case '--jobs': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) throw new UsageError(`invalid --jobs value "${v}": use a whole number from 1 to 256`);
        out.jobs = Number(v);
        break;
      }
      case '--tags': out.tags.push(...list(value())); break;
      case '--no-color': out.color = false; break;
      case '--no-tests': out.tests = false; break;
      case '-v': case '--verbose': out.verbose = true; break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown flag ${a}`);
        out.patterns.push(a);
    }
  }
  if (out.formats.length === 0) out.formats.push({ name: 'text', file: undefined });
  if (out.formats.filter((f) => f.file === undefined).length > 1) {
    throw new UsageError('only one --format can write to standard output; give the others a file (--format sarif=out.sarif)');
  }
  return out;
}

/** The rule ids to run: defaults (or all), plus --enable, minus --disable. Unknown ids are usage errors. */
export function selectRules(a: Pick<CheckArgs, 'enable' | 'disable' | 'enableAll'>): string[] {
  const known = new Set(analyzers.map((x) => x.meta.id));
  for (const id of [...a.enable, ...a.disable]) {
    if (!known.has(id)) throw new UsageError(`unknown rule "${id}": run "deferguard rules" for the list`);
  }
  const on = new Set(a.enableAll ? known : defaultEnabled());
  for (const id of a.enable) on.add(id);
  for (const id of a.disable) on.delete(id);
  return analyzers.map((x) => x.meta.id).filter((id) => on.has(id));
}

/** Metadata of every rule a report may mention. */
export function allRuleMetas(): RuleMeta[] {
  return [...analyzers.map((a) => a.meta), SYNTAX_ERROR_RULE, INTERNAL_ERROR_RULE];
}

export async function run(args: string[]): Promise<number> {
  let a: CheckArgs;
  let enable: string[];
  try {
    a = parseCheckArgs(args);
    if (a.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    enable = selectRules(a);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`deferguard: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  const cwd = resolve(a.dir ?? '.');
  let result;
  try {
    result = await analyze({ cwd, patterns: a.patterns, tags: a.tags, jobs: a.jobs, registry: REGISTRY_URL, enable, tests: a.tests });
  } catch (e) {
    if (e instanceof DriverError) {
      process.stderr.write(`deferguard: ${e.message}\n`);
      return 3;
    }
    throw e;
  }
  for (const err of result.loadErrors) process.stderr.write(`deferguard: warning: ${err}\n`);
  if (a.verbose) for (const n of result.notes) process.stderr.write(`deferguard: note: ${n}\n`);
  if (result.packages === 0) {
    process.stderr.write(`deferguard: no Go packages matched ${(a.patterns.length ? a.patterns : ['./...']).join(' ')} in ${cwd}\n`);
  }
  const root = result.root;
  const source = (file: string): string | undefined => {
    try {
      return readFileSync(isAbsolute(file) ? file : join(root, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  const rules = allRuleMetas();
  const tty = !!process.stdout.isTTY && a.color && !process.env.NO_COLOR;
  for (const f of a.formats) {
    const text = render(f.name, result.findings, rules, {
      toolVersion: version(),
      source,
      tty: f.file === undefined && f.name === 'text' ? tty : false,
      rootUri: pathToFileURL(root + '/').href,
    });
    if (f.file === undefined) process.stdout.write(text);
    else {
      try {
        writeFileSync(resolve(f.file), text);
      } catch (e) {
        process.stderr.write(`deferguard: cannot write ${f.name} report to ${f.file}: ${(e as Error).message}\n`);
        return 3;
      }
    }
  }
  if (result.findings.some((f) => f.rule === INTERNAL_ERROR_RULE.id)) return 3;
  return applyGate(result.findings, a.failOn).failed ? 1 : 0;
}
