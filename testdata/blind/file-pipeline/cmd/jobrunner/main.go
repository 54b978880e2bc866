// Command jobrunner executes the jobs listed in a job file (kind:id:timeout
// per line) and exposes its counters over HTTP until it is told to stop.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/filepipeline/internal/jobs"
	"example.com/filepipeline/internal/walk"
)

func main() {
	addr := flag.String("metrics", "127.0.0.1:9102", "metrics listen address")
	jobFile := flag.String("jobs", "jobs.txt", "job file")
	workers := flag.Int("workers", 4, "worker goroutines")
	flag.Parse()

	logger := log.New(os.Stderr, "jobrunner: ", log.LstdFlags)
	runner := jobs.NewRunner(*workers, 10*time.Minute, logger)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigc)

	srv := &http.Server{Addr: *addr, Handler: metricsHandler(runner), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("metrics: %v", err)
		}
	}()
	defer func() {
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		if err := srv.Shutdown(sctx); err != nil {
			logger.Printf("metrics shutdown: %v", err)
		}
	}()

	runErr := make(chan error, 1)
	go func() { runErr <- runner.RunSafe(ctx) }()
	go drainDone(ctx, runner)
	go logResults(runner, logger)
	go func() {
		defer runner.Stop()
		if err := submitFile(ctx, runner, *jobFile); err != nil {
			logger.Printf("%v", err)
		}
	}()

	select {
	case sig := <-sigc:
		logger.Printf("received %v, stopping (again to force)", sig)
		go func() {
			<-sigc
			logger.Print("second signal, exiting without cleanup")
			os.Exit(1)
		}()
		cancel()
		runner.Stop()
		<-runErr
	case err := <-runErr:
		if err != nil {
			logger.Printf("runner: %v", err)
		}
	}
}

func metricsHandler(r *jobs.Runner) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(r.Stats())
	})
}

func drainDone(ctx context.Context, r *jobs.Runner) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.Done():
		}
	}
}

func logResults(r *jobs.Runner, logger *log.Logger) {
	for res := range r.Results() {
		if res.Err != nil {
			logger.Printf("job %s failed after %v: %v", res.JobID, res.Took, res.Err)
		}
	}
}

// submitFile queues one job per valid line of the job file.
func submitFile(ctx context.Context, r *jobs.Runner, path string) error {
	for n, line := range walk.ReadLines(path) {
		spec, err := jobs.ParseSpecStrict(line)
		if err != nil {
			log.Printf("%s:%d: %v", path, n, err)
			continue
		}
		if err := r.Submit(ctx, jobs.FromSpec(spec)); err != nil {
			return err
		}
	}
	return nil
}
