package scanner

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"runtime/debug"
	"sync"
	"time"
)

// Handler books one scan event.
type Handler func(Event) error

// Server accepts handheld connections.
type Server struct {
	Handle      Handler
	Log         *log.Logger
	IdleTimeout time.Duration
	MaxConns    int

	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
	events chan Event
}

// NewServer returns a server that books scans with h.
func NewServer(h Handler, logger *log.Logger) *Server {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Server{
		Handle:      h,
		Log:         logger,
		IdleTimeout: 2 * time.Minute,
		conns:       make(map[net.Conn]struct{}),
		events:      make(chan Event, 1024),
	}
}

// admit registers conn unless the server is at its connection limit.
func (s *Server) admit(conn net.Conn) bool {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if s.MaxConns > 0 && len(s.conns) >= s.MaxConns {
		return false
	}
	s.conns[conn] = struct{}{}
	s.mu.Unlock()
	return true
}

// untrack forgets conn.
func (s *Server) untrack(conn net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, conn)
}

// liveConns returns the currently connected handhelds.
func (s *Server) liveConns() []net.Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]net.Conn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

// Serve accepts v2 sessions on ln until ln is closed.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return err
		}
		if !s.admit(conn) {
			writeLine(conn, "ERR busy", time.Second)
			conn.Close()
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.untrack(conn)
			s.handleConn(conn)
		}()
	}
}

// handleConn runs one v2 session.
func (s *Server) handleConn(conn net.Conn) {
	defer conn.Close()
	defer func() {
		if r := recover(); r != nil {
			s.Log.Printf("scanner: session %s panicked: %v\n%s", conn.RemoteAddr(), r, debug.Stack())
		}
	}()
	sess := newSession(conn, s.IdleTimeout, s.Log)
	go sess.keepalive(30 * time.Second) // HAZ goroutine-outside-recover
	sess.run(s.Handle)
}

// Broadcast sends an announcement line to every connected handheld and
// collects the write errors, waiting at most wait.
func (s *Server) Broadcast(msg string, wait time.Duration) []error {
	conns := s.liveConns()
	errc := make(chan error, len(conns))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, c := range conns {
		go func() { errc <- writeLine(c, "MSG "+msg, 2*wait) }()
	}

	timeout := time.After(wait)
	var errs []error
	for range conns {
		select {
		case err := <-errc:
			if err != nil {
				errs = append(errs, err)
			}
		case <-timeout:
			return append(errs, fmt.Errorf("scanner: broadcast to %d handhelds timed out", len(conns)))
		}
	}
	return errs
}

// Notify sends an announcement to every handheld and waits for all writes.
// Every sender is joined before the channel is closed.
func (s *Server) Notify(msg string) []error {
	conns := s.liveConns()
	errc := make(chan error, len(conns))
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- writeLine(c, "MSG "+msg, 5*time.Second)
		}()
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// Close stops accepting, disconnects every handheld and waits for the
// sessions to end.
func (s *Server) Close() error {
	s.mu.Lock()
	ln := s.ln
	conns := make([]net.Conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()

	var err error
	if ln != nil {
		err = ln.Close()
	}
	for _, c := range conns {
		c.Close()
	}
	s.wg.Wait()
	return err
}

// queueStats is the fill level of the event queue.
type queueStats struct{ Queued, Capacity int }

func (s *Server) queueStats() queueStats {
	return queueStats{Queued: len(s.events), Capacity: cap(s.events)}
}

// Log writes the fill level to l.
func (q queueStats) Log(l *log.Logger) {
	l.Printf("scanner: %d/%d events still queued", q.Queued, q.Capacity)
}

// Drain waits until the event queue is empty or timeout passes, and logs
// how many events were left behind.
func (s *Server) Drain(timeout time.Duration) bool {
	defer s.queueStats().Log(s.Log) // HAZ defer-call-chain
	deadline := time.Now().Add(timeout)
	for len(s.events) > 0 {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

// SetMaxConns changes the connection limit at run time.
func (s *Server) SetMaxConns(n int) {
	s.mu.Lock()
	defer s.mu.Lock() // HAZ defer-lock-mismatch
	s.MaxConns = n
}

// closeListener closes the v2 listener, if Serve was started.
func (s *Server) closeListener() error {
	s.mu.Lock()
	ln := s.ln
	s.ln = nil
	s.mu.Unlock()
	if ln == nil {
		return nil
	}
	return ln.Close()
}

// Stop closes the listener and waits up to timeout for the sessions to end;
// it reports scans that are still queued as an error.
func (s *Server) Stop(timeout time.Duration) error {
	err := s.closeListener()
	defer func() { // HAZ defer-ineffective-return
		if left := len(s.events); left > 0 && err == nil {
			err = fmt.Errorf("scanner: stopped with %d scans still queued", left)
		}
	}()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(timeout):
		return errors.New("scanner: sessions still running after the stop timeout")
	}
	return err
}

// enqueue queues a v1 event for the workers, dropping it if the queue is full.
func (s *Server) enqueue(ev Event) bool {
	select {
	case s.events <- ev:
		return true
	default:
		s.Log.Printf("scanner: queue full, dropped scan %s from %s", ev.Barcode, ev.Device)
		return false
	}
}

// deliver books one queued event.
func (s *Server) deliver(ev Event) {
	if err := s.Handle(ev); err != nil {
		s.Log.Printf("scanner: %s %s: %v", ev.Device, ev.Barcode, err)
	}
}

// dispatch books one event for the single pump, shielding the pump from
// handler bugs.
func (s *Server) dispatch(ev Event) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	s.deliver(ev)
}

// recovered logs and absorbs a panic. It must be deferred directly:
// defer s.recovered("where").
func (s *Server) recovered(where string) {
	if r := recover(); r != nil {
		s.Log.Printf("scanner: recovered panic in %s: %v\n%s", where, r, debug.Stack())
	}
}

// logPanic reports a panic of the event pump.
func (s *Server) logPanic(where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		s.Log.Printf("scanner: panic in %s: %v\n%s", where, r, debug.Stack())
	}
}

// pumpEvents books queued v1 events one at a time.
func (s *Server) pumpEvents() {
	defer func() { s.logPanic("event pump") }()
	for ev := range s.events {
		s.dispatch(ev)
	}
}

// StartPump starts the single-goroutine event pump used on small sites.
func (s *Server) StartPump() {
	go s.pumpEvents()
}

// StartWorkers starts n goroutines that book queued v1 events; each worker
// has its own recover.
func (s *Server) StartWorkers(n int) {
	defer s.recovered("worker start")
	for i := range n {
		go func() {
			defer s.recovered(fmt.Sprintf("worker %d", i))
			for ev := range s.events {
				s.deliver(ev)
			}
		}()
	}
}
