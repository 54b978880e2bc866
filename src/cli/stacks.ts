// deferguard stacks <file|->: groups the goroutines of a dump (pprof goroutine?debug=2 or
// debug=1, panic or SIGQUIT output, go test -timeout output, goroutineleak) and shows counts,
// states, creation sites, goroutines blocked for long and goroutines stuck in deferred calls.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { analyze, type Similarity } from '../runtime/group.js';
import { DumpParseError, parseDump } from '../runtime/goroutines.js';
import { makeRelativizer, relativizeAnalysis, renderJson, renderText } from '../runtime/render.js';

const USAGE = `usage: deferguard stacks <file|-> [flags]

Analyses a goroutine dump: pprof goroutine?debug=2 or ?debug=1, goroutineleak, the output of a
panic with GOTRACEBACK=all, a SIGQUIT dump, or go test -timeout output. "-" reads stdin.

flags:
  --format text|json     output format (default text)
  --source DIR           module root: show paths relative to it, and read its files to recognise
                         deferred calls that run at a function's closing brace
  --similarity MODE      group goroutines whose arguments differ: any (default), similar
                         (same shape, any pointer value), exact
  --min-minutes N        "blocked for a long time" threshold in minutes (default 1)
  --frames N             frames shown per group in text output (default 10, 0 = all)
`;

interface Flags {
  input?: string;
  format: 'text' | 'json';
  source?: string;
  similarity: Similarity;
  minMinutes: number;
  frames: number;
}

function parseArgs(args: string[]): Flags | string {
  const f: Flags = { format: 'text', similarity: 'any', minMinutes: 1, frames: 10 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : args[++i]);
    switch (name) {
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json') return `--format must be text or json, got ${JSON.stringify(v ?? '')}`;
        f.format = v;
        break;
      }
      case '--source': {
        const v = value();
        if (!v) return '--source needs a directory';
        f.source = v;
        break;
      }
      case '--similarity': {
        const v = value();
        if (v !== 'any' && v !== 'similar' && v !== 'exact') return `--similarity must be any, similar or exact, got ${JSON.stringify(v ?? '')}`;
        f.similarity = v;
        break;
      }
      case '--min-minutes':
      case '--frames': {
        const v = value();
        if (v === undefined || !/^\d+$/.test(v)) return `${name} needs a whole number, got ${JSON.stringify(v ?? '')}`;
        if (name === '--frames') f.frames = Number(v);
        else f.minMinutes = Number(v);
        break;
      }
      default:
        if (a !== '-' && a.startsWith('-')) return `unknown flag ${a}`;
        if (f.input !== undefined) return `only one dump can be analysed at a time (got ${JSON.stringify(f.input)} and ${JSON.stringify(a)})`;
        f.input = a;
    }
  }
  return f;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const flags = parseArgs(args);
  if (typeof flags === 'string') {
    process.stderr.write(`deferguard stacks: ${flags}\n\n${USAGE}`);
    return 2;
  }
  if (flags.input === undefined) {
    process.stderr.write(`deferguard stacks: missing the dump file (or - for stdin)\n\n${USAGE}`);
    return 2;
  }
  let sourceDir: string | undefined;
  if (flags.source !== undefined) {
    sourceDir = resolve(flags.source);
    if (!existsSync(sourceDir) || !statSync(sourceDir).isDirectory()) {
      process.stderr.write(`deferguard stacks: --source ${flags.source}: not a directory\n`);
      return 2;
    }
  }
  let text: string;
  try {
    text = flags.input === '-' ? await readStdin() : readFileSync(flags.input, 'utf8');
  } catch (e) {
    process.stderr.write(`deferguard stacks: cannot read ${flags.input}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  let dump;
  try {
    dump = parseDump(text);
  } catch (e) {
    if (e instanceof DumpParseError) {
      process.stderr.write(`deferguard stacks: ${flags.input === '-' ? 'stdin' : flags.input}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  const isFile = (p: string) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  const rel = sourceDir ? makeRelativizer(sourceDir, (tail) => isFile(join(sourceDir, tail))) : undefined;
  const fileCache = new Map<string, string[] | undefined>();
  const sourceLine = (file: string, line: number): string | undefined => {
    if (!rel || !sourceDir) return undefined;
    const r = rel(file);
    const path = isAbsolute(r) ? r : join(sourceDir, r);
    if (!path.startsWith(sourceDir)) return undefined;
    if (!fileCache.has(path)) {
      try {
        fileCache.set(path, readFileSync(path, 'utf8').split('\n'));
      } catch {
        fileCache.set(path, undefined);
      }
    }
    return fileCache.get(path)?.[line - 1];
  };
  let analysis = analyze(dump, {
    similarity: flags.similarity,
    minBlockedMinutes: flags.minMinutes,
    ...(sourceDir ? { sourceLine } : {}),
  });
  if (rel) analysis = relativizeAnalysis(analysis, rel);
  process.stdout.write(flags.format === 'json' ? renderJson(analysis) : renderText(analysis, { maxFrames: flags.frames }));
  return 0;
}
