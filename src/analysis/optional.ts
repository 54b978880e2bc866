// Loading of type-layer modules that a build may not contain yet (the type checker, the
// control-flow graph, the call graph). A missing module means "unknown", a module that fails to
// load is reported once as a note; the analysis goes on either way.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as ast from '../syntax/ast.js';
import type { SourceFile } from '../syntax/source.js';
import type { TypeInfo } from '../types/api.js';

/** The source extension of this build: .ts under a TypeScript loader, .js when compiled. */
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The URL of a module of this package, relative to src/ (or dist/). */
export function ownModuleUrl(relFromSrc: string): URL {
  return new URL(`../${relFromSrc}${EXT}`, import.meta.url);
}

export interface OptionalModule<T> {
  module: T | undefined;
  /** Why it is not available ("" when it is, or simply absent). */
  problem: string;
}

async function loadOptional<T>(relFromSrc: string): Promise<OptionalModule<T>> {
  const url = ownModuleUrl(relFromSrc);
  if (!existsSync(fileURLToPath(url))) return { module: undefined, problem: '' };
  try {
    return { module: (await import(url.href)) as T, problem: '' };
  } catch (e) {
    return { module: undefined, problem: `${relFromSrc}: could not be loaded: ${(e as Error).message}` };
  }
}

export interface CheckInput {
  path: string;
  name: string;
  files: { file: ast.File; source: SourceFile; goVersion: string }[];
  importer: (importPath: string) => { name: string; files: ast.File[] } | undefined;
}

export type CheckPackage = (input: CheckInput) => { info: TypeInfo; errors: string[] };

export async function loadChecker(): Promise<{ check: CheckPackage | undefined; problem: string }> {
  const m = await loadOptional<{ checkPackage?: CheckPackage }>('types/check');
  if (m.module && typeof m.module.checkPackage !== 'function') return { check: undefined, problem: 'types/check: no checkPackage export' };
  return { check: m.module?.checkPackage, problem: m.problem };
}

export interface GraphModules {
  cfg: Record<string, unknown> | undefined;
  callgraph: Record<string, unknown> | undefined;
  problems: string[];
}

export async function loadGraphModules(): Promise<GraphModules> {
  const [cfg, callgraph] = await Promise.all([
    loadOptional<Record<string, unknown>>('types/cfg'),
    loadOptional<Record<string, unknown>>('types/callgraph'),
  ]);
  return { cfg: cfg.module, callgraph: callgraph.module, problems: [cfg.problem, callgraph.problem].filter((p) => p !== '') };
}
