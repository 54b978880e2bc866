package spool

import (
	"context"
	"os"
	"time"
)

// Event reports a message that appeared in the spool.
type Event struct {
	ID   string
	Size int64
	Err  error
}

// Watcher polls a spool and reports new messages.
type Watcher struct {
	sp     *Spool
	every  time.Duration
	events chan Event
	seen   map[string]bool
}

// NewWatcher returns a watcher polling sp every interval.
func NewWatcher(sp *Spool, every time.Duration) *Watcher {
	return &Watcher{sp: sp, every: every, events: make(chan Event), seen: make(map[string]bool)}
}

// Events is closed when Run returns.
func (w *Watcher) Events() <-chan Event { return w.events }

// Run polls the spool until ctx is done.
func (w *Watcher) Run(ctx context.Context) error {
	defer close(w.events)
	t := time.NewTicker(w.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		ids, err := w.sp.List()
		if err != nil {
			return err
		}
		for _, id := range ids {
			if w.seen[id] {
				continue
			}
			w.seen[id] = true
			w.inspect(id)
		}
	}
}

// inspect stats one new message and reports it on the events channel.
func (w *Watcher) inspect(id string) {
	ev := Event{ID: id}
	defer func() { w.events <- ev }() // HAZ defer-blocking-call
	fi, err := os.Stat(w.sp.BodyPath(id))
	if err != nil {
		ev.Err = err
		return
	}
	ev.Size = fi.Size()
}
