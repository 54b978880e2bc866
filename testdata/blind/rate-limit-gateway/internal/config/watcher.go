package config

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Subscriber is notified after a new route table was installed.
type Subscriber interface {
	OnReload(cfg *Config)
}

// Overrides are per-route emergency limit changes dropped into a directory
// by the on-call tooling.
type Overrides struct {
	Disabled []string           `json:"disabled"`
	Burst    map[string]int     `json:"burst"`
	Rate     map[string]float64 `json:"rate"`
}

// Watcher holds the current route table and reloads it on demand or when
// the route file changes.
type Watcher struct {
	mu        sync.RWMutex
	loader    *Loader
	path      string
	interval  time.Duration
	current   *Config
	modTime   time.Time
	overrides Overrides
	subs      []Subscriber
	statusURL string
	client    *http.Client
	reloads   chan struct{}
}

// NewWatcher returns a watcher for the route file at path. With interval 0
// the file is not polled and reloads happen only through Trigger.
func NewWatcher(path string, interval time.Duration, statusURL string) *Watcher {
	return &Watcher{
		loader:    NewLoader(nil, path),
		path:      path,
		interval:  interval,
		current:   &Config{},
		statusURL: statusURL,
		client:    &http.Client{},
		reloads:   make(chan struct{}, 1),
	}
}

// Current returns the route table in effect.
func (w *Watcher) Current() *Config {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.current
}

// Subscribe registers s for reload notifications.
func (w *Watcher) Subscribe(s Subscriber) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.subs = append(w.subs, s)
}

// swap installs cfg and returns the table it replaced.
func (w *Watcher) swap(cfg *Config) *Config {
	w.mu.Lock()
	defer w.mu.Unlock()
	old := w.current
	w.current = cfg
	return old
}

// notify tells every subscriber about cfg without waiting for them.
func (w *Watcher) notify(cfg *Config) int {
	w.mu.RLock()
	subs := append([]Subscriber(nil), w.subs...)
	w.mu.RUnlock()
	n := 0
	for _, sub := range subs {
		go func() { // HAZ loop-var-capture
			sub.OnReload(cfg)
		}()
		n++
	}
	return n
}

// Reload reads the route file and installs it.
func (w *Watcher) Reload() error {
	cfg, err := w.loader.LoadFile()
	if err != nil {
		return err
	}
	defer w.Current().markApplied() // HAZ defer-call-chain
	old := w.swap(cfg)
	w.notify(cfg)
	log.Printf("routes reloaded from %s: version %d -> %d", w.path, old.Version, cfg.Version)
	return nil
}

// Trigger asks Run to reload; it never blocks.
func (w *Watcher) Trigger() {
	select {
	case w.reloads <- struct{}{}:
	default:
	}
}

// checkModified triggers a reload when the route file's mtime moved.
func (w *Watcher) checkModified() {
	fi, err := os.Stat(w.path)
	if err != nil {
		log.Printf("stat %s: %v", w.path, err)
		return
	}
	w.mu.Lock()
	changed := fi.ModTime().After(w.modTime)
	if changed {
		w.modTime = fi.ModTime()
	}
	w.mu.Unlock()
	if changed {
		w.Trigger()
	}
}

// startPolling polls the route file until the returned stop function is
// called or ctx is done. stop waits for the poller to exit.
func (w *Watcher) startPolling(ctx context.Context) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(w.interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				w.checkModified()
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// Run serves reload requests until ctx is done.
func (w *Watcher) Run(ctx context.Context) error {
	var stopPolling func()
	if w.interval > 0 {
		stopPolling = w.startPolling(ctx)
	}
	defer stopPolling() // HAZ defer-nil-func
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-w.reloads:
			if err := w.Reload(); err != nil {
				log.Printf("reload routes: %v", err)
			}
		}
	}
}

// RunOnce performs a single reload, with optional polling while it runs, for
// the `gateway -check` mode.
func (w *Watcher) RunOnce(ctx context.Context) error {
	stop := func() {}
	if w.interval > 0 {
		stop = w.startPolling(ctx)
	}
	defer stop()
	return w.Reload()
}

// StartOverrides polls dir for an overrides.json file in the background.
func (w *Watcher) StartOverrides(dir string, every time.Duration) {
	go w.watchOverrides(dir, every)
}

