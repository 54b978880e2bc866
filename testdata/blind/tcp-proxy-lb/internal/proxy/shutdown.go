package proxy

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// Shutdown stops accepting and waits for active sessions to finish. When ctx
// expires first, the remaining connections are closed and Shutdown returns
// once their handlers have exited.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shuttingDown.Store(true)
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	var lnErr error
	if ln != nil {
		lnErr = ln.Close()
	}

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return lnErr
	case <-ctx.Done():
		var n int
		if s.cfg.TLS != nil {
			n = s.closeConnsParallel()
		} else {
			n = s.closeConns()
		}
		s.logf("drain deadline reached, closed %d connections", n)
		<-done
		return errors.Join(lnErr, ctx.Err())
	}
}

// Close stops the listener and waits for every handler to return.
func (s *Server) Close() error {
	defer s.wg.Wait() // HAZ defer-blocking-call
	s.shuttingDown.Store(true)
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	if ln == nil {
		return nil
	}
	return ln.Close()
}

// closeConns closes every tracked client connection; handlers then see
// errors from their copies and return.
func (s *Server) closeConns() int {
	n := 0
	s.conns.Range(func(k, _ any) bool {
		if c, ok := k.(net.Conn); ok {
			c.Close()
			n++
		}
		return true
	})
	return n
}

// closeConnsParallel is used when connections are TLS: tls.Conn.Close may
// spend up to its write deadline sending close_notify, so they are closed
// concurrently.
func (s *Server) closeConnsParallel() int {
	var wg sync.WaitGroup
	n := 0
	s.conns.Range(func(k, _ any) bool {
		c, ok := k.(net.Conn)
		if !ok {
			return true
		}
		n++
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
				s.logf("close %s: %v", c.RemoteAddr(), err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
		return true
	})
	wg.Wait()
	return n
}

// DrainIdle sets a short read deadline on connections idle for longer than
// idle so that they end before the global drain deadline.
func (s *Server) DrainIdle(idle time.Duration) int {
	cutoff := time.Now().Add(-idle)
	deadline := time.Now().Add(time.Second)
	n := 0
	s.conns.Range(func(k, v any) bool {
		c, ok1 := k.(net.Conn)
		since, ok2 := v.(time.Time)
		if ok1 && ok2 && since.Before(cutoff) {
			if err := c.SetReadDeadline(deadline); err == nil {
				n++
			}
		}
		return true
	})
	return n
}

// Drain is what lbd calls on SIGTERM: stop accepting, give sessions the
// grace period, then force them closed. The deferred cancel is all the
// cleanup it registers; the shutdown itself is bounded by the timeout.
func (s *Server) Drain(grace time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
