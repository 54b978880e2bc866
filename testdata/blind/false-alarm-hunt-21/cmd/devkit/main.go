// Command devkit bundles small helpers used while developing generators:
// hash, diff, grep, count, tools, watch, profile and stacks.
package main

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"

	"example.com/fah21/internal/trace"
)

var commands = map[string]func(args []string) error{
	"hash":    cmdHash,
	"diff":    cmdDiff,
	"grep":    cmdGrep,
	"count":   cmdCount,
	"tools":   cmdTools,
	"watch":   cmdWatch,
	"profile": cmdProfile,
	"stacks":  cmdStacks,
}

func main() {
	if len(os.Args) < 2 {
		usage(os.Stderr)
		os.Exit(2)
	}
	name, args := os.Args[1], os.Args[2:]
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "devkit: unknown command %q\n", name)
		usage(os.Stderr)
		os.Exit(2)
	}

	// The exit is deferred first so that it runs last, after every other
	// deferred call of main.
	code := 0
	defer func() { os.Exit(code) }()
	defer trace.Region("devkit " + name)()

	if err := cmd(args); err != nil {
		fmt.Fprintf(os.Stderr, "devkit %s: %v\n", name, err)
		code = 1
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: devkit <command> [arguments]")
	fmt.Fprintln(w)
	for _, name := range slices.Sorted(maps.Keys(commands)) {
		fmt.Fprintln(w, "  "+name)
	}
}
