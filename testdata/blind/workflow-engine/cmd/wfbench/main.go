// Command wfbench starts many workflows against an engine and records the
// start latency of each one in a CSV file.
package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"example.com/wfengine/internal/client"
)

type sample struct {
	id      string
	latency time.Duration
	err     error
}

// bench starts n workflows with at most conc in flight and returns one
// sample per start, in completion order.
func bench(ctx context.Context, c *client.Client, workflow string, n, conc int) []sample {
	samples := make(chan sample, n)
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			close(samples)
			return collect(samples)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			start := time.Now()
			id, err := c.Start(ctx, workflow, "bench-"+strconv.Itoa(i), nil)
			samples <- sample{id: id, latency: time.Since(start), err: err}
		}()
	}
	wg.Wait()
	close(samples)
	return collect(samples)
}

func collect(ch <-chan sample) []sample {
	var out []sample
	for s := range ch {
		out = append(out, s)
	}
	return out
}

// flushResults finishes the CSV file and reports write errors.
func flushResults(cw *csv.Writer, f *os.File) {
	cw.Flush()
	if err := cw.Error(); err != nil {
		log.Printf("wfbench: write results: %v", err)
	}
	if err := f.Close(); err != nil {
		log.Printf("wfbench: close results: %v", err)
	}
}

func main() {
	server := flag.String("server", "http://127.0.0.1:7233", "engine API address")
	workflow := flag.String("workflow", "noop", "workflow to start")
	n := flag.Int("n", 1000, "number of workflows")
	conc := flag.Int("c", 32, "concurrent starts")
	out := flag.String("out", "bench.csv", "results file")
	flag.Parse()

	f, err := os.Create(*out)
	if err != nil {
		log.Fatalf("wfbench: %v", err)
	}
	cw := csv.NewWriter(f)
	defer flushResults(cw, f)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	samples := bench(ctx, client.New(*server, 10*time.Second), *workflow, *n, *conc)
	failures := 0
	for _, s := range samples {
		status := "ok"
		if s.err != nil {
			status = s.err.Error()
			failures++
		}
		if err := cw.Write([]string{s.id, strconv.FormatInt(s.latency.Microseconds(), 10), status}); err != nil {
			log.Printf("wfbench: %v", err)
			break
		}
	}
	fmt.Printf("%d started, %d failed\n", len(samples)-failures, failures)
	if failures > 0 {
		os.Exit(1) // HAZ exit-skips-defer
	}
}
