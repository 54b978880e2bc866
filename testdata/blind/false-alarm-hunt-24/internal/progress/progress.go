// Package progress prints a one-line progress indicator while long
// generator runs are in flight.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Reporter redraws "done/total" on out every interval until stopped.
type Reporter struct {
	out      io.Writer
	interval time.Duration
	total    int64
	done     atomic.Int64

	quit chan struct{}
	once sync.Once
	wg   sync.WaitGroup
}

// New returns a stopped reporter for total steps.
func New(out io.Writer, total int, interval time.Duration) *Reporter {
	if interval <= 0 {
		interval = 200 * time.Millisecond
	}
	return &Reporter{out: out, interval: interval, total: int64(total), quit: make(chan struct{})}
}

// Start launches the redraw goroutine. Stop must be called to end it.
func (r *Reporter) Start() {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		t := time.NewTicker(r.interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				r.draw(false)
			case <-r.quit:
				r.draw(true)
				return
			}
		}
	}()
}

// Step records one finished unit of work. It is safe for concurrent use.
func (r *Reporter) Step() { r.done.Add(1) }

// Stop ends the redraw goroutine and waits until it has printed its final
// line. It may be called more than once.
func (r *Reporter) Stop() {
	r.once.Do(func() { close(r.quit) })
	r.wg.Wait()
}

func (r *Reporter) draw(final bool) {
	line := Bar(r.done.Load(), r.total, 30)
	if final {
		fmt.Fprintf(r.out, "\r%s\n", line)
		return
	}
	fmt.Fprintf(r.out, "\r%s", line)
}

// Bar renders "[=====     ] 5/10" for done out of total with the given width.
func Bar(done, total int64, width int) string {
	if total <= 0 {
		return fmt.Sprintf("[%s] %d", strings.Repeat("=", width), done)
	}
	filled := int(min(done, total) * int64(width) / total)
	return fmt.Sprintf("[%s%s] %d/%d", strings.Repeat("=", filled), strings.Repeat(" ", width-filled), done, total)
}

// Track runs fn with a step callback while a reporter draws progress, and
// joins the reporter before returning fn's error.
func Track(out io.Writer, total int, fn func(step func()) error) error {
	r := New(out, total, 0)
	r.Start()
	err := fn(r.Step)
	r.Stop()
	return err
}
