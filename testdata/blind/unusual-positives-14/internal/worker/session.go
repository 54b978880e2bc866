package worker

import (
	"context"
	"time"
)

// session carries the per-job context. Jobs without a deadline share the
// parent context and have no cancel func of their own.
type session struct {
	ctx     context.Context
	cancel  context.CancelFunc
	id      string
	started time.Time
}

func newSession(parent context.Context, id string, deadline time.Time) *session {
	s := &session{ctx: parent, id: id, started: time.Now()}
	if !deadline.IsZero() {
		s.ctx, s.cancel = context.WithDeadline(parent, deadline)
	}
	return s
}
