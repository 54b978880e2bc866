// Regenerates the goroutine dumps under testdata/runtime/dumps/ by building and running the
// Go programs in testdata/runtime/progs/ with the installed Go toolchain.
// Usage: node --import tsx scripts/gen-runtime-dumps.ts [OUTDIR]   (default testdata/runtime/dumps)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROGS_DIR = fileURLToPath(new URL('../testdata/runtime/progs/', import.meta.url));

export interface GenerateResult {
  goVersion: string;
  /** File names written into the output directory. */
  written: string[];
  /** Dumps that could not be produced here, with the reason. */
  skipped: { name: string; reason: string }[];
}

/** The installed Go version (`go1.26.0`), or undefined when `go` is not on PATH. */
export function goVersion(): string | undefined {
  const r = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0 || r.error) return undefined;
  return r.stdout.trim() || undefined;
}

function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false', ...extra };
  delete env.GOTRACEBACK;
  delete env.GODEBUG;
  delete env.GOEXPERIMENT;
  return { ...env, ...extra };
}

/** Runs a built program that is expected to die printing a traceback; returns its stderr. */
function runForStderr(bin: string, args: string[], env: Record<string, string>): string {
  const r = spawnSync(bin, args, { encoding: 'utf8', env: goEnv(env), timeout: 60_000, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (!/^goroutine \d+/m.test(r.stderr)) {
    throw new Error(`${bin} ${args.join(' ')} printed no goroutine dump (exit ${r.status}): ${r.stderr.slice(0, 400)}`);
  }
  return r.stderr;
}

export function generateDumps(outDir: string): GenerateResult {
  const version = goVersion();
  if (!version) throw new Error('go is not installed (go env GOVERSION failed)');
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'deferguard-dumps-'));
  const result: GenerateResult = { goVersion: version, written: [], skipped: [] };
  const write = (name: string, text: string) => {
    writeFileSync(join(outDir, name), text);
    result.written.push(name);
  };
  try {
    const bin = join(work, 'scenarios');
    execFileSync('go', ['build', '-o', bin, './cmd/scenarios'], { cwd: PROGS_DIR, env: goEnv(), stdio: 'pipe', timeout: 300_000 });

    // pprof goroutine profiles, debug=1 (with labels) and debug=2.
    execFileSync(bin, ['-mode', 'profile', '-out', outDir], { env: goEnv(), stdio: 'pipe', timeout: 60_000 });
    result.written.push('goroutine-debug1.txt', 'goroutine-debug2.txt');

    write('panic-gotraceback-all.txt', runForStderr(bin, ['-mode', 'panic'], { GOTRACEBACK: 'all' }));
    write(
      'panic-tracebackancestors.txt',
      runForStderr(bin, ['-mode', 'panic'], { GOTRACEBACK: 'all', GODEBUG: 'tracebackancestors=3' }),
    );
    write('sigquit.txt', runForStderr(bin, ['-mode', 'sigquit'], {}));

    // go test -timeout: the test binary panics with "test timed out after ..." and prints all goroutines.
    const t = spawnSync('go', ['test', '-count=1', '-timeout', '2s', './timeout'], {
      cwd: PROGS_DIR,
      encoding: 'utf8',
      env: goEnv(),
      timeout: 300_000,
      maxBuffer: 64 << 20,
    });
    const testOut = `${t.stdout}${t.stderr}`;
    if (!/panic: test timed out after/.test(testOut)) {
      throw new Error(`go test -timeout did not time out: ${testOut.slice(0, 400)}`);
    }
    write('test-timeout.txt', testOut);

    // Go 1.26+: the goroutineleak profile, behind GOEXPERIMENT=goroutineleakprofile.
    const leakBin = join(work, 'scenarios-leak');
    const lb = spawnSync('go', ['build', '-o', leakBin, './cmd/scenarios'], {
      cwd: PROGS_DIR,
      encoding: 'utf8',
      env: goEnv({ GOEXPERIMENT: 'goroutineleakprofile' }),
      timeout: 300_000,
    });
    if (lb.status !== 0) {
      result.skipped.push({ name: 'goroutineleak', reason: `GOEXPERIMENT=goroutineleakprofile not supported by ${version}` });
    } else {
      const lr = spawnSync(leakBin, ['-mode', 'leak', '-out', outDir], { encoding: 'utf8', env: goEnv(), timeout: 60_000 });
      if (lr.status === 0) result.written.push('goroutineleak-debug1.txt', 'goroutineleak-debug2.txt');
      else result.skipped.push({ name: 'goroutineleak', reason: lr.stderr.trim() || `exit ${lr.status}` });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  result.written.sort();
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? fileURLToPath(new URL('../testdata/runtime/dumps/', import.meta.url)));
  try {
    const r = generateDumps(out);
    const platform = execFileSync('go', ['env', 'GOOS', 'GOARCH'], { encoding: 'utf8' }).trim().split('\n').join('/');
    writeFileSync(join(out, 'GENERATED-BY.txt'), `${r.goVersion} ${platform} via scripts/gen-runtime-dumps.ts\n`);
    for (const f of r.written) console.log(`wrote ${join(out, f)}`);
    for (const s of r.skipped) console.log(`skipped ${s.name}: ${s.reason}`);
  } catch (e) {
    console.error(`gen-runtime-dumps: ${(e as Error).message}`);
    process.exit(1);
  }
}
