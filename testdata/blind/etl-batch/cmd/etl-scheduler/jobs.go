package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"time"

	"example.com/etl/internal/extract"
	"example.com/etl/internal/load"
	"example.com/etl/internal/record"
	"example.com/etl/internal/schedule"
)

// jobConfig is one entry of the jobs file.
type jobConfig struct {
	Name      string `json:"name"`
	Schedule  string `json:"schedule"`
	Exclusive bool   `json:"exclusive"`
	Timeout   string `json:"timeout"`
	Input     string `json:"input"` // glob of CSV files
	Output    string `json:"output"`
}

func loadJobs(path string) ([]schedule.Job, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cfgs []jobConfig
	if err := json.Unmarshal(b, &cfgs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	jobs := make([]schedule.Job, 0, len(cfgs))
	for _, c := range cfgs {
		spec, err := schedule.Parse(c.Schedule)
		if err != nil {
			return nil, fmt.Errorf("%s: job %s: %w", path, c.Name, err)
		}
		var timeout time.Duration
		if c.Timeout != "" {
			if timeout, err = time.ParseDuration(c.Timeout); err != nil {
				return nil, fmt.Errorf("%s: job %s: %w", path, c.Name, err)
			}
		}
		jobs = append(jobs, schedule.Job{
			Name:      c.Name,
			Spec:      spec,
			Exclusive: c.Exclusive,
			Timeout:   timeout,
			Run:       func(ctx context.Context) error { return runCopy(ctx, c) },
		})
	}
	return jobs, nil
}

// runCopy merges the job's input files into its output file.
func runCopy(ctx context.Context, c jobConfig) error {
	defer log.Printf("job %s: copy finished at %s", c.Name, time.Now().Format(time.TimeOnly)) // HAZ defer-eager-evaluation
	paths, err := filepath.Glob(c.Input)
	if err != nil {
		return err
	}
	sort.Strings(paths)
	var all []record.Record
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		recs, err := extract.ReadCSV(p)
		if err != nil {
			return err
		}
		all = append(all, recs...)
	}
	return load.WriteCSV(c.Output, record.InferSchema(all), all)
}
