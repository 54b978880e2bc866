// Shared by the runtime commands (stacks, watch, cost): reading a module's sources for a goroutine
// dump (paths made relative, source lines) and running the static analysis on that module to join
// runtime observations with findings.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { analyze, DriverError } from '../analysis/driver.js';
import type { Finding } from '../findings/model.js';
import { analyzers, REGISTRY_URL } from '../rules/index.js';
import { makeCorrelator, type Correlator } from '../runtime/correlate.js';
import { makeRelativizer } from '../runtime/render.js';

export interface SourceAccess {
  dir: string;
  /** Dump path → path relative to `dir` (unchanged when outside it). */
  rel: (file: string) => string;
  /** Line `line` (1-based) of a dump path, when the file is under `dir`. */
  sourceLine: (file: string, line: number) => string | undefined;
  /** Text of a `dir`-relative file. */
  read: (relFile: string) => string | undefined;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Checks that `dir` is a directory; returns its absolute path or an error message. */
export function sourceDir(dir: string): string | { error: string } {
  const abs = resolve(dir);
  try {
    if (statSync(abs).isDirectory()) return abs;
  } catch {
    // reported below
  }
  return { error: `--source ${dir}: not a directory` };
}

export function sourceAccess(dir: string): SourceAccess {
  const rel = makeRelativizer(dir, (tail) => isFile(join(dir, tail)));
  const texts = new Map<string, string | undefined>();
  const read = (relFile: string): string | undefined => {
    const path = isAbsolute(relFile) ? relFile : join(dir, relFile);
    if (path !== dir && !path.startsWith(dir + sep)) return undefined;
    if (!texts.has(path)) {
      try {
        texts.set(path, readFileSync(path, 'utf8'));
      } catch {
        texts.set(path, undefined);
      }
    }
    return texts.get(path);
  };
  const lines = new Map<string, string[] | undefined>();
  const sourceLine = (file: string, line: number): string | undefined => {
    const r = rel(file);
    if (!lines.has(r)) lines.set(r, read(r)?.split('\n'));
    return lines.get(r)?.[line - 1];
  };
  return { dir, rel, sourceLine, read };
}

export interface StaticJoin {
  findings: Finding[];
  correlator: Correlator;
  warnings: string[];
}

/**
 * Runs every rule on the module at `dir` (the same driver as `check`) and builds the correlator.
 * Finding paths are made relative to `dir`, like the runtime paths. Analysis failures become a
 * warning and an empty join: the runtime report is still useful without it.
 */
export async function staticJoin(access: SourceAccess, patterns: string[] = []): Promise<StaticJoin> {
  const warnings: string[] = [];
  let findings: Finding[] = [];
  try {
    const result = await analyze({
      cwd: access.dir,
      patterns,
      registry: REGISTRY_URL,
      enable: analyzers.map((a) => a.meta.id),
    });
    for (const e of result.loadErrors) warnings.push(e);
    findings = result.findings.map((f) => {
      const abs = join(result.root, f.file);
      const r = relative(access.dir, abs).split(sep).join('/');
      const related = f.related.map((x) => ({ ...x, file: relative(access.dir, join(result.root, x.file)).split(sep).join('/') }));
      return { ...f, file: r, related };
    });
  } catch (e) {
    if (!(e instanceof DriverError)) throw e;
    warnings.push(`static analysis of ${access.dir} failed: ${e.message}`);
  }
  return { findings, correlator: makeCorrelator(findings, access.read), warnings };
}
