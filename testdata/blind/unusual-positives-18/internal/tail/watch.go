package tail

import (
	"log"
	"os"
	"sort"
	"strings"
	"time"
)

// DirWatcher reports new spool segments appearing in a directory.
type DirWatcher struct {
	dir   string
	tick  *time.Ticker
	seen  map[string]bool
	onNew func(name string)
}

// NewDirWatcher polls dir every interval and calls onNew for new segments.
func NewDirWatcher(dir string, every time.Duration, onNew func(string)) *DirWatcher {
	return &DirWatcher{dir: dir, tick: time.NewTicker(every), seen: make(map[string]bool), onNew: onNew}
}

// Watch rescans the directory on every tick until stop is closed.
func (w *DirWatcher) Watch(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			log.Printf("watch %s: stop requested", w.dir)
			w.tick.Stop()
			break
		case <-w.tick.C:
		}
		d, err := os.Open(w.dir)
		if err != nil {
			log.Printf("watch %s: %v", w.dir, err)
			continue
		}
		defer d.Close() // HAZ defer-in-infinite-loop
		names, err := d.Readdirnames(-1)
		if err != nil {
			continue
		}
		w.announce(names)
	}
}

// WatchUntil is Watch with a loop that really ends on stop; each scan
// closes its directory handle before returning.
func (w *DirWatcher) WatchUntil(stop <-chan struct{}) {
	defer w.tick.Stop()
loop:
	for {
		select {
		case <-stop:
			break loop
		case <-w.tick.C:
		}
		if err := w.scanOnce(); err != nil {
			log.Printf("watch %s: %v", w.dir, err)
		}
	}
}

func (w *DirWatcher) scanOnce() error {
	d, err := os.Open(w.dir)
	if err != nil {
		return err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return err
	}
	w.announce(names)
	return nil
}

// announce calls onNew, in name order, for segments not seen before.
func (w *DirWatcher) announce(names []string) {
	sort.Strings(names)
	for _, n := range names {
		if !strings.HasPrefix(n, "seg-") || w.seen[n] {
			continue
		}
		w.seen[n] = true
		w.onNew(n)
	}
}
