// Command mqworker runs the email and webhook workers, the spool drainer,
// the lease reclaimer and the admin API in one process.
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

	"example.com/mqworker/internal/api"
	"example.com/mqworker/internal/deadletter"
	"example.com/mqworker/internal/mailer"
	"example.com/mqworker/internal/metrics"
	"example.com/mqworker/internal/queue"
	"example.com/mqworker/internal/ratelimit"
	"example.com/mqworker/internal/retry"
	"example.com/mqworker/internal/store"
	"example.com/mqworker/internal/supervisor"
	"example.com/mqworker/internal/webhook"
	"example.com/mqworker/internal/worker"
)

type templateFile struct {
	ID      string `json:"id"`
	From    string `json:"from"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// loadTemplates registers every template of a JSON file.
func loadTemplates(r *mailer.Renderer, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var tpls []templateFile
	if err := json.NewDecoder(f).Decode(&tpls); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	for _, t := range tpls {
		if err := r.Register(t.ID, t.From, t.Subject, t.Body); err != nil {
			return 0, err
		}
	}
	return len(tpls), nil
}

type deps struct {
	repo    *queue.Repo
	limiter *ratelimit.Limiter
	dead    *deadletter.Writer
	metrics *metrics.Registry
	log     *log.Logger
	email   worker.Handler
	hooks   worker.Handler
}

// buildWorkers creates n workers sharing the same dependencies.
func buildWorkers(n int, d deps, timeout time.Duration) []*worker.Worker {
	ws := make([]*worker.Worker, 0, n)
	for i := range n {
		w := worker.New(worker.Config{
			Name:         fmt.Sprintf("w%02d", i),
			Batch:        10,
			JobTimeout:   timeout,
			PollInterval: 2 * time.Second,
		}, d.repo, d.limiter, d.dead, d.metrics, d.log)
		w.Handle(queue.KindEmail, d.email)
		w.Handle(queue.KindWebhook, d.hooks)
		ws = append(ws, w)
	}
	return ws
}

// reclaimer periodically returns expired leases to the queue.
func reclaimer(w *worker.Worker, every time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
				if _, err := w.Reclaim(ctx, every/2); err != nil {
					return err
				}
			}
		}
	}
}

func main() {
	var (
		dsn        = flag.String("dsn", "mem://jobs", "store DSN")
		nWorkers   = flag.Int("workers", 4, "number of worker goroutines")
		deadDir    = flag.String("dead-letter-dir", "./dead", "dead-letter directory")
		spoolDir   = flag.String("spool-dir", "./spool", "outbound spool directory")
		templates  = flag.String("templates", "templates.json", "email templates")
		relay      = flag.String("relay", "127.0.0.1:25", "SMTP relay address")
		apiAddr    = flag.String("api", "127.0.0.1:8081", "admin API listen address")
		timeout    = flag.Duration("job-timeout", 30*time.Second, "per-job timeout")
		grace      = flag.Duration("grace", 30*time.Second, "shutdown grace period")
		metricsOut = flag.String("metrics-out", "mqworker.metrics", "metrics dump written on exit")
	)
	flag.Parse()
	logger := log.New(os.Stderr, "mqworker ", log.LstdFlags|log.Lmsgprefix)

	db, err := store.Open(*dsn)
	if err != nil {
		logger.Fatalf("open store: %v", err)
	}
	dead, err := deadletter.NewWriter(*deadDir, 64<<20)
	if err != nil {
		logger.Fatalf("dead-letter: %v", err)
	}
	defer db.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	renderer := mailer.NewRenderer()
	if n, err := loadTemplates(renderer, *templates); err != nil {
		logger.Printf("templates: %v (continuing with none)", err)
	} else {
		logger.Printf("loaded %d templates", n)
	}
	sender := &mailer.SMTPSender{Addr: *relay, Hello: "mqworker.local", Timeout: *timeout}
	spool, err := mailer.NewSpool(*spoolDir, sender, 10*time.Second, logger)
	if err != nil {
		logger.Printf("spool: %v", err)
		return
	}
	if n, err := spool.Flush(ctx); err != nil {
		logger.Printf("spool: flushed %d before error: %v", n, err)
	}

	reg := metrics.New()
	lim := ratelimit.New(5, 20)
	repo := queue.NewRepo(db, 2*time.Minute, logger)
	dispatcher := webhook.NewDispatcher(webhook.NewClient(15*time.Second, "mqworker/1.0"), reg, logger, nil)
	ws := buildWorkers(*nWorkers, deps{
		repo: repo, limiter: lim, dead: dead, metrics: reg, log: logger,
		email: &mailer.JobHandler{Renderer: renderer, Sender: sender, Spool: spool},
		hooks: &webhook.JobHandler{Dispatcher: dispatcher, Limiter: lim},
	}, *timeout)
	pool := worker.NewPool(ws, logger)
	srv := api.NewServer(repo, queue.NewMemQueue(1024), lim, renderer, reg, logger)

	sup := supervisor.New(logger, func(name string, v any) { reg.Inc("supervisor.crash." + name) })
	backoff := retry.Policy{Base: time.Second, Max: time.Minute, Factor: 2}
	for _, c := range []supervisor.Child{
		{Name: "api", Run: func(ctx context.Context) error { return srv.Serve(ctx, *apiAddr) }, Backoff: backoff},
		{Name: "reclaimer", Run: reclaimer(ws[0], 30*time.Second), Backoff: backoff},
	} {
		if err := sup.Add(c); err != nil {
			logger.Printf("supervisor: %v", err)
			return
		}
	}
	sup.Go("spool", spool.Run)
	sup.Go("wakeups", func() {
		for {
			select {
			case <-srv.Wakeups():
				reg.Inc("poll.wakeups")
			case <-ctx.Done():
				return
			}
		}
	})

	pool.Start(ctx)
	sup.Start(ctx)
	logger.Printf("running %d workers; API on %s", len(ws), *apiAddr)

	<-ctx.Done()
	logger.Printf("signal received, draining for up to %v", *grace)
	go func() {
		time.Sleep(*grace + 5*time.Second)
		logger.Fatal("forced exit: shutdown did not finish")
	}()
	if err := pool.Shutdown(*grace); err != nil {
		logger.Printf("pool: %v", err)
	}
	if err := reg.DumpFile(*metricsOut); err != nil {
		logger.Printf("metrics: %v", err)
	}
}
