// Package lifecycle starts and stops the pieces of a service: listeners,
// background loops, registrations with peers.
package lifecycle

import (
	"bytes"
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server wraps an http.Server with background loops.
type Server struct {
	srv      *http.Server
	stop     chan struct{}
	loops    sync.WaitGroup
	inflight chan struct{}
	events   chan string
	grace    time.Duration
}

// NewServer returns a server for h.
func NewServer(addr string, h http.Handler, maxInflight int) *Server {
	return &Server{
		srv:      &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second},
		stop:     make(chan struct{}),
		inflight: make(chan struct{}, maxInflight),
		events:   make(chan string, 128),
		grace:    10 * time.Second,
	}
}

// Serve runs until ctx is done and then shuts down with a bounded grace period.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), s.grace)
		defer cancel()
		if err := s.srv.Shutdown(sctx); err != nil { // ok: bounded by the timeout above
			log.Printf("shutdown: %v", err)
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		return nil
	}
}

// ServeUntil serves on ln until ctx is done; the shutdown context is created
// before the deferred Shutdown that uses it.
func (s *Server) ServeUntil(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.grace)
	defer cancel()
	defer s.srv.Shutdown(sctx) // ok: Shutdown with a timeout context
	return ctx.Err()
}

// startLoop runs fn every d until Stop.
func (s *Server) startLoop(d time.Duration, fn func()) {
	s.loops.Add(1)
	go func() {
		defer s.loops.Done()
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				fn()
			case <-s.stop:
				return
			}
		}
	}()
}

// RunLoops starts the maintenance loops and returns when ctx is done, after
// telling the loops to stop and waiting for them.
func (s *Server) RunLoops(ctx context.Context, tasks map[time.Duration]func()) {
	defer func() {
		close(s.stop)
		s.loops.Wait() // ok: the loops return as soon as stop is closed
	}()
	for d, fn := range tasks {
		s.startLoop(d, fn)
	}
	<-ctx.Done()
}

// Limit wraps a handler with a concurrency limit; the deferred receive
// takes back the token this request put in, so it cannot wait.
func (s *Server) Limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.inflight <- struct{}{}:
		default:
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		defer func() { <-s.inflight }() // ok: our own token is in the buffer
		next.ServeHTTP(w, r)
	})
}

// Emit queues an audit event without waiting.
func (s *Server) emit(ev string) {
	select {
	case s.events <- ev:
	default:
		log.Printf("audit queue full, dropping %q", ev)
	}
}

// Audited records the end of each request; the deferred emit never blocks.
func (s *Server) Audited(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer s.emit(r.Method + " " + r.URL.Path) // ok: emit uses select with default
		next.ServeHTTP(w, r)
	})
}

// Timed logs the duration of each request.
func (s *Server) Timed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer func() { log.Printf("%s %s %v", r.Method, r.URL.Path, time.Since(start)) }()
		next.ServeHTTP(w, r)
	})
}

// Drain empties the audit queue without waiting for more events.
func (s *Server) drain() int {
	n := 0
	for {
		select {
		case <-s.events:
			n++
		default:
			return n
		}
	}
}

// Reset clears queued events when the handler for /admin/reset returns.
func (s *Server) Reset(w http.ResponseWriter, r *http.Request) {
	defer s.drain() // ok: drain only does non-blocking receives
	w.WriteHeader(http.StatusAccepted)
}

// Export hands the events to a slow sink in the background when the request
// ends; the deferred call only starts a goroutine.
func (s *Server) Export(sink func([]string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var batch []string
		defer s.exportAsync(sink, &batch) // ok: exportAsync returns at once
		for i := 0; i < 10; i++ {
			select {
			case ev := <-s.events:
				batch = append(batch, ev)
			default:
			}
		}
		w.WriteHeader(http.StatusOK)
	}
}

func (s *Server) exportAsync(sink func([]string), batch *[]string) {
	b := *batch
	if len(b) == 0 {
		return
	}
	go func() {
		time.Sleep(50 * time.Millisecond) // coalesce with the next export
		sink(b)
	}()
}

// Goodbye writes a farewell frame on conn with a write deadline when the
// session ends.
func Goodbye(conn net.Conn, session func(net.Conn) error) error {
	defer conn.Close()
	defer func() {
		_ = conn.SetWriteDeadline(time.Now().Add(500 * time.Millisecond))
		_, _ = conn.Write([]byte("BYE\r\n")) // ok: bounded by the write deadline
	}()
	return session(conn)
}

// WaitReady waits for the ready channel at most d when the probe returns.
func WaitReady(ready <-chan struct{}, d time.Duration, probe func() error) error {
	defer func() {
		select {
		case <-ready:
		case <-time.After(d): // ok: a timeout case bounds the receive
			log.Printf("not ready after %v", d)
		}
	}()
	return probe()
}

// Notify tells peer that the request finished, with a tight deadline.
func Notify(peer string, w http.ResponseWriter, r *http.Request) {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, peer, bytes.NewReader([]byte(r.URL.Path)))
		if err != nil {
			return
		}
		resp, err := http.DefaultClient.Do(req) // ok: context.WithTimeout in the deferred call
		if err != nil {
			log.Printf("notify %s: %v", peer, err)
			return
		}
		resp.Body.Close()
	}()
	w.WriteHeader(http.StatusOK)
}

// Slow is a debug handler that simulates a slow backend.
func Slow(w http.ResponseWriter, r *http.Request) {
	defer time.Sleep(200 * time.Millisecond) // HAZ defer-blocking-call
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte("ok"))
}
