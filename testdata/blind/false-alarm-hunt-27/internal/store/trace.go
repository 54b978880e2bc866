package store

import (
	"log"
	"time"
)

// Span is a minimal tracing span that logs its outcome when it ends.
type Span struct {
	name   string
	start  time.Time
	logger *log.Logger
}

func (s *Store) startSpan(name string) *Span {
	return &Span{name: name, start: time.Now(), logger: s.logger}
}

// End logs the span duration and err, if any.
func (sp *Span) End(err error) {
	d := time.Since(sp.start).Round(time.Microsecond)
	if err != nil {
		sp.logger.Printf("span %s failed after %s: %v", sp.name, d, err)
		return
	}
	sp.logger.Printf("span %s ok in %s", sp.name, d)
}
