// Command newsletterd runs the whole platform in one process: the send
// pipeline, the campaign scheduler, the bounce watcher, periodic subscriber
// snapshots and the unsubscribe web server. It shuts down gracefully on
// SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"example.com/newsletter/internal/bounce"
	"example.com/newsletter/internal/scheduler"
	"example.com/newsletter/internal/sender"
	"example.com/newsletter/internal/subscribers"
	"example.com/newsletter/internal/templates"
	"example.com/newsletter/internal/web"
)

type config struct {
	addr          string
	dataDir       string
	templateDir   string
	bounceDir     string
	helo          string
	secret        string
	workers       int
	snapshotEvery time.Duration
}

func main() {
	if err := run(); err != nil {
		log.Printf("newsletterd: %v", err)
		os.Exit(1)
	}
}

func parseFlags() (config, error) {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", ":8080", "HTTP listen address")
	flag.StringVar(&cfg.dataDir, "data", "/var/lib/newsletter", "state directory")
	flag.StringVar(&cfg.templateDir, "templates", "/etc/newsletter/templates", "template directory")
	flag.StringVar(&cfg.bounceDir, "bounces", "/var/mail/bounces/new", "bounce mailbox directory")
	flag.StringVar(&cfg.helo, "helo", "mailer.example.com", "EHLO name")
	flag.IntVar(&cfg.workers, "workers", 8, "delivery workers")
	flag.DurationVar(&cfg.snapshotEvery, "snapshot-every", 30*time.Second, "snapshot interval")
	flag.Parse()
	cfg.secret = os.Getenv("NEWSLETTER_SECRET")
	if cfg.secret == "" {
		return cfg, errors.New("NEWSLETTER_SECRET is not set")
	}
	if cfg.workers <= 0 {
		return cfg, fmt.Errorf("-workers must be positive, got %d", cfg.workers)
	}
	return cfg, nil
}

func run() error {
	cfg, err := parseFlags()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "", log.LstdFlags|log.Lmsgprefix)

	snapPath := cfg.dataDir + "/subscribers.json"
	st := subscribers.NewStore([]byte(cfg.secret))
	if err := subscribers.LoadLatest(snapPath, st); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	renderer := templates.NewRenderer(cfg.templateDir, "https://news.example.com")
	limiter := sender.NewLimiter(5, 10, map[string]int{"gmail.com": 50, "outlook.com": 30})
	pipe := sender.New(sender.Config{Workers: cfg.workers, Helo: cfg.helo, Timeout: 30 * time.Second, MXFor: lookupMX}, limiter, logger)
	pipe.Start(ctx)
	go logResults(pipe.Results(), logger)

	sched := scheduler.New(&dispatcher{store: st, renderer: renderer, pipe: pipe, from: "news@example.com"}, st, logNotifier{logger}, logger, 15*time.Second)
	watcher := bounce.NewWatcher(cfg.bounceDir, cfg.bounceDir+"/../cur", 10*time.Second, st, logger)
	snaps := subscribers.NewSnapshotter(st, snapPath, cfg.snapshotEvery, logger)
	srv := &http.Server{Addr: cfg.addr, Handler: web.NewServer(st, renderer, logger, web.Options{AuditPath: cfg.dataDir + "/audit.log"}).Routes(), ReadHeaderTimeout: 5 * time.Second}

	errc := make(chan error, 4)
	var wg sync.WaitGroup
	for name, fn := range map[string]func(context.Context) error{"scheduler": sched.Run, "bounces": watcher.Run, "snapshots": snaps.Run} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errc <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}
	go func() {
		if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("http: %w", err)
		}
	}()

	var runErr error
	select {
	case <-ctx.Done():
		logger.Printf("signal received, shutting down")
	case runErr = <-errc:
		stop()
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		runErr = errors.Join(runErr, err)
	}
	wg.Wait()
	pipe.Close()
	limiter.Stop()
	return runErr
}

// logResults drains the pipeline's result stream until it is closed.
func logResults(results <-chan sender.Result, logger *log.Logger) {
	for r := range results {
		if r.Err != nil {
			logger.Printf("batch %d to %s: %v (sent %d, failed %d)", r.BatchID, r.Domain, r.Err, r.Sent, r.Failed)
		}
	}
}
