// Package tail follows growing log files and processes file jobs.
package tail

import (
	"bufio"
	"context"
	"io"
	"log"
	"os"
	"time"
)

// Tailer re-reads a file on every tick and sends new lines.
type Tailer struct {
	path   string
	tick   *time.Ticker
	offset int64
	out    chan<- string
}

// New returns a tailer of path polling every interval.
func New(path string, every time.Duration, out chan<- string) *Tailer {
	return &Tailer{path: path, tick: time.NewTicker(every), out: out}
}

// scanFrom sends the lines after offset and returns the new offset.
func (t *Tailer) scanFrom(f *os.File, offset int64) int64 {
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return offset
	}
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return offset
		}
		offset += int64(len(line))
		t.out <- line[:len(line)-1]
	}
}

// Follow sends new lines until ctx is cancelled.
func (t *Tailer) Follow(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			break // leaves the select only
		case <-t.tick.C:
		}
		f, err := os.Open(t.path)
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		t.offset = t.scanFrom(f, t.offset)
	}
}

// readNew opens the file, sends what is new and closes it again.
func (t *Tailer) readNew() error {
	f, err := os.Open(t.path)
	if err != nil {
		return err
	}
	defer f.Close()
	t.offset = t.scanFrom(f, t.offset)
	return nil
}

// FollowUntil sends new lines until ctx is cancelled or the file disappears.
func (t *Tailer) FollowUntil(ctx context.Context) error {
	defer t.tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.tick.C:
		}
		if err := t.readNew(); err != nil {
			return err
		}
	}
}

// FollowInline keeps the open/close inside a function literal per tick.
func (t *Tailer) FollowInline(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.tick.C:
		}
		func() {
			f, err := os.Open(t.path)
			if err != nil {
				return
			}
			defer f.Close()
			t.offset = t.scanFrom(f, t.offset)
		}()
	}
}

// Job asks a worker to process one file.
type Job struct {
	Kind string // "process" or "stop"
	Path string
}

// Serve processes jobs as they arrive.
func Serve(jobs <-chan Job, handle func(Job, *os.File) error) {
	for job := range jobs {
		switch job.Kind {
		case "stop":
			break // leaves the switch, not the loop
		case "":
			continue
		}
		f, err := os.Open(job.Path)
		if err != nil {
			log.Printf("tail: %s: %v", job.Path, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if err := handle(job, f); err != nil {
			log.Printf("tail: %s: %v", job.Path, err)
		}
	}
}

// ServeUntilStop processes jobs until a stop job; each file is closed by the
// function literal that opened it.
func ServeUntilStop(jobs <-chan Job, handle func(Job, *os.File) error) int {
	n := 0
loop:
	for job := range jobs {
		switch job.Kind {
		case "stop":
			break loop
		case "":
			continue
		}
		func() {
			f, err := os.Open(job.Path)
			if err != nil {
				log.Printf("tail: %s: %v", job.Path, err)
				return
			}
			defer f.Close()
			if err := handle(job, f); err != nil {
				log.Printf("tail: %s: %v", job.Path, err)
			}
		}()
		n++
	}
	return n
}
