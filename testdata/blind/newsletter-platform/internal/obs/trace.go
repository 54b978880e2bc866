package obs

import "time"

// Region starts a timed region and returns the function that ends it.
// Use it as: defer obs.Region("name")()
func Region(name string) func() {
	start := time.Now()
	return func() {
		Default.Observe(name, time.Since(start))
	}
}

// Span is an explicit timing handle for code that cannot use Region.
type Span struct {
	name  string
	start time.Time
	m     *Metrics
}

// StartSpan begins a span recorded into m when End is called.
func (m *Metrics) StartSpan(name string) *Span {
	return &Span{name: name, start: time.Now(), m: m}
}

// End records the span's duration.
func (s *Span) End() {
	s.m.Observe(s.name, time.Since(s.start))
}
