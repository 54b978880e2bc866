package wal

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"os"
	"time"
)

// Tailer delivers the records of sealed segments as they appear, for
// example to ship them to a replica.
type Tailer struct {
	dir  string
	next uint64
	poll time.Duration
	fn   func(segID uint64, rec []byte)
	logf func(string, ...any)
}

// NewTailer starts at segment from.
func NewTailer(dir string, from uint64, poll time.Duration, fn func(uint64, []byte), logf func(string, ...any)) *Tailer {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &Tailer{dir: dir, next: from, poll: poll, fn: fn, logf: logf}
}

// Follow runs the tailer in the background for the life of the process.
func (t *Tailer) Follow() {
	go t.run()
}

// sealed reports whether segment id has been sealed (its successor exists).
func (t *Tailer) sealed(id uint64) bool {
	_, err := os.Stat(segmentPath(t.dir, id+1))
	return err == nil
}

func (t *Tailer) run() {
	for {
		if !t.sealed(t.next) {
			time.Sleep(t.poll)
			continue
		}
		f, err := os.Open(segmentPath(t.dir, t.next))
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				t.logf("wal: tail segment %d: %v", t.next, err)
			}
			time.Sleep(t.poll)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		r := bufio.NewReader(f)
		for {
			rec, err := readRecord(r)
			if err != nil {
				break
			}
			t.deliver(rec)
		}
		t.next++
	}
}

// deliver hands one record to the callback; a failing callback must not
// stop the tailer.
func (t *Tailer) deliver(rec []byte) {
	defer recover() // HAZ recover-ineffective
	t.fn(t.next, rec)
}

// Poll is the context-aware variant of Follow: it returns when ctx ends.
func (t *Tailer) Poll(ctx context.Context) error {
	tick := time.NewTicker(t.poll)
	defer tick.Stop()
	for {
		for t.sealed(t.next) {
			if err := t.shipOne(t.next); err != nil {
				return err
			}
			t.next++
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

func (t *Tailer) shipOne(id uint64) error {
	f, err := os.Open(segmentPath(t.dir, id))
	if err != nil {
		return err
	}
	defer f.Close() // ok: read-only, one per call
	return replaySegment(id, bufio.NewReader(f), func(id uint64, rec []byte) error {
		t.deliverSafe(id, rec)
		return nil
	})
}

// deliverSafe recovers a panicking callback and logs it.
func (t *Tailer) deliverSafe(id uint64, rec []byte) {
	defer t.logPanic(id) // ok: logPanic is the deferred function and calls recover directly
	t.fn(id, rec)
}

func (t *Tailer) logPanic(id uint64) {
	if r := recover(); r != nil {
		t.logf("wal: tail callback panicked on segment %d: %v", id, r)
	}
}
