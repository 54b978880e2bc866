// Finds the Go toolchain and builds tools/gohelper (the go/parser and go/types oracle) into a cache
// directory keyed by the helper's sources and the Go version, so repeated runs reuse one binary.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const helperDir = join(repoRoot, 'tools', 'gohelper');

/** Environment for go commands: no workspace, no toolchain download, no inherited -mod flags. */
export function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOWORK: 'off', GOFLAGS: '', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' };
}

export interface GoInfo {
  version: string;
  goroot: string;
}

/** The Go toolchain on PATH, or a reason why there is none usable. */
export function findGo(): GoInfo | { missing: string } {
  const r = spawnSync('go', ['env', 'GOVERSION', 'GOROOT'], { encoding: 'utf8', env: goEnv() });
  if (r.error) return { missing: `cannot run go: ${r.error.message}` };
  if (r.status !== 0) return { missing: `go env failed: ${r.stderr.trim()}` };
  const [version, goroot] = r.stdout.trim().split('\n');
  if (!version || !goroot) return { missing: `go env printed nothing usable: ${JSON.stringify(r.stdout)}` };
  return { version, goroot };
}

/** Builds (or reuses) the helper binary and returns its path. Throws with go build's output on failure. */
export function buildGoHelper(go: GoInfo): string {
  const h = createHash('sha256').update(go.version).update('\0');
  for (const name of readdirSync(helperDir).sort()) {
    if (name.endsWith('.go') || name === 'go.mod') h.update(name).update('\0').update(readFileSync(join(helperDir, name)));
  }
  const dir = join(tmpdir(), `deferguard-gohelper-${process.getuid?.() ?? 'user'}`);
  const exe = join(dir, `gohelper-${h.digest('hex').slice(0, 16)}${process.platform === 'win32' ? '.exe' : ''}`);
  if (existsSync(exe)) return exe;
  mkdirSync(dir, { recursive: true });
  const partial = `${exe}.${process.pid}.tmp`;
  const r = spawnSync('go', ['build', '-o', partial, '.'], { cwd: helperDir, encoding: 'utf8', env: goEnv() });
  if (r.error || r.status !== 0) {
    throw new Error(`go build of ${helperDir} failed: ${r.error?.message ?? ''}${r.stderr ?? ''}`.trim());
  }
  renameSync(partial, exe);
  // Binaries built from older helper sources are of no further use.
  for (const name of readdirSync(dir)) {
    if (name.startsWith('gohelper-') && join(dir, name) !== exe && !name.endsWith('.tmp')) rmSync(join(dir, name), { force: true });
  }
  return exe;
}

/** Runs `gohelper parse -full` on the given files and returns each file's section (status, errors, dump). */
export function goFullDumps(exe: string, files: string[]): Map<string, { status: string; errors: string[]; dump: string }> {
  const out = new Map<string, { status: string; errors: string[]; dump: string }>();
  if (files.length === 0) return out;
  const r = spawnSync(exe, ['parse', '-full', ...files], { encoding: 'utf8', maxBuffer: 1 << 30, env: goEnv() });
  if (r.error || r.status !== 0) throw new Error(`gohelper parse -full failed: ${r.error?.message ?? ''}${r.stderr ?? ''}`.trim());
  let cur: { status: string; errors: string[]; lines: string[] } | undefined;
  let curPath = '';
  const finish = () => {
    if (cur) out.set(curPath, { status: cur.status, errors: cur.errors, dump: cur.lines.join('') });
  };
  for (const line of r.stdout.split(/(?<=\n)/)) {
    if (line.startsWith('### ')) {
      finish();
      const body = line.slice(4, -1);
      const tab = body.indexOf('\t');
      curPath = body.slice(tab + 1);
      cur = { status: body.slice(0, tab), errors: [], lines: [] };
    } else if (cur && line.startsWith('error: ')) {
      cur.errors.push(line.slice(7, -1));
    } else if (cur) {
      cur.lines.push(line);
    }
  }
  finish();
  return out;
}
