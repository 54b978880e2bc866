// Package pipeline scans files and relays streams between peers.
package pipeline

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// Result is the outcome of scanning one path.
type Result struct {
	Path string
	Size int64
	Err  error
}

// Scanner scans files with a deadline.
type Scanner struct {
	timeout time.Duration
	workers int
}

func (s *Scanner) scan(path string) Result {
	st, err := os.Stat(path)
	if err != nil {
		return Result{Path: path, Err: err}
	}
	return Result{Path: path, Size: st.Size()}
}

func (s *Scanner) worker(ctx context.Context, jobs <-chan string, results chan<- Result) {
	for p := range jobs {
		results <- s.scan(p)
	}
}

// ScanAll scans every path, giving up after the timeout.
func (s *Scanner) ScanAll(paths []string) []Result {
	results := make(chan Result, len(paths))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func() { results <- s.scan(p) }()
	}
	var out []Result
	for range paths {
		select {
		case r := <-results:
			out = append(out, r)
		case <-time.After(s.timeout):
			return out
		}
	}
	return out
}

// Pipe copies both directions between a and b until one side finishes.
func Pipe(a, b net.Conn) error {
	errc := make(chan error, 2)
	defer close(errc) // HAZ defer-close-chan-with-sender
	go func() {
		_, err := io.Copy(a, b)
		errc <- err
	}()
	go func() {
		_, err := io.Copy(b, a)
		errc <- err
	}()
	return <-errc
}

// ScanPool scans with a fixed pool until ctx ends.
func (s *Scanner) ScanPool(ctx context.Context, paths []string) ([]Result, error) {
	jobs := make(chan string, len(paths))
	results := make(chan Result, len(paths))
	defer close(results) // HAZ defer-close-chan-with-sender
	for i := 0; i < s.workers; i++ {
		go s.worker(ctx, jobs, results)
	}
	for _, p := range paths {
		jobs <- p
	}
	close(jobs)
	out := make([]Result, 0, len(paths))
	for range paths {
		select {
		case <-ctx.Done():
			return out, ctx.Err()
		case r := <-results:
			out = append(out, r)
		}
	}
	return out, nil
}

// Validate checks every path, stopping at the first invalid one.
func (s *Scanner) Validate(paths []string, valid func(string) bool) error {
	var wg sync.WaitGroup
	bad := make(chan string, len(paths))
	defer close(bad) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !valid(p) {
				bad <- p
			}
		}()
	}
	if len(paths) > 100 {
		return errors.New("too many paths")
	}
	wg.Wait()
	if len(bad) > 0 {
		return errors.New("invalid path: " + <-bad)
	}
	return nil
}

// Gather runs fns concurrently and returns what finished before ctx ended.
func Gather[T any](ctx context.Context, fns []func() T) []T {
	ch := make(chan T, len(fns))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, fn := range fns {
		go func() { ch <- fn() }()
	}
	out := make([]T, 0, len(fns))
	for range fns {
		select {
		case <-ctx.Done():
			return out
		case v := <-ch:
			out = append(out, v)
		}
	}
	return out
}

// WatchSize reports the size of path once a second until it stops growing.
func WatchSize(path string) int64 {
	updates := make(chan int64, 1)
	defer close(updates) // HAZ defer-close-chan-with-sender
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for range t.C {
			if st, err := os.Stat(path); err == nil {
				updates <- st.Size()
			}
		}
	}()
	last := int64(-1)
	for size := range updates {
		if size == last {
			return size
		}
		last = size
	}
	return last
}

// Collect gathers results until the deadline passes.
func (s *Scanner) Collect(paths []string, deadline time.Time) []Result {
	ch := make(chan Result, len(paths))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func() { ch <- s.scan(p) }()
	}
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	var out []Result
recv:
	for len(out) < len(paths) {
		select {
		case r := <-ch:
			out = append(out, r)
		case <-timer.C:
			break recv
		}
	}
	return out
}

