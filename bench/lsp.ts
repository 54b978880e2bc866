// Editor and playground latency.
//   npm run bench:lsp [-- --file net/http/server.go] [--edits 5] [--debounce 0] [--no-go]
// 1. `deferguard lsp` as a child process, driven over stdio by an LSP client: open a large file of
//    $(go env GOROOT)/src (net/http/server.go by default), wait for its first diagnostics (module
//    listing + analysis of the package), then type a function with a defer in a loop N times and
//    time each edit until the diagnostics of that version arrive (the new finding must be there).
// 2. The playground's analysis (the same code path the browser runs, here under Node): every
//    rule's example, analysed 5 times after a warm-up; median per example.
// Prints a Markdown section for docs/benchmarks.md.
import { spawn, spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { collectExamples } from '../scripts/playground-examples.js';
import { analyzeSource } from '../src/playground/analyze.js';

const ROOT = new URL('../', import.meta.url).pathname;

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : def;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function lspLatency(): Promise<string[]> {
  const goroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout?.trim();
  if (!goroot) return ['(skipped: go is not installed, so there is no $(go env GOROOT)/src to measure on)'];
  const rel = arg('--file', 'net/http/server.go');
  const edits = Number(arg('--edits', '5'));
  const debounce = arg('--debounce', '0');
  const noGo = process.argv.includes('--no-go');
  const file = join(goroot, 'src', rel);
  const uri = pathToFileURL(file).href;
  let text = readFileSync(file, 'utf8');
  // The server as users run it: the compiled CLI (the npm script builds dist/ first).
  const args = [join(ROOT, 'bin/deferguard.js'), 'lsp', '--debounce', debounce, ...(noGo ? ['--no-go'] : [])];
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const logs: string[] = [];
  let waiting: { version: number; done: (p: PublishDiagnosticsParams) => void } | undefined;
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    if (p.uri === uri && waiting && p.version === waiting.version) waiting.done(p);
  });
  conn.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  conn.onNotification('window/showMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  conn.listen();
  const wait = (version: number) =>
    new Promise<PublishDiagnosticsParams>((done, fail) => {
      const t = setTimeout(() => fail(new Error(`no diagnostics for version ${version} within 600 s\n${stderr}`)), 600_000);
      waiting = { version, done: (p) => (clearTimeout(t), done(p)) };
    });
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(join(goroot, 'src')).href, capabilities: {} });
  await conn.sendNotification('initialized', {});
  let t0 = performance.now();
  const first = wait(1);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version: 1, text } });
  const p1 = await first;
  const openMs = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < edits; i++) {
    const fn = `\nfunc benchEdit${i}(mu *sync.Mutex, n int) {\n\tfor i := 0; i < n; i++ {\n\t\tmu.Lock()\n\t\tdefer mu.Unlock()\n\t}\n}\n`;
    const line = text.split('\n').length - 1 + 4; // 0-based line of the defer
    text += fn;
    const version = i + 2;
    const next = wait(version);
    t0 = performance.now();
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    const p = await next;
    times.push(performance.now() - t0);
    if (!p.diagnostics.some((d) => d.code === 'defer-in-loop' && d.range.start.line === line)) {
      throw new Error(`edit ${i}: the new defer-in-loop on line ${line + 1} is not among the diagnostics: ${JSON.stringify(p.diagnostics.map((d) => `${d.code}:${d.range.start.line + 1}`))}`);
    }
  }
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  const listing = logs.find((l) => /packages via/.test(l)) ?? '';
  const files = readFileSync(file, 'utf8').split('\n').length;
  return [
    `Command: \`npm run bench:lsp${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` (the compiled server from \`dist/\`, \`--debounce ${debounce}\`, so the figures are analysis time plus protocol; an editor adds the debounce, 250 ms by default).`,
    '',
    `File: \`$(go env GOROOT)/src/${rel}\` (${files.toLocaleString('en-US')} lines), package \`${rel.slice(0, rel.lastIndexOf('/'))}\` with its in-package tests. Module listing: ${listing.replace(/^deferguard: /, '')}.`,
    '',
    '| step | time |',
    '|---|---|',
    `| open → first diagnostics (list the module, analyse the package) | ${(openMs / 1000).toFixed(2)} s (${p1.diagnostics.length} diagnostics) |`,
    `| edit → diagnostics, median of ${edits} edits | ${median(times).toFixed(0)} ms |`,
    `| edit → diagnostics, each | ${times.map((t) => t.toFixed(0)).join(', ')} ms |`,
  ];
}

function playgroundTimes(): string[] {
  const examples = collectExamples();
  const rows: { rule: string; lines: number; ms: number; findings: number }[] = [];
  for (const ex of examples) {
    const opts = { goVersion: ex.goVersion, ...(ex.options ? { options: ex.options } : {}) };
    analyzeSource(ex.source, opts); // warm-up (the standard-library index loads on the first run)
    const ts: number[] = [];
    let findings = 0;
    for (let i = 0; i < 5; i++) {
      const r = analyzeSource(ex.source, opts);
      ts.push(r.ms);
      findings = r.findings.length;
    }
    rows.push({ rule: ex.rule, lines: ex.source.split('\n').length, ms: median(ts), findings });
  }
  const all = rows.map((r) => r.ms);
  return [
    `Playground analysis (the browser's code path, under Node): ${rows.length} examples, one per rule, every rule enabled; median of 5 runs each after a warm-up.`,
    `Median ${median(all).toFixed(1)} ms, slowest ${Math.max(...all).toFixed(1)} ms (${rows.find((r) => r.ms === Math.max(...all))!.rule}), all examples together ${all.reduce((a, b) => a + b, 0).toFixed(0)} ms.`,
    '',
    '| example | lines | findings | ms |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.rule} | ${r.lines} | ${r.findings} | ${r.ms.toFixed(1)} |`),
  ];
}

async function main(): Promise<void> {
  const cpu = cpus();
  const go = spawnSync('go', ['version'], { encoding: 'utf8' }).stdout?.trim() ?? 'no go';
  const out: string[] = [
    '## Editor and playground latency',
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ${process.platform} ${process.arch}, Node ${process.version}, ${go}.`,
    '',
    '### `deferguard lsp`: from an edit to published diagnostics',
    '',
    ...(await lspLatency()),
    '',
    '### Playground',
    '',
    ...playgroundTimes(),
  ];
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:lsp: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
