package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"net/http"
	"os"
	"time"

	"example.com/batchcompute/internal/aggregate"
	"example.com/batchcompute/internal/checkpoint"
	"example.com/batchcompute/internal/output"
	"example.com/batchcompute/internal/progress"
	"example.com/batchcompute/internal/sched"
	"example.com/batchcompute/internal/sim"
)

func trialFor(kind string) (sim.Trial, error) {
	switch kind {
	case "pi":
		return func(rng *rand.Rand) (float64, error) {
			x, y := rng.Float64(), rng.Float64()
			if x*x+y*y <= 1 {
				return 4, nil
			}
			return 0, nil
		}, nil
	case "normal":
		return func(rng *rand.Rand) (float64, error) { return rng.NormFloat64(), nil }, nil
	case "exp":
		return func(rng *rand.Rand) (float64, error) { return rng.ExpFloat64(), nil }, nil
	case "lognormal":
		return func(rng *rand.Rand) (float64, error) {
			v := math.Exp(rng.NormFloat64())
			if math.IsInf(v, 0) {
				return 0, errors.New("overflow")
			}
			return v, nil
		}, nil
	}
	return nil, fmt.Errorf("unknown job kind %q", kind)
}

func makeJob(spec jobSpec, table *aggregate.Table, store *checkpoint.Store, rep *progress.Reporter, workers int) (*sched.Job, error) {
	trial, err := trialFor(spec.Kind)
	if err != nil {
		return nil, fmt.Errorf("job %q: %w", spec.ID, err)
	}
	var timeout time.Duration
	if spec.Timeout != "" {
		timeout, _ = time.ParseDuration(spec.Timeout)
	}
	run := func(ctx context.Context) error {
		est, err := sim.Run(ctx, trial, spec.Samples, workers, spec.Seed)
		if err != nil {
			return err
		}
		if err := table.Observe(spec.Kind, est.Mean); err != nil {
			return err
		}
		rep.Add(1)
		if store == nil {
			return nil
		}
		return store.Save(&checkpoint.Checkpoint{Job: spec.ID, Step: 1, State: []float64{est.Mean, est.StdErr}})
	}
	return &sched.Job{ID: spec.ID, Priority: spec.Priority, Timeout: timeout, Run: run}, nil
}

func runPlan(ctx context.Context, p *plan, rep *progress.Reporter, outDir, ckptDir string) error {
	defer progress.Timed("plan "+p.Name, logger.Printf)()
	var store *checkpoint.Store
	if ckptDir != "" {
		var err error
		if store, err = checkpoint.Open(ckptDir, 3); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	table := aggregate.NewTable()
	s := sched.New(max(p.Workers, 1), logger, rep)
	for _, spec := range p.Jobs {
		j, err := makeJob(spec, table, store, rep, max(p.Workers, 1))
		if err != nil {
			return err
		}
		if err := s.Submit(j); err != nil {
			return err
		}
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()
	if err := s.DrainAndLog(ctx); err != nil {
		return err
	}
	cancel()
	<-done
	return export(outDir, p.Format, output.FromSnapshot(table.Snapshot()))
}

func export(dir, format string, recs []output.Record) error {
	if format == "" || format == "all" {
		return output.ExportAll(dir, recs)
	}
	w, err := output.ForFormat(format)
	if err != nil {
		return err
	}
	return w(dir+"/results."+format, recs)
}

// startStatus serves the progress reporter and returns a func that shuts the server down
// within a bounded time.
func startStatus(addr string, rep *progress.Reporter) (stop func()) {
	mux := http.NewServeMux()
	mux.Handle("/status", rep)
	mux.Handle("/stages", rep.StagesHandler())
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("status server: %v", err)
		}
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			logger.Printf("status shutdown: %v", err)
		}
	}
}
