// Command fsbench is a closed-loop load generator for featured: N
// connections issue GETs for random keys for a fixed duration, then the
// latency distribution is printed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"sync"
	"time"

	"example.com/featurestore/internal/metrics"
	"example.com/featurestore/internal/serving"
)

type config struct {
	addr       string
	conns      int
	duration   time.Duration
	keys       []string
	cpuProfile string
	traceFile  string
}

func main() {
	logger := log.New(os.Stderr, "fsbench: ", log.LstdFlags)
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		logger.Fatalf("%v", err)
	}
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			logger.Fatalf("cpu profile: %v", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			logger.Fatalf("cpu profile: %v", err)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(cfg); err != nil {
		logger.Fatalf("%v", err) // HAZ exit-skips-defer
	}
}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("fsbench", flag.ContinueOnError)
	var cfg config
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:7070", "feature server")
	fs.IntVar(&cfg.conns, "conns", 8, "concurrent connections")
	fs.DurationVar(&cfg.duration, "d", 10*time.Second, "test duration")
	nkeys := fs.Int("keys", 10000, "distinct keys (user/<i>/score)")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile")
	fs.StringVar(&cfg.traceFile, "trace", "", "write an execution trace")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if cfg.conns <= 0 || *nkeys <= 0 {
		return config{}, errors.New("-conns and -keys must be positive")
	}
	cfg.keys = make([]string, *nkeys)
	for i := range cfg.keys {
		cfg.keys[i] = "user/" + strconv.Itoa(i) + "/score"
	}
	return cfg, nil
}

func run(cfg config) error {
	var stopTrace func()
	if cfg.traceFile != "" {
		f, err := os.Create(cfg.traceFile)
		if err != nil {
			return err
		}
		if err := trace.Start(f); err != nil {
			f.Close()
			return err
		}
		stopTrace = func() {
			trace.Stop()
			if err := f.Close(); err != nil {
				log.Printf("fsbench: trace: %v", err)
			}
		}
	}
	defer stopTrace() // HAZ defer-nil-func
	ctx, cancel := context.WithTimeout(context.Background(), cfg.duration)
	defer cancel()
	return runLoad(ctx, cfg, metrics.NewRegistry())
}

func runLoad(ctx context.Context, cfg config, m *metrics.Registry) error {
	defer m.Snapshot().Publish(os.Stdout) // HAZ defer-call-chain
	errs := make(chan error, cfg.conns)
	var wg sync.WaitGroup
	for i := range cfg.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- worker(ctx, cfg, i, m)
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

func worker(ctx context.Context, cfg config, id int, m *metrics.Registry) error {
	c, err := serving.Dial(cfg.addr, time.Second)
	if err != nil {
		return fmt.Errorf("worker %d: %w", id, err)
	}
	defer c.Close()
	rng := rand.New(rand.NewPCG(uint64(id), uint64(time.Now().UnixNano())))
	for ctx.Err() == nil {
		key := cfg.keys[rng.IntN(len(cfg.keys))]
		start := time.Now()
		_, err := c.Get(ctx, key)
		m.Observe("get", time.Since(start))
		var remote *serving.RemoteError
		switch {
		case err == nil:
			m.Inc("get.ok", 1)
		case errors.As(err, &remote):
			m.Inc("get.miss", 1)
		case ctx.Err() != nil:
			return nil
		default:
			return fmt.Errorf("worker %d: %w", id, err)
		}
	}
	return nil
}
