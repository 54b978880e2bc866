// Command runner executes one CI pipeline described by a JSON file.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"example.com/falsealarm3/ci/pipeline"
)

func main() {
	code := 0
	defer func() { os.Exit(code) }() // ok: the exit itself is deferred and registered first, so it runs last

	spec := flag.String("pipeline", "pipeline.json", "pipeline spec")
	ws := flag.String("workspace", ".", "workspace")
	logs := flag.String("logs", "logs", "log directory")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	p, err := loadPipeline(*spec)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 2
		return
	}
	r := pipeline.NewRunner(*ws, *logs)
	if err := r.Run(ctx, p); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	for _, res := range r.Results(p.ID) {
		fmt.Printf("%-40s exit=%d %s\n", res.Step, res.ExitCode, res.Duration)
	}
}

// loadPipeline reads the spec; the file is read-only.
func loadPipeline(path string) (pipeline.Pipeline, error) {
	var p pipeline.Pipeline
	f, err := os.Open(path)
	if err != nil {
		return p, err
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&p); err != nil {
		return p, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// mustLoadPipeline is used by the legacy entry point; it exits on a bad spec
// before anything is deferred.
func mustLoadPipeline(path string) pipeline.Pipeline {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatalf("read %s: %v", path, err) // ok: no defer in this function
	}
	var p pipeline.Pipeline
	if err := json.Unmarshal(b, &p); err != nil {
		log.Fatalf("decode %s: %v", path, err) // ok: no defer in this function
	}
	return p
}

// mustRunLocked takes the workspace lock file, runs the pipeline and exits
// on failure.
func mustRunLocked(ws string, p pipeline.Pipeline) {
	lock := filepath.Join(ws, ".runner.lock")
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		log.Fatalf("workspace busy: %v", err) // ok: before the defer
	}
	f.Close()
	defer os.Remove(lock)
	r := pipeline.NewRunner(ws, "logs")
	if err := r.Run(context.Background(), p); err != nil {
		log.Fatalf("run %s: %v", p.ID, err) // HAZ exit-skips-defer
	}
}

// legacyMain is kept for the old "runner SPEC" invocation.
func legacyMain(args []string) {
	if len(args) != 1 {
		log.Fatal("usage: runner SPEC") // ok: nothing deferred in this function
	}
	mustRunLocked(".", mustLoadPipeline(args[0]))
}

var _ = legacyMain
