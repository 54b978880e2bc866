package config

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"time"
)

// Watcher re-reads the configuration file when its modification time changes.
type Watcher struct {
	path     string
	interval time.Duration
	onChange func(*Config)
	logger   *log.Logger
	lastMod  time.Time
}

// NewWatcher returns a Watcher that calls onChange with every new valid config.
func NewWatcher(path string, interval time.Duration, onChange func(*Config), logger *log.Logger) *Watcher {
	if interval <= 0 {
		interval = 5 * time.Second
	}
	return &Watcher{path: path, interval: interval, onChange: onChange, logger: logger}
}

// Run polls the file until ctx is cancelled.
func (w *Watcher) Run(ctx context.Context) {
	t := time.NewTicker(w.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := w.check(); err != nil {
				w.logger.Printf("config watch %s: %v", w.path, err)
			}
		}
	}
}

func (w *Watcher) check() error {
	fi, err := os.Stat(w.path)
	if err != nil {
		return err
	}
	if !fi.ModTime().After(w.lastMod) {
		return nil
	}
	cfg, err := Load(w.path)
	if err != nil {
		return err
	}
	w.lastMod = fi.ModTime()
	w.onChange(cfg)
	return nil
}

// Follow is the sidecar variant of Run: it has no context because the sidecar
// lives exactly as long as its process.
func (w *Watcher) Follow() {
	for {
		f, err := os.Open(w.path)
		if err != nil {
			w.logger.Printf("config follow %s: %v", w.path, err)
			time.Sleep(w.interval)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if cfg, err := decode(f); err == nil {
			w.onChange(cfg)
		}
		time.Sleep(w.interval)
	}
}

// ReadAll loads every config file in paths, each closed before the next opens.
func ReadAll(paths []string) ([]*Config, error) {
	out := make([]*Config, 0, len(paths))
	for _, p := range paths {
		cfg, err := func() (*Config, error) {
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return decode(f)
		}()
		if err != nil {
			return nil, err
		}
		out = append(out, cfg)
	}
	return out, nil
}

// MergeFiles overlays the upstream lists of several drop-in files (as
// written by the deploy tooling into conf.d) onto base.
func MergeFiles(base *Config, paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		var overlay struct {
			Upstreams []Upstream `json:"upstreams"`
		}
		if err := json.NewDecoder(f).Decode(&overlay); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		base.Upstreams = append(base.Upstreams, overlay.Upstreams...)
	}
	return base.Validate()
}
