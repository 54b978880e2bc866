// Worker thread of scripts/parity-types.ts: type-checks one package at a time with deferguard's
// resolver (src/types/check.ts) and answers with our callee name for every call expression. It
// runs apart from the main thread so that a check that hangs can be stopped (the worker is
// terminated, its cache of parsed imports with it) without ending the run.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { readFileLimited } from '../src/load/files.js';
import { SourceImporter, type ImportFn } from '../src/load/importer.js';
import type * as ast from '../src/syntax/ast.js';
import type { BuildContext } from '../src/syntax/constraint.js';
import { inspect } from '../src/syntax/nodes.js';
import { parseFile } from '../src/syntax/parser.js';
import type { SourceFile } from '../src/syntax/source.js';
import type { TypeInfo } from '../src/types/api.js';
import type { CheckInput, CheckResult, Universe } from '../src/types/check.js';
import { ourCalleeName, funShape, type FunShape } from './parity-types-naming.js';

/** What src/types/check.ts exports: checkPackage, and optionally a Universe shared across packages. */
interface CheckerModule {
  checkPackage: (input: CheckInput) => CheckResult;
  Universe?: new (importer?: ImportFn) => Universe;
}

export interface TypesInit {
  type: 'init';
  ctx: BuildContext;
  goroot: string;
  /** Canonical import path → absolute directory of every package the loader knows. */
  dirs: [string, string][];
}

export interface TypesJob {
  type: 'job';
  importPath: string;
  name: string;
  files: { abs: string; goVersion: string }[];
}

/** One call expression: Lparen offset, our name (null: no answer), the shape of its Fun. */
export type OurCall = [offset: number, name: string | null, shape: FunShape];

export type TypesAnswer =
  | { type: 'ready'; checker: string }
  | { type: 'fatal'; error: string }
  | {
      type: 'result';
      importPath: string;
      files: { abs: string; calls: OurCall[] }[];
      /** Our checker's errors (first few) and their count; a throw is reported in `threw`. */
      errors: string[];
      errorCount: number;
      threw: string;
      /** Time in checkPackage alone, in milliseconds. */
      checkMs: number;
      parseMs: number;
    };

function message(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}${e.stack ? ` (${e.stack.split('\n')[1]?.trim() ?? ''})` : ''}`;
  return String(e);
}

// DEFERGUARD_PARITY_CHECKER names a module exporting checkPackage to check instead of ours.
const defaultChecker = join(fileURLToPath(new URL('..', import.meta.url)), 'src', 'types', 'check.ts');

async function loadChecker(): Promise<{ mod: CheckerModule; path: string } | string> {
  const path = process.env.DEFERGUARD_PARITY_CHECKER ? resolve(process.env.DEFERGUARD_PARITY_CHECKER) : defaultChecker;
  if (!existsSync(path)) return `the type resolver ${path} does not exist`;
  try {
    const m = (await import(pathToFileURL(path).href)) as Partial<CheckerModule>;
    if (typeof m.checkPackage !== 'function') return `${path} does not export a checkPackage function`;
    return { mod: m as CheckerModule, path };
  } catch (e) {
    return `cannot load ${path}: ${message(e)}`;
  }
}

const port = parentPort;
if (port) {
  const loaded = await loadChecker();
  let importer: SourceImporter | undefined;
  // One universe per vendor context (std, cmd, other modules): a universe caches imported
  // packages by the import path as written, which a vendor directory makes context-dependent.
  const universes = new Map<string, Universe | undefined>();
  const universeFor = (mod: CheckerModule, imp: SourceImporter, from: string): Universe | undefined => {
    const key = imp.vendorContext(from);
    if (!universes.has(key)) universes.set(key, mod.Universe ? new mod.Universe(imp.importerFor(from)) : undefined);
    return universes.get(key);
  };
  port.on('message', (m: TypesInit | TypesJob) => {
    if (m.type === 'init') {
      importer = new SourceImporter({ ctx: m.ctx, goroot: m.goroot, dirs: new Map(m.dirs), cacheBytes: 8 * 1024 * 1024 });
      universes.clear();
      return;
    }
    if (typeof loaded === 'string' || !importer) return;
    const t0 = performance.now();
    const files: { file: ast.File; source: SourceFile; goVersion: string }[] = [];
    const errors: string[] = [];
    for (const f of m.files) {
      const read = readFileLimited(f.abs, f.abs);
      if (!read.ok) {
        errors.push(read.error);
        continue;
      }
      const r = parseFile(f.abs, read.bytes, { mode: 'full' });
      files.push({ file: r.file, source: r.source, goVersion: f.goVersion });
    }
    const t1 = performance.now();
    let info: TypeInfo | undefined;
    let threw = '';
    let errorCount = errors.length;
    try {
      const universe = universeFor(loaded.mod, importer, m.importPath);
      const r = loaded.mod.checkPackage({ path: m.importPath, name: m.name, files, importer: importer.importerFor(m.importPath), ...(universe ? { universe } : {}) });
      info = r.info;
      errorCount += r.errors.length;
      errors.push(...r.errors.slice(0, 3));
    } catch (e) {
      threw = `checkPackage threw: ${message(e)}`;
    }
    const t2 = performance.now();
    const out: { abs: string; calls: OurCall[] }[] = [];
    for (const f of files) {
      const calls: OurCall[] = [];
      inspect(f.file, (n) => {
        if (n.kind !== 'CallExpr') return;
        let name: string | null = null;
        if (info) {
          try {
            name = ourCalleeName(n, info.callee(n));
          } catch (e) {
            if (!threw) threw = `callee() threw at ${f.source.name}:${f.source.position(n.lparen).line}: ${message(e)}`;
          }
        }
        calls.push([n.lparen, name, funShape(n.fun)]);
      });
      out.push({ abs: f.source.name, calls });
    }
    port.postMessage({
      type: 'result', importPath: m.importPath, files: out, errors: errors.slice(0, 3), errorCount, threw, checkMs: t2 - t1, parseMs: t1 - t0,
    } satisfies TypesAnswer);
  });
  port.postMessage((typeof loaded === 'string' ? { type: 'fatal', error: loaded } : { type: 'ready', checker: loaded.path }) satisfies TypesAnswer);
}
