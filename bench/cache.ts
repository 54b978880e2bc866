// npm run bench:cache -- [DIR] [--jobs N] [--json]
//
// Cold versus warm `deferguard check` on the same tree (default: $(go env GOROOT)/src): the first
// run starts from an empty cache directory, the second reuses it. Both run the compiled CLI
// (bin/deferguard.js over dist/, built by the npm script) in a child process, with the JSON
// report written to a temporary file, and must produce byte-identical reports. The warm run must
// be at least 5x faster; the script exits 1 otherwise. Not part of npm test.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE = `usage: npm run bench:cache -- [DIR] [--jobs N] [--json]

  DIR        module directory to check (default: $(go env GOROOT)/src)
  --jobs N   worker threads for both runs (default: deferguard's default, the number of cores)
  --json     print {"dir","files","packages","coldSeconds","warmSeconds","speedup"} as one JSON line
`;

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
let dir: string | undefined;
let jobs: string | undefined;
let json = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--json') json = true;
  else if (a === '--jobs') jobs = args[++i];
  else if (a === '-h' || a === '--help') {
    process.stdout.write(USAGE);
    process.exit(0);
  } else if (a.startsWith('-')) {
    process.stderr.write(`bench:cache: unknown flag ${a}\n\n${USAGE}`);
    process.exit(2);
  } else dir = a;
}
if (dir === undefined) {
  try {
    dir = join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'src');
  } catch {
    process.stderr.write('bench:cache: no DIR given and `go env GOROOT` failed (is go installed?)\n');
    process.exit(2);
  }
}

const work = mkdtempSync(join(tmpdir(), 'deferguard-bench-cache-'));
const cacheDir = join(work, 'cache');

interface Run {
  seconds: number;
  report: string;
  stderr: string;
}

function check(label: string): Run {
  const out = join(work, `${label}.json`);
  const argv = [join(root, 'bin/deferguard.js'), 'check', '-C', dir!, '--cache-dir', cacheDir, '--fail-on', 'none', '--no-progress', '-v', '--format', `json=${out}`];
  if (jobs) argv.push('--jobs', jobs);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) {
    process.stderr.write(`bench:cache: the ${label} run exited with ${r.status}\n${r.stderr}`);
    process.exit(1);
  }
  return { seconds, report: readFileSync(out, 'utf8'), stderr: r.stderr };
}

try {
  const cold = check('cold');
  const warm = check('warm');
  const stats = /(\d+) packages?, (\d+) files? via/.exec(warm.stderr);
  const cacheLine = (s: string) => /cache .*: (.*)$/m.exec(s)?.[1] ?? '';
  const speedup = cold.seconds / warm.seconds;
  const same = cold.report === warm.report;
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
  if (json) {
    process.stdout.write(JSON.stringify({ dir, files: Number(stats?.[2] ?? 0), packages: Number(stats?.[1] ?? 0), coldSeconds: +cold.seconds.toFixed(2), warmSeconds: +warm.seconds.toFixed(2), speedup: +speedup.toFixed(1), identical: same }) + '\n');
  } else {
    process.stdout.write(
      [
        `tree:     ${dir} (${stats?.[1] ?? '?'} packages, ${stats?.[2] ?? '?'} files)`,
        `machine:  ${machine}`,
        `cold:     ${cold.seconds.toFixed(2)} s   (${cacheLine(cold.stderr)})`,
        `warm:     ${warm.seconds.toFixed(2)} s   (${cacheLine(warm.stderr)})`,
        `speed-up: ${speedup.toFixed(1)}x; reports ${same ? 'identical' : 'DIFFER'}`,
        '',
      ].join('\n'),
    );
  }
  if (!same) {
    process.stderr.write('bench:cache: the warm report differs from the cold one\n');
    process.exitCode = 1;
  } else if (speedup < 5) {
    process.stderr.write(`bench:cache: the warm run is only ${speedup.toFixed(1)}x faster (at least 5x expected)\n`);
    process.exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
