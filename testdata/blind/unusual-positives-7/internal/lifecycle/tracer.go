package lifecycle

import (
	"log"
	"time"
)

// Tracer logs spans that take longer than a threshold.
type Tracer struct {
	log   *log.Logger
	clock func() time.Time
	slow  time.Duration
}

// NewTracer logs spans slower than slow to l.
func NewTracer(l *log.Logger, slow time.Duration) *Tracer {
	return &Tracer{log: l, clock: time.Now, slow: slow}
}

// Start begins a span; call the returned func to end it.
func (t *Tracer) Start(name string) func() {
	begin := t.clock()
	return func() { t.end(name, begin) }
}

func (t *Tracer) end(name string, begin time.Time) {
	if d := t.clock().Sub(begin); d >= t.slow {
		t.log.Printf("slow span %s: %s", name, d)
	}
}
