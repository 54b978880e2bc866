package blocklist

import (
	"context"
	"log"
	"os"
	"time"
)

// Watch polls the configured lists and reloads when any of them changed,
// until ctx is done.
func (b *Blocklist) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	seen := make(map[string]time.Time, len(b.files))
	b.changed(seen)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if !b.changed(seen) {
				continue
			}
			if err := b.Reload(); err != nil {
				log.Printf("blocklist: reload: %v", err)
			}
		}
	}
}

// changed updates seen with the lists' modification times and reports
// whether any of them moved.
func (b *Blocklist) changed(seen map[string]time.Time) bool {
	changed := false
	for _, p := range b.files {
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		if mt := fi.ModTime(); !mt.Equal(seen[p]) {
			seen[p] = mt
			changed = true
		}
	}
	return changed
}

// WatchFile reloads a single list whenever its modification time changes.
// It is meant to run in its own goroutine for the life of the process.
func (b *Blocklist) WatchFile(path string, interval time.Duration) {
	t := time.NewTicker(interval)
	var last time.Time
	for range t.C {
		f, err := os.Open(path)
		if err != nil {
			log.Printf("blocklist: watch %s: %v", path, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		fi, err := f.Stat()
		if err != nil || !fi.ModTime().After(last) {
			continue
		}
		last = fi.ModTime()
		domains := make(map[string]struct{})
		if _, err := readList(f, domains); err != nil {
			log.Printf("blocklist: %s: %v", path, err)
			continue
		}
		b.replace(domains)
	}
}
