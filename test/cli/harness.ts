// In-process runs of the CLI for tests: main() with standard output and error captured and the
// environment replaced for the duration of the call. Faster than a child process per run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Environment every test run starts from: no go command, no colour, no user config or cache. */
export function baseEnv(home: string): Record<string, string | undefined> {
  return { DEFERGUARD_NO_GO: '1', NO_COLOR: undefined, CI: undefined, HOME: home, XDG_CACHE_HOME: join(home, '.cache') };
}

let running = false;

export async function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  if (running) throw new Error('runCli is not reentrant');
  running = true;
  const out: string[] = [];
  const err: string[] = [];
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  // The CLI writes strings; the test runner's own protocol messages (buffers) pass through.
  const capture = (sink: string[], orig: typeof process.stdout.write) =>
    ((s: string | Uint8Array, ...rest: unknown[]) => {
      if (typeof s !== 'string') return (orig as (...a: unknown[]) => boolean)(s, ...rest);
      sink.push(s);
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(out, ow);
  process.stderr.write = capture(err, ew);
  try {
    const status = await main(args);
    return { status, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    running = false;
  }
}

export interface TempModule {
  dir: string;
  home: string;
  env: Record<string, string | undefined>;
  write(name: string, text: string): void;
  run(...args: string[]): Promise<CliResult>;
  cleanup(): void;
}

/** A temp module (go.mod + files) with its own HOME and cache directory. Runs use --jobs 1. */
export function tempModule(files: Record<string, string>, modulePath = 'example.com/m'): TempModule {
  const base = mkdtempSync(join(tmpdir(), 'deferguard-cli-'));
  const dir = join(base, 'mod');
  const home = join(base, 'home');
  mkdirSync(dir);
  mkdirSync(home);
  const write = (name: string, text: string) => {
    mkdirSync(join(dir, dirname(name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  };
  write('go.mod', `module ${modulePath}\n\ngo 1.22\n`);
  for (const [n, t] of Object.entries(files)) write(n, t);
  const env = baseEnv(home);
  return {
    dir, home, env, write,
    run: (...args: string[]) => runCli(['check', '-C', dir, '--jobs', '1', ...args], env),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
