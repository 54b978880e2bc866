// `deferguard lsp` driven by a real LSP client over stdio: the CLI runs as a child process and
// this test speaks JSON-RPC to it (initialize, didOpen, didChange, codeAction, configuration
// changes, shutdown and exit), checking what the server publishes at each step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
  type CodeAction,
  type Diagnostic,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';

const ROOT = new URL('../../', import.meta.url).pathname;

const MAIN_V1 = `package main

func trace(name string) func() {
	return func() { println("leave", name) }
}

func work() {
	defer trace("work")
	println("working")
}

func main() { work() }
`;

const MAIN_V2 = `package main

import "os"

func trace(name string) func() {
	return func() { println("leave", name) }
}

func work() {
	defer trace("work")
	println("working")
}

func readAll(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return
		}
		defer f.Close()
	}
}

func main() { work(); readAll(os.Args) }
`;

const OTHER = `package other

import "sync"

var mu sync.Mutex

func Get(m map[string]int, k string) int {
	mu.Lock()
	v, ok := m[k]
	if !ok {
		return 0
	}
	mu.Unlock()
	return v
}
`;

class Client {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  private waiters: { pred: (p: PublishDiagnosticsParams) => boolean; done: (p: PublishDiagnosticsParams) => void }[] = [];
  stderr = '';

  constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
  ) {
    proc.stderr!.on('data', (b: Buffer) => (this.stderr += b.toString()));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.push(p);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(p)) return true;
        w.done(p);
        return false;
      });
    });
    conn.onNotification('window/logMessage', () => {});
    conn.onNotification('window/showMessage', () => {});
    conn.onRequest('window/showMessageRequest', () => null);
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
  }

  /** The next publication (from now, or already received after `since`) that satisfies pred. */
  waitFor(pred: (p: PublishDiagnosticsParams) => boolean, what: string, since = this.diagnostics.length, ms = 30_000): Promise<PublishDiagnosticsParams> {
    const seen = this.diagnostics.slice(since).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}; server stderr:\n${this.stderr}`)), ms);
      this.waiters.push({ pred, done: (p) => (clearTimeout(t), resolve(p)) });
    });
  }
}

function start(home: string): Client {
  const code = `import { main } from ${JSON.stringify(pathToFileURL(join(ROOT, 'src/cli/main.ts')).href)};