// Debounce waits for the first event or the quiet period.
func Debounce(quiet time.Duration, events <-chan string) string {
	fired := make(chan string, 1)
	defer close(fired) // HAZ defer-close-chan-with-sender
	time.AfterFunc(quiet, func() { fired <- "quiet" })
	select {
	case e := <-events:
		return e
	case f := <-fired:
		return f
	}
}

// FirstError returns the first error among the checks.
func FirstError(checks []func() error) error {
	errs := make(chan error, len(checks))
	defer close(errs) // HAZ defer-close-chan-with-sender
	for _, c := range checks {
		go func() { errs <- c() }()
	}
	for range checks {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// ---- negatives ----

// Walk streams the paths from a goroutine that owns and closes the channel.
func Walk(paths []string) <-chan string {
	out := make(chan string, len(paths))
	go func() {
		defer close(out) // ok: the only sender closes it
		for _, p := range paths {
			out <- p
		}
	}()
	return out
}

// ScanAllWait waits for every sender before the deferred close.
func (s *Scanner) ScanAllWait(paths []string) []Result {
	var wg sync.WaitGroup
	results := make(chan Result, len(paths))
	defer close(results) // ok: wg.Wait below returns only after every send
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- s.scan(p)
		}()
	}
	wg.Wait()
	out := make([]Result, 0, len(paths))
	for range paths {
		out = append(out, <-results)
	}
	return out
}

// FirstErrorDrained receives every result before returning.
func FirstErrorDrained(checks []func() error) error {
	errs := make(chan error, len(checks))
	defer close(errs) // ok: every send is received below
	for _, c := range checks {
		go func() { errs <- c() }()
	}
	var first error
	for range checks {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Heartbeat runs pingers until the function returns; done only signals them.
func Heartbeat(conns []net.Conn, rounds int) {
	done := make(chan struct{})
	defer close(done) // ok: the goroutines only receive from done
	for _, c := range conns {
		go func() {
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					_, _ = c.Write([]byte("ping\n"))
				}
			}
		}()
	}
	time.Sleep(time.Duration(rounds) * time.Second)
}

// ScanQuit closes quit, not the results channel the workers send on.
func (s *Scanner) ScanQuit(paths []string) []Result {
	quit := make(chan struct{})
	defer close(quit) // ok: nobody sends on quit
	results := make(chan Result, len(paths))
	for _, p := range paths {
		go func() {
			select {
			case <-quit:
			case results <- s.scan(p):
			}
		}()
	}
	out := make([]Result, 0, len(paths))
	for range paths {
		out = append(out, <-results)
	}
	return out
}

// Produce sends every line and closes the channel; it starts no goroutine.
func Produce(lines []string, out chan<- string) {
	defer close(out) // ok: the caller runs Produce as the sole sender
	for _, l := range lines {
		out <- l
	}
}

// Emit feeds a consumer goroutine that only reads from ch.
func Emit(lines []string, sink func(string)) {
	ch := make(chan string)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for l := range ch {
			sink(l)
		}
	}()
	func() {
		defer close(ch) // ok: this function is the only sender
		for _, l := range lines {
			ch <- l
		}
	}()
	<-finished
}

// Group waits for its goroutines.
type Group struct{ wg sync.WaitGroup }

// Go runs fn.
func (g *Group) Go(fn func()) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		fn()
	}()
}

// Wait waits for all goroutines.
func (g *Group) Wait() { g.wg.Wait() }

// SizesGrouped waits on the group before returning.
func (s *Scanner) SizesGrouped(paths []string) []int64 {
	var g Group
	sizes := make(chan int64, len(paths))
	defer close(sizes) // ok: g.Wait returns after every send
	for _, p := range paths {
		g.Go(func() { sizes <- s.scan(p).Size })
	}
	g.Wait()
	out := make([]int64, 0, len(paths))
	for range paths {
		out = append(out, <-sizes)
	}
	return out
}
