// Command objstored runs a storage node: the HTTP API, replication to the
// peers, the scrubber and the garbage collector.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"example.com/objstore/internal/api"
	"example.com/objstore/internal/auth"
	"example.com/objstore/internal/gc"
	"example.com/objstore/internal/journal"
	"example.com/objstore/internal/notify"
	"example.com/objstore/internal/obs"
	"example.com/objstore/internal/replication"
	"example.com/objstore/internal/scrub"
	"example.com/objstore/internal/store"
)

type config struct {
	root       string
	addr       string
	keysFile   string
	nodeKey    string
	peers      []replication.Peer
	scrubEvery time.Duration
	gcEvery    time.Duration
}

func parseFlags(args []string) (config, error) {
	var cfg config
	var peers string
	fs := flag.NewFlagSet("objstored", flag.ContinueOnError)
	fs.StringVar(&cfg.root, "root", "/var/lib/objstore", "data directory")
	fs.StringVar(&cfg.addr, "addr", ":9000", "listen address")
	fs.StringVar(&cfg.keysFile, "keys", "/etc/objstore/keys", "file of \"id secret\" lines")
	fs.StringVar(&cfg.nodeKey, "node-key", "node", "key id this node signs replication requests with")
	fs.StringVar(&peers, "peers", "", "comma-separated name=url list of peer nodes")
	fs.DurationVar(&cfg.scrubEvery, "scrub-every", 24*time.Hour, "scrub interval")
	fs.DurationVar(&cfg.gcEvery, "gc-every", 15*time.Minute, "garbage collection interval")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	p, err := parsePeers(peers)
	if err != nil {
		return cfg, err
	}
	cfg.peers = p
	return cfg, nil
}

// parsePeers parses "b=http://node-b:9000,c=http://node-c:9000".
func parsePeers(s string) ([]replication.Peer, error) {
	if s == "" {
		return nil, nil
	}
	var out []replication.Peer
	for _, item := range strings.Split(s, ",") {
		name, url, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok || name == "" || !strings.HasPrefix(url, "http") {
			return nil, fmt.Errorf("bad peer %q: want name=url", item)
		}
		out = append(out, replication.Peer{Name: name, URL: url})
	}
	return out, nil
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "objstored:", err)
		os.Exit(2)
	}
	logger := log.New(os.Stderr, "objstored: ", log.LstdFlags|log.Lmsgprefix)
	keys, err := auth.LoadKeys(cfg.keysFile)
	if err != nil {
		logger.Fatalf("load keys: %v", err)
	}
	metrics := obs.NewRegistry()
	st, err := store.Open(cfg.root, metrics, logger)
	if err != nil {
		logger.Fatalf("open store: %v", err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			logger.Printf("close store: %v", err)
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	jr, err := journal.Open(filepath.Join(cfg.root, "journal"), 64<<20, logger)
	if err != nil {
		logger.Printf("open journal: %v", err)
		return
	}
	defer func() {
		if err := jr.Close(); err != nil {
			logger.Printf("close journal: %v", err)
		}
	}()
	go jr.SyncEvery(time.Second)

	notifier := notify.New(&http.Client{Timeout: 10 * time.Second}, logger, 2)
	if err := notifier.Start(ctx); err != nil {
		logger.Printf("start notifier: %v", err)
		return
	}

	verifier := auth.NewVerifier(15 * time.Minute)
	for id, secret := range keys {
		verifier.AddKey(id, secret)
	}
	repl := replication.New(st, replication.Config{
		Peers: cfg.peers, KeyID: cfg.nodeKey, Secret: keys[cfg.nodeKey], MaxRetries: 5,
	}, logger)
	scrubber := scrub.New(st, repl, metrics, logger, cfg.scrubEvery, 2, filepath.Join(cfg.root, "quarantine"))
	collector := gc.NewCollector(st, metrics, logger, gc.Options{
		OnExpire: func(bucket string, info store.ObjectInfo) {
			notifier.Publish(notify.Event{
				ID: fmt.Sprintf("expire-%d", time.Now().UnixNano()), Type: "expire",
				Bucket: bucket, Key: info.Key, Size: info.Size, Time: time.Now().UTC(),
			})
		},
	})

	var wg sync.WaitGroup
	start := func(fn func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn()
		}()
	}
	start(func() { repl.Worker(ctx) })
	start(func() { repl.HealthLoop(ctx, 30*time.Second) })
	start(func() { scrubber.Run(ctx) })
	start(func() { gcLoop(ctx, collector, cfg.gcEvery, logger) })
	start(func() { journalAcks(ctx, jr, notifier.Acks(), logger) })
	if err := scrubber.StartRepairs(); err != nil {
		logger.Printf("repairs disabled: %v", err)
	}

	srv := &http.Server{
		Addr: cfg.addr,
		Handler: api.NewServer(api.Options{
			Store: st, Replicator: repl, Verifier: verifier, Metrics: metrics, Logger: logger,
			Scrubber: scrubber, Collector: collector, Notifier: notifier,
			KeyID: cfg.nodeKey, Secret: keys[cfg.nodeKey],
			ExportDir: filepath.Join(cfg.root, "exports"),
		}).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	logger.Printf("listening on %s with %d peers", cfg.addr, len(cfg.peers))
	if err := runHTTP(ctx, srv, logger); err != nil {
		logger.Printf("serve: %v", err)
	}
	stop()
	wg.Wait()
}

// runHTTP serves until ctx is cancelled or the listener fails, then shuts
// the server down with a bounded grace period.
func runHTTP(ctx context.Context, srv *http.Server, logger *log.Logger) error {
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
	}()
	errc := make(chan error, 1)
	go func() {
		errc <- srv.ListenAndServe()
	}()
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

// gcLoop sweeps on every tick until ctx is cancelled.
func gcLoop(ctx context.Context, c *gc.Collector, every time.Duration, logger *log.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := c.Sweep(ctx)
			if err != nil && !errors.Is(err, gc.ErrSweepInProgress) {
				logger.Printf("gc: %v", err)
				continue
			}
			logger.Printf("gc: removed %d items", n)
		}
	}
}

// journalAcks records notification acknowledgements until ctx is cancelled.
func journalAcks(ctx context.Context, jr *journal.Journal, acks <-chan string, logger *log.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-acks:
			if err := jr.Append(journal.Entry{Op: "notify-ack", ID: id}); err != nil {
				logger.Printf("journal: %v", err)
			}
		}
	}
}
