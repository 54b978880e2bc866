// Command gwctl is the operator CLI for the gateway's admin API.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit code. Keeping
// the exit in main lets every subcommand's defers run.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "status":
		return cmdStatus(args[1:], stdout, stderr)
	case "edit":
		return cmdEdit(args[1:], stderr)
	case "purge":
		return cmdPurge(args[1:], stdout, stderr)
	case "events":
		return cmdEvents(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "gwctl: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: gwctl <command> [flags]

commands:
  status    show gateway status
  edit      edit the live configuration in $EDITOR
  purge     purge cache prefixes listed in a file
  events    follow the server-sent event stream
`)
}

// fatalf reports a fatal error and exits the process.
func fatalf(stderr io.Writer, format string, args ...any) {
	fmt.Fprintf(stderr, "gwctl: %s\n", fmt.Sprintf(format, args...))
	os.Exit(1)
}
