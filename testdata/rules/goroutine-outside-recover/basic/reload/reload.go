// Package reload watches a configuration file and calls its subscribers on changes.
package reload

import (
	"context"
	"os"
	"time"
)

// Reloader calls every subscriber when the file's modification time changes.
type Reloader struct {
	path string
	mod  time.Time
	subs []func()
}

// New returns a reloader of path.
func New(path string) *Reloader { return &Reloader{path: path} }

// Subscribe adds f to the functions called on a change.
func (r *Reloader) Subscribe(f func()) { r.subs = append(r.subs, f) }

// Watch checks the file every interval until ctx ends.
func (r *Reloader) Watch(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			r.check()
		}
	}
}

func (r *Reloader) check() {
	fi, err := os.Stat(r.path)
	if err != nil || fi.ModTime().Equal(r.mod) {
		return
	}
	r.mod = fi.ModTime()
	for _, f := range r.subs {
		f()
	}
}
