package materialize

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"time"
)

// Watcher polls a published manifest and reports every change, so that
// serving replicas can reload the snapshot it names.
type Watcher struct {
	Manifest string
	Interval time.Duration
	OnChange func([]ManifestEntry)
	Mirror   func([]ManifestEntry) // optional: slow secondary consumer
}

// Run polls until ctx is done.
func (w *Watcher) Run(ctx context.Context) error {
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	var lastMod time.Time
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		f, err := os.Open(w.Manifest)
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		st, err := f.Stat()
		if err != nil || !st.ModTime().After(lastMod) {
			continue
		}
		var entries []ManifestEntry
		if err := json.NewDecoder(f).Decode(&entries); err != nil {
			continue
		}
		lastMod = st.ModTime()
		if err := w.dispatch(entries); err != nil {
			log.Print(err)
		}
	}
}

// dispatch hands a manifest to the consumers. A panicking OnChange must not
// stop the watcher.
func (w *Watcher) dispatch(entries []ManifestEntry) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("materialize: OnChange panicked: %v", r)
		}
	}()
	w.OnChange(entries)
	if w.Mirror != nil {
		go w.Mirror(entries) // HAZ goroutine-outside-recover
	}
	return nil
}

// ReadManifest reads a published manifest once.
func ReadManifest(path string) ([]ManifestEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var entries []ManifestEntry
	if err := json.NewDecoder(f).Decode(&entries); err != nil {
		return nil, err
	}
	return entries, nil
}

// Follow reads every manifest path sent on paths and reports its entries,
// until ctx is done.
func (w *Watcher) Follow(ctx context.Context, paths <-chan string) {
	for {
		select {
		case <-ctx.Done():
			break
		case p := <-paths:
			f, err := os.Open(p)
			if err != nil {
				continue
			}
			defer f.Close() // HAZ defer-in-loop defer-in-infinite-loop
			var entries []ManifestEntry
			if err := json.NewDecoder(f).Decode(&entries); err == nil {
				w.OnChange(entries)
			}
		}
	}
}