main(['lsp', '--stdio', '--debounce', '30', '--no-go']).then((c) => { process.exitCode = c; });`;
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    env: { ...process.env, HOME: home, DEFERGUARD_NO_GO: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  return new Client(proc, conn);
}

const rules = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => `${d.code}:${d.range.start.line + 1}`).sort();

test('deferguard lsp: diagnostics as you type, code actions, configuration reload, shutdown', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dg-lsp-'));
  const home = join(dir, 'home');
  mkdirSync(home);
  const mod = join(dir, 'mod');
  mkdirSync(join(mod, 'other'), { recursive: true });
  writeFileSync(join(mod, 'go.mod'), 'module example.com/m\n\ngo 1.22\n');
  writeFileSync(join(mod, 'main.go'), MAIN_V1);
  writeFileSync(join(mod, 'other', 'other.go'), OTHER);
  const mainUri = pathToFileURL(join(mod, 'main.go')).href;
  const otherUri = pathToFileURL(join(mod, 'other', 'other.go')).href;
  const client = start(home);
  try {
    const init = (await client.conn.sendRequest('initialize', {
      processId: null,
      rootUri: pathToFileURL(mod).href,
      capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true } } },
    })) as { capabilities: { codeActionProvider?: unknown; textDocumentSync?: { change?: number } } };
    assert.ok(init.capabilities.codeActionProvider, 'code actions are offered');
    assert.equal(init.capabilities.textDocumentSync?.change, 2, 'incremental document sync');
    await client.conn.sendNotification('initialized', {});

    // Open both files: each package is analysed and published.
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: mainUri, languageId: 'go', version: 1, text: MAIN_V1 } });
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: otherUri, languageId: 'go', version: 1, text: OTHER } });
    const first = await client.waitFor((p) => p.uri === mainUri && p.version === 1, 'diagnostics for main.go v1', 0);
    assert.deepEqual(rules(first), ['defer-func-result-not-called:8']);
    const d1 = first.diagnostics[0]!;
    assert.equal(d1.source, 'deferguard');
    assert.equal(d1.codeDescription?.href, 'https://github.com/deferguard/deferguard/blob/main/docs/rules/defer-func-result-not-called.md');
    assert.deepEqual(d1.range, { start: { line: 7, character: 1 }, end: d1.range.end });
    const other = await client.waitFor((p) => p.uri === otherUri, 'diagnostics for other/other.go', 0);
    assert.deepEqual(rules(other), ['lock-leaked-on-return:8']);

    // Type a loop with a defer: the new finding appears, with its related locations.
    const before = client.diagnostics.length;
    await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: mainUri, version: 2 }, contentChanges: [{ text: MAIN_V2 }] });
    const second = await client.waitFor((p) => p.uri === mainUri && p.version === 2, 'diagnostics for main.go v2', before);
    assert.deepEqual(rules(second), ['defer-func-result-not-called:10', 'defer-in-loop:20']);
    const loop = second.diagnostics.find((d) => d.code === 'defer-in-loop')!;
    assert.equal(loop.severity, 1, 'high is shown as an error');
    assert.match(String(loop.message), /file f from os\.Open on line 16 stays open until readAll returns/);
    assert.ok((loop.relatedInformation ?? []).some((r) => r.location.uri === mainUri && r.location.range.start.line === 15 && /acquired/.test(r.message)), JSON.stringify(loop.relatedInformation));
    // Only the edited package was analysed again.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(client.diagnostics.slice(before).map((p) => p.uri).filter((u) => u !== mainUri), [], 'other/ was not re-published');

    // An incremental edit (a range replacement) that removes the loop's defer.
    const at = MAIN_V2.split('\n').findIndex((l) => l.includes('defer f.Close()'));
    const mark = client.diagnostics.length;
    await client.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: mainUri, version: 3 },
      contentChanges: [{ range: { start: { line: at, character: 2 }, end: { line: at, character: 8 } }, text: '' }],
    });
    const third = await client.waitFor((p) => p.uri === mainUri && p.version === 3, 'diagnostics for main.go v3', mark);
    assert.deepEqual(rules(third), ['defer-func-result-not-called:10']);
    // Back to version 2's text for the code actions.
    const mark4 = client.diagnostics.length;
    await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: mainUri, version: 4 }, contentChanges: [{ text: MAIN_V2 }] });
    const fourth = await client.waitFor((p) => p.uri === mainUri && p.version === 4, 'diagnostics for main.go v4', mark4);
    const fixable = fourth.diagnostics.find((d) => d.code === 'defer-func-result-not-called')!;
    const loop4 = fourth.diagnostics.find((d) => d.code === 'defer-in-loop')!;

    const actions = (await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri: mainUri },
      range: fixable.range,
      context: { diagnostics: [fixable] },
    })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => /Call the returned function/.test(a.title));
    assert.ok(fix, `a fix is offered: ${JSON.stringify(titles)}`);
    assert.deepEqual(fix.edit?.changes?.[mainUri], [{ range: { start: { line: 9, character: 20 }, end: { line: 9, character: 20 } }, newText: '()' }]);
    assert.equal(fix.isPreferred, true);
    const ignore = actions.find((a) => /ignore defer-func-result-not-called/.test(a.title));
    assert.ok(ignore, `an ignore action is offered: ${JSON.stringify(titles)}`);
    assert.deepEqual(ignore.edit?.changes?.[mainUri], [
      { range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, newText: '\t//deferguard:ignore defer-func-result-not-called <why this is safe>\n' },
    ]);

    // defer-in-loop has no safe fix: only the ignore action; applying it silences the finding.
    const loopActions = (await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: mainUri }, range: loop4.range, context: { diagnostics: [loop4] } })) as CodeAction[];
    assert.deepEqual(loopActions.map((a) => a.title), ['deferguard: ignore defer-in-loop on this line (//deferguard:ignore)']);
    const edit = loopActions[0]!.edit!.changes![mainUri]![0]!;
    const mark5 = client.diagnostics.length;
    await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: mainUri, version: 5 }, contentChanges: [{ range: edit.range, text: edit.newText }] });
    const fifth = await client.waitFor((p) => p.uri === mainUri && p.version === 5, 'diagnostics for main.go v5', mark5);
    assert.deepEqual(rules(fifth), ['defer-func-result-not-called:10'], 'the inserted directive suppresses the finding');

    // Configuration: disable a rule in .deferguard.yml; the server reloads it on the change event.
    const cfg = join(mod, '.deferguard.yml');
    writeFileSync(cfg, 'rules:\n  defer-func-result-not-called:\n    enabled: false\n');
    const mark6 = client.diagnostics.length;
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(cfg).href, type: 1 }] });
    const sixth = await client.waitFor((p) => p.uri === mainUri && p.version === 5, 'diagnostics after the configuration change', mark6);
    assert.deepEqual(rules(sixth), []);

    // A broken configuration: a diagnostic on the file, with its line; defaults until fixed.
    writeFileSync(cfg, 'rules:\n  no-such-rule:\n    enabled: false\n');
    const mark7 = client.diagnostics.length;
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(cfg).href, type: 2 }] });
    const bad = await client.waitFor((p) => p.uri === pathToFileURL(cfg).href, 'a diagnostic on the broken configuration', mark7);
    assert.equal(bad.diagnostics.length, 1);
    assert.equal(bad.diagnostics[0]!.range.start.line, 1);
    assert.match(String(bad.diagnostics[0]!.message), /no-such-rule/);
    const seventh = await client.waitFor((p) => p.uri === mainUri && p.diagnostics.length === 1, 'defaults after the broken configuration', mark7);
    assert.deepEqual(rules(seventh), ['defer-func-result-not-called:10']);

    // Shutdown and exit: the process ends with status 0.
    await client.conn.sendRequest('shutdown');
    const exited = new Promise<number | null>((r) => client.proc.on('exit', (c) => r(c)));
    await client.conn.sendNotification('exit');
    assert.equal(await exited, 0);
  } finally {
    client.conn.dispose();
    if (client.proc.exitCode === null) client.proc.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('deferguard lsp rejects unknown flags with a usage error', async () => {
  const { runCli } = await import('../cli/harness.js');
  const home = mkdtempSync(join(tmpdir(), 'dg-lsp-home-'));
  try {
    const r = await runCli(['lsp', '--bogus'], { HOME: home });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown flag "--bogus"/);
    const d = await runCli(['lsp', '--debounce', 'soon'], { HOME: home });
    assert.equal(d.status, 2);
    assert.match(d.stderr, /--debounce needs a number of milliseconds/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

export type { Diagnostic };
