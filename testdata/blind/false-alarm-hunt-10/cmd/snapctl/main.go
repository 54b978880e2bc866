// Command snapctl is the operator CLI for snapd's data directory.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

const (
	defaultDataDir = "/var/lib/snapd"
	exitMismatch   = 3
)

func usage() {
	fmt.Fprintln(os.Stderr, `usage: snapctl <command> [flags]

commands:
  list     list catalog entries
  verify   verify blob checksums
  check    validate a manifest file
  export   write a bundle of all blobs
  ping     check that a snapd instance answers
  gc       prune blobs unused for longer than -max-age`)
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	code := dispatch(out, os.Args[1], os.Args[2:])
	if err := out.Flush(); err != nil && code == 0 {
		code = 1
	}
	os.Exit(code)
}

// dispatch runs one subcommand and returns the process exit code.
func dispatch(w io.Writer, cmd string, args []string) int {
	var err error
	switch cmd {
	case "list":
		err = cmdList(w, args)
	case "verify":
		err = cmdVerify(w, args)
	case "check":
		err = cmdCheck(w, args)
	case "export":
		err = cmdExport(w, args)
	case "ping":
		err = cmdPing(w, args)
	case "gc":
		err = cmdGC(w, args)
	default:
		usage()
		return 2
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "snapctl %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

// die reports a usage error and exits.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "snapctl: "+format+"\n", args...)
	os.Exit(2)
}
