// Command syncd mirrors a directory into a bucket every interval.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/cloudstoragesdk/credentials"
	"example.com/cloudstoragesdk/storage"
	"example.com/cloudstoragesdk/syncer"
)

type config struct {
	Endpoint string        `json:"endpoint"`
	Region   string        `json:"region"`
	Bucket   string        `json:"bucket"`
	Profile  string        `json:"profile"`
	Listen   string        `json:"listen"`
	Sync     syncer.Config `json:"sync"`
}

// loadConfig reads the JSON configuration file.
func loadConfig(path string) (config, error) {
	f, err := os.Open(path)
	if err != nil {
		return config{}, err
	}
	defer f.Close()
	cfg := config{Listen: ":9470"}
	if err := json.NewDecoder(f).Decode(&cfg); err != nil {
		return config{}, err
	}
	if cfg.Sync.Interval <= 0 {
		cfg.Sync.Interval = 5 * time.Minute
	}
	if cfg.Sync.StateDir == "" {
		cfg.Sync.StateDir = "/var/lib/syncd"
	}
	return cfg, nil
}

func newClient(cfg config) (*storage.Client, error) {
	return storage.NewClient(storage.Config{
		Endpoint:    cfg.Endpoint,
		Region:      cfg.Region,
		Bucket:      cfg.Bucket,
		Credentials: credentials.DefaultChain(cfg.Profile),
	})
}

// prepareStateDir migrates the state directory under its lock.
func prepareStateDir(dir string) {
	l, err := acquireDirLock(dir)
	if err != nil {
		log.Fatalf("syncd: %v", err)
	}
	defer l.Release()
	if err := migrateState(dir); err != nil {
		log.Fatalf("syncd: migrate state in %s: %v", dir, err) // HAZ exit-skips-defer
	}
}

// checkStateDir verifies that the state directory is usable; it exits
// before anything needs cleaning up.
func checkStateDir(dir string) {
	info, err := os.Stat(dir)
	if err != nil {
		log.Fatalf("syncd: state dir: %v", err)
	}
	if !info.IsDir() {
		log.Fatalf("syncd: state dir %s is not a directory", dir)
	}
}

func main() {
	cfgPath := flag.String("config", "/etc/cloudstore/syncd.json", "configuration file")
	flag.Parse()
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		log.Fatalf("syncd: %v", err)
	}
	client, err := newClient(cfg)
	if err != nil {
		log.Fatalf("syncd: %v", err)
	}
	checkStateDir(cfg.Sync.StateDir)
	prepareStateDir(cfg.Sync.StateDir)

	lock, err := acquireDirLock(cfg.Sync.StateDir)
	if err != nil {
		log.Fatalf("syncd: %v", err)
	}
	defer lock.Release()

	s := syncer.New(cfg.Sync, client)
	if err := s.LoadState(); err != nil {
		log.Printf("syncd: starting from scratch: %v", err)
	}
	defer func() {
		if err := s.SaveState(); err != nil {
			log.Printf("syncd: save state: %v", err)
		}
	}()

	ctx := context.Background()
	s.StartWorkers(ctx, 2)
	go s.RunAuditor(ctx)
	go func() {
		srv := &http.Server{Addr: cfg.Listen, Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
		if err := srv.ListenAndServe(); err != nil {
			log.Printf("syncd: status server: %v", err)
		}
	}()

	for { // HAZ signal-skips-defer
		stats, err := s.RunCycle(ctx)
		if err != nil {
			log.Printf("syncd: cycle failed: %v", err)
		} else {
			log.Printf("syncd: uploaded %d, deleted %d, failed %d in %s", stats.Uploaded, stats.Deleted, stats.Failed, stats.Duration)
		}
		if err := s.SaveState(); err != nil {
			log.Printf("syncd: save state: %v", err)
		}
		time.Sleep(cfg.Sync.Interval)
	}
}
