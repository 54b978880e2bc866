// Command kvserver serves the key/value store over net/rpc (HTTP transport)
// and snapshots it to disk periodically.
package main

import (
	"encoding/json"
	"flag"
	"io/ioutil"
	"log"
	"net"
	"net/http"
	"net/rpc"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/legacystyle/internal/logx"
	"example.com/legacystyle/internal/rpcsvc"
	"example.com/legacystyle/internal/store"
)

type config struct {
	Addr          string `json:"addr"`
	DataDir       string `json:"data_dir"`
	MaxKeys       int    `json:"max_keys"`
	SnapshotEvery string `json:"snapshot_every"`
	Debug         bool   `json:"debug"`
}

// loadConfig reads the JSON config and fills in defaults.
func loadConfig(path string) (*config, error) {
	cfg := &config{Addr: ":7070", DataDir: "/var/lib/kvserver", SnapshotEvery: "5m"}
	b, err := ioutil.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return cfg, nil
		}
		return nil, err
	}
	if err := json.Unmarshal(b, cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// snapshotPath is where the store is persisted.
func (c *config) snapshotPath() string {
	return filepath.Join(c.DataDir, "store.gob.gz")
}

// every parses the snapshot interval, defaulting to five minutes.
func (c *config) every() time.Duration {
	d, err := time.ParseDuration(c.SnapshotEvery)
	if err != nil || d <= 0 {
		return 5 * time.Minute
	}
	return d
}

// openListener listens on addr or exits; nothing is deferred yet.
func openListener(addr string) net.Listener {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatalf("kvserver: listen %s: %v", addr, err)
	}
	return l
}

// compactOnce rewrites the snapshot under a lock file and exits on failure.
func compactOnce(st *store.Store, dir string) {
	lock := filepath.Join(dir, "LOCK")
	if err := ioutil.WriteFile(lock, []byte(strconv.Itoa(os.Getpid())), 0644); err != nil {
		log.Fatalf("kvserver: %v", err)
	}
	defer os.Remove(lock)
	st.Compact(time.Now())
	if err := st.SaveSnapshot(filepath.Join(dir, "store.gob.gz")); err != nil {
		log.Fatalf("kvserver: compact: %v", err) // HAZ exit-skips-defer
	}
	log.Printf("kvserver: compacted %d keys", st.Len())
}

// compactChecked is compactOnce that returns its error so that the lock
// file is always removed.
func compactChecked(st *store.Store, dir string) error {
	lock := filepath.Join(dir, "LOCK")
	if err := ioutil.WriteFile(lock, []byte(strconv.Itoa(os.Getpid())), 0644); err != nil {
		return err
	}
	defer os.Remove(lock)
	st.Compact(time.Now())
	return st.SaveSnapshot(filepath.Join(dir, "store.gob.gz"))
}

// snapshotLoop saves the store every interval until stop is closed.
func snapshotLoop(st *store.Store, path string, every time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := st.SaveSnapshot(path); err != nil {
				log.Printf("kvserver: snapshot: %v", err)
			}
		case <-stop:
			return
		}
	}
}

// startDebug serves pprof-style debug pages; a failure there is fatal, from
// inside its own goroutine.
func startDebug(addr string) {
	if addr == "" {
		return
	}
	go func() {
		if err := http.ListenAndServe(addr, nil); err != nil {
			log.Fatalf("kvserver: debug server: %v", err)
		}
	}()
}

func main() {
	cfgPath := flag.String("config", "/etc/kvserver.json", "config file")
	compact := flag.Bool("compact", false, "compact the snapshot and exit")
	debugAddr := flag.String("debug", "", "debug listen address")
	flag.Parse()

	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		log.Fatalf("kvserver: %v", err)
	}
	lg := logx.New(os.Stderr, "kvserver ", cfg.Debug)
	st := store.New(cfg.MaxKeys)
	if err := st.LoadSnapshot(cfg.snapshotPath()); err != nil && !os.IsNotExist(err) {
		log.Fatalf("kvserver: %v", err)
	}
	if *compact {
		if err := compactChecked(st, cfg.DataDir); err != nil {
			log.Fatalf("kvserver: %v", err)
		}
		return
	}
	srv := rpc.NewServer()
	if err := rpcsvc.Register(srv, rpcsvc.NewKV(st, lg)); err != nil {
		log.Fatalf("kvserver: %v", err)
	}
	srv.HandleHTTP(rpc.DefaultRPCPath, rpc.DefaultDebugPath)
	startDebug(*debugAddr)

	l := openListener(cfg.Addr)
	defer l.Close()
	defer func() {
		if err := st.SaveSnapshot(cfg.snapshotPath()); err != nil {
			log.Printf("kvserver: final snapshot: %v", err)
		}
	}()
	stop := make(chan struct{})
	defer close(stop)
	go snapshotLoop(st, cfg.snapshotPath(), cfg.every(), stop)

	lg.Infof("listening on %s", l.Addr())
	if err := http.Serve(l, nil); err != nil { // HAZ signal-skips-defer
		lg.Infof("serve: %v", err)
	}
}
