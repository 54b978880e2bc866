package worker

import (
	"context"
	"os"
	"time"
)

// Watcher polls a file and emits events on rotation. Work started for an
// event is bound to the context current at the time; a rotation cancels it.
type Watcher struct {
	path   string
	poll   time.Duration
	events chan string
	stat   func(string) (os.FileInfo, error)
	cancel context.CancelFunc
}

// NewWatcher returns a watcher for path.
func NewWatcher(path string, poll time.Duration) *Watcher {
	return &Watcher{path: path, poll: poll, events: make(chan string, 8), stat: os.Stat}
}

// Events delivers "rotated", "grew" and "truncated".
func (w *Watcher) Events() <-chan string { return w.events }

func (w *Watcher) emit(ctx context.Context, ev string) {
	select {
	case w.events <- ev:
	case <-ctx.Done():
	}
}

// Run watches for rotation (a newer modification time) until parent ends or
// the file disappears.
func (w *Watcher) Run(parent context.Context) error {
	var ctx context.Context
	ctx, w.cancel = context.WithCancel(parent)
	defer w.cancel() // HAZ defer-eager-evaluation
	var last time.Time
	for {
		fi, err := w.stat(w.path)
		if err != nil {
			return err
		}
		if !last.IsZero() && fi.ModTime().After(last) {
			w.cancel()
			ctx, w.cancel = context.WithCancel(parent)
			w.emit(ctx, "rotated")
		}
		last = fi.ModTime()
		select {
		case <-parent.Done():
			return parent.Err()
		case <-time.After(w.poll):
		}
	}
}

// Follow watches the file size until parent ends or the file disappears.
func (w *Watcher) Follow(parent context.Context) error {
	var ctx context.Context
	ctx, w.cancel = context.WithCancel(parent)
	defer func() { w.cancel() }()
	t := time.NewTicker(w.poll)
	defer t.Stop()
	size := int64(-1)
	for {
		fi, err := w.stat(w.path)
		if err != nil {
			return err
		}
		switch {
		case size >= 0 && fi.Size() < size:
			w.cancel()
			ctx, w.cancel = context.WithCancel(parent)
			w.emit(ctx, "truncated")
		case size >= 0 && fi.Size() > size:
			w.emit(ctx, "grew")
		}
		size = fi.Size()
		select {
		case <-parent.Done():
			return parent.Err()
		case <-t.C:
		}
	}
}
