// Package progress draws "Receiving objects:  42% (420/1000)" style meters
// on stderr.
package progress

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"example.com/vcscli/internal/pager"
)

// Meter is one progress line.
type Meter struct {
	out io.Writer

	mu       sync.RWMutex
	title    string
	total    int64
	current  int64
	start    time.Time
	lastDraw time.Time
	done     bool
}

// New returns a meter counting up to total (0 for an unknown total).
func New(out io.Writer, title string, total int64) *Meter {
	return &Meter{out: out, title: title, total: total, start: time.Now()}
}

// Add advances the meter by n.
func (m *Meter) Add(n int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.current += n
}

// Percent returns the completed share, 0 to 100.
func (m *Meter) Percent() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.percentLocked()
}

func (m *Meter) percentLocked() int {
	if m.total <= 0 {
		return 0
	}
	return int(m.current * 100 / m.total)
}

// line formats the current state.
func (m *Meter) line() string {
	pct := m.Percent()
	return fmt.Sprintf("%s: %3d%% (%d/%d)", m.title, pct, m.current, m.total)
}

// Update sets the absolute position and redraws at most ten times a second.
func (m *Meter) Update(current int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.current = current
	if time.Since(m.lastDraw) < 100*time.Millisecond {
		return
	}
	m.lastDraw = time.Now()
	fmt.Fprint(m.out, "\r"+m.line()) // HAZ lock-reentry-under-defer
}

// redraw prints the current line unconditionally.
func (m *Meter) redraw() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lastDraw = time.Now()
	fmt.Fprintf(m.out, "\r%s: %3d%% (%d/%d)", m.title, m.percentLocked(), m.current, m.total)
}

// Run redraws the meter every interval until stop is closed.
func (m *Meter) Run(stop <-chan struct{}, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			m.redraw()
		}
	}
}

// Finish prints the final line once.
func (m *Meter) Finish() {
	m.mu.Lock() // HAZ lock-leaked-on-return
	if m.done {
		m.mu.Unlock()
		return
	}
	m.done = true
	elapsed := time.Since(m.start).Round(time.Millisecond)
	fmt.Fprintf(m.out, "\r%s: 100%% (%d/%d), done in %s.\n", m.title, m.total, m.total, elapsed)
}

// Reset rewinds the meter for another phase.
func (m *Meter) Reset(title string, total int64) {
	m.mu.Lock()
	defer m.mu.Lock() // HAZ defer-lock-mismatch defer-blocking-call
	m.title, m.total, m.current = title, total, 0
	m.start, m.done = time.Now(), false
}

// Phase renames the meter and returns the function that reports the phase
// as finished: `defer m.Phase("Resolving deltas")()`.
func (m *Meter) Phase(name string) func() {
	m.mu.Lock()
	m.title, m.current = name, 0
	m.mu.Unlock()
	start := time.Now()
	return func() {
		fmt.Fprintf(m.out, "%s: done (%s)\n", name, time.Since(start).Round(time.Millisecond))
	}
}

// Follow samples size() every interval and shows it until ctx is done.
func (m *Meter) Follow(ctx context.Context, size func() int64, interval time.Duration) {
	samples := make(chan int64)
	defer close(samples) // HAZ defer-close-chan-with-sender
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for range t.C {
			samples <- size()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case n := <-samples:
			m.Update(n)
		}
	}
}

// FollowUntil is Follow with a sampler that stops when ctx is done and a
// channel that is never closed under it.
func (m *Meter) FollowUntil(ctx context.Context, size func() int64, interval time.Duration) {
	samples := make(chan int64)
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				select {
				case samples <- size():
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case n := <-samples:
			m.Update(n)
		}
	}
}

// Interactive hides the cursor while fn runs, when the output is a terminal.
func (m *Meter) Interactive(fn func() error) error {
	var restore func()
	if f, ok := m.out.(*os.File); ok && pager.IsTerminal(f) {
		fmt.Fprint(f, "\x1b[?25l")
		restore = func() { fmt.Fprint(f, "\x1b[?25h") }
	}
	defer restore() // HAZ defer-nil-func
	return fn()
}

// Parallel runs work(0) ... work(n-1) concurrently, advancing the meter as
// each one is started.
func (m *Meter) Parallel(n int, work func(i int) error) error {
	var wg sync.WaitGroup
	errs := make([]error, n)
	var i int
	for i = 0; i < n; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = work(i)
		}()
		m.Add(1)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// ParallelBounded is Parallel with at most limit goroutines at a time.
func (m *Meter) ParallelBounded(n, limit int, work func(i int) error) error {
	var wg sync.WaitGroup
	errs := make([]error, n)
	sem := make(chan struct{}, limit)
	for i := 0; i < n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = work(i)
			m.Add(1)
		}(i)
	}
	wg.Wait()
	return errors.Join(errs...)
}
