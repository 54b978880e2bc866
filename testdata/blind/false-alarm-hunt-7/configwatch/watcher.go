package configwatch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sync"
	"time"
)

// ChangeFunc is called after the configuration changed. It runs without
// the watcher lock held.
type ChangeFunc func(old, new Config)

type subscription struct {
	id int
	fn ChangeFunc
}

// Watcher polls a file and publishes new versions to subscribers.
type Watcher struct {
	mu       sync.RWMutex
	path     string
	cur      Config
	modTime  time.Time
	version  int
	subs     []subscription
	nextID   int
	interval time.Duration
	lockPath string
	client   *http.Client
	onError  func(error)
}

// Option configures a Watcher.
type Option func(*Watcher)

// WithInterval sets the polling interval.
func WithInterval(d time.Duration) Option { return func(w *Watcher) { w.interval = d } }

// WithLockFile makes reloads take an advisory lock file first.
func WithLockFile(path string) Option { return func(w *Watcher) { w.lockPath = path } }

// WithHTTPClient sets the client used by FetchRemote.
func WithHTTPClient(c *http.Client) Option { return func(w *Watcher) { w.client = c } }

// WithErrorHook installs a hook for reload errors.
func WithErrorHook(fn func(error)) Option { return func(w *Watcher) { w.onError = fn } }

// New loads path once and returns a watcher for it.
func New(path string, opts ...Option) (*Watcher, error) {
	w := &Watcher{path: path, interval: 5 * time.Second, client: http.DefaultClient}
	for _, o := range opts {
		o(w)
	}
	cfg, mod, err := loadFile(path)
	if err != nil {
		return nil, err
	}
	w.cur, w.modTime, w.version = cfg, mod, 1
	return w, nil
}

// Current returns the current configuration and its version.
func (w *Watcher) Current() (Config, int) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.cur, w.version
}

// Get returns one key of the current configuration.
func (w *Watcher) Get(key string) (string, bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	v, ok := w.cur[key]
	return v, ok
}

// Subscribe registers fn and returns a function that removes it.
func (w *Watcher) Subscribe(fn ChangeFunc) func() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.nextID++
	id := w.nextID
	w.subs = append(w.subs, subscription{id: id, fn: fn})
	return func() { w.unsubscribe(id) }
}

func (w *Watcher) unsubscribe(id int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, s := range w.subs {
		if s.id == id {
			w.subs = append(w.subs[:i:i], w.subs[i+1:]...)
			return
		}
	}
}

// swap installs cfg and notifies subscribers after releasing the lock.
func (w *Watcher) swap(cfg Config, mod time.Time) {
	w.mu.Lock()
	old := w.cur
	w.cur, w.modTime = cfg, mod
	w.version++
	subs := append([]subscription(nil), w.subs...)
	w.mu.Unlock()
	for _, s := range subs {
		s.fn(old, cfg)
	}
}

func (w *Watcher) lastMod() time.Time {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.modTime
}

func (w *Watcher) reportError(err error) {
	if w.onError != nil {
		w.onError(err)
		return
	}
	log.Printf("configwatch: %s: %v", w.path, err)
}

// acquireLock creates the lock file exclusively and returns its release
// function.
func acquireLock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("configwatch: lock %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, errors.Join(err, os.Remove(path))
	}
	return func() { _ = os.Remove(path) }, nil
}

// Reload re-reads the file unconditionally.
func (w *Watcher) Reload() error {
	var unlock func()
	if w.lockPath != "" {
		u, err := acquireLock(w.lockPath)
		if err != nil {
			return err
		}
		unlock = u
	}
	defer unlock() // HAZ defer-nil-func
	cfg, mod, err := loadFile(w.path)
	if err != nil {
		return err
	}
	w.swap(cfg, mod)
	return nil
}

// ReloadIfChanged re-reads the file when its modification time moved. The
// release function starts as a no-op, so the deferred call is never nil.
func (w *Watcher) ReloadIfChanged() (bool, error) {
	unlock := func() {}
	if w.lockPath != "" {
		u, err := acquireLock(w.lockPath)
		if err != nil {
			return false, err
		}
		unlock = u
	}
	defer unlock()
	st, err := os.Stat(w.path)
	if err != nil {
		return false, err
	}
	if !st.ModTime().After(w.lastMod()) {
		return false, nil
	}
	cfg, mod, err := loadFile(w.path)
	if err != nil {
		return false, err
	}
	w.swap(cfg, mod)
	return true, nil
}

// Run polls until ctx ends.
func (w *Watcher) Run(ctx context.Context) error {
	t := time.NewTicker(w.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if _, err := w.ReloadIfChanged(); err != nil {
				w.reportError(err)
			}
		}
	}
}

// Follow polls for the lifetime of the process, for daemons that never
// stop watching.
func (w *Watcher) Follow() {
	for {
		f, err := os.Open(w.path)
		if err != nil {
			w.reportError(err)
			time.Sleep(w.interval)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if st, err := f.Stat(); err == nil && st.ModTime().After(w.lastMod()) {
			if cfg, err := Parse(f); err == nil {
				w.swap(cfg, st.ModTime())
			} else {
				w.reportError(err)
			}
		}
		time.Sleep(w.interval)
	}
}

// FollowUntil is Follow with each iteration in its own function, so the
// file is closed before the next poll, and with a way out.
func (w *Watcher) FollowUntil(stop <-chan struct{}) {
	for {
		func() {
			f, err := os.Open(w.path)
			if err != nil {
				w.reportError(err)
				return
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil || !st.ModTime().After(w.lastMod()) {
				return
			}
			cfg, err := Parse(f)
			if err != nil {
				w.reportError(err)
				return
			}
			w.swap(cfg, st.ModTime())
		}()
		select {
		case <-stop:
			return
		case <-time.After(w.interval):
		}
	}
}

// send issues req with the watcher's client and a user agent.
func (w *Watcher) send(req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", "configwatch/1")
	return w.client.Do(req)
}

// FetchRemote loads a configuration served over HTTP.
func (w *Watcher) FetchRemote(ctx context.Context, url string) (Config, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := w.send(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("configwatch: %s: %s", url, resp.Status)
	}
	return Parse(io.LimitReader(resp.Body, 1<<20))
}

// ApplyRemote fetches a remote configuration and installs it. The error is
// checked before the body is touched.
func (w *Watcher) ApplyRemote(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := w.send(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("configwatch: %s: %s", url, resp.Status)
	}
	cfg, err := Parse(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	w.swap(cfg, time.Now())
	return nil
}
