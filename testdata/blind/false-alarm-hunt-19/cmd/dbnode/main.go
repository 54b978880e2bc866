// Command dbnode runs one storage node: the engine, its background work
// and the HTTP API. It shuts down cleanly on SIGINT and SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah19/internal/rpc"
	"example.com/fah19/internal/stop"
	"example.com/fah19/internal/storage"
)

type config struct {
	NodeID             string          `json:"node_id"`
	Storage            storage.Options `json:"storage"`
	CompactionInterval time.Duration   `json:"compaction_interval"`
	AuditURL           string          `json:"audit_url"`
}

// loadConfig reads dir/node.json; a missing file means defaults.
func loadConfig(path string) (config, error) {
	cfg := config{NodeID: "n1", CompactionInterval: time.Minute}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return cfg, err
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return cfg, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// die reports a startup error and exits. It is only used before anything
// that needs cleanup has been set up.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "dbnode: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	dataDir := flag.String("data", "data", "data directory")
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	configPath := flag.String("config", "", "config file (default DATA/node.json)")
	flag.Parse()

	if *configPath == "" {
		*configPath = *dataDir + "/node.json"
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		die("%v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("dbnode: %v", err)
	}
	if err := run(*dataDir, cfg, ln); err != nil {
		log.Fatalf("dbnode: %v", err)
	}
}

// run owns every resource of the node and releases them in reverse order
// on return; it returns once a shutdown signal has been handled.
func run(dataDir string, cfg config, ln net.Listener) (err error) {
	ctx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stopSignals()

	lock, err := storage.LockDir(dataDir)
	if err != nil {
		return errors.Join(err, ln.Close())
	}
	defer func() { err = errors.Join(err, lock.Release()) }()

	engine, err := storage.Open(dataDir, cfg.Storage)
	if err != nil {
		return errors.Join(err, ln.Close())
	}

	stopper := stop.NewStopper()
	stopper.AddCloser(engine)
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err = errors.Join(err, stopper.Stop(stopCtx))
	}()

	compactor := storage.NewCompactor(engine, cfg.CompactionInterval)
	if err := stopper.RunAsyncTask(ctx, "compactor", func(ctx context.Context) {
		compactor.Run(ctx, stopper.ShouldQuiesce())
	}); err != nil {
		return err
	}

	srv := rpc.NewServer(cfg.NodeID, engine, compactor, stopper, cfg.AuditURL)
	log.Printf("dbnode: %s serving on %s", cfg.NodeID, ln.Addr())
	return srv.Serve(ctx, ln)
}
