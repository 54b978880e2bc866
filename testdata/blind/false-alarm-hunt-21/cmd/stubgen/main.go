// Command stubgen generates Go stubs from JSON specs and text templates.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"example.com/fah21/internal/gen"
	"example.com/fah21/internal/progress"
	"example.com/fah21/internal/trace"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "stubgen:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("stubgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		specDir = fs.String("specs", "specs", "directory of *.json spec files")
		tmplDir = fs.String("templates", "templates", "directory of *.tmpl files")
		outDir  = fs.String("out", "internal/generated", "output directory")
		jobs    = fs.Int("j", runtime.NumCPU(), "render workers")
		lock    = fs.Bool("lock", true, "hold the output lock while writing")
		quiet   = fs.Bool("q", false, "no progress output")
		csvOut  = fs.String("csv", "", "also write results as CSV to this file")
	)
	if err := fs.Parse(args); err != nil {
		return err
	}
	defer trace.Region("stubgen")()

	specs, err := gen.LoadSpecDir(*specDir)
	if err != nil {
		return err
	}
	g, err := gen.New(*outDir, *tmplDir, stderr)
	if err != nil {
		return err
	}
	g.Lock = *lock

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var sp *progress.Spinner
	if !*quiet {
		sp = progress.Start(stderr, "rendering", 100*time.Millisecond)
	}
	srcs, err := g.RenderConcurrent(ctx, specs, *jobs)
	if sp != nil {
		sp.Stop()
	}
	if err != nil {
		return err
	}
	if err := g.WithLock(func() error { return g.WriteAll(specs, srcs) }); err != nil {
		return err
	}
	if err := g.WriteIndex(specs[0].Package); err != nil {
		return err
	}
	if *csvOut != "" {
		return g.WriteCSV(*csvOut)
	}
	return nil
}
