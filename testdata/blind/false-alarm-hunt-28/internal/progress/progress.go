// Package progress prints a one-line progress indicator for long commands.
package progress

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Reporter redraws "label done/total" on w until it is stopped.
type Reporter struct {
	w       io.Writer
	label   string
	total   int64
	every   time.Duration
	count   atomic.Int64
	once    sync.Once
	done    chan struct{} // closed by Stop
	stopped chan struct{} // closed by loop when it has printed its last line
}

// Start begins reporting on w every interval. Callers must call Stop.
func Start(w io.Writer, label string, total int64, every time.Duration) *Reporter {
	r := &Reporter{
		w:       w,
		label:   label,
		total:   total,
		every:   every,
		done:    make(chan struct{}),
		stopped: make(chan struct{}),
	}
	go r.loop()
	return r
}

// Add records n more completed units.
func (r *Reporter) Add(n int64) { r.count.Add(n) }

// loop redraws on every tick and exits when done is closed.
func (r *Reporter) loop() {
	defer close(r.stopped)
	t := time.NewTicker(r.every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.draw()
		case <-r.done:
			r.draw()
			fmt.Fprintln(r.w)
			return
		}
	}
}

// draw prints the current state over the previous line.
func (r *Reporter) draw() {
	n := r.count.Load()
	if r.total > 0 {
		fmt.Fprintf(r.w, "\r%s %d/%d (%d%%)", r.label, n, r.total, n*100/r.total)
		return
	}
	fmt.Fprintf(r.w, "\r%s %d", r.label, n)
}

// Stop ends the reporter and waits, for at most a second, until its final
// line is written. It is idempotent and safe to defer.
func (r *Reporter) Stop() {
	r.once.Do(func() { close(r.done) })
	select {
	case <-r.stopped:
	case <-time.After(time.Second):
	}
}

// Track runs fn with a reporter that is stopped when fn returns.
func Track(w io.Writer, label string, total int64, fn func(r *Reporter) error) error {
	r := Start(w, label, total, 200*time.Millisecond)
	defer r.Stop()
	return fn(r)
}
