// Command logshipd is the log shipper agent: it tails the configured files,
// spools parsed batches to disk and ships them to the collector.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"example.com/logship/internal/checkpoint"
	"example.com/logship/internal/config"
	"example.com/logship/internal/metrics"
	"example.com/logship/internal/pipeline"
	"example.com/logship/internal/ship"
	"example.com/logship/internal/spool"
	"example.com/logship/internal/tail"
)

func main() {
	cfgPath := flag.String("config", "/etc/logship/config.json", "configuration file")
	check := flag.Bool("check", false, "check the configuration and exit")
	flag.Parse()
	logger := log.New(os.Stderr, "logshipd: ", log.LstdFlags|log.Lmsgprefix)
	if *check {
		cfg, err := config.Load(*cfgPath)
		if err != nil {
			logger.Fatal(err)
		}
		checkSetup(cfg, logger)
		return
	}
	if err := run(*cfgPath, logger); err != nil {
		logger.Fatal(err)
	}
}

// run wires the agent together and blocks until SIGTERM/SIGINT or until a
// component fails. SIGHUP reloads the configuration.
func run(cfgPath string, logger *log.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	rl, err := config.NewReloader(cfgPath, logger.Printf)
	if err != nil {
		return err
	}
	cfg := rl.Current()
	st, err := checkpoint.Load(cfg.StateFile)
	if err != nil {
		return err
	}
	sp, err := spool.Open(cfg.SpoolDir, cfg.SpoolMaxMB<<20)
	if err != nil {
		return err
	}
	m := metrics.New()
	id := agentID()
	shipper := ship.New(cfg.CollectorURL, ship.Options{
		Retries:     cfg.MaxRetries,
		Timeout:     30 * time.Second,
		MaxInFlight: cfg.MaxInFlight,
		Logf:        logger.Printf,
	})
	worker := ship.NewWorker(shipper, sp, id, cfg.FlushEvery.Duration, cfg.Workers)
	pl := pipeline.New(pipeline.Options{
		Workers:    cfg.Workers,
		BatchSize:  cfg.BatchSize,
		FlushEvery: cfg.FlushEvery.Duration,
		StatePath:  cfg.StateFile,
		AgentID:    id,
	}, sp, st, m, logger.Printf)
	mgr := tail.NewManager(time.Second, logger.Printf)
	adm := newAdmin(cfg.AdminAddr, m, st, rl, logger)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lines := make(chan tail.Line, 1024)
	components := []struct {
		name string
		run  func(context.Context) error
	}{
		{"tail", func(ctx context.Context) error { return mgr.Run(ctx, cfg.Paths, st.Get, lines) }},
		{"pipeline", func(ctx context.Context) error { return pl.Run(ctx, lines) }},
		{"ship", worker.Run},
		{"admin", adm.Run},
	}
	var wg sync.WaitGroup
	errc := make(chan error, len(components))
	for _, c := range components {
		wg.Add(1)
		go func(name string, fn func(context.Context) error) {
			defer wg.Done()
			if err := fn(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errc <- fmt.Errorf("%s: %w", name, err)
				cancel()
			}
		}(c.name, c.run)
	}
	go rl.Watch(ctx, hup)
	go checkpointLoop(ctx, st, 5*time.Second, logger)

	<-ctx.Done()
	logger.Print("shutting down")
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	if err := st.Save(); err != nil {
		errs = append(errs, fmt.Errorf("final checkpoint: %w", err))
	}
	return errors.Join(errs...)
}

// checkpointLoop saves the offsets every interval until ctx ends.
func checkpointLoop(ctx context.Context, st *checkpoint.State, every time.Duration, logger *log.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	defer logger.Printf("checkpoint: loop stopped (interval %s)", every)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := st.Save(); err != nil {
				logger.Printf("checkpoint: %v", err)
			}
		}
	}
}

// checkSetup verifies that the spool is writable and every path readable.
func checkSetup(cfg *config.Config, logger *log.Logger) {
	if _, err := spool.Open(cfg.SpoolDir, 0); err != nil {
		logger.Fatalf("spool: %v", err)
	}
	probe := filepath.Join(cfg.SpoolDir, ".write-probe")
	if err := os.WriteFile(probe, nil, 0o600); err != nil {
		logger.Fatalf("spool not writable: %v", err)
	}
	defer os.Remove(probe)
	for _, p := range cfg.Paths {
		if _, err := tail.LastLine(p); err != nil {
			logger.Fatalf("cannot read %s: %v", p, err) // HAZ exit-skips-defer
		}
	}
	logger.Printf("configuration OK: %d paths, spool %s", len(cfg.Paths), cfg.SpoolDir)
}

func agentID() string {
	if id := os.Getenv("LOGSHIP_AGENT_ID"); id != "" {
		return id
	}
	h, err := os.Hostname()
	if err != nil {
		return "unknown"
	}
	return h
}
