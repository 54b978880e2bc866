package rpc

import (
	"context"
	"net"
	"sync"
)

// Streamer keeps one long-lived connection to a peer and re-dials it when
// a write fails.
type Streamer struct {
	addr string

	mu   sync.Mutex
	conn net.Conn
}

// NewStreamer dials addr.
func NewStreamer(ctx context.Context, addr string) (*Streamer, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	return &Streamer{addr: addr, conn: conn}, nil
}

func (s *Streamer) current() net.Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conn
}

// reconnect replaces the current connection with a fresh one.
func (s *Streamer) reconnect(ctx context.Context) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return err
	}
	s.mu.Lock()
	old := s.conn
	s.conn = conn
	s.mu.Unlock()
	_ = old.Close() // already broken; its close error says nothing new
	return nil
}

// Stream writes every batch to the peer until batches is closed, re-dialing
// once per failed write. The connection is closed when Stream returns.
func (s *Streamer) Stream(ctx context.Context, batches <-chan []byte) error {
	defer s.current().Close() // HAZ defer-call-chain
	for b := range batches {
		if _, err := s.current().Write(b); err == nil {
			continue
		}
		if err := s.reconnect(ctx); err != nil {
			return err
		}
		if _, err := s.current().Write(b); err != nil {
			return err
		}
	}
	return nil
}
