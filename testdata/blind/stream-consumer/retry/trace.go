package retry

import (
	"context"
	"log"
	"time"

	"example.com/consumer/broker"
)

// span is a minimal trace span that logs its outcome.
type span struct {
	name  string
	start time.Time
	log   *log.Logger
}

func startSpan(logger *log.Logger, name string) *span {
	return &span{name: name, start: time.Now(), log: logger}
}

// Finish logs the span's duration and error.
func (s *span) Finish(err error) {
	if err != nil {
		s.log.Printf("span %s failed after %s: %v", s.name, time.Since(s.start), err)
		return
	}
	s.log.Printf("span %s ok in %s", s.name, time.Since(s.start))
}

// HandleTraced is Handle wrapped in a span.
func (r *Retrier) HandleTraced(ctx context.Context, m broker.Message, h Handler) error {
	sp := startSpan(r.log, "handle "+m.TP().String())
	var err error
	defer sp.Finish(err) // HAZ defer-eager-evaluation
	err = r.Handle(ctx, m, h)
	return err
}

// HandleSpan is HandleTraced with the span finished by a closure that
// reads the final error.
func (r *Retrier) HandleSpan(ctx context.Context, m broker.Message, h Handler) (err error) {
	sp := startSpan(r.log, "handle "+m.TP().String())
	defer func() { sp.Finish(err) }()
	return r.Handle(ctx, m, h)
}
