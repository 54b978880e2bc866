// Package progress draws terminal progress for long generator runs.
package progress

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Spinner animates a label until it is stopped.
type Spinner struct {
	w       io.Writer
	label   string
	done    chan struct{}
	stopped chan struct{}
	once    sync.Once
}

// Start launches the spinner goroutine. Callers must call Stop (or
// StopWithin) before they return, on every path.
func Start(w io.Writer, label string, every time.Duration) *Spinner {
	s := &Spinner{
		w:       w,
		label:   label,
		done:    make(chan struct{}),
		stopped: make(chan struct{}),
	}
	go s.loop(every)
	return s
}

func (s *Spinner) loop(every time.Duration) {
	defer close(s.stopped)
	t := time.NewTicker(every)
	defer t.Stop()
	const frames = `|/-\`
	for i := 0; ; i++ {
		select {
		case <-s.done:
			fmt.Fprintf(s.w, "\r%s done\n", s.label)
			return
		case <-t.C:
			fmt.Fprintf(s.w, "\r%s %c", s.label, frames[i%len(frames)])
		}
	}
}

// Stop ends the animation and waits until the final frame has been drawn.
// It is meant to be called explicitly, not deferred.
func (s *Spinner) Stop() {
	s.once.Do(func() { close(s.done) })
	<-s.stopped
}

// StopWithin is like Stop but never waits longer than d, which makes it safe
// to defer. It reports whether the spinner finished in time.
func (s *Spinner) StopWithin(d time.Duration) bool {
	s.once.Do(func() { close(s.done) })
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-s.stopped:
		return true
	case <-t.C:
		return false
	}
}

// Counter prints "label n/total" as work items complete. It is safe for
// concurrent use by worker goroutines.
type Counter struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	done  int
	total int
}

// NewCounter returns a counter for total items.
func NewCounter(w io.Writer, label string, total int) *Counter {
	return &Counter{w: w, label: label, total: total}
}

// Inc records one finished item and redraws the line.
func (c *Counter) Inc() {
	c.mu.Lock()
	c.done++
	line := fmt.Sprintf("\r%s %d/%d", c.label, c.done, c.total)
	c.mu.Unlock()
	io.WriteString(c.w, line)
}

// Finish prints the final count on its own line and reports whether every
// item completed.
func (c *Counter) Finish() bool {
	c.mu.Lock()
	if c.done < c.total {
		fmt.Fprintf(c.w, "\r%s %d/%d (incomplete)\n", c.label, c.done, c.total)
		c.mu.Unlock()
		return false
	}
	fmt.Fprintf(c.w, "\r%s %d/%d\n", c.label, c.done, c.total)
	c.mu.Unlock()
	return true
}

// Add records n finished items at once.
func (c *Counter) Add(n int) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if n < 0 {
		panic(fmt.Sprintf("progress: negative increment %d", n))
	}
	c.done += n
	c.mu.Unlock()
}

// SetTotal changes the expected number of items, e.g. after specs were
// filtered. The argument is checked before the lock is taken.
func (c *Counter) SetTotal(n int) {
	if n < 0 {
		panic(fmt.Sprintf("progress: negative total %d", n))
	}
	c.mu.Lock()
	c.total = n
	c.mu.Unlock()
}
