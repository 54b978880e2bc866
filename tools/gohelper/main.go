// Command gohelper answers questions about Go source with the Go standard library itself, so
// that deferguard's own front end can be checked against it. Each question is a subcommand:
//
//	gohelper parse [-full] [file.go ...]   canonical dump (or its sha256) of go/parser's tree
//	gohelper calls [-tags a,b] [dir ...]     go/types' callee of every call expression
//
// Run "gohelper <subcommand> -h" for a subcommand's flags.
package main

import (
	"fmt"
	"os"
	"sort"
)

// A subcommand takes its arguments (without its own name) and returns the exit code.
type subcommand struct {
	summary string
	run     func(args []string) int
}

var subcommands = map[string]subcommand{
	"calls": {"print the callee go/types resolves for every call of each package", runCalls},
	"parse": {"print go/parser's tree of each file as a canonical dump or its sha256", runParse},
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: gohelper <subcommand> [flags] [args]")
	fmt.Fprintln(os.Stderr)
	fmt.Fprintln(os.Stderr, "subcommands:")
	names := make([]string, 0, len(subcommands))
	for name := range subcommands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", name, subcommands[name].summary)
	}
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	cmd, ok := subcommands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "gohelper: unknown subcommand %q\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	os.Exit(cmd.run(os.Args[2:]))
}
