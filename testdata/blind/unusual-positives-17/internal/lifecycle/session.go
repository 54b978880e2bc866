package lifecycle

import (
	"context"
	"errors"
	"sync"
)

// ErrSessionClosed is returned when appending to a closed session.
var ErrSessionClosed = errors.New("lifecycle: session closed")

type state int

const (
	stateOpen state = iota
	stateClosed
)

// Session buffers records for one upload and hands them to sink when it is
// closed, either explicitly or because its context ended.
type Session struct {
	mu    sync.Mutex
	id    string
	state state
	buf   []string
	sink  func(id string, recs []string) error
}

// NewSession returns an open session flushed into sink when ctx ends.
func NewSession(ctx context.Context, id string, sink func(string, []string) error) *Session {
	s := &Session{id: id, sink: sink}
	s.bindContext(ctx)
	return s
}

// bindContext flushes the session when ctx ends.
func (s *Session) bindContext(ctx context.Context) {
	context.AfterFunc(ctx, func() {
		s.mu.Lock() // HAZ lock-leaked-on-return
		if s.state == stateClosed {
			return
		}
		s.state = stateClosed
		pending := s.buf
		s.buf = nil
		s.mu.Unlock()
		_ = s.sink(s.id, pending)
	})
}

// Watch marks the session closed when ctx ends, without flushing. The
// callback releases the lock with defer on every path.
func (s *Session) Watch(ctx context.Context) (stop func() bool) {
	return context.AfterFunc(ctx, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.state == stateClosed {
			return
		}
		s.state = stateClosed
		s.buf = nil
	})
}

// Append adds a record to the session.
func (s *Session) Append(rec string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == stateClosed {
		return ErrSessionClosed
	}
	s.buf = append(s.buf, rec)
	return nil
}

// Close flushes the session. Every path releases the lock before sink runs.
func (s *Session) Close() error {
	s.mu.Lock()
	if s.state == stateClosed {
		s.mu.Unlock()
		return nil
	}
	s.state = stateClosed
	pending := s.buf
	s.buf = nil
	s.mu.Unlock()
	return s.sink(s.id, pending)
}

// Pending reports how many records are buffered.
func (s *Session) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.buf)
}
