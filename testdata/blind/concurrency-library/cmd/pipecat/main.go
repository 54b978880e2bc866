// Command pipecat reads text files, normalises their lines in parallel and
// writes the result gzip-compressed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"example.com/conclib/pipeline"
)

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pipecat: "+format+"\n", args...)
	os.Exit(2)
}

func normalise(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func run(ctx context.Context, out string, workers int, inputs []string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	partial := out + ".partial"
	defer os.Remove(partial) // no-op once the rename below succeeded

	var sources []<-chan string
	var errcs []<-chan error
	for _, in := range inputs {
		lines, errc := pipeline.ReadLines(ctx, in)
		sources = append(sources, lines)
		errcs = append(errcs, errc)
	}
	merged := pipeline.Merge(ctx, sources...)
	cleaned := pipeline.ParallelMap(ctx, merged, workers, normalise)
	nonEmpty := pipeline.Filter(ctx, cleaned, func(s string) bool { return s != "" })
	n, err := pipeline.WriteLines(ctx, partial, nonEmpty)
	if err != nil {
		return err
	}
	for i, errc := range errcs {
		if err := <-errc; err != nil {
			return fmt.Errorf("%s: %w", inputs[i], err)
		}
	}
	if n == 0 {
		fatalf("inputs contain no lines, %s left unchanged", out) // HAZ exit-skips-defer
	}
	if err := os.Rename(partial, out); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "pipecat: wrote %d lines to %s\n", n, out)
	return nil
}

func main() {
	out := flag.String("o", "out.txt.gz", "output file")
	workers := flag.Int("j", 4, "parallel workers")
	flag.Parse()
	if flag.NArg() == 0 {
		fatalf("usage: pipecat [-o out] [-j n] file...") // ok: nothing deferred yet
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, *out, *workers, flag.Args())
	stop()
	if err != nil {
		fatalf("%v", err) // ok: stop already called explicitly, no defers in main
	}
}
