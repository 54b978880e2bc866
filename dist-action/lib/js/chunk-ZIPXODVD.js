import { createRequire as __deferguardCreateRequire } from 'node:module';
const require = __deferguardCreateRequire(import.meta.url);

// src/cli/main.ts
import { readFileSync } from "node:fs";
var commands = {
  ast: { summary: "print the syntax tree of a Go file as JSON", load: async () => (await import("./chunk-GSQWOZFA.js")).run },
  cost: { summary: "list each defer as open-coded, stack or heap allocated (the compiler's view)", load: async () => (await import("./chunk-BL5X4YBM.js")).run },
  check: { summary: "analyse Go packages (the default command)", load: async () => (await import("./chunk-TV63ALXD.js")).run },
  ci: { summary: "analyse a change in CI and deliver it: PR review, summary, annotations, alerts", load: async () => (await import("./chunk-INHLQKHL.js")).run },
  explain: { summary: "print a rule's documentation", load: async () => (await import("./chunk-RHBQ4KBV.js")).run },
  init: { summary: "write a commented starter .deferguard.yml", load: async () => (await import("./chunk-WOPEE64N.js")).run },
  lsp: { summary: "language server for editors: diagnostics as you type, quick fixes", load: async () => (await import("./chunk-GMED72EC.js")).run },
  rules: { summary: "list the rules with severity and default", load: async () => (await import("./chunk-XFDQGO3O.js")).run },
  stacks: { summary: "group and explain a goroutine dump (pprof, panic, SIGQUIT)", load: async () => (await import("./chunk-XO6B5U6Z.js")).run },
  watch: { summary: "sample a running service: goroutine leaks, stuck defers, GC pauses", load: async () => (await import("./chunk-ZADDI7HT.js")).run }
};
function version() {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return pkg.version;
}
function usage() {
  const lines = ["usage: deferguard <command> [flags] [args]", "", "commands:"];
  for (const name of Object.keys(commands).sort()) lines.push(`  ${name.padEnd(10)} ${commands[name].summary}`);
  lines.push("", `Run "deferguard <command> --help" for a command's flags.`);
  return lines.join("\n") + "\n";
}
var stdoutGuarded = false;
function guardStdout() {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
    process.stderr.write(`deferguard: cannot write to standard output: ${e.code === "ENOSPC" ? "no space left on the device" : e.message}
`);
    process.exit(2);
  });
}
async function main(argv) {
  guardStdout();
  const [first, ...rest] = argv;
  if (first === "--version" || first === "version") {
    process.stdout.write(`deferguard ${version()}
`);
    return 0;
  }
  if (first === "-h" || first === "--help" || first === "help") {
    process.stdout.write(usage());
    return 0;
  }
  const cmd = first !== void 0 ? commands[first] : void 0;
  if (cmd) return (await cmd.load())(rest);
  if (commands.check) return (await commands.check.load())(argv);
  process.stderr.write(usage());
  return 2;
}

export {
  version,
  main
};
