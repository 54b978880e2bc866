// The fuzz corpus: real Go files from $(go env GOROOT)/src, or the project's own fixtures when Go is
// not installed. The list is sorted so that a seed means the same case on the same Go release.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Corpus } from './mutate.js';

export interface CorpusList {
  /** Where the files came from (shown in reports). */
  origin: string;
  files: string[];
}

/** GOROOT from the environment or `go env GOROOT`; undefined when Go is not installed. */
export function goroot(): string | undefined {
  if (process.env.GOROOT) return process.env.GOROOT;
  try {
    return execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function walk(dir: string, maxBytes: number, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const n of names) {
    const p = join(dir, n);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) walk(p, maxBytes, out);
    else if (n.endsWith('.go') && st.size <= maxBytes) out.push(p);
  }
}

/** Go files of at most maxBytes under GOROOT/src (or `dir`), else the repository's testdata. */
export function listCorpus(opts: { dir?: string; maxBytes?: number } = {}): CorpusList {
  const maxBytes = opts.maxBytes ?? 48 * 1024;
  const root = opts.dir ?? (goroot() ? join(goroot()!, 'src') : undefined);
  const files: string[] = [];
  if (root) walk(root, maxBytes, files);
  if (files.length > 0) return { origin: root!, files };
  const td = new URL('../../testdata', import.meta.url).pathname;
  walk(td, maxBytes, files);
  return { origin: td, files };
}

export function corpusOf(files: readonly string[]): Corpus {
  const cache = new Map<string, Uint8Array>();
  return {
    files,
    read(f) {
      let b = cache.get(f);
      if (!b) {
        b = new Uint8Array(readFileSync(f));
        if (cache.size > 2000) cache.clear();
        cache.set(f, b);
      }
      return b;
    },
  };
}
