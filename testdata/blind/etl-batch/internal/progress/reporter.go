// Package progress prints periodic progress lines for long batch runs and
// collects per-stage counts and timings for the final summary.
package progress

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"
	"time"
)

// Reporter collects counters and prints them every interval.
type Reporter struct {
	out     io.Writer
	started time.Time

	mu      sync.Mutex
	counts  map[string]int64
	timings map[string]time.Duration

	notes    chan string
	quit     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// Summary is a point-in-time copy of the reporter's counters.
type Summary struct {
	Elapsed time.Duration
	Counts  map[string]int64
	Timings map[string]time.Duration
}

// Start launches the reporter goroutine. Call Stop when the run is over.
func Start(out io.Writer, interval time.Duration) *Reporter {
	if interval <= 0 {
		interval = 10 * time.Second
	}
	r := &Reporter{
		out:     out,
		started: time.Now(),
		counts:  make(map[string]int64),
		timings: make(map[string]time.Duration),
		notes:   make(chan string),
		quit:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	go r.loop(interval)
	return r
}

func (r *Reporter) loop(interval time.Duration) {
	defer close(r.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-r.quit:
			r.print("final")
			return
		case note := <-r.notes:
			fmt.Fprintln(r.out, "progress:", note)
		case <-t.C:
			r.print("running")
		}
	}
}

func (r *Reporter) print(kind string) {
	s := r.Snapshot()
	var total int64
	for _, n := range s.Counts {
		total += n
	}
	fmt.Fprintf(r.out, "progress (%s): %d records, %s elapsed\n", kind, total, s.Elapsed.Round(time.Second))
}

// Stop prints the final line and stops the reporter. It waits at most two
// seconds for the reporter goroutine, so it is safe to defer.
func (r *Reporter) Stop() {
	r.stopOnce.Do(func() { close(r.quit) })
	select {
	case <-r.done:
	case <-time.After(2 * time.Second):
	}
}

// Add counts n records for stage.
func (r *Reporter) Add(stage string, n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counts[stage] += n
}

// Merge adds a batch of per-stage counts, e.g. from a worker's local tally.
func (r *Reporter) Merge(counts map[string]int64) {
	for stage, n := range counts {
		r.mu.Lock()
		defer r.mu.Unlock() // HAZ defer-in-loop
		r.counts[stage] += n
	}
}

func (r *Reporter) addTiming(stage string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.timings[stage] += d
}

// Stage starts the clock for stage and returns the func that stops it:
//
//	defer rep.Stage("extract")()
func (r *Reporter) Stage(stage string) func() {
	start := time.Now()
	return func() { r.addTiming(stage, time.Since(start)) }
}

// Track runs fn as stage, records its duration and queues a note for the
// log when the reporter is idle; a busy or stopped reporter drops the note.
func (r *Reporter) Track(stage string, fn func() error) (err error) {
	start := time.Now()
	defer func() {
		d := time.Since(start)
		r.addTiming(stage, d)
		select {
		case r.notes <- fmt.Sprintf("%s finished in %s (err=%v)", stage, d.Round(time.Millisecond), err):
		default:
		}
	}()
	return fn()
}

// Observe runs fn as stage and logs how long it took.
func (r *Reporter) Observe(stage string, fn func() error) error {
	start := time.Now()
	defer func() { // HAZ defer-blocking-call
		r.notes <- fmt.Sprintf("%s finished in %s", stage, time.Since(start).Round(time.Millisecond))
	}()
	return fn()
}

// Notef queues a free-form line; it never blocks the caller.
func (r *Reporter) Notef(format string, args ...any) {
	select {
	case r.notes <- fmt.Sprintf(format, args...):
	default:
	}
}

// Snapshot copies the current counters.
func (r *Reporter) Snapshot() Summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Summary{
		Elapsed: time.Since(r.started),
		Counts:  maps.Clone(r.counts),
		Timings: maps.Clone(r.timings),
	}
}

// WriteTo prints the summary as a small table.
func (s Summary) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for _, st := range slices.Sorted(maps.Keys(s.Counts)) {
		n, err := fmt.Fprintf(w, "%-12s %10d rows %10s\n", st, s.Counts[st], s.Timings[st].Round(time.Millisecond))
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	n, err := fmt.Fprintf(w, "total elapsed %s\n", s.Elapsed.Round(time.Millisecond))
	return total + int64(n), err
}

// Reset clears the counters between two runs of a long-lived service.
func (r *Reporter) Reset() {
	r.mu.Lock()
	defer r.mu.Lock() // HAZ defer-lock-mismatch
	clear(r.counts)
	clear(r.timings)
	r.started = time.Now()
}

// Set overwrites the count of a stage, e.g. with the row count reported
// by the database after a load.
func (r *Reporter) Set(stage string, n int64) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if n < 0 {
		panic(fmt.Sprintf("progress: negative count %d for %s", n, stage))
	}
	r.counts[stage] = n
	r.mu.Unlock()
}
