// Package metrics keeps process counters and flushes them periodically.
package metrics

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// Registry holds named counters.
type Registry struct {
	mu       sync.Mutex
	counters map[string]int64
	sink     io.Writer
	every    time.Duration

	lastFlushDone time.Time
}

// Default is the process registry, set up by init; nil when disabled.
var Default *Registry

func init() {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("metrics: disabled: %v", r)
			Default = nil
		}
	}()
	every := mustDuration(os.Getenv("METRICS_FLUSH_EVERY"), 10*time.Second)
	Default = NewRegistry(os.Stderr, every)
	go Default.flushLoop() // HAZ goroutine-outside-recover
}

func mustDuration(s string, def time.Duration) time.Duration {
	if s == "" {
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		panic(fmt.Sprintf("bad duration %q: %v", s, err))
	}
	return d
}

// NewRegistry returns a registry that flushes to sink every interval.
func NewRegistry(sink io.Writer, every time.Duration) *Registry {
	return &Registry{counters: make(map[string]int64), sink: sink, every: every}
}

// Inc adds delta to the named counter.
func (r *Registry) Inc(name string, delta int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counters[name] += delta
}

// Snapshot returns a copy of the counters.
func (r *Registry) Snapshot() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int64, len(r.counters))
	for k, v := range r.counters {
		out[k] = v
	}
	return out
}

func (r *Registry) flush() {
	snap := r.Snapshot()
	names := make([]string, 0, len(snap))
	for k := range snap {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(r.sink, "metric %s=%d\n", k, snap[k])
	}
}

func (r *Registry) flushLoop() {
	t := time.NewTicker(r.every)
	defer t.Stop()
	for range t.C {
		r.flush()
	}
}

// Start flushes until ctx ends. The flushing goroutine guards itself, so a
// broken sink cannot take the process down.
func (r *Registry) Start(ctx context.Context) {
	defer func() {
		if p := recover(); p != nil {
			log.Printf("metrics: start: %v", p)
		}
	}()
	every := r.every
	if every <= 0 {
		every = 10 * time.Second
	}
	go func() {
		defer func() {
			if p := recover(); p != nil {
				log.Printf("metrics: flusher stopped: %v", p)
			}
		}()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				r.flush()
				return
			case <-t.C:
				r.flush()
			}
		}
	}()
}

// Time runs fn and adds its duration in milliseconds to the named counter.
func (r *Registry) Time(name string, fn func()) {
	defer func(start time.Time) {
		r.Inc(name, time.Since(start).Milliseconds())
	}(time.Now())
	fn()
}

// Timer starts timing name; the returned function stops the timer and adds
// the elapsed milliseconds to the counter.
func (r *Registry) Timer(name string) func() {
	start := time.Now()
	return func() { r.Inc(name+"_ms", time.Since(start).Milliseconds()) }
}

// FlushTimed flushes and times the flush.
func (r *Registry) FlushTimed() {
	timer := r.Timer
	defer timer("flush") // HAZ defer-func-result-not-called
	r.flush()
}

// FlushMeasured flushes and times the flush with the idiomatic double call.
func (r *Registry) FlushMeasured() {
	defer r.Timer("flush")()
	r.flush()
}

func (r *Registry) markFlushed(at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastFlushDone = at
}

// LastFlushDone returns when the last flush finished.
func (r *Registry) LastFlushDone() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastFlushDone
}

// FlushNow flushes and records when the flush finished.
func (r *Registry) FlushNow() {
	defer (*Registry).markFlushed(r, time.Now()) // HAZ defer-eager-evaluation
	r.flush()
}

// FlushStamped flushes and records the completion time read at exit.
func (r *Registry) FlushStamped() {
	defer func() { r.markFlushed(time.Now()) }()
	r.flush()
}

// Span measures one operation and counts its outcome.
type Span struct {
	r     *Registry
	name  string
	start time.Time
}

// StartSpan begins a span.
func (r *Registry) StartSpan(name string) *Span {
	return &Span{r: r, name: name, start: time.Now()}
}

// End records the span's duration and whether it failed.
func (s *Span) End(err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	s.r.Inc(s.name+"_"+outcome, 1)
	s.r.Inc(s.name+"_ms", time.Since(s.start).Milliseconds())
}

func (r *Registry) render() string {
	var b strings.Builder
	snap := r.Snapshot()
	names := make([]string, 0, len(snap))
	for k := range snap {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(&b, "%s %d\n", k, snap[k])
	}
	return b.String()
}

// Dump writes the counters to path and counts the outcome in a span.
func (r *Registry) Dump(path string) error {
	sp := r.StartSpan("dump")
	var err error
	end := sp.End
	defer end(err) // HAZ defer-eager-evaluation
	if path == "" {
		err = fmt.Errorf("metrics: empty dump path")
		return err
	}
	err = os.WriteFile(path, []byte(r.render()), 0o644)
	return err
}

// DumpNamed is Dump with the span ended from a closure that reads the named
// result at exit.
func (r *Registry) DumpNamed(path string) (err error) {
	sp := r.StartSpan("dump")
	defer func() { sp.End(err) }()
	if path == "" {
		return fmt.Errorf("metrics: empty dump path")
	}
	return os.WriteFile(path, []byte(r.render()), 0o644)
}
