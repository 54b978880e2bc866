package wal

import (
	"os"
	"path/filepath"
	"sync/atomic"

	"example.com/fah13/internal/crash"
)

// Tailer applies completed segments as the Writer announces them, keeping a
// follower's state machine up to date. Announce and Close must be called
// from the goroutine that owns the Writer (its onRotate hook).
type Tailer struct {
	dir      string
	apply    func(Record) error
	announce chan string

	applied atomic.Int64
	failed  atomic.Int64
}

// NewTailer returns a tailer for dir that applies records with apply.
func NewTailer(dir string, apply func(Record) error) *Tailer {
	return &Tailer{dir: dir, apply: apply, announce: make(chan string, 16)}
}

// Announce queues a completed segment for the tailer.
func (t *Tailer) Announce(name string) {
	t.announce <- name
}

// Close tells Run that no more segments will be announced.
func (t *Tailer) Close() {
	close(t.announce)
}

// Run applies announced segments for the lifetime of the follower.
func (t *Tailer) Run() {
	for name := range t.announce {
		f, err := os.Open(filepath.Join(t.dir, name))
		if err != nil {
			t.failed.Add(1)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		n, err := replay(f, t.apply)
		t.applied.Add(int64(n))
		if err != nil {
			t.failed.Add(1)
		}
	}
}

// Follow applies the segments completed before the tailer started and then
// keeps applying announced ones in the background. A panic while catching
// up is returned as an error.
func (t *Tailer) Follow(existing []string) (err error) {
	defer crash.RecoverError(&err)
	if err := t.Catchup(existing); err != nil {
		return err
	}
	go t.Run() // HAZ goroutine-outside-recover
	return nil
}

// Catchup applies segments that were completed before the tailer started.
func (t *Tailer) Catchup(names []string) error {
	for _, name := range names {
		if err := t.applyOne(name); err != nil {
			return err
		}
	}
	return nil
}

// applyOne applies a single segment and closes it before returning.
func (t *Tailer) applyOne(name string) error {
	f, err := os.Open(filepath.Join(t.dir, name))
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := replay(f, t.apply)
	t.applied.Add(int64(n))
	return err
}
