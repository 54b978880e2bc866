// Command backupctl runs one-off operations: run all targets once, prune,
// list, verify and diff manifests, fetch archives from the store.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const usageText = `usage: backupctl <command> [flags]

commands:
  run      back up every target once
  prune    apply retention to every target
  list     list the archives in the manifest
  verify   check every archive against the manifest
  diff     list archives added between two manifests
  export   write a gzip copy of the manifest
  fetch    download an archive from the object store
  import   upload local archives missing from the object store`

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, usageText)
		return 2
	}
	cmds := map[string]func([]string) int{
		"run":    cmdRun,
		"prune":  cmdPrune,
		"list":   cmdList,
		"verify": cmdVerify,
		"diff":   cmdDiff,
		"export": cmdExport,
		"fetch":  cmdFetch,
		"import": cmdImport,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(os.Stderr, "backupctl: unknown command %q\n%s\n", args[0], usageText)
		return 2
	}
	return cmd(args[1:])
}

// fatalf prints an error and exits with status 1. Only for use before any
// cleanup has been deferred.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "backupctl: "+format+"\n", args...)
	os.Exit(1)
}

// signalContext is cancelled on SIGINT or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}
