// Command bcrun executes a batch plan of Monte Carlo jobs and exports the aggregated results.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/batchcompute/internal/progress"
)

var logger = log.New(os.Stderr, "bcrun: ", log.LstdFlags)

type jobSpec struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Samples  int    `json:"samples"`
	Seed     int64  `json:"seed"`
	Priority int    `json:"priority"`
	Timeout  string `json:"timeout"`
}

type plan struct {
	Name    string    `json:"name"`
	Workers int       `json:"workers"`
	Format  string    `json:"format"`
	Jobs    []jobSpec `json:"jobs"`
}

func (p *plan) validate() error {
	if len(p.Jobs) == 0 {
		return fmt.Errorf("plan %q has no jobs", p.Name)
	}
	seen := make(map[string]bool, len(p.Jobs))
	for _, j := range p.Jobs {
		if seen[j.ID] {
			return fmt.Errorf("plan %q: duplicate job %q", p.Name, j.ID)
		}
		seen[j.ID] = true
		if j.Timeout != "" {
			if _, err := time.ParseDuration(j.Timeout); err != nil {
				return fmt.Errorf("job %q: %w", j.ID, err)
			}
		}
	}
	return nil
}

// loadPlan reads and validates the plan file; it exits the process on any error.
func loadPlan(path string) *plan {
	f, err := os.Open(path)
	if err != nil {
		logger.Fatalf("plan: %v", err)
	}
	defer f.Close()
	var p plan
	if err := json.NewDecoder(f).Decode(&p); err != nil {
		logger.Fatalf("plan %s: %v", path, err) // HAZ exit-skips-defer
	}
	return &p
}

// readPlan reads and validates the plan file and returns errors to the caller.
func readPlan(path string) (*plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var p plan
	if err := json.NewDecoder(f).Decode(&p); err != nil {
		return nil, fmt.Errorf("plan %s: %w", path, err)
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

func main() {
	planPath := flag.String("plan", "", "path of the JSON batch plan")
	outDir := flag.String("out", "out", "directory for the exported results")
	ckptDir := flag.String("checkpoints", "", "checkpoint directory (empty: no checkpoints)")
	statusAddr := flag.String("status", "", "address for the HTTP status endpoint (empty: off)")
	strict := flag.Bool("strict", false, "exit on the first plan problem instead of reporting it")
	flag.Parse()
	if *planPath == "" {
		flag.Usage()
		os.Exit(2)
	}
	if *strict {
		loadPlan(*planPath)
	}
	p, err := readPlan(*planPath)
	if err != nil {
		logger.Fatal(err)
	}

	code := 0
	defer func() {
		if code != 0 {
			os.Exit(code)
		}
	}()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	rep := progress.NewReporter(os.Stderr, int64(len(p.Jobs)), 2*time.Second)
	rep.Start()
	defer rep.Stop()
	if *statusAddr != "" {
		stopStatus := startStatus(*statusAddr, rep)
		defer stopStatus()
	}
	if err := runPlan(ctx, p, rep, *outDir, *ckptDir); err != nil {
		logger.Print(err)
		code = 1
	}
}
