package config

import (
	"os"
	"sync"
	"time"
)

// Watcher polls a config file and installs changed versions into a Store.
// A burst of modifications is collapsed into one reload by a debounce timer.
type Watcher struct {
	path     string
	store    *Store
	every    time.Duration
	debounce time.Duration
	logf     func(string, ...any)

	mu      sync.Mutex
	pending *time.Timer
	lastMod time.Time

	stopOnce sync.Once
	stop     chan struct{}
	done     chan struct{}
}

// StartWatcher begins polling path every interval. Stop ends it.
func StartWatcher(path string, store *Store, every time.Duration, logf func(string, ...any)) *Watcher {
	w := &Watcher{
		path:     path,
		store:    store,
		every:    every,
		debounce: every / 2,
		logf:     logf,
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	if c := store.Current(); c != nil && c.Source == path {
		w.lastMod = c.ModTime
	}
	go w.run()
	return w
}

func (w *Watcher) run() {
	defer close(w.done)
	t := time.NewTicker(w.every)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			w.cancelPending()
			return
		case <-t.C:
			w.poll()
		}
	}
}

// poll schedules a reload when the file's modification time moved. The
// reload runs later on the timer's own goroutine, so it may take w.mu even
// though it is scheduled while w.mu is held.
func (w *Watcher) poll() {
	st, err := os.Stat(w.path)
	if err != nil {
		w.logf("config: stat %s: %v", w.path, err)
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !st.ModTime().After(w.lastMod) {
		return
	}
	w.lastMod = st.ModTime()
	if w.pending != nil {
		w.pending.Stop()
	}
	w.pending = time.AfterFunc(w.debounce, w.reload)
}

// reload runs on the timer goroutine.
func (w *Watcher) reload() {
	w.mu.Lock()
	w.pending = nil
	w.mu.Unlock()
	c, err := Load(w.path)
	if err != nil {
		w.logf("config: reload %s: %v", w.path, err)
		return
	}
	v := w.store.Replace(c)
	w.logf("config: loaded %s as version %d", w.path, v)
}

func (w *Watcher) cancelPending() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.pending != nil {
		w.pending.Stop()
		w.pending = nil
	}
}

// Stop ends polling and waits for the poll goroutine to exit. It is safe to
// call more than once.
func (w *Watcher) Stop() {
	w.stopOnce.Do(func() { close(w.stop) })
	<-w.done
}
