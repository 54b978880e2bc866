// Package watch implements "forge watch": it polls the source tree and
// queues rebuilds when files change.
package watch

import (
	"context"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Watcher polls a source tree for modifications.
type Watcher struct {
	root         string
	stampFile    string
	interval     time.Duration
	buildTimeout time.Duration
	log          *log.Logger
	changes      chan []string

	mu   sync.Mutex
	seen map[string]time.Time // guarded by mu
}

// New returns a watcher for root that polls every interval.
func New(root string, interval, buildTimeout time.Duration, logger *log.Logger) *Watcher {
	return &Watcher{
		root:         root,
		stampFile:    filepath.Join(root, ".forge", "stamp"),
		interval:     interval,
		buildTimeout: buildTimeout,
		log:          logger,
		changes:      make(chan []string, 1),
		seen:         make(map[string]time.Time),
	}
}

// queue hands a batch of changed paths to Serve without ever blocking the
// poller: if a batch is already pending, the new one is dropped (the
// pending rebuild will see the new state anyway).
func (w *Watcher) queue(batch []string) {
	select {
	case w.changes <- batch:
	default:
	}
}

// scanOnce walks the tree and returns the files modified since the last scan.
func (w *Watcher) scanOnce() ([]string, error) {
	var changed []string
	w.mu.Lock()
	defer w.mu.Unlock()
	err := filepath.WalkDir(w.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".forge" {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if prev, ok := w.seen[path]; !ok || fi.ModTime().After(prev) {
			w.seen[path] = fi.ModTime()
			changed = append(changed, path)
		}
		return nil
	})
	sort.Strings(changed)
	return changed, err
}

// Poll scans the tree every interval until ctx is done.
func (w *Watcher) Poll(ctx context.Context) error {
	t := time.NewTicker(w.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			changed, err := w.scanOnce()
			if err != nil {
				w.log.Printf("watch: scan: %v", err)
				continue
			}
			if len(changed) > 0 {
				w.queue(changed)
			}
		}
	}
}

// Serve runs rebuild for each queued batch until ctx is done. Each rebuild
// gets its own timeout, released as soon as that rebuild returns.
func (w *Watcher) Serve(ctx context.Context, rebuild func(context.Context, []string) error) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case batch := <-w.changes:
			func() {
				bctx, cancel := context.WithTimeout(ctx, w.buildTimeout)
				defer cancel()
				if err := rebuild(bctx, batch); err != nil {
					w.log.Printf("watch: rebuild of %d files failed: %v", len(batch), err)
				}
			}()
		}
	}
}

// StartStampPoller starts the background poller for the stamp file that
// editors and git hooks touch to request a full rebuild.
func (w *Watcher) StartStampPoller() {
	go w.pollStamp()
}

// pollStamp queues a full rebuild whenever the stamp file's content changes.
// It runs for the life of the process.
func (w *Watcher) pollStamp() {
	t := time.NewTicker(w.interval)
	defer t.Stop()
	var last string
	for range t.C {
		f, err := os.Open(w.stampFile)
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop defer-in-loop
		b, err := io.ReadAll(io.LimitReader(f, 4096))
		if err != nil || string(b) == last {
			continue
		}
		last = string(b)
		w.queue([]string{w.root})
	}
}

// readStamp returns the current stamp content, or "" if there is none.
func (w *Watcher) readStamp() string {
	f, err := os.Open(w.stampFile)
	if err != nil {
		return ""
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return ""
	}
	return string(b)
}

// Touch rewrites the stamp file, requesting a full rebuild from any
// running watcher. It refuses to write the same stamp twice.
func (w *Watcher) Touch() error {
	stamp := time.Now().UTC().Format(time.RFC3339Nano)
	if w.readStamp() == stamp {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(w.stampFile), 0o755); err != nil {
		return err
	}
	return os.WriteFile(w.stampFile, []byte(stamp), 0o644)
}