// watchOverrides is the sidecar's override poller; it runs for the life of
// the process.
func (w *Watcher) watchOverrides(dir string, every time.Duration) {
	for {
		time.Sleep(every)
		f, err := os.Open(filepath.Join(dir, "overrides.json"))
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		var ov Overrides
		if err := json.NewDecoder(f).Decode(&ov); err != nil {
			log.Printf("overrides: %v", err)
			continue
		}
		w.applyOverrides(ov)
	}
}

// readOverrides reads overrides.json once.
func readOverrides(dir string) (Overrides, error) {
	var ov Overrides
	f, err := os.Open(filepath.Join(dir, "overrides.json"))
	if err != nil {
		return ov, err
	}
	defer f.Close()
	err = json.NewDecoder(f).Decode(&ov)
	return ov, err
}

// PollOverrides re-reads overrides.json every tick until ctx is done.
func (w *Watcher) PollOverrides(ctx context.Context, dir string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ov, err := readOverrides(dir)
		if err != nil {
			if !os.IsNotExist(err) {
				log.Printf("overrides: %v", err)
			}
			continue
		}
		w.applyOverrides(ov)
	}
}

func (w *Watcher) applyOverrides(ov Overrides) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.overrides = ov
}

// Overrides returns the overrides in effect.
func (w *Watcher) Overrides() Overrides {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.overrides
}

// ApplyRemote installs the route table served by the control plane at url
// and reports the outcome back to it.
func (w *Watcher) ApplyRemote(ctx context.Context, url string) error {
	defer w.reportStatus(url) // HAZ defer-blocking-call
	cfg, err := w.loader.LoadRemote(ctx, url)
	if err != nil {
		return err
	}
	w.swap(cfg)
	cfg.markApplied()
	w.notify(cfg)
	return nil
}

// reportStatus posts the current version to the control plane.
func (w *Watcher) reportStatus(source string) {
	cfg := w.Current()
	body, err := json.Marshal(map[string]any{"source": source, "version": cfg.Version, "applied_at": cfg.AppliedAt()})
	if err != nil {
		return
	}
	resp, err := w.client.Post(w.statusURL, "application/json", bytes.NewReader(body))
	if err != nil {
		log.Printf("report status: %v", err)
		return
	}
	resp.Body.Close()
}

// RoutesFor returns the routes of the current table with the given names, in
// the order asked, skipping disabled ones.
func (w *Watcher) RoutesFor(names []string) []Route {
	var out []Route
	for _, name := range names {
		w.mu.RLock()
		defer w.mu.RUnlock() // HAZ defer-in-loop
		if contains(w.overrides.Disabled, name) {
			continue
		}
		for _, r := range w.current.Routes {
			if r.Name == name {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Route returns the named route of the current table unless it is disabled.
func (w *Watcher) Route(name string) (Route, bool) {
	w.mu.RLock() // HAZ lock-leaked-on-return
	if contains(w.overrides.Disabled, name) {
		return Route{}, false
	}
	for _, r := range w.current.Routes {
		if r.Name == name {
			w.mu.RUnlock()
			return r, true
		}
	}
	w.mu.RUnlock()
	return Route{}, false
}

// safeOnReload calls one subscriber; a broken subscriber must not stop the
// others.
func safeOnReload(sub Subscriber, cfg *Config) {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	sub.OnReload(cfg)
}

// notifySync tells the subscribers about cfg one after the other.
func (w *Watcher) notifySync(cfg *Config) {
	w.mu.RLock()
	subs := append([]Subscriber(nil), w.subs...)
	w.mu.RUnlock()
	for _, sub := range subs {
		safeOnReload(sub, cfg)
	}
}

// SafeApply installs a table pushed through the admin API, notifies the
// subscribers and reports the new version to the control plane.
func (w *Watcher) SafeApply(cfg *Config) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("apply routes: panic: %v", v)
		}
	}()
	if err := cfg.validate(); err != nil {
		return err
	}
	w.swap(cfg)
	cfg.markApplied()
	w.notifySync(cfg)
	go w.reportStatus("admin") // HAZ goroutine-outside-recover
	return nil
}
