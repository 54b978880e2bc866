// End to end against real Go services (testdata/runtime/services, standard library only): build
// them, start them on 127.0.0.1 (port 0, the program prints the address), run deferguard watch
// with bounded load for a few seconds, and check that the leaks are found and joined with the
// static findings that explain them, and that the clean service is clean. The processes are
// killed whatever happens. Skipped when go is not installed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVICES = join(ROOT, 'testdata/runtime/services');
const hasGo = spawnSync('go', ['version']).status === 0;
const skip = hasGo ? false : 'go is not installed: the runtime end-to-end tests need it to build the services';

const children = new Set<ChildProcess>();
const work = mkdtempSync(join(tmpdir(), 'dg-services-'));
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

let built = false;
function build(): void {
  if (built) return;
  const r = spawnSync('go', ['build', '-o', `${work}/`, './leaky', './stuckdefer', './clean'], { cwd: SERVICES, encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, `go build failed: ${r.stderr}`);
  built = true;
}

/** Starts a built service on 127.0.0.1:0 and resolves with its base URL once it prints it. */
function start(name: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(join(work, name), ['-addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not print its address within 10 s: ${out}`)), 10_000);
    proc.stdout!.on('data', (c) => {
      out += c;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, proc });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${out}`));
    });
  });
}

function stop(proc: ChildProcess): void {
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  children.delete(proc);
}

function watch(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const code = `import { main } from './src/cli/main.ts'; process.exitCode = await main(${JSON.stringify(args)});`;
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT });
    children.add(p);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => p.kill('SIGKILL'), 45_000);
    p.on('close', (status) => {
      clearTimeout(timer);
      children.delete(p);
      resolve({ status, stdout, stderr });
    });
  });
}

interface Doc {
  leaks: { createdAt: { file: string; line: number } | null; count: number; state: string; finding: string | null; findingAt: { file: string; line: number } | null; stuckDefer: { file: string; line: number } | null }[];
  load: { sent: number };
}

const srcLine = (file: string, line: number) => readFileSync(join(SERVICES, file), 'utf8').split('\n')[line - 1] ?? '';

const common = (url: string, load: string) => ['watch', '--pprof', url, '--duration', '3s', '--interval', '200ms', '--load', load, '--rps', '40', '--concurrency', '8', '--source', SERVICES];

test('leaky service: goroutines blocked on a send grow per request, joined with goroutine-blocked-send at the go statement', { skip, timeout: 120_000 }, async () => {
  build();
  const { url, proc } = await start('leaky');
  try {
    const r = await watch([...common(url, `${url}/?q=x`), '--format', 'json']);
    assert.equal(r.status, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as Doc;
    assert.equal(doc.leaks.length, 1, JSON.stringify(doc.leaks));
    const leak = doc.leaks[0]!;
    assert.equal(leak.createdAt?.file, 'leaky/main.go');
    assert.match(srcLine('leaky/main.go', leak.createdAt!.line), /^\s*go func\(\) \{/);
    assert.equal(leak.state, 'chan send');
    assert.equal(leak.finding, 'goroutine-blocked-send');
    assert.ok(leak.count >= 20 && leak.count <= doc.load.sent, `count ${leak.count} of ${doc.load.sent} requests`);
  } finally {
    stop(proc);
  }
});

test('stuck-defer service: handlers stuck in a deferred wg.Wait, joined with defer-blocking-call at the defer; HTML report', { skip, timeout: 120_000 }, async () => {
  build();
  const { url, proc } = await start('stuckdefer');
  const html = join(work, 'stuckdefer.html');
  try {
    const r = await watch([...common(url, `${url}/audit`), '--load-timeout', '500ms', '--format', 'json']);
    assert.equal(r.status, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as Doc;
    const stuck = doc.leaks.find((l) => l.stuckDefer);
    assert.ok(stuck, JSON.stringify(doc.leaks));
    assert.equal(stuck.finding, 'defer-blocking-call');
    assert.equal(stuck.findingAt?.file, 'stuckdefer/main.go');
    assert.match(srcLine('stuckdefer/main.go', stuck.findingAt!.line), /^\s*defer wg\.Wait\(\)/);
    assert.equal(srcLine('stuckdefer/main.go', stuck.stuckDefer!.line).trim(), '}', 'the handler is stuck at its closing brace');
    assert.equal(stuck.state, 'sync.WaitGroup.Wait');

    const h = await watch([...common(url, `${url}/audit`), '--load-timeout', '500ms', '--duration', '1s', '--format', 'html', '-o', html]);
    assert.equal(h.status, 1, h.stderr);
    const page = readFileSync(html, 'utf8');
    assert.ok(existsSync(html) && statSync(html).size > 2000);
    assert.match(page, /confirmed at run time/);
    assert.doesNotMatch(page, /<script|<link|src=/i);
  } finally {
    stop(proc);
  }
});

test('clean service: lookups rise with the load and drain, no leak, exit 0', { skip, timeout: 120_000 }, async () => {
  build();
  const { url, proc } = await start('clean');
  try {
    const r = await watch([...common(url, `${url}/?q=x`), '--format', 'json']);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const doc = JSON.parse(r.stdout) as Doc;
    assert.deepEqual(doc.leaks, []);
    assert.ok(doc.load.sent >= 40, JSON.stringify(doc.load));
  } finally {
    stop(proc);
  }
});
