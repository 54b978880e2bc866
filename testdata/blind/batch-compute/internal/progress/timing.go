package progress

import (
	"fmt"
	"io"
	"time"
)

// Timed logs how long a section took; use it as defer Timed("name", logf)().
func Timed(name string, logf func(string, ...any)) func() {
	start := time.Now()
	return func() { logf("%s took %s", name, time.Since(start).Round(time.Millisecond)) }
}

// Ticker calls fn every interval until the returned stop func is called.
func Ticker(interval time.Duration, fn func(time.Time)) (stop func()) {
	t := time.NewTicker(interval)
	done := make(chan struct{})
	go func() {
		defer t.Stop()
		for {
			select {
			case now := <-t.C:
				fn(now)
			case <-done:
				return
			}
		}
	}()
	return func() { close(done) }
}

// Bar renders a fixed-width text progress bar.
func Bar(w io.Writer, done, total int64, width int) {
	if total <= 0 || width <= 0 {
		return
	}
	filled := int(done * int64(width) / total)
	if filled > width {
		filled = width
	}
	bar := make([]byte, width)
	for i := range bar {
		if i < filled {
			bar[i] = '#'
		} else {
			bar[i] = '.'
		}
	}
	fmt.Fprintf(w, "\r[%s] %d/%d", bar, done, total)
}

// ETA estimates the remaining time from the rate observed since start.
func ETA(start time.Time, done, total int64) time.Duration {
	if done <= 0 || total <= done {
		return 0
	}
	elapsed := time.Since(start)
	per := elapsed / time.Duration(done)
	return per * time.Duration(total-done)
}

// Watch prints a progress line for every value received on updates until it is closed.
func Watch(w io.Writer, total int64, updates <-chan int64) {
	start := time.Now()
	defer fmt.Fprintln(w)
	var done int64
	for n := range updates {
		done += n
		Bar(w, done, total, 40)
		fmt.Fprintf(w, " eta %s", ETA(start, done, total).Round(time.Second))
	}
}
