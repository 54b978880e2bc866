// Package progress prints periodic progress lines for long-running batch
// commands. A reporter goroutine reads counters and writes to stderr until it
// is told to stop.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Counter is a thread-safe done/total pair.
type Counter struct {
	done  atomic.Int64
	total atomic.Int64
	bytes atomic.Int64
}

// SetTotal sets the expected number of items.
func (c *Counter) SetTotal(n int64) { c.total.Store(n) }

// Inc marks one item finished with b bytes.
func (c *Counter) Inc(b int64) {
	c.done.Add(1)
	c.bytes.Add(b)
}

// Snapshot returns the current values.
func (c *Counter) Snapshot() (done, total, bytes int64) {
	return c.done.Load(), c.total.Load(), c.bytes.Load()
}

// Reporter prints a progress line every interval.
type Reporter struct {
	w        io.Writer
	c        *Counter
	interval time.Duration

	stop     chan struct{}
	finished chan struct{}
	once     sync.Once
}

// NewReporter builds a reporter; call Start to begin printing.
func NewReporter(w io.Writer, c *Counter, interval time.Duration) *Reporter {
	return &Reporter{w: w, c: c, interval: interval, stop: make(chan struct{}), finished: make(chan struct{})}
}

// Start launches the printing goroutine.
func (r *Reporter) Start() {
	go r.loop()
}

func (r *Reporter) loop() {
	defer close(r.finished)
	t := time.NewTicker(r.interval)
	defer t.Stop()
	start := time.Now()
	for {
		select {
		case <-t.C:
			r.print(time.Since(start))
		case <-r.stop:
			r.print(time.Since(start))
			fmt.Fprintln(r.w)
			return
		}
	}
}

func (r *Reporter) print(elapsed time.Duration) {
	done, total, b := r.c.Snapshot()
	fmt.Fprintf(r.w, "\r%s %d/%d %s %s", Bar(done, total, 20), done, total, HumanBytes(b), elapsed.Round(time.Second))
}

// Stop ends the goroutine and waits, at most two seconds, for its last line.
// Stop is idempotent.
func (r *Reporter) Stop() {
	r.once.Do(func() { close(r.stop) })
	select {
	case <-r.finished:
	case <-time.After(2 * time.Second):
	}
}

// Bar renders a fixed-width bar.
func Bar(done, total int64, width int) string {
	if total <= 0 {
		return "[" + strings.Repeat("?", width) + "]"
	}
	n := int(done * int64(width) / total)
	if n > width {
		n = width
	}
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", width-n) + "]"
}

// HumanBytes formats a byte count.
func HumanBytes(b int64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%dB", b)
	}
	div, exp := int64(unit), 0
	for n := b / unit; n >= unit; n /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f%ciB", float64(b)/float64(div), "KMGTPE"[exp])
}

// Track runs fn while a reporter prints. The reporter's stop channel is
// closed by the deferred Stop; the goroutine only receives from it.
func Track(w io.Writer, c *Counter, every time.Duration, fn func() error) error {
	r := NewReporter(w, c, every)
	r.Start()
	defer r.Stop()
	return fn()
}

// Spinner prints a spinner until done is closed. The caller closes done with
// a defer after starting the goroutine: the goroutine never sends on it.
func Spinner(w io.Writer, label string, fn func()) {
	done := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		frames := `|/-\`
		t := time.NewTicker(150 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-done:
				fmt.Fprintf(w, "\r%s done\n", label)
				return
			case <-t.C:
				fmt.Fprintf(w, "\r%s %c", label, frames[i%len(frames)])
			}
		}
	}()
	func() {
		defer close(done)
		fn()
	}()
	<-exited
}

// ETA estimates the remaining time from the rate so far.
func ETA(done, total int64, elapsed time.Duration) time.Duration {
	if done <= 0 || total <= done {
		return 0
	}
	per := elapsed / time.Duration(done)
	return per * time.Duration(total-done)
}
