package pipeline

import (
	"bufio"
	"context"
	"log"
	"os"
	"strings"
	"time"
)

// Watcher polls the status file the upstream exporter rewrites ("key sum"
// per line, optionally ended by "#end") and emits the keys whose sum
// changed.
type Watcher struct {
	path  string
	every time.Duration
	out   chan<- Item
	log   *log.Logger
	last  map[string]string
}

// NewWatcher returns a watcher of path that emits on out.
func NewWatcher(path string, every time.Duration, out chan<- Item, lg *log.Logger) *Watcher {
	return &Watcher{path: path, every: every, out: out, log: lg, last: make(map[string]string)}
}

// Loop polls forever; the daemon starts it once at boot.
func (w *Watcher) Loop() {
	tick := time.NewTicker(w.every)
	defer tick.Stop()
poll:
	for {
		<-tick.C
		f, err := os.Open(w.path)
		if err != nil {
			w.log.Printf("watch %s: %v", w.path, err)
			continue poll
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			key, sum, ok := strings.Cut(sc.Text(), " ")
			if !ok {
				continue
			}
			if key == "#end" {
				break
			}
			if w.last[key] != sum && w.emit(Item{Key: key}) {
				w.last[key] = sum
			}
		}
	}
}

// emit hands it to the consumer. The consumer closes the output channel
// when it shuts down, so a late send must not take the watcher down.
func (w *Watcher) emit(it Item) (sent bool) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	w.out <- it
	return true
}

// Poll is Loop with cancellation; each scan opens and closes the file in
// its own call.
func (w *Watcher) Poll(ctx context.Context) error {
	tick := time.NewTicker(w.every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
			if err := w.scan(ctx); err != nil {
				w.log.Printf("watch %s: %v", w.path, err)
			}
		}
	}
}

func (w *Watcher) scan(ctx context.Context) error {
	f, err := os.Open(w.path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, sum, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		if key == "#end" {
			break
		}
		if w.last[key] == sum {
			continue
		}
		select {
		case w.out <- Item{Key: key}:
			w.last[key] = sum
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return sc.Err()
}
