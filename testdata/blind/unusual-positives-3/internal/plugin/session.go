package plugin

import (
	"context"
	"errors"
	"time"
)

const sessionTTL = 5 * time.Minute

// Session is a pooled, short-lived conversation with the loaded plugins.
type Session struct {
	host    *Host
	created time.Time
	calls   int
}

// Do calls plugin name within the session.
func (s *Session) Do(ctx context.Context, name string, req Request) (Response, error) {
	if time.Since(s.created) > sessionTTL {
		return Response{}, ErrStale
	}
	inst, err := s.host.instance(name)
	if err != nil {
		return Response{}, err
	}
	s.calls++
	return inst.call(ctx, req)
}

// Exchange performs req over a pooled session, replacing a stale session.
func (h *Host) Exchange(ctx context.Context, name string, req Request) (Response, error) {
	sess := h.sessions.Get()
	defer h.sessions.Put(sess) // HAZ defer-eager-evaluation
	resp, err := sess.Do(ctx, name, req)
	if errors.Is(err, ErrStale) {
		sess = h.sessions.New()
		resp, err = sess.Do(ctx, name, req)
	}
	return resp, err
}

// ExchangeFresh is Exchange written so that whichever session is current at
// return goes back to the pool.
func (h *Host) ExchangeFresh(ctx context.Context, name string, req Request) (Response, error) {
	sess := h.sessions.Get()
	defer func() { h.sessions.Put(sess) }()
	resp, err := sess.Do(ctx, name, req)
	if errors.Is(err, ErrStale) {
		sess = h.sessions.New()
		resp, err = sess.Do(ctx, name, req)
	}
	return resp, err
}
