// Command forge is the build tool's command-line front end.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// errUsage marks command-line mistakes (exit status 2).
var errUsage = errors.New("usage")

const usageText = `usage: forge <command> [flags] [args]

commands:
  build    compile packages
  pack     pack files into a tarball
  verify   check that a tarball unpacks to the expected tree
  clean    remove cache directories
  hash     print the content hash of a directory
  doctor   check the tools forge needs
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintf(os.Stderr, "forge: %v\n", err)
		}
		os.Exit(exitCode(err))
	}
}

// run dispatches to the subcommand named by args[0]. All cleanup of a
// command has happened by the time run returns.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "build":
		return cmdBuild(ctx, rest, stderr)
	case "pack":
		return cmdPack(ctx, rest, stdout)
	case "verify":
		return cmdVerify(ctx, rest, stdout)
	case "clean":
		return cmdClean(rest, stdout)
	case "hash":
		return cmdHash(rest, stdout)
	case "doctor":
		return cmdDoctor(ctx, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usageText)
		return nil
	}
	fmt.Fprintf(stderr, "forge: unknown command %q\n\n%s", cmd, usageText)
	return errUsage
}

// exitCode maps an error from run to the process exit status.
func exitCode(err error) int {
	switch {
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, context.Canceled):
		return 130
	default:
		return 1
	}
}
