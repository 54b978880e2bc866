// deferguard command line: dispatches to one module per command. Wiring only.
import { readFileSync } from 'node:fs';

export type Command = (args: string[]) => Promise<number>;

/** Each command lives in its own module, loaded on demand so start-up stays fast. */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  ast: { summary: 'print the syntax tree of a Go file as JSON', load: async () => (await import('./ast.js')).run },
  cost: { summary: "list each defer as open-coded, stack or heap allocated (the compiler's view)", load: async () => (await import('./cost.js')).run },
  check: { summary: 'analyse Go packages (the default command)', load: async () => (await import('./check.js')).run },
  ci: { summary: 'analyse a change in CI and deliver it: PR review, summary, annotations, alerts', load: async () => (await import('./ci.js')).run },
  explain: { summary: "print a rule's documentation", load: async () => (await import('./explain.js')).run },
  init: { summary: 'write a commented starter .deferguard.yml', load: async () => (await import('./init.js')).run },
  lsp: { summary: 'language server for editors: diagnostics as you type, quick fixes', load: async () => (await import('./lsp.js')).run },
  rules: { summary: 'list the rules with severity and default', load: async () => (await import('./rules.js')).run },
  stacks: { summary: 'group and explain a goroutine dump (pprof, panic, SIGQUIT)', load: async () => (await import('./stacks.js')).run },
  watch: { summary: 'sample a running service: goroutine leaks, stuck defers, GC pauses', load: async () => (await import('./watch.js')).run },
};

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function usage(): string {
  const lines = ['usage: deferguard <command> [flags] [args]', '', 'commands:'];
  for (const name of Object.keys(commands).sort()) lines.push(`  ${name.padEnd(10)} ${commands[name]!.summary}`);
  lines.push('', 'Run "deferguard <command> --help" for a command\'s flags.');
  return lines.join('\n') + '\n';
}

let stdoutGuarded = false;

/**
 * A failed write to standard output ends the run with a clear message instead of a stack trace:
 * a reader that went away (`deferguard | head -1`, EPIPE) ends it quietly with the exit code it
 * had; anything else (a full disk, ENOSPC) is reported, exit 2.
 */
function guardStdout(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    process.stderr.write(`deferguard: cannot write to standard output: ${e.code === 'ENOSPC' ? 'no space left on the device' : e.message}\n`);
    process.exit(2);
  });
}

export async function main(argv: string[]): Promise<number> {
  guardStdout();
  const [first, ...rest] = argv;
  if (first === '--version' || first === 'version') {
    process.stdout.write(`deferguard ${version()}\n`);
    return 0;
  }
  if (first === '-h' || first === '--help' || first === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  const cmd = first !== undefined ? commands[first] : undefined;
  if (cmd) return (await cmd.load())(rest);
  if (commands.check) return (await commands.check.load())(argv);
  process.stderr.write(usage());
  return 2;
}
