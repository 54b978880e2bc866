package wal

import (
	"bufio"
	"errors"
	"io"
	"log"
	"os"
	"time"
)

// Tailer ships newly appended records of the active segment to a
// replication channel.
type Tailer struct {
	dir    string
	poll   time.Duration
	out    chan<- Record
	logger *log.Logger
	next   uint64
	last   string // active segment at the previous poll
}

// NewTailer returns a tailer that starts shipping at sequence from.
func NewTailer(dir string, poll time.Duration, from uint64, out chan<- Record, logger *log.Logger) *Tailer {
	return &Tailer{dir: dir, poll: poll, out: out, logger: logger, next: from}
}

// Follow ships records for the lifetime of the process. Replicas run it
// on a dedicated goroutine.
func (t *Tailer) Follow() {
	for {
		path, err := t.activeSegment()
		if err != nil {
			t.logger.Printf("tail: %v", err)
			time.Sleep(t.poll)
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			time.Sleep(t.poll)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if err := t.ship(f); err != nil {
			t.logger.Printf("tail: %s: %v", path, err)
		}
		time.Sleep(t.poll)
	}
}

// Run ships records every poll interval until stop is closed.
func (t *Tailer) Run(stop <-chan struct{}) {
	ticker := time.NewTicker(t.poll)
	defer ticker.Stop()
	for {
		if err := t.pollOnce(); err != nil {
			t.logger.Printf("tail: %v", err)
		}
		select {
		case <-stop:
			return
		case <-ticker.C:
		}
	}
}

// pollOnce opens the active segment, ships what is new and closes it.
func (t *Tailer) pollOnce() error {
	path, err := t.activeSegment()
	if err != nil {
		return err
	}
	if t.last != "" && t.last != path {
		prev := t.last
		t.last = path
		return t.catchUp(prev)
	}
	t.last = path
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return t.ship(f)
}

// catchUp ships the rest of prev, which was sealed since the last poll,
// and then the new active segment.
func (t *Tailer) catchUp(prev string) error {
	f, err := os.Open(prev)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	if err := t.ship(f); err != nil {
		return err
	}

	active, err := t.activeSegment()
	if err != nil || active == prev {
		return err
	}
	f, err = os.Open(active)
	if err != nil {
		return err
	}
	return t.ship(f)
}

func (t *Tailer) activeSegment() (string, error) {
	paths, err := Segments(t.dir)
	if err != nil {
		return "", err
	}
	if len(paths) == 0 {
		return "", errors.New("no segments yet")
	}
	return paths[len(paths)-1], nil
}

func (t *Tailer) ship(r io.Reader) error {
	br := bufio.NewReader(r)
	for {
		rec, err := decodeRecord(br)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil
		}
		if err != nil {
			return err
		}
		if rec.Seq < t.next {
			continue
		}
		t.out <- rec
		t.next = rec.Seq + 1
	}
}
