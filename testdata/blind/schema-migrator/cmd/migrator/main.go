// Command migrator applies, reverts, plans and inspects schema migrations,
// and dumps and restores table data around them.
//
// Exit codes: 0 ok, 1 failure, 2 usage, 3 migrations pending (status
// -fail-pending), 4 lock held by someone else.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitPending = 3
	exitLocked  = 4
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 {
		usage(os.Stderr)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cmd, rest := args[0], args[1:]
	switch cmd {
	case "up":
		return cmdUp(ctx, rest)
	case "down":
		return cmdDown(ctx, rest)
	case "status":
		return cmdStatus(ctx, rest)
	case "plan":
		return cmdPlan(ctx, rest)
	case "verify":
		return cmdVerify(ctx, rest)
	case "lock":
		return cmdLock(ctx, rest)
	case "dump":
		return cmdDump(ctx, rest)
	case "restore":
		return cmdRestore(ctx, rest)
	case "baseline":
		return cmdBaseline(ctx, rest)
	case "repair":
		return cmdRepair(ctx, rest)
	case "exec":
		return cmdExec(ctx, rest)
	case "help", "-h", "--help":
		usage(os.Stdout)
		return exitOK
	default:
		fmt.Fprintf(os.Stderr, "migrator: unknown command %q\n\n", cmd)
		usage(os.Stderr)
		return exitUsage
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: migrator <command> [flags]

commands:
  up        apply pending migrations (-to VERSION, -no-lock)
  down      revert the last migrations (-steps N)
  status    print the state of every migration (-o FILE, -fail-pending)
  plan      print the statements "up" would run (-o FILE)
  verify    lint migrations and compare checksums with the history
  lock      show who holds the migration lock
  dump      dump tables to gzip CSV (-tables a,b -out DIR -archive FILE)
  restore   restore tables from a dump directory or archive
  baseline  mark migrations up to -version as applied
  repair    rewrite the stored checksum of -version
  exec      run an ad-hoc script file in one transaction

common flags: -dsn, -dir, -embedded, -table, -v
`)
}

// fatalf prints the message and exits with status 1.
func fatalf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "migrator: "+format+"\n", args...)
	os.Exit(exitFailure)
}
