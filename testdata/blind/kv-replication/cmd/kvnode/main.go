// Command kvnode runs one member of the replicated key-value store.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/kvreplication/internal/debugsrv"
	"example.com/kvreplication/internal/kv"
	"example.com/kvreplication/internal/raft"
	"example.com/kvreplication/internal/raftpb"
	"example.com/kvreplication/internal/safe"
	"example.com/kvreplication/internal/storage"
	"example.com/kvreplication/internal/transport"
)

// Config is the on-disk node configuration.
type Config struct {
	ID        string            `json:"id"`
	Addr      string            `json:"addr"`
	DebugAddr string            `json:"debug_addr"`
	DataDir   string            `json:"data_dir"`
	Peers     map[string]string `json:"peers"`
	LeaseMS   int               `json:"lease_ms"`
}

func loadConfig(path string) Config {
	f, err := os.Open(path)
	if err != nil {
		log.Fatalf("kvnode: open config: %v", err)
	}
	defer f.Close()
	var cfg Config
	if err := json.NewDecoder(f).Decode(&cfg); err != nil {
		log.Fatalf("kvnode: parse config %s: %v", path, err) // HAZ exit-skips-defer
	}
	if cfg.DataDir == "" {
		cfg.DataDir = filepath.Join("data", cfg.ID)
	}
	return cfg
}

func peerIDs(cfg Config) []string {
	ids := []string{cfg.ID}
	for id := range cfg.Peers {
		if id != cfg.ID {
			ids = append(ids, id)
		}
	}
	return ids
}

// replay feeds the write-ahead log back into the store after a restart.
func replay(wal *storage.WAL, store *kv.Store, logger *log.Logger) (raftpb.Index, error) {
	entries, err := wal.ReadAll()
	if err != nil {
		return 0, err
	}
	var last raftpb.Index
	for _, e := range entries {
		if err := store.Apply(e); err != nil {
			logger.Printf("kvnode: replay %d: %v", e.Index, err)
			continue
		}
		last = e.Index
	}
	return last, nil
}

func buildNode(cfg Config, store *kv.Store, logger *log.Logger) (*raft.Node, *transport.HTTPTransport, error) {
	trans := transport.NewHTTPTransport(&http.Client{Timeout: 2 * time.Second}, logger)
	for id, addr := range cfg.Peers {
		trans.SetPeer(id, addr)
	}
	snaps, err := storage.NewSnapshotStore(filepath.Join(cfg.DataDir, "snap"), 3)
	if err != nil {
		return nil, nil, err
	}
	meta := storage.NewMetaStore(cfg.DataDir)
	if _, err := meta.Load(); err != nil {
		return nil, nil, err
	}
	rcfg := raft.Config{
		ID:            cfg.ID,
		Addr:          cfg.Addr,
		Peers:         peerIDs(cfg),
		LeaseDuration: time.Duration(cfg.LeaseMS) * time.Millisecond,
	}
	n, err := raft.NewNode(rcfg, raft.NewLog(0, 0), store, trans, meta, snaps, logger)
	if err != nil {
		return nil, nil, err
	}
	return n, trans, nil
}

func main() {
	cfgPath := flag.String("config", "kvnode.json", "node configuration file")
	flag.Parse()
	cfg := loadConfig(*cfgPath)
	if cfg.ID == "" || cfg.Addr == "" {
		log.Fatal("kvnode: config needs id and addr")
	}
	logger := log.New(os.Stderr, "["+cfg.ID+"] ", log.LstdFlags|log.Lmicroseconds)
	store := kv.NewStore()
	wal, err := storage.OpenWAL(filepath.Join(cfg.DataDir, "wal"), 64<<20)
	if err != nil {
		log.Fatalf("kvnode: open wal: %v", err)
	}
	if _, err := replay(wal, store, logger); err != nil {
		log.Fatalf("kvnode: replay: %v", err)
	}
	node, trans, err := buildNode(cfg, store, logger)
	if err != nil {
		log.Fatalf("kvnode: %v", err)
	}
	defer wal.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		if err := node.Run(ctx); err != nil && ctx.Err() == nil {
			logger.Printf("kvnode: raft stopped: %v", err)
		}
	}()
	dbg := debugsrv.New(node, store, logger)
	go func() {
		if err := http.ListenAndServe(cfg.DebugAddr, dbg.Handler()); err != nil {
			log.Fatalf("kvnode: debug server: %v", err)
		}
	}()

	events := make(chan string, 256)
	mux := http.NewServeMux()
	transport.NewRaftHandler(node, entrySource(wal), events, logger, func(id string) { trans.RemovePeer(id) }).Routes(mux)
	newAPI(node, store, logger).routes(mux)
	go drainEvents(events, logger)
	srv := &http.Server{Addr: cfg.Addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	logger.Printf("kvnode: serving on %s", cfg.Addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Printf("kvnode: serve: %v", err)
	}
}

func entrySource(wal *storage.WAL) transport.EntrySource {
	return func(from raftpb.Index) ([]raftpb.Entry, error) {
		all, err := wal.ReadAll()
		if err != nil {
			return nil, err
		}
		var out []raftpb.Entry
		for _, e := range all {
			if e.Index >= from {
				out = append(out, e)
			}
		}
		return out, nil
	}
}

func drainEvents(events <-chan string, logger *log.Logger) {
	defer safe.Rethrow(logger, "kvnode.events")
	for ev := range events {
		logger.Printf("kvnode: event: %s", ev)
	}
}
