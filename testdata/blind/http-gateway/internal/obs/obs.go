// Package obs holds the gateway's small tracing, timing and counting helpers.
// It deliberately has no dependencies beyond the standard library.
package obs

import (
	"context"
	"log"
	"sort"
	"sync"
	"time"
)

// Logger receives timing and span lines. Tests may replace it.
var Logger = log.Default()

// Track starts a timer and returns the function that reports it.
// Intended use: defer obs.Track("name")().
func Track(name string) func() {
	start := time.Now()
	return func() {
		Logger.Printf("trace %s took %s", name, time.Since(start))
	}
}

type spanKey struct{}

// Span is one timed unit of work inside a request.
type Span struct {
	Name   string
	Parent *Span

	start time.Time
	mu    sync.Mutex
	attrs map[string]string
	ended bool
}

// StartSpan opens a span below the one carried by ctx, if any.
func StartSpan(ctx context.Context, name string) (context.Context, *Span) {
	parent, _ := ctx.Value(spanKey{}).(*Span)
	s := &Span{Name: name, Parent: parent, start: time.Now(), attrs: make(map[string]string)}
	return context.WithValue(ctx, spanKey{}, s), s
}

// SetAttr records a key/value pair on the span.
func (s *Span) SetAttr(k, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attrs[k] = v
}

// End closes the span once and logs it with its outcome. Later calls are no-ops.
func (s *Span) End(err error) {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	n := len(s.attrs)
	s.mu.Unlock()

	status := "ok"
	if err != nil {
		status = err.Error()
	}
	Logger.Printf("span %s status=%q attrs=%d took %s", s.Name, status, n, time.Since(s.start))
}

// Counter is a concurrency-safe set of named monotonically increasing counters.
type Counter struct {
	mu sync.Mutex
	m  map[string]int64
}

// NewCounter returns an empty Counter.
func NewCounter() *Counter {
	return &Counter{m: make(map[string]int64)}
}

// Add increments the counter name by n.
func (c *Counter) Add(name string, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[name] += n
}

// Snapshot returns a copy of all counters, sorted keys first for stable output.
func (c *Counter) Snapshot() ([]string, map[string]int64) {
	c.mu.Lock()
	out := make(map[string]int64, len(c.m))
	for k, v := range c.m {
		out[k] = v
	}
	c.mu.Unlock()

	keys := make([]string, 0, len(out))
	for k := range out {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, out
}

// WithSpan runs fn inside a span named name and records fn's error on it.
func WithSpan(ctx context.Context, name string, fn func(context.Context) error) error {
	ctx, span := StartSpan(ctx, name)
	var err error
	defer span.End(err) // HAZ defer-eager-evaluation
	err = fn(ctx)
	return err
}

// WithSpanClosure is WithSpan with the outcome read when the span ends.
func WithSpanClosure(ctx context.Context, name string, fn func(context.Context) error) (err error) {
	ctx, span := StartSpan(ctx, name)
	defer func() { span.End(err) }()
	return fn(ctx)
}

// Take returns and resets one counter; it reports false for unknown names.
func (c *Counter) Take(name string) (int64, bool) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	v, ok := c.m[name]
	if !ok {
		return 0, false
	}
	delete(c.m, name)
	c.mu.Unlock()
	return v, true
}
