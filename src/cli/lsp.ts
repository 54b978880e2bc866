// `deferguard lsp`: the language server over standard input and output. Wiring only; the server
// is in src/lsp/server.ts.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { DeferguardServer } from '../lsp/server.js';

const HELP = `usage: deferguard lsp [--stdio] [--debounce MS] [--no-go]

Runs the Language Server Protocol server on standard input and output, for editors: diagnostics
for open Go files as you type (only the edited package is analysed again), links to the rule
docs, related locations, and quick fixes (the rule's safe fix, or a //deferguard:ignore comment).
Settings come from .deferguard.yml, reloaded when it changes. See docs/editors.md.

flags:
  --stdio          talk over standard input and output (the default and only transport)
  --debounce MS    pause after the last keystroke before analysing (default 250)
  --no-go          list packages without the go command even when it is installed
`;

export async function run(args: string[]): Promise<number> {
  let debounceMs = 250;
  let useGo = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h' || a === '--help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (a === '--stdio') continue;
    if (a === '--no-go') {
      useGo = false;
      continue;
    }
    if (a === '--debounce' || a.startsWith('--debounce=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      const n = v !== undefined && /^\d+$/.test(v) ? Number(v) : NaN;
      if (!Number.isFinite(n) || n > 60_000) {
        process.stderr.write(`deferguard lsp: --debounce needs a number of milliseconds between 0 and 60000, got ${v === undefined ? 'nothing' : JSON.stringify(v)}\n`);
        return 2;
      }
      debounceMs = n;
      continue;
    }
    // Editors may pass their own process id; the library watches it.
    if (a.startsWith('--clientProcessId')) {
      if (!a.includes('=')) i++;
      continue;
    }
    process.stderr.write(`deferguard lsp: unknown flag ${JSON.stringify(a)}\n\n${HELP}`);
    return 2;
  }
  // Standard output carries the protocol: anything printed by accident goes to standard error.
  const toErr = (...xs: unknown[]) => process.stderr.write(xs.map(String).join(' ') + '\n');
  console.log = toErr;
  console.info = toErr;
  console.warn = toErr;
  console.debug = toErr;
  const conn = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  new DeferguardServer(conn, { debounceMs, useGo, env: process.env });
  conn.listen();
  // The connection ends the process on "exit" (code 0 after "shutdown", else 1) or when the input closes.
  return new Promise<number>(() => {});
}
