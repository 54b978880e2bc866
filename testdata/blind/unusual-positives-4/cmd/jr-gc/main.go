// Command jr-gc prunes the artifact store and the action cache.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"example.com/unusualpos4/internal/artifact"
	"example.com/unusualpos4/internal/trace"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run does the work and returns the exit status, so that its deferred
// cleanups run before main exits.
func run(args []string) int {
	fs := flag.NewFlagSet("jr-gc", flag.ContinueOnError)
	root := fs.String("root", ".jr/artifacts", "artifact store")
	maxAge := fs.Duration("max-age", 30*24*time.Hour, "delete artifacts older than this")
	verbose := fs.Bool("v", false, "print timings")
	if err := fs.Parse(args); err != nil {
		return 2
	}

	tr := trace.New()
	if *verbose {
		defer tr.WriteTo(os.Stderr)
	}
	store, err := artifact.NewFSStore(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "jr-gc:", err)
		return 1
	}
	if err := prune(tr, store, *maxAge); err != nil {
		fmt.Fprintln(os.Stderr, "jr-gc:", err)
		return 1
	}
	return 0
}

func prune(tr *trace.Tracer, store *artifact.FSStore, maxAge time.Duration) error {
	defer tr.Begin("prune")()
	if err := store.Prune(maxAge); err != nil {
		return err
	}
	defer tr.Begin("compact")()
	return store.Compact()
}
