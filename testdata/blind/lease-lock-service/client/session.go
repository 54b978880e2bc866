package client

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Session owns a lease that it keeps alive in the background until Close.
type Session struct {
	c      *Client
	id     LeaseID
	ttl    time.Duration
	cancel context.CancelFunc
	done   chan struct{}

	mu  sync.Mutex
	err error
}

// NewSession grants a lease with the given TTL and starts its keepalive.
func (c *Client) NewSession(ctx context.Context, ttl time.Duration) (*Session, error) {
	id, err := c.Grant(ctx, ttl)
	if err != nil {
		return nil, err
	}
	kctx, cancel := context.WithCancel(context.Background())
	s := &Session{c: c, id: id, ttl: ttl, cancel: cancel, done: make(chan struct{})}
	go s.keepalive(kctx)
	return s, nil
}

// ID returns the session's lease.
func (s *Session) ID() LeaseID { return s.id }

// keepalive renews the lease three times per TTL until ctx ends or the
// server reports the lease gone.
func (s *Session) keepalive(ctx context.Context) {
	defer close(s.done)
	t := time.NewTicker(s.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			rctx, cancel := context.WithTimeout(ctx, s.ttl/3)
			_, err := s.c.KeepAlive(rctx, s.id)
			cancel()
			if err == nil {
				continue
			}
			s.setErr(err)
			var se *ServerError
			if errors.As(err, &se) {
				return // lease expired or revoked: nothing left to keep alive
			}
		}
	}
}

func (s *Session) setErr(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

// Err returns the last keepalive error.
func (s *Session) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Done is closed when the keepalive loop has stopped.
func (s *Session) Done() <-chan struct{} { return s.done }

// Close stops the keepalive and revokes the lease, releasing every lock
// held under it.
func (s *Session) Close(ctx context.Context) error {
	s.cancel()
	select {
	case <-s.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	return s.c.Revoke(ctx, s.id)
}
