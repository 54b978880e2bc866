// Command kvd serves an ekv database over TCP, with an HTTP admin API.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/ekv/kv"
	"example.com/ekv/server"
)

func main() {
	os.Exit(run())
}

type config struct {
	dataPath    string
	addr        string
	adminAddr   string
	backupDir   string
	backupEvery time.Duration
	keep        int
	cachePages  int
	maxConns    int
	idle        time.Duration
	warm        bool
	audit       bool
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.dataPath, "data", "data.ekv", "database file")
	flag.StringVar(&c.addr, "addr", "127.0.0.1:7379", "protocol listen address")
	flag.StringVar(&c.adminAddr, "admin", "127.0.0.1:7380", "admin HTTP listen address (empty to disable)")
	flag.StringVar(&c.backupDir, "backup-dir", "backups", "directory for BACKUP and scheduled snapshots")
	flag.DurationVar(&c.backupEvery, "backup-every", 0, "scheduled snapshot interval (0 disables)")
	flag.IntVar(&c.keep, "keep", 24, "scheduled snapshots to keep")
	flag.IntVar(&c.cachePages, "cache", 4096, "page cache size in pages")
	flag.IntVar(&c.maxConns, "max-conns", 1024, "maximum client connections")
	flag.DurationVar(&c.idle, "idle", 5*time.Minute, "idle connection timeout")
	flag.BoolVar(&c.warm, "warm", false, "load every page into the cache at startup")
	flag.BoolVar(&c.audit, "audit", false, "log every mutation to stderr")
	flag.Parse()
	return c
}

func run() int {
	cfg := parseFlags()
	logger := log.New(os.Stderr, "kvd: ", log.LstdFlags|log.Lmsgprefix)

	if err := os.MkdirAll(cfg.backupDir, 0o755); err != nil {
		logger.Printf("backup dir: %v", err)
		return 1
	}
	db, err := kv.Open(cfg.dataPath, &kv.Options{
		CacheSize:     cfg.cachePages,
		StatsInterval: 10 * time.Second,
		Logger:        logger,
	})
	if err != nil {
		logger.Printf("open: %v", err)
		return 1
	}
	defer db.Close()
	defer logger.Printf("stopped serving %s", cfg.dataPath)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if cfg.warm {
		start := time.Now()
		if err := db.WarmCache(4); err != nil {
			logger.Printf("warm cache: %v", err)
		} else {
			logger.Printf("cache warmed in %v", time.Since(start))
		}
	}

	events := make(chan server.Event, 64)
	go logEvents(logger, events)

	opts := server.Options{
		MaxConns:       cfg.maxConns,
		IdleTimeout:    cfg.idle,
		RequestTimeout: 5 * time.Second,
		BackupDir:      cfg.backupDir,
		Logger:         logger,
		Events:         events,
	}
	if cfg.audit {
		opts.AuditLog = log.New(os.Stderr, "audit: ", log.LstdFlags|log.Lmsgprefix)
	}
	srv := server.New(db, opts)

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		logger.Printf("listen: %v", err)
		return 1
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	logger.Printf("serving %s on %s", cfg.dataPath, ln.Addr())

	if cfg.adminAddr != "" {
		admin := &http.Server{
			Addr:              cfg.adminAddr,
			Handler:           server.NewAdmin(db, srv, events, logger, cfg.backupDir).Handler(),
			ReadHeaderTimeout: 5 * time.Second,
		}
		go func() {
			if err := admin.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Printf("admin: %v", err)
			}
		}()
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := admin.Shutdown(sctx); err != nil {
				logger.Printf("admin shutdown: %v", err)
			}
		}()
	}

	if cfg.backupEvery > 0 {
		go srv.RunPeriodicBackups(ctx, cfg.backupEvery, cfg.keep)
	}

	code := 0
	select {
	case <-ctx.Done():
		logger.Printf("signal received, shutting down")
	case err := <-serveErr:
		logger.Printf("serve: %v", err)
		code = 1
	}
	if err := srv.Close(); err != nil {
		logger.Printf("close server: %v", err)
	}
	return code
}

func logEvents(logger *log.Logger, events <-chan server.Event) {
	for ev := range events {
		if ev.Err != nil {
			logger.Printf("%s %s failed after %v: %v", ev.Kind, ev.Path, ev.Took, ev.Err)
			continue
		}
		logger.Printf("%s %s done in %v", ev.Kind, ev.Path, ev.Took)
	}
}
