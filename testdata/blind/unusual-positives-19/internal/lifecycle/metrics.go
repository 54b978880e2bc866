package lifecycle

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Sample is one timed operation.
type Sample struct {
	Op   string
	Took time.Duration
	Err  bool
}

// Metrics collects samples in memory.
type Metrics struct {
	mu      sync.Mutex
	samples []Sample
}

// Observe records s.
func (m *Metrics) Observe(s Sample) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.samples = append(m.samples, s)
}

// Span records op as having run from begin to end.
func (m *Metrics) Span(op string, begin, end time.Time) {
	m.Observe(Sample{Op: op, Took: end.Sub(begin)})
}

// Timed starts timing op; the returned func records the sample.
func (m *Metrics) Timed(op string) func() {
	start := time.Now()
	return func() { m.Observe(Sample{Op: op, Took: time.Since(start)}) }
}

// Samples returns a copy of the recorded samples.
func (m *Metrics) Samples() []Sample {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Sample(nil), m.samples...)
}

// Probe runs every step once with a deadline and records how long it took.
func (r *Runner) Probe(ctx context.Context, m *Metrics) error {
	start := time.Now()
	defer m.Span(r.name+" probe", start, time.Now()) // HAZ defer-eager-evaluation
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for _, s := range r.steps {
		if err := s.Run(ctx); err != nil {
			return fmt.Errorf("probe %s: %w", s.Name, err)
		}
	}
	return nil
}

// Check is Probe timed through Metrics.Timed.
func (r *Runner) Check(ctx context.Context, m *Metrics) error {
	defer m.Timed(r.name + " check")()
	for _, s := range r.steps {
		if err := s.Run(ctx); err != nil {
			return fmt.Errorf("check %s: %w", s.Name, err)
		}
	}
	return nil
}

// Warmup runs the first step n times to fill caches and times the whole.
func (r *Runner) Warmup(ctx context.Context, m *Metrics, n int) error {
	if len(r.steps) == 0 {
		return nil
	}
	defer m.Timed(r.name + " warmup") // HAZ defer-func-result-not-called
	for i := 0; i < n; i++ {
		if err := r.steps[0].Run(ctx); err != nil {
			return fmt.Errorf("warmup %d: %w", i, err)
		}
	}
	return nil
}

// ProbeEach times every step on its own.
func (r *Runner) ProbeEach(ctx context.Context, m *Metrics) error {
	for _, s := range r.steps {
		err := func() error {
			start := time.Now()
			defer func() { m.Observe(Sample{Op: s.Name, Took: time.Since(start)}) }()
			return s.Run(ctx)
		}()
		if err != nil {
			return err
		}
	}
	return nil
}
