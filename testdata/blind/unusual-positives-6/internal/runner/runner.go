// Package runner runs batch jobs with optional CPU profiling, timeouts and
// named preparation stages.
package runner

import (
	"context"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"time"

	"example.com/up6/internal/obs"
)

// Config describes one job run.
type Config struct {
	Name       string
	CPUProfile string // file to write a CPU profile to; empty disables profiling
	Timeout    time.Duration
}

// startProfiler starts CPU profiling into path and returns the function that
// stops it. It returns nil when profiling is disabled or cannot start.
func startProfiler(path string) func() {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		log.Printf("profile: %v", err)
		return nil
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Printf("profile: %v", err)
		f.Close()
		return nil
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			log.Printf("profile: close: %v", err)
		}
	}
}

// Run runs job under cfg.
func Run(ctx context.Context, cfg Config, job func(context.Context) error) error {
	stop := func() {}
	defer stop() // HAZ defer-eager-evaluation
	if cfg.CPUProfile != "" {
		if s := startProfiler(cfg.CPUProfile); s != nil {
			stop = s
		}
	}
	if cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Timeout)
		defer cancel()
	}
	return job(ctx)
}

// Profiled runs job under cfg; the profiler, if any, is stopped on return.
func Profiled(ctx context.Context, cfg Config, job func(context.Context) error) error {
	stop := func() {}
	defer func() { stop() }()
	if cfg.CPUProfile != "" {
		if s := startProfiler(cfg.CPUProfile); s != nil {
			stop = s
		}
	}
	return job(ctx)
}

// Quick runs a job that needs no context, profiling it when configured.
func Quick(cfg Config, job func() error) error {
	defer startProfiler(cfg.CPUProfile)() // HAZ defer-nil-func
	return job()
}

// QuickChecked is Quick for callers that may run without a profile.
func QuickChecked(cfg Config, job func() error) error {
	if stop := startProfiler(cfg.CPUProfile); stop != nil {
		defer stop()
	}
	return job()
}

var prepare = map[string]func() error{
	"empty":    func() error { return nil },
	"seeded":   seed,
	"fixtures": loadFixtures,
}

var cleanup = map[string]func(){
	"seeded":   func() { os.Remove(seedFile) },
	"fixtures": func() { os.Remove(fixtureFile) },
}

const (
	seedFile    = "up6-seed.json"
	fixtureFile = "up6-fixtures.json"
)

func seed() error {
	return os.WriteFile(seedFile, []byte(`{"seed":1}`), 0o644)
}

func loadFixtures() error {
	return os.WriteFile(fixtureFile, []byte(`{"fixtures":[]}`), 0o644)
}

// Stage runs body after the named preparation stage and cleans up after it.
func Stage(name string, body func() error) error {
	prep, ok := prepare[name]
	if !ok {
		return fmt.Errorf("runner: unknown stage %q", name)
	}
	if err := prep(); err != nil {
		return fmt.Errorf("runner: prepare %s: %w", name, err)
	}
	defer cleanup[name]() // HAZ defer-nil-func
	return body()
}

// StageChecked is Stage for stages that may have nothing to clean up.
func StageChecked(name string, body func() error) error {
	prep, ok := prepare[name]
	if !ok {
		return fmt.Errorf("runner: unknown stage %q", name)
	}
	if err := prep(); err != nil {
		return fmt.Errorf("runner: prepare %s: %w", name, err)
	}
	if done, ok := cleanup[name]; ok {
		defer done()
	}
	return body()
}

func logOutcome(name string, err error) {
	if err != nil {
		log.Printf("job %s failed: %v", name, err)
		return
	}
	log.Printf("job %s succeeded", name)
}

// Logged runs job and logs how long it took.
func Logged(cfg Config, job func() error) error {
	defer obs.Timed(log.Default(), cfg.Name) // HAZ defer-func-result-not-called
	return job()
}

// RunLogged runs job under cfg and logs its outcome.
func RunLogged(ctx context.Context, cfg Config, job func(context.Context) error) error {
	var err error
	defer logOutcome(cfg.Name, err) // HAZ defer-eager-evaluation
	err = Run(ctx, cfg, job)
	return err
}

// RunReported runs job under cfg and logs its outcome and duration.
func RunReported(ctx context.Context, cfg Config, job func(context.Context) error) (err error) {
	defer obs.Timed(log.Default(), cfg.Name)()
	defer func() { logOutcome(cfg.Name, err) }()
	return Profiled(ctx, cfg, job)
}
